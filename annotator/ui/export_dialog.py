"""File ▸ Export… (Ctrl+E): the project's annotations in any registered format.

The dialog chooses what `annotator export` chooses on the command line and runs the same core
function, `formats.export_to_path`, in a worker thread (`format_workers.FormatTask`, on its own
read-only Store):

* the **format**: every module of `formats.FORMATS`, each with its one-line description and what it
  writes (a file with its suffix, or a folder for brat); a format that cannot run here (its
  module's `available()` says no: docbin without spaCy) is listed, disabled, with the module's
  reason (`UNAVAILABLE`); the format's own options (doccano's variant,
  the offset unit, jsonl's deletions) appear under the list when it has them;
* the **articles** (all, those marked done, the open article, the ones selected in the list) and,
  within them, the **spans**: annotators (the gold layer among them when the project has one) and
  labels, as checkable lists; any of their entries can be ticked (the core's `annotators` and
  `labels`, as repeated `--annotator` and `--label` on the command line);
* the **destination**, a file with the format's suffix or a folder.

A format that holds one layer of spans (CoNLL, Hugging Face, spaCy's entities, doccano, brat) takes
the spans of one annotator: when the ticked ones have spans of several, the dialog says so in the
core's words (`formats.layer_problem`, the command line's message) and offers the command line's
choice — tick one annotator, or write the ticked ones as one layer with identical spans merged
(`--annotator all`, the core's `merge_identical`).

Export runs with a progress bar counting the articles written (the core's `progress` callback,
forwarded by the worker as a signal) and can be cancelled at any moment: the atomic writer then removes
its temporary file, so no half-written file is left and an existing file stays as it was. The
summary counts the spans and articles written and, with their reasons, the spans the format could
not represent as they are (`ExportStats.problems`, the lines the command line prints) — nothing is
left out without being counted there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..formats import FORMATS, ExportStats, export_to_path, layer_problem, output_kind, single_layer
from .export_summary import ExportSummary, export_summary, not_represented  # noqa: F401 - the dialog's summary
from ..store import ExportFilter
from ..review import GOLD
from ..store import Store
from .format_card import DETAIL_ROLE, NAME_ROLE, OUTPUT_ROLE, FormatDelegate
from .format_workers import FormatTask
from .job_dialog import JobDialog, summary_heading
from .export_place import export_folder, folder_to_open, open_folder, remember_export
from .job_dialog import muted as _muted
from ..wording import plural as _plural

ROW_HEIGHT = 24  # rows of the annotator and label lists
MIN_LIST_ROWS, MAX_LIST_ROWS = 4, 9
UNIT_NAMES = {"codepoint": "code points", "utf16": "UTF-16 code units"}


FORMAT_OPTIONS = ("variant", "offset_units")  # the format's own, not filters of the export query
MERGE_TEXT = "The ticked annotators as one layer, identical spans merged (--annotator all)"


def unavailable_reason(name: str) -> str:
    """Why a format cannot be used here ("" when it can): the module's own `available()` and
    `UNAVAILABLE` (docbin: spaCy is not installed)."""
    module = FORMATS[name]
    available = getattr(module, "available", None)
    if available is None or available():
        return ""
    return getattr(module, "UNAVAILABLE", "cannot be used here")


def writes_folder(module: ModuleType) -> bool:
    return output_kind(module) == "folder"


def output_text(module: ModuleType) -> str:
    """"file · .jsonl" or "folder": what a format writes."""
    if writes_folder(module):
        return "folder"
    return f"file · {module.SUFFIX}" if getattr(module, "SUFFIX", "") else "file"


def default_destination(project: Path, name: str, folder: Path | None = None) -> Path:
    """<folder>/<project name><suffix>, or <project name>-<format> for a folder format; the folder
    is the last one exported to, else Documents (export_place.py), never the hidden data folder."""
    module = FORMATS[name]
    stem = Path(project).stem or "export"
    folder = export_folder() if folder is None else Path(folder)
    if writes_folder(module):
        return folder / f"{stem}-{name}"
    return folder / f"{stem}{module.SUFFIX or '.' + name}"


def span_filter(checked: list[str], everything: list[str], what: str) -> tuple[list[str] | None, str]:
    """The core's filter values for a checkable list, and a problem that prevents exporting ("").

    Everything ticked: no filter (None). None ticked: nothing to export. Otherwise the ticked ones
    (the core's `annotators` / `labels`, as repeated `--annotator` / `--label` do).
    """
    if not everything or set(checked) >= set(everything):
        return None, ""
    if not checked:
        return None, f"Tick at least one {what}."
    return list(checked), ""


def _listed(values: list[str] | None, every: str) -> str:
    """"every label", "CLAIM", "CLAIM or SOURCE", "CLAIM, SOURCE or CAPTION"."""
    if values is None:
        return every
    if len(values) == 1:
        return values[0]
    return f"{', '.join(values[:-1])} or {values[-1]}"




# -- the dialog ----------------------------------------------------------------------------------------


@dataclass
class ArticleChoice:
    """One way of choosing the articles: the radio button's text and the core's filters."""

    key: str
    text: str
    count: int
    article_ids: list[str] | None = None
    status: str | None = None


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color) if QColor.isValidColorName(color) else QColor("#999999"))
    return QIcon(pixmap)


class ExportDialog(JobDialog):
    """Choose format, articles, spans and destination; export in a worker; show what was written."""

    exported = Signal(object)  # ExportStats, after a successful export

    progress_format = "%v of %m articles"
    progress_name = "Export progress"
    running_hint = ("Cancel at any moment: the file is written to a temporary name and only takes its place "
                    "when the export is complete, so nothing half-written is left behind.")

    def __init__(
        self,
        store: Store,
        *,
        current_article: tuple[str, str] | None = None,
        selected_ids: Iterable[str] = (),
        before_export: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(store, parent)
        self.setWindowTitle("Export annotations")
        self.setObjectName("exportDialog")
        self.current_article = current_article  # (id, title) of the open article
        self.selected_ids = [i for i in selected_ids if i]
        self.before_export = before_export
        self.stats: ExportStats | None = None
        self.summary: ExportSummary | None = None
        self._destination_edited = False
        self._build_frame(readout_name="exportReadout", action_text="Export", back_text="Export again…",
                          action=self.start_export)
        self.export_button = self.action_button
        self.back_button.setToolTip("Back to the choices, to export something else")

        self._fill()
        self.show_form()
        self.resize(920, 680)

    # ======================================================================== building

    def _build_form(self) -> QWidget:
        page = QWidget(self)
        # left: the formats
        self.format_list = QListWidget(page)
        self.format_list.setAccessibleName("Format")
        self.format_list.setItemDelegate(FormatDelegate(self.format_list))
        self.format_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.format_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.format_list.setMinimumWidth(330)
        self.format_list.currentItemChanged.connect(lambda *_: self._format_changed())
        self.variant_combo = QComboBox(page)
        self.variant_combo.setAccessibleName("Variant")
        self.units_combo = QComboBox(page)
        self.units_combo.setAccessibleName("Offset units")
        self.deleted_check = QCheckBox("Include deletions, so that a colleague's import applies them", page)
        self.deleted_check.setToolTip("Deleted spans and relations are written as tombstones (\"deleted\": true)")
        self.suggestions_check = QCheckBox("Include open suggestions", page)
        self._open_suggestions = sum(self.store.open_suggestion_counts().values())  # offered only when there are
        self.options_box = QWidget(page)
        options = QFormLayout(self.options_box)
        options.setContentsMargins(0, 0, 0, 0)
        options.addRow("Variant", self.variant_combo)
        options.addRow("Offsets in", self.units_combo)
        options.addRow(self.deleted_check)
        options.addRow(self.suggestions_check)
        self._options_layout = options
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(_heading("Format", page))
        left.addWidget(self.format_list, 1)
        self.options_heading = _heading("Options", page)

        # right: articles, spans
        self.article_group = QButtonGroup(page)
        self.article_radios: dict[str, QRadioButton] = {}
        articles_box = QVBoxLayout()
        articles_box.setSpacing(4)
        articles_box.addWidget(_heading("Articles", page))
        for key in ("all", "done", "current", "selected"):
            radio = QRadioButton(page)
            radio.toggled.connect(lambda _on: self._update_state())
            self.article_group.addButton(radio)
            self.article_radios[key] = radio
            articles_box.addWidget(radio)
        self.all_radio = self.article_radios["all"]
        self.done_radio = self.article_radios["done"]
        self.current_radio = self.article_radios["current"]
        self.selected_radio = self.article_radios["selected"]

        self.annotator_list = self._check_tree("Annotators", page)
        self.label_list = self._check_tree("Labels", page)
        spans = QGridLayout()
        spans.setHorizontalSpacing(14)
        spans.setVerticalSpacing(4)
        spans.addWidget(_heading("Spans by", page), 0, 0)
        spans.addLayout(self._all_none(self.annotator_list, page), 0, 0, Qt.AlignmentFlag.AlignRight)
        spans.addWidget(_heading("With the labels", page), 0, 1)
        spans.addLayout(self._all_none(self.label_list, page), 0, 1, Qt.AlignmentFlag.AlignRight)
        spans.addWidget(self.annotator_list, 1, 0)
        spans.addWidget(self.label_list, 1, 1)
        self.spans_note = _muted(QLabel(page))
        self.spans_note.setObjectName("spansNote")
        self.spans_note.setWordWrap(True)
        spans.addWidget(self.spans_note, 2, 0, 1, 2)
        self.merge_check = QCheckBox(MERGE_TEXT, page)
        self.merge_check.setObjectName("mergeLayers")
        self.merge_check.setToolTip("For formats without an annotator per span: every ticked annotator's spans in one "
                                    "layer; of identical spans (same offsets and label) one is written")
        self.merge_check.toggled.connect(lambda _on: self._update_state())
        spans.addWidget(self.merge_check, 3, 0, 1, 2)
        self._layers: dict[object, str] = {}  # selection -> the core's layer problem (one query each)

        # the destination
        self.path_edit = QLineEdit(page)
        self.path_edit.setAccessibleName("Destination")
        self.path_edit.textEdited.connect(self._path_edited)
        self.path_edit.textChanged.connect(lambda _text: self._update_state())
        self.path_edit.textChanged.connect(self.path_edit.setToolTip)  # the whole path, however long
        self.choose_button = QPushButton("Choose…", page)
        self.choose_button.clicked.connect(self.choose_destination)
        self.destination_heading = _heading("Save to", page)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        self.destination_note = _muted(QLabel(page))
        self.destination_note.setObjectName("destinationNote")

        right = QVBoxLayout()
        right.setSpacing(6)
        right.addLayout(articles_box)
        right.addSpacing(12)
        right.addLayout(spans)
        right.addSpacing(12)
        right.addWidget(self.options_heading)
        right.addWidget(self.options_box)
        right.addStretch(1)
        right.addSpacing(12)
        right.addWidget(self.destination_heading)
        right.addLayout(path_row)
        right.addWidget(self.destination_note)

        columns = QHBoxLayout(page)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(22)
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        return page

    def _check_tree(self, name: str, parent: QWidget) -> QTreeWidget:
        tree = QTreeWidget(parent)
        tree.setAccessibleName(name)
        tree.setColumnCount(2)
        tree.setHeaderHidden(True)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        tree.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        tree.header().setStretchLastSection(False)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        tree.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        tree.itemChanged.connect(lambda *_: self._update_state())
        return tree

    def _all_none(self, tree: QTreeWidget, parent: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(2)
        for text, state in (("All", Qt.CheckState.Checked), ("None", Qt.CheckState.Unchecked)):
            button = QToolButton(parent)
            button.setText(text)
            button.setAutoRaise(True)
            button.setToolTip(f"{'Tick' if state == Qt.CheckState.Checked else 'Untick'} every {tree.accessibleName()[:-1].lower()}")
            button.clicked.connect(lambda _=False, t=tree, s=state: self._check_all(t, s))
            row.addWidget(button)
        return row

    def _build_summary(self) -> QWidget:
        page = QWidget(self)
        self.summary_heading = summary_heading(page)
        self.summary_heading.setWordWrap(True)
        self.summary_where = self._summary_label(page, muted=True)
        self.losses_title = _heading("", page)
        self.losses_title.setWordWrap(True)
        self.losses_body = self._summary_label(page)
        self.examples_title = _muted(QLabel("For example", page))
        self.examples_body = self._summary_label(page, muted=True)
        self.open_folder_button = QPushButton("Open folder", page)
        self.open_folder_button.setToolTip("Show the exported file in the file manager")
        self.open_folder_button.clicked.connect(self.open_export_folder)
        layout = QVBoxLayout(page)
        layout.setSpacing(4)
        layout.addWidget(self.summary_heading)
        layout.addWidget(self.summary_where)
        layout.addWidget(self.open_folder_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(16)
        layout.addWidget(self.losses_title)
        layout.addWidget(self.losses_body)
        layout.addSpacing(12)
        layout.addWidget(self.examples_title)
        layout.addWidget(self.examples_body)
        layout.addStretch(1)
        return page

    @staticmethod
    def _summary_label(parent: QWidget, muted: bool = False) -> QLabel:
        label = QLabel(parent)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return _muted(label) if muted else label

    # ======================================================================== filling

    def _fill(self) -> None:
        store = self.store
        # formats
        first_enabled: QListWidgetItem | None = None
        for name, module in FORMATS.items():
            item = QListWidgetItem(name)
            reason = unavailable_reason(name)
            item.setData(NAME_ROLE, name)
            item.setData(OUTPUT_ROLE, output_text(module))
            # the reason first: it is what matters about a format that cannot be chosen
            item.setData(DETAIL_ROLE, f"{reason[:1].upper()}{reason[1:]}. {module.DESCRIPTION}" if reason else module.DESCRIPTION)
            item.setToolTip(f"{module.DESCRIPTION}\n{reason}" if reason else module.DESCRIPTION)
            if reason:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
            elif first_enabled is None:
                first_enabled = item
            self.format_list.addItem(item)
        # articles
        summaries = store.list_articles()
        done = [s.id for s in summaries if s.status == "done"]
        self.choices = {
            "all": ArticleChoice("all", f"All articles ({len(summaries):,})", len(summaries)),
            "done": ArticleChoice("done", f"Only those marked done ({len(done):,})", len(done), status="done"),
        }
        if self.current_article is not None:
            article_id, title = self.current_article
            metrics = QFontMetrics(self.font())
            shown = metrics.elidedText(title or "(untitled)", Qt.TextElideMode.ElideRight, 300)
            self.choices["current"] = ArticleChoice("current", f"The open article: {shown}", 1, article_ids=[article_id])
            self.article_radios["current"].setToolTip(title or "(untitled)")  # the whole title
        else:
            self.choices["current"] = ArticleChoice("current", "The open article (none is open)", 0)
        count = len(self.selected_ids)
        self.choices["selected"] = ArticleChoice(
            "selected", f"The articles selected in the list ({count:,})", count, article_ids=list(self.selected_ids)
        )
        for key, radio in self.article_radios.items():
            choice = self.choices[key]
            radio.setText(choice.text)
            radio.setEnabled(choice.count > 0 or key == "all")
        self.all_radio.setChecked(True)
        # annotators (the gold layer last) and labels, all ticked
        counts = store.annotation_counts("annotator")
        names = sorted((n for n in counts if n != GOLD), key=str.casefold) + ([GOLD] if GOLD in counts else [])
        self.annotator_list.blockSignals(True)
        for name in names:
            item = QTreeWidgetItem([name if name != GOLD else "gold (adjudicated)", f"{counts[name]:,}"])
            item.setData(0, NAME_ROLE, name)
            item.setSizeHint(0, QSize(10, ROW_HEIGHT))
            item.setToolTip(0, name)  # a long name is elided in the list
            item.setToolTip(1, f"{_plural(counts[name], 'span')} by {name}")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setForeground(1, self.palette().brush(QPalette.ColorRole.PlaceholderText))
            if name == GOLD:
                item.setToolTip(0, "The adjudicated set built in review mode; tick only this to export the gold layer")
            self.annotator_list.addTopLevelItem(item)
        self.annotator_list.blockSignals(False)
        label_counts = store.annotation_counts("label")
        self.label_list.blockSignals(True)
        for label in store.schema.labels:
            item = QTreeWidgetItem([label.name, f"{label_counts.get(label.name, 0):,}"])
            item.setData(0, NAME_ROLE, label.name)
            item.setSizeHint(0, QSize(10, ROW_HEIGHT))
            item.setToolTip(0, label.name)
            item.setToolTip(1, f"{_plural(label_counts.get(label.name, 0), 'span')} labelled {label.name}")
            item.setIcon(0, _swatch(label.color))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setForeground(1, self.palette().brush(QPalette.ColorRole.PlaceholderText))
            self.label_list.addTopLevelItem(item)
        self.label_list.blockSignals(False)
        for tree in (self.annotator_list, self.label_list):
            rows = max(tree.topLevelItemCount(), self.annotator_list.topLevelItemCount(), self.label_list.topLevelItemCount())
            visible = min(max(rows, MIN_LIST_ROWS), MAX_LIST_ROWS)
            tree.setFixedHeight(visible * ROW_HEIGHT + 2 * tree.frameWidth() + 4)
        if first_enabled is not None:
            self.format_list.setCurrentItem(first_enabled)

    # ======================================================================== reading the choices

    def format_name(self) -> str | None:
        item = self.format_list.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return str(item.data(NAME_ROLE))

    def set_format(self, name: str) -> None:
        for row in range(self.format_list.count()):
            item = self.format_list.item(row)
            if item.data(NAME_ROLE) == name:
                self.format_list.setCurrentItem(item)
                return
        raise KeyError(name)

    @staticmethod
    def _checked(tree: QTreeWidget) -> list[str]:
        return [
            str(tree.topLevelItem(i).data(0, NAME_ROLE))
            for i in range(tree.topLevelItemCount())
            if tree.topLevelItem(i).checkState(0) == Qt.CheckState.Checked
        ]

    @staticmethod
    def _names(tree: QTreeWidget) -> list[str]:
        return [str(tree.topLevelItem(i).data(0, NAME_ROLE)) for i in range(tree.topLevelItemCount())]

    def set_checked(self, tree: QTreeWidget, names: Iterable[str]) -> None:
        """Tick exactly `names` in the annotator or label list (as clicks would)."""
        wanted = set(names)
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            item.setCheckState(0, Qt.CheckState.Checked if item.data(0, NAME_ROLE) in wanted else Qt.CheckState.Unchecked)

    def _check_all(self, tree: QTreeWidget, state: Qt.CheckState) -> None:
        tree.blockSignals(True)
        for i in range(tree.topLevelItemCount()):
            tree.topLevelItem(i).setCheckState(0, state)
        tree.blockSignals(False)
        self._update_state()

    def article_choice(self) -> ArticleChoice:
        for key, radio in self.article_radios.items():
            if radio.isChecked():
                return self.choices[key]
        return self.choices["all"]

    def destination(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text).expanduser() if text else None

    def filters(self) -> tuple[dict[str, object], list[str]]:
        """The keyword arguments of `export_to_path` for the choices, and what prevents exporting."""
        problems = []
        name = self.format_name()
        if name is None:
            problems.append("Choose a format.")
        choice = self.article_choice()
        if choice.key != "all" and choice.count == 0:
            problems.append("No article is chosen.")
        annotator, problem = span_filter(self._checked(self.annotator_list), self._names(self.annotator_list), "annotator")
        if problem:
            problems.append(problem)
        label, problem = span_filter(self._checked(self.label_list), self._names(self.label_list), "label")
        if problem:
            problems.append(problem)
        filters: dict[str, object] = {
            "annotators": annotator,
            "labels": label,
            "article_ids": choice.article_ids,
            "status": choice.status,
        }
        if name is not None:
            module = FORMATS[name]
            if single_layer(module):
                filters["merge_identical"] = self.merge_check.isChecked()
                problem = self._layer_problem(module, filters) if not problems else ""
                if problem:
                    problems.append(problem[:1].upper() + problem[1:] + ".")
            if getattr(module, "VARIANTS", ()):
                filters["variant"] = self.variant_combo.currentData()
            if getattr(module, "UNITS", ()):
                filters["offset_units"] = self.units_combo.currentData()
            if name == "jsonl" and self.deleted_check.isChecked():
                filters["include_deleted"] = True
            if self.suggestions_check.isChecked() and self._open_suggestions:
                filters["include_suggestions"] = True
        path = self.destination()
        if path is None:
            problems.append("Choose where to save.")
        elif name is not None:
            folder = writes_folder(FORMATS[name])
            if not folder and path.is_dir():
                problems.append(f"{path.name} is a folder; the {name} format writes a file.")
            elif folder and path.is_file():
                problems.append(f"{path.name} is a file; the brat format writes a folder.")
            elif not path.parent.is_dir():
                problems.append(f"There is no folder {path.parent}.")
        return filters, problems

    def _layer_problem(self, module: ModuleType, filters: dict[str, object]) -> str:
        selection = ExportFilter.of(**{k: v for k, v in filters.items() if k not in FORMAT_OPTIONS})
        key = (module.NAME, selection)
        if key not in self._layers:
            self._layers[key] = layer_problem(self.store, module, selection)
        return self._layers[key]

    # ======================================================================== reacting

    def _format_changed(self) -> None:
        name = self.format_name()
        if name is None:
            self._update_state()
            return
        module = FORMATS[name]
        variants = tuple(getattr(module, "VARIANTS", ()))
        units = tuple(getattr(module, "UNITS", ()))
        self.variant_combo.clear()
        for variant in variants:
            self.variant_combo.addItem(variant + (" (default)" if variant == variants[0] else ""), variant)
        self.units_combo.clear()
        for unit in units:
            self.units_combo.addItem(UNIT_NAMES.get(unit, unit) + (" (default)" if unit == units[0] else ""), unit)
        self._options_layout.setRowVisible(self.variant_combo, bool(variants))
        self._options_layout.setRowVisible(self.units_combo, bool(units))
        self._options_layout.setRowVisible(self.deleted_check, name == "jsonl")
        self.merge_check.setVisible(single_layer(module))
        holds = getattr(module, "SUGGESTIONS", False)
        self.suggestions_check.setText("Include open suggestions" + (
            " (as predictions)" if name == "labelstudio" else " (flagged suggested)" if holds else ""))
        self.suggestions_check.setToolTip(
            "Suggestions not yet accepted or rejected; accepted ones are annotations and always written" if holds else
            f"The {name} format has no place for suggestions: the summary counts them as not written")
        self._options_layout.setRowVisible(self.suggestions_check, self._open_suggestions > 0)
        has_options = bool(variants or units or name == "jsonl" or self._open_suggestions)
        self.options_box.setVisible(has_options)
        self.options_heading.setVisible(has_options)
        self.options_heading.setText(f"Options of {name}")
        self.destination_heading.setText("Save to the folder" if writes_folder(module) else "Save to the file")
        self.choose_button.setText("Choose folder…" if writes_folder(module) else "Choose file…")
        self._suggest_destination(name)
        self._update_state()

    def _suggest_destination(self, name: str) -> None:
        """Follow the format with the destination's name unless the user typed one."""
        module = FORMATS[name]
        default = default_destination(self.project_path, name)
        current = self.destination()
        if current is None or not self._destination_edited:
            new = default
        elif writes_folder(module):
            new = current.with_suffix("") if current.suffix else current
        elif current.suffix.lower() != (module.SUFFIX or "").lower() and module.SUFFIX:
            new = current.with_suffix(module.SUFFIX) if current.suffix else current.parent / (current.name + module.SUFFIX)
        else:
            new = current
        self.path_edit.setText(str(new))

    def _path_edited(self, _text: str) -> None:
        self._destination_edited = True

    def _update_state(self) -> None:
        filters, problems = self.filters()
        name = self.format_name()
        path = self.destination()
        ready = not problems
        self.export_button.setEnabled(ready and self.pages.currentIndex() == self.FORM)
        # the note under the span lists: what the filters mean, or what is wrong
        span_problems = [p for p in problems if p.startswith("Tick")]
        if span_problems:
            self.spans_note.setText(" ".join(span_problems))
        elif not self._names(self.annotator_list):
            self.spans_note.setText("No annotations yet: the articles are exported without spans.")
        else:
            who = _listed(filters["annotators"], "every annotator")  # type: ignore[arg-type]
            what = _listed(filters["labels"], "every label")  # type: ignore[arg-type]
            self.spans_note.setText(f"Spans by {who}, with {what}. A relation is written when both its ends are.")
        # the note under the destination: side files, replacing
        notes = []
        if name is not None and path is not None and not problems:
            module = FORMATS[name]
            side = self._side_files(module, path)
            if side:
                notes.append("Also writes " + ", ".join(p.name for p in side) + " beside it.")
            if writes_folder(module):
                notes.append("An existing folder is replaced only if it is empty or a previous export.")
            elif path.exists():
                notes.append(f"{path.name} exists: it is replaced when the export has succeeded.")
        self.destination_note.setText(" ".join(notes))
        self.destination_note.setVisible(bool(notes))
        if self.pages.currentIndex() == self.FORM:
            other = [p for p in problems if p not in span_problems]
            if other:
                self.readout.setText(other[0])
            elif not problems:
                choice = self.article_choice()
                count = self.choices["all"].count if choice.key == "all" else choice.count
                self.readout.setText(f"Ready to export {_plural(count, 'article')} as {name}.")
            else:
                self.readout.setText("")

    def _side_files(self, module: ModuleType, path: Path) -> list[Path]:
        side_files = getattr(module, "side_files", None)
        if side_files is None:
            return []
        try:
            return [Path(p) for p in side_files(self.store, path)]
        except Exception:  # noqa: BLE001 - a hint only; the export itself reports real problems
            return []

    def choose_destination(self) -> None:
        name = self.format_name()
        if name is None:
            return
        module = FORMATS[name]
        current = self.destination() or default_destination(self.project_path, name)
        if writes_folder(module):
            chosen = QFileDialog.getExistingDirectory(
                self, "Export to a folder (empty, or a previous export)", str(current.parent)
            )
        else:
            suffix = module.SUFFIX
            pattern = f"{name} (*{suffix});;All files (*)" if suffix else "All files (*)"
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", str(current), pattern)
            if chosen and suffix and not Path(chosen).suffix:
                chosen += suffix
        if chosen:
            self._destination_edited = True
            self.path_edit.setText(chosen)

    # ======================================================================== running

    def start_export(self) -> FormatTask | None:
        """Export in a worker thread with the current choices; the summary follows."""
        if self.task is not None and self.task.is_running():
            return None
        filters, problems = self.filters()
        if problems:
            self.readout.setText(problems[0])
            return None
        name = self.format_name()
        path = self.destination()
        assert name is not None and path is not None
        if self.before_export is not None:
            self.before_export()  # e.g. the note being typed in the side panel is saved first
        self.stats = None
        self.summary = None
        self.last_error = ""
        self.last_outcome = ""

        selection = ExportFilter.of(**{k: v for k, v in filters.items() if k not in FORMAT_OPTIONS})
        options = {k: v for k, v in filters.items() if k in FORMAT_OPTIONS}

        def job(store: Store, progress: Callable[[int, int], None]) -> ExportStats:
            return export_to_path(store, name, path, selection, progress=progress, **options)

        choice = self.article_choice()
        count = self.choices["all"].count if choice.key == "all" else choice.count
        return self._start_task(job, readonly=True, name="export", path=path,
                                running_text=f"Exporting {_plural(count, 'article')} as {name} to {path}…")

    def _finished(self, stats: ExportStats) -> None:
        self._ended("finished")
        self.stats = stats
        summary = export_summary(stats, self._running_path)
        if self.task is not None and self.task.is_cancelled():
            summary.where.append("(It was complete before it could be stopped.)")
        self.summary = summary
        if self._running_path is not None:
            remember_export(self._running_path)  # the next export starts in this folder
        self.summary_heading.setText(summary.heading)
        self.summary_where.setText("\n".join(summary.where))
        self.losses_title.setText(summary.losses_title)
        self.losses_body.setText("\n".join(summary.losses))
        self.losses_body.setVisible(bool(summary.losses))
        self.examples_body.setText("\n".join(summary.examples))
        self.examples_title.setVisible(bool(summary.examples))
        self.examples_body.setVisible(bool(summary.examples))
        self._show_page(self.SUMMARY)
        self.exported.emit(stats)

    def _failed(self, message: str) -> None:
        self._ended("failed")
        self.last_error = message
        self._back_to_form(f"Not exported: {message}")

    def _cancelled(self) -> None:
        self._ended("cancelled")
        self._back_to_form("Export cancelled: nothing was written, and an existing file was left as it was.")

    def open_export_folder(self) -> bool:
        """The summary's "Open folder": the folder the export was written to, in the file manager."""
        if self._running_path is None:
            return False
        return open_folder(folder_to_open(self._running_path))

    def summary_text(self) -> str:
        return self.summary.text() if self.summary is not None else ""


__all__ = [
    "ExportDialog",
    "ExportSummary",
    "default_destination",
    "export_summary",
    "not_represented",
    "span_filter",
    "unavailable_reason",
]
