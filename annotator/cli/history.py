"""`annotator history`, `undo` and `redo`: the journal, for every edit made anywhere.

An edit made in the window can be undone here, and one made here undone in the window: both call
annotator/operations/history.py on the same journal.
"""

from __future__ import annotations

import click

from .env import Env, me, pass_env
from .output import SHORT_OP, echo_json, err


@click.command("history")
@click.argument("article_id", required=False, metavar="[ARTICLE]")
@click.option("--annotator", metavar="NAME", help="Only this annotator's operations.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (id, time, annotator, kind, article, summary, ...).")
@pass_env
def history_command(env: Env, article_id: str | None, annotator: str | None, limit: int, as_json: bool) -> None:
    """List the operations in the project's journal, newest first (of one ARTICLE, or all).

    Each line: id, time, annotator, kind, article and a one-line summary; "(undone)" marks an
    operation that stands undone. `annotator undo ID` takes one back.
    """
    from .. import operations as ops

    if not env.project.exists():
        entries = []
    else:
        store = env.store(readonly=True)
        resolved = store.resolve_article_id(article_id) if article_id else None
        entries = ops.history(store, article_id=resolved, annotator=annotator, limit=limit)
    if as_json:
        echo_json([{**entry.to_dict(), "undone": not standing} for entry, standing in entries])
        return
    if not entries:
        err("no operations in the journal yet")
        return
    for entry, standing in entries:
        undone = "  (undone)" if not standing else ""
        article = (entry.article_id or "-")[:8]
        click.echo(f"{entry.id}  {entry.at}  {entry.annotator}  {entry.kind:<10}  {article:<8}  {entry.summary}{undone}")


@click.command("undo")
@click.argument("op_id", required=False, metavar="[OP_ID]")
@click.option("--annotator", metavar="NAME", help="Whose newest operation (default: the configured name).")
@pass_env
def undo_command(env: Env, op_id: str | None, annotator: str | None) -> None:
    """Undo an operation: OP_ID (a unique prefix works), or your newest one that is not undone.

    The rows are put back exactly as they were before it. If someone changed them since, nothing
    is changed and the message says who and what.
    """
    from .. import operations as ops

    done = ops.undo(env.store(), op_id, annotator=me(annotator))
    click.echo(f"undone {done.value.id}  {done.value.summary}")
    err(f"undo recorded as {done.op_id[:SHORT_OP]}; `annotator redo` brings it back")


@click.command("redo")
@click.argument("op_id", required=False, metavar="[OP_ID]")
@click.option("--annotator", metavar="NAME", help="Whose last undo (default: the configured name).")
@pass_env
def redo_command(env: Env, op_id: str | None, annotator: str | None) -> None:
    """Redo an undone operation: OP_ID, or the one you undid last (if you made no edit since)."""
    from .. import operations as ops

    done = ops.redo(env.store(), op_id, annotator=me(annotator))
    click.echo(f"redone {done.value.id}  {done.value.summary}")


HISTORY_COMMANDS = (history_command, undo_command, redo_command)
