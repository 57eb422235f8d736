"""`annotator export` and `annotator stats`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import ValidationError
from ..formats import FORMAT_MODULES
from ..model import ARTICLE_STATUSES
from .env import Env, pass_env
from .output import CountingProgress, echo_json, err, plural, stderr_is_terminal



@click.command("export")
@click.option(
    "--format", "format_name", type=click.Choice(sorted(FORMAT_MODULES)), default="jsonl", show_default=True,
    help="Output format.",
)
@click.option(
    "-o", "--output", default="-", metavar="FILE",
    help="Write to FILE (replaced only when the export succeeds); - for standard output (default).",
)
@click.option(
    "--annotator", "annotators", multiple=True, metavar="NAME",
    help="Only spans by this annotator (repeat for several). 'all': every (chosen) annotator, as one layer "
    "with identical spans merged, for the formats that hold one layer of spans (conll, hf, docbin, doccano, brat).",
)
@click.option("--label", "labels", multiple=True, metavar="LABEL", help="Only spans with this label (repeat for several).")
@click.option("--article", "articles", multiple=True, metavar="ID", help="Only this article (repeat for several).")
@click.option("--status", type=click.Choice(ARTICLE_STATUSES), help="Only articles with this status.")
@click.option("--assigned-to", "assigned_to", multiple=True, metavar="NAME",
              help="Only the articles assigned to this analyst (repeat for several): what to send them.")
@click.option("--variant", metavar="NAME", help="Shape within the format: doccano relations (default) or labels.")
@click.option(
    "--offset-units", type=click.Choice(["codepoint", "utf16"]),
    help="Offset units for formats whose tools differ (doccano: utf16 by default; labelstudio: codepoint).",
)
@click.option("--include-deleted", is_flag=True, help="jsonl: also write deleted spans and relations (tombstones).")
@click.option(
    "--include-suggestions", is_flag=True,
    help="Also write the open suggestions: labelstudio as predictions, jsonl as a suggestions list flagged "
    "suggested; other formats have no place for them and count them as not written.",
)
@click.option("--shard-rows", type=int, metavar="N", help="parquet: at most N articles per file (default 50,000).")
@click.option(
    "--split", "split", metavar="NAME=FRACTION,...",
    help="parquet: split the articles, e.g. train=0.8,dev=0.1,test=0.1 (default: all in train).",
)
@click.option("--seed", metavar="S", help="parquet: the seed of the split (default 0); an article keeps its split.")
@pass_env
def export_command(
    env: Env, format_name: str, output: str, annotators: tuple[str, ...], labels: tuple[str, ...],
    articles: tuple[str, ...], status: str | None, variant: str | None = None,
    offset_units: str | None = None, include_deleted: bool = False, shard_rows: int | None = None,
    split: str | None = None, seed: str | None = None, assigned_to: tuple[str, ...] = (),
    include_suggestions: bool = False,
) -> None:
    """Export articles with their annotations.

    --article and --status choose the articles; --annotator and --label choose the spans within
    them, each repeatable: a span is written when its annotator is one of those given and its label
    one of those given (an article with no matching span is still written, with an empty span list).
    Formats: see docs/formats.md. brat and parquet write a folder (-o DIR), docbin a binary file
    (-o FILE). conll, hf, docbin, doccano and brat hold one layer of spans: when the chosen spans are
    by several annotators, choose one (--annotator NAME) or their union (--annotator all). parquet
    holds every annotator's spans; jsonl also carries who each article is assigned to (a
    coordinator sends an analyst their work with --assigned-to NAME). --split decides each article's split by a hash of --seed and its
    id, so an article keeps its split as the corpus grows.
    A progress bar counts the articles on stderr when stderr is a terminal.
    """
    from ..formats import ALL_ANNOTATORS, export_to_path, export_to_stream, format_module, format_options, output_kind
    from ..formats import single_layer
    from ..store import ExportFilter

    store = env.store(readonly=True)
    module = format_module(format_name)
    if include_deleted and format_name != "jsonl":
        raise ValidationError("--include-deleted is for the jsonl format (the exchange format between colleagues)")
    union = ALL_ANNOTATORS in annotators
    annotators = tuple(a for a in annotators if a != ALL_ANNOTATORS)
    selection = ExportFilter(
        merge_identical=union and single_layer(module),
        annotators=annotators or None,
        labels=tuple(store.schema.resolve_label(label) for label in labels) or None,
        article_ids=tuple(store.resolve_article_id(a) for a in articles) if articles else None,
        status=status,
        include_deleted=include_deleted,
        assigned_to=tuple(a.strip() for a in assigned_to) or None,
        include_suggestions=include_suggestions,
    )
    if format_name != "parquet" and (shard_rows is not None or split is not None or seed is not None):
        raise ValidationError("--shard-rows, --split and --seed are for the parquet format")
    given = (("variant", variant), ("offset_units", offset_units), ("shard_rows", shard_rows), ("split", split), ("seed", seed))
    options = {k: v for k, v in given if v is not None}
    format_options(module, **options)  # refused before anything is written
    if format_name == "parquet":
        module.check_options(shard_rows, split, seed)  # a bad --split too
    if output == "-":
        kind = output_kind(module)
        if kind != "text":
            what = "a folder" if kind == "folder" else "a binary file"
            raise ValidationError(f"the {format_name} format writes {what}; give -o {'DIR' if kind == 'folder' else 'FILE'}")
        # the bar only when the export itself does not go to the same terminal
        with CountingProgress("Exporting", stderr_is_terminal() and not sys.stdout.isatty()) as bar:
            with click.open_file("-", "w", encoding="utf-8") as stream:
                stats = export_to_stream(store, format_name, stream, selection, progress=bar, **options)
        where = "standard output"
    else:
        with CountingProgress("Exporting") as bar:
            stats = export_to_path(store, format_name, Path(output), selection, progress=bar, **options)
        where = output
    err(f"exported {plural(stats.spans, 'span')} from {plural(stats.articles, 'article')} to {where}"
        + (f", and {plural(stats.suggestions, 'suggestion')}" if stats.suggestions else ""))
    for part in stats.parts:
        err(f"  {part}")
    for written in stats.files:
        err(f"also wrote {written}")
    for problem in stats.problems():
        err(problem)
    for example in stats.examples[:10]:
        err(f"  {example}")


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Also write the progress tables to DIR as CSV (labels, assignments, per_day, agreement).")
@pass_env
def stats_command(env: Env, as_json: bool, csv_dir: Path | None = None) -> None:
    """Count articles, annotations and relations, per status, per label and per annotator; and the
    team's progress: annotations per analyst and label, each analyst's assignments (todo, in
    progress, done), annotations per day, agreement on the articles given to several analysts
    (the figures of `annotator agree`, over the articles each two analysts share)."""
    from ..review import progress, progress_tables, write_progress_csv

    figures = _stats(env)
    team = progress(env.store(readonly=True)) if env.project.exists() else {
        "by_annotator_label": {}, "assignments": {}, "per_day": [], "agreement": []}
    figures.update(team)
    if csv_dir is not None:
        written = write_progress_csv(team, csv_dir)
        err(f"wrote {', '.join(p.name for p in written)} to {csv_dir}")
    if as_json:
        echo_json(figures)
        return
    for key in ("articles", "annotations", "relations"):
        click.echo(f"{key:<12} {figures[key]}")
    for heading, key in (("by status", "by_status"), ("by label", "by_label"), ("by annotator", "by_annotator")):
        counts = figures[key]
        if not counts:
            continue
        click.echo(f"\n{heading}")
        width = max(len(name or "(none)") for name in counts)
        digits = max(len(str(n)) for n in counts.values())
        for name, n in counts.items():
            click.echo(f"  {name or '(none)':<{width}}  {n:>{digits}}")
    for table in progress_tables(team):
        if not table.rows:
            continue
        click.echo(f"\n{table.title.lower()}")
        cells = [[table.cell(c) for c in row] for row in table.rows]
        widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(table.headers)]
        for row in [[h.upper() for h in table.headers], *cells]:
            click.echo("  " + "  ".join(c.ljust(w) if i == 0 or (table.name == "agreement" and i == 1) else c.rjust(w)
                                       for i, (c, w) in enumerate(zip(row, widths))).rstrip())


def _stats(env: Env) -> dict[str, Any]:
    if not env.project.exists():
        return {"articles": 0, "annotations": 0, "relations": 0, "by_status": {}, "by_label": {}, "by_annotator": {}}
    store = env.store(readonly=True)
    figures: dict[str, Any] = dict(store.counts())
    statuses = store.status_counts()
    figures["by_status"] = {s: statuses[s] for s in ARTICLE_STATUSES if statuses.get(s)}
    figures["by_label"] = store.annotation_counts("label")
    figures["by_annotator"] = store.annotation_counts("annotator")
    return figures
