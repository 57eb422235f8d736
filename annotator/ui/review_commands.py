"""Undoable review decisions: each command calls the review core, one transaction per decision.

The rule of `commands.py` holds: the first write happens before the command is pushed (a refused
decision pushes nothing), undo calls `review.undo_decision` (the gold spans become tombstones, the
decision is marked undone) and a later redo calls `review.redo_decision` (the same gold rows come
back, ids unchanged). The context (the review controller) redraws from the decisions the core
returned.
"""

from __future__ import annotations

from typing import Protocol, Sequence

from .. import review
from ..errors import AnnotatorError
from ..review import Comparison, Decision
from ..store import Store
from .commands import StoreCommand

UNDO_NAMES = {
    "accept_a": "accept A",
    "accept_b": "accept B",
    "accept_both": "accept both",
    "reject": "reject",
    "edit": "edit into gold",
}


class ReviewContext(Protocol):
    store: Store

    def decisions_applied(self, decisions: Sequence[Decision]) -> None:
        """These decisions now stand: show their gold spans."""

    def decisions_reverted(self, decisions: Sequence[Decision]) -> None:
        """These decisions are undone: take their gold spans away."""


class Decide(StoreCommand):
    """One decision on one comparison (accept A/B/both, reject, edit) into the gold layer."""

    def __init__(
        self,
        context: ReviewContext,
        comparison: Comparison,
        decision: str,
        decided_by: str,
        comment: str = "",
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
    ) -> None:
        side = comparison.a or comparison.b
        what = label or (side.label if side is not None else "")
        super().__init__(context, f"{UNDO_NAMES.get(decision, decision)} {what}".strip())  # type: ignore[arg-type]
        self.comparison = comparison
        self.decision = decision
        self.decided_by = decided_by
        self.comment = comment
        self.edit = {"start": start, "end": end, "label": label}
        self.record: Decision | None = None

    def _apply(self) -> None:
        if self.record is None:
            self.record = review.decide(self.store, self.comparison, self.decision, self.decided_by, self.comment,
                                        **self.edit)  # type: ignore[arg-type]
        else:
            self.record = review.redo_decision(self.store, self.record.id)
        self.context.decisions_applied([self.record])  # type: ignore[attr-defined]

    def _revert(self) -> None:
        assert self.record is not None
        self.record = review.undo_decision(self.store, self.record.id)
        self.context.decisions_reverted([self.record])  # type: ignore[attr-defined]


class DecideMany(StoreCommand):
    """The same decision on several comparisons ("Accept all agreed"), one undo step.

    Each decision is still its own transaction; if one is refused, those already made are undone
    before the error is raised, so nothing is half done.
    """

    def __init__(self, context: ReviewContext, comparisons: Sequence[Comparison], decision: str, decided_by: str,
                 comment: str = "", text: str = "") -> None:
        super().__init__(context, text or f"{UNDO_NAMES.get(decision, decision)} ×{len(comparisons)}")
        self.comparisons = list(comparisons)
        self.decision = decision
        self.decided_by = decided_by
        self.comment = comment
        self.records: list[Decision] = []

    def _apply(self) -> None:
        if not self.records:
            made: list[Decision] = []
            try:
                for comparison in self.comparisons:
                    made.append(review.decide(self.store, comparison, self.decision, self.decided_by, self.comment))
            except AnnotatorError:
                for record in reversed(made):
                    review.undo_decision(self.store, record.id)
                raise
            self.records = made
        else:
            self.records = [review.redo_decision(self.store, r.id) for r in self.records]
        self.context.decisions_applied(self.records)  # type: ignore[attr-defined]

    def _revert(self) -> None:
        self.records = [review.undo_decision(self.store, r.id) for r in reversed(self.records)][::-1]
        self.context.decisions_reverted(self.records)  # type: ignore[attr-defined]


class Reopen(StoreCommand):
    """Take back a standing decision (the comparison is open again); undo restores it."""

    def __init__(self, context: ReviewContext, decision: Decision) -> None:
        super().__init__(context, f"reopen ({UNDO_NAMES.get(decision.decision, decision.decision)})")
        self.record = decision

    def _apply(self) -> None:
        self.record = review.undo_decision(self.store, self.record.id)
        self.context.decisions_reverted([self.record])  # type: ignore[attr-defined]

    def _revert(self) -> None:
        self.record = review.redo_decision(self.store, self.record.id)
        self.context.decisions_applied([self.record])  # type: ignore[attr-defined]


__all__ = ["Decide", "DecideMany", "Reopen", "ReviewContext", "UNDO_NAMES"]
