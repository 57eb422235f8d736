"""Undo never crosses a later operation that still stands on the same row, even when the values
happen to match again; replay refuses a target that is not as the source was."""

from __future__ import annotations

import pytest

from annotator import operations as ops
from annotator.errors import NotFoundError
from annotator.model import build_article
from annotator.store import Store

import support


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "p.annotator") as s:
        article = build_article([("paragraph", "Officials said prices rose, AFP reported.")], title="A")
        support.add_article(s, article)
        s.article_id = article.id
        yield s


def test_undo_refuses_while_a_later_edit_of_the_row_stands(store):
    made = ops.tag(store, store.article_id, 0, 9, "SOURCE", annotator="maria")
    ops.relabel(store, made.value.id, "CLAIM", annotator="ben")
    with pytest.raises(ops.UndoConflict, match="ben"):
        ops.undo(store, made.op_id, annotator="maria")
    assert store.get_annotation(made.value.id).label == "CLAIM"

    ops.undo(store, annotator="ben")
    ops.undo(store, made.op_id, annotator="maria")
    with pytest.raises(NotFoundError):
        store.get_annotation(made.value.id)


def test_undo_refuses_even_when_the_later_edit_put_the_values_back(store):
    made = ops.tag(store, store.article_id, 0, 9, "SOURCE", annotator="maria")
    note = ops.set_note(store, made.value.id, "check", annotator="ben")
    ops.set_note(store, made.value.id, "", annotator="ben")
    with pytest.raises(ops.UndoConflict):
        ops.undo(store, made.op_id, annotator="maria")
    assert store.get_annotation(made.value.id).note == ""
    assert note.op_id


def test_replay_refuses_a_target_that_differs(store, tmp_path):
    ops.tag(store, store.article_id, 0, 9, "SOURCE", annotator="maria")
    with Store.open(tmp_path / "other.annotator") as other:
        with pytest.raises(ops.UndoConflict, match="replay"):
            ops.replay(store, other, annotator="replayer", since=store.latest_seq() - 1)
        assert other.history(limit=10) == []
