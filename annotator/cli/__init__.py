"""The `annotator` command line: a thin layer over the operations, the store and the formats.

This module is the wiring (Mu keeps its wiring in one module too): the group, its error handling,
and the registration of each command, which is defined in the module of its kind. Every command
opens the project named by `--project` (or ANNOTATOR_PROJECT, or the default project under the
user's data dir). Errors of the core (`AnnotatorError`) are shown as "Error: <message>" with exit
status 1; click's usage errors exit with 2; anything else is a bug, shown on one line as such
unless ANNOTATOR_DEBUG=1. Modules are imported by the commands that need them, so `--version` or
`list` load no format, no HTML stack and no Qt.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from .. import __version__, settings
from ..errors import AnnotatorError
from . import annotation_sets, articles, config, editing, exporting, gui, history, review, schema
from .env import Env

_PASS_THROUGH = (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)


def _debug() -> bool:
    return os.environ.get("ANNOTATOR_DEBUG", "").strip() not in ("", "0", "false", "no")


def _bug(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()
    first = f" ({detail[0]})" if detail else ""
    return (f"something went wrong inside News Annotator{first}; the project was left as it was.\n"
            "Please report it, with the output of the same command run with ANNOTATOR_DEBUG=1")


class AnnotatorGroup(click.Group):
    """Turns core errors into "Error: ..." (exit 1) and any other exception into one line."""

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
            raise click.ClickException(f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}") from None
        except Exception as exc:
            if _debug():
                raise
            raise click.ClickException(_bug(exc)) from None


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
    Every edit is recorded in the project's journal: `annotator history`, `undo`, `redo`.

    \b
    Examples:
      annotator import articles/
      annotator list
      annotator show d3d1fb43
      annotator add d3d1fb43 200 211 SOURCE --attr type=person
      annotator undo
      annotator export --format jsonl -o corpus.jsonl
      annotator gui
    """
    env = Env(project if project is not None else settings.default_project_path())
    ctx.obj = env
    ctx.call_on_close(env.close)


COMMANDS = (
    articles.import_command,
    articles.list_command,
    articles.show_command,
    *editing.EDITING_COMMANDS,
    *history.HISTORY_COMMANDS,
    exporting.export_command,
    exporting.stats_command,
    annotation_sets.import_annotations_command,
    schema.schema_group,
    *review.REVIEW_COMMANDS,
    config.config_group,
    gui.gui_command,
)
for _command in COMMANDS:
    main.add_command(_command)
