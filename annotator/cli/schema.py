"""`annotator schema show|export|import|rename`: the project's label schema, as TOML.

`schema show --json` gives every field, the guidelines included (a ``guideline`` per label,
attribute and relation type, ``value_guidelines`` per attribute); `--markdown` the guidelines
document (what docs/guidelines.md is for the default schema).

A thin layer over annotator/operations/schema_ops.py, which the window's schema editor calls too.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from ..errors import AnnotatorError, ValidationError
from ..schema import LabelSchema, default_schema, schema_to_toml
from .env import Env, me, pass_env
from .output import err, plural


# -- schema ------------------------------------------------------------------------------------


@click.group("schema")
def schema_group() -> None:
    """Show, export, import or edit the project's label schema (TOML).

    \b
    Examples:
      annotator schema show
      annotator schema export labels.toml
      annotator schema import labels.toml
      annotator schema rename CAPTION PHOTO
    """


def _schema_and_counts(env: Env) -> tuple[LabelSchema, dict[str, int], dict[str, int]]:
    if not env.project.exists():
        return default_schema(), {}, {}
    store = env.store(readonly=True)
    return store.schema, store.annotation_counts("label"), store.relation_type_counts()


@schema_group.command("show")
@click.option("--toml", "as_toml", is_flag=True, help="Print the schema as TOML (what `schema export -` writes).")
@click.option("--json", "as_json", is_flag=True, help="Print every field as JSON, each label's guideline included.")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the annotation guidelines as Markdown.")
@pass_env
def schema_show(env: Env, as_toml: bool, as_json: bool, as_markdown: bool) -> None:
    """Show the labels (colour, hotkey, attributes, how many annotations use each) and relation types."""
    if as_toml + as_json + as_markdown > 1:
        raise click.UsageError("choose one of --toml, --json and --markdown")
    schema, label_counts, relation_counts = _schema_and_counts(env)
    if as_toml:
        click.echo(schema_to_toml(schema), nl=False)
        return
    if as_json:
        click.echo(json.dumps(_schema_json(schema, label_counts, relation_counts), ensure_ascii=False, indent=2))
        return
    if as_markdown:
        from ..guidelines import guidelines_markdown

        click.echo(guidelines_markdown(schema, note=""), nl=False)
        return
    click.secho(f"Labels ({len(schema.labels)})", bold=True)
    width = max(len(label.name) for label in schema.labels)
    for label in schema.labels:
        key = f"key {label.hotkey}" if label.hotkey else "no key"
        used = plural(label_counts.get(label.name, 0), "annotation")
        click.echo(f"  {label.name:<{width}}  {label.color}  {key:<6}  {used}")
        if label.description:
            click.echo(f"  {'':<{width}}  {label.description}")
        attr_width = max((len(a.name) for a in label.attributes), default=0)
        for spec in label.attributes:
            kind = f"choice: {', '.join(spec.values)}" if spec.type == "choice" else spec.type
            extra = f"  ({spec.description})" if spec.description else ""
            click.echo(f"  {'':<{width}}    {spec.name:<{attr_width}}  {kind}{extra}")
    unused = sorted(set(label_counts) - set(schema.names))
    if unused:
        click.echo(f"  (not in the schema, still used: {', '.join(f'{n} ({label_counts[n]})' for n in unused)})")
    click.echo()
    click.secho(f"Relation types ({len(schema.relations)})", bold=True)
    type_width = max((len(r.name) for r in schema.relations), default=0)
    for relation in schema.relations:
        ends = f"{' | '.join(relation.head) or 'any'} -> {' | '.join(relation.tail) or 'any'}"
        used = plural(relation_counts.get(relation.name, 0), "relation")
        click.echo(f"  {relation.name:<{type_width}}  {ends}  {used}")
        if relation.description:
            click.echo(f"  {'':<{type_width}}  {relation.description}")
    guided = [label.name for label in schema.labels if label.guideline.strip()]
    click.echo()
    if guided:
        click.echo(f"Guidelines for {', '.join(guided)}: annotator schema show --markdown (or --json)")
    else:
        click.echo("No guidelines in this schema (a `guideline` text per label in the TOML adds them)")


def _schema_json(schema: LabelSchema, label_counts: dict[str, int], relation_counts: dict[str, int]) -> dict:
    """Every field of the schema, the guidelines included, and how many annotations and relations use each."""
    return {
        "guideline": schema.guideline,
        "labels": [
            {
                "name": label.name,
                "color": label.color,
                "hotkey": label.hotkey,
                "description": label.description,
                "guideline": label.guideline,
                "annotations": label_counts.get(label.name, 0),
                "attributes": [
                    {
                        "name": spec.name,
                        "type": spec.type,
                        "values": list(spec.values),
                        "description": spec.description,
                        "guideline": spec.guideline,
                        "value_guidelines": dict(spec.value_guidelines),
                    }
                    for spec in label.attributes
                ],
            }
            for label in schema.labels
        ],
        "relations": [
            {
                "name": relation.name,
                "head": list(relation.head),
                "tail": list(relation.tail),
                "description": relation.description,
                "guideline": relation.guideline,
                "relations": relation_counts.get(relation.name, 0),
            }
            for relation in schema.relations
        ],
    }


@schema_group.command("export")
@click.argument("file", metavar="FILE")
@pass_env
def schema_export(env: Env, file: str) -> None:
    """Write the schema as TOML to FILE (- for standard output).

    The file is replaced only once it is completely written.
    """
    schema, _labels, _relations = _schema_and_counts(env)
    text = schema_to_toml(schema)
    if file == "-":
        click.echo(text, nl=False)
        return
    path = Path(file)
    _write_atomically(path, text)
    err(f"wrote the schema ({plural(len(schema.labels), 'label')}, {plural(len(schema.relations), 'relation type')}) to {path}")


def _write_atomically(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AnnotatorError(f"{path}: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@schema_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force", is_flag=True,
    help="Import even if the schema lacks labels still in use: their annotations (and relations) are deleted.",
)
@click.option(
    "--rename", "renames", multiple=True, metavar="OLD=NEW",
    help="Label OLD of the project is called NEW in FILE: its annotations are relabelled (repeatable).",
)
@pass_env
def schema_import(env: Env, file: Path, force: bool, renames: tuple[str, ...]) -> None:
    """Replace the project's label schema with the TOML FILE.

    The file is checked first (colours, hotkeys, attribute types, relation ends) and then against
    the project: a schema without a label that annotations still use is refused, with the count,
    unless the label is renamed (--rename OLD=NEW) or --force is given (which deletes those
    annotations and their relations). Nothing changes on error.
    """
    from .. import operations as ops

    rename_map: dict[str, str] = {}
    for item in renames:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(f"{item!r} is not OLD=NEW", param_hint="--rename")
        rename_map[old.strip()] = new.strip()
    try:
        text = file.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{file}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise AnnotatorError(f"{file}: cannot be read ({exc.strerror})") from None
    store = env.store()
    rename_map = {store.schema.resolve_label(old): new for old, new in rename_map.items()}
    change = ops.change_schema(store, text, annotator=me(), renames=rename_map, force=force, origin=str(file),
                               title=f"import schema {file.name}").value
    schema = store.schema
    summary = f"imported the schema from {file}: {plural(len(schema.labels), 'label')} ({', '.join(schema.names)}), "
    summary += plural(len(schema.relations), "relation type")
    click.echo(summary)
    for old, new in change.renames.items():
        err(f"renamed {old} -> {new}")
    if change.deleted_annotations or change.deleted_relations:
        err(
            f"deleted {plural(len(change.deleted_annotations), 'annotation')} and "
            f"{plural(len(change.deleted_relations), 'relation')} whose label or type the schema no longer has"
        )


@schema_group.command("rename")
@click.argument("old")
@click.argument("new")
@pass_env
def schema_rename(env: Env, old: str, new: str) -> None:
    """Rename label OLD to NEW, in the schema and on every annotation that has it."""
    from .. import operations as ops

    store = env.store()
    old = store.schema.resolve_label(old)
    used = store.label_usage(old)
    ops.rename_label(store, old, new, annotator=me())
    click.echo(f"{old} -> {new.strip()}  ({plural(used, 'annotation')} relabelled)")


@schema_group.command("guideline")
@click.argument("file", required=False, metavar="[FILE]")
@click.option("--label", "label", metavar="LABEL", help="A label's guideline (default: the general rules).")
@click.option("--attribute", metavar="NAME", help="The guideline of the label's attribute NAME.")
@click.option("--value", metavar="VALUE", help="The guideline of one value of that attribute.")
@click.option("--relation", metavar="TYPE", help="The guideline of a relation type.")
@pass_env
def schema_guideline(env: Env, file: str | None, label: str | None, attribute: str | None, value: str | None,
                     relation: str | None) -> None:
    """Print one guideline (Markdown), or replace it with the text of FILE (- for standard input).

    \b
    Examples:
      annotator schema guideline --label CLAIM
      annotator schema guideline --label CLAIM claim.md
      annotator schema guideline --label SOURCE --attribute type --value anonymous -
      annotator schema guideline --relation attributed_to linking.md

    Replacing is one undoable change (annotator undo).
    """
    from ..schema import guideline_target, with_guideline

    if file is None:
        schema, _labels, _relations = _schema_and_counts(env)
        if label is not None:
            label = schema.resolve_label(label)
        with_guideline(schema, "", label=label, attribute=attribute, value=value, relation=relation)  # raises for a bad target
        click.echo(_guideline_of(schema, label, attribute, value, relation), nl=False)
        return
    from .. import operations as ops

    text = _read_text(file)
    store = env.store()
    if label is not None:
        label = store.schema.resolve_label(label)
    ops.set_guideline(store, text, annotator=me(), label=label, attribute=attribute, value=value, relation=relation)
    err(f"replaced the guideline of {guideline_target(label, attribute, value, relation)} ({plural(len(text.splitlines()), 'line')})")


def _guideline_of(schema: LabelSchema, label: str | None, attribute: str | None, value: str | None,
                  relation: str | None) -> str:
    if relation is not None:
        return schema.relation_type(relation).guideline
    if label is None:
        return schema.guideline
    found = schema.label(label)
    if attribute is None:
        return found.guideline
    spec = found.attribute(attribute)
    assert spec is not None  # with_guideline checked it
    return spec.guideline if value is None else spec.value_guideline(value)


def _read_text(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_bytes().decode("utf-8")  # bytes: a CRLF file keeps its line ends
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot be read ({exc.strerror or exc})") from None
