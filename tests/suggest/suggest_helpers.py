"""Building small articles for the suggester tests."""

from __future__ import annotations

from annotator.model import Article, build_article
from annotator.schema import default_schema
from annotator.suggest import SuggestInput, run_suggesters


def article(*blocks: tuple[str, str]) -> Article:
    return build_article(list(blocks))


def spans(art: Article, suggester: str, label: str | None = None, **extra) -> list[tuple[str, str]]:
    """(label, quote) of each proposal of one suggester, in text order."""
    found = run_suggesters(SuggestInput(art.text, art.blocks, default_schema(), **extra), [suggester])
    return [(s.label, art.text[s.start : s.end]) for s in sorted(found.spans, key=lambda s: s.start) if label in (None, s.label)]


def proposals(art: Article, suggester: str, **extra):
    return run_suggesters(SuggestInput(art.text, art.blocks, default_schema(), **extra), [suggester])
