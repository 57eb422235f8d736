"""A bulk import leaves its rows for the next search to index (search_index.catch_up): whatever is
done in between, the index only ever lacks rows, never holds wrong ones, and the next search
finds everything and leaves an index that `check` finds right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import support
from annotator import operations as ops
from annotator.errors import ProjectError
from annotator.operations import annotation_sets
from annotator.operations.annotation_sets import import_annotation_set
from annotator.store import Store, connection, search_index


def _tasks(path: Path, count: int, word: str = "zeppelin") -> Path:
    tasks = []
    for n in range(count):
        text = f"Story {n} 🎉 the {word} landed, said Alice (AFP).\nPrices rose in May, officials said."
        start = text.index(word)
        result = [{"id": f"r{n}", "type": "labels", "from_name": "label", "to_name": "text",
                   "value": {"start": start, "end": start + len(word), "text": word, "labels": ["CLAIM"]}}]
        tasks.append({"id": n + 1, "data": {"text": text}, "annotations": [{"id": n + 1, "result": result}]})
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "p.annotator"


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(annotation_sets, "FLUSH_SPANS", 4)  # a file of 10 tasks is written in batches


def _import_big(store: Store, tmp_path: Path, count: int = 10, word: str = "zeppelin"):
    return import_annotation_set(store, _tasks(tmp_path / f"{word}.json", count, word), importer="imp")


def test_a_file_written_in_batches_is_indexed_at_the_next_search(store_path, small_batches):
    with Store.open(store_path) as store:
        _import_big(store, store_path.parent)
        assert search_index.is_behind(store.conn)
        hits = store.search("zeppelin").hits
        assert {h.in_ for h in hits} >= {"text", "quotes"} and len({h.article for h in hits}) == 10
        assert all(store.article_text(h.article)[h.start:h.end] == "zeppelin" for h in hits if h.in_ != "title")
        assert not search_index.is_behind(store.conn) and search_index.check(store.conn) == []


def test_a_small_file_is_indexed_by_its_import(store_path):
    with Store.open(store_path) as store:
        _import_big(store, store_path.parent, count=3)
        assert not search_index.is_behind(store.conn) and search_index.check(store.conn) == []


def test_undo_redo_and_edits_before_the_next_search_leave_a_sound_index(store_path, small_batches):
    """Undo removes texts the index never held (deleting those from an external-content index would
    corrupt it); an edit indexes its span at once; the next search indexes exactly the rest."""
    with Store.open(store_path) as store:
        _import_big(store, store_path.parent, word="zeppelin")
        second = _import_big(store, store_path.parent, word="airship")
        with store.transaction() as conn:  # a title indexed before its text (as a title's change would)
            search_index.titles_changed(conn, [second.value.articles_added[0]])
        ops.undo(store, second.op_id, annotator="imp")
        ops.redo(store, annotator="imp")  # a redo writes row by row: indexed at once
        ops.undo(store, annotator="imp")
        ann = store.conn.execute("SELECT id FROM annotations WHERE deleted = 0 LIMIT 1").fetchone()[0]
        ops.set_note(store, ann, "checked with the balloon office", annotator="imp")
        assert search_index.check(store.conn)[0].startswith("the index is behind")
        assert [h.annotation for h in store.search("balloon", scopes=["notes"]).hits] == [ann]
        assert store.search("airship").hits == []
        assert len({h.article for h in store.search("zeppelin", scopes=["text"]).hits}) == 10
        assert search_index.check(store.conn) == []


def test_a_reading_store_catches_up_through_a_writing_one_unless_the_file_cannot_be_written(
        store_path, small_batches, monkeypatch):
    with Store.open(store_path) as store:
        _import_big(store, store_path.parent)
    with Store.open(store_path, readonly=True) as store:  # as `annotator search` opens it
        assert len({h.article for h in store.search("zeppelin", scopes=["text"]).hits}) == 10
        assert not search_index.is_behind(store.conn)
    with Store.open(store_path) as store:
        _import_big(store, store_path.parent, word="airship")
    monkeypatch.setattr(connection, "can_write_beside", lambda _path: False)  # a read-only medium
    with Store.open(store_path, readonly=True) as store:
        with pytest.raises(ProjectError, match="behind its last big import.*open it once where it can be written"):
            store.search("airship")


def test_an_index_key_left_for_an_inserted_id_makes_the_batch_take_the_full_sync(store_path):
    """search_index.annotations_inserted numbers keys on from the largest; a key another program
    left for one of the ids it inserts sends the batch to annotations_changed, right from any state."""
    with Store.open(store_path) as store:
        done = _import_big(store, store_path.parent, count=3)
        ids = [r[0] for r in store.conn.execute("SELECT id FROM annotations ORDER BY id")]
        ops.undo(store, done.op_id, annotator="imp")
        with store.transaction() as conn:  # as a program without the index would leave it
            conn.execute("INSERT INTO search_annotation_keys(annotation_id) VALUES (?)", (ids[1],))
        ops.redo(store, annotator="imp")
        assert search_index.check(store.conn) == []
        assert sorted(h.annotation for h in store.search("zeppelin", scopes=["quotes"]).hits) == ids
