"""Undoable edits: each QUndoCommand is one Store call (one committed transaction) in each direction.

The rule that keeps the undo stack and the project file in step:

* a command is pushed only after its first store write has succeeded: `push(stack, command)` runs the
  write, and if it raises (a locked project, a bad span), nothing is pushed and the error goes to the
  caller; QUndoStack.push then calls `redo()`, which knows the write is already done;
* when a later undo or redo fails in the store, `undo_safely` / `redo_safely` step the stack back so
  that its index again says what the file holds, and return the error for the UI to show.

Commands tell the UI what changed through an `EditContext` (the main window): the view and the
panels redraw from the annotation as the store returned it, never from what the command assumed.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack

from ..errors import AnnotatorError
from ..model import Annotation, Relation
from ..schema import LabelSchema
from ..schema_changes import SchemaChange
from ..store import Store

NOTE_COMMAND_ID = 1001


class EditContext(Protocol):
    """What a command needs from the window around it."""

    store: Store

    def annotation_stored(self, annotation: Annotation) -> None:
        """The annotation was added, restored or changed: draw it as given."""

    def annotation_removed(self, annotation: Annotation) -> None:
        """The annotation is now deleted (a tombstone): take it off the screen."""

    def status_stored(self, article_id: str, status: str) -> None:
        """The article's status changed."""

    def relation_stored(self, relation: Relation) -> None:
        """The relation was added or restored: draw it."""

    def relation_removed(self, relation: Relation) -> None:
        """The relation is now deleted (a tombstone): take it off the screen."""

    def article_note_stored(self, article_id: str, note: str) -> None:
        """The article's own note changed."""

    def schema_stored(self) -> None:
        """The label schema changed (and with it perhaps labels and tombstones): redraw everything."""


class StoreCommand(QUndoCommand):
    """Base: subclasses implement `_apply()` and `_revert()`; both may raise AnnotatorError."""

    def __init__(self, context: EditContext, text: str) -> None:
        super().__init__(text)
        self.context = context
        self.applied = False  # the store holds this command's effect
        self.error: AnnotatorError | None = None
        self._skip = False  # the next redo()/undo() call is bookkeeping only

    @property
    def store(self) -> Store:
        return self.context.store

    def first_apply(self) -> None:
        """The write done before pushing; raises if the store refuses it."""
        self._apply()
        self.applied = True
        self._skip = True  # QUndoStack.push calls redo() right away

    def redo(self) -> None:  # noqa: D401 - Qt override
        if self._skip:
            self._skip = False
            return
        self.error = None
        try:
            self._apply()
            self.applied = True
        except AnnotatorError as exc:
            self.error = exc

    def undo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self.error = None
        try:
            self._revert()
            self.applied = False
        except AnnotatorError as exc:
            self.error = exc

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError


def push(stack: QUndoStack, command: StoreCommand) -> None:
    """Do the command's first store write, then put it on the stack. Raises (and pushes nothing) on failure."""
    command.first_apply()
    stack.push(command)


def _current(stack: QUndoStack, offset: int) -> StoreCommand | None:
    index = stack.index() + offset
    if 0 <= index < stack.count():
        command = stack.command(index)
        if isinstance(command, StoreCommand):
            return command
    return None


def undo_safely(stack: QUndoStack) -> AnnotatorError | None:
    """Undo the top command; if the store refused, step forward again so stack and file agree."""
    command = _current(stack, -1)
    if command is None:
        stack.undo()
        return None
    stack.undo()
    if command.error is None:
        return None
    error = command.error
    command._skip = True
    stack.redo()
    return error


def redo_safely(stack: QUndoStack) -> AnnotatorError | None:
    """Redo the next command; if the store refused, step back again so stack and file agree."""
    command = _current(stack, 0)
    if command is None:
        stack.redo()
        return None
    stack.redo()
    if command.error is None:
        return None
    error = command.error
    command._skip = True
    stack.undo()
    return error


class AddAnnotation(StoreCommand):
    """Tag a span. First redo adds the row; undo tombstones it; a later redo restores the same id."""

    def __init__(
        self,
        context: EditContext,
        article_id: str,
        start: int,
        end: int,
        label: str,
        *,
        annotator: str,
        attributes: dict[str, object] | None = None,
        note: str = "",
    ) -> None:
        super().__init__(context, f"tag {label}")
        self.article_id = article_id
        self.start, self.end, self.label = start, end, label
        self.annotator = annotator
        self.attributes = dict(attributes or {})
        self.note = note
        self.annotation: Annotation | None = None
        self.relation_ids: list[str] = []

    def _apply(self) -> None:
        if self.annotation is None:
            self.annotation = self.store.add_annotation(
                self.article_id,
                self.start,
                self.end,
                self.label,
                annotator=self.annotator,
                attributes=self.attributes,
                note=self.note,
            )
        else:
            self.store.restore_annotation(self.annotation.id, self.relation_ids)
            self.annotation = self.store.get_annotation(self.annotation.id)
        self.context.annotation_stored(self.annotation)
        _relations_stored(self.context, self.relation_ids)

    def _revert(self) -> None:
        assert self.annotation is not None
        self.relation_ids = self.store.delete_annotation(self.annotation.id)
        self.annotation = self.store.get_annotation(self.annotation.id)
        _relations_removed(self.context, self.relation_ids)
        self.context.annotation_removed(self.annotation)


def _relations_stored(context: EditContext, relation_ids: list[str]) -> None:
    for relation_id in relation_ids:
        context.relation_stored(context.store.get_relation(relation_id))


def _relations_removed(context: EditContext, relation_ids: list[str]) -> None:
    for relation_id in relation_ids:
        context.relation_removed(context.store.get_relation(relation_id))


class DeleteAnnotation(StoreCommand):
    """Delete an annotation (a tombstone, with its relations); undo restores both."""

    def __init__(self, context: EditContext, annotation: Annotation) -> None:
        super().__init__(context, f"delete {annotation.label}")
        self.annotation = annotation
        self.relation_ids: list[str] = []

    def _apply(self) -> None:
        self.relation_ids = self.store.delete_annotation(self.annotation.id)
        self.annotation = self.store.get_annotation(self.annotation.id)
        _relations_removed(self.context, self.relation_ids)
        self.context.annotation_removed(self.annotation)

    def _revert(self) -> None:
        self.store.restore_annotation(self.annotation.id, self.relation_ids)
        self.annotation = self.store.get_annotation(self.annotation.id)
        self.context.annotation_stored(self.annotation)
        _relations_stored(self.context, self.relation_ids)


class UpdateAnnotation(StoreCommand):
    """Change some fields of an annotation; undo writes the fields back as they were."""

    def __init__(self, context: EditContext, before: Annotation, text: str, **changes: object) -> None:
        super().__init__(context, text)
        self.before = before
        self.changes = changes
        self.after: Annotation | None = None

    def _reverse(self) -> dict[str, object]:
        reverse: dict[str, object] = {}
        if "label" in self.changes:
            reverse["label"] = self.before.label
            reverse["attributes"] = dict(self.before.attributes)  # a relabel may drop attributes
        if "attributes" in self.changes:
            reverse["attributes"] = dict(self.before.attributes)
        if "start" in self.changes or "end" in self.changes:
            reverse["start"], reverse["end"] = self.before.start, self.before.end
        if "note" in self.changes:
            reverse["note"] = self.before.note
        return reverse

    def _apply(self) -> None:
        self.after = self.store.update_annotation(self.before.id, **self.changes)  # type: ignore[arg-type]
        self.context.annotation_stored(self.after)

    def _revert(self) -> None:
        restored = self.store.update_annotation(self.before.id, **self._reverse())  # type: ignore[arg-type]
        self.context.annotation_stored(restored)


class ChangeLabel(UpdateAnnotation):
    def __init__(self, context: EditContext, before: Annotation, label: str) -> None:
        super().__init__(context, before, f"relabel {before.label} → {label}", label=label)


class ChangeBounds(UpdateAnnotation):
    def __init__(self, context: EditContext, before: Annotation, start: int, end: int) -> None:
        super().__init__(context, before, f"resize {before.label}", start=start, end=end)


class ChangeAttributes(UpdateAnnotation):
    def __init__(self, context: EditContext, before: Annotation, attributes: dict[str, object]) -> None:
        super().__init__(context, before, f"edit {before.label} attributes", attributes=dict(attributes))


class ChangeNote(UpdateAnnotation):
    """Note edits of the same annotation in a row merge into one undo step."""

    def __init__(self, context: EditContext, before: Annotation, note: str) -> None:
        super().__init__(context, before, f"edit {before.label} note", note=note)

    def id(self) -> int:  # noqa: A003 - Qt override
        return NOTE_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, ChangeNote) or other.before.id != self.before.id:
            return False
        self.changes = dict(other.changes)
        self.after = other.after
        return True


class SetStatus(StoreCommand):
    """Mark an article done / in progress / to do."""

    def __init__(self, context: EditContext, article_id: str, before: str, after: str) -> None:
        super().__init__(context, f"mark {after.replace('_', ' ')}")
        self.article_id = article_id
        self.before, self.after = before, after

    def _apply(self) -> None:
        self.store.set_article_status(self.article_id, self.after)
        self.context.status_stored(self.article_id, self.after)

    def _revert(self) -> None:
        self.store.set_article_status(self.article_id, self.before)
        self.context.status_stored(self.article_id, self.before)


class AddRelation(StoreCommand):
    """Link two annotations (e.g. a claim attributed_to its source); undo tombstones the relation."""

    def __init__(self, context: EditContext, head: str, tail: str, type_: str, *, annotator: str) -> None:
        super().__init__(context, f"link {type_.replace('_', ' ')}")
        self.head, self.tail, self.type = head, tail, type_
        self.annotator = annotator
        self.relation: Relation | None = None

    def _apply(self) -> None:
        if self.relation is None:
            self.relation = self.store.add_relation(self.head, self.tail, self.type, annotator=self.annotator)
        else:
            self.store.set_relation_deleted(self.relation.id, False)
            self.relation = self.store.get_relation(self.relation.id)
        self.context.relation_stored(self.relation)

    def _revert(self) -> None:
        assert self.relation is not None
        self.store.set_relation_deleted(self.relation.id, True)
        self.relation = self.store.get_relation(self.relation.id)
        self.context.relation_removed(self.relation)


class DeleteRelation(StoreCommand):
    """Remove a link (a tombstone); undo brings the same relation back."""

    def __init__(self, context: EditContext, relation: Relation) -> None:
        super().__init__(context, f"unlink {relation.type.replace('_', ' ')}")
        self.relation = relation

    def _apply(self) -> None:
        self.store.set_relation_deleted(self.relation.id, True)
        self.relation = self.store.get_relation(self.relation.id)
        self.context.relation_removed(self.relation)

    def _revert(self) -> None:
        self.store.set_relation_deleted(self.relation.id, False)
        self.relation = self.store.get_relation(self.relation.id)
        self.context.relation_stored(self.relation)


class SetArticleNote(StoreCommand):
    """The note on the article as a whole."""

    def __init__(self, context: EditContext, article_id: str, before: str, after: str) -> None:
        super().__init__(context, "edit article note" if after else "remove article note")
        self.article_id = article_id
        self.before, self.after = before, after

    def _apply(self) -> None:
        self.store.set_article_note(self.article_id, self.after)
        self.context.article_note_stored(self.article_id, self.after)

    def _revert(self) -> None:
        self.store.set_article_note(self.article_id, self.before)
        self.context.article_note_stored(self.article_id, self.before)


class EditSchema(StoreCommand):
    """Replace the label schema (renames relabel annotations; removed labels' annotations are
    tombstoned, which the user has confirmed). Undo restores the old schema, names and annotations."""

    def __init__(
        self, context: EditContext, schema: LabelSchema, renames: dict[str, str] | None = None, text: str = "edit label schema"
    ) -> None:
        super().__init__(context, text)
        self.schema = schema
        self.renames = dict(renames or {})
        self.change: SchemaChange | None = None

    def _apply(self) -> None:
        if self.change is None:
            self.change = self.store.change_schema(self.schema, renames=self.renames, force=True)
        else:
            self.change = self.store.change_schema(self.change.after, renames=self.change.renames, force=True)
        self.context.schema_stored()

    def _revert(self) -> None:
        assert self.change is not None
        self.store.revert_schema_change(self.change)
        self.context.schema_stored()
