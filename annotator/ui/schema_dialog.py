"""The label schema editor: labels (name, colour, hotkey, description, guideline) and their attributes.

The dialog edits a draft and writes nothing. On Save it checks the draft with every rule of the
schema file (`annotator.schema.checked_schema`: unique names and hotkeys, #RRGGBB colours, known
attribute types, choices with values) and leaves `result_schema`, `renames` (old name -> new) and
`removed` (old name -> annotations using it) for the main window, which applies them as one undo
step (`operations.change_schema`, undone from the journal).

Removing a label that annotations use first says how many and asks (QMessageBox.question); the
annotations are tombstoned with their links when the schema is saved, and Ctrl+Z brings them back.
Renaming a label relabels its annotations and the relation types that name it.

The Guideline tab edits the label's guideline (Markdown, with a live preview). The guidelines of
attributes, their values, the relation types and the schema as a whole are not edited here
(`annotator schema export`, edit the TOML, `schema import`), but they are kept: a value's guideline
goes only with the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import ValidationError
from ..schema import (
    ATTRIBUTE_TYPES, AttributeSpec, Label, LabelSchema, RelationType, checked_schema, new_label_style, without_labels,
)
from .annotation_detail import swatch_icon
from .guidelines_pane import GuidelineBrowser
from .window_actions import RESERVED_KEYS
NAME, TYPE, VALUES, DESCRIPTION = range(4)
GuidelinesRole = Qt.ItemDataRole.UserRole + 7  # on an attribute row's name: (guideline, {value: guideline})


@dataclass
class DraftAttribute:
    name: str
    type: str = "text"
    values: list[str] = field(default_factory=list)
    description: str = ""
    guideline: str = ""
    value_guidelines: dict[str, str] = field(default_factory=dict)

    def spec(self) -> AttributeSpec:
        """The attribute; the guidelines of values it no longer has are dropped."""
        values = tuple(self.values) if self.type == "choice" else ()
        allowed = values if self.type == "choice" else ("yes", "no") if self.type == "bool" else ()
        guides = tuple((v, self.value_guidelines[v]) for v in allowed if v in self.value_guidelines)
        return AttributeSpec(self.name, self.type, values, self.description, self.guideline, guides)


@dataclass
class DraftLabel:
    original: str | None  # the label's name in the project (None: added in this dialog)
    name: str
    color: str
    hotkey: str = ""
    description: str = ""
    attributes: list[DraftAttribute] = field(default_factory=list)
    guideline: str = ""

    @classmethod
    def of(cls, label: Label) -> "DraftLabel":
        attributes = [
            DraftAttribute(a.name, a.type, list(a.values), a.description, a.guideline, dict(a.value_guidelines))
            for a in label.attributes
        ]
        return cls(label.name, label.name, label.color, label.hotkey, label.description, attributes, label.guideline)


def split_values(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


class SchemaDialog(QDialog):
    """Edit the project's labels; read the result from `result_schema`, `renames`, `removed`."""

    def __init__(self, schema: LabelSchema, usage: Callable[[str], int] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Label schema")
        self.setObjectName("schemaDialog")
        self.original = schema
        self.usage = usage or (lambda _name: 0)
        self.labels: list[DraftLabel] = [DraftLabel.of(label) for label in schema.labels]
        self.counts: dict[str, int] = {label.name: self.usage(label.name) for label in schema.labels}
        self.removed: dict[str, int] = {}
        self.renames: dict[str, str] = {}
        self.result_schema: LabelSchema | None = None
        self._current = -1
        self._loading = False

        # labels on the left
        self.label_list = QListWidget(self)
        self.label_list.setAccessibleName("Labels")
        self.label_list.setIconSize(QSize(20, 20))
        self.label_list.setMinimumWidth(190)
        self.label_list.currentRowChanged.connect(self._row_changed)
        self.add_label_button = QPushButton("Add label", self)
        self.add_label_button.clicked.connect(self.add_label)
        self.remove_label_button = QPushButton("Remove…", self)
        self.remove_label_button.setToolTip("Remove the selected label (asks first if annotations use it)")
        self.remove_label_button.clicked.connect(self.remove_label)
        self.up_button = QPushButton("↑", self)
        self.up_button.setToolTip("Move up (the order of the buttons and lists)")
        self.up_button.setAccessibleName("Move label up")
        self.up_button.clicked.connect(lambda: self.move_label(-1))
        self.down_button = QPushButton("↓", self)
        self.down_button.setToolTip("Move down")
        self.down_button.setAccessibleName("Move label down")
        self.down_button.clicked.connect(lambda: self.move_label(1))
        for button in (self.up_button, self.down_button):
            button.setFixedWidth(34)
        left = QVBoxLayout()
        left.addWidget(self.label_list, 1)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.add_label_button)
        left_buttons.addWidget(self.remove_label_button)
        left_buttons.addWidget(self.up_button)
        left_buttons.addWidget(self.down_button)
        left.addLayout(left_buttons)

        # the selected label on the right
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Label name")
        self.name_edit.textEdited.connect(self._name_edited)
        self.color_button = QPushButton(self)
        self.color_button.setAccessibleName("Label colour")
        self.color_button.setToolTip("Choose the label's colour")
        self.color_button.clicked.connect(self.choose_color)
        self.hotkey_edit = QLineEdit(self)
        self.hotkey_edit.setAccessibleName("Hotkey")
        self.hotkey_edit.setMaxLength(1)
        self.hotkey_edit.setFixedWidth(48)
        self.hotkey_edit.textEdited.connect(self._hotkey_edited)
        self.hotkey_problem = QLabel(self)
        self.description_edit = QLineEdit(self)
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setPlaceholderText("One line, shown as the tooltip of the label's button")
        self.description_edit.textEdited.connect(self._description_edited)
        hotkey_row = QHBoxLayout()
        hotkey_row.addWidget(self.hotkey_edit)
        hotkey_row.addWidget(self.hotkey_problem, 1)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.color_button)
        colour_row.addStretch(1)
        form = QFormLayout()
        form.addRow("&Name", self.name_edit)
        colour_label = QLabel("&Colour", self)
        colour_label.setBuddy(self.color_button)
        hotkey_label = QLabel("&Hotkey", self)
        hotkey_label.setBuddy(self.hotkey_edit)
        form.addRow(colour_label, colour_row)
        form.addRow(hotkey_label, hotkey_row)
        form.addRow("&Description", self.description_edit)

        self.attributes_table = QTableWidget(0, 4, self)
        self.attributes_table.setHorizontalHeaderLabels(["Attribute", "Type", "Allowed values (comma-separated)", "Description"])
        self.attributes_table.setAccessibleName("Attributes")
        self.attributes_table.verticalHeader().setVisible(False)
        self.attributes_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attributes_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.attributes_table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VALUES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Interactive)
        self.attributes_table.setColumnWidth(NAME, 120)
        self.attributes_table.setColumnWidth(DESCRIPTION, 150)
        self.attributes_table.itemChanged.connect(lambda _item: self._attributes_edited())
        self.add_attribute_button = QPushButton("Add attribute", self)
        self.add_attribute_button.clicked.connect(self.add_attribute)
        self.remove_attribute_button = QPushButton("Remove attribute", self)
        self.remove_attribute_button.clicked.connect(self.remove_attribute)
        attribute_buttons = QHBoxLayout()
        attribute_buttons.addWidget(self.add_attribute_button)
        attribute_buttons.addWidget(self.remove_attribute_button)
        attribute_buttons.addStretch(1)

        self.label_group = QGroupBox("Label", self)
        fields_page = QWidget(self)
        fields_layout = QVBoxLayout(fields_page)
        fields_layout.addLayout(form)
        attributes_heading = QLabel("Attributes (edited in the side panel for each annotation)", self)
        fields_layout.addWidget(attributes_heading)
        fields_layout.addWidget(self.attributes_table, 1)
        fields_layout.addLayout(attribute_buttons)
        self.tabs = QTabWidget(self.label_group)
        self.tabs.addTab(fields_page, "&Fields and attributes")
        self.tabs.addTab(self._guideline_page(), "&Guideline")
        group_layout = QVBoxLayout(self.label_group)
        group_layout.addWidget(self.tabs)

        self.relations_label = QLabel(self)
        self.relations_label.setWordWrap(True)
        self.relations_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setObjectName("schemaError")
        self.error_label.setStyleSheet("color: #B00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addLayout(left)
        body.addWidget(self.label_group, 1)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Labels are what you tag with. Renaming a label renames it on every annotation; removing one "
            "deletes its annotations (you are asked first, and Ctrl+Z undoes it).",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(self.relations_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(960, 660)

        for number in range(len(self.labels)):
            self.label_list.addItem(QListWidgetItem())
            self._refresh_item(number)
        if self.labels:
            self.label_list.setCurrentRow(0)
        self._refresh_relations()
        self._update_state()

    def _guideline_page(self) -> QWidget:
        page = QWidget(self)
        self.guideline_edit = QPlainTextEdit(page)
        self.guideline_edit.setAccessibleName("Guideline (Markdown)")
        self.guideline_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.guideline_edit.setPlaceholderText(
            "Markdown: what the label is, where its span starts and ends, examples to tag and not to tag, "
            "edge cases. Shown by F2 and in View ▸ Guidelines."
        )
        self.guideline_edit.textChanged.connect(self._guideline_edited)
        self.guideline_preview = GuidelineBrowser(page)
        self.guideline_preview.setAccessibleName("Guideline preview")
        split = QSplitter(Qt.Orientation.Vertical, page)
        split.addWidget(self.guideline_edit)
        split.addWidget(self.guideline_preview)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        note = QLabel("Markdown above, as the Guidelines pane shows it below.", page)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(note)
        layout.addWidget(split, 1)
        return page

    def _guideline_edited(self) -> None:
        draft = self.current()
        text = self.guideline_edit.toPlainText()
        self.guideline_preview.setMarkdown(text)
        if draft is not None and not self._loading:
            draft.guideline = text

    # -- the list of labels --------------------------------------------------------------------

    def current(self) -> DraftLabel | None:
        return self.labels[self._current] if 0 <= self._current < len(self.labels) else None

    def select_label(self, name: str) -> None:
        for number, draft in enumerate(self.labels):
            if draft.name == name:
                self.label_list.setCurrentRow(number)
                return
        raise KeyError(name)

    def _refresh_item(self, number: int) -> None:
        draft = self.labels[number]
        item = self.label_list.item(number)
        count = self.counts.get(draft.original, 0) if draft.original else 0
        text = draft.name or "(no name)"
        if draft.original and draft.original != draft.name:
            text += f"  (was {draft.original})"
        item.setText(f"{text}  ·  {count}")
        item.setIcon(swatch_icon(draft.color, draft.hotkey))
        item.setToolTip(f"{draft.description}\n{count} annotation{'s' if count != 1 else ''}".strip())

    def _row_changed(self, row: int) -> None:
        self._commit_attributes()
        self._current = row
        self._load()
        self._update_state()

    def _load(self) -> None:
        draft = self.current()
        self._loading = True
        try:
            self.label_group.setEnabled(draft is not None)
            if draft is None:
                for edit in (self.name_edit, self.hotkey_edit, self.description_edit, self.guideline_edit):
                    edit.clear()
                self.attributes_table.setRowCount(0)
                return
            self.label_group.setTitle(f"Label {draft.name}")
            self.name_edit.setText(draft.name)
            self.hotkey_edit.setText(draft.hotkey)
            self.description_edit.setText(draft.description)
            self.guideline_edit.setPlainText(draft.guideline)
            self._show_color(draft.color)
            self.attributes_table.setRowCount(0)
            for attribute in draft.attributes:
                self._append_attribute_row(attribute)
        finally:
            self._loading = False

    def add_label(self) -> DraftLabel:
        taken = {d.name for d in self.labels}
        number = 1
        while f"LABEL{number}" in taken:
            number += 1
        colour, key = new_label_style({d.color for d in self.labels}, {d.hotkey for d in self.labels})
        draft = DraftLabel(None, f"LABEL{number}", colour, key)
        self.labels.append(draft)
        self.label_list.addItem(QListWidgetItem())
        self._refresh_item(len(self.labels) - 1)
        self.label_list.setCurrentRow(len(self.labels) - 1)
        self.name_edit.setFocus()
        self.name_edit.selectAll()
        self._update_state()
        return draft

    def remove_label(self) -> bool:
        """Remove the selected label; if annotations use it, say how many and ask first."""
        draft = self.current()
        if draft is None:
            return False
        count = self.counts.get(draft.original, 0) if draft.original else 0
        if count:
            answer = QMessageBox.question(
                self,
                "Remove label",
                f"{count} annotation{'s' if count != 1 else ''} use{'s' if count == 1 else ''} the label "
                f"{draft.original}. Removing the label deletes {'them' if count != 1 else 'it'} (and "
                f"{'their' if count != 1 else 'its'} links) when you save the schema.\n\n"
                "You can undo it afterwards with Ctrl+Z. Remove the label?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        if draft.original:
            self.removed[draft.original] = count
        row = self._current
        self._current = -1  # nothing to commit from the row being removed
        del self.labels[row]
        self.label_list.takeItem(row)
        self._current = self.label_list.currentRow()
        self._load()
        self._refresh_relations()
        self._update_state()
        return True

    def move_label(self, step: int) -> None:
        row = self._current
        target = row + step
        if row < 0 or not 0 <= target < len(self.labels):
            return
        self._commit_attributes()
        self.labels[row], self.labels[target] = self.labels[target], self.labels[row]
        self._refresh_item(row)
        self._refresh_item(target)
        self._current = target
        self.label_list.blockSignals(True)
        self.label_list.setCurrentRow(target)
        self.label_list.blockSignals(False)
        self._load()

    # -- the selected label's fields -----------------------------------------------------------

    def _name_edited(self, text: str) -> None:
        draft = self.current()
        if draft is None or self._loading:
            return
        draft.name = text.strip()
        self.label_group.setTitle(f"Label {draft.name}")
        self._refresh_item(self._current)
        self._refresh_relations()
        self._update_state()

    def _description_edited(self, text: str) -> None:
        draft = self.current()
        if draft is not None and not self._loading:
            draft.description = text.strip()
            self._refresh_item(self._current)

    def _hotkey_edited(self, text: str) -> None:
        draft = self.current()
        if draft is None or self._loading:
            return
        draft.hotkey = text.strip()
        self._refresh_item(self._current)
        self._update_state()

    def hotkey_problem_for(self, draft: DraftLabel) -> str:
        key = draft.hotkey
        if not key:
            return ""
        if key.upper() in RESERVED_KEYS:
            return f"{key} is the key for {RESERVED_KEYS[key.upper()]}"
        if key.isspace():
            return "a space cannot be a hotkey"
        for other in self.labels:
            if other is not draft and other.hotkey and other.hotkey.casefold() == key.casefold():
                return f"{key} is already {other.name}'s key"
        return ""

    def choose_color(self) -> None:
        draft = self.current()
        if draft is None:
            return
        colour = QColorDialog.getColor(QColor(draft.color), self, f"Colour of {draft.name}")
        if colour.isValid():
            self.set_color(colour.name().upper())

    def set_color(self, color: str) -> None:
        draft = self.current()
        if draft is None:
            return
        draft.color = color.upper()
        self._show_color(draft.color)
        self._refresh_item(self._current)

    def _show_color(self, color: str) -> None:
        self.color_button.setIcon(swatch_icon(color))
        self.color_button.setText(f"  {color}")

    # -- attributes ----------------------------------------------------------------------------

    def _append_attribute_row(self, attribute: DraftAttribute) -> None:
        table = self.attributes_table
        row = table.rowCount()
        was = self._loading
        self._loading = True
        try:
            table.insertRow(row)
            name = QTableWidgetItem(attribute.name)
            name.setData(GuidelinesRole, (attribute.guideline, dict(attribute.value_guidelines)))
            table.setItem(row, NAME, name)
            combo = QComboBox(table)
            combo.addItems(list(ATTRIBUTE_TYPES))
            combo.setCurrentText(attribute.type if attribute.type in ATTRIBUTE_TYPES else "text")
            combo.setAccessibleName(f"Type of {attribute.name or 'the attribute'}")
            combo.currentTextChanged.connect(lambda _t: self._attributes_edited())
            table.setCellWidget(row, TYPE, combo)
            table.setItem(row, VALUES, QTableWidgetItem(", ".join(attribute.values)))
            table.setItem(row, DESCRIPTION, QTableWidgetItem(attribute.description))
            self._style_values_cell(row)
        finally:
            self._loading = was

    def _style_values_cell(self, row: int) -> None:
        table = self.attributes_table
        combo = table.cellWidget(row, TYPE)
        item = table.item(row, VALUES)
        if item is None or not isinstance(combo, QComboBox):
            return
        choice = combo.currentText() == "choice"
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if choice:
            flags |= Qt.ItemFlag.ItemIsEditable
        table.blockSignals(True)
        item.setFlags(flags)
        item.setToolTip("" if choice else "Only a choice has a list of allowed values")
        table.blockSignals(False)

    def _attributes_edited(self) -> None:
        if self._loading:
            return
        for row in range(self.attributes_table.rowCount()):
            self._style_values_cell(row)
        self._commit_attributes()
        self._update_state()

    def _commit_attributes(self) -> None:
        """Read the table back into the selected label's draft."""
        draft = self.current()
        if draft is None or self._loading:
            return
        table = self.attributes_table
        attributes = []
        for row in range(table.rowCount()):
            combo = table.cellWidget(row, TYPE)
            kind = combo.currentText() if isinstance(combo, QComboBox) else "text"
            text = lambda column: (table.item(row, column).text() if table.item(row, column) else "").strip()  # noqa: E731
            values = split_values(text(VALUES)) if kind == "choice" else []
            kept = table.item(row, NAME).data(GuidelinesRole) if table.item(row, NAME) else None
            guideline, value_guidelines = kept if isinstance(kept, tuple) else ("", {})
            attributes.append(DraftAttribute(text(NAME), kind, values, text(DESCRIPTION), guideline, dict(value_guidelines)))
        draft.attributes = attributes

    def add_attribute(self, name: str = "", type_: str = "choice", values: list[str] | None = None) -> int:
        draft = self.current()
        if draft is None:
            return -1
        if not name:
            taken = {a.name for a in draft.attributes}
            number = 1
            while f"attribute{number}" in taken:
                number += 1
            name = f"attribute{number}"
        attribute = DraftAttribute(name, type_, list(values if values is not None else ["yes", "no"] if type_ == "choice" else []))
        draft.attributes.append(attribute)
        self._append_attribute_row(attribute)
        row = self.attributes_table.rowCount() - 1
        self.attributes_table.setCurrentCell(row, NAME)
        self._update_state()
        return row

    def remove_attribute(self) -> None:
        row = self.attributes_table.currentRow()
        draft = self.current()
        if draft is None or row < 0:
            return
        self.attributes_table.removeRow(row)
        self._commit_attributes()
        self._update_state()

    # -- relation types, checks and the result -------------------------------------------------

    def _new_relations(self) -> tuple[RelationType, ...]:
        base = without_labels(self.original, set(self.removed) - {d.original for d in self.labels if d.original})
        names = {d.original: d.name for d in self.labels if d.original}
        rename = lambda ends: tuple(names.get(end, end) for end in ends)  # noqa: E731
        return tuple(replace(r, head=rename(r.head), tail=rename(r.tail)) for r in base.relations)

    def _refresh_relations(self) -> None:
        parts = [
            f"{r.name} ({' | '.join(r.head) or 'any'} → {' | '.join(r.tail) or 'any'})" for r in self._new_relations()
        ]
        self.relations_label.setText("Relation types: " + ("; ".join(parts) if parts else "none"))

    def draft_schema(self) -> LabelSchema:
        self._commit_attributes()
        labels = tuple(
            Label(
                d.name.strip(), d.color.upper(), d.hotkey, d.description, tuple(a.spec() for a in d.attributes), d.guideline
            )
            for d in self.labels
        )
        return replace(self.original, labels=labels, relations=self._new_relations())

    def problem(self) -> str:
        """What is wrong with the draft ("" when it can be saved)."""
        for draft in self.labels:
            problem = self.hotkey_problem_for(draft)
            if problem:
                return f"{draft.name}: hotkey {problem}"
        if not self.labels:
            return "the schema needs at least one label"
        try:
            checked_schema(self.draft_schema(), "label schema")
        except ValidationError as exc:
            return str(exc).removeprefix("label schema: ")
        return ""

    def _update_state(self) -> None:
        draft = self.current()
        key_problem = self.hotkey_problem_for(draft) if draft is not None else ""
        self.hotkey_problem.setText(key_problem)
        self.hotkey_problem.setStyleSheet("color: #B00020;" if key_problem else "")
        problem = self.problem()
        self.error_label.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problem)
        self.remove_label_button.setEnabled(draft is not None and len(self.labels) > 1)
        self.up_button.setEnabled(self._current > 0)
        self.down_button.setEnabled(0 <= self._current < len(self.labels) - 1)
        self.remove_attribute_button.setEnabled(draft is not None and self.attributes_table.rowCount() > 0)

    def accept(self) -> None:  # noqa: D401 - Qt override
        problem = self.problem()
        if problem:
            self.error_label.setText(problem)
            return
        self.result_schema = checked_schema(self.draft_schema(), "label schema")
        self.renames = {d.original: d.name.strip() for d in self.labels if d.original and d.original != d.name.strip()}
        kept = {d.original for d in self.labels if d.original}
        self.removed = {name: count for name, count in self.removed.items() if name not in kept}
        super().accept()

    def changed(self) -> bool:
        return self.result_schema is not None and (self.result_schema != self.original or bool(self.renames))
