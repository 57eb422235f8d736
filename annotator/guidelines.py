"""The annotation guidelines as Markdown, assembled from the guideline texts of a label schema.

The texts live in one place, the schema (resources/default_schema.toml for the default one);
this module only arranges them: the whole document (docs/guidelines.md is this module's output
for the default schema, `python -m annotator.guidelines > docs/guidelines.md`; a test fails when
they disagree), one label's section (the window's Guidelines pane and F2) and a short summary
(the label buttons' tooltips).
"""

from __future__ import annotations

import sys

from .schema import AttributeSpec, Label, LabelSchema, RelationType, default_schema, parse_schema

GENERATED_NOTE = (
    "<!-- Generated from resources/default_schema.toml by `python -m annotator.guidelines`: "
    "edit the schema's guideline texts, not this file. -->"
)


def guidelines_markdown(schema: LabelSchema, title: str = "Annotation guidelines", note: str = GENERATED_NOTE) -> str:
    """The whole guidelines document: general rules, a table of the labels, each label, the relations."""
    parts = [f"# {title}", note] if note else [f"# {title}"]
    parts.append(_glance(schema))
    if schema.guideline.strip():
        parts += ["## General rules", schema.guideline.strip()]
    parts += [label_markdown(label, level=2) for label in schema.labels]
    if schema.relations:
        parts.append("## Relations")
        parts += [relation_markdown(relation, level=3) for relation in schema.relations]
    return "\n\n".join(parts) + "\n"


def _glance(schema: LabelSchema) -> str:
    rows = ["| Label | Key | What it is |", "| --- | --- | --- |"]
    for label in schema.labels:
        rows.append(f"| {label.name} | {label.hotkey or '–'} | {_cell(label.description)} |")
    return "\n".join(rows)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def label_markdown(label: Label, level: int = 2) -> str:
    """One label: its description, its guideline (whose own headings sit one level below) and attributes."""
    head = "#" * level
    parts = [f"{head} {label.name}"]
    if label.description:
        parts.append(f"*{label.description}*")
    if label.guideline.strip():
        parts.append(_demoted(label.guideline.strip(), level))
    if label.attributes:
        parts.append(f"{head}# Attributes of {label.name}")
        parts += [attribute_markdown(spec, level + 2) for spec in label.attributes]
    return "\n\n".join(parts)


def attribute_markdown(spec: AttributeSpec, level: int = 4) -> str:
    kinds = {"choice": " / ".join(spec.values), "bool": "yes / no", "text": "free text"}
    parts = [f"{'#' * level} {spec.name} ({kinds.get(spec.type, spec.type)})"]
    if spec.description:
        parts.append(f"*{spec.description}*")
    if spec.guideline.strip():
        parts.append(spec.guideline.strip())
    items = [_item(value, text) for value, text in spec.value_guidelines if text.strip()]
    if items:
        parts.append("\n".join(items))
    return "\n\n".join(parts)


def _item(value: str, text: str) -> str:
    lines = text.strip().splitlines()
    return "\n".join([f"- **{value}**: {lines[0]}"] + [f"  {line}" if line.strip() else "" for line in lines[1:]])


def relation_markdown(relation: RelationType, level: int = 3) -> str:
    ends = f"{' or '.join(relation.head) or 'any label'} → {' or '.join(relation.tail) or 'any label'}"
    parts = [f"{'#' * level} {relation.name} ({ends})"]
    if relation.description:
        parts.append(f"*{relation.description}*")
    if relation.guideline.strip():
        parts.append(_demoted(relation.guideline.strip(), level))
    return "\n\n".join(parts)


def _demoted(markdown: str, level: int) -> str:
    """The guideline's own headings ("### The span") placed just below a heading of ``level``.

    Guideline texts use level-3 headings for their sections; a fenced code block is left alone.
    """
    shift = level + 1 - 3
    if shift == 0:
        return markdown
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("#"):
            hashes = len(line) - len(line.lstrip("#"))
            line = "#" * max(1, min(6, hashes + shift)) + line[hashes:]
        out.append(line)
    return "\n".join(out)


def label_summary(label: Label) -> str:
    """A short Markdown text for a tooltip: the description and the guideline's first paragraph."""
    parts = [f"**{label.name}**" + (f": {label.description}" if label.description else "")]
    first = first_paragraph(label.guideline)
    if first:
        parts.append(first)
    return "\n\n".join(parts)


def first_paragraph(markdown: str) -> str:
    """The text up to the first blank line or heading, on one line."""
    lines: list[str] = []
    for line in markdown.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            break
        lines.append(line.strip())
    return " ".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m annotator.guidelines [SCHEMA.toml]`: print the guidelines of a schema (default: the default one)."""
    args = sys.argv[1:] if argv is None else argv
    if args:
        with open(args[0], encoding="utf-8") as handle:
            schema = parse_schema(handle.read(), args[0])
        text = guidelines_markdown(schema, note="")
    else:
        text = guidelines_markdown(default_schema())
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover - the module's command line
    raise SystemExit(main())
