"""Review work off the UI thread: merging a colleague's project, importing an annotation set,
computing the agreement report.

The same pattern as `import_worker.py`: the worker object lives in the UI thread (so `cancel()` acts
at once and its signals reach UI slots queued), its job runs in a QThread with **its own Store**
(SQLite connections belong to the thread that opened them; WAL lets the window keep reading), and
the store is closed when the job ends. A job reports progress through a callback; after `cancel()`
that callback raises `Cancelled`, which unwinds the job: a merge or an import is then rolled back
whole (each is one transaction), a report is simply dropped.
"""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal

from .. import review
from ..errors import AnnotatorError
from ..store import Store

Progress = Callable[[int, int], None]
Job = Callable[[Store, Progress], Any]


class Cancelled(Exception):
    """Raised inside a job by its progress callback once the user has cancelled."""


class _Runner(QThread):
    def __init__(self, worker: "StoreTask") -> None:
        super().__init__()
        self.setObjectName(worker.name)
        self._worker = worker

    def run(self) -> None:  # noqa: D401 - Qt override, runs in the new thread
        self._worker.run()


class StoreTask(QObject):
    """Runs ``job(store, progress)`` once in a new thread on its own Store of ``project_path``.

    Signals: ``progress(done, total)`` (total 0: unknown), ``finished(result)``, ``failed(message)``
    (a core error: its message; a bug: a short description), ``cancelled()``.
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, project_path: Path, job: Job, *, readonly: bool = False, name: str = "task",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.job = job
        self.readonly = readonly
        self.name = name
        self.result: Any = None
        self.error: str | None = None
        self._cancel = threading.Event()
        self._thread: _Runner | None = None

    def start(self) -> None:
        self._thread = _Runner(self)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def wait(self, milliseconds: int = 30000) -> bool:
        return True if self._thread is None else self._thread.wait(milliseconds)

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.progress.emit(done, total)

    def run(self) -> None:
        """The job (in the worker thread; callable directly in tests)."""
        store: Store | None = None
        try:
            store = Store.open(self.project_path, readonly=self.readonly)
            result = self.job(store, self._progress)
            if self._cancel.is_set():
                raise Cancelled
        except Cancelled:
            self.cancelled.emit()
            return
        except AnnotatorError as exc:
            self.error = str(exc)
            self.failed.emit(self.error)
            return
        except Exception as exc:  # a bug must not kill the thread silently
            traceback.print_exc()
            self.error = f"stopped unexpectedly ({type(exc).__name__}: {exc})"
            self.failed.emit(self.error)
            return
        finally:
            if store is not None:
                try:
                    store.close()
                except Exception:  # noqa: BLE001 - closing must not hide the outcome
                    pass
        self.result = result
        self.finished.emit(result)


# -- the jobs ---------------------------------------------------------------------------------------


@dataclass
class MergeOutcome:
    """What a merge did (the core's report) and whose work the file held."""

    path: Path
    report: review.MergeReport
    annotators: dict[str, int]  # their annotators merged -> live spans in their file


def merge_job(colleague_file: Path, annotators: list[str] | None = None) -> Job:
    """Merge a colleague's project file (opened read-only: their file is never written)."""

    def job(store: Store, progress: Progress) -> MergeOutcome:
        other = review.open_colleague_project(colleague_file)
        try:
            conn = other.db.conn
            total = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            theirs = dict(conn.execute(
                "SELECT annotator, COUNT(*) FROM annotations WHERE deleted = 0 GROUP BY annotator ORDER BY annotator"
            ).fetchall())
            wanted = set(annotators) if annotators else {name for name in theirs if name != review.GOLD}
            progress(0, total)
            report = review.merge_from(store, other, annotators, progress=lambda done: progress(done, total))
        finally:
            other.close()
        return MergeOutcome(Path(colleague_file), report, {k: v for k, v in theirs.items() if k in wanted})

    return job


def agreement_job(a: str, b: str, label: str | None = None) -> Job:
    """review.agreement_report: the per-label figures and the per-article table, one pass."""

    def job(store: Store, progress: Progress) -> dict:
        return review.agreement_report(store, a, b, label, progress=progress)

    return job


def annotation_set_job(path: Path) -> Job:
    """annotation_sets.import_annotation_set (one transaction; the format is recognised)."""

    def job(store: Store, progress: Progress):
        from ..annotation_sets import import_annotation_set

        progress(0, 0)
        return import_annotation_set(store, path)

    return job


__all__ = ["Cancelled", "MergeOutcome", "StoreTask", "agreement_job", "annotation_set_job", "merge_job"]
