"""The bulk path of an annotation-set import (operations/bulk.py) writes exactly the rows the
careful path writes (every span through `upserts.put_annotations`, identities read from the
project for every article), on generated Label Studio files with emoji, overlapping spans,
duplicates, spans whose quote or offsets are wrong, tasks repeated and articles already in the
project; the import undoes and redoes as one operation; and a malformed file, however far into it
the fault lies, changes nothing."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import support
from annotator import operations as ops
from annotator.errors import ImportFailed
from annotator.model import build_article
from annotator.operations import annotation_sets, articles, bulk, upserts
from annotator.operations.annotation_sets import import_annotation_set
from annotator.store import Store

WORDS = ["Alice", "said", "prices", "rose", "🎉", "👍🏽", "🇺🇦", "café", "東京", "(AFP)", "x\u0301y", "—", "😀😀", "in", "May"]
LABELS = ["CLAIM", "SOURCE", "CAPTION"]
STAMP = "2026-01-02T03:04:05.678Z"

texts = st.lists(st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(" ".join), min_size=1, max_size=3).map("\n".join)


@st.composite
def regions(draw, text: str) -> dict:
    n = len(text)
    start = draw(st.integers(0, n - 1))
    end = draw(st.integers(start + 1, n))
    value = {"start": start, "end": end, "text": text[start:end], "labels": [draw(st.sampled_from(LABELS))]}
    roll = draw(st.integers(0, 9))
    if roll == 0:
        value["text"] = value["text"] + "x"  # a quote that is not the text there
    elif roll == 1:
        value["start"], value["end"] = end + 3, end + 10  # offsets outside the text (re-anchored by quote, or not)
    elif roll == 2:
        value["end"] = start  # empty
    elif roll == 3:
        value["labels"] = ["CLAIM", "SOURCE"]  # one region, two labels
    region = {"from_name": "label", "to_name": "text", "type": "labels", "value": value}
    if draw(st.booleans()):
        region["id"] = draw(st.sampled_from(["r1", "r2", "r3", "r4", "r5"]))  # the same id twice: a duplicate
    if draw(st.integers(0, 4)) == 0:
        region["news_annotator"] = {"annotator": draw(st.sampled_from(["ana", "ben"])),
                                    "attributes": draw(st.sampled_from([{}, {"checkworthy": "yes"}, {"nope": 1}])),
                                    "created": STAMP, "updated": STAMP}
    return region


@st.composite
def tasks(draw) -> list[dict]:
    pool = draw(st.lists(texts, min_size=1, max_size=4))
    made = []
    for number in range(draw(st.integers(1, 6))):
        text = draw(st.sampled_from(pool))  # the same text twice: one article, found the second time
        result = draw(st.lists(regions(text), max_size=8))
        if result and draw(st.booleans()):
            result.append(dict(result[0]))  # the very same region again
        made.append({"id": number + 1, "data": {"text": text},
                     "annotations": [{"id": number + 1, "completed_by": draw(st.sampled_from([1, 2])), "result": result}]})
    return made


def _import(tmp: Path, name: str, content: list[dict], bulk_path: bool, existing: str | None, monkeypatch) -> tuple:
    monkeypatch.setattr(annotation_sets, "BULK", bulk_path)
    project = tmp / f"{name}.annotator"
    source = tmp / "tasks.json"
    source.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    own = None
    with Store.open(project) as store:
        if existing is not None:  # an article already in the project, with a span of its own
            article = build_article([("paragraph", line) for line in existing.split("\n")], imported_at=STAMP)
            support.add_article(store, article)
            own = support.tag(store, article.id, 0, 1, "CLAIM").id
        before = support.table_rows(store)
        try:
            report = support.import_set(store, source, importer="imp")
            outcome = (report.documents, report.articles_added, report.articles_found, report.spans, report.relations,
                       [str(p) for p in report.reanchored + report.quote_mismatches + report.unanchorable
                        + report.skipped + report.duplicates + report.converted], report.notes)
        except ImportFailed as exc:
            outcome = ("refused", str(exc))
        after = support.table_rows(store, "articles", "texts", "annotations", "relations")
    if own is not None:  # a random id: the same span in both projects
        after = json.loads(json.dumps(after, ensure_ascii=False).replace(own, "the project's own span"))
        after = {table: sorted(rows, key=repr) for table, rows in after.items()}
    return outcome, after, before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=tasks(), existing=st.one_of(st.none(), texts))
def test_the_bulk_path_writes_the_rows_of_the_careful_path(monkeypatch, content, existing):
    for module in (articles, bulk, upserts):
        monkeypatch.setattr(module, "now", lambda: STAMP)
    monkeypatch.setattr("annotator.operations.annotations.now", lambda: STAMP, raising=False)
    if existing is not None and content and content[0]["data"]["text"] != existing and len(content) > 1:
        existing = content[1]["data"]["text"]  # often, the file has an article the project has
    with tempfile.TemporaryDirectory() as tmp:
        careful = _import(Path(tmp), "careful", content, False, existing, monkeypatch)
        fast = _import(Path(tmp), "fast", content, True, existing, monkeypatch)
    assert fast[0] == careful[0]
    assert fast[1] == careful[1]


def test_a_real_label_studio_file_gives_the_rows_of_the_careful_path(monkeypatch, tmp_path):
    """label-studio-converter's completion fixture (tests/formats/fixtures/README.md), its label
    mapped to ours: 38 regions out of text order, some with a leading space or a trailing comma."""
    for module in (articles, bulk, upserts):
        monkeypatch.setattr(module, "now", lambda: STAMP)
    fixture = Path(__file__).resolve().parents[1] / "formats" / "fixtures" / "labelstudio_converter_completion_348.json"
    task = json.loads(fixture.read_text("utf-8"))
    for region in task["completions"][0]["result"]:
        region["value"]["labels"] = ["SOURCE"]
    careful = _import(tmp_path, "careful", [task], False, None, monkeypatch)
    fast = _import(tmp_path, "fast", [task], True, None, monkeypatch)
    assert fast[:2] == careful[:2]
    assert careful[0][3].added == 38 and len(careful[1]["annotations"]) == 38


def _big_file(path: Path, count: int, broken_at: int | None = None, label_at: int | None = None) -> int:
    """`count` tasks, one per line; returns the line of task `broken_at` (broken, or with an unknown label)."""
    lines = []
    for n in range(count):
        text = f"Story {n} 🎉 says Alice (AFP).\nPrices rose in May, officials said."
        result = [{"id": f"r{n}-{k}", "type": "labels", "from_name": "label", "to_name": "text",
                   "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}}
                  for k, (s, e, label) in enumerate([(0, 7, "CLAIM"), (9, 10, "SOURCE"), (16, 21, "SOURCE"),
                                                     (22, 27, "CAPTION"), (30, 46, "CLAIM")])]
        if n == label_at:
            result[0]["value"]["labels"] = ["OPINION"]
        line = json.dumps({"id": n + 1, "data": {"text": text}, "annotations": [{"id": n + 1, "result": result}]},
                          ensure_ascii=False)
        if n == broken_at:
            line = line[:-10]  # cut: not valid JSON
        lines.append(line)
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    return (broken_at if broken_at is not None else label_at or 0) + 2


@pytest.mark.parametrize("fault", ["syntax", "label"])
def test_a_malformed_file_changes_nothing_however_far_in_the_fault(tmp_path, fault):
    """Past several batches already written (FLUSH_SPANS), the fault still takes everything back."""
    count = 3 * annotation_sets.FLUSH_SPANS // 5 + 50
    source = tmp_path / "big.json"
    at = count - 20
    line = _big_file(source, count, broken_at=at if fault == "syntax" else None, label_at=at if fault == "label" else None)
    with Store.open(tmp_path / "p.annotator") as store:
        support.import_set(store, _small(tmp_path))
        before = support.table_rows(store)
        journal = store.latest_seq()
        with pytest.raises(ImportFailed) as info:
            support.import_set(store, source)
        assert support.table_rows(store) == before
        assert store.latest_seq() == journal
    message = str(info.value)
    if fault == "syntax":
        assert message.startswith(f"{source}:{line}: not valid JSON")
    else:
        assert "'OPINION' (line " + str(line) in message and message.endswith("Nothing was imported.")
    assert "Error" not in message and "Traceback" not in message


def _small(tmp_path: Path) -> Path:
    path = tmp_path / "small.json"
    _big_file(path, 3)
    return path


def test_a_bulk_import_undoes_and_redoes_as_one_operation(tmp_path):
    source = tmp_path / "big.json"
    _big_file(source, annotation_sets.FLUSH_SPANS // 5 + 30)
    with Store.open(tmp_path / "p.annotator") as store:
        before = support.table_rows(store)
        done = import_annotation_set(store, source, importer="imp")
        assert done.value.spans.added == 5 * (annotation_sets.FLUSH_SPANS // 5 + 30)
        after = support.table_rows(store)
        ops.undo(store, done.op_id, annotator="imp")
        assert support.table_rows(store) == before
        ops.redo(store, annotator="imp")
        assert support.table_rows(store) == after
        again = support.import_set(store, source, importer="imp")  # the same file again: nothing new
        assert again.spans.added == 0 and again.spans.unchanged == done.value.spans.added
        assert support.table_rows(store) == after


class _Cancel(Exception):
    pass


def test_a_big_import_reports_progress_by_document_and_stops_on_cancel(tmp_path):
    """The window's import job: a total from the quick count before the first document, one call per
    document; an exception from the callback (its Cancel) leaves the project as it was."""
    count = annotation_sets.FLUSH_SPANS // 5 * 2 + 7
    source = tmp_path / "big.json"
    _big_file(source, count)
    calls: list[tuple[int, int]] = []
    with Store.open(tmp_path / "p.annotator") as store:
        import_annotation_set(store, source, importer="imp", progress=lambda done, total: calls.append((done, total)))
        assert calls[0] == (0, count) and calls[-1] == (count, count) and len(calls) == count + 1
    with Store.open(tmp_path / "q.annotator") as store:
        before = support.table_rows(store)

        def cancel(done: int, total: int) -> None:
            if done == count - 3:  # past a written batch
                raise _Cancel

        with pytest.raises(_Cancel):
            import_annotation_set(store, source, importer="imp", progress=cancel)
        assert support.table_rows(store) == before and store.latest_seq() == 0
