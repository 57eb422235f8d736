"""Generated articles and annotations for the benchmarks (setup, never what is measured).

Articles are news-like paragraphs of a fixed vocabulary with a few emoji (so code points and UTF-16
differ), built with `model.build_article`; annotations are random spans written through
`store.operation(...)` and the recorder's `insert_many` (the one bulk write path, journalled like
any other), so a project of 100,000 spans is made in seconds.
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Iterator

from annotator import operations as ops
from annotator.model import Annotation, Article, Relation, build_article
from annotator.store import Store, now
from annotator.store.codecs import annotation_row, relation_row
from annotator.textspan import make_selector

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_4374cd0fa6f2fed4.txt"
LABELS = ("CLAIM", "SOURCE", "CAPTION")
WORDS = (
    "the minister said on Tuesday that government officials would review figures released by the "
    "agency after reports of rising prices in several regions according to analysts who spoke on "
    "condition of anonymity because they were not authorised to discuss talks between leaders "
    "while critics argued the decision could affect millions of households across the country"
).split()
EMOJI = ("😀", "🇺🇦", "👍🏽", "📈", "🔥")
SETUP = "bench-setup"


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 24))
    if rng.random() < 0.03:
        words.insert(rng.randrange(len(words)), rng.choice(EMOJI))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def news_article(rng: random.Random, characters: int, title: str = "") -> Article:
    """An article of about `characters` code points: a headline, a byline and paragraphs."""
    title = title or f"A generated article of {characters:,} characters"
    blocks = [("headline", title), ("byline", "By Bench Mark | Wire")]
    size = sum(len(text) + 1 for _, text in blocks)
    while size < characters:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))
        blocks.append(("paragraph", paragraph))
        size += len(paragraph) + 1
    return build_article(blocks, title=title, outlet="Bench Wire")


def random_annotation(rng: random.Random, article: Article, annotator: str, stamp: str,
                      label: str | None = None, longest: int = 160) -> Annotation:
    text = article.text
    start = rng.randrange(0, len(text) - longest - 1)
    end = start + rng.randint(3, longest)
    selector = make_selector(text, start, end)
    return Annotation(
        id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), article_id=article.id, start=start, end=end,
        label=label or rng.choice(LABELS), quote=selector.exact, prefix=selector.prefix, suffix=selector.suffix,
        annotator=annotator, created=stamp, updated=stamp,
    )  # fmt: skip


def add_article(store: Store, article: Article) -> None:
    ops.add_articles(store, [article], annotator=SETUP)


def bulk_annotations(store: Store, article: Article, count: int, rng: random.Random,
                     annotators: tuple[str, ...] = ("ana", "ben")) -> list[Annotation]:
    """`count` random spans on `article`, in one journalled operation."""
    stamp = now()
    made = [random_annotation(rng, article, annotators[i % len(annotators)], stamp) for i in range(count)]
    with store.operation(SETUP, SETUP, article_id=article.id) as op:
        op.insert_many("annotations", [annotation_row(a) for a in made])
    return made


def bulk_relations(store: Store, annotations: list[Annotation], count: int, rng: random.Random) -> int:
    """Up to `count` CLAIM -attributed_to-> SOURCE relations among `annotations` (same annotator), in
    one journalled operation; returns how many."""
    claims = [a for a in annotations if a.label == "CLAIM"]
    sources: dict[str, list[Annotation]] = {}
    for a in annotations:
        if a.label == "SOURCE":
            sources.setdefault(a.annotator, []).append(a)
    stamp = now()
    pairs: dict[tuple[str, str], Annotation] = {}
    for _ in range(count * 3):
        if len(pairs) >= count or not claims:
            break
        claim = rng.choice(claims)
        if sources.get(claim.annotator):
            pairs[(claim.id, rng.choice(sources[claim.annotator]).id)] = claim
    rows = [relation_row(Relation(str(uuid.UUID(int=rng.getrandbits(128), version=4)), claim.article_id, head,
                                  tail, "attributed_to", claim.annotator, stamp, stamp))
            for (head, tail), claim in pairs.items()]
    with store.operation(SETUP, SETUP) as op:
        op.insert_many("relations", rows)
    return len(rows)


def seed_text() -> str:
    return SEED.read_text("utf-8")


def add_seed_variants(store: Store, count: int, batch: int = 1000) -> Iterator[Article]:
    """`count` sample-like articles (the seed page with one sentence numbered), stored through
    `operations.add_articles` `batch` at a time; yields each once it is stored."""
    from annotator.importers.text import parse_text_page

    seed = parse_text_page(seed_text())
    for first in range(0, count, batch):
        made = [parse_text_page(seed.text.replace("Meanwhile", f"Meanwhile ({i})", 1))
                for i in range(first, min(count, first + batch))]
        ops.add_articles(store, made, annotator=SETUP)
        yield from made
