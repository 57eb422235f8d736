"""`annotator suggest` and `annotator suggestions list|accept|reject|precision`.

Thin: each command is one call of annotator/operations/suggestions.py (the window makes the same
calls). Suggestions are not annotations: `show`, `stats`, `export` and the review never see them
until they are accepted (`export --include-suggestions` writes them where a format has a place).
Offsets are code points, end exclusive: `text[start:end] == quote`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import click

from .env import Env, annotator_option, me, pass_env
from .output import SHORT_OP, echo_json, err, plural, quoted, short, table

if TYPE_CHECKING:  # pragma: no cover
    from ..model import SuggestedRelation, Suggestion
    from ..store import Store

STATES = ("open", "accepted", "rejected", "all")


def suggestion_record(store: "Store", s: "Suggestion") -> dict:
    """A suggestion as the commands print it (--json)."""
    text = store.article_text(s.article_id)
    return {"id": s.id, "article": s.article_id, "start": s.start, "end": s.end, "label": s.label,
            "quote": text[s.start:s.end], "suggester": s.suggester, "version": s.version,
            "confidence": round(s.confidence, 4), "attributes": s.attributes, "state": s.state,
            "annotation": s.annotation_id}


def relation_record(r: "SuggestedRelation") -> dict:
    return {"id": r.id, "article": r.article_id, "head": r.head, "tail": r.tail, "type": r.type,
            "suggester": r.suggester, "version": r.version, "confidence": round(r.confidence, 4), "state": r.state,
            "relation": r.relation_id}


def _print(store: "Store", suggestions: list["Suggestion"], relations: list["SuggestedRelation"], as_json: bool) -> None:
    if as_json:
        records = [suggestion_record(store, s) for s in suggestions]
        echo_json(records + [relation_record(r) for r in relations] if relations else records)
        return
    states = any(s.state != "open" for s in suggestions)
    rows = [[s.id[:SHORT_OP], s.article_id[:8], f"{s.start}-{s.end}", s.label, s.suggester, f"{s.confidence:.2f}",
             *([s.state] if states else []), quoted(short(store.article_text(s.article_id)[s.start:s.end], 50))]
            for s in suggestions]
    if rows:
        table(["id", "article", "span", "label", "suggester", "conf", *(["state"] if states else []), "quote"], rows,
              right={5})
    for r in relations:
        click.echo(f"{r.id[:SHORT_OP]}  relation {r.type}  {r.head[:SHORT_OP]} -> {r.tail[:SHORT_OP]}  "
                   f"({r.suggester}, {r.confidence:.2f})")


@click.command("suggest")
@click.argument("article_ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "every", is_flag=True, help="Suggest for every article of the project.")
@click.option("--suggester", "suggesters", multiple=True, metavar="NAME",
              help="Only this suggester (repeat for several). Default: all of them.")
@click.option("--label", "labels", multiple=True, metavar="LABEL", help="Only suggestions with this label (repeat for several).")
@click.option("--min-confidence", type=float, default=0.0, show_default=True, metavar="X",
              help="Leave out suggestions below this confidence (0 to 1).")
@annotator_option("Whose annotations count as already tagged.")
@click.option("--json", "as_json", is_flag=True, help="Print the new suggestions as a JSON list.")
@pass_env
def suggest_command(env: Env, article_ids: tuple[str, ...], every: bool, suggesters: tuple[str, ...],
                    labels: tuple[str, ...], min_confidence: float, annotator: str | None, as_json: bool) -> None:
    """Suggest spans for articles (ids or --all) and print the new suggestions.

    Runs offline. A span suggested before (open, accepted or rejected) is not suggested again, nor
    one the annotator has tagged already. Suggestions are not annotations: accept them with
    `annotator suggestions accept` (or in the window). One undo step (`annotator undo`).
    """
    from ..operations import suggestions as sug

    if every and article_ids:
        raise click.UsageError("give article ids or --all, not both")
    if not every and not article_ids:
        raise click.UsageError("give article ids, or --all for every article")
    store = env.store()
    ids = store.article_ids() if every else list(dict.fromkeys(store.resolve_article_id(a) for a in article_ids))
    done = sug.suggest(store, ids, annotator=me(annotator), names=suggesters or None, labels=labels or None,
                       min_confidence=min_confidence)
    made = sorted(done.value, key=lambda s: (ids.index(s.article_id), s.start, s.end, s.label))
    relations = [r for a in dict.fromkeys(s.article_id for s in made) for r in store.suggested_relations_for(a)
                 if r.head in {s.id for s in made} or r.tail in {s.id for s in made}]
    _print(store, made, [] if as_json else relations, as_json)
    err(f"{plural(len(made), 'new suggestion')} in {plural(len({s.article_id for s in made}), 'article')} "
        f"(of {plural(len(ids), 'article')} read)")


@click.group("suggestions")
def suggestions_group() -> None:
    """List, accept and reject suggestions (made by `annotator suggest` or the window)."""


@suggestions_group.command("list")
@click.argument("article_id", required=False)
@click.option("--state", type=click.Choice(STATES), default="open", show_default=True, help="Which suggestions.")
@click.option("--json", "as_json", is_flag=True, help="Print them as a JSON list (relation suggestions too).")
@pass_env
def list_command(env: Env, article_id: str | None, state: str, as_json: bool) -> None:
    """The suggestions of an article (or of every article), in text order."""
    store = env.store(readonly=True)
    states = None if state == "all" else (state,)
    if article_id is not None:
        ids: Iterable[str] = [store.resolve_article_id(article_id)]
    else:
        ids = store.article_ids()
    spans, relations = [], []
    for one in ids:
        spans += store.suggestions_for(one, states)
        relations += store.suggested_relations_for(one, states)
    _print(store, spans, relations, as_json)
    if not as_json and not spans and not relations:
        err(f"no {'' if state == 'all' else state + ' '}suggestions")


def _resolved(store: "Store", ids: tuple[str, ...], article_id: str | None) -> list[str]:
    if article_id is not None and ids:
        raise click.UsageError("give suggestion ids or --article, not both")
    if article_id is None and not ids:
        raise click.UsageError("give suggestion ids, or --article ID for all open ones of an article")
    if article_id is not None:
        article = store.resolve_article_id(article_id)
        found = [s.id for s in store.suggestions_for(article)] + [r.id for r in store.suggested_relations_for(article)]
        if not found:
            raise click.ClickException(f"article {article} has no open suggestions")
        return found
    return [store.resolve_suggestion_id(i) for i in ids]


@suggestions_group.command("accept")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--article", "article_id", metavar="ID", help="Accept every open suggestion of this article.")
@annotator_option("Who accepts (the annotations are theirs).")
@pass_env
def accept_command(env: Env, ids: tuple[str, ...], article_id: str | None, annotator: str | None) -> None:
    """Accept suggestions: each becomes an annotation (origin "suggested"). One undo step."""
    from ..operations import suggestions as sug

    store = env.store()
    done = sug.accept(store, _resolved(store, ids, article_id), annotator=me(annotator))
    for a in done.value.annotations:
        click.echo(f"{a.id}  {a.label} {quoted(short(a.quote, 60))} ({a.start}-{a.end})")
    for r in done.value.relations:
        click.echo(f"{r.id}  relation {r.type} {r.head[:8]} -> {r.tail[:8]}")
    extra = f" and {plural(len(done.value.relations), 'relation')}" if done.value.relations else ""
    err(f"accepted: {plural(len(done.value.annotations), 'annotation')}{extra}")


@suggestions_group.command("reject")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--article", "article_id", metavar="ID", help="Reject every open suggestion of this article.")
@annotator_option("Who rejects.")
@pass_env
def reject_command(env: Env, ids: tuple[str, ...], article_id: str | None, annotator: str | None) -> None:
    """Reject suggestions: remembered, so the same span is not suggested again. One undo step."""
    from ..operations import suggestions as sug

    store = env.store()
    done = sug.reject(store, _resolved(store, ids, article_id), annotator=me(annotator))
    err(f"rejected {plural(len(done.value), 'suggestion')}")


@suggestions_group.command("precision")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_env
def precision_command(env: Env, as_json: bool) -> None:
    """Each suggester's running precision per label: accepted / decided (accepted + rejected)."""
    store = env.store(readonly=True)
    figures = store.suggestion_precision()
    if as_json:
        echo_json(figures)
        return
    if not figures:
        err("no suggestions yet")
        return
    rows = [[f["suggester"], f["label"], str(f["accepted"]), str(f["rejected"]), str(f["open"]),
             "-" if f["precision"] is None else f"{f['precision']:.2f}"] for f in figures]
    table(["suggester", "label", "accepted", "rejected", "open", "precision"], rows, right={2, 3, 4, 5})


@suggestions_group.command("train")
@click.option("--min-spans", type=click.IntRange(min=2), default=50, show_default=True,
              help="Train on the labels with at least this many annotations.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_env
def train_command(env: Env, min_spans: int, as_json: bool) -> None:
    """Train the learned_model suggester's span model on the project's annotations (needs spaCy:
    pip install 'news-annotator[nlp]'), from a blank pipeline: nothing is downloaded. A fifth of the
    articles is held out to measure the precision reported, which becomes the model's confidence."""
    from ..operations import span_models

    store = env.store(readonly=True)
    trained = span_models.train(store, min_spans=min_spans)
    if as_json:
        echo_json(trained.to_dict())
        return
    rows = [[label, str(trained.counts.get(label, 0)),
             "-" if trained.precision.get(label) is None else f"{trained.precision[label]:.2f}",
             "-" if trained.recall.get(label) is None else f"{trained.recall[label]:.2f}"] for label in trained.labels]
    table(["label", "annotations", "precision", "recall"], rows, right={1, 2, 3})
    err(f"trained on {plural(trained.trained_on, 'article')}, measured on {trained.held_out} held out; "
        f"saved in {trained.folder}; `annotator suggest --suggester learned_model` uses it")
