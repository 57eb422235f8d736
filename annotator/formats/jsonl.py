"""The native format: lossless, for exchanging annotation sets between colleagues.

A JSON Lines file, UTF-8, characters not escaped. The first line is a header record, every other
line one article with its text, blocks, metadata, spans and relations:

    {"_format": "news-annotator", "_version": 1, "_schema": "<the project's label schema, TOML>",
     "exported": "<ISO 8601 UTC>"}
    {"id", "title", "url", "outlet", "authors", "published", "section", "language", "source_file",
     "imported_at", "status", "note", "text", "blocks": [{"kind", "start", "end", "text"}],
     "spans": [{"id", "start", "end", "label", "text", "annotator", "attributes", "note",
                "prefix", "suffix", "origin", "created", "updated"[, "deleted": true]}],
     "relations": [{"id", "head", "tail", "type", "annotator", "created", "updated"[, "deleted": true]}]}

Units: offsets are Unicode code points into `text`, end exclusive (Python slicing), so
`text[start:end] == span["text"]` — the project's own unit, nothing to convert. Tombstones (deleted
spans and relations, `"deleted": true`) are written only with `include_deleted`, so that a colleague's
deletions can be applied on import. A reader that finds no header still reads the articles (files of
the first version had none); a header with a newer `_version` is refused.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C string encoder; keeps non-ASCII as it is
from pathlib import Path
from typing import IO, Iterable, Iterator, Sequence, TextIO

from ..model import Annotation, Article, Relation
from ..store import Store, now
from .common import ExportStats, ProgressCallback, article_order, span_choice
from .reading import DocumentRecord, FormatError, RelationRecord, SpanRecord, count_json_lines, json_lines, require

NAME = "jsonl"
SUFFIX = ".jsonl"
DESCRIPTION = "News Annotator JSONL: lossless, one article per line with its spans and relations"
FORMAT_TAG = "news-annotator"
VERSION = 1

_ARTICLE_COLUMNS = (
    "id, text, blocks, title, url, outlet, authors, published, section, language, source_file, imported_at, "
    "status, note"
)
_SPAN_COLUMNS = 'id, start, "end", label, quote, prefix, suffix, attributes, note, annotator, origin, created, updated, deleted'
_RELATION_COLUMNS = "id, head, tail, type, annotator, created, updated, deleted"


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
    *,
    annotator: str | None = None,
    label: str | None = None,
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    article_ids: Iterable[str] | None = None,
    status: str | None = None,
    include_deleted: bool = False,
    progress: ProgressCallback | None = None,
    **_options: object,
) -> ExportStats:
    """Write the header and then the selected articles to `out`, one line each.

    Filters and `progress` as in `common.select_articles`. This is the hot path of large exports:
    rows go from SQLite to JSON text without building model objects, one article at a time.
    """
    stats = ExportStats()
    out.write(json.dumps(header_record(store), ensure_ascii=False))
    out.write("\n")
    conn = store.db.conn
    span_sql = f"SELECT {_SPAN_COLUMNS} FROM annotations WHERE article_id = ?"
    relation_sql = f"SELECT {_RELATION_COLUMNS} FROM relations WHERE article_id = ?"
    span_params: list[object] = []
    if not include_deleted:
        span_sql += " AND deleted = 0"
        relation_sql += " AND deleted = 0"
    none_chosen = False
    for column, values in (("annotator", span_choice(annotator, annotators)), ("label", span_choice(label, labels))):
        if values is None:
            continue
        if not values:
            none_chosen = True
        elif len(values) == 1:
            span_sql += f" AND {column} = ?"
        else:
            span_sql += f" AND {column} IN ({', '.join('?' * len(values))})"
        span_params.extend(values)
    span_sql += ' ORDER BY start, "end", created'
    relation_sql += " ORDER BY created"
    filtered = bool(span_params) or none_chosen
    write_line = out.write
    total = _article_count(store, article_ids, status) if progress is not None else 0
    if progress is not None:
        progress(0, total)
    for article in _article_rows(store, article_ids, status):
        article_id = article[0]
        spans = [] if none_chosen else conn.execute(span_sql, (article_id, *span_params)).fetchall()
        relations = conn.execute(relation_sql, (article_id,)).fetchall()
        if filtered and relations:
            kept = {row[0] for row in spans}
            relations = [r for r in relations if r[1] in kept and r[2] in kept]
        write_line(_article_line(article, spans, relations))
        stats.articles += 1
        stats.spans += len(spans)
        stats.relations += len(relations)
        if progress is not None:
            progress(stats.articles, max(total, stats.articles))
    if progress is not None and stats.articles < total:  # ids given that the project does not have
        progress(total, total)
    return stats


def _article_count(store: Store, article_ids: Iterable[str] | None, status: str | None) -> int:
    if article_ids is not None:
        return len(article_order(store, article_ids, status))
    sql, params = "SELECT COUNT(*) FROM articles", ()
    if status is not None:
        sql, params = sql + " WHERE status = ?", (status,)
    return store.db.conn.execute(sql, params).fetchone()[0]


def _article_rows(store: Store, article_ids: Iterable[str] | None, status: str | None) -> Iterator[tuple]:
    conn = store.db.conn
    if article_ids is None:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        params: tuple[object, ...] = ()
        if status is not None:
            sql += " WHERE status = ?"
            params = (status,)
        yield from conn.execute(sql + " ORDER BY imported_at, title, id", params)
        return
    for article_id in article_order(store, article_ids, status):
        row = conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is not None:
            yield row


def _article_line(article: tuple, spans: list[tuple], relations: list[tuple]) -> str:
    s = encode_basestring
    (article_id, text, blocks, title, url, outlet, authors, published, section, language, source_file,
     imported_at, status, note) = article  # fmt: skip
    block_parts = [
        f'{{"kind": {s(kind)}, "start": {start}, "end": {end}, "text": {s(text[start:end])}}}'
        for kind, start, end in json.loads(blocks)
    ]
    span_parts = []
    for (span_id, start, end, label, quote, prefix, suffix, attributes, span_note, span_annotator, origin, created,
         updated, deleted) in spans:  # fmt: skip
        span_parts.append(
            f'{{"id": {s(span_id)}, "start": {start}, "end": {end}, "label": {s(label)}, "text": {s(quote)}, '
            f'"annotator": {s(span_annotator)}, "attributes": {attributes}, "note": {s(span_note)}, '
            f'"prefix": {s(prefix)}, "suffix": {s(suffix)}, "origin": {s(origin)}, "created": {s(created)}, '
            f'"updated": {s(updated)}{", " + chr(34) + "deleted" + chr(34) + ": true" if deleted else ""}}}'
        )
    relation_parts = [
        f'{{"id": {s(rid)}, "head": {s(head)}, "tail": {s(tail)}, "type": {s(rtype)}, "annotator": {s(rann)}, '
        f'"created": {s(rcreated)}, "updated": {s(rupdated)}{", " + chr(34) + "deleted" + chr(34) + ": true" if rdeleted else ""}}}'
        for rid, head, tail, rtype, rann, rcreated, rupdated, rdeleted in relations
    ]
    return (
        f'{{"id": {s(article_id)}, "title": {s(title)}, "url": {s(url)}, "outlet": {s(outlet)}, '
        f'"authors": {authors}, "published": {s(published)}, "section": {s(section)}, '
        f'"language": {s(language)}, "source_file": {s(source_file)}, "imported_at": {s(imported_at)}, '
        f'"status": {s(status)}, "note": {s(note)}, "text": {s(text)}, '
        f'"blocks": [{", ".join(block_parts)}], "spans": [{", ".join(span_parts)}], '
        f'"relations": [{", ".join(relation_parts)}]}}\n'
    )


# -- the record shapes, for other writers and for tests ---------------------------------------


def article_fields(article: Article) -> dict:
    """The article part of a record: metadata, text and blocks (shared with `annotator show --json`)."""
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "published": article.published,
        "section": article.section,
        "language": article.language,
        "source_file": article.source_file,
        "imported_at": article.imported_at,
        "status": article.status,
        "note": article.note,
        "text": article.text,
        "blocks": [
            {"kind": b.kind, "start": b.start, "end": b.end, "text": article.text[b.start : b.end]}
            for b in article.blocks
        ],
    }


def article_record(article: Article, annotations: list[Annotation], relations: list[Relation]) -> dict:
    return {
        **article_fields(article),
        "spans": [span_record(a) for a in annotations],
        "relations": [relation_record(r) for r in relations],
    }


def span_record(annotation: Annotation) -> dict:
    record = {
        "id": annotation.id,
        "start": annotation.start,
        "end": annotation.end,
        "label": annotation.label,
        "text": annotation.quote,
        "annotator": annotation.annotator,
        "attributes": annotation.attributes,
        "note": annotation.note,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "origin": annotation.origin,
        "created": annotation.created,
        "updated": annotation.updated,
    }
    if annotation.deleted:
        record["deleted"] = True
    return record


def relation_record(relation: Relation) -> dict:
    record = {
        "id": relation.id,
        "head": relation.head,
        "tail": relation.tail,
        "type": relation.type,
        "annotator": relation.annotator,
        "created": relation.created,
        "updated": relation.updated,
    }
    if relation.deleted:
        record["deleted"] = True
    return record


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
        relations.append(relation)
    return DocumentRecord(
        text=text,
        spans=spans,
        relations=relations,
        article_id=article_id,
        url=metadata.get("url", "") if isinstance(metadata.get("url", ""), str) else "",
        metadata=metadata,
        blocks=blocks,
        line=line,
    )


_SPAN_TEXT_FIELDS = ("text", "prefix", "suffix", "annotator", "note", "origin", "created", "updated")


def _fast_span(raw: object, line: int) -> SpanRecord | None:
    """A span record from a well-formed span object, or None (then `_checked_span` explains)."""
    if type(raw) is not dict:
        return None
    get = raw.get
    start, end, label, span_id = get("start"), get("end"), get("label"), get("id")
    attributes, deleted = get("attributes"), get("deleted")
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
    return span


def _optional(record: dict, key: str, kind: type, name: str, line: int, what: str) -> object:
    if key not in record or record[key] is None:
        return None
    value = record[key]
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise FormatError(name, line, f"{key!r}{what} must be {kind.__name__}, found {value!r}")
    return value
