"""What full-text search costs: queries over 100,000 articles, writes with the index, its size.

A project of N articles (default 100,000, about 2,000 characters each: the sample's vocabulary
mixed with 20,000 generated words of Zipf frequencies, a few emoji) and one annotation per article
(a note on every fifth), made through the operations and the recorder as the product makes them.
Printed next to baselines measured in the same run:

1. query latency, median ms of interleaved repetitions, of `Store.search(q, limit=50)` (titles,
   texts, quotes and notes; the hits placed in code points, with snippets) and of the same with
   `scopes=["text"]`, next to the bare FTS5 query on the same index
   (`SELECT rowid, rank FROM search_texts WHERE search_texts MATCH ? ORDER BY rank LIMIT 50`),
   for words chosen by their document frequency (read from the index: rare, middling, the most
   common), two words, two phrases and a prefix (a query matching more than RANK_CAP documents
   of an index ranks the newest RANK_CAP of them: store/search.py);
2. write cost with the index: `operations.tag` and `operations.set_note` latency (median ms,
   interleaved) with the index kept, next to the same operations with the index maintenance
   switched off (`recorder.INDEXED` empty) on the same project; and importing 500 articles
   (`operations.add_articles`) with and without it;
3. the index's size on disk (dbstat) next to the size of the tables it indexes.

Run: python benchmarks/bench_search.py [--articles 100000] [--reps 15] [--keep FILE]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from annotator import operations as ops  # noqa: E402
from annotator.model import Annotation, build_article  # noqa: E402
from annotator.store import Store, now, recorder  # noqa: E402
from annotator.store.codecs import annotation_row  # noqa: E402
from annotator.textspan import make_selector  # noqa: E402
from corpus import EMOJI, SETUP, WORDS  # noqa: E402

ARTICLE_CHARS = 2000
BATCH = 2000
LIMIT = 50


def vocabulary(rng: random.Random, size: int = 20_000) -> tuple[list[str], list[float]]:
    syllables = ["ka", "lo", "mi", "ren", "sto", "vi", "dar", "nel", "qua", "tor", "zen", "bri", "ul", "fa", "ge"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    total, cumulative = 0.0, []
    for rank in range(size):
        total += 1 / (rank + 1)
        cumulative.append(total)
    return ordered, cumulative  # cumulative weights: random.choices does not sum 20,000 weights per call


def sentence(rng: random.Random, vocab: list[str], weights: list[float]) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 20))
    for _ in range(rng.randint(1, 4)):
        words.insert(rng.randrange(len(words)), rng.choices(vocab, cum_weights=weights)[0])
    if rng.random() < 0.05:
        words.insert(rng.randrange(len(words)), rng.choice(EMOJI))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def make_article(rng: random.Random, n: int, vocab, weights):
    title = f"{sentence(rng, vocab, weights)[:70]} ({n})"
    blocks = [("headline", title), ("byline", "By Bench Mark | Wire")]
    size = len(title) + 21
    while size < ARTICLE_CHARS:
        paragraph = " ".join(sentence(rng, vocab, weights) for _ in range(rng.randint(2, 4)))
        blocks.append(("paragraph", paragraph))
        size += len(paragraph) + 1
    return build_article(blocks, title=title, outlet="Bench Wire")


def annotation(rng: random.Random, article, vocab, weights, stamp: str) -> Annotation:
    text = article.text
    start = rng.randrange(0, len(text) - 120)
    end = start + rng.randint(10, 100)
    selector = make_selector(text, start, end)
    note = " ".join(rng.choices(vocab, cum_weights=weights, k=4)) if rng.random() < 0.2 else ""
    return Annotation(id=f"{rng.getrandbits(128):032x}", article_id=article.id, start=start, end=end,
                      label=rng.choice(("CLAIM", "SOURCE", "CAPTION")), quote=selector.exact, prefix=selector.prefix,
                      suffix=selector.suffix, note=note, annotator=rng.choice(("ana", "ben")), created=stamp,
                      updated=stamp)


def build(path: Path, count: int, rng: random.Random, vocab, weights) -> None:
    started = time.perf_counter()
    with Store.open(path) as store:
        for first in range(0, count, BATCH):
            articles = [make_article(rng, n, vocab, weights) for n in range(first, min(count, first + BATCH))]
            ops.add_articles(store, articles, annotator=SETUP)
            stamp = now()
            with store.operation(SETUP, SETUP) as op:
                op.insert_many("annotations", [annotation_row(annotation(rng, a, vocab, weights, stamp)) for a in articles])
            print(f"\r  built {first + len(articles):,} articles ({time.perf_counter() - started:.0f} s)", end="",
                  file=sys.stderr, flush=True)
    print(file=sys.stderr)


def words_by_frequency(store: Store) -> list[tuple[str, int]]:
    store.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.text_vocab USING fts5vocab(main, search_texts, row)")
    return [(w, n) for w, n in store.conn.execute("SELECT term, doc FROM temp.text_vocab ORDER BY doc DESC")
            if w.isalpha()]


def nearest(words: list[tuple[str, int]], docs: int) -> tuple[str, int]:
    return min(words, key=lambda wn: (abs(wn[1] - docs), wn[0]))


def middling_phrase(store: Store, word: str) -> str:
    """The middling word and the word after it, as they stand in the first text that has them."""
    key = store.conn.execute("SELECT rowid FROM search_texts WHERE search_texts MATCH ? LIMIT 1", (word,)).fetchone()[0]
    article = store.conn.execute("SELECT article_id FROM search_article_keys WHERE key = ?", (key,)).fetchone()[0]
    words = store.article_text(article).split()
    at = next(i for i, w in enumerate(words) if w.strip(".,").lower() == word and i + 1 < len(words))
    return f"{word} {words[at + 1].strip('.,')}"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def bench_queries(store: Store, reps: int, articles: int) -> None:
    words = words_by_frequency(store)
    rare, middling, common = nearest(words, max(5, articles // 1000)), nearest(words, articles // 20), words[0]
    phrase = middling_phrase(store, middling[0])
    queries = [
        (f"rare word ({rare[1]:,} articles)", rare[0]),
        (f"middling word ({middling[1]:,} articles)", middling[0]),
        (f"most common word ({common[1]:,} articles)", common[0]),
        ("two words", f"{middling[0]} {common[0]}"),
        ("phrase with the middling word", f'"{phrase}"'),
        ("phrase of two words in every article", '"government officials"'),
        ("prefix", middling[0][:4] + "*"),
    ]
    bare_sql = f"SELECT rowid, rank FROM search_texts WHERE search_texts MATCH ? ORDER BY rank LIMIT {LIMIT}"
    print(f"\n1. query latency over {articles:,} articles, median ms of {reps} interleaved runs (limit {LIMIT})")
    print(f"   {'query':<62} {'bare FTS5':>10} {'search text':>12} {'search all':>11} {'hits':>5}")
    for name, query in queries:
        store.search(query, limit=LIMIT)  # warm the page cache once, for all three alike
        bare, text, full = [], [], []
        for _ in range(reps):
            bare.append(timed(lambda: store.conn.execute(bare_sql, (query,)).fetchall()))
            text.append(timed(lambda: store.search(query, scopes=["text"], limit=LIMIT)))
            full.append(timed(lambda: store.search(query, limit=LIMIT)))
        hits = len(store.search(query, limit=LIMIT).hits)
        print(f"   {name + ': ' + query:<62} {median_ms(bare):>10.1f} {median_ms(text):>12.1f} "
              f"{median_ms(full):>11.1f} {hits:>5}")


def bench_writes(store: Store, reps: int, rng: random.Random, vocab, weights) -> None:
    ids = store.article_ids()
    indexed = recorder.INDEXED
    samples: dict[tuple[str, bool], list[float]] = {}

    def once(with_index: bool) -> None:
        recorder.INDEXED = indexed if with_index else frozenset()
        try:
            article_id = rng.choice(ids)
            length = store.article_length(article_id)
            start = rng.randrange(0, length - 60)
            tag = lambda: ops.tag(store, article_id, start, start + 40, "CLAIM", annotator="bench")  # noqa: E731
            done = []
            samples.setdefault(("tag", with_index), []).append(timed(lambda: done.append(tag())))
            note = " ".join(rng.choices(vocab, cum_weights=weights, k=5))
            samples.setdefault(("set_note", with_index), []).append(
                timed(lambda: ops.set_note(store, done[0].value.id, note, annotator="bench")))
        finally:
            recorder.INDEXED = indexed

    for _ in range(reps):
        once(True)
        once(False)
    print(f"\n2. write latency, median ms of {reps} interleaved runs on the same project")
    print(f"   {'operation':<28} {'without index':>14} {'with index':>11} {'ratio':>6}")
    for op_name in ("tag", "set_note"):
        without, with_ = median_ms(samples[(op_name, False)]), median_ms(samples[(op_name, True)])
        print(f"   {op_name:<28} {without:>14.2f} {with_:>11.2f} {with_ / without:>6.2f}")
    imports: dict[bool, list[float]] = {True: [], False: []}
    for n in range(3):
        for with_index in (True, False):
            articles = [make_article(rng, 10_000_000 + n * 1000 + i + 500 * with_index, vocab, weights) for i in range(500)]
            recorder.INDEXED = indexed if with_index else frozenset()
            try:
                imports[with_index].append(timed(lambda: ops.add_articles(store, articles, annotator=SETUP)))
            finally:
                recorder.INDEXED = indexed
    without, with_ = median_ms(imports[False]), median_ms(imports[True])
    print(f"   {'import 500 articles':<28} {without:>14.0f} {with_:>11.0f} {with_ / without:>6.2f}")


def bench_size(path: Path) -> None:
    conn = sqlite3.connect(path)
    sizes = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    conn.close()
    index = sum(v for k, v in sizes.items() if k.startswith("search_") or k.startswith("sqlite_autoindex_search_"))
    indexed = sum(sizes.get(k, 0) for k in ("texts", "articles", "annotations"))
    total = sum(sizes.values())
    mb = 1 / 1_000_000
    print("\n3. size on disk (dbstat)")
    print(f"   search index {index * mb:,.1f} MB; the tables it indexes (texts, articles, annotations) "
          f"{indexed * mb:,.1f} MB ({index / indexed:.2f}x); whole file {total * mb:,.1f} MB")
    for name in sorted(k for k in sizes if "search" in k):
        print(f"     {name:<40} {sizes[name] * mb:>8.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="build the project here (or reuse it if it exists)")
    args = parser.parse_args()
    rng = random.Random(14)
    vocab, weights = vocabulary(rng)
    folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
    path = args.keep or folder / "search.annotator"
    try:
        if not path.exists():
            build(path, args.articles, rng, vocab, weights)
        work = folder / "work.annotator"
        shutil.copy(path, work)
        with Store.open(work) as store:
            articles = store.counts()["articles"]
            bench_queries(store, args.reps, articles)
            bench_size(work)
            bench_writes(store, args.reps, rng, vocab, weights)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
