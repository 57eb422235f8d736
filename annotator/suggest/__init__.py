"""Suggestions: spans proposed by rules and by what the project has learned, never annotations
until an analyst accepts them. No Qt, no store: a suggester reads an article and proposes.

Suggesters: `captions`, `sources`, `claims` (English rules), `learned` (the project's accepted
phrases matched again) and `learned_model` (a spaCy span model trained on the project, when one
has been installed with span_model.install). docs/suggestions.md says what each does."""

from .proposal import Proposals, RelationProposal, SpanKey, SpanProposal
from .registry import SuggestInput, Suggester, get_suggester, register, run_suggesters, suggester_names

# Importing a suggester's module registers it. None of them imports spaCy until it runs.
from . import captions, claims, learned, sources, span_model  # noqa: E402,F401  (registration)

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
