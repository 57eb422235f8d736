import sqlite3
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from annotator.errors import (
    AmbiguousIdError,
    NotFoundError,
    ProjectDamagedError,
    ProjectError,
    ProjectLockedError,
    ValidationError,
)
from annotator.model import build_article
from annotator import operations as ops
from annotator.store import SCHEMA_VERSION, Store
from annotator.store.migrations import MIGRATIONS
import support


def sample_article(body: str = "Kim Jong Un says he wants closer ties with Putin."):
    return build_article(
        [("headline", "Kim writes to Putin"), ("byline", "By Greg Norman | Fox News"), ("paragraph", body)],
        title="Kim writes to Putin",
        authors=["Greg Norman"],
        outlet="Fox News",
    )


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "p.annotator") as s:
        yield s


def test_new_file_has_current_version_and_durable_pragmas(tmp_path):
    path = tmp_path / "new.annotator"
    with Store.open(path) as store:
        conn = store.conn
        assert store.version == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert path.exists()


def test_article_round_trip_and_reopen(tmp_path):
    path = tmp_path / "p.annotator"
    article = sample_article()
    with Store.open(path) as store:
        assert support.add_article(store, article) is True
        ann = support.tag(store, article.id, 0, 3, "CLAIM", annotator="ana")
    with Store.open(path) as store:
        again = store.get_article(article.id)
        assert again.text == article.text
        assert again.blocks == article.blocks
        assert again.authors == ["Greg Norman"]
        assert again.status == "in_progress"
        [stored] = store.annotations_for(article.id)
        assert stored.id == ann.id
        assert stored.quote == article.text[0:3]


def test_same_text_is_a_duplicate(store):
    article = sample_article()
    assert support.add_article(store, article) is True
    assert support.add_article(store, sample_article()) is False
    assert store.counts()["articles"] == 1


def test_identity_is_the_content_hash():
    assert sample_article().id == sample_article().id
    assert sample_article().id != sample_article("Another body.").id


def test_annotation_offsets_are_code_points_with_emoji(store):
    article = build_article([("paragraph", "😀 Kim Jong Un said so.")])
    support.add_article(store, article)
    ann = support.tag(store, article.id, 2, 13, "SOURCE", annotator="ana")
    assert ann.quote == "Kim Jong Un"
    assert store.get_annotation(ann.id).start == 2


@pytest.mark.parametrize("start,end", [(-1, 3), (0, 10_000), (5, 5), (6, 2)])
def test_bad_offsets_are_refused(store, start, end):
    article = sample_article()
    support.add_article(store, article)
    with pytest.raises(ValidationError):
        support.tag(store, article.id, start, end, "CLAIM", annotator="ana")
    assert store.annotations_for(article.id) == []


def test_unknown_label_lists_the_known_ones(store):
    article = sample_article()
    support.add_article(store, article)
    with pytest.raises(ValidationError, match="CLAIM, SOURCE, CAPTION"):
        support.tag(store, article.id, 0, 3, "OPINION", annotator="ana")


def test_attributes_are_checked_against_the_schema(store):
    article = sample_article()
    support.add_article(store, article)
    ok = support.tag(store, article.id, 0, 3, "CLAIM", annotator="a", attributes={"checkworthy": "yes"})
    assert ok.attributes == {"checkworthy": "yes"}
    with pytest.raises(ValidationError, match="must be one of"):
        support.tag(store, article.id, 0, 3, "CLAIM", annotator="a", attributes={"checkworthy": "maybe"})
    with pytest.raises(ValidationError, match="has no attribute"):
        support.tag(store, article.id, 0, 3, "CLAIM", annotator="a", attributes={"colour": "red"})


def test_delete_is_a_tombstone_and_takes_relations_along(store):
    article = sample_article()
    support.add_article(store, article)
    claim = support.tag(store, article.id, 40, 60, "CLAIM", annotator="a")
    source = support.tag(store, article.id, 20, 31, "SOURCE", annotator="a")
    relation = support.relate(store, claim.id, source.id, "attributed_to", annotator="a")
    deleted = support.delete(store, source.id)
    assert deleted == [relation.id]
    assert [a.id for a in store.annotations_for(article.id)] == [claim.id]
    assert store.get_annotation(source.id).deleted
    assert store.relations_for(article.id) == []
    ops.restore_annotation(store, source.id, annotator="a")
    assert len(store.annotations_for(article.id)) == 2
    assert [r.id for r in store.relations_for(article.id)] == [relation.id]


def test_relation_type_checks_its_ends(store):
    article = sample_article()
    support.add_article(store, article)
    claim = support.tag(store, article.id, 40, 60, "CLAIM", annotator="a")
    other = support.tag(store, article.id, 20, 31, "CLAIM", annotator="a")
    with pytest.raises(ValidationError, match="needs a SOURCE"):
        support.relate(store, claim.id, other.id, "attributed_to", annotator="a")


def test_update_changes_label_bounds_and_note(store):
    article = sample_article()
    support.add_article(store, article)
    ann = support.tag(store, article.id, 0, 3, "CLAIM", annotator="a", attributes={"checkworthy": "no"})
    changed = support.update(store, ann.id, label="SOURCE", start=4, end=10, note="check this")
    assert (changed.label, changed.start, changed.end, changed.note) == ("SOURCE", 4, 10, "check this")
    assert changed.quote == article.text[4:10]
    assert changed.attributes == {}  # CLAIM's checkworthy does not belong to SOURCE
    assert store.get_annotation(ann.id) == changed


def test_id_prefixes(store):
    article = sample_article()
    support.add_article(store, article)
    assert store.resolve_article_id(article.id[:6]) == article.id
    with pytest.raises(NotFoundError):
        store.resolve_article_id("zzzz")
    with pytest.raises(NotFoundError, match="no article id given"):
        store.resolve_article_id("  ")
    support.add_article(store, sample_article("Second body."))
    with pytest.raises(NotFoundError):
        store.resolve_article_id("%")  # LIKE wildcards are taken literally


def test_ambiguous_prefix(store):
    for i in range(40):
        support.add_article(store, sample_article(f"Body number {i}."))
    ids = [a.id for a in store.list_articles()]
    shared = Counter(i[0] for i in ids).most_common(1)[0][0]  # 40 ids, 16 first characters
    with pytest.raises(AmbiguousIdError, match="ambiguous"):
        store.resolve_article_id(shared)


def test_list_counts_live_annotations(store):
    article = sample_article()
    support.add_article(store, article)
    keep = support.tag(store, article.id, 0, 3, "CLAIM", annotator="a")
    gone = support.tag(store, article.id, 4, 9, "CLAIM", annotator="a")
    support.delete(store, gone.id)
    [summary] = store.list_articles()
    assert summary.annotations == 1
    assert keep.id != gone.id


def test_migration_from_version_1_keeps_data(tmp_path):
    path = tmp_path / "old.annotator"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO articles(id, text, blocks, title, imported_at) VALUES "
        "('abc', 'Hello world', '[[\"paragraph\", 0, 11]]', 'Hello', '2024-01-01T00:00:00Z')"
    )
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.version == SCHEMA_VERSION
        article = store.get_article("abc")
        assert article.text == "Hello world"
        assert article.note == ""
        ops.set_article_note(store, "abc", "migrated", annotator="a")
        assert store.get_article("abc").note == "migrated"
        assert store.article_text("abc") == "Hello world"
        assert store.list_articles()[0].length == len("Hello world")


def test_newer_file_version_is_refused(tmp_path):
    path = tmp_path / "future.annotator"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(ProjectError, match="newer"):
        Store.open(path)


def test_damaged_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "broken.annotator"
    garbage = b"this is not a database\x00" * 500
    path.write_bytes(garbage)
    with pytest.raises(ProjectDamagedError, match="left untouched"):
        Store.open(path)
    assert path.read_bytes() == garbage


def test_truncated_database_is_reported_damaged(tmp_path):
    path = tmp_path / "cut.annotator"
    with Store.open(path) as store:
        for i in range(200):
            support.add_article(store, sample_article(f"Body {i} " + "x" * 500))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    cut = data[: len(data) // 3] + b"\x07" * 4096 + data[len(data) // 3 + 4096 :]
    path.write_bytes(cut)
    # Where the cut lands depends on the file's layout: in a table's pages ("damaged") or inside a
    # journal part (RowError, a ProjectDamagedError naming the row that "cannot be read").
    with pytest.raises(ProjectDamagedError, match="damaged|cannot be read"):
        store = Store.open(path)
        for summary in store.list_articles():
            store.get_article(summary.id)
        for entry in store.history(limit=1000):
            list(store.images(entry.id))
    assert path.read_bytes() == cut


def test_foreign_sqlite_file_is_not_taken_over(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not a News Annotator project"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


def test_locked_project_gives_a_clear_error_and_changes_nothing(tmp_path):
    path = tmp_path / "p.annotator"
    article = sample_article()
    with Store.open(path) as store:
        support.add_article(store, article)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        store = Store.open(path, timeout=0.2)
        with pytest.raises(ProjectLockedError, match="locked"):
            support.tag(store, article.id, 0, 3, "CLAIM", annotator="a")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.annotations_for(article.id) == []
    store.close()


def test_second_connection_writing_at_the_same_time(tmp_path):
    """Another process writes while we hold the file open: both sets of writes land."""
    path = tmp_path / "p.annotator"
    article = sample_article()
    with Store.open(path) as store:
        support.add_article(store, article)
        script = textwrap.dedent(
            f"""
            from annotator import operations as ops
            from annotator.store import Store
            with Store.open({str(path)!r}) as s:
                for i in range(50):
                    ops.tag(s, {article.id!r}, 0, 3, "CLAIM", annotator=f"other{{i}}", exact=True)
            """
        )
        child = subprocess.Popen([sys.executable, "-c", script])
        for i in range(50):
            support.tag(store, article.id, 4, 9, "SOURCE", annotator=f"me{i}")
        assert child.wait(timeout=60) == 0
        annotators = [a.annotator for a in store.annotations_for(article.id)]
    assert sum(a.startswith("me") for a in annotators) == 50
    assert sum(a.startswith("other") for a in annotators) == 50


def test_failed_transaction_leaves_nothing_behind(store):
    article = sample_article()
    support.add_article(store, article)
    with pytest.raises(RuntimeError):
        with store.operation("test", "a") as op:
            op.update("articles", article.id, {"title": "changed"})
            raise RuntimeError("boom")
    assert store.get_article(article.id).title == "Kim writes to Putin"


def test_readonly_store_refuses_writes_and_leaves_file_alone(tmp_path):
    path = tmp_path / "colleague.annotator"
    article = sample_article()
    with Store.open(path) as store:
        support.add_article(store, article)
    before = path.read_bytes()
    with Store.open(path, readonly=True) as colleague:
        assert colleague.get_article(article.id).title == article.title
        with pytest.raises(ProjectError, match="read-only"):
            support.tag(colleague, article.id, 0, 3, "CLAIM", annotator="me")
    assert path.read_bytes() == before


def test_status_values(store):
    article = sample_article()
    support.add_article(store, article)
    ops.set_status(store, article.id, "done", annotator="a")
    assert store.get_article(article.id).status == "done"
    with pytest.raises(ValidationError):
        ops.set_status(store, article.id, "finished", annotator="a")


def test_missing_folder_is_created(tmp_path):
    path = Path(tmp_path) / "deep" / "er" / "p.annotator"
    Store.open(path).close()
    assert path.exists()
