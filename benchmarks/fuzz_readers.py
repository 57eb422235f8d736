"""Fuzz the annotation-set readers: N generated inputs per reader through `import_annotation_set`.

Each input ends as one of

* a clean refusal: an `AnnotatorError`, whose message the CLI shows as it is ("Error: file:line: ...");
* accepted: imported, with whatever it reported;
* unexpected: any other exception, which the CLI shows as "unexpected <ExceptionName>" — the target is
  none of these.

Two more columns: refusals whose message names no line (nor column, nor JSON path) and refusals after
which the project was not exactly as before (must be 0: imports are all-or-nothing per file).

Inputs are mutations of valid files — written by our own exporters from a small corpus with emoji, CJK
and combining marks, plus the fixture files of tests/formats (real shapes of the tools' files) — and the
hostile classes that made readers fail before: files cut anywhere (inside a line, inside a value),
integers over Python's 4,300-digit limit, JSON nested 100,000 deep, values of the wrong type at any
place of a record (Prodigy tokens, W3C collection fields, ...), lone surrogates in strings, bytes that
are not UTF-8, offsets out of range, tags and lines of the wrong shape.

    python benchmarks/fuzz_readers.py                      # 10,000 inputs per reader
    python benchmarks/fuzz_readers.py -n 500 --formats brat,conll
    python benchmarks/fuzz_readers.py --baseline-tree /tmp/old   # also run the inputs through old code

The inputs are generated once (deterministic for a --seed) into a temporary folder; with
--baseline-tree (a folder holding an older `annotator` package), the same inputs also run through that
code in a subprocess, and its figures print beside this tree's, measured in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from formats.hostile import READERS, SUFFIXES, build_project, mutate, seeds, write_input  # noqa: E402

RESET_EVERY = 400  # a fresh copy of the project now and then keeps it small (and imports fast)
SHOWN = 3


# -- the inputs on disk ---------------------------------------------------------------------------------


def generate(folder: Path, readers: list[str], n: int, seed: int) -> None:
    work = folder / "work"
    work.mkdir(parents=True)
    build_project(folder / "project.annotator")
    found = seeds(folder / "project.annotator", work)
    for reader in readers:
        rng = random.Random(f"{seed}:{reader}")
        target = folder / reader
        target.mkdir()
        pool = found[reader]
        for i in range(n):
            value = mutate(rng, reader, rng.choice(pool)) if i >= len(pool) else pool[i]
            write_input(target / f"{i:06d}{SUFFIXES.get(reader, '')}", value)


# -- running them -----------------------------------------------------------------------------------------

_WHERE = re.compile(r":\d+[:,)]|line \d+|column \d+|\[\d+\]|'\w+' (?:in|of) ")


def _importer():
    """`import_annotation_set` of the tree this runs in (before the operations, it took no importer)."""
    try:
        from annotator.operations.annotation_sets import import_annotation_set
    except ImportError:
        from annotator.annotation_sets import import_annotation_set

        return import_annotation_set
    return lambda store, path, **options: import_annotation_set(store, path, importer="fuzz", **options)


def classify(folder: Path, readers: list[str]) -> dict[str, dict]:
    from annotator.errors import AnnotatorError
    from annotator.store import Store

    import_annotation_set = _importer()
    project = folder / f"project-{os.getpid()}.annotator"  # made by this tree: an older one reads only its own files
    build_project(project)

    results = {}
    for reader in readers:
        counts: Counter[str] = Counter()
        examples: dict[str, list[str]] = {"unexpected": [], "no line": [], "changed": []}
        kinds: Counter[str] = Counter()
        inputs = sorted((folder / reader).iterdir())
        store = None
        scratch = folder / f"scratch-{os.getpid()}"
        scratch.mkdir(exist_ok=True)
        for i, path in enumerate(inputs):
            if store is None or i % RESET_EVERY == 0:
                if store is not None:
                    store.close()
                for old in scratch.iterdir():
                    old.unlink()
                shutil.copy(project, scratch / "p.annotator")
                store = Store.open(scratch / "p.annotator")
            before = _fingerprint(store)
            try:
                import_annotation_set(store, path, format_name=reader, annotator="fuzz")
            except AnnotatorError as exc:
                counts["refused"] += 1
                message = str(exc)
                if not _WHERE.search(message):
                    counts["no line"] += 1
                    _keep(examples["no line"], f"{path.name}: {message[:160]}")
                if _fingerprint(store) != before:
                    counts["changed"] += 1
                    _keep(examples["changed"], f"{path.name}: {message[:160]}")
            except Exception as exc:  # noqa: BLE001 - what the CLI would call "unexpected"
                counts["unexpected"] += 1
                kinds[type(exc).__name__] += 1
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                _keep(examples["unexpected"], f"{path.name}: {type(exc).__name__}: {str(exc)[:120]} "
                      f"({Path(frame.filename).name}:{frame.lineno})")
            else:
                counts["accepted"] += 1
        if store is not None:
            store.close()
        shutil.rmtree(scratch, ignore_errors=True)
        results[reader] = {"inputs": len(inputs), **counts, "kinds": dict(kinds), "examples": examples}
    return results


def _keep(bucket: list[str], line: str) -> None:
    if len(bucket) < SHOWN:
        bucket.append(line)


def _fingerprint(store) -> str:
    digest = hashlib.sha1()
    conn = getattr(store, "conn", None) or store.db.conn  # an older tree's store had only its sqlite-utils db
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in ("articles", "texts", "annotations", "relations"):  # what an import could change (not the journal)
        if table not in tables:
            continue
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):  # noqa: S608 - fixed names
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# -- the report ---------------------------------------------------------------------------------------------


def table(current: dict[str, dict], baseline: dict[str, dict] | None) -> str:
    def cell(result: dict | None, key: str) -> str:
        return "" if result is None else str(result.get(key, 0))

    header = f"{'reader':<12} {'inputs':>7}  {'refused':>8} {'accepted':>8} {'unexpected':>10} {'no line':>8} {'changed':>8}"
    if baseline is not None:
        header += "   | baseline: refused accepted unexpected no-line changed"
    lines = [header]
    for reader, result in current.items():
        row = (f"{reader:<12} {result['inputs']:>7}  {cell(result, 'refused'):>8} {cell(result, 'accepted'):>8} "
               f"{cell(result, 'unexpected'):>10} {cell(result, 'no line'):>8} {cell(result, 'changed'):>8}")
        if baseline is not None:
            old = baseline.get(reader)
            row += (f"   | {cell(old, 'refused'):>16} {cell(old, 'accepted'):>8} {cell(old, 'unexpected'):>10} "
                    f"{cell(old, 'no line'):>7} {cell(old, 'changed'):>7}")
        lines.append(row)
    for title, results in (("this tree", current), ("baseline", baseline or {})):
        for reader, result in results.items():
            if result.get("kinds"):
                lines.append(f"{title} {reader} unexpected by kind: {result['kinds']}")
            for key, shown in result["examples"].items():
                for example in shown:
                    lines.append(f"  {title} {reader} {key}: {example}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="inputs per reader (default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default=",".join(READERS))
    parser.add_argument("--baseline-tree", type=Path, help="a folder holding an older annotator package")
    parser.add_argument("--classify", type=Path, help=argparse.SUPPRESS)  # the subprocess of --baseline-tree
    parser.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    args = parser.parse_args()
    readers = [r for r in args.formats.split(",") if r]
    if args.classify is not None:
        print(json.dumps(classify(args.classify, readers)))
        return
    sys.path.insert(0, str(REPO))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fuzz-readers-"))
    try:
        generate(folder, readers, args.n, args.seed)
        baseline = None
        if args.baseline_tree is not None:
            env = dict(os.environ, PYTHONPATH=str(args.baseline_tree.resolve()))
            out = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--classify", str(folder), "--formats", ",".join(readers)],
                env=env, cwd=str(args.baseline_tree), check=True, capture_output=True, text=True,
            )
            baseline = json.loads(out.stdout.strip().splitlines()[-1])
        current = classify(folder, readers)
        print(f"{args.n} inputs per reader, seed {args.seed}")
        print(table(current, baseline))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
