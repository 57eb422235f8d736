"""doccano JSONL for sequence labelling projects, in its two shapes (`variant`):

* "relations" (default; doccano's export of a project with relation labelling):
      {"text": "...", "entities": [{"id": 1, "label": "SOURCE", "start_offset": 0, "end_offset": 5}],
       "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "attributed_to"}],
       "article_id": "...", "title": "..."}
* "labels" (a plain sequence labelling project): {"text": "...", "label": [[0, 5, "SOURCE"]], ...}

`article_id` and `title` are extra columns: doccano keeps unknown columns of an imported file as
the example's metadata and writes them back on export, so a round trip finds the article again.

Units: doccano's offsets are UTF-16 code units by default — its annotation editor is JavaScript and
counts `String.length` ("Sequence labels are TypeScript/JavaScript-style", doccano/doccano issue
#2290: in "👨🏻‍🚒 firemen drive firetrucks" doccano gives "firetrucks" 22-32 where Python has 19-29;
the same cause is discussed in doccano PR #99). So offsets are converted to UTF-16 on write and back
on read. A project created with doccano's option to count grapheme clusters as one character counts
differently; export/import with `offset_units="codepoint"` only where you know the file counts code
points (doccano's files carry no span text, so a wrong unit cannot be detected, only an offset that
falls inside a surrogate pair).

Lost: ids (entity ids are numbered per file), annotators (doccano exports one file per user; on
import name the annotator, default: the file name), attributes, notes, timestamps; in the "labels"
variant, relations (counted as `relations_dropped`). doccano can hold overlapping spans.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterator, TextIO

from .. import textspan
from ..store import ExportFilter, Store
from .common import (
    ProgressCallback,
    DocumentRecord,
    ExportStats,
    FormatError,
    RelationRecord,
    SpanRecord,
    count_json_lines,
    json_lines,
    require,
    resolve_offsets,
    select_articles,
)

NAME = "doccano"
SUFFIX = ".jsonl"
DESCRIPTION = "doccano JSONL: sequence labelling, with entities and relations"
VARIANTS = ("relations", "labels")
UNITS = ("utf16", "codepoint")


def write(
    store: Store, out: TextIO, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None,
    variant: str | None = None, offset_units: str | None = None,
) -> ExportStats:
    variant = variant or VARIANTS[0]
    units = offset_units or UNITS[0]
    stats = ExportStats()
    entity_id = relation_id = 0
    for item in select_articles(store, selection, progress):
        article = item.article
        index = textspan.Utf16Index(article.text) if units == "utf16" else None

        def offset(value: int) -> int:
            return value if index is None else index.to_utf16(value)

        record: dict = {"text": article.text}
        if variant == "labels":
            record["label"] = [[offset(a.start), offset(a.end), a.label] for a in item.annotations]
            stats.relations_dropped += len(item.relations)
            stats.holds_relations = False
        else:
            ids = {}
            entities = []
            for annotation in item.annotations:
                entity_id += 1
                ids[annotation.id] = entity_id
                entities.append(
                    {"id": entity_id, "label": annotation.label,
                     "start_offset": offset(annotation.start), "end_offset": offset(annotation.end)}
                )
            relations = []
            for relation in item.relations:
                relation_id += 1
                relations.append(
                    {"id": relation_id, "from_id": ids[relation.head], "to_id": ids[relation.tail], "type": relation.type}
                )
            record["entities"] = entities
            record["relations"] = relations
            stats.relations += len(relations)
        record["article_id"] = article.id
        record["title"] = article.title
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        stats.articles += 1
        stats.spans += len(item.annotations)
    return stats


def count(source: str | Path, **_options: object) -> int:
    """How many documents `read` yields from the file (one per non-blank line), without parsing it."""
    return count_json_lines(source)


def read(source: str | Path | IO[str], *, offset_units: str | None = None, **_options: object) -> Iterator[DocumentRecord]:
    units = offset_units or UNITS[0]
    for line, record, name in json_lines(source):
        text = require(record, "text", str, name, line)
        assert isinstance(record, dict)
        spans: list[SpanRecord] = []
        relations: list[RelationRecord] = []
        if "entities" in record:
            for i, entity in enumerate(require(record, "entities", list, name, line), 1):
                what = f" in entity {i}"
                key = require(entity, "id", (int, str), name, line, what)
                spans.append(
                    _span(
                        text,
                        require(entity, "start_offset", int, name, line, what),
                        require(entity, "end_offset", int, name, line, what),
                        require(entity, "label", str, name, line, what),
                        units, key, name, line, what,
                    )
                )
            for i, relation in enumerate(record.get("relations") or [], 1):
                what = f" in relation {i}"
                relations.append(
                    RelationRecord(
                        head=str(require(relation, "from_id", (int, str), name, line, what)),
                        tail=str(require(relation, "to_id", (int, str), name, line, what)),
                        type=require(relation, "type", str, name, line, what),
                        id=str(relation["id"]) if "id" in relation else None,
                        line=line,
                    )
                )
        else:
            key = "label" if "label" in record else "labels"
            labels = record.get(key, [])
            if not isinstance(labels, list):
                raise FormatError(name, line, f"{key!r} must be a list of [start, end, label]")
            for i, item in enumerate(labels, 1):
                if isinstance(item, str):
                    raise FormatError(
                        name, line, f"{key!r} holds text-classification labels ({item!r}), not spans; "
                        "export the doccano project as sequence labelling"
                    )
                if not (isinstance(item, list) and len(item) == 3 and isinstance(item[2], str)
                        and all(isinstance(v, int) and not isinstance(v, bool) for v in item[:2])):
                    raise FormatError(name, line, f"{key}[{i}] must be [start, end, label], found {item!r}")
                spans.append(_span(text, item[0], item[1], item[2], units, None, name, line, f" in {key}[{i}]"))
        yield DocumentRecord(
            text=text,
            spans=spans,
            relations=relations,
            article_id=record.get("article_id") if isinstance(record.get("article_id"), str) else None,
            metadata={"title": record["title"]} if isinstance(record.get("title"), str) else {},
            line=line,
        )


def _span(text: str, start: int, end: int, label: str, units: str, key: object, name: str, line: int, what: str) -> SpanRecord:
    length = textspan.utf16_len(text) if units == "utf16" else len(text)
    if not 0 <= start < end <= length:
        raise FormatError(
            name, line, f"offsets {start}-{end}{what} are not a span of the text ({length} {'UTF-16 units' if units == 'utf16' else 'characters'})"
        )
    s, e, _ = resolve_offsets(text, start, end, None, units)
    if units == "utf16" and (s, e) == (start, end) and length != len(text):
        index = textspan.Utf16Index(text)  # resolve_offsets hands back mid-surrogate offsets unchanged
        if index.to_utf16(index.to_codepoint(start)) != start or index.to_utf16(index.to_codepoint(end)) != end:
            raise FormatError(name, line, f"offsets {start}-{end}{what} fall inside a character (a UTF-16 surrogate pair)")
    return SpanRecord(s, e, label, key=None if key is None else str(key), id=None if key is None else str(key), line=line)
