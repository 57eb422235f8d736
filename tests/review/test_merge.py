"""Bringing in a colleague's project: read-only opening, merge by id, newer wins, re-anchoring."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from annotator.errors import ProjectDamagedError, ProjectError, ValidationError
from annotator.review import GOLD
from annotator.store import SCHEMA_VERSION, ColleagueProject, ExportFilter, Store

from .conftest import add, article, dump, tick
import support

T1 = "Kim met Putin in Moscow today, state media said."
T2 = "Officials said talks went well."
# Our copy of a third article was imported before the outlet fixed a typo and added a sentence;
# the colleague has the new version (another text, so another id).
T3_OURS = "The minster said the deal was signed on Tuesday in Pyongyang."
T3_THEIRS = "The minister said the deal was signed on Tuesday in Pyongyang. Seoul was not told."


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


def fingerprint(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sidecars(path)


@pytest.fixture
def colleague(tmp_path: Path) -> Path:
    """ben's project: T1 and T2 (T2 new to us), T3 in its corrected text, spans and a relation."""
    path = tmp_path / "ben" / "ben.annotator"
    with Store.open(path) as theirs:
        a1, a2 = article(T1, url="https://example.org/kim"), article(T2)
        a3 = article(T3_THEIRS, url="https://example.org/deal", title="Deal signed")
        support.add_articles(theirs, [a1, a2, a3])
        claim = add(theirs, a1, "Kim met Putin", "CLAIM", "ben")
        source = add(theirs, a1, "state media", "SOURCE", "ben")
        support.relate(theirs, claim.id, source.id, "attributed_to", annotator="ben")
        add(theirs, a2, "Officials", "SOURCE", "ben")
        add(theirs, a3, "deal was signed on Tuesday", "CLAIM", "ben")
        add(theirs, a3, "minister", "SOURCE", "ben")  # the corrected word: close enough to our "minster"
        add(theirs, a3, "Seoul", "SOURCE", "ben")  # only in their version
        add(theirs, a1, "Moscow", "CAPTION", "carla")
        add(theirs, a1, "Putin", "SOURCE", GOLD)
    return path


@pytest.fixture
def mine(store):
    support.add_articles(store, [article(T1, url="https://example.org/kim"),
                        article(T3_OURS, url="https://example.org/deal", title="Deal signed")])
    return store


def merge(store: Store, path: Path, annotators=None):
    return support.merge(store, path, annotators)


open_colleague_project = ColleagueProject.open


def test_merge_copies_articles_annotations_relations(mine, colleague):
    report = merge(mine, colleague)
    t1, t2 = article(T1), article(T2)
    assert report.articles_added == 1 and mine.has_article(t2.id)  # T2 was new
    assert report.articles_present == 1  # T1: same text, same id
    assert report.articles_matched == [(article(T3_THEIRS).id, article(T3_OURS).id)]  # by url
    theirs = Store.open(colleague, readonly=True)
    for a in theirs.annotations_for(t1.id):
        if a.annotator != GOLD:
            assert mine.get_annotation(a.id) == a  # same id, annotator, offsets, stamps
    (relation,) = mine.relations_for(t1.id)
    assert relation.annotator == "ben" and relation == theirs.relations_for(t1.id)[0]
    theirs.close()
    assert report.annotations.added == 6 and report.relations.added == 1  # 3 + 1 + 2 placed in T3
    assert sorted(mine.annotators()) == ["ben", "carla"]  # gold is not brought in unless named


def test_reanchoring_onto_our_text_and_what_cannot_be_placed(mine, colleague):
    report = merge(mine, colleague)
    ours = article(T3_OURS)
    source, claim = mine.annotations_for(ours.id)
    assert claim.annotator == "ben" and claim.article_id == ours.id
    assert T3_OURS[claim.start : claim.end] == "deal was signed on Tuesday" == claim.quote
    assert claim.start == T3_OURS.index("deal")  # one character earlier than in their text
    assert source.quote == "minster"  # fuzzy: "minister" is 93% similar (textspan.reanchor needs 85%)
    assert report.annotations_reanchored == 2
    (lost,) = report.unanchored
    assert (lost.quote, lost.label, lost.annotator, lost.title) == ("Seoul", "SOURCE", "ben", "Deal signed")
    assert "not found" in lost.reason


def test_merging_twice_changes_nothing(mine, colleague):
    merge(mine, colleague)
    before = dump(mine)
    again = merge(mine, colleague)
    assert dump(mine) == before
    assert not again.changed
    assert again.annotations.unchanged == 6  # the unanchorable one is reported again, not added
    assert len(again.unanchored) == 1


def test_a_later_set_applies_edits_and_deletions(mine, colleague):
    merge(mine, colleague)
    t1 = article(T1)
    tick()
    with Store.open(colleague) as theirs:
        claim, source = [a for a in theirs.annotations_for(t1.id, annotator="ben")]
        support.update(theirs, claim.id, attributes={"checkworthy": "yes"})
        support.delete(theirs, source.id)  # takes the relation along
        new = add(theirs, t1, "today", "CLAIM", "ben")
    report = merge(mine, colleague)
    assert mine.get_annotation(claim.id).attributes == {"checkworthy": "yes"}
    assert mine.get_annotation(source.id).deleted
    assert mine.get_annotation(new.id).quote == "today"
    assert mine.relations_for(t1.id) == []
    assert (report.annotations.added, report.annotations.updated, report.annotations.deleted) == (1, 1, 1)
    # the relation went with the deleted annotation (as delete_annotation does); their tombstone of it
    # then finds the same content here
    assert report.relations.unchanged == 1


def test_our_newer_edit_wins_over_their_older_row(mine, colleague):
    merge(mine, colleague)
    t1 = article(T1)
    claim = [a for a in mine.annotations_for(t1.id, annotator="ben") if a.label == "CLAIM"][0]
    tick()
    support.update(mine, claim.id, note="fixed by me")
    report = merge(mine, colleague)
    assert mine.get_annotation(claim.id).note == "fixed by me"
    assert not report.changed


def test_their_edit_of_a_reanchored_span_lands_on_our_article(mine, colleague):
    merge(mine, colleague)
    tick()
    theirs_t3 = article(T3_THEIRS)
    with Store.open(colleague) as theirs:
        claim = [a for a in theirs.annotations_for(theirs_t3.id) if a.label == "CLAIM"][0]
        support.update(theirs, claim.id, start=claim.start, end=claim.end + len(" in Pyongyang"))
    report = merge(mine, colleague)
    merged = mine.get_annotation(claim.id)
    assert merged.article_id == article(T3_OURS).id and merged.quote == "deal was signed on Tuesday in Pyongyang"
    assert report.annotations.updated == 1 and report.annotations_reanchored == 1


def test_annotator_filter(mine, colleague):
    report = merge(mine, colleague, ["carla"])
    assert mine.annotators() == ["carla"]
    assert report.articles_added == 0  # T2 has nothing of carla's: not copied
    merge(mine, colleague, [GOLD])
    assert GOLD in mine.annotators()


def test_a_relation_whose_end_cannot_be_placed_is_listed(mine, tmp_path):
    path = tmp_path / "dan.annotator"
    with Store.open(path) as theirs:
        a3 = article(T3_THEIRS, url="https://example.org/deal")
        support.add_article(theirs, a3)
        claim = add(theirs, a3, "deal was signed", "CLAIM", "dan")
        source = add(theirs, a3, "Seoul", "SOURCE", "dan")
        support.relate(theirs, claim.id, source.id, "attributed_to", annotator="dan")
    report = merge(mine, path)
    assert sorted(u.reason.split(":")[0] for u in report.unanchored) == ["relation", "the quote was not found in our version of the article"]
    assert mine.relations_for(article(T3_OURS).id) == []


def test_the_colleague_file_is_left_byte_identical(mine, colleague):
    before = fingerprint(colleague)
    assert sidecars(colleague) == []
    merge(mine, colleague)
    merge(mine, colleague)
    assert fingerprint(colleague) == before  # bytes, mtime, and no -wal/-shm created


def test_the_colleague_file_in_a_read_only_folder(mine, colleague):
    folder = colleague.parent
    os.chmod(folder, 0o555)
    try:
        report = merge(mine, colleague)
    finally:
        os.chmod(folder, 0o755)
    assert report.annotations.added == 6


def test_an_open_colleague_file_is_read_with_its_wal(mine, colleague):
    # The colleague's app is still open, with a change not yet checkpointed into the main file.
    writer = sqlite3.connect(colleague)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    t2 = article(T2)
    writer.execute("UPDATE annotations SET note = 'late', updated = '2999-01-01T00:00:00.000Z' WHERE article_id = ?", (t2.id,))
    writer.commit()
    main_bytes = colleague.read_bytes()
    try:
        merge(mine, colleague)
        assert colleague.read_bytes() == main_bytes  # read through the WAL, the main file untouched
    finally:
        writer.close()
    assert [a.note for a in mine.annotations_for(t2.id)] == ["late"]


def test_readonly_open_refusals(tmp_path, store):
    with pytest.raises(ProjectError, match="no such"):
        open_colleague_project(tmp_path / "missing.annotator")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ProjectDamagedError):
        open_colleague_project(tmp_path / "notes.txt")
    future = tmp_path / "future.annotator"
    Store.open(future).close()
    conn = sqlite3.connect(future)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ProjectError, match="newer"):
        open_colleague_project(future)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t(x)")
    conn.close()
    with pytest.raises(ProjectError, match="not a News Annotator project"):
        open_colleague_project(foreign)
    with pytest.raises(ValidationError, match="this project itself"):
        support.merge(store, store.path)


def test_an_older_colleague_file_can_be_merged(mine, colleague):
    conn = sqlite3.connect(colleague)
    conn.execute("DROP TABLE decisions")
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    report = merge(mine, colleague)
    assert report.annotations.added == 6


def test_merge_is_all_or_nothing(mine, colleague, monkeypatch):
    import annotator.operations.merge as review

    before = dump(mine)
    calls = {"n": 0}
    real = review._place_relation

    def failing(*args):
        calls["n"] += 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(review, "_place_relation", failing)
    with pytest.raises(RuntimeError):
        merge(mine, colleague)
    assert calls["n"] == 1 and dump(mine) == before
    monkeypatch.setattr(review, "_place_relation", real)


def test_import_of_their_exported_set_and_merge_agree(store, tmp_path):
    """import-annotations (a native JSONL set) and merge share one rule: by id, newer wins, tombstones apply."""
    from support import import_set as import_annotation_set
    from annotator.formats import export_to_path

    path = tmp_path / "eve.annotator"
    t1, t2 = article(T1), article(T2)
    support.add_article(store, t1)
    with Store.open(path) as theirs:
        support.add_articles(theirs, [t1, t2])
        claim = add(theirs, t1, "Kim met Putin", "CLAIM", "eve")
        source = add(theirs, t1, "state media", "SOURCE", "eve")
        support.relate(theirs, claim.id, source.id, "attributed_to", annotator="eve")
        add(theirs, t2, "Officials", "SOURCE", "eve")
        export_to_path(theirs, "jsonl", tmp_path / "eve.jsonl", ExportFilter(include_deleted=True))

    import_annotation_set(store, tmp_path / "eve.jsonl")
    once = dump(store)
    import_annotation_set(store, tmp_path / "eve.jsonl")
    assert dump(store) == once  # importing the set twice is a no-op
    assert not merge(store, path).changed  # and merging their project after it changes nothing either

    tick()
    with Store.open(path) as theirs:
        support.update(theirs, claim.id, note="their later edit")
        support.delete(theirs, source.id)
        export_to_path(theirs, "jsonl", tmp_path / "eve2.jsonl", ExportFilter(include_deleted=True))
    report = import_annotation_set(store, tmp_path / "eve2.jsonl")
    assert (report.spans.updated, report.spans.deleted) == (1, 1)
    assert store.get_annotation(claim.id).note == "their later edit"
    assert store.get_annotation(source.id).deleted and store.relations_for(t1.id) == []
    after_import = dump(store)
    again = merge(store, path)
    assert not again.changed and dump(store) == after_import


def test_their_deletion_of_a_span_we_never_had_is_counted_and_said(mine, colleague):
    """ben deletes "Seoul" (in their text only): the tombstone cannot be placed here and says so."""
    with Store.open(colleague) as theirs:
        (seoul,) = [a for a in theirs.annotations_for(article(T3_THEIRS).id) if a.quote == "Seoul"]
        support.delete(theirs, seoul.id, annotator="ben")
    report = merge(mine, colleague)
    assert report.unknown_deletions == 1 and report.unanchored == []
    assert report.summary()[-1] == ("everything was placed; 1 deletion of rows this project never had "
                                    "(nothing to delete here) skipped")
