"""The arrow from a relation's head to its tail (a claim to its source), as geometry only.

Issue 13 saw "a tiny pill with no visible arrow": between two neighbouring lines the curve was a few
pixels long, hidden under its label, with a 8 px head. Here the curve always bends out at least
``MIN_BEND`` pixels, the arrowhead is ``HEAD_LENGTH`` long, and the relation's name sits where the
line is not: above an arc, else on the far side of the head from where the arrow leaves it. `view_paint` paints it with a
halo of the page colour so it reads over text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QPainterPath, QPolygonF

MIN_BEND = 26.0
MAX_BEND = 60.0
HEAD_LENGTH = 11.0
HEAD_HALF_WIDTH = 5.5
LABEL_GAP = 4.0


@dataclass(frozen=True)
class Connector:
    """A drawn link: its curve, arrowhead and the place of its label."""

    path: QPainterPath  # head to the base of the arrowhead
    start: QPointF
    tip: QPointF
    arrowhead: QPolygonF
    label: QRectF


def _point_at(p0: QPointF, c1: QPointF, c2: QPointF, p1: QPointF, t: float) -> QPointF:
    u = 1 - t
    return p0 * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) + p1 * (t * t * t)


def connector(head_top: QPointF, head_bottom: QPointF, tail_top: QPointF, tail_bottom: QPointF,
              label: QSizeF) -> Connector:
    """Route the arrow between two spans' anchors (the middles of their first line's top and last
    line's bottom) and place its label of size ``label``."""
    if abs(head_top.y() - tail_top.y()) < 4:  # the same line: an arc above
        start, tip = head_top, tail_top
        lift = max(MIN_BEND, min(MAX_BEND, abs(tip.x() - start.x()) * 0.25))
        c1, c2 = start + QPointF(0, -lift), tip + QPointF(0, -lift)
    elif tail_top.y() < head_top.y():  # the tail is above: leave the head's top, enter the tail's bottom
        start, tip = head_top, tail_bottom
        bend = max(MIN_BEND, min(MAX_BEND, abs(start.y() - tip.y()) * 0.45))
        c1, c2 = start + QPointF(0, -bend), tip + QPointF(0, bend)
    else:  # the tail is below
        start, tip = head_bottom, tail_top
        bend = max(MIN_BEND, min(MAX_BEND, abs(start.y() - tip.y()) * 0.45))
        c1, c2 = start + QPointF(0, bend), tip + QPointF(0, -bend)
    direction = tip - c2
    length = (direction.x() ** 2 + direction.y() ** 2) ** 0.5 or 1.0
    ux, uy = direction.x() / length, direction.y() / length
    base = tip - QPointF(ux * HEAD_LENGTH, uy * HEAD_LENGTH)
    side = QPointF(-uy * HEAD_HALF_WIDTH, ux * HEAD_HALF_WIDTH)
    arrowhead = QPolygonF([tip, base + side, base - side])
    path = QPainterPath(start)
    path.cubicTo(c1, c2 + (base - tip), base)  # ends where the head begins: the line never pokes through
    middle = _point_at(start, c1, c2, tip, 0.5)
    if abs(head_top.y() - tail_top.y()) < 4:  # above the arc's top
        top = path.boundingRect().top()  # the curve's own highest point
        box = QRectF(middle.x() - label.width() / 2, top - LABEL_GAP - label.height(), label.width(), label.height())
    elif tip.y() > start.y():  # the arrow leaves the head downward: the name sits above the head
        box = QRectF(head_top.x() - label.width() / 2, head_top.y() - LABEL_GAP - label.height(),
                     label.width(), label.height())
    else:  # it leaves upward: the name sits below the head
        box = QRectF(head_bottom.x() - label.width() / 2, head_bottom.y() + LABEL_GAP, label.width(), label.height())
    return Connector(path, start, tip, arrowhead, box)
