"""Small suggesters for the tests of the suggestion workflow (store, operations, CLI, window), so
that those tests do not depend on the rules of the real suggesters: each proposes what its word
list says, wherever the word occurs (code points, so an emoji before it does not shift it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.suggest import Proposals, RelationProposal, SpanProposal, SuggestInput, register


@dataclass
class WordSuggester:
    name: str
    version: str
    words: dict[str, tuple[str, float]]  # word -> (label, confidence)
    relate: bool = False  # propose CLAIM --attributed_to--> SOURCE between the first of each

    def suggest(self, source: SuggestInput) -> Proposals:
        found = Proposals()
        for word, (label, confidence) in self.words.items():
            for match in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", source.text):
                found.spans.append(SpanProposal(match.start(), match.end(), label, confidence, self.name, self.version))
        if self.relate:
            claims = [s for s in found.spans if s.label == "CLAIM"]
            sources = [s for s in found.spans if s.label == "SOURCE"]
            if claims and sources:
                found.relations.append(RelationProposal(claims[0].key, sources[0].key, "attributed_to", 0.5,
                                                        self.name, self.version))
        return found


@dataclass
class Learned:
    """Proposes every accepted (label, quote) where the quote occurs: the learned suggester's shape."""

    name: str = "fake-learned"
    version: str = "1"

    def suggest(self, source: SuggestInput) -> Proposals:
        found = Proposals()
        for label, quote in source.accepted:
            for match in re.finditer(rf"(?<!\w){re.escape(quote)}(?!\w)", source.text):
                found.spans.append(SpanProposal(match.start(), match.end(), label, 0.7, self.name, self.version))
        return found


@dataclass
class Broken:
    name: str = "fake-broken"
    version: str = "1"

    def suggest(self, source: SuggestInput) -> Proposals:
        raise RuntimeError("the fake suggester broke")


def register_all() -> dict[str, object]:
    made = {
        "fake-sources": WordSuggester("fake-sources", "1.0", {"Kim Jong Un": ("SOURCE", 0.9), "utility": ("SOURCE", 0.6)}),
        "fake-claims": WordSuggester("fake-claims", "2.0", {"economy grew 5%": ("CLAIM", 0.8), "Kim Jong Un": ("SOURCE", 0.4),
                                                             "40,000 homes": ("CLAIM", 0.3)}, relate=True),
        "fake-learned": Learned(),
    }
    for suggester in made.values():
        register(suggester)
    return made
