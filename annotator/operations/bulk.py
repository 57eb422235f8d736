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

from typing import Collection, Iterable, Sequence

from ..errors import ValidationError
from ..model import ORIGINS, Annotation
from ..schema import LabelSchema
from ..store import Recorder, Store, codecs, now
from ..store.codecs import foreign_json
from ..textspan import check_span
from .upserts import CONTEXT, UpsertCounts, put_annotations


class NewRows:
    """The row of a new span of an article the same operation adds, checked as
    `upserts.put_annotations` checks it (offsets, origin, label and attributes) against `schema`,
    without a model object: an import that knows a span is new (its id derived from a new
    article's) makes the row as it reads the span; `put_new_annotations` makes the others'."""

    def __init__(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.plain = frozenset(schema.names)  # labels whose empty attributes need no check
        self.stamp = ""

    def row(self, text: str, ident: str, article_id: str, start: int, end: int, label: str,
            attributes: dict[str, object], note: str, annotator: str, created: str, updated: str, origin: str,
            deleted: bool, foreign: dict[str, object]) -> dict:
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
            check_span(text, start, end)  # raises, with the reason
        if origin not in ORIGINS:
            raise ValidationError(f"unknown origin {origin!r}")
        if attributes or label not in self.plain:
            attributes = self.schema.validate_attributes(label, attributes)
        updated = updated or created or self.stamp or self._now()
        return {
            "id": ident, "article_id": article_id, "start": start, "end": end, "label": label,
            "quote": text[start:end], "prefix": text[max(0, start - CONTEXT) : start], "suffix": text[end : end + CONTEXT],
            "attributes": codecs.dumps(attributes) if attributes else "{}", "note": note, "annotator": annotator,
            "created": created or updated, "updated": updated, "origin": origin, "deleted": int(deleted),
            "foreign_data": foreign_json(foreign),
        }  # fmt: skip

    def _now(self) -> str:
        self.stamp = now()
        return self.stamp


def put_new_annotations(store: Store, op: Recorder, annotations: Iterable[Annotation],
                        texts: dict[str, str], new_ids: Collection[str] = frozenset(),
                        ready: Sequence[dict] = ()) -> UpsertCounts:
    """`put_annotations` for a bulk import, where nearly every span is new on an article that the
    same operation added (`texts`: their texts). Those (an id the project does not have, once in the
    batch) are checked as `put_annotations` checks them and inserted with one statement, without
    building a model object again or reading the text back; every other span takes
    `put_annotations`. The rows are the same either way.

    `new_ids` are ids the project cannot hold, so they are not looked up: those an import derived
    from the id of an article it adds (no row can name an article that was not there: foreign keys).
    `ready` are rows `NewRows` made already, of such spans; they are written with the others."""
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
    if not fast and not ready:
        return counts
    make = NewRows(store.schema).row
    rows = [*ready, *(make(texts[a.article_id], a.id, a.article_id, a.start, a.end, a.label, a.attributes, a.note,
                           a.annotator, a.created, a.updated, a.origin, a.deleted, a.foreign) for a in fast)]
    op.insert_many("annotations", rows, own_rows=True)
    started = {row["article_id"] for row in rows if not row["deleted"]}
    statuses = store.article_statuses(started)
    op.update_many("articles", [(i, {"status": "in_progress"}) for i, s in statuses.items() if s == "todo"])
    counts.added += len(rows)
    return counts
