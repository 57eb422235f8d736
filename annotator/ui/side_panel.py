"""The right-hand panel: label buttons, the article's annotations by label, and the detail editor.

The panel never writes to the store. It emits requests (`labelClicked`, `labelChangeRequested`,
`attributesChangeRequested`, `noteChangeRequested`, `deleteRequested`, `linkRequested`,
`relationRemoveRequested`, `articleNoteRequested`) that the main window turns into undo commands,
and it redraws from what the store returned (`annotation_stored`, `annotation_removed`,
`relation_stored`, `relation_removed`, `set_article_note`). The selected annotation's links
(relations) are listed in its details: a click on one selects the other end, ✕ removes the link. Colours are only ever a second cue: every button and group shows the label's
name, and the swatch carries the hotkey.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QToolButton,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model import Annotation, Relation
from ..schema import Label, LabelSchema
from .formatting import local_time

AnnotationIdRole = Qt.ItemDataRole.UserRole + 1
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


def one_line(text: str) -> str:
    return " ".join(text.split())


def elide(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
            kind = relation.type.replace("_", " ")
            text = f"{'→' if outgoing else '←'} {kind}: {other.label} “{elide(other.quote, 48)}”"
            container = QWidget(self.links_box)
            row = QHBoxLayout(container)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(2)
            button = QPushButton(text, container)
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 2px 4px;")
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setToolTip(f"{text}\nClick to select this {other.label}")
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


class SidePanel(QWidget):
    """Label buttons on top, the annotations of the article grouped by label, the detail editor below."""

    labelClicked = Signal(str)
    annotationSelected = Signal(str)
    labelChangeRequested = Signal(str, str)
    attributesChangeRequested = Signal(str, object)
    noteChangeRequested = Signal(str, str)
    deleteRequested = Signal(str)
    linkRequested = Signal(str)
    relationRemoveRequested = Signal(str)
    articleNoteRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema: LabelSchema | None = None
        self.annotations: dict[str, Annotation] = {}
        self.relations: dict[str, Relation] = {}  # live relations of the article
        self._links: dict[str, set[str]] = {}  # annotation id -> its relations' ids
        self.selected_id: str | None = None
        self._items: dict[str, QTreeWidgetItem] = {}
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._buttons: dict[str, QPushButton] = {}
        self._updating = False

        # label buttons
        self.buttons_box = QWidget(self)
        self.buttons_layout = QGridLayout(self.buttons_box)
        self.buttons_layout.setContentsMargins(0, 0, 0, 0)
        self.buttons_layout.setHorizontalSpacing(6)
        self.buttons_layout.setVerticalSpacing(6)
        self.hint = QLabel("Select text, then press a label's key or button.", self)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        # the annotations of this article
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Annotation", "By", NOTE_MARK])
        self.tree.headerItem().setToolTip(2, "Has a note")
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAccessibleName("Annotations in this article")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemClicked.connect(self._item_clicked)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemActivated.connect(self._item_clicked)

        # details of the selected one
        self.detail = DetailEditor(self)
        self.detail.labelChangeRequested.connect(self.labelChangeRequested)
        self.detail.attributesChangeRequested.connect(self.attributesChangeRequested)
        self.detail.noteChangeRequested.connect(self.noteChangeRequested)
        self.detail.deleteRequested.connect(self.deleteRequested)
        self.detail.linkRequested.connect(self.linkRequested)
        self.detail.relationRemoveRequested.connect(self.relationRemoveRequested)
        self.detail.relatedSelected.connect(self.annotationSelected)

        # the note on the article as a whole
        self.article_note_heading = self._heading("Article note")
        self.article_note_button = QToolButton(self)
        self.article_note_button.setText("Add…")
        self.article_note_button.setAutoRaise(True)
        self.article_note_button.setToolTip("Write a note on this article (Ctrl+Shift+N)")
        self.article_note_button.setAccessibleName("Edit the article note")
        self.article_note_button.clicked.connect(self.articleNoteRequested)
        self.article_note_text = QLabel(self)
        self.article_note_text.setWordWrap(True)
        self.article_note_text.setTextFormat(Qt.TextFormat.PlainText)
        self.article_note_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.article_note_box = QWidget(self)
        note_layout = QVBoxLayout(self.article_note_box)
        note_layout.setContentsMargins(0, 0, 0, 0)
        note_layout.setSpacing(2)
        note_row = QHBoxLayout()
        note_row.addWidget(self.article_note_heading)
        note_row.addStretch(1)
        note_row.addWidget(self.article_note_button)
        note_layout.addLayout(note_row)
        note_layout.addWidget(self.article_note_text)
        self.article_note: str | None = None
        self.detail_group = QGroupBox("Selected annotation", self)
        detail_layout = QVBoxLayout(self.detail_group)
        detail_layout.addWidget(self.detail)
        self.empty_detail = QLabel(
            "Click a highlight or a row above to see and edit its label, attributes and note.", self
        )
        self.empty_detail.setWordWrap(True)
        self.empty_detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty_detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._heading("Tag selection"))
        layout.addWidget(self.buttons_box)
        layout.addWidget(self.hint)
        layout.addWidget(self._separator())
        layout.addWidget(self.article_note_box)
        self.list_heading = self._heading("Annotations")
        layout.addWidget(self.list_heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail_group)
        layout.addWidget(self.empty_detail)
        self._show_detail(None)
        self.set_article_note(None)

    # -- the article's note --------------------------------------------------------------------

    def set_article_note(self, note: str | None) -> None:
        """Show the open article's note ("" none yet; None: no article open)."""
        self.article_note = note
        self.article_note_box.setVisible(note is not None)
        if note:
            self.article_note_heading.setText(f"{NOTE_MARK} Article note")
            self.article_note_text.setText(elide(note, 240))
            self.article_note_text.setForegroundRole(QPalette.ColorRole.WindowText)
            self.article_note_text.setToolTip(note if len(one_line(note)) > 240 else "")
            self.article_note_button.setText("Edit…")
        else:
            self.article_note_heading.setText("Article note")
            self.article_note_text.setText("None yet.")
            self.article_note_text.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.article_note_text.setToolTip("")
            self.article_note_button.setText("Add…")

    # -- relations -----------------------------------------------------------------------------

    def set_relations(self, relations: list[Relation]) -> None:
        self.relations = {}
        self._links = {}
        for relation in relations:
            if not relation.deleted:
                self._add_link(relation)
        self._refresh_links()
        for annotation_id in self._items:
            self._refresh_item(annotation_id)

    def relation_stored(self, relation: Relation) -> None:
        if relation.deleted:
            self.relation_removed(relation)
            return
        self._add_link(relation)
        self._relation_changed(relation)

    def relation_removed(self, relation: Relation) -> None:
        self.relations.pop(relation.id, None)
        for end in (relation.head, relation.tail):
            self._links.get(end, set()).discard(relation.id)
        self._relation_changed(relation)

    def _add_link(self, relation: Relation) -> None:
        self.relations[relation.id] = relation
        self._links.setdefault(relation.head, set()).add(relation.id)
        self._links.setdefault(relation.tail, set()).add(relation.id)

    def _relation_changed(self, relation: Relation) -> None:
        for end in (relation.head, relation.tail):
            self._refresh_item(end)
        if self.selected_id in (relation.head, relation.tail):
            self._refresh_links()

    def relations_of(self, annotation_id: str) -> list[Relation]:
        found = [self.relations[r] for r in self._links.get(annotation_id, ()) if r in self.relations]
        return sorted(found, key=lambda r: (r.created, r.id))

    def _refresh_links(self) -> None:
        if self.selected_id is None:
            return
        rows = []
        for relation in self.relations_of(self.selected_id):
            outgoing = relation.head == self.selected_id
            other = self.annotations.get(relation.tail if outgoing else relation.head)
            if other is not None:
                rows.append((relation, other, outgoing))
        self.detail.show_links(rows)

    def _refresh_item(self, annotation_id: str) -> None:
        item = self._items.get(annotation_id)
        annotation = self.annotations.get(annotation_id)
        if item is not None and annotation is not None:
            self._updating = True
            try:
                self._fill_item(item, annotation)
            finally:
                self._updating = False

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def _separator(self) -> QFrame:
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line

    # -- schema and label buttons --------------------------------------------------------------

    def set_schema(self, schema: LabelSchema) -> None:
        self.schema = schema
        for button in self._buttons.values():
            button.deleteLater()
        self._buttons = {}
        columns = 1
        for row, label in enumerate(schema.labels):
            button = QPushButton(self.buttons_box)
            button.setIcon(swatch_icon(label.color, label.hotkey))
            button.setIconSize(QSize(20, 20))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click keeps focus (and selection) in the view
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            tip = f"Tag the selected text as {label.name}"
            if label.hotkey:
                tip += f" (key {label.hotkey}; Alt+{label.hotkey} keeps the exact characters)"
            if label.description:
                tip += f"\n{label.description}"
            button.setToolTip(tip)
            button.setAccessibleName(f"Tag as {label.name}")
            button.clicked.connect(lambda _checked=False, name=label.name: self.labelClicked.emit(name))
            self.buttons_layout.addWidget(button, row // columns, row % columns)
            self._buttons[label.name] = button
        self.detail.set_schema(schema)
        self._rebuild_tree()

    def button(self, label: str) -> QPushButton:
        return self._buttons[label]

    def _update_counts(self) -> None:
        counts: dict[str, int] = {}
        for annotation in self.annotations.values():
            counts[annotation.label] = counts.get(annotation.label, 0) + 1
        for name, button in self._buttons.items():
            count = counts.get(name, 0)
            button.setText(f"{name}  ·  {count}")
        for name, group in self._groups.items():
            group.setText(0, f"{name}  ({counts.get(name, 0)})")
        total = len(self.annotations)
        self.list_heading.setText(f"Annotations ({total})" if total else "Annotations")

    # -- annotations ---------------------------------------------------------------------------

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Show one article's annotations (replaces what was shown; selection is cleared)."""
        self.detail.flush_note()
        self.annotations = {a.id: a for a in annotations if not a.deleted}
        self.selected_id = None
        self._rebuild_tree()
        self._show_detail(None)

    def clear(self) -> None:
        self.set_annotations([])

    def _group(self, label: str) -> QTreeWidgetItem:
        group = self._groups.get(label)
        if group is None:
            group = QTreeWidgetItem([label, "", ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            color = "#999999"
            hotkey = ""
            if self.schema is not None and label in self.schema.names:
                color, hotkey = self.schema.label(label).color, self.schema.label(label).hotkey
            group.setIcon(0, swatch_icon(color, hotkey))
            group.setFirstColumnSpanned(True)
            names = self.schema.names if self.schema else []
            order = names.index(label) if label in names else len(names)
            position = sum(1 for other in self._groups if (names.index(other) if other in names else len(names)) < order)
            self.tree.insertTopLevelItem(position, group)
            group.setFirstColumnSpanned(True)
            group.setExpanded(True)
            self._groups[label] = group
        return group

    def _make_item(self, annotation: Annotation) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        self._fill_item(item, annotation)
        return item

    def _fill_item(self, item: QTreeWidgetItem, annotation: Annotation) -> None:
        item.setText(0, elide(annotation.quote, 120))
        item.setText(1, annotation.annotator)
        item.setText(2, NOTE_MARK if annotation.note else "")
        tip = one_line(annotation.quote)
        links = self.relations_of(annotation.id) if hasattr(self, "_links") else []
        if links:
            tip += f"\n\n{len(links)} link{'s' if len(links) != 1 else ''}"
        if annotation.note:
            tip += f"\n\nNote: {annotation.note}"
        item.setToolTip(0, tip)
        item.setToolTip(2, annotation.note)
        item.setData(0, AnnotationIdRole, annotation.id)

    def _insert_item(self, annotation: Annotation) -> QTreeWidgetItem:
        group = self._group(annotation.label)
        keys = [self._key(group.child(i)) for i in range(group.childCount())]
        position = bisect_left(keys, (annotation.start, annotation.end, annotation.id))
        item = self._make_item(annotation)
        group.insertChild(position, item)
        self._items[annotation.id] = item
        return item

    def _key(self, item: QTreeWidgetItem) -> tuple[int, int, str]:
        annotation = self.annotations.get(item.data(0, AnnotationIdRole))
        return (annotation.start, annotation.end, annotation.id) if annotation else (0, 0, "")

    def _rebuild_tree(self) -> None:
        self._updating = True
        try:
            self.tree.clear()
            self._items = {}
            self._groups = {}
            if self.schema is not None:
                for label in self.schema.names:
                    self._group(label)
            by_label: dict[str, list[Annotation]] = {}
            for annotation in self.annotations.values():
                by_label.setdefault(annotation.label, []).append(annotation)
            for label, annotations in by_label.items():
                group = self._group(label)
                annotations.sort(key=lambda a: (a.start, a.end, a.id))
                items = [self._make_item(a) for a in annotations]
                group.addChildren(items)
                for annotation, item in zip(annotations, items):
                    self._items[annotation.id] = item
            if self.selected_id in self._items:
                self.tree.setCurrentItem(self._items[self.selected_id])
        finally:
            self._updating = False
        self._update_counts()

    def annotation_stored(self, annotation: Annotation) -> None:
        """Add or redraw one annotation (the store's copy)."""
        if annotation.deleted:
            self.annotation_removed(annotation.id)
            return
        previous = self.annotations.get(annotation.id)
        self.annotations[annotation.id] = annotation
        self._updating = True
        try:
            item = self._items.get(annotation.id)
            moved = previous is None or item is None or (
                (previous.label, previous.start, previous.end) != (annotation.label, annotation.start, annotation.end)
            )
            if moved:
                if item is not None:
                    parent = item.parent()
                    if parent is not None:
                        parent.removeChild(item)
                    del self._items[annotation.id]
                item = self._insert_item(annotation)
            else:
                self._fill_item(item, annotation)
            if self.selected_id == annotation.id:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
        finally:
            self._updating = False
        self._update_counts()
        if self.selected_id == annotation.id:
            self.detail.show_annotation(annotation)
        if self.selected_id is not None and any(
            annotation.id in (r.head, r.tail) for r in self.relations_of(self.selected_id)
        ):
            self._refresh_links()  # the other end of a link changed (its quote or label)

    def annotation_removed(self, annotation_id: str) -> None:
        self.annotations.pop(annotation_id, None)
        item = self._items.pop(annotation_id, None)
        if item is not None:
            self._updating = True
            try:
                parent = item.parent()
                if parent is not None:
                    parent.removeChild(item)
            finally:
                self._updating = False
        if self.selected_id == annotation_id:
            self.select(None)
        self._update_counts()

    def select(self, annotation_id: str | None) -> None:
        """Show an annotation as selected (no signal is emitted)."""
        if annotation_id is not None and annotation_id not in self.annotations:
            annotation_id = None
        self.selected_id = annotation_id
        self._updating = True
        try:
            if annotation_id is None:
                self.tree.clearSelection()
                self.tree.setCurrentItem(None)
            else:
                item = self._items[annotation_id]
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
        finally:
            self._updating = False
        self._show_detail(self.annotations.get(annotation_id) if annotation_id else None)

    def _show_detail(self, annotation: Annotation | None) -> None:
        self.detail.show_annotation(annotation)
        self.detail_group.setVisible(annotation is not None)
        self.empty_detail.setVisible(annotation is None)
        if annotation is not None:
            self.detail_group.setTitle(f"Selected: {annotation.label}")
            self._refresh_links()

    def flush_note(self) -> None:
        self.detail.flush_note()

    # -- tree interaction ----------------------------------------------------------------------

    def _item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        annotation_id = item.data(0, AnnotationIdRole) if item is not None else None
        if annotation_id:
            self.annotationSelected.emit(annotation_id)

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if self._updating or current is None:
            return
        annotation_id = current.data(0, AnnotationIdRole)
        if annotation_id and annotation_id != self.selected_id:
            self.annotationSelected.emit(annotation_id)
