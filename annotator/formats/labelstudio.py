"""Label Studio JSON tasks, with the matching labeling config written beside them.

A JSON array of tasks, one per article, ready for Label Studio's import:

    [{"data": {"text": "...", "article_id": "...", "title": "..."},
      "annotations": [{"result": [
          {"id": "<span id>", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
           "value": {"start": 12, "end": 20, "text": "Alice", "labels": ["SOURCE"]},
           "meta": {"text": ["a note"]}, "news_annotator": {"annotator", "attributes", "created", "updated"}},
          {"type": "relation", "from_id": "<claim span id>", "to_id": "<source span id>",
           "direction": "right", "labels": ["attributed_to"]}],
        "news_annotator": {"annotator": "maria"}}]}]

Each annotator's spans form one annotation of the task (Label Studio keeps one annotation per user).
A region's `meta.text` is Label Studio's own region note; the `news_annotator` keys carry what Label
Studio has no place for (annotator, attributes, timestamps). Label Studio stores each result as a
JSON document, so we expect them back in its exports (not verified against a running server); when
they are missing, the annotator comes from `completed_by` and the attributes are lost. Exporting to a file also writes `<name>.label_config.xml`:
`<View>` with `<Labels name="label" toName="text">` (one `<Label>` per label, with the schema's colour
and hotkey), `<Relations>` (one `<Relation>` per relation type) and `<Text name="text" value="$text">`.

Units: Label Studio's text regions count Unicode code points. Its JavaScript editor converts: the
editor's own tests (web/libs/editor, "NER - Emoji - Text": on "🐱 Warning: This is a test text" the
word "test" is start 21, end 25, which is code points; UTF-16 would be 22) say so, since the fix of
label-studio-frontend PR #308 for HumanSignal/label-studio issues #1008 and #1347, where exports of
older versions counted UTF-16 code units. So nothing is converted on write; on read, a region whose
`value.text` does not match its code point offsets but matches the same offsets read as UTF-16 code
units (an export of an older version) is read that way and reported.

On read: tasks from a JSON array or JSON Lines; `data.text` (or the task's only text field) is the
text; annotations marked `was_cancelled` and predictions are skipped; a region with several labels
gives one span per label; a relation's `direction` "left" swaps its ends, "bi" is read as "right";
the annotator is our `news_annotator.annotator`, else `completed_by` (an e-mail or a user id).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterator, TextIO
from xml.sax.saxutils import quoteattr

from ..store import ExportFilter, Store
from .common import ExportStats, ProgressCallback, select_articles
from .reading import DocumentRecord, FormatError, RelationRecord, SpanRecord, json_values, require, resolve_offsets

NAME = "labelstudio"
SUFFIX = ".json"
DESCRIPTION = "Label Studio JSON tasks, with the labeling config XML beside them"
UNITS = ("codepoint", "utf16")
FROM_NAME = "label"
TO_NAME = "text"
EXTRA = "news_annotator"


def label_config(store: Store) -> str:
    """The labeling config XML matching the exported tasks."""
    schema = store.schema
    lines = ["<View>", f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">']
    for label in schema.labels:
        hotkey = f" hotkey={quoteattr(label.hotkey)}" if label.hotkey else ""
        lines.append(f"    <Label value={quoteattr(label.name)} background={quoteattr(label.color)}{hotkey}/>")
    lines.append("  </Labels>")
    if schema.relations:
        lines.append("  <Relations>")
        lines += [f"    <Relation value={quoteattr(r.name)}/>" for r in schema.relations]
        lines.append("  </Relations>")
    lines.append(f'  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>')
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def config_path(target: Path) -> Path:
    return target.with_name(target.stem + ".label_config.xml")


def side_files(store: Store, target: Path) -> dict[Path, str]:
    return {config_path(target): label_config(store)}


def write(
    store: Store, out: TextIO, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None,
    offset_units: str | None = None,
) -> ExportStats:
    from .. import textspan

    stats = ExportStats()
    utf16 = (offset_units or UNITS[0]) == "utf16"
    out.write("[")
    first = True
    for item in select_articles(store, selection, progress):
        article = item.article
        index = textspan.Utf16Index(article.text) if utf16 else None
        by_annotator: dict[str, list] = {}
        for annotation in item.annotations:
            by_annotator.setdefault(annotation.annotator, []).append(annotation)
        annotations = []
        written = 0
        for annotator in sorted(by_annotator):
            spans = by_annotator[annotator]
            ids = {a.id for a in spans}
            result = [_region(a, index) for a in spans]
            for relation in item.relations:
                if relation.head in ids and relation.tail in ids:
                    result.append(
                        {"type": "relation", "from_id": relation.head, "to_id": relation.tail,
                         "direction": "right", "labels": [relation.type]}
                    )
                    written += 1
            annotations.append({"result": result, EXTRA: {"annotator": annotator}})
            stats.spans += len(spans)
        stats.relations += written
        stats.relations_dropped += len(item.relations) - written
        task = {
            "data": {"text": article.text, "article_id": article.id, "title": article.title},
            "annotations": annotations,
        }
        out.write(("\n" if first else ",\n") + json.dumps(task, ensure_ascii=False))
        first = False
        stats.articles += 1
    out.write("\n]\n")
    return stats


def _region(annotation, index) -> dict:
    start, end = annotation.start, annotation.end
    if index is not None:
        start, end = index.to_utf16(start), index.to_utf16(end)
    region = {
        "id": annotation.id,
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": annotation.quote, "labels": [annotation.label]},
        EXTRA: {
            "annotator": annotation.annotator,
            "attributes": annotation.attributes,
            "created": annotation.created,
            "updated": annotation.updated,
        },
    }
    if annotation.note:
        region["meta"] = {"text": [annotation.note]}
    return region


def read(source: str | Path | IO[str], *, offset_units: str | None = None, **_options: object) -> Iterator[DocumentRecord]:
    units = offset_units or UNITS[0]
    for line, task, name in json_values(source):
        if not isinstance(task, dict):
            raise FormatError(name, line, f"expected a task object, found {type(task).__name__}")
        data = require(task, "data", dict, name, line)
        text = _task_text(data, name, line)
        annotations = task.get("annotations", task.get("completions", []))
        if not isinstance(annotations, list):
            raise FormatError(name, line, "'annotations' must be a list")
        spans: list[SpanRecord] = []
        relations: list[RelationRecord] = []
        notes = []
        if task.get("predictions") and not annotations:
            notes.append(f"{name}:{line}: predictions skipped (only annotations are imported)")
        for a_index, annotation in enumerate(annotations):
            if not isinstance(annotation, dict):
                raise FormatError(name, line, f"annotation {a_index + 1} must be an object")
            if annotation.get("was_cancelled"):
                notes.append(f"{name}:{line}: a cancelled annotation skipped")
                continue
            annotator = _annotator(annotation)
            result = require(annotation, "result", list, name, line, f" in annotation {a_index + 1}")
            for r_index, region in enumerate(result, 1):
                what = f" in result {r_index} of annotation {a_index + 1}"
                if not isinstance(region, dict):
                    raise FormatError(name, line, f"expected an object{what}")
                kind = region.get("type")
                if kind == "relation":
                    relations += _relations(region, a_index, annotator, name, line, what)
                elif kind == "labels":
                    spans += _spans(region, text, a_index, annotator, units, name, line, what)
                else:
                    notes.append(f"{name}:{line}: a {kind!r} result skipped (only labels and relations are imported)")
        yield DocumentRecord(
            text=text,
            spans=spans,
            relations=relations,
            article_id=data.get("article_id") if isinstance(data.get("article_id"), str) else None,
            metadata={"title": data["title"]} if isinstance(data.get("title"), str) else {},
            foreign_id=str(task["id"]) if isinstance(task.get("id"), (int, str)) and not isinstance(task.get("id"), bool) else None,
            foreign_metadata={k: v for k, v in data.items() if k != "text" and v is not text},
            line=line,
            notes=notes,
        )


def _task_text(data: dict, name: str, line: int) -> str:
    if isinstance(data.get("text"), str):
        return data["text"]
    texts = [v for v in data.values() if isinstance(v, str)]
    if len(texts) == 1:
        return texts[0]
    raise FormatError(name, line, "the task's data has no 'text' (and not exactly one text field)")


def _annotator(annotation: dict) -> str | None:
    extra = annotation.get(EXTRA)
    if isinstance(extra, dict) and isinstance(extra.get("annotator"), str):
        return extra["annotator"]
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if who is None or who == "":
        return None
    return str(who)


def _spans(region: dict, text: str, a_index: int, annotator: str | None, units: str, name: str, line: int, what: str) -> list[SpanRecord]:
    value = require(region, "value", dict, name, line, what)
    start = require(value, "start", int, name, line, what)
    end = require(value, "end", int, name, line, what)
    labels = require(value, "labels", list, name, line, what)
    quote = value.get("text") if isinstance(value.get("text"), str) else None
    start, end, converted = resolve_offsets(text, start, end, quote, units)
    extra = region.get(EXTRA) if isinstance(region.get(EXTRA), dict) else {}
    meta = region.get("meta") if isinstance(region.get("meta"), dict) else {}
    note_lines = meta.get("text") if isinstance(meta.get("text"), list) else []
    region_id = region.get("id")
    spans = []
    for label in labels:
        if not isinstance(label, str):
            raise FormatError(name, line, f"labels{what} must be strings, found {label!r}")
        span_id = None if region_id is None else str(region_id) if len(labels) == 1 else f"{region_id}:{label}"
        spans.append(
            SpanRecord(
                start,
                end,
                label,
                quote=quote,
                id=span_id,
                key=(a_index, str(region_id)),
                annotator=extra.get("annotator") if isinstance(extra.get("annotator"), str) else annotator,
                attributes=extra.get("attributes") if isinstance(extra.get("attributes"), dict) else {},
                note="\n".join(str(n) for n in note_lines),
                foreign_id=None if region_id is None else str(region_id),
                created=extra.get("created") if isinstance(extra.get("created"), str) else "",
                updated=extra.get("updated") if isinstance(extra.get("updated"), str) else "",
                line=line,
                converted=converted,
            )
        )
    return spans


def _relations(region: dict, a_index: int, annotator: str | None, name: str, line: int, what: str) -> list[RelationRecord]:
    from_id = require(region, "from_id", (str, int), name, line, what)
    to_id = require(region, "to_id", (str, int), name, line, what)
    labels = region.get("labels") or []
    if not isinstance(labels, list) or not labels:
        raise FormatError(name, line, f"a relation{what} has no label (labels is empty); it cannot be typed")
    head, tail = (to_id, from_id) if region.get("direction") == "left" else (from_id, to_id)
    return [
        RelationRecord(head=(a_index, str(head)), tail=(a_index, str(tail)), type=str(label), annotator=annotator, line=line)
        for label in labels
    ]
