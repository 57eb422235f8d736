"""The project file: one SQLite database holding articles, annotations, relations, decisions and
the journal. The only place that runs SQL (with its sibling modules in this package).

Reading is done by the methods here; writing only through `Store.operation()`, which opens one
transaction (BEGIN IMMEDIATE, so the write lock is held from the first read), hands out a
`Recorder` and appends the operation's journal entry before it commits. The rules of an edit
(snapping, duplicates, relation types, ...) live in annotator/operations, not here.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from .. import jsontext
from ..errors import AmbiguousIdError, NotFoundError, ProjectClosedError, ProjectError, ProjectNeedsUpgrade
from ..model import Annotation, Article, ArticleSummary, Assignment, Block, Decision, Relation
from . import assignments as assignment_rows, codecs, connection, progress_query
from .kept import Kept
from .codecs import ANNOTATION_COLUMNS, DECISION_COLUMNS, RELATION_COLUMNS
from .connection import BUSY_TIMEOUT_SECONDS, translate
from .ids import new_op_id
from .migrations import SCHEMA_VERSION
from .sql import q, select_in
from .search_methods import SearchMethods
from .suggestions import SuggestionReads

if TYPE_CHECKING:  # the schema module loads when the schema is first read (`annotator list` never does)
    from ..schema import LabelSchema
    from .journal import JournalEntry
    from .recorder import Recorder

TEXT_CACHE_CHARACTERS = 64_000_000
BLOCK_CACHE_BLOCKS = 1_000_000
EXCERPT_MARGIN = 512  # characters read on either side of a span before cutting to whole blocks
_ANNOTATION_SELECT = ", ".join(map(q, ANNOTATION_COLUMNS))
_BRIEF_SELECT = ", ".join(map(q, codecs.BRIEF_COLUMNS))
_RELATION_SELECT = ", ".join(map(q, RELATION_COLUMNS))
_DECISION_SELECT = ", ".join(DECISION_COLUMNS)
_ARTICLE_SELECT = ", ".join(codecs.ARTICLE_COLUMNS)


def _journal():
    """store/journal.py, loaded when the journal is first read (reading articles does not)."""
    from . import journal

    return journal


@dataclass(frozen=True)
class Excerpt:
    """Whole blocks of an article's text: `text` is the article's text[offset:offset + len(text)]."""

    offset: int
    text: str
    length: int  # of the article's whole text

    @property
    def end(self) -> int:
        return self.offset + len(self.text)

    def holds(self, start: int, end: int) -> bool:
        """Whether text[start:end] (clamped to the whole text) lies in the excerpt."""
        return self.offset <= max(start, 0) and self.end >= min(end, self.length)


class Store(SearchMethods, SuggestionReads):
    """A project file. Open with `Store.open(path)`."""

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool = False) -> None:
        self.conn = conn
        self._db = None
        self.path = path
        self.readonly = readonly
        self._schema: tuple[str, LabelSchema] | None = None
        self._texts: Kept[str] = Kept(TEXT_CACHE_CHARACTERS)
        self._blocks: Kept[list[Block]] = Kept(BLOCK_CACHE_BLOCKS)
        self._excerpted: dict[str, int] = {}  # article -> total_changes when a part was read (text_excerpt)
        self._open_key = connection.opened_here(path)  # see connection.refuse_non_sqlite
        self._wal = None if readonly else connection.wal_key(path)
        self._reconnects = 0

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, timeout: float = BUSY_TIMEOUT_SECONDS) -> "Store":
        """Open (or, for writing, create) a project.

        A file that exists is checked before a writing connection touches it: an empty file, a
        foreign SQLite file or a damaged one is refused unchanged. A project that cannot be written
        here (a read-only folder or medium) opens read-only: `store.readonly` says so.
        """
        path = Path(path)
        connection.refuse_non_sqlite(path)
        if path.exists():
            version, tables = connection.inspect(path, timeout)
            connection.check_ours(path, version, tables)
            if readonly or not connection.can_write_beside(path):
                if version == 0:  # an empty SQLite database: opening it for reading must not make it a project
                    raise ProjectError(f"{path}: an empty SQLite database, not a project (yet); it was left untouched")
                if version < SCHEMA_VERSION:
                    raise ProjectNeedsUpgrade(
                        f"{path}: an older project file (version {version}); open it once for writing to upgrade it"
                    )
                return cls(connection.connect_read_only(path, timeout), path, readonly=True)
        elif readonly:
            raise ProjectError(f"{path}: no such project file")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ProjectError(f"{path}: cannot create the project here ({exc.strerror})") from None
        conn = connection.connect_for_writing(path, timeout)
        connection.migrate(conn, path)
        return cls(conn, path, readonly=False)

    @property
    def db(self):
        """sqlite-utils over the project's connection, made on first use: importing sqlite-utils costs
        more than the window's whole start-up budget, and the store's reads and writes need only the
        connection (benchmarks/bench_store_paths.py measures why its hot paths are plain SQL)."""
        if self._db is None:
            from .._sqlite_utils import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self.conn.close()
        connection.closed_here(self._open_key)
        self._open_key = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def data_version(self) -> int:
        """Changes whenever another connection commits (PRAGMA data_version): cheap to poll."""
        try:
            self._reconnect_if_orphaned()
            return self.conn.execute("PRAGMA data_version").fetchone()[0] + 1_000_000 * self._reconnects
        except sqlite3.ProgrammingError:
            raise ProjectClosedError(f"{self.path}: the project is closed") from None

    def _reconnect_if_orphaned(self) -> None:
        """Connect again when the -wal file is not the one this connection writes to (connection.orphaned)."""
        if self.readonly or self.conn.in_transaction or not connection.orphaned(Path(self.path), self._wal):
            return
        self.conn.close()
        self.conn = connection.connect_for_writing(Path(self.path), BUSY_TIMEOUT_SECONDS)
        self._db = self._schema = None
        self._reconnects += 1
        self._wal = connection.wal_key(Path(self.path))

    # -- writing: one operation, one transaction, one journal entry -----------------------------

    @contextmanager
    def operation(
        self,
        kind: str,
        annotator: str,
        *,
        article_id: str | None = None,
        batch_id: str | None = None,
        target: str | None = None,
        title: str = "",
        summary: str = "",
    ) -> Iterator[Recorder]:
        """Run one operation's writes; they commit together with its journal entry, or not at all."""
        if self.readonly:
            raise ProjectError(f"{self.path}: opened read-only; nothing can be changed")
        from .recorder import OpHead, Recorder  # loaded by the first write: reading a project needs neither

        recorder = Recorder(self.conn, OpHead(new_op_id(), kind, annotator, article_id, batch_id, target, title, summary))
        with self.transaction():
            yield recorder
            recorder.finish()
        if recorder.changes.schema:
            self._schema = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Everything inside commits together or not at all (a savepoint when nested)."""
        if self.readonly:
            raise ProjectError(f"{self.path}: opened read-only; nothing can be changed")
        self._reconnect_if_orphaned()
        conn = self.conn
        nested = conn.in_transaction
        try:
            conn.execute("SAVEPOINT nested" if nested else "BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None
        try:
            yield conn
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO nested" if nested else "ROLLBACK")
                if nested:
                    conn.execute("RELEASE nested")
            self._schema = None
            if isinstance(exc, sqlite3.DatabaseError):
                raise translate(exc, self.path) from None
            raise
        else:
            try:
                conn.execute("RELEASE nested" if nested else "COMMIT")
            except sqlite3.DatabaseError as exc:
                if conn.in_transaction and not nested:
                    conn.execute("ROLLBACK")
                self._schema = None
                raise translate(exc, self.path) from None

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several reads (a deferred read transaction)."""
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def rows(self, sql: str, params: Iterable[object] | dict = ()) -> list[dict]:
        """Rows as dicts (errors as messages for people)."""
        try:
            cursor = self.conn.execute(sql, params if isinstance(params, dict) else tuple(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def _one(self, sql: str, params: Iterable[object] | dict = ()) -> tuple | None:
        try:
            return self.conn.execute(sql, params if isinstance(params, dict) else tuple(params)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    # -- the label schema ------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else default

    @property
    def schema(self) -> LabelSchema:
        """The project's schema, parsed once per text (re-read when another process changed it)."""
        text = self.schema_text()
        if self._schema is None or self._schema[0] != text:
            from ..schema import parse_schema

            self._schema = (text, parse_schema(text, f"{self.path} schema"))
        return self._schema[1]

    def schema_text(self) -> str:
        """The project's schema as TOML: its own if it has one, else the default."""
        from ..schema import default_schema_text

        return self.get_meta("schema") or default_schema_text()

    def label_usage(self, name: str) -> int:
        """How many live annotations (in all articles) have label `name`."""
        return self._one("SELECT count(*) FROM annotations WHERE deleted = 0 AND label = ?", (name,))[0]

    def relation_type_counts(self) -> dict[str, int]:
        rows = self.rows("SELECT type, count(*) AS n FROM relations WHERE deleted = 0 GROUP BY type ORDER BY type")
        return {r["type"]: r["n"] for r in rows}

    def live_ids_with_labels(self, labels: Iterable[str]) -> list[str]:
        labels = list(labels)
        return [r[0] for r in select_in(self.conn, "SELECT id FROM annotations WHERE deleted = 0 AND label IN ({}) ORDER BY id", labels)]

    def live_relation_ids(self, *, ends: Iterable[str] = (), types: Iterable[str] = ()) -> list[str]:
        """Live relations with an end among `ends` or a type among `types`."""
        found: set[str] = set()
        ends = list(ends)
        for i in range(0, len(ends), 400):
            part = ends[i : i + 400]
            marks = ", ".join("?" * len(part))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT id FROM relations WHERE deleted = 0 AND (head IN ({marks}) OR tail IN ({marks}))", (*part, *part)))
        found.update(r[0] for r in select_in(self.conn, "SELECT id FROM relations WHERE deleted = 0 AND type IN ({})", types))
        return sorted(found)

    def ids_with_label(self, label: str) -> list[str]:
        """Every annotation (tombstones too) with `label`."""
        return [r[0] for r in self.conn.execute("SELECT id FROM annotations WHERE label = ? ORDER BY id", (label,))]

    # -- articles ----------------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return self._one("SELECT 1 FROM articles WHERE id = ?", (article_id,)) is not None

    def existing_ids(self, table: str, ids: Iterable[str]) -> set[str]:
        """Those of `ids` that rows of `table` (annotations, relations) have, tombstones too."""
        if table not in ("annotations", "relations"):
            raise ValueError(f"existing_ids: no ids of {table}")
        return {r[0] for r in select_in(self.conn, f"SELECT id FROM {table} WHERE id IN ({{}})", list(ids))}

    def missing_articles(self, article_ids: Iterable[str]) -> set[str]:
        wanted = set(article_ids)
        present = {r[0] for r in select_in(self.conn, "SELECT id FROM articles WHERE id IN ({})", wanted)}
        return wanted - present

    def article_row(self, article_id: str) -> dict:
        rows = self.rows(f"SELECT {_ARTICLE_SELECT} FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"no article with id {article_id}")
        return rows[0]

    def get_article(self, article_id: str) -> Article:
        row = self.article_row(article_id)
        return codecs.article_from_row(row, self.article_text(article_id), self.article_blocks(article_id))

    def article_length(self, article_id: str) -> int:
        """The length of the article's text in code points, without reading the text."""
        return self.article_row(article_id)["length"]

    def text_excerpt(self, article_id: str, start: int, end: int) -> Excerpt:
        """The whole blocks of the article's text that hold text[start:end] (clamped to the text).

        A tag needs a few hundred characters around its span, not a 20 MB text: the first time an
        article is asked for, only those blocks are read (SQLite's substr). An article asked for
        again after this connection wrote (a later edit in the same process) is read whole and kept,
        as an open article is.
        """
        text = self._texts.get(article_id)
        if text is None and self._excerpted.get(article_id, self.conn.total_changes) != self.conn.total_changes:
            text = self.article_text(article_id)
        if text is not None:
            return Excerpt(0, text, len(text))
        length = self.article_length(article_id)
        if isinstance(length, bool) or not isinstance(length, int):  # a damaged row: read the text whole
            text = self.article_text(article_id)
            return Excerpt(0, text, len(text))
        start, end = max(0, min(start, length)), max(0, min(end, length))
        margin = EXCERPT_MARGIN
        while True:
            lo, hi = max(0, start - margin), min(length, end + margin)
            row = self._one("SELECT substr(text, ?, ?) FROM texts WHERE article_id = ?", (lo + 1, hi - lo, article_id))
            piece = row[0] if row is not None else None
            if not isinstance(piece, str) or len(piece) != hi - lo:  # not as the article row says: read it whole
                text = self.article_text(article_id)
                return Excerpt(0, text, len(text))
            # Blocks never hold a line break and are joined by one: a block starts after a \n.
            first = piece.rfind("\n", 0, start - lo) + 1
            last = piece.find("\n", end - lo)
            if last < 0 and hi == length:
                last = len(piece)
            if (first > 0 or lo == 0) and last >= 0:
                self._excerpted.setdefault(article_id, self.conn.total_changes)
                return Excerpt(lo + first, piece[first:last], length)
            margin *= 8

    def article_text(self, article_id: str) -> str:
        """An article's text, which never changes (the id is its hash): kept in memory."""
        text = self._texts.get(article_id)
        if text is None:
            row = self._one("SELECT text FROM texts WHERE article_id = ?", (article_id,))
            if row is None:
                raise NotFoundError(f"no article with id {article_id}")
            if not isinstance(row[0], str):
                raise codecs.RowError("texts", article_id, "text", "is not text")
            text = self._texts.put(article_id, row[0], len(row[0]))
        return text

    def article_blocks(self, article_id: str) -> list[Block]:
        """An article's blocks (they never change either), kept apart from its text: a tag that
        reads a part of the text can still ask for the blocks alone."""
        blocks = self._blocks.get(article_id)
        if blocks is None:
            row = self._one("SELECT blocks FROM texts WHERE article_id = ?", (article_id,))
            if row is None:
                raise NotFoundError(f"no article with id {article_id}")
            blocks = codecs.blocks_from_json(article_id, row[0])
            self._blocks.put(article_id, blocks, len(blocks))
        return blocks

    def list_articles(self, article_ids: Iterable[str] | None = None) -> list[ArticleSummary]:
        """Article summaries in import order (all, or those of `article_ids` that exist)."""
        sql = """
            SELECT a.id, a.title, a.outlet, a.status, a.length, a.imported_at,
                   (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.deleted = 0) AS annotations
            FROM articles a {where} ORDER BY a.imported_at, a.title, a.id
        """
        if article_ids is None:
            rows = self.rows(sql.format(where=""))
        else:
            ids = list(article_ids)
            rows = []
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                rows += self.rows(sql.format(where=f"WHERE a.id IN ({', '.join('?' * len(part))})"), part)
            rows.sort(key=lambda r: (r["imported_at"], r["title"], r["id"]))
        return [ArticleSummary(**row) for row in rows]

    def article_ids(self, status: str | None = None) -> list[str]:
        """Every article id in export order (import order), optionally of one status."""
        sql, params = "SELECT id FROM articles", ()
        if status is not None:
            sql, params = sql + " WHERE status = ?", (status,)
        return [r[0] for r in self.conn.execute(sql + " ORDER BY imported_at, title, id", params)]

    def article_statuses(self, article_ids: Iterable[str]) -> dict[str, str]:
        return dict(select_in(self.conn, "SELECT id, status FROM articles WHERE id IN ({})", list(article_ids)))

    def article_notes(self) -> dict[str, str]:
        """The articles that have a note: {article id: note}."""
        return {r["id"]: r["note"] for r in self.rows("SELECT id, note FROM articles WHERE note != ''")}

    def search_notes(self, text: str) -> set[str]:
        """Ids of the articles whose own note, or a live annotation's note, contains `text` (any case)."""
        needle = text.strip().casefold()
        if not needle:
            return set()
        rows = self.rows(
            "SELECT id, note FROM articles WHERE note != '' "
            "UNION ALL SELECT article_id, note FROM annotations WHERE deleted = 0 AND note != ''"
        )
        return {r["id"] for r in rows if needle in r["note"].casefold()}

    def articles_with_url(self, url: str, limit: int = 2) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE url = ? AND url != '' LIMIT ?", (url, limit))]

    def articles_with_title(self, title: str, limit: int = 2) -> list[tuple[str, str]]:
        """(id, url) of articles with this title."""
        rows = self.conn.execute("SELECT id, url FROM articles WHERE title = ? AND title != '' LIMIT ?", (title, limit))
        return [(r[0], r[1]) for r in rows]

    def iter_article_texts(self) -> Iterator[tuple[str, str]]:
        """(id, text) of every article, streamed."""
        yield from self.conn.execute("SELECT article_id, text FROM texts")

    # -- ids ---------------------------------------------------------------------------------------

    def resolve_article_id(self, prefix: str) -> str:
        return self._resolve("articles", prefix, "article")

    def resolve_annotation_id(self, prefix: str) -> str:
        return self._resolve("annotations", prefix, "annotation")

    def resolve_relation_id(self, prefix: str) -> str:
        return self._resolve("relations", prefix, "relation")

    def resolve_decision_id(self, prefix: str) -> str:
        return self._resolve("decisions", prefix, "decision")

    def resolve_op_id(self, prefix: str) -> str:
        return self._resolve("journal", prefix, "operation")

    def _resolve(self, table: str, prefix: str, what: str) -> str:
        """A unique prefix of an id stands for the id, as in git."""
        prefix = prefix.strip().lower()
        if not prefix:
            raise NotFoundError(f"no {what} id given")
        # A range on the primary key, not LIKE: it uses the index instead of scanning every id.
        found = [r[0] for r in self.conn.execute(
            f"SELECT id FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 6", (prefix, prefix + "\uffff"))]
        if prefix in found:
            return prefix
        if not found:
            raise NotFoundError(f"no {what} with id {prefix}")
        if len(found) > 1:
            shown = ", ".join(found[:5])
            raise AmbiguousIdError(f"{what} id {prefix} is ambiguous: it starts {shown}{'…' if len(found) > 5 else ''}")
        return found[0]

    # -- annotations -------------------------------------------------------------------------------

    def get_annotation(self, annotation_id: str) -> Annotation:
        row = self._one(f"SELECT {_ANNOTATION_SELECT} FROM annotations WHERE id = ?", (annotation_id,))
        if row is None:
            raise NotFoundError(f"no annotation with id {annotation_id}")
        return codecs.annotation_from_values(row)

    def annotations_by_id(self, annotation_ids: Iterable[str]) -> dict[str, Annotation]:
        """The annotations (tombstones too) among `annotation_ids` that exist."""
        rows = select_in(self.conn, f"SELECT {_ANNOTATION_SELECT} FROM annotations WHERE id IN ({{}})", list(annotation_ids))
        return {a.id: a for a in map(codecs.annotation_from_values, rows)}

    def annotations_for(
        self, article_id: str, *, annotator: str | None = None, include_deleted: bool = False
    ) -> list[Annotation]:
        return list(self.iter_annotations(article_id, annotator=annotator, include_deleted=include_deleted))

    def iter_annotations(
        self, article_id: str, *, annotator: str | None = None, include_deleted: bool = False
    ) -> Iterator[Annotation]:
        """An article's annotations in text order, streamed (an article may have 100,000)."""
        yield from self._annotation_rows(_ANNOTATION_SELECT, codecs.annotation_from_values, article_id, annotator,
                                         include_deleted)

    def iter_annotation_briefs(self, article_id: str) -> Iterator[dict]:
        """An article's live annotations as `show` prints them (codecs.annotation_brief), in text
        order, streamed: only the columns shown are read."""
        yield from self._annotation_rows(_BRIEF_SELECT, codecs.brief_from_values, article_id, None, False)

    def _annotation_rows(self, columns: str, decode, article_id: str, annotator: str | None,
                         include_deleted: bool) -> Iterator:
        sql = f"SELECT {columns} FROM annotations WHERE article_id = ?"
        params: list[object] = [article_id]
        if not include_deleted:
            sql += " AND deleted = 0"
        if annotator is not None:
            sql += " AND annotator = ?"
            params.append(annotator)
        # `+start`: read the rows through annotations_by_article (in the table's order) and let SQLite
        # sort them, rather than walk annotations_by_span and fetch each row from wherever it lies:
        # twice as fast for an article with 100,000 annotations (benchmarks/bench_import_show.py).
        sql += ' ORDER BY +start, "end", created, id'
        try:
            for row in self.conn.execute(sql, params):
                yield decode(row)
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def live_duplicate(self, article_id: str, start: int, end: int, label: str, annotator: str) -> str | None:
        """The id of a live annotation with exactly these bounds, label and annotator, if any."""
        row = self._one(
            'SELECT id FROM annotations WHERE article_id = ? AND start = ? AND "end" = ? AND label = ? '
            "AND annotator = ? AND deleted = 0 LIMIT 1",
            (article_id, start, end, label, annotator),
        )
        return row[0] if row else None

    def span_keys(self, article_id: str) -> list[tuple[str, int, int, str, str, bool]]:
        """(id, start, end, label, annotator, deleted) of every annotation of an article (tombstones too)."""
        rows = self.conn.execute(
            'SELECT id, start, "end", label, annotator, deleted FROM annotations WHERE article_id = ?', (article_id,))
        return [(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]

    def relation_keys(self, article_id: str) -> list[tuple[str, str, str, str, bool]]:
        """(id, head, tail, type, deleted) of every relation of an article (tombstones too)."""
        rows = self.conn.execute("SELECT id, head, tail, type, deleted FROM relations WHERE article_id = ?", (article_id,))
        return [(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def live_spans(self, article_id: str, annotator: str) -> set[tuple[int, int, str]]:
        rows = self.conn.execute(
            'SELECT start, "end", label FROM annotations WHERE article_id = ? AND annotator = ? AND deleted = 0',
            (article_id, annotator),
        )
        return {(r[0], r[1], r[2]) for r in rows}

    def annotators(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT annotator FROM annotations WHERE deleted = 0 ORDER BY annotator")]

    def counts(self) -> dict[str, int]:
        return self.rows(
            """SELECT (SELECT count(*) FROM articles) AS articles,
                      (SELECT count(*) FROM annotations WHERE deleted = 0) AS annotations,
                      (SELECT count(*) FROM relations WHERE deleted = 0) AS relations"""
        )[0]

    def annotation_counts(self, by: str) -> dict[str, int]:
        """Live annotations counted per `label` or per `annotator`, most frequent first."""
        if by not in ("label", "annotator"):
            raise ValueError(f"cannot count annotations by {by!r}")
        rows = self.rows(
            f"SELECT {by} AS key, count(*) AS n FROM annotations WHERE deleted = 0 GROUP BY {by} ORDER BY n DESC, {by}"
        )
        return {row["key"]: row["n"] for row in rows}

    def status_counts(self) -> dict[str, int]:
        return {r["status"]: r["n"] for r in self.rows("SELECT status, count(*) AS n FROM articles GROUP BY status")}

    # -- relations ---------------------------------------------------------------------------------

    def get_relation(self, relation_id: str) -> Relation:
        rows = self.rows(f"SELECT {_RELATION_SELECT} FROM relations WHERE id = ?", (relation_id,))
        if not rows:
            raise NotFoundError(f"no relation with id {relation_id}")
        return codecs.relation_from_row(rows[0])

    def relations_by_id(self, relation_ids: Iterable[str]) -> dict[str, Relation]:
        rows = select_in(self.conn, f"SELECT {_RELATION_SELECT} FROM relations WHERE id IN ({{}})", list(relation_ids))
        return {r.id: r for r in (codecs.relation_from_row(dict(zip(RELATION_COLUMNS, row))) for row in rows)}

    def relations_for(self, article_id: str, *, include_deleted: bool = False) -> list[Relation]:
        sql = f"SELECT {_RELATION_SELECT} FROM relations WHERE article_id = ?"
        if not include_deleted:
            sql += " AND deleted = 0"
        return [codecs.relation_from_row(row) for row in self.rows(sql + " ORDER BY created, id", (article_id,))]

    def live_relations_of(self, annotation_id: str) -> list[Relation]:
        rows = self.rows(
            f"SELECT {_RELATION_SELECT} FROM relations WHERE (head = ? OR tail = ?) AND deleted = 0 ORDER BY created, id",
            (annotation_id, annotation_id),
        )
        return [codecs.relation_from_row(r) for r in rows]

    def relation_ends(self, ids: Iterable[str]) -> dict[str, tuple[str, str, bool]]:
        """{annotation id: (article id, label, deleted)} for the ids that exist."""
        rows = select_in(self.conn, "SELECT id, article_id, label, deleted FROM annotations WHERE id IN ({})", list(ids))
        return {r[0]: (r[1], r[2], bool(r[3])) for r in rows}

    # -- agreement ---------------------------------------------------------------------------------

    _COUNTED = """
        SELECT a.id, a.title, t.text,
               (SELECT json_group_array(json_array(n.annotator, n.start, n."end", n.label, {id}))
                  FROM annotations n
                 WHERE n.article_id = a.id AND n.deleted = 0 AND n.annotator IN (:a, :b)) AS spans
        FROM articles a JOIN texts t ON t.article_id = a.id
        WHERE EXISTS (SELECT 1 FROM annotations x WHERE x.annotator = :a AND x.article_id = a.id AND x.deleted = 0)
          AND EXISTS (SELECT 1 FROM annotations y WHERE y.annotator = :b AND y.article_id = a.id AND y.deleted = 0)
          {only}
        ORDER BY a.id
    """

    def counted_article_spans(
        self, a: str, b: str, article_ids: Sequence[str] | None = None, *, with_ids: bool = True,
        from_id: str | None = None, before_id: str | None = None,
    ) -> Iterator[tuple[str, str, str, list[list]]]:
        """(id, title, text, [[annotator, start, end, label, annotation id], ...]) of each article where both `a`
        and `b` have a live annotation, in id order, streamed (one query). Without `with_ids` the
        annotation id is None (agree's totals do not need it: less JSON to build and read);
        `from_id` / `before_id` keep the articles with from_id <= id < before_id."""
        params: dict[str, object] = {"a": a, "b": b}
        only = ""
        if article_ids is not None:
            only = "AND a.id IN (SELECT value FROM json_each(:ids))"
            params["ids"] = json.dumps(list(article_ids))
        if from_id is not None:
            only += " AND a.id >= :from_id"
            params["from_id"] = from_id
        if before_id is not None:
            only += " AND a.id < :before_id"
            params["before_id"] = before_id
        sql = self._COUNTED.format(only=only, id="n.id" if with_ids else "NULL")
        loads = jsontext.loads
        try:
            for article_id, title, text, spans in self.conn.execute(sql, params):
                yield article_id, title, text, loads(spans)
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def middle_article_id(self, at_least: int) -> str | None:
        """The id that cuts the articles, in id order, into two halves; None below `at_least` articles."""
        count = self._one("SELECT COUNT(*) FROM articles", {})[0]
        if count < at_least:
            return None
        return self._one("SELECT id FROM articles ORDER BY id LIMIT 1 OFFSET :half", {"half": count // 2})[0]

    def count_counted_articles(self, a: str, b: str, article_ids: Sequence[str] | None = None) -> int:
        sql = (
            "SELECT COUNT(*) FROM articles a WHERE "
            "EXISTS (SELECT 1 FROM annotations x WHERE x.annotator = :a AND x.article_id = a.id AND x.deleted = 0) "
            "AND EXISTS (SELECT 1 FROM annotations y WHERE y.annotator = :b AND y.article_id = a.id AND y.deleted = 0)"
        )
        params: dict[str, object] = {"a": a, "b": b}
        if article_ids is not None:
            sql += " AND a.id IN (SELECT value FROM json_each(:ids))"
            params["ids"] = json.dumps(list(article_ids))
        return self._one(sql, params)[0]

    # -- decisions ---------------------------------------------------------------------------------

    def get_decision(self, decision_id: str) -> Decision:
        resolved = self.resolve_decision_id(decision_id)
        rows = self.rows(f"SELECT {_DECISION_SELECT} FROM decisions WHERE id = ?", (resolved,))
        return codecs.decision_from_row(rows[0])

    def decisions_for(self, article_id: str | None = None, *, include_undone: bool = False) -> list[Decision]:
        """Decisions of one article (or of the project), oldest first; reopened ones only if asked."""
        sql = f"SELECT {_DECISION_SELECT} FROM decisions WHERE 1 = 1"
        params: list[object] = []
        if article_id is not None:
            sql += " AND article_id = ?"
            params.append(article_id)
        if not include_undone:
            sql += " AND undone_at = ''"
        return [codecs.decision_from_row(r) for r in self.rows(sql + " ORDER BY decided_at, id", params)]

    # -- assignments and progress (assignments.py, progress_query.py) ------------------------------

    def assignments(self, *, article_ids: Iterable[str] | None = None, analysts: Iterable[str] | None = None,
                    include_deleted: bool = False) -> list[Assignment]:
        try:
            return assignment_rows.select(self.conn, article_ids=article_ids, analysts=analysts,
                                          include_deleted=include_deleted)
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def assignments_by_id(self, ids: Iterable[str]) -> dict[str, Assignment]:
        return assignment_rows.by_id(self.conn, ids)

    def analysts_of(self, article_ids: Iterable[str] | None = None) -> dict[str, list[str]]:
        """{article id: its analysts} of the articles assigned to anyone."""
        return assignment_rows.analysts_of(self.conn, article_ids)

    def assignment_counts(self) -> dict[str, int]:
        return assignment_rows.counts(self.conn)

    def assignment_progress(self) -> list[tuple[str, str, str, str, int]]:
        return assignment_rows.progress_rows(self.conn)

    def annotations_by_annotator_and_label(self) -> list[tuple[str, str, int]]:
        return progress_query.annotations_by_annotator_and_label(self.conn)

    def annotations_by_day(self) -> list[tuple[str, str, int]]:
        return progress_query.annotations_by_day(self.conn)

    # -- the journal -------------------------------------------------------------------------------

    def journal_since(self, seq: int, limit: int = 1000) -> list[JournalEntry]:
        try:
            return _journal().since(self.conn, seq, limit)
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def latest_seq(self) -> int:
        return _journal().latest_seq(self.conn)

    def journal_entry(self, op_id: str) -> JournalEntry:
        found = _journal().entry(self.conn, self.resolve_op_id(op_id))
        assert found is not None
        return found

    def history(self, *, article_id: str | None = None, annotator: str | None = None, limit: int = 50,
                kinds_excluded: tuple[str, ...] = ()) -> list[JournalEntry]:
        try:
            return _journal().history(self.conn, article_id=article_id, annotator=annotator, limit=limit,
                                      kinds_excluded=kinds_excluded)
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def standing(self, op_ids: Sequence[str]) -> dict[str, bool]:
        return _journal().standing(self.conn, list(op_ids))

    def batch(self, batch_id: str) -> list[JournalEntry]:
        return _journal().batch(self.conn, batch_id)

    def newest_standing(self, annotator: str) -> JournalEntry | None:
        try:
            return _journal().newest_standing(self.conn, annotator)
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    def last_undo(self, annotator: str) -> JournalEntry | None:
        return _journal().last_undo(self.conn, annotator)

    def images(self, op_id: str, *, newest_first: bool = False) -> Iterator[list]:
        try:
            yield from _journal().images(self.conn, op_id, newest_first)
        except (sqlite3.DatabaseError, ValueError) as exc:  # a damaged part: zlib or JSON errors too
            if isinstance(exc, sqlite3.DatabaseError):
                raise translate(exc, self.path) from None
            raise codecs.RowError("journal_changes", op_id, "data", "cannot be read") from None

    def operations_after(self, seq: int, articles: Iterable[str] | None = None) -> list[JournalEntry]:
        return _journal().after(self.conn, seq, articles)

    def later_entry_touching(self, seq: int, key: str) -> JournalEntry | None:
        return _journal().later_entry_touching(self.conn, seq, key)

    def journal_size(self) -> tuple[int, int]:
        return _journal().journal_size(self.conn)

