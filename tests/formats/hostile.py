"""Hostile inputs for the readers, shared by the fuzz tests (tests/formats/test_hostile_inputs.py) and
benchmarks/fuzz_readers.py: valid seed files of every readable format, and mutations of them.

Seeds are written by our own exporters from a small corpus (emoji, CJK, combining marks, curly quotes),
plus the fixture files of tests/formats (real shapes of the tools' files). Mutations take a
`random.Random` (hypothesis's `st.randoms()` in the tests, a seeded one in the benchmark): files cut
anywhere, bytes inserted, deleted or not UTF-8, lines swapped or cut, numbers changed (to huge ones
too: over Python's 4,300-digit limit), JSON values replaced by ones of another type, nested 100,000
deep or holding lone surrogates, brat lines of every kind with dangling references, CoNLL tags and
tokens of other shapes.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
READERS = ("brat", "doccano", "conll", "prodigy", "labelstudio", "w3c", "jsonl")
SUFFIXES = {"doccano": ".jsonl", "conll": ".conll", "prodigy": ".jsonl", "labelstudio": ".json", "w3c": ".jsonld", "jsonl": ".jsonl"}


# -- the corpus the seeds are written from ----------------------------------------------------------

BLOCKS = [
    [("headline", "Officials in 🇺🇦 Kyiv said prices rose 5% in May"), ("paragraph", "“It wasn’t us,” AFP reported, citing Zoë Ünïcödé."),
     ("caption", "Photo: 👨\u200d🚒 firefighters at work (Reuters)")],
    [("paragraph", "東京都 said the 🎉 figure was q\u0303uiz-like; don't quote 😀😀 me."), ("paragraph", "Alice, a naïve café owner, disagreed.")],
    [("paragraph", "Short one.")],
]


class _Writes:
    """The project writes of the tree this runs in: its operations, or (an older tree, for the fuzz
    benchmark's baseline) the store methods it had before them."""

    def __init__(self, store) -> None:
        self.store = store
        try:
            from annotator import operations
        except ImportError:
            operations = None
        self.ops = operations

    def schema(self, text: str) -> None:
        if self.ops:
            self.ops.change_schema(self.store, text, annotator="maria", force=True)
        else:
            self.store.set_schema_text(text)

    def article(self, article) -> None:
        if self.ops:
            self.ops.add_articles(self.store, [article], annotator="maria")
        else:
            self.store.add_article(article)

    def tag(self, article_id: str, start: int, end: int, label: str, **kwargs):
        if self.ops:
            return self.ops.tag(self.store, article_id, start, end, label, annotator="maria", exact=True, **kwargs).value
        return self.store.add_annotation(article_id, start, end, label, annotator="maria", **kwargs)

    def relate(self, head: str, tail: str, type_name: str) -> None:
        if self.ops:
            self.ops.link(self.store, head, tail, type_name, annotator="maria")
        else:
            self.store.add_relation(head, tail, type_name, annotator="maria")


def build_project(path: Path) -> None:
    from annotator.model import build_article
    from annotator.store import Store

    with Store.open(path) as store:
        writes = _Writes(store)
        tutorial = FIXTURES / "brat_news_tutorial.schema.toml"  # brat's tutorial labels too: its seeds get past the schema
        if tutorial.is_file():
            writes.schema(store.schema_text() + "\n" + tutorial.read_text("utf-8"))
        for n, blocks in enumerate(BLOCKS):
            article = build_article(blocks, title=f"Article {n}", url=f"https://example.org/{n}")
            writes.article(article)
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
                    ids.append(writes.tag(article.id, start, start + len(word), label, attributes=attributes,
                                          note=note).id)
            labels = {a.id: a.label for a in store.annotations_for(article.id)}
            claims = [i for i in ids if labels[i] == "CLAIM"]
            sources = [i for i in ids if labels[i] == "SOURCE"]
            if claims and sources:
                writes.relate(claims[0], sources[0], "attributed_to")


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
    for path in sorted(FIXTURES.rglob("*.jsonl")):
        if path.parent.name.startswith("doccano_"):  # doccano's older shapes, in folders of their own
            found["doccano"].append(path.read_bytes())
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


def write_input(path: Path, value: object) -> Path:
    """Put a seed or mutation on disk: bytes as a file, {name: bytes} as a (brat) folder."""
    if isinstance(value, dict):
        path.mkdir()
        for name, content in value.items():
            (path / name).write_bytes(content)
    else:
        path.write_bytes(value)
    return path
