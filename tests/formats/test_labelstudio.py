"""Label Studio tasks and labeling config: round trip, the consumer's validation, old UTF-16 exports.

Label Studio's own validator (`label_studio_sdk.label_interface.LabelInterface`) is used when
label-studio-sdk is installed; it drags in some 500 MB (OpenCV, NLTK, pandas, …), so the test extra
does not install it and CI validates instead against Label Studio's documented task format with
jsonschema (below), plus the checks Label Studio's validator makes that a schema cannot say
(relation ends are regions of the same annotation, labels are the config's). Both were run on the
same exports while this was written: LabelInterface found no error in them, and reported the
broken cases that the jsonschema check also rejects.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given

from support import import_set as import_annotation_set
from annotator.formats import detect_format, labelstudio

from .conftest import (
    FIXTURES, PROPERTY, corpora, emoji_project, news_article, project, quotes, relations_of, spans_of, write_to,
)

jsonschema = pytest.importorskip("jsonschema")


def task_schema(config: str) -> dict:
    """JSON schema of an import task for a config with <Labels>, <Relations> and <Text> (Label Studio
    docs: "Import pre-annotated data" / "Label Studio JSON format of annotated tasks")."""
    root = ET.fromstring(config)
    labels_tag = root.find("Labels")
    text_tag = root.find("Text")
    assert root.tag == "View" and labels_tag is not None and text_tag is not None
    assert labels_tag.get("toName") == text_tag.get("name") and text_tag.get("value") == "$text"
    labels = [label.get("value") for label in labels_tag.findall("Label")]
    relations = [r.get("value") for r in root.findall("Relations/Relation")]
    region = {
        "type": "object",
        "required": ["id", "from_name", "to_name", "type", "value"],
        "properties": {
            "id": {"type": "string", "minLength": 1},
            "from_name": {"const": labels_tag.get("name")},
            "to_name": {"const": text_tag.get("name")},
            "type": {"const": "labels"},
            "origin": {"enum": ["manual", "prediction", "prediction-changed"]},
            "meta": {"type": "object", "properties": {"text": {"type": "array", "items": {"type": "string"}}}},
            "value": {
                "type": "object",
                "required": ["start", "end", "labels"],
                "properties": {
                    "start": {"type": "integer", "minimum": 0},
                    "end": {"type": "integer", "minimum": 0},
                    "text": {"type": "string"},
                    "labels": {"type": "array", "minItems": 1, "items": {"enum": labels}},
                },
            },
        },
    }
    relation = {
        "type": "object",
        "required": ["type", "from_id", "to_id", "direction"],
        "properties": {
            "type": {"const": "relation"},
            "from_id": {"type": "string"},
            "to_id": {"type": "string"},
            "direction": {"enum": ["left", "right", "bi"]},
            "labels": {"type": "array", "items": {"enum": relations}},
        },
    }
    return {
        "type": "object",
        "required": ["data"],
        "properties": {
            "data": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
            "annotations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["result"],
                    "properties": {"result": {"type": "array", "items": {"oneOf": [region, relation]}}},
                },
            },
        },
    }


def validate(tasks: list, config: str) -> None:
    schema = task_schema(config)
    jsonschema.Draft202012Validator.check_schema(schema)
    for task in tasks:
        jsonschema.validate(task, schema)
        text = task["data"]["text"]
        for annotation in task.get("annotations", []):
            regions = {r["id"]: r for r in annotation["result"] if r["type"] != "relation"}
            for r in regions.values():
                value = r["value"]
                assert 0 <= value["start"] < value["end"] <= len(text)
                assert text[value["start"] : value["end"]] == value["text"]  # code points, as Label Studio counts
            for r in annotation["result"]:
                if r["type"] == "relation":
                    assert r["from_id"] in regions and r["to_id"] in regions


@PROPERTY
@given(corpora())
def test_round_trip_and_the_tasks_validate_against_the_written_config(specs):
    with project(specs) as store, project() as other:
        path = store.path.with_name("tasks.json")
        stats = write_to(store, "labelstudio", path)
        config = labelstudio.config_path(path).read_text("utf-8")
        assert stats.files == [str(labelstudio.config_path(path))]
        tasks = json.loads(path.read_text("utf-8"))
        validate(tasks, config)
        fields = ("id", "annotator", "attributes", "note", "created", "updated")
        import_annotation_set(other, path)
        assert spans_of(other, *fields) == spans_of(store, *fields)
        assert relations_of(other) == relations_of(store)
        again = import_annotation_set(other, path)
        assert again.spans.added == again.relations.added == 0


def test_label_studio_sdk_accepts_the_export(store, tmp_path):
    sdk = pytest.importorskip("label_studio_sdk.label_interface", reason="label-studio-sdk is heavy; see the module docstring")
    emoji_project(store)
    news_article(store)
    import_annotation_set(store, FIXTURES / "labelstudio_export.json")
    path = tmp_path / "tasks.json"
    write_to(store, "labelstudio", path)
    interface = sdk.LabelInterface(labelstudio.config_path(path).read_text("utf-8"))
    interface.validate()
    for task in json.loads(path.read_text("utf-8")):
        for annotation in task["annotations"]:
            assert interface._validate_object(annotation, return_errors=True) == []


def test_broken_tasks_fail_the_validation():
    with project() as store:
        xml = labelstudio.label_config(store)
    good = {"data": {"text": "Alice"}, "annotations": [{"result": [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["SOURCE"]}}]}]}
    validate([good], xml)
    for broken in (
        {"labels": ["PERSON"]},
        {"start": "0"},
    ):
        task = json.loads(json.dumps(good))
        task["annotations"][0]["result"][0]["value"].update(broken)
        with pytest.raises(jsonschema.ValidationError):
            validate([task], xml)
    task = json.loads(json.dumps(good))
    task["annotations"][0]["result"].append({"type": "relation", "from_id": "a", "to_id": "nope", "direction": "right", "labels": ["attributed_to"]})
    with pytest.raises(AssertionError):
        validate([task], xml)


def test_emoji_before_a_span_counts_code_points(store, other, tmp_path):
    emoji_project(store)
    path = tmp_path / "t.json"
    write_to(store, "labelstudio", path)
    [task] = json.loads(path.read_text("utf-8"))
    value = task["annotations"][0]["result"][0]["value"]
    assert task["data"]["text"][value["start"] : value["end"]] == "prices rose 5%"
    import_annotation_set(other, path)
    assert quotes(other) == [("prices rose 5%", "CLAIM", "maria")]


def test_fixture_of_a_label_studio_export(store):
    news_article(store)
    path = FIXTURES / "labelstudio_export.json"
    assert detect_format(path) == "labelstudio"
    report = import_annotation_set(store, path)
    assert report.not_imported == 0 and not report.converted
    assert quotes(store) == sorted([
        ("AFP", "SOURCE", "maria@example.org"),
        ("Officials", "SOURCE", "maria@example.org"),
        ("Officials in 🇺🇦 Kyiv", "SOURCE", "maria@example.org"),
        ("prices rose 5% in May", "CLAIM", "maria@example.org"),
        ("👨\u200d🚒 firefighters at work (Reuters)", "CAPTION", "maria@example.org"),
    ])
    [claim] = [a for a in store.annotations_for(store.list_articles()[0].id) if a.label == "CLAIM"]
    assert claim.note == "check with the statistics office"
    assert [r[1:] for r in relations_of(store)] == [((26, 47, "CLAIM"), (49, 52, "SOURCE"), "attributed_to")]
    assert any("cancelled" in note for note in report.notes)
    again = import_annotation_set(store, path)
    assert again.spans.added == 0 and again.spans.unchanged == 5


def test_a_real_completion_of_label_studio_before_1_0_goes_in_and_out_the_same(store, tmp_path):
    """label-studio-converter's own fixture (tests/formats/fixtures/README.md): 38 regions under
    "completions", out of text order, some starting with a space or ending with a comma."""
    path = FIXTURES / "labelstudio_converter_completion_348.json"
    source = json.loads(path.read_text("utf-8"))
    regions = source["completions"][0]["result"]
    assert detect_format(path) == "labelstudio"
    report = import_annotation_set(store, path, label_map={"INGREDIENT": "SOURCE"})
    assert report.not_imported == 0 and report.spans.added == 38 and not report.reanchored
    assert sorted(q for q, _, _ in quotes(store)) == sorted(r["value"]["text"] for r in regions)
    assert import_annotation_set(store, path, label_map={"INGREDIENT": "SOURCE"}).spans.unchanged == 38
    out = tmp_path / "out.json"
    write_to(store, "labelstudio", out)
    (task,) = json.loads(out.read_text("utf-8"))
    (annotation,) = task["annotations"]
    assert task["id"] == 348 and annotation["id"] == 348001 and annotation["lead_time"] == 72.138
    written = {r["id"]: (r["value"]["start"], r["value"]["end"], r["value"]["text"], r["source"]) for r in annotation["result"]}
    assert written == {r["id"]: (r["value"]["start"], r["value"]["end"], r["value"]["text"], r["source"]) for r in regions}


def test_an_old_export_counting_utf16_is_detected_by_the_quotes(store):
    news_article(store)
    report = import_annotation_set(store, FIXTURES / "labelstudio_export_utf16.json")
    assert report.not_imported == 0
    assert len(report.converted) == 4  # the regions after the flag (two UTF-16 units) and the caption
    assert ("prices rose 5% in May", "CLAIM", "maria@example.org") in quotes(store)


def test_malformed_task_names_the_line(store, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[\n {"data": {"text": "Alice"}, "annotations": []},\n {"annotations": []}\n]\n', "utf-8")
    with pytest.raises(Exception, match=r"bad.json:3: missing 'data'"):
        import_annotation_set(store, path, format_name="labelstudio")
    path.write_text('[\n {"data": {"text": "Alice"}, "annotations": []}\n {"data": {}}\n]\n', "utf-8")
    with pytest.raises(Exception, match=r"bad.json:3: expected , or \] between array elements"):
        import_annotation_set(store, path, format_name="labelstudio")
    assert store.counts()["articles"] == 0
