"""`annotator search`: full-text search over titles, texts, quotes and notes."""

from __future__ import annotations

import sys

import click

from ..store.search import RANK_CAP
from .env import Env, pass_env
from .output import SHORT_ID, echo_json, err, plural, short, title

SCOPE_CHOICES = ("text", "title", "quotes", "notes")


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--label", "labels", multiple=True, metavar="L",
              help="Only quotes and notes of annotations with this label, and title and text hits of articles "
                   "that have one (repeat for several).")
@click.option("--annotator", "annotators", multiple=True, metavar="NAME",
              help="Only quotes and notes of this annotator's annotations, and title and text hits of articles "
                   "where they annotated (repeat for several).")
@click.option("--in", "scopes", multiple=True, type=click.Choice(SCOPE_CHOICES),
              help="Where to search (repeat for several). Default: everywhere.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most N hits.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON array.")
@click.option("--reindex", is_flag=True, help="Build the search index again first (after another program "
                                              "changed the project file).")
@pass_env
def search_command(env: Env, query: tuple[str, ...], labels: tuple[str, ...], annotators: tuple[str, ...],
                   scopes: tuple[str, ...], limit: int, as_json: bool, reindex: bool) -> None:
    """Find words in the articles' titles and texts and in the annotations' quotes and notes.

    \b
    QUERY (the words given are joined by spaces):
      minister               a word (any case; accents ignored: cafe finds café)
      prime minister         both words, anywhere in the same text, quote or note
      '"prime minister"'     the phrase (quote it for the shell too)
      minist*                any word starting with minist
      covid-19, U.S.         a word with punctuation is searched as written
      claim OR statement     either; NOT leaves out: minister NOT prime
      'NEAR(kim said, 5)'    both within 5 words; parentheses group
    Hits come best first (bm25; when a query matches more than 10,000 texts, titles or
    annotations, the newest 10,000 of them are ranked), under their article's id and title, one line each: where (text,
    title, or quotes/notes with the annotation's id and label), the offsets START-END in the article
    text (code points; for a note hit the annotation's span) and the hit, [marked], in its context.
    """
    text = " ".join(query)
    if not env.project.exists():
        if as_json:
            echo_json([])
        err(f"no articles in {env.project}")
        return
    store = env.store(readonly=not reindex)
    if reindex:
        problems = store.rebuild_search_index()
        err("search index rebuilt" + (f" (it had: {'; '.join(problems)})" if problems else " (it was in order)"))
    resolved = tuple(store.schema.resolve_label(label) for label in labels)
    if store.search_index_behind:  # a minute or so after 100,000 articles: say why this search waits
        err("indexing for search what the last big import added (once)…")
    result = store.search(text, scopes=scopes or SCOPE_CHOICES, labels=resolved, annotators=annotators, limit=limit)
    if as_json:
        echo_json([hit.record() for hit in result.hits])
    else:
        _print_hits(result.hits)
    if result.capped:
        err(f"more than {RANK_CAP:,} matches in an index: the best of its newest {RANK_CAP:,} are shown; "
            "add words to narrow the search")
    if result.more:
        err(f"showing the first {plural(limit, 'hit')}; --limit N shows more")
    elif not result.hits:
        err(f"no hits for {text!r}")


def _print_hits(hits) -> None:
    bold = sys.stdout.isatty()
    article = None
    for hit in hits:
        if hit.article != article:
            article = hit.article
            click.echo(f"{hit.article[:SHORT_ID]}  {short(title(hit.title), 100)}")
        where = hit.in_ if hit.annotation is None else f"{hit.in_} {hit.annotation[:SHORT_ID]} {hit.label}"
        span = "" if hit.start is None else f"{hit.start}-{hit.end}"
        before, match, after = (hit.snippet[: hit.snippet_start], hit.snippet[hit.snippet_start : hit.snippet_end],
                                hit.snippet[hit.snippet_end :])
        shown = click.style(match, bold=True, underline=True) if bold else f"[{match}]"
        click.echo("  " + "  ".join(part for part in (where, span, f"{before}{shown}{after}") if part))
