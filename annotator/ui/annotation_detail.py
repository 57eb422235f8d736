"""The detail editor of the side panel: the selected annotation's label, attributes, note and links.

It never writes: every edit is a request signal that the side panel passes on to the window, which
turns it into an operation. Also the small drawing helpers the panel shares (`swatch_icon`, `elide`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..model import Annotation, Relation
from ..schema import Label, LabelSchema
from ..wording import elide
from .connector import link_name
from .elided import ElidedButton
from .formatting import local_time

NOTE_SAVE_DELAY_MS = 800
NOTE_MARK = "✎"
UNSET = "—"


def swatch_icon(color: str, text: str = "", size: int = 20) -> QIcon:
    """A rounded square in the label's colour, with the hotkey drawn on it in a contrasting ink."""
    ratio = 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    fill = QColor(color) if QColor.isValidColorName(color) else QColor("#999999")
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(fill.darker(130))
    painter.setBrush(fill)
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 4, 4)
    if text:
        luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF()
        painter.setPen(QColor("#000000") if luminance > 0.45 else QColor("#FFFFFF"))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.62))
        painter.setFont(font)
        painter.drawText(0, 0, size, size, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


class NoteEdit(QPlainTextEdit):
    """A note field that reports leaving focus (the note is saved then, or after a short pause)."""

    focusLost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.focusLost.emit()


class DetailEditor(QWidget):
    """Label, attributes, note and delete for the selected annotation."""

    labelChangeRequested = Signal(str, str)
    attributesChangeRequested = Signal(str, object)
    noteChangeRequested = Signal(str, str)
    deleteRequested = Signal(str)
    linkRequested = Signal(str)  # annotation id: start link mode from it
    relationRemoveRequested = Signal(str)  # relation id
    relatedSelected = Signal(str)  # annotation id of a link's other end

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema: LabelSchema | None = None
        self.annotation: Annotation | None = None
        self.link_rows: list[tuple[Relation, QPushButton, QToolButton]] = []
        self._link_widgets: list[QWidget] = []
        self._updating = False
        self._attribute_widgets: dict[str, QWidget] = {}
        self._attributes_for: str | None = None  # the annotation the attribute widgets were built for
        self._touched: set[str] = set()

        self.quote = QLabel(self)
        self.quote.setWordWrap(True)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.meta = QLabel(self)
        self.meta.setWordWrap(True)
        self.meta.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.label_combo = QComboBox(self)
        self.label_combo.setAccessibleName("Label")
        self.label_combo.currentIndexChanged.connect(self._label_chosen)

        self.attributes_box = QWidget(self)
        self.attributes_form = QFormLayout(self.attributes_box)
        self.attributes_form.setContentsMargins(0, 0, 0, 0)
        self.attributes_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.note = NoteEdit(self)
        self.note.setPlaceholderText("Note (saved as you type)")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(56)
        self.note.setMaximumHeight(96)
        self.note.textChanged.connect(self._note_typed)
        self.note.focusLost.connect(self.flush_note)
        self.note_timer = QTimer(self)
        self.note_timer.setSingleShot(True)
        self.note_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self.note_timer.timeout.connect(self.flush_note)

        self.delete_button = QPushButton("Delete annotation", self)
        self.delete_button.setToolTip("Delete the selected annotation (Delete); undo with Ctrl+Z")
        self.delete_button.clicked.connect(self._delete)

        self.links_heading = QLabel("Links", self)
        self.links_box = QWidget(self)
        self.links_layout = QVBoxLayout(self.links_box)
        self.links_layout.setContentsMargins(0, 0, 0, 0)
        self.links_layout.setSpacing(2)
        self.link_button = QPushButton("Link to…", self)
        self.link_button.setToolTip(
            "Link this annotation, e.g. a claim to its source (key A in the article): "
            "then click the other span, or choose it from the list. Esc cancels."
        )
        self.link_button.setAccessibleName("Link to another annotation")
        self.link_button.clicked.connect(self._link_clicked)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Label", self.label_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.quote)
        layout.addWidget(self.meta)
        layout.addLayout(form)
        layout.addWidget(self.attributes_box)
        layout.addWidget(self.note)
        links_row = QHBoxLayout()
        links_row.addWidget(self.links_heading)
        links_row.addStretch(1)
        links_row.addWidget(self.link_button)
        layout.addLayout(links_row)
        layout.addWidget(self.links_box)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)

    # -- content -------------------------------------------------------------------------------

    def set_schema(self, schema: LabelSchema) -> None:
        self.schema = schema
        self._updating = True
        try:
            self.label_combo.clear()
            for label in schema.labels:
                self.label_combo.addItem(swatch_icon(label.color, label.hotkey), label.name, label.name)
        finally:
            self._updating = False
        if self.annotation is not None:
            self.show_annotation(self.annotation)

    def show_annotation(self, annotation: Annotation | None) -> None:
        """Show an annotation (None: nothing selected). A note being typed is saved first."""
        same = self.annotation is not None and annotation is not None and annotation.id == self.annotation.id
        if self.annotation is not None and not same:
            self.flush_note()
        previous_label = self.annotation.label if same and self.annotation is not None else None
        self.annotation = annotation
        if annotation is None:
            self._attributes_for = None
            return
        self._updating = True
        try:
            self.quote.setText(f"“{elide(annotation.quote, 280)}”")
            self.quote.setToolTip(annotation.quote if len(annotation.quote) > 280 else "")
            when = local_time(annotation.updated)
            details = [f"by {annotation.annotator}" if annotation.annotator else "", when]
            details.append(f"{annotation.start}–{annotation.end}")
            if annotation.origin != "manual":
                details.append(annotation.origin)
            self.meta.setText(" · ".join(d for d in details if d))
            index = self.label_combo.findData(annotation.label)
            if index < 0:  # a label the schema no longer has: show it, so nothing is silently changed
                self.label_combo.addItem(annotation.label, annotation.label)
                index = self.label_combo.count() - 1
            self.label_combo.setCurrentIndex(index)
            if previous_label == annotation.label and self._attributes_for == annotation.id:
                self._fill_attributes(annotation)  # in place: the edited widget may be the sender
            else:
                self._build_attributes(annotation)
            # A note being typed into is not overwritten by the (older) stored copy of itself.
            typing = same and (self.note.hasFocus() or self.note_timer.isActive())
            if not typing and self.note.toPlainText() != annotation.note:
                self.note.setPlainText(annotation.note)
        finally:
            self._updating = False

    def _build_attributes(self, annotation: Annotation) -> None:
        while self.attributes_form.rowCount():
            self.attributes_form.removeRow(0)
        self._attribute_widgets = {}
        self._touched = set()
        self._attributes_for = annotation.id
        label: Label | None = None
        if self.schema is not None and annotation.label in self.schema.names:
            label = self.schema.label(annotation.label)
        specs = label.attributes if label else ()
        for spec in specs:
            value = annotation.attributes.get(spec.name)
            widget: QWidget
            if spec.type == "choice":
                combo = QComboBox(self.attributes_box)
                combo.addItem(UNSET, None)
                for choice in spec.values:
                    combo.addItem(choice, choice)
                position = combo.findData(value) if value is not None else 0
                combo.setCurrentIndex(max(position, 0))
                combo.currentIndexChanged.connect(lambda _i, n=spec.name: self._attribute_edited(n))
                widget = combo
            elif spec.type == "bool":
                box = QCheckBox(self.attributes_box)
                box.setChecked(bool(value))
                box.toggled.connect(lambda _c, n=spec.name: self._attribute_edited(n))
                widget = box
            else:
                line = QLineEdit(self.attributes_box)
                line.setText("" if value is None else str(value))
                line.editingFinished.connect(lambda n=spec.name: self._attribute_edited(n))
                widget = line
            widget.setAccessibleName(spec.name)
            if spec.description:
                widget.setToolTip(spec.description)
            self._attribute_widgets[spec.name] = widget
            self.attributes_form.addRow(spec.name.replace("_", " ").capitalize(), widget)
        self.attributes_box.setVisible(bool(specs))

    def _fill_attributes(self, annotation: Annotation) -> None:
        for name, widget in self._attribute_widgets.items():
            value = annotation.attributes.get(name)
            widget.blockSignals(True)
            try:
                if isinstance(widget, QComboBox):
                    position = widget.findData(value) if value is not None else 0
                    widget.setCurrentIndex(max(position, 0))
                elif isinstance(widget, QCheckBox):
                    widget.setChecked(bool(value))
                elif isinstance(widget, QLineEdit) and not widget.hasFocus():
                    widget.setText("" if value is None else str(value))
            finally:
                widget.blockSignals(False)

    def attribute_values(self) -> dict[str, object]:
        """The attributes as the widgets show them; unset choices and empty texts are left out."""
        assert self.annotation is not None
        values: dict[str, object] = {}
        for name, widget in self._attribute_widgets.items():
            if isinstance(widget, QComboBox):
                data = widget.currentData()
                if data is not None:
                    values[name] = data
            elif isinstance(widget, QCheckBox):
                if widget.isChecked() or name in self.annotation.attributes or name in self._touched:
                    values[name] = widget.isChecked()
            elif isinstance(widget, QLineEdit):
                text = widget.text().strip()
                if text:
                    values[name] = text
        return values

    # -- edits ---------------------------------------------------------------------------------

    def _label_chosen(self, index: int) -> None:
        if self._updating or self.annotation is None or index < 0:
            return
        label = self.label_combo.itemData(index)
        if label and label != self.annotation.label:
            self.labelChangeRequested.emit(self.annotation.id, label)

    def _attribute_edited(self, name: str) -> None:
        if self._updating or self.annotation is None:
            return
        self._touched.add(name)
        values = self.attribute_values()
        if values != self.annotation.attributes:
            self.attributesChangeRequested.emit(self.annotation.id, values)

    def _note_typed(self) -> None:
        if self._updating or self.annotation is None:
            return
        self.note_timer.start()

    def flush_note(self) -> None:
        """Save the note now if it differs from the stored one."""
        self.note_timer.stop()
        if self._updating or self.annotation is None:
            return
        text = self.note.toPlainText()
        if text != self.annotation.note:
            self.noteChangeRequested.emit(self.annotation.id, text)

    def _delete(self) -> None:
        if self.annotation is not None:
            self.flush_note()
            self.deleteRequested.emit(self.annotation.id)

    def _link_clicked(self) -> None:
        if self.annotation is not None:
            self.linkRequested.emit(self.annotation.id)

    def show_links(self, rows: list[tuple[Relation, Annotation, bool]]) -> None:
        """The selected annotation's relations: (relation, the other end, whether it points out)."""
        for widget in self._link_widgets:
            widget.hide()
            widget.deleteLater()
        self._link_widgets = []
        self.link_rows = []
        self.links_heading.setText(f"Links ({len(rows)})" if rows else "Links")
        for relation, other, outgoing in rows:
            kind = link_name(relation.type)
            text = f"{'→' if outgoing else '←'} {kind}: {other.label} “{elide(other.quote, 300)}”"
            container = QWidget(self.links_box)
            row = QHBoxLayout(container)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(2)
            button = ElidedButton(text, container, tip=f"Click to select this {other.label}")  # "…" where it is cut
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 2px 4px;")
            button.setAccessibleName(f"{kind} {other.label} {other.quote}")
            button.clicked.connect(lambda _c=False, oid=other.id: self.relatedSelected.emit(oid))
            remove = QToolButton(container)
            remove.setText("✕")
            remove.setAutoRaise(True)
            remove.setToolTip("Remove this link (undo with Ctrl+Z)")
            remove.setAccessibleName(f"Remove link {kind} {other.label}")
            remove.clicked.connect(lambda _c=False, rid=relation.id: self.relationRemoveRequested.emit(rid))
            row.addWidget(button, 1)
            row.addWidget(remove)
            self.links_layout.addWidget(container)
            self._link_widgets.append(container)
            self.link_rows.append((relation, button, remove))
        if not rows:
            empty = QLabel("No links. Press A to link it, e.g. a claim to its source.", self.links_box)
            empty.setWordWrap(True)
            empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.links_layout.addWidget(empty)
            self._link_widgets.append(empty)
