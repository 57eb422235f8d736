"""The `annotator` command line: a thin layer over the store, the import service and the formats.

Every command opens the project named by `--project` (or ANNOTATOR_PROJECT, or the default project
under the user's data dir). Errors of the core (`AnnotatorError`) are shown as "Error: <message>"
with exit status 1; click's usage errors exit with 2; an unexpected exception is shown on one line
unless ANNOTATOR_DEBUG=1. Qt is imported only by the `gui` command.

Start-up is part of the product (`annotator --version` and `annotator list` within 1.5x of a bare
`import click, sqlite3`; benchmarks/bench_startup.py): the store, the importers and the formats'
modules are imported by the commands that use them, and the commands defined in cli_review,
cli_annotations and cli_schema are loaded only when one of them is run or the commands are listed.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

import click

from . import __version__, settings
from .errors import AnnotatorError, NotFoundError, ProjectError, ProjectNeedsUpgrade, ValidationError
from .formats import FORMATS
from .model import ARTICLE_STATUSES, BLOCK_KINDS, Annotation, Article

if TYPE_CHECKING:
    from .importing import ImportedArticle, ImportReport
    from .store import Store

PROGRESS_MIN_FILES = 4
SHORT_ID = 8

# -- plumbing ------------------------------------------------------------------------------------


class Env:
    """Per-invocation state: the project path and the store, opened on first use."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self._store: Store | None = None

    def store(self, *, readonly: bool = False) -> Store:
        if self._store is not None and (readonly or not self._store.readonly):
            return self._store
        self.close()
        from .store import Store

        if readonly and not self.project.exists():
            raise ProjectError(f"{self.project}: no such project file (import articles first: annotator import FILE)")
        try:
            self._store = Store.open(self.project, readonly=readonly, timeout=busy_timeout())
        except ProjectNeedsUpgrade:
            # The user's own project from an older version: upgrade it in place, as the app would.
            self._store = Store.open(self.project, timeout=busy_timeout())
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def busy_timeout() -> float:
    """Seconds to wait for a project locked by another window; ANNOTATOR_BUSY_TIMEOUT overrides."""
    raw = os.environ.get("ANNOTATOR_BUSY_TIMEOUT", "").strip()
    if not raw:
        from .store import BUSY_TIMEOUT_SECONDS

        return BUSY_TIMEOUT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise AnnotatorError(f"ANNOTATOR_BUSY_TIMEOUT must be a number of seconds; got {raw!r}") from None
    if value < 0:
        raise AnnotatorError(f"ANNOTATOR_BUSY_TIMEOUT must not be negative; got {raw!r}")
    return value


def _debug() -> bool:
    return os.environ.get("ANNOTATOR_DEBUG", "").strip() not in ("", "0", "false", "no")


_PASS_THROUGH = (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)


class AnnotatorGroup(click.Group):
    """Turns core errors into "Error: ..." (exit 1) and any other exception into one line.

    The commands of `LAZY_COMMANDS` are added when first needed: a name this module does not
    define, or the list of all commands (`--help`).
    """

    lazy_loaded = False

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and not self.lazy_loaded:
            self._load_lazy()
            command = super().get_command(ctx, cmd_name)
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_lazy()
        return super().list_commands(ctx)

    def _load_lazy(self) -> None:
        if self.lazy_loaded:
            return
        self.lazy_loaded = True
        for module_name, attribute in LAZY_COMMANDS:
            commands = getattr(importlib.import_module(module_name), attribute)
            for command in commands if isinstance(commands, (tuple, list)) else (commands,):
                self.add_command(command)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _PASS_THROUGH:
            raise
        except AnnotatorError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            if exc.errno == 32:  # EPIPE: `annotator export | head`; click quiets it
                raise
            if _debug():
                raise
            raise click.ClickException(_unexpected(exc)) from None
        except Exception as exc:
            if _debug():
                raise
            raise click.ClickException(_unexpected(exc)) from None


def _unexpected(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()
    first = f": {detail[0]}" if detail else ""
    return f"unexpected {type(exc).__name__}{first}\n(run with ANNOTATOR_DEBUG=1 for details)"


def _echo_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _err(message: str) -> None:
    click.echo(message, err=True)


def _title(article_title: str) -> str:
    return article_title or "(untitled)"


# -- the group -----------------------------------------------------------------------------------


@click.group(cls=AnnotatorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="ANNOTATOR_PROJECT",
    show_envvar=True,
    metavar="FILE",
    help="Project file to use; created on first write. Default: default.annotator in the user data folder.",
)
@click.version_option(__version__, "--version", prog_name="annotator", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, project: Path | None) -> None:
    """Annotate claims, sources and captions in news articles, offline.

    A project is one SQLite file holding the articles and their annotations. Ids can be shortened
    to any unique prefix. Offsets are Unicode code points into the article text, end exclusive.

    \b
    Examples:
      annotator import articles/
      annotator list
      annotator show d3d1fb43
      annotator add d3d1fb43 200 211 SOURCE --attr "type=named person"
      annotator export --format jsonl -o corpus.jsonl
      annotator gui
    """
    env = Env(project if project is not None else settings.default_project_path())
    ctx.obj = env
    ctx.call_on_close(env.close)


pass_env = click.pass_obj

# -- import --------------------------------------------------------------------------------------


_PLURALS = {"related": "related", "image_alt": "image alts", "list_item": "list items"}


def block_counts(article: Article | ImportedArticle) -> str:
    """"1 headline, 12 paragraphs, 3 captions": the block kinds of an article, in document order of kinds."""
    from .importing import ImportedArticle

    if isinstance(article, ImportedArticle):
        counts = Counter(article.kind_counts)
    else:
        counts = Counter(block.kind for block in article.blocks)
    parts = []
    for kind in BLOCK_KINDS:
        n = counts.get(kind, 0)
        if n:
            name = kind.replace("_", " ") if n == 1 else _PLURALS.get(kind, kind.replace("_", " ") + "s")
            parts.append(f"{n} {name}")
    return ", ".join(parts) or "no blocks"


class _ProgressBar:
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


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_env
def import_command(env: Env, paths: tuple[Path, ...]) -> None:
    """Import articles from files or folders (searched recursively): copied text (.txt), saved
    web pages (.html, .mhtml; a page's _files folder is skipped), article JSON or JSON Lines.

    Hidden files and folders are skipped. Each file is imported on its own: a bad file is reported
    and the others are still imported. An article already in the project (same text) is reported as
    a duplicate and left as it is.

    Prints one line per article (id, title, block counts), then a summary on stderr. Exits with
    status 1 if any file failed.
    """
    from .importing import import_paths

    store = env.store()
    bar = _ProgressBar(enabled=sys.stderr.isatty())
    try:
        report = import_paths(store, paths, progress=bar)
    finally:
        bar.close()
    _print_import_report(report)
    if report.failed:
        click.get_current_context().exit(1)


def _print_import_report(report: ImportReport) -> None:
    for article in report.imported:
        click.echo(f"{article.id}  {_title(article.title)}  ({block_counts(article)})")
    for _path, article in report.duplicates:
        click.echo(f"{article.id}  {_title(article.title)}  (duplicate of {article.id})")
    for path, reason in report.failed:
        _err(f"failed: {path}: {reason}")
    _err(f"imported {len(report.imported)}, duplicates {len(report.duplicates)}, failed {len(report.failed)}")


# -- list / show ---------------------------------------------------------------------------------


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@pass_env
def list_command(env: Env, as_json: bool) -> None:
    """List the articles: id, status, number of annotations, title."""
    summaries = env.store(readonly=True).list_articles() if env.project.exists() else []
    if as_json:
        _echo_json([asdict(s) for s in summaries])
        return
    if not summaries:
        _err(f"no articles in {env.project}")
        return
    rows = [(s.id, s.status, str(s.annotations), _title(s.title)) for s in summaries]
    _print_table(("ID", "STATUS", "ANNOTATIONS", "TITLE"), rows, right_aligned=frozenset({2}))


def _print_table(
    header: tuple[str, ...], rows: list[tuple[str, ...]], right_aligned: frozenset[int] = frozenset()
) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            cell.rjust(widths[i]) if i in right_aligned else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ]
        cells[-1] = row[-1]  # no trailing padding
        click.echo("  ".join(cells))


def annotation_record(annotation: Annotation) -> dict:
    return {
        "id": annotation.id,
        "start": annotation.start,
        "end": annotation.end,
        "label": annotation.label,
        "quote": annotation.quote,
        "annotator": annotation.annotator,
        "attributes": annotation.attributes,
        "note": annotation.note,
    }


def show_record(store: Store, article: Article) -> dict:
    """The `show --json` shape (documented in docs/cli.md)."""
    from .formats import jsonl

    return {
        **jsonl.article_fields(article),
        "annotations": [annotation_record(a) for a in store.annotations_for(article.id)],
        "relations": [
            {"id": r.id, "head": r.head, "tail": r.tail, "type": r.type, "annotator": r.annotator}
            for r in store.relations_for(article.id)
        ],
    }


@main.command("show")
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the article, its blocks and annotations as JSON.")
@pass_env
def show_command(env: Env, article_id: str, as_json: bool) -> None:
    """Show an article: metadata, blocks and annotations (ID may be a unique prefix)."""
    store = env.store(readonly=True)
    article = store.get_article(store.resolve_article_id(article_id))
    record = show_record(store, article)
    if as_json:
        _echo_json(record)
    else:
        _print_article(record)


def _print_article(record: dict) -> None:
    click.secho(_title(record["title"]), bold=True)
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
    annotations = record["annotations"]
    click.secho(f"Annotations ({len(annotations)})", bold=True)
    for a in annotations:
        click.echo(f"  {_annotation_line(a)}")
    if record["relations"]:
        click.echo()
        click.secho(f"Relations ({len(record['relations'])})", bold=True)
        for r in record["relations"]:
            arrow = f"{r['head'][:SHORT_ID]} -{r['type']}-> {r['tail'][:SHORT_ID]}"
            click.echo(f"  {r['id'][:SHORT_ID]}  {arrow}  by {r['annotator']}")


def _annotation_line(a: dict) -> str:
    quote = json.dumps(a["quote"], ensure_ascii=False)
    line = f"{a['id'][:SHORT_ID]}  {a['start']}-{a['end']}  {a['label']}  {quote}  by {a['annotator']}"
    if a["attributes"]:
        line += "  " + ", ".join(f"{k}={v}" for k, v in a["attributes"].items())
    if a["note"]:
        line += f"  note: {a['note']}"
    return line


# -- editing -------------------------------------------------------------------------------------


def _label_name(store: Store, name: str) -> str:
    """The schema's spelling of a label; "claim" finds CLAIM. Unknown labels raise with the list."""
    names = store.schema.names
    if name in names:
        return name
    folded = [n for n in names if n.casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0]
    return store.schema.label(name).name  # raises ValidationError listing the labels


def _parse_attrs(ctx: click.Context, param: click.Parameter, values: Iterable[str]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", ctx=ctx, param=param)
        attributes[key.strip()] = value.strip()
    return attributes


@main.command("add")
@click.argument("article_id")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("label")
@click.option("--annotator", metavar="NAME", help="Who annotates. Default: the configured name (annotator config).")
@click.option("--note", default="", help="A free-text note on the annotation.")
@click.option(
    "--attr",
    "attributes",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_parse_attrs,
    help="An attribute of the label, e.g. --attr checkworthy=yes. Repeat for several.",
)
@pass_env
def add_command(
    env: Env, article_id: str, start: int, end: int, label: str, annotator: str | None, note: str, attributes: dict
) -> None:
    """Annotate the text from START to END (code points, end exclusive) with LABEL.

    Prints the new annotation's id on stdout.
    """
    store = env.store()
    resolved = store.resolve_article_id(article_id)
    label = _label_name(store, label)
    if 0 <= start < end:  # a CAPTION over a photo credit gets it as its credit (annotator/prefill.py)
        from .prefill import prefill_attributes

        article = store.get_article(resolved)
        if end <= len(article.text):
            attributes = prefill_attributes(store.schema, article, start, end, label, attributes)
    annotation = store.add_annotation(
        resolved,
        start,
        end,
        label,
        annotator=annotator or settings.annotator_name(),
        attributes=attributes,
        note=note,
    )
    click.echo(annotation.id)
    _err(f"added {annotation.label} {json.dumps(annotation.quote, ensure_ascii=False)} ({start}-{end})")


def _live_annotation(store: Store, annotation_id: str) -> Annotation:
    annotation = store.get_annotation(store.resolve_annotation_id(annotation_id))
    if annotation.deleted:
        raise NotFoundError(f"annotation {annotation.id} is deleted")
    return annotation


@main.command("delete")
@click.argument("annotation_id")
@pass_env
def delete_command(env: Env, annotation_id: str) -> None:
    """Delete an annotation (and the relations that use it)."""
    store = env.store()
    annotation = _live_annotation(store, annotation_id)
    relations = store.delete_annotation(annotation.id)
    extra = f" and {len(relations)} relation{'s' if len(relations) != 1 else ''}" if relations else ""
    click.echo(f"deleted {annotation.id}{extra}")


@main.command("label")
@click.argument("annotation_id")
@click.argument("label")
@pass_env
def label_command(env: Env, annotation_id: str, label: str) -> None:
    """Change an annotation's label. Attributes the new label does not have are dropped."""
    store = env.store()
    annotation = _live_annotation(store, annotation_id)
    changed = store.update_annotation(annotation.id, label=_label_name(store, label))
    click.echo(f"{changed.id}  {annotation.label} -> {changed.label}")


@main.command("status")
@click.argument("article_id")
@click.argument("status", type=click.Choice(ARTICLE_STATUSES))
@pass_env
def status_command(env: Env, article_id: str, status: str) -> None:
    """Set an article's status: todo, in_progress or done."""
    store = env.store()
    resolved = store.resolve_article_id(article_id)
    store.set_article_status(resolved, status)
    click.echo(f"{resolved}  {status}")


# -- export --------------------------------------------------------------------------------------


@main.command("export")
@click.option(
    "--format", "format_name", type=click.Choice(sorted(FORMATS)), default="jsonl", show_default=True,
    help="Output format.",
)
@click.option(
    "-o", "--output", default="-", metavar="FILE",
    help="Write to FILE (replaced only when the export succeeds); - for standard output (default).",
)
@click.option(
    "--annotator", "annotators", multiple=True, metavar="NAME",
    help="Only spans by this annotator (repeat for several).",
)
@click.option("--label", "labels", multiple=True, metavar="LABEL", help="Only spans with this label (repeat for several).")
@click.option("--article", "articles", multiple=True, metavar="ID", help="Only this article (repeat for several).")
@click.option("--status", type=click.Choice(ARTICLE_STATUSES), help="Only articles with this status.")
@click.option("--variant", metavar="NAME", help="Shape within the format: doccano relations (default) or labels.")
@click.option(
    "--offset-units", type=click.Choice(["codepoint", "utf16"]),
    help="Offset units for formats whose tools differ (doccano: utf16 by default; labelstudio: codepoint).",
)
@click.option("--include-deleted", is_flag=True, help="jsonl: also write deleted spans and relations (tombstones).")
@pass_env
def export_command(
    env: Env, format_name: str, output: str, annotators: tuple[str, ...], labels: tuple[str, ...],
    articles: tuple[str, ...], status: str | None, variant: str | None = None,
    offset_units: str | None = None, include_deleted: bool = False,
) -> None:
    """Export articles with their annotations.

    --article and --status choose the articles; --annotator and --label choose the spans within
    them, each repeatable: a span is written when its annotator is one of those given and its label
    one of those given (an article with no matching span is still written, with an empty span list).
    Formats: see docs/formats.md. brat writes a folder (-o DIR), docbin a binary file (-o FILE).
    A progress bar counts the articles on stderr when stderr is a terminal.
    """
    from .cli_annotations import CountingProgress, stderr_is_terminal
    from .formats import export_to_path, format_module

    store = env.store(readonly=True)
    module = format_module(format_name)
    filters: dict[str, Any] = {
        "annotators": list(dict.fromkeys(annotators)) or None,
        "labels": list(dict.fromkeys(_label_name(store, label) for label in labels)) or None,
        "article_ids": [store.resolve_article_id(a) for a in articles] if articles else None,
        "status": status,
    }
    filters.update(_format_options(module, format_name, variant, offset_units, include_deleted))
    if output == "-":
        if getattr(module, "OUTPUT", "text") != "text":
            what = "a folder" if module.OUTPUT == "folder" else "a binary file"
            raise ValidationError(f"the {format_name} format writes {what}; give -o {'DIR' if module.OUTPUT == 'folder' else 'FILE'}")
        # the bar only when the export itself does not go to the same terminal
        with CountingProgress("Exporting", stderr_is_terminal() and not sys.stdout.isatty()) as bar:
            with click.open_file("-", "w", encoding="utf-8") as stream:
                stats = module.write(store, stream, progress=bar, **filters)
        where = "standard output"
    else:
        with CountingProgress("Exporting") as bar:
            stats = export_to_path(store, format_name, Path(output), progress=bar, **filters)
        where = output
    _err(
        f"exported {stats.spans} span{'s' if stats.spans != 1 else ''} from {stats.articles} "
        f"article{'s' if stats.articles != 1 else ''} to {where}"
    )
    for written in stats.files:
        _err(f"also wrote {written}")
    for problem in stats.problems():
        _err(problem)
    for example in stats.examples[:10]:
        _err(f"  {example}")


def _format_options(module: Any, name: str, variant: str | None, units: str | None, deleted: bool) -> dict[str, Any]:
    """The format-specific export options, refused with a clear message where a format has none."""
    options: dict[str, Any] = {}
    if variant is not None:
        variants = getattr(module, "VARIANTS", ())
        if variant not in variants:
            raise ValidationError(
                f"the {name} format has no variant {variant!r}" + (f"; its variants: {', '.join(variants)}" if variants else "")
            )
        options["variant"] = variant
    if units is not None:
        if units not in getattr(module, "UNITS", ()):
            raise ValidationError(f"the {name} format has no choice of offset units; it writes code points or tokens")
        options["offset_units"] = units
    if deleted:
        if name != "jsonl":
            raise ValidationError("--include-deleted is for the jsonl format (the exchange format between colleagues)")
        options["include_deleted"] = True
    return options


# -- stats ---------------------------------------------------------------------------------------


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_env
def stats_command(env: Env, as_json: bool) -> None:
    """Count articles, annotations and relations, per status, per label and per annotator."""
    figures = _stats(env)
    if as_json:
        _echo_json(figures)
        return
    for key in ("articles", "annotations", "relations"):
        click.echo(f"{key:<12} {figures[key]}")
    for title, key in (("by status", "by_status"), ("by label", "by_label"), ("by annotator", "by_annotator")):
        counts = figures[key]
        if not counts:
            continue
        click.echo(f"\n{title}")
        width = max(len(name or "(none)") for name in counts)
        digits = max(len(str(n)) for n in counts.values())
        for name, n in counts.items():
            click.echo(f"  {name or '(none)':<{width}}  {n:>{digits}}")


def _stats(env: Env) -> dict:
    if not env.project.exists():
        return {"articles": 0, "annotations": 0, "relations": 0, "by_status": {}, "by_label": {}, "by_annotator": {}}
    store = env.store(readonly=True)
    figures: dict[str, Any] = dict(store.counts())
    statuses = Counter(s.status for s in store.list_articles())
    figures["by_status"] = {s: statuses[s] for s in ARTICLE_STATUSES if statuses[s]}
    figures["by_label"] = store.annotation_counts("label")
    figures["by_annotator"] = store.annotation_counts("annotator")
    return figures


# -- config --------------------------------------------------------------------------------------


@main.group("config", invoke_without_command=True)
@click.pass_context
def config_group(ctx: click.Context) -> None:
    """Show the settings and paths; `config annotator NAME` sets your name.

    Settings live in settings.json in the config folder (ANNOTATOR_CONFIG_DIR overrides it).
    """
    if ctx.invoked_subcommand is not None:
        return
    env: Env = ctx.obj
    data = settings.load()
    rows = [
        ("project", str(env.project)),
        ("config dir", str(settings.config_dir())),
        ("annotator", settings.annotator_name() + ("" if data.get("annotator") else "  (not set: login name)")),
    ]
    rows += [(key, json.dumps(value, ensure_ascii=False)) for key, value in sorted(data.items()) if key != "annotator"]
    width = max(len(key) for key, _ in rows)
    for key, value in rows:
        click.echo(f"{key:<{width}}  {value}")


@config_group.command("annotator")
@click.argument("name", required=False)
def config_annotator(name: str | None) -> None:
    """Show the annotator name, or set it to NAME."""
    if name is None:
        click.echo(settings.annotator_name())
        return
    if not name.strip():
        raise ValidationError("the annotator name cannot be empty")
    settings.set_value("annotator", name.strip())
    click.echo(name.strip())


# -- gui -----------------------------------------------------------------------------------------


_NO_GUI = "the desktop interface is not available in this installation"


def _load_gui() -> Callable[[Path, str | None, Path | None], int]:
    """Import the Qt application only now, so that no other command pays for (or needs) Qt."""
    try:
        app = importlib.import_module("annotator.ui.app")
    except ModuleNotFoundError as exc:
        name = exc.name or ""
        if name.startswith("PySide6") or name.startswith("shiboken"):
            raise AnnotatorError("the desktop interface needs PySide6: pip install PySide6-Essentials") from None
        if name.startswith("annotator.ui"):
            raise AnnotatorError(f"{_NO_GUI} (annotator.ui.app is missing)") from None
        raise
    except ImportError as exc:  # e.g. a missing system library such as libEGL
        raise AnnotatorError(f"the desktop interface cannot start: {exc}") from None
    run = getattr(app, "run", None)
    if not callable(run):
        raise AnnotatorError(f"{_NO_GUI} (annotator.ui.app has no run function)")
    return run


def _gui_target(env: Env, targets: tuple[str, ...]) -> str:
    """The article to open: existing files and folders are imported (together) and the first
    one's article is opened; a single target that is no file is an article id prefix."""
    from .importing import import_paths

    paths = [Path(target) for target in targets]
    if len(targets) == 1 and not paths[0].exists():
        return env.store().resolve_article_id(targets[0])
    for path in paths:
        if not path.exists():
            raise AnnotatorError(f"{path}: no such file or folder")
    report = import_paths(env.store(), paths)
    for failed, reason in report.failed:
        _err(f"failed: {failed}: {reason}")
    found = sorted([(a.path, a.id) for a in report.imported] + [(p, a.id) for p, a in report.duplicates])
    if not found:
        raise AnnotatorError(f"{paths[0]}: no article could be imported")
    for target in paths:
        for path, article_id in found:
            if path == target or target in path.parents:
                return article_id
    return found[0][1]


@main.command("gui")
@click.argument("targets", nargs=-1, metavar="[ID | PATH...]")
@click.option(
    "--screenshot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="Render the window to a PNG file and quit (for docs and checks; needs no display).",
)
@click.pass_context
def gui_command(ctx: click.Context, targets: tuple[str, ...], screenshot: Path | None) -> None:
    """Open the desktop application, optionally on an article (id prefix) or on files to import.

    Several files or folders (as a file manager's "Open with" passes them) are imported together
    and the window opens on the first one's article. Before Qt is loaded, the system libraries it
    needs and the display are checked, so that a missing one gets a message instead of a crash.
    """
    from .desktop_check import ensure_can_start

    env: Env = ctx.obj
    ensure_can_start(headless=screenshot is not None)
    run = _load_gui()
    resolved = _gui_target(env, targets) if targets else None
    env.close()  # the window opens its own connection
    ctx.exit(run(env.project, resolved, screenshot) or 0)


# -- commands defined apart, added by AnnotatorGroup when first needed ------------------------------

LAZY_COMMANDS: tuple[tuple[str, str], ...] = (
    ("annotator.cli_review", "REVIEW_COMMANDS"),  # agree, review, adjudicate, decisions, undo-decision, merge
    ("annotator.cli_annotations", "import_annotations_command"),
    ("annotator.cli_schema", "SCHEMA_COMMANDS"),  # schema, relate, unrelate
)

if __name__ == "__main__":  # pragma: no cover
    main()
