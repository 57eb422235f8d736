"""Operations on annotations: tag, relabel, change bounds, set attributes, set note, delete, restore.

The rules live here, once, for the window and the command line alike:

* a new span snaps outward to whole words (`textspan.snap_to_words`) unless `exact`, which keeps the
  characters given (only never splitting a grapheme cluster); a span of nothing but white space is
  refused;
* an exact duplicate — same article, start, end, label and annotator as a live annotation — is
  refused with `DuplicateAnnotation` (which names the existing one), whether made by tagging,
  relabelling or moving a boundary;
* attributes are checked against the label's specs, and a new span is prefilled from the text
  (a CAPTION over a photo credit gets its credit, annotator/prefill.py);
* the first tag of an article moves it from todo to in progress;
* deleting leaves a tombstone, and takes the annotation's live relations along.

Every function is one operation: one transaction, one journal entry, a `Done` with what changed.
"""

from __future__ import annotations

from bisect import bisect_left

from ..errors import NotFoundError, ValidationError
from ..model import ORIGINS, Annotation, Article, Block
from ..prefill import prefill_attributes, wants_credit
from ..store import Changes, Recorder, Store, new_id, now
from ..store.codecs import annotation_row, dumps
from ..store.store import Excerpt
from ..textspan import QUOTE_CONTEXT, check_offsets, check_span, make_selector, snap_to_graphemes, snap_to_words
from .result import Done, DuplicateAnnotation, elide, who


def snap(text: str, start: int, end: int, exact: bool) -> tuple[int, int]:
    """The span a selection stands for: whole words, or (exact) whole grapheme clusters."""
    check_span(text, start, end)
    start, end = (snap_to_graphemes if exact else snap_to_words)(text, start, end)
    if start >= end or not text[start:end].strip():
        raise ValidationError("the selection has no text to tag (only white space)")
    return start, end


def _snapped(store: Store, article_id: str, start: int, end: int, exact: bool) -> tuple[Excerpt, int, int]:
    """The span a selection stands for, and whole blocks of the text around it that hold its quote
    and context: a tag reads a few blocks, not the article (a 20 MB one costs what a 20 KB one does).

    Snapping stops at a block's edge (a line break ends every word and cluster), so it gives in
    whole blocks what it gives in the whole text."""
    excerpt = store.text_excerpt(article_id, start - QUOTE_CONTEXT, end + QUOTE_CONTEXT)
    while True:
        s, e = snap(excerpt.text, start - excerpt.offset, end - excerpt.offset, exact)
        s, e = s + excerpt.offset, e + excerpt.offset
        if excerpt.holds(s - QUOTE_CONTEXT, e + QUOTE_CONTEXT):
            return excerpt, s, e
        excerpt = store.text_excerpt(article_id, s - QUOTE_CONTEXT, e + QUOTE_CONTEXT)


def _excerpt_article(store: Store, article_id: str, excerpt: Excerpt, with_blocks: bool) -> Article:
    """The excerpt as an article of its own (offsets from the excerpt's start) for the prefill rules;
    its blocks only when they are needed (reading them all costs what reading the text does)."""
    blocks: list[Block] = []
    if with_blocks:
        every = store.article_blocks(article_id)
        for i in range(bisect_left(every, excerpt.offset, key=lambda b: b.start), len(every)):
            block = every[i]
            if block.start >= excerpt.end:
                break
            if block.end <= excerpt.end:
                blocks.append(Block(block.kind, block.start - excerpt.offset, block.end - excerpt.offset))
    return Article(id=article_id, text=excerpt.text, blocks=blocks)


def live(store: Store, annotation_id: str) -> Annotation:
    annotation = store.get_annotation(annotation_id)
    if annotation.deleted:
        raise NotFoundError(f"annotation {annotation_id} is deleted")
    return annotation


def refuse_duplicate(store: Store, article_id: str, start: int, end: int, label: str, annotator: str,
                     quote: str, ignore: str | None = None) -> None:
    existing = store.live_duplicate(article_id, start, end, label, annotator)
    if existing is not None and existing != ignore:
        raise DuplicateAnnotation(
            f"already tagged {label} “{elide(quote)}” at {start}-{end} by {annotator} "
            f"(annotation {existing[:8]}); nothing was added",
            existing,
        )


def start_article(store: Store, op: Recorder, article_id: str) -> None:
    """The first tag of an article moves it from todo to in progress."""
    if store.article_row(article_id)["status"] == "todo":
        op.update("articles", article_id, {"status": "in_progress"})


def tag(
    store: Store,
    article_id: str,
    start: int,
    end: int,
    label: str,
    *,
    annotator: str,
    exact: bool = False,
    attributes: dict[str, object] | None = None,
    note: str = "",
    origin: str = "manual",
    annotation_id: str | None = None,
    batch_id: str | None = None,
) -> Done[Annotation]:
    """Tag text[start:end] of an article with `label` (offsets in code points, end exclusive)."""
    annotation = new_annotation(store, article_id, start, end, label, annotator=annotator, exact=exact,
                                attributes=attributes, note=note, origin=origin, annotation_id=annotation_id)
    with store.operation("tag", annotation.annotator, article_id=article_id, batch_id=batch_id,
                         title=f"tag {annotation.label}",
                         summary=f"tag {annotation.label} “{elide(annotation.quote)}” at {annotation.start}-{annotation.end}") as op:
        write_new_annotation(store, op, annotation)
    return Done(annotation, op.changes)


def new_annotation(
    store: Store, article_id: str, start: int, end: int, label: str, *, annotator: str, exact: bool = False,
    attributes: dict[str, object] | None = None, note: str = "", origin: str = "manual",
    annotation_id: str | None = None,
) -> Annotation:
    """The annotation `tag` would make (snapped, prefilled, attributes checked), not written yet:
    for operations that tag as one part of a larger change (accepting suggestions)."""
    annotator = who(annotator)
    schema = store.schema
    label = schema.resolve_label(label)
    if origin not in ORIGINS:
        raise ValidationError(f"unknown origin {origin!r}; expected one of {', '.join(ORIGINS)}")
    check_offsets(store.article_length(article_id), start, end)
    excerpt, start, end = _snapped(store, article_id, start, end, exact)
    shift = excerpt.offset
    near = _excerpt_article(store, article_id, excerpt, wants_credit(schema, label, attributes))
    filled = prefill_attributes(schema, near, start - shift, end - shift, label, attributes)
    checked = schema.validate_attributes(label, filled)
    selector = make_selector(excerpt.text, start - shift, end - shift)
    stamp = now()
    return Annotation(
        id=annotation_id or new_id(), article_id=article_id, start=start, end=end, label=label,
        quote=selector.exact, prefix=selector.prefix, suffix=selector.suffix, attributes=checked, note=note,
        annotator=annotator, created=stamp, updated=stamp, origin=origin,
    )  # fmt: skip


def write_new_annotation(store: Store, op: Recorder, annotation: Annotation) -> None:
    """Write an annotation made by `new_annotation` inside an open operation, with tag's rules: an
    exact duplicate is refused, the article's first tag moves it to in progress."""
    refuse_duplicate(store, annotation.article_id, annotation.start, annotation.end, annotation.label,
                     annotation.annotator, annotation.quote)
    op.insert("annotations", annotation_row(annotation))
    start_article(store, op, annotation.article_id)


def _update(store: Store, annotation: Annotation, kind: str, title: str, summary: str, annotator: str,
            values: dict[str, object]) -> Done[Annotation]:
    with store.operation(kind, who(annotator), article_id=annotation.article_id, title=title, summary=summary) as op:
        op.update("annotations", annotation.id, {**values, "updated": now()})
    return Done(store.get_annotation(annotation.id), op.changes)


def relabel(store: Store, annotation_id: str, label: str, *, annotator: str) -> Done[Annotation]:
    """Change the label; attributes the new label does not have (or whose values do not fit) go."""
    current = live(store, annotation_id)
    schema = store.schema
    label = schema.resolve_label(label)
    if label == current.label:
        return Done(current, Changes())
    refuse_duplicate(store, current.article_id, current.start, current.end, label, current.annotator, current.quote)
    kept = schema.attributes_that_fit(label, current.attributes)
    return _update(store, current, "relabel", f"relabel {current.label} → {label}",
                   f"relabel {current.label} → {label} “{elide(current.quote)}”", annotator,
                   {"label": label, "attributes": dumps(kept)})


def change_bounds(
    store: Store, annotation_id: str, start: int, end: int, *, annotator: str, exact: bool = False
) -> Done[Annotation]:
    """Move an annotation's boundaries (snapped to words unless `exact`); quote and context follow."""
    current = live(store, annotation_id)
    check_offsets(store.article_length(current.article_id), start, end)
    excerpt, start, end = _snapped(store, current.article_id, start, end, exact)
    if (start, end) == (current.start, current.end):
        return Done(current, Changes())
    selector = make_selector(excerpt.text, start - excerpt.offset, end - excerpt.offset)
    refuse_duplicate(store, current.article_id, start, end, current.label, current.annotator, selector.exact,
                     ignore=current.id)
    return _update(store, current, "bounds", f"resize {current.label}",
                   f"resize {current.label} to “{elide(selector.exact)}” at {start}-{end}", annotator,
                   {"start": start, "end": end, "quote": selector.exact, "prefix": selector.prefix,
                    "suffix": selector.suffix})


def set_attributes(store: Store, annotation_id: str, attributes: dict[str, object], *, annotator: str) -> Done[Annotation]:
    """Replace the annotation's attributes (checked against its label)."""
    current = live(store, annotation_id)
    checked = store.schema.validate_attributes(current.label, dict(attributes))
    if checked == current.attributes:
        return Done(current, Changes())
    shown = ", ".join(f"{k}={v}" for k, v in checked.items()) or "none"
    return _update(store, current, "attributes", f"edit {current.label} attributes",
                   f"set {current.label} attributes: {elide(shown, 60)}", annotator, {"attributes": dumps(checked)})


def set_note(store: Store, annotation_id: str, note: str, *, annotator: str) -> Done[Annotation]:
    current = live(store, annotation_id)
    if note == current.note:
        return Done(current, Changes())
    summary = f"note on {current.label} “{elide(current.quote, 30)}”: {elide(note, 40)}" if note else \
        f"remove the note on {current.label} “{elide(current.quote, 30)}”"
    return _update(store, current, "note", f"edit {current.label} note", summary, annotator, {"note": note})


def delete_annotation(store: Store, annotation_id: str, *, annotator: str, batch_id: str | None = None) -> Done[list[str]]:
    """Tombstone an annotation and its live relations; the value is those relations' ids."""
    current = live(store, annotation_id)
    stamp = now()
    with store.operation("delete", who(annotator), article_id=current.article_id, batch_id=batch_id,
                         title=f"delete {current.label}",
                         summary=f"delete {current.label} “{elide(current.quote)}” at {current.start}-{current.end}") as op:
        relations = [r.id for r in store.live_relations_of(current.id)]
        op.update("annotations", current.id, {"deleted": 1, "updated": stamp})
        op.update_many("relations", [(rid, {"deleted": 1, "updated": stamp}) for rid in relations])
    return Done(relations, op.changes)


def restore_annotation(store: Store, annotation_id: str, *, annotator: str) -> Done[Annotation]:
    """Bring a deleted annotation back, with the relations its deletion took along (same moment)."""
    current = store.get_annotation(annotation_id)
    if not current.deleted:
        return Done(current, Changes())
    stamp = now()
    with store.operation("restore", who(annotator), article_id=current.article_id, title=f"restore {current.label}",
                         summary=f"restore {current.label} “{elide(current.quote)}”") as op:
        refuse_duplicate(store, current.article_id, current.start, current.end, current.label, current.annotator,
                         current.quote)
        op.update("annotations", current.id, {"deleted": 0, "updated": stamp})
        taken = [r for r in store.relations_for(current.article_id, include_deleted=True)
                 if r.deleted and r.updated == current.updated and current.id in (r.head, r.tail)]
        ends = store.relation_ends({e for r in taken for e in (r.head, r.tail)} - {current.id})
        op.update_many("relations", [(r.id, {"deleted": 0, "updated": stamp}) for r in taken
                                     if all(not ends.get(e, ("", "", True))[2] for e in (r.head, r.tail) if e != current.id)])
    return Done(store.get_annotation(annotation_id), op.changes)

