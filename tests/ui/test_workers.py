"""The shared worker base (ui/workers.py) through review_workers.StoreTask: cancelled is reported only
when nothing was committed, and a cancel that comes after the commit is too late to undo anything."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from annotator.store import Store
from annotator.ui.review_workers import StoreTask
import support


def outcomes(task: StoreTask) -> list[tuple]:
    seen: list[tuple] = []
    task.finished.connect(lambda result: seen.append(("finished", result)))
    task.failed.connect(lambda message: seen.append(("failed", message)))
    task.cancelled.connect(lambda: seen.append(("cancelled",)))
    return seen


def meta(project_path: Path, key: str) -> str | None:
    with Store.open(project_path) as check:
        return check.get_meta(key)


def test_a_cancel_after_the_job_returned_rolls_its_writes_back(project_path):
    task: StoreTask

    def job(store: Store, progress) -> str:
        support.set_meta(store, "merged", "yes")  # the core's own transaction: committed in the old StoreTask
        task.cancel()  # the user presses Cancel just after the job's last statement
        return "done"

    task = StoreTask(project_path, job, name="merge")
    seen = outcomes(task)
    task.run()
    assert seen == [("cancelled",)]
    assert meta(project_path, "merged") is None  # "nothing was changed" is true


def test_a_cancel_after_the_commit_reports_finished(project_path, monkeypatch):
    task: StoreTask
    real = Store.transaction
    depth = {"n": 0, "job": False}

    @contextmanager
    def cancel_after_commit(self):
        depth["n"] += 1
        try:
            with real(self) as db:
                yield db
        finally:
            depth["n"] -= 1
        if depth["n"] == 0 and depth["job"]:
            task.cancel()  # the job's outermost transaction has committed: too late to undo anything

    monkeypatch.setattr(Store, "transaction", cancel_after_commit)

    def job(store: Store, progress) -> str:
        depth["job"] = True
        progress(0, 1)
        support.set_meta(store, "merged", "yes")
        progress(1, 1)
        return "done"

    task = StoreTask(project_path, job, name="merge")
    seen = outcomes(task)
    task.run()
    assert task.is_cancelled()
    assert seen == [("finished", "done")] and task.result == "done"
    assert meta(project_path, "merged") == "yes"


def test_a_cancel_during_the_job_changes_nothing(project_path):
    task: StoreTask

    def job(store: Store, progress) -> str:
        support.set_meta(store, "merged", "yes")
        task.cancel()
        progress(1, 2)  # raises Cancelled
        raise AssertionError("not reached")

    task = StoreTask(project_path, job, name="merge")
    seen = outcomes(task)
    task.run()
    assert seen == [("cancelled",)]
    assert meta(project_path, "merged") is None


def test_an_uncancelled_job_commits_and_reports_its_result(project_path, qtbot):
    def job(store: Store, progress) -> int:
        progress(1, 1)
        support.set_meta(store, "merged", "yes")
        return 7

    task = StoreTask(project_path, job, name="merge")
    progress: list[tuple[int, int]] = []
    task.progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(task.finished, timeout=20000) as blocker:
        task.start()
    assert task.wait(5000)
    assert blocker.args == [7] and task.result == 7
    assert progress == [(1, 1)]
    assert meta(project_path, "merged") == "yes"


def test_a_read_only_job_cancelled_after_returning_is_dropped(project_path):
    task: StoreTask

    def job(store: Store, progress) -> int:
        task.cancel()
        return len(store.list_articles())

    task = StoreTask(project_path, job, readonly=True, name="agreement")
    seen = outcomes(task)
    task.run()
    assert seen == [("cancelled",)] and task.result is None


def test_a_core_error_rolls_back_and_is_reported(project_path):
    from annotator.errors import ValidationError

    def job(store: Store, progress) -> None:
        support.set_meta(store, "merged", "yes")
        raise ValidationError("a label this project does not know")

    task = StoreTask(project_path, job, name="merge")
    seen = outcomes(task)
    task.run()
    assert seen == [("failed", "a label this project does not know")]
    assert task.error == "a label this project does not know"
    assert meta(project_path, "merged") is None
