"""Helpers for the review tests: small projects with hand-made articles and spans."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from annotator.model import Annotation, Article, build_article
from annotator.store import Store
import support


def article(text: str, **metadata) -> Article:
    """An article of one paragraph block: its canonical text is exactly ``text``."""
    metadata.setdefault("title", text[:20])
    return build_article([("paragraph", text)], **metadata)


def add(store: Store, art: Article, quote: str, label: str, annotator: str, nth: int = 0, **kwargs) -> Annotation:
    """Annotate the nth occurrence of ``quote``."""
    start = -1
    for _ in range(nth + 1):
        start = art.text.index(quote, start + 1)
    return support.tag(store, art.id, start, start + len(quote), label, annotator=annotator, **kwargs)


def add_at(store: Store, art: Article, start: int, end: int, label: str, annotator: str, **kwargs) -> Annotation:
    return support.tag(store, art.id, start, end, label, annotator=annotator, **kwargs)


def tick() -> None:
    """Let the millisecond clock of `updated` move on (a human never edits twice in one ms)."""
    time.sleep(0.003)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "mine.annotator") as s:
        yield s


def dump(store: Store) -> list[str]:
    """Every row of every table, to compare a project before and after. The search index's rows are
    left out: they derive from the others, and FTS5's pages differ after an insert and its delete;
    instead the dump says whether the index holds exactly the rows (search_index.check)."""
    from annotator.store import search_index

    rows = [line for line in store.conn.iterdump() if not line.startswith('INSERT INTO "search_')]
    return rows + [f"search index problems: {search_index.check(store.conn)}"]
