"""The right-hand panel: label buttons, the article's annotations by label, and the detail editor.

The panel never writes to the store. It emits requests (`labelClicked`, `labelChangeRequested`,
`attributesChangeRequested`, `noteChangeRequested`, `deleteRequested`, `linkRequested`,
`relationRemoveRequested`, `articleNoteRequested`) that the main window turns into operations,
and it redraws from what the store returned (`annotation_stored`, `annotation_removed`,
`relation_stored`, `relation_removed`, `set_article_note`). The selected annotation's links
(relations) are listed in its details (annotation_detail.py): a click on one selects the other end,
✕ removes the link. Colours are only ever a second cue: every button and group shows the label's
name, and the swatch carries the hotkey. A label button's tooltip is the gist of the label's
guideline; F2 (guidelines_pane.py) opens the whole of it, for the button under the mouse too.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QToolButton,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model import Annotation, Relation
from ..schema import LabelSchema
from ..wording import elide, one_line
from .annotation_detail import NOTE_MARK, DetailEditor, swatch_icon
from .guidelines_pane import label_tooltip

__all__ = ["DetailEditor", "SidePanel", "swatch_icon"]

AnnotationIdRole = Qt.ItemDataRole.UserRole + 1


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
    schemaChanged = Signal(object)  # the LabelSchema now shown

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
        self.hint = QLabel("Select text, then press a label's key or button. F2: the label's guideline.", self)
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
            button.setToolTip(label_tooltip(label))
            button.setAccessibleName(f"Tag as {label.name}")
            button.clicked.connect(lambda _checked=False, name=label.name: self.labelClicked.emit(name))
            self.buttons_layout.addWidget(button, row // columns, row % columns)
            self._buttons[label.name] = button
        self.detail.set_schema(schema)
        self._rebuild_tree()
        self.schemaChanged.emit(schema)

    def button(self, label: str) -> QPushButton:
        return self._buttons[label]

    def label_button_in_focus(self) -> str | None:
        """The label whose button is under the mouse or has the keyboard focus, if any."""
        for name, button in self._buttons.items():
            if button.underMouse() or button.hasFocus():
                return name
        return None

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
