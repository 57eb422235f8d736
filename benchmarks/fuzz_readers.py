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
FIXTURES = REPO / "tests" / "formats" / "fixtures"
READERS = ("brat", "doccano", "conll", "prodigy", "labelstudio", "w3c", "jsonl")
SUFFIXES = {"doccano": ".jsonl", "conll": ".conll", "prodigy": ".jsonl", "labelstudio": ".json", "w3c": ".jsonld", "jsonl": ".jsonl"}
RESET_EVERY = 400  # a fresh copy of the project now and then keeps it small (and imports fast)
SHOWN = 3


# -- the corpus the seeds are written from ----------------------------------------------------------

BLOCKS = [
    [("headline", "Officials in 🇺🇦 Kyiv said prices rose 5% in May"), ("paragraph", "“It wasn’t us,” AFP reported, citing Zoë Ünïcödé."),
     ("caption", "Photo: 👨\u200d🚒 firefighters at work (Reuters)")],
    [("paragraph", "東京都 said the 🎉 figure was q\u0303uiz-like; don't quote 😀😀 me."), ("paragraph", "Alice, a naïve café owner, disagreed.")],
    [("paragraph", "Short one.")],
]


def build_project(path: Path) -> None:
    from annotator.model import build_article
    from annotator.store import Store

    with Store.open(path) as store:
        for n, blocks in enumerate(BLOCKS):
            article = build_article(blocks, title=f"Article {n}", url=f"https://example.org/{n}")
            store.add_article(article)
            text = article.text
            ids = []
            for word, label, attributes, note in (
                ("prices rose 5%", "CLAIM", {"checkworthy": "yes"}, "check\nthe 🎉 figure"),
                ("AFP", "SOURCE", {"type": "news outlet"}, ""),
                ("Kyiv", "SOURCE", {}, ""),
                ("firefighters at work", "CAPTION", {"credit": "Photo: Ünï"}, ""),
                ("the 🎉 figure", "CLAIM", {}, "東京"),
                ("Alice", "SOURCE", {"type": "named person"}, ""),
                ("wasn’t us", "CLAIM", {}, ""),
            ):
                start = text.find(word)
                if start >= 0:
                    ids.append(store.add_annotation(article.id, start, start + len(word), label, annotator="maria",
                                                    attributes=attributes, note=note).id)
            labels = {a.id: a.label for a in store.annotations_for(article.id)}
            claims = [i for i in ids if labels[i] == "CLAIM"]
            sources = [i for i in ids if labels[i] == "SOURCE"]
            if claims and sources:
                store.add_relation(claims[0], sources[0], "attributed_to", annotator="maria")


def seeds(project: Path, work: Path) -> dict[str, list[object]]:
    """Valid inputs per reader: bytes of a file, or {name: bytes} of a brat folder."""
    from annotator.formats import export_to_path
    from annotator.store import Store

    found: dict[str, list[object]] = {name: [] for name in READERS}
    with Store.open(project) as store:
        exports = [("brat", {}), ("doccano", {}), ("doccano", {"variant": "labels"}), ("doccano", {"offset_units": "codepoint"}),
                   ("conll", {}), ("prodigy", {}), ("labelstudio", {}), ("w3c", {}), ("jsonl", {})]
        for n, (name, options) in enumerate(exports):
            target = work / f"seed{n}{SUFFIXES.get(name, '')}"
            export_to_path(store, name, target, **options)
            found[name].append(_folder(target) if target.is_dir() else target.read_bytes())
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_dir() and any(path.glob("*.ann")):
            found["brat"].append(_folder(path))
            continue
        for name, prefix in (("doccano", "doccano"), ("conll", "conll"), ("prodigy", "prodigy"), ("labelstudio", "labelstudio"),
                             ("w3c", "w3c"), ("jsonl", "jsonl")):
            if path.is_file() and path.parent.name == "fixtures" and path.name.startswith(prefix) and path.suffix != ".md":
                found[name].append(path.read_bytes())
    return found


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


# -- mutations ----------------------------------------------------------------------------------------

HUGE = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000
GARBAGE = ["\x00", "\xff", "{", "}", "[", "]", '"', "\\", "\t", "\n", "\r\n", ",", ":", "-1", "99999999", "\\ud800",
           "😀", "\u0301", "\u2028", "NaN", "1e400", "null", "T1", "E1", "#", "A1", "-DOCSTART-", "B-", "I-X", " "]
HOSTILE_VALUES = [None, True, False, 0, -1, 2**31, 1.5, "", "x", "\ud800", "\udfff lone", [], {}, [1, "a"], {"a": 1},
                  "HUGE", "DEEP"]


def mutate(rng: random.Random, reader: str, seed: object) -> object:
    if isinstance(seed, dict):
        return _mutate_folder(rng, seed)
    data = seed
    choice = rng.random()
    if reader != "conll" and choice < 0.45:
        mutated = _mutate_json(rng, data.decode("utf-8"))
        if mutated is not None:
            return mutated
    if reader == "conll" and choice < 0.35:
        return _mutate_conll(rng, data.decode("utf-8")).encode("utf-8", "surrogatepass")
    return _mutate_bytes(rng, data)


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    kind = rng.randrange(9)
    if not data:
        return b"\x00"
    at = rng.randrange(len(data) + 1)
    if kind == 0:  # cut anywhere
        return data[:at]
    if kind == 1:  # cut inside a line
        lines = data.split(b"\n")
        i = rng.randrange(len(lines))
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        return b"\n".join(lines[: i + 1])
    if kind == 2:
        return data[:at] + data[at + rng.randint(1, 40):]
    if kind == 3:
        return data[:at] + rng.choice(GARBAGE).encode("utf-8", "surrogatepass") + data[at:]
    if kind == 4:
        lines = data.split(b"\n")
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        if rng.random() < 0.5:
            lines.insert(i, lines[j])
        return b"\n".join(lines)
    if kind == 5:  # another number
        numbers = list(re.finditer(rb"\d+", data))
        if numbers:
            m = rng.choice(numbers)
            new = rng.choice([b"0", b"-1", b"1", b"100000", HUGE.encode(), b"3.5", b"1e400", str(int(m.group()) + rng.randint(-3, 3)).encode()])
            return data[: m.start()] + new + data[m.end():]
        return data + b"1"
    if kind == 6:
        return rng.choice([b"\xef\xbb\xbf" + data, data.replace(b"\n", b"\r\n"), data + b"\xff\xfe", data[:at] + b"\xc3" + data[at:]])
    if kind == 7:  # a real character before everything: offsets after it move by one (or two in UTF-16)
        return rng.choice(["😀", "é", "\u0301", "\n"]).encode() + data
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))


def _documents(text: str) -> tuple[list[object], str] | None:
    try:
        return [json.loads(text)], "whole"
    except (ValueError, RecursionError):
        pass
    values = []
    for line in text.splitlines():
        if line.strip():
            try:
                values.append(json.loads(line))
            except (ValueError, RecursionError):
                return None
    return values, "lines"


def _mutate_json(rng: random.Random, text: str) -> bytes | None:
    parsed = _documents(text)
    if parsed is None or not parsed[0]:
        return None
    values, shape = parsed
    value = rng.choice(values)
    nodes = list(_nodes(value, ()))
    if not nodes:
        return None
    path, _ = rng.choice(nodes)
    action = rng.random()
    if not path:
        replacement = rng.choice(HOSTILE_VALUES)
        values[values.index(value)] = replacement
    else:
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        if action < 0.15 and isinstance(parent, dict):
            del parent[last]
        elif action < 0.2 and isinstance(parent, list):
            parent.insert(last, rng.choice(HOSTILE_VALUES))
        elif action < 0.3 and isinstance(parent[last], (int, float)) and not isinstance(parent[last], bool):
            parent[last] = rng.choice([-1, 0, parent[last] + 1, parent[last] * 7, 10**9, "HUGE"])
        elif action < 0.4 and isinstance(parent[last], str):
            s = parent[last]
            cut = rng.randrange(len(s) + 1)
            parent[last] = rng.choice([s[:cut], s[:cut] + "\ud800" + s[cut:], "😀" + s, s.upper()])
        else:
            parent[last] = rng.choice(HOSTILE_VALUES)
    if shape == "whole":
        out = json.dumps(values[0], ensure_ascii=rng.random() < 0.3, indent=rng.choice([None, 2]))
    else:
        out = "\n".join(json.dumps(v, ensure_ascii=rng.random() < 0.3) for v in values) + "\n"
    out = out.replace('"HUGE"', HUGE).replace('"DEEP"', DEEP)
    return out.encode("utf-8", "surrogatepass")


def _nodes(value: object, path: tuple) -> object:
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _nodes(child, path + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value[:50]):
            yield from _nodes(child, path + (i,))


def _mutate_conll(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        parts = lines[i].split()
        kind = rng.randrange(6)
        if kind == 0 and parts:
            parts[-1] = rng.choice(["O", "B-CLAIM", "I-CLAIM", "E-SOURCE", "S-CAPTION", "L-X", "U-SOURCE", "B-", "X-Y", "I-NOPE", "B-SOURCE-extra"])
        elif kind == 1 and parts:
            parts = parts[:1]
        elif kind == 2 and parts and len(parts[0]) > 2:  # split a token as another tokenizer would
            cut = rng.randrange(1, len(parts[0]))
            lines.insert(i + 1, " ".join([parts[0][cut:], *parts[1:]]))
            parts[0] = parts[0][:cut]
        elif kind == 3:
            parts = ["-DOCSTART-", "-X-", "-X-", "O"]
        elif kind == 4:
            parts = []
        elif parts:
            parts[0] = rng.choice(["😀", "\ud800", "“", "n’t", "東京", "a\u0301"])
        lines[i] = " ".join(parts)
    return "\n".join(lines)


def _mutate_folder(rng: random.Random, folder: dict[str, bytes]) -> dict[str, bytes]:
    files = dict(folder)
    anns = [n for n in files if n.endswith(".ann")]
    if not anns:
        return files
    name = rng.choice(anns)
    txt = name[:-4] + ".txt"
    kind = rng.random()
    if kind < 0.15 and txt in files:
        files[txt] = _mutate_bytes(rng, files[txt])
    elif kind < 0.25 and txt in files and rng.random() < 0.5:
        del files[txt]
    elif kind < 0.55:
        files[name] = _mutate_bytes(rng, files[name])
    else:
        files[name] = _mutate_ann(rng, files[name].decode("utf-8", "replace")).encode("utf-8", "surrogatepass")
    return files


def _mutate_ann(rng: random.Random, text: str) -> str:
    lines = [line for line in text.split("\n") if line]
    ids = [line.split("\t", 1)[0] for line in lines] or ["T1"]
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(7)
        ref = rng.choice(ids + ["T999", "E999", "R1", "X1"])
        other = rng.choice(ids + ["T999"])
        if kind == 0 and lines:  # a T line cut inside its text
            i = rng.randrange(len(lines))
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif kind == 1:
            lines.append(rng.choice([
                f"E{rng.randint(1, 9)}\tCLAIM:{ref} Agent:{other}", f"E{rng.randint(1, 9)}\tCLAIM:{ref}",
                f"E1\tReport:{ref} Agent:{other} Theme:E{rng.randint(1, 9)}", f"E2\tCLAIM:{ref} :{other}",
            ]))
        elif kind == 2:
            lines.append(rng.choice([f"A{rng.randint(1, 9)}\tcheckworthy {ref} yes", f"A1\tNegation {ref}", f"M1\tSpeculation {ref}",
                                     f"A2\ttype {ref} news_outlet", f"A3\ttype {ref} state_media", f"A4\tkind {ref}"]))
        elif kind == 3:
            lines.append(rng.choice([f"#{rng.randint(1, 9)}\tAnnotatorNotes {ref}\tnote", f"#2\tComment {ref}\tx",
                                     f"N1\tReference {ref} Wikipedia:534366\tBarack Obama", f"*\tEquiv {ref} {other}", f"#3\tAnnotatorNotes {ref}"]))
        elif kind == 4 and lines:  # offsets moved
            i = rng.randrange(len(lines))
            lines[i] = re.sub(r"\d+", lambda m: str(max(0, int(m.group()) + rng.randint(-5, 5))), lines[i], count=rng.randint(1, 3))
        elif kind == 5:
            start = rng.randint(0, 80)
            lines.append(f"T{rng.randint(1, 99)}\tSOURCE {start} {start + rng.randint(-2, 12)};{start + 20} {start + 25}\tx y")
        elif lines:
            lines.insert(rng.randrange(len(lines)), rng.choice(lines))
    return "\n".join(lines) + "\n"


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
            path = target / f"{i:06d}{SUFFIXES.get(reader, '')}"
            if isinstance(value, dict):
                path.mkdir()
                for name, content in value.items():
                    (path / name).write_bytes(content)
            else:
                path.write_bytes(value)


# -- running them -----------------------------------------------------------------------------------------

_WHERE = re.compile(r":\d+[:,]|line \d+|column \d+|\[\d+\]|'\w+' (?:in|of) ")


def classify(folder: Path, readers: list[str]) -> dict[str, dict]:
    from annotator.annotation_sets import import_annotation_set
    from annotator.errors import AnnotatorError
    from annotator.store import Store

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
                shutil.copy(folder / "project.annotator", scratch / "p.annotator")
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
    conn = store.db.conn
    for table in ("articles", "annotations", "relations"):
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
