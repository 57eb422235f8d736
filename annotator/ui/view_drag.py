"""Dragging the boundary handles of the selected annotation. A mixin of `ArticleView`.

The selected annotation gets a handle at each end (a bar with a knob: on top at the start, below at
the end). Near a handle the pointer becomes a sizing cursor; pressing and dragging it moves that
boundary, previewed live (snapped to whole words, or with Alt held to characters, never past the
other end: at least one character stays). Releasing emits ``boundsDragged(id, start, end)`` in code
points (the window stores it as one undoable edit); Esc during the drag cancels it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent

from annotator.textspan import grapheme_bounds, snap_to_graphemes, snap_to_words
from annotator.ui.view_geometry import HANDLE_KNOB

HANDLE_REACH = 5.0  # pixels either side of a selected span's edge where its handle can be grabbed


class DragMixin:
    """The boundary handles' drag."""

    def _handle_bounds(self) -> tuple[str, int, int] | None:
        """(key, start, end) in code points of the span that has handles: the selected annotation
        (where a drag would put it while one is under way); None in review or link mode."""
        if self._drag_key is not None:
            return self._drag_key, *self._drag_bounds
        if self._selected is None or self._review is not None or self._link_from or self._article is None:
            return None
        span = self._index.get(self._selected)
        return (span.key, span.start, span.end) if span is not None else None

    def _edge_at(self, point: QPoint | QPointF) -> str:
        """"start" or "end" if ``point`` is on a handle of the selected annotation, else ""."""
        found = self._handle_bounds()
        if found is None:
            return ""
        _key, start, end = found
        best, distance = "", HANDLE_REACH + 0.5
        for cp, name in ((start, "start"), (end, "end")):
            edge = self._edge_line(cp, name == "end")
            if edge is None:
                continue
            x, top, bottom = edge
            reach_top = top - (2 * HANDLE_KNOB + 3 if name == "start" else 3)
            reach_bottom = bottom + (2 * HANDLE_KNOB + 3 if name == "end" else 3)
            if reach_top <= point.y() <= reach_bottom and abs(point.x() - x) < distance:
                best, distance = name, abs(point.x() - x)
        return best

    def _dragged_bounds(self, point: QPoint, modifiers: Qt.KeyboardModifier) -> tuple[int, int]:
        """Where the dragged edge goes for a pointer at ``point``: word-snapped (the word under the
        pointer included), or with Alt the nearest character boundary; the other edge stays."""
        assert self._article is not None and self._drag_key is not None
        text = self._article.text
        span = self._index.get(self._drag_key)
        start, end = (span.start, span.end) if span is not None else self._drag_bounds
        exact = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        limit = self._u16.utf16_length
        gap = self._u16.to_codepoint(min(max(0, self.cursorForPosition(point).position()), limit))
        char = None if exact else self._char_at(point)
        if self._drag_edge == "end":
            at = gap if char is None else self._u16.to_codepoint(char) + 1
            at = max(start, min(at, len(text)))
            snapped = (snap_to_graphemes if exact else snap_to_words)(text, start, at)[1]
            return start, max(snapped, grapheme_bounds(text, start)[1])
        at = gap if char is None else self._u16.to_codepoint(char)
        at = max(0, min(at, end))
        snapped = (snap_to_graphemes if exact else snap_to_words)(text, at, end)[0]
        return min(snapped, grapheme_bounds(text, max(0, end - 1))[0]), end

    def dragging_bounds(self) -> tuple[str, int, int] | None:
        """The drag under way: (annotation id, start, end) as previewed, or None."""
        return (self._drag_key, *self._drag_bounds) if self._drag_key is not None else None

    def _end_drag(self) -> None:
        """Forget a drag under way (the preview goes; nothing is emitted)."""
        if self._drag_key is None:
            return
        self._drag_key, self._drag_edge, self._drag_press = None, "", None
        self._drag_moved = False
        self._swallow_release = True
        self.viewport().update()

    def _default_cursor(self) -> Qt.CursorShape:
        return Qt.CursorShape.PointingHandCursor if self._link_from else Qt.CursorShape.IBeamCursor

    def _finish_drag(self, event: QMouseEvent) -> None:
        key, moved = self._drag_key, self._drag_moved
        assert key is not None
        bounds = self._dragged_bounds(event.position().toPoint(), event.modifiers()) if moved else self._drag_bounds
        self._end_drag()
        self._swallow_release = False
        self._hover_edge = bool(self._edge_at(event.position()))
        self.viewport().setCursor(Qt.CursorShape.SizeHorCursor if self._hover_edge else self._default_cursor())
        span = self._index.get(key)
        if not moved:
            self._emit_click(event.position().toPoint())  # a click on a handle is still a click
        elif span is not None and bounds != (span.start, span.end):
            self.boundsDragged.emit(key, *bounds)

    def _autoscroll(self, point: QPoint) -> None:
        """Scroll a little when a dragged handle is taken above or below the viewport."""
        bar = self.verticalScrollBar()
        if point.y() < 0:
            bar.setValue(bar.value() + max(-40, point.y()))
        elif point.y() > self.viewport().height():
            bar.setValue(bar.value() + min(40, point.y() - self.viewport().height()))
