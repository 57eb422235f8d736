"""`annotator import`, `list` and `show`: bringing articles in and reading them."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from ..model import BLOCK_KINDS
from .env import Env, me, pass_env
from .output import SHORT_ID, echo_json, err, quoted, title

PROGRESS_MIN_FILES = 4
_PLURALS = {"related": "related", "image_alt": "image alts", "list_item": "list items"}


def block_counts(counts: dict[str, int]) -> str:
    """"1 headline, 12 paragraphs, 3 captions": the block kinds of an article, in the order of kinds."""
    parts = []
    for kind in BLOCK_KINDS:
        n = counts.get(kind, 0)
        if n:
            name = kind.replace("_", " ") if n == 1 else _PLURALS.get(kind, kind.replace("_", " ") + "s")
            parts.append(f"{n} {name}")
    return ", ".join(parts) or "no blocks"


class ProgressBar:
    """A click progress bar on stderr, shown only on a terminal and for more than a few files."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None

    def __call__(self, done: int, total: int, path: Path) -> None:
        if not self.enabled or total < PROGRESS_MIN_FILES:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="Importing", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(1, path.name)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_env
def import_command(env: Env, paths: tuple[Path, ...]) -> None:
    """Import articles from files or folders (searched recursively): copied text (.txt), saved
    web pages (.html, .mhtml; a page's _files folder is skipped), article JSON or JSON Lines.

    Hidden files and folders are skipped. Each file is imported on its own: a bad file is reported
    and the others are still imported. An article already in the project (same text) is reported as
    a duplicate and left as it is. The whole import is one undo step (`annotator undo`).

    Prints one line per article (id, title, block counts), then a summary on stderr. Exits with
    status 1 if any file failed.
    """
    from ..importing import import_paths

    store = env.store()
    bar = ProgressBar(enabled=sys.stderr.isatty())
    try:
        report = import_paths(store, paths, progress=bar, annotator=me())
    finally:
        bar.close()
    for article in report.imported:
        click.echo(f"{article.id}  {title(article.title)}  ({block_counts(article.kind_counts)})")
    for _path, article in report.duplicates:
        click.echo(f"{article.id}  {title(article.title)}  (duplicate of {article.id})")
    for path, reason in report.failed:
        err(f"failed: {path}: {reason}")
    err(f"imported {len(report.imported)}, duplicates {len(report.duplicates)}, failed {len(report.failed)}")
    if report.failed:
        click.get_current_context().exit(1)


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.option("--assigned-to", "assigned_to", metavar="NAME",
              help="Only the articles assigned to this analyst (annotator assign).")
@pass_env
def list_command(env: Env, as_json: bool, assigned_to: str | None = None) -> None:
    """List the articles: id, status, number of annotations, who they are assigned to, title."""
    summaries, analysts = [], {}
    if env.project.exists():
        store = env.store(readonly=True)
        analysts = store.analysts_of()
        if assigned_to is not None:
            name = assigned_to.strip()
            summaries = store.list_articles(a for a, names in analysts.items() if name in names)
        else:
            summaries = store.list_articles()
    if as_json:
        echo_json([{**asdict(s), "assigned_to": analysts.get(s.id, [])} for s in summaries])
        return
    if not summaries:
        err(f"no articles assigned to {assigned_to} in {env.project}" if assigned_to else f"no articles in {env.project}")
        return
    if analysts:
        rows = [(s.id, s.status, str(s.annotations), ",".join(analysts.get(s.id, [])) or "-", title(s.title))
                for s in summaries]
        header: tuple[str, ...] = ("ID", "STATUS", "ANNOTATIONS", "ASSIGNED", "TITLE")
    else:
        rows = [(s.id, s.status, str(s.annotations), title(s.title)) for s in summaries]
        header = ("ID", "STATUS", "ANNOTATIONS", "TITLE")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [cell.rjust(widths[i]) if i == 2 else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        cells[-1] = row[-1]  # no trailing padding
        click.echo("  ".join(cells))


@click.command("show")
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the article, its blocks and annotations as JSON.")
@pass_env
def show_command(env: Env, article_id: str, as_json: bool) -> None:
    """Show an article: metadata, blocks and annotations (ID may be a unique prefix)."""
    from ..store import codecs

    store = env.store(readonly=True)
    article = store.get_article(store.resolve_article_id(article_id))
    annotations = store.iter_annotation_briefs(article.id)
    relations = [codecs.relation_brief(r) for r in store.relations_for(article.id)]
    if as_json:
        _stream_json(article, annotations, relations)
    else:
        _print_article(codecs.article_record(article), annotations, relations)


STREAM_BATCH = 2000  # items per write


TEXT_CHUNK = 1_000_000  # characters of the text escaped and written at a time


def _stream_json(article, annotations, relations: list[dict]) -> None:
    """The `show --json` object, written as it is read: an article with 100,000 annotations, or
    20 MB of text, never sits in memory as one string (docs/cli.md has the shape). The article's
    fields are indented; each block, annotation and relation is one line, encoded by json's C
    encoder (indenting goes through its pure-Python one, five times slower: seconds for a 20 MB
    article's 94,000 blocks)."""
    from ..store import codecs

    def write(text: str) -> None:
        click.echo(text, nl=False)

    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = json.dumps(codecs.article_metadata(article), ensure_ascii=False, indent=2)
    write(head[: head.rindex("\n}")] + ',\n  "text": "')
    text = article.text
    for i in range(0, len(text), TEXT_CHUNK):  # JSON escapes each character alone: chunks join up
        write(encode(text[i : i + TEXT_CHUNK])[1:-1])
    write('",\n  "blocks": [')
    _write_items(write, encode, codecs.block_records(article))
    write(',\n  "annotations": [')
    _write_items(write, encode, annotations)
    write(',\n  "relations": [')
    _write_items(write, encode, relations)
    write("\n}\n")


def _write_items(write, encode, items) -> None:
    """The items of a JSON array, one a line, and its closing bracket."""
    batch: list[str] = []
    first = True
    for item in items:
        batch.append(("\n    " if first else ",\n    ") + encode(item))
        first = False
        if len(batch) >= STREAM_BATCH:
            write("".join(batch))
            batch.clear()
    write("".join(batch) + ("\n  ]" if not first else "]"))


def _print_article(record: dict, annotations, relations: list[dict]) -> None:
    click.secho(title(record["title"]), bold=True)
    for key in ("id", "status", "outlet", "authors", "published", "section", "url", "language", "source_file", "note"):
        value = record[key]
        if isinstance(value, list):
            value = ", ".join(value)
        if value:
            click.echo(f"  {key:<12} {value}")
    click.echo()
    blocks = record["blocks"]
    width = len(str(len(record["text"])))
    kind_width = max((len(b["kind"]) for b in blocks), default=0)
    click.secho(f"Blocks ({len(blocks)})", bold=True)
    for b in blocks:
        offsets = f"{b['start']:>{width}}-{b['end']:<{width}}"
        click.echo(f"  {offsets}  {b['kind']:<{kind_width}}  {b['text']}")
    click.echo()
    lines = [f"  {_annotation_line(a)}" for a in annotations]
    click.secho(f"Annotations ({len(lines)})", bold=True)
    for line in lines:
        click.echo(line)
    if relations:
        click.echo()
        click.secho(f"Relations ({len(relations)})", bold=True)
        for r in relations:
            arrow = f"{r['head'][:SHORT_ID]} -{r['type']}-> {r['tail'][:SHORT_ID]}"
            click.echo(f"  {r['id'][:SHORT_ID]}  {arrow}  by {r['annotator']}")


def _annotation_line(a: dict) -> str:
    line = f"{a['id'][:SHORT_ID]}  {a['start']}-{a['end']}  {a['label']}  {quoted(a['quote'])}  by {a['annotator']}"
    if a["attributes"]:
        line += "  " + ", ".join(f"{k}={v}" for k, v in a["attributes"].items())
    if a["note"]:
        line += f"  note: {a['note']}"
    return line


