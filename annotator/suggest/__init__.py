"""Suggestions: spans proposed by rules and by what the project has learned, never annotations
until an analyst accepts them. No Qt, no store: a suggester reads an article and proposes."""

from .proposal import Proposals, RelationProposal, SpanKey, SpanProposal
from .registry import SuggestInput, Suggester, get_suggester, register, run_suggesters, suggester_names

__all__ = [
    "Proposals",
    "RelationProposal",
    "SpanKey",
    "SpanProposal",
    "SuggestInput",
    "Suggester",
    "get_suggester",
    "register",
    "run_suggesters",
    "suggester_names",
]
