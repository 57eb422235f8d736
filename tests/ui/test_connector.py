"""The arrow from a claim to its source can be seen (issue 13): a curve of some length even between
neighbouring lines, a head of a real size at the source, and the relation's name clear of both."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF, QSizeF

from annotator.ui.connector import HEAD_LENGTH, connector

try:
    from .fixtures_window import seed_claim_and_source
    from .test_clipped_text import linked
except ImportError:  # tests/ui is not a package
    from fixtures_window import seed_claim_and_source
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


def test_the_name_moves_off_words_where_its_usual_place_has_some():
    """An arc over one line puts the name above its top; with a line of text there (a caption
    above the paragraph), the name goes where no word is, still clear of the line and the head."""
    head_top, head_bottom = QPointF(450, 200), QPointF(450, 226)
    tail_top, tail_bottom = QPointF(150, 200), QPointF(150, 226)
    lines = [QRectF(40, 130, 600, 20), QRectF(40, 160, 600, 20), QRectF(40, 200, 600, 22), QRectF(40, 228, 380, 22)]
    plain = connector(head_top, head_bottom, tail_top, tail_bottom, QSizeF(80, 16))
    assert any(plain.label.intersects(line) for line in lines)  # the usual place: over the caption
    shape = connector(head_top, head_bottom, tail_top, tail_bottom, QSizeF(80, 16), lines, QRectF(0, 0, 680, 400))
    assert not any(shape.label.intersects(line) for line in lines)
    assert not shape.path.intersects(shape.label.adjusted(1, 1, -1, -1))
    assert not shape.label.intersects(shape.arrowhead.boundingRect())
    assert shape.path.boundingRect().top() > 180  # the arc stays under the line above, too
    free = connector(head_top, head_bottom, tail_top, tail_bottom, QSizeF(80, 16), lines[2:], QRectF(0, 0, 680, 400))
    assert free.label == plain.label  # nothing above: the usual place


def test_in_the_sample_the_arc_and_its_name_cover_no_word(qtbot, make_window, store):
    """The walk-through's case: a claim and its source on one line under a photo credit: an arc
    bending 45 px up crossed the credit, and the name sat on its words."""
    article, claim, _source = seed_claim_and_source(store, "Kim could be suffering from insomnia",
                                                    "South Korea's intelligence service")
    window = make_window(store)
    window.resize(1024, 700)
    window.open_article(article.id)
    window.select_annotation(claim.id)
    qtbot.wait(50)
    view = window.view
    ((_relation, shape),) = view.connectors()
    lines = view._text_line_rects(view.viewport().rect())
    assert any(line.top() < shape.tip.y() - 30 for line in lines)  # a line above it in sight (the credit)
    assert not any(shape.label.intersects(line) for line in lines), (shape.label, lines)
    assert QRectF(view.viewport().rect()).contains(shape.label)
    words = [line.adjusted(0, 3, 0, -3) for line in lines]  # the glyphs, not the leading around them
    assert not any(shape.path.intersects(box) for box in words)  # the arc stays under the credit's line
    assert shape.path.length() >= 30


@pytest.mark.parametrize("below", [True, False])
def test_to_the_next_line_the_arrow_runs_along_the_gap_between_the_lines(below):
    """A curve bending 26 px out of the gap crossed the words of both lines."""
    line = 26.0
    if below:  # the head ends on the line above the tail
        head_top, head_bottom = QPointF(80, 100), QPointF(80, 100 + line)
        tail_top = QPointF(430, 100 + line + 1)
        tail_bottom = tail_top + QPointF(0, line)
        band = (head_bottom.y(), tail_top.y())
    else:
        tail_top, tail_bottom = QPointF(80, 100), QPointF(80, 100 + line)
        head_top = QPointF(430, 100 + line + 1)
        head_bottom = head_top + QPointF(0, line)
        band = (tail_bottom.y(), head_top.y())
    shape = connector(head_top, head_bottom, tail_top, tail_bottom, QSizeF(80, 16))
    bounds = shape.path.boundingRect()
    assert band[0] - 1 <= bounds.top() and bounds.bottom() <= band[1] + 1
    assert shape.path.length() >= 300
    assert area(shape.arrowhead) >= 40


def test_in_the_sample_the_arrow_to_the_next_line_crosses_no_word(qtbot, make_window, store):
    article, claim, _source = seed_claim_and_source(store, "Kim Jong Un has sent a message to Russian President Vladimir Putin",
                                                    "North Korean state media")
    window = make_window(store)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=2000)
    window.open_article(article.id)
    window.select_annotation(claim.id)
    qtbot.wait(50)
    view = window.view
    ((_relation, shape),) = view.connectors()
    assert 0 < shape.tip.y() - shape.start.y() < 8  # the claim ends on the line above the source's
    lines = view._text_line_rects(view.viewport().rect())
    words = [line.adjusted(0, 3, 0, -3) for line in lines]  # the glyphs, not the leading around them
    assert not any(shape.path.intersects(box) for box in words)


def test_at_the_top_of_the_view_the_arc_goes_under_the_line():
    """A claim and its source on the first line of the page: an arc above it, and its name, left
    the view; under the line they are in sight."""
    line = 26.0
    bounds = QRectF(0, 0, 680, 400)
    head_top, tail_top = QPointF(450, 12), QPointF(150, 12)
    shape = connector(head_top, head_top + QPointF(0, line), tail_top, tail_top + QPointF(0, line), QSizeF(80, 16),
                      [QRectF(40, 12, 600, 22)], bounds)
    assert shape.tip == tail_top + QPointF(0, line) and shape.start == head_top + QPointF(0, line)
    assert shape.path.boundingRect().top() >= 12 + line - 0.01 and bounds.contains(shape.label)
    assert shape.label.top() > shape.path.boundingRect().bottom()
    lower = connector(head_top + QPointF(0, 200), head_top + QPointF(0, 200 + line), tail_top + QPointF(0, 200),
                      tail_top + QPointF(0, 200 + line), QSizeF(80, 16), [], bounds)
    assert lower.path.boundingRect().bottom() <= 212 + 0.01  # with room above: over the line, as before
