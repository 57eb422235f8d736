"""The Parquet export of a large project against pyarrow writing the same table from memory.

    python benchmarks/bench_parquet.py                 # 100,000 articles, 1,000,000 spans
    python benchmarks/bench_parquet.py --scale 0.1     # 10,000 articles, 100,000 spans
    python benchmarks/bench_parquet.py --runs 3        # runs of each, interleaved (default 3)

The project is built fast with executemany straight into the store's tables (articles of 1-2 KB
of text, 10 spans and 3 relations each). Then, interleaved, each in its own subprocess so that
its peak resident memory (VmHWM) is its own:

* export    `export_to_path(store, "parquet", DIR, split="train=0.8,dev=0.1,test=0.1")`: the rows
            streamed from SQLite through export_rows into a ParquetWriter per shard;
* baseline  `pyarrow.parquet.write_table` of the very same rows (the export's own output, read
            into one in-memory Table before the clock starts), with the same compression and
            row groups: what writing costs when everything is in memory already.

Printed: the medians of wall-clock seconds, MB/s (Parquet bytes written per second), spans/s and
peak RSS, and the export's time as a multiple of the baseline's. The export also reads SQLite,
decodes JSON blocks and hashes ids, so it cannot be as fast as the bare write; what it buys is
memory that does not grow with the corpus (compare --scale 0.1 and 1).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ARTICLES = 100_000
SPANS_PER_ARTICLE = 10
RELATIONS_PER_ARTICLE = 3
SPLIT = "train=0.8,dev=0.1,test=0.1"
WORDS = (
    "the minister said on Tuesday that prices rose by 5% in May according to officials who asked not to be "
    "named because they were not authorised to speak publicly about the talks in Geneva where delegations from "
    "Kyiv Moscow and Washington met behind closed doors café Zoë naïve 東京 🎉 reported Reuters"
).split()


def build(path: Path, articles: int) -> None:
    from annotator.model import article_id_for
    from annotator.store import Store

    Store.open(path).close()  # the tables, by the store itself
    rng = random.Random(42)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    stamp = "2025-06-13T09:15:02.311Z"
    rows: dict[str, list[tuple]] = {"articles": [], "texts": [], "annotations": [], "relations": []}
    with conn:
        for n in range(articles):
            paragraphs = [f"Headline number {n}"]
            while sum(len(p) for p in paragraphs) < rng.randint(1000, 2000):
                paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40))) + ".")
            text = "\n".join(paragraphs)
            blocks, position = [], 0
            for i, p in enumerate(paragraphs):
                blocks.append(["headline" if i == 0 else "paragraph", position, position + len(p)])
                position += len(p) + 1
            article_id = article_id_for(text)
            rows["articles"].append((article_id, f"Headline number {n}", "Test Wire", stamp, len(text)))
            rows["texts"].append((article_id, text, json.dumps(blocks)))
            ids = []
            for k in range(SPANS_PER_ARTICLE):
                start = rng.randrange(0, len(text) - 40)
                end = start + rng.randint(3, 40)
                span_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                ids.append(span_id)
                label = ("CLAIM", "SOURCE", "CAPTION")[k % 3]
                attributes = '{"checkworthy": "yes"}' if label == "CLAIM" else "{}"
                rows["annotations"].append(
                    (span_id, article_id, start, end, label, text[start:end], text[max(0, start - 32) : start],
                     text[end : end + 32], attributes, "", ("maria", "bob")[k % 2], stamp, stamp)
                )
            for k in range(RELATIONS_PER_ARTICLE):
                rows["relations"].append(
                    (str(uuid.UUID(int=rng.getrandbits(128), version=4)), article_id, ids[3 * k], ids[3 * k + 1],
                     "attributed_to", "maria", stamp, stamp)
                )
            if len(rows["articles"]) >= 5000:
                _flush(conn, rows)
        _flush(conn, rows)
    conn.close()


def _flush(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> None:
    conn.executemany("INSERT INTO articles(id, title, outlet, imported_at, length) VALUES (?, ?, ?, ?, ?)", rows["articles"])
    conn.executemany("INSERT INTO texts(article_id, text, blocks) VALUES (?, ?, ?)", rows["texts"])
    conn.executemany(
        'INSERT INTO annotations(id, article_id, start, "end", label, quote, prefix, suffix, attributes, note, '
        "annotator, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows["annotations"],
    )
    conn.executemany(
        "INSERT INTO relations(id, article_id, head, tail, type, annotator, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows["relations"],
    )
    for batch in rows.values():
        batch.clear()


# -- the measured steps, each run in a subprocess ----------------------------------------------


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.parquet"))


def step_export(project: Path, out: Path) -> dict:
    from annotator.formats import export_to_path
    from annotator.store import Store

    import pyarrow

    pyarrow.array(["warm"])  # imports what pyarrow loads on first use (pandas, if installed), as the baseline has
    shutil.rmtree(out, ignore_errors=True)
    store = Store.open(project, readonly=True)
    started, cpu = time.perf_counter(), time.process_time()
    stats = export_to_path(store, "parquet", out, split=SPLIT)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu": time.process_time() - cpu, "spans": stats.spans, "articles": stats.articles,
            "bytes": _size(out), "parts": stats.parts}


def step_baseline(source: Path, out: Path) -> dict:
    """pyarrow writing, from memory, the table the export wrote (read before the clock starts)."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from annotator.formats.parquet import BATCH_ROWS, COMPRESSION

    table = ds.dataset(str(source), format="parquet").to_table()
    spans = int(pc.sum(pc.list_value_length(table.column("spans"))).as_py())
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started, cpu = time.perf_counter(), time.process_time()
    pq.write_table(table, out / "all.parquet", compression=COMPRESSION, row_group_size=BATCH_ROWS)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu": time.process_time() - cpu, "spans": spans, "articles": table.num_rows,
            "bytes": _size(out)}


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: after fork and exec, ru_maxrss may keep the parent's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


STEPS = {"export": step_export, "baseline": step_baseline}


def run_step(name: str, source: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--step", name, str(source), str(out)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(name: str, runs: list[dict]) -> tuple[str, float]:
    seconds = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    mb = runs[0]["bytes"] / 1e6
    rss = statistics.median(r["peak_rss_mb"] for r in runs)
    each = ", ".join(f"{r['seconds']:.1f}" for r in runs)
    text = (f"{name:<9} {runs[0]['articles']:,} articles, {runs[0]['spans']:,} spans, {mb:,.0f} MB of Parquet: "
            f"{seconds:.1f} s (CPU {cpu:.1f} s) = {mb / seconds:,.1f} MB/s, {runs[0]['spans'] / seconds:,.0f} spans/s; "
            f"peak RSS {rss:,.0f} MB   [runs: {each} s]")
    return text, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 100,000 articles (default 1)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step, interleaved (default 3)")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project in this folder")
    parser.add_argument("--step", nargs=3, metavar=("NAME", "SOURCE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, source, out = args.step
        figures = STEPS[name](Path(source), Path(out))
        figures["peak_rss_mb"] = _peak_rss_mb()
        print(json.dumps(figures))
        return
    articles = max(1, int(ARTICLES * args.scale))
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        project = folder / f"bench-parquet-{articles}.annotator"
        if not project.exists():
            started = time.perf_counter()
            build(project, articles)
            print(f"built {articles:,} articles, {articles * SPANS_PER_ARTICLE:,} spans, "
                  f"{articles * RELATIONS_PER_ARTICLE:,} relations in {time.perf_counter() - started:.1f} s "
                  f"({project.stat().st_size / 1e6:,.0f} MB)", flush=True)
        exports, baselines = [], []
        for run in range(args.runs):
            exports.append(run_step("export", project, folder / "export"))
            baselines.append(run_step("baseline", folder / "export", folder / "baseline"))
            print(f"run {run + 1}: export {exports[-1]['seconds']:.1f} s, baseline {baselines[-1]['seconds']:.1f} s",
                  flush=True)
    print(f"(medians of {args.runs} interleaved runs; splits {SPLIT}: {'; '.join(exports[0]['parts'])})")
    base_text, base_seconds = _line("baseline", baselines)
    export_text, export_seconds = _line("export", exports)
    print(base_text + "   pyarrow.parquet.write_table of the same rows, all in memory")
    print(export_text + f"   streamed from the project: {export_seconds / base_seconds:.1f}x the baseline's time")


if __name__ == "__main__":
    main()
