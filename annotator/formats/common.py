"""What every format needs: the selection of articles and spans to write, the export counts, the
records a reader returns, the tokenizer of the token formats and the rules for spans that a format
cannot hold.

Writers
    ``select_articles`` (the store's one export query path, with its typed ``ExportFilter``) yields one
    article at a time with its chosen spans and relations (memory stays flat); ``ExportStats`` counts what was written and, just as carefully, what was not: spans widened
    to token boundaries (``snapped``), spans that cover no token (``misaligned``), spans left out
    because the format cannot hold overlapping spans (``overlapping``) and relations whose ends were
    left out (``relations_dropped``). Nothing is dropped or shifted without being counted here.

Readers
    ``read`` functions yield ``DocumentRecord``s: the text (when the format carries it), the spans
    (offsets already converted to code points of that text) and relations between them, with the
    line each came from. Malformed input raises ``FormatError`` naming the file and the line.

Tokens
    Token formats (Prodigy, spaCy, CoNLL, Hugging Face) share one deterministic tokenizer: the regex
    ``\\w+|[^\\w\\s]`` with two refinements, so that a token never splits what a reader sees as one
    character: a CJK ideograph or hiragana is a token by itself (as in ``textspan.snap_to_words``), and
    two adjacent matches are joined when the boundary between them falls inside a grapheme cluster
    (a combining mark, an emoji ZWJ sequence, a flag) or inside a word that a combining mark split.
    Token offsets are code points. A span that does not start and end on token boundaries is widened
    to the tokens it touches (counted as ``snapped``); a span that touches no token (only whitespace)
    cannot be written (counted as ``misaligned``).

Overlaps
    Formats with one tag per token (CoNLL, Hugging Face, spaCy ``doc.ents``) keep the longer of two
    overlapping spans (in tokens), then the earlier one, then the one created first; the others are
    counted as ``overlapping``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence

from .. import textspan
from ..errors import ImportFailed
from ..model import Annotation, Article, Relation
from ..store import ExportItem, ProgressCallback, Store, select_articles  # the one export query path

# -- export ---------------------------------------------------------------------------------------

MAX_EXAMPLES = 20
# The first line of a file that marks a folder as written by an export (see `atomic_folder`).
FOLDER_MARKER = "# written by News Annotator"


@dataclass
class ExportStats:
    articles: int = 0
    spans: int = 0
    relations: int = 0
    snapped: int = 0
    misaligned: int = 0
    overlapping: int = 0
    relations_dropped: int = 0
    overlap_kept_in: str = ""  # where spans left out for overlapping are still written, if anywhere
    holds_relations: bool = True  # False for formats without relations: every relation is dropped
    files: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        """Keep a few concrete examples of what was changed or left out, for the summary."""
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(message)

    def problems(self) -> list[str]:
        """One line per kind of change or loss, empty when everything was written as it is."""
        lines = []
        if self.snapped:
            lines.append(f"{_n(self.snapped, 'span')} widened to token boundaries")
        if self.misaligned:
            lines.append(f"{_n(self.misaligned, 'span')} not written: no token inside (only whitespace)")
        if self.overlapping and self.overlap_kept_in:
            lines.append(
                f"{_n(self.overlapping, 'span')} left out of doc.ents for overlapping a longer (or earlier) "
                f"span; all spans are in {self.overlap_kept_in}"
            )
        elif self.overlapping:
            lines.append(
                f"{_n(self.overlapping, 'span')} not written: overlapped a longer (or earlier) span, "
                "and this format cannot hold overlapping spans"
            )
        if self.relations_dropped and not self.holds_relations:
            lines.append(f"{_n(self.relations_dropped, 'relation')} not written: this format has no relations")
        elif self.relations_dropped:
            lines.append(
                f"{_n(self.relations_dropped, 'relation')} not written: an end was not written, "
                "or its ends belong to two annotators' tasks"
            )
        return lines


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def label_names(store: Store) -> list[str]:
    return list(store.schema.names)


# -- tokens ---------------------------------------------------------------------------------------

_IDEOGRAPHS = "\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_TOKEN = re.compile(f"[{_IDEOGRAPHS}]|[^\\W{_IDEOGRAPHS}]+|[^\\w\\s]")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) code point offsets of the tokens of `text`; see the module docstring."""
    tokens: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if tokens and tokens[-1][1] == start:
            previous = tokens[-1]
            if not textspan.is_grapheme_boundary(text, start) or (
                _is_word(text[start])
                and not textspan._is_ideograph(text[start])
                and any(_is_word(c) and not textspan._is_ideograph(c) for c in text[previous[0] : start])
            ):
                tokens[-1] = (previous[0], end)
                continue
        tokens.append((start, end))
    return tokens


class TokenIndex:
    """The tokens of one text with lookups from code point offsets to token indices."""

    def __init__(self, text: str, tokens: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.tokens = tokenize(text) if tokens is None else tokens
        self.starts = [s for s, _ in self.tokens]
        self.ends = [e for _, e in self.tokens]

    def __len__(self) -> int:
        return len(self.tokens)

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) token indices (inclusive) that the span [start, end) touches, or None."""
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end) - 1  # last token starting before end
        if first > last:
            return None
        return first, last

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        return self.tokens[first][0], self.tokens[last][1]

    def token_of_start(self, start: int) -> int | None:
        i = bisect_left(self.starts, start)
        return i if i < len(self.starts) and self.starts[i] == start else None

    def token_of_end(self, end: int) -> int | None:
        i = bisect_left(self.ends, end)
        return i if i < len(self.ends) and self.ends[i] == end else None

    def whitespace_after(self, i: int) -> str:
        end = self.tokens[i][1]
        following = self.tokens[i + 1][0] if i + 1 < len(self.tokens) else len(self.text)
        return self.text[end:following]


@dataclass
class TokenSpan:
    """A span placed on tokens: `first` and `last` inclusive, `start`/`end` the snapped offsets."""

    annotation: Annotation
    first: int
    last: int
    start: int
    end: int


def place_on_tokens(
    index: TokenIndex, annotations: Sequence[Annotation], stats: ExportStats
) -> list[TokenSpan]:
    """Put spans on token boundaries: widened when they cut a token, left out when they cover none."""
    placed = []
    for annotation in annotations:
        covered = index.covering(annotation.start, annotation.end)
        if covered is None:
            stats.misaligned += 1
            stats.note(f"{annotation.id}: {annotation.label} {annotation.quote!r} covers no token; not written")
            continue
        start, end = index.char_span(*covered)
        if (start, end) != (annotation.start, annotation.end):
            stats.snapped += 1
            stats.note(
                f"{annotation.id}: {annotation.label} {annotation.quote!r} widened to {index.text[start:end]!r}"
            )
        placed.append(TokenSpan(annotation, covered[0], covered[1], start, end))
    return placed


def drop_overlaps(spans: Sequence[TokenSpan], stats: ExportStats) -> list[TokenSpan]:
    """Keep non-overlapping spans: the longer first, then the earlier, then the one created first.

    Returns the kept spans in text order; every span left out is counted in `stats.overlapping`.
    """
    order = sorted(
        range(len(spans)),
        key=lambda i: (-(spans[i].last - spans[i].first), spans[i].first, spans[i].annotation.created, i),
    )
    taken: set[int] = set()
    kept: list[TokenSpan] = []
    for i in order:
        span = spans[i]
        tokens = range(span.first, span.last + 1)
        if any(t in taken for t in tokens):
            stats.overlapping += 1
            stats.note(
                f"{span.annotation.id}: {span.annotation.label} {span.annotation.quote!r} overlaps a kept span; "
                "not written"
            )
            continue
        taken.update(tokens)
        kept.append(span)
    kept.sort(key=lambda s: s.first)
    return kept


def bio_tags(length: int, spans: Iterable[TokenSpan]) -> list[str]:
    """IOB2 tags for `length` tokens from non-overlapping token spans."""
    tags = ["O"] * length
    for span in spans:
        label = span.annotation.label
        tags[span.first] = f"B-{label}"
        for i in range(span.first + 1, span.last + 1):
            tags[i] = f"I-{label}"
    return tags


def bio_names(labels: Sequence[str]) -> list[str]:
    """The tag names of a schema for IOB2: O, then B- and I- of each label in schema order."""
    names = ["O"]
    for label in labels:
        names += [f"B-{label}", f"I-{label}"]
    return names


_CLOSERS = frozenset("\"'”’)]»")


def sentence_breaks(index: TokenIndex, spans: Iterable[TokenSpan] = ()) -> list[int]:
    """Token indices where a new sentence starts (0 excluded).

    A sentence ends at a block boundary (a line break between two tokens) and after ``.``, ``!`` or
    ``?`` (optionally followed by a closing quote or bracket) when whitespace and a capital follow.
    A sentence never ends inside one of `spans`, so an entity is never cut in two.
    """
    inside: set[int] = set()
    for span in spans:
        inside.update(range(span.first + 1, span.last + 1))
    text, tokens = index.text, index.tokens
    breaks = []
    for i in range(1, len(tokens)):
        if i in inside:
            continue
        gap = text[tokens[i - 1][1] : tokens[i][0]]
        if "\n" in gap:
            breaks.append(i)
            continue
        if not gap or not gap.isspace() or not text[tokens[i][0]].isupper():
            continue
        previous = text[tokens[i - 1][0] : tokens[i - 1][1]]
        if previous in (".", "!", "?") or (
            previous in _CLOSERS and i >= 2 and text[tokens[i - 2][0] : tokens[i - 2][1]] in (".", "!", "?")
        ):
            breaks.append(i)
    return breaks


def sentences(index: TokenIndex, spans: Iterable[TokenSpan] = ()) -> list[tuple[int, int]]:
    """(first, end) token index ranges of the sentences (end exclusive)."""
    if not len(index):
        return []
    cuts = [0, *sentence_breaks(index, spans), len(index)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]


# -- reading --------------------------------------------------------------------------------------


class FormatError(ImportFailed):
    """A file that is not what its format says: the message names the file, the line and the problem."""

    def __init__(self, path: object, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.detail = message


@dataclass
class SpanRecord:
    """A span as a file states it. Offsets are code points of the document's text (or token indices
    when the document's `units` is "token"). `key` is the file's own name for the span, used by
    relations in the same document (a brat T id, a Label Studio region id, a doccano entity id)."""

    start: int
    end: int
    label: str
    quote: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    id: str | None = None
    key: object = None
    annotator: str | None = None
    attributes: dict = field(default_factory=dict)
    note: str = ""
    created: str = ""
    updated: str = ""
    origin: str = ""
    deleted: bool = False
    line: int = 0
    converted: str = ""  # how the offsets were read when not as the format's documented unit


@dataclass
class RelationRecord:
    head: object
    tail: object
    type: str
    id: str | None = None
    annotator: str | None = None
    created: str = ""
    updated: str = ""
    deleted: bool = False
    line: int = 0


@dataclass
class DocumentRecord:
    """One article as a file states it, with its spans and relations."""

    text: str | None
    spans: list[SpanRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    article_id: str | None = None
    url: str = ""
    metadata: dict = field(default_factory=dict)
    blocks: list[tuple[str, int, int]] | None = None
    tokens: list[str] | None = None
    units: str = "codepoint"
    annotator: str | None = None
    line: int = 0
    name: str = ""
    notes: list[str] = field(default_factory=list)
    skip: bool = False  # nothing to import (a rejected task): only its notes are reported


def open_text(source: str | Path | IO[str]) -> tuple[IO[str], str, bool]:
    """(stream, name for messages, whether we opened it) for a path or an open text stream."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            return path.open("r", encoding="utf-8-sig", newline=""), str(path), True
        except OSError as exc:
            raise ImportFailed(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return source, getattr(source, "name", "<stream>"), False


def read_text_file(source: str | Path | IO[str]) -> tuple[str, str]:
    """(content, name) of a UTF-8 text file or stream; a decoding error names the line."""
    stream, name, owned = open_text(source)
    try:
        try:
            return stream.read(), name
        except UnicodeDecodeError as exc:
            line = _line_of_byte(Path(name), exc.start) if owned else None
            raise FormatError(name, line, f"not UTF-8 text ({exc.reason})") from None
    finally:
        if owned:
            stream.close()


def _line_of_byte(path: Path, offset: int) -> int | None:
    try:
        return path.read_bytes()[:offset].count(b"\n") + 1
    except OSError:
        return None


def numbered_lines(stream: IO[str], name: str) -> Iterator[tuple[int, str]]:
    """(line number from 1, line with its break) for each line; a byte that is not UTF-8 names its line."""
    number = 0
    while True:
        try:
            line = stream.readline()
        except UnicodeDecodeError as exc:
            raise FormatError(name, number + 1, f"not UTF-8 text ({exc.reason})") from None
        if not line:
            return
        number += 1
        yield number, line


def json_lines(source: str | Path | IO[str]) -> Iterator[tuple[int, object, str]]:
    """(line number, value, file name) for every non-blank line of a JSON Lines file."""
    stream, name, owned = open_text(source)
    try:
        for number, line in numbered_lines(stream, name):
            if not line.strip():
                continue
            try:
                # without its line break: a line cut off after a comma would otherwise be reported at
                # "column 1" of the (empty) next line, where the decoder ran out of text
                value = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                raise FormatError(name, number + exc.lineno - 1, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
            yield number, value, name
    finally:
        if owned:
            stream.close()


def count_json_lines(source: str | Path, *, header_key: str | None = None) -> int:
    """The records of a JSON Lines file (its non-blank lines), without reading them: the total for
    an importer's progress. With `header_key`, a first record that has this key is not counted."""
    count = 0
    first = True
    try:
        with Path(source).open("rb") as handle:
            for raw in handle:
                if raw.strip():
                    if first and header_key is not None and f'"{header_key}"'.encode() in raw:
                        count -= 1
                    first = False
                    count += 1
    except OSError:
        return 0
    return count


def json_values(source: str | Path | IO[str]) -> Iterator[tuple[int, object, str]]:
    """(line, value, name) of each element of a top-level JSON array, or of each line of JSON Lines,
    or of a single top-level object; the line is where the element starts."""
    content, name = read_text_file(source)
    stripped = content.lstrip()
    if not stripped:
        raise FormatError(name, 1, "the file is empty")
    if stripped[0] == "[":
        yield from _array_elements(content, name)
        return
    decoder = json.JSONDecoder()
    position = len(content) - len(stripped)
    try:
        value, end = decoder.raw_decode(content, position)
    except json.JSONDecodeError as exc:
        raise FormatError(name, exc.lineno, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not content[end:].strip():
        yield content.count("\n", 0, position) + 1, value, name
        return
    yield from json_lines(_StringSource(content, name))


class _StringSource:
    """A text stream over a string that keeps a file name for messages."""

    def __init__(self, content: str, name: str) -> None:
        import io

        self._stream = io.StringIO(content)
        self.name = name

    def readline(self) -> str:
        return self._stream.readline()

    def read(self) -> str:
        return self._stream.read()

    def close(self) -> None:
        pass


def _array_elements(content: str, name: str) -> Iterator[tuple[int, object, str]]:
    decoder = json.JSONDecoder()
    length = len(content)
    i = content.index("[") + 1
    line = content.count("\n", 0, i) + 1
    counted = i
    expect_value = True
    first = True
    while True:
        while i < length and content[i] in " \t\r\n":
            i += 1
        if i >= length:
            raise FormatError(name, content.count("\n") + 1, "the JSON array is not closed (missing ])")
        if content[i] == "]" and (first or not expect_value):
            tail = content[i + 1 :].strip()
            if tail:
                at = content.count("\n", 0, i + 1 + content[i + 1 :].index(tail[0])) + 1
                raise FormatError(name, at, "unexpected text after the JSON array")
            return
        if not expect_value:
            if content[i] != ",":
                at = content.count("\n", 0, i) + 1
                raise FormatError(name, at, f"expected , or ] between array elements, found {content[i]!r}")
            i += 1
            expect_value = True
            continue
        line += content.count("\n", counted, i)
        counted = i
        try:
            value, i = decoder.raw_decode(content, i)
        except json.JSONDecodeError as exc:
            raise FormatError(name, exc.lineno, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        yield line, value, name
        expect_value = False
        first = False


def require(record: object, key: str, kind: type | tuple[type, ...], name: str, line: int, what: str = "") -> object:
    """`record[key]`, checked to be of `kind`; otherwise a FormatError naming file and line."""
    if not isinstance(record, dict):
        raise FormatError(name, line, f"expected a JSON object{what}, found {type(record).__name__}")
    if key not in record:
        raise FormatError(name, line, f"missing {key!r}{what}")
    value = record[key]
    if isinstance(value, bool) and kind in (int, (int,)):
        raise FormatError(name, line, f"{key!r}{what} must be a whole number, found {value!r}")
    if not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise FormatError(name, line, f"{key!r}{what} must be {_article(expected)}, found {_describe(value)}")
    return value


def _article(noun: str) -> str:
    names = {"str": "a string", "int": "a whole number", "list": "a list", "dict": "an object"}
    return names.get(noun, noun)


def _describe(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def resolve_offsets(
    text: str, start: int, end: int, quote: str | None, units: str = "codepoint"
) -> tuple[int, int, str]:
    """Code point offsets for a span stated in `units` ("codepoint" or "utf16") of `text`.

    When the file also states the span's text and it does not match, the other unit is tried
    (older Label Studio exports and brat's web client count UTF-16 code units, for example); the
    third value says which reading was used: "" for the documented one, "utf16"/"codepoint" for the
    fallback. Offsets out of range are returned unchanged for the caller to report.
    """
    primary = _convert(text, start, end, units)
    if quote is None:
        return (*(primary or (start, end)), "")
    if primary is not None and text[primary[0] : primary[1]] == quote:
        return (*primary, "")
    other = "codepoint" if units == "utf16" else "utf16"
    fallback = _convert(text, start, end, other)
    if fallback is not None and text[fallback[0] : fallback[1]] == quote:
        return (*fallback, other)
    return (*(primary or (start, end)), "")


def _convert(text: str, start: int, end: int, units: str) -> tuple[int, int] | None:
    if units == "codepoint":
        return (start, end) if 0 <= start <= end <= len(text) else None
    index = textspan.Utf16Index(text)
    try:
        s, e = index.to_codepoint(start), index.to_codepoint(end)
    except ValueError:
        return None
    if index.to_utf16(s) != start or index.to_utf16(e) != end:
        return None  # an offset inside a surrogate pair: not a real UTF-16 position
    return s, e


def to_units(index: textspan.Utf16Index | None, offset: int) -> int:
    """A code point offset in the units of a writer: code points when `index` is None, else UTF-16."""
    return offset if index is None else index.to_utf16(offset)
