"""Growing the project's label schema with what an imported file uses (`--extend-schema`).

A foreign file names its own labels, attribute values and relation types. Mapping each one by hand
(`--label-map`, `--relation-map`) is the way to bring them onto the project's; with the schema
extension they are added instead, while the file is read, inside the import's operation: the new
schema text is written with the import's rows (`Recorder.set_meta("schema", ...)`, as any schema
change), so `annotator undo` takes the import and the schema change back together.

What is added:

* a label the schema does not know (casefolded, as labels are matched), with the next free colour
  of the palette and the next free digit as hotkey (`schema.new_label_style`, the schema editor's
  rule);
* a value of a choice attribute that the attribute does not list, appended to its values; an
  attribute a label does not have, as a choice attribute of the values seen (a bool attribute when
  the file's values are true/false, as brat's binary attributes are);
* a relation type the schema does not know, with the labels seen at its ends (head and tail) as its
  allowed ends, widened as more relations of that type are read.

Existing labels, attributes and relation types are never changed otherwise: a relation whose ends
an existing type does not allow is still reported and left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..schema import AttributeSpec, Label, LabelSchema, RelationType, checked_schema, new_label_style, schema_to_toml


@dataclass
class SchemaGrowth:
    """The schema as it grows while a file is read; `changed` once anything was added."""

    schema: LabelSchema
    labels: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # "LABEL.attribute=value" (and new attributes)
    relation_types: list[str] = field(default_factory=list)
    written: str = ""  # the schema text last written to the project

    @property
    def changed(self) -> bool:
        return bool(self.labels or self.values or self.relation_types)

    def add_label(self, name: str) -> str:
        colour, hotkey = new_label_style({label.color for label in self.schema.labels},
                                         {label.hotkey for label in self.schema.labels})
        self.schema = replace(self.schema, labels=(*self.schema.labels, Label(name, colour, hotkey)))
        self.labels.append(name)
        return name

    def add_attribute_value(self, label_name: str, key: str, value: object) -> bool:
        """Make `key=value` valid for the label, if the schema can hold it; whether it was added."""
        label = self.schema.label(label_name)
        spec = label.attribute(key)
        if spec is None:
            if isinstance(value, bool):
                spec = AttributeSpec(key, "bool")
            elif isinstance(value, str) and value.strip():
                spec = AttributeSpec(key, "choice", (value,))
            else:
                return False
            attributes = (*label.attributes, spec)
            self.values.append(f"{label_name}.{key}" + (f"={value}" if spec.type == "choice" else " (yes/no)"))
        elif spec.type == "choice" and isinstance(value, str) and value.strip() and value not in spec.values:
            attributes = tuple(replace(a, values=(*a.values, value)) if a.name == key else a for a in label.attributes)
            self.values.append(f"{label_name}.{key}={value}")
        else:
            return False
        new_label = replace(label, attributes=attributes)
        self.schema = replace(self.schema, labels=tuple(new_label if x.name == label_name else x for x in self.schema.labels))
        return True

    def relation_type(self, name: str, head_label: str | None, tail_label: str | None) -> RelationType:
        """The type `name` (added when new), allowing the given end labels if it was added here."""
        known = next((r for r in self.schema.relations if r.name == name), None)
        if known is not None and name not in self.relation_types:
            return known
        head = tuple(dict.fromkeys((*(known.head if known else ()), *((head_label,) if head_label else ()))))
        tail = tuple(dict.fromkeys((*(known.tail if known else ()), *((tail_label,) if tail_label else ()))))
        grown = RelationType(name, head, tail)
        if known is None:
            self.relation_types.append(name)
            self.schema = replace(self.schema, relations=(*self.schema.relations, grown))
        elif grown != known:
            self.schema = replace(self.schema, relations=tuple(grown if r.name == name else r for r in self.schema.relations))
        return grown

    def text_to_write(self) -> str | None:
        """The schema's TOML when it changed since it was last written (checked like any schema)."""
        if not self.changed:
            return None
        text = schema_to_toml(checked_schema(self.schema, "the extended schema"))
        if text == self.written:
            return None
        self.written = text
        return text

    def summary(self) -> list[str]:
        lines = []
        if self.labels:
            lines.append(f"labels added to the schema: {', '.join(self.labels)}")
        if self.values:
            lines.append(f"attributes and values added to the schema: {', '.join(self.values)}")
        if self.relation_types:
            described = [f"{r.name} ({' or '.join(r.head) or 'any'} → {' or '.join(r.tail) or 'any'})"
                         for r in self.schema.relations if r.name in self.relation_types]
            lines.append(f"relation types added to the schema: {', '.join(described)}")
        return lines
