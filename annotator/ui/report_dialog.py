"""The agreement report (Review ▸ Agreement report…, Ctrl+Shift+R).

Figures per label and overall (a table and a bar chart), and the figures of each article, most
disagreement first (double-click one to open it in review mode with the same A and B). Computed by
`review.agreement_report` in a worker thread with its own read-only Store (10,000 articles take
seconds), with a progress bar; changing A, B or the label starts over. "Export CSV…" writes both
tables with `review.write_csv`, the writer the command line's `agree --csv` uses.

The chart is drawn with QPainter (no QtCharts): for each label three bars, F1 exact, F1 overlap
and token kappa, each named at its left and with its value at its end; the three differ in colour
(Okabe–Ito blue, vermillion, reddish purple, apart from the label colours) *and* in fill pattern.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import review
from ..errors import AnnotatorError
from .review_workers import StoreTask, agreement_job
from .theme import theme_for

ALL_LABELS = "All labels"
RECOMPUTE_AFTER_MS = 700
LABEL_COLUMNS = (
    ("Label", None),
    ("A spans", "a_spans"),
    ("B spans", "b_spans"),
    ("F1 exact", "f1_exact"),
    ("F1 overlap", "f1_overlap"),
    ("κ tokens", "kappa_token"),
    ("α tokens", "alpha_token"),
)
ARTICLE_COLUMNS = (
    ("Disagreements", "disagreements"),
    ("A", "a_spans"),
    ("B", "b_spans"),
    ("F1 exact", "f1_exact"),
    ("F1 overlap", "f1_overlap"),
    ("κ", "kappa_token"),
    ("Title", "title"),
)
# (key, name, colour, brush pattern): colour-blind-safe colours that are not label colours, and a
# different pattern for each, so the bars are told apart without colour too
METRICS = (
    ("f1_exact", "F1 exact", "#0072B2", Qt.BrushStyle.SolidPattern),
    ("f1_overlap", "F1 overlap", "#D55E00", Qt.BrushStyle.BDiagPattern),
    ("kappa_token", "κ tokens", "#CC79A7", Qt.BrushStyle.Dense5Pattern),
)
SortRole = Qt.ItemDataRole.UserRole + 1


def figure_text(value: object) -> str:
    """How a figure is shown: counts as they are, ratios with three decimals, a missing one as "—"."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


class AgreementChart(QWidget):
    """Horizontal bars per label: F1 exact, F1 overlap and token kappa, with their values."""

    ROW = 15
    ROW_GAP = 3
    GROUP_GAP = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[tuple[str, dict]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Agreement by label, bar chart")

    def set_figures(self, figures: dict | None) -> None:
        self.groups = []
        if figures:
            self.groups = [(name, f) for name, f in figures["labels"].items()]
            if len(self.groups) > 1:
                self.groups.append(("Overall", figures["overall"]))
        self.setToolTip("\n".join(
            f"{name}: " + ", ".join(f"{m[1]} {figure_text(f.get(m[0]))}" for m in METRICS) for name, f in self.groups
        ))
        self.updateGeometry()
        self.update()

    def _heading_height(self) -> float:
        return QFontMetricsF(self.font()).height() + 4

    def sizeHint(self) -> QSize:  # noqa: N802
        per_group = self._heading_height() + len(METRICS) * (self.ROW + self.ROW_GAP) + self.GROUP_GAP
        return QSize(460, int(28 + max(1, len(self.groups)) * per_group))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, self.sizeHint().height())

    def _domain(self) -> tuple[float, float]:
        values = [f.get(key) for _, f in self.groups for key, *_ in METRICS]
        low = min([0.0] + [v for v in values if isinstance(v, (int, float))])
        return (math.floor(low * 2) / 2 if low < 0 else 0.0), 1.0

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        theme = theme_for(self.palette())
        font = self.font()
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.88) if font.pointSizeF() > 0 else 9.0)
        small_metrics = QFontMetricsF(small)
        bold = QFont(font)
        bold.setBold(True)
        painter.fillRect(self.rect(), theme.base)
        if not self.groups:
            painter.setPen(theme.muted)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "No figures yet")
            painter.end()
            return
        name_w = max(small_metrics.horizontalAdvance(m[1]) for m in METRICS) + 14
        value_w = small_metrics.horizontalAdvance("−0.000") + 10
        left = 12 + name_w
        right = self.width() - 12 - value_w
        low, high = self._domain()
        span = high - low

        def x_of(value: float) -> float:
            return left + (value - low) / span * (right - left)

        # the scale: ticks every 0.25, zero stronger
        top = 20.0
        bottom = self.height() - 6.0
        painter.setFont(small)
        tick = low
        while tick <= high + 1e-9:
            x = x_of(tick)
            colour = QColor(theme.text if abs(tick) < 1e-9 else theme.faint)
            colour.setAlphaF(0.9 if abs(tick) < 1e-9 else 0.35)
            painter.setPen(QPen(colour, 1.0))
            painter.drawLine(int(x), int(top), int(x), int(bottom))
            painter.setPen(theme.muted)
            label = f"{tick:g}".replace("-", "−")
            painter.drawText(QRectF(x - 24, 0, 48, top - 2), Qt.AlignmentFlag.AlignCenter, label)
            tick += 0.25
        y = top + 4
        for name, figures in self.groups:
            painter.setFont(bold)
            painter.setPen(theme.text)
            heading = f"{name}"
            painter.drawText(QRectF(12, y, self.width() - 24, self._heading_height()), Qt.AlignmentFlag.AlignVCenter, heading)
            counts = f"A {figures.get('a_spans', 0)} · B {figures.get('b_spans', 0)} spans"
            painter.setFont(small)
            painter.setPen(theme.muted)
            heading_w = QFontMetricsF(bold).horizontalAdvance(heading) + 10
            painter.drawText(QRectF(12 + heading_w, y, 300, self._heading_height()), Qt.AlignmentFlag.AlignVCenter, counts)
            y += self._heading_height()
            for key, metric, colour, pattern in METRICS:
                value = figures.get(key)
                painter.setFont(small)
                painter.setPen(theme.muted)
                painter.drawText(QRectF(12, y, name_w - 6, self.ROW), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, metric)
                text = figure_text(value).replace("-", "−") if value is not None else "n/a"
                if isinstance(value, (int, float)):
                    x0, x1 = x_of(0.0), x_of(float(value))
                    bar = QRectF(min(x0, x1), y + 2, max(1.5, abs(x1 - x0)), self.ROW - 4)
                    fill = QColor(colour)
                    light = QColor(colour)
                    light.setAlphaF(0.28)
                    painter.setPen(QPen(fill, 1.0))
                    painter.setBrush(light if pattern != Qt.BrushStyle.SolidPattern else fill)
                    painter.drawRect(bar)
                    if pattern != Qt.BrushStyle.SolidPattern:
                        brush = QBrush(fill, pattern)
                        painter.setPen(Qt.PenStyle.NoPen)
                        painter.setBrush(brush)
                        painter.drawRect(bar)
                    painter.setPen(theme.text)
                    if x1 >= x0:
                        box = QRectF(bar.right() + 5, y, value_w + 10, self.ROW)
                        painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
                    else:
                        box = QRectF(bar.left() - value_w - 5, y, value_w, self.ROW)
                        painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
                else:
                    painter.setPen(theme.muted)
                    painter.drawText(QRectF(x_of(0.0) + 5, y, 80, self.ROW), Qt.AlignmentFlag.AlignVCenter, text)
                y += self.ROW + self.ROW_GAP
            y += self.GROUP_GAP
        painter.end()


class ArticleFigures(QAbstractTableModel):
    """The per-article rows (review.per_article's records), one column per ARTICLE_COLUMNS entry."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(ARTICLE_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ARTICLE_COLUMNS[section][0]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self.rows[index.row()]
        key = ARTICLE_COLUMNS[index.column()][1]
        value = record.get(key)
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "title":
                return value or f"(untitled) {record['article_id']}"
            return figure_text(value)
        if role == SortRole:
            if key == "title":
                return (value or "").casefold()
            return float("-inf") if value is None else float(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and key != "title":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{record.get('title') or '(untitled)'}\n{record['article_id']} · {record.get('tokens', 0)} tokens"
        if role == Qt.ItemDataRole.UserRole:
            return record["article_id"]
        return None


class AgreementReportDialog(QDialog):
    """Agreement figures of two annotators over the project (see the module docstring)."""

    openArticleRequested = Signal(str, str, str)  # article id, A, B
    computed = Signal()

    def __init__(self, project_path: Path, annotators: list[str], labels: list[str], a: str | None, b: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agreement report")
        self.project_path = Path(project_path)
        self.figures: dict | None = None
        self.worker: StoreTask | None = None
        self._old_workers: list[StoreTask] = []
        self.last_error = ""
        self.last_csv: Path | None = None
        self._recompute = QTimer(self)
        self._recompute.setSingleShot(True)
        self._recompute.setInterval(RECOMPUTE_AFTER_MS)
        self._recompute.timeout.connect(self.compute)

        self.a_combo = QComboBox(self)
        self.b_combo = QComboBox(self)
        self.label_combo = QComboBox(self)
        self.a_combo.setAccessibleName("Annotator A")
        self.b_combo.setAccessibleName("Annotator B")
        self.label_combo.setAccessibleName("Label")
        self.a_combo.addItems(annotators)
        self.b_combo.addItems(annotators)
        self.label_combo.addItem(ALL_LABELS)
        self.label_combo.addItems(labels)
        if a in annotators:
            self.a_combo.setCurrentIndex(annotators.index(a))
        if b in annotators:
            self.b_combo.setCurrentIndex(annotators.index(b))
        elif len(annotators) > 1:
            self.b_combo.setCurrentIndex(1)
        for combo in (self.a_combo, self.b_combo, self.label_combo):
            combo.currentIndexChanged.connect(lambda _i: self.compute())
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(260)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel)

        self.label_table = QTableWidget(0, len(LABEL_COLUMNS), self)
        self.label_table.setHorizontalHeaderLabels([c[0] for c in LABEL_COLUMNS])
        self.label_table.verticalHeader().hide()
        self.label_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.label_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.label_table.setAccessibleName("Agreement by label")
        self.label_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.label_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.label_table.verticalHeader().setDefaultSectionSize(QFontMetricsF(self.font()).height() + 10)
        for column, (_, key) in enumerate(LABEL_COLUMNS):
            header = self.label_table.horizontalHeaderItem(column)
            if key:
                header.setToolTip({
                    "a_spans": "Spans of A in the counted articles",
                    "b_spans": "Spans of B in the counted articles",
                    "f1_exact": "F1 of exact matches (same start, end and label)",
                    "f1_overlap": "F1 of one-to-one matches of same-label spans sharing a character",
                    "kappa_token": "Cohen's kappa over tokens (overall: mean over labels)",
                    "alpha_token": "Krippendorff's alpha over tokens (overall: mean over labels)",
                }[key])
        self.chart = AgreementChart(self)
        chart_area = QScrollArea(self)
        chart_area.setWidget(self.chart)
        chart_area.setWidgetResizable(True)
        chart_area.setFrameShape(QScrollArea.Shape.NoFrame)

        self.article_model = ArticleFigures(self)
        self.article_proxy = QSortFilterProxyModel(self)
        self.article_proxy.setSourceModel(self.article_model)
        self.article_proxy.setSortRole(SortRole)
        self.article_table = QTableView(self)
        self.article_table.setModel(self.article_proxy)
        self.article_table.setSortingEnabled(True)
        self.article_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.article_table.verticalHeader().hide()
        self.article_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.article_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.article_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.article_table.setAccessibleName("Agreement by article, most disagreement first")
        self.article_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.article_table.horizontalHeader().setSectionResizeMode(len(ARTICLE_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.article_table.setWordWrap(False)
        self.article_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.article_table.verticalHeader().setDefaultSectionSize(QFontMetricsF(self.font()).height() + 8)
        self.article_table.doubleClicked.connect(self._article_double_clicked)
        self.article_table.activated.connect(self._article_double_clicked)

        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.clicked.connect(self.export_csv)
        self.export_button.setEnabled(False)
        close_button = QPushButton("Close", self)
        close_button.clicked.connect(self.close)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("A:", self))
        controls.addWidget(self.a_combo)
        controls.addSpacing(8)
        controls.addWidget(QLabel("B:", self))
        controls.addWidget(self.b_combo)
        controls.addSpacing(8)
        controls.addWidget(QLabel("Label:", self))
        controls.addWidget(self.label_combo)
        controls.addStretch(1)
        controls.addWidget(self.progress)
        controls.addWidget(self.cancel_button)

        by_label = QWidget(self)
        by_label_layout = QVBoxLayout(by_label)
        by_label_layout.setContentsMargins(0, 0, 0, 0)
        by_label_layout.addWidget(self._heading("By label"))
        by_label_layout.addWidget(self.label_table, 1)
        by_chart = QWidget(self)
        by_chart_layout = QVBoxLayout(by_chart)
        by_chart_layout.setContentsMargins(0, 0, 0, 0)
        by_chart_layout.addWidget(self._heading("F1 and kappa by label"))
        by_chart_layout.addWidget(chart_area, 1)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(by_label)
        top.addWidget(by_chart)
        top.setSizes([520, 480])
        by_article = QWidget(self)
        by_article_layout = QVBoxLayout(by_article)
        by_article_layout.setContentsMargins(0, 0, 0, 0)
        by_article_layout.addWidget(self._heading("By article, most disagreement first (double-click: review it)"))
        by_article_layout.addWidget(self.article_table, 1)
        body = QSplitter(Qt.Orientation.Vertical, self)
        body.addWidget(top)
        body.addWidget(by_article)
        body.setSizes([450, 290])
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(body, 1)
        layout.addLayout(buttons)
        self.resize(1040, 820)
        self._set_busy(False)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        return label

    # -- computing --------------------------------------------------------------------------------

    def selection(self) -> tuple[str, str, str | None]:
        label = self.label_combo.currentText()
        return self.a_combo.currentText(), self.b_combo.currentText(), None if label == ALL_LABELS else label

    def compute(self) -> StoreTask | None:
        """Start (or start over) computing the figures for the chosen A, B and label."""
        self._stop_worker()
        a, b, label = self.selection()
        if not a or not b or a == b:
            self._show(None)
            self.status.setText("Choose two different annotators as A and B.")
            return None
        worker = StoreTask(self.project_path, agreement_job(a, b, label), readonly=True, name="agreement")
        worker.progress.connect(self._progress)
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        self.worker = worker
        self.status.setText(f"Computing the agreement of {a} and {b}…")
        self.progress.setRange(0, 0)
        self._set_busy(True)
        worker.start()
        return worker

    def project_changed(self) -> None:
        """Annotations changed (here or in another process): compute again once the edits pause, so
        a burst of tags costs one computation and the figures shown are never older than the project."""
        self.status.setText("The project changed; updating the figures…")
        self._recompute.start()

    def cancel(self) -> None:
        self._stop_worker()
        self._set_busy(False)
        self.status.setText("Cancelled.")

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            for signal in (self.worker.progress, self.worker.finished, self.worker.failed):
                signal.disconnect()
            self._old_workers = [w for w in self._old_workers if w.is_running()] + [self.worker]
            self.worker = None

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)

    def _progress(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(f"{done:,} of {total:,} articles")

    def _finished(self, figures: dict) -> None:
        self.worker = None
        self._set_busy(False)
        self._show(figures)
        self.computed.emit()

    def _failed(self, message: str) -> None:
        self.worker = None
        self._set_busy(False)
        self.last_error = message
        self.status.setText(f"Could not compute the figures: {message}")

    def _show(self, figures: dict | None) -> None:
        self.figures = figures
        self.label_table.setRowCount(0)
        self.article_model.set_rows(figures["per_article"] if figures else [])
        self.chart.set_figures(figures)
        self.export_button.setEnabled(figures is not None)
        if figures is None:
            return
        a, b = figures["annotators"]
        count = figures["articles"]
        self.status.setText(
            f"{a} vs {b}: {count} article{'s' if count != 1 else ''} annotated by both. "
            "F1 counts spans (exact: same start, end and label; overlap: sharing a character); "
            "κ and α count tokens (overall: the mean over labels)."
            if count else f"{a} vs {b}: no article has annotations by both."
        )
        rows = [(name, f) for name, f in figures["labels"].items()] + [("Overall", figures["overall"])]
        self.label_table.setRowCount(len(rows))
        bold = QFont(self.label_table.font())
        bold.setBold(True)
        for row, (name, f) in enumerate(rows):
            for column, (_, key) in enumerate(LABEL_COLUMNS):
                item = QTableWidgetItem(name if key is None else figure_text(f[key]))
                if key is not None:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if name == "Overall":
                    item.setFont(bold)
                self.label_table.setItem(row, column, item)

    def label_cells(self) -> dict[str, dict[str, str]]:
        """{row name: {figure key: cell text}} of the label table (for tests)."""
        found: dict[str, dict[str, str]] = {}
        for row in range(self.label_table.rowCount()):
            name = self.label_table.item(row, 0).text()
            found[name] = {key: self.label_table.item(row, c).text() for c, (_, key) in enumerate(LABEL_COLUMNS) if key}
        return found

    # -- actions ----------------------------------------------------------------------------------

    def _article_double_clicked(self, index: QModelIndex) -> None:
        article_id = index.data(Qt.ItemDataRole.UserRole)
        if article_id and self.figures:
            a, b = self.figures["annotators"]
            self.openArticleRequested.emit(article_id, a, b)

    def export_csv(self) -> None:
        if self.figures is None:
            return
        a, b = self.figures["annotators"]
        default = self.project_path.with_name(f"agreement-{a}-{b}.csv")
        name, _ = QFileDialog.getSaveFileName(self, "Export agreement figures", str(default), "CSV (*.csv);;All files (*)")
        if name:
            self.export_csv_to(Path(name))

    def export_csv_to(self, path: Path) -> int:
        """Write the figures shown (per label, overall, per article) to ``path``; returns the rows."""
        if self.figures is None:
            return 0
        try:
            count = review.write_csv(path, self.figures, self.figures["per_article"])
        except (OSError, AnnotatorError) as exc:
            self.last_error = str(exc)
            box = QMessageBox(QMessageBox.Icon.Warning, "Export CSV", f"Could not write {path}: {exc}",
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return 0
        self.last_csv = Path(path)
        self.status.setText(f"Wrote {count} rows to {path}")
        return count

    def shutdown(self) -> None:
        """Stop any computation and wait for its thread (on close)."""
        self._recompute.stop()
        self._stop_worker()
        for worker in self._old_workers:
            worker.wait(30000)
        self._old_workers = []

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: close, Esc
        self.shutdown()
        super().done(result)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)


__all__ = ["AgreementChart", "AgreementReportDialog", "figure_text"]
