"""Review commands: agree, review, adjudicate, decisions, undo-decision, merge.

A thin layer over annotator/review (comparisons, agreement) and the review and merge operations;
the window's review mode calls the same functions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import review
from ..errors import AnnotatorError, ValidationError
from .env import Env, me, pass_env
from .output import SHORT_ID, echo_json, err, short, table as _table

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

ACTIONS = {"accept-a": "accept_a", "accept-b": "accept_b", "accept-both": "accept_both", "reject": "reject", "edit": "edit"}


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _warn_unknown(store: "Store", names: tuple[str, ...]) -> None:
    known = store.annotators()
    for name in dict.fromkeys(names):
        if name not in known:
            listed = ", ".join(known) or "none"
            err(f"note: {name!r} has no annotations in this project (annotators: {listed})")


# -- agree ---------------------------------------------------------------------------------------


@click.command("agree")
@click.argument("a")
@click.argument("b")
@click.option("--label", metavar="LABEL", help="Only this label.")
@click.option("--article", "articles", multiple=True, metavar="ID", help="Only this article (repeat for several).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (shape in docs/review.md).")
@click.option("--per-article", is_flag=True, help="Also list each article's figures, most disagreement first.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the per-label and per-article figures to FILE (CSV).")
@pass_env
def agree_command(
    env: Env, a: str, b: str, label: str | None, articles: tuple[str, ...], as_json: bool, per_article: bool,
    csv_path: Path | None,
) -> None:
    """Agreement between annotators A and B: F1 (exact, overlap), token kappa and alpha per label.

    Counted articles are those where both A and B have at least one annotation. The gold layer
    takes part only when named as A or B (`annotator agree gold maria`).
    """
    store = env.store(readonly=True)
    _warn_unknown(store, (a, b))
    label_name = store.schema.resolve_label(label) if label else None
    article_ids = [store.resolve_article_id(x) for x in articles] if articles else None
    figures = review.agreement(store, a, b, label_name, article_ids=article_ids)
    rows = review.per_article(store, a, b, label_name, article_ids=article_ids) if per_article or csv_path else None
    if csv_path is not None:
        review.write_csv(csv_path, figures, rows or [])
        err(f"wrote {len(figures['labels']) + 1 + len(rows or [])} rows to {csv_path}")
    if as_json:
        record: dict[str, Any] = dict(figures)
        if per_article:
            record["per_article"] = rows
        echo_json(record)
        return
    click.echo(f"{a} vs {b}: {figures['articles']} article{'s' if figures['articles'] != 1 else ''} annotated by both")
    if not figures["articles"]:
        return
    headers = ["LABEL", "A", "B", "EXACT", "F1_EXACT", "OVERLAP", "F1_OVERLAP", "KAPPA", "ALPHA"]
    body = [[name, *_figure_cells(f)] for name, f in figures["labels"].items()]
    body.append(["overall", *_figure_cells(figures["overall"])])
    _table(headers, body, right=set(range(1, 9)))
    if per_article and rows:
        click.echo()
        headers = ["ARTICLE", "DISAGREE", "A", "B", "F1_EXACT", "F1_OVERLAP", "KAPPA", "TITLE"]
        body = [
            [r["article_id"], str(r["disagreements"]), str(r["a_spans"]), str(r["b_spans"]), _number(r["f1_exact"]),
             _number(r["f1_overlap"]), _number(r["kappa_token"]), short(r["title"] or "(untitled)", 60)]
            for r in rows
        ]
        _table(headers, body, right=set(range(1, 7)))


def _figure_cells(f: dict) -> list[str]:
    return [str(f["a_spans"]), str(f["b_spans"]), str(f["matched_exact"]), _number(f["f1_exact"]),
            str(f["matched_overlap"]), _number(f["f1_overlap"]), _number(f["kappa_token"]), _number(f["alpha_token"])]


# -- review --------------------------------------------------------------------------------------


@click.command("review")
@click.argument("a")
@click.argument("b")
@click.argument("article_id", metavar="ARTICLE")
@click.option("--json", "as_json", is_flag=True, help="Print the comparisons as JSON.")
@click.option("--pending", is_flag=True, help="Only comparisons without a decision.")
@pass_env
def review_command(env: Env, a: str, b: str, article_id: str, as_json: bool, pending: bool) -> None:
    """List how A's and B's spans on one ARTICLE compare, with the decisions taken.

    Each comparison has a KEY ("<A id>:<B id>", "-" for a missing side) to pass to `adjudicate`.
    """
    store = env.store(readonly=True)
    _warn_unknown(store, (a, b))
    resolved = store.resolve_article_id(article_id)
    items = review.review_article(store, resolved, a, b)
    if pending:
        items = [item for item in items if item.decision is None]
    if as_json:
        echo_json({"article_id": resolved, "annotators": [a, b], "comparisons": [i.to_dict() for i in items]})
        return
    for item in items:
        c = item.comparison
        decided = ""
        if item.decision is not None:
            d = item.decision
            decided = f"  [{d.decision} by {d.decided_by}, decision {d.id[:SHORT_ID]}]"
        click.echo(f"{c.short_key(SHORT_ID)}  {c.kind}{decided}")
        for side, span in (("A", c.a), ("B", c.b)):
            if span is not None:
                quote = json.dumps(span.quote, ensure_ascii=False)
                click.echo(f"    {side}  {span.start}-{span.end}  {span.label}  {quote}")
    counts: dict[str, int] = {}
    for item in items:
        counts[item.comparison.kind] = counts.get(item.comparison.kind, 0) + 1
    summary = ", ".join(f"{counts[k]} {k}" for k in review.KINDS if k in counts) or "nothing to compare"
    err(f"{len(items)} comparison{'s' if len(items) != 1 else ''}: {summary}")


# -- adjudicate ----------------------------------------------------------------------------------


def _comparison_from_key(store: "Store", key: str) -> "review.Comparison":
    left, sep, right = key.partition(":")
    if not sep:
        raise ValidationError(f"{key!r} is not a comparison key; expected A_ID:B_ID as `annotator review` prints it")

    def side(part: str):
        part = part.strip()
        if part in ("", "-"):
            return None
        annotation = store.get_annotation(store.resolve_annotation_id(part))
        if annotation.deleted:
            raise ValidationError(f"annotation {annotation.id[:SHORT_ID]} is deleted")
        return annotation

    return review.comparison_of(side(left), side(right))


@click.command("adjudicate", context_settings={"ignore_unknown_options": True})
@click.argument("action", type=click.Choice(list(ACTIONS)))
@click.argument("keys", nargs=-1, required=True, metavar="KEY...")
@click.option("--by", "decided_by", metavar="NAME", help="Who decides. Default: the configured annotator name.")
@click.option("--comment", default="", help="Why; stored with the decision.")
@click.option("--start", type=int, help="edit: start of the gold span (default: A's, else B's).")
@click.option("--end", type=int, help="edit: end of the gold span.")
@click.option("--label", metavar="LABEL", help="edit: label of the gold span.")
@pass_env
def adjudicate_command(
    env: Env, action: str, keys: tuple[str, ...], decided_by: str | None, comment: str,
    start: int | None, end: int | None, label: str | None,
) -> None:
    """Decide comparisons into the gold layer: accept-a, accept-b, accept-both, reject or edit.

    KEY is a comparison key printed by `annotator review` (id prefixes work: c8a7f2d4:1b2e3f4a,
    c8a7f2d4:-, -:1b2e3f4a). Each KEY is one decision (one transaction); prints the decision id
    and the gold annotation ids it created. `annotator undo-decision ID` takes it back.
    """
    from .. import operations as ops

    store = env.store()
    decision = ACTIONS[action]
    if decision != "edit" and (start is not None or end is not None or label):
        raise click.UsageError("--start, --end and --label are for edit only")
    by = me(decided_by)
    label_name = store.schema.resolve_label(label) if label else None
    for key in keys:
        comparison = _comparison_from_key(store, key)
        made = ops.decide(store, comparison, decision, by, comment, start=start, end=end, label=label_name).value
        gold = " ".join(g[:SHORT_ID] for g in made.gold_ids) or "-"
        click.echo(f"{made.id}  {made.decision}  {comparison.short_key(SHORT_ID)}  gold {gold}")


@click.command("decisions")
@click.argument("article_id", required=False, metavar="[ARTICLE]")
@click.option("--all", "include_undone", is_flag=True, help="Include undone decisions.")
@click.option("--json", "as_json", is_flag=True, help="Print the decisions as JSON.")
@pass_env
def decisions_command(env: Env, article_id: str | None, include_undone: bool, as_json: bool) -> None:
    """List the adjudication decisions (of one ARTICLE, or all), oldest first."""
    store = env.store(readonly=True)
    resolved = store.resolve_article_id(article_id) if article_id else None
    found = store.decisions_for(resolved, include_undone=include_undone)
    if as_json:
        echo_json([d.to_dict() for d in found])
        return
    for d in found:
        a, b = (list(d.source_ids) + [None, None])[:2]
        key = f"{a[:SHORT_ID] if a else '-'}:{b[:SHORT_ID] if b else '-'}"
        undone = "  (undone)" if d.undone else ""
        comment = f"  {json.dumps(d.comment, ensure_ascii=False)}" if d.comment else ""
        click.echo(f"{d.id[:SHORT_ID]}  {d.decided_at}  {d.decision:<11}  {key}  by {d.decided_by}{comment}{undone}")


@click.command("undo-decision")
@click.argument("decision_id")
@pass_env
def undo_decision_command(env: Env, decision_id: str) -> None:
    """Take back a decision: the gold spans and relations it created are deleted (tombstones).

    The decision stays listed as undone (`decisions --all`); `annotator undo` takes this back too.
    """
    from .. import operations as ops

    store = env.store()
    undone = ops.reopen(store, decision_id, annotator=me()).value
    click.echo(f"undone {undone.id}  ({len(undone.gold_ids)} gold span{'s' if len(undone.gold_ids) != 1 else ''})")


# -- merge ---------------------------------------------------------------------------------------


@click.command("merge")
@click.argument("project_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--annotator", "annotators", multiple=True, metavar="NAME",
              help="Only this annotator's work (repeat for several). Default: all but gold.")
@click.option("--json", "as_json", is_flag=True, help="Print the merge report as JSON.")
@pass_env
def merge_command(env: Env, project_file: Path, annotators: tuple[str, ...], as_json: bool) -> None:
    """Bring in a colleague's project file: their articles, annotations and relations.

    Their file is opened read-only and never changed. Rows are matched by id; a newer row of theirs
    replaces ours (their edits and deletions apply), so merging again changes nothing. Annotations
    on an article whose text differs from ours are re-anchored by their quote; those that cannot be
    placed are listed (on standard output) and left out. All or nothing: one transaction.
    """
    from ..operations.merge import merge_from
    from ..store import ColleagueProject

    if project_file.resolve() == env.project.resolve():
        raise AnnotatorError(f"{project_file}: that is this project itself")
    with ColleagueProject.open(project_file) as other:
        store = env.store()
        report = merge_from(store, other, annotators or None, merged_by=me()).value
    if as_json:
        echo_json(report.to_dict())
    else:
        for u in report.unanchored:
            quote = json.dumps(u.quote, ensure_ascii=False)
            click.echo(f"unanchored  {u.id[:SHORT_ID]}  {u.label}  {quote}  by {u.annotator}  in {u.title or u.article_id}: {u.reason}")
    err("; ".join(report.summary()))


REVIEW_COMMANDS = (agree_command, review_command, adjudicate_command, decisions_command, undo_decision_command,
                   merge_command)
