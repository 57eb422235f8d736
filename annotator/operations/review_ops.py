"""Decisions that build the gold layer (annotator "gold"): accept A / B / both, reject, edit, and
reopening a decision. Each is one operation (a batch of decisions, one operation too), undoable
from the journal like any other edit.

* ``accept_a`` / ``accept_b``: copy A's (B's) span into gold;
* ``accept_both``: copy both (one gold span only if they are identical);
* ``reject``: nothing goes into gold; the decision is recorded;
* ``edit``: a new gold span with ``start``, ``end``, ``label`` (defaults: A's, else B's) and the
  attributes of that span that the label allows (or ``attributes``).

A gold span identical (bounds and label) to a live gold span is not created twice. Relations of the
source annotator between spans that both have a gold copy are copied into gold. A comparison that
already has a standing decision is refused: undo (or reopen) that one first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..errors import ValidationError
from ..model import Annotation, Decision, Relation
from ..review import GOLD, Comparison
from ..store import Recorder, Store, new_id, now
from ..store.codecs import annotation_row, decision_row, relation_row
from ..textspan import check_span, make_selector
from .result import Done, elide, who

DECISIONS: tuple[str, ...] = ("accept_a", "accept_b", "accept_both", "reject", "edit")
NAMES = {"accept_a": "accept A", "accept_b": "accept B", "accept_both": "accept both", "reject": "reject",
         "edit": "edit into gold"}


def _live(store: Store, annotation: Annotation | None) -> Annotation | None:
    """The annotation as stored now (a comparison may be older than the last edit)."""
    if annotation is None:
        return None
    current = store.get_annotation(annotation.id)
    if current.deleted:
        raise ValidationError(f"annotation {annotation.id[:8]} has been deleted since the comparison was made")
    return current


def _gold_copy(source: Annotation, start: int, end: int, label: str, attributes: dict[str, object], stamp: str,
               text: str | None = None) -> Annotation:
    if text is None or (start, end) == (source.start, source.end):
        quote, prefix, suffix = source.quote, source.prefix, source.suffix
    else:
        selector = make_selector(text, start, end)
        quote, prefix, suffix = selector.exact, selector.prefix, selector.suffix
    return Annotation(
        id=new_id(), article_id=source.article_id, start=start, end=end, label=label, quote=quote,
        prefix=prefix, suffix=suffix, attributes=dict(attributes), note=source.note, annotator=GOLD,
        created=stamp, updated=stamp, origin="manual",
    )  # fmt: skip


def _copies(store: Store, a: Annotation | None, b: Annotation | None, decision: str, stamp: str,
            start: int | None, end: int | None, label: str | None,
            attributes: dict[str, object] | None) -> list[tuple[Annotation, Annotation]]:
    """(gold copy, source) pairs the decision would create."""
    if decision in ("accept_a", "accept_b", "accept_both"):
        sources = {"accept_a": [a], "accept_b": [b], "accept_both": [a, b]}[decision]
        return [(_gold_copy(s, s.start, s.end, s.label, s.attributes, stamp), s) for s in sources if s is not None]
    if decision != "edit":
        return []
    base = a or b
    assert base is not None
    schema = store.schema
    new_label = schema.resolve_label(label) if label is not None else base.label
    new_start = base.start if start is None else start
    new_end = base.end if end is None else end
    text = store.article_text(base.article_id)
    check_span(text, new_start, new_end)
    kept = schema.attributes_that_fit(new_label, base.attributes) if attributes is None else \
        schema.validate_attributes(new_label, attributes)
    return [(_gold_copy(base, new_start, new_end, new_label, kept, stamp, text=text), base)]


def _decide_in(store: Store, op: Recorder, comparison: Comparison, decision: str, decided_by: str, comment: str,
               start: int | None = None, end: int | None = None, label: str | None = None,
               attributes: dict[str, object] | None = None) -> Decision:
    if decision not in DECISIONS:
        raise ValidationError(f"unknown decision {decision!r}; expected one of {', '.join(DECISIONS)}")
    a, b = _live(store, comparison.a), _live(store, comparison.b)
    if a is None and b is None:
        raise ValidationError("an empty comparison cannot be decided")
    if a is not None and b is not None and a.article_id != b.article_id:
        raise ValidationError("the two spans of a comparison must belong to the same article")
    article_id = (a or b).article_id  # type: ignore[union-attr]
    if decision == "accept_a" and a is None:
        raise ValidationError("accept_a: this comparison has no span of A")
    if decision == "accept_b" and b is None:
        raise ValidationError("accept_b: this comparison has no span of B")
    stamp = now()
    copies = _copies(store, a, b, decision, stamp, start, end, label, attributes)
    key = comparison.key
    standing = [d for d in store.decisions_for(article_id) if d.key == key]
    if standing:
        raise ValidationError(
            f"this comparison is already decided ({standing[0].decision}, decision {standing[0].id[:8]}); undo it first"
        )
    live_gold = store.live_spans(article_id, GOLD)
    created: list[tuple[Annotation, Annotation]] = []
    for gold, source in copies:
        bounds = (gold.start, gold.end, gold.label)
        if bounds not in live_gold:
            live_gold.add(bounds)
            created.append((gold, source))
    record = Decision(
        id=new_id(), article_id=article_id, decision=decision, source_ids=list(comparison.source_ids),
        gold_ids=[g.id for g, _ in created], copied_from={g.id: s.id for g, s in created}, relation_ids=[],
        decided_by=decided_by, decided_at=stamp, comment=comment,
    )  # fmt: skip
    for gold, _ in created:
        op.insert("annotations", annotation_row(gold))
    record.relation_ids = _copy_relations(store, op, article_id, record.copied_from, stamp)
    op.insert("decisions", decision_row(record))
    return record


def _copy_relations(store: Store, op: Recorder, article_id: str, new_copies: dict[str, str], stamp: str) -> list[str]:
    """Gold relations between gold spans whose sources are related."""
    if not new_copies:
        return []
    gold_of: dict[str, str] = {}  # source id -> live gold id
    for decision in store.decisions_for(article_id):
        gold_of.update({source: gold for gold, source in decision.copied_from.items()})
    gold_of.update({source: gold for gold, source in new_copies.items()})
    live_gold = {a.id: a for a in store.iter_annotations(article_id, annotator=GOLD)}
    gold_of = {s: g for s, g in gold_of.items() if g in live_gold}
    relations = store.relations_for(article_id)
    existing = {(r.head, r.tail, r.type) for r in relations if r.annotator == GOLD}
    schema = store.schema
    known = {t.name: t for t in schema.relations}
    created = []
    sources = set(new_copies.values())
    for relation in relations:
        if relation.annotator == GOLD or not ({relation.head, relation.tail} & sources):
            continue
        if relation.head not in gold_of or relation.tail not in gold_of:
            continue
        mapped = (gold_of[relation.head], gold_of[relation.tail], relation.type)
        kind = known.get(relation.type)
        if mapped in existing or kind is None:
            continue
        if not (kind.allows_head(live_gold[mapped[0]].label) and kind.allows_tail(live_gold[mapped[1]].label)):
            continue
        gold_relation = Relation(new_id(), article_id, mapped[0], mapped[1], relation.type, GOLD, stamp, stamp)
        op.insert("relations", relation_row(gold_relation))
        existing.add(mapped)
        created.append(gold_relation.id)
    return created


def _decider(name: str) -> str:
    if not (name or "").strip():
        raise ValidationError("a decision needs the name of who decides")
    return name.strip()


def _describe(comparison: Comparison, decision: str, label: str | None = None) -> tuple[str, str]:
    side = comparison.a or comparison.b
    what = label or (side.label if side is not None else "")
    title = f"{NAMES.get(decision, decision)} {what}".strip()
    quote = elide(side.quote, 40) if side is not None else ""
    return title, f"{title} “{quote}”" if quote else title


def decide(
    store: Store,
    comparison: Comparison,
    decision: str,
    decided_by: str,
    comment: str = "",
    *,
    start: int | None = None,
    end: int | None = None,
    label: str | None = None,
    attributes: dict[str, object] | None = None,
) -> Done[Decision]:
    """Adjudicate one comparison in one operation."""
    decided_by = _decider(decided_by)
    title, summary = _describe(comparison, decision, label)
    side = comparison.a or comparison.b
    with store.operation("decide", decided_by, article_id=side.article_id if side else None, title=title,
                         summary=summary) as op:
        record = _decide_in(store, op, comparison, decision, decided_by, comment, start, end, label, attributes)
    return Done(record, op.changes)


def decide_many(
    store: Store, comparisons: Sequence[Comparison], decision: str, decided_by: str, comment: str = "", title: str = ""
) -> Done[list[Decision]]:
    """The same decision on several comparisons ("Accept all agreed"): one operation, all or nothing."""
    decided_by = _decider(decided_by)
    comparisons = list(comparisons)
    if not comparisons:
        raise ValidationError("no comparisons to decide")
    first = comparisons[0].a or comparisons[0].b
    title = title or f"{NAMES.get(decision, decision)} ×{len(comparisons)}"
    with store.operation("decide", decided_by, article_id=first.article_id if first else None, title=title,
                         summary=f"{title} ({len(comparisons)} comparisons)") as op:
        records = [_decide_in(store, op, c, decision, decided_by, comment) for c in comparisons]
    return Done(records, op.changes)


def accept(store: Store, annotation_id: str, decided_by: str, comment: str = "") -> Done[Decision]:
    """Accept one annotation into gold, outside any comparison (recorded as accept_a of "<id>:-")."""
    annotation = store.get_annotation(annotation_id)
    return decide(store, Comparison("only_a", annotation, None), "accept_a", decided_by, comment)


def reopen(store: Store, decision_id: str, *, annotator: str) -> Done[Decision]:
    """Take a decision back as a new edit: its gold spans and relations become tombstones (with any
    live relation that uses those spans), the decision is marked undone and its comparison is open
    again. (`history.undo` of the decision's operation removes it instead, as if never made.)"""
    decision = store.get_decision(decision_id)
    if decision.undone:
        raise ValidationError(f"decision {decision.id[:8]} is already undone")
    stamp = now()
    with store.operation("reopen", who(annotator), article_id=decision.article_id,
                         title=f"reopen ({NAMES.get(decision.decision, decision.decision)})",
                         summary=f"reopen decision {decision.id[:8]} ({decision.decision})") as op:
        live_gold = [g for g in decision.gold_ids if not store.get_annotation(g).deleted]
        relations = set(store.live_relation_ids(ends=live_gold)) | {
            r for r, rel in store.relations_by_id(decision.relation_ids).items() if not rel.deleted}
        op.update_many("annotations", [(g, {"deleted": 1, "updated": stamp}) for g in live_gold])
        op.update_many("relations", [(r, {"deleted": 1, "updated": stamp}) for r in sorted(relations)])
        op.update("decisions", decision.id, {"undone_at": stamp})
    return Done(replace(decision, undone_at=stamp), op.changes)
