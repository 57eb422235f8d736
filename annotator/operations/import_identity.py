"""Which span (or relation) of an imported file is which: ids, and duplicates.

* A span keeps its id when the file has ours (a UUID); a tool's own id (a Label Studio region id, a
  doccano entity id, a brat T number) becomes a stable UUID derived from the format, the article and
  that id, so that importing the same file again finds it; a span without any id gets one derived
  from its offsets, label and annotator.
* A span whose id the article already has is an upsert (the same content changes nothing; see
  upserts.py). Otherwise a span identical to a live one of the article (same offsets, label and
  annotator) is not added again: without an id of its own it is the same span (`unchanged`: the file
  was imported before, or the same tag was made by hand); with an id, or when an earlier span of the
  same file is identical, it is a *duplicate*, counted and listed. Relations likewise: the same
  head, tail and type twice is a duplicate. A duplicate's key still leads to the kept span, so the
  file's relations that name it are kept.

What an article holds is read once per article (two queries) and forgotten when the importer writes
its buffers, so memory stays flat on large files.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from ..store import Store
from ..store.ids import name_uuid

NAMESPACE = uuid.UUID("6f1c3c4e-5a8d-4d47-9a55-0b7c1c2de5a1")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_uuid(value: str | None) -> bool:
    return bool(value) and len(value) == 36 and bool(_UUID.match(value.lower()))  # type: ignore[arg-type,union-attr]


_NAMESPACE_BYTES = NAMESPACE.bytes


def stable_uuid(name: str) -> str:
    """`str(uuid.uuid5(NAMESPACE, name))` (store/ids.py makes it without the UUID object)."""
    return name_uuid(_NAMESPACE_BYTES, name)


def span_id(format_name: str, article_id: str, own_id: str | None, start: int, end: int, label: str, annotator: str) -> str:
    if own_id and is_uuid(own_id):
        return own_id.lower()
    if own_id:
        return stable_uuid(f"{format_name}:{article_id}:{own_id}")
    return stable_uuid(f"{format_name}:{article_id}:{start}:{end}:{label}:{annotator}")


def relation_id(format_name: str, article_id: str, own_id: str | None, head: str, tail: str, type_name: str) -> str:
    if own_id and is_uuid(own_id):
        return own_id.lower()
    return stable_uuid(f"{format_name}:{article_id}:rel:{own_id or ''}:{head}:{tail}:{type_name}")


@dataclass
class Found:
    """What a span (or relation) of the file is: `new`, an `upsert` of an id the article has, the same
    as one already here (`unchanged`), or a `duplicate`; `id` is the id its key stands for."""

    kind: str
    id: str
    earlier: str = ""  # for a duplicate: where the kept one is ("line 3", or "in the project")


@dataclass
class _Article:
    ids: set[str] = field(default_factory=set)
    live: dict[tuple, str] = field(default_factory=dict)  # (start, end, label, annotator) -> id
    before: set[str] = field(default_factory=set)  # ids (of spans and relations) here before the import
    where: dict[str, str] = field(default_factory=dict)  # id -> where in the file it was read
    relation_ids: set[str] = field(default_factory=set)
    relations: dict[tuple, str] = field(default_factory=dict)  # (head, tail, type) -> id


class Identities:
    """The spans and relations of the articles a file touches, as the import goes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._articles: dict[str, _Article] = {}

    def forget(self) -> None:
        """Called when the importer has written its buffers (the project now holds what it knew)."""
        self._articles = {}

    def fresh(self, article_id: str) -> None:
        """An article the import adds: it has no spans or relations yet (nothing to read)."""
        self._articles.setdefault(article_id, _Article())

    def _of(self, article_id: str) -> _Article:
        known = self._articles.get(article_id)
        if known is None:
            known = self._articles[article_id] = _Article()
            for ident, start, end, label, annotator, deleted in self.store.span_keys(article_id):
                known.ids.add(ident)
                known.before.add(ident)
                if not deleted:
                    known.live.setdefault((start, end, label, annotator), ident)
            for ident, head, tail, type_name, deleted in self.store.relation_keys(article_id):
                known.relation_ids.add(ident)
                known.before.add(ident)
                if not deleted:
                    known.relations.setdefault((head, tail, type_name), ident)
        return known

    def span(self, article_id: str, ident: str, own_id: bool, start: int, end: int, label: str, annotator: str,
             deleted: bool, where: str) -> Found:
        known = self._of(article_id)
        if ident in known.ids:
            if ident not in known.before:  # the file names the same span twice
                return Found("duplicate", ident, known.where.get(ident, "in the project"))
            return Found("upsert", ident)
        key = (start, end, label, annotator)
        other = known.live.get(key)
        if other is not None and not deleted:
            if not own_id and other in known.before:
                return Found("unchanged", other)
            return Found("duplicate", other, known.where.get(other, "in the project"))
        known.ids.add(ident)
        known.where[ident] = where
        if not deleted:
            known.live[key] = ident
        return Found("new", ident)

    def relation(self, article_id: str, ident: str, head: str, tail: str, type_name: str, deleted: bool,
                 where: str) -> Found:
        known = self._of(article_id)
        if ident in known.relation_ids:
            if ident not in known.before:
                return Found("duplicate", ident, known.where.get(ident, "in the project"))
            return Found("upsert", ident)
        other = known.relations.get((head, tail, type_name))
        if other is not None and not deleted:
            return Found("duplicate", other, known.where.get(other, "in the project"))
        known.relation_ids.add(ident)
        known.where[ident] = where
        if not deleted:
            known.relations[(head, tail, type_name)] = ident
        return Found("new", ident)
