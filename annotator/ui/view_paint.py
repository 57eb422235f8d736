"""The article view's painting: highlights under and over the text, markers, arrows, handles, and
review mode's layer, drawn from the geometry's one walk over the visible lines.

A mixin of `ArticleView` (article_view.py). Highlights are *not* char formats or extra selections,
which would make adding one span to an article with 10,000 re-apply all of them: spans live in a
`SpanIndex` (code points) and each paint converts and paints only those on the visible lines:
translucent label-colour backgrounds under the text (blending where spans overlap), then stacked
underlines (one track per nesting depth, a dash pattern per label so colour is never the only cue)
over it; the selected annotation gets a stronger fill and an outline. Find hits are painted the
same way in a neutral grey. A span with a relation gets a small dot after its end, one with a note a
dog-ear; only the selected annotation's relations are drawn as arrows. In link mode the spans that
can be linked are outlined, dashed. In review mode a `ReviewLayer` paints instead of the highlights.
Suggestions (view_ghosts.py) are painted last: dashed outlines over everything else.
"""

from __future__ import annotations

import bisect
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from annotator.schema import LabelSchema
from annotator.ui.connector import Connector, connector, link_name
from annotator.ui.highlights import Span, paint_order
from annotator.ui.theme import DASH_PATTERNS, FALLBACK_LABEL_COLOR
from annotator.ui.view_geometry import HANDLE_KNOB, UNDERLINE_PITCH

if TYPE_CHECKING:  # review mode's layer loads when review mode first paints (start-up time)
    from annotator.ui.review_layer import LayerPiece, ReviewLayer

UNDERLINE_WIDTH = 2.0


@dataclass(frozen=True)
class LabelStyle:
    """How one label's spans are painted: fills and underline."""

    fill: QColor
    selected_fill: QColor
    line: QColor
    pen: QPen  # the underline: label colour, label dash pattern


@dataclass
class Piece:
    """One visual piece of a span on one line, in viewport coordinates."""

    key: str
    rect: QRectF
    underline_y: float
    last: bool = False  # the piece where the span ends (markers go there)


LINK_DASH = [3.0, 2.0]  # a suggested link's line and name box


class PaintingMixin:
    """Painting the view's layers."""

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._article is None or not self._article.text:
            super().paintEvent(event)
            return
        if self._review is not None:
            self._paint_review(event)
            return
        pieces, tints, finds, current = self._layout_highlights(event.rect())
        with self._viewport_painter() as painter:
            self._paint_under(painter, pieces, tints, finds)
            self._paint_ghosts_under(painter, event.rect())
        super().paintEvent(event)
        with self._viewport_painter() as painter:
            self._paint_over(painter, pieces, current)
            self._paint_ghosts_over(painter, event.rect())

    @contextmanager
    def _viewport_painter(self) -> Iterator[QPainter]:
        """An antialiased painter on the viewport, ended before the text (or the next layer) paints."""
        painter = QPainter(self.viewport())
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            yield painter
        finally:
            painter.end()

    def _paint_review(self, event) -> None:
        """Review mode: the layer's fills under the text, its edges, outlines and tabs over it."""
        layer = self._review
        assert layer is not None
        # the tabs stand above their line: lay out a little more than the exposed rectangle
        reach = int(self._column_em * 1.2)
        pieces, tints = self._layout_review(layer, event.rect().adjusted(0, -reach, 0, reach))
        from annotator.ui.review_layer import ReviewLook

        look = ReviewLook(self._theme, self._style_of_label, self._body_font())
        with self._viewport_painter() as painter:
            self._paint_under(painter, [], tints, [])
            layer.paint_under(painter, pieces, look)
        super().paintEvent(event)
        with self._viewport_painter() as painter:
            layer.paint_over(painter, pieces, look)

    def _layout_review(self, layer: ReviewLayer, rect: QRect) -> tuple[dict[str, list[LayerPiece]], list]:
        """Line pieces of the layer's spans on the lines intersecting ``rect`` (and the block tints)."""
        from annotator.ui.review_layer import LayerPiece

        blocks = list(self._visible_blocks(rect))
        pieces: dict[str, list[LayerPiece]] = {}
        if not blocks:
            return pieces, []
        for piece in self.line_pieces(blocks, self._spans_on_screen(layer.overlapping, blocks)):
            pieces.setdefault(piece.key, []).append(LayerPiece(piece.rect(), piece.gap, piece.starts, piece.ends))
        return pieces, self._tints(blocks)

    def _spans_on_screen(self, overlapping, blocks) -> list[Span]:
        """The spans (code points in the index) overlapping the visible blocks, in UTF-16 units."""
        first_pos, last_pos = self._visible_range(blocks)
        to_cp, to_u16 = self._u16.to_codepoint, self._u16.to_utf16
        limit = self._u16.utf16_length
        return [Span(span.key, to_u16(span.start), to_u16(span.end))
                for span in overlapping(to_cp(min(first_pos, limit)), to_cp(min(last_pos, limit)) + 1)]

    def _layout_highlights(self, rect: QRect):
        blocks = list(self._visible_blocks(rect))
        if not blocks:
            return [], [], [], []
        first_pos, last_pos = self._visible_range(blocks)
        spans = self._spans_on_screen(self._index.overlapping, blocks)
        if self._drag_key is not None:  # a boundary is being dragged: draw that span where it would go
            spans = [span for span in spans if span.key != self._drag_key]
            start, end = self._qt_range(*self._drag_bounds)
            if start < last_pos and end > first_pos:
                spans.append(Span(self._drag_key, start, end))
        pieces: list[Piece] = []
        for line_span in self.line_pieces(blocks, spans):
            tracks = max(1, int((line_span.gap - 1) // UNDERLINE_PITCH))
            track = min(self._index.track(line_span.key), tracks - 1)
            # whole pixels: a 2 px line centred on an integer fills 2 rows
            underline = round(line_span.top + line_span.height) + 2 + track * UNDERLINE_PITCH
            pieces.append(Piece(line_span.key, line_span.rect(), underline, line_span.ends))
        find_lo = bisect.bisect_left(self._find_ends, first_pos + 1)
        find_hi = bisect.bisect_left(self._find_starts, last_pos)
        hits = [Span(str(i), self._find_starts[i], self._find_ends[i]) for i in range(find_lo, find_hi)]
        finds: list[QRectF] = []
        current: list[QRectF] = []
        for hit in self.line_pieces(blocks, hits):
            box = QRectF(hit.left, hit.top, hit.right - hit.left, hit.height)
            finds.append(box)
            if hit.key == str(self._find_current):
                current.append(box)
        return pieces, self._tints(blocks), finds, current

    def _paint_under(self, painter: QPainter, pieces: list[Piece], tints, finds: list[QRectF]) -> None:
        theme = self._theme
        em = self._column_em
        for kind, box in tints:
            if kind == "image_alt":
                padded = box.adjusted(0, -em * 0.45, 0, em * 0.45)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(theme.tint)
                painter.drawRoundedRect(padded, em * 0.3, em * 0.3)
                draw_picture_glyph(painter, QRectF(padded.left() + em * 0.7, box.top(), em * 1.2, min(box.height(), em * 1.2)), theme.faint)
            elif kind == "related":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(theme.accent)
                painter.drawRoundedRect(QRectF(box.left() + em * 0.1, box.top() + 1, 3.0, box.height() - 2), 1.5, 1.5)
        if finds:
            painter.setPen(QPen(theme.find_line, 1.0))
            painter.setBrush(theme.find_fill)
            for r in finds:
                painter.drawRoundedRect(r.adjusted(-1.5, 0.5, 1.5, -0.5), 2.5, 2.5)
        painter.setPen(Qt.PenStyle.NoPen)
        by_key: dict[str, list[QRectF]] = {}
        for piece in pieces:
            by_key.setdefault(piece.key, []).append(piece.rect)
        spans = [self._index.get(key) for key in by_key]
        for span in paint_order(s for s in spans if s is not None):  # code points: same order
            style = self._label_style(span.key)
            painter.setBrush(style.selected_fill if span.key == self._selected else style.fill)
            painter.drawRects(by_key[span.key])

    def _paint_over(self, painter: QPainter, pieces: list[Piece], current: list[QRectF]) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        lines: dict[int, tuple[LabelStyle, list[QLineF]]] = {}
        for piece in pieces:
            style = self._label_style(piece.key)
            y = piece.underline_y
            entry = lines.get(id(style))
            if entry is None:
                entry = lines[id(style)] = (style, [])
            entry[1].append(QLineF(piece.rect.left(), y, piece.rect.right(), y))
        for style, batch in lines.values():
            painter.setPen(style.pen)
            painter.drawLines(batch)
        for piece in pieces:
            if piece.key == self._selected:
                style = self._label_style(piece.key)
                pen = QPen(style.line, 2.0)
                painter.setPen(pen)
                painter.drawRoundedRect(piece.rect.adjusted(-1, -1, 1, 1), 2.5, 2.5)
        if current:
            painter.setPen(QPen(self._theme.text, 2.0))
            for r in current:
                painter.drawRoundedRect(r.adjusted(-2, -0.5, 2, 0.5), 3, 3)
        self._paint_markers(painter, pieces)
        self._paint_connectors(painter)
        self._paint_handles(painter)

    def _paint_handles(self, painter: QPainter) -> None:
        """A bar at each end of the selected span, with a knob above its start and below its end."""
        found = self._handle_bounds()
        if found is None:
            return
        key, start, end = found
        style = self._label_style(key)
        outline = QPen(self._theme.base, 1.0)
        for cp, is_end in ((start, False), (end, True)):
            edge = self._edge_line(cp, is_end)
            if edge is None:
                continue
            x, top, bottom = edge
            x = round(x)
            bar = QRectF(x - 1.5, top - 3, 3.0, bottom - top + 6)  # stands out of the outline
            knob = QPointF(x, bottom + 2 + HANDLE_KNOB if is_end else top - 2 - HANDLE_KNOB)
            painter.setPen(outline)
            painter.setBrush(style.line)
            painter.drawRoundedRect(bar, 1.0, 1.0)
            painter.drawEllipse(knob, HANDLE_KNOB, HANDLE_KNOB)

    def _paint_markers(self, painter: QPainter, pieces: list[Piece]) -> None:
        """Dog-ear for a note, superscript dot for relations; dashed outlines of link candidates."""
        last = {piece.key: piece.rect for piece in pieces if piece.last}
        base = QColor(self._theme.base)
        for key, rect in last.items():
            ann = self._annotations.get(key)
            if ann is None:
                continue
            style = self._label_style(key)
            if ann.note:
                size = max(4.0, min(7.0, rect.height() * 0.32))
                ear = QPolygonF([rect.topRight() + QPointF(-size, 0), rect.topRight(), rect.topRight() + QPointF(0, size)])
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.line)
                painter.drawPolygon(ear)
            if key in self._links:
                radius = max(2.2, min(3.2, rect.height() * 0.13))
                centre = QPointF(rect.right() + radius + 1.0, rect.top() + rect.height() * 0.22)
                painter.setPen(QPen(base, 1.0))
                painter.setBrush(style.line)
                painter.drawEllipse(centre, radius, radius)
        if self._link_from and self._link_candidates:
            pen = QPen(self._theme.text, 1.0, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for piece in pieces:
                if piece.key in self._link_candidates:
                    painter.drawRoundedRect(piece.rect.adjusted(-1.5, -1.5, 1.5, 1.5), 3, 3)

    def connectors(self) -> list[tuple[object, Connector]]:
        """(relation, geometry) of each arrow drawn: the selected annotation's relations only."""
        selected = self._selected
        if not selected or selected not in self._links:
            return []
        found = []
        lines = None  # the text lines in sight, measured once for all of the arrows
        for relation in self.relations_of(selected):
            if self._index.get(relation.head) is None or self._index.get(relation.tail) is None:
                continue
            anchors = [self._anchor(key, top) for key in (relation.head, relation.tail) for top in (True, False)]
            if any(anchor is None for anchor in anchors):
                continue
            if lines is None:
                lines = self._text_line_rects(self.viewport().rect())
            found.append((relation, self._connector_between(anchors, link_name(relation.type), lines)))
        return found

    def _connector_between(self, anchors: list[QPointF], name: str, lines: list[QRectF]) -> Connector:
        """The arrow between two spans' anchors (head top and bottom, tail top and bottom), its name
        placed clear of the text lines in sight."""
        metrics = QFontMetricsF(self._connector_font())
        size = QSizeF(metrics.horizontalAdvance(name) + 12, metrics.height() + 4)
        return connector(*anchors, size, lines, QRectF(self.viewport().rect()))

    def _connector_font(self) -> QFont:
        small = QFont(self._body_font())
        small.setPointSizeF(small.pointSizeF() * 0.78)
        return small

    def _paint_connectors(self, painter: QPainter) -> None:
        """Arrows from head to tail for the selected annotation's relations (connector.py)."""
        for relation, shape in self.connectors():
            self._paint_connector(painter, shape, QColor(self._label_style(relation.head).line),
                                  link_name(relation.type))

    def _paint_connector(self, painter: QPainter, shape: Connector, colour: QColor, name: str,
                         dashed: bool = False) -> None:
        """A halo of the page colour, the line (dashed: a suggested link) and a solid head in the
        head label's colour, the name beside it."""
        painter.setFont(self._connector_font())
        halo = QColor(self._theme.base)
        halo.setAlphaF(0.6)  # lifts the line off the text without hiding the letters
        halo_pen = QPen(halo, 4.0)
        halo_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        halo_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(halo_pen)
        painter.drawPath(shape.path)
        painter.drawPolygon(shape.arrowhead)
        pen = QPen(colour, 2.0)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap if dashed else Qt.PenCapStyle.RoundCap)
        if dashed:
            pen.setDashPattern(LINK_DASH)
        painter.setPen(pen)
        painter.drawPath(shape.path)
        painter.setPen(QPen(colour, 1.0))
        painter.setBrush(colour)
        painter.drawPolygon(shape.arrowhead)
        painter.drawEllipse(shape.start, 3.0, 3.0)
        box_pen = QPen(colour, 1.2)
        if dashed:
            box_pen.setDashPattern(LINK_DASH)
        painter.setPen(box_pen)
        painter.setBrush(self._theme.base)
        box = shape.label
        painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
        painter.setPen(self._theme.text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, name)

    def _make_label_styles(self, schema: LabelSchema | None) -> dict[str, LabelStyle]:
        styles: dict[str, LabelStyle] = {}
        if schema is None:
            return styles
        for number, label in enumerate(schema.labels):
            styles[label.name] = self._style_for(label.color, number)
        return styles

    def _style_for(self, color: str, number: int) -> LabelStyle:
        theme = self._theme
        line = theme.label_line(color)
        pen = QPen(line, UNDERLINE_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        dashes = DASH_PATTERNS[number % len(DASH_PATTERNS)]
        if dashes:
            pen.setDashPattern(list(dashes))
        return LabelStyle(
            fill=theme.label_fill(color),
            selected_fill=theme.label_fill(color, selected=True),
            line=line,
            pen=pen,
        )

    def _label_style(self, key: str) -> LabelStyle:
        ann = self._annotations.get(key)
        return self._style_of_label(ann.label if ann is not None else "")

    def _style_of_label(self, label: str) -> LabelStyle:
        style = self._label_styles.get(label)
        if style is None:
            style = self._label_styles[label] = self._style_for(FALLBACK_LABEL_COLOR, len(self._label_styles))
        return style


def draw_picture_glyph(painter: QPainter, box: QRectF, colour: QColor) -> None:
    """A small 'image' pictogram (frame, sun, hill) in the placeholder of an image's alt text."""
    side = min(box.width(), box.height())
    if side < 6:
        return
    frame = QRectF(box.left(), box.top() + (box.height() - side * 0.8) / 2, side, side * 0.8)
    pen = QPen(colour, max(1.0, side / 12))
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(frame, side / 10, side / 10)
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QPointF(frame.left() + side * 0.3, frame.top() + side * 0.27), side * 0.08, side * 0.08)
    hill = QPainterPath()
    hill.moveTo(frame.left() + side * 0.1, frame.bottom() - side * 0.1)
    hill.lineTo(frame.left() + side * 0.45, frame.top() + side * 0.38)
    hill.lineTo(frame.left() + side * 0.62, frame.top() + side * 0.52)
    hill.lineTo(frame.left() + side * 0.72, frame.top() + side * 0.45)
    hill.lineTo(frame.right() - side * 0.1, frame.bottom() - side * 0.1)
    hill.closeSubpath()
    painter.drawPath(hill)
