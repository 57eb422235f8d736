"""The suggesters the app knows, by name, and running a chosen set of them over one article."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..model import Block
from ..schema import LabelSchema
from .proposal import Proposals


@dataclass(frozen=True)
class SuggestInput:
    """Everything a suggester may read: the article and, for the learned ones, the project's
    accepted spans as (label, quote) pairs. No store access: the caller gathers these."""

    text: str
    blocks: Sequence[Block]
    schema: LabelSchema
    accepted: Sequence[tuple[str, str]] = field(default_factory=tuple)
    language: str = "en"
    # The article's own annotations as (start, end, label): the learned suggester does not propose
    # a phrase again where it is already tagged with that label.
    annotated: Sequence[tuple[int, int, str]] = field(default_factory=tuple)


class Suggester(Protocol):
    name: str
    version: str

    def suggest(self, source: SuggestInput) -> Proposals: ...


_SUGGESTERS: dict[str, Suggester] = {}


def register(suggester: Suggester) -> Suggester:
    if suggester.name in _SUGGESTERS:
        raise ValueError(f"a suggester named {suggester.name!r} is already registered")
    _SUGGESTERS[suggester.name] = suggester
    return suggester


def suggester_names() -> list[str]:
    return sorted(_SUGGESTERS)


def get_suggester(name: str) -> Suggester:
    try:
        return _SUGGESTERS[name]
    except KeyError:
        known = ", ".join(suggester_names()) or "none"
        raise ValueError(f"no suggester named {name!r}; known: {known}") from None


def run_suggesters(source: SuggestInput, names: Iterable[str] | None = None) -> Proposals:
    """Every chosen suggester's proposals for one article, labels the schema lacks left out."""
    chosen = [get_suggester(n) for n in names] if names is not None else [_SUGGESTERS[n] for n in suggester_names()]
    known = set(source.schema.names)
    found = Proposals()
    for suggester in chosen:
        found.extend(suggester.suggest(source))
    found.spans = [s for s in found.spans if s.label in known]
    found.relations = [r for r in found.relations if r.head[2] in known and r.tail[2] in known]
    return found
