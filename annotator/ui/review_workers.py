"""Review work off the UI thread: merging a colleague's project, importing an annotation set,
computing the agreement report.

The pattern of `workers.StoreJob` (shared with `import_worker.py`): the worker object lives in the
UI thread, its job runs in a QThread with **its own Store**. A job reports progress through a
callback; after `cancel()` that callback raises `Cancelled`, which unwinds the job: a merge or an
import is then rolled back whole (it runs in one transaction, committed only if no cancel came
before the commit), a report is simply dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from .. import review
from ..operations.merge import MergeReport
from ..store import ColleagueProject, Store
from .workers import Cancelled, StoreJob

Progress = Callable[[int, int], None]
Job = Callable[[Store, Progress], Any]


class StoreTask(StoreJob):
    """Runs ``job(store, progress)`` once in a new thread on its own Store of ``project_path``.

    Signals: ``progress(done, total)`` (total 0: unknown), ``finished(result)``, ``failed(message)``
    (a core error: its message; a bug: a short description), ``cancelled()`` (nothing was changed:
    a job that writes runs in one transaction, and a cancel that comes before its commit rolls it
    back; one that comes after the commit is too late, and the job is reported finished).
    """

    progress = Signal(int, int)

    def __init__(self, project_path: Path, job: Job, *, readonly: bool = False, name: str = "task",
                 parent: QObject | None = None) -> None:
        super().__init__(project_path, readonly=readonly, name=name, parent=parent)
        self.job = job

    def _progress(self, done: int, total: int) -> None:
        self.check_cancelled()
        self.progress.emit(done, total)

    def work(self, store: Store) -> Any:
        return self.job(store, self._progress)


# -- the jobs ---------------------------------------------------------------------------------------


@dataclass
class MergeOutcome:
    """What a merge did (the core's report) and whose work the file held."""

    path: Path
    report: MergeReport
    annotators: dict[str, int]  # their annotators merged -> live spans in their file


def merge_job(colleague_file: Path, merged_by: str, annotators: list[str] | None = None) -> Job:
    """Merge a colleague's project file (opened read-only: their file is never written)."""

    def job(store: Store, progress: Progress) -> MergeOutcome:
        from ..operations.merge import merge_from

        with ColleagueProject.open(colleague_file) as other:
            total = other.article_count()
            theirs = other.annotation_counts()
            wanted = set(annotators) if annotators else {name for name in theirs if name != review.GOLD}
            progress(0, total)
            report = merge_from(store, other, annotators, merged_by=merged_by,
                                progress=lambda done: progress(done, total)).value
        return MergeOutcome(Path(colleague_file), report, {k: v for k, v in theirs.items() if k in wanted})

    return job


def agreement_job(a: str, b: str, label: str | None = None) -> Job:
    """review.agreement_report: the per-label figures and the per-article table, one pass."""

    def job(store: Store, progress: Progress) -> dict:
        return review.agreement_report(store, a, b, label, progress=progress)

    return job


def annotation_set_job(path: Path, importer: str) -> Job:
    """operations.annotation_sets.import_annotation_set (one operation; the format is recognised)."""

    def job(store: Store, progress: Progress):
        from ..operations.annotation_sets import import_annotation_set

        progress(0, 0)
        report = import_annotation_set(store, path, importer=importer).value
        store.catch_up_search()  # in the worker, rather than at the window's next search
        return report

    return job


__all__ = ["Cancelled", "MergeOutcome", "StoreTask", "agreement_job", "annotation_set_job", "merge_job"]
