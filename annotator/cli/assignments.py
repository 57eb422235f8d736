"""`annotator assign`, `unassign` and `assignments`: giving articles to analysts and seeing who has what.

The split itself (balanced, seeded, the overlap sample) is annotator/operations/assignments.py;
the states (todo / in progress / done per analyst) are annotator/review/progress.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..errors import ValidationError
from ..model import ARTICLE_STATUSES
from .env import Env, me, pass_env
from .output import echo_json, err, plural, table, title

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store


def _names(values: tuple[str, ...]) -> list[str]:
    """--to kim,lee --to max: the names, in order."""
    return [name for value in values for name in value.split(",")]


def _chosen(store: "Store", articles: tuple[str, ...], status: str | None, every: bool) -> list[str]:
    given = sum((bool(articles), status is not None, every))
    if given != 1:
        raise click.UsageError("choose the articles with exactly one of --article ID, --status S or --all")
    if articles:
        return [store.resolve_article_id(a) for a in articles]
    found = store.article_ids(status)
    if not found:
        where = f" with status {status}" if status else ""
        raise ValidationError(f"no articles{where} in {store.path}")
    return found


def _sample(value: str | None, total: int) -> int | None:
    """--sample N or P%: how many of the chosen articles get --overlap analysts."""
    if value is None:
        return None
    text = value.strip()
    try:
        if text.endswith("%"):
            percent = float(text[:-1])
            if not 0 <= percent <= 100:
                raise click.BadParameter(f"{value!r}: a percentage of the chosen articles goes from 0% to 100%",
                                         param_hint="--sample")
            return round(total * percent / 100)
        return int(text)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a number of articles (10) or a percentage (20%)",
                                 param_hint="--sample") from None


def _articles_option(verb: str):
    def decorate(function):
        function = click.option("--all", "every", is_flag=True, help=f"{verb} every article.")(function)
        function = click.option("--status", type=click.Choice(ARTICLE_STATUSES),
                                help=f"{verb} the articles with this status.")(function)
        return click.option("--article", "articles", multiple=True, metavar="ID",
                            help=f"{verb} this article (repeat for several; a unique prefix works).")(function)
    return decorate


@click.command("assign")
@click.option("--to", "to", multiple=True, required=True, metavar="NAME[,NAME...]",
              help="The analysts to split the articles among (comma-separated, or repeated).")
@_articles_option("Assign")
@click.option("--overlap", type=int, default=1, show_default=True, metavar="K",
              help="Analysts per article of the agreement sample (each annotates it on their own).")
@click.option("--sample", metavar="N|P%",
              help="How many of the chosen articles get --overlap analysts, chosen by the seed (default: all); "
              "the others get one.")
@click.option("--seed", default="0", show_default=True, metavar="S", help="Seed of the split: same seed, same split.")
@click.option("--by", "by", metavar="NAME", help="Who assigns (default: the configured name).")
@click.option("--json", "as_json", is_flag=True, help="Print what was assigned as JSON.")
@pass_env
def assign_command(
    env: Env, to: tuple[str, ...], articles: tuple[str, ...], status: str | None, every: bool, overlap: int,
    sample: str | None, seed: str, by: str | None, as_json: bool,
) -> None:
    """Split articles among analysts, balanced by count, deterministic for a seed.

    Each article goes to the analyst(s) with the least open work (assigned and not done, in the
    project, plus what this split gave them), so loads differ by at most one when all start level.
    --overlap K gives each article of the sample K different analysts, for agreement figures
    (`annotator stats`); --sample chooses how many articles that is. Analysts an article already
    has count towards its K: running the same command again changes nothing. One undo step.

    \b
    Examples:
      annotator assign --to kim,lee,max --status todo
      annotator assign --to kim,lee,max --all --overlap 2 --sample 10% --seed 7
    """
    from .. import operations as ops

    env.store(readonly=True)  # a project that does not exist is refused, not created empty
    store = env.store()
    chosen = _chosen(store, articles, status, every)
    done = ops.assign(store, chosen, _names(to), assigned_by=me(by), overlap=overlap,
                      sample=_sample(sample, len(chosen)), seed=seed)
    report = done.value
    if as_json:
        echo_json({**report.to_dict(), "operation": done.op_id or None})
        return
    for name, ids in report.added.items():
        click.echo(f"{name}: {plural(len(ids), 'article')} assigned")
    kept = f"; {plural(report.kept, 'assignment')} already there, kept" if report.kept else ""
    if report.total:
        err(f"assigned {plural(report.articles, 'article')} ({plural(report.total, 'new assignment')}{kept}); "
            "undo with `annotator undo`")
    else:
        err(f"nothing to assign: every chosen article already has its analysts{kept}")


@click.command("unassign")
@_articles_option("Unassign")
@click.option("--from", "from_", multiple=True, metavar="NAME[,NAME...]",
              help="Only from these analysts (default: from all of the articles' analysts).")
@click.option("--by", "by", metavar="NAME", help="Who unassigns (default: the configured name).")
@pass_env
def unassign_command(env: Env, articles: tuple[str, ...], status: str | None, every: bool, from_: tuple[str, ...],
                     by: str | None) -> None:
    """Take articles back from analysts (their annotations stay). One undo step."""
    from .. import operations as ops

    env.store(readonly=True)
    store = env.store()
    chosen = _chosen(store, articles, status, every)
    done = ops.unassign(store, chosen, _names(from_) or None, unassigned_by=me(by))
    err(f"unassigned {plural(done.value, 'assignment')}; undo with `annotator undo`")


@click.command("assignments")
@click.option("--analyst", "analysts", multiple=True, metavar="NAME", help="Only this analyst (repeat for several).")
@click.option("--json", "as_json", is_flag=True, help="Print the assignments as JSON.")
@pass_env
def assignments_command(env: Env, analysts: tuple[str, ...], as_json: bool) -> None:
    """Who has which articles: per analyst their counts (todo, in progress, done) and articles.

    An assignment is done when the analyst marked the article done (`annotator status ID done`
    as that analyst), in progress when they have annotated in it, todo otherwise.
    """
    from ..review import STATES, assignment_states

    if not env.project.exists():
        states: dict[str, list[tuple[str, str]]] = {}
        summaries = {}
        others: dict[str, list[str]] = {}
    else:
        store = env.store(readonly=True)
        states = assignment_states(store)
        wanted = [a for a in states if not analysts or a in analysts]
        ids = {article for name in wanted for article, _ in states[name]}
        summaries = {s.id: s for s in store.list_articles(ids)}
        others = store.analysts_of(ids)
    for name in analysts:
        if name not in states:
            err(f"note: {name!r} has no assignments")
    record = {}
    for name, items in states.items():
        if analysts and name not in analysts:
            continue
        counts = {state: sum(1 for _, s in items if s == state) for state in STATES}
        record[name] = {
            "assigned": len(items), **counts,
            "articles": [{"id": article, "title": summaries[article].title, "state": state,
                          "others": [o for o in others.get(article, ()) if o != name]} for article, state in items],
        }
    if as_json:
        echo_json(record)
        return
    if not record:
        err("no assignments (annotator assign --to NAME --all)")
        return
    table(["ANALYST", "ASSIGNED", "TODO", "IN_PROGRESS", "DONE"],
          [[name, str(r["assigned"]), *(str(r[s]) for s in STATES)] for name, r in record.items()],
          right={1, 2, 3, 4})
    for name, r in record.items():
        click.echo(f"\n{name}")
        for item in r["articles"]:
            also = f"  (also {', '.join(item['others'])})" if item["others"] else ""
            click.echo(f"  {item['id']}  {item['state']:<11}  {title(item['title'])}{also}")
