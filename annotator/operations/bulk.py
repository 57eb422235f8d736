"""The bulk path of an import: what makes 100,000 documents go in at the speed of SQLite without
changing what goes in.

* `put_new_annotations`: the new spans of articles the same operation added (nearly all of a big
  import) are checked as `upserts.put_annotations` checks them and inserted with one prepared
  statement per batch, their rows handed to the journal as they are; anything else (an id the
  project has, a span of an article that was already here) takes `put_annotations`.
* the cyclic garbage collector is paused while a file is read and written (gc_pause.py).

tests/operations/test_bulk_import.py checks that the rows are exactly those of the careful path.
"""

from __future__ import annotations

from typing import Collection, Iterable

from ..errors import ValidationError
from ..model import ORIGINS, Annotation
from ..store import Recorder, Store, codecs, now
from ..store.codecs import foreign_json
from ..textspan import check_span
from .upserts import CONTEXT, UpsertCounts, put_annotations


def put_new_annotations(store: Store, op: Recorder, annotations: Iterable[Annotation],
                        texts: dict[str, str], new_ids: Collection[str] = frozenset()) -> UpsertCounts:
    """`put_annotations` for a bulk import, where nearly every span is new on an article that the
    same operation added (`texts`: their texts). Those (an id the project does not have, once in the
    batch) are checked as `put_annotations` checks them and inserted with one statement, without
    building a model object again or reading the text back; every other span takes
    `put_annotations`. The rows are the same either way.

    `new_ids` are ids the project cannot hold, so they are not looked up: those an import derived
    from the id of an article it adds (no row can name an article that was not there: foreign keys)."""
    batch = list(annotations)
    seen: dict[str, int] = {}
    for annotation in batch:
        seen[annotation.id] = seen.get(annotation.id, 0) + 1
    candidates = [a.id for a in batch if a.article_id in texts and seen[a.id] == 1 and a.id not in new_ids]
    present = store.existing_ids("annotations", candidates)
    fast, careful = [], []
    for annotation in batch:
        if annotation.article_id in texts and seen[annotation.id] == 1 and annotation.id not in present:
            fast.append(annotation)
        else:
            careful.append(annotation)
    counts = put_annotations(store, op, careful) if careful else UpsertCounts()
    if not fast:
        return counts
    schema = store.schema
    plain = frozenset(schema.names)  # labels whose empty attributes need no check
    rows: list[dict] = []
    started: set[str] = set()
    stamp = ""
    for a in fast:
        text = texts[a.article_id]
        start, end = a.start, a.end
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
            check_span(text, start, end)  # raises, with the reason
        if a.origin not in ORIGINS:
            raise ValidationError(f"unknown origin {a.origin!r}")
        attributes = schema.validate_attributes(a.label, a.attributes) if a.attributes or a.label not in plain else {}
        updated = a.updated or a.created or stamp or (stamp := now())
        rows.append({
            "id": a.id, "article_id": a.article_id, "start": start, "end": end, "label": a.label,
            "quote": text[start:end], "prefix": text[max(0, start - CONTEXT) : start], "suffix": text[end : end + CONTEXT],
            "attributes": codecs.dumps(attributes) if attributes else "{}", "note": a.note, "annotator": a.annotator,
            "created": a.created or updated, "updated": updated, "origin": a.origin, "deleted": int(a.deleted),
            "foreign_data": foreign_json(a.foreign),
        })  # fmt: skip
        if not a.deleted:
            started.add(a.article_id)
    op.insert_many("annotations", rows, own_rows=True)
    statuses = store.article_statuses(started)
    op.update_many("articles", [(i, {"status": "in_progress"}) for i, s in statuses.items() if s == "todo"])
    counts.added += len(rows)
    return counts


