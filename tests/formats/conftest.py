"""Shared helpers of the format tests: projects made from generated corpora, and snapshots to compare.

Corpora are drawn by hypothesis from words that make offsets hard: emoji (with skin tones, flags,
ZWJ sequences, outside the BMP), CJK ideographs, combining marks without a precomposed form, curly
quotes and punctuation.
"""

from __future__ import annotations

import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from annotator.formats.common import tokenize
from annotator.model import build_article
from annotator.store import Store
import support

FIXTURES = Path(__file__).parent / "fixtures"

settings.register_profile(
    "formats", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
PROPERTY = settings.get_profile("formats")

WORDS = [
    "Alice", "said", "prices", "rose", "5%", "in", "May", "café", "naïve", "Zoë", "q\u0303uiz", "x\u0301y",
    "東京都", "北京", "ソース", "🎉", "👍🏽", "🇺🇦", "👨\u200d🚒", "𝐁old", "“quoted”", "(AFP)", ".", ",", "!", "Ünïcödé",
    "don't", "3.5", "—", "😀😀",
]  # fmt: skip
LABELS = ("CLAIM", "SOURCE", "CAPTION")
ANNOTATORS = ("maria", "bob")
ATTRIBUTES = {
    "CLAIM": [{}, {"checkworthy": "yes"}, {"kind": "statistic", "treatment": "reports"}],
    "SOURCE": [{}, {"type": "named person"}, {"type": "anonymous", "on_record": "no"}],
    "CAPTION": [{}, {"credit": "Photo: Ünï 🎉"}],
}
NOTES = ["", "", "check the 🎉 figure", "two\nlines", "東京"]


@dataclass
class SpanSpec:
    start: int
    end: int
    label: str
    annotator: str = "maria"
    attributes: dict = field(default_factory=dict)
    note: str = ""


@dataclass
class ArticleSpec:
    blocks: list[str]
    spans: list[SpanSpec]
    relations: list[tuple[int, int]]  # indexes into spans: (claim, source)

    @property
    def text(self) -> str:
        return "\n".join(unicodedata.normalize("NFC", b) for b in self.blocks)


@st.composite
def article_specs(draw, aligned: bool = False, overlapping: bool = True, relations: bool = True) -> ArticleSpec:
    blocks = draw(
        st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).map(" ".join), min_size=1, max_size=3)
    )
    text = "\n".join(unicodedata.normalize("NFC", b) for b in blocks)
    tokens = tokenize(text)
    spans: list[SpanSpec] = []
    taken: set[int] = set()
    for _ in range(draw(st.integers(0, 5))):
        if aligned:
            if not tokens:
                break
            first = draw(st.integers(0, len(tokens) - 1))
            last = draw(st.integers(first, min(len(tokens) - 1, first + 4)))
            if not overlapping and taken & set(range(first, last + 1)):
                continue
            taken.update(range(first, last + 1))
            start, end = tokens[first][0], tokens[last][1]
        else:
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, min(len(text), start + 25)))
            if not overlapping and taken & set(range(start, end)):
                continue
            taken.update(range(start, end))
        label = draw(st.sampled_from(LABELS))
        annotator = draw(st.sampled_from(ANNOTATORS))
        if any((s.start, s.end, s.label, s.annotator) == (start, end, label, annotator) for s in spans):
            continue  # exact duplicates are one span to formats without ids
        spans.append(
            SpanSpec(
                start, end, label,
                annotator=annotator,
                attributes=draw(st.sampled_from(ATTRIBUTES[label])),
                note=draw(st.sampled_from(NOTES)),
            )
        )  # fmt: skip
    pairs = []
    if relations:
        claims = [i for i, s in enumerate(spans) if s.label == "CLAIM"]
        sources = [i for i, s in enumerate(spans) if s.label == "SOURCE"]
        for c in claims:
            for s in sources:
                if spans[c].annotator == spans[s].annotator and draw(st.booleans()):
                    pairs.append((c, s))
    return ArticleSpec(blocks, spans, pairs)


def corpora(**options) -> st.SearchStrategy[list[ArticleSpec]]:
    return st.lists(article_specs(**options), min_size=1, max_size=3, unique_by=lambda a: a.text)


@contextmanager
def project(specs: list[ArticleSpec] = ()) -> Iterator[Store]:
    """A fresh project in a temporary folder holding `specs` (hypothesis-friendly: no fixtures)."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "p.annotator")
        try:
            populate(store, specs)
            yield store
        finally:
            store.close()


def populate(store: Store, specs: list[ArticleSpec]) -> None:
    for spec in specs:
        article = build_article([("paragraph", b) for b in spec.blocks], title=spec.blocks[0][:40])
        support.add_article(store, article)
        ids = [
            support.place(
                store, article.id, s.start, s.end, s.label, annotator=s.annotator, attributes=s.attributes, note=s.note
            ).id
            for s in spec.spans
        ]
        for claim, source in spec.relations:
            support.relate(store, ids[claim], ids[source], "attributed_to", annotator=spec.spans[claim].annotator)


def spans_of(store: Store, *fields: str) -> list[tuple]:
    """Every live span as (article text, start, end, label, *fields), sorted."""
    rows = []
    for summary in store.list_articles():
        article = store.get_article(summary.id)
        for a in store.annotations_for(article.id):
            rows.append((article.text, a.start, a.end, a.label, *(_value(getattr(a, f)) for f in fields)))
    return sorted(rows, key=repr)


def merged_spans_of(store: Store, *fields: str) -> list[tuple]:
    """`spans_of` as one layer: of identical spans (offsets and label) of several annotators, the first
    created (what an export of a one-layer format with `merge_identical` writes)."""
    rows = []
    for summary in store.list_articles():
        article = store.get_article(summary.id)
        kept: dict[tuple, object] = {}
        for a in sorted(store.annotations_for(article.id), key=lambda a: (a.created, a.id)):
            kept.setdefault((a.start, a.end, a.label), a)
        rows += [(article.text, a.start, a.end, a.label, *(_value(getattr(a, f)) for f in fields)) for a in kept.values()]
    return sorted(rows, key=repr)


def relations_of(store: Store) -> list[tuple]:
    """Every live relation as ((head start, end, label), (tail start, end, label), type), sorted."""
    rows = []
    for summary in store.list_articles():
        for r in store.relations_for(summary.id):
            head, tail = store.get_annotation(r.head), store.get_annotation(r.tail)
            rows.append((summary.id, (head.start, head.end, head.label), (tail.start, tail.end, tail.label), r.type))
    return sorted(rows)


def _value(value: object) -> object:
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


def write_to(store: Store, format_name: str, target: Path, **options):
    """Export, with the filters (ExportFilter's names) and the format's options given as keywords."""
    from annotator.formats import export_to_path
    from annotator.store import ExportFilter

    filter_names = {"annotators", "labels", "article_ids", "status", "include_deleted", "merge_identical"}
    selection = ExportFilter.of(**{k: v for k, v in options.items() if k in filter_names})
    rest = {k: v for k, v in options.items() if k not in filter_names}
    return export_to_path(store, format_name, target, selection, **rest)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "p.annotator") as opened:
        yield opened


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "other.annotator") as opened:
        yield opened


EMOJI_TEXT = "Emoji 🎉 headline 👍🏽\nThe 🇺🇦 minister 😀 said prices rose 5%."


def emoji_project(store: Store) -> tuple[str, str]:
    """The emoji case: astral characters before the span. Returns (article id, span id)."""
    article = build_article([("headline", "Emoji 🎉 headline 👍🏽"), ("paragraph", "The 🇺🇦 minister 😀 said prices rose 5%.")])
    support.add_article(store, article)
    start = article.text.index("prices rose 5%")
    span = support.tag(store, article.id, start, start + len("prices rose 5%"), "CLAIM", annotator="maria")
    return article.id, span.id


NEWS_TEXT = "Officials in 🇺🇦 Kyiv said prices rose 5% in May, AFP reported.\nPhoto: 👨‍🚒 firefighters at work (Reuters)"
NEWS_URL = "https://example.org/news/kyiv-prices"


def news_article(store: Store) -> str:
    """The article of the fixture files, in the project (as an analyst would have it); returns its id."""
    lines = NEWS_TEXT.split("\n")
    article = build_article([("paragraph", lines[0]), ("caption", lines[1])], title="Kyiv prices", url=NEWS_URL)
    support.add_article(store, article)
    return article.id


def quotes(store: Store) -> list[tuple]:
    """(quote, label, annotator) of every live span, sorted: what a fixture import should give."""
    rows = []
    for summary in store.list_articles():
        rows += [(a.quote, a.label, a.annotator) for a in store.annotations_for(summary.id)]
    return sorted(rows)
