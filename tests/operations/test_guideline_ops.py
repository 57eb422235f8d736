"""A guideline edit is a schema change: one journal entry, undone and redone like any other."""

from __future__ import annotations

import pytest

from annotator import operations as ops
from annotator.errors import ValidationError
from annotator.schema import default_schema
from annotator.store import Store


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "p.annotator") as s:
        yield s


@pytest.mark.parametrize(
    ("target", "read"),
    [
        ({}, lambda s: s.guideline),
        ({"label": "SOURCE"}, lambda s: s.label("SOURCE").guideline),
        ({"label": "CLAIM", "attribute": "kind"}, lambda s: s.label("CLAIM").attribute("kind").guideline),
        ({"label": "CLAIM", "attribute": "kind", "value": "quote"},
         lambda s: s.label("CLAIM").attribute("kind").value_guideline("quote")),
        ({"relation": "describes"}, lambda s: s.relation_type("describes").guideline),
    ],
)
def test_set_guideline_replaces_one_text_and_undo_brings_the_old_back(store, target, read):
    before = store.schema
    done = ops.set_guideline(store, "New text,\r\nwith a CRLF.\n", annotator="ana", **target)
    assert read(store.schema) == "New text,\r\nwith a CRLF.\n"
    entry = store.journal_entry(done.op_id)
    assert entry.kind == "schema" and entry.title.startswith("edit the guideline of ")
    changed = [field for field in ("guideline", "labels", "relations") if getattr(store.schema, field) != getattr(before, field)]
    assert len(changed) == 1  # nothing else moved
    ops.undo(store, annotator="ana")
    assert store.schema == before == default_schema()
    ops.redo(store, annotator="ana")
    assert read(store.schema) == "New text,\r\nwith a CRLF.\n"


def test_a_value_guideline_set_to_empty_goes_away(store):
    ops.set_guideline(store, "", annotator="ana", label="CLAIM", attribute="kind", value="opinion")
    kind = store.schema.label("CLAIM").attribute("kind")
    assert [v for v, _ in kind.value_guidelines] == ["fact", "statistic", "quote", "prediction"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"label": "NOPE"}, "unknown label 'NOPE'; this project's labels are CLAIM, SOURCE, CAPTION"),
        ({"label": "CLAIM", "attribute": "nope"}, "CLAIM has no attribute 'nope' (its attributes: checkworthy, kind, treatment)"),
        ({"label": "CLAIM", "attribute": "kind", "value": "rumour"},
         "CLAIM.kind has no value 'rumour' (its values: fact, statistic, quote, prediction, opinion)"),
        ({"label": "CAPTION", "attribute": "credit", "value": "x"},
         "CAPTION.credit has no value 'x' (its values: none (a text attribute has no values))"),
        ({"relation": "nope"}, "unknown relation type 'nope'; this project's types are attributed_to, describes"),
        ({"attribute": "kind"}, "an attribute's guideline needs its label"),
        ({"label": "CLAIM", "value": "yes"}, "a value's guideline needs its attribute"),
        ({"relation": "describes", "label": "CLAIM"}, "a relation type's guideline takes no label, attribute or value"),
    ],
)
def test_a_bad_target_is_refused_and_nothing_changes(store, target, message):
    with pytest.raises(ValidationError) as caught:
        ops.set_guideline(store, "text", annotator="ana", **target)
    assert str(caught.value) == message
    assert store.schema == default_schema()
    assert ops.undoable(store, "ana") is None
