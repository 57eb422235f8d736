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

Kept: a record's `id`, `meta` and other columns, its entities' and relations' ids (formats/foreign.py):
an export writes them back, and two records with the same text (one article here) as two records.
Spans without a doccano id get ids above those of their record. Lost: annotators (doccano exports
one file per user; on import name the annotator, default: the file name), attributes, notes,
timestamps; in the "labels" variant, relations (counted as `relations_dropped`). doccano can hold
overlapping spans.

On read, also the shapes of older doccano versions and of its documentation:

* records pretty-printed over several lines, one after another or in a JSON array (doccano's
  tutorial shows its export so: `{"doc_id": 33, \n "text": ..., \n "labels": [[0, 36, "Title"]], ...}`);
* `"entities": [[start, end, label]]` (the export of doccano's first versions, PR #46);
* the pre-1.x `"annotations": [{"label": 7, "start_offset": 0, "end_offset": 2, "user": 1}]`, whose
  labels are doccano's label ids (doccano issues #113, #156, #1291): they are read through the
  project's label list — `label_config.json` from doccano's label export (`[{"id": 7, "text": "ORG"},
  ...]`) beside the file, or the `label_list` option — and refused, naming the line, without one.

A wrong unit is detected where it shows: offsets that fall inside a character or beyond the text in
the given unit but fit the other are refused; where both readings fit the text, spans read in the
given unit that cut words while read in the other unit they do not are reported per document (when
all spans the two readings disagree on are such), and
the file is refused when at least ten spans fit words only in the other unit and none only in the given
one (spans that start or end inside a word do happen, ten that all fit the other unit by chance do not).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterator, TextIO

from .. import textspan
from ..store import ExportFilter, Store
from . import foreign
from .common import ExportStats, ProgressCallback, select_articles
from .reading import (
    DocumentRecord,
    FormatError,
    RelationRecord,
    SpanRecord,
    convert_offsets,
    count_json_lines,
    describe,
    json_values,
    optional_list,
    parse_json,
    read_text_file,
    require,
    whole_number,
)

NAME = "doccano"
SINGLE_LAYER = True  # no annotator per span: one annotator's, or their union (formats/__init__.py)
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
    stats = ExportStats(holds_relations=variant != "labels")
    numbers = _Numbers()
    for item in select_articles(store, selection, progress):
        stats.merged += item.merged
        article = item.article
        index = textspan.Utf16Index(article.text) if units == "utf16" else None

        def offset(value: int) -> int:
            return value if index is None else index.to_utf16(value)

        documents = foreign.documents(article.foreign, NAME)
        keys = [d["key"] for d in documents] or [""]
        spans: dict[str, list] = {key: [] for key in keys}
        record_of: dict[str, str] = {}
        for annotation in item.annotations:
            doc = foreign.entry(annotation.foreign, NAME).get("doc")
            key = doc if doc in spans else keys[0]  # a span of ours goes to the article's first record
            spans[key].append(annotation)
            record_of[annotation.id] = key
        links: dict[str, list] = {key: [] for key in keys}
        for relation in item.relations:
            links[record_of[relation.head]].append(relation)
        by_key = {d["key"]: d for d in documents}
        for key in keys:
            record = _record(article, by_key.get(key), spans[key], links[key], variant, offset, numbers, stats)
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")
        stats.articles += 1
        stats.spans += len(item.annotations)
    return stats


class _Numbers:
    """Entity and relation ids for spans that have none from doccano: above every id of the record."""

    def __init__(self) -> None:
        self.entity = self.relation = 0

    def take(self, kind: str, used: list[object]) -> int:
        floor = max([v for v in used if whole_number(v)] or [0])
        value = max(getattr(self, kind), floor) + 1
        setattr(self, kind, value)
        return value


def _record(article, document: dict | None, annotations: list, relations: list, variant: str, offset, numbers: _Numbers,
            stats: ExportStats) -> dict:
    """One JSON line: the record doccano had (its id, meta and other columns), or one of ours."""
    kept = dict((document or {}).get("record") or {})
    record: dict = {"id": kept.pop("id")} if "id" in kept else {}
    record["text"] = article.text
    if variant == "labels":
        record["label"] = [[offset(a.start), offset(a.end), a.label] for a in annotations]
        stats.relations_dropped += len(relations)
    else:
        own = {a.id: foreign.entry(a.foreign, NAME).get("id") for a in annotations}
        ids = {}
        entities = []
        for annotation in annotations:
            ident = own[annotation.id]
            if ident is None:
                ident = numbers.take("entity", list(own.values()))
            ids[annotation.id] = ident
            entities.append({"id": ident, "label": annotation.label, "start_offset": offset(annotation.start),
                             "end_offset": offset(annotation.end)})
        own_relations = [foreign.entry(r.foreign, NAME).get("id") for r in relations]
        links = []
        for relation, ident in zip(relations, own_relations):
            if ident is None:
                ident = numbers.take("relation", own_relations)
            links.append({"id": ident, "from_id": ids[relation.head], "to_id": ids[relation.tail], "type": relation.type})
        record["entities"] = entities
        record["relations"] = links
        stats.relations += len(links)
    record.update(kept)
    record["article_id"] = article.id
    record["title"] = article.title
    return record


def count(source: str | Path, **_options: object) -> int:
    """How many documents `read` yields from the file (one per non-blank line), without parsing it."""
    return count_json_lines(source)


LABEL_LIST = "label_config.json"
MIN_EVIDENCE = 10  # spans that fit words only in the other unit (and none only in the given) to refuse a file


def read(
    source: str | Path | IO[str], *, offset_units: str | None = None, label_list: str | Path | None = None,
    **_options: object,
) -> Iterator[DocumentRecord]:
    units = offset_units or UNITS[0]
    labels = _LabelIds(source, label_list)
    evidence = _UnitEvidence(units)
    for line, record, name in json_values(source):
        text = require(record, "text", str, name, line)
        assert isinstance(record, dict)
        raw: list[tuple[object, int, int, str, str]] = []  # key, start, end, label, where
        relations: list[RelationRecord] = []
        if "entities" in record:
            for i, entity in enumerate(require(record, "entities", list, name, line), 1):
                what = f" in entity {i}"
                if isinstance(entity, list):
                    raw.append((None, *_triple(entity, f"entities[{i - 1}]", name, line)))
                    continue
                key = require(entity, "id", (int, str), name, line, what)
                raw.append((
                    key, require(entity, "start_offset", int, name, line, what), require(entity, "end_offset", int, name, line, what),
                    require(entity, "label", str, name, line, what), what,
                ))
            for i, relation in enumerate(optional_list(record, "relations", name, line), 1):
                relations.append(_relation(relation, name, line, f" in relation {i}"))
        elif "annotations" in record and "label" not in record and "labels" not in record:
            for i, annotation in enumerate(require(record, "annotations", list, name, line), 1):
                what = f" in annotation {i}"
                label = require(annotation, "label", (int, str), name, line, what)
                raw.append((
                    None, require(annotation, "start_offset", int, name, line, what),
                    require(annotation, "end_offset", int, name, line, what),
                    label if isinstance(label, str) else labels.name(label, name, line, what), what,
                ))
        else:
            key = "label" if "label" in record else "labels"
            items = record.get(key, [])
            if not isinstance(items, list):
                raise FormatError(name, line, f"{key!r} must be a list of [start, end, label], found {describe(items)}")
            for i, item in enumerate(items, 1):
                if isinstance(item, str):
                    raise FormatError(
                        name, line, f"{key!r} holds text-classification labels ({item!r}), not spans; "
                        "export the doccano project as sequence labelling"
                    )
                raw.append((None, *_triple(item, f"{key}[{i}]", name, line, f" in {key}[{i}]")))
        spans = evidence.spans(text, raw, name, line)
        metadata = record.get("meta") if isinstance(record.get("meta"), dict) else {}
        title = record.get("title", metadata.get("title"))
        own_id = record.get("id", record.get("doc_id"))
        yield DocumentRecord(
            text=text,
            spans=spans,
            relations=relations,
            article_id=record.get("article_id") if isinstance(record.get("article_id"), str) else None,
            metadata={"title": title} if isinstance(title, str) else {},
            line=line,
            notes=evidence.take_notes(),
            foreign_id=str(own_id) if whole_number(own_id) or isinstance(own_id, str) else None,
            foreign_metadata=dict(metadata),
            foreign=_record_entry(record),
        )
    evidence.finish()


_SPAN_KEYS = frozenset({"text", "entities", "relations", "label", "labels", "annotations", "article_id", "title"})


def _record_entry(record: dict) -> dict:
    """What an export to doccano writes back (formats/foreign.py): the record's id, meta and other
    columns (doccano's `Comments`, a user's own); two records with the same text are one article here
    and two records again in the export."""
    kept = {k: v for k, v in record.items() if k not in _SPAN_KEYS}
    if not kept:
        return {}
    own_id = kept.get("id", kept.get("doc_id"))
    entry: dict = {"record": kept}
    if whole_number(own_id) or isinstance(own_id, str):
        entry["key"] = str(own_id)
    return entry


def _triple(item: object, where: str, name: str, line: int, what: str = "") -> tuple[int, int, str, str]:
    if not (isinstance(item, list) and len(item) == 3 and isinstance(item[2], str) and all(whole_number(v) for v in item[:2])):
        raise FormatError(name, line, f"{where} must be [start, end, label], found {describe(item)}")
    return item[0], item[1], item[2], what or f" in {where}"


def _relation(relation: object, name: str, line: int, what: str) -> RelationRecord:
    head = require(relation, "from_id", (int, str), name, line, what)
    tail = require(relation, "to_id", (int, str), name, line, what)
    assert isinstance(relation, dict)
    ident = relation.get("id")
    return RelationRecord(
        head=str(head), tail=str(tail), type=require(relation, "type", str, name, line, what),
        id=str(ident) if whole_number(ident) or isinstance(ident, str) else None, line=line,
        foreign_id=str(ident) if ident is not None else None,
        foreign={"id": ident} if whole_number(ident) or isinstance(ident, str) else {},
    )


class _LabelIds:
    """doccano's label ids -> names, from its label export (read when a record first needs it)."""

    def __init__(self, source: object, label_list: str | Path | None) -> None:
        self.given = Path(label_list) if label_list is not None else None
        beside = Path(source).with_name(LABEL_LIST) if isinstance(source, (str, Path)) else None
        self.path = self.given or (beside if beside is not None and beside.is_file() else None)
        self.names: dict[int, str] | None = None

    def name(self, label: int, name: str, line: int, what: str) -> str:
        if self.path is None:
            raise FormatError(
                name, line, f"'label'{what} is the label id {label}: this is the export of doccano before 1.0, which "
                f"names labels by their ids; put the project's label list ({LABEL_LIST}, from doccano's Labels → "
                "Export) beside the file, or give it as the label list"
            )
        if self.names is None:
            self.names = _label_list(self.path)
        if label not in self.names:
            raise FormatError(name, line, f"'label'{what} is the label id {label}, which {self.path.name} does not have "
                              f"(its ids: {', '.join(map(str, sorted(self.names)[:20]))})")
        return self.names[label]


def _label_list(path: Path) -> dict[int, str]:
    content, name = read_text_file(path)
    value = parse_json(content, name, 1) if content.strip() else None
    names: dict[int, str] = {}
    if isinstance(value, dict):  # {"7": "ORG"} written by hand
        value = [{"id": k, "text": v} for k, v in value.items()]
    if not isinstance(value, list):
        raise FormatError(name, 1, "a label list must be a JSON array of {\"id\": ..., \"text\": ...} (doccano's label export)")
    for i, item in enumerate(value, 1):
        ident = require(item, "id", (int, str), name, 1, f" in label {i}")
        text = require(item, "text", str, name, 1, f" in label {i}")
        if isinstance(ident, str) and not ident.isdigit():
            raise FormatError(name, 1, f"'id' in label {i} must be a whole number, found {describe(ident)}")
        names[int(ident)] = text
    return names


class _UnitEvidence:
    """Reads offsets in the given unit and keeps the evidence that the other unit was meant.

    doccano's files hold no span text, so a wrong unit shows only where the two readings differ
    (after a character outside the BMP): an offset that is not a position in the given unit but is
    one in the other is refused at once; a span whose ends fall inside words in the given reading and
    on word boundaries in the other is evidence, reported per document and refused for the file when
    no span fits the given unit and at least MIN_EVIDENCE fit the other only."""

    def __init__(self, units: str) -> None:
        self.units = units
        self.other = "codepoint" if units == "utf16" else "utf16"
        self.notes: list[str] = []
        self.fits_given = 0
        self.fits_other: list[str] = []

    def spans(self, text: str, raw: list, name: str, line: int) -> list[SpanRecord]:
        index = textspan.Utf16Index(text)
        differs = index.utf16_length != len(text)  # else both readings are the same
        spans, given_only, other_only, different = [], 0, 0, 0
        for key, start, end, label, what in raw:
            given = convert_offsets(text, start, end, self.units if differs else "codepoint", index)
            other = convert_offsets(text, start, end, self.other, index) if differs else given
            if given is None or start >= end:
                raise self._refusal(text, start, end, what, other, name, line)
            if differs and other is not None and other != given:
                different += 1
                fits, fits_other = _fits(text, *given), _fits(text, *other)
                if fits and not fits_other:
                    given_only += 1
                elif fits_other and not fits:
                    other_only += 1
                    self.fits_other.append(f"{name}:{line}: {start}-{end}{what} reads {text[given[0]:given[1]]!r} as "
                                           f"{_unit(self.units)}, {text[other[0]:other[1]]!r} as {_unit(self.other)}")
            spans.append(SpanRecord(given[0], given[1], label, key=None if key is None else str(key),
                                    id=None if key is None else str(key), line=line,
                                    foreign_id=None if key is None else str(key),
                                    foreign={} if key is None else {"id": key}))
        self.fits_given += given_only
        if other_only and other_only == different:  # every span the units disagree on fits only the other
            self.notes.append(
                f"{name}:{line}: {other_only} span(s) cut words when the offsets are read as {_unit(self.units)} but "
                f"not as {_unit(self.other)}: check the offset units (--offset-units {self.other})"
            )
        return spans

    def _refusal(self, text: str, start: int, end: int, what: str, other: tuple[int, int] | None, name: str, line: int) -> FormatError:
        length = textspan.utf16_len(text) if self.units == "utf16" else len(text)
        if start >= end or not 0 <= start < end <= length:
            problem = f"offsets {start}-{end}{what} are not a span of the text ({length} {_unit(self.units)})"
        else:
            problem = f"offsets {start}-{end}{what} fall inside a character (a UTF-16 surrogate pair)"
        if other is not None and start < end:
            problem += (f"; read as {_unit(self.other)} they are {text[other[0]:other[1]]!r}: are the offsets "
                        f"{_unit(self.other)}? (--offset-units {self.other})")
        return FormatError(name, line, problem)

    def take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes

    def finish(self) -> None:
        if self.fits_given == 0 and len(self.fits_other) >= MIN_EVIDENCE:
            first = self.fits_other[0]
            name, line, detail = first.split(":", 2) if first.count(":") >= 2 else (first, "", "")
            raise FormatError(
                name, int(line) if line.isdigit() else None,
                f"the offsets do not fit {_unit(self.units)}: {len(self.fits_other)} spans cut words read so and fit "
                f"words read as {_unit(self.other)}, none the other way (first:{detail}); give --offset-units {self.other} "
                f"if the file counts {_unit(self.other)}",
            )


def _unit(units: str) -> str:
    return "UTF-16 code units" if units == "utf16" else "code points"


def _fits(text: str, start: int, end: int) -> bool:
    """Whether a span starts and ends on word boundaries (and not inside a character a reader sees)."""
    return all(_boundary(text, i) for i in (start, end))


def _boundary(text: str, i: int) -> bool:
    if i <= 0 or i >= len(text):
        return True
    return textspan.is_grapheme_boundary(text, i) and not (text[i - 1].isalnum() and text[i].isalnum())
