"""Changing a project's label schema while annotations use it: renames, removals, imports, undo.

`Store.change_schema`, `Store.rename_label` and `Store.revert_schema_change` call these functions;
the CLI (`annotator schema import|rename`) and the GUI's schema editor both go through them.

Rules:

* A schema change is one transaction: the new schema text, the relabelled annotations and any
  tombstones are committed together or not at all.
* **Renaming** a label relabels every annotation with the old name (tombstones too, so that an
  undo of their deletion brings them back under the new name) and the relation types' head/tail
  lists. Live annotations get a new `updated` stamp, so the rename wins a later merge against a
  colleague's older copy.
* **Removing** a label that live annotations still use is refused, with the count, unless `force`:
  then those annotations are tombstoned with their relations (and relations of a relation type
  the new schema lacks). The `SchemaChange` returned lists every id tombstoned, so
  `revert_schema_change` can bring all of it back (the GUI's undo does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import ValidationError
from .schema import LabelSchema, checked_schema, parse_schema, schema_to_toml

if TYPE_CHECKING:  # pragma: no cover
    from .store import Store


@dataclass
class SchemaChange:
    """What one schema change did (enough to undo it)."""

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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def schema_conflicts(
    store: "Store", schema: LabelSchema, renames: dict[str, str] | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """Labels and relation types still in use (after `renames`) that `schema` does not have, with counts."""
    renames = renames or {}
    labels: dict[str, int] = {}
    for label, count in store.annotation_counts("label").items():
        name = renames.get(label, label)
        if name not in schema.names:
            labels[name] = labels.get(name, 0) + count
    known_types = {r.name for r in schema.relations}
    types = {
        row[0]: row[1]
        for row in store.db.conn.execute(
            "SELECT type, count(*) FROM relations WHERE deleted = 0 GROUP BY type ORDER BY type"
        )
        if row[0] not in known_types
    }
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
    store: "Store",
    new: LabelSchema | str,
    *,
    renames: dict[str, str] | None = None,
    force: bool = False,
    origin: str = "schema",
) -> SchemaChange:
    """Replace the project's schema (a `LabelSchema` or TOML text), renaming and tombstoning as needed."""
    if isinstance(new, str):
        schema, text = parse_schema(new, origin), new
    else:
        schema = checked_schema(new, origin)
        text = schema_to_toml(schema)
    renames = {old: name for old, name in (renames or {}).items() if old != name}
    old_schema = store.schema
    _check_renames(old_schema, schema, renames)
    labels, types = schema_conflicts(store, schema, renames)
    if (labels or types) and not force:
        parts = [f"label {name} (used by {_plural(n, 'annotation')})" for name, n in labels.items()]
        parts += [f"relation type {name} (used by {_plural(n, 'relation')})" for name, n in types.items()]
        raise SchemaInUseError(
            f"{origin} has no {', no '.join(parts)}; nothing was changed "
            "(rename the label in the schema, or use --force to delete those annotations and their relations)",
            labels,
            types,
        )
    before = store.schema_text()
    change = SchemaChange(before=before, after=text, renames=dict(renames))
    from .store import now

    stamp = now()
    with store.transaction() as db:
        conn = db.conn
        _relabel(conn, renames, stamp)
        if labels:
            marks = ", ".join("?" * len(labels))
            change.deleted_annotations = [
                row[0]
                for row in conn.execute(
                    f"SELECT id FROM annotations WHERE deleted = 0 AND label IN ({marks}) ORDER BY id", tuple(labels)
                )
            ]
        dead = change.deleted_annotations
        relation_ids: set[str] = set()
        for i in range(0, len(dead), 400):
            part = dead[i : i + 400]
            marks = ", ".join("?" * len(part))
            relation_ids.update(
                row[0]
                for row in conn.execute(
                    f"SELECT id FROM relations WHERE deleted = 0 AND (head IN ({marks}) OR tail IN ({marks}))",
                    (*part, *part),
                )
            )
        if types:
            marks = ", ".join("?" * len(types))
            relation_ids.update(
                row[0] for row in conn.execute(f"SELECT id FROM relations WHERE deleted = 0 AND type IN ({marks})", tuple(types))
            )
        change.deleted_relations = sorted(relation_ids)
        conn.executemany(
            "UPDATE annotations SET deleted = 1, updated = ? WHERE id = ?", [(stamp, i) for i in dead]
        )
        conn.executemany(
            "UPDATE relations SET deleted = 1, updated = ? WHERE id = ?", [(stamp, i) for i in change.deleted_relations]
        )
        _set_schema_meta(conn, text)
    store._schema = schema  # noqa: SLF001 - the store's cache of its parsed schema
    return change


def revert_schema_change(store: "Store", change: SchemaChange) -> None:
    """Undo `change`: the old schema text, the old label names, and everything it tombstoned back."""
    schema = parse_schema(change.before, "schema")
    from .store import now

    stamp = now()
    with store.transaction() as db:
        conn = db.conn
        conn.executemany(
            "UPDATE annotations SET deleted = 0, updated = ? WHERE id = ?",
            [(stamp, i) for i in change.deleted_annotations],
        )
        conn.executemany(
            "UPDATE relations SET deleted = 0, updated = ? WHERE id = ?",
            [(stamp, i) for i in change.deleted_relations],
        )
        _relabel(conn, {new: old for old, new in change.renames.items()}, stamp)
        _set_schema_meta(conn, change.before)
    store._schema = schema  # noqa: SLF001


def rename_label(store: "Store", old: str, new: str) -> SchemaChange:
    """Rename a label in the schema and on every annotation that has it, in one transaction."""
    from .schema import renamed_label

    new = new.strip()
    schema = renamed_label(store.schema, old, new)
    return change_schema(store, schema, renames={old: new})


def _relabel(conn, renames: dict[str, str], stamp: str) -> None:
    """Relabel annotations; in two steps through placeholder names, so that swaps (A<->B) work."""
    if not renames:
        return
    for number, old in enumerate(renames):
        conn.execute("UPDATE annotations SET label = ? WHERE label = ?", (f"\x00rename{number}", old))
    for number, new in enumerate(renames.values()):
        conn.execute(
            "UPDATE annotations SET label = ?, updated = CASE WHEN deleted = 0 THEN ? ELSE updated END WHERE label = ?",
            (new, stamp, f"\x00rename{number}"),
        )


def _set_schema_meta(conn, text: str) -> None:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (text,),
    )
