"""The project file's tables, version by version. `PRAGMA user_version` holds the version reached.

MIGRATIONS[n] takes a file from version n to n + 1; a file is migrated forward on open for writing
(all steps in one transaction), never backward. Each step's reason is written beside it.
"""

from __future__ import annotations

SCHEMA_VERSION = 8

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

# Version 2 (schema and notes): the article note, the project's own schema in `meta`.
_V2_CHANGES = """
ALTER TABLE articles ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX annotations_by_annotator ON annotations(annotator, article_id);
CREATE INDEX relations_by_head ON relations(head);
CREATE INDEX relations_by_tail ON relations(tail);
"""

# Version 3 (review): adjudication decisions behind the gold layer (annotator "gold").
# gold_ids/relation_ids/source_ids are JSON lists, copied_from a JSON object {gold id: source id};
# undone_at is '' while the decision stands.
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

# Version 4 (operations): the journal, and article text apart from the article's mutable row.
#
# * `texts` holds each article's canonical text and blocks, which never change (the article id is
#   their hash). SQLite rewrites a whole row on any UPDATE, so with the text in `articles` every
#   status or note change of a 20 MB article wrote 20 MB; now it writes a few bytes. `length` keeps
#   the text's length for the article list.
# * `journal` is append-only (the triggers refuse UPDATE and DELETE): one entry per operation,
#   `seq` in commit order (what a window reads "since"), `id` a UUIDv7 sortable by time across
#   machines. `changes` holds what the entry's ids touched (JSON, capped); `journal_changes` the
#   rows before and after, in parts (JSON, zlib-compressed when large) so that a bulk operation
#   streams its images instead of holding them in memory.
# * `decisions_one_standing`: one comparison (its source ids) has at most one standing decision, so
#   that no undo of a reopened decision can bring it back next to a newer one.
_V4_CHANGES = """
CREATE TABLE texts (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    text TEXT NOT NULL,
    blocks TEXT NOT NULL
);
INSERT INTO texts(article_id, text, blocks) SELECT id, text, blocks FROM articles;
ALTER TABLE articles ADD COLUMN length INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET length = length(text);
ALTER TABLE articles DROP COLUMN text;
ALTER TABLE articles DROP COLUMN blocks;
CREATE INDEX articles_by_url ON articles(url) WHERE url != '';
CREATE INDEX articles_by_title ON articles(title) WHERE title != '';
CREATE INDEX annotations_by_span ON annotations(article_id, start, "end");
CREATE UNIQUE INDEX decisions_one_standing ON decisions(article_id, source_ids) WHERE undone_at = '';
CREATE TABLE journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    annotator TEXT NOT NULL,
    at TEXT NOT NULL,
    article_id TEXT,
    batch_id TEXT,
    target TEXT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX journal_by_annotator ON journal(annotator, seq);
CREATE INDEX journal_by_article ON journal(article_id, seq);
CREATE INDEX journal_by_target ON journal(target);
CREATE INDEX journal_by_batch ON journal(batch_id);
CREATE TABLE journal_changes (
    op_id TEXT NOT NULL REFERENCES journal(id) DEFERRABLE INITIALLY DEFERRED,
    part INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (op_id, part)
);
CREATE TRIGGER journal_is_append_only BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_keeps_entries BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_changes_are_append_only BEFORE UPDATE ON journal_changes
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_changes_stay BEFORE DELETE ON journal_changes
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
"""

# Version 5 (foreign ids): what another tool said about an article, a span or a relation that the
# project has no column for (a Label Studio task id, region id, from_name and completed_by, a W3C
# annotation IRI and creator, Prodigy's meta and hashes, doccano's ids and meta), as a JSON object by
# format ({"labelstudio": {...}}), so that an export to that format writes them back. Our own UUIDs
# stay the primary keys (merging between colleagues relies on them). Named `foreign_data`: FOREIGN
# is an SQL keyword.
_V5_CHANGES = """
ALTER TABLE articles ADD COLUMN foreign_data TEXT NOT NULL DEFAULT '{}';
ALTER TABLE annotations ADD COLUMN foreign_data TEXT NOT NULL DEFAULT '{}';
ALTER TABLE relations ADD COLUMN foreign_data TEXT NOT NULL DEFAULT '{}';
"""

# Version 6 (assignments): which analyst is to annotate which article. One row per (article,
# analyst), its id derived from both so that the coordinator's copy and the analyst's are the same
# row when they travel (the exchange file, merge); unassigning is a tombstone (`deleted`), so a
# merge tells "unassigned" from "never assigned". `done_at` is set when the analyst marks the
# article done, so each analyst's progress is their own, not the article's shared status.
_V6_CHANGES = """
CREATE TABLE assignments (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    analyst TEXT NOT NULL,
    assigned_by TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    done_at TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX assignments_one_per_analyst ON assignments(article_id, analyst);
CREATE INDEX assignments_by_analyst ON assignments(analyst, deleted);
"""

# Version 7 (suggestions): spans and relations proposed by the suggesters (annotator/suggest), apart
# from the annotations so that nothing counts, exports, reviews or compares them unless accepted.
# One row per (article, start, end, label) ever: a rejected span is remembered and never suggested
# again, an accepted one points at the annotation it became (`annotation_id`, NULL until then).
# `state` is open, accepted or rejected; a suggester's precision per label is accepted / decided
# over its rows. A relation suggestion names its ends by suggestion id or annotation id (a claim
# proposed next to a source already tagged); `relation_id` is the relation it became.
_V7_CHANGES = """
CREATE TABLE suggestions (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    suggester TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL,
    created TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL DEFAULT '',
    annotation_id TEXT REFERENCES annotations(id)
);
CREATE UNIQUE INDEX suggestions_one_per_span ON suggestions(article_id, start, "end", label);
CREATE INDEX suggestions_by_state ON suggestions(state, article_id);
CREATE INDEX suggestions_by_suggester ON suggestions(suggester, label, state);
CREATE TABLE suggestion_relations (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    head TEXT NOT NULL,
    tail TEXT NOT NULL,
    type TEXT NOT NULL,
    suggester TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL,
    created TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL DEFAULT '',
    relation_id TEXT REFERENCES relations(id)
);
CREATE UNIQUE INDEX suggestion_relations_one_per_pair ON suggestion_relations(article_id, head, tail, type);
"""

# Version 8 (search): full-text indexes (FTS5) over article titles and texts and over the quotes
# and notes of live annotations, built here for the rows a project already has and kept in step
# by the recorder in the transaction of each write (store/search_index.py says why not triggers).
#
# * FTS5 rows are keyed by integers. The keys are our own INTEGER PRIMARY KEYs, not the implicit
#   rowids of `texts` and `annotations` (their primary keys are text), which VACUUM may renumber.
# * `search_texts` is an external-content index over `texts` (through a view that adds the key): the
#   text is not stored twice. Titles, quotes and notes are small: those indexes keep their own copy,
#   so a row is removed by its key alone.
# * Only live annotations are indexed (a tombstone is removed; its restore indexes it again).
_V8_CHANGES = """
CREATE TABLE search_article_keys (key INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE);
CREATE TABLE search_annotation_keys (key INTEGER PRIMARY KEY, annotation_id TEXT NOT NULL UNIQUE);
CREATE VIEW search_text_source AS
    SELECT k.key AS key, t.text AS text FROM search_article_keys k JOIN texts t ON t.article_id = k.article_id;
CREATE VIRTUAL TABLE search_texts USING fts5(
    text, content='search_text_source', content_rowid='key', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_titles USING fts5(title, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_annotations USING fts5(quote, note, tokenize='unicode61 remove_diacritics 2');
INSERT INTO search_article_keys(article_id) SELECT id FROM articles UNION SELECT article_id FROM texts;
INSERT INTO search_texts(search_texts) VALUES ('rebuild');
INSERT INTO search_titles(rowid, title)
    SELECT k.key, a.title FROM search_article_keys k JOIN articles a ON a.id = k.article_id;
INSERT INTO search_annotation_keys(annotation_id) SELECT id FROM annotations WHERE deleted = 0 ORDER BY rowid;
INSERT INTO search_annotations(rowid, quote, note)
    SELECT k.key, a.quote, a.note FROM search_annotation_keys k JOIN annotations a ON a.id = k.annotation_id;
"""

MIGRATIONS: tuple[str, ...] = (_V1_TABLES, _V2_CHANGES, _V3_CHANGES, _V4_CHANGES, _V5_CHANGES, _V6_CHANGES,
                              _V7_CHANGES, _V8_CHANGES)


def statements(script: str) -> list[str]:
    """The statements of a migration script, triggers kept whole (their bodies hold semicolons)."""
    found: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        in_trigger = text.upper().startswith("CREATE TRIGGER")
        if text.endswith(";") and (not in_trigger or text.upper().endswith("END;")):
            found.append(text)
            current = []
    rest = "\n".join(current).strip()
    if rest:
        found.append(rest)
    return found
