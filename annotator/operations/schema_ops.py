"""Changing a project's label schema while annotations use it: renames and removals.

* A schema change is one operation: the new schema text, the relabelled annotations and any
  tombstones are committed together, and undone together (`history.undo`).
* **Renaming** a label relabels every annotation with the old name (tombstones too, so that a later
  undo of their deletion brings them back under the new name) and the relation types' ends. Live
  annotations get a new `updated` stamp, so the rename wins a later merge against a colleague's
  older copy. Swaps (A <-> B) work: each row's new label comes from its old one.
* **Guidelines** (the Markdown texts of the schema) change like any other part of it:
  `set_guideline` replaces one of them as one undoable operation.
* **Removing** a label that live annotations still use is refused, with the count, unless `force`:
  then those annotations are tombstoned with their relations (and relations of a type the new
  schema lacks).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ValidationError
from ..schema import (
    LabelSchema,
    checked_schema,
    guideline_target,
    parse_schema,
    renamed_label,
    schema_to_toml,
    with_guideline,
)
from ..store import Changes, Store, now
from ..wording import plural
from .result import Done, who


@dataclass
class SchemaChange:
    """What one schema change did."""

    before: str  # schema text before the change
    after: str  # schema text after it
    renames: dict[str, str] = field(default_factory=dict)
    deleted_annotations: list[str] = field(default_factory=list)
    deleted_relations: list[str] = field(default_factory=list)


class SchemaInUseError(ValidationError):
    """The new schema lacks labels (or relation types) that live annotations (relations) use."""

    def __init__(self, message: str, labels: dict[str, int], relation_types: dict[str, int]) -> None:
        super().__init__(message)
        self.labels = labels
        self.relation_types = relation_types


def schema_conflicts(
    store: Store, schema: LabelSchema, renames: dict[str, str] | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """Labels and relation types still in use (after `renames`) that `schema` does not have, with counts."""
    renames = renames or {}
    labels: dict[str, int] = {}
    for label, count in store.annotation_counts("label").items():
        name = renames.get(label, label)
        if name not in schema.names:
            labels[name] = labels.get(name, 0) + count
    known_types = {r.name for r in schema.relations}
    types = {name: n for name, n in store.relation_type_counts().items() if name not in known_types}
    return labels, types


def _check_renames(old_schema: LabelSchema, schema: LabelSchema, renames: dict[str, str]) -> None:
    targets = list(renames.values())
    for old, new in renames.items():
        if old not in old_schema.names:
            raise ValidationError(f"cannot rename {old}: the project has no such label")
        if new not in schema.names:
            raise ValidationError(f"cannot rename {old} to {new}: the new schema has no label {new}")
        if old != new and old in schema.names and old not in targets:
            raise ValidationError(f"cannot rename {old} to {new}: the new schema still has a label {old}")
    if len(set(targets)) != len(targets):
        raise ValidationError("two labels cannot be renamed to the same name")


def change_schema(
    store: Store,
    new: LabelSchema | str,
    *,
    annotator: str,
    renames: dict[str, str] | None = None,
    force: bool = False,
    origin: str = "schema",
    title: str = "edit label schema",
) -> Done[SchemaChange]:
    """Replace the project's schema (a `LabelSchema` or TOML text), renaming and tombstoning as needed."""
    if isinstance(new, str):
        schema, text = parse_schema(new, origin), new
    else:
        schema = checked_schema(new, origin)
        text = schema_to_toml(schema)
    renames = {old: name for old, name in (renames or {}).items() if old != name}
    _check_renames(store.schema, schema, renames)
    labels, types = schema_conflicts(store, schema, renames)
    if (labels or types) and not force:
        parts = [f"label {name} (used by {plural(n, 'annotation')})" for name, n in labels.items()]
        parts += [f"relation type {name} (used by {plural(n, 'relation')})" for name, n in types.items()]
        raise SchemaInUseError(
            f"{origin} has no {', no '.join(parts)}; nothing was changed "
            "(rename the label in the schema, or use --force to delete those annotations and their relations)",
            labels,
            types,
        )
    change = SchemaChange(before=store.schema_text(), after=text, renames=dict(renames))
    if text == change.before and not renames:
        return Done(change, Changes())
    stamp = now()
    summary = title
    if renames:
        summary = "rename " + ", ".join(f"{old} → {new}" for old, new in renames.items())
    with store.operation("schema", who(annotator), title=title, summary=summary) as op:
        relabelled = {old: list(store.annotations_by_id(store.ids_with_label(old)).values()) for old in renames}
        for old, rows in relabelled.items():  # read all first: a swap (A <-> B) must not relabel twice
            op.update_many("annotations", [
                (a.id, {"label": renames[old], "updated": a.updated if a.deleted else stamp}) for a in rows
            ])
        change.deleted_annotations = store.live_ids_with_labels(labels)
        change.deleted_relations = store.live_relation_ids(ends=change.deleted_annotations, types=types)
        op.update_many("annotations", [(i, {"deleted": 1, "updated": stamp}) for i in change.deleted_annotations])
        op.update_many("relations", [(i, {"deleted": 1, "updated": stamp}) for i in change.deleted_relations])
        op.set_meta("schema", text)
    return Done(change, op.changes)


def rename_label(store: Store, old: str, new: str, *, annotator: str) -> Done[SchemaChange]:
    """Rename a label in the schema and on every annotation that has it, in one operation."""
    new = new.strip()
    schema = renamed_label(store.schema, old, new)
    return change_schema(store, schema, annotator=annotator, renames={old: new}, title=f"rename {old} → {new}")


def set_guideline(store: Store, text: str, *, annotator: str, label: str | None = None, attribute: str | None = None,
                  value: str | None = None, relation: str | None = None) -> Done[SchemaChange]:
    """Replace one guideline (see `schema.with_guideline` for the targets) as one undoable schema change."""
    schema = with_guideline(store.schema, text, label=label, attribute=attribute, value=value, relation=relation)
    title = f"edit the guideline of {guideline_target(label, attribute, value, relation)}"
    return change_schema(store, schema, annotator=annotator, title=title)
