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
from .env import Env

# command name -> (module of annotator.cli, attribute): imported only when that command runs (or
# `--help` lists them all), so `annotator --version` or `list` load nothing they do not use.
COMMANDS: dict[str, tuple[str, str]] = {
    "import": ("articles", "import_command"),
    "list": ("articles", "list_command"),
    "show": ("articles", "show_command"),
    "search": ("search", "search_command"),
    "add": ("editing", "add_command"),
    "delete": ("editing", "delete_command"),
    "label": ("editing", "label_command"),
    "status": ("editing", "status_command"),
    "relate": ("editing", "relate_command"),
    "unrelate": ("editing", "unrelate_command"),
    "history": ("history", "history_command"),
    "undo": ("history", "undo_command"),
    "redo": ("history", "redo_command"),
    "export": ("exporting", "export_command"),
    "stats": ("exporting", "stats_command"),
    "import-annotations": ("annotation_sets", "import_annotations_command"),
    "schema": ("schema", "schema_group"),
    "agree": ("review", "agree_command"),
    "review": ("review", "review_command"),
    "adjudicate": ("review", "adjudicate_command"),
    "decisions": ("review", "decisions_command"),
    "undo-decision": ("review", "undo_decision_command"),
    "merge": ("review", "merge_command"),
    "assign": ("assignments", "assign_command"),
    "unassign": ("assignments", "unassign_command"),
    "assignments": ("assignments", "assignments_command"),
    "suggest": ("suggestions", "suggest_command"),
    "suggestions": ("suggestions", "suggestions_group"),
    "config": ("config", "config_group"),
    "gui": ("gui", "gui_command"),
}

_PASS_THROUGH = (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)


def _debug() -> bool:
    return os.environ.get("ANNOTATOR_DEBUG", "").strip() not in ("", "0", "false", "no")


def _bug(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()
    first = f" ({detail[0]})" if detail else ""
    return (f"something went wrong inside News Annotator{first}; the project was left as it was.\n"
            "Please report it, with the output of the same command run with ANNOTATOR_DEBUG=1")


class AnnotatorGroup(click.Group):
    """Loads each command on first use (COMMANDS); turns core errors into "Error: ..." (exit 1) and
    any other exception into one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = COMMANDS.get(cmd_name)
        if found is None:
            return None
        import importlib

        module, attribute = found
        return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)

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
      annotator add d3d1fb43 200 211 SOURCE --attr "type=named person"
      annotator undo
      annotator export --format jsonl -o corpus.jsonl
      annotator gui
    """
    env = Env(project if project is not None else settings.default_project_path())
    ctx.obj = env
    ctx.call_on_close(env.close)
