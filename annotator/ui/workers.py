"""The one pattern of the window's background work: a job on its own Store, in its own QThread.

SQLite connections belong to the thread that made them, so a job opens the project again in the
worker thread (WAL mode lets the window keep reading meanwhile) and closes it when it ends. The
worker object itself stays in the UI thread: ``cancel()`` takes effect at once (it sets a
thread-safe flag) and the signals, emitted from the worker thread, reach UI-thread slots queued.

`StoreJob` is the base: a subclass implements ``work(store)`` and adds a ``progress`` signal of its
own shape. Exactly one of ``finished(result)``, ``failed(message)`` and ``cancelled()`` is emitted:

* ``cancelled()`` only when nothing was committed. A job that writes as a whole
  (``atomic=True``) runs inside one transaction opened here; the cancel flag is looked at once more
  after ``work`` has returned, *before* the commit, and a cancel then rolls everything back. Once
  the commit has happened the job is reported ``finished``, however late the cancel came. A
  read-only job has nothing to commit: a cancel at any time drops its result.
* ``failed(message)``: a core error (`AnnotatorError`: its message) or a bug (a short description,
  with the traceback printed), so a bug never kills the thread silently.

A job that commits in parts (``atomic=False``, e.g. the article import, one savepoint per file)
handles cancelling itself (it reads ``is_cancelled``) and reports what it did through ``finished``.

Two hooks and two class switches serve jobs that are stopped from outside (`format_workers.FormatTask`
interrupts SQLite itself): ``opened(store)`` runs right after the store is opened (inside the error
handling) and ``closing(store)`` just before it is closed; with ``cancel_wins`` any exception raised
once the user has cancelled counts as ``cancelled()``; with ``keeps_late_result`` a read-only job
whose ``work`` has returned is ``finished`` however late the cancel came (its result is complete).
``outcome`` ("finished", "failed" or "cancelled") and ``error_object`` (the exception of a failure)
are set before the signal is emitted.
"""

from __future__ import annotations

import threading
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from ..errors import AnnotatorError
from ..store import Store


class Cancelled(Exception):
    """Raised inside a job (by its progress callback, or by `StoreJob.check_cancelled`) once the
    user has cancelled: it unwinds the job, and the transaction around it is rolled back."""


class _Runner(QThread):
    """The thread: runs the job once and ends (no event loop of its own is needed)."""

    def __init__(self, job: "StoreJob") -> None:
        super().__init__()
        self.setObjectName(job.name)
        self._job = job

    def run(self) -> None:  # noqa: D401 - Qt override, runs in the new thread
        self._job.run()


class StoreJob(QObject):
    """Runs ``work(store)`` once in a new thread on its own Store of ``project_path``.

    Connect the signals, then `start()`; `cancel()` from any thread; `wait()` on close so no job is
    cut half-way. `run()` is the job itself (called in the worker thread; callable directly in
    tests). ``result`` and ``error`` hold the outcome once it is known.
    """

    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    #: the start of the message of a bug ("... (TypeError: ...)")
    unexpected = "stopped unexpectedly"
    #: an exception raised once the user has cancelled counts as cancelled (the job was stopped)
    cancel_wins = False
    #: a read-only job whose ``work`` has returned is finished, however late the cancel came
    keeps_late_result = False

    def __init__(self, project_path: Path, *, readonly: bool = False, atomic: bool = True, name: str = "task",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.readonly = readonly
        self.atomic = atomic and not readonly
        self.name = name
        self.result: Any = None
        self.error: str | None = None
        self.error_object: BaseException | None = None
        self.outcome: str | None = None  # "finished", "failed" or "cancelled" once the job has ended
        self._cancel = threading.Event()
        self._thread: _Runner | None = None

    # -- control -------------------------------------------------------------------------------

    def start(self) -> None:
        """Run the job in a new thread."""
        self._thread = _Runner(self)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raise `Cancelled` if the user has cancelled (for use inside ``work``)."""
        if self._cancel.is_set():
            raise Cancelled

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def wait(self, milliseconds: int = 30000) -> bool:
        """Block until the thread has ended (True at once if it never started)."""
        return True if self._thread is None else self._thread.wait(milliseconds)

    # -- the work ------------------------------------------------------------------------------

    def work(self, store: Store) -> Any:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def opened(self, store: Store) -> None:
        """Called in the worker thread right after the store is opened (an exception ends the job)."""

    def closing(self, store: Store) -> None:
        """Called in the worker thread just before the store is closed (exceptions are ignored)."""

    def run(self) -> None:
        """The job (in the worker thread; callable directly in tests)."""
        store: Store | None = None
        try:
            store = Store.open(self.project_path, readonly=self.readonly)
            self.opened(store)
            if self.atomic:
                with store.transaction():
                    result = self.work(store)
                    self.check_cancelled()  # before the commit: rolls back everything the job wrote
                # committed: from here on the job is done, whenever the cancel came
            else:
                result = self.work(store)
                if self.readonly and not self.keeps_late_result:
                    self.check_cancelled()  # nothing was written: the result is simply dropped
        except BaseException as exc:  # noqa: BLE001 - every outcome must be reported
            if isinstance(exc, Cancelled) or (self.cancel_wins and self.is_cancelled()):
                self.outcome = "cancelled"
                self.cancelled.emit()
                return
            if isinstance(exc, AnnotatorError):
                self.error = str(exc)
            else:  # a bug must not kill the thread silently
                traceback.print_exc()
                self.error = f"{self.unexpected} ({type(exc).__name__}: {exc})"
            self.error_object = exc
            self.outcome = "failed"
            self.failed.emit(self.error)
            return
        finally:
            if store is not None:
                try:
                    self.closing(store)
                    store.close()
                except Exception:  # noqa: BLE001 - closing must not hide the real outcome
                    pass
        self.result = result
        self.outcome = "finished"
        self.finished.emit(result)


__all__ = ["Cancelled", "StoreJob"]
