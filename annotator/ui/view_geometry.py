"""The article view's geometry: where text positions are on screen, and the one walk over the
visible lines that both the annotation highlights and review mode's layer are drawn from.

A mixin of `ArticleView` (article_view.py). Qt positions are UTF-16 units; spans are given here in
UTF-16 (the painting code converts only the spans on screen). `line_pieces` yields, for every
visible line a span covers, the visual x ranges of the span on that line (several on a line that
mixes right-to-left and left-to-right text) with the line's box: highlights add underline tracks
and markers to them, the review layer its halves and tabs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QTextBlock, QTextLayout, QTextLine

from annotator.ui.highlights import Span, SpanIndex, merge_ranges

MAX_COLUMN_EM = 40.0  # text column cap, in body font ems (~70 characters a line)
UNDERLINE_PITCH = 3.0  # distance between stacked underlines
HANDLE_KNOB = 4.0  # radius of the knob on a boundary handle
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067\U00010800-\U00010fff\U0001e800-\U0001efff]")


@dataclass(frozen=True)
class LineSpan:
    """One visual piece of a span on one line, in viewport coordinates."""

    key: str
    left: float
    right: float
    top: float  # the line's top
    height: float  # the line's height
    gap: float  # free space below the line (its leading)
    starts: bool  # the span starts on this line, and this is its first piece there
    ends: bool  # the span ends on this line, and this is its last piece there

    def rect(self) -> QRectF:
        """The piece's box on whole pixels (crisp edges)."""
        x1, x2 = round(self.left), round(self.right)
        return QRectF(x1, round(self.top), max(1, x2 - x1), round(self.height))


class GeometryMixin:
    """Positions, lines and visible pieces of the view's text."""

    def _offset(self) -> QPointF:
        """Document coordinates + offset = viewport coordinates."""
        return QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())

    def _update_margins(self) -> None:
        if self._column_em <= 0:
            return
        doc_margin = self.document().documentMargin()
        column = MAX_COLUMN_EM * self._column_em + 2 * doc_margin
        bar = self.verticalScrollBar()
        available = self.contentsRect().width() - (bar.sizeHint().width() if bar.isVisibleTo(self) else 0)
        side = int(max(0.0, (available - column) / 2))
        margins = self.viewportMargins()
        if margins.left() != side or margins.right() != side:
            self.setViewportMargins(side, 0, side, 0)

    def _sync_scroll_range(self) -> None:
        """Make the scroll bar's range cover the laid-out document (layout runs lazily)."""
        height = self.document().documentLayout().documentSize().height()
        bar = self.verticalScrollBar()
        wanted = max(0, int(height) - self.viewport().height())
        if bar.maximum() < wanted:
            bar.setRange(0, wanted)

    def _line_for(self, u16: int) -> tuple[QTextBlock, QTextLine | None]:
        doc = self.document()
        block = doc.findBlock(u16)
        if not block.isValid():
            block = doc.lastBlock()
        doc.documentLayout().blockBoundingRect(block)  # lays the block out if not done yet
        layout = block.layout()
        if layout is None or layout.lineCount() == 0:
            return block, None
        line = layout.lineForTextPosition(max(0, u16 - block.position()))
        if not line.isValid():
            line = layout.lineAt(layout.lineCount() - 1)
        return block, line

    def _line_at_or_below(self, y: float) -> tuple[QTextBlock, QTextLine] | None:
        """The first line whose top is at or below document y."""
        doc = self.document()
        position = doc.documentLayout().hitTest(QPointF(doc.documentMargin() + 1, y), Qt.HitTestAccuracy.FuzzyHit)
        block = doc.findBlock(max(0, position))
        if block.previous().isValid():
            block = block.previous()
        while block.isValid():
            doc.documentLayout().blockBoundingRect(block)  # lays it out if not done yet
            layout = block.layout()
            if layout is not None and layout.lineCount():
                relative = y - layout.position().y()
                lo, hi = 0, layout.lineCount()
                while lo < hi:
                    mid = (lo + hi) // 2
                    if layout.lineAt(mid).y() < relative:
                        lo = mid + 1
                    else:
                        hi = mid
                if lo < layout.lineCount():
                    return block, layout.lineAt(lo)
            block = block.next()
        return None

    def _char_at(self, point: QPoint | QPointF) -> int | None:
        """UTF-16 position of the character drawn at a viewport point, None off the text."""
        if self._article is None:
            return None
        offset = self._offset()
        doc_point = QPointF(point) - offset
        doc = self.document()
        position = doc.documentLayout().hitTest(doc_point, Qt.HitTestAccuracy.FuzzyHit)
        if position < 0:
            return None
        block = doc.findBlock(position)
        layout = block.layout()
        if layout is None or not layout.lineCount():
            return None
        origin = layout.position()
        y = doc_point.y() - origin.y()
        index = first_line_below(layout, y)
        if index >= layout.lineCount():
            return None
        line = layout.lineAt(index)
        if y < line.y():
            return None  # in the space above the block's first line
        x = doc_point.x() - origin.x()
        if x < line.x() or x > line.x() + line.naturalTextWidth():
            return None
        char = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
        if isinstance(char, tuple):
            char = char[0]
        if not line.textStart() <= char < line.textStart() + line.textLength():
            return None
        position = block.position() + char
        return position if position < self._u16.utf16_length else None

    def _visible_blocks(self, rect: QRect) -> Iterator[tuple[QTextBlock, QTextLayout, int, int]]:
        """(block, layout, first line, end line) for the lines intersecting a viewport rect.

        Asks the document layout for each block's rectangle, which lays the block out if the lazy
        layout has not reached it yet (this runs before QTextEdit paints the text).
        """
        doc = self.document()
        doc_layout = doc.documentLayout()
        offset = self._offset()
        top, bottom = rect.top() - offset.y(), rect.bottom() + 1 - offset.y()
        position = doc_layout.hitTest(QPointF(doc.documentMargin() + 1, top), Qt.HitTestAccuracy.FuzzyHit)
        block = doc.findBlock(max(0, position))
        if block.isValid() and block.previous().isValid():
            block = block.previous()  # the leading of the previous block's last line may show
        while block.isValid():
            if doc_layout.blockBoundingRect(block).top() > bottom:
                break
            layout = block.layout()
            count = layout.lineCount() if layout is not None else 0
            if count:
                origin = layout.position().y()
                first = first_line_below(layout, top - origin)
                end = first
                while end < count and layout.lineAt(end).y() + origin < bottom:
                    end += 1
                if end > first:
                    yield block, layout, first, end
            block = block.next()

    def _update_band(self, start: int, end: int) -> None:
        """Repaint the viewport band covering UTF-16 positions start..end (if any of it shows)."""
        if self._article is None:
            return
        first_block, first_line = self._line_for(start)
        last_block, last_line = self._line_for(max(start, end - 1))
        if first_line is None or last_line is None:
            self.viewport().update()
            return
        offset = self._offset()
        top = first_block.layout().position().y() + first_line.y() + offset.y() - 4 - 2 * HANDLE_KNOB
        bottom = last_block.layout().position().y() + last_line.y() + last_line.height() * 1.6 + offset.y() + 4
        band = QRect(0, int(top), self.viewport().width(), int(bottom - top) + 2)
        visible = band.intersected(self.viewport().rect())
        if not visible.isEmpty():
            self.viewport().update(visible)

    def _scroll_into_view(self, start: int, end: int) -> None:
        first_block, first_line = self._line_for(start)
        if first_line is None:
            return
        last_block, last_line = self._line_for(max(start, end - 1))
        top = first_block.layout().position().y() + first_line.y()
        bottom = last_block.layout().position().y() + last_line.y() + last_line.height() if last_line else top
        bar = self.verticalScrollBar()
        height = self.viewport().height()
        if top >= bar.value() and bottom <= bar.value() + height:
            return
        self._sync_scroll_range()
        bar.setValue(int(max(0.0, top - height / 3)))

    def _edge_line(self, cp: int, end: bool) -> tuple[float, float, float] | None:
        """(x, top, bottom) in viewport coordinates of the boundary at code point ``cp``: the start
        of a span is drawn on the line of its first character, the end on the line of its last."""
        u16 = self._u16.to_utf16(cp)
        block, line = self._line_for(u16 - 1 if end and u16 > 0 else u16)
        if line is None:
            return None
        relative = max(0, min(u16 - block.position(), block.length() - 1))
        x = line.cursorToX(relative)[0]
        origin = block.layout().position() + self._offset()
        top = origin.y() + line.y()
        return origin.x() + x, top, top + line.height()

    def _text_line_rects(self, rect: QRect) -> list[QRectF]:
        """The box of the words of every text line in a viewport rect, in viewport coordinates."""
        offset = self._offset()
        found = []
        for _block, layout, first, end in self._visible_blocks(rect):
            origin = layout.position() + offset
            for index in range(first, end):
                line = layout.lineAt(index)
                if line.textLength() and line.naturalTextWidth() > 0:
                    found.append(line.naturalTextRect().translated(origin))
        return found

    def _anchor(self, key: str, top: bool = True, index: SpanIndex | None = None) -> QPointF | None:
        """Middle of a span's first line piece at its top (or of its last one, just below the
        underlines), in viewport coordinates: where an arrow starts or ends. The span is the
        annotation `key` (or the one of `index`: a suggestion's)."""
        span = (self._index if index is None else index).get(key)
        if span is None:
            return None
        start, end = self._qt_range(span.start, span.end)
        block, line = self._line_for(start if top else max(start, end - 1))
        if line is None:
            return None
        bpos = block.position()
        line_start = bpos + line.textStart()
        line_end = line_start + line.textLength()
        a, b = max(start, line_start) - bpos, max(max(start, line_start) + 1, min(end, line_end)) - bpos
        ranges = x_ranges(line, a, b, self._block_is_rtl(block))
        origin = block.layout().position() + self._offset()
        x = (ranges[0][0] + ranges[-1][1]) / 2 if ranges else line.cursorToX(a)[0]
        y = line.y() if top else line.y() + line.height() + 2 + UNDERLINE_PITCH * 2
        return QPointF(origin.x() + x, origin.y() + y)

    def _block_is_rtl(self, block: QTextBlock) -> bool:
        number = block.blockNumber()
        found = self._rtl_blocks.get(number)
        if found is None:
            text = block.text()
            # every right-to-left character is U+0590 or above: a block of plain Latin text needs no regex
            found = self._rtl_blocks[number] = bool(text) and max(text) >= "\u0590" and bool(_RTL.search(text))
        return found

    def _qt_range(self, start: int, end: int) -> tuple[int, int]:
        return self._u16.to_utf16(start), self._u16.to_utf16(end)


    def _tints(self, blocks) -> list[tuple[str, QRectF]]:
        """The boxes of image alt and related-story blocks among the visible ones (drawn under the text)."""
        offset = self._offset()
        width = self.viewport().width()
        doc_margin = self.document().documentMargin()
        tints = []
        for block, layout, _first, _end in blocks:
            kind = self._kinds[block.blockNumber()] if block.blockNumber() < len(self._kinds) else "paragraph"
            if kind in ("image_alt", "related"):
                origin = layout.position() + offset
                head, tail = layout.lineAt(0), layout.lineAt(layout.lineCount() - 1)
                tints.append((kind, QRectF(doc_margin + offset.x(), origin.y() + head.y(), width - 2 * doc_margin,
                                           tail.y() + tail.height() - head.y())))
        return tints

    def _visible_range(self, blocks) -> tuple[int, int]:
        """UTF-16 range covered by the visible blocks (0, 0 when none)."""
        if not blocks:
            return 0, 0
        last = blocks[-1][0]
        return blocks[0][0].position(), last.position() + last.length()

    def line_pieces(self, blocks, spans: Iterable[Span]) -> Iterator[LineSpan]:
        """The one walk over the visible lines: each piece of each span (UTF-16 bounds) on them."""
        spans = list(spans)
        if not spans:
            return
        offset = self._offset()
        for block, layout, first, end in blocks:
            bpos = block.position()
            bend = bpos + block.length() - 1
            block_spans = [s for s in spans if s.start < bend and s.end > bpos]
            if not block_spans:
                continue
            origin = layout.position() + offset
            rtl = self._block_is_rtl(block)
            for index in range(first, end):
                line = layout.lineAt(index)
                line_start = bpos + line.textStart()
                line_end = line_start + line.textLength()
                top = origin.y() + line.y()
                gap = leading(layout, index, line)
                for span in block_spans:
                    if span.start >= line_end or span.end <= line_start:
                        continue
                    a, b = max(span.start, line_start) - bpos, min(span.end, line_end) - bpos
                    ranges = x_ranges(line, a, b, rtl)
                    starts, ends = span.start >= line_start, span.end <= line_end
                    for number, (left, right) in enumerate(ranges):
                        yield LineSpan(span.key, origin.x() + left, origin.x() + right, top, line.height(), gap,
                                       starts and number == 0, ends and number == len(ranges) - 1)


def first_line_below(layout: QTextLayout, y: float) -> int:
    """Index of the first line of ``layout`` whose box plus leading reaches below layout-y ``y``."""
    lo, hi = 0, layout.lineCount()
    while lo < hi:
        mid = (lo + hi) // 2
        line = layout.lineAt(mid)
        if mid + 1 < layout.lineCount():
            bottom = layout.lineAt(mid + 1).y()
        else:
            bottom = line.y() + line.height() * 1.6
        if bottom <= y:
            lo = mid + 1
        else:
            hi = mid
    return lo


def leading(layout: QTextLayout, index: int, line: QTextLine) -> float:
    """Free space below a line: up to the next line, or the line-height share for the last one."""
    if index + 1 < layout.lineCount():
        return layout.lineAt(index + 1).y() - line.y() - line.height()
    if layout.lineCount() > 1:
        return layout.lineAt(1).y() - layout.lineAt(0).y() - layout.lineAt(0).height()
    return line.height() * 0.5


def x_ranges(line: QTextLine, a: int, b: int, rtl: bool) -> list[tuple[float, float]]:
    """Visual x ranges (layout coordinates) of block positions a..b on one line."""
    if b <= a:
        return []
    if not rtl:
        left = line.cursorToX(a)[0]
        right = line.cursorToX(b)[0]
        if right < left:
            left, right = right, left
        return [(left, right)] if right - left > 0.25 else []
    ranges = []
    for run in line.glyphRuns(a, b - a):
        box = run.boundingRect()
        if box.width() > 0.25:
            ranges.append((box.left(), box.right()))
    return merge_ranges(ranges)
