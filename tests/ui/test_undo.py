"""Undo and redo: one generic command over the journal's operations; the stack never disagrees with
the file, and an edit made in the window can be undone from the command line and the reverse."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt

from annotator import operations as ops
from annotator.cli import main as cli_main
from annotator.errors import NotFoundError
import support

try:
    from .fixtures_window import ANNOTATOR, in_view, press, select_text, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import ANNOTATOR, in_view, press, select_text, tag  # type: ignore[no-redef]

CTRL = Qt.KeyboardModifier.ControlModifier


def gone(store, annotation_id: str) -> bool:
    """An undone tag leaves no row (the rows before it had none)."""
    try:
        store.get_annotation(annotation_id)
    except NotFoundError:
        return True
    return False


@contextmanager
def locked(window):
    """Another program holds the project's write lock; the window waits only briefly."""
    blocker = sqlite3.connect(window.store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    window.store.conn.execute("PRAGMA busy_timeout = 50")
    try:
        yield
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        window.store.conn.execute("PRAGMA busy_timeout = 5000")


def cli(window, *args: str):
    result = CliRunner().invoke(cli_main, ["--project", str(window.store.path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_undo_action_names_the_edit(qtbot, window):
    assert not window.undo_action.isEnabled()
    tag(qtbot, window, "Kim Jong Un")
    assert window.undo_action.text() == "&Undo tag CLAIM"
    assert window.undo_stack.undoText() == "tag CLAIM"
    assert window.undo_action.isEnabled()


def test_ctrl_z_removes_the_tag_and_redo_restores_the_same_row(qtbot, window, store):
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    stored = store.get_annotation(annotation_id)
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert gone(store, annotation_id)
    assert store.annotations_for(window.current_article.id) == []
    assert not in_view(window, annotation_id)
    assert annotation_id not in window.side_panel.annotations
    assert window.redo_action.text() == "&Redo tag CLAIM"

    press(qtbot, window.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    (restored,) = store.annotations_for(window.current_article.id)
    assert restored == stored  # the very row: id, offsets, quote, timestamps
    assert (restored.start, restored.end, restored.quote) == (2, 13, "Kim Jong Un")
    assert in_view(window, annotation_id)


def test_undo_redo_via_the_actions(qtbot, window, store):
    annotation_id = tag(qtbot, window, "economy")
    window.undo_action.trigger()
    assert gone(store, annotation_id)
    window.redo_action.trigger()
    assert not store.get_annotation(annotation_id).deleted
    assert window.statusBar().currentMessage().startswith("Saved · redo tag CLAIM")


def test_undo_of_delete_restores_the_annotation_and_its_relations(qtbot, window, store):
    claim = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    source = tag(qtbot, window, "Kim Jong Un", Qt.Key.Key_2)
    relation = support.relate(store, claim, source, "attributed_to", annotator="tester")
    qtbot.waitUntil(lambda: relation.id in window.side_panel.relations, timeout=3000)  # arrived through the journal
    window.select_annotation(source)
    press(qtbot, window.view, Qt.Key.Key_Delete)
    assert store.get_annotation(source).deleted
    assert store.get_relation(relation.id).deleted
    assert window.undo_stack.undoText() == "delete SOURCE"
    window.undo()
    assert not store.get_annotation(source).deleted
    assert not store.get_relation(relation.id).deleted
    assert in_view(window, source)
    assert relation.id in window.side_panel.relations


def test_undo_of_relabel_restores_label_and_attributes(qtbot, window, store):
    annotation_id = tag(qtbot, window, "the economy grew 5%")
    window.change_attributes(annotation_id, {"kind": "statistic", "checkworthy": "yes"})
    window.change_label(annotation_id, "SOURCE")
    assert store.get_annotation(annotation_id).attributes == {}  # SOURCE has neither attribute
    assert window.undo_stack.undoText() == "relabel CLAIM → SOURCE"
    window.undo()
    stored = store.get_annotation(annotation_id)
    assert stored.label == "CLAIM"
    assert stored.attributes == {"kind": "statistic", "checkworthy": "yes"}
    assert window.side_panel.detail.label_combo.currentData() == "CLAIM"


def test_undo_of_bounds_change(qtbot, window, store):
    annotation_id = tag(qtbot, window, "Jong", Qt.Key.Key_2)
    window.adjust_bounds("end", 1)
    assert store.get_annotation(annotation_id).quote == "Jong Un"
    window.undo()
    assert store.get_annotation(annotation_id).quote == "Jong"


def test_note_edits_merge_into_one_undo_step(qtbot, window, store):
    annotation_id = tag(qtbot, window, "economy")
    window.change_note(annotation_id, "a")
    window.change_note(annotation_id, "ab")
    window.change_note(annotation_id, "abc")
    assert store.get_annotation(annotation_id).note == "abc"
    assert window.undo_stack.count() == 2
    window.undo()
    assert store.get_annotation(annotation_id).note == ""
    assert not store.get_annotation(annotation_id).deleted
    window.redo()
    assert store.get_annotation(annotation_id).note == "abc"


def test_mark_done_is_undoable(qtbot, window, store):
    article_id = window.current_article.id
    press(qtbot, window.view, Qt.Key.Key_D, CTRL)
    assert store.get_article(article_id).status == "done"
    assert window.article_list.model.summary(article_id).status == "done"
    window.undo()
    assert store.get_article(article_id).status == "todo"
    assert window.article_list.model.summary(article_id).status == "todo"
    press(qtbot, window.view, Qt.Key.Key_D, CTRL)
    press(qtbot, window.view, Qt.Key.Key_D, CTRL)  # toggles back to in progress
    assert store.get_article(article_id).status == "in_progress"


def test_a_locked_project_on_first_write_pushes_nothing(qtbot, window, store):
    select_text(window, "economy")
    with locked(window):
        press(qtbot, window.view, Qt.Key.Key_1)
    assert window.undo_stack.count() == 0
    assert store.annotations_for(window.current_article.id) == []
    assert window.annotations == {}
    assert "locked" in window.last_error
    assert "Not saved" in window.statusBar().currentMessage()
    assert window.view.selection_span() is not None  # the selection is kept to retry


def test_a_locked_project_during_undo_keeps_stack_and_file_in_step(qtbot, window, store):
    annotation_id = tag(qtbot, window, "economy")
    with locked(window):
        window.undo()
    assert window.undo_stack.index() == 1  # still "done": the file still has the annotation
    assert not gone(store, annotation_id)
    assert in_view(window, annotation_id)
    assert "locked" in window.last_error
    window.undo()  # retry works
    assert window.undo_stack.index() == 0
    assert gone(store, annotation_id)
    with locked(window):
        window.redo()
    assert window.undo_stack.index() == 0
    window.redo()
    assert window.undo_stack.index() == 1
    assert not store.get_annotation(annotation_id).deleted


def test_undo_in_another_article_shows_that_article(qtbot, window, store):
    first = window.current_article.id
    annotation_id = tag(qtbot, window, "economy")
    window.step_article(1)
    assert window.current_article.id != first
    window.undo()
    assert window.current_article.id == first
    assert window.article_list.selected_article_ids() == [first]  # one row selected, the right one
    assert window.article_list.model.summary(first).annotations == 0
    assert gone(store, annotation_id)
    assert not in_view(window, annotation_id)


def test_an_edit_made_in_the_window_is_undone_from_the_cli(qtbot, window, store):
    annotation_id = tag(qtbot, window, "economy")
    result = cli(window, "undo", "--annotator", ANNOTATOR)
    assert "undone" in result.stdout and "tag CLAIM" in result.stdout
    assert gone(store, annotation_id)
    qtbot.waitUntil(lambda: not in_view(window, annotation_id), timeout=3000)  # the window follows
    assert annotation_id not in window.annotations
    assert window.undo_stack.index() == 0  # and its stack knows it was undone
    window.redo()  # the window can bring it back
    assert not store.get_annotation(annotation_id).deleted
    assert in_view(window, annotation_id)


def test_an_edit_made_with_the_cli_is_undone_in_the_window(qtbot, window, store):
    article = window.current_article
    start = article.text.index("economy")
    new_id = cli(window, "add", article.id, str(start), str(start + 3), "CLAIM", "--annotator", ANNOTATOR).stdout.strip()
    qtbot.waitUntil(lambda: in_view(window, new_id), timeout=3000)
    assert window.annotations[new_id].quote == "economy"  # snapped to the word, as in the window
    assert window.undo_stack.undoText() == "tag CLAIM"
    window.undo()
    assert gone(store, new_id)
    assert not in_view(window, new_id)


def test_an_undo_of_rows_changed_since_by_someone_else_changes_nothing(qtbot, window, store):
    annotation_id = tag(qtbot, window, "economy")
    ops.relabel(store, annotation_id, "SOURCE", annotator="maria")  # a colleague, another process
    qtbot.waitUntil(lambda: window.annotations[annotation_id].label == "SOURCE", timeout=3000)
    index = window.undo_stack.index()
    window.undo()
    assert "was changed since by maria" in window.last_error and "nothing was changed" in window.last_error
    assert store.get_annotation(annotation_id).label == "SOURCE"
    assert window.undo_stack.index() == index  # the stack still says what the file holds


def test_the_window_pushes_nothing_for_an_edit_that_changes_nothing(qtbot, window):
    annotation_id = tag(qtbot, window, "economy")
    count = window.undo_stack.count()
    window.change_note(annotation_id, "")
    window.change_label(annotation_id, "CLAIM")
    assert window.undo_stack.count() == count


@pytest.mark.parametrize("exact", [False, True])
def test_a_duplicate_tag_selects_the_existing_one(qtbot, window, store, exact):
    first = tag(qtbot, window, "economy")
    select_text(window, "economy")
    window.tag("CLAIM", exact=exact)
    assert window.selected_id == first
    assert len(store.annotations_for(window.current_article.id)) == 1
    assert "Already tagged CLAIM" in window.statusBar().currentMessage()


def test_the_windows_own_undo_is_not_taken_for_one_made_elsewhere(qtbot, window, store):
    """After the journal watcher has seen the window's own undo and redo, the stack still works."""
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert window.watcher.poll() is False  # nothing from elsewhere
    assert window.redo_action.isEnabled()
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.watcher.poll() is False
    assert in_view(window, annotation_id)
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert gone(store, annotation_id)
