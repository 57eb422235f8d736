"""A format in the export dialog's list, drawn as a small card: its name and what it writes, then its
description, muted (the item's data roles say which)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

NAME_ROLE = Qt.ItemDataRole.UserRole
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1
OUTPUT_ROLE = Qt.ItemDataRole.UserRole + 2


def _wrapped(metrics: QFontMetrics, text: str, width: int, max_lines: int) -> list[str]:
    """`text` in at most `max_lines` lines of `width` pixels, the last one elided."""
    lines: list[str] = []
    words = text.split()
    current = ""
    while words:
        candidate = f"{current} {words[0]}".strip()
        if metrics.horizontalAdvance(candidate) <= width - 4 or not current:  # a margin: elidedText is stricter
            current = candidate
            words.pop(0)
            continue
        if len(lines) == max_lines - 1:
            break
        lines.append(current)
        current = ""
    if words:
        current = " ".join([current, *words]).strip()
    if current:
        lines.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, width))
    return lines[:max_lines]


class FormatDelegate(QStyledItemDelegate):
    """A format as a small card: its name and what it writes, then its description, muted."""

    PADDING = 5
    DETAIL_LINES = 2

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        metrics = QFontMetrics(option.font)
        return QSize(200, metrics.lineSpacing() * (1 + self.DETAIL_LINES) + 2 * self.PADDING + 3)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        enabled = bool(opt.state & QStyle.StateFlag.State_Enabled)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Disabled if not enabled else QPalette.ColorGroup.Active
        ink = opt.palette.color(group, QPalette.ColorRole.Text)
        muted = QColor(ink)
        muted.setAlphaF(0.62)
        painter.save()
        if selected:  # a quiet tint with an accent bar, rather than a block of highlight colour
            accent = opt.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
            tint = QColor(accent)
            tint.setAlphaF(0.14)
            painter.fillRect(opt.rect, tint)
            painter.fillRect(QRect(opt.rect.left(), opt.rect.top(), 3, opt.rect.height()), accent)
        elif opt.state & QStyle.StateFlag.State_MouseOver and enabled:
            hover = QColor(ink)
            hover.setAlphaF(0.05)
            painter.fillRect(opt.rect, hover)
        painter.setPen(QColor(ink.red(), ink.green(), ink.blue(), 28))
        painter.drawLine(opt.rect.bottomLeft(), opt.rect.bottomRight())
        painter.restore()
        rect = opt.rect.adjusted(self.PADDING + 4, self.PADDING, -self.PADDING - 2, -self.PADDING)
        metrics = QFontMetrics(opt.font)
        line = metrics.lineSpacing()
        name = str(index.data(NAME_ROLE) or "")
        output = str(index.data(OUTPUT_ROLE) or "")
        detail = str(index.data(DETAIL_ROLE) or "")
        painter.save()
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(ink)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        small = QFont(opt.font)
        small.setPointSizeF(max(7.0, opt.font.pointSizeF() * 0.9))
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, output)
        painter.setFont(opt.font)
        small_metrics = QFontMetrics(opt.font)
        for number, piece in enumerate(_wrapped(small_metrics, detail, rect.width(), self.DETAIL_LINES)):
            painter.drawText(QRect(rect.left(), rect.top() + (number + 1) * line, rect.width(), line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, piece)
        painter.restore()
