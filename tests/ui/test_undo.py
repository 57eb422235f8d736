"""Undo and redo: each step is one committed store write, and the stack never disagrees with the file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.errors import ProjectLockedError
from annotator.ui import commands

try:
    from .fixtures_window import in_view, press, select_text, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import in_view, press, select_text, tag  # type: ignore[no-redef]

CTRL = Qt.KeyboardModifier.ControlModifier



def test_undo_action_names_the_edit(qtbot, window):
    assert not window.undo_action.isEnabled()
    tag(qtbot, window, "Kim Jong Un")
    assert window.undo_action.text() == "&Undo tag CLAIM"
    assert window.undo_stack.undoText() == "tag CLAIM"
    assert window.undo_action.isEnabled()


def test_ctrl_z_removes_the_tag_and_redo_restores_the_same_id(qtbot, window, store):
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert store.get_annotation(annotation_id).deleted
    assert store.annotations_for(window.current_article.id) == []
    assert not in_view(window, annotation_id)
    assert annotation_id not in window.side_panel.annotations
    assert window.redo_action.text() == "&Redo tag CLAIM"

    press(qtbot, window.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    (restored,) = store.annotations_for(window.current_article.id)
    assert restored.id == annotation_id
    assert (restored.start, restored.end, restored.quote) == (2, 13, "Kim Jong Un")
    assert in_view(window, annotation_id)


def test_undo_redo_via_the_actions(qtbot, window, store):
    annotation_id = tag(qtbot, window, "economy")
    window.undo_action.trigger()
    assert store.get_annotation(annotation_id).deleted
    window.redo_action.trigger()
    assert not store.get_annotation(annotation_id).deleted
    assert window.statusBar().currentMessage().startswith("Saved · redo tag CLAIM")


def test_undo_of_delete_restores_the_annotation_and_its_relations(qtbot, window, store):
    claim = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    source = tag(qtbot, window, "Kim Jong Un", Qt.Key.Key_2)
    relation = store.add_relation(claim, source, "attributed_to", annotator="tester")
    window.select_annotation(source)
    press(qtbot, window.view, Qt.Key.Key_Delete)
    assert store.get_annotation(source).deleted
    assert store.get_relation(relation.id).deleted
    assert window.undo_stack.undoText() == "delete SOURCE"
    window.undo()
    assert not store.get_annotation(source).deleted
    assert not store.get_relation(relation.id).deleted
    assert in_view(window, source)


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


def test_mark_done_is_undoable(qtbot, window, store):
    article_id = window.current_article.id
    press(qtbot, window.view, Qt.Key.Key_D, CTRL)
    assert store.get_article(article_id).status == "done"
    assert window.article_list.model.summary(article_id).status == "done"
    window.undo()
    assert store.get_article(article_id).status == "todo"
    press(qtbot, window.view, Qt.Key.Key_D, CTRL)
    press(qtbot, window.view, Qt.Key.Key_D, CTRL)  # toggles back to in progress
    assert store.get_article(article_id).status == "in_progress"


def test_a_locked_project_on_first_write_pushes_nothing(qtbot, window, store, monkeypatch):
    def locked(*args, **kwargs):
        raise ProjectLockedError("the project is locked by another program or window; nothing was changed, try again")

    monkeypatch.setattr(window.store, "add_annotation", locked)
    select_text(window, "economy")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert window.undo_stack.count() == 0
    assert store.annotations_for(window.current_article.id) == []
    assert window.annotations == {}
    assert "locked" in window.last_error
    assert "Not saved" in window.statusBar().currentMessage()
    assert window.view.selection_span() is not None  # the selection is kept to retry


def test_a_locked_project_during_undo_keeps_stack_and_file_in_step(qtbot, window, store, monkeypatch):
    annotation_id = tag(qtbot, window, "economy")
    real_delete = window.store.delete_annotation
    calls = {"n": 0}

    def flaky(annotation_id: str):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ProjectLockedError("locked; try again")
        return real_delete(annotation_id)

    monkeypatch.setattr(window.store, "delete_annotation", flaky)
    window.undo()
    assert window.undo_stack.index() == 1  # still "done": the file still has the annotation
    assert not store.get_annotation(annotation_id).deleted
    assert in_view(window, annotation_id)
    assert "locked" in window.last_error
    window.undo()  # retry works
    assert window.undo_stack.index() == 0
    assert store.get_annotation(annotation_id).deleted
    window.redo()
    assert not store.get_annotation(annotation_id).deleted


def test_a_locked_project_during_redo_keeps_stack_and_file_in_step(qtbot, window, store, monkeypatch):
    annotation_id = tag(qtbot, window, "economy")
    window.undo()
    real_restore = window.store.restore_annotation

    def locked(*args, **kwargs):
        raise ProjectLockedError("locked; try again")

    monkeypatch.setattr(window.store, "restore_annotation", locked)
    window.redo()
    assert window.undo_stack.index() == 0
    assert store.get_annotation(annotation_id).deleted
    monkeypatch.setattr(window.store, "restore_annotation", real_restore)
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
    assert store.get_annotation(annotation_id).deleted
    assert not in_view(window, annotation_id)


def test_push_refuses_a_failing_command(qtbot, window):
    class Failing(commands.StoreCommand):
        def _apply(self) -> None:
            raise ProjectLockedError("locked")

        def _revert(self) -> None:  # pragma: no cover - never applied
            pass

    with pytest.raises(ProjectLockedError):
        commands.push(window.undo_stack, Failing(window, "failing"))
    assert window.undo_stack.count() == 0
