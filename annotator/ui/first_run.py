"""The first start of the window: who is annotating?

Every annotation, review decision and agreement figure carries the annotator's name, and two
colleagues who both keep their login name "user" cannot be told apart in a review. So the first
time the window opens (no name in the settings yet) it asks, prefilled with the login name. The
name is stored in the settings (`annotator config annotator NAME` changes it later). Cancelling
keeps the login name for this session and asks again next time.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from .. import settings
from .readable_hints import ReadableHintsMixin


class NameDialog(ReadableHintsMixin, QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to News Annotator")
        intro = QLabel(
            "Your name goes with every tag you make, so that a colleague reviewing your work, "
            "and the agreement figures, can tell your tags from theirs.",
            self,
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(settings.current().annotator_name(), self)
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.selectAll()
        self.name_edit.textChanged.connect(self._update)
        label = QLabel("&Your name:", self)
        label.setBuddy(self.name_edit)
        later = QLabel("You can change it later with: annotator config annotator NAME", self)
        later.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # a hint, at AA contrast (not a disabled grey)
        later.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, label, self.name_edit, later, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(420)
        self._readable_hints()

    def name(self) -> str:
        return self.name_edit.text().strip()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name()))

    def accept(self) -> None:
        if not self.name():
            return
        try:
            settings.current().set("annotator", self.name())
        except OSError as exc:  # an unwritable settings folder: tag under the login name for now
            print(f"annotator: could not save your name in {settings.config_dir()}: {exc.strerror or exc}", file=sys.stderr)
        super().accept()


def ask_name_if_needed(parent: QWidget | None = None) -> None:
    """Show the dialog (modal) when no name is set yet; store the name given."""
    if not settings.current().has_annotator_name():
        NameDialog(parent).exec()
