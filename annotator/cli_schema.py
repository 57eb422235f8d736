"""Schema and relation commands: `schema show|export|import|rename`, `relate`, `unrelate`.

A thin layer over the store (`Store.change_schema`, `Store.rename_label`, `Store.add_relation`,
`Store.set_relation_deleted`); the GUI's schema editor and link mode call the same functions.
Registered on the `annotator` group by cli.py (SCHEMA_COMMANDS). This module does not import cli.py
at import time, so either can be imported first.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import settings
from .errors import AnnotatorError, NotFoundError, ValidationError
from .schema import LabelSchema, default_schema, schema_to_toml
from .store import Store

if TYPE_CHECKING:  # pragma: no cover
    from .cli import Env

SHORT_ID = 8
pass_env = click.pass_obj


def _err(message: str) -> None:
    click.echo(message, err=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _label_name(store: Store, name: str) -> str:
    from .cli import _label_name as resolve  # late: cli.py imports this module

    return resolve(store, name)


def _live_annotation(store: Store, annotation_id: str):
    from .cli import _live_annotation as live  # late: cli.py imports this module

    return live(store, annotation_id)


def _relation_type_name(schema: LabelSchema, name: str) -> str:
    names = [r.name for r in schema.relations]
    if name in names:
        return name
    folded = [n for n in names if n.casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0]
    return schema.relation_type(name).name  # raises, listing the types


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


def _schema_and_counts(env: "Env") -> tuple[LabelSchema, dict[str, int], dict[str, int]]:
    if not env.project.exists():
        return default_schema(), {}, {}
    store = env.store(readonly=True)
    relation_counts = {
        row[0]: row[1]
        for row in store.db.conn.execute("SELECT type, count(*) FROM relations WHERE deleted = 0 GROUP BY type")
    }
    return store.schema, store.annotation_counts("label"), relation_counts


@schema_group.command("show")
@click.option("--toml", "as_toml", is_flag=True, help="Print the schema as TOML (what `schema export -` writes).")
@pass_env
def schema_show(env: "Env", as_toml: bool) -> None:
    """Show the labels (colour, hotkey, attributes, how many annotations use each) and relation types."""
    schema, label_counts, relation_counts = _schema_and_counts(env)
    if as_toml:
        click.echo(schema_to_toml(schema), nl=False)
        return
    click.secho(f"Labels ({len(schema.labels)})", bold=True)
    width = max(len(label.name) for label in schema.labels)
    for label in schema.labels:
        key = f"key {label.hotkey}" if label.hotkey else "no key"
        used = _plural(label_counts.get(label.name, 0), "annotation")
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
        used = _plural(relation_counts.get(relation.name, 0), "relation")
        click.echo(f"  {relation.name:<{type_width}}  {ends}  {used}")
        if relation.description:
            click.echo(f"  {'':<{type_width}}  {relation.description}")


@schema_group.command("export")
@click.argument("file", metavar="FILE")
@pass_env
def schema_export(env: "Env", file: str) -> None:
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
    _err(f"wrote the schema ({_plural(len(schema.labels), 'label')}, {_plural(len(schema.relations), 'relation type')}) to {path}")


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
def schema_import(env: "Env", file: Path, force: bool, renames: tuple[str, ...]) -> None:
    """Replace the project's label schema with the TOML FILE.

    The file is checked first (colours, hotkeys, attribute types, relation ends) and then against
    the project: a schema without a label that annotations still use is refused, with the count,
    unless the label is renamed (--rename OLD=NEW) or --force is given (which deletes those
    annotations and their relations). Nothing changes on error.
    """
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
    rename_map = {_label_name(store, old): new for old, new in rename_map.items()}
    change = store.change_schema(text, renames=rename_map, force=force, origin=str(file))
    schema = store.schema
    summary = f"imported the schema from {file}: {_plural(len(schema.labels), 'label')} ({', '.join(schema.names)}), "
    summary += _plural(len(schema.relations), "relation type")
    click.echo(summary)
    for old, new in change.renames.items():
        _err(f"renamed {old} -> {new}")
    if change.deleted_annotations or change.deleted_relations:
        _err(
            f"deleted {_plural(len(change.deleted_annotations), 'annotation')} and "
            f"{_plural(len(change.deleted_relations), 'relation')} whose label or type the schema no longer has"
        )


@schema_group.command("rename")
@click.argument("old")
@click.argument("new")
@pass_env
def schema_rename(env: "Env", old: str, new: str) -> None:
    """Rename label OLD to NEW, in the schema and on every annotation that has it."""
    store = env.store()
    old = _label_name(store, old)
    used = store.label_usage(old)
    store.rename_label(old, new)
    click.echo(f"{old} -> {new.strip()}  ({_plural(used, 'annotation')} relabelled)")


# -- relations ---------------------------------------------------------------------------------


@click.command("relate")
@click.argument("head_id")
@click.argument("tail_id")
@click.argument("relation_type", metavar="TYPE")
@click.option("--annotator", metavar="NAME", help="Who relates. Default: the configured name (annotator config).")
@pass_env
def relate_command(env: "Env", head_id: str, tail_id: str, relation_type: str, annotator: str | None) -> None:
    """Relate annotation HEAD_ID to TAIL_ID with TYPE, e.g. a claim `attributed_to` its source.

    Ids may be unique prefixes. The labels at each end must be those the schema's relation type
    allows (`annotator schema show` lists them). Prints the new relation's id.
    """
    store = env.store()
    head = _live_annotation(store, head_id)
    tail = _live_annotation(store, tail_id)
    type_name = _relation_type_name(store.schema, relation_type)
    for existing in store.relations_for(head.article_id):
        if (existing.head, existing.tail, existing.type) == (head.id, tail.id, type_name):
            raise ValidationError(f"{head.id[:SHORT_ID]} is already {type_name} {tail.id[:SHORT_ID]} (relation {existing.id})")
    relation = store.add_relation(head.id, tail.id, type_name, annotator=annotator or settings.annotator_name())
    click.echo(relation.id)
    _err(f"related {head.label} {head.id[:SHORT_ID]} -{type_name}-> {tail.label} {tail.id[:SHORT_ID]}")


@click.command("unrelate")
@click.argument("relation_id")
@pass_env
def unrelate_command(env: "Env", relation_id: str) -> None:
    """Delete a relation (a tombstone, like `delete` for annotations). The id may be a unique prefix."""
    store = env.store()
    relation = store.get_relation(store.resolve_relation_id(relation_id))
    if relation.deleted:
        raise NotFoundError(f"relation {relation.id} is already deleted")
    store.set_relation_deleted(relation.id, True)
    click.echo(f"unrelated {relation.id}  ({relation.head[:SHORT_ID]} -{relation.type}-> {relation.tail[:SHORT_ID]})")


SCHEMA_COMMANDS = (schema_group, relate_command, unrelate_command)
