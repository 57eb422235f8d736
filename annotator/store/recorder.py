"""Writing rows inside one operation, and keeping each row's image before and after for the journal.

A `Recorder` is what `Store.operation()` hands to an operation: every write goes through it, so the
journal entry it leaves (see journal.py) says exactly which rows changed and how. Images:

* insert: before None, after the whole row;
* update: before and after hold only the columns that changed (never a 20 MB text again);
* delete (undo of an insert only; the product's deletions are tombstones): before the whole row,
  after None.

Images are written in parts of PART_ROWS as the operation goes (bulk imports stream), and only
when the operation ends well: everything is one transaction.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Mapping, Sequence

from .. import jsontext
from ..errors import NotFoundError
from .changes import Changes
from . import search_index
from .codecs import KEYS
from .ids import now
from .sql import insert_sql, q, select_in

PART_ROWS = 2000
COMPRESS_OVER = 4096  # bytes of JSON above which a part is stored zlib-compressed
ARTICLE_OF = {"annotations": "article_id", "relations": "article_id", "decisions": "article_id", "texts": "article_id",
              "assignments": "article_id",
              "suggestions": "article_id", "suggestion_relations": "article_id"}
INDEXED = frozenset({"articles", "texts", "annotations"})  # what the full-text search covers (search_index.py)

Image = dict  # column -> value


@dataclass
class OpHead:
    """The head of a journal entry being recorded: who did which kind of operation, on what."""

    id: str
    kind: str
    annotator: str
    article_id: str | None = None
    batch_id: str | None = None
    target: str | None = None
    title: str = ""
    summary: str = ""


if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

_COMPRESSOR: list["ThreadPoolExecutor"] = []


def _compressor() -> "ThreadPoolExecutor":
    """The compressing thread, started by the first large part (here: the CLI starts without it)."""
    if not _COMPRESSOR:
        from concurrent.futures import ThreadPoolExecutor

        _COMPRESSOR.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal-zlib"))
    return _COMPRESSOR[0]


def decode_part(data: bytes | str) -> list[list]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data[:1] != b"[":
        data = zlib.decompress(data)
    return json.loads(data)


class Recorder:
    """The writes of one operation, inside its open transaction."""

    def __init__(self, conn: sqlite3.Connection, head: OpHead) -> None:
        self.conn = conn
        self.head = head
        self.changes = Changes()
        self._part: list[list] = []
        self._parts = 0
        self._rows = 0
        self._compressing: list[tuple[int, Future[bytes]]] = []  # parts being compressed, oldest first
        self._search_deferred = False

    # -- writing ---------------------------------------------------------------------------------

    def insert(self, table: str, row: Mapping[str, object]) -> None:
        columns = list(row)
        self.conn.execute(insert_sql(table, columns), tuple(row.values()))
        if table in INDEXED:
            search_index.after_insert(self.conn, table, [row])
        self._image(table, row[KEYS[table]], None, dict(row), row.get(ARTICLE_OF.get(table, ""), _article_key(table, row)))

    def insert_many(self, table: str, rows: Sequence[Mapping[str, object]], *, own_rows: bool = False) -> int:
        """Insert rows that all have the same columns, with one prepared statement. With `own_rows`
        the caller hands the row dicts over (it does not change them afterwards): the images are
        the rows themselves, not copies."""
        if not rows:
            return 0
        columns = list(rows[0])
        self.conn.executemany(insert_sql(table, columns), [tuple(r.values()) for r in rows])
        if table in INDEXED and not self._search_deferred:
            search_index.after_insert(self.conn, table, rows)
        key, article = KEYS[table], ARTICLE_OF.get(table)
        keys = [row[key] for row in rows]
        articles = [row.get(article) for row in rows] if article else [_article_key(table, row) for row in rows]
        self.changes.add_many(table, [str(k) for k in keys], [str(a) if a else None for a in articles])
        images = rows if own_rows else [dict(row) for row in rows]
        self._add_images([[table, k, None, image] for k, image in zip(keys, images)])
        return len(rows)

    def defer_search(self) -> None:
        """From here on, rows this operation inserts in batches (`insert_many`) are left for the
        search index's next `catch_up` (a bulk import; search_index.py says why that is right)."""
        if not self._search_deferred:
            search_index.mark_behind(self.conn)
            self._search_deferred = True

    def update(self, table: str, key: str, values: Mapping[str, object]) -> bool:
        """Set columns of one row; False (and nothing written) if they already hold these values."""
        return bool(self.update_many(table, [(key, values)], must_exist=True))

    def update_many(
        self, table: str, updates: Sequence[tuple[str, Mapping[str, object]]], *, must_exist: bool = True
    ) -> int:
        """Set columns of several rows (each its own values); returns how many rows changed."""
        if not updates:
            return 0
        key_column, article = KEYS[table], ARTICLE_OF.get(table)
        columns = sorted({c for _, values in updates for c in values})
        wanted = [key_column, *columns] + ([article] if article and article not in columns else [])
        current = {
            row[0]: dict(zip(wanted, row))
            for row in select_in(self.conn, f"SELECT {', '.join(map(q, wanted))} FROM {table} WHERE {q(key_column)} IN ({{}})",
                                 {k for k, _ in updates})
        }
        changed = 0
        reindexed: list[str] = []
        for key, values in updates:
            row = current.get(key)
            if row is None:
                if must_exist:
                    raise NotFoundError(f"no {table[:-1]} with id {key}")
                continue
            before = {c: row[c] for c in values if row[c] != values[c]}
            if not before:
                continue
            after = {c: values[c] for c in before}
            self.conn.execute(
                f"UPDATE {table} SET {', '.join(f'{q(c)} = ?' for c in after)} WHERE {q(key_column)} = ?",
                (*after.values(), key),
            )
            row.update(after)
            if table in INDEXED:
                if table == "texts":
                    search_index.after_update(self.conn, table, key, before, after)
                elif search_index.reindexes(table, before):
                    reindexed.append(key)
            self._image(table, key, before, after, row.get(article) if article else _article_key(table, row))
            changed += 1
        if reindexed:
            search_index.rows_changed(self.conn, table, reindexed)
        return changed

    def set_meta(self, key: str, value: str) -> bool:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.insert("meta", {"key": key, "value": value})
            return True
        return self.update("meta", key, {"value": value})

    def delete(self, table: str, key: str) -> None:
        """Remove a row for good (only undo does this: the product's own deletions are tombstones)."""
        key_column = KEYS[table]
        cursor = self.conn.execute(f"SELECT * FROM {table} WHERE {q(key_column)} = ?", (key,))
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        if row is None:
            return
        before = dict(zip(names, row))
        self.conn.execute(f"DELETE FROM {table} WHERE {q(key_column)} = ?", (key,))
        if table in INDEXED:
            search_index.after_delete(self.conn, table, before)
        self._image(table, key, before, None, before.get(ARTICLE_OF.get(table, ""), _article_key(table, before)))

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the operation that is undone alone on error (one file of a batch import)."""
        self._drain()  # parts before the savepoint are written before it
        state = (list(self._part), self._parts, self._rows, copy.deepcopy(self.changes))
        self.conn.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            self._compressing = []  # parts of the part undone: never written
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO part")
                self.conn.execute("RELEASE part")
            self._part, self._parts, self._rows, self.changes = state
            raise
        else:
            self.conn.execute("RELEASE part")

    # -- undo and redo ---------------------------------------------------------------------------

    def differs(self, table: str, key: str, expected: Image | None) -> bool:
        """Whether the row is no longer as `expected` (None: absent; else those columns' values)."""
        key_column = KEYS[table]
        if expected is None:
            return self.conn.execute(f"SELECT 1 FROM {table} WHERE {q(key_column)} = ?", (key,)).fetchone() is not None
        columns = list(expected)
        row = self.conn.execute(
            f"SELECT {', '.join(map(q, columns))} FROM {table} WHERE {q(key_column)} = ?", (key,)
        ).fetchone()
        return row is None or list(row) != [expected[c] for c in columns]

    def put(self, table: str, key: str, current: Image | None, target: Image | None) -> None:
        """Bring a row from the image `current` to `target` (None: the row absent)."""
        if target is None:
            self.delete(table, key)
        elif current is None:
            self.insert(table, target)
        else:
            self.update(table, key, target)

    # -- the journal -----------------------------------------------------------------------------

    def _image(self, table: str, key: object, before: Image | None, after: Image | None, article: object) -> None:
        self.changes.add(table, str(key), str(article) if article else None)
        self._add_images([[table, key, before, after]])

    def _add_images(self, images: list[list]) -> None:
        """Append images to the current part, writing each part as it reaches PART_ROWS."""
        self._rows += len(images)
        done = 0
        while done < len(images):
            room = PART_ROWS - len(self._part)
            self._part += images[done : done + room]
            done += room
            if len(self._part) >= PART_ROWS:
                self._flush()

    def _flush(self) -> None:
        """Write the current part of images. A large part is compressed on another thread (zlib lets
        go of the GIL) while the operation goes on; at most two wait, and all are written by `finish`."""
        if not self._part:
            return
        data = jsontext.dumps_bytes(self._part)
        if len(data) > COMPRESS_OVER:
            self._compressing.append((self._parts, _compressor().submit(zlib.compress, data, 1)))
            while len(self._compressing) > 2:
                self._write_part(*self._compressing.pop(0))
        else:
            self._write_part(self._parts, data)
        self._parts += 1
        self._part = []

    def _write_part(self, part: int, data: "bytes | Future[bytes]") -> None:
        if not isinstance(data, bytes):
            data = data.result()
        self.conn.execute("INSERT INTO journal_changes(op_id, part, data) VALUES (?, ?, ?)", (self.head.id, part, data))

    def _drain(self) -> None:
        while self._compressing:
            self._write_part(*self._compressing.pop(0))

    def finish(self) -> Changes:
        """Write the journal entry (nothing if nothing changed); returns what changed."""
        if not self._rows:
            return Changes()
        self._flush()
        self._drain()
        head = self.head
        self.conn.execute(
            "INSERT INTO journal(id, kind, annotator, at, article_id, batch_id, target, title, summary, changes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (head.id, head.kind, head.annotator, now(), head.article_id, head.batch_id, head.target,
             head.title or head.kind, head.summary or head.title or head.kind,
             json.dumps(self.changes.to_record(), ensure_ascii=False, separators=(",", ":"))),
        )
        self.changes.op_id = head.id
        return self.changes


def _article_key(table: str, row: Mapping[str, object]) -> object:
    return row.get("id") if table == "articles" else None
