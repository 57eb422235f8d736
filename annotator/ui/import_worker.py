"""Imports off the UI thread: `importing.import_paths` in a QThread with its own Store.

SQLite connections belong to the thread that made them, so the worker opens the project again in its
own thread (WAL mode lets the window keep reading meanwhile) and closes it when done. Progress comes
back as a queued signal; cancelling sets a flag that `import_paths` checks before each file (files
already stored stay stored: each file is all-or-nothing, in its own savepoint of a batch commit).
"""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from ..errors import AnnotatorError
from ..importing import ImportReport, import_paths
from ..store import Store


class _Runner(QThread):
    """The thread: runs the worker's batch and ends (no event loop of its own is needed)."""

    def __init__(self, worker: "ImportWorker") -> None:
        super().__init__()
        self.setObjectName("import")
        self._worker = worker

    def run(self) -> None:  # noqa: D401 - Qt override, runs in the new thread
        self._worker.run()


class ImportWorker(QObject):
    """Runs one import batch. Connect the signals, then `start()`; `cancel()` from any thread.

    The worker object itself stays in the UI thread, so `cancel()` takes effect at once (it sets a
    thread-safe flag) and the signals, emitted from the import thread, reach UI-thread slots queued.
    """

    progress = Signal(int, int, str)  # done, total, path just handled
    finished = Signal(object)  # ImportReport
    failed = Signal(str)  # a problem with the project itself (locked, damaged): the batch stopped

    def __init__(self, project_path: Path, paths: list[Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.paths = [Path(p) for p in paths]
        self.report: ImportReport | None = None
        self.error: str | None = None
        self._cancelled = threading.Event()
        self._thread: _Runner | None = None

    # -- control -------------------------------------------------------------------------------

    def start(self) -> None:
        """Run the batch in a new thread."""
        self._thread = _Runner(self)
        self._thread.start()

    def cancel(self) -> None:
        self._cancelled.set()

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def wait(self, milliseconds: int = 30000) -> bool:
        """Block until the thread has ended (used on close so no import is cut half-way)."""
        if self._thread is None:
            return True
        return self._thread.wait(milliseconds)

    # -- the work ------------------------------------------------------------------------------

    def run(self) -> None:
        """The batch itself (called in the import thread; callable directly in tests)."""
        store: Store | None = None
        try:
            store = Store.open(self.project_path)
            report = import_paths(
                store,
                self.paths,
                progress=lambda done, total, path: self.progress.emit(done, total, str(path)),
                is_cancelled=self._cancelled.is_set,
            )
        except AnnotatorError as exc:
            self.error = str(exc)
            self.failed.emit(self.error)
            return
        except Exception as exc:  # a bug must not kill the thread silently
            traceback.print_exc()
            self.error = f"the import stopped unexpectedly ({type(exc).__name__}: {exc})"
            self.failed.emit(self.error)
            return
        finally:
            if store is not None:
                try:
                    store.close()
                except Exception:  # noqa: BLE001 - closing must not hide the real outcome
                    pass
        self.report = report
        self.finished.emit(report)


def summary_text(report: ImportReport) -> str:
    """One line for the status bar: "Imported 3 articles · 1 already here · 2 failed"."""
    parts = [f"Imported {len(report.imported)} article{'s' if len(report.imported) != 1 else ''}"]
    if report.duplicates:
        parts.append(f"{len(report.duplicates)} already in the project")
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    if report.cancelled:
        parts.append("cancelled")
    return " · ".join(parts)


def failure_details(report: ImportReport) -> str:
    """One line per failed file: path, then what was wrong."""
    return "\n".join(f"{path}: {reason}" for path, reason in report.failed)
