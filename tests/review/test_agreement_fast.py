"""The per-article tally agree runs gives exactly what the earlier, plainer computation gave.

The reference below is that computation as it was (token counter cutting the text at every span
offset, merged token ranges, Counter meet, compare.greedy_matching over the given order), kept here
to check the fast one against: generated texts with emoji, combining marks, underscores and digits,
spans that overlap, repeat, touch, sit on whitespace or cut words, several labels.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.review import figures
from annotator.review.compare import greedy_matching, overlapping_pairs

_TOKENS = re.compile(r"\w+|[^\w\s]")


class _ReferenceTokenCounter:
    def __init__(self, text: str, offsets: Iterable[int]) -> None:
        length = len(text)
        before = {0: 0}
        first = {0: 0}
        total = previous = 0
        cut_previous = False
        for p in sorted(set(offsets)):
            if p <= 0 or p > length:
                continue
            total += len(_TOKENS.findall(text, previous, p)) - cut_previous
            if p < length:
                left, right = text[p - 1], text[p]
                cut_previous = (left.isalnum() or left == "_") and (right.isalnum() or right == "_")
            else:
                cut_previous = False
            before[p] = total
            first[p] = total - cut_previous
            previous = p
        if previous < length:
            total += len(_TOKENS.findall(text, previous, length)) - cut_previous
        self.before, self.first, self.total = before, first, total

    def ranges(self, spans):
        merged: list[list[int]] = []
        for lo, hi in sorted((self.first[s], self.before[e]) for s, e in spans):
            if lo >= hi:
                continue
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        return [(lo, hi) for lo, hi in merged]


def _intersection_size(x, y) -> int:
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


def _reference_matched(a, b) -> tuple[int, int]:
    if not a or not b:
        return 0, 0
    exact = sum((Counter(a) & Counter(b)).values())
    overlap = len(greedy_matching(overlapping_pairs(a, b), a, b, set(range(len(a))), set(range(len(b)))))
    return exact, overlap


def _reference_tally(text: str, by_label: dict) -> tuple[int, dict]:
    counter = _ReferenceTokenCounter(text, (p for a, b in by_label.values() for span in (*a, *b) for p in span))
    tallies = {}
    for label, (a, b) in by_label.items():
        exact, overlap = _reference_matched(a, b)
        ranges_a, ranges_b = counter.ranges(a), counter.ranges(b)
        marked_a = sum(hi - lo for lo, hi in ranges_a)
        marked_b = sum(hi - lo for lo, hi in ranges_b)
        both = _intersection_size(ranges_a, ranges_b)
        tallies[label] = [len(a), len(b), exact, overlap, both, marked_a - both, marked_b - both]
    return counter.total, tallies


_ALPHABET = list("ab_1 \t\n.,'’—éß٣\u0301😀👍🏽-") + ["\u00a0", "\u2028"]
_TEXT = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=60)


@st.composite
def _article(draw):
    text = draw(_TEXT)
    n = len(text)
    span = st.tuples(st.integers(0, n), st.integers(0, 12)).map(lambda t: (t[0], min(n, t[0] + t[1])))
    labels = draw(st.lists(st.sampled_from(["CLAIM", "SOURCE", "CAPTION"]), min_size=1, max_size=3, unique=True))
    by_label = {}
    for label in labels:
        a = draw(st.lists(span, max_size=10))
        b = draw(st.lists(st.one_of(span, st.sampled_from(a) if a else span), max_size=10))  # repeats of A's
        by_label[label] = (a, b)
    return text, by_label


@settings(max_examples=600, deadline=None)
@given(_article())
def test_the_tally_is_the_reference_tally(case):
    text, by_label = case
    assert figures._article_tally(text, by_label) == _reference_tally(text, by_label)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 9)), max_size=25),
       st.lists(st.tuples(st.integers(0, 30), st.integers(1, 9)), max_size=25))
def test_matched_spans_is_the_reference_matching(raw_a, raw_b):
    """Past 256 pairs the sweep of overlapping_pairs gives the pairs; below, the double loop."""
    a = [(s, s + k) for s, k in raw_a]
    b = [(s, s + k) for s, k in raw_b]
    assert figures.matched_spans(a, b) == _reference_matched(a, b)


def test_large_articles_like_the_benchmark_give_the_reference_tally():
    """Articles of a few thousand characters with 20 spans a side, as bench_agree builds them."""
    rng = random.Random(15)
    words = ["Kim", "met", "Putin", "in", "Moscow", "😀", "—", "3.5%", "über", "snake_case", "’s", "\n\n"]
    for _ in range(40):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(50, 600)))
        by_label: dict = {}
        for _ in range(20):
            start = rng.randrange(0, len(text))
            end = min(len(text), start + rng.randrange(0, 60))
            label = rng.choice(["CLAIM", "SOURCE", "CAPTION"])
            a, b = by_label.setdefault(label, ([], []))
            a.append((start, end))
            roll = rng.random()
            if roll < 0.4:
                b.append((start, end))
            elif roll < 0.7:
                b.append((max(0, start - rng.randrange(4)), min(len(text), end + rng.randrange(6))))
            else:
                s2 = rng.randrange(0, len(text))
                b.append((s2, min(len(text), s2 + rng.randrange(1, 60))))
        assert figures._article_tally(text, by_label) == _reference_tally(text, by_label)


def test_two_cores_give_the_figures_of_one_pass(store, monkeypatch):
    """agreement() on a project big enough for a second process: the same dict as in one pass,
    whatever the split (here 7 articles cut at the middle id, the later half in another process)."""
    import support

    from annotator import review

    from .conftest import add_at, article

    rng = random.Random(3)
    arts = [article(f"Kim 😀 met Putin_{n} in Moscow — über {n}. " * rng.randrange(1, 4)) for n in range(7)]
    support.add_articles(store, arts)
    for art in arts:
        text = art.text
        for who in ("ana", "ben"):
            for _ in range(rng.randrange(1, 5)):
                start = rng.randrange(0, len(text) - 1)
                add_at(store, art, start, rng.randrange(start + 1, len(text) + 1), rng.choice(["CLAIM", "SOURCE"]), who)
    monkeypatch.setattr(figures, "TWO_CORES_FROM", 10**9)
    one_pass = review.agreement(store, "ana", "ben")
    assert figures._totals_on_two_cores(store, "ana", "ben", None) is None  # too small: one pass
    monkeypatch.setattr(figures, "TWO_CORES_FROM", 2)
    halves = figures._totals_on_two_cores(store, "ana", "ben", None)
    assert halves is not None and 0 < len(halves[2]) and halves[0] == one_pass["articles"] == 7
    assert review.agreement(store, "ana", "ben") == one_pass
    assert review.agreement(store, "ana", "ben", "CLAIM") == review.agreement(store, "ana", "ben", "CLAIM", progress=lambda n: None)
    # the second process itself answers (were it to fail, its half would be done here, unseen)
    import json
    import subprocess
    import sys

    middle = store.middle_article_id(2)
    request = json.dumps([str(store.path), "ana", "ben", None, middle])
    done = subprocess.run([sys.executable, "-m", "annotator.review.agree_half", request], capture_output=True,
                          text=True, check=True)
    assert json.loads(done.stdout) == list(figures._totals(store, "ana", "ben", None, None, from_id=middle))
    assert 0 < json.loads(done.stdout)[0] < 7
