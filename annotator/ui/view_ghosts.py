"""Suggestions in the article view: ghost spans, painted from the same walk over the visible lines as
the highlights (view_geometry.line_pieces).

A mixin of `ArticleView`. A ghost is a *dashed outline* in its label's colour with no fill, so it
never reads as an annotation (filled, underlined) nor as review mode's layers (half fills, solid
gold outlines; ghosts are not drawn in review mode at all) nor as link candidates (dashed in the
text colour, shown only while linking, when ghosts step aside). The current suggestion (Tab walks
them) gets the label's light fill, a heavier dash and a small "?" tab at its start, so it can be
found on a busy line and on a caption's smaller, muted text. Offsets are code points, as in the
highlights' index; Qt's UTF-16 positions come from the view's `Utf16Index`.

A suggested link (a relation a suggester proposed, between annotations or suggestions) is drawn
only while it is the current one, as relations are only for the selected annotation: the arrow of
connector.py, dashed, with its name and a "?".
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from ..model import SuggestedRelation, Suggestion
from .connector import Connector, link_name
from .highlights import Span, SpanIndex

GHOST_DASH = [2.5, 2.0]
CURRENT_DASH = [3.0, 1.6]


def _suggested_name(link: SuggestedRelation) -> str:
    return link_name(link.type) + " ?"


class GhostMixin:
    """The view's suggestions: `set_suggestions`, `set_current_suggestion`, `set_suggestions_visible`."""

    def _init_ghosts(self) -> None:
        self._ghosts: dict[str, Suggestion] = {}
        self._ghost_links: dict[str, SuggestedRelation] = {}
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
        if self._ghost_current not in self._ghosts and self._ghost_current not in self._ghost_links:
            self._ghost_current = None
        self.viewport().update()

    def set_suggested_links(self, links: list[SuggestedRelation]) -> None:
        """The open relation suggestions of the article shown (replaces what was shown)."""
        article = self._article
        self._ghost_links = {r.id: r for r in links if article is not None and r.article_id == article.id}
        if self._ghost_current not in self._ghosts and self._ghost_current not in self._ghost_links:
            self._ghost_current = None
        self.viewport().update()

    def suggested_links(self) -> list[SuggestedRelation]:
        """The suggested links whose two ends are shown (an annotation or a suggestion), in the order
        of their heads in the text."""
        found = []
        for link in self._ghost_links.values():
            head, tail = self.end_span(link.head), self.end_span(link.tail)
            if head is not None and tail is not None:
                found.append((head.start, head.end, link.type, link.id, link))
        return [link for *_, link in sorted(found, key=lambda f: f[:4])]

    def link_position(self, link: SuggestedRelation) -> int:
        """Where a suggested link is in the text (its head's start), for walking it with the spans."""
        head = self.end_span(link.head)
        return head.start if head is not None else 0

    def end_span(self, key: str) -> Span | None:
        """The span a suggested link's end stands for here: an annotation's, or a suggestion's."""
        return self._end_index(key).get(key)

    def _end_index(self, key: str) -> SpanIndex:
        """Where a suggested link's end is: the annotations' index if it is one, else the suggestions'."""
        return self._index if self._index.get(key) is not None else self._ghost_index

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
        known = suggestion_id in self._ghosts or suggestion_id in self._ghost_links
        self._ghost_current = suggestion_id if known else None
        if self._ghost_current in self._ghosts:
            s = self._ghosts[self._ghost_current]
            self._scroll_into_view(*self._qt_range(s.start, s.end))
        elif self._ghost_current is not None:
            link = self._ghost_links[self._ghost_current]
            ends = [span for span in (self.end_span(link.head), self.end_span(link.tail)) if span is not None]
            if ends:
                self._scroll_into_view(*self._qt_range(min(e.start for e in ends), max(e.end for e in ends)))
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
        self._ghost_links = {}
        self._ghost_index.clear()
        self._ghost_current = None

    def _ghosts_on(self) -> bool:
        return (bool(self._ghosts) or bool(self._ghost_links)) and self._ghosts_visible and self._review is None \
            and not self._link_from

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

    def suggested_connector(self) -> tuple[SuggestedRelation, Connector] | None:
        """The current suggested link and its arrow's geometry, if it is current and both ends show."""
        link = self._ghost_links.get(self._ghost_current or "")
        if link is None or not self._ghosts_on():
            return None
        anchors = [self._anchor(key, top, self._end_index(key)) for key in (link.head, link.tail) for top in (True, False)]
        if any(anchor is None for anchor in anchors):
            return None
        return link, self._connector_between(anchors, _suggested_name(link), self._text_line_rects(self.viewport().rect()))

    def _paint_ghosts_over(self, painter: QPainter, rect) -> None:
        """Dashed outlines in the label's colour; the current one heavier, with its tab; the current
        suggested link's dashed arrow."""
        found_link = self.suggested_connector()
        if found_link is not None:
            link, shape = found_link
            head_label = (self._annotations[link.head].label if link.head in self._annotations
                          else self._ghosts[link.head].label if link.head in self._ghosts else "")
            self._paint_connector(painter, shape, self._style_of_label(head_label).line, _suggested_name(link),
                                  dashed=True)
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
