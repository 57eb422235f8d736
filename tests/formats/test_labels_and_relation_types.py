"""A foreign file's labels and relation types: refused when unknown, mapped (--label-map,
--relation-map) or added to the schema (--extend-schema, undone with the import); duplicates counted.

The files are minimal reproducers written here in the shapes of brat's standoff documentation (T, R
and A lines), of Label Studio's export (a task with one annotation's regions, "Label Studio JSON
format of annotated tasks") and of doccano's sequence labelling export (entities with ids).
"""

from __future__ import annotations

import json

import pytest

from annotator import operations as ops
from annotator.errors import ImportFailed
from annotator.model import build_article
from annotator.schema import default_schema_text

import support
from support import TESTER, import_set, table_rows

TEXT = "Alice said prices rose, by AFP."


def span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def brat_folder(tmp_path, lines: list[str]):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "d.txt").write_text(TEXT, "utf-8")
    (folder / "d.ann").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def t_line(number: int, label: str, needle: str) -> str:
    start, end = span(needle)
    return f"T{number}\t{label} {start} {end}\t{needle}"


def relations(store) -> list[tuple[str, str, str]]:
    found = []
    for summary in store.list_articles():
        for relation in store.relations_for(summary.id):
            found.append((store.get_annotation(relation.head).quote, relation.type, store.get_annotation(relation.tail).quote))
    return found


def test_an_unknown_relation_type_refuses_the_file_like_an_unknown_label(store, tmp_path):
    """Before: the relation was dropped and the import ended with exit 0."""
    folder = brat_folder(tmp_path, [t_line(1, "SOURCE", "Alice"), t_line(2, "CLAIM", "prices rose"),
                                    "R1\tsays Arg1:T2 Arg2:T1"])
    before = table_rows(store)
    with pytest.raises(ImportFailed) as refused:
        import_set(store, folder, annotator="maria")
    assert str(refused.value) == (
        f"{folder}: relation types not in this project's schema: 'says' (d.ann:3). The project's labels are CLAIM, "
        "SOURCE, CAPTION and its relation types attributed_to, describes; map them with --relation-map OLD=NEW, or "
        "add them to the schema with --extend-schema. Nothing was imported."
    )
    assert table_rows(store) == before


def test_unknown_labels_and_relation_types_are_listed_together(store, tmp_path):
    folder = brat_folder(tmp_path, [t_line(1, "PERSON", "Alice"), t_line(2, "CLAIM", "prices rose"),
                                    "R1\tsays Arg1:T2 Arg2:T1", "R2\tsays Arg1:T2 Arg2:T1"])
    with pytest.raises(ImportFailed) as refused:
        import_set(store, folder, annotator="maria")
    message = str(refused.value)
    assert "labels not in this project's schema: 'PERSON' (d.ann:1). relation types not in this project's schema: " \
           "'says' (d.ann:3, d.ann:4)." in message
    assert "map them with --label-map OLD=NEW and --relation-map OLD=NEW, or add them to the schema" in message


def test_the_relation_map_reads_a_type_as_the_projects(store, tmp_path):
    folder = brat_folder(tmp_path, [t_line(1, "SOURCE", "Alice"), t_line(2, "CLAIM", "prices rose"),
                                    "R1\tsays Arg1:T2 Arg2:T1"])
    report = import_set(store, folder, annotator="maria", relation_map={"says": "attributed_to"})
    assert report.relations.added == 1 and not report.skipped
    assert relations(store) == [("prices rose", "attributed_to", "Alice")]


def test_extend_schema_adds_labels_values_and_relation_types_and_undo_takes_all_back(store, tmp_path):
    folder = brat_folder(tmp_path, [
        t_line(1, "PERSON", "Alice"), t_line(2, "CLAIM", "prices rose"), t_line(3, "SOURCE", "AFP"),
        "R1\tsays Arg1:T2 Arg2:T1", "R2\tsays Arg1:T2 Arg2:T3",
        "A1\ttype T3 politician", "A2\tNegated T2",
    ])
    before = table_rows(store)
    report = import_set(store, folder, annotator="maria", extend_schema=True)
    assert report.schema_added == [
        "labels added to the schema: PERSON",
        "attributes and values added to the schema: CLAIM.Negated (yes/no), SOURCE.type=politician",
        "relation types added to the schema: says (CLAIM → PERSON or SOURCE)",
    ]
    schema = store.schema
    person = schema.label("PERSON")
    assert (person.color, person.hotkey) == ("#CC79A7", "4")  # the next colour of the palette, the next digit
    assert schema.label("SOURCE").attribute("type").values[-1] == "politician"
    assert schema.label("CLAIM").attribute("Negated").type == "bool"
    says = schema.relation_type("says")
    assert (says.head, says.tail) == (("CLAIM",), ("PERSON", "SOURCE"))
    stored = {a.quote: (a.label, a.attributes) for a in store.annotations_for(store.list_articles()[0].id)}
    assert stored == {"Alice": ("PERSON", {}), "prices rose": ("CLAIM", {"Negated": True}),
                      "AFP": ("SOURCE", {"type": "politician"})}
    assert sorted(relations(store)) == [("prices rose", "says", "AFP"), ("prices rose", "says", "Alice")]
    entry = ops.undo(store, annotator=TESTER).value  # the import and its schema change: one step
    assert entry.kind == "import_annotations"
    assert table_rows(store) == before and store.schema_text() == default_schema_text()


def test_extend_schema_matches_labels_as_the_import_does(store, tmp_path):
    """'Person' and 'PERSON' are one label (labels match case-insensitively), added once."""
    folder = brat_folder(tmp_path, [t_line(1, "Person", "Alice"), t_line(2, "PERSON", "AFP")])
    report = import_set(store, folder, annotator="maria", extend_schema=True)
    assert report.schema_added == ["labels added to the schema: Person"]
    assert sorted(a.label for a in store.annotations_for(store.list_articles()[0].id)) == ["Person", "Person"]


def label_studio_task(regions: list[dict], relations: list[dict] = ()) -> list[dict]:
    return [{"id": 1, "data": {"text": TEXT}, "annotations": [{"id": 10, "completed_by": 1, "result": [
        *regions, *relations]}]}]


def region(ident: str, needle: str, label: str) -> dict:
    start, end = span(needle)
    return {"id": ident, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": needle, "labels": [label]}}


def test_a_span_the_file_holds_twice_is_a_duplicate_and_its_relations_follow_the_kept_one(store, tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(label_studio_task(
        [region("a1", "Alice", "SOURCE"), region("a2", "Alice", "SOURCE"), region("c1", "prices rose", "CLAIM")],
        [{"type": "relation", "from_id": "c1", "to_id": "a2", "direction": "right", "labels": ["attributed_to"]}],
    )), "utf-8")
    report = import_set(store, path)
    assert report.spans.added == 2
    assert [str(p) for p in report.duplicates] == [
        f"{path}:1: SOURCE 'Alice' 0-5 by 1: the same span as line 1; not added again"]
    assert relations(store) == [("prices rose", "attributed_to", "Alice")]
    again = import_set(store, path)  # importing the same file again changes nothing
    assert (again.spans.added, again.spans.unchanged, again.relations.added) == (0, 2, 0)


def test_a_span_with_its_own_id_identical_to_one_here_is_a_duplicate(store, tmp_path):
    """doccano's entities have ids; the same span tagged by hand before is not added a second time."""
    article = build_article([("paragraph", TEXT)])
    support.add_article(store, article)
    mine = support.tag(store, article.id, *span("Alice"), "SOURCE", annotator="maria")
    path = tmp_path / "d.jsonl"
    start, end = span("Alice")
    path.write_text(json.dumps({"id": 3, "text": TEXT, "entities": [
        {"id": 7, "label": "SOURCE", "start_offset": start, "end_offset": end}], "relations": []}) + "\n", "utf-8")
    report = import_set(store, path, annotator="maria")
    assert report.spans.added == 0
    assert [str(p) for p in report.duplicates] == [
        f"{path}:1: SOURCE 'Alice' 0-5 by maria: the same span as in the project; not added again"]
    assert [a.id for a in store.annotations_for(article.id)] == [mine.id]


def test_a_relation_the_file_holds_twice_is_a_duplicate(store, tmp_path):
    folder = brat_folder(tmp_path, [t_line(1, "SOURCE", "Alice"), t_line(2, "CLAIM", "prices rose"),
                                    "R1\tattributed_to Arg1:T2 Arg2:T1", "R2\tattributed_to Arg1:T2 Arg2:T1"])
    report = import_set(store, folder, annotator="maria")
    assert report.relations.added == 1
    [duplicate] = report.duplicates
    assert duplicate.where == f"{folder / 'd.ann'}:4" and "the same relation as line 3; not added again" in duplicate.what
