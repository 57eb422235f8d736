"""Foundation figures: importing 1,000 sample-like articles, `show` in a project of 100,000
annotations, and `show --json` of one article with 100,000 annotations.

Each figure is printed next to a baseline measured in the same run:
- import: our importer (read, detect encoding, parse blocks, one operation per batch, journalled)
  against raw sqlite3 inserts of the same article and text rows, once with the same durability (a
  commit per article, WAL, synchronous=FULL) and once in a single transaction (the floor);
- show: `annotator show PREFIX --json` run in this process (click's runner: prefix lookup, article,
  annotations, relations, JSON) for one article, against bare SELECTs of the same rows;
- show --json of an article (1 MB) with 100,000 annotations, as a user runs it (a fresh process,
  output to a file): wall time and peak resident memory (the process's own, from wait4), against a
  fresh process that makes a bare SELECT of the same rows and writes each with json.dumps. Targets:
  at most 2 s and 150 MB. The same for a 20 MB article with 10,000 annotations.

Run: python benchmarks/bench_import_show.py [--articles 1000] [--big-articles 10000] [--spans 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from click.testing import CliRunner  # noqa: E402

from annotator.cli import main as cli_main  # noqa: E402
from annotator.importing import import_paths  # noqa: E402
from annotator.store import Store, now  # noqa: E402
from annotator.store.codecs import BRIEF_COLUMNS, article_row, text_row  # noqa: E402

import corpus  # noqa: E402

SHOW_TARGET_SECONDS = 2.0
SHOW_TARGET_MB = 150
BARE_SHOW = """
import json, sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
out = sys.stdout
text, blocks = conn.execute("SELECT text, blocks FROM texts WHERE article_id = ?", (sys.argv[2],)).fetchone()
out.write(json.dumps({"text": text, "blocks": json.loads(blocks)}, ensure_ascii=False))
columns = ", ".join(f'"{c}"' for c in sys.argv[3].split(","))
cursor = conn.execute(f"SELECT {columns} FROM annotations WHERE article_id = ? AND deleted = 0", (sys.argv[2],))
names = [d[0] for d in cursor.description]
for row in cursor:
    out.write(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\\n")
"""


def write_corpus(folder: Path, count: int) -> list[Path]:
    """Sample-like pages that differ in one sentence, so each is a distinct article."""
    seed = corpus.seed_text()
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
    """A file with the project's tables (made by the store), written with plain sqlite3."""
    Store.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def insert_sql(row: dict, table: str) -> str:
    return f"INSERT INTO {table}({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"


def bench_import(work: Path, count: int) -> None:
    folder = work / "corpus"
    folder.mkdir()
    write_corpus(folder, count)

    started = time.perf_counter()
    with Store.open(work / "ours.annotator") as store:
        report = import_paths(store, [folder], annotator="bench", workers=1)
        ours = time.perf_counter() - started
        assert len(report.imported) == count, report.failed[:3]
        stamp = now()
        pairs = [(article_row(a, stamp), text_row(a)) for a in (store.get_article(i.id) for i in report.imported)]
    article_sql, text_sql = insert_sql(pairs[0][0], "articles"), insert_sql(pairs[0][1], "texts")

    conn = raw_connection(work / "raw_each.sqlite")
    started = time.perf_counter()
    for article, text in pairs:
        conn.execute("BEGIN")
        conn.execute(article_sql, tuple(article.values()))
        conn.execute(text_sql, tuple(text.values()))
        conn.execute("COMMIT")
    raw_each = time.perf_counter() - started
    conn.close()

    conn = raw_connection(work / "raw_once.sqlite")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(article_sql, [tuple(a.values()) for a, _ in pairs])
    conn.executemany(text_sql, [tuple(t.values()) for _, t in pairs])
    conn.execute("COMMIT")
    raw_once = time.perf_counter() - started
    conn.close()

    print(f"import {count} sample-like articles (files on disk -> project, parsed in this process)")
    print(f"  annotator import                 {count / ours:9.0f} articles/s  ({ours:.2f} s)")
    print(f"  raw sqlite3, commit per article  {count / raw_each:9.0f} articles/s  ({raw_each:.2f} s)  same durability")
    print(f"  raw sqlite3, one commit          {count / raw_once:9.0f} articles/s  ({raw_once:.3f} s)  floor")
    print(f"  ours / same-durability baseline: {ours / raw_each:.2f}x the time")


def build_big_project(path: Path, articles: int, per_article: int) -> list[str]:
    """Articles through `operations.add_articles` (in batches), their spans through the recorder's
    `insert_many` (setup, not what is measured)."""
    rng = random.Random(7)
    ids = []
    with Store.open(path) as store:
        for article in corpus.add_seed_variants(store, articles):
            corpus.bulk_annotations(store, article, per_article, rng)
            ids.append(article.id)
    return ids


def bench_show(work: Path, articles: int, per_article: int, samples: int = 200) -> None:
    path = work / "big.annotator"
    started = time.perf_counter()
    ids = build_big_project(path, articles, per_article)
    print(f"\nshow one article in a project of {articles} articles x {per_article} annotations "
          f"(built in {time.perf_counter() - started:.1f} s)")
    rng = random.Random(3)
    picks = [rng.choice(ids) for _ in range(samples)]
    runner = CliRunner()
    conn = sqlite3.connect(path)
    ours, bare = [], []
    for article_id in picks:  # interleaved
        t0 = time.perf_counter()
        result = runner.invoke(cli_main, ["--project", str(path), "show", article_id[:8], "--json"])
        ours.append(time.perf_counter() - t0)
        assert result.exit_code == 0 and result.output.count('"quote"') == per_article, result.output[-300:]
        t0 = time.perf_counter()
        conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchall()
        conn.execute("SELECT * FROM texts WHERE article_id = ?", (article_id,)).fetchall()
        conn.execute("SELECT * FROM annotations WHERE article_id = ?", (article_id,)).fetchall()
        conn.execute("SELECT * FROM relations WHERE article_id = ?", (article_id,)).fetchall()
        bare.append(time.perf_counter() - t0)
    conn.close()
    print(f"  annotator show PREFIX --json in this process (open, prefix, article, annotations, relations, JSON): "
          f"median {statistics.median(ours) * 1000:.2f} ms, max {max(ours) * 1000:.2f} ms")
    print(f"  bare sqlite3 SELECTs of the same rows: median {statistics.median(bare) * 1000:.2f} ms")


# A small launcher: a process started from this big one would report this one's memory as its own
# peak (Linux carries the old memory's high-water mark over exec), one started from the launcher
# carries at most the launcher's few MB.
LAUNCH = """
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(json.dumps({"seconds": time.perf_counter() - started, "status": os.waitstatus_to_exitcode(status),
                             "rss_mb": usage.ru_maxrss / 1024}))
"""


def run_measured(command: list[str], out: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one process, its own (wait4), with stdout to `out`."""
    with out.open("wb") as handle:
        done = subprocess.run([sys.executable, "-c", LAUNCH, *command], stdout=handle, stderr=subprocess.PIPE)
    report = json.loads(done.stderr.decode().strip().splitlines()[-1])
    if report["status"] != 0:
        raise SystemExit(f"{command[:4]} failed: {done.stderr.decode()}")
    return report["seconds"], report["rss_mb"]


def bench_show_large(work: Path, characters: int, spans: int, runs: int = 3, targets: bool = True) -> None:
    path = work / f"one-big-article-{characters}.annotator"
    rng = random.Random(11)
    article = corpus.news_article(rng, characters)
    started = time.perf_counter()
    with Store.open(path) as store:
        corpus.add_article(store, article)
        corpus.bulk_annotations(store, article, spans, rng)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"\nshow --json of one article ({characters / 1e6:.0f} MB of text) with {spans:,} annotations, a fresh "
          f"process writing to a file (built in {time.perf_counter() - started:.1f} s), median of {runs}")
    ours_cmd = [sys.executable, "-m", "annotator", "--project", str(path), "show", article.id, "--json"]
    bare_cmd = [sys.executable, "-c", BARE_SHOW, str(path), article.id, ",".join(BRIEF_COLUMNS)]
    ours, bare = [], []
    for _ in range(runs):
        ours.append(run_measured(ours_cmd, work / "show.json"))
        bare.append(run_measured(bare_cmd, work / "bare.json"))
    size = (work / "show.json").stat().st_size / 1e6
    wall, rss = statistics.median(s for s, _ in ours), statistics.median(m for _, m in ours)
    bare_wall, bare_rss = statistics.median(s for s, _ in bare), statistics.median(m for _, m in bare)
    verdict = (f"  (targets: <= {SHOW_TARGET_SECONDS:.0f} s {'met' if wall <= SHOW_TARGET_SECONDS else 'NOT met'}, "
               f"<= {SHOW_TARGET_MB} MB {'met' if rss <= SHOW_TARGET_MB else 'NOT met'})") if targets else ""
    print(f"  annotator show --json ({size:.0f} MB): {wall:.2f} s, peak RSS {rss:.0f} MB{verdict}")
    print(f"  bare SELECT of the same rows + json.dumps each: {bare_wall:.2f} s, peak RSS {bare_rss:.0f} MB  "
          f"(ours: {wall / bare_wall:.1f}x the time)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--big-articles", type=int, default=10_000)
    parser.add_argument("--per-article", type=int, default=10)
    parser.add_argument("--spans", type=int, default=100_000, help="annotations of the one big article")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_import(work, args.articles)
        bench_show(work, args.big_articles, args.per_article)
        bench_show_large(work, 1_000_000, args.spans)
        bench_show_large(work, 20_000_000, 10_000, targets=False)  # the targets are the first one's
    return 0


if __name__ == "__main__":
    sys.exit(main())
