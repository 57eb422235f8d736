"""Editing commands: `add`, `delete`, `label`, `status`, `relate`, `unrelate`.

Each is one call of an operation (annotator/operations), the same the window makes: `add` snaps to
whole words as the window does (`--exact` keeps the characters) and refuses a duplicate; `relate`
uses the link picker's candidate rule. Every edit can be undone with `annotator undo`.
"""

from __future__ import annotations

import click

from ..model import ARTICLE_STATUSES
from .env import Env, annotator_option, live_annotation, me, parse_pairs, pass_env
from .output import SHORT_ID, err, plural, quoted


@click.command("add")
@click.argument("article_id")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("label")
@annotator_option("Who annotates.")
@click.option("--exact", is_flag=True, help="Keep the exact characters START-END (default: snap to whole words).")
@click.option("--note", default="", help="A free-text note on the annotation.")
@click.option(
    "--attr", "attributes", multiple=True, metavar="KEY=VALUE", callback=parse_pairs,
    help="An attribute of the label, e.g. --attr checkworthy=yes. Repeat for several.",
)
@pass_env
def add_command(
    env: Env, article_id: str, start: int, end: int, label: str, annotator: str | None, exact: bool, note: str,
    attributes: dict,
) -> None:
    """Annotate the text from START to END (code points, end exclusive) with LABEL.

    The span snaps outward to whole words, as in the window; --exact keeps the characters given.
    The same span with the same label by the same annotator is refused as a duplicate. Prints the
    new annotation's id on stdout.
    """
    from .. import operations as ops

    store = env.store()
    done = ops.tag(store, store.resolve_article_id(article_id), start, end, label, annotator=me(annotator),
                   exact=exact, attributes=attributes, note=note)
    annotation = done.value
    click.echo(annotation.id)
    moved = "" if (annotation.start, annotation.end) == (start, end) else f", snapped from {start}-{end}"
    err(f"added {annotation.label} {quoted(annotation.quote)} ({annotation.start}-{annotation.end}{moved})")


@click.command("delete")
@click.argument("annotation_id")
@annotator_option("Who deletes.")
@pass_env
def delete_command(env: Env, annotation_id: str, annotator: str | None) -> None:
    """Delete an annotation (and the relations that use it)."""
    from .. import operations as ops

    store = env.store()
    annotation = live_annotation(store, annotation_id)
    relations = ops.delete_annotation(store, annotation.id, annotator=me(annotator)).value
    extra = f" and {plural(len(relations), 'relation')}" if relations else ""
    click.echo(f"deleted {annotation.id}{extra}")


@click.command("label")
@click.argument("annotation_id")
@click.argument("label")
@annotator_option("Who relabels.")
@pass_env
def label_command(env: Env, annotation_id: str, label: str, annotator: str | None) -> None:
    """Change an annotation's label. Attributes the new label does not have are dropped."""
    from .. import operations as ops

    store = env.store()
    annotation = live_annotation(store, annotation_id)
    changed = ops.relabel(store, annotation.id, label, annotator=me(annotator)).value
    click.echo(f"{changed.id}  {annotation.label} -> {changed.label}")


@click.command("status")
@click.argument("article_id")
@click.argument("status", type=click.Choice(ARTICLE_STATUSES))
@annotator_option("Who sets it.")
@pass_env
def status_command(env: Env, article_id: str, status: str, annotator: str | None) -> None:
    """Set an article's status: todo, in_progress or done."""
    from .. import operations as ops

    store = env.store()
    resolved = store.resolve_article_id(article_id)
    ops.set_status(store, resolved, status, annotator=me(annotator))
    click.echo(f"{resolved}  {status}")


@click.command("relate")
@click.argument("head_id")
@click.argument("tail_id")
@click.argument("relation_type", metavar="[TYPE]", required=False)
@annotator_option("Who relates.")
@pass_env
def relate_command(env: Env, head_id: str, tail_id: str, relation_type: str | None, annotator: str | None) -> None:
    """Relate annotation HEAD_ID to TAIL_ID, e.g. a claim `attributed_to` its source.

    Ids may be unique prefixes. Without TYPE, the type is the one the window's link picker would
    offer for this pair (a claim's source: attributed_to). The labels at each end must be those the
    type allows (`annotator schema show` lists them). Prints the new relation's id.
    """
    from .. import operations as ops
    from ..operations.relations import pair_candidate

    store = env.store()
    head = live_annotation(store, head_id)
    tail = live_annotation(store, tail_id)
    if relation_type is None:
        candidate = pair_candidate(store, head.id, tail.id)
        if candidate is not None and candidate.head == head.id:
            relation_type = candidate.type
        elif candidate is not None:
            raise click.UsageError(
                f"a {head.label} is linked from the {tail.label}: `annotator relate {tail.id[:SHORT_ID]} {head.id[:SHORT_ID]}`"
            )
    relation = ops.link(store, head.id, tail.id, relation_type, annotator=me(annotator)).value
    click.echo(relation.id)
    err(f"related {head.label} {head.id[:SHORT_ID]} -{relation.type}-> {tail.label} {tail.id[:SHORT_ID]}")


@click.command("unrelate")
@click.argument("relation_id")
@annotator_option("Who unrelates.")
@pass_env
def unrelate_command(env: Env, relation_id: str, annotator: str | None) -> None:
    """Delete a relation (a tombstone, like `delete` for annotations). The id may be a unique prefix."""
    from .. import operations as ops

    store = env.store()
    relation = ops.unlink(store, store.resolve_relation_id(relation_id), annotator=me(annotator)).value
    click.echo(f"unrelated {relation.id}  ({relation.head[:SHORT_ID]} -{relation.type}-> {relation.tail[:SHORT_ID]})")


EDITING_COMMANDS = (add_command, delete_command, label_command, status_command, relate_command, unrelate_command)
