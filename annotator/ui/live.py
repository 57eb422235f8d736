"""Live views: noticing what other processes (the CLI, another window, a worker thread) wrote.

A timer asks SQLite's `PRAGMA data_version` — a counter that moves only when another connection has
committed — every POLL_MS. When it moved, the journal is read from the last entry seen, and the
changes of the new entries (what their ids touched) go to the window's one `apply_changes` path,
the same its own edits take. Reading is a few microseconds when nothing happened, and never blocks
the window (WAL: readers do not wait for writers).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from ..errors import AnnotatorError, ProjectClosedError
from ..store import Changes, JournalEntry, Store

POLL_MS = 400
MAX_ENTRIES = 2000  # read per tick at most; the rest on the next one


class JournalWatcher(QObject):
    """Emits `changed(changes, entries)` for journal entries written by others."""

    changed = Signal(object, object)  # Changes (merged), list[JournalEntry]

    def __init__(self, store: Callable[[], Store], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._version = -1
        self._seq = 0
        self._own: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Start from now: what is already in the journal is already on screen."""
        store = self._store()
        self._seq = store.latest_seq()
        self._version = store.data_version()
        self._own.clear()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def own(self, op_id: str) -> None:
        """An operation of this window: its changes were applied already."""
        if op_id:
            self._own.add(op_id)

    def poll(self) -> bool:
        """Look for new entries now; True if some came from elsewhere."""
        store = self._store()
        try:
            version = store.data_version()
            if version == self._version and not self._own:
                return False
            self._version = version
            entries = store.journal_since(self._seq, MAX_ENTRIES)
        except ProjectClosedError:  # the window is going away
            self.timer.stop()
            return False
        except AnnotatorError:
            return False  # locked or busy for a moment: try again on the next tick
        if not entries:
            return False
        self._seq = entries[-1].seq
        theirs: list[JournalEntry] = [e for e in entries if e.id not in self._own]
        self._own.difference_update(e.id for e in entries)
        if not theirs:
            return False
        changes = Changes()
        for entry in theirs:
            changes.merge(entry.changes)
        self.changed.emit(changes, theirs)
        return True
