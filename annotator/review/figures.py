"""Agreement figures between two annotators: F1 (exact, overlap), Cohen's kappa and Krippendorff's
alpha over tokens, per label and per article, in one streaming pass over the project.

Definitions in docs/review.md. The gold layer is an annotator like any other here: it takes part
only when passed as ``a`` or ``b``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, chain, repeat, starmap
from operator import sub
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

from ..gc_pause import paused_gc
from ..store import Store
from .compare import compare, disagreements, overlapping_pairs

# -- agreement figures ---------------------------------------------------------------------------

TOKEN_PATTERN = r"\w+|[^\w\s]"
# The same tokens, a little faster to scan: where \w+ does not match, \S can only match a [^\w\s]
# character (test_metrics checks that both give the same spans).
_TOKENS = re.compile(r"\w+|\S")
_SPEC_TOKENS = re.compile(TOKEN_PATTERN)


def tokens(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each token of ``text`` (regex TOKEN_PATTERN); for display and tests."""
    return [m.span() for m in _SPEC_TOKENS.finditer(text)]


# The tokens of TOKEN_PATTERN, each found as an empty group: findall then counts them without
# building a string per token.
_COUNT_TOKENS = re.compile(r"(?:\w+|\S)()")
# Matches at p when p cuts a word: word characters on both sides (textspan.is_word_char twice, in C).
_CUTS_WORD = re.compile(r"(?<=\w)\w")


def _token_ranges(text: str, spans: Sequence[tuple[int, int]]) -> tuple[int, list[tuple[int, int]]]:
    """(tokens in ``text``, [(first token, after last token) touched by each span]): one regex pass.

    The text is cut at the spans' offsets (each between 0 and len(text)) and the tokens of each
    piece are counted; a piece that begins inside a word first meets the tail of a token counted in
    the piece before, which is subtracted. before(p), the tokens that start before p, is the running
    sum; a span (s, e) touches [first(s), before(e)), first(p) being before(p) less one when p cuts
    a word (that word starts before p). Every step is a C-level map over the ~2 offsets per span.
    """
    length = len(text)
    cuts = sorted(set(chain.from_iterable(spans)))
    cut_word = list(map(bool, map(_CUTS_WORD.match, repeat(text), cuts)))
    pieces = map(len, map(_COUNT_TOKENS.findall, repeat(text), [0, *cuts], [*cuts, length]))
    running = list(accumulate(map(sub, pieces, [False, *cut_word])))
    before = dict(zip(cuts, running))
    first = dict(zip(cuts, map(sub, running, cut_word)))
    return running[-1], list(zip(map(first.__getitem__, [s for s, _ in spans]),
                                 map(before.__getitem__, [e for _, e in spans])))


def _marked(ranges: Iterable[tuple[int, int]]) -> set[int]:
    """The token indices covered by some range."""
    return set(chain.from_iterable(starmap(range, ranges)))


# Per-label tally of one article or of the corpus: the order of the fields in a list.
A_SPANS, B_SPANS, EXACT, OVERLAP, N11, N10, N01 = range(7)


def _exact_matches(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Spans in both lists with the same start and end, each matched at most once (a multiset meet)."""
    set_a, set_b = set(a), set(b)
    if len(set_a) == len(a) and len(set_b) == len(b):
        return len(set_a & set_b)
    return sum((Counter(a) & Counter(b)).values())  # duplicates on a side


def _overlap_matches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """How many pairs compare.greedy_matching makes from the overlapping pairs of two SORTED lists.

    Its order is (-overlap, a[i], b[j], i, j); with both lists sorted that is (-overlap, i, j), plain
    tuples sorted natively. (Which of two equal spans is taken does not change the count.)
    """
    if len(a) * len(b) <= 256:
        pairs = [
            (max(sa, sb) - min(ea, eb), i, j)
            for i, (sa, ea) in enumerate(a)
            for j, (sb, eb) in enumerate(b)
            if sa < eb and sb < ea
        ]
    else:
        pairs = [(-shared, i, j) for shared, i, j in overlapping_pairs(a, b)]
    pairs.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    most = min(len(a), len(b))
    for _, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            if len(used_a) == most:
                break
    return len(used_a)


def matched_spans(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """(matched_exact, matched_overlap) of two annotators' (start, end) spans of one label on one
    article, as the agreement figures count them: exact = same start and end, each span matched at
    most once; overlap = a one-to-one matching of spans sharing at least one character, greedily by
    the largest overlap (compare.greedy_matching). The suggestion benchmark (benchmarks/bench_suggest.py)
    uses it too."""
    if not a or not b:
        return 0, 0
    return _exact_matches(a, b), _overlap_matches(sorted(a), sorted(b))


def _article_tally(text: str, by_label: dict[str, tuple[list, list]]) -> tuple[int, dict[str, list[int]]]:
    """(tokens, {label: [a_spans, b_spans, matched_exact, matched_overlap, n11, n10, n01]}) of one article.

    The spans' offsets must lie in [0, len(text)]. The text is tokenised once for all labels.
    """
    every: list[tuple[int, int]] = []
    for a, b in by_label.values():
        every += a
        every += b
    token_total, ranges = _token_ranges(text, every)
    tallies = {}
    at = 0
    for label, (a, b) in by_label.items():
        marked_a = _marked(ranges[at:at + len(a)])
        at += len(a)
        marked_b = _marked(ranges[at:at + len(b)])
        at += len(b)
        if a and b:
            sorted_a, sorted_b = sorted(a), sorted(b)
            exact, overlap = _exact_matches(sorted_a, sorted_b), _overlap_matches(sorted_a, sorted_b)
        else:
            exact = overlap = 0
        both = len(marked_a & marked_b)
        tallies[label] = [len(a), len(b), exact, overlap, both, len(marked_a) - both, len(marked_b) - both]
    return token_total, tallies


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


@dataclass
class _ArticleTally:
    article_id: str
    title: str
    tokens: int
    labels: dict[str, list[int]]
    disagreements: int  # compare.disagreements() of the article's two sets: what review mode counts


class _SpanRow(NamedTuple):
    """What compare() needs of a span, from the report's streaming query."""

    id: str
    start: int
    end: int
    label: str


def _article_tallies(
    store: Store, a: str, b: str, label: str | None, article_ids: Sequence[str] | None, *, compared: bool = True,
    from_id: str | None = None, before_id: str | None = None,
) -> Iterator[_ArticleTally]:
    """One streaming query over the counted articles (both annotators have a live annotation, of
    any label), in id order; each article is tokenised once and then forgotten."""
    rows = store.counted_article_spans(a, b, article_ids, with_ids=compared, from_id=from_id, before_id=before_id)
    for article_id, title, text, spans in rows:
        by_label: dict[str, tuple[list, list]] = {}
        rows_a: list[_SpanRow] = []
        rows_b: list[_SpanRow] = []
        length = len(text)
        for who, start, end, span_label, span_id in spans:
            if label is not None and span_label != label:
                continue
            if not (0 <= start <= length and 0 <= end <= length):  # never trust a row blindly
                start, end = max(0, min(start, length)), max(0, min(end, length))
            sides = by_label.get(span_label)
            if sides is None:
                sides = by_label[span_label] = ([], [])
            if who == a:
                sides[0].append((start, end))
                if compared:
                    rows_a.append(_SpanRow(span_id, start, end, span_label))
            if who == b:
                sides[1].append((start, end))
                if compared:
                    rows_b.append(_SpanRow(span_id, start, end, span_label))
        if label is not None and label not in by_label:
            by_label[label] = ([], [])  # a label asked for is reported even where unused
        token_count, labels = _article_tally(text, by_label)
        # compare needs only what Span has; the totals alone (agreement()) do not need the count
        differ = disagreements(compare(rows_a, rows_b)) if compared else 0  # type: ignore[arg-type]
        yield _ArticleTally(article_id, title, token_count, labels, differ)


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
    halves = None
    if article_ids is None and progress is None:
        halves = _totals_on_two_cores(store, a, b, label)
    if halves is None:
        articles, token_total, totals = _totals(store, a, b, label, article_ids, progress=progress)
    else:
        articles, token_total, totals = halves
    if label is not None:
        totals.setdefault(label, [0] * 7)
    labels = {name: _figures(totals[name], token_total) for name in sorted(totals)}
    return {
        "annotators": [a, b],
        "articles": articles,
        "labels": labels,
        "overall": _overall(labels),
    }


def _totals(
    store: Store, a: str, b: str, label: str | None, article_ids: Sequence[str] | None, *,
    from_id: str | None = None, before_id: str | None = None, progress: Callable[[int], None] | None = None,
) -> tuple[int, int, dict[str, list[int]]]:
    """(articles, tokens, {label: tally summed over the articles}) of agreement(), in one pass."""
    totals: dict[str, list[int]] = {}
    articles = token_total = 0
    with paused_gc():
        for tally in _article_tallies(store, a, b, label, article_ids, compared=False, from_id=from_id,
                                      before_id=before_id):
            articles += 1
            token_total += tally.tokens
            for name, counts in tally.labels.items():
                into = totals.setdefault(name, [0] * 7)
                for k, value in enumerate(counts):
                    into[k] += value
            if progress is not None and articles % 500 == 0:
                progress(articles)
    return articles, token_total, totals


# Below this many articles a second process costs more (its start, ~0.3 s) than it saves.
TWO_CORES_FROM = 4000


def _totals_on_two_cores(store: Store, a: str, b: str, label: str | None) -> tuple[int, int, dict] | None:
    """_totals() with the articles cut in two by id: the later half in a second Python process
    (``python -m annotator.review.agree_half``, its own read-only connection), the earlier one here;
    the sums are integers, so the figures are exactly those of one pass. None (do it in one pass)
    with one core, a small project or a frozen app; if the second process fails, its half is done
    here.

    A child process of its own, not multiprocessing: spawning would re-run the caller's main
    script. The two halves are read in two transactions: a change committed between their starts
    could be seen by one half only (agree on a project being edited elsewhere is a snapshot either way).
    """
    if (os.cpu_count() or 1) < 2 or getattr(sys, "frozen", False) or not Path(store.path).is_file():
        return None
    middle = store.middle_article_id(TWO_CORES_FROM)
    if middle is None:
        return None
    request = json.dumps([str(store.path), a, b, label, middle])
    try:
        child = subprocess.Popen([sys.executable, "-m", "annotator.review.agree_half", request],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    except OSError:
        return None
    try:
        articles, token_total, totals = _totals(store, a, b, label, None, before_id=middle)
    except BaseException:
        child.kill()
        child.wait()
        raise
    output, _ = child.communicate()
    try:
        if child.returncode != 0:
            raise ValueError(child.returncode)
        more_articles, more_tokens, more = json.loads(output)
    except ValueError:
        more_articles, more_tokens, more = _totals(store, a, b, label, None, from_id=middle)
    for name, counts in more.items():
        into = totals.setdefault(name, [0] * 7)
        for k, value in enumerate(counts):
            into[k] += value
    return articles + more_articles, token_total + more_tokens, totals


def later_half(request: str) -> str:
    """The child's side of _totals_on_two_cores: its request in, the JSON of its _totals() out."""
    path, a, b, label, middle = json.loads(request)
    with Store.open(path, readonly=True) as store:
        return json.dumps(_totals(store, a, b, label, None, from_id=middle))


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
    over the labels used there by either annotator) and ``disagreements`` is the number of
    comparisons that are not agreed (:func:`compare.disagreements`, the count review mode shows for
    the same article). Sorted by disagreements
    (descending), then f1_exact (ascending), then article id.
    """
    rows = []
    for tally in _article_tallies(store, a, b, label, article_ids):
        labels = {name: _figures(counts, tally.tokens) for name, counts in tally.labels.items()}
        figures = _overall(labels)
        rows.append({"article_id": tally.article_id, "title": tally.title, "tokens": tally.tokens,
                     "disagreements": tally.disagreements, **figures})
    rows.sort(key=lambda r: (-r["disagreements"], r["f1_exact"], r["article_id"]))
    return rows



# -- the report view: both tables in one pass, and their CSV -----------------------------------

CSV_FIGURES = ("a_spans", "b_spans", "matched_exact", "f1_exact", "matched_overlap", "f1_overlap", "kappa_token",
               "alpha_token")
CSV_COLUMNS = ("scope", "label", "article_id", "title", *CSV_FIGURES, "disagreements", "tokens")


def counted_articles(store: Store, a: str, b: str, *, article_ids: Sequence[str] | None = None) -> int:
    """How many articles :func:`agreement` counts for ``a`` and ``b`` (both have a live annotation)."""
    return store.count_counted_articles(a, b, article_ids)


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
        rows.append({"article_id": tally.article_id, "title": tally.title, "tokens": tally.tokens,
                     "disagreements": tally.disagreements, **figures})
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
    from ..formats import atomic_text_file  # late: the formats package is not needed otherwise

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
