"""The `claims` suggester: checkable statements, with a CLAIM → SOURCE `attributed_to` relation
where an attribution cue links them.

Per sentence of the body (headline, standfirst, paragraphs, quotes, list items):

- a sentence with attributions: the innermost content is the claim ("Yoo told the media that the
  service found [CLAIM: ...], according to The Korea Herald"), linked to every source of the chain;
  a content that is only a wish, feeling or plan ("he wants to ...") is no claim;
- ", which X described as ...": the clause before it is a claim of its own;
- any other declarative sentence: the sentence, without its final full stop, as a claim the
  article asserts; more confident when it carries a number, a date, a comparison or a prediction.

Questions are never claims. The relations name their SOURCE ends by the keys the `sources`
suggester proposes for the same text (same rules), so accepting both links them.
"""

from __future__ import annotations

import re

from . import lexicon as lx
from .proposal import Proposals, RelationProposal, SpanProposal
from .reading import Sentence, sentences_of
from .registry import SuggestInput, register

NAME = "claims"
VERSION = "1"
LABEL = "CLAIM"
SOURCE = "SOURCE"
RELATION = "attributed_to"
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
_MONEY = re.compile(r"[$€£¥%]|\bper ?cent\b")
_TERMINAL = ".!…;:"
_QUOTES = "\"'“”‘’«»"


class ClaimsSuggester:
    name = NAME
    version = VERSION

    def suggest(self, source: SuggestInput) -> Proposals:
        found = Proposals()
        if LABEL not in source.schema.names:
            return found
        allowed = _allowed(source)
        link = SOURCE in source.schema.names and any(r.name == RELATION for r in source.schema.relations)
        text = source.text
        for sentence in sentences_of(text, source.blocks, source.language):
            if text[sentence.start : sentence.end].rstrip(_QUOTES + ")").endswith("?"):
                continue
            for (start, end), confidence, sources, attributed in _claims_of(text, sentence):
                attributes = _attributes(text[start:end], attributed, allowed)
                claim = SpanProposal(start, end, LABEL, confidence, NAME, VERSION, attributes)
                found.spans.append(claim)
                if link:
                    for tail in sources:
                        found.relations.append(
                            RelationProposal(claim.key, (tail[0], tail[1], SOURCE), RELATION, confidence, NAME, VERSION)
                        )
        return found


def _claims_of(text: str, sentence: Sentence) -> list[tuple[tuple[int, int], float, list[tuple[int, int]], bool]]:
    attributions = [a for a in sentence.attributions if a.content is not None]
    if not attributions:
        if not sentence.attributions:
            span = _plain(text, sentence.start, sentence.end)
            if span is not None:
                return [(span, _plain_confidence(text[span[0] : span[1]]), [], False)]
        return []
    claims = []
    contents = [a.content for a in attributions if a.checkable]
    for a in attributions:
        assert a.content is not None
        start, end = a.content
        if any(o != a.content and start <= o[0] and o[1] <= end for o in contents):
            continue  # an outer content: the innermost one is the claim
        if not a.checkable:
            continue
        outer = [b for b in attributions if b.content[0] <= start and end <= b.content[1]]
        outer += [b for b in sentence.attributions if b.content is None]
        chain = [b.source for b in outer if b.source is not None] + [span for b in outer for span, _ in b.also]
        claims.append(((start, end), 0.7, sorted(set(chain)), True))
    for a in sentence.attributions:
        if a.before_relative is not None:
            span = _plain(text, sentence.start, a.before_relative)
            if span is not None and not any(_overlaps(span, c[0]) for c in claims):
                claims.append((span, 0.6, [], False))
    return claims


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _plain(text: str, start: int, end: int) -> tuple[int, int] | None:
    while end > start and (text[end - 1].isspace() or text[end - 1] in _TERMINAL + ","):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if end - start >= 2 and text[start] in _QUOTES and text[end - 1] in _QUOTES:
        start, end = start + 1, end - 1
        while end > start and text[end - 1] in _TERMINAL + ",":
            end -= 1
    words = text[start:end].split()
    if len(words) < 4:
        return None
    return start, end


def _words(piece: str) -> set[str]:
    return set(_WORD.findall(piece.casefold()))


def _plain_confidence(piece: str) -> float:
    lows = _words(piece)
    checkable = (
        _DIGIT.search(piece) is not None
        or _MONEY.search(piece) is not None
        or bool(lows & (lx.MONTHS | lx.WEEKDAYS | lx.NUMBER_WORDS | lx.COMPARATIVES | lx.PREDICTION_WORDS))
    )
    return 0.55 if checkable else 0.4


def _attributes(piece: str, attributed: bool, allowed: dict[str, frozenset[str]]) -> dict[str, object]:
    lows = _words(piece)
    if _DIGIT.search(piece) or _MONEY.search(piece) or lows & lx.NUMBER_WORDS:
        kind = "statistic"
    elif lows & {"will", "expected", "forecast", "predicted"}:
        kind = "prediction"
    elif any(q in piece for q in "\"“”"):
        kind = "quote"
    else:
        kind = "fact"
    wanted = {"kind": kind, "treatment": "reports" if attributed else "asserts"}
    return {k: v for k, v in wanted.items() if v in allowed.get(k, frozenset())}


def _allowed(source: SuggestInput) -> dict[str, frozenset[str]]:
    label = source.schema.label(LABEL)
    return {a.name: frozenset(a.values) for a in label.attributes if a.type == "choice"}


register(ClaimsSuggester())
