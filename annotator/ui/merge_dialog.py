"""Summaries after bringing in a colleague's work: what a merge (or an annotation-set import) did,
and every span that could not be placed, listed one per row, so nothing is dropped silently."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..wording import plural
from .review_workers import MergeOutcome


def merge_summary(outcome: MergeOutcome) -> str:
    """The summary lines of a merge (also shown in the status bar, first line)."""
    report = outcome.report
    who = ", ".join(f"{name} ({plural(count, 'span')})" for name, count in outcome.annotators.items()) or "nobody"
    lines = [f"Merged {outcome.path.name}: the work of {who}."]
    lines += [f"{line[0].upper()}{line[1:]}." for line in report.summary()]
    if report.unanchored:
        lines[-1] = lines[-1].rstrip(".") + "; they are listed below."
    lines.append(f"Their file {outcome.path} was only read, never changed.")
    return "\n".join(lines)


class _SummaryDialog(QDialog):
    def __init__(self, title: str, summary: str, headers: list[str], rows: list[list[str]], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.summary = QLabel(summary, self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTreeWidget(self)
        self.table.setRootIsDecorated(False)
        self.table.setColumnCount(len(headers))
        self.table.setHeaderLabels(headers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAccessibleName("Not placed")
        self.table.setWordWrap(True)
        for values in rows:
            item = QTreeWidgetItem(values)
            item.setToolTip(len(values) - 1, values[-1])
            self.table.addTopLevelItem(item)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in range(len(headers) - 1):
            self.table.resizeColumnToContents(column)
        header.setStretchLastSection(True)
        heading = QLabel("Not placed" if rows else "", self)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        if rows:
            layout.addWidget(heading)
            layout.addWidget(self.table, 1)
        else:
            self.table.hide()
            empty = QLabel("Nothing was left out.", self)
            empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(empty)
        layout.addWidget(buttons)
        self.resize(820, 480 if rows else 240)

    def rows(self) -> list[list[str]]:
        return [
            [self.table.topLevelItem(i).text(c) for c in range(self.table.columnCount())]
            for i in range(self.table.topLevelItemCount())
        ]


class MergeSummaryDialog(_SummaryDialog):
    """What a merge of a colleague's project did, and what it could not place (never silently)."""

    def __init__(self, outcome: MergeOutcome, parent: QWidget | None = None) -> None:
        rows = [
            [u.title or u.article_id, u.label, u.quote, u.annotator, u.reason]
            for u in outcome.report.unanchored
        ]
        super().__init__("Merged a colleague's project", merge_summary(outcome),
                         ["Article", "Label", "Quote", "By", "Why"], rows, parent)
        self.outcome = outcome


def annotation_set_summary(report) -> str:
    spans, relations = report.spans, report.relations
    lines = [
        f"Imported {report.path.name} ({report.format}): {plural(report.documents, 'document')}; "
        f"articles: {len(report.articles_added)} added, {report.articles_found} found here.",
        f"Spans: {spans.added} added, {spans.updated} updated, {spans.deleted} deleted, {spans.unchanged} unchanged, "
        f"{spans.kept} kept (newer here), {len(report.reanchored)} re-anchored, {report.not_imported} not imported.",
        f"Relations: {relations.added} added, {relations.updated} updated, {relations.deleted} deleted.",
    ]
    lines += [f"Note: {note}" for note in report.notes[:10]]
    if report.not_imported:
        lines.append("The spans that could not be placed are listed below; the rest of the file was imported.")
    return "\n".join(lines)


class AnnotationSetSummaryDialog(_SummaryDialog):
    """What an annotation-set import did: counts, and each span not imported (with where and why)."""

    def __init__(self, report, parent: QWidget | None = None) -> None:
        rows = []
        for what, problems in (
            ("quote mismatch, not imported", report.quote_mismatches),
            ("could not be anchored, not imported", report.unanchorable),
            ("skipped", report.skipped),
            ("re-anchored", report.reanchored),
        ):
            rows += [[what, problem.where, problem.what] for problem in problems]
        super().__init__("Imported an annotation set", annotation_set_summary(report), ["What", "Where", "Detail"],
                         rows, parent)
        self.report = report


__all__ = ["AnnotationSetSummaryDialog", "MergeSummaryDialog", "annotation_set_summary", "merge_summary"]
