"""spaCy DocBin (`.spacy`), the training data format of `spacy train`; needs spaCy (extra `spacy`).

One `Doc` per article. Its tokens are the shared tokenizer's (`common.tokenize`), plus spaCy's
whitespace tokens where the text has more than one space between two tokens, so `doc.text` is
exactly the article's text and `doc.char_span(start, end)` takes our offsets.

* `doc.spans["sc"]` holds every span (overlapping ones too), for spaCy's span categorizer;
* `doc.ents` holds the non-overlapping ones, for the entity recognizer: of overlapping spans the
  longer (in tokens) is kept, then the earlier, then the one created first; the others are counted
  as `overlapping` (they stay in `doc.spans["sc"]`);
* `doc.user_data` keeps the article id and title, the span ids in `doc.spans["sc"]` order and the
  relations as `(head index, tail index, type)` into that list — spaCy has no relation layer.

Units: spaCy counts characters as Python does, in code points — nothing to convert. Spans are
widened to token boundaries (counted as `snapped`). Write only (a binary format for training, not
for exchange); attributes, notes and annotators are not written.
"""

from __future__ import annotations

import importlib.util
from typing import BinaryIO

from ..errors import AnnotatorError
from ..store import ExportFilter, Store
from .common import ProgressCallback, ExportStats, TokenIndex, drop_overlaps, place_on_tokens, select_articles

NAME = "docbin"
SINGLE_LAYER = True  # no annotator per span: one annotator's, or their union (formats/__init__.py)
SUFFIX = ".spacy"
DESCRIPTION = "spaCy DocBin: spans in doc.spans['sc'], non-overlapping ones as doc.ents"
OUTPUT = "binary"
SPANS_KEY = "sc"


# Why the format cannot be used where spaCy is missing (shown by the export dialog).
UNAVAILABLE = "needs spaCy, which is not installed here: pip install 'news-annotator[spacy]'"


def available() -> bool:
    """Whether this format can be written here: spaCy is installed (found, not imported: cheap)."""
    return importlib.util.find_spec("spacy") is not None


def _spacy():
    try:
        import spacy
        from spacy.tokens import Doc, DocBin
    except ImportError:
        raise AnnotatorError(
            "the docbin format needs spaCy: pip install 'news-annotator[spacy]' (or pip install spacy)"
        ) from None
    return spacy, Doc, DocBin


def words_and_spaces(index: TokenIndex) -> tuple[list[str], list[bool], list[int]]:
    """spaCy's (words, spaces) that rebuild the text exactly, and the word index of each token."""
    text = index.text
    words: list[str] = []
    spaces: list[bool] = []
    positions: list[int] = []
    first = index.tokens[0][0] if index.tokens else len(text)
    if first:
        words.append(text[:first])
        spaces.append(False)
    for i, (start, end) in enumerate(index.tokens):
        positions.append(len(words))
        words.append(text[start:end])
        gap = index.whitespace_after(i)
        spaces.append(gap.startswith(" "))
        rest = gap[1:] if gap.startswith(" ") else gap
        if rest:
            words.append(rest)
            spaces.append(False)
    return words, spaces, positions


def write(store: Store, out: BinaryIO, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None) -> ExportStats:
    spacy, Doc, DocBin = _spacy()
    stats = ExportStats()
    vocab = spacy.blank("xx").vocab
    docs = DocBin(store_user_data=True)
    for item in select_articles(store, selection, progress):
        stats.merged += item.merged
        article = item.article
        index = TokenIndex(article.text)
        words, spaces, positions = words_and_spaces(index)
        doc = Doc(vocab, words=words, spaces=spaces) if words else Doc(vocab, words=[])
        placed = place_on_tokens(index, item.annotations, stats)
        spans = [doc[positions[p.first] : positions[p.last] + 1] for p in placed]
        for span, p in zip(spans, placed):
            span.label_ = p.annotation.label
        doc.spans[SPANS_KEY] = spans
        kept = {id(p) for p in drop_overlaps(placed, stats)}
        doc.ents = [span for span, p in zip(spans, placed) if id(p) in kept]
        order = {p.annotation.id: i for i, p in enumerate(placed)}
        relations = []
        for relation in item.relations:
            if relation.head in order and relation.tail in order:
                relations.append((order[relation.head], order[relation.tail], relation.type))
            else:
                stats.relations_dropped += 1
        doc.user_data["article_id"] = article.id
        doc.user_data["title"] = article.title
        doc.user_data["span_ids"] = [p.annotation.id for p in placed]
        doc.user_data["relations"] = relations
        docs.add(doc)
        stats.articles += 1
        stats.spans += len(spans)
        stats.relations += len(relations)
    out.write(docs.to_bytes())
    stats.overlap_kept_in = f'doc.spans["{SPANS_KEY}"]'
    return stats

