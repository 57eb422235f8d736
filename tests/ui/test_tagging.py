"""Tagging from the main window: select text in the view, press a hotkey, check the stored row."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

try:
    from .fixtures_window import ANNOTATOR, EMOJI_TEXT, focus_view, in_view, press, select_text, span_of, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import (  # type: ignore[no-redef]
        ANNOTATOR, EMOJI_TEXT, focus_view, in_view, press, select_text, span_of, tag,
    )


def test_first_article_is_open(window):
    assert window.current_article is not None
    assert window.current_article.text == EMOJI_TEXT


def test_hotkey_tags_selection_with_exact_code_point_offsets_after_an_emoji(qtbot, window, store):
    start, end = select_text(window, "Kim Jong Un")
    assert (start, end) == (2, 13)  # the emoji is one code point (two UTF-16 units)
    press(qtbot, window.view, Qt.Key.Key_1)
    rows = store.annotations_for(window.current_article.id)
    assert len(rows) == 1
    stored = rows[0]
    assert (stored.start, stored.end, stored.label) == (2, 13, "CLAIM")
    assert EMOJI_TEXT[stored.start : stored.end] == stored.quote == "Kim Jong Un"
    assert stored.annotator == ANNOTATOR
    assert in_view(window, stored.id)
    assert window.selected_id == stored.id
    assert window.side_panel.selected_id == stored.id
    assert window.view.selection_span() is None  # the text selection is consumed
    message = window.statusBar().currentMessage()
    assert message.startswith("Saved · tag CLAIM 'Kim Jong Un'")
    assert window.saved_label.text().startswith("Saved")


def test_span_snaps_to_words_and_alt_keeps_exact_characters(qtbot, window, store):
    article_id = window.current_article.id
    start, end = span_of(EMOJI_TEXT, "im Jong U")
    window.view.select_span(start, end)
    press(qtbot, window.view, Qt.Key.Key_2)
    (snapped,) = store.annotations_for(article_id)
    assert (snapped.quote, snapped.label) == ("Kim Jong Un", "SOURCE")

    start, end = span_of(EMOJI_TEXT, "econ")
    window.view.select_span(start, end)
    press(qtbot, window.view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    exact = [a for a in store.annotations_for(article_id) if a.label == "CLAIM"]
    assert [(a.start, a.end, a.quote) for a in exact] == [(start, end, "econ")]


def test_tagging_a_span_that_ends_after_the_emoji(qtbot, window, store):
    window.view.select_span(0, 5)  # the emoji (one code point), a space and "Kim"
    press(qtbot, window.view, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    (stored,) = store.annotations_for(window.current_article.id)
    assert (stored.start, stored.end, stored.quote) == (0, 5, "😀 Kim")


def test_label_button_tags_the_selection(qtbot, window, store):
    select_text(window, "the economy grew 5%")
    qtbot.mouseClick(window.side_panel.button("CLAIM"), Qt.MouseButton.LeftButton)
    (stored,) = store.annotations_for(window.current_article.id)
    assert stored.quote == "the economy grew 5%"
    assert "CLAIM" in window.side_panel.button("CLAIM").text()
    assert "1" in window.side_panel.button("CLAIM").text()  # the count, next to the name


def test_overlapping_spans_are_both_stored(qtbot, window, store):
    tag(qtbot, window, "Kim Jong Un said the economy grew 5%")
    tag(qtbot, window, "Kim Jong Un", Qt.Key.Key_2)
    rows = store.annotations_for(window.current_article.id)
    assert sorted((a.label, a.quote) for a in rows) == [
        ("CLAIM", "Kim Jong Un said the economy grew 5%"),
        ("SOURCE", "Kim Jong Un"),
    ]
    assert all(in_view(window, a.id) for a in rows)
    assert set(window.view.annotations_at(5)) == {a.id for a in rows}
    assert window.article_list.model.summary(window.current_article.id).annotations == 2


def test_clicking_a_highlight_selects_it(qtbot, window, store):
    tag(qtbot, window, "economy")
    (stored,) = store.annotations_for(window.current_article.id)
    window.select_annotation(None)
    assert window.side_panel.selected_id is None
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(window.view._u16.to_utf16(stored.start + 3))  # noqa: SLF001
    rect = window.view.cursorRect(cursor)
    point = QPoint(rect.center().x() + 2, rect.center().y())
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.selected_id == stored.id
    assert window.side_panel.detail.annotation.id == stored.id
    assert window.side_panel.detail_group.isVisibleTo(window)


def test_delete_key_removes_the_selected_annotation(qtbot, window, store):
    tag(qtbot, window, "Kim Jong Un said the economy grew 5%")
    source = tag(qtbot, window, "Kim Jong Un", Qt.Key.Key_2)
    press(qtbot, window.view, Qt.Key.Key_Delete)
    rows = store.annotations_for(window.current_article.id)
    assert [a.label for a in rows] == ["CLAIM"]
    assert store.get_annotation(source).deleted
    assert not in_view(window, source)
    assert window.selected_id is None
    assert window.statusBar().currentMessage().startswith("Saved · delete SOURCE")


def test_backspace_also_deletes(qtbot, window, store):
    tag(qtbot, window, "economy")
    press(qtbot, window.view, Qt.Key.Key_Backspace)
    assert store.annotations_for(window.current_article.id) == []


def test_change_label_in_the_detail_editor(qtbot, window, store):
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    combo = window.side_panel.detail.label_combo
    combo.setCurrentIndex(combo.findData("SOURCE"))
    assert store.get_annotation(annotation_id).label == "SOURCE"
    assert window.annotations[annotation_id].label == "SOURCE"
    assert window.undo_stack.undoText() == "relabel CLAIM → SOURCE"


def test_hotkey_without_text_selection_relabels_the_selected_annotation(qtbot, window, store):
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_2)
    assert store.get_annotation(annotation_id).label == "SOURCE"
    assert len(store.annotations_for(window.current_article.id)) == 1


def test_attributes_are_saved_from_the_detail_editor(qtbot, window, store):
    annotation_id = tag(qtbot, window, "the economy grew 5%")
    combo = window.side_panel.detail._attribute_widgets["kind"]  # noqa: SLF001
    combo.setCurrentIndex(combo.findData("statistic"))
    assert store.get_annotation(annotation_id).attributes == {"kind": "statistic"}


def test_digits_typed_in_the_note_do_not_tag_and_the_note_is_saved(qtbot, window, store):
    annotation_id = tag(qtbot, window, "the economy grew 5%")
    note = window.side_panel.detail.note
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    select_text(window, "Kim Jong Un")  # a text selection exists, yet typing must not tag it
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClicks(note, "check 123")
    assert len(store.annotations_for(window.current_article.id)) == 1
    assert note.toPlainText() == "check 123"
    focus_view(qtbot, window)  # leaving the field saves at once
    assert store.get_annotation(annotation_id).note == "check 123"
    item = window.side_panel._items[annotation_id]  # noqa: SLF001
    assert item.text(2) == "✎"


def test_note_is_saved_after_a_pause(qtbot, window, store):
    annotation_id = tag(qtbot, window, "economy")
    note = window.side_panel.detail.note
    note.setFocus()
    qtbot.keyClicks(note, "needs a source")
    qtbot.waitUntil(lambda: store.get_annotation(annotation_id).note == "needs a source", timeout=3000)


def test_n_and_p_move_between_annotations_in_text_order(qtbot, window, store):
    for needle, key in (("grew 5%", Qt.Key.Key_1), ("Kim Jong Un", Qt.Key.Key_2), ("economy", Qt.Key.Key_1)):
        select_text(window, needle)
        press(qtbot, window.view, key)
    ordered = [a.id for a in sorted(store.annotations_for(window.current_article.id), key=lambda a: a.start)]
    window.select_annotation(None)
    press(qtbot, window.view, Qt.Key.Key_N)
    assert window.selected_id == ordered[0]
    press(qtbot, window.view, Qt.Key.Key_N)
    assert window.selected_id == ordered[1]
    assert window.side_panel.tree.currentItem() is window.side_panel._items[ordered[1]]  # noqa: SLF001
    press(qtbot, window.view, Qt.Key.Key_N)
    assert window.selected_id == ordered[2]
    press(qtbot, window.view, Qt.Key.Key_P)
    assert window.selected_id == ordered[1]


def test_clicking_a_row_in_the_panel_selects_the_annotation(qtbot, window, store):
    annotation_id = tag(qtbot, window, "economy")
    window.select_annotation(None)
    item = window.side_panel._items[annotation_id]  # noqa: SLF001
    tree = window.side_panel.tree
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selected_id == annotation_id
    assert window.view.selected_annotation() == annotation_id


def test_boundary_keys_move_the_end_and_the_start_by_a_word(qtbot, window, store):
    annotation_id = tag(qtbot, window, "Jong", Qt.Key.Key_2)
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window.view, Qt.Key.Key_Right, modifiers)
    assert store.get_annotation(annotation_id).quote == "Jong Un"
    press(qtbot, window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert store.get_annotation(annotation_id).quote == "Kim Jong Un"
    press(qtbot, window.view, Qt.Key.Key_Left, modifiers)
    assert store.get_annotation(annotation_id).quote == "Kim Jong"
    press(qtbot, window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert store.get_annotation(annotation_id).quote == "Jong"
    press(qtbot, window.view, Qt.Key.Key_Left, modifiers)  # cannot get empty
    assert store.get_annotation(annotation_id).quote == "Jong"
    assert in_view(window, annotation_id)


def test_b_sets_the_bounds_to_the_selection(qtbot, window, store):
    annotation_id = tag(qtbot, window, "Kim", Qt.Key.Key_2)
    tag(qtbot, window, "Kim Jong U", Qt.Key.Key_B)
    stored = store.get_annotation(annotation_id)
    assert (stored.start, stored.end, stored.quote) == (2, 13, "Kim Jong Un")
    assert len(store.annotations_for(window.current_article.id)) == 1


def test_hotkey_without_any_selection_only_explains(qtbot, window, store):
    press(qtbot, window.view, Qt.Key.Key_1)
    assert store.annotations_for(window.current_article.id) == []
    assert "Select some text" in window.statusBar().currentMessage()


def test_same_span_and_label_twice_is_not_duplicated(qtbot, window, store):
    tag(qtbot, window, "economy")
    tag(qtbot, window, "economy")
    assert len(store.annotations_for(window.current_article.id)) == 1


def test_keys_in_other_widgets_do_not_tag_or_delete(qtbot, window, store):
    annotation_id = tag(qtbot, window, "economy")
    combo = window.side_panel.detail._attribute_widgets["kind"]  # noqa: SLF001
    for widget in (combo, window.article_list.view, window.article_list.filter_edit):
        select_text(window, "Kim Jong Un")
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        for key in (Qt.Key.Key_2, Qt.Key.Key_N, Qt.Key.Key_Delete, Qt.Key.Key_B):
            press(qtbot, widget, key)
    rows = store.annotations_for(window.current_article.id)
    assert [(a.id, a.label, a.quote) for a in rows] == [(annotation_id, "CLAIM", "economy")]
