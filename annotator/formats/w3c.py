"""W3C Web Annotation Data Model (JSON-LD): one AnnotationCollection holding every span as an
Annotation, and every relation as a linking Annotation.

    {"@context": ["http://www.w3.org/ns/anno.jsonld", {"na": "urn:news-annotator:vocab#", ...}],
     "type": "AnnotationCollection", "label": "...", "total": 2,
     "na:sources": [{"id": "urn:news-annotator:article:<id>", "type": "Text", "format": "text/plain",
                     "title": "...", "url": "...", "language": "en", "na:text": "..."}],
     "first": {"type": "AnnotationPage", "startIndex": 0, "items": [
       {"id": "urn:uuid:<span id>", "type": "Annotation", "motivation": "tagging",
        "created": "...", "modified": "...", "creator": {"type": "Person", "nickname": "maria"},
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "SOURCE"},
                 {"type": "TextualBody", "purpose": "commenting", "value": "a note"}],
        "target": {"source": "urn:news-annotator:article:<id>",
                   "selector": [{"type": "TextPositionSelector", "start": 0, "end": 5},
                                {"type": "TextQuoteSelector", "exact": "Alice", "prefix": "", "suffix": " says"}]},
        "na:attributes": {"type": "named person"}},
       {"id": "urn:uuid:<relation id>", "type": "Annotation", "motivation": "linking",
        "body": [{"type": "SpecificResource", "source": "urn:uuid:<tail span id>", "purpose": "linking"},
                 {"type": "TextualBody", "purpose": "classifying", "value": "attributed_to"}],
        "target": "urn:uuid:<head span id>"}]}}

The label is a TextualBody with purpose `tagging`, a note a TextualBody with purpose `commenting`,
the annotator the `creator` (a Person with a nickname). The model has no relation construct, so a
relation is an Annotation with motivation `linking` whose target is the head span's annotation and
whose body is the tail span's annotation (purpose `linking`), with the type as a `classifying` body.
The texts of the articles travel in `na:sources`, an extension (the model says unknown properties
are to be ignored, not refused), so that a colleague can import articles they do not have; W3C
consumers read the annotations without it. Attributes travel in `na:attributes`.

Units: TextPositionSelector offsets are Unicode code points — "The selection of the text MUST be in
terms of unicode code points (the "character number"), not in terms of code units" (Web Annotation
Data Model, W3C Recommendation 23 February 2017, §4.2.4 Text Position Selector), the project's own
unit, so nothing is converted. Tools written in JavaScript have been known to write UTF-16 offsets
there; on read, a span whose TextQuoteSelector `exact` does not match its position but matches it
read as UTF-16 code units is read that way and reported, and one that matches neither is re-anchored
by its quote and prefix/suffix (the TextQuoteSelector is made for exactly that).

On read: an AnnotationCollection (items in `first`, or `items`), an AnnotationPage, one Annotation,
a JSON array of Annotations or JSON lines of them. A target's source is matched to a project article
by our `urn:news-annotator:article:<id>`, else by the article's URL, else by the text in `na:sources`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterator, TextIO

from ..store import ExportFilter, Store, new_id, now
from . import foreign
from .common import ExportStats, ProgressCallback, select_articles
from .reading import DocumentRecord, FormatError, RelationRecord, SpanRecord, describe, json_values, resolve_offsets

NAME = "w3c"
SUFFIX = ".jsonld"
DESCRIPTION = "W3C Web Annotation JSON-LD: an AnnotationCollection with position and quote selectors"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
VOCAB = "urn:news-annotator:vocab#"
ARTICLE_PREFIX = "urn:news-annotator:article:"
CONTEXT = [
    ANNO_CONTEXT,
    {"na": VOCAB, "na:attributes": {"@type": "@json"}},
]


def write(store: Store, out: TextIO, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None) -> ExportStats:
    stats = ExportStats()
    head = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{new_id()}",
        "type": "AnnotationCollection",
        "label": f"News Annotator export of {store.path.name}",
        "generator": {"type": "Software", "name": "News Annotator"},
        "generated": now(),
    }
    text = json.dumps(head, ensure_ascii=False)
    out.write(text[:-1] + ',\n "na:sources": [')
    # two passes over the selection: the sources first, then the annotations (progress: the second)
    first = True
    for item in select_articles(store, selection):
        article = item.article
        for source_id in _sources(article):
            source = {
                "id": source_id,
                "type": "Text",
                "format": "text/plain",
                "title": article.title,
                "language": article.language,
                "url": article.url,
                "na:text": article.text,
            }
            out.write(("\n  " if first else ",\n  ") + json.dumps(source, ensure_ascii=False))
            first = False
    out.write('\n ],\n "first": {"type": "AnnotationPage", "startIndex": 0, "items": [')
    first = True
    for item in select_articles(store, selection, progress):
        article = item.article
        sources = _sources(article)
        iris = {a.id: _iri(a) for a in item.annotations}
        for annotation in item.annotations:
            out.write(("\n  " if first else ",\n  ") + json.dumps(_annotation(article, annotation, sources), ensure_ascii=False))
            first = False
            stats.spans += 1
        for relation in item.relations:
            out.write(("\n  " if first else ",\n  ") + json.dumps(_relation(relation, iris), ensure_ascii=False))
            first = False
            stats.relations += 1
        stats.articles += 1
    out.write(f'\n ]}},\n "total": {stats.spans + stats.relations}\n}}\n')
    return stats


def _sources(article) -> list[str]:
    """The IRIs the article's annotations target: the sources another tool's file named it by, else ours."""
    return [d["key"] for d in foreign.documents(article.foreign, NAME)] or [ARTICLE_PREFIX + article.id]


def _iri(row) -> str:
    """A span's or relation's IRI: the one another tool gave it, else ours (its UUID as a URN)."""
    own = foreign.entry(row.foreign, NAME).get("id")
    return own if isinstance(own, str) and own else f"urn:uuid:{row.id}"


def _creator(row) -> object:
    return foreign.entry(row.foreign, NAME).get("creator") or {"type": "Person", "nickname": row.annotator}


def _annotation(article, annotation, sources: list[str]) -> dict:
    entry = foreign.entry(annotation.foreign, NAME)
    body = [{"type": "TextualBody", "purpose": "tagging", "value": annotation.label}]
    if annotation.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": annotation.note})
    source = entry.get("doc") if entry.get("doc") in sources else sources[0]
    record = {
        **(entry.get("fields") or {}),
        "id": _iri(annotation),
        "type": "Annotation",
        "motivation": "tagging",
        "created": annotation.created,
        "modified": annotation.updated,
        "creator": _creator(annotation),
        "body": body,
        "target": {
            **(entry.get("target") or {}),
            "source": source,
            "selector": [
                {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
                {"type": "TextQuoteSelector", "exact": annotation.quote, "prefix": annotation.prefix, "suffix": annotation.suffix},
            ],
        },
    }
    if annotation.attributes:
        record["na:attributes"] = annotation.attributes
    return record


def _relation(relation, iris: dict[str, str]) -> dict:
    entry = foreign.entry(relation.foreign, NAME)
    return {
        **(entry.get("fields") or {}),
        "id": _iri(relation),
        "type": "Annotation",
        "motivation": "linking",
        "created": relation.created,
        "modified": relation.updated,
        "creator": _creator(relation),
        "body": [
            {"type": "SpecificResource", "source": iris.get(relation.tail, f"urn:uuid:{relation.tail}"), "purpose": "linking"},
            {"type": "TextualBody", "purpose": "classifying", "value": relation.type},
        ],
        "target": iris.get(relation.head, f"urn:uuid:{relation.head}"),
    }


# -- reading ----------------------------------------------------------------------------------


def read(source: str | Path | IO[str], *, offset_units: str | None = None, **_options: object) -> Iterator[DocumentRecord]:
    sources: dict[str, dict] = {}
    annotations: list[tuple[int, dict]] = []
    name = str(source)
    for line, value, name in json_values(source):
        _collect(value, line, name, sources, annotations)
    documents: dict[str, DocumentRecord] = {}
    span_article: dict[str, str] = {}
    links: list[tuple[int, dict]] = []
    for line, annotation in annotations:
        ident = annotation.get("id", "")
        if not isinstance(ident, str):
            raise FormatError(name, line, f"an annotation's 'id' must be a string (an IRI), found {describe(ident)}")
        if annotation.get("motivation") == "linking":
            links.append((line, annotation))
            continue
        target = _target(annotation, name, line)
        source_id = target.get("source")
        if not isinstance(source_id, str):
            raise FormatError(name, line, "the annotation's target has no source")
        document = documents.get(source_id)
        if document is None:
            document = documents[source_id] = _document(source_id, sources.get(source_id), line)
        span = _span(annotation, target, document.text, offset_units or "codepoint", name, line)
        document.spans.append(span)
        if span.key is not None:
            span_article[str(span.key)] = source_id
    for line, link in links:
        relation = _link(link, name, line)
        article = span_article.get(str(relation.head))
        if article is None:
            raise FormatError(name, line, f"the linking annotation's target {relation.head} is not a span of this file")
        documents[article].relations.append(relation)
    yield from documents.values()


def _collect(value: object, line: int, name: str, sources: dict, annotations: list, inside: bool = False) -> None:
    if isinstance(value, list) and not inside:
        for item in value:
            _collect(item, line, name, sources, annotations, inside=True)
        return
    if not isinstance(value, dict):
        raise FormatError(name, line, f"expected an Annotation, AnnotationPage or AnnotationCollection object, found {describe(value)}")
    kind = value.get("type")
    described = value.get("na:sources")
    if described is not None and not isinstance(described, list):
        raise FormatError(name, line, f"'na:sources' must be a list of the articles' texts, found {describe(described)}")
    for raw in described or []:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            sources[raw["id"]] = raw
    if kind == "AnnotationCollection":
        first, items = value.get("first"), value.get("items")
        if first is not None and not isinstance(first, (dict, str)):
            raise FormatError(name, line, f"an AnnotationCollection's 'first' must be an AnnotationPage, found {describe(first)}")
        if isinstance(first, dict):
            _collect(first, line, name, sources, annotations, inside=True)
        elif items is not None:
            if not isinstance(items, list):
                raise FormatError(name, line, f"an AnnotationCollection's 'items' must be a list, found {describe(items)}")
            for item in items:
                _collect(item, line, name, sources, annotations, inside=True)
        elif isinstance(first, str):
            raise FormatError(name, line, f"the collection's first page is elsewhere ({first[:60]}); give a file that holds its annotations")
        return
    if kind == "AnnotationPage":
        items = value.get("items")
        if not isinstance(items, list):
            raise FormatError(name, line, "an AnnotationPage needs a list of items")
        for item in items:
            if not isinstance(item, dict) or item.get("type") != "Annotation":
                raise FormatError(name, line, f"an AnnotationPage item is not an Annotation: {str(item)[:60]}")
            annotations.append((line, item))
        return
    if kind == "Annotation":
        annotations.append((line, value))
        return
    raise FormatError(name, line, f"expected an Annotation, AnnotationPage or AnnotationCollection, found type {kind!r}")


def _document(source_id: str, described: dict | None, line: int) -> DocumentRecord:
    text = described.get("na:text") if described and isinstance(described.get("na:text"), str) else None
    metadata = {}
    if described:
        for key in ("title", "language", "url"):
            if isinstance(described.get(key), str):
                metadata[key] = described[key]
    article_id = source_id[len(ARTICLE_PREFIX):] if source_id.startswith(ARTICLE_PREFIX) else None
    url = metadata.get("url") or ("" if article_id else source_id)
    return DocumentRecord(text=text, article_id=article_id, url=url, metadata=metadata, line=line, foreign_id=source_id,
                          foreign={} if article_id else {"key": source_id})


def _target(annotation: dict, name: str, line: int) -> dict:
    target = annotation.get("target")
    if isinstance(target, list) and target:
        target = target[0]
    if not isinstance(target, dict):
        raise FormatError(name, line, f"annotation {annotation.get('id', '')}: a span's target must be an object with a source and selectors")
    return target


def _selectors(target: dict) -> list[dict]:
    selector = target.get("selector", [])
    selectors = selector if isinstance(selector, list) else [selector]
    found = []
    for item in selectors:
        while isinstance(item, dict):
            found.append(item)
            item = item.get("refinedBy")
    return found


def _span(annotation: dict, target: dict, text: str | None, units: str, name: str, line: int) -> SpanRecord:
    ident = annotation.get("id", "")
    position = next((s for s in _selectors(target) if s.get("type") == "TextPositionSelector"), None)
    quote = next((s for s in _selectors(target) if s.get("type") == "TextQuoteSelector"), None)
    if position is None and quote is None:
        raise FormatError(name, line, f"annotation {ident}: no TextPositionSelector or TextQuoteSelector")
    label = None
    note = []
    for body in annotation.get("body", []) if isinstance(annotation.get("body"), list) else [annotation.get("body")]:
        if isinstance(body, dict) and isinstance(body.get("value"), str):
            if body.get("purpose") == "tagging" and label is None:
                label = body["value"]
            elif body.get("purpose") == "commenting":
                note.append(body["value"])
        elif isinstance(body, str) and label is None:
            label = body
    if label is None:
        raise FormatError(name, line, f"annotation {ident}: no body with purpose 'tagging' to give the label")
    exact = quote.get("exact") if quote and isinstance(quote.get("exact"), str) else None
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise FormatError(name, line, f"annotation {ident}: TextPositionSelector start and end must be whole numbers")
        converted = ""
        if text is not None:
            start, end, converted = resolve_offsets(text, start, end, exact, units)
    else:
        start, end, converted = -1, -1, ""
    creator = annotation.get("creator")
    if isinstance(creator, dict):
        creator = creator.get("nickname") or creator.get("name") or creator.get("id")
    attributes = annotation.get("na:attributes") if isinstance(annotation.get("na:attributes"), dict) else {}
    span_id = ident[len("urn:uuid:"):] if ident.startswith("urn:uuid:") else (ident or None)
    entry = _entry(annotation, ident, creator)
    target_extra = {k: v for k, v in target.items() if k not in ("source", "selector")}
    if target_extra:
        entry["target"] = target_extra
    return SpanRecord(
        start,
        end,
        label,
        quote=exact,
        prefix=quote.get("prefix") if quote and isinstance(quote.get("prefix"), str) else None,
        suffix=quote.get("suffix") if quote and isinstance(quote.get("suffix"), str) else None,
        id=span_id,
        key=ident or None,
        foreign_id=ident or None,
        foreign=entry,
        annotator=creator if isinstance(creator, str) else None,
        attributes=dict(attributes),
        note="\n".join(note),
        created=annotation.get("created") if isinstance(annotation.get("created"), str) else "",
        updated=annotation.get("modified") if isinstance(annotation.get("modified"), str) else "",
        line=line,
        converted=converted,
    )


_OURS = frozenset({"id", "type", "motivation", "created", "modified", "creator", "body", "target", "na:attributes"})


def _entry(annotation: dict, ident: str, creator: object) -> dict:
    """What an export to W3C writes back (formats/foreign.py): the annotation's IRI when it is not our
    URN, its creator when it is more than our nickname, its other properties."""
    entry: dict = {}
    if ident and not ident.startswith("urn:uuid:"):
        entry["id"] = ident
    raw = annotation.get("creator")
    if raw is not None and raw != {"type": "Person", "nickname": creator}:
        entry["creator"] = raw
    fields = {k: v for k, v in annotation.items() if k not in _OURS}
    if fields:
        entry["fields"] = fields
    return entry


def _link(annotation: dict, name: str, line: int) -> RelationRecord:
    ident = annotation.get("id", "")
    target = annotation.get("target")
    if isinstance(target, dict):
        target = target.get("id") or target.get("source")
    tail = None
    kind = None
    bodies = annotation.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if isinstance(body, dict) and body.get("purpose") == "classifying" and isinstance(body.get("value"), str):
            kind = body["value"]
        elif isinstance(body, dict) and body.get("purpose") == "linking":
            tail = body.get("source") or body.get("id")
        elif isinstance(body, str):
            tail = body
    if not isinstance(target, str) or not isinstance(tail, str) or kind is None:
        raise FormatError(name, line, f"linking annotation {ident}: needs a target, a linking body and a classifying body")
    creator = annotation.get("creator")
    if isinstance(creator, dict):
        creator = creator.get("nickname") or creator.get("name")
    relation_id = ident[len("urn:uuid:"):] if ident.startswith("urn:uuid:") else (ident or None)
    return RelationRecord(
        head=target, tail=tail, type=kind, id=relation_id, foreign=_entry(annotation, ident, creator),
        annotator=creator if isinstance(creator, str) else None,
        created=annotation.get("created") if isinstance(annotation.get("created"), str) else "",
        updated=annotation.get("modified") if isinstance(annotation.get("modified"), str) else "",
        line=line,
    )
