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

With `--include-suggestions`, the open suggestions of an article go into its (first) task's
`predictions`, one prediction per suggester and version (`model_version` "name version", `score`
the mean of its regions' scores), each region with its own `score`: Label Studio shows them as
pre-annotations, never as anyone's annotation.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator, TextIO

from .. import jsontext
from ..store import ExportFilter, Store, largest_foreign_id, suggestions_of
from . import foreign
from .common import ExportStats, ProgressCallback, select_articles
from .reading import (
    DocumentRecord, FormatError, RelationRecord, SpanRecord, count_json_values, json_values, require, resolve_offsets,
)

NAME = "labelstudio"
SUFFIX = ".json"
DESCRIPTION = "Label Studio JSON tasks, with the labeling config XML beside them"
UNITS = ("codepoint", "utf16")
FROM_NAME = "label"
TO_NAME = "text"
EXTRA = "news_annotator"
SUGGESTIONS = True


def label_config(store: Store) -> str:
    """The labeling config XML matching the exported tasks."""
    from xml.sax.saxutils import quoteattr  # with urllib, http and email: 25 ms an import does not need

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
    numbers = _Numbers(largest_foreign_id(store, NAME), largest_foreign_id(store, NAME, "annotations"))
    out.write("[")
    first = True
    encode = jsontext.dumps
    for item in select_articles(store, selection, progress, blocks=False):
        article = item.article
        index = textspan.Utf16Index(article.text) if utf16 else None
        tasks = _tasks(item, numbers, index, stats)
        if selection is not None and selection.include_suggestions and tasks:
            predictions = _predictions(suggestions_of(store, selection, article.id), article.text, index)
            if predictions:
                tasks[0]["predictions"] = predictions
                stats.suggestions += sum(len(p["result"]) for p in predictions)
        for task in tasks:
            out.write(("\n" if first else ",\n") + encode(task))
            first = False
        stats.articles += 1
    out.write("\n]\n")
    return stats


class _Numbers:
    """Task and annotation ids for those that have none yet: after the largest the project keeps."""

    def __init__(self, task: int, annotation: int) -> None:
        self.task, self.annotation = task, annotation

    def next_task(self) -> int:
        self.task += 1
        return self.task

    def next_annotation(self) -> int:
        self.annotation += 1
        return self.annotation


@dataclass
class _Group:
    """One annotation of a task: its spans and relations (one annotator's, or what Label Studio had)."""

    key: str
    entry: dict = field(default_factory=dict)  # what Label Studio had (foreign.py), or {}
    spans: list = field(default_factory=list)
    relations: list = field(default_factory=list)


def _tasks(item, numbers: _Numbers, index, stats: ExportStats) -> list[dict]:
    """The article's tasks: those Label Studio had (each with its annotations), or one of our own."""
    article = item.article
    documents = foreign.documents(article.foreign, NAME)
    groups: dict[str, dict[str, _Group]] = {}  # task key -> annotation key -> group
    for document in documents:
        groups[document["key"]] = {str(e.get("key")): _Group(str(e.get("key")), e) for e in document.get("annotations", [])
                                   if isinstance(e, dict)}
    default = documents[0]["key"] if documents else ""
    groups.setdefault(default, {})
    group_of: dict[str, _Group] = {}
    for annotation in item.annotations:
        entry = foreign.entry(annotation.foreign, NAME)
        task = groups.get(str(entry.get("doc")))
        group = task.get(str(entry.get("annotation"))) if task is not None else None
        if group is None:  # ours, or of a task that is gone: the annotator's annotation of the first task
            group = next((g for g in groups[default].values() if g.spans and g.spans[0].annotator == annotation.annotator),
                         None) or groups[default].setdefault(f"new:{annotation.annotator}", _Group(f"new:{annotation.annotator}"))
        group.spans.append(annotation)
        group_of[annotation.id] = group
    written = 0
    for relation in item.relations:
        group = group_of.get(relation.head)
        if group is not None and group_of.get(relation.tail) is group:
            group.relations.append(relation)
            written += 1
    stats.relations += written
    stats.relations_dropped += len(item.relations) - written
    stats.spans += len(item.annotations)
    tasks = []
    by_key = {d["key"]: d for d in documents}
    for key, of_task in groups.items():
        document = by_key.get(key)
        if document is None and not of_task and documents:
            continue
        tasks.append(_task(article, document, list(of_task.values()), numbers, index))
    return tasks


def _task(article, document: dict | None, groups: list[_Group], numbers: _Numbers, index) -> dict:
    if document is None:
        task: dict = {"id": numbers.next_task(),
                      "data": {"text": article.text, "article_id": article.id, "title": article.title}}
    else:
        fields = dict(document.get("fields") or {})
        data = dict(document.get("data") or {})
        data[document.get("text_key") or "text"] = article.text
        for key, value in (("article_id", article.id), ("title", article.title)):
            if key in data or document.get("ours"):
                data[key] = value
        task = {"id": fields.pop("id", None) if "id" in fields else numbers.next_task(), **fields, "data": data}
    task["annotations"] = [_annotation(group, numbers, index) for group in groups]
    return task


def _annotation(group: _Group, numbers: _Numbers, index) -> dict:
    entry = group.entry
    if isinstance(entry.get("cancelled"), dict):
        return entry["cancelled"]  # as Label Studio had it: a skipped annotation holds no spans here
    fields = dict(entry.get("fields") or {})
    annotator = group.spans[0].annotator if group.spans else ""
    ident = fields.pop("id") if "id" in fields else numbers.next_annotation()
    if "completed_by" not in fields and annotator:
        fields["completed_by"] = _completed_by(annotator)
    ids = {a.id: _region_id(a) for a in group.spans} if group.relations else {}
    result = _regions(group.spans, index)
    result += _relation_results(group.relations, ids)
    result += [r for r in entry.get("results", []) if isinstance(r, dict)]
    annotation = {"id": ident, **fields, "result": result}
    if annotator:
        annotation[EXTRA] = {"annotator": annotator}
    return annotation


def _predictions(suggestions: list, text: str, index) -> list[dict]:
    """Label Studio predictions: one per suggester and version, a region per suggestion."""
    by_model: dict[str, list[dict]] = {}
    for s in suggestions:
        start, end = (index.to_utf16(s.start), index.to_utf16(s.end)) if index is not None else (s.start, s.end)
        by_model.setdefault(f"{s.suggester} {s.version}".strip(), []).append({
            "id": s.id, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels", "origin": "prediction",
            "score": s.confidence,
            "value": {"start": start, "end": end, "text": text[s.start:s.end], "labels": [s.label]},
            EXTRA: {"suggester": s.suggester, "version": s.version, "attributes": s.attributes},
        })
    return [{"model_version": model, "score": round(sum(r["score"] for r in result) / len(result), 4), "result": result}
            for model, result in by_model.items()]


def _completed_by(annotator: str) -> dict:
    """Who completed an annotation that Label Studio never saw: the annotator's name, as the e-mail
    when it is one (Label Studio's export names users by id and e-mail, its converter by e-mail)."""
    return {"email": annotator} if "@" in annotator else {"username": annotator}


def _region_id(annotation, entry: dict | None = None) -> str:
    own = (foreign.entry(annotation.foreign, NAME) if entry is None else entry).get("id")
    return str(own) if own is not None else annotation.id


def _regions(spans: list, index) -> list[dict]:
    """One region per span; spans that were one region of several labels in Label Studio are one again."""
    regions: list[dict] = []
    merged: dict[tuple, dict] = {}
    for annotation in spans:
        entry = foreign.entry(annotation.foreign, NAME)
        key = (entry.get("id"), annotation.start, annotation.end)
        if entry.get("id") is not None and key in merged:
            merged[key]["value"]["labels"].append(annotation.label)
            continue
        region = _region(annotation, index, entry)
        regions.append(region)
        if entry.get("id") is not None:
            merged[key] = region
    return regions


def _region(annotation, index, entry: dict | None = None) -> dict:
    entry = entry or {}
    start, end = annotation.start, annotation.end
    if index is not None:
        start, end = index.to_utf16(start), index.to_utf16(end)
    extra = dict(entry.get("region") or {})
    meta = dict(extra.pop("meta", None) or {})
    region = {
        "id": _region_id(annotation, entry),
        "from_name": extra.pop("from_name", FROM_NAME),
        "to_name": extra.pop("to_name", TO_NAME),
        "type": "labels",
        "origin": extra.pop("origin", "manual"),
        **extra,
        "value": {**(entry.get("value") or {}), "start": start, "end": end, "text": annotation.quote,
                  "labels": [annotation.label]},
        EXTRA: {
            "annotator": annotation.annotator,
            "attributes": annotation.attributes,
            "created": annotation.created,
            "updated": annotation.updated,
        },
    }
    if annotation.note:
        meta["text"] = [annotation.note]
    if meta:
        region["meta"] = meta
    return region


def _relation_results(relations: list, ids: dict[str, str]) -> list[dict]:
    results: list[dict] = []
    merged: dict[tuple, dict] = {}
    for relation in relations:
        entry = foreign.entry(relation.foreign, NAME)
        direction = entry.get("direction", "right")
        head, tail = ids[relation.head], ids[relation.tail]
        from_id, to_id = (tail, head) if direction == "left" else (head, tail)
        key = (from_id, to_id, direction)
        if entry and key in merged:  # one relation of several labels in Label Studio
            merged[key]["labels"].append(relation.type)
            continue
        result = {**(entry.get("fields") or {}), "type": "relation", "from_id": from_id, "to_id": to_id,
                  "direction": direction, "labels": [relation.type]}
        results.append(result)
        if entry:
            merged[key] = result
    return results


# -- reading ----------------------------------------------------------------------------------


def count(source: str | Path, **_options: object) -> int:
    """About how many tasks `read` yields (the progress total), without decoding the file."""
    return count_json_values(source)


def read(source: str | Path | IO[str], *, offset_units: str | None = None, **_options: object) -> Iterator[DocumentRecord]:
    units = offset_units or UNITS[0]
    for line, task, name in json_values(source):
        if not isinstance(task, dict):
            raise FormatError(name, line, f"expected a task object, found {type(task).__name__}")
        data = require(task, "data", dict, name, line)
        text_key = _text_key(data, name, line)
        text = data[text_key]
        annotations = task.get("annotations", task.get("completions", []))
        if not isinstance(annotations, list):
            raise FormatError(name, line, "'annotations' must be a list")
        spans: list[SpanRecord] = []
        relations: list[RelationRecord] = []
        entries: list[dict] = []
        notes = []
        if task.get("predictions") and not annotations:
            notes.append(f"{name}:{line}: predictions kept for an export to Label Studio, not imported as spans")
        for a_index, annotation in enumerate(annotations):
            if not isinstance(annotation, dict):
                raise FormatError(name, line, f"annotation {a_index + 1} must be an object")
            key = str(annotation["id"]) if _is_id(annotation.get("id")) else f"#{a_index + 1}"
            if annotation.get("was_cancelled"):
                notes.append(f"{name}:{line}: a cancelled annotation skipped (kept for an export to Label Studio)")
                entries.append({"key": key, "cancelled": annotation})
                continue
            annotator = _annotator(annotation)
            result = require(annotation, "result", list, name, line, f" in annotation {a_index + 1}")
            others = []
            for r_index, region in enumerate(result, 1):
                if type(region) is dict and region.get("type") == "labels":
                    plain = _plain_span(region, text, a_index, key, annotator, units, line)
                    if plain is not None:
                        spans.append(plain)
                        continue
                what = f" in result {r_index} of annotation {a_index + 1}"
                if not isinstance(region, dict):
                    raise FormatError(name, line, f"expected an object{what}")
                kind = region.get("type")
                if kind == "relation":
                    relations += _relations(region, a_index, key, annotator, name, line, what)
                elif kind == "labels":
                    spans += _region_spans(region, text, a_index, key, annotator, units, name, line, what)
                else:
                    others.append(region)
                    notes.append(f"{name}:{line}: a {kind!r} result kept for an export to Label Studio, not imported "
                                 "(only labels and relations are)")
            fields = {k: v for k, v in annotation.items() if k not in ("result", EXTRA)}
            entries.append({"key": key, **({"fields": fields} if fields else {}), **({"results": others} if others else {})})
        task_entry = _task_entry(task, data, text_key, entries)
        if "annotations" not in task_entry:  # the annotations hold nothing to write back: grouped by annotator
            for record in (*spans, *relations):
                record.foreign.pop("annotation", None)
        yield DocumentRecord(
            text=text,
            spans=spans,
            relations=relations,
            article_id=data.get("article_id") if isinstance(data.get("article_id"), str) else None,
            metadata={"title": data["title"]} if isinstance(data.get("title"), str) else {},
            foreign_id=str(task["id"]) if _is_id(task.get("id")) else None,
            foreign_metadata={k: v for k, v in data.items() if k != text_key},
            foreign=task_entry,
            line=line,
            notes=notes,
        )


def _is_id(value: object) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


def _task_entry(task: dict, data: dict, text_key: str, annotations: list[dict]) -> dict:
    """What an export to Label Studio needs to write this task back: its id and fields (predictions,
    meta, ...), its data but the text, and its annotations' ids and fields (formats/foreign.py)."""
    fields = {k: v for k, v in task.items() if k not in ("data", "annotations", "completions")}
    kept_data = {k: v for k, v in data.items() if k != text_key}
    entry: dict = {}
    if "id" in fields:
        entry["key"] = str(fields["id"])
    if fields:
        entry["fields"] = fields
    if set(kept_data) - {"article_id", "title"}:
        entry["data"] = kept_data
    elif kept_data:
        entry["ours"] = True  # our own export's data: written again with the article's id and title
    if text_key != "text":
        entry["text_key"] = text_key
    if any(set(a) != {"key"} or not a["key"].startswith("#") for a in annotations):
        entry["annotations"] = annotations
    if set(entry) <= {"ours"}:
        return {}  # nothing Label Studio said that our own export would not write again
    return entry


def _text_key(data: dict, name: str, line: int) -> str:
    if isinstance(data.get("text"), str):
        return "text"
    keys = [k for k, v in data.items() if isinstance(v, str)]
    if len(keys) == 1:
        return keys[0]
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


_DEFAULTS = {"from_name": FROM_NAME, "to_name": TO_NAME, "origin": "manual"}
_PLAIN_REGION = frozenset({"id", "type", "value", *_DEFAULTS})
_PLAIN_VALUE = frozenset({"start", "end", "text", "labels"})


def _region_spans(region: dict, text: str, a_index: int, key: str, annotator: str | None, units: str, name: str,
                  line: int, what: str) -> list[SpanRecord]:
    value = region.get("value")
    start = value.get("start") if type(value) is dict else None
    end = value.get("end") if type(value) is dict else None
    labels = value.get("labels") if type(value) is dict else None
    if type(start) is not int or type(end) is not int or type(labels) is not list:  # say what is wrong
        value = require(region, "value", dict, name, line, what)
        start = require(value, "start", int, name, line, what)
        end = require(value, "end", int, name, line, what)
        labels = require(value, "labels", list, name, line, what)
    quote = value.get("text")
    if type(quote) is not str:
        quote = None
    if units == "codepoint" and quote is not None and 0 <= start <= end <= len(text) and text[start:end] == quote:
        converted = ""  # the common case of resolve_offsets
    else:
        start, end, converted = resolve_offsets(text, start, end, quote, units)
    extra = region.get(EXTRA) if isinstance(region.get(EXTRA), dict) else {}
    meta = region.get("meta") if isinstance(region.get("meta"), dict) else {}
    note_lines = meta.get("text") if isinstance(meta.get("text"), list) else []
    region_id = region.get("id")
    kept = {k: v for k, v in region.items() if k not in ("id", "value", "type", "meta", EXTRA) and _DEFAULTS.get(k) != v}
    other_meta = {k: v for k, v in meta.items() if k != "text"}
    if other_meta:
        kept["meta"] = other_meta
    entry: dict = {"annotation": key}
    if region_id is not None:
        entry["id"] = region_id
    if kept:
        entry["region"] = kept
    value_extra = {k: v for k, v in value.items() if k not in ("start", "end", "text", "labels")}
    if value_extra:
        entry["value"] = value_extra
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
                foreign=dict(entry),
                created=extra.get("created") if isinstance(extra.get("created"), str) else "",
                updated=extra.get("updated") if isinstance(extra.get("updated"), str) else "",
                line=line,
                converted=converted,
            )
        )
    return spans


def _plain_span(region: dict, text: str, a_index: int, key: str, annotator: str | None, units: str,
                line: int) -> SpanRecord | None:
    """The span of a region as Label Studio writes most of them (an id, one label, its text where the
    offsets say, the default names, nothing of ours), read without the checks and copies
    `_region_spans` makes; None for any other region, which `_region_spans` reads. The record is
    the one `_region_spans` makes (tests/formats/test_labelstudio_plain_regions.py)."""
    value = region.get("value")
    if type(value) is not dict or not region.keys() <= _PLAIN_REGION or not value.keys() <= _PLAIN_VALUE:
        return None
    start, end, labels, quote, region_id = value.get("start"), value.get("end"), value.get("labels"), value.get("text"), region.get("id")
    if (type(start) is not int or type(end) is not int or type(labels) is not list or len(labels) != 1
            or type(labels[0]) is not str or type(quote) is not str or region_id is None or units != "codepoint"
            or not 0 <= start <= end <= len(text) or text[start:end] != quote):
        return None
    if any(_DEFAULTS[k] != region[k] for k in region.keys() & _DEFAULTS.keys()):
        return None
    region_id = str(region_id)
    return SpanRecord(start, end, labels[0], quote=quote, id=region_id, key=(a_index, region_id), annotator=annotator,
                      foreign_id=region_id, foreign={"annotation": key, "id": region.get("id")}, line=line)


def _relations(region: dict, a_index: int, key: str, annotator: str | None, name: str, line: int, what: str) -> list[RelationRecord]:
    from_id = require(region, "from_id", (str, int), name, line, what)
    to_id = require(region, "to_id", (str, int), name, line, what)
    labels = region.get("labels") or []
    if not isinstance(labels, list) or not labels:
        raise FormatError(name, line, f"a relation{what} has no label (labels is empty); it cannot be typed")
    direction = region.get("direction", "right")
    head, tail = (to_id, from_id) if direction == "left" else (from_id, to_id)
    entry: dict = {"annotation": key}
    if direction != "right":
        entry["direction"] = direction
    fields = {k: v for k, v in region.items() if k not in ("type", "from_id", "to_id", "direction", "labels")}
    if fields:
        entry["fields"] = fields
    return [
        RelationRecord(head=(a_index, str(head)), tail=(a_index, str(tail)), type=str(label), annotator=annotator,
                       line=line, foreign=dict(entry))
        for label in labels
    ]
