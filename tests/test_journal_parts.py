"""What a bulk write leaves in the journal: `Changes.add_many` lists exactly what one `add` per row
lists, caps and overflow included; `Recorder.insert_many` writes its images in parts of PART_ROWS,
in order, the same entries one `insert` per row writes, and the operation undoes."""

from __future__ import annotations

from hypothesis import given, strategies as st

from annotator import operations as ops
from annotator.model import build_article
from annotator.store import Store, changes as changes_module, journal, recorder
from annotator.store.changes import Changes

TABLES = ["annotations", "relations", "articles", "texts", "meta", "journal"]

rows = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e", "f", "g"]),
                          st.sampled_from([None, "", "x", "y", "z", "w"])), max_size=12)


def _listed(change: Changes) -> tuple:
    return (change.articles, change.annotations, change.relations, change.article_rows, change.schema, change.overflow)


@given(st.lists(st.tuples(st.sampled_from(TABLES), rows), max_size=6), st.integers(0, 6), st.integers(0, 4))
def test_add_many_lists_what_add_lists(calls, max_ids, max_articles):
    saved = changes_module.MAX_IDS, changes_module.MAX_ARTICLES
    changes_module.MAX_IDS, changes_module.MAX_ARTICLES = max_ids, max_articles  # small caps, to reach them
    try:
        one_by_one, batched = Changes(), Changes()
        for table, pairs in calls:
            for key, article in pairs:
                one_by_one.add(table, key, article)
            batched.add_many(table, [k for k, _ in pairs], [a for _, a in pairs])
            assert _listed(batched) == _listed(one_by_one)
    finally:
        changes_module.MAX_IDS, changes_module.MAX_ARTICLES = saved


def _span_rows(article_id: str, count: int) -> list[dict]:
    return [{"id": f"span-{n:05d}", "article_id": article_id, "start": 0, "end": 4, "label": "CLAIM", "quote": "Rain",
             "prefix": "", "suffix": "", "attributes": "{}", "note": "", "annotator": "ana",
             "created": "2026-01-02T03:04:05.678Z", "updated": "2026-01-02T03:04:05.678Z", "origin": "imported",
             "deleted": 0, "foreign_data": "{}"} for n in range(count)]


def test_insert_many_writes_its_images_in_parts_in_order(tmp_path):
    count = 2 * recorder.PART_ROWS + 7
    with Store.open(tmp_path / "p.annotator") as store:
        article = build_article([("paragraph", "Rain in Spain.")])
        ops.add_articles(store, [article], annotator="ana")
        with store.operation("bulk", "ana") as op:
            op.insert("annotations", _span_rows(article.id, 1)[0] | {"id": "first"})
            op.insert_many("annotations", _span_rows(article.id, count))
        sizes = [len(recorder.decode_part(data)) for (data,) in store.conn.execute(
            "SELECT data FROM journal_changes WHERE op_id = ? ORDER BY part", (op.head.id,))]
        assert sizes == [recorder.PART_ROWS, recorder.PART_ROWS, 8]
        images = list(journal.images(store.conn, op.head.id))
        assert [i[1] for i in images] == ["first", *(f"span-{n:05d}" for n in range(count))]
        assert all(table == "annotations" and before is None and after["article_id"] == article.id
                   for table, _, before, after in images)
        assert op.changes.articles == {article.id} and len(op.changes.annotations) == count + 1
        ops.undo(store, annotator="ana")
        assert store.conn.execute("SELECT count(*) FROM annotations").fetchone() == (0,)
