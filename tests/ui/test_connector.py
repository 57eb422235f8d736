"""The arrow from a claim to its source can be seen (issue 13): a curve of some length even between
neighbouring lines, a head of a real size at the source, and the relation's name clear of both."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QSizeF

from annotator.ui.connector import HEAD_LENGTH, connector

try:
    from .test_clipped_text import linked
except ImportError:  # tests/ui is not a package
    from test_clipped_text import linked


def area(polygon) -> float:
    points = [polygon.at(i) for i in range(polygon.count())]
    return abs(sum(a.x() * b.y() - b.x() * a.y() for a, b in zip(points, points[1:] + points[:1]))) / 2


@pytest.mark.parametrize("where", ["next line", "same line", "line above", "far below"])
def test_the_geometry_is_visible_and_the_name_covers_neither_line_nor_head(where):
    line = 26.0
    head_top, head_bottom = QPointF(300, 100), QPointF(300, 100 + line)
    tails = {"next line": QPointF(340, 100 + line + 4), "same line": QPointF(520, 100),
             "line above": QPointF(200, 100 - 3 * line), "far below": QPointF(120, 100 + 9 * line)}
    tail_top = tails[where]
    tail_bottom = tail_top + QPointF(0, line)
    shape = connector(head_top, head_bottom, tail_top, tail_bottom, QSizeF(80, 16))
    assert area(shape.arrowhead) >= 40  # the old head was 8 × 9 px: about 36
    assert shape.path.length() >= 30  # never a stub hidden under the label
    tip = shape.arrowhead.at(0)
    assert tip == shape.tip and tip in (tail_top, tail_bottom)
    label = shape.label
    assert not shape.path.intersects(label.adjusted(1, 1, -1, -1))
    assert not label.intersects(shape.arrowhead.boundingRect())
    base = shape.path.currentPosition()
    assert abs(((base - tip).x() ** 2 + (base - tip).y() ** 2) ** 0.5 - HEAD_LENGTH) < 0.01  # the line stops at the head


def test_the_window_draws_the_selected_claims_arrow_to_its_source(qtbot, make_window, store):
    article, claim, source, relation = linked(store)
    window = make_window(store)
    window.open_article(article.id)
    window.select_annotation(claim.id)
    qtbot.wait(20)
    ((drawn, shape),) = window.view.connectors()
    assert drawn.id == relation.id
    assert abs(shape.tip.y() - window.view.point_for(source.start).y()) <= 40  # at the source
    image = window.view.viewport().grab().toImage()
    colour = window.view._label_style(claim.id).line  # the head label's colour
    x, y = int(shape.arrowhead.boundingRect().center().x()), int(shape.arrowhead.boundingRect().center().y())
    pixel = image.pixelColor(x * image.devicePixelRatio(), y * image.devicePixelRatio())
    assert abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green()) + abs(pixel.blue() - colour.blue()) < 90
    window.select_annotation(None)
    assert window.view.connectors() == []
