"""The `learned` suggester: what the project has already tagged, suggested where it occurs again.

A string-match recommender (INCEpTION's): every phrase accepted with a label (SuggestInput.accepted,
(label, quote) pairs) is looked for in the article,

- word-bounded (no match inside a longer word: "Kim" is not found in "Kimberley"),
- case- and whitespace-normalised ("the  Korea\u00a0herald" finds "The Korea Herald"),
- at most ``MAX_WORDS`` words long (it recommends names and phrases, not whole claims),
- never at a place already annotated with that label (SuggestInput.annotated).

A phrase accepted under several labels is suggested with the label it was given most often; the
confidence is that label's share of its uses, times 0.9 (a string match knows no context).
Overlapping matches keep the longest, then the earliest.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..textspan import is_word_char
from .proposal import Proposals, SpanProposal
from .registry import SuggestInput, register

NAME = "learned"
VERSION = "1"
MAX_WORDS = 8
MIN_CHARS = 2


def normalise(phrase: str) -> str:
    return " ".join(phrase.split()).casefold()


class LearnedSuggester:
    name = NAME
    version = VERSION

    def suggest(self, source: SuggestInput) -> Proposals:
        found = Proposals()
        known = set(source.schema.names)
        table = _phrase_table(tuple(a for a in source.accepted if a[0] in known))
        if table.pattern is None:
            return found
        taken = {(s, e, label) for s, e, label in source.annotated}
        text = source.text
        matches = []
        for match in table.pattern.finditer(text):
            start, end = match.span()
            if (start > 0 and is_word_char(text[start - 1])) or (end < len(text) and is_word_char(text[end])):
                continue
            entry = table.labels.get(normalise(match.group()))
            if entry is None:
                continue
            label, confidence = entry
            if (start, end, label) not in taken:
                matches.append((start, end, label, confidence))
        for start, end, label, confidence in _longest_first(matches):
            found.spans.append(SpanProposal(start, end, label, confidence, NAME, VERSION))
        return found


class _Table:
    def __init__(self, pattern: re.Pattern[str] | None, labels: dict[str, tuple[str, float]]) -> None:
        self.pattern = pattern
        self.labels = labels


@functools.lru_cache(maxsize=4)
def _phrase_table(accepted: tuple[tuple[str, str], ...]) -> _Table:
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    for label, quote in accepted:
        phrase = normalise(quote)
        if len(phrase) >= MIN_CHARS and len(phrase.split()) <= MAX_WORDS and any(ch.isalnum() for ch in phrase):
            uses[phrase][label] += 1
    if not uses:
        return _Table(None, {})
    labels = {}
    for phrase, counts in uses.items():
        label, count = counts.most_common(1)[0]
        labels[phrase] = (label, round(0.9 * count / sum(counts.values()), 3))
    pieces = sorted(uses, key=len, reverse=True)  # the longest alternative first
    body = "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in pieces)
    return _Table(re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), labels)


def _longest_first(matches: Iterable[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    kept: list[tuple[int, int, str, float]] = []
    for match in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0])):
        if all(match[1] <= k[0] or k[1] <= match[0] for k in kept):
            kept.append(match)
    return sorted(kept)


register(LearnedSuggester())
