"""The side pane scrolls vertically instead of holding the window tall (issue 13, 1024×700).

With an annotation selected, the side panel's label buttons, annotation tree and detail editor
asked for about 730 px: the window could not be made 700 px tall. The pane's content sits in a
scroll area with horizontal scrolling off, so its width still follows the splitter (text wraps and
elides as before) and only its height scrolls when the window is short.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class ScrollingPane(QScrollArea):
    """A splitter pane whose content (`content`, laid out top to bottom) scrolls vertically."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidePane")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(widget)
        self.setWidget(self.content)

    def content_layout(self) -> QVBoxLayout:
        """The layout further pages (review mode's) are added to."""
        return self.content.layout()

    def minimumSizeHint(self):  # noqa: N802
        """As wide as the content needs (no horizontal scrolling), as short as a few lines."""
        hint = super().minimumSizeHint()
        width = self.content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        hint.setWidth(max(hint.width(), width))
        return hint
