"""The window's one job runner: background work (article imports, merges, annotation-set imports)
with one progress presentation — a window-modal progress dialog that appears after a moment,
counts, and can cancel — and one way of reporting the outcome.

A job is a `workers.StoreJob` (its own thread, its own Store). Whatever it commits reaches the
window through the journal (live.py), the same way as any other process's writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from .workers import StoreJob

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

SHOW_AFTER_MS = 400


class JobRunner(QObject):
    """Runs one job at a time for a window."""

    def __init__(self, window: QWidget, report_error: Callable[[str], None], show_message: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.report_error = report_error
        self.show_message = show_message
        self.job: StoreJob | None = None
        self.dialog: "QProgressDialog | None" = None
        self._unit = ""

    def busy(self) -> bool:
        return self.job is not None and self.job.is_running()

    def start(self, job: StoreJob, title: str, text: str, finished: Callable[[Any], None], *, unit: str = "") -> bool:
        """Start `job` with a progress dialog; `finished(result)` runs in the UI thread when it is done."""
        if self.busy():
            self.show_message("Wait for the current import or merge to finish.")
            return False
        from PySide6.QtWidgets import QProgressDialog  # loaded when a job first shows progress (start-up time)

        dialog = QProgressDialog(text, "Cancel", 0, 0, self.window)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)
        dialog.canceled.connect(job.cancel)
        self.job, self.dialog, self._unit = job, dialog, unit

        def done(result: object) -> None:
            self._end()
            finished(result)

        def failed(message: str) -> None:
            self._end()
            self.report_error(message)

        def cancelled() -> None:
            self._end()
            self.show_message(f"{title}: cancelled; nothing was changed.")

        progress = getattr(job, "progress", None)
        if progress is not None:
            progress.connect(self._progress)
        job.finished.connect(done)
        job.failed.connect(failed)
        job.cancelled.connect(cancelled)
        self.show_message(text)
        job.start()
        return True

    def _progress(self, done: int, total: int, what: str = "") -> None:
        dialog = self.dialog
        if dialog is None:
            return
        if total:
            dialog.setMaximum(total)
            dialog.setValue(done)
        label = f"{done:,} of {total:,} {self._unit}".rstrip() if total else dialog.labelText()
        dialog.setLabelText(f"{label}\n{what}" if what else label)

    def _end(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if self.job is not None:
            self.job.wait(10000)

    def shutdown(self) -> None:
        """On close: stop the job (files stored stay stored; a merge is rolled back whole)."""
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.job.wait(30000)
