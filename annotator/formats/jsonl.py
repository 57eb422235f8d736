"""The native format: lossless, for exchanging annotation sets between colleagues.

A JSON Lines file, UTF-8, characters not escaped. The first line is a header record, every other
line one article with its text, blocks, metadata, spans and relations:

    {"_format": "news-annotator", "_version": 1, "_schema": "<the project's label schema, TOML>",
     "exported": "<ISO 8601 UTC>"}
    {"id", "title", "url", "outlet", "authors", "published", "section", "language", "source_file",
     "imported_at", "status", "note", "text", "blocks": [{"kind", "start", "end", "text"}],
     "spans": [{"id", "start", "end", "label", "text", "annotator", "attributes", "note",
                "prefix", "suffix", "origin", "created", "updated"[, "deleted": true]}],
     "relations": [{"id", "head", "tail", "type", "annotator", "created", "updated"[, "deleted": true]}]
     [, "assignments": [{"id", "analyst", "assigned_by", "created", "updated"[, "done_at"][, "deleted": true]}]]}

`assignments` (only on an article given to analysts, `annotator assign`) says who is to annotate it,
so a coordinator's export sends the work out and an analyst's export brings their progress back
(`done_at`: when the analyst marked it done); the receiving project upserts them by (article,
analyst), the newer `updated` winning.

With `--include-suggestions` (`ExportFilter.include_suggestions`) an article also has
`"suggestions"`: its open suggestions, `{"id", "start", "end", "label", "text", "attributes",
"suggester", "version", "confidence", "suggested": true}`, apart from `spans`, so that nobody's
import takes a suggestion for an annotation (the reader leaves them out).

An article, span or relation that another tool's file brought in also has `"foreign"`: that tool's
own ids and fields by format (formats/foreign.py), so that a colleague's export to that format writes
them back too.

Units: offsets are Unicode code points into `text`, end exclusive (Python slicing), so
`text[start:end] == span["text"]` — the project's own unit, nothing to convert. Tombstones (deleted
spans and relations, `"deleted": true`) are written only with `include_deleted`, so that a colleague's
deletions can be applied on import. A reader that finds no header still reads the articles (files of
the first version had none); a header with a newer `_version` is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterator, TextIO

from .. import jsontext
from ..model import Annotation, Article, Relation
from ..store import ExportFilter, ProgressCallback, Store, codecs, export_rows, now, suggestions_of
from ..store.codecs import RELATION_COLUMNS
from .common import ExportStats
from ..store.assignments import assignment_record
from .reading import (
    AssignmentRecord, DocumentRecord, FormatError, RelationRecord, SpanRecord, count_json_lines, json_lines, require,
)

NAME = "jsonl"
SUFFIX = ".jsonl"
DESCRIPTION = "News Annotator JSONL: lossless, one article per line with its spans and relations"
FORMAT_TAG = "news-annotator"
SUGGESTIONS = True
VERSION = 1



def header_record(store: Store) -> dict:
    return {
        "_format": FORMAT_TAG,
        "_version": VERSION,
        "_schema": store.schema_text(),
        "exported": now(),
    }


def write(
    store: Store,
    out: TextIO,
    selection: ExportFilter | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> ExportStats:
    """Write the header and then the selected articles to `out`, one line each.

    This is the hot path of large exports: rows come from the store's export query in batches and
    become JSON through the codecs' record shapes, one article at a time.
    """
    stats = ExportStats()
    out.write(json.dumps(header_record(store), ensure_ascii=False))
    out.write("\n")
    write_line = out.write
    dumps = jsontext.dumps
    selection = selection or ExportFilter()
    assigned: dict[str, list[dict]] = {}
    for assignment in store.assignments(include_deleted=selection.include_deleted):
        assigned.setdefault(assignment.article_id, []).append(assignment_record(assignment))
    for row, text, blocks, spans, relations in export_rows(store, selection, progress):
        record = codecs.article_record(codecs.article_from_row(row, text, codecs.blocks_from_json(row["id"], blocks)))
        record["spans"] = [codecs.annotation_record(codecs.annotation_from_values(s)) for s in spans]
        record["relations"] = [codecs.relation_record(codecs.relation_from_row(dict(zip(RELATION_COLUMNS, r))))
                               for r in relations]
        if row["id"] in assigned:
            record["assignments"] = assigned[row["id"]]
        if selection.include_suggestions:
            record["suggestions"] = [suggestion_record(s, text) for s in suggestions_of(store, selection, row["id"])]
            stats.suggestions += len(record["suggestions"])
        write_line(dumps(record))
        write_line("\n")
        stats.articles += 1
        stats.spans += len(spans)
        stats.relations += len(relations)
    return stats


def suggestion_record(suggestion, text: str) -> dict:
    s = suggestion
    return {"id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": text[s.start:s.end],
            "attributes": s.attributes, "suggester": s.suggester, "version": s.version, "confidence": s.confidence,
            "suggested": True}


# -- the record shapes, for other writers and for tests: the codecs' (store/codecs.py)

article_fields = codecs.article_record
span_record = codecs.annotation_record
relation_record = codecs.relation_record


def article_record(article: Article, annotations: list[Annotation], relations: list[Relation]) -> dict:
    return {
        **article_fields(article),
        "spans": [span_record(a) for a in annotations],
        "relations": [relation_record(r) for r in relations],
    }


# -- reading ----------------------------------------------------------------------------------

_METADATA = ("title", "url", "outlet", "authors", "published", "section", "language", "source_file", "imported_at", "status", "note")


def read_header(source: str | Path | IO[str]) -> dict | None:
    """The header record of a file, or None if its first record is an article."""
    for line, record, name in json_lines(source):
        if isinstance(record, dict) and "_format" in record:
            _check_header(record, name, line)
            return record
        return None
    return None


def _check_header(record: dict, name: str, line: int) -> None:
    if record.get("_format") != FORMAT_TAG:
        raise FormatError(name, line, f"not a News Annotator file (_format is {record.get('_format')!r})")
    version = record.get("_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(name, line, f"_version must be a whole number from 1, found {version!r}")
    if version > VERSION:
        raise FormatError(
            name, line, f"made by a newer News Annotator (format version {version}; this one reads up to {VERSION})"
        )


def count(source: str | Path, **_options: object) -> int:
    """How many documents `read` yields from the file (the header is not one), without parsing it."""
    return count_json_lines(source, header_key="_format")


def read(source: str | Path | IO[str], **_options: object) -> Iterator[DocumentRecord]:
    """The articles of a JSONL file, each with its spans and relations as the file states them."""
    first = True
    for line, record, name in json_lines(source):
        if isinstance(record, dict) and "_format" in record:
            if not first:
                raise FormatError(name, line, "a header record is only allowed as the first record")
            _check_header(record, name, line)
            first = False
            continue
        first = False
        yield _document(record, name, line)


def _document(record: object, name: str, line: int) -> DocumentRecord:
    text = require(record, "text", str, name, line)
    assert isinstance(record, dict)
    article_id = record.get("id")
    if article_id is not None and not isinstance(article_id, str):
        raise FormatError(name, line, f"'id' must be a string, found {article_id!r}")
    blocks = None
    if "blocks" in record:
        raw_blocks = require(record, "blocks", list, name, line)
        blocks = []
        for i, block in enumerate(raw_blocks, 1):
            what = f" in block {i}"
            kind = require(block, "kind", str, name, line, what)
            start = require(block, "start", int, name, line, what)
            end = require(block, "end", int, name, line, what)
            blocks.append((kind, start, end))
    metadata = {key: record[key] for key in _METADATA if key in record}
    spans = []
    for i, raw in enumerate(require(record, "spans", list, name, line), 1) if "spans" in record else ():
        span = _fast_span(raw, line)
        if span is None:  # something is off: the slow path says exactly what
            span = _checked_span(raw, name, line, f" in span {i}")
        spans.append(span)
    relations = []
    for i, raw in enumerate(require(record, "relations", list, name, line), 1) if "relations" in record else ():
        what = f" in relation {i}"
        relation = RelationRecord(
            head=require(raw, "head", str, name, line, what),
            tail=require(raw, "tail", str, name, line, what),
            type=require(raw, "type", str, name, line, what),
            line=line,
        )
        relation.id = _optional(raw, "id", str, name, line, what)
        relation.annotator = _optional(raw, "annotator", str, name, line, what)
        relation.created = _optional(raw, "created", str, name, line, what) or ""
        relation.updated = _optional(raw, "updated", str, name, line, what) or ""
        relation.deleted = bool(_optional(raw, "deleted", bool, name, line, what))
        relation.foreign = _foreign(raw, name, line, what)
        relations.append(relation)
    assignments = []
    for i, raw in enumerate(require(record, "assignments", list, name, line), 1) if "assignments" in record else ():
        what = f" in assignment {i}"
        analyst = require(raw, "analyst", str, name, line, what)
        if not analyst.strip():
            raise FormatError(name, line, f"'analyst'{what} must name someone, found an empty name")
        assignments.append(AssignmentRecord(
            analyst=analyst.strip(),
            assigned_by=_optional(raw, "assigned_by", str, name, line, what) or "",
            created=_optional(raw, "created", str, name, line, what) or "",
            updated=_optional(raw, "updated", str, name, line, what) or "",
            done_at=_optional(raw, "done_at", str, name, line, what) or "",
            deleted=bool(_optional(raw, "deleted", bool, name, line, what)),
            line=line,
        ))
    return DocumentRecord(
        text=text,
        spans=spans,
        relations=relations,
        assignments=assignments,
        article_id=article_id,
        url=metadata.get("url", "") if isinstance(metadata.get("url", ""), str) else "",
        metadata=metadata,
        blocks=blocks,
        line=line,
        foreign=_foreign(record, name, line, ""),
    )


def _foreign(record: dict, name: str, line: int, what: str) -> dict:
    """A row's `foreign`: {format: object} (formats/foreign.py), as another project wrote it."""
    value = _optional(record, "foreign", dict, name, line, what) or {}
    for key, entry in value.items():  # type: ignore[union-attr]
        if not isinstance(entry, dict):
            raise FormatError(name, line, f"'foreign'{what} must map format names to objects; {key!r} holds {entry!r:.40}")
    return value  # type: ignore[return-value]


_SPAN_TEXT_FIELDS = ("text", "prefix", "suffix", "annotator", "note", "origin", "created", "updated")


def _fast_span(raw: object, line: int) -> SpanRecord | None:
    """A span record from a well-formed span object, or None (then `_checked_span` explains)."""
    if type(raw) is not dict:
        return None
    get = raw.get
    start, end, label, span_id = get("start"), get("end"), get("label"), get("id")
    attributes, deleted, foreign = get("attributes"), get("deleted"), get("foreign")
    if foreign is not None:
        return None
    if type(start) is not int or type(end) is not int or type(label) is not str:
        return None
    if (span_id is not None and type(span_id) is not str) or (attributes is not None and type(attributes) is not dict):
        return None
    if deleted is not None and type(deleted) is not bool:
        return None
    texts = [get(key) for key in _SPAN_TEXT_FIELDS]
    for value in texts:
        if value is not None and type(value) is not str:
            return None
    quote, prefix, suffix, annotator, note, origin, created, updated = texts
    return SpanRecord(
        start=start, end=end, label=label, quote=quote, prefix=prefix, suffix=suffix, id=span_id, key=span_id,
        annotator=annotator, attributes=attributes or {}, note=note or "", created=created or "",
        updated=updated or "", origin=origin or "", deleted=bool(deleted), line=line,
    )


def _checked_span(raw: object, name: str, line: int, what: str) -> SpanRecord:
    span = SpanRecord(
        start=require(raw, "start", int, name, line, what),
        end=require(raw, "end", int, name, line, what),
        label=require(raw, "label", str, name, line, what),
        line=line,
    )
    assert isinstance(raw, dict)
    span.id = _optional(raw, "id", str, name, line, what)
    span.key = span.id
    span.quote = _optional(raw, "text", str, name, line, what)
    span.prefix = _optional(raw, "prefix", str, name, line, what)
    span.suffix = _optional(raw, "suffix", str, name, line, what)
    span.annotator = _optional(raw, "annotator", str, name, line, what)
    span.attributes = _optional(raw, "attributes", dict, name, line, what) or {}
    span.note = _optional(raw, "note", str, name, line, what) or ""
    span.origin = _optional(raw, "origin", str, name, line, what) or ""
    span.created = _optional(raw, "created", str, name, line, what) or ""
    span.updated = _optional(raw, "updated", str, name, line, what) or ""
    span.deleted = bool(_optional(raw, "deleted", bool, name, line, what))
    span.foreign = _foreign(raw, name, line, what)
    return span


def _optional(record: dict, key: str, kind: type, name: str, line: int, what: str) -> object:
    if key not in record or record[key] is None:
        return None
    value = record[key]
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise FormatError(name, line, f"{key!r}{what} must be {kind.__name__}, found {value!r}")
    return value
