"""Keeping the full-text indexes (FTS5, made by migration 8) in step with the rows they index.

The recorder calls these after each write of `articles` (titles), `texts` and `annotations`
(quotes, notes, tombstones), in the same transaction, so the index commits with the row or not at
all, and an undo, a redo, an import or a merge, which all write through the recorder, keep it right
without knowing about it.

Why not SQL triggers, which would also catch writes from other programs: the project's connection
runs with `trusted_schema = OFF` (a project is a file from someone else), and SQLite then refuses
any trigger that writes to a virtual table ("unsafe use of virtual table"). sqlite-utils'
`enable_fts(create_triggers=True)` makes exactly those triggers, keyed by the content table's
implicit rowid, which VACUUM may renumber for our text-keyed tables; so the index uses keys of its
own (`search_*_keys`). A file changed by another program can be re-indexed with `rebuild`.

Annotations are synced from the table as it is after the write (delete by key, insert if live), so
a sync is idempotent; texts are an external-content index and are removed with the text they had.

A bulk import (a file big enough to be written in batches) leaves its new rows out of the index and
marks the index *behind* (`mark_behind`, in the import's transaction); the next search first runs
`catch_up`, which indexes, set-based, whatever live row the index lacks. Indexing 10,000 articles
batch by batch was a fifth of such an import; set-based, once, it costs no more than that.
Every other write keeps the index in step as before, and each of them is right on a row that the
index does not hold yet (an annotation's key exists only with its index row; a text is removed from
the index only if it is in it), so a behind index only lacks rows, never holds wrong ones.
"""

from __future__ import annotations

import sqlite3
from typing import Callable, Iterable, Mapping, Sequence

_CHUNK = 500
BEHIND = "search_index_behind"  # the meta row of a behind index (see `catch_up`)
INDEXED_ANNOTATION_COLUMNS = frozenset({"quote", "note", "deleted"})


def _chunks(keys: Iterable[str]) -> Iterable[tuple[list[str], str]]:
    keys = list(dict.fromkeys(keys))
    for i in range(0, len(keys), _CHUNK):
        part = keys[i : i + _CHUNK]
        yield part, ", ".join("?" * len(part))


def annotations_changed(conn: sqlite3.Connection, ids: Iterable[str]) -> None:
    """Bring the index of these annotations to what their rows now say (absent rows: removed)."""
    for part, marks in _chunks(ids):
        # by key, one at a time: FTS5 finds a row by `rowid = ?`, but scans the whole index for `rowid IN (...)`
        keys = [(k,) for k, in conn.execute(
            f"SELECT key FROM search_annotation_keys WHERE annotation_id IN ({marks})", part)]
        conn.executemany("DELETE FROM search_annotations WHERE rowid = ?", keys)
        conn.execute(
            f"DELETE FROM search_annotation_keys WHERE annotation_id IN ({marks}) AND annotation_id NOT IN "
            f"(SELECT id FROM annotations WHERE id IN ({marks}) AND deleted = 0)", (*part, *part))
        conn.execute(
            f"INSERT OR IGNORE INTO search_annotation_keys(annotation_id) "
            f"SELECT id FROM annotations WHERE id IN ({marks}) AND deleted = 0", part)
        conn.execute(
            f"INSERT INTO search_annotations(rowid, quote, note) SELECT k.key, a.quote, a.note "
            f"FROM annotations a JOIN search_annotation_keys k ON k.annotation_id = a.id "
            f"WHERE a.id IN ({marks}) AND a.deleted = 0", part)


def annotations_inserted(conn: sqlite3.Connection, rows: Sequence[Mapping[str, object]]) -> None:
    """Index annotation rows this transaction has just inserted (so their ids are new to the table).

    Their keys are numbered on from the largest key and their quotes and notes taken from the rows in
    hand: no lookup per row, which is what a bulk import of 100,000 spans would otherwise pay. A key
    left for one of these ids (an index out of step, written by another program) makes the batch
    take `annotations_changed`, which brings the index right from any state."""
    if not rows or not {"quote", "note", "deleted"} <= rows[0].keys():
        annotations_changed(conn, [str(r["id"]) for r in rows])
        return
    live = [r for r in rows if not r["deleted"]]
    if not live:
        return
    (base,) = conn.execute("SELECT coalesce(max(key), 0) FROM search_annotation_keys").fetchone()
    before = conn.total_changes
    conn.executemany("INSERT OR IGNORE INTO search_annotation_keys(key, annotation_id) VALUES (?, ?)",
                     [(base + n, r["id"]) for n, r in enumerate(live, 1)])
    if conn.total_changes - before != len(live):
        annotations_changed(conn, [str(r["id"]) for r in rows])
        return
    conn.executemany("INSERT INTO search_annotations(rowid, quote, note) VALUES (?, ?, ?)",
                     [(base + n, r["quote"], r["note"]) for n, r in enumerate(live, 1)])


def _article_keys(conn: sqlite3.Connection, article_ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part, marks in _chunks(article_ids):
        conn.execute(f"INSERT OR IGNORE INTO search_article_keys(article_id) VALUES {', '.join(['(?)'] * len(part))}",
                     part)
        found.update((a, k) for k, a in conn.execute(
            f"SELECT key, article_id FROM search_article_keys WHERE article_id IN ({marks})", part))
    return found


def titles_changed(conn: sqlite3.Connection, article_ids: Iterable[str]) -> None:
    """Index the titles of these articles as their rows now are (absent rows: removed)."""
    for part, marks in _chunks(article_ids):
        keys = [(k,) for k, in conn.execute(
            f"SELECT key FROM search_article_keys WHERE article_id IN ({marks})", part)]
        conn.executemany("DELETE FROM search_titles WHERE rowid = ?", keys)
        present = [r[0] for r in conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", part)]
        keyed = _article_keys(conn, present)
        conn.executemany("INSERT INTO search_titles(rowid, title) SELECT ?, title FROM articles WHERE id = ?",
                         [(keyed[a], a) for a in present])
        _drop_unused_article_keys(conn, part)


def texts_inserted(conn: sqlite3.Connection, rows: Sequence[Mapping[str, object]]) -> None:
    keys = _article_keys(conn, [str(r["article_id"]) for r in rows])
    conn.executemany("INSERT INTO search_texts(rowid, text) VALUES (?, ?)",
                     [(keys[str(r["article_id"])], r["text"]) for r in rows])


def text_removed(conn: sqlite3.Connection, article_id: str, text: object) -> None:
    """A texts row is gone (or its text replaced): remove `text`, the text it had, from the index.
    Only if the index holds it: deleting from an external-content index what it never held would
    corrupt it (a bulk import leaves its texts out until `catch_up`)."""
    row = conn.execute(
        "SELECT k.key FROM search_article_keys k JOIN search_texts_docsize d ON d.id = k.key WHERE k.article_id = ?",
        (article_id,)).fetchone()
    if row is not None:
        conn.execute("INSERT INTO search_texts(search_texts, rowid, text) VALUES ('delete', ?, ?)", (row[0], text))
    _drop_unused_article_keys(conn, [article_id])


def _drop_unused_article_keys(conn: sqlite3.Connection, article_ids: Sequence[str]) -> None:
    for part, marks in _chunks(article_ids):
        conn.execute(
            f"DELETE FROM search_article_keys WHERE article_id IN ({marks}) "
            f"AND article_id NOT IN (SELECT id FROM articles WHERE id IN ({marks})) "
            f"AND article_id NOT IN (SELECT article_id FROM texts WHERE article_id IN ({marks}))", (*part, *part, *part))


def after_insert(conn: sqlite3.Connection, table: str, rows: Sequence[Mapping[str, object]]) -> None:
    if table == "annotations":
        annotations_inserted(conn, rows)
    elif table == "articles":
        titles_changed(conn, [str(r["id"]) for r in rows])
    elif table == "texts":
        texts_inserted(conn, rows)


def reindexes(table: str, changed: Iterable[str]) -> bool:
    """Whether a change of these columns of an annotations or articles row changes the index."""
    columns = INDEXED_ANNOTATION_COLUMNS if table == "annotations" else {"title"} if table == "articles" else set()
    return not columns.isdisjoint(changed)


def rows_changed(conn: sqlite3.Connection, table: str, keys: Sequence[str]) -> None:
    """Updated annotations or articles rows whose indexed columns changed (see `reindexes`)."""
    if table == "annotations":
        annotations_changed(conn, keys)
    elif table == "articles":
        titles_changed(conn, keys)


def after_update(conn: sqlite3.Connection, table: str, key: str, before: Mapping[str, object],
                 after: Mapping[str, object]) -> None:
    """`before` and `after` hold the columns that changed."""
    if reindexes(table, before):
        rows_changed(conn, table, [key])
    elif table == "texts" and "text" in before:  # never done by the product: a text is its article's identity
        text_removed(conn, key, before["text"])
        texts_inserted(conn, [{"article_id": key, "text": after["text"]}])


def after_delete(conn: sqlite3.Connection, table: str, before: Mapping[str, object]) -> None:
    if table == "annotations":
        annotations_changed(conn, [str(before["id"])])
    elif table == "articles":
        titles_changed(conn, [str(before["id"])])
    elif table == "texts":
        text_removed(conn, str(before["article_id"]), before["text"])


def rebuild(conn: sqlite3.Connection) -> None:
    """Index everything again from the tables (for a file written by a program without the index)."""
    for statement in (
        "DELETE FROM search_titles",
        "DELETE FROM search_annotations",
        "DELETE FROM search_annotation_keys",
        "DELETE FROM search_article_keys",
        "INSERT INTO search_article_keys(article_id) SELECT id FROM articles UNION SELECT article_id FROM texts",
        "INSERT INTO search_texts(search_texts) VALUES ('rebuild')",
        "INSERT INTO search_titles(rowid, title) SELECT k.key, a.title FROM search_article_keys k "
        "JOIN articles a ON a.id = k.article_id",
        "INSERT INTO search_annotation_keys(annotation_id) SELECT id FROM annotations WHERE deleted = 0 ORDER BY rowid",
        "INSERT INTO search_annotations(rowid, quote, note) SELECT k.key, a.quote, a.note "
        "FROM search_annotation_keys k JOIN annotations a ON a.id = k.annotation_id",
    ):
        conn.execute(statement)
    _unmark(conn)


def mark_behind(conn: sqlite3.Connection) -> None:
    """The rows this transaction inserts without indexing them are indexed by the next `catch_up`."""
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, '1')", (BEHIND,))


def is_behind(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM meta WHERE key = ?", (BEHIND,)).fetchone() is not None


def catch_up(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> None:
    """Index every live row that the index lacks, set-based, and clear the mark (in a transaction).
    `progress(done, total)` before each step and at the end (an exception from it stops it)."""
    (before,) = conn.execute("SELECT coalesce(max(key), 0) FROM search_annotation_keys").fetchone()
    steps: list[tuple[str, tuple]] = [
        ("INSERT OR IGNORE INTO search_article_keys(article_id) SELECT id FROM articles UNION SELECT article_id FROM texts", ()),
        ("INSERT INTO search_titles(rowid, title) SELECT k.key, a.title FROM articles a "
         "JOIN search_article_keys k ON k.article_id = a.id "
         "WHERE NOT EXISTS (SELECT 1 FROM search_titles_docsize d WHERE d.id = k.key)", ()),
        ("INSERT INTO search_texts(rowid, text) SELECT k.key, t.text FROM texts t "
         "JOIN search_article_keys k ON k.article_id = t.article_id "
         "WHERE NOT EXISTS (SELECT 1 FROM search_texts_docsize d WHERE d.id = k.key)", ()),
        ("INSERT INTO search_annotation_keys(annotation_id) SELECT id FROM annotations a WHERE a.deleted = 0 "
         "AND NOT EXISTS (SELECT 1 FROM search_annotation_keys k WHERE k.annotation_id = a.id) ORDER BY a.rowid", ()),
        ("INSERT INTO search_annotations(rowid, quote, note) SELECT k.key, a.quote, a.note "
         "FROM search_annotation_keys k JOIN annotations a ON a.id = k.annotation_id WHERE k.key > ?", (before,)),
    ]
    for done, (statement, parameters) in enumerate(steps):
        if progress is not None:
            progress(done, len(steps))
        conn.execute(statement, parameters)
    _unmark(conn)
    if progress is not None:
        progress(len(steps), len(steps))


def _unmark(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM meta WHERE key = ?", (BEHIND,))


def check(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the index, if anything (FTS5's integrity checks and our own key rules)."""
    problems: list[str] = []
    if is_behind(conn):
        problems.append("the index is behind a bulk import (the next search brings it up to date)")
    for table in ("search_texts", "search_titles", "search_annotations"):
        try:
            conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"{table}: {exc}")
    stray = conn.execute(
        "SELECT count(*) FROM search_annotation_keys k LEFT JOIN annotations a ON a.id = k.annotation_id "
        "WHERE a.id IS NULL OR a.deleted != 0").fetchone()[0]
    missing = conn.execute(
        "SELECT count(*) FROM annotations a WHERE a.deleted = 0 AND NOT EXISTS "
        "(SELECT 1 FROM search_annotation_keys k WHERE k.annotation_id = a.id)").fetchone()[0]
    if stray or missing:
        problems.append(f"search_annotation_keys: {stray} keys of no live annotation, {missing} live annotations without one")
    differing = conn.execute(
        "SELECT count(*) FROM search_annotation_keys k JOIN annotations a ON a.id = k.annotation_id "
        "LEFT JOIN search_annotations s ON s.rowid = k.key "
        "WHERE s.rowid IS NULL OR s.quote IS NOT a.quote OR s.note IS NOT a.note").fetchone()[0]
    if differing:
        problems.append(f"search_annotations: {differing} rows differ from their annotation")
    titles = conn.execute(
        "SELECT count(*) FROM articles a LEFT JOIN search_article_keys k ON k.article_id = a.id "
        "LEFT JOIN search_titles s ON s.rowid = k.key WHERE s.rowid IS NULL OR s.title IS NOT a.title").fetchone()[0]
    if titles:
        problems.append(f"search_titles: {titles} articles whose title is not indexed as it is")
    rows = conn.execute("SELECT count(*) FROM search_titles").fetchone()[0]
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    if rows != articles:
        problems.append(f"search_titles: {rows} rows for {articles} articles")
    return problems
