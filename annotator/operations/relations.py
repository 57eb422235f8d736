"""Relations between annotations (a claim `attributed_to` its source): the candidate rule, link, unlink.

The candidate rule is the one place that says what an annotation can be linked to, for the window's
link picker and `annotator relate` alike: relation types with the annotation's label at the head
come first (a claim: its sources); only when its label is never a head are the reverse types offered
(a source: the claims it can be the source of). A pair already linked with that type is no
candidate. The end-label rule itself is the schema's (`RelationType.check_ends`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..errors import NotFoundError, ValidationError
from ..model import Annotation, Relation
from ..schema import LabelSchema
from ..store import Changes, Store, new_id, now
from ..store.codecs import relation_row
from .annotations import live
from .result import Done, elide, who


@dataclass(frozen=True)
class LinkCandidate:
    other: Annotation  # the annotation the source can be linked to
    head: str
    tail: str
    type: str


def forward_type(schema: LabelSchema, head_label: str, tail_label: str) -> str | None:
    """The first relation type with `head_label` at its head and `tail_label` at its tail."""
    for kind in schema.relations:
        if kind.allows_head(head_label) and kind.allows_tail(tail_label):
            return kind.name
    return None


def link_candidates(store: Store, source_id: str) -> list[LinkCandidate]:
    """What annotation `source_id` can be linked to in its article, nearest kinds first (see above)."""
    source = live(store, source_id)
    linked = {(r.head, r.tail, r.type) for r in store.relations_for(source.article_id)}
    found = (_candidate(store.schema, source, other, linked) for other in store.iter_annotations(source.article_id))
    return [c for c in found if c is not None]


def first_candidate(source: Annotation, candidates: Sequence[LinkCandidate]) -> LinkCandidate | None:
    """The candidate a picker starts on: the source's own annotator's spans before a colleague's
    (with a colleague's set shown beside one's own, the nearest span was often theirs), then the
    nearest to the source."""
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c.other.annotator != source.annotator, abs(c.other.start - source.start)))


def pair_candidate(store: Store, source_id: str, other_id: str) -> LinkCandidate | None:
    """`link_candidates` for one pair: how `source_id` can be linked to `other_id`, if it can (what
    `annotator relate A B` needs, without reading the article's other annotations)."""
    source, other = live(store, source_id), live(store, other_id)
    if other.article_id != source.article_id:
        return None
    linked = {(r.head, r.tail, r.type) for r in store.live_relations_of(source.id)}
    return _candidate(store.schema, source, other, linked)


def _candidate(schema: LabelSchema, source: Annotation, other: Annotation,
               linked: set[tuple[str, str, str]]) -> LinkCandidate | None:
    if other.id == source.id:
        return None
    heads = [t for t in schema.relations if t.allows_head(source.label)]
    if heads:
        for kind in heads:
            if kind.allows_tail(other.label) and (source.id, other.id, kind.name) not in linked:
                return LinkCandidate(other, source.id, other.id, kind.name)
        return None
    for kind in schema.relations:
        if kind.allows_head(other.label) and kind.allows_tail(source.label) and \
                (other.id, source.id, kind.name) not in linked:
            return LinkCandidate(other, other.id, source.id, kind.name)
    return None


def nothing_to_link(store: Store, source: Annotation) -> str:
    """Why an annotation has no link candidates, for the window and the CLI."""
    kinds = [t for t in store.schema.relations if t.allows_head(source.label)]
    wanted = " or ".join(sorted({label for t in kinds for label in t.tail})) if kinds else ""
    if wanted:
        return f"Nothing to link this {source.label} to: tag a {wanted} in this article first."
    return f"Nothing in this article can be linked to this {source.label}."


def link(store: Store, head_id: str, tail_id: str, type_name: str | None = None, *, annotator: str) -> Done[Relation]:
    """Relate `head_id` to `tail_id` with `type_name` (or, without one, the first type that fits)."""
    annotator = who(annotator)
    head, tail = live(store, head_id), live(store, tail_id)
    if head.article_id != tail.article_id:
        raise ValidationError("a relation joins two annotations of the same article")
    if head.id == tail.id:
        raise ValidationError("an annotation cannot be related to itself")
    schema = store.schema
    if type_name is None:
        type_name = forward_type(schema, head.label, tail.label)
        if type_name is None:
            raise ValidationError(f"no relation type goes from a {head.label} to a {tail.label}; "
                                  "`annotator schema show` lists the relation types")
    else:
        type_name = schema.resolve_relation_type(type_name)
    schema.relation_type(type_name).check_ends(head.label, tail.label, head.id[:8], tail.id[:8])
    for existing in store.live_relations_of(head.id):
        if (existing.head, existing.tail, existing.type) == (head.id, tail.id, type_name):
            raise ValidationError(f"{head.id[:8]} is already {type_name} {tail.id[:8]} (relation {existing.id})")
    stamp = now()
    relation = Relation(new_id(), head.article_id, head.id, tail.id, type_name, annotator, stamp, stamp)
    with store.operation("link", annotator, article_id=head.article_id, title=f"link {type_name.replace('_', ' ')}",
                         summary=f"link {head.label} “{elide(head.quote, 30)}” {type_name} "
                                 f"{tail.label} “{elide(tail.quote, 30)}”") as op:
        op.insert("relations", relation_row(relation))
    return Done(relation, op.changes)


def unlink(store: Store, relation_id: str, *, annotator: str) -> Done[Relation]:
    """Delete a relation (a tombstone)."""
    relation = store.get_relation(relation_id)
    if relation.deleted:
        raise NotFoundError(f"relation {relation.id} is already deleted")
    with store.operation("unlink", who(annotator), article_id=relation.article_id,
                         title=f"unlink {relation.type.replace('_', ' ')}",
                         summary=f"unlink {relation.head[:8]} {relation.type} {relation.tail[:8]}") as op:
        op.update("relations", relation.id, {"deleted": 1, "updated": now()})
    return Done(store.get_relation(relation.id), op.changes)


__all__ = ["Changes", "LinkCandidate", "forward_type", "link", "link_candidates", "nothing_to_link", "pair_candidate",
           "unlink"]
