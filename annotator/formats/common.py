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
    The records readers yield, their errors and the shared file readers are in ``reading.py``
    (imported here too, for the modules that take them from this one).

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

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .. import textspan
from ..model import Annotation
from ..store import ExportItem, ProgressCallback, Store, select_articles  # noqa: F401 - the one export query path, for the formats
from .reading import (  # noqa: F401 - the reader half, for the modules that import it from here
    DocumentRecord,
    FormatError,
    RelationRecord,
    SpanRecord,
    count_json_lines,
    json_lines,
    json_values,
    numbered_lines,
    open_text,
    read_text_file,
    require,
    resolve_offsets,
)

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
    merged: int = 0  # spans identical to another annotator's, written once (one layer: --annotator all)
    overlap_kept_in: str = ""  # where spans left out for overlapping are still written, if anywhere
    holds_relations: bool = True  # False for formats without relations: every relation is dropped
    suggestions: int = 0  # open suggestions written (--include-suggestions), apart from the spans
    suggestions_left_out: int = 0  # asked for, but the format has no place for them
    files: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # what the output is made of, a line each (parquet: its splits)

    def note(self, message: str) -> None:
        """Keep a few concrete examples of what was changed or left out, for the summary."""
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(message)

    def problems(self) -> list[str]:
        """One line per kind of change or loss, empty when everything was written as it is."""
        lines = []
        if self.merged:
            lines.append(f"{_n(self.merged, 'span')} identical to another annotator's span written once "
                         "(their spans as one layer)")
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
        if self.suggestions_left_out:
            lines.append(f"{_n(self.suggestions_left_out, 'suggestion')} not written: this format has no place for "
                         "suggestions (jsonl and labelstudio have)")
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


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) code point offsets of the tokens of `text`; see the module docstring."""
    tokens: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if tokens and tokens[-1][1] == start:
            previous = tokens[-1]
            if not textspan.is_grapheme_boundary(text, start) or (
                textspan.is_word_char(text[start])
                and not textspan.is_ideograph(text[start])
                and any(textspan.is_word_char(c) and not textspan.is_ideograph(c) for c in text[previous[0] : start])
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


