"""SQL text helpers of the store's modules: quoting a column, an INSERT, and an `IN (...)` query
over any number of keys. Their own module so that reading a project (`annotator list`) does not
load the recorder and the journal, which only writing and history need (start-up time)."""

from __future__ import annotations

import sqlite3
from typing import Iterable, Iterator, Sequence

_CHUNK = 500  # keys per `IN (...)` query


def q(name: str) -> str:
    return f'"{name}"'


def insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table}({', '.join(map(q, columns))}) VALUES ({', '.join('?' * len(columns))})"


def select_in(conn: sqlite3.Connection, sql: str, keys: Iterable[object], extra: Sequence[object] = ()) -> Iterator[tuple]:
    """Rows of `sql` (with one `IN ({})`) for all `keys`, in chunks that stay under SQLite's limit."""
    keys = list(keys)
    for i in range(0, len(keys), _CHUNK):
        part = keys[i : i + _CHUNK]
        yield from conn.execute(sql.format(", ".join("?" * len(part))), (*part, *extra))
