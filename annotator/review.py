"""Reviewing a colleague's tags: comparing two annotation sets, agreement figures, the gold layer
(adjudication) and bringing in a colleague's project. No Qt: the GUI's review mode and the CLI
(`agree`, `review`, `adjudicate`, `merge`) both call these functions.

Four parts, each described in docs/review.md:

* :func:`compare` pairs the spans of two annotators on one article one-to-one and classifies every
  pair or single (:class:`Comparison`); :func:`compare_article` / :func:`review_article` do it from
  the store, the latter with the decision already taken on each comparison.
* :func:`agreement` and :func:`per_article` compute the agreement figures (F1 exact and overlap,
  Cohen's kappa and Krippendorff's alpha over tokens) in one streaming pass over the project.
* The gold layer: annotations by the reserved annotator ``gold`` built by decisions
  (:func:`accept_a`, :func:`accept_b`, :func:`accept_both`, :func:`reject`, :func:`edit`), each one
  transaction recorded in the ``decisions`` table, undoable with :func:`undo_decision` (and
  :func:`redo_decision` for an undo stack).
* :func:`open_colleague_project` opens a colleague's file without writing to it and
  :func:`merge_from` copies their articles, annotations and relations into this project.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Protocol, Sequence

from . import textspan
from .errors import AmbiguousIdError, NotFoundError, ProjectError, ValidationError
from .model import Annotation, Article, Block, Relation
from .store import (
    BUSY_TIMEOUT_SECONDS,
    SCHEMA_VERSION,
    Store,
    UpsertCounts,
    _annotation_row,
    _article_row,
    _refuse_non_sqlite,
    _relation_row,
    _translate,
    check_span,
    new_id,
    now,
)

if TYPE_CHECKING:  # sqlite-utils is imported by the store when a write needs it
    from ._sqlite_utils import sqlite_utils

__all__ = [
    "GOLD",
    "KINDS",
    "DECISIONS",
    "TOKEN_PATTERN",
    "Comparison",
    "Decision",
    "ReviewItem",
    "MergeReport",
    "Unanchored",
    "compare",
    "compare_article",
    "comparison_of",
    "review_article",
    "review_annotators",
    "agreement",
    "per_article",
    "agreement_report",
    "counted_articles",
    "write_csv",
    "cohen_kappa",
    "krippendorff_alpha",
    "tokens",
    "decide",
    "accept",
    "accept_a",
    "accept_b",
    "accept_both",
    "reject",
    "edit",
    "undo_decision",
    "redo_decision",
    "get_decision",
    "decisions_for",
    "open_colleague_project",
    "merge_from",
]

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


def comparison_key(a_id: str | None, b_id: str | None) -> str:
    return f"{a_id or '-'}:{b_id or '-'}"


def _span_order(span: Span) -> tuple:
    return (span.start, span.end, span.label, span.id)


def _overlapping_pairs(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
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


def _greedy(
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
    pairs = _overlapping_pairs(bounds_a, bounds_b)
    same_label = [p for p in pairs if a[p[1]].label == b[p[2]].label]
    for i, j in _greedy(same_label, bounds_a, bounds_b, free_a, free_b):
        found.append(Comparison("boundaries_differ", a[i], b[j]))
    for i, j in _greedy(pairs, bounds_a, bounds_b, free_a, free_b):
        found.append(Comparison("overlap_label_differs", a[i], b[j]))
    found += [Comparison("only_a", a[i], None) for i in sorted(free_a)]
    found += [Comparison("only_b", None, b[j]) for j in sorted(free_b)]
    order = {kind: n for n, kind in enumerate(KINDS)}
    found.sort(key=lambda c: (c.start, c.end, order[c.kind], c.key))
    return found


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
    decided = {d.key: d for d in decisions_for(store, article_id)}
    return [ReviewItem(c, decided.get(c.key)) for c in compare_article(store, article_id, a, b)]


def review_annotators(store: Store, include_gold: bool = False) -> list[str]:
    """Annotators with live annotations, to choose A and B from; the gold layer only if asked."""
    return [name for name in store.annotators() if include_gold or name != GOLD]


# -- agreement figures ---------------------------------------------------------------------------

TOKEN_PATTERN = r"\w+|[^\w\s]"
# The same tokens, a little faster to scan: where \w+ does not match, \S can only match a [^\w\s]
# character (test_metrics checks that both give the same spans).
_TOKENS = re.compile(r"\w+|\S")
_SPEC_TOKENS = re.compile(TOKEN_PATTERN)


def tokens(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each token of ``text`` (regex TOKEN_PATTERN); for display and tests."""
    return [m.span() for m in _SPEC_TOKENS.finditer(text)]


def _is_word(ch: str) -> bool:
    """The regex ``\\w`` for one character of a str pattern: Unicode alphanumeric or underscore."""
    return ch.isalnum() or ch == "_"


class _TokenCounter:
    """How many tokens start before each of the given offsets, from one regex pass over the text.

    The text is cut at the (sorted) offsets and each piece is scanned once with TOKEN_PATTERN; a
    piece that begins inside a word first meets the tail of a token counted in the piece before,
    which is subtracted. So the whole text is tokenised exactly once, no token list is built, and
    a span maps to the token indices it touches in O(1): [first(start), before(end)), where
    first(p) is before(p), less one when p cuts a word (that word starts before p).
    """

    __slots__ = ("before", "first", "total")

    def __init__(self, text: str, offsets: Iterable[int]) -> None:
        findall = _TOKENS.findall
        length = len(text)
        before = {0: 0}
        first = {0: 0}
        total = previous = 0
        cut_previous = False
        for p in sorted(set(offsets)):
            if p <= 0 or p > length:
                continue
            total += len(findall(text, previous, p)) - cut_previous
            cut_previous = p < length and _is_word(text[p - 1]) and _is_word(text[p])
            before[p] = total
            first[p] = total - cut_previous
            previous = p
        if previous < length:
            total += len(findall(text, previous, length)) - cut_previous
        self.before, self.first, self.total = before, first, total

    def ranges(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """The token index ranges touched by ``spans``, sorted and merged (a sweep)."""
        before, first = self.before, self.first
        merged: list[list[int]] = []
        for lo, hi in sorted((first[s], before[e]) for s, e in spans):
            if lo >= hi:
                continue  # only whitespace
            if merged and lo <= merged[-1][1]:
                if hi > merged[-1][1]:
                    merged[-1][1] = hi
            else:
                merged.append([lo, hi])
        return [(lo, hi) for lo, hi in merged]


def _size(ranges: list[tuple[int, int]]) -> int:
    return sum(hi - lo for lo, hi in ranges)


def _intersection_size(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> int:
    """Tokens in both of two sorted lists of disjoint ranges (two-pointer sweep)."""
    size, i, j = 0, 0, 0
    while i < len(x) and j < len(y):
        lo, hi = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if lo < hi:
            size += hi - lo
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return size


# Per-label tally of one article or of the corpus: the order of the fields in a list.
A_SPANS, B_SPANS, EXACT, OVERLAP, N11, N10, N01 = range(7)


def _article_tally(text: str, by_label: dict[str, tuple[list, list]]) -> tuple[int, dict[str, list[int]]]:
    """(tokens, {label: [a_spans, b_spans, matched_exact, matched_overlap, n11, n10, n01]}) of one article."""
    counter = _TokenCounter(text, (p for a, b in by_label.values() for span in (*a, *b) for p in span))
    tallies = {}
    for label, (a, b) in by_label.items():
        exact = sum((Counter(a) & Counter(b)).values()) if a and b else 0
        overlap = len(_greedy(_overlapping_pairs(a, b), a, b, set(range(len(a))), set(range(len(b))))) if a and b else 0
        ranges_a, ranges_b = counter.ranges(a), counter.ranges(b)
        marked_a, marked_b = _size(ranges_a), _size(ranges_b)
        both = _intersection_size(ranges_a, ranges_b)
        tallies[label] = [len(a), len(b), exact, overlap, both, marked_a - both, marked_b - both]
    return counter.total, tallies


def _f1(matched: int, a_spans: int, b_spans: int) -> float:
    """2·matched / (a_spans + b_spans); 1.0 when neither annotator has a span (nothing to disagree on)."""
    total = a_spans + b_spans
    return 1.0 if total == 0 else 2 * matched / total


def cohen_kappa(n11: int, n10: int, n01: int, n00: int) -> float | None:
    """Cohen's kappa of two binary sequences from their 2×2 table (n10: A marks 1, B marks 0).

    kappa = (po − pe) / (1 − pe), po = (n11 + n00)/n, pe = pA1·pB1 + pA0·pB0, computed in integers.
    1.0 when both are constant and equal (pe = 1); None when n = 0.
    """
    n = n11 + n10 + n01 + n00
    if n == 0:
        return None
    a1, b1 = n11 + n10, n11 + n01
    expected = a1 * b1 + (n - a1) * (n - b1)  # n² · pe
    if expected == n * n:
        return 1.0
    return (n * (n11 + n00) - expected) / (n * n - expected)


def krippendorff_alpha(n11: int, n10: int, n01: int, n00: int) -> float | None:
    """Krippendorff's alpha, nominal, two coders, no missing data, from the same 2×2 table.

    With N units, 2N pairable values, n1 = values 1 (= a1 + b1) and n0 = 2N − n1:
    alpha = 1 − Do/De = 1 − (2N − 1)·(n10 + n01) / (n0·n1). 1.0 when every value is the same
    (both constant and equal); None when N = 0.
    """
    n = n11 + n10 + n01 + n00
    if n == 0:
        return None
    ones = 2 * n11 + n10 + n01
    zeros = 2 * n - ones
    if ones == 0 or zeros == 0:
        return 1.0
    return 1 - (2 * n - 1) * (n10 + n01) / (zeros * ones)


def _figures(tally: Sequence[int], token_total: int) -> dict:
    n11, n10, n01 = tally[N11], tally[N10], tally[N01]
    n00 = token_total - n11 - n10 - n01
    return {
        "a_spans": tally[A_SPANS],
        "b_spans": tally[B_SPANS],
        "matched_exact": tally[EXACT],
        "f1_exact": _f1(tally[EXACT], tally[A_SPANS], tally[B_SPANS]),
        "matched_overlap": tally[OVERLAP],
        "f1_overlap": _f1(tally[OVERLAP], tally[A_SPANS], tally[B_SPANS]),
        "kappa_token": cohen_kappa(n11, n10, n01, n00),
        "alpha_token": krippendorff_alpha(n11, n10, n01, n00),
    }


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def _overall(labels: dict[str, dict]) -> dict:
    """Counts summed over labels, F1 from the sums (micro), kappa and alpha the mean over labels."""
    sums = {k: sum(f[k] for f in labels.values()) for k in ("a_spans", "b_spans", "matched_exact", "matched_overlap")}
    return {
        "a_spans": sums["a_spans"],
        "b_spans": sums["b_spans"],
        "matched_exact": sums["matched_exact"],
        "f1_exact": _f1(sums["matched_exact"], sums["a_spans"], sums["b_spans"]),
        "matched_overlap": sums["matched_overlap"],
        "f1_overlap": _f1(sums["matched_overlap"], sums["a_spans"], sums["b_spans"]),
        "kappa_token": _mean(f["kappa_token"] for f in labels.values()),
        "alpha_token": _mean(f["alpha_token"] for f in labels.values()),
    }


_COUNTED_ARTICLES = """
SELECT a.id, a.title, a.text,
       (SELECT json_group_array(json_array(n.annotator, n.start, n."end", n.label))
          FROM annotations n
         WHERE n.article_id = a.id AND n.deleted = 0 AND n.annotator IN (:a, :b)) AS spans
FROM articles a
WHERE EXISTS (SELECT 1 FROM annotations x WHERE x.annotator = :a AND x.article_id = a.id AND x.deleted = 0)
  AND EXISTS (SELECT 1 FROM annotations y WHERE y.annotator = :b AND y.article_id = a.id AND y.deleted = 0)
  {only}
ORDER BY a.id
"""


@dataclass
class _ArticleTally:
    article_id: str
    title: str
    tokens: int
    labels: dict[str, list[int]]


def _article_tallies(
    store: Store, a: str, b: str, label: str | None, article_ids: Sequence[str] | None
) -> Iterator[_ArticleTally]:
    """One streaming query over the counted articles (both annotators have a live annotation, of
    any label), in id order; each article is tokenised once and then forgotten."""
    params: dict[str, object] = {"a": a, "b": b}
    only = ""
    if article_ids is not None:
        only = "AND a.id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = json.dumps(list(article_ids))
    try:
        cursor = store.db.conn.execute(_COUNTED_ARTICLES.format(only=only), params)
        for article_id, title, text, spans_json in cursor:
            by_label: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
            length = len(text)
            for who, start, end, span_label in json.loads(spans_json):
                if label is not None and span_label != label:
                    continue
                start, end = max(0, min(start, length)), max(0, min(end, length))  # never trust a row blindly
                if who == a:
                    by_label[span_label][0].append((start, end))
                if who == b:
                    by_label[span_label][1].append((start, end))
            if label is not None:
                by_label[label]  # noqa: B018 - a label asked for is reported even where unused
            token_count, labels = _article_tally(text, by_label)
            yield _ArticleTally(article_id, title, token_count, labels)
    except sqlite3.DatabaseError as exc:
        raise _translate(exc, store.path) from None


def agreement(
    store: Store,
    a: str,
    b: str,
    label: str | None = None,
    *,
    article_ids: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Agreement of annotators ``a`` and ``b`` over the project (definitions in docs/review.md).

    Returns ``{"annotators": [a, b], "articles": N, "labels": {LABEL: figures},
    "overall": figures}`` with figures ``{"a_spans", "b_spans", "matched_exact", "f1_exact",
    "matched_overlap", "f1_overlap", "kappa_token", "alpha_token"}``. The gold layer is an
    annotator like any other here: it takes part only when passed as ``a`` or ``b``.
    ``progress(done)`` is called every 500 articles (for a progress bar).
    """
    totals: dict[str, list[int]] = {}
    articles = token_total = 0
    for tally in _article_tallies(store, a, b, label, article_ids):
        articles += 1
        token_total += tally.tokens
        for name, counts in tally.labels.items():
            into = totals.setdefault(name, [0] * 7)
            for k, value in enumerate(counts):
                into[k] += value
        if progress is not None and articles % 500 == 0:
            progress(articles)
    if label is not None:
        totals.setdefault(label, [0] * 7)
    labels = {name: _figures(totals[name], token_total) for name in sorted(totals)}
    return {
        "annotators": [a, b],
        "articles": articles,
        "labels": labels,
        "overall": _overall(labels),
    }


def per_article(
    store: Store,
    a: str,
    b: str,
    label: str | None = None,
    *,
    article_ids: Sequence[str] | None = None,
) -> list[dict]:
    """The figures of each counted article, most disagreement first, for the report view.

    Each record: ``{"article_id", "title", "tokens", "disagreements", <figures>}`` where the figures
    are those of :func:`agreement`'s "overall" for that article alone (kappa and alpha: the mean
    over the labels used there by either annotator) and ``disagreements`` is the number of spans
    without an exact partner (a_spans + b_spans − 2·matched_exact). Sorted by disagreements
    (descending), then f1_exact (ascending), then article id.
    """
    rows = []
    for tally in _article_tallies(store, a, b, label, article_ids):
        labels = {name: _figures(counts, tally.tokens) for name, counts in tally.labels.items()}
        figures = _overall(labels)
        disagreements = figures["a_spans"] + figures["b_spans"] - 2 * figures["matched_exact"]
        rows.append({"article_id": tally.article_id, "title": tally.title, "tokens": tally.tokens,
                     "disagreements": disagreements, **figures})
    rows.sort(key=lambda r: (-r["disagreements"], r["f1_exact"], r["article_id"]))
    return rows



# -- the report view: both tables in one pass, and their CSV -----------------------------------

CSV_FIGURES = ("a_spans", "b_spans", "matched_exact", "f1_exact", "matched_overlap", "f1_overlap", "kappa_token",
               "alpha_token")
CSV_COLUMNS = ("scope", "label", "article_id", "title", *CSV_FIGURES, "disagreements", "tokens")


def counted_articles(store: Store, a: str, b: str, *, article_ids: Sequence[str] | None = None) -> int:
    """How many articles :func:`agreement` counts for ``a`` and ``b`` (both have a live annotation)."""
    sql = (
        "SELECT COUNT(*) FROM articles a WHERE "
        "EXISTS (SELECT 1 FROM annotations x WHERE x.annotator = :a AND x.article_id = a.id AND x.deleted = 0) "
        "AND EXISTS (SELECT 1 FROM annotations y WHERE y.annotator = :b AND y.article_id = a.id AND y.deleted = 0)"
    )
    params: dict[str, object] = {"a": a, "b": b}
    if article_ids is not None:
        sql += " AND a.id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = json.dumps(list(article_ids))
    try:
        return store.db.conn.execute(sql, params).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _translate(exc, store.path) from None


def agreement_report(
    store: Store,
    a: str,
    b: str,
    label: str | None = None,
    *,
    article_ids: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """:func:`agreement` and :func:`per_article` together, from one streaming pass (the GUI's report).

    Returns agreement()'s dict with one more key, ``"per_article"``: per_article()'s list (same
    figures, same order). ``progress(done, total)`` is called every 100 articles and at the end;
    an exception raised by it stops the computation (the GUI's Cancel).
    """
    total = counted_articles(store, a, b, article_ids=article_ids)
    totals: dict[str, list[int]] = {}
    rows: list[dict] = []
    articles = token_total = 0
    for tally in _article_tallies(store, a, b, label, article_ids):
        articles += 1
        token_total += tally.tokens
        for name, counts in tally.labels.items():
            into = totals.setdefault(name, [0] * 7)
            for k, value in enumerate(counts):
                into[k] += value
        figures = _overall({name: _figures(counts, tally.tokens) for name, counts in tally.labels.items()})
        disagreements = figures["a_spans"] + figures["b_spans"] - 2 * figures["matched_exact"]
        rows.append({"article_id": tally.article_id, "title": tally.title, "tokens": tally.tokens,
                     "disagreements": disagreements, **figures})
        if progress is not None and articles % 100 == 0:
            progress(articles, max(total, articles))
    if label is not None:
        totals.setdefault(label, [0] * 7)
    labels = {name: _figures(totals[name], token_total) for name in sorted(totals)}
    rows.sort(key=lambda r: (-r["disagreements"], r["f1_exact"], r["article_id"]))
    if progress is not None:
        progress(articles, max(total, articles))
    return {"annotators": [a, b], "articles": articles, "labels": labels, "overall": _overall(labels),
            "per_article": rows}


def write_csv(path: str | Path, figures: dict, rows: Sequence[dict] = ()) -> int:
    """Write the agreement figures as CSV (the CLI's `agree --csv` and the report's Export CSV…).

    One row per label (scope "label"), one "overall", then one per article (scope "article", all
    labels together), columns CSV_COLUMNS. Written atomically; returns the number of data rows.
    """
    from .formats import atomic_text_file  # late: the formats package is not needed otherwise

    count = 0
    with atomic_text_file(Path(path)) as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        for name, f in figures["labels"].items():
            writer.writerow({"scope": "label", "label": name, **f})
            count += 1
        writer.writerow({"scope": "overall", **figures["overall"]})
        count += 1
        for r in rows:
            writer.writerow({"scope": "article", **r})
            count += 1
    return count

# -- the gold layer ------------------------------------------------------------------------------

DECISIONS: tuple[str, ...] = ("accept_a", "accept_b", "accept_both", "reject", "edit")


@dataclass
class Decision:
    """An adjudication: what was decided on which comparison, the gold rows it made, by whom."""

    id: str
    article_id: str
    decision: str
    source_ids: list[str | None]  # [a id, b id] of the comparison (None for a missing side)
    gold_ids: list[str]  # gold annotations this decision created
    copied_from: dict[str, str]  # gold id -> the source annotation it copies
    relation_ids: list[str]  # gold relations this decision created
    decided_by: str
    decided_at: str
    comment: str = ""
    undone_at: str = ""

    @property
    def key(self) -> str:
        a, b = (list(self.source_ids) + [None, None])[:2]
        return comparison_key(a, b)

    @property
    def undone(self) -> bool:
        return bool(self.undone_at)

    def to_dict(self) -> dict:
        return asdict(self)


def _decision_from_row(row: Sequence) -> Decision:
    (id_, article_id, decision, source_ids, gold_ids, copied_from, relation_ids, by, at, comment, undone_at) = row
    return Decision(
        id_, article_id, decision, json.loads(source_ids), json.loads(gold_ids), json.loads(copied_from),
        json.loads(relation_ids), by, at, comment, undone_at,
    )


_DECISION_COLUMNS = (
    "id, article_id, decision, source_ids, gold_ids, copied_from, relation_ids, decided_by, decided_at, comment, undone_at"
)


def get_decision(store: Store, decision_id: str) -> Decision:
    """A decision by id (or a unique prefix of it)."""
    escaped = decision_id.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = store.db.conn.execute(
        f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 2",
        (escaped + "%",),
    ).fetchall()
    exact = [r for r in rows if r[0] == decision_id]
    if not decision_id.strip() or not rows:
        raise NotFoundError(f"no decision with id {decision_id}")
    if len(rows) > 1 and not exact:
        raise AmbiguousIdError(f"decision id {decision_id} is ambiguous")
    return _decision_from_row((exact or rows)[0])


def decisions_for(store: Store, article_id: str | None = None, *, include_undone: bool = False) -> list[Decision]:
    """Decisions of one article (or of the project), oldest first; undone ones only if asked."""
    sql = f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE 1 = 1"
    params: list[object] = []
    if article_id is not None:
        sql += " AND article_id = ?"
        params.append(article_id)
    if not include_undone:
        sql += " AND undone_at = ''"
    rows = store.db.conn.execute(sql + " ORDER BY decided_at, id", params).fetchall()
    return [_decision_from_row(r) for r in rows]


def _live(store: Store, annotation: Annotation | None) -> Annotation | None:
    """The annotation as stored now (a comparison may be older than the last edit)."""
    if annotation is None:
        return None
    current = store.get_annotation(annotation.id)
    if current.deleted:
        raise ValidationError(f"annotation {annotation.id[:8]} has been deleted since the comparison was made")
    return current


def decide(
    store: Store,
    comparison: Comparison,
    decision: str,
    decided_by: str,
    comment: str = "",
    *,
    start: int | None = None,
    end: int | None = None,
    label: str | None = None,
    attributes: dict[str, object] | None = None,
) -> Decision:
    """Adjudicate one comparison in one transaction; returns the Decision (its ``gold_ids`` and
    ``relation_ids`` are what :func:`undo_decision` removes).

    * ``accept_a`` / ``accept_b``: copy A's (B's) span into gold;
    * ``accept_both``: copy both (one gold span only if they are identical);
    * ``reject``: nothing goes into gold; the decision is recorded;
    * ``edit``: a new gold span with ``start``, ``end``, ``label`` (defaults: A's, else B's) and the
      attributes of that span that the label allows (or ``attributes``).

    A gold span identical (bounds and label) to a live gold span is not created twice. Relations
    of the source annotator between spans that both have a gold copy are copied into gold.
    A comparison that already has a standing decision is refused: undo that one first.
    """
    if decision not in DECISIONS:
        raise ValidationError(f"unknown decision {decision!r}; expected one of {', '.join(DECISIONS)}")
    if not decided_by.strip():
        raise ValidationError("a decision needs the name of who decides")
    a, b = _live(store, comparison.a), _live(store, comparison.b)
    if a is None and b is None:
        raise ValidationError("an empty comparison cannot be decided")
    if a is not None and b is not None and a.article_id != b.article_id:
        raise ValidationError("the two spans of a comparison must belong to the same article")
    article_id = (a or b).article_id  # type: ignore[union-attr]
    if decision == "accept_a" and a is None:
        raise ValidationError("accept_a: this comparison has no span of A")
    if decision == "accept_b" and b is None:
        raise ValidationError("accept_b: this comparison has no span of B")
    copies: list[tuple[Annotation, Annotation]] = []  # (gold, source)
    stamp = now()
    if decision in ("accept_a", "accept_b", "accept_both"):
        sources = {"accept_a": [a], "accept_b": [b], "accept_both": [a, b]}[decision]
        for source in sources:
            if source is not None:
                copies.append((_gold_copy(source, source.start, source.end, source.label, source.attributes, stamp), source))
    elif decision == "edit":
        base = a or b
        assert base is not None
        new_label = label if label is not None else base.label
        store.schema.label(new_label)
        new_start = base.start if start is None else start
        new_end = base.end if end is None else end
        text = store.get_article(article_id).text
        check_span(text, new_start, new_end)
        if attributes is None:
            kept = _attributes_that_fit(store, new_label, base.attributes)
        else:
            kept = store.schema.validate_attributes(new_label, attributes)
        gold = _gold_copy(base, new_start, new_end, new_label, kept, stamp, text=text)
        copies.append((gold, base))

    with store.transaction() as db:
        # Checked inside the transaction: another window deciding at the same time makes one of
        # the two commits fail (SQLite's snapshot check) rather than both go through.
        key = comparison.key
        standing = [d for d in decisions_for(store, article_id) if d.key == key]
        if standing:
            raise ValidationError(
                f"this comparison is already decided ({standing[0].decision}, decision {standing[0].id[:8]}); "
                "undo it first"
            )
        live_gold = {(g.start, g.end, g.label) for g in store.annotations_for(article_id, annotator=GOLD)}
        created: list[tuple[Annotation, Annotation]] = []
        for gold, source in copies:
            bounds = (gold.start, gold.end, gold.label)
            if bounds not in live_gold:
                live_gold.add(bounds)
                created.append((gold, source))
        record = Decision(
            id=new_id(),
            article_id=article_id,
            decision=decision,
            source_ids=list(comparison.source_ids),
            gold_ids=[g.id for g, _ in created],
            copied_from={g.id: s.id for g, s in created},
            relation_ids=[],
            decided_by=decided_by.strip(),
            decided_at=stamp,
            comment=comment,
        )
        for gold, _ in created:
            db.conn.execute(*_insert_sql("annotations", _annotation_row(gold)))
        record.relation_ids = _copy_relations(store, db, article_id, record.copied_from, stamp)
        db.conn.execute(
            f"INSERT INTO decisions({_DECISION_COLUMNS}) VALUES ({', '.join('?' * 11)})",
            (
                record.id, record.article_id, record.decision, json.dumps(record.source_ids),
                json.dumps(record.gold_ids), json.dumps(record.copied_from, sort_keys=True),
                json.dumps(record.relation_ids), record.decided_by, record.decided_at, record.comment, "",
            ),
        )
    return record


def _gold_copy(
    source: Annotation,
    start: int,
    end: int,
    label: str,
    attributes: dict[str, object],
    stamp: str,
    text: str | None = None,
) -> Annotation:
    if text is None or (start, end) == (source.start, source.end):
        quote, prefix, suffix = source.quote, source.prefix, source.suffix
    else:
        selector = textspan.make_selector(text, start, end)
        quote, prefix, suffix = selector.exact, selector.prefix, selector.suffix
    return Annotation(
        id=new_id(), article_id=source.article_id, start=start, end=end, label=label, quote=quote,
        prefix=prefix, suffix=suffix, attributes=dict(attributes), note=source.note, annotator=GOLD,
        created=stamp, updated=stamp, origin="manual",
    )


def _attributes_that_fit(store: Store, label: str, attributes: dict[str, object]) -> dict[str, object]:
    kept: dict[str, object] = {}
    for name, value in attributes.items():
        try:
            kept.update(store.schema.validate_attributes(label, {name: value}))
        except ValidationError:
            continue
    return kept


def _copy_relations(
    store: Store, db: sqlite_utils.Database, article_id: str, new_copies: dict[str, str], stamp: str
) -> list[str]:
    """Gold relations between gold spans whose sources are related (inside the open transaction)."""
    if not new_copies:
        return []
    conn = db.conn
    gold_of: dict[str, str] = {}  # source id -> live gold id
    for decision in decisions_for(store, article_id):
        gold_of.update({source: gold for gold, source in decision.copied_from.items()})
    gold_of.update({source: gold for gold, source in new_copies.items()})
    live_gold = {row[0] for row in conn.execute(
        "SELECT id FROM annotations WHERE article_id = ? AND annotator = ? AND deleted = 0", (article_id, GOLD))}
    gold_of = {s: g for s, g in gold_of.items() if g in live_gold}
    existing = {(r[0], r[1], r[2]) for r in conn.execute(
        "SELECT head, tail, type FROM relations WHERE article_id = ? AND annotator = ? AND deleted = 0",
        (article_id, GOLD))}
    created = []
    for source in new_copies.values():
        for head, tail, type_ in conn.execute(
            "SELECT head, tail, type FROM relations WHERE (head = ? OR tail = ?) AND deleted = 0 AND annotator != ?",
            (source, source, GOLD),
        ).fetchall():
            if head not in gold_of or tail not in gold_of:
                continue
            mapped = (gold_of[head], gold_of[tail], type_)
            if mapped in existing or not _relation_fits(store, conn, mapped):
                continue
            relation = Relation(new_id(), article_id, mapped[0], mapped[1], type_, GOLD, stamp, stamp)
            conn.execute(*_insert_sql("relations", _relation_row(relation)))
            existing.add(mapped)
            created.append(relation.id)
    return created


def _relation_fits(store: Store, conn: sqlite3.Connection, relation: tuple[str, str, str]) -> bool:
    head, tail, type_ = relation
    try:
        kind = store.schema.relation_type(type_)
    except ValidationError:
        return False
    labels = dict(conn.execute("SELECT id, label FROM annotations WHERE id IN (?, ?)", (head, tail)).fetchall())
    return (not kind.head or labels.get(head) in kind.head) and (not kind.tail or labels.get(tail) in kind.tail)


def accept_a(store: Store, comparison: Comparison, decided_by: str, comment: str = "") -> Decision:
    return decide(store, comparison, "accept_a", decided_by, comment)


def accept_b(store: Store, comparison: Comparison, decided_by: str, comment: str = "") -> Decision:
    return decide(store, comparison, "accept_b", decided_by, comment)


def accept_both(store: Store, comparison: Comparison, decided_by: str, comment: str = "") -> Decision:
    return decide(store, comparison, "accept_both", decided_by, comment)


def reject(store: Store, comparison: Comparison, decided_by: str, comment: str = "") -> Decision:
    return decide(store, comparison, "reject", decided_by, comment)


def edit(
    store: Store,
    comparison: Comparison,
    start: int,
    end: int,
    label: str,
    decided_by: str,
    comment: str = "",
    attributes: dict[str, object] | None = None,
) -> Decision:
    return decide(store, comparison, "edit", decided_by, comment, start=start, end=end, label=label, attributes=attributes)


def accept(store: Store, annotation_id: str, decided_by: str, comment: str = "") -> Decision:
    """Accept one annotation into gold, outside any comparison (recorded as accept_a of "<id>:-")."""
    annotation = store.get_annotation(annotation_id)
    return decide(store, Comparison("only_a", annotation, None), "accept_a", decided_by, comment)


def undo_decision(store: Store, decision_id: str) -> Decision:
    """Take a decision back in one transaction: its gold spans and relations become tombstones
    (with any live relation that uses those spans) and the decision is marked undone."""
    decision = get_decision(store, decision_id)
    if decision.undone:
        raise ValidationError(f"decision {decision.id[:8]} is already undone")
    stamp = now()
    with store.transaction() as db:
        conn = db.conn
        conn.executemany(
            "UPDATE annotations SET deleted = 1, updated = ? WHERE id = ? AND deleted = 0",
            [(stamp, g) for g in decision.gold_ids],
        )
        conn.executemany(
            "UPDATE relations SET deleted = 1, updated = ? WHERE (head = ? OR tail = ?) AND deleted = 0",
            [(stamp, g, g) for g in decision.gold_ids],
        )
        conn.executemany(
            "UPDATE relations SET deleted = 1, updated = ? WHERE id = ? AND deleted = 0",
            [(stamp, r) for r in decision.relation_ids],
        )
        conn.execute("UPDATE decisions SET undone_at = ? WHERE id = ?", (stamp, decision.id))
    decision.undone_at = stamp
    return decision


def redo_decision(store: Store, decision_id: str) -> Decision:
    """Reverse undo_decision (for an undo stack): the same gold rows come back, ids unchanged."""
    decision = get_decision(store, decision_id)
    if not decision.undone:
        raise ValidationError(f"decision {decision.id[:8]} is not undone")
    if any(d.key == decision.key for d in decisions_for(store, decision.article_id)):
        raise ValidationError("this comparison has been decided again since; undo that decision first")
    stamp = now()
    with store.transaction() as db:
        conn = db.conn
        conn.executemany(
            "UPDATE annotations SET deleted = 0, updated = ? WHERE id = ?", [(stamp, g) for g in decision.gold_ids]
        )
        conn.executemany(
            "UPDATE relations SET deleted = 0, updated = ? WHERE id = ?", [(stamp, r) for r in decision.relation_ids]
        )
        conn.execute("UPDATE decisions SET undone_at = '' WHERE id = ?", (decision.id,))
    decision.undone_at = ""
    return decision


# -- a colleague's project -----------------------------------------------------------------------


def open_colleague_project(path: str | Path, *, timeout: float = BUSY_TIMEOUT_SECONDS) -> Store:
    """Open a colleague's project file for reading only, writing nothing to it or beside it.

    When no ``-wal`` file lies next to it (the file is closed: the normal case for a file that was
    sent or copied), it is opened with SQLite's ``immutable=1``: no lock, no ``-shm``/``-wal``
    created, the file's bytes and mtime stay as they were, and a read-only folder or medium works.
    When a ``-wal`` file exists (the colleague's app may be open, or it crashed), their latest
    changes are in it and ``immutable`` would miss them (or misread a file being checkpointed), so
    the file is opened with ``mode=ro`` instead: the main file is still never written, but SQLite
    may create a ``-shm`` file beside it. Files of any version from 1 to this app's are accepted
    (merging reads only articles, annotations and relations); newer ones are refused.
    """
    path = Path(path)
    if not path.exists():
        raise ProjectError(f"{path}: no such project file")
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    _refuse_non_sqlite(path)
    wal = path.with_name(path.name + "-wal")
    query = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=timeout)
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise _translate(exc, path) from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise ProjectError(
            f"{path}: made by a newer News Annotator (file version {version}, this one reads up to "
            f"{SCHEMA_VERSION}); update the app to merge it"
        )
    if version < 1 or not {"articles", "annotations", "relations"} <= tables:
        conn.close()
        raise ProjectError(f"{path}: not a News Annotator project")
    return Store(conn, path, readonly=True)


@dataclass
class Unanchored:
    """A colleague's annotation (or relation) that could not be placed in this project."""

    id: str
    article_id: str  # the colleague's article id
    title: str
    label: str
    quote: str
    annotator: str
    reason: str


@dataclass
class MergeReport:
    articles_added: int = 0
    articles_present: int = 0  # same text (same id) already here
    articles_matched: list[tuple[str, str]] = field(default_factory=list)  # (their id, our id): same url/title, other text
    annotations: UpsertCounts = field(default_factory=UpsertCounts)  # what Store.put_annotations did
    annotations_reanchored: int = 0  # of those added or changed: placed on our text by their quote (text differed)
    relations: UpsertCounts = field(default_factory=UpsertCounts)
    unknown_deletions: int = 0  # their tombstones of rows that could not be placed here (nothing to delete)
    unanchored: list[Unanchored] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.articles_added
            or any((c.added, c.updated, c.deleted) != (0, 0, 0) for c in (self.annotations, self.relations))
        )

    def to_dict(self) -> dict:
        record = asdict(self)
        record["articles_matched"] = [list(pair) for pair in self.articles_matched]
        return record


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> Iterator[dict]:
    cursor = conn.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row))


def _their_article(row: dict) -> Article:
    """An article row of the colleague's file (of any version: missing columns take defaults)."""
    known = {f for f in Article.__dataclass_fields__}
    fields = {k: v for k, v in row.items() if k in known}
    fields["blocks"] = [Block(kind, start, end) for kind, start, end in json.loads(fields["blocks"])]
    fields["authors"] = json.loads(fields.get("authors") or "[]")
    return Article(**fields)


def _their_annotation(row: dict) -> Annotation:
    known = {f for f in Annotation.__dataclass_fields__}
    fields = {k: v for k, v in row.items() if k in known}
    fields["attributes"] = json.loads(fields.get("attributes") or "{}")
    fields["deleted"] = bool(fields.get("deleted"))
    return Annotation(**fields)


def _their_relation(row: dict) -> Relation:
    known = {f for f in Relation.__dataclass_fields__}
    fields = {k: v for k, v in row.items() if k in known}
    fields["deleted"] = bool(fields.get("deleted"))
    return Relation(**fields)


class _LocalArticles:
    """Finds our article for one of theirs: same id (same text), else same url (when both have one),
    else same title (when either has no url); several candidates is no match. Built on first need."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._by_url: dict[str, list[str]] | None = None
        self._by_title: dict[str, list[tuple[str, str]]] = {}
        self._texts: dict[str, str] = {}

    def _load(self) -> None:
        self._by_url = defaultdict(list)
        self._by_title = defaultdict(list)
        for id_, url, title in self.conn.execute("SELECT id, url, title FROM articles"):
            self.add(id_, url, title)

    def add(self, id_: str, url: str, title: str) -> None:
        if self._by_url is None:
            return
        if url:
            self._by_url[url].append(id_)
        if title:
            self._by_title[title].append((id_, url))

    def exists(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def match(self, article: Article) -> str | None:
        if self._by_url is None:
            self._load()
        assert self._by_url is not None
        candidates = list(self._by_url.get(article.url, [])) if article.url else []
        if not candidates and article.title:
            candidates = [i for i, url in self._by_title.get(article.title, []) if not url or not article.url]
        return candidates[0] if len(candidates) == 1 else None

    def text(self, article_id: str) -> str:
        if article_id not in self._texts:
            if len(self._texts) > 64:
                self._texts.clear()
            self._texts[article_id] = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        return self._texts[article_id]


def merge_from(
    store: Store,
    other: Store,
    annotators: Iterable[str] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> MergeReport:
    """Bring a colleague's work into ``store``, all in one transaction (all or nothing).

    * Articles are matched by id (= same text). An article of theirs whose id is not here is matched
      by url (when both have one), else by title (when either has no url), to exactly one of ours;
      its annotations are then re-anchored onto our text by their quote and context
      (textspan.reanchor); what cannot be anchored is listed in the report (``unanchored``), never
      dropped silently. An article matching nothing is added as it is.
    * Annotations and relations keep their ids (UUIDs), annotator names, origin and timestamps, and
      are upserted by ``Store.put_annotations`` / ``put_relations``, the rule shared with
      `import-annotations`: a row we do not have is added (a tombstone too, so an older copy of
      their set cannot bring it back); the same content changes nothing; a different row replaces
      ours only when its ``updated`` is later (their edits and deletions apply, a deletion takes
      the annotation's relations along), otherwise ours is kept. Merging the same file twice
      changes nothing.
    * ``annotators`` limits what is copied to those annotators (and to the articles that carry at
      least one of their rows). Without it, everything except the gold layer is copied; name
      ``gold`` explicitly to bring in a colleague's adjudicated layer. Decisions are not copied.
    * Labels, attributes and relation types are checked against this project's schema, as for any
      import: a label this project does not know stops the merge with a clear error, nothing written.
    """
    if other.path.resolve() == store.path.resolve():
        raise ValidationError(f"{other.path}: that is this project itself")
    wanted = set(annotators) if annotators else None

    def selected(annotator: str) -> bool:
        return annotator in wanted if wanted is not None else annotator != GOLD

    report = MergeReport()
    with store.transaction() as db:
        conn = db.conn
        local = _LocalArticles(conn)
        stamp = now()
        done = 0
        their_conn = other.db.conn
        for row in _rows(their_conn, "SELECT * FROM articles ORDER BY id"):
            theirs = _their_article(row)
            annotations = [
                a for a in map(_their_annotation, _rows(
                    their_conn, "SELECT * FROM annotations WHERE article_id = ? ORDER BY created, id", (theirs.id,)))
                if selected(a.annotator)
            ]
            relations = [
                r for r in map(_their_relation, _rows(
                    their_conn, "SELECT * FROM relations WHERE article_id = ? ORDER BY created, id", (theirs.id,)))
                if selected(r.annotator)
            ]
            if wanted is not None and not annotations and not relations:
                continue
            target = _target_article(conn, local, theirs, report, stamp)
            placed = [p for p in (_place(conn, local, theirs, target, a, report) for a in annotations) if p]
            if placed:
                report.annotations += store.put_annotations(placed)
            linked = [r for r in (_place_relation(conn, theirs, r, report) for r in relations) if r]
            if linked:
                report.relations += store.put_relations(linked)
            done += 1
            if progress is not None:
                progress(done)
    return report


def _target_article(conn: sqlite3.Connection, local: _LocalArticles, theirs: Article, report: MergeReport, stamp: str) -> str:
    if local.exists(theirs.id):
        report.articles_present += 1
        return theirs.id
    matched = local.match(theirs)
    if matched is not None:
        report.articles_matched.append((theirs.id, matched))
        return matched
    conn.execute(*_insert_sql("articles", _article_row(theirs, stamp)))
    local.add(theirs.id, theirs.url, theirs.title)
    report.articles_added += 1
    return theirs.id


def _place(
    conn: sqlite3.Connection, local: _LocalArticles, theirs: Article, target: str, ann: Annotation, report: MergeReport
) -> Annotation | None:
    """Their annotation as it goes into our project, or None (listed in the report) if it cannot."""
    mine = conn.execute(
        'SELECT article_id, start, "end", label, attributes, note, annotator, deleted FROM annotations WHERE id = ?',
        (ann.id,),
    ).fetchone()
    if mine is not None:
        target = mine[0]  # where an earlier merge (or import) put it
    if target == ann.article_id:
        return ann  # same text: same offsets
    if ann.deleted:
        if mine is not None:  # their deletion of a row we have: no need to find it again
            return replace(ann, article_id=target, start=mine[1], end=mine[2])
        report.unknown_deletions += 1
        return None
    placed = _reanchored(local.text(target), ann, target)
    if placed is None:
        reason = "the quote was not found in our version of the article"
        if mine is not None:
            reason += "; their newer version of it was not applied"
        report.unanchored.append(Unanchored(ann.id, theirs.id, theirs.title, ann.label, ann.quote, ann.annotator, reason))
        return None
    stored = None if mine is None else (mine[1], mine[2], mine[3], json.loads(mine[4]), mine[5], mine[6], bool(mine[7]))
    if stored != (placed.start, placed.end, placed.label, placed.attributes, placed.note, placed.annotator, placed.deleted):
        report.annotations_reanchored += 1  # counted only when this merge adds or changes it
    return placed


def _reanchored(text: str, ann: Annotation, article_id: str) -> Annotation | None:
    selector = textspan.QuoteSelector(ann.quote, ann.prefix, ann.suffix)
    found = textspan.reanchor(text, selector, hint=ann.start)
    if found is None:
        return None
    start, end = found
    fresh = textspan.make_selector(text, start, end)
    return replace(ann, article_id=article_id, start=start, end=end, quote=fresh.exact, prefix=fresh.prefix,
                   suffix=fresh.suffix)


def _place_relation(conn: sqlite3.Connection, theirs: Article, rel: Relation, report: MergeReport) -> Relation | None:
    """Their relation with our article id, or None (listed) when its ends are not both here and live."""
    ends = {
        row[0]: (row[1], row[2])
        for row in conn.execute("SELECT id, article_id, deleted FROM annotations WHERE id IN (?, ?)", (rel.head, rel.tail))
    }
    problem = ""
    for end, name in ((rel.head, "head"), (rel.tail, "tail")):
        if end not in ends:
            problem = problem or f"relation: its {name} annotation could not be placed here"
        elif ends[end][1] and not rel.deleted:
            problem = problem or f"relation: its {name} annotation is deleted here"
    if not problem and ends[rel.head][0] != ends[rel.tail][0]:
        problem = "relation: its two annotations are in different articles here"
    if problem:
        if rel.deleted:
            report.unknown_deletions += 1
        else:
            report.unanchored.append(Unanchored(rel.id, theirs.id, theirs.title, rel.type, "", rel.annotator, problem))
        return None
    return replace(rel, article_id=ends[rel.head][0])


# -- row writing (inside an open transaction) ----------------------------------------------------


def _insert_sql(table: str, row: dict[str, object]) -> tuple[str, tuple[object, ...]]:
    columns = ", ".join(f'"{k}"' for k in row)
    return f"INSERT INTO {table}({columns}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
