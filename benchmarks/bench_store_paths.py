"""Where sqlite-utils fits the store, and where the store needs plain SQL: its hot paths written
both ways, on the same project file, in the same run.

One article (1 MB) with 10,000 annotations. Every repetition runs each way of a task once, in turn
(interleaved), and the medians are printed side by side; the plain statements are the baseline:

  read     an article's 10,000 annotations as dicts: `store.rows` (conn.execute + dict(zip)) against
           `db.query` and `table.rows_where`; and the store's typed read (`iter_annotations`);
  get      one annotation by id, 2,000 times (an edit makes several such reads): conn.execute
           against `db.query` and `table.get`;
  insert   10,000 annotation rows in one transaction (WAL, synchronous=FULL, one commit):
           executemany against `table.insert_all`; and the recorder's `insert_many`, which also
           writes the journal's row images;
  update   1,000 rows: executemany of UPDATE against `table.update` per row; and `update_many`;
  upsert   1,000 rows, half of them new: INSERT ... ON CONFLICT DO UPDATE against `upsert_all`;
  import   a fresh interpreter importing the store, with and without sqlite-utils (the window's
           start-up pays every import; see benchmarks/bench_startup.py).

Run: python benchmarks/bench_store_paths.py [--reps 9]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from annotator.store import Store, now  # noqa: E402
from annotator.store.codecs import ANNOTATION_COLUMNS, annotation_row  # noqa: E402

import corpus  # noqa: E402

COLUMNS = ", ".join(f'"{c}"' for c in ANNOTATION_COLUMNS)
ORDER = '+start, "end", created, id'  # the store's order (see Store._annotation_rows)
READ_SQL = f"SELECT {COLUMNS} FROM annotations WHERE article_id = ? AND deleted = 0 ORDER BY {ORDER}"
GET_SQL = f"SELECT {COLUMNS} FROM annotations WHERE id = ?"
INSERT_SQL = f"INSERT INTO annotations({COLUMNS}) VALUES ({', '.join('?' * len(ANNOTATION_COLUMNS))})"
UPSERT_SQL = INSERT_SQL + " ON CONFLICT(id) DO UPDATE SET " + ", ".join(
    f'"{c}" = excluded."{c}"' for c in ANNOTATION_COLUMNS if c != "id")
WHO = "paths"


class Task:
    def __init__(self, name: str, ways: dict[str, Callable[[], object]]) -> None:
        self.name = name
        self.ways = ways
        self.times: dict[str, list[float]] = {way: [] for way in ways}

    def run_once(self, prepare: Callable[[], None] | None = None) -> None:
        for way, fn in self.ways.items():
            if prepare is not None:
                prepare()
            started = time.perf_counter()
            fn()
            self.times[way].append(time.perf_counter() - started)

    def report(self) -> None:
        print(f"\n{self.name}")
        base_way = next(iter(self.ways))
        base = statistics.median(self.times[base_way])
        for way, values in self.times.items():
            value = statistics.median(values)
            print(f"  {way:<58} {value * 1000:9.2f} ms  {value / base:5.2f}x")


def fresh_rows(rng: random.Random, article, count: int) -> list[dict]:
    stamp = now()
    return [annotation_row(corpus.random_annotation(rng, article, WHO, stamp)) for _ in range(count)]


def import_seconds(code: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--import-runs", type=int, default=9)
    args = parser.parse_args()
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "paths.annotator"
        article = corpus.news_article(rng, 1_000_000)
        sink = corpus.news_article(rng, 20_000, title="The article the inserts and upserts go to")
        with Store.open(path) as store:
            corpus.add_article(store, article)
            corpus.add_article(store, sink)
            made = corpus.bulk_annotations(store, article, 10_000, rng)
            db = store.db
            table = db["annotations"]
            ids = [a.id for a in made]
            picks = [rng.choice(ids) for _ in range(2000)]

            read = Task("read an article's 10,000 annotations as dicts", {
                "store.rows (conn.execute + dict(zip))": lambda: store.rows(READ_SQL, (article.id,)),
                "sqlite-utils db.query": lambda: list(db.query(READ_SQL, (article.id,))),
                "sqlite-utils table.rows_where": lambda: list(table.rows_where(
                    "article_id = ? AND deleted = 0", [article.id], order_by=ORDER)),
                "store.iter_annotations (typed Annotation objects)": lambda: list(store.iter_annotations(article.id)),
            })
            get = Task("one annotation by id, 2,000 times", {
                "conn.execute(...).fetchone()": lambda: [store.conn.execute(GET_SQL, (k,)).fetchone() for k in picks],
                "sqlite-utils db.query": lambda: [next(db.query(GET_SQL, (k,))) for k in picks],
                "sqlite-utils table.get": lambda: [table.get(k) for k in picks],
                "store.get_annotation (typed)": lambda: [store.get_annotation(k) for k in picks],
            })

            pending: dict[str, list[dict]] = {}

            def prepare_insert() -> None:
                pending["rows"] = fresh_rows(rng, sink, 10_000)

            def plain_insert() -> None:
                with store.transaction() as conn:
                    conn.executemany(INSERT_SQL, [tuple(r.values()) for r in pending["rows"]])

            def utils_insert() -> None:
                with store.transaction():
                    table.insert_all(pending["rows"])

            def recorder_insert() -> None:
                with store.operation("paths", WHO, article_id=sink.id) as op:
                    op.insert_many("annotations", pending["rows"])

            insert = Task("insert 10,000 annotation rows, one transaction", {
                "conn.executemany": plain_insert,
                "sqlite-utils table.insert_all": utils_insert,
                "recorder insert_many (plus the journal's images)": recorder_insert,
            })

            def prepare_update() -> None:
                pending["updates"] = [(k, {"label": rng.choice(corpus.LABELS), "updated": now()})
                                      for k in rng.sample(ids, 1000)]

            def plain_update() -> None:
                with store.transaction() as conn:
                    conn.executemany('UPDATE annotations SET label = ?, updated = ? WHERE id = ?',
                                     [(v["label"], v["updated"], k) for k, v in pending["updates"]])

            def utils_update() -> None:
                with store.transaction():
                    for k, values in pending["updates"]:
                        table.update(k, values)

            def recorder_update() -> None:
                with store.operation("paths", WHO, article_id=article.id) as op:
                    op.update_many("annotations", pending["updates"])

            update = Task("update 1,000 annotations (label and time), one transaction", {
                "conn.executemany UPDATE": plain_update,
                "sqlite-utils table.update, per row": utils_update,
                "recorder update_many (reads the before-images, journal)": recorder_update,
            })

            def prepare_upsert() -> None:
                old = [dict(zip(ANNOTATION_COLUMNS, store.conn.execute(GET_SQL, (k,)).fetchone()))
                       for k in rng.sample([r["id"] for r in pending["rows"]], 500)]
                for row in old:
                    row["note"] = f"seen {rng.random():.6f}"
                pending["upserts"] = old + fresh_rows(rng, sink, 500)

            def plain_upsert() -> None:
                with store.transaction() as conn:
                    conn.executemany(UPSERT_SQL, [tuple(r.values()) for r in pending["upserts"]])

            def utils_upsert() -> None:
                with store.transaction():
                    table.upsert_all(pending["upserts"], pk="id")

            upsert = Task("upsert 1,000 annotations, half of them new, one transaction", {
                "conn.executemany INSERT ... ON CONFLICT DO UPDATE": plain_upsert,
                "sqlite-utils table.upsert_all": utils_upsert,
            })

            read.run_once(), get.run_once()  # warm the page cache
            for task in (read, get):
                for values in task.times.values():
                    values.clear()
            for _ in range(args.reps):
                read.run_once()
                get.run_once()
                insert.run_once(prepare_insert)
                update.run_once(prepare_update)
                upsert.run_once(prepare_upsert)
            print(f"1 MB article, 10,000 annotations (the inserts and upserts go to another article); medians of "
                  f"{args.reps} interleaved repetitions; x: times the first line")
            for task in (read, get, insert, update, upsert):
                task.report()

    bare, utils = [], []
    for _ in range(args.import_runs):  # interleaved
        bare += import_seconds("import annotator.store", 1)
        utils += import_seconds("import annotator.store; from annotator._sqlite_utils import sqlite_utils", 1)
    base, with_utils = statistics.median(bare), statistics.median(utils)
    print(f"\nimport in a fresh interpreter, medians of {args.import_runs}")
    print(f"  import annotator.store                           {base * 1000:7.1f} ms")
    print(f"  import annotator.store + sqlite_utils            {with_utils * 1000:7.1f} ms  "
          f"(sqlite-utils: +{(with_utils - base) * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
