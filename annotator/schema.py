"""The label schema: labels with colours, hotkeys and attributes, and the relation types between them."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from importlib import resources

from .errors import ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ATTRIBUTE_TYPES = ("choice", "text", "bool")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    type: str = "text"
    values: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    hotkey: str = ""
    description: str = ""
    attributes: tuple[AttributeSpec, ...] = ()

    def attribute(self, name: str) -> AttributeSpec | None:
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True)
class RelationType:
    name: str
    head: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class LabelSchema:
    labels: tuple[Label, ...]
    relations: tuple[RelationType, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    def label(self, name: str) -> Label:
        for label in self.labels:
            if label.name == name:
                return label
        known = ", ".join(self.names) or "none"
        raise ValidationError(f"unknown label {name!r}; this project's labels are {known}")

    def relation_type(self, name: str) -> RelationType:
        for relation in self.relations:
            if relation.name == name:
                return relation
        known = ", ".join(r.name for r in self.relations) or "none"
        raise ValidationError(f"unknown relation type {name!r}; this project's types are {known}")

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
    return LabelSchema(labels=labels, relations=relations)


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
    return Label(name, color.upper(), hotkey, str(raw.get("description", "")), attributes)


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
    return AttributeSpec(name, kind, values, str(raw.get("description", "")))


def _parse_relation(origin: str, raw: dict, labels: tuple[Label, ...]) -> RelationType:
    name = str(raw.get("name", "")).strip()
    if not name:
        raise ValidationError(f"{origin}: a relation type has no name")
    known = {label.name for label in labels}
    head, tail = tuple(raw.get("head", [])), tuple(raw.get("tail", []))
    for end in head + tail:
        if end not in known:
            raise ValidationError(f"{origin}: relation {name} names unknown label {end!r}")
    return RelationType(name, head, tail, str(raw.get("description", "")))


def _check_unique(origin: str, what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValidationError(f"{origin}: duplicate {what} {value!r}")
        seen.add(value)


def default_schema_text() -> str:
    return resources.files("annotator").joinpath("resources/default_schema.toml").read_text("utf-8")


def default_schema() -> LabelSchema:
    return parse_schema(default_schema_text(), "default schema")
