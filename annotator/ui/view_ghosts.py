"""Suggestions in the article view: ghost spans, painted from the same walk over the visible lines as
the highlights (view_geometry.line_pieces).

A mixin of `ArticleView`. A ghost is a *dashed outline* in its label's colour with no fill, so it
never reads as an annotation (filled, underlined) nor as review mode's layers (half fills, solid
gold outlines; ghosts are not drawn in review mode at all) nor as link candidates (dashed in the
text colour, shown only while linking, when ghosts step aside). The current suggestion (Tab walks
them) gets the label's light fill, a heavier dash and a small "?" tab at its start, so it can be
found on a busy line and on a caption's smaller, muted text. Offsets are code points, as in the
highlights' index; Qt's UTF-16 positions come from the view's `Utf16Index`.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from ..model import Suggestion
from .highlights import SpanIndex

GHOST_DASH = [2.5, 2.0]
CURRENT_DASH = [3.0, 1.6]


class GhostMixin:
    """The view's suggestions: `set_suggestions`, `set_current_suggestion`, `set_suggestions_visible`."""

    def _init_ghosts(self) -> None:
        self._ghosts: dict[str, Suggestion] = {}
        self._ghost_index = SpanIndex()
        self._ghost_current: str | None = None
        self._ghosts_visible = True

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        """The open suggestions of the article shown (replaces what was shown)."""
        article = self._article
        length = len(article.text) if article is not None else 0
        kept = [s for s in suggestions
                if article is not None and s.article_id == article.id and 0 <= s.start < s.end <= length]
        self._ghosts = {s.id: s for s in kept}
        self._ghost_index.rebuild([(s.id, s.start, s.end) for s in kept])
        if self._ghost_current not in self._ghosts:
            self._ghost_current = None
        self.viewport().update()

    def suggestions(self) -> list[Suggestion]:
        """The suggestions shown, in text order."""
        return sorted(self._ghosts.values(), key=lambda s: (s.start, s.end, s.label, s.id))

    def set_suggestions_visible(self, visible: bool) -> None:
        self._ghosts_visible = visible
        self.viewport().update()

    def suggestions_visible(self) -> bool:
        return self._ghosts_visible

    def set_current_suggestion(self, suggestion_id: str | None) -> None:
        """Emphasise one suggestion (None: none) and scroll it into view."""
        self._ghost_current = suggestion_id if suggestion_id in self._ghosts else None
        if self._ghost_current is not None:
            s = self._ghosts[self._ghost_current]
            self._scroll_into_view(*self._qt_range(s.start, s.end))
        self.viewport().update()

    def current_suggestion(self) -> str | None:
        return self._ghost_current

    def suggestion_at(self, cp: int) -> str | None:
        """The suggestion under code point `cp` (the current one if it is there, else the innermost)."""
        if not self._ghosts_on():
            return None
        found = [span.key for span in self._ghost_index.at(cp)]
        if self._ghost_current in found:
            return self._ghost_current
        return found[0] if found else None

    def _clear_ghosts(self) -> None:
        self._ghosts = {}
        self._ghost_index.clear()
        self._ghost_current = None

    def _ghosts_on(self) -> bool:
        return bool(self._ghosts) and self._ghosts_visible and self._review is None and not self._link_from

    def _ghost_tooltip(self, cp: int) -> list[str]:
        if not self._ghosts_on():
            return []
        lines = []
        for span in self._ghost_index.at(cp):
            s = self._ghosts[span.key]
            lines.append(f"Suggested {s.label} — {s.suggester} {s.version}, confidence {s.confidence:.2f}\n"
                         "  Enter accepts, X rejects, Tab goes to the next")
        return lines

    def _ghost_pieces(self, rect) -> dict[str, list]:
        if not self._ghosts_on():
            return {}
        blocks = list(self._visible_blocks(rect.adjusted(0, -int(self._column_em), 0, 0)))
        if not blocks:
            return {}
        pieces: dict[str, list] = {}
        for piece in self.line_pieces(blocks, self._spans_on_screen(self._ghost_index.overlapping, blocks)):
            pieces.setdefault(piece.key, []).append(piece)
        return pieces

    def _paint_ghosts_under(self, painter: QPainter, rect) -> None:
        """The current suggestion's light fill, under the text."""
        current = self._ghost_current
        if current is None or not self._ghosts_on():
            return
        found = self._ghost_pieces(rect).get(current, [])
        if not found:
            return
        fill = QColor(self._style_of_label(self._ghosts[current].label).fill)
        fill.setAlphaF(min(1.0, fill.alphaF() * 0.8))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        for piece in found:
            painter.drawRoundedRect(piece.rect().adjusted(-1.5, -1, 1.5, 1), 3, 3)

    def _paint_ghosts_over(self, painter: QPainter, rect) -> None:
        """Dashed outlines in the label's colour; the current one heavier, with its tab."""
        pieces = self._ghost_pieces(rect)
        if not pieces:
            return
        for key, found in pieces.items():
            s = self._ghosts.get(key)
            if s is None:
                continue
            painter.setBrush(Qt.BrushStyle.NoBrush)
            line = self._style_of_label(s.label).line
            is_current = key == self._ghost_current
            pen = QPen(line, 2.0 if is_current else 1.4)
            pen.setDashPattern(CURRENT_DASH if is_current else GHOST_DASH)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            inset = min(self._ghost_index.track(key), 3) * 2.0  # a ghost inside another stays inside its outline
            for piece in found:
                painter.drawRoundedRect(piece.rect().adjusted(-1.5 + inset, -1 + inset, 1.5 - inset, 1 - inset), 3, 3)
            if is_current:
                first = next((p for p in found if p.starts), None)
                if first is not None:
                    self._paint_ghost_tab(painter, first.rect(), line)

    def _paint_ghost_tab(self, painter: QPainter, rect: QRectF, colour: QColor) -> None:
        """A small "?" tab standing above the current suggestion's start: "suggested, decide"."""
        small = QFont(self._body_font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.62))
        small.setBold(True)
        metrics = QFontMetricsF(small)
        width, height = metrics.horizontalAdvance("?") + 8, metrics.height() + 1
        box = QRectF(rect.left() - 1.5, rect.top() - height - 1, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(box, 2.5, 2.5)
        painter.setFont(small)
        painter.setPen(self._theme.base)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "?")
