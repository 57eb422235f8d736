"""Undo and redo from the journal, for every front end: the window's Undo is `undo(op_id)` too.

* **Undo** of an entry puts back exactly the rows it had before (a tombstone stays a tombstone; a
  row the entry created is removed) and appends an "undo" entry; **redo** puts back the rows it had
  after and appends a "redo" entry. An entry of a batch (one import committed in parts) takes the
  whole batch along, in one transaction.
* Before anything is written, every row is checked to be as the entry left it (undo) or found it
  (redo). If someone changed one since, nothing is changed and the message names who and what.
* Defaults: `undo()` takes the newest entry of the annotator that still stands; `redo()` the entry
  of the annotator's newest undo, as long as nothing but undos and redos came after it.
* Undoing an "undo" entry is a redo of its target, and the reverse.

Restoring the exact rows means an undone edit also gets its old `updated` stamp back: a colleague's
copy of the undone edit, merged later, counts as newer (see docs/architecture.md).
"""

from __future__ import annotations

from ..errors import ConstraintError, NotFoundError, ProjectError, ValidationError
from ..store import UNDO_KINDS, Changes, JournalEntry, Store, new_op_id
from .result import Done, who


def short_op(op_id: str) -> str:
    """An operation id for messages: a UUIDv7's millisecond and sequence (its first 18 characters)."""
    return op_id[:18]


class UndoConflict(ValidationError):
    """The rows an undo or redo would restore were changed since; nothing was changed."""


def history(
    store: Store, *, article_id: str | None = None, annotator: str | None = None, limit: int = 50
) -> list[tuple[JournalEntry, bool]]:
    """Entries newest first, each with whether it stands (False: undone)."""
    entries = store.history(article_id=article_id, annotator=annotator, limit=limit)
    state = store.standing([e.id for e in entries if e.kind not in UNDO_KINDS])
    return [(e, state.get(e.id, True)) for e in entries]


def undoable(store: Store, annotator: str) -> JournalEntry | None:
    """The newest entry of `annotator` that stands (what `undo()` without an id takes)."""
    return store.newest_standing(annotator)


def redoable(store: Store, annotator: str) -> JournalEntry | None:
    """The entry that `redo()` without an id takes, if any."""
    last = store.last_undo(annotator)
    if last is None or last.target is None:
        return None
    target = store.journal_entry(last.target)
    return None if store.standing([target.id])[target.id] else target


def undo(store: Store, op_id: str | None = None, *, annotator: str) -> Done[JournalEntry]:
    """Undo entry `op_id` (default: the annotator's newest standing entry); the value is the entry undone."""
    annotator = who(annotator)
    entry = _target(store, op_id, annotator, "undo")
    if entry.kind in UNDO_KINDS:
        return redo(store, entry.target, annotator=annotator) if entry.kind == "undo" else \
            undo(store, entry.target, annotator=annotator)
    return _apply(store, entry, annotator, "undo")


def redo(store: Store, op_id: str | None = None, *, annotator: str) -> Done[JournalEntry]:
    """Redo entry `op_id` (default: the one undone last by the annotator); the value is the entry redone."""
    annotator = who(annotator)
    entry = _target(store, op_id, annotator, "redo")
    if entry.kind in UNDO_KINDS:
        return undo(store, entry.target, annotator=annotator) if entry.kind == "undo" else \
            redo(store, entry.target, annotator=annotator)
    return _apply(store, entry, annotator, "redo")


def _target(store: Store, op_id: str | None, annotator: str, verb: str) -> JournalEntry:
    if op_id is not None:
        return store.journal_entry(op_id)
    found = undoable(store, annotator) if verb == "undo" else redoable(store, annotator)
    if found is None:
        raise NotFoundError(f"nothing of {annotator}'s to {verb}")
    return found


def _apply(store: Store, entry: JournalEntry, annotator: str, verb: str) -> Done[JournalEntry]:
    entries = store.batch(entry.batch_id) if entry.batch_id else [entry]
    state = store.standing([e.id for e in entries])
    wanted_standing = verb == "undo"
    group = [e for e in entries if state[e.id] == wanted_standing]
    if not group:
        raise ValidationError(f"“{entry.summary}” is {'already undone' if verb == 'undo' else 'not undone'}")
    if verb == "undo":
        group.reverse()
    batch_id = new_op_id() if len(group) > 1 else None
    changes = Changes()
    try:
        with store.transaction():
            for one in group:
                _check(store, one, verb)
            for one in group:
                changes.merge(_write(store, one, annotator, verb, batch_id))
    except ConstraintError as exc:
        reason = "rows made since depend on what it would remove"
        if "decisions." in str(exc):
            reason = "one comparison cannot have two standing decisions, and it has been decided again since"
        raise UndoConflict(f"cannot {verb} “{entry.summary}”: {reason}; nothing was changed") from None
    changes.op_id = changes.op_ids[-1]
    return Done(entry, changes)


def _check(store: Store, entry: JournalEntry, verb: str) -> None:
    """Refuse when a row of the entry was changed since: by a later operation that still stands
    (whatever the values now, so that undos never cross each other), or not as the entry left it."""
    conn = store.conn
    from ..store.recorder import Recorder, OpHead  # the recorder checks rows the way it writes them

    probe = Recorder(conn, OpHead("", "", ""))
    later = store.operations_after(entry.seq, None if entry.changes.overflow else entry.changes.articles)
    state = store.standing([e.id for e in later])
    standing_later = [e for e in later if state[e.id]]
    # A row written twice by one operation (an article inserted, then marked in progress) has two
    # images: only the last (for undo; the first, for redo) says what each column must hold now.
    seen: dict[tuple[str, str], set[str] | None] = {}  # columns checked; None: the row must be absent
    for table, key, before, after in store.images(entry.id, newest_first=verb == "undo"):
        expected, other = (after, before) if verb == "undo" else (before, after)
        mark = (table, str(key))
        crossing = next((e for e in standing_later if e.changes.touches(table, str(key))), None)
        if crossing is not None:
            _refuse(store, entry, verb, table, key, crossing)
        if mark in seen:
            columns = seen[mark]
            if columns is None or expected is None:
                continue
            expected = {c: v for c, v in expected.items() if c not in columns}
            if not expected:
                continue
            columns.update(expected)
        elif expected is None:
            seen[mark] = None
        elif other is not None:  # an update: the row may have other images in this entry
            seen[mark] = set(expected)
        if probe.differs(table, key, expected):
            _refuse(store, entry, verb, table, key, store.later_entry_touching(entry.seq, str(key)))


def _refuse(store: Store, entry: JournalEntry, verb: str, table: str, key: object, later: JournalEntry | None) -> None:
    """Raise the conflict: which row of `entry` is in the way, and who changed it since."""
    what = {"annotations": "annotation", "relations": "relation", "articles": "article",
            "decisions": "decision", "meta": "the label schema", "texts": "article", "suggestions": "suggestion",
            "suggestion_relations": "suggested relation"}.get(table, table)
    # suggestion ids are UUIDv7: their first 8 characters are a time shared by a whole run
    name = what if table == "meta" else f"{what} {str(key)[:18 if table.startswith('suggestion') else 8]}"
    if later is not None:
        by = f"by {later.annotator} (“{later.summary}”, {short_op(later.id)})"
    else:
        by = "outside the journal"
    raise UndoConflict(
        f"cannot {verb} “{entry.summary}” ({short_op(entry.id)}): {name} was changed since {by}; "
        "nothing was changed"
    )


def _write(store: Store, entry: JournalEntry, annotator: str, verb: str, batch_id: str | None) -> Changes:
    title = f"{verb} {entry.title}"
    with store.operation(verb, annotator, article_id=entry.article_id, batch_id=batch_id, target=entry.id,
                         title=title, summary=f"{verb} {entry.summary}") as op:
        if verb == "undo":
            for table, key, before, after in store.images(entry.id, newest_first=True):
                op.put(table, key, after, before)
        else:
            for table, key, before, after in store.images(entry.id):
                op.put(table, key, before, after)
    if not op.changes:
        raise ProjectError(f"{entry.id}: the journal entry holds no rows to {verb}")
    return op.changes


def replay(source: Store, target: Store, *, annotator: str, since: int = 0) -> int:
    """Apply `source`'s journal entries after `since` (oldest first) onto `target`, row image by row
    image, each as one entry of `target`'s own journal; returns how many were applied.

    `target` must hold the rows `source` held before the first entry replayed (a copy of its
    project then): each image is checked like a redo, so a target that differs refuses the entry."""
    applied = 0
    for entry in source.journal_since(since, limit=1_000_000):
        try:
            _replay_one(source, target, entry, annotator)
        except ConstraintError:
            raise UndoConflict(f"cannot replay “{entry.summary}”: the target lacks rows it refers to") from None
        applied += 1
    return applied


def _replay_one(source: Store, target: Store, entry: JournalEntry, annotator: str) -> None:
    images = list(source.images(entry.id))
    with target.operation("replay", who(annotator), article_id=entry.article_id, title=f"replay {entry.title}",
                          summary=f"replay {entry.summary} ({entry.id})") as op:
        for table, key, before, after in images:
            if op.differs(table, key, before):
                raise UndoConflict(f"cannot replay “{entry.summary}”: {table} {key} is not as it was before it")
            op.put(table, key, before, after)
