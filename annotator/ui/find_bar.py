"""The find bar under the article: type, Enter for the next hit, Esc to close."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QStyle, QToolButton, QWidget

from .article_view import ArticleView


class FindBar(QWidget):
    """Inline find under the article: type, Enter for the next hit, Esc to close."""

    closed = Signal()

    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in article")
        self.edit.setAccessibleName("Find in article")
        self.edit.setClearButtonEnabled(True)
        self.edit.textEdited.connect(lambda _t: self.search(restart=True))
        self.edit.returnPressed.connect(self.next)
        self.case = QCheckBox("Match case", self)
        self.case.toggled.connect(lambda _c: self.search(restart=True))
        self.count = QLabel(self)
        self.count.setMinimumWidth(90)
        self.next_button = QToolButton(self)
        self.next_button.setText("Next")
        self.next_button.setToolTip("Next match (Enter)")
        self.next_button.clicked.connect(self.next)
        self.close_button = QToolButton(self)
        self.close_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.setAccessibleName("Close find bar")
        self.close_button.clicked.connect(self.close_bar)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.case)
        layout.addWidget(self.next_button)
        layout.addWidget(self.close_button)

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        if self.edit.text():
            self.search(restart=True)

    def close_bar(self) -> None:
        self.view.find("")
        self.hide()
        self.view.setFocus()
        self.closed.emit()

    def search(self, restart: bool = False) -> int:
        needle = self.edit.text()
        if restart:
            self.view.find("")
        hits = self.view.find(needle, self.case.isChecked()) if needle else 0
        self._show_count(needle, hits)
        return hits

    def next(self) -> int:
        return self.search(restart=False)

    def _show_count(self, needle: str, hits: int) -> None:
        if not needle:
            self.count.setText("")
        elif hits == 0:
            self.count.setText("no matches")
        else:
            span = self.view.selection_span()
            found = self.view.find_hits()
            position = found.index(span) + 1 if span in found else 0
            self.count.setText(f"{position} of {hits}" if position else f"{hits} matches")
