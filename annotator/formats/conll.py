"""CoNLL-2003 NER columns with IOB2 tags: one token per line, a blank line after each sentence.

    -DOCSTART- -X- -X- O

    Alice _ _ B-SOURCE
    says _ _ O
    ...

Each article starts with the `-DOCSTART- -X- -X- O` line of CoNLL-2003, followed by a blank line;
each token line has four columns like CoNLL-2003 (token, part of speech, chunk, NER tag), the two
middle ones `_` as we have no such tags. Tags are IOB2 (`B-` starts every span).

Units: tokens, no character offsets — token boundaries come from the shared tokenizer
(`common.tokenize`), spans are widened to them (counted as `snapped`).

Sentences: a new sentence (blank line) starts at a block boundary, and after `.`, `!` or `?`
(optionally followed by a closing quote or bracket) when whitespace and a capital letter follow.
A sentence never ends inside a span.

Overlaps: one tag per token, so of overlapping spans the longer (in tokens) is kept, then the
earlier, then the one created first; the others are counted as `overlapping` and reported.

Lost: the text between tokens (spaces, line breaks), relations (counted as `relations_dropped`),
ids, annotators, attributes, notes. On read, tags may be IOB2, IOB1 or BIOES/BILOU; a line that is
not `token ... tag` is refused with its number. CoNLL carries no text, so the reader rebuilds it from
the tokens (NFC, a space between tokens, a line break between sentences) and puts the spans on it;
the importer then looks for the project's article with the same characters between the whitespace
and aligns the given tokens to its text by characters — whatever tokenised the file (spaCy's
`was n’t`, our tokenizer's `wasn ’ t`, a treebank's) — and adds the rebuilt text as a new article
only when no article has those characters.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import IO, Iterator, TextIO

from ..store import ExportFilter, Store
from .common import ExportStats, TokenIndex, bio_tags, drop_overlaps, ProgressCallback, place_on_tokens, select_articles, sentences
from .reading import DocumentRecord, FormatError, SpanRecord, numbered_lines, open_text

NAME = "conll"
SINGLE_LAYER = True  # no annotator per span: one annotator's, or their union (formats/__init__.py)
SUFFIX = ".conll"
DESCRIPTION = "CoNLL-2003 columns, IOB2 tags, one token per line"
DOCSTART = "-DOCSTART- -X- -X- O"


def write(store: Store, out: TextIO, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None) -> ExportStats:
    stats = ExportStats(holds_relations=False)
    for item in select_articles(store, selection, progress):
        stats.merged += item.merged
        text = item.article.text
        index = TokenIndex(text)
        kept = drop_overlaps(place_on_tokens(index, item.annotations, stats), stats)
        tags = bio_tags(len(index), kept)
        out.write(DOCSTART + "\n\n")
        for first, end in sentences(index, kept):
            out.write(
                "".join(f"{text[s:e]} _ _ {tags[i]}\n" for i, (s, e) in enumerate(index.tokens[first:end], first))
            )
            out.write("\n")
        stats.articles += 1
        stats.spans += len(kept)
        if item.relations:
            stats.relations_dropped += len(item.relations)
    return stats


def count(source: str | Path, **_options: object) -> int:
    """How many documents `read` yields from the file, without parsing it: one per -DOCSTART- line,
    and one for any lines before the first."""
    documents = 0
    started = False
    try:
        with Path(source).open("rb") as handle:
            for raw in handle:
                if not started:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")  # the reader decodes with utf-8-sig
                if raw.strip().startswith(b"-DOCSTART-"):
                    documents += 1
                    started = True
                elif not started:
                    documents += 1
                    started = True
    except OSError:
        return 0
    return documents


def read(source: str | Path | IO[str], **_options: object) -> Iterator[DocumentRecord]:
    stream, name, owned = open_text(source)
    try:
        document: _Document | None = None
        for number, raw in numbered_lines(stream, name):
            line = raw.strip()
            if line.startswith("-DOCSTART-"):
                if document is not None:
                    yield document.finish()
                document = _Document(number, name)
                continue
            if document is None:
                document = _Document(number, name)
            if not line:
                document.end_sentence()
                continue
            parts = line.split()
            if len(parts) < 2:
                raise FormatError(name, number, f"expected a token and its tag separated by a space, found {line!r}")
            document.add(parts[0], parts[-1], number)
        if document is not None:
            yield document.finish()
    finally:
        if owned:
            stream.close()


class _Document:
    def __init__(self, line: int, name: str) -> None:
        self.line = line
        self.name = name
        self.tokens: list[str] = []
        self.sentence_starts: set[int] = set()
        self.spans: list[SpanRecord] = []
        self.open: SpanRecord | None = None

    def end_sentence(self) -> None:
        self.open = None
        self.sentence_starts.add(len(self.tokens))

    def add(self, token: str, tag: str, line: int) -> None:
        position = len(self.tokens)
        self.tokens.append(token)
        if tag == "O":
            self.open = None
            return
        prefix, sep, label = tag.partition("-")
        if not sep or not label or prefix not in ("B", "I", "E", "S", "L", "U"):
            raise FormatError(self.name, line, f"tag {tag!r} is not O or B-/I-/E-/S-/L-/U- followed by a label")
        continues = self.open is not None and self.open.label == label and prefix in ("I", "E", "L")
        if continues:
            assert self.open is not None
            self.open.end = position + 1
        else:
            self.open = SpanRecord(position, position + 1, label, line=line)
            self.spans.append(self.open)
        if prefix in ("E", "S", "L", "U"):
            self.open = None

    def finish(self) -> DocumentRecord:
        if not self.tokens:
            return DocumentRecord(text=None, line=self.line, skip=True,
                                  notes=[f"{self.name}:{self.line}: a document without tokens, skipped"])
        pieces, offsets, position = [], [], 0
        for i, token in enumerate(self.tokens):
            token = unicodedata.normalize("NFC", token)
            if i:
                pieces.append("\n" if i in self.sentence_starts else " ")
                position += 1
            offsets.append((position, position + len(token)))
            pieces.append(token)
            position += len(token)
        for span in self.spans:  # token indices (first, end exclusive) -> code points of the rebuilt text
            span.start, span.end = offsets[span.start][0], offsets[span.end - 1][1]
        return DocumentRecord(text="".join(pieces), spans=self.spans, tokens=self.tokens, line=self.line,
                              text_from_tokens=True)
