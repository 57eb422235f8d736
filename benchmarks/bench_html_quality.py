"""How good is the HTML importer's text? Token F1 against ground truth, next to trafilatura's own extraction.

Three sets of pages, each with ground truth:

1. **Real news pages**: the test data shipped in the sdist of newspaper4k 0.9.6 on PyPI
   (tests/data/html/*.html with the expected article text in tests/data/txt/*.txt; MIT licence):
   23 saved pages from CNN, Time, Wired, Fox13, cleveland.com, Yonhap, BBC Chinese and pages in
   Arabic, Burmese, Japanese, Latvian, Spanish and Thai. Their expected texts are newspaper4k's
   curated outputs for its own regression tests, not independent annotations: they hold the body
   paragraphs (no headline, no captions). The sdist is fetched once with `pip download` (PyPI is
   a package registry, reachable offline here) into benchmarks/.data/, or pass --newspaper DIR.
2. **Hand-written pages** (benchmarks/news_pages.py): 8 stories x 3 of 4 layouts = 24 pages,
   with body text, captions and credits known exactly; one story in windows-1251 without a
   charset declaration, one in Shift_JIS.

Scores (bag of tokens: words, or single characters for Chinese/Japanese/Thai/Burmese):
- ours (body):  the importer's standfirst, paragraph, subheading, quote, list_item and related blocks;
- ours (all):   the whole canonical text (headline, byline, captions, credits too);
- trafilatura:  `trafilatura.extract(html)` with its defaults (plain text), same pages, same run;
- caption recall: share of the ground-truth captions (and credits) found as caption (credit) blocks.

3. **Real pages with figcaptions**: every page of newspaper4k's test data and of the 108 saved real
   pages in the sdist of trafilatura 0.9.3 (tests/cache/*.html; later sdists ship none; the
   sdist is GPL-3.0, the pages are their sites': they are fetched into benchmarks/.data/, never
   kept in the repository) that has at least one <figcaption> of its story (`story_figcaptions`:
   not a teaser's, read from the markup alone). Printed: the share of pages that keep every
   figcaption, and of figcaptions kept: ours as caption or credit blocks (at least 80% of the
   figcaption's tokens), trafilatura.extract anywhere in its text.

Run: python benchmarks/bench_html_quality.py [--newspaper DIR] [--verbose]  (-v lists every missed figcaption)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

import trafilatura

from annotator.errors import ImportFailed
from annotator.importers.html import parse_html_bytes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from news_pages import pages as written_pages  # noqa: E402

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
NEWSPAPER = "newspaper4k==0.9.6"
TRAFILATURA_PAGES = "trafilatura==0.9.3"  # its tests/cache: 108 saved real pages (later sdists ship none)
CAPTION_KEPT = 0.8
FULL_STORY_CHARS = 1500
_TEASER = re.compile(r"related|teaser|recommend|promo|most-?(?:read|popular|viewed)|newsletter", re.I)
BODY_KINDS = frozenset({"standfirst", "paragraph", "subheading", "quote", "list_item", "related"})
_TOKEN = re.compile(r"[\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\W_]+")


def tokens(text: str) -> Counter:
    return Counter(match.group(0).casefold() for match in _TOKEN.finditer(text or ""))


def prf(predicted: str, truth: str) -> tuple[float, float, float]:
    p, t = tokens(predicted), tokens(truth)
    if not p or not t:
        return 0.0, 0.0, 0.0
    common = sum((p & t).values())
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return precision, recall, (2 * precision * recall / (precision + recall) if common else 0.0)


def fetch_sdist(requirement: str, inner: str) -> Path:
    """The folder ``inner`` of a PyPI sdist, fetched once with `pip download` and unpacked into .data/."""
    name, _, version = requirement.partition("==")
    folder = DATA / f"{name}-{version}" / inner
    if folder.exists():
        return folder
    DATA.mkdir(exist_ok=True)
    print(f"fetching the {requirement} sdist from PyPI into {DATA} ...", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", requirement,
         "-d", str(DATA), "--quiet"],
        check=True,
    )
    with tarfile.open(next(DATA.glob(f"{name}-{version}.tar.gz"))) as archive:
        members = [m for m in archive.getmembers() if f"/{inner}/" in m.name]
        try:
            archive.extractall(DATA, members=members, filter="data")
        except TypeError:  # Python without tarfile extraction filters
            archive.extractall(DATA, members=members)
    return folder


def newspaper_pages(folder: Path | None) -> list[tuple[str, bytes, str]]:
    """(name, html bytes, expected text) of newspaper4k's test pages that have an expected text."""
    if folder is None:
        folder = fetch_sdist(NEWSPAPER, "tests/data")
    out = []
    for expected in sorted((folder / "txt").glob("*.txt")):
        page = folder / "html" / f"{expected.stem}.html"
        if page.exists():
            out.append((expected.stem, page.read_bytes(), expected.read_text("utf-8")))
    return out


def figcaption_pages(newspaper: Path | None) -> list[tuple[str, bytes, list[str]]]:
    """(name, html bytes, the story's figcaptions) of every real page that has at least one."""
    folders = [(newspaper or fetch_sdist(NEWSPAPER, "tests/data")) / "html", fetch_sdist(TRAFILATURA_PAGES, "tests/cache")]
    out = []
    for folder in folders:
        for path in sorted(folder.glob("*.html")):
            data = path.read_bytes()
            captions = story_figcaptions(data)
            if captions:
                out.append((path.stem, data, captions))
    return out


def story_figcaptions(data: bytes) -> list[str]:
    """The ground truth for caption recall: the texts of the page's <figcaption>s that belong to its story.

    Every non-empty figcaption counts except a teaser's: inside a link or mostly link text (a
    picture of another page), inside <nav>, <footer>, <aside> or a <button> (a slideshow's "15 images" label), or
    inside an element whose class or id names related stories, teasers, promotions, most-read lists
    or newsletters; or in another story: a page that holds several full <article>s one after the
    other (the next stories of an endless scroll) has its story in the first of them. The rule
    reads only the page's markup, not anything the importer computes.
    """
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(data)
    except (ValueError, lxml.etree.ParserError):
        return []
    stories = [
        article for article in tree.iter("article")
        if not any(a.tag == "article" for a in article.iterancestors()) and len(article.text_content()) >= FULL_STORY_CHARS
    ]
    others = set(stories[1:])
    out = []
    for caption in tree.iter("figcaption"):
        if any(a in others for a in caption.iterancestors()):
            continue
        text = " ".join(caption.text_content().split())
        if not tokens(text):
            continue
        linked = sum(len("".join(a.text_content().split())) for a in caption.iter("a"))
        if linked >= 0.5 * len(text.replace(" ", "")):
            continue
        ancestors = list(caption.iterancestors())
        if any(a.tag in ("a", "nav", "footer", "aside", "button") for a in ancestors):
            continue
        if any(_TEASER.search(" ".join(filter(None, (a.get("class"), a.get("id"))))) for a in ancestors):
            continue
        out.append(text)
    return out


def caption_kept(caption: str, text: str) -> bool:
    """At least ``CAPTION_KEPT`` of the caption's tokens are in ``text``."""
    wanted, found = tokens(caption), tokens(text)
    return sum((wanted & found).values()) >= CAPTION_KEPT * sum(wanted.values())


def figcaption_recall(pages: list[tuple[str, bytes, list[str]]], verbose: bool) -> None:
    """Pages that keep every story figcaption, and figcaptions kept: ours (as caption or credit
    blocks) next to trafilatura.extract (anywhere in its text)."""
    ours_pages = traf_pages = ours_kept = traf_kept = total = 0
    print(f"\nfigcaptions on real news pages: {len(pages)} pages with {sum(len(c) for _, _, c in pages)} "
          "figcaptions of the story (newspaper4k 0.9.6 and trafilatura 0.9.3 test pages)")
    if verbose:
        print(f"  {'page':36s} {'ours':>7s} {'trafil.':>7s}")
    for name, data, captions in pages:
        article = ours(data, name)
        ours_text = kinds_text(article, frozenset({"caption", "credit"}))
        traf_text = trafilatura.extract(data) or ""
        mine = sum(caption_kept(c, ours_text) for c in captions)
        theirs = sum(caption_kept(c, traf_text) for c in captions)
        total += len(captions)
        ours_kept, traf_kept = ours_kept + mine, traf_kept + theirs
        ours_pages += mine == len(captions)
        traf_pages += theirs == len(captions)
        if verbose:
            print(f"  {name:36s} {mine:3d}/{len(captions):<3d} {theirs:3d}/{len(captions):<3d}")
            for caption in captions:
                if not caption_kept(caption, ours_text):
                    print(f"      missed: {caption[:100]}")
    n = len(pages)
    print(f"  pages that keep every figcaption  ours {ours_pages}/{n} ({ours_pages / n:.0%})   "
          f"trafilatura.extract {traf_pages}/{n} ({traf_pages / n:.0%})")
    print(f"  figcaptions kept                  ours {ours_kept}/{total} ({ours_kept / total:.0%})   "
          f"trafilatura.extract {traf_kept}/{total} ({traf_kept / total:.0%})")


def ours(data: bytes, name: str):
    try:
        return parse_html_bytes(data, name)
    except ImportFailed:
        return None


def kinds_text(article, kinds: frozenset[str]) -> str:
    if article is None:
        return ""
    return "\n".join(article.block_text(b) for b in article.blocks if b.kind in kinds)


def score_set(title: str, rows: list[tuple[str, bytes, str]], verbose: bool) -> dict[str, float]:
    totals = {"ours_body": [], "ours_all": [], "trafilatura": [], "ours_time": [], "traf_time": []}
    print(f"\n{title}: {len(rows)} pages")
    ours(rows[0][1], rows[0][0]), trafilatura.extract(rows[0][1])  # warm up both (imports, caches)
    if verbose:
        print(f"  {'page':28s} {'ours body':>9s} {'ours all':>9s} {'trafil.':>9s}")
    for name, data, truth in rows:
        started = time.perf_counter()
        article = ours(data, name)
        totals["ours_time"].append(time.perf_counter() - started)
        started = time.perf_counter()
        baseline = trafilatura.extract(data) or ""
        totals["traf_time"].append(time.perf_counter() - started)
        body = prf(kinds_text(article, BODY_KINDS), truth)[2]
        whole = prf(article.text if article else "", truth)[2]
        traf = prf(baseline, truth)[2]
        totals["ours_body"].append(body)
        totals["ours_all"].append(whole)
        totals["trafilatura"].append(traf)
        if verbose:
            flag = "  <" if body + 1e-9 < traf else ""
            print(f"  {name:28s} {body:9.3f} {whole:9.3f} {traf:9.3f}{flag}")
    mean = {key: sum(values) / len(values) for key, values in totals.items()}
    worse = sum(1 for o, t in zip(totals["ours_body"], totals["trafilatura"]) if o + 0.005 < t)
    print(f"  mean token F1  ours (body) {mean['ours_body']:.3f}   ours (all text) {mean['ours_all']:.3f}   "
          f"trafilatura.extract {mean['trafilatura']:.3f}")
    print(f"  pages where ours (body) is more than 0.005 below trafilatura: {worse}")
    print(f"  mean time per page  ours {mean['ours_time'] * 1000:.0f} ms   trafilatura.extract "
          f"{mean['traf_time'] * 1000:.0f} ms  (wall clock; ours includes metadata and captions)")
    return mean


def caption_recall(verbose: bool) -> None:
    found_captions = total_captions = found_credits = total_credits = 0
    by_layout: Counter = Counter()
    by_layout_total: Counter = Counter()
    for page in written_pages():
        article = ours(page.data, page.name)
        captions = [article.block_text(b) for b in article.blocks if b.kind == "caption"] if article else []
        credits = [article.block_text(b) for b in article.blocks if b.kind == "credit"] if article else []
        for caption in page.captions:
            total_captions += 1
            by_layout_total[page.layout] += 1
            if any(caption in c for c in captions):
                found_captions += 1
                by_layout[page.layout] += 1
        for credit in page.credits:
            total_credits += 1
            if any(credit in c for c in credits):
                found_credits += 1
    print(f"\ncaption recall on the hand-written pages: captions {found_captions}/{total_captions} "
          f"({found_captions / total_captions:.0%}), credits split off as credit blocks {found_credits}/{total_credits} "
          f"({found_credits / total_credits:.0%})")
    if verbose:
        print("  by layout: " + ", ".join(f"{k} {by_layout[k]}/{by_layout_total[k]}" for k in sorted(by_layout_total)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--newspaper", type=Path, help="newspaper4k's tests/data folder (default: fetched into benchmarks/.data)")
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per page")
    args = parser.parse_args()
    real = newspaper_pages(args.newspaper)
    written = [(page.name, page.data, page.truth) for page in written_pages()]
    score_set("real news pages (newspaper4k 0.9.6 test data)", real, args.verbose)
    score_set("hand-written pages (benchmarks/news_pages.py)", written, args.verbose)
    caption_recall(args.verbose)
    figcaption_recall(figcaption_pages(args.newspaper), args.verbose)


if __name__ == "__main__":
    main()
