"""Comparing two annotators' spans on one article: pairing them one-to-one and classifying each pair.

:func:`compare` pairs the spans of two annotators and classifies every pair or single
(:class:`Comparison`); :func:`compare_article` / :func:`review_article` do it from the store, the
latter with the decision already taken on each comparison. The window's review mode and
`annotator review` both call :func:`review_article`. Definitions in docs/review.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Protocol, Sequence

from ..errors import ValidationError
from ..model import Annotation, Decision, comparison_key
from ..store import Store

GOLD = "gold"
"""The reserved annotator name of the adjudicated layer."""

# -- comparing two sets ------------------------------------------------------------------------

KINDS: tuple[str, ...] = (
    "agreed",  # same start, end and label
    "label_differs",  # same start and end, different label
    "boundaries_differ",  # same label, overlapping, different bounds
    "overlap_label_differs",  # overlapping, different bounds and different label
    "only_a",  # a span of A that overlaps nothing left of B
    "only_b",  # a span of B that overlaps nothing left of A
)


class Span(Protocol):
    """What compare() needs of a span; Annotation has it."""

    id: str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Comparison:
    """One line of the review: a pair of spans (or a single span) of annotators A and B.

    ``key`` names the comparison by the ids it compares ("<a id>:<b id>", "-" for a missing
    side); a decision on it records the same key, so a recomputed comparison finds its decision.
    """

    kind: str
    a: Annotation | None
    b: Annotation | None

    @property
    def start(self) -> int:
        return min(s.start for s in (self.a, self.b) if s is not None)

    @property
    def end(self) -> int:
        return max(s.end for s in (self.a, self.b) if s is not None)

    @property
    def article_id(self) -> str:
        return (self.a or self.b).article_id  # type: ignore[union-attr]

    @property
    def source_ids(self) -> tuple[str | None, str | None]:
        return (self.a.id if self.a else None, self.b.id if self.b else None)

    @property
    def key(self) -> str:
        return comparison_key(*self.source_ids)

    def short_key(self, length: int = 8) -> str:
        a, b = self.source_ids
        return f"{a[:length] if a else '-'}:{b[:length] if b else '-'}"

    @property
    def overlap(self) -> int:
        """Characters shared by the two spans (0 for a single)."""
        if self.a is None or self.b is None:
            return 0
        return max(0, min(self.a.end, self.b.end) - max(self.a.start, self.b.start))

    def to_dict(self) -> dict:
        def side(span: Annotation | None) -> dict | None:
            if span is None:
                return None
            return {
                "id": span.id,
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "quote": span.quote,
                "annotator": span.annotator,
                "attributes": span.attributes,
                "note": span.note,
            }

        return {"key": self.key, "kind": self.kind, "start": self.start, "end": self.end, "a": side(self.a), "b": side(self.b)}


def _span_order(span: Span) -> tuple:
    return (span.start, span.end, span.label, span.id)


def overlapping_pairs(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(overlap, i, j) for every a[i], b[j] sharing at least one character.

    A sweep over the starts: each span meets only the spans of the other side still open at its
    start, so the cost is O((n + m) log(n + m) + pairs), not O(n * m).
    """
    if len(a) * len(b) <= 64:  # small: the plain double loop is cheaper than sorting events
        return [
            (min(ea, eb) - max(sa, sb), i, j)
            for i, (sa, ea) in enumerate(a)
            for j, (sb, eb) in enumerate(b)
            if sa < eb and sb < ea
        ]
    events = sorted([(s, e, 0, i) for i, (s, e) in enumerate(a)] + [(s, e, 1, j) for j, (s, e) in enumerate(b)])
    active: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    pairs: list[tuple[int, int, int]] = []
    for s, e, side, idx in events:
        other = active[1 - side]
        if other:
            other[:] = [item for item in other if item[0] > s]
            for other_end, other_idx in other:
                shared = min(e, other_end) - s  # the other one started at or before s
                pairs.append((shared, idx, other_idx) if side == 0 else (shared, other_idx, idx))
        active[side].append((e, idx))
    return pairs


def greedy_matching(
    pairs: Iterable[tuple[int, int, int]],
    a: Sequence[tuple[int, int]],
    b: Sequence[tuple[int, int]],
    free_a: set[int],
    free_b: set[int],
) -> list[tuple[int, int]]:
    """One-to-one matching, largest overlap first (ties: earlier spans first); marks the matched used."""
    matched = []
    for _, i, j in sorted(pairs, key=lambda p: (-p[0], a[p[1]], b[p[2]], p[1], p[2])):
        if i in free_a and j in free_b:
            free_a.discard(i)
            free_b.discard(j)
            matched.append((i, j))
    return matched


def compare(a_spans: Iterable[Annotation], b_spans: Iterable[Annotation]) -> list[Comparison]:
    """Pair the spans of annotator A with those of annotator B (one article) and classify them.

    Matching is one-to-one and runs in passes, each taking only spans left over by the previous:

    1. ``agreed``: same start, end and label;
    2. ``label_differs``: same start and end, different label;
    3. ``boundaries_differ``: same label, sharing at least one character, greedily by the largest
       overlap (ties: the earlier spans first);
    4. ``overlap_label_differs``: different label and bounds but sharing characters, greedily by
       the largest overlap;
    5. ``only_a`` / ``only_b``: what is left.

    Every span of either side appears in exactly one comparison. The result is sorted by position
    (start, end, then the order of KINDS). For more than two annotators compare them pairwise (each
    against a chosen reference, e.g. the gold layer).
    """
    a = sorted(a_spans, key=_span_order)
    b = sorted(b_spans, key=_span_order)
    free_a, free_b = set(range(len(a))), set(range(len(b)))
    found: list[Comparison] = []

    def exact_pass(kind: str, key: Callable[[Annotation], tuple]) -> None:
        waiting: dict[tuple, list[int]] = defaultdict(list)
        for j in sorted(free_b):
            waiting[key(b[j])].append(j)
        for i in sorted(free_a):
            candidates = waiting.get(key(a[i]))
            if candidates:
                j = candidates.pop(0)
                free_a.discard(i)
                free_b.discard(j)
                found.append(Comparison(kind, a[i], b[j]))

    exact_pass("agreed", lambda s: (s.start, s.end, s.label))
    exact_pass("label_differs", lambda s: (s.start, s.end))
    bounds_a = [(s.start, s.end) for s in a]
    bounds_b = [(s.start, s.end) for s in b]
    pairs = overlapping_pairs(bounds_a, bounds_b)
    same_label = [p for p in pairs if a[p[1]].label == b[p[2]].label]
    for i, j in greedy_matching(same_label, bounds_a, bounds_b, free_a, free_b):
        found.append(Comparison("boundaries_differ", a[i], b[j]))
    for i, j in greedy_matching(pairs, bounds_a, bounds_b, free_a, free_b):
        found.append(Comparison("overlap_label_differs", a[i], b[j]))
    found += [Comparison("only_a", a[i], None) for i in sorted(free_a)]
    found += [Comparison("only_b", None, b[j]) for j in sorted(free_b)]
    order = {kind: n for n, kind in enumerate(KINDS)}
    found.sort(key=lambda c: (c.start, c.end, order[c.kind], c.key))
    return found


def disagreements(comparisons: Iterable[Comparison]) -> int:
    """How many comparisons are not ``agreed``: one for each pair that differs and one for each span
    only one annotator has. The one definition of "disagreements": the review panel and the
    agreement report (per article) both show this number (docs/review.md)."""
    return sum(1 for comparison in comparisons if comparison.kind != "agreed")


def comparison_of(a: Annotation | None, b: Annotation | None) -> Comparison:
    """The comparison of one given pair (or single), classified as compare() would pair it.

    For the CLI's `adjudicate KEY`; two spans that share no character are not a pair (ValidationError).
    """
    if a is None and b is None:
        raise ValidationError("a comparison needs at least one span")
    if a is None or b is None:
        return Comparison("only_a" if b is None else "only_b", a, b)
    if a.article_id != b.article_id:
        raise ValidationError("the two spans belong to different articles")
    if (a.start, a.end) == (b.start, b.end):
        return Comparison("agreed" if a.label == b.label else "label_differs", a, b)
    if min(a.end, b.end) <= max(a.start, b.start):
        raise ValidationError("the two spans share no character: decide them one at a time")
    return Comparison("boundaries_differ" if a.label == b.label else "overlap_label_differs", a, b)


def compare_article(store: Store, article_id: str, a: str, b: str) -> list[Comparison]:
    """compare() of the live annotations of annotators ``a`` and ``b`` on one article."""
    return compare(store.annotations_for(article_id, annotator=a), store.annotations_for(article_id, annotator=b))


@dataclass(frozen=True)
class ReviewItem:
    """A comparison with the decision that stands on it (None: still to decide)."""

    comparison: Comparison
    decision: "Decision | None"

    def to_dict(self) -> dict:
        record = self.comparison.to_dict()
        record["decision"] = self.decision.to_dict() if self.decision else None
        return record


def review_article(store: Store, article_id: str, a: str, b: str) -> list[ReviewItem]:
    """What the review view shows for one article: each comparison and its standing decision."""
    decided = {d.key: d for d in store.decisions_for(article_id)}
    return [ReviewItem(c, decided.get(c.key)) for c in compare_article(store, article_id, a, b)]


def review_annotators(store: Store, include_gold: bool = False) -> list[str]:
    """Annotators with live annotations, to choose A and B from; the gold layer only if asked."""
    return [name for name in store.annotators() if include_gold or name != GOLD]


