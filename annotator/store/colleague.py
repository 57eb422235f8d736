"""Reading a colleague's project file, without writing to it or beside it.

Files of any version from 1 to this app's are read (version 4 moved article text into `texts`).
Every row goes through the table's codec, so a malformed value is reported with its table, row
and column instead of failing somewhere later.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterator

from ..errors import ProjectError
from ..model import Annotation, Article, Relation
from . import codecs
from .connection import BUSY_TIMEOUT_SECONDS, OUR_TABLES, refuse_non_sqlite, translate
from .migrations import SCHEMA_VERSION


class ColleagueProject:
    """A colleague's project, open for reading only."""

    def __init__(self, conn: sqlite3.Connection, path: Path, version: int, tables: set[str]) -> None:
        self.conn = conn
        self.path = path
        self.version = version
        self._has_texts = "texts" in tables

    @classmethod
    def open(cls, path: str | Path, *, timeout: float = BUSY_TIMEOUT_SECONDS) -> "ColleagueProject":
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
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA query_only = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
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
        return cls(conn, path, version, tables)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "ColleagueProject":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: tuple = ()) -> Iterator[dict]:
        try:
            cursor = self.conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            for row in cursor:
                yield dict(zip(names, row))
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def article_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def annotators(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT annotator FROM annotations WHERE deleted = 0 ORDER BY annotator")]

    def annotation_counts(self) -> dict[str, int]:
        """Live annotations per annotator."""
        return dict(self.conn.execute(
            "SELECT annotator, count(*) FROM annotations WHERE deleted = 0 GROUP BY annotator ORDER BY annotator"))

    def articles(self) -> Iterator[Article]:
        """Their articles, in id order, each with its text and blocks."""
        if self._has_texts:
            sql = "SELECT a.*, t.text AS text, t.blocks AS blocks FROM articles a JOIN texts t ON t.article_id = a.id ORDER BY a.id"
        else:
            sql = "SELECT * FROM articles ORDER BY id"
        for row in self._rows(sql):
            key = row.get("id")
            text = row.get("text")
            if not isinstance(text, str):
                raise codecs.RowError("articles", key, "text", "is not text")
            yield codecs.article_from_row(row, text, codecs.blocks_from_json(str(key), row.get("blocks")))  # type: ignore[arg-type]

    def annotations_of(self, article_id: str) -> list[Annotation]:
        return [codecs.annotation_from_row(r) for r in self._rows(
            "SELECT * FROM annotations WHERE article_id = ? ORDER BY created, id", (article_id,))]

    def relations_of(self, article_id: str) -> list[Relation]:
        return [codecs.relation_from_row(r) for r in self._rows(
            "SELECT * FROM relations WHERE article_id = ? ORDER BY created, id", (article_id,))]
