"""Importing from the window: a worker thread with its own Store, progress, cancel, a summary."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from annotator.store import Store
from annotator.ui.import_worker import ImportWorker, failure_details, summary_text

try:
    from .fixtures_window import SEED, seed_article
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import SEED, seed_article  # type: ignore[no-redef]


def wait_for_import(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.last_import_report is not None, timeout=20000)
    qtbot.waitUntil(lambda: not window.import_worker.is_running(), timeout=5000)


def test_import_of_the_seed_article_through_the_worker(qtbot, window, store):
    seed_id = seed_article().id
    progress: list[tuple[int, int, str]] = []
    worker = window.start_import([SEED])
    assert worker is not None
    worker.progress.connect(lambda done, total, path: progress.append((done, total, path)))
    wait_for_import(qtbot, window)
    report = window.last_import_report
    assert [a.id for a in report.imported] == [seed_id]
    assert report.failed == [] and report.duplicates == []
    assert store.has_article(seed_id)
    assert seed_id in window.article_list.model.ids()
    assert summary_text(report) == "Imported 1 article"
    assert "Imported 1 article" in window.statusBar().currentMessage()
    assert worker.report is report


def test_the_worker_uses_its_own_connection_in_another_thread(qtbot, project_path):
    threads: list[int] = []

    class Spy(ImportWorker):
        def run(self) -> None:
            threads.append(threading.get_ident())
            super().run()

    worker = Spy(project_path, [SEED], annotator="tester")
    with qtbot.waitSignal(worker.finished, timeout=20000):
        worker.start()
    assert worker.wait(5000)
    assert threads and threads[0] != threading.get_ident()
    with Store.open(project_path) as check:
        assert check.has_article(seed_article().id)


def test_importing_again_reports_a_duplicate(qtbot, window):
    window.start_import([SEED])
    wait_for_import(qtbot, window)
    window.last_import_report = None
    window.start_import([SEED])
    wait_for_import(qtbot, window)
    report = window.last_import_report
    assert report.imported == [] and len(report.duplicates) == 1
    assert "already in the project" in summary_text(report)


def test_failures_are_listed_and_the_project_is_unchanged(qtbot, window, store, tmp_path: Path):
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    missing = tmp_path / "missing.txt"
    before = store.counts()
    window.start_import([picture, missing, SEED])
    wait_for_import(qtbot, window)
    report = window.last_import_report
    assert [path for path, _ in report.failed] == [picture, missing]
    assert len(report.imported) == 1
    details = failure_details(report)
    assert "photo.png" in details and "missing.txt" in details
    assert store.counts()["articles"] == before["articles"] + 1
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    # the reasons are in the message itself, not behind "Show Details…"
    assert boxes and "photo.png: unsupported file type (.png)" in boxes[-1].text()
    assert "missing.txt: no such file or folder" in boxes[-1].text() and boxes[-1].detailedText() == ""
    for box in boxes:
        box.close()
    # the article that did come in is open
    assert window.current_article.id == report.imported[0].id


def test_cancel_stops_before_the_next_file(qtbot, project_path, tmp_path: Path):
    files = []
    for number in range(5):
        path = tmp_path / f"article{number}.txt"
        path.write_text(f"Headline number {number}\nA paragraph that says {number}.\n", "utf-8")
        files.append(path)
    worker = ImportWorker(project_path, files, annotator="tester")
    worker.cancel()
    with qtbot.waitSignal(worker.finished, timeout=20000) as blocker:
        worker.start()
    worker.wait(5000)
    report = blocker.args[0]
    assert report.cancelled and report.imported == []


def test_progress_dialog_cancel_sets_the_flag(qtbot, window, tmp_path: Path):
    files = []
    for number in range(3):
        path = tmp_path / f"a{number}.txt"
        path.write_text(f"Title {number}\nBody {number}.\n", "utf-8")
        files.append(path)
    worker = window.start_import(files)
    window._import_dialog.canceled.emit()  # noqa: SLF001 - what the Cancel button does
    assert worker.is_cancelled()
    wait_for_import(qtbot, window)
    assert window._import_dialog is None  # noqa: SLF001


def test_dropping_files_on_the_window_imports_them(qtbot, window):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(SEED))])
    event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    wait_for_import(qtbot, window)
    assert [a.id for a in window.last_import_report.imported] == [seed_article().id]


def test_a_project_problem_stops_the_import_with_a_message(qtbot, window, tmp_path: Path):
    broken = tmp_path / "broken.annotator"
    broken.write_bytes(b"this is not sqlite at all")
    window.store.path = broken  # the worker opens the project by path; make that fail
    try:
        worker = window.start_import([SEED])
        qtbot.waitUntil(lambda: worker.error is not None, timeout=20000)
        qtbot.waitUntil(lambda: "not a project file" in window.last_error, timeout=5000)
    finally:
        window.store.path = window.store.path.with_name("test.annotator")
