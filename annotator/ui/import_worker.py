"""Imports off the UI thread: `importing.import_paths` in a QThread with its own Store.

The thread and the Store of its own are `workers.StoreJob`'s (see there). Progress comes back as a
queued signal; cancelling sets a flag that `import_paths` checks before each file (files already
stored stay stored: each file is all-or-nothing, in its own savepoint of a batch commit).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..importing import ImportReport, import_paths, readable_suffixes
from ..store import Store
from .workers import StoreJob


class ImportWorker(StoreJob):
    """Runs one import batch. Connect the signals, then `start()`; `cancel()` from any thread.

    The thread, the Store of its own, cancelling and the outcome signals are `StoreJob`'s. The batch
    commits file by file (``atomic=False``), so a cancel is not an outcome of its own: the report
    says ``cancelled`` and lists what was stored.
    """

    progress = Signal(int, int, str)  # done, total, path just handled
    # finished(ImportReport); failed(str): a problem with the project itself (locked, damaged)

    unexpected = "the import stopped unexpectedly"

    def __init__(self, project_path: Path, paths: list[Path], *, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(project_path, atomic=False, name="import", parent=parent)
        self.paths = [Path(p) for p in paths]
        self.annotator = annotator

    @property
    def report(self) -> ImportReport | None:
        """The batch's report once it has finished."""
        return self.result

    def work(self, store: Store) -> ImportReport:
        return import_paths(
            store,
            self.paths,
            progress=lambda done, total, path: self.progress.emit(done, total, str(path)),
            is_cancelled=self.is_cancelled,
            annotator=self.annotator,
        )


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


SHOWN_FAILURES = 8  # in the message itself; more go behind "Show Details…"


def file_filter() -> str:
    """The file dialog's filter: every suffix the importers read (importing.readable_suffixes)."""
    patterns = " ".join(f"*{suffix}" for suffix in readable_suffixes())
    return f"Articles ({patterns});;All files (*)"


def failure_message(report: ImportReport) -> tuple[str, str]:
    """(text, details) of the message after an import with failures: the reasons are in the text,
    the first few of them; the full list goes to the details only when there are more."""
    lines = [f"{path.name}: {reason}" for path, reason in report.failed]
    shown = lines[:SHOWN_FAILURES]
    if len(lines) > SHOWN_FAILURES:
        shown.append(f"…and {len(lines) - SHOWN_FAILURES} more (Show Details…)")
    text = (summary_text(report) + ".\n\n" + "\n".join(shown)
            + "\n\nThese files were not imported; the project is unchanged by them.")
    return text, failure_details(report) if len(lines) > SHOWN_FAILURES else ""
