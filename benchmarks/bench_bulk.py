"""Bulk work against its floor: a Label Studio file of N news-like documents imported with the real
CLI (`annotator import-annotations --format labelstudio`), then exported to Label Studio JSON and to
native jsonl, each next to the floor measured in the same run, interleaved, medians.

    python benchmarks/bench_bulk.py                      # 1,000 and 10,000 documents, 3 rounds
    python benchmarks/bench_bulk.py --sizes 1000,10000,100000 --rounds 3
    python benchmarks/bench_bulk.py --sizes 10000 --agree      # also `agree` (10,000 x 2 x 20) vs its floor
    python benchmarks/bench_bulk.py --before 5436000           # also the code of that revision, in the same rounds

The workload (made once per size, deterministically, seed 15): documents of about 3,000 characters
(a headline, a byline, paragraphs of news sentences, a caption with a photo credit; an emoji in
some paragraphs), each with 10 CLAIM/SOURCE/CAPTION regions, some of them after an emoji (code
points and UTF-16 differ there), in Label Studio's JSON task format (the array of its export: task
and annotation ids, `completed_by`, timestamps, region ids, one annotation per task).

Floors (the same rows, the same durability, no journal, no checks):
- import: `json.load` of the whole file, then `sqlite3.executemany` of the articles, texts and
  annotation rows into a fresh project (the same schema and indexes), one transaction, WAL,
  synchronous=FULL; and the same again with the project's full-text search index filled with the
  new rows in that transaction, set-based (the product keeps search in step with every import);
- export: one query (articles, texts and their spans), one `json.dumps` per task (Label Studio
  shape) or per record (jsonl shape).

The product keeps full-text search over the articles and spans; a file big enough to be written in
batches leaves its rows for the next search to index, set-based: the first `annotator search` after
each import is timed too, and import + that search is set against the floor that fills the index.

Every measured step runs in its own process; its peak memory is that process's maximum resident set
(`os.wait4`). The parent stays small (it never loads a workload) so that the figure is the child's.
The package's bytecode is written before the first run, and kept, as on an installed copy (pip
compiles on install), also where the environment sets PYTHONDONTWRITEBYTECODE.
After each import the project is read back and every span compared with the file (offsets, label,
text); after each export the file is read back and compared with the project.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SPANS = 10
LABELS = ("CLAIM", "SOURCE", "CAPTION")
EMOJI = ("😀", "🇺🇦", "👍🏽", "📈", "🔥", "🎉")
WORDS = (
    "the minister said on Tuesday that government officials would review figures released by the agency after "
    "reports of rising prices in several regions according to analysts who spoke on condition of anonymity "
    "because they were not authorised to discuss talks between leaders while critics argued the decision could "
    "affect millions of households across the country café naïve Zoë"
).split()
SOURCES = ("Reuters", "the Associated Press", "a senior official", "the ministry", "Dr Ana Lima", "AFP")
STAMP = "2025-06-13T09:15:02.311000Z"


# -- the workload -------------------------------------------------------------------------------------


def _sentence(rng: random.Random, emoji: bool) -> str:
    words = rng.choices(WORDS, k=rng.randint(10, 26))
    if emoji:
        words.insert(rng.randrange(len(words)), rng.choice(EMOJI))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _region_id(rng: random.Random) -> str:
    return "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", k=10))


def make_task(rng: random.Random, n: int) -> dict:
    """One Label Studio task: its text and one annotation of SPANS regions."""
    paragraphs = [f"Headline {n}: talks resume as prices rise", f"By Reporter {n % 97} | Wire"]
    while sum(len(p) + 1 for p in paragraphs) < 2800:
        paragraphs.append(" ".join(_sentence(rng, rng.random() < 0.15) for _ in range(rng.randint(2, 4))))
    caption = f"A market in Kyiv on Monday. (Photo: {rng.choice(SOURCES)})"
    paragraphs.insert(3, caption)
    text = "\n".join(paragraphs)
    after_emoji = [i + 2 for i, c in enumerate(text) if ord(c) > 0xFFFF]
    result = []
    spans: set[tuple[int, int]] = set()
    cap_start = text.index(caption)
    for k in range(SPANS):
        label = LABELS[k % 3]
        if label == "CAPTION":
            start = cap_start + rng.randrange(0, 10)
            end = cap_start + len(caption) - rng.randrange(0, 5)
        else:
            if after_emoji and k < 3:  # some spans after an emoji: code points and UTF-16 differ
                start = min(rng.choice(after_emoji) + rng.randrange(0, 40), len(text) - 80)
            else:
                start = rng.randrange(0, len(text) - 80)
            end = start + rng.randint(4, 70)
        if (start, end) in spans or text[start:end].strip() == "":
            continue
        spans.add((start, end))
        result.append({
            "id": _region_id(rng), "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
        })  # fmt: skip
    return {
        "id": n + 1,
        "data": {"text": text},
        "annotations": [{
            "id": n + 1, "completed_by": 1 + n % 3, "result": result, "was_cancelled": False, "ground_truth": False,
            "created_at": STAMP, "updated_at": STAMP, "lead_time": round(rng.uniform(5, 300), 3),
        }],  # fmt: skip
        "meta": {}, "created_at": STAMP, "updated_at": STAMP, "inner_id": n + 1, "total_annotations": 1,
        "cancelled_annotations": 0, "total_predictions": 0, "project": 15, "updated_by": None,
    }  # fmt: skip


def step_generate(path: str, count: str) -> dict:
    """Write the Label Studio file of `count` tasks (an array, one task per line, as our export does)."""
    rng = random.Random(15)
    spans = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for n in range(int(count)):
            task = make_task(rng, n)
            spans += len(task["annotations"][0]["result"])
            out.write(("\n" if n == 0 else ",\n") + json.dumps(task, ensure_ascii=False))
        out.write("\n]\n")
    return {"spans": spans, "mb": os.path.getsize(path) / 1e6}


# -- the floors -------------------------------------------------------------------------------------


def step_floor_import(source: str, project: str, index: str = "") -> dict:
    """json.load, then the same rows with sqlite3.executemany in one transaction (WAL, synchronous=FULL).
    With `index` ("search"), the same transaction also fills the project's full-text index with the
    new rows, set-based (what migration 8 does): the floor of an import that keeps search in step."""
    import sqlite3

    sys.path.insert(0, str(REPO))
    from annotator.model import article_id_for
    from annotator.store import Store

    Store.open(project).close()  # the project's schema and indexes, empty (setup)
    started = time.perf_counter()
    with open(source, encoding="utf-8") as handle:
        tasks = json.load(handle)
    articles, texts, spans = [], [], []
    for task in tasks:
        text = task["data"]["text"]
        article_id = article_id_for(text)
        first = text[: text.find("\n")]
        articles.append((article_id, first, "[]", STAMP, len(text), json.dumps({"labelstudio": {"documents": [
            {"key": str(task["id"])}]}})))
        blocks, position = [], 0
        for line in text.split("\n"):
            blocks.append(["paragraph", position, position + len(line)])
            position += len(line) + 1
        texts.append((article_id, text, json.dumps(blocks)))
        for annotation in task["annotations"]:
            for region in annotation["result"]:
                value = region["value"]
                start, end = value["start"], value["end"]
                spans.append((f"{article_id}:{region['id']}", article_id, start, end, value["labels"][0],
                              text[start:end], text[max(0, start - 32) : start], text[end : end + 32], "{}", "",
                              str(annotation["completed_by"]), STAMP, STAMP, "imported", 0,
                              json.dumps({"labelstudio": {"id": region["id"]}})))
    conn = sqlite3.connect(project, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO articles(id, title, authors, imported_at, length, foreign_data) VALUES (?, ?, ?, ?, ?, ?)",
                     articles)
    conn.executemany("INSERT INTO texts(article_id, text, blocks) VALUES (?, ?, ?)", texts)
    conn.executemany('INSERT INTO annotations(id, article_id, start, "end", label, quote, prefix, suffix, attributes, '
                     "note, annotator, created, updated, origin, deleted, foreign_data) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", spans)
    if index == "search":
        conn.execute("INSERT INTO search_article_keys(article_id) SELECT id FROM articles")
        conn.execute("INSERT INTO search_texts(rowid, text) SELECT k.key, t.text FROM search_article_keys k "
                     "JOIN texts t ON t.article_id = k.article_id")
        conn.execute("INSERT INTO search_titles(rowid, title) SELECT k.key, a.title FROM search_article_keys k "
                     "JOIN articles a ON a.id = k.article_id")
        conn.execute("INSERT INTO search_annotation_keys(annotation_id) SELECT id FROM annotations ORDER BY rowid")
        conn.execute("INSERT INTO search_annotations(rowid, quote, note) SELECT k.key, a.quote, a.note "
                     "FROM search_annotation_keys k JOIN annotations a ON a.id = k.annotation_id")
    conn.execute("COMMIT")
    conn.close()
    return {"seconds": time.perf_counter() - started, "spans": len(spans)}


_FLOOR_QUERY = (
    "SELECT a.id, a.title, a.status, a.foreign_data, t.text, t.blocks, "
    "(SELECT json_group_array(json_array(s.id, s.start, s.\"end\", s.label, s.quote, s.prefix, s.suffix, s.attributes, "
    "s.note, s.annotator, s.created, s.updated, s.origin, s.foreign_data)) "
    "FROM annotations s WHERE s.article_id = a.id AND s.deleted = 0) "
    "FROM articles a JOIN texts t ON t.article_id = a.id ORDER BY a.rowid"
)


def step_floor_export(project: str, out: str, shape: str) -> dict:
    """One query (each article with its text, blocks and spans), the JSON columns decoded, one
    json.dumps per task (shape labelstudio) or per article record (shape jsonl) with what they hold."""
    import sqlite3

    started = time.perf_counter()
    conn = sqlite3.connect(project)
    spans = 0
    encode = json.JSONEncoder(ensure_ascii=False).encode
    loads = json.loads
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("[" if shape == "labelstudio" else "")
        first = True
        for article_id, title, status, foreign, text, blocks, rows in conn.execute(_FLOOR_QUERY):
            result = []
            for (span_id, start, end, label, quote, prefix, suffix, attributes, note, annotator, created, updated,
                 origin, span_foreign) in loads(rows):
                spans += 1
                if shape == "labelstudio":
                    result.append({"id": span_id, "from_name": "label", "to_name": "text", "type": "labels",
                                   "value": {"start": start, "end": end, "text": quote, "labels": [label]},
                                   "news_annotator": {"annotator": annotator, "attributes": loads(attributes),
                                                      "created": created, "updated": updated},
                                   "foreign": loads(span_foreign)})
                else:
                    result.append({"id": span_id, "start": start, "end": end, "label": label, "text": quote,
                                   "annotator": annotator, "attributes": loads(attributes), "note": note,
                                   "prefix": prefix, "suffix": suffix, "origin": origin, "created": created,
                                   "updated": updated, "foreign": loads(span_foreign)})
            if shape == "labelstudio":
                record = {"data": {"text": text, "article_id": article_id, "title": title},
                          "annotations": [{"result": result}], "foreign": loads(foreign)}
                handle.write(("\n" if first else ",\n") + encode(record))
            else:
                record = {"id": article_id, "title": title, "status": status, "text": text, "blocks": loads(blocks),
                          "spans": result, "foreign": loads(foreign)}
                handle.write(encode(record) + "\n")
            first = False
        handle.write("\n]\n" if shape == "labelstudio" else "")
    return {"seconds": time.perf_counter() - started, "spans": spans}


# -- ours: the real CLI -----------------------------------------------------------------------------


def _cli(*args: str) -> list[str]:
    return [str(BIN / "annotator"), *args]


def import_command(source: str, project: str) -> list[str]:
    return _cli("--project", project, "import-annotations", "--format", "labelstudio", source)


def search_command(project: str) -> list[str]:
    return _cli("--project", project, "search", "minister", "--limit", "5")


def export_command(project: str, out: str, shape: str) -> list[str]:
    return _cli("--project", project, "export", "--format", shape, "-o", out)


# -- checks (not timed) -------------------------------------------------------------------------------


def _source_spans(source: str) -> dict[str, set[tuple]]:
    """{article id: {(start, end, label, text)}} as the Label Studio file states them."""
    sys.path.insert(0, str(REPO))
    from annotator.model import article_id_for

    with open(source, encoding="utf-8") as handle:
        tasks = json.load(handle)
    wanted: dict[str, set[tuple]] = {}
    for task in tasks:
        text = task["data"]["text"]
        spans = wanted.setdefault(article_id_for(text), set())
        for region in task["annotations"][0]["result"]:
            v = region["value"]
            assert text[v["start"] : v["end"]] == v["text"]
            spans.add((v["start"], v["end"], v["labels"][0], v["text"]))
    return wanted


def step_check_project(source: str, project: str) -> dict:
    import sqlite3

    wanted = _source_spans(source)
    conn = sqlite3.connect(project)
    found: dict[str, set[tuple]] = {a: set() for (a,) in conn.execute("SELECT id FROM articles")}
    for article_id, start, end, label, quote, text in conn.execute(
        'SELECT s.article_id, s.start, s."end", s.label, s.quote, t.text FROM annotations s '
        "JOIN texts t ON t.article_id = s.article_id WHERE s.deleted = 0"
    ):
        if text[start:end] != quote:
            raise SystemExit(f"{project}: span {start}-{end} of {article_id}: stored quote is not the text")
        found.setdefault(article_id, set()).add((start, end, label, quote))
    if found != wanted:
        missing = sum(len(v - found.get(k, set())) for k, v in wanted.items())
        extra = sum(len(v - wanted.get(k, set())) for k, v in found.items())
        raise SystemExit(f"{project}: the spans differ from {source} ({missing} missing, {extra} not in the file)")
    return {"spans": sum(map(len, found.values())), "articles": len(found)}


def step_check_export(source: str, out: str, shape: str) -> dict:
    from annotator.model import article_id_for

    wanted = _source_spans(source)
    found: dict[str, set[tuple]] = {}
    with open(out, encoding="utf-8") as handle:
        if shape == "labelstudio":
            for task in json.load(handle):
                text = task["data"]["text"]
                spans = found.setdefault(article_id_for(text), set())
                for annotation in task["annotations"]:
                    for region in annotation["result"]:
                        v = region["value"]
                        if text[v["start"] : v["end"]] != v["text"]:
                            raise SystemExit(f"{out}: region {region['id']}: its text is not the task's at its offsets")
                        spans.add((v["start"], v["end"], v["labels"][0], v["text"]))
        else:
            for line in handle:
                record = json.loads(line)
                if "_format" in record:
                    continue
                text = record["text"]
                spans = found.setdefault(record["id"], set())
                for span in record["spans"]:
                    if text[span["start"] : span["end"]] != span["text"]:
                        raise SystemExit(f"{out}: span {span['id']}: its text is not the article's at its offsets")
                    spans.add((span["start"], span["end"], span["label"], span["text"]))
    if found != wanted:
        raise SystemExit(f"{out}: the exported spans differ from {source}")
    return {"spans": sum(map(len, found.values()))}


# -- running steps in child processes ---------------------------------------------------------------


def run_tracked(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """As `run`, with the child's own rusage (Popen reaps it; wait4 here keeps the figures)."""
    started = time.perf_counter()
    # not from the repository: there `python -m annotator` would find ./annotator before PYTHONPATH's (--before)
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tempfile.gettempdir())
    out = child.stdout.read()  # type: ignore[union-attr]
    errors = child.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{errors.decode()[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, out.decode()


def step(name: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--step", name, *args]


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def bench_size(folder: Path, count: int, rounds: int, env: dict[str, str], before: Path | None) -> dict:
    source = folder / f"ls_{count}.json"
    _, _, out = run_tracked(step("generate", str(source), str(count)), env)
    made = json.loads(out.strip().splitlines()[-1])
    print(f"\n{count:,} documents, {made['spans']:,} spans, {made['mb']:.0f} MB of Label Studio JSON")
    ours, floor, old = folder / "ours.annotator", folder / "floor.annotator", folder / "before.annotator"
    old_env = dict(env, PYTHONPATH=str(before)) if before else env

    def contenders(task: str) -> dict[str, tuple[list[str], dict[str, str], Path | None]]:
        """name -> (command, environment, project to start afresh)."""
        if task == "import":
            found = {"ours": (import_command(str(source), str(ours)), env, ours),
                     "floor": (step("floor_import", str(source), str(floor)), env, floor),
                     "floor+index": (step("floor_import", str(source), str(floor), "search"), env, floor)}
            if before:
                found["before"] = ([sys.executable, "-m", "annotator", *import_command(str(source), str(old))[1:]],
                                   old_env, old)
            return found
        shape = task.split()[1]
        found = {"ours": (export_command(str(ours), str(folder / f"out.{shape}"), shape), env, None),
                 "floor": (step("floor_export", str(ours), str(folder / "floor.out"), shape), env, None)}
        if before:
            found["before"] = ([sys.executable, "-m", "annotator",
                                *export_command(str(ours), str(folder / f"before.{shape}"), shape)[1:]], old_env, None)
        return found

    tasks = ("import", "export labelstudio", "export jsonl")
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for r in range(rounds):
        for task in tasks:
            entries = list(contenders(task).items())
            entries = entries[r % len(entries):] + entries[: r % len(entries)]  # each goes first in turn
            for name, (command, environment, fresh) in entries:
                if fresh is not None:
                    _fresh(fresh)
                seconds, rss, out = run_tracked(command, environment)
                if name.startswith("floor"):
                    seconds = json.loads(out.strip().splitlines()[-1])["seconds"] + _startup(env)
                figures.setdefault((task, name), []).append((seconds, rss))
                if task == "import" and name == "ours":  # the search that indexes what the import left, then one more
                    for what in ("first search", "next search"):
                        figures.setdefault((what, "ours"), []).append(run_tracked(search_command(str(ours)), env)[:2])
            if r == 0 and task == "import":
                checked = json.loads(run_tracked(step("check_project", str(source), str(ours)), env)[2].strip().splitlines()[-1])
                print(f"  import checked: {checked['spans']:,} spans on {checked['articles']:,} articles, as in the file")
            elif r == 0:
                shape = task.split()[1]
                checked = json.loads(run_tracked(step("check_export", str(source), str(folder / f"out.{shape}"), shape),
                                                 env)[2].strip().splitlines()[-1])
                print(f"  {task} checked: {checked['spans']:,} spans, as in the file")
    medians = {k: (statistics.median(s for s, _ in v), max(m for _, m in v)) for k, v in figures.items()}
    for task in tasks:
        seconds, rss = medians[(task, "ours")]
        base, base_rss = medians[(task, "floor")]
        line = (f"  {task:<19} {seconds:7.2f} s  floor {base:7.2f} s  = {seconds / base:4.2f}x the floor  "
                f"{seconds / count * 1000:5.2f} ms/doc  peak RSS {rss:4.0f} MB (floor {base_rss:4.0f} MB)")
        if (task, "floor+index") in medians:
            indexed = medians[(task, "floor+index")][0]
            line += f"\n  {'':<19} {'':>9}  floor with the search index {indexed:7.2f} s  = {seconds / indexed:4.2f}x that floor"
        if (task, "before") in medians:
            was, was_rss = medians[(task, "before")]
            line += f"  | before: {was:7.2f} s = {was / base:4.2f}x the floor, {was_rss:4.0f} MB"
        print(line)
        if task == "import":
            first, following = medians[("first search", "ours")][0], medians[("next search", "ours")][0]
            indexed = medians[(task, "floor+index")][0]
            print(f"  {'':<19} the first search after it {first:5.2f} s (indexes what the import left for it), the next "
                  f"{following:5.2f} s;\n  {'':<19} import + first search {seconds + first:5.2f} s = "
                  f"{(seconds + first) / indexed:4.2f}x the floor with the search index")
    return {task: medians[(task, "ours")] for task in tasks}


def _tree(folder: Path, revision: str) -> Path:
    """The package as it was at `revision` (git archive), runnable with PYTHONPATH."""
    target = folder / f"tree-{revision}"
    if not target.exists():
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        (target / "annotator" / "resources").symlink_to(target / "resources")  # as the installed package maps it
    return target


def _compile(env: dict[str, str], *packages: Path) -> None:
    """Write the packages' bytecode before the first timed run, as installing a wheel does; without
    it the first run of each side would compile the package's sources (or every run would, where
    PYTHONDONTWRITEBYTECODE is set), which the floors, importing almost nothing, never pay."""
    for package in packages:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], env=env, check=True,
                       stdout=subprocess.DEVNULL)


_STARTUP: list[float] = []


def _startup(env: dict[str, str]) -> float:
    """The floors time themselves from inside; add what a bare interpreter takes to start and stop, so
    that both sides pay for a process (measured once, the median of five)."""
    if not _STARTUP:
        times = [run_tracked([sys.executable, "-c", "import json, sqlite3"], env)[0] for _ in range(5)]
        _STARTUP.append(statistics.median(times))
    return _STARTUP[0]


# -- agree ------------------------------------------------------------------------------------------


def bench_agree(rounds: int, env: dict[str, str]) -> None:
    """`agree` over 10,000 articles x 2 annotators x 20 spans, against its streaming query (bench_agree)."""
    out = run_tracked([sys.executable, str(REPO / "benchmarks" / "bench_agree.py"), "--rounds", str(rounds)], env)[2]
    print("\n" + out.rstrip())


STEPS = {
    "generate": step_generate,
    "floor_import": step_floor_import,
    "floor_export": step_floor_export,
    "check_project": step_check_project,
    "check_export": step_check_export,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="document counts, comma-separated (default 1000,10000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved repetitions at each size (default 3)")
    parser.add_argument("--agree", action="store_true", help="also time `agree` against its floor")
    parser.add_argument("--keep", type=Path, help="work in this folder (kept) instead of a temporary one")
    parser.add_argument("--before", metavar="REV", help="also time the code of this git revision (python -m annotator)")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(STEPS[args.step[0]](*args.step[1:])))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, ANNOTATOR_CONFIG_DIR=str(folder / "config"), XDG_DATA_HOME=str(folder / "data"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # cached bytecode, as on a user's machine (pip compiles on install)
        print(f"bench_bulk: medians of {args.rounds} interleaved rounds; times include process start (both sides); "
              f"peak RSS is the child's maximum resident set")
        before = _tree(folder, args.before) if args.before else None
        _compile(env, REPO / "annotator", *([before / "annotator"] if before else []))
        results = {count: bench_size(folder, count, args.rounds, env, before) for count in sizes}
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            for what in ("import", "export labelstudio", "export jsonl"):
                a, b = results[small][what][0] / small, results[large][what][0] / large
                print(f"  {what}: {a * 1000:.2f} ms/doc at {small:,}, {b * 1000:.2f} ms/doc at {large:,} "
                      f"({b / a:.2f}x per document)")
        if args.agree:
            bench_agree(args.rounds, env)
        if args.keep is None:
            shutil.rmtree(folder / "config", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
