"""Assigning articles: a balanced split, the same for a seed, the overlap sample, undo and redo."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator import operations as ops
from annotator.errors import ValidationError
from annotator.model import build_article
from annotator.operations.assignments import plan
from annotator.store import Store

import support

ANALYSTS = ["kim", "lee", "max"]


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "p.annotator") as s:
        yield s


def articles(store: Store, n: int) -> list[str]:
    made = [build_article([("paragraph", f"Article {i}: the minister said the plan works.")], title=f"A{i}")
            for i in range(n)]
    support.add_articles(store, made, annotator="coord")
    return [a.id for a in made]


def loads(store: Store) -> Counter:
    return Counter(a.analyst for a in store.assignments())


def pairs(store: Store) -> set[tuple[str, str]]:
    return {(a.article_id, a.analyst) for a in store.assignments()}


def test_the_split_is_balanced_by_count(store):
    ids = articles(store, 11)
    done = ops.assign(store, ids, ANALYSTS, assigned_by="coord")
    counts = loads(store)
    assert sorted(counts.values()) == [3, 4, 4]
    assert {a.article_id for a in store.assignments()} == set(ids)  # every article, once
    assert done.value.total == 11 and done.value.kept == 0


def test_the_split_counts_the_open_work_analysts_already_have(store):
    ids = articles(store, 9)
    ops.assign(store, ids[:3], ["kim"], assigned_by="coord")
    ops.assign(store, ids[3:], ANALYSTS, assigned_by="coord")
    assert loads(store) == {"kim": 3, "lee": 3, "max": 3}  # kim had 3 open: the 6 new went to the others


def test_work_marked_done_no_longer_counts_as_load(store):
    ids = articles(store, 6)
    ops.assign(store, ids[:2], ["kim"], assigned_by="coord")
    for article_id in ids[:2]:
        ops.set_status(store, article_id, "done", annotator="kim")
    ops.assign(store, ids[2:], ["kim", "lee"], assigned_by="coord")
    assert loads(store) == {"kim": 4, "lee": 2}


def test_the_split_is_the_same_for_a_seed_whatever_the_order(store):
    ids = [f"{i:016x}" for i in range(40)]
    one = plan(ids, ANALYSTS, overlap=2, sample=10, seed="7")
    assert plan(list(reversed(ids)), list(reversed(ANALYSTS)), overlap=2, sample=10, seed="7") == one
    other = plan(ids, ANALYSTS, overlap=2, sample=10, seed="8")
    assert other != one  # another seed, another split
    assert sorted(Counter(n for names in other.values() for n in names).values()) == [16, 17, 17]


def test_the_overlap_gives_every_sampled_article_k_different_analysts(store):
    ids = articles(store, 12)
    done = ops.assign(store, ids, ANALYSTS + ["ana"], assigned_by="coord", overlap=3, sample=4, seed="1")
    per_article = Counter(a.article_id for a in store.assignments())
    assert sorted(per_article.values()) == [1] * 8 + [3] * 4
    assert done.value.sample == 4 and done.value.total == 8 + 12
    assert sorted(loads(store).values()) == [5, 5, 5, 5]
    ops.undo(store, annotator="coord")
    ops.assign(store, ids, ANALYSTS, assigned_by="coord", overlap=2)  # no --sample: every article
    assert set(Counter(a.article_id for a in store.assignments()).values()) == {2}


def test_assigning_again_changes_nothing_and_existing_analysts_count(store):
    ids = articles(store, 6)
    ops.assign(store, ids, ANALYSTS, assigned_by="coord", overlap=2, seed="3")
    before = pairs(store)
    again = ops.assign(store, ids, ANALYSTS, assigned_by="coord", overlap=2, seed="3")
    assert pairs(store) == before and again.op_id == "" and again.value.kept == 12
    other_seed = ops.assign(store, ids, ANALYSTS, assigned_by="coord", overlap=2, seed="99")
    assert other_seed.value.total == 0  # the articles already have their two analysts


@pytest.mark.parametrize(("names", "overlap", "sample", "message"), [
    (["kim", "lee"], 3, None, "--overlap 3 needs at least 3 analysts, and --to names 2 (kim, lee)"),
    (["kim"], 0, None, "--overlap must be 1 or more"),
    (["kim", " "], 1, None, "an analyst's name cannot be empty"),
    (["kim", "lee"], 2, 9, "--sample 9: there are 4 chosen articles; give 0 to 4"),
])
def test_impossible_requests_are_refused_with_what_to_do(store, names, overlap, sample, message):
    ids = articles(store, 4)
    before = support.table_rows(store, "assignments", "journal")
    with pytest.raises(ValidationError) as caught:
        ops.assign(store, ids, names, assigned_by="coord", overlap=overlap, sample=sample)
    assert message in str(caught.value)
    assert support.table_rows(store, "assignments", "journal") == before


def test_undo_and_redo_of_an_assignment(store):
    ids = articles(store, 5)
    done = ops.assign(store, ids, ANALYSTS, assigned_by="coord")
    after = pairs(store)
    entry = store.journal_entry(done.op_id)
    assert entry.kind == "assign" and entry.summary == "assign 5 articles to kim, lee, max"
    assert done.changes.assignments and done.changes.articles == set(ids)
    ops.undo(store, annotator="coord")
    assert store.assignments(include_deleted=True) == []  # an undone assignment leaves nothing
    ops.redo(store, annotator="coord")
    assert pairs(store) == after


def test_unassign_is_a_tombstone_that_undo_takes_back_and_assign_revives(store):
    ids = articles(store, 3)
    ops.assign(store, ids, ["kim"], assigned_by="coord")
    ops.unassign(store, ids[:1], ["kim"], unassigned_by="coord")
    assert ids[0] not in store.analysts_of()
    assert [a.deleted for a in store.assignments(article_ids=ids[:1], include_deleted=True)] == [True]
    ops.undo(store, annotator="coord")
    assert store.analysts_of()[ids[0]] == ["kim"]
    ops.redo(store, annotator="coord")
    ops.assign(store, ids[:1], ["kim"], assigned_by="ana")
    revived = store.assignments(article_ids=ids[:1])
    assert [(a.analyst, a.assigned_by, a.deleted) for a in revived] == [("kim", "ana", False)]
    with pytest.raises(ValidationError, match="none of the 1 article chosen is assigned to lee"):
        ops.unassign(store, ids[:1], ["lee"], unassigned_by="coord")


def test_undo_of_an_assignment_is_refused_while_a_later_edit_of_it_stands(store):
    ids = articles(store, 1)
    first = ops.assign(store, ids, ["kim"], assigned_by="coord")
    ops.set_status(store, ids[0], "done", annotator="kim")  # marks kim's assignment done
    with pytest.raises(ops.UndoConflict, match="kim"):
        ops.undo(store, first.op_id, annotator="coord")


def test_marking_done_is_the_analysts_own_and_undone_with_the_status(store):
    ids = articles(store, 1)
    ops.assign(store, ids, ["kim", "lee"], assigned_by="coord", overlap=2)
    ops.set_status(store, ids[0], "done", annotator="kim")
    done = {a.analyst: bool(a.done_at) for a in store.assignments()}
    assert done == {"kim": True, "lee": False}
    ops.set_status(store, ids[0], "in_progress", annotator="kim")
    assert not any(a.done_at for a in store.assignments())
    ops.undo(store, annotator="kim")
    assert {a.analyst: bool(a.done_at) for a in store.assignments()} == {"kim": True, "lee": False}
