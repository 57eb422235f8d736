"""The window's Undo and Redo: one generic command over the journal's operations.

Every edit is an operation of the core (annotator/operations), which leaves a journal entry; the
window pushes an `OpCommand` naming that entry. Undo calls `operations.undo(op_id)`, redo
`operations.redo(op_id)` — the very functions `annotator undo` / `redo` call — so an edit made in
the window can be undone from the command line and the reverse:

* an operation the same annotator makes elsewhere (the CLI, another window) arrives through the
  journal (live.py) and is pushed here too, so Ctrl+Z takes it back;
* an undo or redo made elsewhere moves the stack along when it concerns the command at its edge,
  and marks any other command stale: when the user reaches a stale command it is dropped, not
  undone twice.

A command is pushed only after its operation has committed. When a later undo or redo is refused
(someone changed the rows since), the stack steps back so its index again says what the file holds,
and the refusal is returned for the window to show. Consecutive note edits of one annotation merge
into one step (one command, several journal entries, undone newest first).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from ..errors import AnnotatorError
from ..store import Changes, JournalEntry, Store

NOTE_COMMAND_ID = 1001


class OpCommand(QUndoCommand):
    """Undo/redo of one or more journal entries (several only for merged note edits)."""

    def __init__(self, op_id: str, text: str, *, kind: str = "", subject: str = "") -> None:
        super().__init__(text)
        self.op_ids = [op_id]
        self.kind = kind
        self.subject = subject  # note edits of the same annotation merge
        self.runner: "UndoRunner | None" = None
        self.error: AnnotatorError | None = None
        self.changes = Changes()
        self.stale = False  # undone or redone elsewhere: its state is no longer what the stack says
        self._skip = True  # pushed after the operation ran: the first redo() is bookkeeping only

    def id(self) -> int:  # noqa: A003 - Qt override
        return NOTE_COMMAND_ID if self.kind == "note" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, OpCommand) or other.kind != "note" or other.subject != self.subject:
            return False
        self.op_ids.extend(other.op_ids)
        return True

    def redo(self) -> None:  # noqa: D401 - Qt override
        if self._skip:
            self._skip = False
            return
        from ..operations.history import redo  # when first used: start-up time

        self._run(redo, self.op_ids)

    def undo(self) -> None:
        if self._skip:
            self._skip = False
            return
        from ..operations.history import undo

        self._run(undo, list(reversed(self.op_ids)))

    def _run(self, verb: Callable, op_ids: list[str]) -> None:
        self.error = None
        self.changes = Changes()
        assert self.runner is not None
        try:
            for op_id in op_ids:
                done = verb(self.runner.store(), op_id, annotator=self.runner.annotator())
                for written in done.changes.op_ids:
                    self.runner.own(written)
                self.changes.merge(done.changes)
        except AnnotatorError as exc:
            self.error = exc


class UndoRunner:
    """The window's undo stack and how it keeps in step with the journal."""

    def __init__(self, stack: QUndoStack, store: Callable[[], Store], annotator: Callable[[], str],
                 own: Callable[[str], None] = lambda _op_id: None) -> None:
        self.stack = stack
        self.store = store
        self.annotator = annotator
        self.own = own  # told the journal entries an undo or redo writes (the window applies them itself)

    def push(self, op_id: str, text: str, *, kind: str = "", subject: str = "") -> None:
        """Record an operation that has just committed (nothing is pushed for one that changed nothing)."""
        if not op_id:
            return
        command = OpCommand(op_id, text, kind=kind, subject=subject)
        command.runner = self
        self.stack.push(command)

    def _at(self, offset: int) -> OpCommand | None:
        index = self.stack.index() + offset
        if 0 <= index < self.stack.count():
            command = self.stack.command(index)
            return command if isinstance(command, OpCommand) else None
        return None

    def undo(self) -> tuple[Changes | None, AnnotatorError | None]:
        """Undo the newest command that still stands; (what changed, or the refusal)."""
        while (command := self._at(-1)) is not None and command.stale:
            command.setObsolete(True)  # undone elsewhere already: drop it instead of undoing twice
            self.stack.undo()
        if command is None:
            return None, None
        self.stack.undo()
        if command.error is None:
            return command.changes, None
        error = command.error
        command._skip = True
        self.stack.redo()  # the file still holds the edit: so must the stack
        return None, error

    def redo(self) -> tuple[Changes | None, AnnotatorError | None]:
        while (command := self._at(0)) is not None and command.stale:
            command.setObsolete(True)
            self.stack.redo()
        if command is None:
            return None, None
        self.stack.redo()
        if command.error is None:
            return command.changes, None
        error = command.error
        command._skip = True
        self.stack.undo()
        return None, error

    def follow(self, entry: JournalEntry) -> None:
        """Take into account an entry written by another process."""
        if entry.annotator != self.annotator():
            return
        if entry.kind not in ("undo", "redo"):
            command = OpCommand(entry.id, entry.title, kind=entry.kind)
            command.runner = self
            self.stack.push(command)
            return
        done, undone = self._at(-1), self._at(0)
        if entry.kind == "undo" and done is not None and entry.target in done.op_ids:
            done._skip = True
            self.stack.undo()
        elif entry.kind == "redo" and undone is not None and entry.target in undone.op_ids:
            undone._skip = True
            self.stack.redo()
        else:
            for index in range(self.stack.count()):
                command = self.stack.command(index)
                if isinstance(command, OpCommand) and entry.target in command.op_ids:
                    command.stale = True
