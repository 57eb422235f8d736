"""File ▸ Import annotation set… (annotation_import_dialog.py): a colleague's CLI export brought in
through the dialog, the format recognised or chosen, the annotator named, and malformed or
cancelled imports leaving the project exactly as it was."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt

from annotator.operations import annotation_sets
from annotator.cli import main as cli_main
from annotator.model import build_article
from annotator.store import Store
from annotator.ui import annotation_import_dialog as import_module
import support

try:
    from .fixtures_window import (  # noqa: F401 - fixtures are used by name
        EMOJI_TEXT,
        emoji_article,
        isolated_settings,
        make_window,
        project_path,
        store,
        window,
    )
except ImportError:
    from fixtures_window import (  # type: ignore[no-redef]  # noqa: F401
        EMOJI_TEXT,
        emoji_article,
        isolated_settings,
        make_window,
        project_path,
        store,
        window,
    )


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def their_article():
    return build_article(
        [("headline", "Port strike ends"), ("paragraph", "Dockers returned to work on Monday, the union said.")],
        title="Port strike ends",
        outlet="Reuters",
    )


@pytest.fixture
def dana_export(tmp_path: Path) -> Path:
    """Dana's project (our emoji article and one we do not have), exported with the command line."""
    theirs = tmp_path / "dana.annotator"
    with Store.open(theirs) as other:
        support.add_articles(other, [emoji_article(), their_article()])
        source = support.tag(other, emoji_article().id, *span(EMOJI_TEXT, "Kim Jong Un"), "SOURCE", annotator="dana")
        claim = support.tag(other, 
            emoji_article().id, *span(EMOJI_TEXT, "the economy grew 5%"), "CLAIM", annotator="dana"
        )
        support.relate(other, claim.id, source.id, "attributed_to", annotator="dana")
        text = their_article().text
        support.tag(other, their_article().id, *span(text, "the union"), "SOURCE", annotator="dana")
    out = tmp_path / "exports" / "dana.jsonl"
    out.parent.mkdir()
    result = CliRunner().invoke(cli_main, ["--project", str(theirs), "export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "exported 3 spans from 2 articles" in result.output
    return out


def open_dialog(qtbot, window) -> import_module.AnnotationImportDialog:
    """File ▸ Import annotation set…, as the user does it: the menu's action."""
    window.import_set_action.trigger()
    dialog = window.annotation_import_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def run_import(qtbot, dialog, outcome: str = "finished") -> None:
    assert dialog.import_button.isEnabled(), dialog.readout.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_outcome != "", timeout=20000)
    assert dialog.last_outcome == outcome, dialog.last_error
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=5000)


def test_a_colleagues_cli_export_comes_in_with_their_annotator(qtbot, window, store, dana_export):
    window.open_article(emoji_article().id)
    before = store.counts()
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(dana_export))
    assert dialog.format_note.text() == "Recognised as jsonl."
    assert dialog.format_combo.currentText() == "Recognise from the file: jsonl"
    assert dialog.annotator_edit.placeholderText().startswith("Default: dana")
    run_import(qtbot, dialog)

    report = dialog.report
    assert report.spans.added == 3 and report.relations.added == 1 and report.not_imported == 0
    assert report.articles_added == [their_article().id] and report.articles_found == 1
    after = store.counts()
    assert after["articles"] == before["articles"] + 1
    assert after["annotations"] == before["annotations"] + 3
    assert after["relations"] == before["relations"] + 1
    spans = store.annotations_for(emoji_article().id, annotator="dana")
    assert sorted((a.label, a.quote, a.origin) for a in spans) == [
        ("CLAIM", "the economy grew 5%", "imported"), ("SOURCE", "Kim Jong Un", "imported")]
    (relation,) = store.relations_for(emoji_article().id)
    assert relation.annotator == "dana"

    summary = dialog.summary_text()
    assert summary.startswith("Imported dana.jsonl (jsonl)")
    assert "1 article added, 1 found in the project" in summary
    assert "Spans: 3 added" in summary and "Relations: 1 added" in summary
    assert "Every span of the file was placed as it is." in summary
    assert not dialog.problems.isVisibleTo(dialog)
    # the window shows what came in: the new article in the list, dana's spans in the open article
    assert their_article().id in window.article_list.model.ids()
    assert sum(1 for a in window.annotations.values() if a.annotator == "dana") == 2
    assert "Imported dana.jsonl: 3 spans added" in window.statusBar().currentMessage()

    # the same file again changes nothing
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    run_import(qtbot, dialog)
    assert dialog.report.spans.added == 0 and dialog.report.spans.unchanged == 3
    assert store.counts() == after
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # "Close"
    qtbot.waitUntil(lambda: window.annotation_import_dialog is None, timeout=2000)


def test_a_malformed_file_names_its_line_and_changes_nothing(qtbot, window, store, dana_export, tmp_path):
    lines = dana_export.read_text("utf-8").splitlines()
    broken = json.loads(lines[2])
    del broken["spans"][0]["end"]
    bad = tmp_path / "broken.jsonl"
    bad.write_text("\n".join([lines[0], lines[1], json.dumps(broken, ensure_ascii=False)]) + "\n", "utf-8")
    # line 2 alone would add an article and spans: all of it must be rolled back
    before = store.counts()
    before_ids = window.article_list.model.ids()

    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(bad))
    run_import(qtbot, dialog, outcome="failed")

    summary = dialog.summary_text()
    assert summary.startswith("Nothing was imported")
    assert "broken.jsonl, line 3: missing 'end'" in summary
    assert "The project was not changed" in summary
    assert store.counts() == before
    assert store.annotations_for(emoji_article().id, annotator="dana") == []
    assert window.article_list.model.ids() == before_ids
    dialog.reject()


def test_invalid_json_line_is_reported_with_its_line(qtbot, window, store, dana_export, tmp_path):
    lines = dana_export.read_text("utf-8").splitlines()
    bad = tmp_path / "cut.jsonl"
    bad.write_text("\n".join([lines[0], lines[1], lines[2][:40]]) + "\n", "utf-8")
    before = store.counts()
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(bad))
    run_import(qtbot, dialog, outcome="failed")
    assert "cut.jsonl, line 3: not valid JSON" in dialog.summary_text()
    assert store.counts() == before
    dialog.reject()


def test_a_format_without_annotators_takes_the_name_given(qtbot, window, store, tmp_path):
    text = EMOJI_TEXT
    start, end = span(text, "Kim Jong Un")
    doccano = tmp_path / "export-from-doccano.jsonl"
    record = {"text": text, "entities": [{"id": 7, "label": "SOURCE", "start_offset": start + 1, "end_offset": end + 1}],
              "relations": []}  # UTF-16 offsets: the emoji counts two
    doccano.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(doccano))
    assert dialog.detected == "doccano"
    assert dialog.units_combo.isVisibleTo(dialog)  # doccano tools differ in their offset unit
    type_into(qtbot, dialog.annotator_edit, "carla")
    run_import(qtbot, dialog)
    (placed,) = store.annotations_for(emoji_article().id, annotator="carla")
    assert (placed.start, placed.end, placed.quote) == (start, end, "Kim Jong Un")
    dialog.reject()


def test_the_format_can_be_chosen_when_it_cannot_be_recognised(qtbot, window, store, tmp_path):
    odd = tmp_path / "tags.txt"
    odd.write_text("Some words here\n", "utf-8")
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(odd))
    assert dialog.detected is None
    assert "choose the format" in dialog.format_note.text()
    assert not dialog.import_button.isEnabled()
    dialog.set_format("conll")
    assert dialog.import_button.isEnabled()
    dialog.reject()


def test_a_label_the_project_does_not_have_is_refused_then_mapped(qtbot, window, store, dana_export, tmp_path):
    renamed = tmp_path / "persons.jsonl"
    renamed.write_text(re.sub(r'"label": ?"SOURCE"', '"label": "PERSON"', dana_export.read_text("utf-8")), "utf-8")
    before = store.counts()
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(renamed))
    run_import(qtbot, dialog, outcome="failed")
    assert "PERSON" in dialog.summary_text() and store.counts() == before
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, dialog.label_map_edit, "PERSON=SOURCE")
    run_import(qtbot, dialog)
    assert dialog.report.spans.added == 3
    dialog.reject()


def test_spans_that_cannot_be_placed_are_listed_with_their_line(qtbot, window, store, dana_export, tmp_path):
    lines = dana_export.read_text("utf-8").splitlines()
    record = json.loads(lines[1])
    record["spans"][0]["text"] = "Nowhere in the text"
    changed = tmp_path / "changed.jsonl"
    changed.write_text("\n".join([lines[0], json.dumps(record, ensure_ascii=False), lines[2]]) + "\n", "utf-8")
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(changed))
    run_import(qtbot, dialog)
    assert dialog.report.not_imported == 1
    assert "1 span not imported: 1 quote mismatch" in dialog.summary_text()
    rows = dialog.problem_table()
    assert rows[0][0] == "quote mismatch, not imported" and rows[0][1] == "changed.jsonl:2"
    assert "not imported" in window.statusBar().currentMessage()
    dialog.reject()


def test_cancelling_an_import_changes_nothing(qtbot, window, store, dana_export, monkeypatch):
    before = store.counts()
    reached, proceed = threading.Event(), threading.Event()
    original = annotation_sets._Importer.document

    def slow_document(self, doc):  # the first document is read, then the import waits for the user
        original(self, doc)
        if not reached.is_set():
            self.flush()  # its rows are written (inside the transaction) before the cancel
            reached.set()
            proceed.wait(10)

    monkeypatch.setattr(annotation_sets._Importer, "document", slow_document)
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(dana_export))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=10000)
    assert dialog.cancel_button.text() == "Stop"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    proceed.set()
    qtbot.waitUntil(lambda: dialog.last_outcome != "", timeout=10000)
    assert dialog.last_outcome == "cancelled"
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=5000)
    assert store.counts() == before
    assert "the project was not changed" in dialog.readout.text()
    dialog.reject()


def test_a_running_import_of_articles_blocks_it(qtbot, window, dana_export):
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(dana_export))
    dialog.is_busy = lambda: "Wait for the article import to finish."
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.task is None
    assert dialog.readout.text() == "Wait for the article import to finish."
    dialog.reject()


def test_the_progress_bar_counts_the_documents(qtbot, window, store, dana_export, monkeypatch):
    reached, proceed = threading.Event(), threading.Event()
    original = annotation_sets._Importer.document
    documents = []

    def slow_document(self, doc):  # the second document waits until the test has looked at the bar
        documents.append(doc)
        if len(documents) == 2:
            reached.set()
            proceed.wait(10)
        original(self, doc)

    def unthrottled(self, done: int, total: int) -> None:  # every count reaches the dialog
        self.last_progress = (done, total)
        self.progress.emit(done, total)

    monkeypatch.setattr(annotation_sets._Importer, "document", slow_document)
    monkeypatch.setattr(import_module.FormatTask, "report_progress", unthrottled)
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.path_edit, str(dana_export))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=10000)
    qtbot.waitUntil(lambda: dialog.progress.value() == 1, timeout=5000)
    assert dialog.progress.minimum() == 0 and dialog.progress.maximum() == 2  # a count, not "busy"
    assert dialog.progress.text() == "1 of 2 documents"
    proceed.set()
    qtbot.waitUntil(lambda: dialog.last_outcome != "", timeout=10000)
    assert dialog.last_outcome == "finished", dialog.last_error
    assert dialog.progress.value() == dialog.progress.maximum() == 2
    assert dialog.task.last_progress == (2, 2)
    dialog.reject()
