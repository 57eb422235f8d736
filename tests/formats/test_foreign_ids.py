"""A tool's own ids and metadata survive: a file imported and exported to its own format matches the
original structurally (the same ids, offsets, labels and relations, the task's metadata).

Before, Label Studio region ids became new UUIDs and `from_name` became "label", W3C ids and source
IRIs were replaced, Prodigy's `meta` and hashes were lost, doccano's `meta` was dropped and records
with the same text were merged, and the Label Studio export had no task `id` or `completed_by`, so
Label Studio's own converter crashed on it.

The Label Studio task is a minimal reproducer in the shape of Label Studio's documentation ("Label
Studio JSON format of annotated tasks": task and annotation ids, `completed_by` as a user id,
`predictions`; a region of two labels; a relation with `direction` "left"); the doccano records
follow doccano's export (`id`, `meta`, entity and relation ids); the W3C and Prodigy files are the
fixtures of this folder (see fixtures/README.md).
"""

from __future__ import annotations

import json

import pytest

from annotator import operations as ops
from annotator.formats import export_to_path
from annotator.model import build_article
from annotator.store import ExportFilter

import support
from support import TESTER, import_set

from .conftest import FIXTURES, NEWS_TEXT, news_article

TEXT = "Alice said prices rose, by AFP."


def at(needle: str) -> dict:
    start = TEXT.index(needle)
    return {"start": start, "end": start + len(needle), "text": needle}


def region(ident: str, needle: str, *labels: str, from_name: str = "ner") -> dict:
    return {"id": ident, "from_name": from_name, "to_name": "text", "type": "labels", "origin": "manual",
            "value": {**at(needle), "labels": list(labels)}}


LABEL_STUDIO_TASK = {
    "id": 7,
    "data": {"text": TEXT, "source": "wire"},
    "meta": {"batch": 3},
    "annotations": [{
        "id": 1001,
        "completed_by": 10,
        "created_at": "2021-03-09T22:16:08.728353Z",
        "lead_time": 4.288,
        "result": [
            region("Dx_aB91ISN", "prices rose", "CLAIM"),
            region("t5sp3TyXPo", "Alice", "SOURCE"),
            region("Hk3fE0aQ1b", "AFP", "SOURCE", "CAPTION"),  # one region of two labels
            {"type": "relation", "from_id": "t5sp3TyXPo", "to_id": "Dx_aB91ISN", "direction": "left",
             "labels": ["attributed_to"]},
        ],
    }],
    "predictions": [{"model_version": "model 1", "score": 0.5, "result": [region("p1", "AFP", "SOURCE")]}],
}


def structure(tasks: list[dict]) -> list[tuple]:
    """What must survive: ids, who, offsets, labels, relations, the task's metadata and predictions."""
    found = []
    for task in tasks:
        data = {k: v for k, v in task["data"].items() if k != "text"}
        annotations = []
        for annotation in task["annotations"]:
            regions = sorted((r["id"], r["from_name"], r["to_name"], r["value"]["start"], r["value"]["end"],
                              tuple(sorted(r["value"]["labels"]))) for r in annotation["result"] if r["type"] == "labels")
            relations = sorted((r["from_id"], r["to_id"], r["direction"], tuple(r["labels"]))
                               for r in annotation["result"] if r["type"] == "relation")
            annotations.append((annotation["id"], json.dumps(annotation["completed_by"], sort_keys=True), regions,
                                relations))
        found.append((task["id"], data, task.get("meta"), json.dumps(task.get("predictions"), sort_keys=True),
                       annotations))
    return found


def export_json(store, name: str, path, selection: ExportFilter | None = None):
    export_to_path(store, name, path, selection)
    if name in ("prodigy", "doccano"):
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return json.loads(path.read_text("utf-8"))


def test_label_studio_ids_from_name_completed_by_and_predictions_survive(store, other, tmp_path):
    original = tmp_path / "tasks.json"
    original.write_text(json.dumps([LABEL_STUDIO_TASK]), "utf-8")
    report = import_set(store, original)
    assert (report.spans.added, report.relations.added) == (4, 1)  # the region of two labels: two spans
    exported = export_json(store, "labelstudio", tmp_path / "out.json")
    assert structure(exported) == structure([LABEL_STUDIO_TASK])
    assert exported[0]["annotations"][0]["lead_time"] == 4.288
    import_set(other, tmp_path / "out.json")  # and the export, imported elsewhere, exports the same again
    assert structure(export_json(other, "labelstudio", tmp_path / "again.json")) == structure([LABEL_STUDIO_TASK])


def test_label_studio_fixture_round_trip_keeps_the_cancelled_annotation(store, tmp_path):
    news_article(store)
    original = json.loads((FIXTURES / "labelstudio_export.json").read_text("utf-8"))
    import_set(store, FIXTURES / "labelstudio_export.json")
    exported = export_json(store, "labelstudio", tmp_path / "out.json")
    assert structure(exported) == structure(original)
    assert exported[0]["annotations"][1] == original[0]["annotations"][1]  # was_cancelled: as it was


def test_our_label_studio_export_has_task_ids_and_completed_by_after_the_kept_ones(store, tmp_path):
    news_article(store)
    import_set(store, FIXTURES / "labelstudio_export.json")  # task 17, annotations 41 and 42
    ours = build_article([("paragraph", TEXT)])
    support.add_article(store, ours)
    support.tag(store, ours.id, 0, 5, "SOURCE", annotator="maria")
    support.tag(store, ours.id, 0, 5, "SOURCE", annotator="bob@example.org")
    tasks = export_json(store, "labelstudio", tmp_path / "out.json")
    new = next(t for t in tasks if t["data"].get("article_id") == ours.id)
    assert new["id"] == 18
    assert [(a["id"], a["completed_by"]) for a in new["annotations"]] == [
        (43, {"username": "maria"}), (44, {"email": "bob@example.org"})]


def test_label_studios_converter_accepts_the_export(store, tmp_path):
    converter = pytest.importorskip("label_studio_converter", reason="label-studio-converter is not installed "
                                    "(pip install label-studio-converter: it brings nltk and Pillow)")
    from annotator.formats import labelstudio

    news_article(store)
    import_set(store, FIXTURES / "labelstudio_export.json")
    ours = build_article([("paragraph", TEXT)])
    support.add_article(store, ours)
    support.tag(store, ours.id, 0, 5, "SOURCE", annotator="maria")
    path = tmp_path / "out.json"
    export_to_path(store, "labelstudio", path)
    convert = converter.Converter(config=labelstudio.config_path(path).read_text("utf-8"), project_dir=str(tmp_path))
    convert.convert(str(path), str(tmp_path / "min"), "JSON_MIN", is_dir=False)
    records = json.loads((tmp_path / "min" / "result.json").read_text("utf-8"))
    assert sorted((r["id"], r["annotator"]) for r in records) == [(17, "maria@example.org"), (18, None)]
    convert.convert(str(path), str(tmp_path / "conll"), "CONLL2003", is_dir=False)
    assert "Alice -X- _ B-SOURCE" in (tmp_path / "conll" / "result.conll").read_text("utf-8")


def test_w3c_ids_creators_and_source_iris_survive(store, tmp_path):
    news_article(store)
    original = json.loads((FIXTURES / "w3c_annotations.jsonld").read_text("utf-8"))
    import_set(store, FIXTURES / "w3c_annotations.jsonld")
    items = export_json(store, "w3c", tmp_path / "out.jsonld")["first"]["items"]

    def shape(annotations):
        found = set()
        for a in annotations:
            target = a["target"]
            if a.get("motivation") == "linking":
                tail = next(b["source"] for b in a["body"] if b.get("purpose") == "linking")
                found.add((a["id"], "linking", target, tail, json.dumps(a["creator"], sort_keys=True)))
                continue
            bodies = a["body"] if isinstance(a["body"], list) else [a["body"]]
            label = next(b if isinstance(b, str) else b["value"] for b in bodies
                         if isinstance(b, str) or b.get("purpose") == "tagging")
            selectors = target["selector"] if isinstance(target["selector"], list) else [target["selector"]]
            quote = next((s["exact"] for s in selectors if s["type"] == "TextQuoteSelector"), None)
            if quote is None:  # a position selector only
                position = next(s for s in selectors if s["type"] == "TextPositionSelector")
                quote = NEWS_TEXT[position["start"]:position["end"]]
            found.add((a["id"], label, target["source"], quote, json.dumps(a["creator"], sort_keys=True)))
        return found

    assert shape(items) == shape(original)


def test_prodigy_meta_hashes_and_tokens_survive(store, tmp_path):
    news_article(store)
    original = [json.loads(line) for line in (FIXTURES / "prodigy_rel_manual.jsonl").read_text("utf-8").splitlines()]
    import_set(store, FIXTURES / "prodigy_rel_manual.jsonl")
    exported = export_json(store, "prodigy", tmp_path / "out.jsonl")

    def shape(tasks):
        return sorted(
            (t["_input_hash"], t["_task_hash"], t.get("_annotator_id"), t.get("_view_id"), json.dumps(t.get("meta")),
             [(s["start"], s["end"], s["label"], s["token_start"], s["token_end"]) for s in t["spans"]],
             [(r["head"], r["child"], r["label"]) for r in t.get("relations", [])],
             [(k["start"], k["end"]) for k in t["tokens"]])
            for t in tasks if t.get("answer") == "accept")

    assert shape(exported) == shape(original)


DOCCANO = [
    {"id": 1, "text": TEXT, "meta": {"source": "wire"}, "Comments": [],
     "entities": [{"id": 11, "label": "SOURCE", "start_offset": 0, "end_offset": 5},
                  {"id": 12, "label": "CLAIM", "start_offset": 11, "end_offset": 22}],
     "relations": [{"id": 5, "from_id": 12, "to_id": 11, "type": "attributed_to"}]},
    {"id": 2, "text": TEXT, "meta": {"source": "web"}, "Comments": ["check"],  # the same text, another record
     "entities": [{"id": 13, "label": "SOURCE", "start_offset": 27, "end_offset": 30}], "relations": []},
]


def test_doccano_ids_and_meta_survive_and_records_of_one_text_stay_apart(store, tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in DOCCANO), "utf-8")
    report = import_set(store, path, annotator="maria")
    assert len(store.list_articles()) == 1 and report.spans.added == 3
    exported = export_json(store, "doccano", tmp_path / "out.jsonl")
    keys = ("id", "text", "meta", "Comments", "entities", "relations")
    assert [{k: r[k] for k in keys} for r in exported] == DOCCANO


def test_foreign_ids_travel_to_a_colleague_in_the_native_format_and_by_merge(store, other, tmp_path):
    original = tmp_path / "tasks.json"
    original.write_text(json.dumps([LABEL_STUDIO_TASK]), "utf-8")
    import_set(store, original)
    export_to_path(store, "jsonl", tmp_path / "set.jsonl")
    import_set(other, tmp_path / "set.jsonl")
    assert structure(export_json(other, "labelstudio", tmp_path / "a.json")) == structure([LABEL_STUDIO_TASK])
    from annotator.store import Store

    with Store.open(tmp_path / "third.annotator") as third:
        support.merge(third, store.path)
        assert structure(export_json(third, "labelstudio", tmp_path / "b.json")) == structure([LABEL_STUDIO_TASK])


def test_importing_again_keeps_one_entry_and_undo_takes_it_back(store, tmp_path):
    article_id = news_article(store)
    import_set(store, FIXTURES / "labelstudio_export.json")
    entries = len(store.history(limit=100))
    import_set(store, FIXTURES / "labelstudio_export.json")
    assert len(store.history(limit=100)) == entries  # the second import changed nothing
    documents = store.get_article(article_id).foreign["labelstudio"]["documents"]
    assert [d["key"] for d in documents] == ["17"]
    assert ops.undo(store, annotator=TESTER).value.kind == "import_annotations"
    assert store.get_article(article_id).foreign == {} and store.annotations_for(article_id) == []
