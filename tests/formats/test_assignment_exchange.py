"""Assignments travel: a coordinator sends each analyst their articles in the exchange file (jsonl),
collects the work back (import-annotations or merge), and sees who finished what."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator import operations as ops
from annotator.errors import ImportFailed
from annotator.formats import export_to_path
from annotator.model import build_article
from annotator.operations.annotation_sets import import_annotation_set
from annotator.operations.merge import merge_from
from annotator.review import assignment_states
from annotator.store import ColleagueProject, ExportFilter, Store

import support

TEXT = "Story {i}: the minister said the plan works, officials said on Monday."


@pytest.fixture
def coordinator(tmp_path: Path):
    with Store.open(tmp_path / "coord.annotator") as store:
        made = [build_article([("paragraph", TEXT.format(i=i))], title=f"Story {i}") for i in range(4)]
        support.add_articles(store, made, annotator="coord")
        ops.assign(store, [a.id for a in made], ["kim", "lee"], assigned_by="coord", overlap=2, sample=2, seed="x")
        yield store


def send(store: Store, analyst: str, path: Path, **selection) -> Path:
    export_to_path(store, "jsonl", path, ExportFilter(assigned_to=(analyst,), **selection))
    return path


def states(store: Store) -> dict[str, dict[str, str]]:
    return {name: dict(items) for name, items in assignment_states(store).items()}


def test_the_work_goes_out_and_comes_back(coordinator, tmp_path):
    theirs = coordinator.analysts_of()
    kims = sorted(a for a, names in theirs.items() if "kim" in names)
    sent = send(coordinator, "kim", tmp_path / "to-kim.jsonl")
    with Store.open(tmp_path / "kim.annotator") as kim:
        report = import_annotation_set(kim, sent, importer="kim").value
        assert sorted(report.articles_added) == kims  # only her articles travel, with their text
        assert kim.analysts_of() == {a: theirs[a] for a in kims}  # and who else has them
        assert report.assignments.added == sum(len(theirs[a]) for a in kims)

        first, second = kims[:2]
        support.tag(kim, first, 0, 5, "SOURCE", annotator="kim")
        support.tag(kim, second, 0, 5, "SOURCE", annotator="kim")
        ops.set_status(kim, first, "done", annotator="kim")
        back = tmp_path / "from-kim.jsonl"
        export_to_path(kim, "jsonl", back, ExportFilter())

    report = import_annotation_set(coordinator, back, importer="coord").value
    assert report.spans.added == 2
    assert report.assignments.updated == 1 and report.assignments.added == 0
    kim_state = states(coordinator)["kim"]
    assert kim_state[first] == "done" and kim_state[second] == "in_progress"
    assert {v for a, v in kim_state.items() if a not in (first, second)} == {"todo"}
    again = import_annotation_set(coordinator, back, importer="coord")
    assert again.value.assignments.updated == 0 and again.value.assignments.unchanged == report.assignments.unchanged + 1


def test_an_unassignment_reaches_the_analyst_and_an_older_state_does_not_win(coordinator, tmp_path):
    kims = sorted(a for a, names in coordinator.analysts_of().items() if "kim" in names)
    with Store.open(tmp_path / "kim.annotator") as kim:
        import_annotation_set(kim, send(coordinator, "kim", tmp_path / "1.jsonl"), importer="kim")
        stale = tmp_path / "stale.jsonl"
        export_to_path(kim, "jsonl", stale, ExportFilter())
        ops.unassign(coordinator, kims[:1], ["kim"], unassigned_by="coord")
        update = send(coordinator, "kim", tmp_path / "2.jsonl", include_deleted=True)
        report = import_annotation_set(kim, update, importer="kim").value
        assert report.assignments.deleted == 1
        assert "kim" not in kim.analysts_of().get(kims[0], [])
    report = import_annotation_set(coordinator, stale, importer="coord").value  # kim's copy from before
    assert report.assignments.kept == 1
    assert "kim" not in coordinator.analysts_of().get(kims[0], [])


def test_the_import_of_assignments_is_undone_with_the_file(coordinator, tmp_path):
    sent = send(coordinator, "lee", tmp_path / "to-lee.jsonl")
    with Store.open(tmp_path / "lee.annotator") as lee:
        import_annotation_set(lee, sent, importer="lee")
        assert lee.assignments()
        ops.undo(lee, annotator="lee")
        assert lee.assignments(include_deleted=True) == []


def test_merging_an_analysts_project_brings_their_progress(coordinator, tmp_path):
    path = tmp_path / "lee.annotator"
    with Store.open(path) as lee:
        import_annotation_set(lee, send(coordinator, "lee", tmp_path / "to-lee.jsonl"), importer="lee")
        mine = sorted(a for a, names in lee.analysts_of().items() if "lee" in names)
        support.tag(lee, mine[0], 0, 5, "CLAIM", annotator="lee")
        ops.set_status(lee, mine[0], "done", annotator="lee")
    with ColleagueProject.open(path) as other:
        report = merge_from(coordinator, other, merged_by="coord").value
    assert report.assignments.updated == 1
    assert any(line.startswith("assignments: 0 added, 1 updated") for line in report.summary())
    assert states(coordinator)["lee"][mine[0]] == "done"
    with ColleagueProject.open(path) as other:
        assert merge_from(coordinator, other, merged_by="coord").value.assignments.updated == 0
    ops.undo(coordinator, annotator="coord")  # the second merge changed nothing; this undoes the first
    assert states(coordinator)["lee"][mine[0]] == "todo"


def test_a_malformed_assignment_is_refused_with_its_line(coordinator, tmp_path):
    sent = send(coordinator, "kim", tmp_path / "to-kim.jsonl")
    lines = sent.read_text("utf-8").splitlines()
    record = json.loads(lines[1])
    record["assignments"][0]["analyst"] = " "
    lines[1] = json.dumps(record)
    sent.write_text("\n".join(lines) + "\n", "utf-8")
    with Store.open(tmp_path / "kim.annotator") as kim:
        with pytest.raises(ImportFailed, match=r"to-kim.jsonl:2: 'analyst' in assignment 1 must name someone"):
            import_annotation_set(kim, sent, importer="kim")
        assert kim.list_articles() == []
