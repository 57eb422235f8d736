"""Notes: on an annotation (✎ in the tree, a mark in the view) and on the article (panel, list, undo),
found by the article list's filter box, and exported."""

from __future__ import annotations

from annotator import operations as ops

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.ui.article_list import NoteRole

try:
    from .fixtures_window import focus_view, press, select_text, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import focus_view, press, select_text, tag  # type: ignore[no-redef]

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def visible_titles(window) -> list[str]:
    return [window.store.get_article(i).title for i in window.article_list.visible_ids()]


def write_article_note(qtbot, window, text: str) -> None:
    press(qtbot, window.view, Qt.Key.Key_N, CTRL | SHIFT)
    dialog = window.article_note_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.edit.selectAll()
    qtbot.keyClicks(dialog.edit, text)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_article_note_is_stored_shown_marked_and_undoable(qtbot, window, store):
    article_id = window.current_article.id
    assert window.side_panel.article_note_text.text() == "None yet."
    write_article_note(qtbot, window, "Compare with Yonhap")
    assert store.get_article(article_id).note == "Compare with Yonhap"
    assert window.side_panel.article_note_text.text() == "Compare with Yonhap"
    assert window.side_panel.article_note_heading.text() == "✎ Article note"
    row = window.article_list.model.row_of(article_id)
    index = window.article_list.model.index(row, 0)
    assert index.data(NoteRole) == "Compare with Yonhap"
    assert "✎ Compare with Yonhap" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert window.undo_stack.undoText() == "edit article note"
    window.undo()
    assert store.get_article(article_id).note == ""
    assert window.side_panel.article_note_text.text() == "None yet."
    assert index.data(NoteRole) == ""
    window.redo()
    assert store.get_article(article_id).note == "Compare with Yonhap"


def test_the_panel_button_opens_the_editor_with_the_note(qtbot, window, store):
    ops.set_article_note(store, window.current_article.id, "old", annotator="tester")
    window.current_article.note = "old"
    window.side_panel.set_article_note("old")
    window.side_panel.article_note_button.click()
    dialog = window.article_note_dialog
    assert dialog.edit.toPlainText() == "old"
    dialog.reject()
    assert store.get_article(window.current_article.id).note == "old"
    assert window.undo_stack.count() == 0


def test_the_filter_box_matches_article_and_annotation_notes(qtbot, window, store):
    titles = visible_titles(window)
    assert len(titles) == 2
    filter_edit = window.article_list.filter_edit
    qtbot.keyClicks(filter_edit, "yonhap")
    assert visible_titles(window) == []
    filter_edit.clear()
    focus_view(qtbot, window)
    write_article_note(qtbot, window, "Compare with Yonhap")
    qtbot.keyClicks(filter_edit, "yonhap")
    assert visible_titles(window) == ["Emoji first"]
    filter_edit.clear()
    # an annotation's note
    focus_view(qtbot, window)
    annotation_id = tag(qtbot, window, "the economy grew 5%")
    qtbot.keyClicks(filter_edit, "ministry")
    assert visible_titles(window) == []
    window.change_note(annotation_id, "ask the Ministry")
    assert visible_titles(window) == ["Emoji first"]  # refiltered when the note changed
    window.undo()
    assert visible_titles(window) == []
    filter_edit.clear()
    assert len(visible_titles(window)) == 2


def test_annotation_notes_show_a_mark_in_the_tree_and_the_view(qtbot, window, store):
    annotation_id = tag(qtbot, window, "the economy grew 5%")
    item = window.side_panel._items[annotation_id]  # noqa: SLF001
    assert item.text(2) == ""
    window.change_note(annotation_id, "check the figure")
    assert item.text(2) == "✎"
    assert window.view._annotations[annotation_id].note == "check the figure"  # noqa: SLF001 - what it paints
    tip = window.view._tooltip_text(window.view._u16.to_utf16(window.annotations[annotation_id].start + 1))  # noqa: SLF001
    assert "✎ check the figure" in tip
    window.view.grab()


def test_notes_are_exported(qtbot, window, store, tmp_path):
    tag(qtbot, window, "the economy grew 5%")
    window.change_note(window.selected_id, "check the figure")
    write_article_note(qtbot, window, "Compare with Yonhap")
    path = tmp_path / "out.jsonl"
    window.export_to(path)
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    (article,) = [r for r in records if r.get("id") == window.current_article.id]
    assert article["note"] == "Compare with Yonhap"
    assert [s["note"] for s in article["spans"]] == ["check the figure"]


def test_keyboard_help_lists_linking_and_the_article_note(window):
    rows = window.shortcut_table()
    keys = {(keys, action) for _section, keys, action in rows}
    assert any(k == "A" and "Link" in a for k, a in keys)
    assert any("Ctrl+Shift+N" in k and "Article note" in a for k, a in keys)
    assert any(k == "Esc" and "Cancel linking" in a for k, a in keys)
