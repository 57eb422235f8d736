"""What every reader needs: the records a `read` function yields, the error it raises, and the
readers of the file shapes the formats share (numbered text lines, JSON Lines, JSON documents).

Records
    ``read`` functions yield ``DocumentRecord``s: the text (when the format carries it), the spans
    (offsets already converted to code points of that text) and relations between them, with the
    line each came from. They carry everything the file states, also what the project cannot store
    yet (a discontinuous span's fragments, a note's type, an event's roles, a tool's own ids, the
    attributes and notes of a relation): the importer keeps what it can and reports the rest.

Errors
    Malformed input raises ``FormatError`` naming the file, the line and what was expected — never
    another exception. The JSON readers turn every failure of the decoder into one: a syntax error
    (with its column), an integer over Python's 4,300-digit limit, nesting deeper than the decoder's
    recursion limit, a lone surrogate escape (``"\\ud800"``, half of a UTF-16 pair: not a character
    of any text, and not storable as UTF-8) with the JSON path of the string that holds it.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from .. import textspan
from ..errors import ImportFailed

# -- records ----------------------------------------------------------------------------------------


class FormatError(ImportFailed):
    """A file that is not what its format says: the message names the file, the line and the problem."""

    def __init__(self, path: object, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.detail = message


@dataclass
class NoteRecord:
    """A note as a file states it: its type (brat's AnnotatorNotes, or another) and text; with a
    `reference` (a resource and an id, like brat's `Wikipedia:534366`) it is a normalization."""

    type: str
    text: str
    line: int = 0
    reference: str | None = None


@dataclass
class SpanRecord:
    """A span as a file states it. Offsets are code points of the document's text (for a token format,
    of the text rebuilt from its tokens). `key` is the file's own name for the span, used by
    relations in the same document (a brat T id, a Label Studio region id, a doccano entity id).

    `fragments` are the pieces of a discontinuous span (code points, in order; `start`/`end` are the
    first's start and the last's end); `kind` is "event" for an event (brat's E lines: the span is
    its trigger, its arguments are relations of kind "role"); `typed_notes` are the notes with their
    types, of which `note` is what the project keeps today; `foreign_id` is the tool's own id."""

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
    fragments: list[tuple[int, int]] | None = None
    kind: str = "entity"
    typed_notes: list[NoteRecord] = field(default_factory=list)
    foreign_id: str | None = None
    foreign: dict = field(default_factory=dict)  # what the format's writer needs to write it back (foreign.py)


@dataclass
class RelationRecord:
    """A relation as a file states it; `kind` "role" is an event's argument (brat's `Theme:T3` on an
    E line: head the event, tail the argument, type the role). Relations in the project hold no
    attributes or notes yet: the importer reports those it cannot keep."""

    head: object
    tail: object
    type: str
    id: str | None = None
    annotator: str | None = None
    created: str = ""
    updated: str = ""
    deleted: bool = False
    line: int = 0
    kind: str = "relation"
    attributes: dict = field(default_factory=dict)
    typed_notes: list[NoteRecord] = field(default_factory=list)
    foreign_id: str | None = None
    foreign: dict = field(default_factory=dict)  # what the format's writer needs to write it back (foreign.py)


@dataclass
class AssignmentRecord:
    """An analyst given the document (the native format carries who is to annotate what)."""

    analyst: str
    assigned_by: str = ""
    created: str = ""
    updated: str = ""
    done_at: str = ""
    deleted: bool = False
    line: int = 0


@dataclass
class DocumentRecord:
    """One article as a file states it, with its spans and relations.

    `metadata` holds what maps to our article fields (title, url, ...); `foreign_id` and
    `foreign_metadata` are the tool's own id of the document and its other metadata, as stated;
    `foreign` is what the project keeps of the document for the format's writer (with a `key` that
    its spans' and relations' entries name, formats/foreign.py). `text_from_tokens` says the text was rebuilt from a token format's tokens (CoNLL has no text):
    the importer then looks for the article whose text has the same characters between the
    whitespace, and adds the rebuilt text as a new article only when there is none."""

    text: str | None
    spans: list[SpanRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    article_id: str | None = None
    url: str = ""
    metadata: dict = field(default_factory=dict)
    blocks: list[tuple[str, int, int]] | None = None
    tokens: list[str] | None = None
    annotator: str | None = None
    line: int = 0
    name: str = ""
    notes: list[str] = field(default_factory=list)
    skip: bool = False  # nothing to import (a rejected task): only its notes are reported
    text_from_tokens: bool = False
    foreign_id: str | None = None
    foreign_metadata: dict = field(default_factory=dict)  # the tool's own (doccano's meta, Prodigy's meta, ...)
    foreign: dict = field(default_factory=dict)
    assignments: list[AssignmentRecord] = field(default_factory=list)


# -- text files -----------------------------------------------------------------------------------


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
            raise FormatError(name, _bad_byte_line(name) if owned else None, f"not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise ImportFailed(f"{name}: cannot be read ({exc.strerror or exc})") from None
    finally:
        if owned:
            stream.close()


def _bad_byte_line(name: str) -> int | None:
    """The line of the first byte of file `name` that is not UTF-8 (a stream's error counts from
    where its last read began, not from the start of the file)."""
    try:
        data = Path(name).read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    except OSError:
        return None
    return None


def numbered_lines(stream: IO[str], name: str) -> Iterator[tuple[int, str]]:
    """(line number from 1, line with its break) for each line; a byte that is not UTF-8 names its line."""
    number = 0
    while True:
        try:
            line = stream.readline()
        except UnicodeDecodeError as exc:
            raise FormatError(name, _bad_byte_line(name) or number + 1, f"not UTF-8 text ({exc.reason})") from None
        if not line:
            return
        number += 1
        yield number, line


# -- JSON -----------------------------------------------------------------------------------------

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LONG_NUMBER = re.compile(r"\d{4301,}")


def parse_json(text: str, name: str, line: int) -> object:
    """One JSON value from `text` (the whole of line `line`, or a document starting there)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _syntax(exc, name, line + exc.lineno - 1) from None
    except (ValueError, RecursionError) as exc:
        raise _decoder_limit(exc, text, name, line) from None
    if _SURROGATE_ESCAPE.search(text):
        check_strings(value, name, line)
    return value


def _syntax(exc: json.JSONDecodeError, name: str, line: int) -> FormatError:
    message = exc.msg.removesuffix(" at")  # "Unterminated string starting at" [column ...]
    return FormatError(name, line, f"not valid JSON ({message} at column {exc.colno})")


def _decoder_limit(exc: Exception, text: str, name: str, line: int, offset: int = 0) -> FormatError:
    """The FormatError for what the decoder refuses beyond syntax: huge integers, deep nesting."""
    if isinstance(exc, RecursionError):
        return FormatError(name, line, "the JSON is nested too deeply to read (arrays or objects inside each other "
                           "more than a few hundred levels)")
    match = _LONG_NUMBER.search(text, offset)
    if match is None:
        return FormatError(name, line, f"not valid JSON ({exc})")
    start = match.start()
    at_line = line + text.count("\n", offset, start)
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return FormatError(name, at_line, f"a number with {len(match.group())} digits at column {column}; "
                       "numbers of more than 4,300 digits are not read")


def check_strings(value: object, name: str, line: int, path: str = "") -> None:
    """Refuse a lone surrogate in any string (or key) of a decoded JSON value, naming its JSON path."""
    if isinstance(value, str):
        match = _SURROGATE.search(value)
        if match:
            raise FormatError(
                name, line, f"{path or 'the value'} holds a lone surrogate \\u{ord(match.group()):04x} at character "
                f"{match.start()} (half of a UTF-16 pair, not a character); the file is not valid Unicode text"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            if _SURROGATE.search(key):
                raise FormatError(name, line, f"a key of {path or 'the object'} holds a lone surrogate (not a character)")
            check_strings(item, name, line, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_strings(item, name, line, f"{path}[{i}]")


def json_lines(source: str | Path | IO[str]) -> Iterator[tuple[int, object, str]]:
    """(line number, value, file name) for every non-blank line of a JSON Lines file."""
    stream, name, owned = open_text(source)
    try:
        for number, line in numbered_lines(stream, name):
            if not line.strip():
                continue
            # without its line break: a line cut off after a comma would otherwise be reported at
            # "column 1" of the (empty) next line, where the decoder ran out of text
            yield number, parse_json(line.rstrip("\r\n"), name, number), name
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


def count_json_values(source: str | Path) -> int:
    """About how many records `json_values` yields, without decoding the file: the total of an
    importer's progress. JSON Lines: its non-blank lines. An array: the lines that start (at the
    first element's indentation) with "{", as an export writes one element per line or pretty-prints
    them; a file of other shapes (one long line) counts 1, and the progress catches up at the end."""
    try:
        with Path(source).open("rb") as handle:
            head = handle.read(CHUNK_CHARS)
            stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
            if not stripped.startswith(b"["):
                return count_json_lines(source)
            opened = head.index(b"[") + 1
            first = len(head) - len(head[opened:].lstrip(b" \t\r\n"))
            if head[first : first + 1] != b"{":
                return 1
            indent = head[head.rfind(b"\n", 0, first) + 1 : first]
            if indent.strip():
                return 1  # the first element on the line of the bracket: one line, or a shape we do not guess
            marker = b"\n" + indent + b"{"
            count, tail, chunk = 1, b"", head[first:]
            while chunk:
                window = tail + chunk
                count += window.count(marker)
                tail = window[-(len(marker) - 1) :] if len(marker) > 1 else b""
                chunk = handle.read(CHUNK_CHARS)
            return count
    except (OSError, ValueError):
        return 0


def json_values(source: str | Path | IO[str]) -> Iterator[tuple[int, object, str]]:
    """(line, value, name) of each record of a JSON file in any of the shapes tools write: JSON Lines
    (streamed, when the first line is a whole value), a top-level array (its elements), one object,
    or objects pretty-printed one after another (as doccano's documentation shows its exports). The
    line is where the record starts."""
    stream, name, owned = open_text(source)
    try:
        head = []
        for number, line in numbered_lines(stream, name):
            head.append(line)
            if line.strip():
                break
        else:
            raise FormatError(name, 1, "the file is empty")
        first = head[-1].rstrip("\r\n")
        number = len(head)
        if not first.lstrip().startswith("[") and _whole_value(first):
            yield number, parse_json(first, name, number), name
            for number, line in numbered_lines(_Rest(stream), name):
                if line.strip():
                    at = len(head) + number
                    yield at, parse_json(line.rstrip("\r\n"), name, at), name
            return
        buffer = _Buffer(stream, "".join(head), name, owned)
        if buffer.text.lstrip()[0] == "[":
            yield from _array_elements(buffer)
        else:
            yield from _concatenated(buffer)
    finally:
        if owned:
            stream.close()


def _whole_value(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    except (ValueError, RecursionError):
        return True  # a whole value the decoder cannot hold: parse_json says why, with its line
    return True


class _Rest:
    """The rest of an open stream, numbered from 1 again."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def readline(self) -> str:
        return self._stream.readline()


_DECODER = json.JSONDecoder()
CHUNK_CHARS = 1 << 20  # characters read at a time by the streaming JSON reader
_CUT_OFF_MARGIN = 16  # a decoding error this close to the end of the buffer may only be a value cut in two


class _Buffer:
    """A window on a text stream from which JSON values are decoded one at a time: what has been
    read and not yet consumed, and the line its first character is on. Memory holds a chunk and
    the value being read, never the whole file."""

    def __init__(self, stream: IO[str], text: str, name: str, owned: bool) -> None:
        self.stream, self.text, self.name, self.owned = stream, text, name, owned
        self.line = 1  # of text[0]
        self.eof = False

    def more(self, size: int = 0) -> bool:
        """Read more of the stream onto the buffer; False at the end of the file."""
        if self.eof:
            return False
        try:
            chunk = self.stream.read(size or CHUNK_CHARS)
        except UnicodeDecodeError as exc:
            raise FormatError(self.name, _bad_byte_line(self.name) if self.owned else None,
                              f"not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise ImportFailed(f"{self.name}: cannot be read ({exc.strerror or exc})") from None
        if not chunk:
            self.eof = True
            return False
        self.text += chunk
        return True

    def drop(self, upto: int) -> int:
        """Forget the text before the line that `upto` is on (columns stay right); the new index of `upto`."""
        cut = self.text.rfind("\n", 0, upto) + 1
        if cut:
            self.line += self.text.count("\n", 0, cut)
            self.text = self.text[cut:]
        return upto - cut

    def skip_blanks(self, i: int) -> int:
        """The index of the next character that is not whitespace (len(text) at the end of the file)."""
        while True:
            text, length = self.text, len(self.text)
            while i < length and text[i] in " \t\r\n":
                i += 1
            if i < length or not self.more():
                return i

    def line_of(self, i: int) -> int:
        return self.line + self.text.count("\n", 0, i)

    def decode(self, i: int) -> tuple[object, int]:
        """The JSON value starting at `i` and the index after it, reading more until it is whole."""
        while True:
            text = self.text
            try:
                value, end = _DECODER.raw_decode(text, i)
            except json.JSONDecodeError as exc:
                cut_off = exc.pos >= len(text) - _CUT_OFF_MARGIN or exc.msg.startswith("Unterminated string")
                if cut_off and self.more(max(CHUNK_CHARS, len(text) - i)):
                    continue
                raise _syntax(exc, self.name, self.line + exc.lineno - 1) from None
            except (ValueError, RecursionError) as exc:
                if not isinstance(exc, RecursionError) and text[-1:].isdigit() and self.more():
                    continue  # a number too long to read, perhaps longer still: its length is in the message
                raise _decoder_limit(exc, text, self.name, self.line_of(i), i) from None
            if end + _CUT_OFF_MARGIN >= len(text) and self.more():  # a number cut as "1." or "1e" reads as 1
                continue
            return value, end


def _checked(value: object, content: str, start: int, end: int, name: str, line: int) -> object:
    if _SURROGATE_ESCAPE.search(content, start, end):
        check_strings(value, name, line)
    return value


def _concatenated(buffer: _Buffer) -> Iterator[tuple[int, object, str]]:
    name = buffer.name
    i = 0
    while True:
        i = buffer.skip_blanks(i)
        if i >= len(buffer.text):
            return
        if i > CHUNK_CHARS:
            i = buffer.drop(i)
        line = buffer.line_of(i)
        value, end = buffer.decode(i)
        yield line, _checked(value, buffer.text, i, end, name, line), name
        i = end


def _array_elements(buffer: _Buffer) -> Iterator[tuple[int, object, str]]:
    name = buffer.name
    i = buffer.text.index("[") + 1
    line = buffer.line_of(i)
    counted = i  # `line` is the line of this index
    expect_value = True
    first = True
    while True:
        i = buffer.skip_blanks(i)
        text = buffer.text
        if i >= len(text):
            raise FormatError(name, buffer.line_of(len(text)), "the JSON array is not closed (missing ])")
        if text[i] == "]" and (first or not expect_value):
            after = buffer.skip_blanks(i + 1)
            if after < len(buffer.text):
                raise FormatError(name, buffer.line_of(after), "more text after the end of the JSON array; expected nothing")
            return
        if not expect_value:
            if text[i] != ",":
                raise FormatError(name, buffer.line_of(i), f"expected , or ] between array elements, found {text[i]!r}")
            i += 1
            expect_value = True
            continue
        line += text.count("\n", counted, i)
        if i > CHUNK_CHARS:
            i = buffer.drop(i)  # `line` counts from the file's start: it stays
        counted = i
        value, end = buffer.decode(i)
        yield line, _checked(value, buffer.text, i, end, name, line), name
        line += buffer.text.count("\n", i, end)
        counted = i = end
        expect_value = False
        first = False


# -- checking records -------------------------------------------------------------------------------


def require(record: object, key: str, kind: type | tuple[type, ...], name: str, line: int, what: str = "") -> object:
    """`record[key]`, checked to be of `kind`; otherwise a FormatError naming file and line."""
    if not isinstance(record, dict):
        raise FormatError(name, line, f"expected a JSON object{what}, found {describe(record)}")
    if key not in record:
        raise FormatError(name, line, f"missing {key!r}{what}")
    value = record[key]
    if isinstance(value, bool) and kind in (int, (int,)):
        raise FormatError(name, line, f"{key!r}{what} must be a whole number, found {value!r}")
    if not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise FormatError(name, line, f"{key!r}{what} must be {_article(expected)}, found {describe(value)}")
    return value


def optional_list(record: dict, key: str, name: str, line: int, what: str = "") -> list:
    """`record[key]` when it is a list, [] when it is missing or null; otherwise a FormatError."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(name, line, f"{key!r}{what} must be a list, found {describe(value)}")
    return value


def whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _article(noun: str) -> str:
    names = {"str": "a string", "int": "a whole number", "list": "a list", "dict": "an object"}
    return names.get(noun, noun)


def describe_type(value: object) -> str:
    names = {str: "a string", int: "a number", float: "a number", bool: "true/false", list: "a list", dict: "an object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def describe(value: object) -> str:
    """A short rendering of a JSON value for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = describe_type(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- offsets --------------------------------------------------------------------------------------


def resolve_offsets(
    text: str, start: int, end: int, quote: str | None, units: str = "codepoint"
) -> tuple[int, int, str]:
    """Code point offsets for a span stated in `units` ("codepoint" or "utf16") of `text`.

    When the file also states the span's text and it does not match, the other unit is tried
    (older Label Studio exports and brat's web client count UTF-16 code units, for example); the
    third value says which reading was used: "" for the documented one, "utf16"/"codepoint" for the
    fallback. Offsets out of range are returned unchanged for the caller to report.
    """
    primary = convert_offsets(text, start, end, units)
    if quote is None:
        return (*(primary or (start, end)), "")
    if primary is not None and text[primary[0] : primary[1]] == quote:
        return (*primary, "")
    other = "codepoint" if units == "utf16" else "utf16"
    fallback = convert_offsets(text, start, end, other)
    if fallback is not None and text[fallback[0] : fallback[1]] == quote:
        return (*fallback, other)
    return (*(primary or (start, end)), "")


def convert_offsets(text: str, start: int, end: int, units: str, index: textspan.Utf16Index | None = None) -> tuple[int, int] | None:
    """Code points of a span stated in `units`; None when out of range or inside a surrogate pair."""
    if units == "codepoint":
        return (start, end) if 0 <= start <= end <= len(text) else None
    index = index or textspan.Utf16Index(text)
    try:
        s, e = index.to_codepoint(start), index.to_codepoint(end)
    except ValueError:
        return None
    if index.to_utf16(s) != start or index.to_utf16(e) != end:
        return None  # an offset inside a surrogate pair: not a real UTF-16 position
    return s, e
