"""Build eval_news.jsonl from the hand-labelled article files in articles/ (see README.md).

An article file is a header of ``# key: value`` lines (url, licence, date, via, note), the article's
blocks one a line as ``KIND text`` (H headline, D dateline, P paragraph, C caption, R credit, S standfirst, U subheading), a
line ``---``, then one label a line: ``LABEL | quote`` or ``LABEL | quote | n`` (the n-th
occurrence of the quote in the article, counted from 1; default 1) or ``LABEL | context [[quote]]
context`` (the quote where it stands in that context; ``\\n`` for the line break between a caption
and its credit line), and relations as
``REL claim quote => source quote`` (first occurrences). Every quote must be found, and a quote
that occurs more than once needs its n. The output holds, per article, the text, the blocks and the
spans with start/end in code points, checked text[start:end] == quote.

    python benchmarks/eval_news/build.py            # writes benchmarks/eval_news/eval_news.jsonl
    python benchmarks/eval_news/build.py --check    # fails if the jsonl is out of date
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"H": "headline", "D": "dateline", "P": "paragraph", "C": "caption", "R": "credit", "S": "standfirst", "U": "subheading"}
OUT = HERE / "eval_news.jsonl"


class BadFile(ValueError):
    pass


def parse(path: Path) -> dict:
    meta: dict[str, str] = {}
    blocks: list[dict] = []
    pieces: list[str] = []
    spans: list[dict] = []
    relations: list[tuple[str, str]] = []
    position = 0
    in_labels = False
    text = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        where = f"{path.name}:{number}"
        if not line:
            continue
        if line.startswith("# "):
            key, _, value = line[2:].partition(":")
            meta[key.strip()] = value.strip()
            continue
        if line == "---":
            in_labels = True
            text = "\n".join(pieces)
            continue
        if not in_labels:
            kind, _, body = line.partition(" ")
            if kind not in KINDS or not body.strip():
                raise BadFile(f"{where}: expected a block line 'H|D|P|C|R|S text', got {line[:40]!r}")
            if pieces:
                position += 1
            blocks.append({"kind": KINDS[kind], "start": position, "end": position + len(body)})
            pieces.append(body)
            position += len(body)
            continue
        if line.startswith("REL "):
            head, sep, tail = line[4:].partition(" => ")
            if not sep:
                raise BadFile(f"{where}: expected 'REL claim quote => source quote'")
            relations.append((head.strip(), tail.strip()))
            continue
        parts = [p.strip() for p in line.split(" | ")]
        if len(parts) not in (2, 3) or parts[0] not in ("CLAIM", "SOURCE", "CAPTION"):
            raise BadFile(f"{where}: expected 'LABEL | quote [| n]', got {line[:60]!r}")
        label, quote = parts[0], parts[1].replace("\\n", "\n")
        nth = int(parts[2]) if len(parts) == 3 else 1
        if "[[" in quote and "]]" in quote:
            before, _, rest = quote.partition("[[")
            inner, _, after = rest.partition("]]")
            starts = [p + len(before) for p in _occurrences(text, before + inner + after)]
            quote = inner
        else:
            starts = _occurrences(text, quote)
        if not starts:
            raise BadFile(f"{where}: quote not found in the article: {quote[:60]!r}")
        if len(starts) > 1 and len(parts) == 2:
            raise BadFile(f"{where}: quote occurs {len(starts)} times; add '| n': {quote[:60]!r}")
        if nth > len(starts):
            raise BadFile(f"{where}: quote occurs {len(starts)} times, not {nth}")
        start = starts[nth - 1]
        spans.append({"start": start, "end": start + len(quote), "label": label, "quote": quote})
    if not in_labels:
        raise BadFile(f"{path.name}: no '---' line before the labels")
    for span in spans:
        assert text[span["start"] : span["end"]] == span["quote"]
    links = []
    for head, tail in relations:
        h = _find_span(spans, head, "CLAIM", path)
        t = _find_span(spans, tail, "SOURCE", path)
        links.append({"head": h, "tail": t, "type": "attributed_to"})
    return {"id": path.stem, **meta, "text": text, "blocks": blocks, "spans": spans, "relations": links}


def _occurrences(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start >= 0:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def _find_span(spans: list[dict], quote: str, label: str, path: Path) -> int:
    for n, span in enumerate(spans):
        if span["label"] == label and span["quote"] == quote:
            return n
    raise BadFile(f"{path.name}: REL names a {label} {quote[:50]!r} that is not labelled")


def build() -> str:
    articles = [parse(p) for p in sorted((HERE / "articles").glob("*.txt"))]
    return "".join(json.dumps(a, ensure_ascii=False, sort_keys=True) + "\n" for a in articles)


def main(argv: list[str]) -> int:
    try:
        data = build()
    except BadFile as error:
        print(error, file=sys.stderr)
        return 1
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != data:
            print("eval_news.jsonl is out of date: run python benchmarks/eval_news/build.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(data, encoding="utf-8")
    print(f"wrote {OUT.name}: {data.count(chr(10))} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
