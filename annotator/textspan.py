"""Text offsets: UTF-16 conversion, word/grapheme snapping and quote re-anchoring.

Every offset stored by the project is a Unicode *code point* index into the article's canonical
text, end exclusive, so that ``text[start:end] == quote`` holds in Python.  Qt, however, counts
positions in UTF-16 *code units*: every character outside the Basic Multilingual Plane (most
emoji, some CJK ideographs, flags) takes two units there and one here.  Without a conversion an
emoji before a span would shift it by one position per emoji.  This module is the only place
where the two systems meet: the view converts with :class:`Utf16Index` at the Qt boundary and
nowhere else.

It also holds the pure text logic behind selections (snapping a mouse selection to whole words
without ever splitting a user-perceived character) and the W3C "TextQuoteSelector" idea used to
find an annotation again when the article text changed slightly (:func:`reanchor`).

Stdlib only, no Qt: everything here is unit-testable without a display.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # difflib is imported by the fuzzy re-anchoring that uses it (start-up time)
    from difflib import SequenceMatcher

__all__ = [
    "QuoteSelector",
    "Utf16Index",
    "grapheme_bounds",
    "is_grapheme_boundary",
    "make_selector",
    "reanchor",
    "snap_to_graphemes",
    "snap_to_words",
    "utf16_len",
]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


# --------------------------------------------------------------------------- UTF-16 offsets


def utf16_len(s: str) -> int:
    """Length of ``s`` in UTF-16 code units (what Qt reports)."""
    return len(s) + len(_ASTRAL.findall(s))


class Utf16Index:
    """Converts between code point offsets and UTF-16 offsets of one text in O(log n).

    Built once per text: it records the code point positions of the non-BMP characters (the
    ones that take two UTF-16 units), so a conversion is a binary search, never a scan.
    """

    __slots__ = ("_astral", "_astral_u16", "_length")

    def __init__(self, text: str) -> None:
        self._length = len(text)
        # Code point positions of astral characters, ascending.
        self._astral: list[int] = [m.start() for m in _ASTRAL.finditer(text)]
        # Their UTF-16 start positions: each earlier astral character adds one unit.
        self._astral_u16: list[int] = [cp + k for k, cp in enumerate(self._astral)]

    @property
    def utf16_length(self) -> int:
        """Length of the text in UTF-16 code units."""
        return self._length + len(self._astral)

    def to_utf16(self, cp: int) -> int:
        """UTF-16 offset of code point offset ``cp`` (0 <= cp <= len(text))."""
        if not 0 <= cp <= self._length:
            raise ValueError(f"code point offset {cp} outside 0..{self._length}")
        return cp + bisect_left(self._astral, cp)

    def to_codepoint(self, u16: int) -> int:
        """Code point offset of UTF-16 offset ``u16`` (0 <= u16 <= utf16_length).

        An offset between the two halves of a surrogate pair rounds down to the start of that
        character.
        """
        if not 0 <= u16 <= self.utf16_length:
            raise ValueError(f"UTF-16 offset {u16} outside 0..{self.utf16_length}")
        before = bisect_left(self._astral_u16, u16)  # astral characters starting before u16
        if before and self._astral_u16[before - 1] + 1 == u16:
            return self._astral[before - 1]
        return u16 - before


# --------------------------------------------------------------------------- grapheme clusters
#
# A pragmatic subset of the extended grapheme cluster rules of UAX #29, enough for news text:
# CR LF, combining and spacing marks, variation selectors, ZWJ emoji sequences, skin tone
# modifiers, emoji tag sequences, regional indicator pairs (flags) and Hangul jamo.
# Simplification: "ZWJ x pictographic" joins even without an emoji before the ZWJ.

_HANGUL_JOINS = frozenset(
    {
        ("L", "L"), ("L", "V"), ("L", "LV"), ("L", "LVT"),
        ("LV", "V"), ("LV", "T"), ("V", "V"), ("V", "T"),
        ("LVT", "T"), ("T", "T"),
    }
)  # fmt: skip


def _is_extend(ch: str) -> bool:
    """True for characters that attach to the preceding one (Extend, ZWJ, SpacingMark)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Mc"):
        return True
    cp = ord(ch)
    return (
        cp in (0x200C, 0x200D)  # ZWNJ, ZWJ
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # emoji tag sequences (subdivision flags)
        or 0xE0100 <= cp <= 0xE01EF  # variation selectors supplement
    )


def _is_control(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Cc", "Zl", "Zp") or (category == "Cf" and not _is_extend(ch))


def _is_pictographic(ch: str) -> bool:
    cp = ord(ch)
    return unicodedata.category(ch) == "So" or 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF


def _is_regional_indicator(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _hangul_type(ch: str) -> str:
    cp = ord(ch)
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return ""


def _regional_run_before(text: str, i: int) -> int:
    """Number of consecutive regional indicators ending just before ``i``."""
    j = i
    while j > 0 and _is_regional_indicator(text[j - 1]):
        j -= 1
    return i - j


def is_grapheme_boundary(text: str, i: int) -> bool:
    """True if offset ``i`` does not fall inside a grapheme cluster (0 and len(text) always do)."""
    if i <= 0 or i >= len(text):
        return True
    prev, cur = text[i - 1], text[i]
    if prev == "\r" and cur == "\n":
        return False
    if _is_control(prev) or _is_control(cur):
        return True
    if (_hangul_type(prev), _hangul_type(cur)) in _HANGUL_JOINS:
        return False
    if _is_extend(cur):
        return False
    if prev == "\u200d" and _is_pictographic(cur):
        return False
    if _is_regional_indicator(prev) and _is_regional_indicator(cur):
        return _regional_run_before(text, i) % 2 == 0
    return True


def _floor_boundary(text: str, i: int) -> int:
    while not is_grapheme_boundary(text, i):
        i -= 1
    return i


def _ceil_boundary(text: str, i: int) -> int:
    while not is_grapheme_boundary(text, i):
        i += 1
    return i


def _clamp(pos: int, length: int) -> int:
    return max(0, min(pos, length))


def _checked_range(text: str, start: int, end: int) -> tuple[int, int]:
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    return _clamp(start, len(text)), _clamp(end, len(text))


def grapheme_bounds(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the grapheme cluster holding the character at ``pos``.

    ``pos`` is clamped to [0, len(text)]; at len(text) the result is the empty (len, len).
    """
    pos = _clamp(pos, len(text))
    if pos == len(text):
        return pos, pos
    return _floor_boundary(text, pos), _ceil_boundary(text, pos + 1)


def snap_to_graphemes(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) just enough not to split a grapheme cluster (the Alt selection).

    Offsets are clamped to the text; an empty selection is returned unchanged.
    """
    start, end = _checked_range(text, start, end)
    if start == end:
        return start, end
    return _floor_boundary(text, start), _ceil_boundary(text, end)


# --------------------------------------------------------------------------- word snapping

# Joined into a word only when they sit between two word characters: "Russia’s", "Sang-bum".
_INNER_JOINERS = frozenset("'\u2019\u02bc-\u2010\u2011")
# Joined only between two digits: "3.5", "1,000".
_NUMBER_JOINERS = frozenset(".,")


def is_word_char(ch: str) -> bool:
    """The project's one definition of a word character: what the regex ``\\w`` matches for one
    character of a str pattern (Unicode alphanumeric, or underscore)."""
    return ch.isalnum() or ch == "_"


def is_ideograph(ch: str) -> bool:
    """Han ideographs and hiragana: each is a word by itself (no spaces in CJK text)."""
    cp = ord(ch)
    return (
        0x3040 <= cp <= 0x309F
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
    )


def _joinable_base(ch: str) -> bool:
    return is_word_char(ch) and not is_ideograph(ch)


def _is_word_cluster(text: str, a: int) -> bool:
    """Whether the grapheme cluster starting at ``a`` belongs to an expandable word."""
    base = text[a]
    if _joinable_base(base):
        return True
    if base not in _INNER_JOINERS and base not in _NUMBER_JOINERS:
        return False
    after = _ceil_boundary(text, a + 1)
    if a == 0 or after >= len(text):
        return False
    before = text[_floor_boundary(text, a - 1)]
    following = text[after]
    if base in _NUMBER_JOINERS:
        return before.isdigit() and following.isdigit()
    return _joinable_base(before) and _joinable_base(following)


def _expand_left(text: str, s: int) -> int:
    """Move boundary ``s`` back to the start of the word it cuts, if any."""
    if s == len(text) or not _is_word_cluster(text, s):
        return s
    while s > 0:
        previous = _floor_boundary(text, s - 1)
        if not _is_word_cluster(text, previous):
            break
        s = previous
    return s


def _expand_right(text: str, e: int) -> int:
    """Move boundary ``e`` forward to the end of the word it cuts, if any."""
    if e == 0 or not _is_word_cluster(text, _floor_boundary(text, e - 1)):
        return e
    while e < len(text) and _is_word_cluster(text, e):
        e = _ceil_boundary(text, e + 1)
    return e


def _trim_whitespace(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop whole whitespace clusters at both ends of [s, e) (s, e are cluster boundaries). A cluster
    is whitespace when its base is: a space that a stray modifier or combining mark extends is still
    a space to the reader."""
    while s < e:
        after = _ceil_boundary(text, s + 1)
        if not text[s].isspace():
            break
        s = after
    while e > s:
        before = _floor_boundary(text, e - 1)
        if not text[before].isspace():
            break
        e = before
    return s, e


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Expand [start, end) outward to whole words, then trim surrounding whitespace.

    The result never splits a grapheme cluster.  Offsets are clamped to the text, an empty
    selection is returned unchanged and a selection without any letter or digit is only
    grapheme-snapped.  Raises ValueError if start > end.
    """
    s, e = snap_to_graphemes(text, start, end)
    if s == e or not any(is_word_char(ch) for ch in text[s:e]):
        return s, e
    return _trim_whitespace(text, _expand_left(text, s), _expand_right(text, e))


# --------------------------------------------------------------------------- quote selectors


@dataclass(frozen=True)
class QuoteSelector:
    """An annotation's quote with a little context on each side (W3C TextQuoteSelector)."""

    exact: str
    prefix: str
    suffix: str


QUOTE_CONTEXT = 32  # characters of prefix and suffix kept with a quote


def make_selector(text: str, start: int, end: int, context: int = QUOTE_CONTEXT) -> QuoteSelector:
    """Selector for ``text[start:end]`` with up to ``context`` characters either side."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}..{end} outside text of length {len(text)}")
    if context < 0:
        raise ValueError(f"context must not be negative, got {context}")
    return QuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


_MIN_RATIO = 0.85
_MAX_ANCHORS = 8  # occurrences beyond this make a context piece useless as an anchor


def reanchor(
    text: str, selector: QuoteSelector, hint: int | None = None
) -> tuple[int, int] | None:
    """Find the selector's quote in (a possibly edited) ``text``; (start, end) or None.

    An exact occurrence wins; among several, the one whose surroundings best match the prefix
    and suffix, then the one nearest ``hint`` (the old start); if two are still tied the quote is
    ambiguous and None is returned.  Without an exact
    occurrence, a fuzzy match near where the context (or pieces of the quote) is found is
    accepted only if its difflib similarity ratio is at least 0.85; otherwise None: a failure is
    reported rather than a guess.
    """
    if not selector.exact:
        return None
    occurrences = _find_all(text, selector.exact)
    if occurrences:
        ranked = sorted(occurrences, key=lambda s: _exact_rank(text, selector, s, hint))
        if len(ranked) > 1 and _exact_rank(text, selector, ranked[0], hint)[:2] == _exact_rank(
            text, selector, ranked[1], hint
        )[:2]:
            return None
        return ranked[0], ranked[0] + len(selector.exact)
    return _fuzzy_anchor(text, selector, hint)


def _find_all(text: str, needle: str, limit: int | None = None) -> list[int]:
    """Start offsets of all (overlapping) occurrences of ``needle``, at most ``limit``."""
    found: list[int] = []
    i = text.find(needle)
    while i != -1 and (limit is None or len(found) < limit):
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _common_prefix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix_len(a: str, b: str) -> int:
    return _common_prefix_len(a[::-1], b[::-1])


def _distance(pos: int, hint: int | None) -> int:
    return 0 if hint is None else abs(pos - hint)


def _exact_rank(
    text: str, selector: QuoteSelector, start: int, hint: int | None
) -> tuple[int, int, int]:
    """Sort key: best context match first, then nearest to ``hint``, then earliest."""
    end = start + len(selector.exact)
    before = text[max(0, start - len(selector.prefix)) : start]
    after = text[end : end + len(selector.suffix)]
    score = _common_suffix_len(before, selector.prefix) + _common_prefix_len(after, selector.suffix)
    return -score, _distance(start, hint), start


def _length_bounds(length: int) -> tuple[int, int]:
    """Lengths a candidate can have and still reach the minimum ratio: 2m/(a+b) >= r."""
    shortest = int(length * _MIN_RATIO / (2 - _MIN_RATIO))
    longest = int(length * (2 - _MIN_RATIO) / _MIN_RATIO) + 1
    return shortest, longest


def _piece_sizes(length: int) -> list[int]:
    """Context piece lengths to try, longest first: the whole context, then 16, then 8."""
    return sorted({n for n in (length, 16, 8) if 0 < n <= length}, reverse=True)


def _context_starts(text: str, prefix: str) -> list[int]:
    """Likely quote starts: just after an occurrence of the prefix (or of its tail)."""
    for n in _piece_sizes(len(prefix)):
        found = _find_all(text, prefix[-n:], limit=_MAX_ANCHORS + 1)
        if found:
            return [p + n for p in found] if len(found) <= _MAX_ANCHORS else []
    return []


def _context_ends(text: str, suffix: str) -> list[int]:
    """Likely quote ends: where the suffix (or its head) occurs."""
    for n in _piece_sizes(len(suffix)):
        found = _find_all(text, suffix[:n], limit=_MAX_ANCHORS + 1)
        if found:
            return found if len(found) <= _MAX_ANCHORS else []
    return []


def _piece_starts(text: str, quote: str) -> list[int]:
    """Approximate quote starts derived from exact occurrences of pieces of the quote."""
    count = 4 if len(quote) >= 32 else 2
    size = len(quote) // count
    if size < 4:
        return []
    starts: set[int] = set()
    for offset in range(0, count * size, size):
        found = _find_all(text, quote[offset : offset + size], limit=_MAX_ANCHORS + 1)
        if len(found) <= _MAX_ANCHORS:
            starts.update(p - offset for p in found)
    return sorted(starts)


def _aligned_spans(matcher: SequenceMatcher, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Where the quote (the matcher's second sequence) aligns inside ``text[lo:hi]``.

    Two guesses: from the first to the last matching block, and the same ignoring blocks
    shorter than three characters (stray single-letter matches at the edges).
    """
    lo, hi = max(0, lo), min(len(text), hi)
    if lo >= hi:
        return []
    matcher.set_seq1(text[lo:hi])
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    spans = []
    for group in (blocks, [block for block in blocks if block.size >= 3]):
        if group:
            spans.append((lo + group[0].a, lo + group[-1].a + group[-1].size))
    return spans


def _candidate_spans(
    text: str, selector: QuoteSelector, matcher: SequenceMatcher, hint: int | None
) -> set[tuple[int, int]]:
    """Spans worth scoring: between context anchors, aligned after/before them, near pieces."""
    quote = selector.exact
    shortest, longest = _length_bounds(len(quote))
    slack = longest - len(quote)
    starts = _context_starts(text, selector.prefix)
    ends = _context_ends(text, selector.suffix)
    spans = {(a, b) for a in starts for b in ends if shortest <= b - a <= longest}
    for a in starts:
        spans.update((a, e) for _, e in _aligned_spans(matcher, text, a, a + longest))
    for b in ends:
        spans.update((s, b) for s, _ in _aligned_spans(matcher, text, b - longest, b))
    approximate = _piece_starts(text, quote) + ([hint] if hint is not None else [])
    for a in approximate:
        spans.update(_aligned_spans(matcher, text, a - slack, a + len(quote) + slack))
    return spans


def _in_context_ratio(text: str, selector: QuoteSelector, start: int, end: int) -> float:
    """Similarity of prefix + quote + suffix to the candidate with its own surroundings.

    Ranks candidates whose quote similarity is equal or close: the one that also lines up with
    the stored context wins, so edited edges go where the context says the quote begins/ends.
    """
    wanted = selector.prefix + selector.exact + selector.suffix
    found = text[max(0, start - len(selector.prefix)) : end + len(selector.suffix)]
    from difflib import SequenceMatcher

    return SequenceMatcher(None, wanted, found, autojunk=False).ratio()


def _fuzzy_anchor(text: str, selector: QuoteSelector, hint: int | None) -> tuple[int, int] | None:
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(selector.exact)
    spans = {
        snap_to_graphemes(text, s, e)
        for s, e in _candidate_spans(text, selector, matcher, hint)
        if s < e
    }
    accepted = []
    for s, e in spans:
        matcher.set_seq1(text[s:e])
        if (
            matcher.real_quick_ratio() >= _MIN_RATIO
            and matcher.quick_ratio() >= _MIN_RATIO
            and matcher.ratio() >= _MIN_RATIO
        ):
            accepted.append((s, e))
    if not accepted:
        return None
    return max(
        accepted,
        key=lambda span: (
            _in_context_ratio(text, selector, *span),
            -_distance(span[0], hint),
            -span[0],
        ),
    )


def check_span(text: str, start: object, end: object) -> None:
    """Refuse offsets that are not whole numbers inside the text with start before end."""
    check_offsets(len(text), start, end)


def check_offsets(length: int, start: object, end: object) -> None:
    """`check_span` for a text of `length` code points that is not at hand."""
    from .errors import ValidationError

    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise ValidationError("offsets must be whole numbers")
    if start < 0 or end > length:
        raise ValidationError(f"span {start}-{end} is out of range: the article has {length} characters")
    if start >= end:
        raise ValidationError(f"span {start}-{end} is empty or reversed: start must be before end")


# --------------------------------------------------------------------------- moving by words
# For the window's "extend / shrink by a word" keys: a combining mark belongs to the word it marks.


def _in_word(ch: str) -> bool:
    return is_word_char(ch) or _is_extend(ch)


def word_end_after(text: str, pos: int) -> int:
    """End of the next word at or after `pos` (skipping spaces and punctuation first)."""
    i = pos
    while i < len(text) and not _in_word(text[i]):
        i += 1
    while i < len(text) and _in_word(text[i]):
        i += 1
    return i if i > pos else pos


def word_start_before(text: str, pos: int) -> int:
    """Start of the word before `pos` (skipping spaces and punctuation first)."""
    i = pos
    while i > 0 and not _in_word(text[i - 1]):
        i -= 1
    while i > 0 and _in_word(text[i - 1]):
        i -= 1
    return i


def previous_word_end(text: str, pos: int) -> int:
    """Drop the last word before `pos` and the gap before it: the end of the word before that."""
    i = word_start_before(text, pos)
    while i > 0 and not _in_word(text[i - 1]):
        i -= 1
    return i


def next_word_start(text: str, pos: int) -> int:
    """Drop the first word at `pos` and the gap after it: the start of the word after that."""
    i = word_end_after(text, pos)
    while i < len(text) and not _in_word(text[i]):
        i += 1
    return i
