"""What every operation returns: its value and what it changed (the `Changes` the views apply)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import ValidationError
from ..store import Changes
from ..wording import elide  # noqa: F401 - the operations' summaries use it from here

T = TypeVar("T")


@dataclass
class Done(Generic[T]):
    value: T
    changes: Changes

    @property
    def op_id(self) -> str:
        """The journal entry of the operation ("" when it changed nothing)."""
        return self.changes.op_id


class DuplicateAnnotation(ValidationError):
    """The same span (article, start, end, label, annotator) is already tagged; `existing` is its id."""

    def __init__(self, message: str, existing: str) -> None:
        super().__init__(message)
        self.existing = existing


def who(annotator: str) -> str:
    name = (annotator or "").strip()
    if not name:
        raise ValidationError("an edit needs the name of who makes it (annotator config NAME)")
    return name
