"""Suggestion quality on real news, and suggestion speed next to the plain import.

Quality: every suggester runs on the hand-labelled Wikinews articles of benchmarks/eval_news/
(README.md there: sources, licences, how they were labelled). Per label and per suggester it
prints precision, recall and F1 with exact and with overlap matching, counted as the agreement
report counts them (annotator.review.matched_spans: exact = same start and end; overlap = a
one-to-one matching of spans that share a character, greedily by the largest overlap), the
suggestions as annotator A and the labels as annotator B: P = matched / suggested, R = matched /
labelled, F1 = 2·matched / (suggested + labelled). CAPTION figures are over the articles that have
captions. The articles are split as they were written: "dev" (labelled while the rules were
written) and "test" (labelled after the rules were frozen); both and all are printed.

The sample article (seeds/): its three captions (with their credits) and the credited agencies and
outlets it names as sources, found or not.

Speed: 1,000 articles (the evaluation texts and the sample article as .txt files, cycled, each made
distinct by a number in its first line): the plain import into a new project on one core
(`import_paths(..., workers=1)`), then every suggester over the same imported articles on one core.
Three interleaved runs of each; medians.

Run: python benchmarks/bench_suggest.py [--articles 1000] [--runs 3] [--quality-only] [--speed-only]
     [--backend auto|builtin|spacy] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from annotator.importers.text import parse_text_page  # noqa: E402
from annotator.model import Block  # noqa: E402
from annotator.review import matched_spans  # noqa: E402
from annotator.schema import default_schema  # noqa: E402
from annotator.suggest import SuggestInput, run_suggesters, sentences, suggester_names  # noqa: E402

EVAL = HERE / "eval_news" / "eval_news.jsonl"
SEED = ROOT / "seeds" / "000_4374cd0fa6f2fed4.txt"
LABELS = ("CLAIM", "SOURCE", "CAPTION")
SEED_CREDITS = (
    "Mikhail Svetlov/Getty Images",
    "Gavriil Grigorov, Sputnik, Kremlin Pool Photo via AP",
    "Korean Central News Agency/Korea News Service via AP",
)
SEED_OUTLETS = ("North Korean state media", "Korean Central News Agency", "KCNA Watch", "The Korea Herald")


def load_eval() -> list[dict]:
    return [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def suggest(text: str, blocks: list[Block], names: list[str] | None = None):
    return run_suggesters(SuggestInput(text=text, blocks=blocks, schema=default_schema()), names)


def _blocks(article: dict) -> list[Block]:
    return [Block(b["kind"], b["start"], b["end"]) for b in article["blocks"]]


def quality(articles: list[dict]) -> dict:
    """{split: {suggester: {label: counts}}} with counts [suggested, labelled, exact, overlap]."""
    schema_labels = set(LABELS)
    table: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0])))
    rule_suggesters = [n for n in suggester_names() if n not in ("learned", "learned_model")]
    for article in articles:
        split = article.get("split", "dev")
        blocks = _blocks(article)
        has_captions = any(s["label"] == "CAPTION" for s in article["spans"]) or any(b.kind == "caption" for b in blocks)
        gold: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for span in article["spans"]:
            gold[span["label"]].append((span["start"], span["end"]))
        by_suggester: dict[str, dict[str, list[tuple[int, int]]]] = {}
        everything: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for name in rule_suggesters:
            found: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for s in suggest(article["text"], blocks, [name]).spans:
                found[s.label].append((s.start, s.end))
                everything[s.label].append((s.start, s.end))
            by_suggester[name] = found
        by_suggester["all rules"] = everything
        # the learned string matcher, leave-one-out: what the other articles' labels accepted
        accepted = [(s["label"], s["quote"]) for other in articles if other is not article for s in other["spans"]]
        learned: dict[str, list[tuple[int, int]]] = defaultdict(list)
        found = run_suggesters(SuggestInput(article["text"], blocks, default_schema(), accepted=accepted), ["learned"])
        for s in found.spans:
            learned[s.label].append((s.start, s.end))
        by_suggester["learned"] = learned
        for name, found in by_suggester.items():
            for label in schema_labels:
                if label == "CAPTION" and not has_captions:
                    continue
                if name != "all rules" and not found.get(label) and label not in _labels_of(name):
                    continue
                predicted, labelled = found.get(label, []), gold.get(label, [])
                exact, overlap = matched_spans(predicted, labelled)
                for key in (split, "all"):
                    counts = table[key][name][label]
                    counts[0] += len(predicted)
                    counts[1] += len(labelled)
                    counts[2] += exact
                    counts[3] += overlap
    return {split: {name: dict(labels) for name, labels in rows.items()} for split, rows in table.items()}


def _labels_of(name: str) -> set[str]:
    return {"captions": {"CAPTION"}, "sources": {"SOURCE"}, "claims": {"CLAIM"}, "learned": {"SOURCE"}}.get(name, set())


def prf(matched: int, suggested: int, labelled: int) -> tuple[float, float, float]:
    p = matched / suggested if suggested else 0.0
    r = matched / labelled if labelled else 0.0
    f = 2 * matched / (suggested + labelled) if suggested + labelled else 1.0
    return p, r, f


def print_quality(table: dict, articles: list[dict]) -> None:
    counts = defaultdict(int)
    for a in articles:
        counts[a.get("split", "dev")] += 1
    counts["all"] = len(articles)
    for split in ("dev", "test", "test2", "all"):
        if split not in table:
            continue
        print(f"\n== quality, {split} articles ({counts[split]}) ==")
        print(f"{'suggester':<11} {'label':<8} {'sugg':>5} {'gold':>5} | {'P ex':>5} {'R ex':>5} {'F1 ex':>6} | {'P ov':>5} {'R ov':>5} {'F1 ov':>6}")
        for name in sorted(table[split], key=lambda n: (n == "all rules", n)):
            for label in LABELS:
                row = table[split][name].get(label)
                if row is None:
                    continue
                suggested, labelled, exact, overlap = row
                pe, re_, fe = prf(exact, suggested, labelled)
                po, ro, fo = prf(overlap, suggested, labelled)
                print(f"{name:<11} {label:<8} {suggested:>5} {labelled:>5} | {pe:5.2f} {re_:5.2f} {fe:6.2f} | {po:5.2f} {ro:5.2f} {fo:6.2f}")


def seed_check() -> dict:
    article = parse_text_page(SEED.read_text(encoding="utf-8"))
    found = suggest(article.text, article.blocks)
    captions = [s for s in found.spans if s.label == "CAPTION"]
    credits = [str(s.attributes.get("credit", "")) for s in captions]
    sources = {article.text[s.start : s.end]: s.attributes.get("type", "") for s in found.spans if s.label == "SOURCE"}
    caption_blocks = [b for b in article.blocks if b.kind == "caption"]
    whole = sum(
        1 for b in caption_blocks if any(s.start == b.start and article.text[s.end - 1] == ")" and s.end > b.end for s in captions)
    )
    return {
        "captions": len(captions),
        "captions_with_their_credit": whole,
        "credits_found": [c for c in SEED_CREDITS if c in credits],
        "credits_missing": [c for c in SEED_CREDITS if c not in credits],
        "outlets_found": {o: sources[o] for o in SEED_OUTLETS if o in sources},
        "outlets_missing": [o for o in SEED_OUTLETS if o not in sources],
    }


def print_seed(result: dict) -> None:
    print("\n== the sample article (seeds/000_4374cd0fa6f2fed4.txt) ==")
    print(f"CAPTION suggestions: {result['captions']} (caption + its printed credit in one span: {result['captions_with_their_credit']} of 3)")
    for credit in SEED_CREDITS:
        print(f"  credit {'found  ' if credit in result['credits_found'] else 'MISSING'} {credit}")
    for outlet in SEED_OUTLETS:
        kind = result["outlets_found"].get(outlet)
        print(f"  source {'found  ' if kind is not None else 'MISSING'} {outlet}" + (f" (type {kind})" if kind else ""))


def speed(count: int, runs: int) -> dict:
    from annotator.importing import import_paths
    from annotator.store import Store

    texts = [_as_page(a) for a in load_eval()] + [SEED.read_text(encoding="utf-8")]
    imports, suggests = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for i in range(count):
            text = texts[i % len(texts)]
            first, _, rest = text.partition("\n")
            (folder / f"{i:05d}.txt").write_text(f"{first} [{i}]\n{rest}", encoding="utf-8")
        for run in range(runs):
            project = Path(tmp) / f"p{run}.annotator"
            store = Store.open(project)
            start = time.perf_counter()
            report = import_paths(store, [folder], annotator="bench", workers=1)
            imports.append(time.perf_counter() - start)
            articles = [store.get_article(i) for i in store.article_ids()]
            store.close()
            if len(articles) != count:
                raise SystemExit(f"imported {len(articles)} articles of {count}: {report}")
            schema = default_schema()
            start = time.perf_counter()
            proposals = 0
            for article in articles:
                found = run_suggesters(SuggestInput(text=article.text, blocks=article.blocks, schema=schema))
                proposals += len(found.spans)
            suggests.append(time.perf_counter() - start)
    return {
        "articles": count,
        "runs": runs,
        "import_seconds": statistics.median(imports),
        "suggest_seconds": statistics.median(suggests),
        "import_per_second": count / statistics.median(imports),
        "suggest_per_second": count / statistics.median(suggests),
        "proposals_per_article": proposals / count,
        "sentence_backend": sentences.backend(),
    }


def _as_page(article: dict) -> str:
    return article["text"]


def print_speed(result: dict) -> None:
    print(f"\n== speed, {result['articles']} articles, one core, median of {result['runs']} interleaved runs ==")
    print(f"plain import (import_paths, workers=1): {result['import_seconds']:.2f} s = {result['import_per_second']:.0f} articles/s")
    print(f"suggest, every suggester ({result['sentence_backend']} sentences): {result['suggest_seconds']:.2f} s = "
          f"{result['suggest_per_second']:.0f} articles/s, {result['proposals_per_article']:.1f} suggestions an article")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--backend", choices=("auto", "builtin", "spacy"), default="auto")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sentences.set_backend(args.backend)
    out: dict = {"sentence_backend": sentences.backend()}
    if not args.speed_only:
        articles = load_eval()
        out["quality"] = quality(articles)
        out["seed"] = seed_check()
        if not args.json:
            print(f"sentence splitter: {sentences.backend()}")
            print_quality(out["quality"], articles)
            print_seed(out["seed"])
    if not args.quality_only:
        out["speed"] = speed(args.articles, args.runs)
        if not args.json:
            print_speed(out["speed"])
    if args.json:
        print(json.dumps(out, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
