"""Link mode's picker: a small panel over the article listing the annotations the selected one can be
linked to (for a claim: the article's sources), nearest first selected.

Up/Down move, Enter links, Esc cancels; clicking a span in the text links it too (the main window
handles that). The picker is a child widget floating over the window, not a popup, so a click in
the article reaches the article.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..model import Annotation
from ..schema import LabelSchema
from ..wording import elide
from .annotation_detail import swatch_icon
from .connector import link_name

TargetRole = Qt.ItemDataRole.UserRole + 1


class _TargetList(QListWidget):
    chosen = Signal(str)
    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            if item is not None:
                self.chosen.emit(item.data(TargetRole))
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class LinkPicker(QFrame):
    """`chosen(annotation id)` or `cancelled()`."""

    chosen = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.list = _TargetList(self)
        self.list.setAccessibleName("Annotations to link to")
        self.list.setIconSize(QSize(16, 16))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.list.chosen.connect(self.chosen)
        self.list.cancelled.connect(self.cancelled)
        self.list.itemActivated.connect(lambda item: self.chosen.emit(item.data(TargetRole)))
        self.hint = QLabel("Enter or click a span in the text to link · Esc cancels", self)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.setFixedWidth(340)
        self.hide()

    def show_targets(
        self, source: Annotation, targets: list[tuple[Annotation, str]], schema: LabelSchema, current: str | None = None
    ) -> None:
        """List `targets` (annotation, relation type) for linking `source`; `current` starts selected."""
        types = {relation_type for _annotation, relation_type in targets}
        kind = f" as {types.pop().replace('_', ' ')}" if len(types) == 1 else ""  # said once, not per row
        self.title.setText(f"Link {source.label} “{elide(source.quote, 40)}”{kind} to:")
        self.title.setToolTip(f"{source.label} “{source.quote}”")
        self.list.clear()
        several = len({annotation.annotator for annotation, _type in targets}) > 1  # whose, or two rows read the same
        for annotation, relation_type in targets:
            color, hotkey = "#999999", ""
            if annotation.label in schema.names:
                label = schema.label(annotation.label)
                color, hotkey = label.color, label.hotkey
            relation = link_name(relation_type)
            # the row is elided by the list ("…" at its end); the relation, when it varies, comes first
            who = f" · {annotation.annotator}" if several else ""
            text = f"{annotation.label}{who}  “{elide(annotation.quote, 200)}”"
            item = QListWidgetItem(swatch_icon(color, hotkey, 16), text if kind else f"{relation} · {text}")
            item.setData(TargetRole, annotation.id)
            item.setToolTip(f"{annotation.label} “{annotation.quote}”\n{relation} · by {annotation.annotator}")
            self.list.addItem(item)
            if annotation.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        rows = max(1, min(self.list.count(), 8))
        row_height = max(self.list.sizeHintForRow(0), self.list.fontMetrics().height() + 8, 22)
        self.list.setFixedHeight(row_height * rows + 2 * self.list.frameWidth() + 4)
        self.adjustSize()

    def ids(self) -> list[str]:
        return [self.list.item(i).data(TargetRole) for i in range(self.list.count())]
