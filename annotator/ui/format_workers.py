"""Exports and annotation-set imports off the UI thread, cancellable at any moment.

The pattern of `import_worker.py`: the worker object lives in the UI thread (so `cancel()` acts at
once and its signals reach UI slots queued); the job runs in a QThread on **its own Store** of the
project (SQLite connections belong to the thread that opened them; WAL lets the window keep reading)
and the store is closed when the job ends.

Cancelling needs no hook in the core functions: SQLite's progress handler, installed on the
worker's own connection, looks at the cancel flag every few hundred virtual-machine steps and, once
it is set, makes the running statement fail ("interrupted"). That exception unwinds the core
function like any other error would:

* an export (`formats.export_to_path`) loses its temporary file or folder in the atomic writer, so
  the target is never half written and an existing target stays as it was;
* an import (`annotation_sets.import_annotation_set`, one transaction per file) is rolled back, so
  the project is exactly as before.

Progress: the job reports ``(done, total)`` through `FormatTask.report_progress` (the ``progress``
callback of `export_to_path` and `import_annotation_set`), which emits the ``progress`` signal from
the worker thread; it reaches the dialog queued. Reports closer together than
`PROGRESS_INTERVAL` seconds are dropped (a large export has tens of thousands of articles), except
the first and the last (done == total), so the bar always starts and ends where it should.

A job that writes (an import) runs inside one more transaction, opened here: the core's own
transaction becomes a savepoint within it, and the flag is looked at once more after the core
function has returned, before the commit — so a cancel that arrives at any moment before the commit
rolls the whole import back, even one that came after the last statement. An export cannot be
called back that late: once its file is in place it is complete, and it is reported as finished
(the dialog says that the stop came too late), never half done.
"""

from __future__ import annotations

import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal

from ..errors import AnnotatorError
from ..store import Store

# SQLite VM steps between two looks at the cancel flag (`threading.Event.is_set`, called by SQLite):
# a few per article of a typical export; no cost that stands out of the noise of a 30,000-span export.
# SQLite counts the steps of a prepared statement across its executions, so short statements that
# run once per article are counted too.
CANCEL_CHECK_STEPS = 100
PROGRESS_INTERVAL = 0.04  # seconds between two progress signals (25 a second at most)

Job = Callable[[Store], Any]


class _Runner(QThread):
    def __init__(self, task: "FormatTask") -> None:
        super().__init__()
        self.setObjectName(task.name)
        self._task = task

    def run(self) -> None:  # noqa: D401 - Qt override, runs in the new thread
        self._task.run()


class FormatTask(QObject):
    """Runs ``job(store)`` once in a new thread on its own Store of ``project_path``.

    Signals: ``finished(result)``; ``failed(message)`` (a core error: its message, which names the
    file and line for a malformed file; a bug: a short description); ``cancelled()`` (nothing was
    written or changed). Exactly one of them is emitted. Before it, ``progress(done, total)`` as
    the job reports it through `report_progress`.
    """

    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    progress = Signal(int, int)

    def __init__(self, project_path: Path, job: Job, *, readonly: bool, name: str = "format-task",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.job = job
        self.readonly = readonly
        self.name = name
        self.result: Any = None
        self.error: str | None = None
        self.error_object: BaseException | None = None
        self.outcome: str | None = None  # "finished", "failed" or "cancelled" once the job has ended
        self._cancel = threading.Event()
        self._thread: _Runner | None = None
        self._last_progress = 0.0  # monotonic time of the last progress signal (0: none yet)
        self.last_progress: tuple[int, int] | None = None  # the last (done, total) reported

    # -- control -------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = _Runner(self)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the job to stop (from any thread); it stops at its next statement."""
        self._cancel.set()

    def report_progress(self, done: int, total: int) -> None:
        """The job's `progress(done, total)` callback (called in the worker thread)."""
        self.last_progress = (done, total)
        now = time.monotonic()
        if self._last_progress and done < total and now - self._last_progress < PROGRESS_INTERVAL:
            return
        self._last_progress = now
        self.progress.emit(done, total)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def wait(self, milliseconds: int = 30000) -> bool:
        return True if self._thread is None else self._thread.wait(milliseconds)

    # -- the work ------------------------------------------------------------------------------

    def run(self) -> None:
        """The job (in the worker thread; callable directly in tests)."""
        store: Store | None = None
        try:
            if self._cancel.is_set():
                raise _Cancelled
            store = Store.open(self.project_path, readonly=self.readonly)
            # SQLite's progress handler: a true value stops the running statement ("interrupted")
            store.db.conn.set_progress_handler(self._cancel.is_set, CANCEL_CHECK_STEPS)
            if self.readonly:
                result = self.job(store)
            else:
                with store.transaction():
                    result = self.job(store)
                    if self._cancel.is_set():
                        raise _Cancelled  # rolls back everything the job wrote
        except BaseException as exc:  # noqa: BLE001 - every outcome must reach the dialog
            if isinstance(exc, _Cancelled) or self._cancel.is_set():
                self.outcome = "cancelled"
                self.cancelled.emit()
            elif isinstance(exc, AnnotatorError):
                self.error, self.error_object = str(exc), exc
                self.outcome = "failed"
                self.failed.emit(self.error)
            else:  # a bug must not kill the thread silently
                traceback.print_exc()
                self.error = f"stopped unexpectedly ({type(exc).__name__}: {exc})"
                self.error_object = exc
                self.outcome = "failed"
                self.failed.emit(self.error)
            return
        finally:
            if store is not None:
                try:
                    store.db.conn.set_progress_handler(None, 0)
                    store.close()
                except Exception:  # noqa: BLE001 - closing must not hide the outcome
                    pass
        self.result = result
        self.outcome = "finished"
        self.finished.emit(result)


class _Cancelled(Exception):
    """Cancelled before the job began."""


__all__ = ["CANCEL_CHECK_STEPS", "PROGRESS_INTERVAL", "FormatTask"]
