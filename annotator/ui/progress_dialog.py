"""View ▸ Progress: the team's figures at a glance.

A bar chart of the annotations made per day, then the tables of `review.progress` in tabs (each
analyst's assignments todo / in progress / done, annotations per analyst and label, per day,
agreement on the overlap sample). Computed in a worker thread on its own read-only Store (the
agreement pass reads every shared article); "Export CSV…" writes the same tables with
`review.write_progress_csv`, as `annotator stats --csv DIR` does.

The chart is drawn with QPainter: PySide6-Essentials has no QtCharts.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import review
from ..errors import AnnotatorError
from .review_workers import StoreTask
from .theme import theme_for

MAX_DAYS = 60  # days the chart shows (the newest); the table has them all
BAR_COLOUR = "#0072B2"  # Okabe–Ito blue, as the agreement report's first metric
HEADINGS = {"todo": "To do", "in_progress": "In progress", "done": "Done", "assigned": "Assigned",
            "analyst": "Analyst", "total": "Total", "day": "Day", "a": "A", "b": "B",
            "shared_articles": "Shared articles", "counted_articles": "Both annotated", "f1_exact": "F1 exact",
            "f1_overlap": "F1 overlap", "kappa_token": "κ tokens", "alpha_token": "α tokens"}
TAB_TITLES = {"assignments": "Assignments", "labels": "Per label", "per_day": "Per day", "agreement": "Agreement"}
TAB_NOTES = {
    "assignments": "Done: the analyst marked the article done. In progress: they have annotated in it. "
                   "To do: neither yet.",
    "labels": "Live annotations of each annotator, by label.",
    "per_day": "Live annotations by the day they were made (UTC).",
    "agreement": "For each two analysts given the same articles: the figures of Review ▸ Agreement report "
                 "(annotator agree) over those articles, counting the ones both have annotated.",
}
COLUMN_PADDING = 16
MIN_COLUMN = 56


def _with_gaps(days: list[tuple[str, int]]) -> list[tuple[str, int]]:
    counts = dict(days)
    try:
        first, last = date.fromisoformat(days[0][0]), date.fromisoformat(days[-1][0])
    except (IndexError, ValueError):  # no days, or a timestamp that is not a date: as given
        return list(days)
    if (last - first).days > 10 * MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS)
    span = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [(d.isoformat(), counts.get(d.isoformat(), 0)) for d in span]


class DayChart(QWidget):
    """Vertical bars: annotations per day (the newest MAX_DAYS days), each with its count above."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[tuple[str, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Annotations per day, bar chart")

    def set_days(self, days: list[tuple[str, int]]) -> None:
        """(YYYY-MM-DD, count) in day order; the days between without annotations are drawn as 0."""
        self.days = _with_gaps(days)[-MAX_DAYS:]
        self.setToolTip("\n".join(f"{day}: {n} annotation{'s' if n != 1 else ''}" for day, n in self.days[-20:]))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(560, 200)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        theme = theme_for(self.palette())
        painter.fillRect(self.rect(), theme.base)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.88) if self.font().pointSizeF() > 0 else 9.0)
        metrics = QFontMetricsF(small)
        painter.setFont(small)
        if not self.days:
            painter.setPen(theme.muted)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "No annotations yet")
            painter.end()
            return
        line = metrics.height()
        top, bottom = 8 + line, self.height() - 8 - line  # room for the counts above, the days below
        left, right = 12.0, self.width() - 12.0
        highest = max(n for _, n in self.days) or 1
        slot = (right - left) / len(self.days)
        bar = max(2.0, min(48.0, slot * 0.7))
        day_width = metrics.horizontalAdvance("12-31") + 6
        every = max(1, int(day_width // slot) + 1)  # label every n-th day when they would overlap
        painter.setPen(QPen(QColor(theme.faint), 1.0))
        painter.drawLine(int(left), int(bottom), int(right), int(bottom))
        for i, (day, n) in enumerate(self.days):
            centre = left + slot * (i + 0.5)
            height = (bottom - top) * n / highest
            painter.fillRect(QRectF(centre - bar / 2, bottom - height, bar, height), QColor(BAR_COLOUR))
            painter.setPen(theme.text)
            if metrics.horizontalAdvance(str(n)) <= slot or n == highest:
                painter.drawText(QRectF(centre - slot, bottom - height - line - 2, 2 * slot, line),
                                 Qt.AlignmentFlag.AlignCenter, str(n))
            if i % every == 0 or i == len(self.days) - 1 and every == 1:
                painter.setPen(theme.muted)
                painter.drawText(QRectF(centre - day_width / 2, bottom + 3, day_width, line),
                                 Qt.AlignmentFlag.AlignCenter, day[5:])
        painter.end()


RECOMPUTE_DELAY_MS = 700


class ProgressDialog(QDialog):
    """The figures of `review.progress` for the project at `project_path`."""

    computed = Signal()

    def __init__(self, project_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.setWindowTitle(f"Progress — {self.project_path.stem}")
        self.figures: dict | None = None
        self.worker: StoreTask | None = None
        self._old_workers: list[StoreTask] = []
        self.last_error = ""
        self.last_csv: Path | None = None
        self._recompute = QTimer(self)
        self._recompute.setSingleShot(True)
        self._recompute.setInterval(RECOMPUTE_DELAY_MS)
        self._recompute.timeout.connect(self.compute)

        self.summary = QLabel("Computing…", self)
        self.summary.setWordWrap(True)
        chart_title = QLabel("<b>Annotations per day</b>", self)
        self.chart = DayChart(self)
        self.tabs = QTabWidget(self)
        self.tables: dict[str, QTableWidget] = {}
        for name, title in TAB_TITLES.items():
            table = QTableWidget(0, 0, self)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setAlternatingRowColors(True)
            table.verticalHeader().setVisible(False)
            table.setAccessibleName(title)
            self.tables[name] = table
            self.tabs.addTab(table, title)

        self.tab_note = QLabel(self)
        self.tab_note.setWordWrap(True)
        self.tab_note.setStyleSheet("color: palette(placeholder-text);")
        self.tabs.currentChanged.connect(self._tab_changed)
        self._tab_changed(0)
        self._summary_text = ""

        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.clicked.connect(self.compute)
        self.csv_button = QPushButton("Export &CSV…", self)
        self.csv_button.setToolTip("Write each table as a CSV file into a folder (as annotator stats --csv)")
        self.csv_button.clicked.connect(self.export_csv)
        self.csv_button.setEnabled(False)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.csv_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(chart_title)
        layout.addWidget(self.chart)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.tab_note)
        layout.addLayout(buttons)
        self.resize(760, 620)

    # -- computing -----------------------------------------------------------------------------

    def compute(self) -> StoreTask:
        """Start (or start over) computing the figures."""
        self._stop_worker()
        worker = StoreTask(self.project_path, lambda store, _progress: review.progress(store), readonly=True,
                           name="progress")
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        self.worker = worker
        self.summary.setText("Computing the figures…")
        self.refresh_button.setEnabled(False)
        worker.start()
        return worker

    def project_changed(self, changes: object = None) -> None:
        """The project changed (here or in another process): compute again once the edits pause, so a
        burst of tags costs one computation and the figures shown are never older than the project."""
        if changes is None or changes:
            self._recompute.start()

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            for signal in (self.worker.finished, self.worker.failed):
                signal.disconnect()
            self._old_workers = [w for w in self._old_workers if w.is_running()] + [self.worker]
            self.worker = None

    def _finished(self, figures: dict) -> None:
        self.worker = None
        self.refresh_button.setEnabled(True)
        self.show_figures(figures)
        self.computed.emit()

    def _failed(self, message: str) -> None:
        self.worker = None
        self.refresh_button.setEnabled(True)
        self.last_error = message
        self.summary.setText(f"Could not compute the figures: {message}")

    # -- showing -------------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        self.tab_note.setText(TAB_NOTES[list(TAB_TITLES)[index]] if 0 <= index < len(TAB_TITLES) else "")

    def _set_summary(self, text: str) -> None:
        self._summary_text = text
        self.summary.setText(text)

    def show_figures(self, figures: dict) -> None:
        self.figures = figures
        self.csv_button.setEnabled(True)
        work = figures["assignments"]
        total = {state: sum(c[state] for c in work.values()) for state in ("assigned", *review.STATES)}
        annotations = sum(sum(c.values()) for c in figures["by_annotator_label"].values())
        if work:
            self._set_summary(
                f"{len(work)} analyst{'s' if len(work) != 1 else ''} · {total['assigned']} assignments: "
                f"{total['done']} done, {total['in_progress']} in progress, {total['todo']} to do · "
                f"{annotations} annotations")
        else:
            self._set_summary(f"{annotations} annotations · no assignments yet (annotator assign --to NAME --all)")
        self.chart.set_days([(d["day"], d["total"]) for d in figures["per_day"]])
        for table in review.progress_tables(figures):
            self._fill(self.tables[table.name], table)

    def _fill(self, widget: QTableWidget, table: review.Table) -> None:
        widget.clear()
        widget.setColumnCount(len(table.headers))
        widget.setRowCount(len(table.rows))
        widget.setHorizontalHeaderLabels([HEADINGS.get(h, h) for h in table.headers])
        for r, row in enumerate(table.rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(table.cell(value, "–"))
                if not isinstance(value, str):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                widget.setItem(r, c, item)
        header = widget.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        widget.resizeColumnsToContents()
        for column in range(widget.columnCount()):
            widget.setColumnWidth(column, max(MIN_COLUMN, widget.columnWidth(column) + COLUMN_PADDING))

    def cell_texts(self, name: str) -> list[list[str]]:
        """The texts of a tab's table, row by row (for tests and accessibility checks)."""
        widget = self.tables[name]
        return [[widget.item(r, c).text() for c in range(widget.columnCount())] for r in range(widget.rowCount())]

    # -- CSV -----------------------------------------------------------------------------------

    def export_csv(self, folder: str | Path | None = None) -> list[Path]:
        if self.figures is None:
            return []
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "Export the progress tables to a folder",
                                                      str(self.project_path.parent))
            if not folder:
                return []
        try:
            written = review.write_progress_csv(self.figures, folder)
        except (AnnotatorError, OSError) as exc:
            self.last_error = str(exc)
            QMessageBox.warning(self, "Export CSV", f"Could not write the tables: {exc}")
            return []
        self.last_csv = Path(folder)
        self.summary.setText(f"{self._summary_text}\nWrote {', '.join(p.name for p in written)} to {folder}.")
        return written

    def closeEvent(self, event) -> None:  # noqa: N802
        self._stop_worker()
        super().closeEvent(event)


def show_progress_dialog(window) -> ProgressDialog:
    """One dialog per window: raised if open, else made and computed."""
    dialog = getattr(window, "progress_dialog", None)
    if dialog is not None:
        try:
            dialog.raise_()
            dialog.activateWindow()
            dialog.compute()
            return dialog
        except RuntimeError:  # deleted on close
            pass
    dialog = ProgressDialog(Path(window.store.path), window)
    window.projectChanged.connect(dialog.project_changed)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.destroyed.connect(lambda _obj=None: setattr(window, "progress_dialog", None))
    window.progress_dialog = dialog
    dialog.show()
    dialog.compute()
    return dialog
