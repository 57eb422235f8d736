"""What one edit costs, and whether that depends on the article's length.

Three projects, each one article: 20 KB (100 spans), 1 MB (10,000 spans) and 20 MB (10,000 spans),
with a relation for every fifth span.
Printed next to baselines measured in the same run:

1. op latency in a process that has the project open (the window, a long-running script):
   `operations.tag`, `relabel`, `link` and `undo`, median ms over interleaved repetitions (every
   repetition does each op once on each article in turn), next to a bare `sqlite3` INSERT of the same
   annotation row into a copy of the same project file with the same durability (WAL,
   synchronous=FULL, one commit);
2. the first op in a fresh process, which reads the article once (the store then keeps its text and
   blocks, which never change for an id), and the ops after it; and the fresh-process CLI
   (`annotator add` in a subprocess) on each article, next to a fresh `python -c` that makes the
   bare INSERT;
3. journal bytes per 10,000 ops (`Store.journal_size()`), next to the bytes of the rows those ops
   wrote (their JSON);
4. seconds from a CLI write (`annotator add` in a subprocess) to an open window (offscreen, a real
   `MainWindow` with its `JournalWatcher` polling) showing the annotation, median of several;
   baseline: the watcher's poll interval.

Run: python benchmarks/bench_ops.py [--reps 25] [--journal-ops 10000] [--runs 7] [--only SECTION]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from annotator import operations as ops  # noqa: E402
from annotator.model import Article  # noqa: E402
from annotator.store import Store, now  # noqa: E402
from annotator.store.codecs import ANNOTATION_COLUMNS, annotation_row, relation_row  # noqa: E402

import corpus  # noqa: E402

SIZES = (("20 KB", 20_000, 100), ("1 MB", 1_000_000, 10_000), ("20 MB", 20_000_000, 10_000))  # name, characters, spans
RELATIONS_PER_SPAN = 0.2
WHO = "bench"
OPS = ("tag", "relabel", "link", "undo")
SECTIONS = ("latency", "fresh", "journal", "window")

COLUMNS_SQL = ", ".join(f'"{c}"' for c in ANNOTATION_COLUMNS)
BARE_INSERT = f"INSERT INTO annotations({COLUMNS_SQL}) VALUES ({', '.join('?' * 15)})"
BARE_SCRIPT = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL"); conn.execute("PRAGMA synchronous = FULL")
conn.execute("BEGIN IMMEDIATE")
conn.execute(sys.argv[2], json.loads(sys.argv[3]))
conn.execute("COMMIT")
"""


@dataclass
class Project:
    name: str
    path: Path
    article: Article
    spans: list[str]  # the setup's span ids (relabelled one by one)
    baseline: Path  # a copy of the project file after setup, for the bare INSERTs
    times: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in (*OPS, "bare")})


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def build(work: Path, rng: random.Random) -> list[Project]:
    projects = []
    for name, characters, spans in SIZES:
        started = time.perf_counter()
        path = work / f"ops-{characters}.annotator"
        article = corpus.news_article(rng, characters)
        with Store.open(path) as store:
            corpus.add_article(store, article)
            made = corpus.bulk_annotations(store, article, spans, rng)
            relations = corpus.bulk_relations(store, made, int(spans * RELATIONS_PER_SPAN), rng)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        baseline = work / f"bare-{characters}.sqlite"
        shutil.copyfile(path, baseline)
        projects.append(Project(name, path, article, [a.id for a in made], baseline))
        print(f"  {name:>6}: {len(article.text):>10,} characters, {len(article.blocks):>6,} blocks, "
              f"{spans:>6,} spans, {relations:>5,} relations  (built in {time.perf_counter() - started:.1f} s)")
    return projects


def raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def random_span(rng: random.Random, article: Article) -> tuple[int, int]:
    start = rng.randrange(0, len(article.text) - 60)
    return start, start + rng.randint(4, 50)


# -- 1. latency in an open process -------------------------------------------------------------


def one_round(store: Store, bare: sqlite3.Connection, project: Project, rng: random.Random,
              journal: dict[str, list[int]] | None = None) -> list[dict]:
    """tag a CLAIM, the bare INSERT of its row, tag a SOURCE, relabel a setup span, link, undo the
    link; returns the row each of the five ops wrote."""
    article, times = project.article, project.times

    def run(kind: str, make):
        """Time the op `make()` gives; an op refused as a duplicate (the same words drawn again) is
        not counted, and `make` is asked for another."""
        while True:
            before = store.journal_size()[1] if journal is not None else 0
            fn = make()
            try:
                seconds, value = timed(fn)
            except ops.DuplicateAnnotation:
                continue
            times[kind].append(seconds)
            if journal is not None:
                journal[kind].append(store.journal_size()[1] - before)
            return value

    def tag(label: str):
        span = random_span(rng, article)
        return lambda: ops.tag(store, article.id, *span, label, annotator=WHO)

    def relabel():
        target = project.spans.pop()
        label = "SOURCE" if store.get_annotation(target).label != "SOURCE" else "CLAIM"
        return lambda: ops.relabel(store, target, label, annotator=WHO)

    claim = run("tag", lambda: tag("CLAIM")).value
    row = annotation_row(claim)
    row["id"] = str(uuid.uuid4())

    def bare_insert() -> None:
        bare.execute("BEGIN IMMEDIATE")
        bare.execute(BARE_INSERT, tuple(row.values()))
        bare.execute("COMMIT")

    times["bare"].append(timed(bare_insert)[0])
    source = run("tag", lambda: tag("SOURCE")).value
    relabelled = run("relabel", relabel).value
    relation = run("link", lambda: lambda: ops.link(store, claim.id, source.id, annotator=WHO)).value
    run("undo", lambda: lambda: ops.undo(store, annotator=WHO))
    return [annotation_row(claim), annotation_row(source), annotation_row(relabelled), relation_row(relation),
            relation_row(relation)]  # the full row each op wrote (the undo removed the link's)


def section_latency(projects: list[Project], reps: int, rng: random.Random) -> None:
    stores = [Store.open(p.path) for p in projects]
    bares = [raw_connection(p.baseline) for p in projects]
    journal = {p.name: {k: [] for k in OPS} for p in projects}
    for store, bare, project in zip(stores, bares, projects):  # warm: the text read once per process
        one_round(store, bare, project, rng)
        for values in project.times.values():
            values.clear()
    for _ in range(reps):
        for store, bare, project in zip(stores, bares, projects):
            one_round(store, bare, project, rng, journal[project.name])
    for store in stores:
        store.close()
    for bare in bares:
        bare.close()
    print(f"\n1. op latency, project open in this process: median of {reps} interleaved rounds "
          f"(tag: {2 * reps} samples)")
    print(f"   {'':>6}  {'bare INSERT':>11}  " + "  ".join(f"{k:>18}" for k in OPS))
    for project in projects:
        bare = median(project.times["bare"])
        cells = [f"{median(project.times[k]) * 1000:7.2f} ms ({median(project.times[k]) / bare:4.1f}x)" for k in OPS]
        print(f"   {project.name:>6}  {bare * 1000:8.2f} ms  " + "  ".join(cells))
    print("   (x: times the bare INSERT of the same row, same durability, same run)")
    print("   journal bytes per op, median:  " + "; ".join(
        f"{p.name}: " + ", ".join(f"{k} {median(journal[p.name][k]):.0f}" for k in OPS) for p in projects))


# -- 2. the first op in a fresh process, and the CLI -------------------------------------------


def step_fresh(project: str, article_id: str, count: str) -> dict:
    """In a fresh process: open the project, tag `count` times; the seconds of each."""
    rng = random.Random()
    started = time.perf_counter()
    store = Store.open(project)
    opened = time.perf_counter() - started
    length = store.article_row(article_id)["length"]
    seconds = []
    while len(seconds) < int(count):
        start = rng.randrange(0, length - 60)
        try:
            seconds.append(timed(lambda: ops.tag(store, article_id, start, start + 30, "CLAIM", annotator=WHO))[0])
        except ops.DuplicateAnnotation:  # the same words again: another place
            continue
    store.close()
    return {"open": opened, "ops": seconds}


def run_step(*args: str, env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, __file__, "--step", *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"step {args[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli_env(work: Path) -> dict:
    env = dict(os.environ)
    env["ANNOTATOR_CONFIG_DIR"] = str(work / "config")
    env.pop("ANNOTATOR_DEBUG", None)
    return env


def cli_add(project: Project, rng: random.Random, env: dict) -> tuple[float, str]:
    start, end = random_span(rng, project.article)
    command = [sys.executable, "-m", "annotator", "--project", str(project.path), "add", project.article.id[:12],
               str(start), str(end), "CLAIM", "--annotator", "cli"]
    seconds, done = timed(lambda: subprocess.run(command, capture_output=True, text=True, env=env))
    if done.returncode != 0:
        raise SystemExit(f"annotator add failed: {done.stderr}")
    return seconds, done.stdout.strip()


def fresh_bare(project: Project, rng: random.Random) -> float:
    stamp = now()
    row = annotation_row(corpus.random_annotation(rng, project.article, "cli", stamp))
    command = [sys.executable, "-c", BARE_SCRIPT, str(project.baseline), BARE_INSERT, json.dumps(list(row.values()))]
    seconds, done = timed(lambda: subprocess.run(command, capture_output=True, text=True))
    if done.returncode != 0:
        raise SystemExit(f"bare insert failed: {done.stderr}")
    return seconds


def section_fresh(projects: list[Project], runs: int, rng: random.Random, work: Path) -> None:
    env = cli_env(work)
    first = {p.name: [] for p in projects}
    after = {p.name: [] for p in projects}
    opened = {p.name: [] for p in projects}
    cli = {p.name: [] for p in projects}
    bare = {p.name: [] for p in projects}
    for _ in range(runs):
        for project in projects:
            figures = run_step("fresh", str(project.path), project.article.id, "6")
            opened[project.name].append(figures["open"])
            first[project.name].append(figures["ops"][0])
            after[project.name].extend(figures["ops"][1:])
            cli[project.name].append(cli_add(project, rng, env)[0])
            bare[project.name].append(fresh_bare(project, rng))
    print(f"\n2. a fresh process, median of {runs} runs")
    print(f"   {'':>6}  {'Store.open':>11}  {'first tag':>11}  {'next tags':>11}  "
          f"{'annotator add (CLI)':>20}  {'python -c bare INSERT':>22}")
    for project in projects:
        name = project.name
        print(f"   {name:>6}  {ms(median(opened[name]))}  {ms(median(first[name]))}  {ms(median(after[name]))}  "
              f"{ms(median(cli[name])):>20}  {ms(median(bare[name])):>22}")
    small, big = projects[0].name, projects[-1].name
    print(f"   CLI add on {big} / on {small}: {median(cli[big]) / median(cli[small]):.2f}x; "
          f"first tag on {big} / next tags: {median(first[big]) / median(after[big]):.1f}x")


# -- 3. journal bytes per 10,000 ops -----------------------------------------------------------


def section_journal(work: Path, count: int, rng: random.Random) -> None:
    path = work / "journal.annotator"
    article = corpus.news_article(rng, 200_000)
    with Store.open(path) as store:
        corpus.add_article(store, article)
        setup = corpus.bulk_annotations(store, article, count, rng)
        project = Project("journal", path, article, [a.id for a in setup], path)
        entries0, bytes0 = store.journal_size()
        bare = sqlite3.connect(":memory:")  # the bare INSERT is not what is measured here
        bare.execute(f"CREATE TABLE annotations({COLUMNS_SQL})")
        made, rows = 0, 0
        while made < count:
            for row in one_round(store, bare, project, rng):
                rows += len(json.dumps(row, ensure_ascii=False).encode("utf-8"))
            made += 5
        entries, size = store.journal_size()
    entries -= entries0
    size -= bytes0
    print(f"\n3. journal: {made:,} ops (tag, tag, relabel, link, undo, repeated) on a 200 KB article")
    print(f"   journal: {entries:,} entries, {size / 1e6:.2f} MB = {size / made * 10_000 / 1e6:.2f} MB per 10,000 ops "
          f"({size / made:.0f} bytes/op)")
    print(f"   baseline: the full row each op wrote, as JSON: {rows / made * 10_000 / 1e6:.2f} MB per 10,000 ops "
          f"({rows / made:.0f} bytes/op); the journal (head, changed ids, before and after images) is "
          f"{size / rows:.1f}x that")


# -- 4. from a CLI write to the window showing it ----------------------------------------------


def step_window(project: str, article_id: str, runs: str, config: str) -> dict:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["ANNOTATOR_CONFIG_DIR"] = config
    from PySide6.QtWidgets import QApplication

    from annotator import settings
    from annotator.ui.live import POLL_MS
    from annotator.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings.current().set("annotator", "window")
    store = Store.open(project)
    window = MainWindow(store, restore_state=False)
    window.resize(1200, 800)
    window.show()
    window.open_article(article_id)
    for _ in range(20):
        app.processEvents()
    rng = random.Random(11)
    length = store.article_row(article_id)["length"]
    env = dict(os.environ)
    after_exit, after_start = [], []
    for _ in range(int(runs)):
        time.sleep(rng.random() * POLL_MS / 1000)  # a write lands at any moment of the poll cycle
        start = rng.randrange(0, length - 60)
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "annotator", "--project", project, "add", article_id[:12], str(start),
             str(start + 30), "CLAIM", "--annotator", "cli"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        while process.poll() is None:
            app.processEvents()
            time.sleep(0.001)
        exited = time.perf_counter()
        new_id = process.stdout.read().decode().strip()
        if process.returncode != 0:
            raise SystemExit(process.stderr.read().decode())
        deadline = exited + 10
        while window.view._index.get(new_id) is None:  # noqa: SLF001 - what the view paints
            if time.perf_counter() > deadline:
                raise SystemExit("the window did not show the annotation within 10 s")
            app.processEvents()
            time.sleep(0.001)
        shown = time.perf_counter()
        after_exit.append(shown - exited)
        after_start.append(shown - started)
    window.close()
    store.close()
    return {"after_exit": after_exit, "after_start": after_start, "poll_ms": POLL_MS}


def section_window(projects: list[Project], runs: int, work: Path) -> None:
    print(f"\n4. from `annotator add` in a subprocess to an open window showing it, median of {runs}")
    for project in projects[:2]:
        figures = run_step("window", str(project.path), project.article.id, str(runs), str(work / "config-window"))
        poll = figures["poll_ms"] / 1000
        print(f"   {project.name:>6}: {median(figures['after_exit']):.3f} s after the CLI exits "
              f"(max {max(figures['after_exit']):.3f} s), {median(figures['after_start']):.3f} s after it starts; "
              f"baseline: the watcher polls every {poll:.1f} s (expected wait {poll / 2:.1f} s)")


STEPS = {"fresh": step_fresh, "window": step_window}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=25)
    parser.add_argument("--runs", type=int, default=7, help="fresh processes and window writes per article")
    parser.add_argument("--journal-ops", type=int, default=10_000)
    parser.add_argument("--only", choices=SECTIONS, action="append")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(STEPS[args.step[0]](*args.step[1:])))
        return 0
    sections = args.only or SECTIONS
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if set(sections) & {"latency", "fresh", "window"}:
            print("projects (one article each):")
            projects = build(work, rng)
        if "latency" in sections:
            section_latency(projects, args.reps, rng)
        if "fresh" in sections:
            section_fresh(projects, args.runs, rng, work)
        if "journal" in sections:
            section_journal(work, args.journal_ops, rng)
        if "window" in sections:
            section_window(projects, args.runs, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
