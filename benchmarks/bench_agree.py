"""`annotator agree` over a large project: 10,000 sample-like articles x 2 annotators x 20 spans each.

Printed next to baselines measured in the same run, on the same file:
- bare SELECT: the span rows of both annotators, ordered by article (no text), fetched and dropped;
- same query: the exact streaming query `agree` runs (counted articles, their text and spans as
  JSON, without annotation ids), fetched and decoded as agree decodes it (annotator.jsontext,
  orjson): the I/O floor of agree;
- + tokenising: that query plus one regex pass over each article's text, two ways: findall of
  \\w+|\\S (a string per token: the floor as first measured for issue 15) and agree's own counting
  regex (an empty group per token, no strings: the tighter floor). All floors are single-process, like agree.
Peak memory is Python's (tracemalloc), measured in a second run; with --flat it is also measured on a
project a quarter of the size, to show that memory does not grow with the corpus.

Run: python benchmarks/bench_agree.py [--articles 10000] [--spans 20] [--flat] [--rounds 3] [--keep DIR]
(--keep DIR: build the projects in DIR and reuse them on the next run, instead of a temporary folder.)
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from annotator import jsontext, review  # noqa: E402
from annotator.review import figures  # noqa: E402
from annotator.review.figures import _COUNT_TOKENS  # noqa: E402 - the regex agree counts tokens with
from annotator.store import Store, new_id, now  # noqa: E402
from annotator.store.codecs import ANNOTATION_COLUMNS  # noqa: E402
from annotator.textspan import make_selector  # noqa: E402

import corpus  # noqa: E402

LABELS = ("CLAIM", "SOURCE", "CAPTION")


def build(path: Path, articles: int, spans: int) -> None:
    """Fill a project through the operations (setup, not measured): the articles with
    `add_articles`, 1,000 at a time, and each article's spans in one operation of the recorder's
    `insert_many`.

    ana gets `spans` random spans per article; ben's `spans` follow hers: 40% identical, 20% with
    shifted bounds, 10% with another label, 30% elsewhere (so every kind of comparison occurs).
    """
    rng = random.Random(7)
    stamp = now()
    with Store.open(path) as store:
        for article in corpus.add_seed_variants(store, articles):
            text = article.text
            rows = []
            for _ in range(spans):
                start = rng.randrange(0, len(text) - 60)
                end = start + rng.randrange(5, 50)
                label = rng.choice(LABELS)
                rows.append(_row(article.id, text, start, end, label, "ana", stamp))
                roll = rng.random()
                if roll < 0.4:
                    b = (start, end, label)
                elif roll < 0.6:
                    b = (max(0, start + rng.randrange(-5, 6)), end + rng.randrange(1, 8), label)
                elif roll < 0.7:
                    b = (start, end, rng.choice([x for x in LABELS if x != label]))
                else:
                    s2 = rng.randrange(0, len(text) - 60)
                    b = (s2, s2 + rng.randrange(5, 50), rng.choice(LABELS))
                rows.append(_row(article.id, text, b[0], max(b[1], b[0] + 1), b[2], "ben", stamp))
            with store.operation(corpus.SETUP, corpus.SETUP, article_id=article.id) as op:
                op.insert_many("annotations", rows)


def _row(article_id: str, text: str, start: int, end: int, label: str, who: str, stamp: str) -> dict:
    selector = make_selector(text, start, end)
    values = (new_id(), article_id, start, end, label, selector.exact, selector.prefix, selector.suffix, "{}", "",
              who, stamp, stamp, "manual", 0)
    return dict(zip(ANNOTATION_COLUMNS, values))


def timed(fn) -> tuple[float, object]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def peak_mib(fn) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def bare_select(path: Path) -> int:
    conn = sqlite3.connect(path)
    n = 0
    for _ in conn.execute(
        'SELECT article_id, annotator, start, "end", label FROM annotations '
        "WHERE deleted = 0 AND annotator IN ('ana', 'ben') ORDER BY article_id"
    ):
        n += 1
    conn.close()
    return n


_PLAIN_TOKENS = re.compile(r"\w+|\S")  # findall gives each token as a string (agree's regex until issue 15)


def same_query(path: Path, tokenise: re.Pattern | None = None) -> int:
    conn = sqlite3.connect(path)
    n = 0
    for _, _, text, spans in conn.execute(Store._COUNTED.format(only="", id="NULL"), {"a": "ana", "b": "ben"}):
        jsontext.loads(spans)
        if tokenise is not None:
            n += len(tokenise.findall(text))
        else:
            n += 1
    conn.close()
    return n


def one_process(store: Store) -> dict:
    """agreement() without its second process (as on one core or below figures.TWO_CORES_FROM)."""
    threshold = figures.TWO_CORES_FROM
    figures.TWO_CORES_FROM = 2**62
    try:
        return review.agreement(store, "ana", "ben")
    finally:
        figures.TWO_CORES_FROM = threshold


def measure(path: Path, articles: int, spans: int, repeat: int = 3) -> None:
    """Every step once per round, each round starting with the next step (interleaved); medians."""
    with Store.open(path) as store:
        steps = [
            ("bare SELECT of the span rows", lambda: bare_select(path)),
            ("agree's streaming query, rows fetched", lambda: same_query(path)),
            ("  + tokenising (strings, \\w+|\\S)", lambda: same_query(path, _PLAIN_TOKENS)),
            ("  + counting tokens as agree does", lambda: same_query(path, _COUNT_TOKENS)),
            ("agreement()  (annotator agree)", lambda: review.agreement(store, "ana", "ben")),
            ("agreement(), one process", lambda: one_process(store)),
            ("per_article()  (agree --per-article)", lambda: review.per_article(store, "ana", "ben")),
        ]
        times: dict[str, list[float]] = {name: [] for name, _ in steps}
        for r in range(repeat):
            for name, fn in steps[r % len(steps):] + steps[: r % len(steps)]:
                times[name].append(timed(fn)[0])
        best = {name: statistics.median(values) for name, values in times.items()}
        result = review.agreement(store, "ana", "ben")
        assert one_process(store) == result  # two processes or one: the same figures
        mem_agree = peak_mib(lambda: one_process(store))
        mem_query = peak_mib(lambda: same_query(path))
        mem_rows = peak_mib(lambda: review.per_article(store, "ana", "ben"))
    assert result["articles"] == articles and result["overall"]["a_spans"] == articles * spans
    print(f"agree over {articles} articles x 2 annotators x {spans} spans (medians of {repeat} interleaved rounds)")
    floor = best["agree's streaming query, rows fetched"]
    plain = best["  + tokenising (strings, \\w+|\\S)"]
    tokenised = best["  + counting tokens as agree does"]
    print(f"  {'':<40} {'':>9}   {'/ query':>7}   {'/ q+strings':>11}   {'/ q+count':>9}")
    for name, seconds in best.items():
        print(f"  {name:<40} {seconds:7.2f} s   {seconds / floor:6.2f}x   {seconds / plain:10.2f}x   {seconds / tokenised:8.2f}x")
    print(f"  per article: {best['agreement()  (annotator agree)'] / articles * 1e6:.0f} µs")
    print(f"  peak Python memory: agreement() in one process {mem_agree:.2f} MiB, the bare query {mem_query:.2f} MiB, "
          f"per_article() {mem_rows:.2f} MiB (keeps one small record per article)")
    o = result["overall"]
    print(f"  figures: f1_exact {o['f1_exact']:.3f}, f1_overlap {o['f1_overlap']:.3f}, "
          f"kappa {o['kappa_token']:.3f}, alpha {o['alpha_token']:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=20)
    parser.add_argument("--flat", action="store_true", help="also measure a project a quarter of the size")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians; default 3)")
    parser.add_argument("--keep", type=Path, help="build the projects in this folder and reuse them next time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sizes = [args.articles // 4, args.articles] if args.flat else [args.articles]
        for articles in sizes:
            path = folder / f"agree_{articles}x{args.spans}.annotator"
            if path.exists():
                print(f"(reusing {path})")
            else:
                started = time.perf_counter()
                partial = path.with_suffix(".partial")  # a build cut short is never reused
                partial.unlink(missing_ok=True)
                build(partial, articles, args.spans)
                partial.rename(path)
                print(f"(built {path.stat().st_size / 2**20:.0f} MiB project in {time.perf_counter() - started:.1f} s)")
            measure(path, articles, args.spans, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
