"""The arrow from a relation's head to its tail (a claim to its source), as geometry only.

Issue 13 saw "a tiny pill with no visible arrow": between two neighbouring lines the curve was a few
pixels long, hidden under its label, with a 8 px head. Here the curve always bends out at least
``MIN_BEND`` pixels, the arrowhead is ``HEAD_LENGTH`` long, and the relation's name sits where the
line is not: above an arc, else on the far side of the head from where the arrow leaves it. `view_paint` paints it with a
halo of the page colour so it reads over text.

The name's box is opaque, so where that place holds words (the walk-through at 1024×700 saw it
over a photo credit's "Moscow, on Monday") it moves to the nearest place that covers the least
text: above or below either end, or after the end of either end's line (``avoid``: the text lines
in sight; ``bounds``: where it may go).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QPainterPath, QPolygonF

MIN_BEND = 26.0
MAX_BEND = 60.0
HEAD_LENGTH = 11.0
HEAD_HALF_WIDTH = 5.5
LABEL_GAP = 4.0
MIN_ARC_LIFT = 8.0
NEIGHBOUR_REACH = 6 * HEAD_LENGTH  # closer than this, a short curve is clearer


@dataclass(frozen=True)
class Connector:
    """A drawn link: its curve, arrowhead and the place of its label."""

    path: QPainterPath  # head to the base of the arrowhead
    start: QPointF
    tip: QPointF
    arrowhead: QPolygonF
    label: QRectF


def link_name(relation_type: str) -> str:
    """A relation type as its arrow names it: attributed_to -> "attributed to"."""
    return relation_type.replace("_", " ")


def _point_at(p0: QPointF, c1: QPointF, c2: QPointF, p1: QPointF, t: float) -> QPointF:
    u = 1 - t
    return p0 * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) + p1 * (t * t * t)


def _covered(box: QRectF, avoid: Sequence[QRectF]) -> float:
    total = 0.0
    for rect in avoid:
        common = box.intersected(rect.adjusted(-LABEL_GAP, 0, LABEL_GAP, 0))  # a little air beside the words
        if not common.isEmpty():
            total += common.width() * common.height()
    return total


def _place_label(first: QRectF, path: QPainterPath, head: QPolygonF, ends: Sequence[QPointF],
                 avoid: Sequence[QRectF], bounds: QRectF | None) -> QRectF:
    """``first``, or where a box of its size covers less of the text in ``avoid``, clear of the
    line and the head (the first of equally good places wins: the nearest to the usual one)."""
    if not avoid or _covered(first, avoid) == 0:
        return first
    width, height = first.width(), first.height()
    candidates = [first]
    for point in ends:
        candidates.append(QRectF(point.x() - width / 2, point.y() - LABEL_GAP - height, width, height))
        candidates.append(QRectF(point.x() - width / 2, point.y() + LABEL_GAP, width, height))
        for line in avoid:  # after the end of the line the span is on
            if line.top() <= point.y() - 2 <= line.bottom() or line.top() <= point.y() + 2 <= line.bottom():
                candidates.append(QRectF(line.right() + 3 * LABEL_GAP, line.center().y() - height / 2, width, height))
    head_box = head.boundingRect()

    def fits(box: QRectF) -> bool:
        inner = box.adjusted(1, 1, -1, -1)
        return ((bounds is None or bounds.contains(box)) and not path.intersects(inner)
                and not inner.intersects(head_box))

    usable = [box for box in candidates if fits(box)] or [first]
    return min(usable, key=lambda box: _covered(box, avoid))  # min keeps the first of equals


def _arc_lift(start: QPointF, tip: QPointF, avoid: Sequence[QRectF], down: float = -1.0) -> float:
    """How far an arc over one line bends up (`down` 1: under it, down): with the room, far enough
    to be seen; kept off the line of text beyond where that is nearer (the walk-through saw the arc
    cross a photo credit)."""
    lift = max(MIN_BEND, min(MAX_BEND, abs(tip.x() - start.x()) * 0.25))
    left, right = min(start.x(), tip.x()), max(start.x(), tip.x())
    if down < 0:
        y = min(start.y(), tip.y())
        beyond = [line.bottom() for line in avoid if line.bottom() <= y + 1 and line.right() >= left and line.left() <= right]
    else:
        y = max(start.y(), tip.y())
        beyond = [line.top() for line in avoid if line.top() >= y - 1 and line.right() >= left and line.left() <= right]
    if not beyond:
        return lift
    limit = max(beyond) + 5.0 if down < 0 else min(beyond) - 5.0  # the halo and a little air
    head = QPointF(0, -down * HEAD_LENGTH)  # the curve ends at the base of the head
    while lift > MIN_ARC_LIFT:
        path = QPainterPath(start)
        path.cubicTo(start + QPointF(0, down * lift), tip + QPointF(0, down * lift) - head, tip - head)
        bounds = path.boundingRect()
        if (bounds.top() >= limit) if down < 0 else (bounds.bottom() <= limit):
            break
        lift = max(MIN_ARC_LIFT, lift - 1.0)
    return lift


def _no_room_above(head_top: QPointF, tail_top: QPointF, label: QSizeF, bounds: QRectF | None) -> bool:
    """Whether an arc over the line, with its name above it, would leave the view (the first line
    of an article at the top of the page): then it goes under the line."""
    return bounds is not None and min(head_top.y(), tail_top.y()) - MIN_BEND - LABEL_GAP - label.height() < bounds.top()


def _neighbours(head_top: QPointF, head_bottom: QPointF, tail_top: QPointF, tail_bottom: QPointF) -> bool:
    """Whether one span ends on the line above the other's first line, far enough apart for a line
    along the gap between them: a curve bending out crossed the words of both lines (the walk-through,
    "Vladimir Putin" to "North Korean state media" on the next line)."""
    if tail_top.y() < head_top.y():
        gap, dx = head_top.y() - tail_bottom.y(), head_top.x() - tail_bottom.x()
    else:
        gap, dx = tail_top.y() - head_bottom.y(), tail_top.x() - head_bottom.x()
    return -4.0 <= gap < MIN_BEND / 2 and abs(dx) >= NEIGHBOUR_REACH


def connector(head_top: QPointF, head_bottom: QPointF, tail_top: QPointF, tail_bottom: QPointF,
              label: QSizeF, avoid: Sequence[QRectF] = (), bounds: QRectF | None = None) -> Connector:
    """Route the arrow between two spans' anchors (the middles of their first line's top and last
    line's bottom) and place its label of size ``label`` (clear of the text in ``avoid`` if it can)."""
    same_line = abs(head_top.y() - tail_top.y()) < 4
    under = (same_line and abs(head_bottom.y() - tail_bottom.y()) < 4  # neither wraps to another line
             and _no_room_above(head_top, tail_top, label, bounds))
    if under:  # the same line, at the top of the view: an arc under it
        start, tip = head_bottom, tail_bottom
        lift = _arc_lift(start, tip, avoid, down=1.0)
        c1, c2 = start + QPointF(0, lift), tip + QPointF(0, lift)
    elif same_line:  # the same line: an arc above
        start, tip = head_top, tail_top
        lift = _arc_lift(start, tip, avoid)
        c1, c2 = start + QPointF(0, -lift), tip + QPointF(0, -lift)
    elif _neighbours(head_top, head_bottom, tail_top, tail_bottom):  # along the gap between the two lines
        start, tip = (head_top, tail_bottom) if tail_top.y() < head_top.y() else (head_bottom, tail_top)
        reach = (tip.x() - start.x()) * 0.5
        c1, c2 = start + QPointF(reach, 0), tip - QPointF(reach, 0)
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
    if under:  # below the arc's bottom
        bottom = path.boundingRect().bottom()
        box = QRectF(middle.x() - label.width() / 2, bottom + LABEL_GAP, label.width(), label.height())
    elif same_line:  # above the arc's top
        top = path.boundingRect().top()  # the curve's own highest point
        box = QRectF(middle.x() - label.width() / 2, top - LABEL_GAP - label.height(), label.width(), label.height())
    elif tip.y() > start.y():  # the arrow leaves the head downward: the name sits above the head
        box = QRectF(head_top.x() - label.width() / 2, head_top.y() - LABEL_GAP - label.height(),
                     label.width(), label.height())
    else:  # it leaves upward: the name sits below the head
        box = QRectF(head_bottom.x() - label.width() / 2, head_bottom.y() + LABEL_GAP, label.width(), label.height())
    box = _place_label(box, path, arrowhead, (head_top, head_bottom, tail_top, tail_bottom), avoid, bounds)
    return Connector(path, start, tip, arrowhead, box)
