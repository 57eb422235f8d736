"""Reading the journal: entries since a point, history, the row images of an entry, undo state.

The journal is written by `Recorder.finish` and never changed afterwards (triggers refuse it). An
entry's `kind` is the operation ("tag", "relabel", ..., "merge"), or "undo" / "redo" with `target`
naming the entry undone or redone. Whether an entry currently stands is read from the newest
undo/redo entry that targets it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Iterable, Iterator

from .changes import Changes
from .recorder import decode_part

UNDO_KINDS = ("undo", "redo")
_COLUMNS = "seq, id, kind, annotator, at, article_id, batch_id, target, title, summary, changes"


@dataclass(frozen=True)
class JournalEntry:
    """One entry of the project's journal, as read back."""

    seq: int
    id: str
    kind: str
    annotator: str
    at: str
    article_id: str | None
    batch_id: str | None
    target: str | None
    title: str
    summary: str
    changes: Changes

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "time": self.at,
            "annotator": self.annotator,
            "kind": self.kind,
            "article": self.article_id,
            "summary": self.summary,
            "title": self.title,
            "batch": self.batch_id,
            "target": self.target,
        }


def _entry(row: tuple) -> JournalEntry:
    seq, id_, kind, annotator, at, article_id, batch_id, target, title, summary, changes = row
    try:
        record = json.loads(changes)
    except ValueError:
        record = {}
    return JournalEntry(seq, id_, kind, annotator, at, article_id, batch_id, target, title, summary,
                        Changes.from_record(id_, record if isinstance(record, dict) else {}))


def latest_seq(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()[0]


def since(conn: sqlite3.Connection, seq: int, limit: int = 1000) -> list[JournalEntry]:
    """Entries committed after `seq`, oldest first."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM journal WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit))
    return [_entry(r) for r in rows]


def entry(conn: sqlite3.Connection, op_id: str) -> JournalEntry | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM journal WHERE id = ?", (op_id,)).fetchone()
    return _entry(row) if row else None


def batch(conn: sqlite3.Connection, batch_id: str) -> list[JournalEntry]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM journal WHERE batch_id = ? ORDER BY seq", (batch_id,))
    return [_entry(r) for r in rows]


def history(
    conn: sqlite3.Connection, *, article_id: str | None = None, annotator: str | None = None, limit: int = 50,
    kinds_excluded: tuple[str, ...] = (),
) -> list[JournalEntry]:
    """Entries newest first, optionally of one article and/or one annotator."""
    sql = f"SELECT {_COLUMNS} FROM journal WHERE 1 = 1"
    params: list[object] = []
    if article_id is not None:
        sql += " AND article_id = ?"
        params.append(article_id)
    if annotator is not None:
        sql += " AND annotator = ?"
        params.append(annotator)
    if kinds_excluded:
        sql += f" AND kind NOT IN ({', '.join('?' * len(kinds_excluded))})"
        params.extend(kinds_excluded)
    sql += " ORDER BY seq DESC LIMIT ?"
    params.append(limit)
    return [_entry(r) for r in conn.execute(sql, params)]


def standing(conn: sqlite3.Connection, op_ids: list[str]) -> dict[str, bool]:
    """For each entry: True while it stands (never undone, or redone after its last undo)."""
    state = {op_id: True for op_id in op_ids}
    for i in range(0, len(op_ids), 500):
        part = op_ids[i : i + 500]
        rows = conn.execute(
            f"SELECT target, kind FROM journal WHERE target IN ({', '.join('?' * len(part))}) ORDER BY seq", part
        )
        for target, kind in rows:
            state[target] = kind == "redo"
    return state


def newest_standing(conn: sqlite3.Connection, annotator: str) -> JournalEntry | None:
    """The annotator's newest entry (not an undo or redo) that stands, as `standing` decides it:
    one indexed query, however many of the newest entries are undone."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM journal j WHERE annotator = ? AND kind NOT IN ('undo', 'redo') "
        "AND coalesce((SELECT u.kind FROM journal u WHERE u.target = j.id ORDER BY u.seq DESC LIMIT 1), 'redo') = 'redo' "
        "ORDER BY seq DESC LIMIT 1",
        (annotator,),
    ).fetchone()
    return _entry(row) if row else None


def last_undo(conn: sqlite3.Connection, annotator: str) -> JournalEntry | None:
    """The annotator's newest undo entry, if nothing but undos and redos came after it."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM journal WHERE annotator = ? ORDER BY seq DESC LIMIT 500", (annotator,)
    )
    for row in rows:
        found = _entry(row)
        if found.kind == "undo":
            return found
        if found.kind != "redo":
            return None
    return None


def images(conn: sqlite3.Connection, op_id: str, newest_first: bool = False) -> Iterator[list]:
    """The entry's row images, [table, key, before, after], in the order they were written (or
    newest first, the order undo applies them). One part is in memory at a time, and no cursor
    stays open on the journal while the caller writes its own entry."""
    order = "DESC" if newest_first else "ASC"
    parts = [p for (p,) in conn.execute(f"SELECT part FROM journal_changes WHERE op_id = ? ORDER BY part {order}", (op_id,))]
    for part in parts:
        (data,) = conn.execute("SELECT data FROM journal_changes WHERE op_id = ? AND part = ?", (op_id, part)).fetchone()
        changes = decode_part(data)
        yield from (reversed(changes) if newest_first else changes)


def after(conn: sqlite3.Connection, seq: int, articles: Iterable[str] | None = None) -> list[JournalEntry]:
    """The operations (not undos or redos) committed after `seq`, oldest first; with `articles`,
    only those of these articles and the project-wide ones (imports, merges, schema changes)."""
    sql = f"SELECT {_COLUMNS} FROM journal WHERE seq > ? AND kind NOT IN ('undo', 'redo')"
    params: list[object] = [seq]
    if articles is not None:
        sql += " AND (article_id IS NULL OR article_id IN (SELECT value FROM json_each(?)))"
        params.append(json.dumps(sorted(articles)))
    return [_entry(r) for r in conn.execute(sql + " ORDER BY seq", params)]


def later_entry_touching(conn: sqlite3.Connection, seq: int, key: str) -> JournalEntry | None:
    """The first entry after `seq` whose changes list `key` (who changed a row since)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM journal WHERE seq > ? AND instr(changes, ?) > 0 ORDER BY seq LIMIT 1",
        (seq, json.dumps(key)),
    )
    row = rows.fetchone()
    return _entry(row) if row else None


def journal_size(conn: sqlite3.Connection) -> tuple[int, int]:
    """(entries, bytes) of the journal: its rows' text plus the images."""
    entries, head = conn.execute(
        "SELECT count(*), coalesce(sum(length(CAST(id || kind || annotator || at || coalesce(article_id, '') || "
        "coalesce(batch_id, '') || coalesce(target, '') || title || summary || changes AS BLOB))), 0) FROM journal"
    ).fetchone()
    parts = conn.execute("SELECT coalesce(sum(length(data)), 0) FROM journal_changes").fetchone()[0]
    return entries, head + parts
