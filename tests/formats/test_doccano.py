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
import support


@PROPERTY
@given(corpora())
def test_round_trip_of_both_variants(specs):
    for variant in doccano.VARIANTS:
        with project(specs) as store, project() as other:
            path = store.path.with_name(f"{variant}.jsonl")
            stats = write_to(store, "doccano", path, variant=variant, merge_identical=True)  # one layer
            report = import_annotation_set(other, path, annotator="maria")
            assert report.not_imported == 0 and not report.duplicates
            assert spans_of(other) == sorted(set(spans_of(store)), key=repr)  # identical spans of two annotators: one
            if variant == "relations":
                assert relations_of(other) == sorted(set(relations_of(store)))
            else:
                assert stats.relations_dropped == len(set(relations_of(store)))
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


# -- the shapes of doccano's documentation and of its older versions ------------------------------------

TUTORIAL_LABELS = "".join(
    f'[[labels]]\nname = "{name}"\ncolor = "#E69F00"\n\n' for name in ("Title", "Genre", "Person", "Other", "Date")
)


def test_a_pretty_printed_export_as_doccanos_tutorial_shows_it(store):
    support.set_schema(store, TUTORIAL_LABELS)
    path = FIXTURES / "doccano_tutorial_pretty.json"  # one object over four lines (doccano docs/tutorial.md)
    assert detect_format(path) == "doccano"
    report = import_annotation_set(store, path)
    assert report.not_imported == 0 and report.documents == 1
    found = quotes(store)
    assert len(found) == 18
    assert ("The Hitchhiker's Guide to the Galaxy", "Title", "doccano_tutorial_pretty") in found
    assert ("Douglas Adams", "Person", "doccano_tutorial_pretty") in found


def test_pretty_printed_records_one_after_another_and_in_an_array(store, tmp_path):
    news_article(store)
    records = [{"text": "Alice said so.", "labels": [[0, 5, "SOURCE"]]}, {"text": "Bob said so.", "labels": [[0, 3, "SOURCE"]]}]
    for content in (
        "\n".join(json.dumps(r, indent=2) for r in records),
        json.dumps(records, indent=2),
    ):
        path = tmp_path / "pretty.json"
        path.write_text(content, "utf-8")
        import_annotation_set(store, path, format_name="doccano", annotator="maria")
    assert [q for q, _, _ in quotes(store)] == ["Alice", "Bob"]


def test_the_first_export_with_entities_as_triples(store, tmp_path):
    path = tmp_path / "old.jsonl"  # doccano PR #46: "entities": [[0, 20, "PER"], ...]
    path.write_text(json.dumps({"doc_id": 23, "text": "Alice said so.", "entities": [[0, 5, "SOURCE"]], "username": "admin"}) + "\n")
    import_annotation_set(store, path, annotator="maria")
    assert quotes(store) == [("Alice", "SOURCE", "maria")]


PRE1 = FIXTURES / "doccano_pre1"


def test_pre_1_0_export_with_label_ids_reads_the_label_list_beside_it(store):
    path = PRE1 / "export.jsonl"
    assert detect_format(path) == "doccano"
    report = import_annotation_set(store, path, annotator="maria")
    assert report.not_imported == 0 and report.documents == 2
    assert quotes(store) == sorted([
        ("Officials in 🇺🇦 Kyiv", "SOURCE", "maria"), ("prices rose 5% in May", "CLAIM", "maria"), ("AFP", "SOURCE", "maria"),
    ])


def test_pre_1_0_export_without_its_label_list_is_refused_not_imported_empty(store, tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes((PRE1 / "export.jsonl").read_bytes())
    with pytest.raises(ImportFailed, match=r"export\.jsonl:1: 'label' in annotation 1 is the label id 7: this is the export "
                       r"of doccano before 1\.0.*label_config\.json"):
        import_annotation_set(store, path)
    assert store.counts()["articles"] == 0
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps([{"id": 7, "text": "SOURCE"}]), "utf-8")
    with pytest.raises(ImportFailed, match=r"export\.jsonl:1: 'label' in annotation 2 is the label id 8, which labels\.json "
                       r"does not have \(its ids: 7\)"):
        import_annotation_set(store, path, label_list=labels)
    labels.write_text(json.dumps([{"id": 7, "text": "SOURCE"}, {"id": 8, "text": "CLAIM"}]), "utf-8")
    import_annotation_set(store, path, label_list=labels)
    assert len(quotes(store)) == 3


FIRETRUCKS = "👨🏻\u200d🚒 firemen drive firetrucks"  # doccano issue #2290


def test_code_point_offsets_read_as_utf16_are_reported(store, tmp_path):
    start = FIRETRUCKS.index("firetrucks")  # 19 in code points; 22 in UTF-16
    path = tmp_path / "cp.jsonl"
    path.write_text(json.dumps({"text": FIRETRUCKS, "label": [[start, start + 10, "SOURCE"]]}, ensure_ascii=False) + "\n", "utf-8")
    report = import_annotation_set(store, path)
    assert report.notes == [f"{path}:1: 1 span(s) cut words when the offsets are read as UTF-16 code units but not as code "
                            "points: check the offset units (--offset-units codepoint)"]
    support.delete(store, store.annotations_for(store.list_articles()[0].id)[0].id)
    import_annotation_set(store, path, offset_units="codepoint")
    assert [q for q, _, _ in quotes(store)] == ["firetrucks"]


def test_a_file_whose_offsets_fit_only_the_other_unit_is_refused(store, tmp_path):
    names = ("Alice", "Bob", "Carol", "Dan", "Eve", "Fay", "Gus", "Hal", "Ida", "Jo")
    text = "🎉 " + ", ".join(names) + " said so."  # one character outside the BMP, before every span
    spans = [[text.index(w), text.index(w) + len(w), "SOURCE"] for w in names]
    path = tmp_path / "cp.jsonl"
    path.write_text(json.dumps({"text": text, "label": spans}, ensure_ascii=False) + "\n", "utf-8")
    with pytest.raises(ImportFailed, match=r"cp\.jsonl:1: the offsets do not fit UTF-16 code units: 10 spans cut words read "
                       r"so and fit words read as code points.*--offset-units codepoint"):
        import_annotation_set(store, path)
    assert store.counts()["articles"] == 0
    import_annotation_set(store, path, offset_units="codepoint")
    assert sorted(q for q, _, _ in quotes(store)) == sorted(names)


def test_utf16_offsets_read_as_code_points_are_refused_when_out_of_range(store, tmp_path):
    out = io.StringIO()
    article = news_article(store)
    text = store.get_article(article).text
    start = text.index("Reuters")
    support.tag(store, article, start, start + 7, "SOURCE", annotator="maria")  # at the end, after 4 astral characters
    doccano.write(store, out)  # UTF-16: the span ends past the text's length in code points
    path = tmp_path / "u16.jsonl"
    path.write_text(out.getvalue(), "utf-8")
    length = len(text)
    with pytest.raises(ImportFailed, match=rf"u16\.jsonl:1: offsets {start + 4}-{start + 11} in entity 1 are not a span of the "
                       rf"text \({length} code points\); read as UTF-16 code units they are 'Reuters': are the offsets UTF-16"):
        import_annotation_set(store, path, offset_units="codepoint")
