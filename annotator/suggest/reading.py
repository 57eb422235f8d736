"""What the rule suggesters read of an article: its body blocks, their sentences and the
attributions in them, worked out once per article and shared by the sources and claims rules."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Block
from .attribution import Attribution, analyse_sentence
from .sentences import backend, split_blocks

# Blocks whose text an article states: claims and sources are looked for here only. Bylines,
# author lines, bios, notes, related-story headlines, alt lines, captions and credits are not.
BODY_KINDS = frozenset({"headline", "standfirst", "subheading", "paragraph", "quote", "list_item"})


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    block: Block
    attributions: tuple[Attribution, ...]


def sentences_of(text: str, blocks: Sequence[Block], language: str = "en") -> tuple[Sentence, ...]:
    """Every sentence of the body blocks, with its attributions (English rules; none elsewhere)."""
    return _sentences(text, tuple(blocks), language or "en", backend())


@functools.lru_cache(maxsize=16)
def _sentences(text: str, blocks: tuple[Block, ...], language: str, _backend: str) -> tuple[Sentence, ...]:
    english = language.casefold().startswith("en")
    found: list[Sentence] = []
    body = [b for b in blocks if b.kind in BODY_KINDS and b.end > b.start]
    for block, spans in zip(body, split_blocks([text[b.start : b.end] for b in body], language)):
        for start, end in spans:
            s, e = block.start + start, block.start + end
            attributions = tuple(analyse_sentence(text, s, e, block.start)) if english else ()
            found.append(Sentence(s, e, block, attributions))
    return tuple(found)


def body_blocks(blocks: Sequence[Block]) -> list[Block]:
    return [b for b in blocks if b.kind in BODY_KINDS]
