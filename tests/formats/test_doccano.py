"""doccano JSONL: UTF-16 offsets (doccano's editor counts JavaScript string units), both variants."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given

from support import import_set as import_annotation_set
from annotator.errors import ImportFailed
from annotator.formats import detect_format, doccano

from .conftest import FIXTURES, PROPERTY, corpora, emoji_project, news_article, project, quotes, relations_of, spans_of, write_to


@PROPERTY
@given(corpora())
def test_round_trip_of_both_variants(specs):
    for variant in doccano.VARIANTS:
        with project(specs) as store, project() as other:
            path = store.path.with_name(f"{variant}.jsonl")
            stats = write_to(store, "doccano", path, variant=variant)
            report = import_annotation_set(other, path, annotator="maria")
            assert report.not_imported == 0
            if variant == "relations":  # entity ids keep even identical spans apart
                assert spans_of(other) == spans_of(store)
                assert relations_of(other) == relations_of(store)
            else:  # without ids (nor annotators), identical spans are one
                assert spans_of(other) == sorted(set(spans_of(store)), key=repr)
                assert stats.relations_dropped == len(relations_of(store))
            again = import_annotation_set(other, path, annotator="maria")
            assert again.spans.added == 0


def test_emoji_before_a_span_is_written_in_utf16(store, other, tmp_path):
    emoji_project(store)
    out = io.StringIO()
    doccano.write(store, out)
    record = json.loads(out.getvalue())
    [entity] = record["entities"]
    text = record["text"]
    start = text.index("prices")
    units_before = len(text[:start].encode("utf-16-le")) // 2
    assert (entity["start_offset"], entity["end_offset"]) == (units_before, units_before + 14)
    assert entity["start_offset"] == start + 6  # 🎉, 👍 + skin tone, two regional indicators, 😀: 6 outside the BMP
    path = tmp_path / "d.jsonl"
    path.write_text(out.getvalue(), "utf-8")
    import_annotation_set(other, path, annotator="maria")
    assert quotes(other) == [("prices rose 5%", "CLAIM", "maria")]
    out = io.StringIO()
    doccano.write(store, out, offset_units="codepoint")
    assert json.loads(out.getvalue())["entities"][0]["start_offset"] == start


def test_fixture_of_a_doccano_relation_export(store):
    news_article(store)
    path = FIXTURES / "doccano_relations.jsonl"
    assert detect_format(path) == "doccano"
    report = import_annotation_set(store, path, annotator="maria")
    assert report.not_imported == 0 and report.articles_added and report.articles_found == 1
    assert ("firetrucks", "SOURCE", "maria") in quotes(store)  # doccano issue #2290: 22-32 in UTF-16
    assert ("Officials in 🇺🇦 Kyiv", "SOURCE", "maria") in quotes(store)
    assert ("Officials", "SOURCE", "maria") in quotes(store)  # overlapping spans are kept
    assert [r[1:] for r in relations_of(store)] == [((26, 47, "CLAIM"), (49, 52, "SOURCE"), "attributed_to")]


def test_fixture_of_a_sequence_labelling_export(store):
    path = FIXTURES / "doccano_labels.jsonl"
    assert detect_format(path) == "doccano"
    report = import_annotation_set(store, path)
    assert report.not_imported == 0
    assert sorted(q for q, _, _ in quotes(store)) == ["AFP", "Officials in 🇺🇦 Kyiv", "firetrucks", "prices rose 5% in May"]
    assert {a for _, _, a in quotes(store)} == {"doccano_labels"}  # the file name: doccano exports one file per user


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"text": "Alice", "label": ["positive"]}, "holds text-classification labels"),
        ({"text": "🎉 Alice", "label": [[1, 3, "SOURCE"]]}, "fall inside a character"),
        ({"text": "Alice", "label": [[0, 9, "SOURCE"]]}, "offsets 0-9 in label\\[1\\] are not a span of the text"),
        ({"text": "Alice", "entities": [{"id": 1, "label": "SOURCE", "start_offset": 0}]}, "missing 'end_offset' in entity 1"),
    ],
)
def test_malformed_records_name_the_line(store, tmp_path, record, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "fine", "label": []}) + "\n" + json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    with pytest.raises(ImportFailed, match=f"bad.jsonl:2: .*{message}"):
        import_annotation_set(store, path, format_name="doccano")
    assert store.counts()["articles"] == 0
