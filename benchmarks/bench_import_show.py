"""Foundation figures: importing 1,000 sample-like articles, and `show` in a project of 100,000 annotations.

Each figure is printed next to a baseline measured in the same run:
- import: our importer (read, detect encoding, parse blocks, one transaction per file) against raw
  sqlite3 inserts of the same rows, once with the same durability (a commit per row, WAL,
  synchronous=FULL) and once in a single transaction (the floor);
- show: the CLI's `show --json` work for one article against a bare primary-key SELECT of the same rows.

Run: python benchmarks/bench_import_show.py [--articles 1000] [--big-articles 10000]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from annotator.cli import show_record
from annotator.importers.text import parse_text_page
from annotator.importing import import_paths
from annotator.store import MIGRATIONS, Store, _annotation_row, _article_row, new_id, now
from annotator.textspan import make_selector

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_4374cd0fa6f2fed4.txt"


def write_corpus(folder: Path, count: int) -> list[Path]:
    """Sample-like pages that differ in one sentence, so each is a distinct article."""
    seed = SEED.read_text("utf-8")
    paths = []
    for i in range(count):
        page = seed.replace(
            "Meanwhile, South Korea's intelligence service",
            f"In report {i}, South Korea's intelligence service",
        )
        path = folder / f"article_{i:05d}.txt"
        path.write_text(page, "utf-8")
        paths.append(path)
    return paths


def raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    for step in MIGRATIONS:
        conn.executescript(step)
    return conn


def bench_import(work: Path, count: int) -> None:
    corpus = work / "corpus"
    corpus.mkdir()
    write_corpus(corpus, count)

    started = time.perf_counter()
    with Store.open(work / "ours.annotator") as store:
        report = import_paths(store, [corpus], annotator="bench")
        ours = time.perf_counter() - started
        assert len(report.imported) == count, report.failed[:3]
        rows = [_article_row(store.get_article(item.id), now()) for item in report.imported]
    columns = ", ".join(rows[0])
    sql = f"INSERT INTO articles({columns}) VALUES ({', '.join('?' * len(rows[0]))})"

    conn = raw_connection(work / "raw_each.sqlite")
    started = time.perf_counter()
    for row in rows:
        conn.execute("BEGIN")
        conn.execute(sql, tuple(row.values()))
        conn.execute("COMMIT")
    raw_each = time.perf_counter() - started
    conn.close()

    conn = raw_connection(work / "raw_once.sqlite")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(sql, [tuple(r.values()) for r in rows])
    conn.execute("COMMIT")
    raw_once = time.perf_counter() - started
    conn.close()

    print(f"import {count} sample-like articles (files on disk -> project)")
    print(f"  annotator import            {count / ours:9.0f} articles/s  ({ours:.2f} s)")
    print(f"  raw sqlite3, commit per row {count / raw_each:9.0f} articles/s  ({raw_each:.2f} s)  same durability")
    print(f"  raw sqlite3, one commit     {count / raw_once:9.0f} articles/s  ({raw_once:.3f} s)  floor")
    print(f"  ours / same-durability baseline: {ours / raw_each:.2f}x the time")


def build_big_project(path: Path, articles: int, per_article: int) -> list[str]:
    """Fill a project quickly through the store's own row format (setup, not what is measured)."""
    seed_article = parse_text_page(SEED.read_text("utf-8"))
    rng = random.Random(7)
    ids = []
    with Store.open(path) as store:
        with store.transaction() as db:
            for i in range(articles):
                article = parse_text_page(seed_article.text.replace("Meanwhile", f"Meanwhile ({i})", 1))
                db.conn.execute(
                    f"INSERT INTO articles({', '.join(_article_row(article, now()))}) VALUES "
                    f"({', '.join('?' * len(_article_row(article, now())))})",
                    tuple(_article_row(article, now()).values()),
                )
                ids.append(article.id)
                annotation_rows = []
                for _ in range(per_article):
                    start = rng.randrange(0, len(article.text) - 40)
                    end = start + rng.randrange(5, 40)
                    selector = make_selector(article.text, start, end)
                    row = {
                        "id": new_id(), "article_id": article.id, "start": start, "end": end,
                        "label": rng.choice(["CLAIM", "SOURCE", "CAPTION"]), "quote": selector.exact,
                        "prefix": selector.prefix, "suffix": selector.suffix, "attributes": "{}",
                        "note": "", "annotator": rng.choice(["ana", "ben"]), "created": now(),
                        "updated": now(), "origin": "manual", "deleted": 0,
                    }
                    annotation_rows.append(tuple(row.values()))
                db.conn.executemany(
                    f"INSERT INTO annotations VALUES ({', '.join('?' * 15)})", annotation_rows
                )
    return ids


def bench_show(work: Path, articles: int, per_article: int, samples: int = 300) -> None:
    path = work / "big.annotator"
    started = time.perf_counter()
    ids = build_big_project(path, articles, per_article)
    print(f"\nshow one article in a project of {articles} articles x {per_article} annotations "
          f"(built in {time.perf_counter() - started:.1f} s)")
    rng = random.Random(3)
    picks = [rng.choice(ids) for _ in range(samples)]
    with Store.open(path) as store:
        plan = store.db.conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM annotations WHERE article_id = ? AND deleted = 0", ("x",)
        ).fetchall()
        print(f"  query plan: {plan[0][-1]}")
        ours = []
        for article_id in picks:
            t0 = time.perf_counter()
            payload = show_record(store, store.get_article(store.resolve_article_id(article_id[:8])))
            json.dumps(payload, ensure_ascii=False)
            ours.append(time.perf_counter() - t0)
            assert len(payload["annotations"]) == per_article
    conn = sqlite3.connect(path)
    bare = []
    for article_id in picks:
        t0 = time.perf_counter()
        conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchall()
        conn.execute("SELECT * FROM annotations WHERE article_id = ?", (article_id,)).fetchall()
        bare.append(time.perf_counter() - t0)
    conn.close()
    print(f"  annotator show --json (prefix lookup + article + annotations + relations + JSON): "
          f"median {statistics.median(ours) * 1000:.2f} ms, max {max(ours) * 1000:.2f} ms")
    print(f"  bare sqlite3 SELECTs of the same rows:                                        "
          f"median {statistics.median(bare) * 1000:.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--big-articles", type=int, default=10_000)
    parser.add_argument("--per-article", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_import(work, args.articles)
        bench_show(work, args.big_articles, args.per_article)
    return 0


if __name__ == "__main__":
    sys.exit(main())
