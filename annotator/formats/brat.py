"""brat standoff: a folder with, per article, `<id>.txt` (the text) and `<id>.ann` (its annotations),
plus `annotation.conf` (labels, relation types, events, attributes) and `visual.conf` (the colours).

    T1	SOURCE 0 5	Alice
    T2	CLAIM 12 38	the sky is green on Tuesdays
    R1	attributed_to Arg1:T2 Arg2:T1
    A1	checkworthy T2 yes
    #1	AnnotatorNotes T2	check with the met office
    T3	Report 6 11	wrote
    E1	Report:T3 Reporter-Arg:T1 Event-Arg:E2
    A2	Negation E1
    N1	Reference T1 Wikipedia:534366	Barack Obama

Units: brat's offsets are character offsets into the `.txt` file ("the text "Japan" is identified by
the offset range 0..5 … include the character at the start offset but exclude the character at the
end offset" — brat's standoff format documentation and its wiki "Annotation Data Format"); brat's
server is Python and counts code points, as we do, so nothing is converted. brat's browser client
has a known bug with characters outside the BMP (nlplab/brat issue #1115: annotations after an emoji
are "offset by one for each preceding astral character"), so on read a T line whose text does not
match its code point offsets but matches them read as UTF-16 code units is read that way and
reported. A T line whose text matches neither (a line cut inside its text, an .ann file of another
text) is refused with its line, the text of the .txt at its offsets and the text of the line.

Text-bound spans (T): a span that crosses a line break is written as brat's discontinuous fragments
(`0 5;6 10`, its text the fragments joined by a space) and read back as one span when only line
breaks separate its fragments; a discontinuous span whose fragments are separated by other text is
carried with its fragments (`SpanRecord.fragments`) and reported per line by the importer, as the
project holds continuous spans only. brat's text spans hold no line break, so line breaks at the ends
of a span are left out (counted as `snapped`), a span that then lands on the place and label of
another is written once (counted as `merged`, its relations kept on the one written), and a span of
line breaks only is not written (counted as `misaligned`).

Events (E): an event is imported as a span on its trigger's text with the event type as label, and
one relation per argument from the event to the argument (a T, or another event), typed by the role
as written (`Org-Arg2` stays `Org-Arg2`): role types are relation types like the others. A T line
that is only some events' trigger is not a span of its own; each event using it is one. On export,
an event's trigger is the T line of the same label and text when there is one.

Attributes (A, and the older M): on T, E and R lines; a binary attribute (`A1<TAB>Negation E1`) is
True, a multi-valued one keeps its value exactly as written. On export a true bool attribute is
written as a binary one, a false one with the value `no` (brat's binary attributes cannot say false). brat's values are single words, so ours
are written with spaces as `_` (and `_`, `%` and other whitespace %-escaped), and read back so from a
folder whose annotation.conf we wrote; in a foreign file, a value that the schema does not have is
tried with `_` read as a space. Relations in the project hold no attributes and no notes: those of R lines are
carried in the records and reported as not imported.

Notes (#, of any type) and normalizations (N) on T and E lines are kept in the annotation's note,
one line each, until the project stores notes with their types (the encoding is `note_text` and
`note_records` below):

    <text>                                an AnnotatorNotes note, as it is
    [brat # <type>] <text>                a note of another type
    [brat N <type> <resource:id>] <text>  a normalization
    [brat event]                          the annotation is an event (written as an E line)

A note of several lines is written as one note line per line. Lost: T/E/R numbers (renumbered per
file), annotators (on import name the annotator, default: the folder name), timestamps, article
metadata; equivalences (`*` lines) are reported per line and not imported.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .. import textspan
from ..model import Annotation
from ..store import ExportFilter, Store
from . import foreign
from .common import FOLDER_MARKER, ExportStats, ProgressCallback, select_articles
from .reading import DocumentRecord, FormatError, NoteRecord, RelationRecord, SpanRecord, convert_offsets, read_text_file

NAME = "brat"
SINGLE_LAYER = True  # no annotator per span: one annotator's, or their union (formats/__init__.py)
SUFFIX = ""
DESCRIPTION = "brat standoff: a folder of .txt and .ann files with annotation.conf"
OUTPUT = "folder"
MARKER_FILE = "annotation.conf"
ANNOTATOR_NOTES = "AnnotatorNotes"
EVENT_MARK = "[brat event]"
_NAME = re.compile(r"[^A-Za-z0-9_\-]")
_TYPED_NOTE = re.compile(r"^\[brat (#|N) (\S+)(?: (\S+))?\] ?(.*)$", re.DOTALL)


def _conf_name(name: str) -> str:
    return _NAME.sub("_", name)


# -- notes: what the project keeps of brat's typed notes, normalizations and events ------------------


def note_text(notes: list[NoteRecord], event: bool = False) -> str:
    """The annotation note that holds `notes` (and, for an event, the event mark)."""
    lines = [EVENT_MARK] if event else []
    for note in notes:
        if note.reference is not None:
            lines.append(f"[brat N {note.type} {note.reference}] {note.text}")
        elif note.type == ANNOTATOR_NOTES and not note.text.startswith("[brat "):
            lines.append(note.text)
        else:
            lines.append(f"[brat # {note.type}] {note.text}")
    return "\n".join(lines)


def note_records(note: str) -> tuple[bool, list[NoteRecord]]:
    """(whether the note marks an event, its notes) — the reverse of `note_text`."""
    event = False
    notes = []
    for line in note.split("\n") if note else ():
        if line == EVENT_MARK:
            event = True
            continue
        match = _TYPED_NOTE.match(line)
        if match is None:
            notes.append(NoteRecord(ANNOTATOR_NOTES, line))
        elif match.group(1) == "N":
            notes.append(NoteRecord(match.group(2), match.group(4), reference=match.group(3) or ""))
        else:
            notes.append(NoteRecord(match.group(2), match.group(4)))
    return event, notes


# -- writing ------------------------------------------------------------------------------------------


def annotation_conf(store: Store, events: dict[str, dict[str, set[str]]] | None = None) -> str:
    """annotation.conf for the schema; `events` (event label -> role -> argument labels) as written."""
    schema = store.schema
    events = events or {}
    roles = {role for spec in events.values() for role in spec}
    entities = [label.name for label in schema.labels if label.name not in events]
    lines = [FOLDER_MARKER, "[entities]", *(_conf_name(name) for name in entities), "", "[relations]"]
    for relation in schema.relations:
        if relation.name in roles:
            continue
        head = "|".join(_conf_name(h) for h in relation.head) or "<ENTITY>"
        tail = "|".join(_conf_name(t) for t in relation.tail) or "<ENTITY>"
        lines.append(f"{_conf_name(relation.name)}\tArg1:{head}, Arg2:{tail}")
    lines += ["", "[events]"]
    for label, spec in events.items():
        arguments = ", ".join(f"{_conf_name(role)}*:{'|'.join(sorted(map(_conf_name, ends)))}" for role, ends in spec.items())
        lines.append(f"{_conf_name(label)}\t{arguments}".rstrip())
    lines += ["", "[attributes]"]
    attributes: dict[str, tuple[list[str], list[str]]] = {}
    for label in schema.labels:
        for attribute in label.attributes:
            if attribute.type == "text":
                continue
            targets, values = attributes.setdefault(attribute.name, ([], []))
            targets.append(_conf_name(label.name))
            for value in attribute.values if attribute.type == "choice" else ():
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
    """An attribute value as one brat word: spaces as `_`, and `%`, `_` and other whitespace %-escaped,
    so that `_unvalue` gives the value back."""
    text = str(value).replace("%", "%25").replace("_", "%5F")
    text = re.sub(r"\s", lambda m: "_" if m.group() == " " else f"%{ord(m.group()):02X}", text)
    return text


def _unvalue(word: str) -> str:
    return re.sub(r"%([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), word.replace("_", " "))


_SAFE_STEM = re.compile(r"[^\\/\x00-\x1f.][^\\/\x00-\x1f]{0,199}")


@dataclass
class _AnnWriter:
    """The lines of one .ann file, numbered as they are added. The ids a brat file gave its lines
    (kept on import, formats/foreign.py) are `reserved`: a line that had one gets it back, new lines
    get numbers that none of them uses, so that a folder imported and exported again keeps its ids."""

    text: str
    reserved: set[str] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    t_by_place: dict[tuple[str, str], str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def next_id(self, kind: str, wanted: object = None) -> str:
        if isinstance(wanted, str) and wanted in self.reserved and wanted not in self.taken and wanted[:1] == kind:
            self.taken.add(wanted)
            return wanted
        while True:
            self.counters[kind] = self.counters.get(kind, 0) + 1
            ident = f"{kind}{self.counters[kind]}"
            if ident not in self.reserved and ident not in self.taken:
                self.taken.add(ident)
                return ident

    def text_bound(self, label: str, fragments: list[tuple[int, int]], reuse: bool, wanted: object = None) -> str:
        places = ";".join(f"{s} {e}" for s, e in fragments)
        key = (_conf_name(label), places)
        if reuse and key in self.t_by_place:
            return self.t_by_place[key]
        t_id = self.next_id("T", wanted)
        self.t_by_place.setdefault(key, t_id)
        quote = " ".join(self.text[s:e] for s, e in fragments)
        self.lines.append(f"{t_id}\t{key[0]} {places}\t{quote}")
        return t_id

    def attributes_and_notes(self, target: str, annotation: Annotation, notes: list[NoteRecord]) -> None:
        for key, value in annotation.attributes.items():
            a_id = self.next_id("A")
            if value is True:  # brat's binary attribute: present or absent
                self.lines.append(f"{a_id}\t{_conf_name(key)} {target}")
            else:
                self.lines.append(f"{a_id}\t{_conf_name(key)} {target} {_value('no' if value is False else value)}")
        for note in notes:
            if note.reference is not None:
                self.lines.append(f"{self.next_id('N')}\t{note.type} {target} {note.reference}\t{note.text}")
            else:
                self.lines.append(f"{self.next_id('#')}\t{note.type} {target}\t{note.text}")


def write(store: Store, folder: Path, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None) -> ExportStats:
    stats = ExportStats()
    events: dict[str, dict[str, set[str]]] = {}
    stems: set[str] = set()
    for item in select_articles(store, selection, progress):
        stats.merged += item.merged
        article = item.article
        stem, doc_key = _file_stem(article.foreign, stems, article.id)
        kept = {a.id: foreign.entry(a.foreign, NAME) for a in item.annotations}
        kept.update({r.id: foreign.entry(r.foreign, NAME) for r in item.relations})
        kept = {i: e for i, e in kept.items() if doc_key is not None and e.get("doc") == doc_key}
        ann = _AnnWriter(article.text, {v for e in kept.values() for k, v in e.items() if k in ("id", "trigger") and isinstance(v, str)})
        ids: dict[str, str] = {}  # annotation id -> its T or E id
        labels: dict[str, str] = {}
        written_events: list[tuple[Annotation, str, list[NoteRecord]]] = []
        plain: dict[tuple[str, tuple], str] = {}  # (label, fragments) -> the T id of a plain span
        for annotation in item.annotations:
            fragments = _fragments(article.text, annotation.start, annotation.end)
            if not fragments:
                stats.misaligned += 1
                stats.note(f"{annotation.id}: {annotation.label} covers only line breaks; not written")
                continue
            event, notes = note_records(annotation.note)
            place = (annotation.label, tuple(fragments))
            if not event and place in plain:  # the same place as a span written already, once its line breaks are gone
                ids[annotation.id] = plain[place]
                stats.merged += 1
                stats.note(f"{annotation.id}: {annotation.label} {annotation.quote!r} is {plain[place]} without the line "
                           "breaks at its ends; written once")
                continue
            if (fragments[0][0], fragments[-1][1]) != (annotation.start, annotation.end):
                stats.snapped += 1
                stats.note(f"{annotation.id}: {annotation.label} {annotation.quote!r} written without the line breaks at its ends")
            stats.spans += 1
            labels[annotation.id] = annotation.label
            own = kept.get(annotation.id, {})
            if event:
                trigger = ann.text_bound(annotation.label, fragments, reuse=True, wanted=own.get("trigger"))
                ids[annotation.id] = ann.next_id("E", own.get("id"))
                written_events.append((annotation, trigger, notes))
            else:
                ids[annotation.id] = plain[place] = ann.text_bound(annotation.label, fragments, reuse=False, wanted=own.get("id"))
                ann.attributes_and_notes(ids[annotation.id], annotation, notes)
        arguments: dict[str, list[str]] = {}
        for relation in item.relations:
            if relation.head not in ids or relation.tail not in ids:
                stats.relations_dropped += 1
                continue
            stats.relations += 1
            head, tail = ids[relation.head], ids[relation.tail]
            if head.startswith("E"):  # an event's argument
                arguments.setdefault(relation.head, []).append(f"{_conf_name(relation.type)}:{tail}")
                spec = events.setdefault(labels[relation.head], {})
                spec.setdefault(relation.type, set()).add(labels[relation.tail])
            else:
                r_id = ann.next_id("R", kept.get(relation.id, {}).get("id"))
                ann.lines.append(f"{r_id}\t{_conf_name(relation.type)} Arg1:{head} Arg2:{tail}")
        for annotation, trigger, notes in written_events:
            events.setdefault(annotation.label, {})
            roles = "".join(f" {argument}" for argument in arguments.get(annotation.id, []))
            ann.lines.append(f"{ids[annotation.id]}\t{_conf_name(annotation.label)}:{trigger}{roles}")
            ann.attributes_and_notes(ids[annotation.id], annotation, notes)
        (folder / f"{stem}.txt").write_text(article.text, "utf-8", newline="\n")
        (folder / f"{stem}.ann").write_text("".join(line + "\n" for line in ann.lines), "utf-8", newline="\n")
        stats.articles += 1
    (folder / MARKER_FILE).write_text(annotation_conf(store, events), "utf-8")
    (folder / "visual.conf").write_text(visual_conf(store), "utf-8")
    return stats


def _file_stem(article_foreign: dict, used: set[str], article_id: str) -> tuple[str, str | None]:
    """The name of an article's .txt/.ann pair and the key of its brat document: the name of the brat
    file it came from when it came from exactly one, that name is safe as a file name and not taken in
    this export; otherwise its id (and no document, so no brat ids are reused)."""
    documents = foreign.documents(article_foreign, NAME)
    key = documents[0].get("key") if len(documents) == 1 else None
    if not isinstance(key, str) or not _SAFE_STEM.fullmatch(key) or key.lower() in used:
        name, n = article_id, 1
        while name.lower() in used:
            n += 1
            name = f"{article_id}-{n}"
        used.add(name.lower())
        return name, None
    used.add(key.lower())
    return key, key


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of [start, end) between line breaks (brat's text-bound spans are single lines)."""
    fragments = []
    position = start
    for piece in text[start:end].split("\n"):
        if piece:
            fragments.append((position, position + len(piece)))
        position += len(piece) + 1
    return fragments


# -- reading ------------------------------------------------------------------------------------------


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
        if not txt.is_file():
            raise FormatError(ann, None, f"no text file {txt.name} beside it (brat keeps each text in a .txt of the same name)")
        text, _ = read_text_file(txt)
        content, name = read_text_file(ann)
        parsed = _Parsed(content, name, txt.name, ours=_written_by_us(ann.parent))
        yield parsed.document(text, ann.stem, offset_units or "codepoint")


def _written_by_us(folder: Path) -> bool:
    """Whether the folder is one of our exports (its attribute values are escaped by `_value`)."""
    try:
        with (folder / MARKER_FILE).open("r", encoding="utf-8", errors="replace") as conf:
            return conf.readline().startswith(FOLDER_MARKER)
    except OSError:
        return False


_ID = r"(?:[TER]\d+)"
_T_PLACES = re.compile(r"^\d+ \d+(?:;\d+ \d+)*$")
_E_PART = re.compile(r"^([^\s:]+):([TE]\d+)$")
_R = re.compile(rf"^(R\d+)\t(\S+) ([^\s:]+):({_ID}) ([^\s:]+):({_ID})\s*$")
_A = re.compile(rf"^([AM]\d+)\t(\S+) ({_ID})(?: (\S+))?\s*$")
_NOTE = re.compile(r"^(#\d*)\t(\S+) (\S+)(?:\t(.*))?$")
_NORMALIZATION = re.compile(rf"^(N\d+)\t(\S+) ({_ID}) (\S+:\S+)(?:\t(.*))?$")
_EQUIV = re.compile(rf"^\*\t(\S+)((?: {_ID})+)\s*$")
_MAX_DIGITS = 15
_SHAPES = {
    "T": "'T<n><TAB><label> <start> <end>[;<start> <end>...]<TAB><text>'",
    "E": "'E<n><TAB><type>:T<n>[ <role>:T<n>|E<n> ...]'",
    "R": "'R<n><TAB><type> Arg1:T<n> Arg2:T<m>'",
    "A": "'A<n><TAB><name> T<n>|E<n>|R<n>[ <value>]'",
    "#": "'#<n><TAB><type> T<n>|E<n>|R<n><TAB><text>'",
    "N": "'N<n><TAB><type> T<n>|E<n> <resource>:<id><TAB><text>'",
    "*": "'*<TAB><type> T<n> T<m>...'",
}


def _shape(kind: str) -> str:
    article = "an" if kind in "AERMN" else "a"
    return f"{article} {kind} line must be {_SHAPES['A' if kind == 'M' else kind]}"


@dataclass
class _TextBound:
    label: str
    places: list[tuple[int, int]]
    quote: str
    line: int


@dataclass
class _Event:
    type: str
    trigger: str
    arguments: list[tuple[str, str]]
    line: int


@dataclass
class _Relation:
    type: str
    arguments: list[tuple[str, str]]
    line: int


class _Parsed:
    """The lines of one .ann file, checked one by one, then against each other and the text."""

    def __init__(self, content: str, name: str, txt_name: str, ours: bool = False) -> None:
        self.name = name
        self.ours = ours
        self.txt_name = txt_name
        self.texts: dict[str, _TextBound] = {}
        self.events: dict[str, _Event] = {}
        self.relations: dict[str, _Relation] = {}
        self.attributes: list[tuple[str, str, object, int]] = []  # target, name, value, line
        self.notes: list[tuple[str, NoteRecord]] = []  # target, note
        self.skipped: list[str] = []
        self.defined: dict[str, int] = {}
        lines = content.split("\n")
        for number, line in enumerate(lines, 1):
            line = line.rstrip("\r")
            if line.strip():
                self._line(line, number)
        if lines[-1].strip() and lines[-1][0] in "#N":  # brat ends every line with a break: was the file cut?
            self.skipped.append(f"{name}:{len(lines)}: the file ends inside this note, without a line break; if the "
                                f"file was cut, the note {lines[-1].split(chr(9))[-1]!r} is incomplete")

    def fail(self, line: int, message: str) -> FormatError:
        return FormatError(self.name, line, message)

    def _define(self, ident: str, line: int) -> None:
        if ident in self.defined:
            raise self.fail(line, f"{ident} is already the id of line {self.defined[ident]}; ids are unique in a file")
        self.defined[ident] = line

    def _line(self, line: str, number: int) -> None:
        kind = line[0]
        if kind == "T":
            self._text_bound(line, number)
        elif kind == "E":
            self._event(line, number)
        elif kind == "R":
            match = _R.match(line)
            if not match:
                raise self.fail(number, _shape("R"))
            r_id, rtype, role1, arg1, role2, arg2 = match.groups()
            self._define(r_id, number)
            pair = [(role1, arg1), (role2, arg2)]
            if (role1, role2) == ("Arg2", "Arg1"):
                pair.reverse()
            self.relations[r_id] = _Relation(rtype, pair, number)
        elif kind in "AM":
            match = _A.match(line)
            if not match:
                raise self.fail(number, _shape(kind))
            a_id, attribute, target, value = match.groups()
            self._define(a_id, number)
            if value is not None and self.ours:
                value = _unvalue(value)
            self.attributes.append((target, attribute, True if value is None else value, number))
        elif kind == "#":
            match = _NOTE.match(line)
            if not match:
                raise self.fail(number, _shape("#"))
            _, note_type, target, text = match.groups()
            self.notes.append((target, NoteRecord(note_type, text or "", number)))
        elif kind == "N":
            match = _NORMALIZATION.match(line)
            if not match:
                raise self.fail(number, _shape("N"))
            n_id, note_type, target, reference, text = match.groups()
            self._define(n_id, number)
            self.notes.append((target, NoteRecord(note_type, text or "", number, reference=reference)))
        elif kind == "*":
            if not _EQUIV.match(line):
                raise self.fail(number, _shape("*"))
            self.skipped.append(f"{self.name}:{number}: equivalence ({line.split(chr(9))[1].split()[0]}) not imported: "
                                "the project has no relations between more than two spans")
        else:
            raise self.fail(number, f"unknown annotation line starting {line[:12]!r}; expected T, E, R, A, M, #, N or * lines")

    def _text_bound(self, line: str, number: int) -> None:
        parts = line.split("\t", 2)
        head = parts[1].split(" ", 1) if len(parts) == 3 else []
        if len(head) != 2 or not re.fullmatch(r"T\d+", parts[0]) or not head[0] or not _T_PLACES.match(head[1]):
            raise self.fail(number, _shape("T"))
        t_id, (label, places), quote = parts[0], head, parts[2]
        self._define(t_id, number)
        fragments = []
        for piece in places.split(";"):
            start, end = piece.split(" ")
            if len(start) > _MAX_DIGITS or len(end) > _MAX_DIGITS:
                raise self.fail(number, f"offset {piece} of {t_id} is beyond any text")
            if int(start) > int(end):
                raise self.fail(number, f"fragment {piece} of {t_id} ends before it starts")
            fragments.append((int(start), int(end)))
        self.texts[t_id] = _TextBound(label, fragments, quote, number)

    def _event(self, line: str, number: int) -> None:
        parts = line.split("\t")
        if len(parts) < 2 or parts[2:] not in ([], [""]) or not re.fullmatch(r"E\d+", parts[0]):
            raise self.fail(number, _shape("E"))
        items = [_E_PART.match(item) for item in parts[1].split()]
        if not items or None in items or not items[0].group(2).startswith("T"):
            raise self.fail(number, _shape("E"))
        self._define(parts[0], number)
        event_type, trigger = items[0].groups()
        self.events[parts[0]] = _Event(event_type, trigger, [m.groups() for m in items[1:]], number)

    # -- the document ---------------------------------------------------------------------------

    def _check_reference(self, ident: str, line: int, allowed: str = "TER") -> None:
        if ident not in self.texts and ident not in self.events and ident not in self.relations:
            what = " or ".join({"T": "a T", "E": "an E", "R": "an R"}[k] for k in allowed)
            raise self.fail(line, f"{ident} is not the id of {what} line of this file")

    def document(self, text: str, stem: str, units: str) -> DocumentRecord:
        placed = _Placer(text, units, self)
        identities = _Identities(self)
        triggers: set[str] = set()
        referenced: set[str] = set()
        for e_id, event in self.events.items():
            if event.trigger not in self.texts:
                raise self.fail(event.line, f"the trigger {event.trigger} of {e_id} is not the id of a T line of this file")
            triggers.add(event.trigger)
            for _, argument in event.arguments:
                self._check_reference(argument, event.line, "TE")
                referenced.add(argument)
        for relation in self.relations.values():
            for _, argument in relation.arguments:
                self._check_reference(argument, relation.line, "TE")
                referenced.add(argument)
        for target, _, _, line in self.attributes:
            self._check_reference(target, line)
            referenced.add(target)
        for target, note in self.notes:
            if target in self.defined and target[0] not in "TER":
                self.skipped.append(f"{self.name}:{note.line}: note on {target} not imported: the project keeps notes on "
                                    "spans and events only")
                continue
            self._check_reference(target, note.line)
            referenced.add(target)
        spans: dict[str, SpanRecord] = {}
        for t_id, bound in self.texts.items():
            fragments, converted = placed.fragments(t_id, bound)
            if t_id in triggers and t_id not in referenced:
                continue  # only the trigger of events: each event is a span of its own
            spans[t_id] = _record(t_id, bound.label, fragments, text, bound.line, converted, identities.of(t_id))
        for e_id, event in self.events.items():
            trigger = self.texts[event.trigger]
            if trigger.label != event.type:
                self.skipped.append(f"{self.name}:{event.line}: {e_id} is a {event.type} whose trigger {event.trigger} is "
                                    f"labelled {trigger.label}; imported as a {event.type}")
            fragments, converted = placed.fragments(event.trigger, trigger)
            spans[e_id] = _record(e_id, event.type, fragments, text, event.line, converted, identities.of(e_id), kind="event")
            spans[e_id].foreign["trigger"] = event.trigger
        relations: dict[str, RelationRecord] = {}
        for e_id, event in self.events.items():
            for i, (role, argument) in enumerate(event.arguments, 1):
                relations[f"{e_id}:{i}"] = RelationRecord(
                    head=e_id, tail=argument, type=role, line=event.line, kind="role",
                    foreign_id=e_id,
                )
        for r_id, relation in self.relations.items():
            (_, head), (_, tail) = relation.arguments
            relations[r_id] = RelationRecord(head=head, tail=tail, type=relation.type, line=relation.line, foreign_id=r_id,
                                             foreign={"id": r_id})
        for target, attribute, value, line in self.attributes:
            holder = spans.get(target) or relations[target]  # a T with an attribute is a span of its own
            if attribute in holder.attributes:
                raise self.fail(line, f"{target} already has attribute {attribute}; brat sets an attribute once")
            holder.attributes[attribute] = value
        for target, note in self.notes:
            if target in spans or target in relations:
                (spans.get(target) or relations[target]).typed_notes.append(note)
        for span in spans.values():
            span.note = note_text(span.typed_notes, event=span.kind == "event")
        return DocumentRecord(text=text, spans=list(spans.values()), relations=list(relations.values()),
                              article_id=stem, foreign_id=stem, name=self.name, notes=self.skipped, foreign={"key": stem})


def _record(ident: str, label: str, fragments: list[tuple[int, int]], text: str, line: int, converted: str,
            identity: str, kind: str = "entity") -> SpanRecord:
    start, end = fragments[0][0], fragments[-1][1]
    return SpanRecord(start, end, label, quote=text[start:end], id=identity, key=ident, line=line, converted=converted,
                      fragments=list(fragments) if len(fragments) > 1 else None, kind=kind, foreign_id=ident,
                      foreign={"id": ident})


class _Identities:
    """A stable name for each T and E line from what it says, not its number: brat numbers are per file
    and change when a tool writes the file again (another tool may renumber), so `T3` would name another span in
    the next version of the file. Identical lines are told apart by their order."""

    def __init__(self, parsed: _Parsed) -> None:
        self.parsed = parsed
        self.names: dict[str, str] = {}
        self.seen: dict[str, int] = {}
        self.visiting: set[str] = set()

    def of(self, ident: str) -> str:
        if ident not in self.names:
            self.names[ident] = self._numbered(self._content(ident))
        return self.names[ident]

    def _content(self, ident: str) -> str:
        parsed = self.parsed
        if ident in parsed.texts:
            bound = parsed.texts[ident]
            return f"T {bound.label} {';'.join(f'{s} {e}' for s, e in bound.places)}"
        event = parsed.events[ident]
        if ident in self.visiting:  # events that are each other's arguments: their numbers must do
            return ident
        self.visiting.add(ident)
        arguments = sorted(f"{role}={self._content(argument)}" for role, argument in event.arguments)
        self.visiting.discard(ident)
        trigger = parsed.texts[event.trigger]
        digest = hashlib.sha1(" ".join(arguments).encode("utf-8")).hexdigest()[:16]
        return f"E {event.type} {';'.join(f'{s} {e}' for s, e in trigger.places)} {digest}"

    def _numbered(self, content: str) -> str:
        n = self.seen.get(content, 0)
        self.seen[content] = n + 1
        return content if n == 0 else f"{content} #{n + 1}"


class _Placer:
    """Code point fragments of T lines, checked against the text (in `units`, or the other unit)."""

    def __init__(self, text: str, units: str, parsed: _Parsed) -> None:
        self.text = text
        self.units = units
        self.parsed = parsed
        self.index: textspan.Utf16Index | None = None
        self.done: dict[str, tuple[list[tuple[int, int]], str]] = {}

    def fragments(self, t_id: str, bound: _TextBound) -> tuple[list[tuple[int, int]], str]:
        if t_id not in self.done:
            self.done[t_id] = self._place(t_id, bound)
        return self.done[t_id]

    def _place(self, t_id: str, bound: _TextBound) -> tuple[list[tuple[int, int]], str]:
        other = "codepoint" if self.units == "utf16" else "utf16"
        first: list[tuple[int, int]] | None = None
        for units in (self.units, other):
            if units == "utf16" and self.index is None:
                self.index = textspan.Utf16Index(self.text)
            pieces = [convert_offsets(self.text, s, e, units, self.index) for s, e in bound.places]
            if None in pieces:
                continue
            placed = [p for p in pieces if p is not None]
            first = first or placed
            if _same_text(" ".join(self.text[s:e] for s, e in placed), bound.quote):
                return placed, "" if units == self.units else units
        places = ";".join(f"{s} {e}" for s, e in bound.places)
        if first is None:
            raise self.parsed.fail(bound.line, f"{t_id}: offsets {places} are beyond the end of {self.parsed.txt_name} "
                                   f"({len(self.text)} characters)")
        found = " ".join(self.text[s:e] for s, e in first)
        raise self.parsed.fail(
            bound.line, f"{t_id}: {self.parsed.txt_name} has {_shown(found)} at {places}, but the line says "
            f"{_shown(bound.quote)}; a T line's text must be the text at its offsets (is the line cut, or the .ann "
            "made for another text?)"
        )


def _same_text(found: str, quote: str) -> bool:
    return found == quote or re.sub(r"\r\n|[\r\n]", " ", found) == quote


def _shown(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
