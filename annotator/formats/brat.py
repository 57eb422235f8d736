"""brat standoff: a folder with, per article, `<id>.txt` (the text) and `<id>.ann` (its annotations),
plus `annotation.conf` (labels, relation types, attributes) and `visual.conf` (the label colours).

    T1	SOURCE 0 5	Alice
    T2	CLAIM 12 38	the sky is green on Tuesdays
    R1	attributed_to Arg1:T2 Arg2:T1
    A1	checkworthy T2 yes
    #1	AnnotatorNotes T2	check with the met office

Units: brat's offsets are character offsets into the `.txt` file ("the text "Japan" is identified by
the offset range 0..5 … include the character at the start offset but exclude the character at the
end offset" — brat's standoff format documentation and its wiki "Annotation Data Format"); brat's
server is Python and counts code points, as we do, so nothing is converted. brat's browser client
has a known bug with characters outside the BMP (nlplab/brat issue #1115: annotations after an emoji
are "offset by one for each preceding astral character"), so on read a T line whose text does not
match its code point offsets but matches them read as UTF-16 code units is read that way and
reported.

A span that crosses a line break is written as brat's discontinuous fragments (`0 5;6 10`, its text
the fragments joined by a space) and read back as one span when only line breaks separate its
fragments; other discontinuous spans cannot be held by the project and are reported. brat's text
spans hold no line break, so line breaks at the ends of a span are left out (counted as `snapped`)
and a span of line breaks only is not written (counted as `misaligned`). Attribute
values are written with spaces as `_` (brat's values are single words) and read back against the
schema. Notes are single lines in brat: line breaks in a note become spaces. Lost: ids (T numbers are
per file), annotators (on import name the annotator, default: the folder name), timestamps,
article metadata. On read, events (E), normalizations (N) and equivalences (*) are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..store import ExportFilter, Store
from .common import (
    ProgressCallback,
    FOLDER_MARKER,
    DocumentRecord,
    ExportStats,
    FormatError,
    RelationRecord,
    SpanRecord,
    read_text_file,
    resolve_offsets,
    select_articles,
)

NAME = "brat"
SUFFIX = ""
DESCRIPTION = "brat standoff: a folder of .txt and .ann files with annotation.conf"
OUTPUT = "folder"
MARKER_FILE = "annotation.conf"
_NAME = re.compile(r"[^A-Za-z0-9_\-]")


def _conf_name(name: str) -> str:
    return _NAME.sub("_", name)


def annotation_conf(store: Store) -> str:
    schema = store.schema
    lines = [FOLDER_MARKER, "[entities]", *(_conf_name(label.name) for label in schema.labels), "", "[relations]"]
    for relation in schema.relations:
        head = "|".join(_conf_name(h) for h in relation.head) or "<ENTITY>"
        tail = "|".join(_conf_name(t) for t in relation.tail) or "<ENTITY>"
        lines.append(f"{_conf_name(relation.name)}\tArg1:{head}, Arg2:{tail}")
    lines += ["", "[events]", "", "[attributes]"]
    attributes: dict[str, tuple[list[str], list[str]]] = {}
    for label in schema.labels:
        for attribute in label.attributes:
            if attribute.type == "text":
                continue
            targets, values = attributes.setdefault(attribute.name, ([], []))
            targets.append(_conf_name(label.name))
            for value in attribute.values if attribute.type == "choice" else ("yes", "no"):
                if _value(value) not in values:
                    values.append(_value(value))
    for name, (targets, values) in attributes.items():
        spec = f"{_conf_name(name)}\tArg:{'|'.join(targets)}"
        if values:
            spec += f", Value:{'|'.join(values)}"
        lines.append(spec)
    return "\n".join(lines) + "\n"


def visual_conf(store: Store) -> str:
    lines = ["[labels]", *(_conf_name(label.name) for label in store.schema.labels), "", "[drawing]"]
    lines += [f"{_conf_name(label.name)}\tbgColor:{label.color}" for label in store.schema.labels]
    return "\n".join(lines) + "\n"


def _value(value: object) -> str:
    return str(value).replace(" ", "_")


def write(store: Store, folder: Path, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None) -> ExportStats:
    stats = ExportStats()
    (folder / MARKER_FILE).write_text(annotation_conf(store), "utf-8")
    (folder / "visual.conf").write_text(visual_conf(store), "utf-8")
    for item in select_articles(store, selection, progress):
        article = item.article
        lines = []
        t_ids: dict[str, str] = {}
        attribute_n = note_n = 0
        n = 0
        for annotation in item.annotations:
            fragments = _fragments(article.text, annotation.start, annotation.end)
            if not fragments:
                stats.misaligned += 1
                stats.note(f"{annotation.id}: {annotation.label} covers only line breaks; not written")
                continue
            if (fragments[0][0], fragments[-1][1]) != (annotation.start, annotation.end):
                stats.snapped += 1
                stats.note(f"{annotation.id}: {annotation.label} {annotation.quote!r} written without the line breaks at its ends")
            n += 1
            stats.spans += 1
            t_id = t_ids[annotation.id] = f"T{n}"
            places = ";".join(f"{s} {e}" for s, e in fragments)
            quote = " ".join(article.text[s:e] for s, e in fragments)
            lines.append(f"{t_id}\t{_conf_name(annotation.label)} {places}\t{quote}")
            for key, value in annotation.attributes.items():
                attribute_n += 1
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                lines.append(f"A{attribute_n}\t{_conf_name(key)} {t_id} {_value(value)}")
            if annotation.note:
                note_n += 1
                lines.append(f"#{note_n}\tAnnotatorNotes {t_id}\t{' '.join(annotation.note.split())}")
        n = 0
        for relation in item.relations:
            if relation.head not in t_ids or relation.tail not in t_ids:
                stats.relations_dropped += 1
                continue
            n += 1
            stats.relations += 1
            lines.append(f"R{n}\t{_conf_name(relation.type)} Arg1:{t_ids[relation.head]} Arg2:{t_ids[relation.tail]}")
        (folder / f"{article.id}.txt").write_text(article.text, "utf-8", newline="\n")
        (folder / f"{article.id}.ann").write_text("".join(line + "\n" for line in lines), "utf-8", newline="\n")
        stats.articles += 1
    return stats


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of [start, end) between line breaks (brat's text-bound spans are single lines)."""
    fragments = []
    position = start
    for piece in text[start:end].split("\n"):
        if piece:
            fragments.append((position, position + len(piece)))
        position += len(piece) + 1
    return fragments


def count(source: str | Path, **_options: object) -> int:
    """How many documents `read` yields: one per .ann file."""
    path = Path(source)
    return len(list(path.glob("*.ann"))) if path.is_dir() else 1


def read(source: str | Path, *, offset_units: str | None = None, **_options: object) -> Iterator[DocumentRecord]:
    path = Path(source)
    files = sorted(path.glob("*.ann")) if path.is_dir() else [path]
    if path.is_dir() and not files:
        raise FormatError(path, None, "no .ann files in this folder")
    for ann in files:
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            raise FormatError(ann, None, f"no text file {txt.name} beside it")
        text, _ = read_text_file(txt)
        content, name = read_text_file(ann)
        yield _document(text, content, name, ann.stem, offset_units or "codepoint")


_T = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_R = re.compile(r"^(R\d+)\t(\S+) (\w+):(T\d+) (\w+):(T\d+)\s*$")
_A = re.compile(r"^([AM]\d+)\t(\S+) (T\d+)(?: (\S+))?\s*$")
_NOTE = re.compile(r"^(#\d+)\t(\S+) (T\d+)\t(.*)$")


def _document(text: str, content: str, name: str, stem: str, units: str) -> DocumentRecord:
    spans: dict[str, SpanRecord] = {}
    relations: list[RelationRecord] = []
    notes: list[str] = []
    pending_attributes: list[tuple[int, str, str, object]] = []
    pending_notes: list[tuple[int, str, str]] = []
    for number, line in enumerate(content.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            match = _T.match(line)
            if not match:
                raise FormatError(name, number, "a T line must be 'T<n><TAB><label> <start> <end>[;<start> <end>...]<TAB><text>'")
            t_id, label, places, quote = match.groups()
            fragments = [tuple(int(v) for v in part.split()) for part in places.split(";")]
            span = _span(text, fragments, label, quote, units, t_id, name, number, notes)
            if span is not None:
                spans[t_id] = span
        elif kind == "R":
            match = _R.match(line)
            if not match:
                raise FormatError(name, number, "an R line must be 'R<n><TAB><type> Arg1:T<n> Arg2:T<m>'")
            r_id, rtype, _, head, _, tail = match.groups()
            relations.append(RelationRecord(head=head, tail=tail, type=rtype, id=f"{stem}:{r_id}", line=number))
        elif kind in "AM":
            match = _A.match(line)
            if not match:
                raise FormatError(name, number, "an A line must be 'A<n><TAB><name> T<n> [<value>]'")
            _, attribute, target, value = match.groups()
            pending_attributes.append((number, target, attribute, True if value is None else value))
        elif kind == "#":
            match = _NOTE.match(line)
            if not match:
                raise FormatError(name, number, "a note line must be '#<n><TAB>AnnotatorNotes T<n><TAB><text>'")
            _, _, target, note = match.groups()
            pending_notes.append((number, target, note))
        elif kind in "EN*":
            notes.append(f"{name}:{number}: {kind} line skipped (events, normalizations and equivalences are not imported)")
        else:
            raise FormatError(name, number, f"unknown annotation line starting {line[:12]!r}")
    for number, target, attribute, value in pending_attributes:
        if target in spans:
            spans[target].attributes[attribute] = value if isinstance(value, bool) else str(value).replace("_", " ")
    for number, target, note in pending_notes:
        if target in spans:
            spans[target].note = note if not spans[target].note else spans[target].note + " " + note
    return DocumentRecord(text=text, spans=list(spans.values()), relations=relations, article_id=stem, line=0, notes=notes, name=name)


def _span(text: str, fragments: list, label: str, quote: str, units: str, t_id: str, name: str, number: int, notes: list[str]) -> SpanRecord | None:
    start, end = fragments[0][0], fragments[-1][1]
    for s, e in fragments:
        if s > e:
            raise FormatError(name, number, f"fragment {s} {e} of {t_id} ends before it starts")
    if len(fragments) == 1:
        s, e, converted = resolve_offsets(text, start, end, quote, units)
        return SpanRecord(s, e, label, quote=quote, id=t_id, key=t_id, line=number, converted=converted)
    # discontinuous: one span only if line breaks alone separate the fragments
    s, e, converted = resolve_offsets(text, start, end, None, units)
    pieces = []
    gaps_ok = True
    previous_end = None
    for fs, fe in fragments:
        cs, ce, _ = resolve_offsets(text, fs, fe, None, converted or units)
        if previous_end is not None and text[previous_end:cs].strip("\n") != "":
            gaps_ok = False
        pieces.append(text[cs:ce])
        previous_end = ce
    if not gaps_ok:
        notes.append(f"{name}:{number}: {t_id} is a discontinuous span (fragments {';'.join(f'{a} {b}' for a, b in fragments)}); "
                     "the project holds only continuous spans, not imported")
        return None
    if " ".join(pieces) != quote:
        notes.append(f"{name}:{number}: {t_id} text {quote!r} does not match its fragments")
    return SpanRecord(s, e, label, quote=text[s:e], id=t_id, key=t_id, line=number, converted=converted)
