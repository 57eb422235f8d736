"""Bringing in annotations and relations that arrive with their own ids: a colleague's set (merge,
`import-annotations`), where importing the same set twice must change nothing and a later set from
the same colleague must apply their edits and deletions.

For an id already in the project:

* same content (offsets, label, attributes, note, annotator, deleted): nothing changes (`unchanged`);
* the incoming `updated` is later than the stored one: the stored row takes the incoming content and
  timestamps; a tombstone deletes the annotation and its live relations, a live one brings a deleted
  annotation back (`updated`, `deleted`);
* otherwise the stored row is kept (`kept`): an edit made here later wins.

A tool's foreign data (its own ids and fields, formats/foreign.py) is merged in whatever the content
rule decides: the incoming entry of a format replaces the stored one, the other formats' stay.

Offsets, label and attributes are checked as for a new tag; quote, prefix and suffix are recomputed
from the article's text. An id that belongs to another article is an error. The stored `origin` of
an existing annotation is left as it is. Relations: both ends must exist in the relation's article
(live, unless the relation is a tombstone), with the labels its type allows at each end.
These run inside the caller's operation (`Recorder`), in batches.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from ..errors import NotFoundError, ValidationError
from ..model import ORIGINS, Annotation, Relation
from ..schema import LabelSchema
from ..formats import foreign
from ..store import Recorder, Store, now
from ..store.codecs import annotation_row, foreign_json, relation_row
from ..textspan import check_span

CONTEXT = 32


@dataclass
class UpsertCounts:
    """What `put_annotations` / `put_relations` did with each record."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    kept: int = 0

    def __iadd__(self, other: "UpsertCounts") -> "UpsertCounts":
        for name in ("added", "updated", "deleted", "unchanged", "kept"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def _checked(schema: LabelSchema, annotation: Annotation, text: str) -> Annotation:
    check_span(text, annotation.start, annotation.end)
    if annotation.origin not in ORIGINS:
        raise ValidationError(f"unknown origin {annotation.origin!r}")
    attributes = schema.validate_attributes(annotation.label, annotation.attributes)  # checks the label too
    start, end = annotation.start, annotation.end
    stamp = annotation.updated or annotation.created or now()
    return replace(
        annotation, quote=text[start:end], prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT], attributes=attributes, created=annotation.created or stamp, updated=stamp,
    )  # fmt: skip


def _content(a: Annotation) -> tuple:
    return (a.start, a.end, a.label, a.attributes, a.note, a.annotator, a.deleted)


def put_annotations(store: Store, op: Recorder, annotations: Iterable[Annotation]) -> UpsertCounts:
    """Insert or update annotations by id (see the module's rules); returns what happened."""
    counts = UpsertCounts()
    batch = list(annotations)
    if not batch:
        return counts
    texts: dict[str, str] = {}
    for article_id in {a.article_id for a in batch}:
        try:
            texts[article_id] = store.article_text(article_id)
        except NotFoundError:
            raise NotFoundError(f"no article with id {article_id}") from None
    existing = store.annotations_by_id(a.id for a in batch)
    schema = store.schema  # once per batch: the store reads it from the project
    inserts: dict[str, dict] = {}  # written at the end, in one statement
    started: set[str] = set()
    for annotation in batch:
        incoming = _checked(schema, annotation, texts[annotation.article_id])
        if incoming.id in inserts:  # the same new id twice in one batch: the later record wins
            inserts[incoming.id] = annotation_row(incoming)
            existing[incoming.id] = incoming
            continue
        stored = existing.get(incoming.id)
        existing[incoming.id] = incoming
        if stored is None:
            inserts[incoming.id] = annotation_row(incoming)
            if not incoming.deleted:
                started.add(incoming.article_id)
            counts.added += 1
            continue
        if stored.article_id != incoming.article_id:
            raise ValidationError(
                f"annotation {incoming.id} belongs to article {stored.article_id}, not to {incoming.article_id}"
            )
        kept_foreign = foreign.merged(stored.foreign, incoming.foreign)
        if _content(stored) == _content(incoming) or incoming.updated <= stored.updated:
            existing[incoming.id] = stored
            if _content(stored) == _content(incoming):
                counts.unchanged += 1
            else:
                counts.kept += 1
            if kept_foreign != stored.foreign:
                op.update("annotations", incoming.id, {"foreign_data": foreign_json(kept_foreign)})
            continue
        row = annotation_row(incoming)
        for column in ("id", "origin", "created"):
            del row[column]
        row["foreign_data"] = foreign_json(kept_foreign)
        op.update("annotations", incoming.id, row)
        if incoming.deleted and not stored.deleted:
            ends = store.live_relation_ids(ends=[incoming.id])
            op.update_many("relations", [(r, {"deleted": 1, "updated": incoming.updated}) for r in ends])
            counts.deleted += 1
        else:
            counts.updated += 1
    op.insert_many("annotations", list(inserts.values()))
    statuses = store.article_statuses(started)
    op.update_many("articles", [(a, {"status": "in_progress"}) for a, s in statuses.items() if s == "todo"])
    return counts


def _check_relation(schema: LabelSchema, relation: Relation, ends: dict[str, tuple[str, str, bool]]) -> None:
    labels = {}
    for end in (relation.head, relation.tail):
        row = ends.get(end)
        if row is None:
            raise NotFoundError(f"relation {relation.id}: no annotation with id {end}")
        if row[0] != relation.article_id:
            raise ValidationError(f"relation {relation.id}: annotation {end} is in another article")
        if row[2] and not relation.deleted:
            raise ValidationError(f"relation {relation.id}: annotation {end} is deleted")
        labels[end] = row[1]
    if relation.head == relation.tail:
        raise ValidationError(f"relation {relation.id}: an annotation cannot be related to itself")
    schema.relation_type(relation.type).check_ends(labels[relation.head], labels[relation.tail],
                                                         relation.head[:8], relation.tail[:8])


def _relation_content(r: Relation) -> tuple:
    return (r.head, r.tail, r.type, r.annotator, r.deleted)


def put_relations(store: Store, op: Recorder, relations: Iterable[Relation]) -> UpsertCounts:
    """Insert or update relations by id, with the rules of `put_annotations`."""
    counts = UpsertCounts()
    batch = list(relations)
    if not batch:
        return counts
    ends = store.relation_ends({r.head for r in batch} | {r.tail for r in batch})
    existing = store.relations_by_id(r.id for r in batch)
    schema = store.schema
    inserts: dict[str, dict] = {}
    for relation in batch:
        stamp = now()
        relation = replace(relation, created=relation.created or relation.updated or stamp,
                           updated=relation.updated or relation.created or stamp)
        stored = existing.get(relation.id)
        if stored is None or (_relation_content(stored) != _relation_content(relation) and relation.updated > stored.updated):
            _check_relation(schema, relation, ends)
        existing[relation.id] = relation
        if relation.id in inserts:
            inserts[relation.id] = relation_row(relation)
            continue
        if stored is None:
            inserts[relation.id] = relation_row(relation)
            counts.added += 1
            continue
        if stored.article_id != relation.article_id:
            raise ValidationError(f"relation {relation.id} belongs to article {stored.article_id}, not to {relation.article_id}")
        kept_foreign = foreign.merged(stored.foreign, relation.foreign)
        if _relation_content(stored) == _relation_content(relation) or relation.updated <= stored.updated:
            existing[relation.id] = stored
            if _relation_content(stored) == _relation_content(relation):
                counts.unchanged += 1
            else:
                counts.kept += 1
            if kept_foreign != stored.foreign:
                op.update("relations", relation.id, {"foreign_data": foreign_json(kept_foreign)})
            continue
        op.update("relations", relation.id, {"head": relation.head, "tail": relation.tail, "type": relation.type,
                                             "annotator": relation.annotator, "deleted": int(relation.deleted),
                                             "updated": relation.updated, "foreign_data": foreign_json(kept_foreign)})
        if relation.deleted and not stored.deleted:
            counts.deleted += 1
        else:
            counts.updated += 1
    op.insert_many("relations", list(inserts.values()))
    return counts

