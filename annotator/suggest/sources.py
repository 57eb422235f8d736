"""The `sources` suggester: the attributed origin of information, by the English attribution rules
of attribution.py (cue verbs, "according to", documents with authors, agencies in parentheses),
with the SOURCE `type` attribute where the rule knows it."""

from __future__ import annotations

from .proposal import Proposals, SpanProposal
from .reading import sentences_of
from .registry import SuggestInput, register

NAME = "sources"
VERSION = "1"
LABEL = "SOURCE"


class SourcesSuggester:
    name = NAME
    version = VERSION

    def suggest(self, source: SuggestInput) -> Proposals:
        found = Proposals()
        if LABEL not in source.schema.names:
            return found
        allowed = _allowed_types(source)
        seen: set[tuple[int, int]] = set()
        for sentence in sentences_of(source.text, source.blocks, source.language):
            for attribution in sentence.attributions:
                span = attribution.source
                if not attribution.checkable or span is None or span in seen or span[1] <= span[0]:
                    continue
                for where, kind in [(span, attribution.source_type), *attribution.also]:
                    if where in seen and where != span:
                        continue
                    seen.add(where)
                    attributes = {"type": kind} if kind in allowed else {}
                    found.spans.append(
                        SpanProposal(where[0], where[1], LABEL, attribution.confidence, NAME, VERSION, attributes)
                    )
        return found


def _allowed_types(source: SuggestInput) -> frozenset[str]:
    spec = source.schema.label(LABEL).attribute("type")
    return frozenset(spec.values) if spec is not None and spec.type == "choice" else frozenset()


register(SourcesSuggester())
