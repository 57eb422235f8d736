"""`Store.put_annotations` / `put_relations`: the upserts by id that imports of annotation sets use."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.errors import ValidationError
from annotator.model import Annotation, Relation, build_article
import support

ID = "0b5b0f3e-2c3f-4f7e-9d7b-7a6f2f0b1c2d"


def _article(store, text="Alice said prices rose."):
    article = build_article([("paragraph", text)])
    support.add_article(store, article)
    return article


def _span(article, **changes) -> Annotation:
    span = Annotation(
        id=ID, article_id=article.id, start=0, end=5, label="SOURCE", quote="", annotator="maria",
        created="2025-01-01T10:00:00.000Z", updated="2025-01-01T10:00:00.000Z", origin="imported",
    )
    return replace(span, **changes)


def test_insert_keeps_id_annotator_timestamps_and_recomputes_the_quote(store):
    article = _article(store)
    counts = support.put_annotations(store, [_span(article)])
    assert counts.added == 1
    stored = store.get_annotation(ID)
    assert (stored.annotator, stored.created, stored.updated, stored.origin) == ("maria", "2025-01-01T10:00:00.000Z", "2025-01-01T10:00:00.000Z", "imported")
    assert (stored.quote, stored.suffix) == ("Alice", " said prices rose.")
    assert store.get_article(article.id).status == "in_progress"
    assert support.put_annotations(store, [_span(article)]).unchanged == 1


def test_newer_applies_older_is_kept_tombstones_take_relations_along(store):
    article = _article(store)
    support.put_annotations(store, [_span(article)])
    claim = support.tag(store, article.id, 11, 22, "CLAIM", annotator="maria")
    relation = support.put_relations(store, [
        Relation(id="9c5f2b1e-8d6b-4c0a-a1b2-3c4d5e6f7a8b", article_id=article.id, head=claim.id, tail=ID,
                 type="attributed_to", annotator="maria")
    ])
    assert relation.added == 1
    assert support.put_annotations(store, [_span(article, note="older", updated="2024-12-31T00:00:00.000Z")]).kept == 1
    assert support.put_annotations(store, [_span(article, note="newer", updated="2025-02-01T00:00:00.000Z")]).updated == 1
    assert store.get_annotation(ID).note == "newer"
    assert support.put_annotations(store, [_span(article, note="newer", deleted=True, updated="2025-03-01T00:00:00.000Z")]).deleted == 1
    assert store.get_annotation(ID).deleted
    assert store.relations_for(article.id) == []
    assert support.put_annotations(store, [_span(article, note="newer", updated="2025-04-01T00:00:00.000Z")]).updated == 1
    assert not store.get_annotation(ID).deleted


def test_checks(store):
    article = _article(store)
    with pytest.raises(ValidationError, match="out of range"):
        support.put_annotations(store, [_span(article, end=99)])
    with pytest.raises(ValidationError, match="unknown label"):
        support.put_annotations(store, [_span(article, label="PERSON")])
    support.put_annotations(store, [_span(article)])
    other = _article(store, "Another text entirely.")
    with pytest.raises(ValidationError, match="belongs to article"):
        support.put_annotations(store, [_span(other)])
    assert store.counts()["annotations"] == 1
