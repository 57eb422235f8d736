"""File ▸ Import annotation set…: a colleague's export, or another tool's file, into the project.

The dialog chooses what `annotator import-annotations` takes on the command line and runs the same
core function, `operations.annotation_sets.import_annotation_set`, in a worker thread
(`format_workers.FormatTask`, on its own Store):

* the **file**, or a brat **folder**; its format is recognised (`formats.detect_format`) and shown,
  and can be overridden; a file whose format cannot be told asks for one;
* the **annotator** naming the author when the format records none (doccano, brat, CoNLL; default:
  the file name), a **label map** for labels the project calls otherwise, and the offset unit for
  formats whose tools differ.

One file is one transaction: a malformed file (or one with labels the project does not have) is
refused with the file, the line and what was wrong, and the project is left exactly as it was; so
is an import that is cancelled. While it runs, a bar counts the file's documents (records) as the
core reports them (its `progress` callback, forwarded by the worker as a signal). The summary lists what came in (spans and relations added, updated,
unchanged; articles added and found) and every problem, one per row with its line: spans
re-anchored by their quote, quote mismatches and unanchorable spans (not imported), skipped items.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import settings
from ..operations.annotation_sets import AnnotationImportReport, Problem, import_annotation_set, parse_label_map
from ..errors import AnnotatorError
from ..formats import FORMATS, detect_format, readable_formats
from ..operations.upserts import UpsertCounts
from ..store import Store
from .format_workers import FormatTask
from .job_dialog import JobDialog, summary_heading
from .job_dialog import muted as _muted
from ..wording import plural as _plural

SET_FILTER = "Annotation sets (*.jsonl *.json *.jsonld *.ndjson *.conll *.iob *.iob2 *.bio *.ann *.txt);;All files (*)"
UNIT_CHOICES = (("", "as the format says"), ("codepoint", "code points"), ("utf16", "UTF-16 code units"))
MAX_ROWS = 2000  # problems listed in the table; the count above it is always the full one


def _short_where(where: str, path: Path) -> str:
    """"maria.jsonl:7" rather than the whole path, for the table."""
    full = str(path)
    return path.name + where[len(full):] if where.startswith(full) else where


def _counts(counts: UpsertCounts) -> str:
    """"3 added, 1 updated": what happened to the records, the zeros after "added" left out."""
    parts = [f"{counts.added:,} added"]
    for name, text in (("updated", "updated"), ("deleted", "deleted"), ("unchanged", "unchanged"),
                       ("kept", "kept (newer here)")):
        value = getattr(counts, name)
        if value:
            parts.append(f"{value:,} {text}")
    return ", ".join(parts)


def import_summary(report: AnnotationImportReport) -> tuple[str, list[str]]:
    """(heading, lines) of what an import did; the problems themselves go in the table."""
    spans, relations = report.spans, report.relations
    heading = f"Imported {report.path.name} ({report.format})"
    lines = [
        f"{_plural(report.documents, 'document')}: {_plural(len(report.articles_added), 'article')} added, "
        f"{report.articles_found:,} found in the project.",
        f"Spans: {_counts(spans)}.",
        f"Relations: {_counts(relations)}.",
    ]
    if report.reanchored:
        lines.append(f"{_plural(len(report.reanchored), 'span')} re-anchored by their quote.")
    if report.converted:
        lines.append(f"{_plural(len(report.converted), 'span')} with offsets read in another unit.")
    if report.not_imported:
        lines.append(
            f"{_plural(report.not_imported, 'span')} not imported: {len(report.quote_mismatches):,} quote "
            f"mismatch{'es' if len(report.quote_mismatches) != 1 else ''}, {len(report.unanchorable):,} that "
            "could not be anchored."
        )
    if report.skipped:
        lines.append(f"{_plural(len(report.skipped), 'item')} skipped.")
    if report.duplicates:
        lines.append(f"{_plural(len(report.duplicates), 'duplicate')} not added again.")
    lines += [line[:1].upper() + line[1:] + "." for line in report.schema_added]
    lines += [f"Note: {note}" for note in report.notes[:10]]
    if len(report.notes) > 10:
        lines.append(f"… and {len(report.notes) - 10:,} more notes.")
    if report.reanchored or report.converted or report.not_imported or report.skipped or report.duplicates:
        lines.append("Each one is listed below with its line.")
    else:
        lines.append("Every span of the file was placed as it is.")
    return heading, lines


def problem_rows(report: AnnotationImportReport) -> list[list[str]]:
    """[what, where, detail] for every problem, the ones that lost something first."""
    rows: list[list[str]] = []
    groups: list[tuple[str, list[Problem]]] = [
        ("quote mismatch, not imported", report.quote_mismatches),
        ("not anchored, not imported", report.unanchorable),
        ("skipped", report.skipped),
        ("duplicate, not added", report.duplicates),
        ("re-anchored", report.reanchored),
        ("offsets in another unit", report.converted),
    ]
    for what, problems in groups:
        for problem in problems:
            rows.append([what, _short_where(problem.where, report.path), problem.what])
    return rows


def failure_text(error: BaseException | None, message: str, path: Path | None) -> tuple[str, list[str]]:
    """(heading, lines) for an import that was refused: where (file and line), and what was wrong."""
    lines: list[str] = []
    line = getattr(error, "line", None)
    detail = getattr(error, "detail", None)
    if line and detail:
        where = Path(str(getattr(error, "path", None) or path or "the file"))
        lines.append(f"{where.name}, line {line}: {detail}")
        lines.append(f"(in {where})")
    else:
        lines.append(message)
    lines.append("")
    lines.append("The project was not changed: a file is imported whole or not at all.")
    return "Nothing was imported", lines


class AnnotationImportDialog(JobDialog):
    """Choose a file (or brat folder), check its format, import it in a worker, show what happened."""

    imported = Signal(object)  # AnnotationImportReport, after a successful import

    progress_format = "%v of %m documents"
    progress_name = "Import progress"
    running_hint = ("Cancel at any moment: the import is one transaction, so the project "
                    "then stays exactly as it was.")

    def __init__(
        self,
        store: Store,
        *,
        is_busy: Callable[[], str] | None = None,
        path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(store, parent)
        self.setWindowTitle("Import annotation set")
        self.setObjectName("annotationImportDialog")
        self.is_busy = is_busy or (lambda: "")
        self.report: AnnotationImportReport | None = None
        self.detected: str | None = None
        self.detection_error: str = ""
        self._build_frame(readout_name="importReadout", action_text="Import", back_text="Import another…",
                          action=self.start_import)
        self.import_button = self.action_button

        if path is not None:
            self.path_edit.setText(str(path))
        self.show_form()
        self.resize(760, 440)

    # ======================================================================== building

    def _build_form(self) -> QWidget:
        page = QWidget(self)
        intro = _muted(QLabel(
            "Bring in a colleague's export or another tool's annotations. Articles are matched by their "
            "text; one the project does not have is added when the file carries its text. A file is "
            "imported whole or not at all: if anything in it is malformed, nothing changes.", page))
        self.path_edit = QLineEdit(page)
        self.path_edit.setAccessibleName("File or folder")
        self.path_edit.setPlaceholderText("A file, or a brat folder")
        self.path_edit.textChanged.connect(lambda _text: self._path_changed())
        self.file_button = QPushButton("File…", page)
        self.file_button.clicked.connect(self.choose_file)
        self.folder_button = QPushButton("brat folder…", page)
        self.folder_button.clicked.connect(self.choose_folder)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.file_button)
        path_row.addWidget(self.folder_button)

        self.format_combo = QComboBox(page)
        self.format_combo.setAccessibleName("Format")
        self.format_combo.addItem("Recognise from the file", None)
        for name in readable_formats():
            self.format_combo.addItem(f"{name} — {FORMATS[name].DESCRIPTION}", name)
        self.format_combo.currentIndexChanged.connect(lambda _i: self._update_state())
        self.format_note = _muted(QLabel(page))
        self.format_note.setObjectName("formatNote")

        self.annotator_edit = QLineEdit(page)
        self.annotator_edit.setAccessibleName("Annotator")
        self.annotator_edit.textChanged.connect(lambda _text: self._update_state())
        self.annotator_note = _muted(QLabel(
            "Names the author when the file records none (doccano, brat, CoNLL); spans that name "
            "their annotator keep it.", page))
        self.label_map_edit = QLineEdit(page)
        self.label_map_edit.setAccessibleName("Label map")
        self.label_map_edit.setPlaceholderText("Optional: PERSON=SOURCE, ORG=SOURCE (case never matters)")
        self.label_map_edit.textChanged.connect(lambda _text: self._update_state())
        self.relation_map_edit = QLineEdit(page)
        self.relation_map_edit.setAccessibleName("Relation map")
        self.relation_map_edit.setPlaceholderText("Optional: says=attributed_to (case never matters)")
        self.relation_map_edit.textChanged.connect(lambda _text: self._update_state())
        self.extend_check = QCheckBox("Add the file's other labels, attribute values and relation types to the "
                                      "schema (undo takes them back with the import)", page)
        self.extend_check.setAccessibleName("Extend the schema")
        self.units_combo = QComboBox(page)
        self.units_combo.setAccessibleName("Offset units")
        for value, text in UNIT_CHOICES:
            self.units_combo.addItem(text, value)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("File", path_row)
        form.addRow("Format", self.format_combo)
        form.addRow("", self.format_note)
        form.addRow("Annotator", self.annotator_edit)
        form.addRow("", self.annotator_note)
        form.addRow("Labels", self.label_map_edit)
        form.addRow("Relations", self.relation_map_edit)
        form.addRow("", self.extend_check)
        form.addRow("Offsets in", self.units_combo)
        self._form = form

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _build_summary(self) -> QWidget:
        page = QWidget(self)
        self.summary_heading = summary_heading(page)
        self.summary_body = QLabel(page)
        self.summary_body.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_body.setWordWrap(True)
        self.summary_body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = QTreeWidget(page)
        self.problems.setAccessibleName("Problems")
        self.problems.setColumnCount(3)
        self.problems.setHeaderLabels(["What", "Where", "Detail"])
        self.problems.setRootIsDecorated(False)
        self.problems.setUniformRowHeights(True)
        self.problems.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.problems.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.summary_heading)
        layout.addWidget(self.summary_body)
        layout.addSpacing(6)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)
        return page

    # ======================================================================== choices

    def path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text).expanduser() if text else None

    def chosen_format(self) -> str | None:
        """The format the user picked, or None to recognise it."""
        return self.format_combo.currentData()

    def set_format(self, name: str | None) -> None:
        index = self.format_combo.findData(name)
        if index < 0:
            raise KeyError(name)
        self.format_combo.setCurrentIndex(index)

    def effective_format(self) -> str | None:
        return self.chosen_format() or self.detected

    def options(self) -> tuple[dict[str, object], list[str]]:
        """The keyword arguments of `import_annotation_set`, and what prevents importing."""
        problems: list[str] = []
        path = self.path()
        if path is None:
            problems.append("Choose a file, or a brat folder.")
        elif not path.exists():
            problems.append(f"There is no file or folder {path}.")
        elif self.effective_format() is None:
            problems.append(self.detection_error or "Choose the file's format.")
        maps: dict[str, dict[str, str]] = {}
        for key, edit, option, title in (("label_map", self.label_map_edit, "--label-map", "Labels"),
                                         ("relation_map", self.relation_map_edit, "--relation-map", "Relations")):
            maps[key] = {}
            text = edit.text().strip()
            if text:
                try:
                    maps[key] = parse_label_map((p for p in re.split(r"[,;\s]+", text) if p), option)
                except AnnotatorError as exc:
                    problems.append(str(exc).replace(option, title))
        options: dict[str, object] = {
            "format_name": self.chosen_format(),
            "annotator": self.annotator_edit.text().strip() or None,
            **maps,
            "extend_schema": self.extend_check.isChecked(),
            "offset_units": self.units_combo.currentData() or None,
        }
        return options, problems

    def _path_changed(self) -> None:
        self.detected, self.detection_error = None, ""
        path = self.path()
        if path is not None and path.exists():
            try:
                self.detected = detect_format(path)
            except AnnotatorError as exc:
                self.detection_error = str(exc).replace("give --format", "choose the format")
            if self.detected is not None and self.detected not in readable_formats():
                self.detection_error = (
                    f"{path.name} looks like a {self.detected} export, which can be written but not read back."
                )
                self.detected = None
        self._update_state()

    def _update_state(self) -> None:
        _options, problems = self.options()
        path = self.path()
        chosen, detected = self.chosen_format(), self.detected
        if chosen is None and detected is not None:
            note = f"Recognised as {detected}."
        elif chosen is not None and detected is not None and chosen != detected:
            note = f"Read as {chosen}; the file looks like {detected}."
        elif chosen is None and self.detection_error:
            note = self.detection_error
        else:
            note = ""
        self.format_combo.setItemText(0, f"Recognise from the file{f': {detected}' if detected else ''}")
        self.format_note.setText(note)
        self.format_note.setVisible(bool(note))
        if path is not None:
            default = path.stem if path.is_file() else path.name
            self.annotator_edit.setPlaceholderText(f"Default: {default} (the {'file' if path.is_file() else 'folder'} name)")
        else:
            self.annotator_edit.setPlaceholderText("Default: the file name")
        effective = self.effective_format()
        has_units = bool(effective and getattr(FORMATS[effective], "UNITS", ()))
        self._form.setRowVisible(self.units_combo, has_units)
        self.import_button.setEnabled(not problems and self.pages.currentIndex() == self.FORM)
        if self.pages.currentIndex() == self.FORM:
            self.readout.setText(problems[0] if problems and path is not None else "")

    def choose_file(self) -> None:
        start = str(self.path() or self.project_path.parent)
        name, _ = QFileDialog.getOpenFileName(self, "Import annotation set", start, SET_FILTER)
        if name:
            self.path_edit.setText(name)

    def choose_folder(self) -> None:
        start = str(self.path() or self.project_path.parent)
        name = QFileDialog.getExistingDirectory(self, "Import a brat folder", start)
        if name:
            self.path_edit.setText(name)

    # ======================================================================== running

    def start_import(self) -> FormatTask | None:
        if self.task is not None and self.task.is_running():
            return None
        options, problems = self.options()
        if problems:
            self.readout.setText(problems[0])
            return None
        busy = self.is_busy()
        if busy:
            self.readout.setText(busy)
            return None
        path = self.path()
        assert path is not None
        self.report = None
        self.last_error = ""
        self.last_outcome = ""
        importer = settings.current().annotator_name()

        def job(store: Store, progress: Callable[[int, int], None]) -> AnnotationImportReport:
            report = import_annotation_set(store, path, importer=importer, progress=progress,  # type: ignore[arg-type]
                                           **options).value
            store.catch_up_search()  # here, in the worker, rather than at the window's next search
            return report

        return self._start_task(job, readonly=False, name="import-annotations", path=path,
                                running_text=f"Importing {path.name} ({self.effective_format()})…")

    def _finished(self, report: AnnotationImportReport) -> None:
        self._ended("finished")
        self.report = report
        heading, lines = import_summary(report)
        self._show_summary(heading, lines, problem_rows(report))
        self.back_button.setText("Import another…")
        self.imported.emit(report)

    def _failed(self, message: str) -> None:
        self._ended("failed")
        self.last_error = message
        error = self.task.error_object if self.task is not None else None
        heading, lines = failure_text(error, message, self._running_path)
        self._show_summary(heading, lines, [])
        self.back_button.setText("Back")  # to the same choices: map a label, choose another format…

    def _cancelled(self) -> None:
        self._ended("cancelled")
        self._back_to_form("Import cancelled: the project was not changed.")

    def _show_summary(self, heading: str, lines: list[str], rows: list[list[str]]) -> None:
        self.summary_heading.setText(heading)
        self.summary_body.setText("\n".join(lines))
        self.problems.clear()
        for values in rows[:MAX_ROWS]:
            item = QTreeWidgetItem(values)
            item.setToolTip(2, values[2])
            self.problems.addTopLevelItem(item)
        if len(rows) > MAX_ROWS:
            self.problems.addTopLevelItem(QTreeWidgetItem(["…", "", f"and {len(rows) - MAX_ROWS:,} more"]))
        for column in (0, 1):
            self.problems.resizeColumnToContents(column)
        self.problems.setVisible(bool(rows))
        self._show_page(self.SUMMARY)

    def summary_text(self) -> str:
        return f"{self.summary_heading.text()}\n{self.summary_body.text()}"

    def problem_table(self) -> list[list[str]]:
        return [
            [self.problems.topLevelItem(i).text(c) for c in range(self.problems.columnCount())]
            for i in range(self.problems.topLevelItemCount())
        ]


__all__ = ["AnnotationImportDialog", "failure_text", "import_summary", "problem_rows"]
