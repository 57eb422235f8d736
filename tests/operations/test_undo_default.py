"""`undo()` without an id takes the annotator's newest entry that still stands: entries undone are
skipped, an entry redone stands again, other annotators' entries are never taken."""

from __future__ import annotations

import pytest

from annotator import operations as ops
from annotator.errors import NotFoundError
from annotator.model import build_article
from annotator.store import Store
import support


def test_undo_takes_the_newest_standing_entry_of_its_annotator(tmp_path):
    article = build_article([("paragraph", "Ana said prices rose and Ben said they fell sharply.")])
    with Store.open(tmp_path / "p.annotator") as store:
        support.add_article(store, article)
        a, b, c = (ops.tag(store, article.id, s, e, "CLAIM", annotator="ana", exact=True).op_id
                   for s, e in ((0, 3), (4, 8), (9, 15)))
        d = ops.tag(store, article.id, 25, 28, "SOURCE", annotator="ben", exact=True).op_id

        def undone() -> str:
            return ops.undo(store, annotator="ana").value.id

        assert undone() == c
        assert undone() == b
        assert ops.redo(store, annotator="ana").value.id == b
        assert ops.undoable(store, "ana").id == b
        assert undone() == b
        assert undone() == a
        with pytest.raises(NotFoundError, match="nothing of ana's to undo"):
            undone()
        assert ops.undo(store, annotator="ben").value.id == d
        assert [x.quote for x in store.annotations_for(article.id)] == []
