"""Dragging the handles of the selected annotation moves its boundaries (one undoable edit)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.textspan import Utf16Index

try:
    from .fixtures_window import (  # noqa: F401 - fixtures are used by name
        isolated_settings,
        make_window,
        press,
        project_path,
        select_text,
        span_of,
        store,
        window,
    )
except ImportError:
    from fixtures_window import (  # type: ignore[no-redef]  # noqa: F401
        isolated_settings,
        make_window,
        press,
        project_path,
        select_text,
        span_of,
        store,
        window,
    )

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier
ALT = Qt.KeyboardModifier.AltModifier


def tag(qtbot, window, needle: str, key: Qt.Key = Qt.Key.Key_1) -> str:
    select_text(window, needle)
    press(qtbot, window.view, key)
    assert window.selected_id is not None
    return window.selected_id


def point_at(window, cp: int) -> QPoint:
    """Viewport pixel of the cursor position before code point ``cp`` (middle of its line)."""
    u16 = Utf16Index(window.current_article.text).to_utf16(cp)
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(u16)
    return window.view.cursorRect(cursor).center()


def drag(qtbot, window, source: QPoint, target: QPoint, modifier=NONE, release: bool = True) -> None:
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, LEFT, modifier, source)
    steps = 4
    for i in range(1, steps + 1):
        step = source + (target - source) * (i / steps)
        qtbot.mouseMove(viewport, step)
    if release:
        qtbot.mouseRelease(viewport, LEFT, modifier, target)


def bounds(store, annotation_id: str) -> tuple[int, int]:
    row = store.get_annotation(annotation_id)
    return row.start, row.end


def test_dragging_the_end_handle_moves_the_end_to_a_later_word_after_an_emoji(qtbot, window, store):
    text = window.current_article.text
    assert text.startswith("😀")  # one code point, two UTF-16 units, before the span
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    start, end = span_of(text, "Kim Jong Un")
    said_start, said_end = span_of(text, "said")
    drag(qtbot, window, point_at(window, end), point_at(window, said_start + 2))
    assert bounds(store, annotation_id) == (start, said_end)
    assert store.get_annotation(annotation_id).quote == "Kim Jong Un said"
    assert window.view._index.get(annotation_id).end == said_end  # noqa: SLF001 - drawn where stored
    assert window.undo_stack.undoText() == "resize CLAIM"
    assert window.selected_id == annotation_id
    assert window.view.dragging_bounds() is None


def test_dragging_the_end_to_the_end_of_a_word_snaps_to_it(qtbot, window, store):
    text = window.current_article.text
    annotation_id = tag(qtbot, window, "Kim")
    economy = span_of(text, "economy")
    drag(qtbot, window, point_at(window, span_of(text, "Kim")[1]), point_at(window, economy[1]))
    assert bounds(store, annotation_id) == (span_of(text, "Kim")[0], economy[1])


def test_dragging_the_start_handle_moves_the_start(qtbot, window, store):
    text = window.current_article.text
    annotation_id = tag(qtbot, window, "the economy")
    start, end = span_of(text, "the economy")
    jong = span_of(text, "Jong")
    drag(qtbot, window, point_at(window, start), point_at(window, jong[0] + 1))
    assert bounds(store, annotation_id) == (jong[0], end)
    assert store.get_annotation(annotation_id).quote == "Jong Un said the economy"


def test_the_dragged_edge_never_crosses_the_other(qtbot, window, store):
    text = window.current_article.text
    annotation_id = tag(qtbot, window, "economy grew")
    start, end = span_of(text, "economy grew")
    drag(qtbot, window, point_at(window, end), point_at(window, span_of(text, "Kim")[0]))
    new_start, new_end = bounds(store, annotation_id)
    assert new_start == start and start < new_end <= end  # at least one character stays


def test_alt_drag_keeps_exact_characters(qtbot, window, store):
    text = window.current_article.text
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    start, end = span_of(text, "Kim Jong Un")
    economy = span_of(text, "economy")
    drag(qtbot, window, point_at(window, end), point_at(window, economy[0] + 3), modifier=ALT)
    assert bounds(store, annotation_id) == (start, economy[0] + 3)


def test_undo_restores_the_original_bounds(qtbot, window, store):
    text = window.current_article.text
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    original = span_of(text, "Kim Jong Un")
    drag(qtbot, window, point_at(window, original[1]), point_at(window, span_of(text, "said")[1]))
    assert bounds(store, annotation_id) != original
    press(qtbot, window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert bounds(store, annotation_id) == original
    assert window.view._index.get(annotation_id).end == original[1]  # noqa: SLF001
    press(qtbot, window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert bounds(store, annotation_id) == (original[0], span_of(text, "said")[1])


def test_escape_cancels_the_drag(qtbot, window, store):
    text = window.current_article.text
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    original = span_of(text, "Kim Jong Un")
    target = point_at(window, span_of(text, "economy")[1])
    drag(qtbot, window, point_at(window, original[1]), target, release=False)
    preview = window.view.dragging_bounds()
    assert preview == (annotation_id, original[0], span_of(text, "economy")[1])  # the live preview
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.view.dragging_bounds() is None
    assert window.selected_id == annotation_id  # Esc cancelled the drag, it did not deselect
    qtbot.mouseRelease(window.view.viewport(), LEFT, NONE, target)
    assert bounds(store, annotation_id) == original
    assert window.undo_stack.undoText() == "tag CLAIM"  # nothing stored


def test_dragging_elsewhere_still_selects_text(qtbot, window, store):
    text = window.current_article.text
    annotation_id = tag(qtbot, window, "Kim Jong Un")
    economy = span_of(text, "economy")
    drag(qtbot, window, point_at(window, economy[0]), point_at(window, economy[1]))
    assert window.view.selection_span() == economy
    assert bounds(store, annotation_id) == span_of(text, "Kim Jong Un")
    assert window.view.dragging_bounds() is None


def test_clicking_a_span_still_selects_it(qtbot, window, store):
    text = window.current_article.text
    first = tag(qtbot, window, "Kim Jong Un")
    second = tag(qtbot, window, "economy", Qt.Key.Key_2)
    assert window.selected_id == second
    qtbot.mouseClick(window.view.viewport(), LEFT, pos=window.view.point_for(span_of(text, "Jong")[0] + 1))
    assert window.selected_id == first


def test_hovering_an_edge_shows_the_sizing_cursor(qtbot, window):
    text = window.current_article.text
    tag(qtbot, window, "Kim Jong Un")
    viewport = window.view.viewport()
    qtbot.mouseMove(viewport, point_at(window, span_of(text, "Kim Jong Un")[1]))
    qtbot.waitUntil(lambda: viewport.cursor().shape() == Qt.CursorShape.SizeHorCursor, timeout=1000)
    qtbot.mouseMove(viewport, point_at(window, span_of(text, "economy")[0] + 3))
    qtbot.waitUntil(lambda: viewport.cursor().shape() == Qt.CursorShape.IBeamCursor, timeout=1000)


def test_keyboard_help_mentions_dragging(window):
    rows = window.shortcut_table()
    assert any("drag" in keys.lower() and "handle" in keys.lower() for _section, keys, _action in rows)
