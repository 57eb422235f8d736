"""W3C Web Annotation: selectors in code points, the quote re-anchors, sources matched by id or URL."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from support import import_set as import_annotation_set
from annotator.errors import ImportFailed
from annotator.formats import detect_format, w3c

from .conftest import (
    FIXTURES, NEWS_URL, PROPERTY, corpora, emoji_project, news_article, project, quotes, relations_of, spans_of, write_to,
)

ALL = ("id", "annotator", "attributes", "note", "created", "updated")


def _items(collection: dict) -> list[dict]:
    return collection["first"]["items"]


@PROPERTY
@given(corpora())
def test_round_trip_keeps_ids_creators_notes_attributes_and_links(specs):
    with project(specs) as store, project() as other:
        path = store.path.with_name("a.jsonld")
        write_to(store, "w3c", path)
        collection = json.loads(path.read_text("utf-8"))
        assert collection["type"] == "AnnotationCollection" and collection["@context"][0] == w3c.ANNO_CONTEXT
        assert collection["total"] == len(_items(collection))
        sources = {s["id"]: s["na:text"] for s in collection["na:sources"]}
        for item in _items(collection):
            assert item["type"] == "Annotation"
            if item["motivation"] == "tagging":
                position, quote = item["target"]["selector"]
                text = sources[item["target"]["source"]]
                assert text[position["start"] : position["end"]] == quote["exact"]
                assert text[: position["start"]].endswith(quote["prefix"])
        import_annotation_set(other, path)
        assert spans_of(other, *ALL) == spans_of(store, *ALL)
        assert relations_of(other) == relations_of(store)
        again = import_annotation_set(other, path)
        assert again.spans.added == again.relations.added == 0 and again.spans.updated == 0


def test_emoji_before_a_span(store, other, tmp_path):
    emoji_project(store)
    path = tmp_path / "a.jsonld"
    write_to(store, "w3c", path)
    [item] = _items(json.loads(path.read_text("utf-8")))
    position = item["target"]["selector"][0]
    text = store.get_article(store.list_articles()[0].id).text
    assert (position["start"], position["end"]) == (text.index("prices"), text.index("prices") + 14)
    import_annotation_set(other, path)
    assert quotes(other) == [("prices rose 5%", "CLAIM", "maria")]


def test_fixture_matched_by_url_with_quote_only_and_utf16_targets(store):
    news_article(store)
    path = FIXTURES / "w3c_annotations.jsonld"
    assert detect_format(path) == "w3c"
    report = import_annotation_set(store, path)
    assert quotes(store) == sorted([
        ("AFP", "SOURCE", "maria"),  # a TextQuoteSelector only: found by its quote
        ("prices rose 5% in May", "CLAIM", "maria"),
        ("👨\u200d🚒 firefighters at work (Reuters)", "CAPTION", "maria"),  # positions in UTF-16, told by the quote
    ])
    assert len(report.converted) == 1 and report.not_imported == 0
    assert [r[1:] for r in relations_of(store)] == [((26, 47, "CLAIM"), (49, 52, "SOURCE"), "attributed_to")]
    assert store.counts()["articles"] == 1  # matched by the URL, nothing added


def test_a_source_that_is_nowhere_is_reported(other):
    report = import_annotation_set(other, FIXTURES / "w3c_annotations.jsonld")
    assert other.counts()["annotations"] == 0
    assert report.skipped and NEWS_URL in report.skipped[0].what


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"type": "Annotation", "body": [], "target": {"source": "urn:x", "selector": {"type": "TextQuoteSelector", "exact": "a"}}},
         "no body with purpose 'tagging'"),
        ({"type": "Annotation", "body": {"purpose": "tagging", "value": "CLAIM"}, "target": {"source": "urn:x"}},
         "no TextPositionSelector or TextQuoteSelector"),
        ({"type": "Thing"}, "expected an Annotation, AnnotationPage or AnnotationCollection"),
    ],
)
def test_malformed_annotations_name_the_line(store, tmp_path, value, message):
    path = tmp_path / "bad.jsonld"
    good = {"type": "Annotation", "body": {"purpose": "tagging", "value": "CLAIM"},
            "target": {"source": "urn:x", "selector": {"type": "TextQuoteSelector", "exact": "a"}}}
    path.write_text("[\n" + json.dumps(good) + ",\n" + json.dumps(value) + "\n]\n", "utf-8")
    with pytest.raises(ImportFailed, match=f"bad.jsonld:3: .*{message}"):
        import_annotation_set(store, path, format_name="w3c")
