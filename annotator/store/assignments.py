"""The `assignments` table: its codec and the reads the operations, the views and the figures need.

One row per (article, analyst). Its id is derived from both (`assignment_id`), so the row an analyst
receives in an exchange file, or that a merge brings, is the coordinator's row: assigning twice,
importing twice or merging twice finds it instead of adding another.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Iterable, Mapping

from ..model import Assignment
from .codecs import ASSIGNMENT_COLUMNS, RowError
from .ids import name_uuid
from .sql import q, select_in

NAMESPACE = bytes.fromhex("3b0e7f5e2c1a4b8e9d2f6a1c5e4b7d90")  # the UUID 3b0e7f5e-2c1a-4b8e-9d2f-6a1c5e4b7d90
_SELECT = ", ".join(map(q, ASSIGNMENT_COLUMNS))


def assignment_id(article_id: str, analyst: str) -> str:
    return name_uuid(NAMESPACE, f"{article_id}\x1f{analyst}")


def assignment_row(assignment: Assignment) -> dict[str, object]:
    return {
        "id": assignment.id,
        "article_id": assignment.article_id,
        "analyst": assignment.analyst,
        "assigned_by": assignment.assigned_by,
        "created": assignment.created,
        "updated": assignment.updated,
        "done_at": assignment.done_at,
        "deleted": int(assignment.deleted),
    }


def assignment_from_row(row: Mapping[str, object]) -> Assignment:
    key = row.get("id")
    values: dict[str, object] = {}
    for column in ASSIGNMENT_COLUMNS:
        value = row.get(column, "" if column != "deleted" else 0)
        if column == "deleted":
            if isinstance(value, bool) or not isinstance(value, int):
                raise RowError("assignments", key, column, f"is {type(value).__name__}, not a whole number")
            values[column] = bool(value)
        elif not isinstance(value, str):
            raise RowError("assignments", key, column, f"is {type(value).__name__}, not text")
        else:
            values[column] = value
    if not values["analyst"]:
        raise RowError("assignments", key, "analyst", "is empty")
    return Assignment(**values)  # type: ignore[arg-type]


def assignment_record(assignment: Assignment) -> dict:
    """The exchange file's shape (formats/jsonl.py): the row without the article id (the article
    record holds it); `deleted` only on a tombstone."""
    record: dict[str, object] = {
        "id": assignment.id, "analyst": assignment.analyst, "assigned_by": assignment.assigned_by,
        "created": assignment.created, "updated": assignment.updated,
    }
    if assignment.done_at:
        record["done_at"] = assignment.done_at
    if assignment.deleted:
        record["deleted"] = True
    return record


def select(
    conn: sqlite3.Connection, *, article_ids: Iterable[str] | None = None, analysts: Iterable[str] | None = None,
    include_deleted: bool = False,
) -> list[Assignment]:
    """Assignments, by article then analyst; of some articles and/or analysts only."""
    where, params = ["1 = 1"], []
    if not include_deleted:
        where.append("deleted = 0")
    if analysts is not None:
        where.append("analyst IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(set(analysts))))
    if article_ids is not None:
        where.append("article_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(set(article_ids))))
    cursor = conn.execute(
        f"SELECT {_SELECT} FROM assignments WHERE {' AND '.join(where)} ORDER BY article_id, analyst", params)
    return [assignment_from_row(dict(zip(ASSIGNMENT_COLUMNS, row))) for row in cursor]


def by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Assignment]:
    rows = select_in(conn, f"SELECT {_SELECT} FROM assignments WHERE id IN ({{}})", list(ids))
    found = (assignment_from_row(dict(zip(ASSIGNMENT_COLUMNS, row))) for row in rows)
    return {a.id: a for a in found}


def analysts_of(conn: sqlite3.Connection, article_ids: Iterable[str] | None = None) -> dict[str, list[str]]:
    """{article id: its analysts, sorted} for the articles that have live assignments."""
    found: dict[str, list[str]] = defaultdict(list)
    if article_ids is None:
        rows: Iterable[tuple] = conn.execute(
            "SELECT article_id, analyst FROM assignments WHERE deleted = 0 ORDER BY article_id, analyst")
    else:
        rows = sorted(select_in(conn, "SELECT article_id, analyst FROM assignments WHERE deleted = 0 "
                                      "AND article_id IN ({})", list(article_ids)))
    for article_id, analyst in rows:
        found[article_id].append(analyst)
    return dict(found)


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Live assignments per analyst, by name."""
    rows = conn.execute("SELECT analyst, count(*) FROM assignments WHERE deleted = 0 GROUP BY analyst ORDER BY analyst")
    return {name: n for name, n in rows}


def progress_rows(conn: sqlite3.Connection) -> list[tuple[str, str, str, str, int]]:
    """(analyst, article id, article status, done_at, the analyst's live annotations there) of each
    live assignment: what each analyst's todo / in progress / done is derived from."""
    return list(conn.execute(
        "SELECT s.analyst, s.article_id, a.status, s.done_at, "
        "(SELECT count(*) FROM annotations n WHERE n.article_id = s.article_id AND n.annotator = s.analyst "
        " AND n.deleted = 0) FROM assignments s JOIN articles a ON a.id = s.article_id "
        "WHERE s.deleted = 0 ORDER BY s.analyst, a.imported_at, a.title, a.id"))
