"""Reading a colleague's project file, without writing to it or beside it, within limits.

Files of any version from 1 to this app's are read (version 4 moved article text into `texts`,
version 5 added `foreign_data`). Every row goes through the table's codec, so a malformed value is
reported with its table, row and column instead of failing somewhere later.

A colleague's file may be damaged or hostile, so it is read with limits (`Limits`):

* only the columns this app knows are selected, and a table whose column is generated (computed on
  read: `GENERATED ALWAYS AS (zeroblob(900000000))`) or virtual is refused before any row is read;
* each value's size is checked in SQL (`length(...)`) before the value is fetched: a text over 20
  million characters, a note over a million, ..., is refused naming its table, row and column;
* SQLite itself refuses to load any value over `Limits.value_bytes` (`SQLITE_LIMIT_LENGTH`), the
  backstop for what `length()` would have to load; the row is then found by bisecting the rowids;
* the total work is bounded: the rows of the three tables, the rows of one article, and the
  characters of text read in all.

So a hostile file is refused in seconds, with the memory of one value at most.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import ProjectDamagedError, ProjectError
from ..model import Annotation, Article, Assignment, Relation
from . import codecs
from .assignments import assignment_from_row
from .connection import BUSY_TIMEOUT_SECONDS, OUR_TABLES, refuse_non_sqlite, translate
from .migrations import SCHEMA_VERSION


@dataclass(frozen=True)
class Limits:
    """What a colleague's file may hold (characters of a value, rows, total characters)."""

    text: int = 20_000_000  # an article's text, a span's quote, the blocks of a text
    note: int = 1_000_000  # a note, attributes, authors, a tool's foreign data (JSON)
    field: int = 100_000  # everything else: ids, labels, names, timestamps, metadata, prefix and suffix
    value_bytes: int = 96_000_000  # any value SQLite loads (the backstop; a text of 20M characters is ≤ 80 MB)
    rows: int = 10_000_000  # articles, annotations and relations together
    rows_per_article: int = 1_000_000  # annotations (or relations) of one article
    total_text: int = 4_000_000_000  # characters of all texts read

    def of(self, column: str) -> int:
        if column in ("text", "quote", "blocks"):
            return self.text
        if column in ("note", "attributes", "authors", "foreign_data"):
            return self.note
        return self.field


# Columns that are numbers (no size to check).
_NUMBERS = frozenset({"start", "end", "deleted", "length"})
_LEGACY_ARTICLE_COLUMNS = ("text", "blocks")  # in `articles` before version 4


class ColleagueProject:
    """A colleague's project, open for reading only."""

    def __init__(self, conn: sqlite3.Connection, path: Path, version: int, tables: set[str],
                 limits: Limits = Limits()) -> None:
        self.conn = conn
        self.path = path
        self.version = version
        self.limits = limits
        self._has_texts = "texts" in tables
        self._has_assignments = "assignments" in tables  # from version 6
        self._columns = {table: self._readable_columns(table) for table in (*sorted(OUR_TABLES), *(
            ("texts",) if self._has_texts else ()), *(("assignments",) if self._has_assignments else ()))}
        self._text_read = 0
        self._check_sizes()

    @classmethod
    def open(cls, path: str | Path, *, timeout: float = BUSY_TIMEOUT_SECONDS, limits: Limits = Limits()) -> "ColleagueProject":
        """Open for reading only. With no ``-wal`` file beside it (a file that was sent or copied)
        the file is opened ``immutable``: no lock, no ``-shm`` or ``-wal`` made, bytes and mtime
        untouched, and read-only media work. With a ``-wal`` (their app may be open) it is opened
        ``mode=ro`` to see their latest changes; the main file is still never written."""
        path = Path(path)
        if not path.exists():
            raise ProjectError(f"{path}: no such project file")
        refuse_non_sqlite(path)
        wal = path.with_name(path.name + "-wal")
        query = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=timeout,
                                   isolation_level=None, check_same_thread=False)
            conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limits.value_bytes)
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA query_only = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DataError:
            raise ProjectDamagedError(f"{path}: its schema holds a value too large to read; not a project made by "
                                      "News Annotator") from None
        except sqlite3.DatabaseError as exc:
            raise translate(exc, path) from None
        if version > SCHEMA_VERSION:
            conn.close()
            raise ProjectError(
                f"{path}: made by a newer News Annotator (file version {version}, this one reads up to "
                f"{SCHEMA_VERSION}); update the app to merge it"
            )
        if version < 1 or not OUR_TABLES <= tables:
            conn.close()
            raise ProjectError(f"{path}: not a News Annotator project")
        try:
            return cls(conn, path, version, tables, limits)
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "ColleagueProject":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what may be read ------------------------------------------------------------------------

    def _readable_columns(self, table: str) -> tuple[str, ...]:
        """The columns of `table` this app reads, refusing a table that computes any of them."""
        try:
            sql = self.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
            info = self.conn.execute(f"PRAGMA table_xinfo({table})").fetchall()
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None
        if sql and isinstance(sql[0], str) and sql[0].lstrip().upper().startswith("CREATE VIRTUAL"):
            raise ProjectDamagedError(f"{self.path}: table {table} is a virtual table; not a project made by News Annotator")
        known = set(codecs.COLUMNS[table]) | (set(_LEGACY_ARTICLE_COLUMNS) if table == "articles" else set())
        present = []
        for _cid, name, _type, _notnull, _default, _pk, hidden in info:
            if name not in known:
                continue
            if hidden:
                raise ProjectDamagedError(
                    f"{self.path}: column {name} of table {table} is computed when read (a generated column); "
                    "not a project made by News Annotator, nothing was read"
                )
            present.append(name)
        return tuple(present)

    def _check_sizes(self) -> None:
        """Refuse a file with more rows than a colleague's file is read with, before reading them."""
        counts = {t: self._scalar(f"SELECT count(*) FROM {t}") for t in sorted(OUR_TABLES)}
        if self._has_assignments and (assigned := self._scalar("SELECT count(*) FROM assignments")):
            counts["assignments"] = assigned
        total = sum(counts.values())
        if total > self.limits.rows:
            shown = ", ".join(f"{n:,} {t}" for t, n in counts.items())
            raise ProjectError(f"{self.path}: holds {total:,} rows ({shown}); a colleague's project is read up to "
                               f"{self.limits.rows:,}; nothing was read")

    def _scalar(self, sql: str, params: tuple = ()) -> int:
        try:
            value = self.conn.execute(sql, params).fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None
        return value or 0

    # -- rows, each value's size checked before it is fetched -------------------------------------

    def _select(self, columns: Sequence[str]) -> str:
        """The select list: each value (NULL when over its limit), then the first column over its limit."""
        values, checks = [], []
        for column in columns:
            quoted = f'"{column}"'
            if column in _NUMBERS:
                values.append(quoted)
                continue
            limit = self.limits.of(column)
            values.append(f"CASE WHEN length({quoted}) <= {limit} THEN {quoted} END")
            checks.append(f"WHEN length({quoted}) > {limit} THEN '{column}'")
        over = f"CASE {' '.join(checks)} END" if checks else "NULL"
        return ", ".join([*values, over])

    def _rows(self, table: str, columns: Sequence[str], where: str = "", params: tuple = (), order: str = "",
              limit: int | None = None, what: str = "") -> Iterator[dict]:
        try:
            yield from self._checked_rows(table, columns, where, params, order, limit, what)
        except codecs.RowError as exc:
            raise exc.in_file(self.path) from None

    def _checked_rows(self, table: str, columns: Sequence[str], where: str, params: tuple, order: str,
                      limit: int | None, what: str) -> Iterator[dict]:
        sql = f"SELECT rowid, {self._select(columns)} FROM {table} {where} {order}"
        count = 0
        try:
            for raw in self.conn.execute(sql, params):
                if raw[-1] is not None:
                    raise self._too_large(table, raw[0], raw[-1])
                count += 1
                if limit is not None and count > limit:
                    raise ProjectError(f"{self.path}: {what} holds more than {limit:,} {table}; a colleague's "
                                       "project is read up to that many per article; nothing was merged")
                yield dict(zip(columns, raw[1:-1]))
        except sqlite3.DataError:  # a value over SQLite's own limit: find which
            raise self._oversized(table, columns) from None
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def _too_large(self, table: str, rowid: int, column: str) -> codecs.RowError:
        size = self._scalar(f'SELECT length("{column}") FROM {table} WHERE rowid = ?', (rowid,))
        limit = self.limits.of(column)
        return codecs.RowError(table, self._key_of(table, rowid), column, f"holds {size:,} characters; a colleague's "
                               f"project is read with at most {limit:,} there, nothing was merged")

    def _oversized(self, table: str, columns: Sequence[str]) -> Exception:
        """The RowError for a row with a value SQLite refuses to load, found by bisecting the rowids."""
        probe = " OR ".join(f'length("{c}") IS NULL' for c in columns if c not in _NUMBERS) or "0"

        def loads(low: int, high: int) -> bool:
            try:
                self.conn.execute(f"SELECT count(*) FROM {table} WHERE rowid BETWEEN ? AND ? AND ({probe})",
                                  (low, high)).fetchone()
            except sqlite3.DataError:
                return False
            return True

        low, high = self.conn.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchone()
        if low is None or loads(low, high):
            return ProjectDamagedError(f"{self.path}: table {table} holds a value too large to read")
        while low < high:  # a row in [low, high] cannot be loaded
            middle = (low + high) // 2
            if loads(low, middle):
                low = middle + 1
            else:
                high = middle
        for column in columns:
            try:
                self.conn.execute(f'SELECT length("{column}") FROM {table} WHERE rowid = ?', (low,)).fetchone()
            except sqlite3.DataError:
                return codecs.RowError(table, self._key_of(table, low), column, f"holds more than "
                                       f"{self.limits.value_bytes:,} bytes; a colleague's project is read with far "
                                       "less there, nothing was merged")
        return ProjectDamagedError(f"{self.path}: table {table} holds a value too large to read")

    def _key_of(self, table: str, rowid: int) -> str:
        column = codecs.KEYS[table]
        try:
            row = self.conn.execute(f'SELECT "{column}" FROM {table} WHERE rowid = ? AND length("{column}") <= ?',
                                    (rowid, self.limits.field)).fetchone()
        except sqlite3.DataError:
            row = None
        return row[0] if row and isinstance(row[0], str) else f"(rowid {rowid})"

    # -- reading -----------------------------------------------------------------------------------

    def article_count(self) -> int:
        return self._scalar("SELECT count(*) FROM articles")

    def annotators(self) -> list[str]:
        return list(self.annotation_counts())

    def annotation_counts(self) -> dict[str, int]:
        """Live annotations per annotator (a name over the size limit is refused when its rows are read)."""
        sql = (f"SELECT annotator, count(*) FROM annotations WHERE deleted = 0 AND length(annotator) <= "
               f"{self.limits.field} GROUP BY annotator ORDER BY annotator")
        try:
            return {name: n for name, n in self.conn.execute(sql) if isinstance(name, str)}
        except sqlite3.DataError:
            error = self._oversized("annotations", ("annotator",))
            raise error.in_file(self.path) if isinstance(error, codecs.RowError) else error from None
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def articles(self) -> Iterator[Article]:
        """Their articles, in id order, each with its text and blocks."""
        columns = self._columns["articles"]
        if not self._has_texts:
            for row in self._rows("articles", columns, order="ORDER BY id"):
                yield self._article(row, row.get("text"), row.get("blocks"))
            return
        for row in self._rows("articles", columns, order="ORDER BY id"):
            key = row.get("id")
            found = list(self._rows("texts", self._columns["texts"], "WHERE article_id = ?", (key,)))
            if not found:
                raise codecs.RowError("articles", key, "text", "has no row in texts", self.path)
            yield self._article(row, found[0].get("text"), found[0].get("blocks"))

    def _article(self, row: dict, text: object, blocks: object) -> Article:
        try:
            return self._article_of(row, text, blocks)
        except codecs.RowError as exc:
            raise exc.in_file(self.path) from None

    def _article_of(self, row: dict, text: object, blocks: object) -> Article:
        key = row.get("id")
        if not isinstance(text, str):
            raise codecs.RowError("texts" if self._has_texts else "articles", key, "text", "is not text")
        self._text_read += len(text)
        if self._text_read > self.limits.total_text:
            raise ProjectError(f"{self.path}: holds more than {self.limits.total_text:,} characters of text; a "
                               "colleague's project is read up to that many; nothing was merged")
        return codecs.article_from_row(row, text, codecs.blocks_from_json(str(key), blocks))  # type: ignore[arg-type]

    def iter_annotations_of(self, article_id: str) -> Iterator[Annotation]:
        for row in self._rows("annotations", self._columns["annotations"], "WHERE article_id = ?", (article_id,),
                              "ORDER BY created, id", limit=self.limits.rows_per_article, what=f"article {article_id}"):
            yield self._decoded(codecs.annotation_from_row, row)

    def iter_relations_of(self, article_id: str) -> Iterator[Relation]:
        for row in self._rows("relations", self._columns["relations"], "WHERE article_id = ?", (article_id,),
                              "ORDER BY created, id", limit=self.limits.rows_per_article, what=f"article {article_id}"):
            yield self._decoded(codecs.relation_from_row, row)

    def _decoded(self, codec, row: dict):
        try:
            return codec(row)
        except codecs.RowError as exc:
            raise exc.in_file(self.path) from None

    def assignments_of(self, article_id: str) -> list[Assignment]:
        """Who the article is assigned to in their project (tombstones too); none before version 6."""
        if not self._has_assignments:
            return []
        rows = self._rows("assignments", self._columns["assignments"], "WHERE article_id = ?", (article_id,),
                          "ORDER BY analyst", limit=self.limits.rows_per_article, what=f"article {article_id}")
        return [self._decoded(assignment_from_row, row) for row in rows]

    def annotations_of(self, article_id: str) -> list[Annotation]:
        return list(self.iter_annotations_of(article_id))

    def relations_of(self, article_id: str) -> list[Relation]:
        return list(self.iter_relations_of(article_id))
