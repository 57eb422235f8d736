"""What a suggester proposes: spans (and relations between them) that are not annotations yet.

A proposal is plain data. Storing it as a suggestion, accepting it (which creates an annotation
through the operations layer) and rejecting it are the business of the layers above; a suggester
only reads text. Offsets are code points into the article text, end exclusive, as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SpanKey = tuple[int, int, str]
"""(start, end, label): how a relation proposal names its ends."""


@dataclass(frozen=True)
class SpanProposal:
    start: int
    end: int
    label: str
    confidence: float
    suggester: str
    version: str
    attributes: dict[str, object] = field(default_factory=dict)

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, self.label)


@dataclass(frozen=True)
class RelationProposal:
    """A relation between two proposed (or existing) spans, named by their keys."""

    head: SpanKey
    tail: SpanKey
    type: str
    confidence: float
    suggester: str
    version: str


@dataclass
class Proposals:
    spans: list[SpanProposal] = field(default_factory=list)
    relations: list[RelationProposal] = field(default_factory=list)

    def extend(self, other: Proposals) -> None:
        self.spans.extend(other.spans)
        self.relations.extend(other.relations)
