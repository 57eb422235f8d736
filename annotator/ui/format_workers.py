"""Exports and annotation-set imports off the UI thread, cancellable at any moment.

A `workers.StoreJob` (see there): the worker object lives in the UI thread (so `cancel()` acts at
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

import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from ..store import Store
from .workers import StoreJob

# SQLite VM steps between two looks at the cancel flag (`threading.Event.is_set`, called by SQLite):
# a few per article of a typical export; no cost that stands out of the noise of a 30,000-span export.
# SQLite counts the steps of a prepared statement across its executions, so short statements that
# run once per article are counted too.
CANCEL_CHECK_STEPS = 100
PROGRESS_INTERVAL = 0.04  # seconds between two progress signals (25 a second at most)

Job = Callable[[Store], Any]


class FormatTask(StoreJob):
    """Runs ``job(store)`` once in a new thread on its own Store of ``project_path``.

    Signals: ``finished(result)``; ``failed(message)`` (a core error: its message, which names the
    file and line for a malformed file; a bug: a short description); ``cancelled()`` (nothing was
    written or changed). Exactly one of them is emitted. Before it, ``progress(done, total)`` as
    the job reports it through `report_progress`. ``outcome`` and ``error_object`` (`StoreJob`'s)
    say how it ended.

    A cancel stops the running statement (SQLite's progress handler), so any exception raised once
    the user has cancelled means "cancelled" (``cancel_wins``); an export whose file is in place is
    finished, however late the cancel came (``keeps_late_result``).
    """

    progress = Signal(int, int)

    cancel_wins = True
    keeps_late_result = True

    def __init__(self, project_path: Path, job: Job, *, readonly: bool, name: str = "format-task",
                 parent: QObject | None = None) -> None:
        super().__init__(project_path, readonly=readonly, name=name, parent=parent)
        self.job = job
        self._last_progress = 0.0  # monotonic time of the last progress signal (0: none yet)
        self.last_progress: tuple[int, int] | None = None  # the last (done, total) reported

    def report_progress(self, done: int, total: int) -> None:
        """The job's `progress(done, total)` callback (called in the worker thread): between two
        articles a cancel stops the job here, as the progress handler stops it inside a statement."""
        self.check_cancelled()
        self.last_progress = (done, total)
        now = time.monotonic()
        if self._last_progress and done < total and now - self._last_progress < PROGRESS_INTERVAL:
            return
        self._last_progress = now
        self.progress.emit(done, total)

    # -- the work ------------------------------------------------------------------------------

    def opened(self, store: Store) -> None:
        self.check_cancelled()  # cancelled before the job began
        # SQLite's progress handler: a true value stops the running statement ("interrupted")
        store.conn.set_progress_handler(self._cancel.is_set, CANCEL_CHECK_STEPS)

    def closing(self, store: Store) -> None:
        store.conn.set_progress_handler(None, 0)

    def work(self, store: Store) -> Any:
        return self.job(store)


__all__ = ["CANCEL_CHECK_STEPS", "PROGRESS_INTERVAL", "FormatTask"]
