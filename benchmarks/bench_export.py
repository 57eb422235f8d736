"""Export and import of a large project: jsonl export speed against a bare sqlite3 + json baseline,
peak memory of the export, and the import of the same file back.

    python benchmarks/bench_export.py                 # 100,000 articles, 1,000,000 spans
    python benchmarks/bench_export.py --scale 0.05    # a quick run: 5,000 articles, 50,000 spans

The project is built through the operations (articles of about 1-2 KB of text, 10 spans each; 3
relations per article): the articles with `add_articles`, the spans and relations with the
recorder's `insert_many`, 5,000 articles per operation. Each measurement runs in its own
subprocess, so its peak resident memory (ru_maxrss) is its own.

Targets: the export at least half as fast (spans/second) as the baseline, a bare loop of
`SELECT ... FROM articles JOIN texts` and `SELECT ... FROM annotations` writing each row with json.dumps,
measured in the same run; memory flat (peak RSS under 200 MB, and about the same at any scale).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
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
WORDS = (
    "the minister said on Tuesday that prices rose by 5% in May according to officials who asked not to be "
    "named because they were not authorised to speak publicly about the talks in Geneva where delegations from "
    "Kyiv Moscow and Washington met behind closed doors café Zoë naïve 東京 🎉 reported Reuters"
).split()


def build(path: Path, articles: int) -> None:
    """Articles through `operations.add_articles`, 5,000 per operation; their spans and relations
    through the recorder's `insert_many` (journalled, as every write is)."""
    from annotator import operations as ops
    from annotator.model import Article, Block, article_id_for
    from annotator.store import Store

    rng = random.Random(42)
    stamp = "2025-06-13T09:15:02.311Z"
    with Store.open(path) as store:
        batch: list[Article] = []
        span_rows: list[dict] = []
        relation_rows: list[dict] = []
        for n in range(articles):
            paragraphs = [f"Headline number {n}"]
            while sum(len(p) for p in paragraphs) < rng.randint(1000, 2000):
                paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40))) + ".")
            text = "\n".join(paragraphs)
            blocks, position = [], 0
            for i, p in enumerate(paragraphs):
                blocks.append(Block("headline" if i == 0 else "paragraph", position, position + len(p)))
                position += len(p) + 1
            article_id = article_id_for(text)
            batch.append(Article(article_id, text, blocks, title=f"Headline number {n}",
                                 imported_at=f"{stamp}{n:08d}"))
            ids = []
            for k in range(SPANS_PER_ARTICLE):
                start = rng.randrange(0, len(text) - 40)
                end = start + rng.randint(3, 40)
                span_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                ids.append(span_id)
                label = ("CLAIM", "SOURCE", "CAPTION")[k % 3]
                attributes = '{"checkworthy": "yes"}' if label == "CLAIM" else "{}"
                span_rows.append({
                    "id": span_id, "article_id": article_id, "start": start, "end": end, "label": label,
                    "quote": text[start:end], "prefix": text[max(0, start - 32) : start],
                    "suffix": text[end : end + 32], "attributes": attributes, "note": "", "annotator": "maria",
                    "created": stamp, "updated": stamp,
                })  # fmt: skip
            for k in range(RELATIONS_PER_ARTICLE):
                relation_rows.append({
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "article_id": article_id,
                    "head": ids[3 * k], "tail": ids[3 * k + 1], "type": "attributed_to", "annotator": "maria",
                    "created": stamp, "updated": stamp,
                })  # fmt: skip
            if len(batch) >= 5000 or n == articles - 1:
                ops.add_articles(store, batch, annotator="bench-setup")
                with store.operation("bench-setup", "bench-setup") as op:
                    op.insert_many("annotations", span_rows)
                    op.insert_many("relations", relation_rows)
                batch, span_rows, relation_rows = [], [], []


# -- the measured steps, each run in a subprocess ----------------------------------------------


def step_baseline(project: Path, out: Path) -> dict:
    conn = sqlite3.connect(project)
    started, cpu = time.perf_counter(), time.process_time()
    spans = 0
    dumps = json.dumps
    with out.open("w", encoding="utf-8") as handle:
        cursor = conn.execute("SELECT a.*, t.text, t.blocks FROM articles a JOIN texts t ON t.article_id = a.id")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            handle.write(dumps(dict(zip(names, row)), ensure_ascii=False) + "\n")
        cursor = conn.execute("SELECT * FROM annotations WHERE deleted = 0")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            handle.write(dumps(dict(zip(names, row)), ensure_ascii=False) + "\n")
            spans += 1
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "spans": spans}


def step_export(project: Path, out: Path) -> dict:
    from annotator.formats import export_to_path
    from annotator.store import Store

    store = Store.open(project, readonly=True)
    started, cpu = time.perf_counter(), time.process_time()
    stats = export_to_path(store, "jsonl", out)
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "spans": stats.spans,
            "articles": stats.articles}


def step_import(project: Path, source: Path) -> dict:
    from annotator.operations.annotation_sets import import_annotation_set
    from annotator.store import Store

    store = Store.open(project)
    started, cpu = time.perf_counter(), time.process_time()
    report = import_annotation_set(store, source, importer="bench").value
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "spans": report.spans.added,
            "articles": len(report.articles_added)}


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: after fork and exec, Linux's
    ru_maxrss keeps the parent's high-water mark (the builder's memory), VmHWM starts afresh."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # macOS: bytes... close enough on Linux


STEPS = {"baseline": step_baseline, "export": step_export, "import": step_import}


def run_step(name: str, project: Path, other: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--step", name, str(project), str(other)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 100,000 articles (default 1)")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project in this folder")
    parser.add_argument("--step", nargs=3, metavar=("NAME", "PROJECT", "OTHER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, project, other = args.step
        figures = STEPS[name](Path(project), Path(other))
        figures["peak_rss_mb"] = _peak_rss_mb()
        print(json.dumps(figures))
        return
    articles = max(1, int(ARTICLES * args.scale))
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        project = folder / f"bench-{articles}.annotator"
        if not project.exists():
            started = time.perf_counter()
            build(project, articles)
            print(f"built {articles:,} articles, {articles * SPANS_PER_ARTICLE:,} spans in {time.perf_counter() - started:.1f} s "
                  f"({project.stat().st_size / 1e6:.0f} MB)")
        baseline = run_step("baseline", project, folder / "baseline.jsonl")
        export = run_step("export", project, folder / "export.jsonl")
        size = (folder / "export.jsonl").stat().st_size / 1e6
        imported_project = folder / "imported.annotator"
        for suffix in ("", "-wal", "-shm"):
            Path(str(imported_project) + suffix).unlink(missing_ok=True)
        imported = run_step("import", imported_project, folder / "export.jsonl")
    base_rate, base_cpu_rate = baseline["spans"] / baseline["seconds"], baseline["spans"] / baseline["cpu"]
    rate, cpu_rate = export["spans"] / export["seconds"], export["spans"] / export["cpu"]
    print("(rates by wall clock, and by the process's CPU time, which other load on the machine disturbs less)")
    print(f"baseline  sqlite3 SELECT + json.dumps: {baseline['spans']:,} spans in {baseline['seconds']:.1f} s "
          f"(CPU {baseline['cpu']:.1f} s) = {base_rate:,.0f} spans/s (CPU: {base_cpu_rate:,.0f}), "
          f"peak RSS {baseline['peak_rss_mb']:.0f} MB")
    print(f"export    jsonl ({size:.0f} MB): {export['spans']:,} spans, {export['articles']:,} articles in "
          f"{export['seconds']:.1f} s (CPU {export['cpu']:.1f} s) = {rate:,.0f} spans/s (CPU: {cpu_rate:,.0f}); "
          f"{rate / base_rate:.0%} of the baseline by wall clock, {cpu_rate / base_cpu_rate:.0%} by CPU "
          f"(target >= 50%); peak RSS {export['peak_rss_mb']:.0f} MB (target < 200 MB)")
    print(f"import    the same file into a new project: {imported['spans']:,} spans, {imported['articles']:,} articles "
          f"in {imported['seconds']:.1f} s (CPU {imported['cpu']:.1f} s) = {imported['spans'] / imported['seconds']:,.0f} "
          f"spans/s (CPU: {imported['spans'] / imported['cpu']:,.0f}), peak RSS {imported['peak_rss_mb']:.0f} MB")

if __name__ == "__main__":
    main()
