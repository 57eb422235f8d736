"""The label schema: labels with colours, hotkeys and attributes, and the relation types between them.

Each label, attribute, attribute value and relation type (and the schema as a whole) may carry a
``guideline``: Markdown text saying what to tag and where a span starts and ends. The guidelines
travel with the schema (the project's stored TOML, `annotator schema export|import`); a schema
without them still loads. docs/guidelines.md is made from the default schema's guidelines
(annotator/guidelines.py).
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass, field, replace

from . import assets
from .errors import ValidationError

ATTRIBUTE_TYPES = ("choice", "text", "bool")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Colours of labels added to a schema (the rest of the Okabe-Ito palette the default schema starts).
NEW_LABEL_COLORS = ("#CC79A7", "#0072B2", "#D55E00", "#F0E442", "#000000", "#999999")
NEW_LABEL_HOTKEYS = "123456789"


def new_label_style(colors: set[str], hotkeys: set[str]) -> tuple[str, str]:
    """(colour, hotkey) for a label added next to labels with these colours and hotkeys: the first
    palette colour not taken (the first one again when all are), the first free digit or none."""
    taken = {c.upper() for c in colors}
    free = [c for c in NEW_LABEL_COLORS if c not in taken] or list(NEW_LABEL_COLORS)
    return free[0], next((k for k in NEW_LABEL_HOTKEYS if k not in hotkeys), "")


@dataclass(frozen=True)
class AttributeSpec:
    """An attribute labels can carry: its name, type, allowed values and guideline."""

    name: str
    type: str = "text"
    values: tuple[str, ...] = ()
    description: str = ""
    guideline: str = ""
    value_guidelines: tuple[tuple[str, str], ...] = ()  # (value, Markdown) in the order of `values`

    def value_guideline(self, value: str) -> str:
        return next((text for name, text in self.value_guidelines if name == value), "")


@dataclass(frozen=True)
class Label:
    """A label of the schema: name, colour, hotkey, attributes and guideline."""

    name: str
    color: str
    hotkey: str = ""
    description: str = ""
    attributes: tuple[AttributeSpec, ...] = ()
    guideline: str = ""

    def attribute(self, name: str) -> AttributeSpec | None:
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True)
class RelationType:
    """A relation type: the labels its head and tail may have, and its guideline."""

    name: str
    head: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()
    description: str = ""
    guideline: str = ""

    def allows_head(self, label: str) -> bool:
        """An empty end allows any label."""
        return not self.head or label in self.head

    def allows_tail(self, label: str) -> bool:
        return not self.tail or label in self.tail

    def check_ends(self, head_label: str, tail_label: str, head_name: str = "head", tail_name: str = "tail") -> None:
        """The relation-type rule, in one place: each end must carry a label the type allows."""
        for label, allowed, side, name in ((head_label, self.head, "head", head_name), (tail_label, self.tail, "tail", tail_name)):
            if allowed and label not in allowed:
                raise ValidationError(f"{self.name} needs a {' or '.join(allowed)} as its {side}; {name} is a {label}")


@dataclass(frozen=True)
class LabelSchema:
    """A project's labels, relation types and general guideline."""

    labels: tuple[Label, ...]
    relations: tuple[RelationType, ...] = field(default=())
    guideline: str = ""  # what holds for every label (order of work, span rules)

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    def label(self, name: str) -> Label:
        for label in self.labels:
            if label.name == name:
                return label
        known = ", ".join(self.names) or "none"
        raise ValidationError(f"unknown label {name!r}; this project's labels are {known}")

    def resolve_label(self, name: str) -> str:
        """The schema's spelling of a label: "claim" finds CLAIM; unknown labels raise with the list."""
        if name in self.names:
            return name
        folded = [n for n in self.names if n.casefold() == name.casefold()]
        if len(folded) == 1:
            return folded[0]
        return self.label(name).name  # raises ValidationError listing the labels

    def resolve_relation_type(self, name: str) -> str:
        names = [r.name for r in self.relations]
        if name in names:
            return name
        folded = [n for n in names if n.casefold() == name.casefold()]
        if len(folded) == 1:
            return folded[0]
        return self.relation_type(name).name  # raises, listing the types

    def relation_type(self, name: str) -> RelationType:
        for relation in self.relations:
            if relation.name == name:
                return relation
        known = ", ".join(r.name for r in self.relations) or "none"
        raise ValidationError(f"unknown relation type {name!r}; this project's types are {known}")

    def attributes_that_fit(self, label_name: str, attributes: dict[str, object]) -> dict[str, object]:
        """The attributes that label ``label_name`` also has and whose values still fit (on a relabel)."""
        kept: dict[str, object] = {}
        for key, value in attributes.items():
            try:
                kept.update(self.validate_attributes(label_name, {key: value}))
            except ValidationError:
                continue
        return kept

    def validate_attributes(self, label_name: str, attributes: dict[str, object]) -> dict[str, object]:
        """Check attributes against the label's specs; returns them with bool values normalised."""
        label = self.label(label_name)
        checked: dict[str, object] = {}
        for key, value in attributes.items():
            spec = label.attribute(key)
            if spec is None:
                allowed = ", ".join(a.name for a in label.attributes) or "none"
                raise ValidationError(f"{label.name} has no attribute {key!r} (its attributes: {allowed})")
            checked[key] = _check_value(label.name, spec, value)
        return checked


def _check_value(label: str, spec: AttributeSpec, value: object) -> object:
    if spec.type == "choice":
        if value not in spec.values:
            raise ValidationError(
                f"{label}.{spec.name} must be one of {', '.join(spec.values)}; got {value!r}"
            )
        return value
    if spec.type == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("yes", "true", "1", "y"):
            return True
        if text in ("no", "false", "0", "n"):
            return False
        raise ValidationError(f"{label}.{spec.name} must be yes or no; got {value!r}")
    return str(value)


def parse_schema(text: str, origin: str = "schema") -> LabelSchema:
    """Read a schema from TOML, with a specific message for each mistake."""
    if sys.version_info >= (3, 11):  # imported here: `annotator list` opens a project without its schema
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{origin}: not valid TOML: {exc}") from None
    raw_labels = data.get("labels")
    if not isinstance(raw_labels, list) or not raw_labels:
        raise ValidationError(f"{origin}: needs at least one [[labels]] entry")
    labels = tuple(_parse_label(origin, i, raw) for i, raw in enumerate(raw_labels, 1))
    _check_unique(origin, "label name", [label.name for label in labels])
    _check_unique(origin, "hotkey", [label.hotkey for label in labels if label.hotkey])
    relations = tuple(_parse_relation(origin, raw, labels) for raw in data.get("relations", []))
    _check_unique(origin, "relation type", [r.name for r in relations])
    return LabelSchema(labels=labels, relations=relations, guideline=_text(origin, "the schema's guideline", data, "guideline"))


def _text(origin: str, what: str, raw: dict, key: str) -> str:
    """An optional text field (description, guideline): a string or absent."""
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise ValidationError(f"{origin}: {what} must be text (a TOML string); got {type(value).__name__}")
    return value


def _parse_label(origin: str, index: int, raw: dict) -> Label:
    name = str(raw.get("name", "")).strip()
    if not name:
        raise ValidationError(f"{origin}: label {index} has no name")
    color = str(raw.get("color", ""))
    if not _COLOR.match(color):
        raise ValidationError(f"{origin}: label {name} has colour {color!r}; expected #RRGGBB")
    hotkey = str(raw.get("hotkey", ""))
    if len(hotkey) > 1:
        raise ValidationError(f"{origin}: label {name} has hotkey {hotkey!r}; expected one key")
    attributes = tuple(_parse_attribute(origin, name, a) for a in raw.get("attributes", []))
    _check_unique(origin, f"attribute of {name}", [a.name for a in attributes])
    guideline = _text(origin, f"the guideline of {name}", raw, "guideline")
    return Label(name, color.upper(), hotkey, str(raw.get("description", "")), attributes, guideline)


def _parse_attribute(origin: str, label: str, raw: dict) -> AttributeSpec:
    name = str(raw.get("name", "")).strip()
    if not name:
        raise ValidationError(f"{origin}: an attribute of {label} has no name")
    kind = str(raw.get("type", "text"))
    if kind not in ATTRIBUTE_TYPES:
        raise ValidationError(
            f"{origin}: {label}.{name} has unknown type {kind!r}; expected one of {', '.join(ATTRIBUTE_TYPES)}"
        )
    values = tuple(str(v) for v in raw.get("values", []))
    if kind == "choice" and not values:
        raise ValidationError(f"{origin}: {label}.{name} is a choice with no values")
    guideline = _text(origin, f"the guideline of {label}.{name}", raw, "guideline")
    value_guidelines = _value_guidelines(origin, f"{label}.{name}", kind, values, raw.get("value_guidelines", {}))
    return AttributeSpec(name, kind, values, str(raw.get("description", "")), guideline, value_guidelines)


def _value_guidelines(origin: str, where: str, kind: str, values: tuple[str, ...], raw: object) -> tuple[tuple[str, str], ...]:
    """``value_guidelines = {value = "Markdown", ...}``: for a choice's values, or a bool's yes and no."""
    if not isinstance(raw, dict):
        raise ValidationError(f"{origin}: {where}.value_guidelines must be a table of value = text")
    allowed = values if kind == "choice" else ("yes", "no") if kind == "bool" else ()
    for value, text in raw.items():
        if value not in allowed:
            expected = f"one of {', '.join(allowed)}" if allowed else "none (a text attribute has no values)"
            raise ValidationError(f"{origin}: {where}.value_guidelines names value {value!r}; expected {expected}")
        if not isinstance(text, str):
            raise ValidationError(f"{origin}: the guideline of {where} = {value} must be text; got {type(text).__name__}")
    return tuple((value, raw[value]) for value in allowed if value in raw)


def _parse_relation(origin: str, raw: dict, labels: tuple[Label, ...]) -> RelationType:
    name = str(raw.get("name", "")).strip()
    if not name:
        raise ValidationError(f"{origin}: a relation type has no name")
    known = {label.name for label in labels}
    head, tail = tuple(raw.get("head", [])), tuple(raw.get("tail", []))
    for end in head + tail:
        if end not in known:
            raise ValidationError(f"{origin}: relation {name} names unknown label {end!r}")
    guideline = _text(origin, f"the guideline of relation {name}", raw, "guideline")
    return RelationType(name, head, tail, str(raw.get("description", "")), guideline)


def _check_unique(origin: str, what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValidationError(f"{origin}: duplicate {what} {value!r}")
        seen.add(value)


def schema_to_data(schema: LabelSchema) -> dict:
    """The schema as plain data in the TOML file's shape (empty fields left out)."""
    labels = []
    for label in schema.labels:
        entry: dict[str, object] = {"name": label.name, "color": label.color}
        if label.hotkey:
            entry["hotkey"] = label.hotkey
        if label.description:
            entry["description"] = label.description
        attributes = []
        for spec in label.attributes:
            attribute: dict[str, object] = {"name": spec.name, "type": spec.type}
            if spec.values:
                attribute["values"] = list(spec.values)
            if spec.description:
                attribute["description"] = spec.description
            if spec.guideline:
                attribute["guideline"] = spec.guideline
            if spec.value_guidelines:
                attribute["value_guidelines"] = dict(spec.value_guidelines)
            attributes.append(attribute)
        if label.guideline:
            entry["guideline"] = label.guideline
        if attributes:
            entry["attributes"] = attributes
        labels.append(entry)
    data: dict[str, object] = {"guideline": schema.guideline} if schema.guideline else {}
    data["labels"] = labels
    relations = []
    for relation in schema.relations:
        item: dict[str, object] = {"name": relation.name, "head": list(relation.head), "tail": list(relation.tail)}
        if relation.description:
            item["description"] = relation.description
        if relation.guideline:
            item["guideline"] = relation.guideline
        relations.append(item)
    if relations:
        data["relations"] = relations
    return data


SCHEMA_HEADER = (
    "# News Annotator label schema.\n"
    "# Labels: name, color (#RRGGBB), hotkey (one key), description, attributes (type choice/text/bool).\n"
    "# Relations: name, head and tail (label names; an empty list allows any label).\n"
    "# guideline (Markdown) on the schema, a label, an attribute or a relation; value_guidelines per value.\n\n"
)


def schema_to_toml(schema: LabelSchema) -> str:
    """The schema as TOML that `parse_schema` reads back into an equal schema."""
    import tomli_w

    data = schema_to_data(schema)
    # Multi-line strings keep guidelines readable, but tomli_w writes a "\r\n" in one as a bare
    # newline, which reads back as "\n": a schema with a carriage return anywhere is written with
    # one-line (escaped) strings, so that every text comes back exactly.
    return SCHEMA_HEADER + tomli_w.dumps(data, multiline_strings=not _has_carriage_return(data))


def _has_carriage_return(value: object) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_carriage_return(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_carriage_return(v) for v in value)
    return False


def renamed_label(schema: LabelSchema, old: str, new: str) -> LabelSchema:
    """The schema with label `old` called `new`, in the labels and in the relation types' ends."""
    schema.label(old)  # raises for an unknown label
    new = new.strip()
    if not new:
        raise ValidationError("a label needs a name")
    if new != old and new in schema.names:
        raise ValidationError(f"there is already a label {new}")
    labels = tuple(replace(label, name=new) if label.name == old else label for label in schema.labels)
    rename = lambda ends: tuple(new if end == old else end for end in ends)  # noqa: E731
    relations = tuple(replace(r, head=rename(r.head), tail=rename(r.tail)) for r in schema.relations)
    return replace(schema, labels=labels, relations=relations)


def without_labels(schema: LabelSchema, names: set[str]) -> LabelSchema:
    """The schema without the labels `names`; a relation type left with no label at one end goes too
    (an empty end would mean "any label", which is not what removing a label asks for)."""
    labels = tuple(label for label in schema.labels if label.name not in names)
    relations = []
    for relation in schema.relations:
        head = tuple(end for end in relation.head if end not in names)
        tail = tuple(end for end in relation.tail if end not in names)
        if (relation.head and not head) or (relation.tail and not tail):
            continue
        relations.append(replace(relation, head=head, tail=tail))
    return replace(schema, labels=labels, relations=tuple(relations))


def checked_schema(schema: LabelSchema, origin: str = "schema") -> LabelSchema:
    """Run every check of `parse_schema` on a schema built in code (e.g. by the schema editor)."""
    return parse_schema(schema_to_toml(schema), origin)


@functools.cache
def default_schema_text() -> str:
    """The default schema (resources/default_schema.toml) as TOML, read once (a project without a
    schema of its own asks for it on every check of a span)."""
    return assets.read_text("default_schema.toml")


def default_schema() -> LabelSchema:
    return parse_schema(default_schema_text(), "default schema")


def guideline_target(label: str | None = None, attribute: str | None = None, value: str | None = None,
                     relation: str | None = None) -> str:
    """How a guideline's place is named in messages and undo titles: "CLAIM.kind = quote"."""
    if relation:
        return f"relation {relation}"
    if not label:
        return "the general rules"
    return label + (f".{attribute}" if attribute else "") + (f" = {value}" if value is not None else "")


def with_guideline(schema: LabelSchema, text: str, *, label: str | None = None, attribute: str | None = None,
                   value: str | None = None, relation: str | None = None) -> LabelSchema:
    """The schema with one guideline replaced: the schema's own (no target), a label's, an attribute's,
    an attribute value's or a relation type's. Unknown targets raise with what there is."""
    if relation is not None:
        if label or attribute or value is not None:
            raise ValidationError("a relation type's guideline takes no label, attribute or value")
        found = schema.relation_type(relation)
        relations = tuple(replace(r, guideline=text) if r is found else r for r in schema.relations)
        return replace(schema, relations=relations)
    if label is None:
        if attribute or value is not None:
            raise ValidationError("an attribute's guideline needs its label")
        return replace(schema, guideline=text)
    target = schema.label(label)
    if attribute is None:
        if value is not None:
            raise ValidationError("a value's guideline needs its attribute")
        changed = replace(target, guideline=text)
    else:
        spec = target.attribute(attribute)
        if spec is None:
            known = ", ".join(a.name for a in target.attributes) or "none"
            raise ValidationError(f"{label} has no attribute {attribute!r} (its attributes: {known})")
        if value is None:
            spec = replace(spec, guideline=text)
        else:
            allowed = spec.values if spec.type == "choice" else ("yes", "no") if spec.type == "bool" else ()
            if value not in allowed:
                expected = ", ".join(allowed) if allowed else "none (a text attribute has no values)"
                raise ValidationError(f"{label}.{attribute} has no value {value!r} (its values: {expected})")
            guides = dict(spec.value_guidelines)
            guides[value] = text
            spec = replace(spec, value_guidelines=tuple((v, guides[v]) for v in allowed if guides.get(v)))
        changed = replace(target, attributes=tuple(spec if a.name == attribute else a for a in target.attributes))
    return replace(schema, labels=tuple(changed if l.name == label else l for l in schema.labels))
