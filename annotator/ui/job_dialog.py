"""What File ▸ Export… and File ▸ Import annotation set… share: a dialog that runs one
`format_workers.FormatTask` and shows how it went.

Three pages: the **form** (the subclass's choices), **running** (a line saying what runs, a bar that
is busy until the core's first count and then counts, a hint about cancelling) and the **summary**
(the subclass's). Under them a readout and the buttons: Back (on the summary), Cancel / Stop /
Close, and the dialog's action (Export, Import). Stop, Esc and Close cancel a running task (and wait
for it); a task's signals that arrive late, from an earlier run, are ignored.

A subclass builds its pages (`_build_form`, `_build_summary`), calls `_build_frame`, starts a run
with `_start_task` and reacts to `_finished`, `_failed` and `_cancelled`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..store import Store
from .format_workers import FormatTask

Progress = Callable[[int, int], None]


def muted(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setWordWrap(True)
    return label


def summary_heading(parent: QWidget) -> QLabel:
    """The summary's heading: bold, a quarter larger than the text."""
    label = QLabel(parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    return label


class JobDialog(QDialog):
    """A form, a running page with a bar and a summary around one `FormatTask` at a time."""

    FORM, RUNNING, SUMMARY = range(3)

    #: the running page: the bar's text once it counts, its accessible name, the hint under it
    progress_format = "%v of %m"
    progress_name = "Progress"
    running_hint = ""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.project_path = Path(store.path)
        self.task: FormatTask | None = None
        self.last_error: str = ""
        self.last_outcome: str = ""
        self._running_path: Path | None = None

    # ======================================================================== building

    def _build_frame(self, *, readout_name: str, action_text: str, back_text: str,
                     action: Callable[[], Any]) -> None:
        """The pages, the readout and the buttons (``action_button`` runs ``action``)."""
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_form())
        self.pages.addWidget(self._build_running())
        self.pages.addWidget(self._build_summary())

        self.readout = muted(QLabel(self))
        self.readout.setObjectName(readout_name)
        self.readout.setWordWrap(True)  # a long message wraps: never cut, never a window wider than the screen
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.back_button = QPushButton(back_text, self)
        self.back_button.clicked.connect(self.show_form)
        self.action_button = QPushButton(action_text, self)
        self.action_button.setDefault(True)
        self.action_button.clicked.connect(action)
        buttons = QHBoxLayout()
        buttons.addWidget(self.readout, 1)
        buttons.addSpacing(12)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.action_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        layout.addWidget(self.pages, 1)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        rule.setForegroundRole(QPalette.ColorRole.Mid)
        layout.addWidget(rule)
        layout.addLayout(buttons)

    def _build_form(self) -> QWidget:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def _build_summary(self) -> QWidget:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def _build_running(self) -> QWidget:
        page = QWidget(self)
        self.running_label = QLabel(page)
        self.running_label.setWordWrap(True)
        self.progress = QProgressBar(page)
        self.progress.setRange(0, 0)  # busy until the core's first count arrives
        self.progress.setTextVisible(False)
        self.progress.setFormat(self.progress_format)
        self.progress.setAccessibleName(self.progress_name)
        hint = muted(QLabel(self.running_hint, page))
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.running_label)
        layout.addWidget(self.progress)
        layout.addWidget(hint)
        layout.addStretch(2)
        return page

    def _update_state(self) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    # ======================================================================== running

    def _start_task(self, job: Callable[[Store, Progress], Any], *, readonly: bool, name: str, path: Path,
                    running_text: str) -> FormatTask:
        """Run ``job(store, progress)`` in a `FormatTask` with the running page shown."""
        task = FormatTask(self.project_path, lambda store: job(store, task.report_progress), readonly=readonly,
                          name=name, parent=self)
        # bound methods of this dialog (a UI-thread object): the signals arrive queued, in the UI thread
        task.progress.connect(self._progress)
        task.finished.connect(self._finished)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        self.task = task
        self._running_path = path
        self.running_label.setText(running_text)
        self.progress.setRange(0, 0)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self._show_page(self.RUNNING)
        task.start()
        return task

    def cancel(self) -> None:
        """Stop a running task (what it did is undone: see the subclass)."""
        if self.task is not None and self.task.is_running():
            self.task.cancel()
            self.running_label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def _cancel_clicked(self) -> None:
        if self.pages.currentIndex() == self.RUNNING:
            self.cancel()
        else:
            self.reject()

    def _progress(self, done: int, total: int) -> None:
        """The worker's count: a real bar from the first report (an empty run is complete)."""
        if self.task is None or self.sender() not in (None, self.task):
            return  # a late signal of an earlier run
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total) if total else 1)
        self.progress.setTextVisible(total > 0)

    def _finished(self, result: object) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def _failed(self, message: str) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def _cancelled(self) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def _ended(self, outcome: str) -> None:
        """The task has sent its last signal: let its thread end, and note how it went."""
        if self.task is not None:
            self.task.wait(5000)
        self.last_outcome = outcome

    def _back_to_form(self, readout: str) -> None:
        self._show_page(self.FORM)
        self.readout.setText(readout)

    def show_form(self) -> None:
        self._show_page(self.FORM)

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        form, running, summary = page == self.FORM, page == self.RUNNING, page == self.SUMMARY
        self.action_button.setVisible(form)
        self.back_button.setVisible(summary)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Close" if summary else ("Stop" if running else "Cancel"))
        self.cancel_button.setDefault(summary)
        self.action_button.setDefault(form)
        if form:
            self._update_state()
        else:
            self.readout.setText("")
            if summary:
                self.cancel_button.setFocus()

    def is_running(self) -> bool:
        return self.task is not None and self.task.is_running()

    def shutdown(self) -> None:
        """On close of the window: stop a running task (and wait for it)."""
        if self.is_running():
            self.task.cancel()
            self.task.wait(30000)

    def reject(self) -> None:
        """Esc or Close: a running task is cancelled first (and waited for)."""
        if self.is_running():
            self.cancel()
            self.task.wait(30000)
        super().reject()


__all__ = ["JobDialog", "muted", "summary_heading"]
