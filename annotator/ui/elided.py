"""A button whose text, when it does not fit, ends in "…" and shows whole in the tooltip.

Qt clips a QPushButton's text at the button's edge with no sign that something is missing (the
side panel's link rows showed "→ attributed to: SOURCE “North Korean s"). ``ElidedButton`` draws
the longest prefix that fits plus an ellipsis, re-elides on every resize, and keeps the full text
in ``full_text()`` and in the tooltip (after the caller's own tooltip, if any).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QWidget

PADDING = 8  # the horizontal padding the rows' style sheet gives the button (4 + 4)


class ElidedButton(QPushButton):
    def __init__(self, text: str = "", parent: QWidget | None = None, *, tip: str = "") -> None:
        super().__init__("", parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._full = text
        self._tip = tip
        self.setText(text)  # elided once the layout gives it a width (resizeEvent)
        self.setToolTip(tip)

    def full_text(self) -> str:
        return self._full

    def is_elided(self) -> bool:
        return self.text() != self._full

    def _room(self) -> int:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, option, self)
        return self.contentsRect().width() - 2 * margin - PADDING

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self._room()))
        if shown != self.text():
            self.setText(shown)
        parts = ([self._full] if shown != self._full else []) + ([self._tip] if self._tip else [])
        self.setToolTip("\n".join(parts))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()
