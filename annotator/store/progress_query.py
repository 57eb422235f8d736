"""The counts behind the progress figures (review/progress.py): annotations per analyst and label,
and per day. Live annotations only; the day is the UTC date of `created` (when the span was made,
which an edit does not move)."""

from __future__ import annotations

import sqlite3


def annotations_by_annotator_and_label(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    return list(conn.execute(
        "SELECT annotator, label, count(*) FROM annotations WHERE deleted = 0 GROUP BY annotator, label "
        "ORDER BY annotator, label"))


def annotations_by_day(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(day YYYY-MM-DD, annotator, count), by day then annotator."""
    return list(conn.execute(
        "SELECT substr(created, 1, 10) AS day, annotator, count(*) FROM annotations WHERE deleted = 0 "
        "GROUP BY day, annotator ORDER BY day, annotator"))
