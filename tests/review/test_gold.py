"""The gold layer: decisions build gold annotations (annotator "gold"), one transaction each, undoable."""

from __future__ import annotations

import pytest

from annotator import operations as ops
from annotator.errors import NotFoundError, ValidationError
from annotator.review import GOLD, compare_article, review_article

from .conftest import add, article, dump
import support

TEXT = "Officials said Kim met Putin in Moscow, according to state media."


class review:  # the decisions as operations; each returns its Decision
    @staticmethod
    def decide(store, comparison, decision, by, comment="", **edit):
        return ops.decide(store, comparison, decision, by, comment, **edit).value

    @staticmethod
    def accept_a(store, comparison, by, comment=""):
        return ops.decide(store, comparison, "accept_a", by, comment).value

    @staticmethod
    def accept_b(store, comparison, by, comment=""):
        return ops.decide(store, comparison, "accept_b", by, comment).value

    @staticmethod
    def accept_both(store, comparison, by, comment=""):
        return ops.decide(store, comparison, "accept_both", by, comment).value

    @staticmethod
    def reject(store, comparison, by, comment=""):
        return ops.decide(store, comparison, "reject", by, comment).value

    @staticmethod
    def edit(store, comparison, start, end, label, by, comment=""):
        return ops.decide(store, comparison, "edit", by, comment, start=start, end=end, label=label).value

    @staticmethod
    def accept(store, annotation_id, by, comment=""):
        return ops.accept(store, annotation_id, by, comment).value

    @staticmethod
    def get_decision(store, decision_id):
        return store.get_decision(decision_id)


def decisions_for(store, article_id=None, include_undone=False):
    return store.decisions_for(article_id, include_undone=include_undone)


def undo_decision(store, decision_id):
    return ops.reopen(store, decision_id, annotator="lead").value


@pytest.fixture
def art(store):
    a = article(TEXT)
    support.add_article(store, a)
    return a


def comparisons(store, art):
    return {c.kind: c for c in compare_article(store, art.id, "ana", "ben")}


def gold(store, art):
    return store.annotations_for(art.id, annotator=GOLD)


def test_accept_a_copies_the_span_with_its_attributes(store, art):
    add(store, art, "Kim met Putin", "CLAIM", "ana", attributes={"checkworthy": "yes"}, note="check date")
    add(store, art, "Kim met Putin in Moscow", "CLAIM", "ben")
    c = comparisons(store, art)["boundaries_differ"]
    decision = review.accept_a(store, c, "lead", "A has the right extent")
    (g,) = gold(store, art)
    assert (g.start, g.end, g.label, g.quote) == (c.a.start, c.a.end, "CLAIM", "Kim met Putin")
    assert g.attributes == {"checkworthy": "yes"} and g.note == "check date"
    assert g.annotator == GOLD and g.origin == "manual" and g.id not in (c.a.id, c.b.id)
    assert decision.gold_ids == [g.id] and decision.copied_from == {g.id: c.a.id}
    assert decision.decision == "accept_a" and decision.decided_by == "lead"
    assert decision.comment == "A has the right extent" and decision.decided_at == g.created
    row = store.conn.execute(
        "SELECT decision, source_ids, gold_ids, decided_by, decided_at, comment, undone_at FROM decisions"
    ).fetchone()
    assert row[0] == "accept_a" and row[3] == "lead" and row[5] == "A has the right extent" and row[6] == ""
    assert review.get_decision(store, decision.id[:8]) == decision
    # The source annotations are untouched.
    assert store.get_annotation(c.a.id) == c.a and store.get_annotation(c.b.id) == c.b


def test_accept_b_both_reject(store, art):
    add(store, art, "Officials", "SOURCE", "ana")
    add(store, art, "Officials", "CLAIM", "ben")
    add(store, art, "state media", "SOURCE", "ben")
    cs = comparisons(store, art)
    both = review.accept_both(store, cs["label_differs"], "lead")
    assert sorted((g.label, g.quote) for g in gold(store, art)) == [("CLAIM", "Officials"), ("SOURCE", "Officials")]
    assert len(both.gold_ids) == 2
    rejected = review.reject(store, cs["only_b"], "lead", "not a source here")
    assert rejected.gold_ids == [] and rejected.source_ids == [None, cs["only_b"].b.id]
    assert len(gold(store, art)) == 2
    items = {i.comparison.kind: i.decision for i in review_article(store, art.id, "ana", "ben")}
    assert items["label_differs"].id == both.id and items["only_b"].id == rejected.id


def test_accept_both_of_an_agreed_pair_makes_one_gold_span(store, art):
    add(store, art, "Kim", "SOURCE", "ana")
    add(store, art, "Kim", "SOURCE", "ben")
    decision = review.accept_both(store, comparisons(store, art)["agreed"], "lead")
    assert len(decision.gold_ids) == 1 and len(gold(store, art)) == 1


def test_edit_makes_a_new_span(store, art):
    add(store, art, "Kim met Putin", "CLAIM", "ana", attributes={"checkworthy": "yes"})
    add(store, art, "met Putin in Moscow", "SOURCE", "ben")
    c = comparisons(store, art)["overlap_label_differs"]
    start = TEXT.index("Kim met Putin in Moscow")
    decision = review.edit(store, c, start, start + len("Kim met Putin in Moscow"), "CLAIM", "lead", "union")
    (g,) = gold(store, art)
    assert g.quote == "Kim met Putin in Moscow" and g.label == "CLAIM" and g.attributes == {"checkworthy": "yes"}
    assert TEXT[g.start - len(g.prefix) : g.start] == g.prefix and g.suffix == TEXT[g.end : g.end + 32]
    assert decision.decision == "edit" and decision.comment == "union"


def test_reopen_and_its_undo(store, art):
    add(store, art, "Kim", "SOURCE", "ana")
    add(store, art, "Kim", "SOURCE", "ben")
    c = comparisons(store, art)["agreed"]
    decision = review.accept_a(store, c, "lead")
    reopened = ops.reopen(store, decision.id, annotator="lead")
    undone = reopened.value
    assert undone.undone and gold(store, art) == []
    assert store.get_annotation(decision.gold_ids[0]).deleted  # a tombstone, not a removal
    assert decisions_for(store, art.id) == [] and len(decisions_for(store, art.id, include_undone=True)) == 1
    assert review_article(store, art.id, "ana", "ben")[0].decision is None
    with pytest.raises(ValidationError, match="already undone"):
        undo_decision(store, decision.id)
    ops.undo(store, reopened.op_id, annotator="lead")  # the decision stands again, same gold rows
    assert [g.id for g in gold(store, art)] == decision.gold_ids
    # After a reopen the comparison can be decided again, and the reopen can no longer be undone.
    again_reopened = ops.reopen(store, decision.id, annotator="lead")
    again = review.reject(store, c, "lead")
    assert again.id != decision.id
    with pytest.raises(ops.UndoConflict, match="one comparison cannot have two standing decisions"):
        ops.undo(store, again_reopened.op_id, annotator="lead")


def test_undo_of_a_decision_removes_it_and_redo_brings_it_back(store, art):
    add(store, art, "Kim", "SOURCE", "ana")
    add(store, art, "Kim", "SOURCE", "ben")
    c = comparisons(store, art)["agreed"]
    before = dump(store)
    done = ops.decide(store, c, "accept_a", "lead")
    ops.undo(store, annotator="lead")
    assert gold(store, art) == [] and decisions_for(store, art.id, include_undone=True) == []
    assert [line for line in dump(store) if "journal" not in line] == [line for line in before if "journal" not in line]
    ops.redo(store, annotator="lead")
    assert [g.id for g in gold(store, art)] == done.value.gold_ids
    assert decisions_for(store, art.id) == [done.value]


def test_a_decided_comparison_is_not_decided_twice(store, art):
    add(store, art, "Kim", "SOURCE", "ana")
    add(store, art, "Kim", "SOURCE", "ben")
    c = comparisons(store, art)["agreed"]
    review.accept_a(store, c, "lead")
    before = dump(store)
    with pytest.raises(ValidationError, match="already decided"):
        review.accept_b(store, c, "other")
    assert dump(store) == before


def test_refusals_leave_the_project_as_it_was(store, art):
    add(store, art, "Kim", "SOURCE", "ana")
    only_a = comparisons(store, art)["only_a"]
    before = dump(store)
    with pytest.raises(ValidationError, match="no span of B"):
        review.accept_b(store, only_a, "lead")
    with pytest.raises(ValidationError, match="out of range"):
        review.edit(store, only_a, 0, 10_000, "SOURCE", "lead")
    with pytest.raises(ValidationError, match="unknown label"):
        review.edit(store, only_a, 0, 3, "PERSON", "lead")
    with pytest.raises(ValidationError, match="unknown decision"):
        review.decide(store, only_a, "maybe", "lead")
    with pytest.raises(ValidationError, match="who decides"):
        review.accept_a(store, only_a, " ")
    support.delete(store, only_a.a.id)
    after_delete = dump(store)
    with pytest.raises(ValidationError, match="deleted"):
        review.accept_a(store, only_a, "lead")
    assert dump(store) == after_delete
    with pytest.raises(NotFoundError):
        review.get_decision(store, "f00")
    assert before != after_delete


def test_a_failure_inside_the_transaction_writes_nothing(store, art, monkeypatch):
    add(store, art, "Kim", "SOURCE", "ana")
    c = comparisons(store, art)["only_a"]
    before = dump(store)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    from annotator.operations import review_ops

    monkeypatch.setattr(review_ops, "_copy_relations", boom)
    with pytest.raises(RuntimeError):
        review.accept_a(store, c, "lead")
    assert dump(store) == before


def test_relations_follow_into_gold(store, art):
    claim_a = add(store, art, "Kim met Putin", "CLAIM", "ana")
    source_a = add(store, art, "state media", "SOURCE", "ana")
    support.relate(store, claim_a.id, source_a.id, "attributed_to", annotator="ana")
    add(store, art, "Kim met Putin", "CLAIM", "ben")
    cs = {c.a.id if c.a else None: c for c in compare_article(store, art.id, "ana", "ben")}
    first = review.accept_a(store, cs[claim_a.id], "lead")
    assert first.relation_ids == []  # the source is not in gold yet
    second = review.accept(store, source_a.id, "lead")  # a single annotation, outside a comparison
    (relation,) = [r for r in store.relations_for(art.id) if r.annotator == GOLD]
    assert second.relation_ids == [relation.id]
    assert (relation.head, relation.tail, relation.type) == (first.gold_ids[0], second.gold_ids[0], "attributed_to")
    # Undoing the claim's decision takes the relation that uses its gold span along.
    undo_decision(store, first.id)
    assert [r for r in store.relations_for(art.id) if r.annotator == GOLD] == []


def test_a_comparison_made_before_an_edit_uses_the_stored_span(store, art):
    a = add(store, art, "Kim", "SOURCE", "ana")
    (c,) = compare_article(store, art.id, "ana", "ben")
    support.update(store, a.id, label="CLAIM")
    review.accept_a(store, c, "lead")
    assert gold(store, art)[0].label == "CLAIM"


def test_gold_export_with_the_annotator_filter(store, art, tmp_path):
    """`export --annotator gold` is the formats' span filter: every registered format keeps only gold."""
    import io
    import json

    from annotator.formats import FORMATS, export_to_path, jsonl
    from annotator.store import ExportFilter

    add(store, art, "Kim", "SOURCE", "ana")
    add(store, art, "Putin", "SOURCE", "ana")
    c = [c for c in compare_article(store, art.id, "ana", "ben") if c.a.quote == "Kim"][0]
    review.accept_a(store, c, "lead")
    for name, module in FORMATS.items():
        stats = export_to_path(store, name, tmp_path / f"gold.{name}{module.SUFFIX}", ExportFilter(annotators=[GOLD]))
        assert (stats.articles, stats.spans) == (1, 1), name
    out = io.StringIO()
    jsonl.write(store, out, ExportFilter(annotators=[GOLD]))
    record = json.loads(out.getvalue().splitlines()[-1])  # after the header line
    assert [(s["text"], s["annotator"]) for s in record["spans"]] == [("Kim", GOLD)]


def test_a_version_2_project_gains_the_decisions_table(tmp_path):
    import sqlite3

    from annotator.store import SCHEMA_VERSION, Store
    from annotator.store.migrations import MIGRATIONS

    path = tmp_path / "v2.annotator"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + MIGRATIONS[1])
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO articles(id, text, blocks, title, imported_at) VALUES "
        "('abc', 'Kim met Putin', '[[\"paragraph\", 0, 13]]', 'Kim', '2024-01-01T00:00:00Z')"
    )
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.version == SCHEMA_VERSION
        columns = [r[1] for r in store.conn.execute("PRAGMA table_info(decisions)")]
        assert columns == ["id", "article_id", "decision", "source_ids", "gold_ids", "copied_from", "relation_ids",
                           "decided_by", "decided_at", "comment", "undone_at"]
        ann = support.tag(store, "abc", 0, 3, "SOURCE", annotator="ana")
        decision = review.accept(store, ann.id, "lead")
        assert store.get_annotation(decision.gold_ids[0]).quote == "Kim"
