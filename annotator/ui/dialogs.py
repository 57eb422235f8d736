"""Small dialogs: the keyboard help (every shortcut, grouped), the article note, and About."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

Shortcut = tuple[str, str, str]  # (section, keys, what it does)

# The mouse alternative to the bound keys (Ctrl+Shift+Left/Right, Ctrl+Alt+Left/Right, B).
DRAG_HELP = (
    "Move a boundary of the selected annotation: drag the bar at its start (knob on top) or end (knob "
    "below); it snaps to whole words, hold Alt for exact characters; Esc while dragging cancels; Ctrl+Z undoes"
)

# Review mode (View ▸ Review mode, Ctrl+R): the keys that are not menu shortcuts. Its menu keys
# (1, 2, 3, 0 / X, E, n / p, Delete) are listed under "Review menu" from the menu itself.
REVIEW_SHORTCUTS: list[Shortcut] = [
    ("Review mode", "1 / 2 / 3", "Accept A / accept B / accept both into gold (in the list or the article; "
     "the label keys are off in review mode)"),
    ("Review mode", "0 or X", "Reject: nothing goes into gold, the decision is recorded"),
    ("Review mode", "E", "Edit into gold: choose the label, and the bounds (the text selected in the article, A's, B's)"),
    ("Review mode", "Up / Down, n / p", "Walk the comparisons (n / p also in the article)"),
    ("Review mode", "Enter, double-click", "Show the comparison in the text, its text selected (then E uses it)"),
    ("Review mode", "Click a span", "Choose the comparison under it"),
    ("Review mode", "Delete (in the list)", "Reopen a decided comparison (undo its decision)"),
    ("Review mode", "Ctrl+Z / Ctrl+Shift+Z", "Undo / redo a decision (its gold spans go and come back)"),
    ("Review mode", "Comment field", "Stored with the next decision"),
    ("Agreement report", "Double-click an article", "Open it in review mode with the same A and B"),
]


class KeyboardHelpDialog(QDialog):
    """A searchable-by-eye table of every shortcut, one section per menu or place."""

    def __init__(self, shortcuts: list[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(700, 680)
        intro = QLabel(
            "Everything can be done from the keyboard. Keys marked “in the article” work while the "
            "article text has the focus (click it or press Tab to reach it), so typing digits in the "
            "note or attribute fields never tags anything. In review mode (Ctrl+R) the digits decide "
            "instead: 1 accept A, 2 accept B, 3 both, 0 reject. With the mouse, a selected "
            "annotation's boundaries can also be dragged by the handles at its ends.",
            self,
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "Action"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        sections: dict[str, QTreeWidgetItem] = {}
        for section, keys, action in shortcuts:
            parent_item = sections.get(section)
            if parent_item is None:
                parent_item = QTreeWidgetItem([section, ""])
                font = parent_item.font(0)
                font.setBold(True)
                parent_item.setFont(0, font)
                parent_item.setFirstColumnSpanned(True)
                self.tree.addTopLevelItem(parent_item)
                parent_item.setFirstColumnSpanned(True)
                parent_item.setExpanded(True)
                sections[section] = parent_item
            parent_item.addChild(QTreeWidgetItem([keys, action]))
        self.tree.expandAll()
        self.tree.setItemsExpandable(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for i in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(i)
            for j in range(section.childCount()):
                child = section.child(j)
                out.append((child.text(0), child.text(1)))
        return out


class ArticleNoteDialog(QDialog):
    """Edit the note on an article as a whole (the window stores it as one undo step on OK)."""

    def __init__(self, title: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Article note")
        heading = QLabel(f"Note on “{title}”", self)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.edit = QPlainTextEdit(self)
        self.edit.setPlainText(note)
        self.edit.setAccessibleName("Article note")
        self.edit.setPlaceholderText("What to remember about this article: context, doubts, what to check…")
        self.edit.setTabChangesFocus(True)
        hint = QLabel("Notes are searched by the article list's filter box and exported with the article.", self)
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.edit, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(480, 300)
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.toPlainText().strip()


def about_text() -> str:
    try:
        from importlib.metadata import version

        number = version("news-annotator")
    except Exception:  # noqa: BLE001 - running from a source tree without metadata
        number = "development"
    return (
        f"<h3>News Annotator {number}</h3>"
        "<p>Read news articles, highlight claims, sources and captions, and export them as training "
        "data. Everything stays on this computer: the app makes no network requests.</p>"
        "<p>Every edit is saved at once in the project file (SQLite).</p>"
    )


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("About News Annotator")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    box.setIcon(QMessageBox.Icon.Information)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


__all__ = ["DRAG_HELP", "REVIEW_SHORTCUTS", "ArticleNoteDialog", "KeyboardHelpDialog", "about_text", "show_about"]
