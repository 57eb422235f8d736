"""What keeping a tool's ids and reading a colleague's file with limits cost: the import of a Label
Studio export (its ids, task and annotation fields and predictions now kept, duplicates looked for),
its export back to Label Studio (the ids written back), and the merge of a colleague's project (each
value's size checked in SQL before it is fetched).

    python benchmarks/bench_foreign_ids.py                    # 2,000 tasks of 20 regions, 3 rounds
    python benchmarks/bench_foreign_ids.py --scale 0.25       # a quick run
    python benchmarks/bench_foreign_ids.py --against 4c54707  # also the same steps at another revision

Each figure is printed next to a baseline measured in the same run: a bare sqlite3 + json loop that
does the same work without any of the rules (the import: json.load and executemany into the
tables; the export: SELECT and json.dumps; the merge: SELECT * of their rows and executemany into
ours). With `--against REV` the steps also run on that revision's code (`git archive`, nothing in
the repository is touched), so the change itself is measured. Every step runs in its own
subprocess; rounds are interleaved and medians reported.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = ("the minister said on Tuesday that prices rose by 5% in May according to officials in Geneva "
         "café Zoë 東京 🎉 reported Reuters").split()


def make_label_studio_file(path: Path, tasks: int, regions: int) -> None:
    rng = random.Random(7)
    out = []
    for n in range(tasks):
        text = f"Headline {n}\n" + " ".join(rng.choice(WORDS) for _ in range(300))
        result = []
        for k in range(regions):
            start = rng.randrange(0, len(text) - 30)
            end = start + rng.randint(3, 30)
            ident = "".join(rng.choice(string.ascii_letters) for _ in range(10))
            result.append({"id": ident, "from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
                           "value": {"start": start, "end": end, "text": text[start:end],
                                     "labels": [("CLAIM", "SOURCE", "CAPTION")[k % 3]]}})
        for k in range(0, regions - 1, 3):
            result.append({"type": "relation", "from_id": result[k]["id"], "to_id": result[k + 1]["id"],
                           "direction": "right", "labels": ["attributed_to"]})
        out.append({"id": n + 1, "data": {"text": text, "source": "wire"}, "meta": {"batch": n % 7},
                    "annotations": [{"id": 10_000 + n, "completed_by": 1 + n % 3, "lead_time": 3.5, "result": result}],
                    "predictions": [{"model_version": "m1", "result": result[:2]}]})
    path.write_text(json.dumps(out, ensure_ascii=False), "utf-8")


# -- the steps (run in a subprocess, with the code of the tree on sys.path) ------------------------


def step_import(work: Path, source: Path) -> dict:
    from annotator.operations.annotation_sets import import_annotation_set
    from annotator.store import Store

    store = Store.open(work / "imported.annotator")
    started = time.perf_counter()
    report = import_annotation_set(store, source, importer="bench").value
    return {"seconds": time.perf_counter() - started, "spans": report.spans.added}


def step_export(work: Path, _source: Path) -> dict:
    from annotator.formats import export_to_path
    from annotator.store import Store

    store = Store.open(work / "imported.annotator", readonly=True)
    started = time.perf_counter()
    stats = export_to_path(store, "labelstudio", work / "out.json")
    return {"seconds": time.perf_counter() - started, "spans": stats.spans}


def step_merge(work: Path, _source: Path) -> dict:
    from annotator.operations.merge import merge_from
    from annotator.store import ColleagueProject, Store

    target = work / "merged.annotator"
    target.unlink(missing_ok=True)
    store = Store.open(target)
    started = time.perf_counter()
    with ColleagueProject.open(work / "imported.annotator") as other:
        report = merge_from(store, other, merged_by="bench").value
    return {"seconds": time.perf_counter() - started, "spans": report.annotations.added}


def step_bare_import(work: Path, source: Path) -> dict:
    started = time.perf_counter()
    tasks = json.loads(source.read_text("utf-8"))
    conn = sqlite3.connect(work / "bare.db")
    conn.execute("CREATE TABLE IF NOT EXISTS texts(id TEXT PRIMARY KEY, text TEXT, meta TEXT)")
    conn.execute("CREATE TABLE IF NOT EXISTS spans(id TEXT PRIMARY KEY, article TEXT, start INT, stop INT, label TEXT, "
                 "quote TEXT, extra TEXT)")
    rows, spans = [], 0
    with conn:
        for n, task in enumerate(tasks):
            conn.execute("INSERT OR REPLACE INTO texts VALUES (?, ?, ?)", (str(n), task["data"]["text"],
                                                                          json.dumps(task.get("meta"))))
            for region in task["annotations"][0]["result"]:
                if region["type"] == "labels":
                    value = region["value"]
                    rows.append((f"{n}:{region['id']}", str(n), value["start"], value["end"], value["labels"][0],
                                 value["text"], json.dumps({"from_name": region["from_name"]})))
        conn.executemany("INSERT OR REPLACE INTO spans VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        spans = len(rows)
    conn.close()
    return {"seconds": time.perf_counter() - started, "spans": spans}


def step_bare_export(work: Path, _source: Path) -> dict:
    started = time.perf_counter()
    conn = sqlite3.connect(work / "bare.db")
    spans = 0
    with (work / "bare-out.json").open("w", encoding="utf-8") as out:
        for ident, text, meta in conn.execute("SELECT id, text, meta FROM texts"):
            result = [{"id": r[0], "value": {"start": r[1], "end": r[2], "labels": [r[3]], "text": r[4]}, **json.loads(r[5])}
                      for r in conn.execute("SELECT id, start, stop, label, quote, extra FROM spans WHERE article = ?",
                                            (ident,))]
            spans += len(result)
            out.write(json.dumps({"id": ident, "data": {"text": text}, "meta": json.loads(meta),
                                  "annotations": [{"result": result}]}, ensure_ascii=False) + ",\n")
    return {"seconds": time.perf_counter() - started, "spans": spans}


def step_bare_merge(work: Path, _source: Path) -> dict:
    """Every span row of the bare import read (as a colleague's file, read-only) and written to another file."""
    started = time.perf_counter()
    theirs = sqlite3.connect(f"{(work / 'bare.db').resolve().as_uri()}?mode=ro", uri=True)
    target = work / "bare-merged.db"
    target.unlink(missing_ok=True)
    mine = sqlite3.connect(target)
    mine.execute("CREATE TABLE spans(id TEXT PRIMARY KEY, article TEXT, data TEXT)")
    rows = []
    cursor = theirs.execute("SELECT * FROM spans")
    names = [d[0] for d in cursor.description]
    for row in cursor:
        record = dict(zip(names, row))
        json.loads(record["extra"])
        rows.append((record["id"], record["article"], json.dumps(record)))
    with mine:
        mine.executemany("INSERT INTO spans VALUES (?, ?, ?)", rows)
    return {"seconds": time.perf_counter() - started, "spans": len(rows)}


STEPS = {"import": step_import, "export": step_export, "merge": step_merge,
         "bare-import": step_bare_import, "bare-export": step_bare_export, "bare-merge": step_bare_merge}


def run(step: str, tree: Path, work: Path, source: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--step", step, str(tree), str(work), str(source)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{step} ({tree}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 2,000 tasks (default 1)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="also run the steps on this git revision's code")
    parser.add_argument("--step", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, tree, work, source = args.step
        sys.path.insert(0, tree)
        print(json.dumps(STEPS[name](Path(work), Path(source))))
        return
    tasks = max(10, int(2000 * args.scale))
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        source = scratch / "tasks.json"
        make_label_studio_file(source, tasks, 20)
        trees = {"ours": REPO}
        if args.against:
            before = scratch / "before"
            before.mkdir()
            archive = subprocess.run(["git", "-C", str(REPO), "archive", args.against, "annotator"],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
            trees[args.against] = before
        figures: dict[tuple[str, str], list[float]] = {}
        spans: dict[tuple[str, str], int] = {}
        for _ in range(args.rounds):
            for name, tree in [("bare", REPO), *trees.items()]:
                work = scratch / f"work-{name}"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir()
                for step in ("import", "export", "merge"):
                    result = run(f"bare-{step}" if name == "bare" else step, tree, work, source)
                    figures.setdefault((name, step), []).append(result["seconds"])
                    spans[(name, step)] = result["spans"]
        print(f"{tasks:,} Label Studio tasks of 20 regions ({source.stat().st_size / 1e6:.1f} MB), "
              f"medians of {args.rounds} interleaved rounds")
        for step in ("import", "export", "merge"):
            bare = statistics.median(figures[("bare", step)])
            line = f"  {step:<7} bare sqlite3 + json {bare:6.2f} s"
            for name in trees:
                seconds = statistics.median(figures[(name, step)])
                line += f" | {name} {seconds:6.2f} s ({seconds / bare:4.1f}x, {spans[(name, step)]:,} spans)"
            print(line)


if __name__ == "__main__":
    main()
