"""spaCy DocBin: spaCy loads it, doc.text is the article, every span aligns; overlaps stay in spans."""

from __future__ import annotations

import pytest
from hypothesis import given

from annotator.model import build_article

from .conftest import PROPERTY, corpora, emoji_project, project, write_to

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402
import support


def _load(path):
    nlp = spacy.blank("en")
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


@PROPERTY
@given(corpora())
def test_spacy_loads_every_article_and_every_span_aligns(specs):
    with project(specs) as store:
        path = store.path.with_name("c.spacy")
        stats = write_to(store, "docbin", path, merge_identical=True)  # maria's and bob's spans: one layer
        docs = _load(path)
        assert len(docs) == len(specs)
        written = 0
        for doc in docs:
            article = store.get_article(doc.user_data["article_id"])
            assert doc.text == article.text
            annotations = {a.id: a for a in store.annotations_for(article.id)}
            spans = list(doc.spans["sc"])
            assert len(spans) == len(doc.user_data["span_ids"])
            for span, span_id in zip(spans, doc.user_data["span_ids"]):
                a = annotations[span_id]
                assert doc.char_span(span.start_char, span.end_char) is not None
                quote = a.quote.strip()  # spaces at the ends belong to no token: they are left out
                start = a.start + a.quote.index(quote[0]) if quote else a.start
                assert span.start_char <= start and span.end_char >= start + len(quote) and span.label_ == a.label
                if (span.start_char, span.end_char) == (a.start, a.end):
                    assert doc.char_span(a.start, a.end) is not None
            written += len(spans)
            ents = list(doc.ents)
            assert all(x.end <= y.start for x, y in zip(ents, ents[1:]))
        total = sum(len(s.spans) for s in specs)
        assert written + stats.misaligned + stats.merged == total and stats.spans == written
        assert stats.overlapping == sum(len(doc.spans["sc"]) - len(doc.ents) for doc in docs)


def test_emoji_before_a_span_and_overlaps(store, tmp_path):
    emoji_project(store)
    article = build_article([("paragraph", "Alice Smith of AFP  said\tso.")])
    support.add_article(store, article)
    support.tag(store, article.id, 0, 11, "SOURCE", annotator="maria")
    support.tag(store, article.id, 0, 5, "SOURCE", annotator="maria")
    path = tmp_path / "c.spacy"
    stats = write_to(store, "docbin", path)
    docs = {doc.user_data["article_id"]: doc for doc in _load(path)}
    assert len(docs) == 2
    for doc in docs.values():
        for span in doc.spans["sc"]:
            assert doc.char_span(span.start_char, span.end_char).text == span.text
    emoji_doc = next(d for d in docs.values() if "🎉" in d.text)
    [claim] = emoji_doc.ents
    assert claim.text == "prices rose 5%" and emoji_doc.text.index("prices") == claim.start_char
    other = docs[article.id]
    assert other.text == article.text  # two spaces and a tab survive as whitespace tokens
    assert [e.text for e in other.ents] == ["Alice Smith"] and len(other.spans["sc"]) == 2
    assert stats.overlapping == 1 and "doc.spans" in stats.problems()[0]
