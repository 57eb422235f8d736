"""The project file: one SQLite database (through sqlite-utils) holding articles, annotations, relations.

Every public write is one transaction (`db.atomic()`), committed before it returns, so whatever the
UI reports as saved survives a crash. Deletions are tombstones (`deleted = 1`), which lets undo,
merges and re-imports of a colleague's set behave. The schema version lives in `PRAGMA user_version`
and older files are migrated forward on open.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from . import textspan
from .errors import (
    AmbiguousIdError,
    NotFoundError,
    ProjectDamagedError,
    ProjectError,
    ProjectLockedError,
    ProjectNeedsUpgrade,
    ValidationError,
)
from .model import ARTICLE_STATUSES, ORIGINS, Annotation, Article, ArticleSummary, Block, Relation
from .schema import LabelSchema, default_schema_text, parse_schema

if TYPE_CHECKING:
    from ._sqlite_utils import sqlite_utils

SCHEMA_VERSION = 3
BUSY_TIMEOUT_SECONDS = 5.0

_V1_TABLES = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    blocks TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    outlet TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT NOT NULL DEFAULT '',
    section TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'todo'
);
CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    attributes TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    annotator TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'manual',
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX annotations_by_article ON annotations(article_id, deleted);
CREATE TABLE relations (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    head TEXT NOT NULL REFERENCES annotations(id),
    tail TEXT NOT NULL REFERENCES annotations(id),
    type TEXT NOT NULL,
    annotator TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX relations_by_article ON relations(article_id, deleted);
"""

_V2_CHANGES = """
ALTER TABLE articles ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX annotations_by_annotator ON annotations(annotator, article_id);
CREATE INDEX relations_by_head ON relations(head);
CREATE INDEX relations_by_tail ON relations(tail);
"""

# Version 3 (review, issue 7): adjudication decisions behind the gold layer (annotator "gold").
# gold_ids/relation_ids/source_ids are JSON lists, copied_from a JSON object {gold id: source id};
# undone_at is '' while the decision stands (see annotator/review.py, docs/review.md).
_V3_CHANGES = """
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    decision TEXT NOT NULL,
    source_ids TEXT NOT NULL DEFAULT '[]',
    gold_ids TEXT NOT NULL DEFAULT '[]',
    copied_from TEXT NOT NULL DEFAULT '{}',
    relation_ids TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    undone_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX decisions_by_article ON decisions(article_id, undone_at);
"""

# MIGRATIONS[n] takes a file from user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (_V1_TABLES, _V2_CHANGES, _V3_CHANGES)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    return str(uuid.uuid4())


class Store:
    """A project file. Open with `Store.open(path)`; every method is safe to call from the GUI or CLI."""

    def __init__(self, db: sqlite_utils.Database | sqlite3.Connection, path: Path, readonly: bool = False) -> None:
        self.conn: sqlite3.Connection = db if isinstance(db, sqlite3.Connection) else db.conn
        self._db = None if isinstance(db, sqlite3.Connection) else db
        self.path = path
        self.readonly = readonly
        self._schema: LabelSchema | None = None

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path, *, readonly: bool = False, timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> "Store":
        path = Path(path)
        if readonly and not path.exists():
            raise ProjectError(f"{path}: no such project file")
        if not readonly:
            path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_non_sqlite(path)
        try:
            if readonly:
                conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
            else:
                conn = sqlite3.connect(str(path), timeout=timeout)
            _configure(conn, readonly, timeout)
            store = cls(conn, path, readonly)
            if not readonly:
                store._migrate()
            store._check_version()
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, path) from None
        return store

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the project's connection, made on first use.

        Importing sqlite-utils costs more than the window's whole start-up budget
        (benchmarks/bench_startup.py), and reading needs only the connection: the window's first
        frame and `annotator list` never load it.
        """
        if self._db is None:
            from ._sqlite_utils import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.version
        if version >= SCHEMA_VERSION:
            return  # up to date, or newer: _check_version explains
        if version == 0 and self._has_foreign_tables():
            raise ProjectError(f"{self.path}: this SQLite file is not a News Annotator project")
        with self.transaction():
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self.db.conn.execute(statement)
                self.db.conn.execute(f"PRAGMA user_version = {step + 1}")

    def _has_foreign_tables(self) -> bool:
        return bool(self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])

    def _check_version(self) -> None:
        version = self.version
        if version > SCHEMA_VERSION:
            raise ProjectError(
                f"{self.path}: made by a newer News Annotator (file version {version}, "
                f"this one reads up to {SCHEMA_VERSION}); update the app to open it"
            )
        if version < SCHEMA_VERSION and self.readonly:
            raise ProjectNeedsUpgrade(
                f"{self.path}: an older project file (version {version}); open it once for writing to upgrade it"
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One user action: everything inside commits together or not at all."""
        if self.readonly:
            raise ProjectError(f"{self.path}: opened read-only")
        try:
            with self.db.atomic() as db:
                yield db
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, self.path) from None

    def _rows(self, sql: str, params: Iterable[object] = ()) -> list[dict]:
        try:
            cursor = self.conn.execute(sql, tuple(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, self.path) from None

    # -- project settings ----------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0]["value"] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def schema(self) -> LabelSchema:
        if self._schema is None:
            self._schema = parse_schema(self.schema_text(), f"{self.path} schema")
        return self._schema

    def schema_text(self) -> str:
        """The project's schema as TOML: its own if it has one, else the default."""
        return self.get_meta("schema") or default_schema_text()

    def set_schema_text(self, text: str) -> LabelSchema:
        schema = parse_schema(text)
        self.set_meta("schema", text)
        self._schema = schema
        return schema

    # Schema changes while annotations use it (annotator/schema_changes.py has the rules).

    def label_usage(self, name: str) -> int:
        """How many live annotations (in all articles) have label `name`."""
        rows = self._rows("SELECT count(*) AS n FROM annotations WHERE deleted = 0 AND label = ?", (name,))
        return rows[0]["n"]

    def change_schema(self, new, *, renames=None, force: bool = False, origin: str = "schema"):
        """Replace the schema (LabelSchema or TOML text); refuses to drop labels in use unless `force`."""
        from .schema_changes import change_schema

        return change_schema(self, new, renames=renames, force=force, origin=origin)

    def rename_label(self, old: str, new: str):
        """Rename a label in the schema and on its annotations, in one transaction (a SchemaChange)."""
        from .schema_changes import rename_label

        return rename_label(self, old, new)

    def revert_schema_change(self, change) -> None:
        from .schema_changes import revert_schema_change

        revert_schema_change(self, change)

    # -- articles ------------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store an article; returns False (and changes nothing) if the same text is already here."""
        return self.add_articles([article])[0]

    def add_articles(self, articles: Iterable[Article]) -> list[bool]:
        """Store many articles in one transaction; one flag per article, False for a duplicate."""
        stamp = now()
        added: list[bool] = []
        with self.transaction() as db:
            for article in articles:
                row = _article_row(article, stamp)
                cursor = db.conn.execute(
                    _insert_sql("articles", row, "INSERT OR IGNORE"),
                    tuple(row.values()),
                )
                added.append(cursor.rowcount == 1)
        return added

    def has_article(self, article_id: str) -> bool:
        return bool(self._rows("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def get_article(self, article_id: str) -> Article:
        rows = self._rows("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"no article with id {article_id}")
        return _article_from_row(rows[0])

    def resolve_article_id(self, prefix: str) -> str:
        return self._resolve("articles", prefix, "article")

    def resolve_annotation_id(self, prefix: str) -> str:
        return self._resolve("annotations", prefix, "annotation")

    def resolve_relation_id(self, prefix: str) -> str:
        return self._resolve("relations", prefix, "relation")

    def _resolve(self, table: str, prefix: str, what: str) -> str:
        """A unique prefix of an id stands for the id, as in git."""
        prefix = prefix.strip().lower()
        if not prefix:
            raise NotFoundError(f"no {what} id given")
        # A range on the primary key, not LIKE: it uses the index instead of scanning every id.
        rows = self._rows(
            f"SELECT id FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 6", (prefix, prefix + "\uffff")
        )
        exact = [r["id"] for r in rows if r["id"] == prefix]
        if exact:
            return exact[0]
        if not rows:
            raise NotFoundError(f"no {what} with id {prefix}")
        if len(rows) > 1:
            shown = ", ".join(r["id"] for r in rows[:5])
            raise AmbiguousIdError(f"{what} id {prefix} is ambiguous: it starts {shown}{'…' if len(rows) > 5 else ''}")
        return rows[0]["id"]

    def list_articles(self) -> list[ArticleSummary]:
        rows = self._rows(
            """
            SELECT a.id, a.title, a.outlet, a.status, length(a.text) AS length, a.imported_at,
                   (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.deleted = 0)
                       AS annotations
            FROM articles a ORDER BY a.imported_at, a.title
            """
        )
        return [ArticleSummary(**row) for row in rows]

    def set_article_status(self, article_id: str, status: str) -> None:
        if status not in ARTICLE_STATUSES:
            raise ValidationError(f"unknown status {status!r}; expected one of {', '.join(ARTICLE_STATUSES)}")
        self._update_article(article_id, status=status)

    def set_article_note(self, article_id: str, note: str) -> None:
        self._update_article(article_id, note=note)

    def article_notes(self) -> dict[str, str]:
        """The articles that have a note: {article id: note}."""
        return {r["id"]: r["note"] for r in self._rows("SELECT id, note FROM articles WHERE note != ''")}

    def search_notes(self, text: str) -> set[str]:
        """Ids of the articles whose own note, or a live annotation's note, contains `text` (any case)."""
        needle = text.strip().casefold()
        if not needle:
            return set()
        rows = self._rows(
            "SELECT id, note FROM articles WHERE note != '' "
            "UNION ALL SELECT article_id, note FROM annotations WHERE deleted = 0 AND note != ''"
        )
        return {r["id"] for r in rows if needle in r["note"].casefold()}

    def _update_article(self, article_id: str, **values: str) -> None:
        with self.transaction() as db:
            assignments = ", ".join(f"{key} = ?" for key in values)
            cursor = db.conn.execute(
                f"UPDATE articles SET {assignments} WHERE id = ?", (*values.values(), article_id)
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"no article with id {article_id}")

    # -- annotations ---------------------------------------------------------------------------

    def add_annotation(
        self,
        article_id: str,
        start: int,
        end: int,
        label: str,
        *,
        annotator: str,
        attributes: dict[str, object] | None = None,
        note: str = "",
        origin: str = "manual",
        annotation_id: str | None = None,
    ) -> Annotation:
        article = self.get_article(article_id)
        check_span(article.text, start, end)
        if origin not in ORIGINS:
            raise ValidationError(f"unknown origin {origin!r}")
        checked = self.schema.validate_attributes(label, attributes or {})
        selector = textspan.make_selector(article.text, start, end)
        stamp = now()
        annotation = Annotation(
            id=annotation_id or new_id(),
            article_id=article.id,
            start=start,
            end=end,
            label=label,
            quote=selector.exact,
            prefix=selector.prefix,
            suffix=selector.suffix,
            attributes=checked,
            note=note,
            annotator=annotator,
            created=stamp,
            updated=stamp,
            origin=origin,
        )
        with self.transaction() as db:
            self._mark_in_progress(db, article.id)
            db.conn.execute(*_insert("annotations", _annotation_row(annotation)))
        return annotation

    def get_annotation(self, annotation_id: str) -> Annotation:
        rows = self._rows("SELECT * FROM annotations WHERE id = ?", (annotation_id,))
        if not rows:
            raise NotFoundError(f"no annotation with id {annotation_id}")
        return _annotation_from_row(rows[0])

    def annotations_for(
        self, article_id: str, *, annotator: str | None = None, include_deleted: bool = False
    ) -> list[Annotation]:
        sql = "SELECT * FROM annotations WHERE article_id = ?"
        params: list[object] = [article_id]
        if not include_deleted:
            sql += " AND deleted = 0"
        if annotator is not None:
            sql += " AND annotator = ?"
            params.append(annotator)
        sql += ' ORDER BY start, "end", created'
        return [_annotation_from_row(row) for row in self._rows(sql, params)]

    def annotators(self) -> list[str]:
        rows = self._rows("SELECT DISTINCT annotator FROM annotations WHERE deleted = 0 ORDER BY annotator")
        return [row["annotator"] for row in rows]

    def update_annotation(
        self,
        annotation_id: str,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        attributes: dict[str, object] | None = None,
        note: str | None = None,
    ) -> Annotation:
        """Change label, bounds, attributes or note; returns the annotation as stored afterwards."""
        current = self.get_annotation(annotation_id)
        if current.deleted:
            raise NotFoundError(f"annotation {annotation_id} is deleted")
        changed = replace(current, updated=now())
        if label is not None:
            self.schema.label(label)
            changed.label = label
            if attributes is None:
                changed.attributes = _keep_known(self.schema, label, current.attributes)
        if attributes is not None:
            changed.attributes = self.schema.validate_attributes(changed.label, attributes)
        if note is not None:
            changed.note = note
        if start is not None or end is not None:
            text = self.get_article(current.article_id).text
            changed.start = current.start if start is None else start
            changed.end = current.end if end is None else end
            check_span(text, changed.start, changed.end)
            selector = textspan.make_selector(text, changed.start, changed.end)
            changed.quote, changed.prefix, changed.suffix = selector.exact, selector.prefix, selector.suffix
        with self.transaction() as db:
            row = _annotation_row(changed)
            db.conn.execute(
                f"UPDATE annotations SET {', '.join(f'{_q(k)} = ?' for k in row)} WHERE id = ?",
                (*row.values(), annotation_id),
            )
        return changed

    def delete_annotation(self, annotation_id: str) -> list[str]:
        """Tombstone an annotation and its live relations; returns the ids of those relations."""
        annotation = self.get_annotation(annotation_id)
        stamp = now()
        with self.transaction() as db:
            relation_ids = [
                row[0]
                for row in db.conn.execute(
                    "SELECT id FROM relations WHERE (head = ? OR tail = ?) AND deleted = 0",
                    (annotation.id, annotation.id),
                )
            ]
            db.conn.execute(
                "UPDATE annotations SET deleted = 1, updated = ? WHERE id = ?", (stamp, annotation.id)
            )
            db.conn.executemany(
                "UPDATE relations SET deleted = 1, updated = ? WHERE id = ?",
                [(stamp, rid) for rid in relation_ids],
            )
        return relation_ids

    def restore_annotation(self, annotation_id: str, relation_ids: Iterable[str] = ()) -> None:
        """Undo of a delete: bring the annotation back with the relations deleted alongside it."""
        self.get_annotation(annotation_id)
        stamp = now()
        with self.transaction() as db:
            db.conn.execute(
                "UPDATE annotations SET deleted = 0, updated = ? WHERE id = ?", (stamp, annotation_id)
            )
            db.conn.executemany(
                "UPDATE relations SET deleted = 0, updated = ? WHERE id = ?",
                [(stamp, rid) for rid in relation_ids],
            )

    def _mark_in_progress(self, db: sqlite_utils.Database, article_id: str) -> None:
        db.conn.execute(
            "UPDATE articles SET status = 'in_progress' WHERE id = ? AND status = 'todo'", (article_id,)
        )

    # -- relations -----------------------------------------------------------------------------

    def add_relation(
        self, head: str, tail: str, type: str, *, annotator: str, relation_id: str | None = None
    ) -> Relation:
        head_ann, tail_ann = self.get_annotation(head), self.get_annotation(tail)
        if head_ann.deleted or tail_ann.deleted:
            raise ValidationError("cannot relate a deleted annotation")
        if head_ann.article_id != tail_ann.article_id:
            raise ValidationError("a relation joins two annotations of the same article")
        if head_ann.id == tail_ann.id:
            raise ValidationError("an annotation cannot be related to itself")
        relation_type = self.schema.relation_type(type)
        for ann, allowed, end in ((head_ann, relation_type.head, "head"), (tail_ann, relation_type.tail, "tail")):
            if allowed and ann.label not in allowed:
                raise ValidationError(
                    f"{type} needs a {' or '.join(allowed)} as its {end}; {ann.id[:8]} is a {ann.label}"
                )
        stamp = now()
        relation = Relation(
            id=relation_id or new_id(),
            article_id=head_ann.article_id,
            head=head_ann.id,
            tail=tail_ann.id,
            type=type,
            annotator=annotator,
            created=stamp,
            updated=stamp,
        )
        with self.transaction() as db:
            db.conn.execute(*_insert("relations", _relation_row(relation)))
        return relation

    def get_relation(self, relation_id: str) -> Relation:
        rows = self._rows("SELECT * FROM relations WHERE id = ?", (relation_id,))
        if not rows:
            raise NotFoundError(f"no relation with id {relation_id}")
        return _relation_from_row(rows[0])

    def relations_for(self, article_id: str, *, include_deleted: bool = False) -> list[Relation]:
        sql = "SELECT * FROM relations WHERE article_id = ?"
        if not include_deleted:
            sql += " AND deleted = 0"
        return [_relation_from_row(row) for row in self._rows(sql + " ORDER BY created", (article_id,))]

    def set_relation_deleted(self, relation_id: str, deleted: bool = True) -> None:
        self.get_relation(relation_id)
        with self.transaction() as db:
            db.conn.execute(
                "UPDATE relations SET deleted = ?, updated = ? WHERE id = ?",
                (int(deleted), now(), relation_id),
            )

    # -- upserts by id: imported annotation sets -------------------------------------------------
    #
    # Used by the importer of annotation sets (`annotator/annotation_sets.py`): a colleague's set
    # arrives with its own ids, annotator names, timestamps and tombstones, and must merge into the
    # project without duplicates, so that importing the same set twice changes nothing and a later
    # set from the same colleague applies their edits and deletions.

    def put_annotations(self, annotations: Iterable[Annotation]) -> "UpsertCounts":
        """Insert or update annotations by id, all in one transaction; returns what happened.

        Each annotation is stored with its own id, annotator, origin, `created`/`updated` and
        `deleted` flag (a tombstone stays a tombstone). For an id already in the project:

        * same content (offsets, label, attributes, note, annotator, deleted): nothing changes;
        * the incoming `updated` is later than the stored one: the stored row takes the incoming
          content and timestamps; a tombstone deletes the annotation and its live relations (as
          `delete_annotation` does), a live one brings a deleted annotation back;
        * otherwise the stored row is kept (`kept`): an edit made here later wins.

        Offsets, label and attributes are checked as in `add_annotation`; the quote, prefix and
        suffix are recomputed from the article's text. An id that belongs to another article is an
        error. The stored `origin` of an existing annotation is left as it is. Rows are read and
        written in batches, so a large import costs a few statements per batch, not per span.
        """
        counts = UpsertCounts()
        batch = list(annotations)
        if not batch:
            return counts
        with self.transaction() as db:
            conn = db.conn
            texts = dict(_select_in(conn, "SELECT id, text FROM articles WHERE id IN ({})", {a.article_id for a in batch}))
            existing = {
                row[0]: row[1:]
                for row in _select_in(
                    conn,
                    'SELECT id, article_id, start, "end", label, attributes, note, annotator, deleted, updated '
                    "FROM annotations WHERE id IN ({})",
                    {a.id for a in batch},
                )
            }
            inserts: list[tuple[object, ...]] = []
            started: set[str] = set()
            for annotation in batch:
                if annotation.article_id not in texts:
                    raise NotFoundError(f"no article with id {annotation.article_id}")
                incoming = self._checked_import(annotation, texts[annotation.article_id])
                values = _annotation_row(incoming)
                attributes = values["attributes"]
                row = existing.get(incoming.id)
                existing[incoming.id] = (
                    incoming.article_id, incoming.start, incoming.end, incoming.label, attributes,
                    incoming.note, incoming.annotator, int(incoming.deleted), incoming.updated,
                )  # fmt: skip
                if row is None:
                    inserts.append(tuple(values.values()))
                    if not incoming.deleted:
                        started.add(incoming.article_id)
                    counts.added += 1
                    continue
                if row[0] != incoming.article_id:
                    raise ValidationError(
                        f"annotation {incoming.id} belongs to article {row[0]}, not to {incoming.article_id}"
                    )
                stored = (row[1], row[2], row[3], json.loads(row[4]), row[5], row[6], bool(row[7]))
                content = (
                    incoming.start, incoming.end, incoming.label, incoming.attributes,
                    incoming.note, incoming.annotator, incoming.deleted,
                )  # fmt: skip
                if stored == content:
                    existing[incoming.id] = row
                    counts.unchanged += 1
                    continue
                if incoming.updated <= row[8]:
                    existing[incoming.id] = row
                    counts.kept += 1
                    continue
                del values["id"], values["origin"], values["created"]
                conn.execute(
                    f"UPDATE annotations SET {', '.join(f'{_q(k)} = ?' for k in values)} WHERE id = ?",
                    (*values.values(), incoming.id),
                )
                if incoming.deleted and not row[7]:
                    conn.execute(
                        "UPDATE relations SET deleted = 1, updated = ? WHERE (head = ? OR tail = ?) AND deleted = 0",
                        (incoming.updated, incoming.id, incoming.id),
                    )
                    counts.deleted += 1
                else:
                    counts.updated += 1
            if inserts:
                conn.executemany(_insert_sql("annotations", _annotation_row(batch[0])), inserts)
            conn.executemany(
                "UPDATE articles SET status = 'in_progress' WHERE id = ? AND status = 'todo'",
                [(article_id,) for article_id in started],
            )
        return counts

    def put_annotation(self, annotation: Annotation) -> "UpsertCounts":
        """`put_annotations` for one annotation."""
        return self.put_annotations([annotation])

    def _checked_import(self, annotation: Annotation, text: str) -> Annotation:
        check_span(text, annotation.start, annotation.end)
        if annotation.origin not in ORIGINS:
            raise ValidationError(f"unknown origin {annotation.origin!r}")
        attributes = self.schema.validate_attributes(annotation.label, annotation.attributes)  # checks the label too
        start, end = annotation.start, annotation.end
        stamp = annotation.updated or annotation.created or now()
        return Annotation(
            id=annotation.id,
            article_id=annotation.article_id,
            start=start,
            end=end,
            label=annotation.label,
            quote=text[start:end],
            prefix=text[max(0, start - 32) : start],
            suffix=text[end : end + 32],
            attributes=attributes,
            note=annotation.note,
            annotator=annotation.annotator,
            created=annotation.created or stamp,
            updated=stamp,
            origin=annotation.origin,
            deleted=annotation.deleted,
        )

    def put_relations(self, relations: Iterable[Relation]) -> "UpsertCounts":
        """Insert or update relations by id in one transaction, with the rules of `put_annotations`.

        Both ends must exist in the relation's article (live, unless the relation is a tombstone)
        and the type must be one of the schema's, with the labels it allows at each end.
        """
        counts = UpsertCounts()
        batch = list(relations)
        if not batch:
            return counts
        with self.transaction() as db:
            conn = db.conn
            ends = {
                row[0]: row[1:]
                for row in _select_in(
                    conn,
                    "SELECT id, article_id, label, deleted FROM annotations WHERE id IN ({})",
                    {r.head for r in batch} | {r.tail for r in batch},
                )
            }
            existing = {
                row[0]: row[1:]
                for row in _select_in(
                    conn,
                    "SELECT id, article_id, head, tail, type, annotator, deleted, updated FROM relations WHERE id IN ({})",
                    {r.id for r in batch},
                )
            }
            inserts: list[tuple[object, ...]] = []
            for relation in batch:
                stamp = now()
                relation = replace(
                    relation,
                    created=relation.created or relation.updated or stamp,
                    updated=relation.updated or relation.created or stamp,
                )
                content = (relation.head, relation.tail, relation.type, relation.annotator, relation.deleted)
                row = existing.get(relation.id)
                if row is None or (row[1], row[2], row[3], row[4], bool(row[5])) != content and relation.updated > row[6]:
                    self._check_import_relation(relation, ends)
                existing[relation.id] = (relation.article_id, *content[:4], int(relation.deleted), relation.updated)
                if row is None:
                    inserts.append(tuple(_relation_row(relation).values()))
                    counts.added += 1
                    continue
                if row[0] != relation.article_id:
                    raise ValidationError(
                        f"relation {relation.id} belongs to article {row[0]}, not to {relation.article_id}"
                    )
                if (row[1], row[2], row[3], row[4], bool(row[5])) == content:
                    existing[relation.id] = row
                    counts.unchanged += 1
                    continue
                if relation.updated <= row[6]:
                    existing[relation.id] = row
                    counts.kept += 1
                    continue
                conn.execute(
                    "UPDATE relations SET head = ?, tail = ?, type = ?, annotator = ?, deleted = ?, updated = ? "
                    "WHERE id = ?",
                    (*content[:4], int(relation.deleted), relation.updated, relation.id),
                )
                if relation.deleted and not row[5]:
                    counts.deleted += 1
                else:
                    counts.updated += 1
            if inserts:
                conn.executemany(_insert_sql("relations", _relation_row(batch[0])), inserts)
        return counts

    def put_relation(self, relation: Relation) -> "UpsertCounts":
        """`put_relations` for one relation."""
        return self.put_relations([relation])

    def _check_import_relation(self, relation: Relation, ends: dict[str, tuple]) -> None:
        labels = {}
        for end in (relation.head, relation.tail):
            row = ends.get(end)
            if row is None:
                raise NotFoundError(f"relation {relation.id}: no annotation with id {end}")
            if row[0] != relation.article_id:
                raise ValidationError(f"relation {relation.id}: annotation {end} is in another article")
            if row[2] and not relation.deleted:
                raise ValidationError(f"relation {relation.id}: annotation {end} is deleted")
            labels[end] = row[1]
        if relation.head == relation.tail:
            raise ValidationError(f"relation {relation.id}: an annotation cannot be related to itself")
        relation_type = self.schema.relation_type(relation.type)
        for end, allowed, side in ((relation.head, relation_type.head, "head"), (relation.tail, relation_type.tail, "tail")):
            if allowed and labels[end] not in allowed:
                raise ValidationError(
                    f"{relation.type} needs a {' or '.join(allowed)} as its {side}; {end[:8]} is a {labels[end]}"
                )

    # -- statistics ----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        row = self._rows(
            """SELECT (SELECT count(*) FROM articles) AS articles,
                      (SELECT count(*) FROM annotations WHERE deleted = 0) AS annotations,
                      (SELECT count(*) FROM relations WHERE deleted = 0) AS relations"""
        )[0]
        return dict(row)

    def annotation_counts(self, by: str) -> dict[str, int]:
        """Live annotations counted per `label` or per `annotator`, most frequent first."""
        if by not in ("label", "annotator"):
            raise ValueError(f"cannot count annotations by {by!r}")
        rows = self._rows(
            f"SELECT {by} AS key, count(*) AS n FROM annotations WHERE deleted = 0 GROUP BY {by} ORDER BY n DESC, {by}"
        )
        return {row["key"]: row["n"] for row in rows}


@dataclass
class UpsertCounts:
    """What `Store.put_annotations` / `put_relations` did with each record."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    kept: int = 0

    def __iadd__(self, other: "UpsertCounts") -> "UpsertCounts":
        for name in ("added", "updated", "deleted", "unchanged", "kept"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


# -- helpers ---------------------------------------------------------------------------------------


def check_span(text: str, start: int, end: int) -> None:
    if not isinstance(start, int) or not isinstance(end, int):
        raise ValidationError("offsets must be whole numbers")
    if start < 0 or end > len(text):
        raise ValidationError(f"span {start}-{end} is out of range: the article has {len(text)} characters")
    if start >= end:
        raise ValidationError(f"span {start}-{end} is empty or reversed: start must be before end")


def _keep_known(schema: LabelSchema, label: str, attributes: dict[str, object]) -> dict[str, object]:
    """On a label change, keep the attributes that the new label also has and whose values still fit."""
    kept: dict[str, object] = {}
    for key, value in attributes.items():
        try:
            kept.update(schema.validate_attributes(label, {key: value}))
        except ValidationError:
            continue
    return kept


def _select_in(conn: sqlite3.Connection, sql: str, keys: Iterable[object], chunk: int = 500) -> Iterator[tuple]:
    """Rows of `sql` (with one `IN ({})`) for all `keys`, in chunks that stay under SQLite's limit."""
    keys = list(keys)
    for i in range(0, len(keys), chunk):
        part = keys[i : i + chunk]
        yield from conn.execute(sql.format(", ".join("?" * len(part))), part)


def _q(column: str) -> str:
    return f'"{column}"'


def _insert_sql(table: str, columns: Iterable[str], verb: str = "INSERT") -> str:
    names = [_q(c) for c in columns]
    return f"{verb} INTO {table}({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


def _insert(table: str, row: dict[str, object]) -> tuple[str, tuple[object, ...]]:
    return _insert_sql(table, row), tuple(row.values())


def _article_row(article: Article, stamp: str) -> dict[str, object]:
    return {
        "id": article.id,
        "text": article.text,
        "blocks": json.dumps([[b.kind, b.start, b.end] for b in article.blocks]),
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "authors": json.dumps(article.authors, ensure_ascii=False),
        "published": article.published,
        "section": article.section,
        "language": article.language,
        "source_file": article.source_file,
        "imported_at": article.imported_at or stamp,
        "status": article.status,
        "note": article.note,
    }


def _article_from_row(row: dict) -> Article:
    fields = dict(row)
    fields["blocks"] = [Block(kind, start, end) for kind, start, end in json.loads(fields["blocks"])]
    fields["authors"] = json.loads(fields["authors"])
    return Article(**fields)


def _annotation_row(annotation: Annotation) -> dict[str, object]:
    return {
        "id": annotation.id,
        "article_id": annotation.article_id,
        "start": annotation.start,
        "end": annotation.end,
        "label": annotation.label,
        "quote": annotation.quote,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "attributes": json.dumps(annotation.attributes, ensure_ascii=False, sort_keys=True),
        "note": annotation.note,
        "annotator": annotation.annotator,
        "created": annotation.created,
        "updated": annotation.updated,
        "origin": annotation.origin,
        "deleted": int(annotation.deleted),
    }


def _annotation_from_row(row: dict) -> Annotation:
    fields = dict(row)
    fields["attributes"] = json.loads(fields["attributes"])
    fields["deleted"] = bool(fields["deleted"])
    return Annotation(**fields)


def _relation_row(relation: Relation) -> dict[str, object]:
    return {
        "id": relation.id,
        "article_id": relation.article_id,
        "head": relation.head,
        "tail": relation.tail,
        "type": relation.type,
        "annotator": relation.annotator,
        "created": relation.created,
        "updated": relation.updated,
        "deleted": int(relation.deleted),
    }


def _relation_from_row(row: dict) -> Relation:
    fields = dict(row)
    fields["deleted"] = bool(fields["deleted"])
    return Relation(**fields)


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_non_sqlite(path: Path) -> None:
    """Check the header before SQLite touches the file, so a damaged or foreign file is never rewritten."""
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror})") from None
    if header != _SQLITE_MAGIC:
        raise ProjectDamagedError(
            f"{path}: not a project file or damaged (no SQLite header); it was left untouched"
        )


def _configure(conn: sqlite3.Connection, readonly: bool, timeout: float) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    if not readonly:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise ProjectLockedError("could not switch the project to WAL mode")
        conn.execute("PRAGMA synchronous = FULL")


def _translate(exc: sqlite3.DatabaseError, path: Path) -> Exception:
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        return ProjectLockedError(
            f"{path}: the project is locked by another program or window; nothing was changed, try again"
        )
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return ProjectDamagedError(f"{path}: the project file is damaged ({exc}); it was left untouched")
    if "readonly" in message or "read-only" in message:
        return ProjectError(f"{path}: the project cannot be written ({exc})")
    if "unable to open" in message:
        return ProjectError(f"{path}: cannot open the project file ({exc})")
    return ProjectError(f"{path}: {exc}")
