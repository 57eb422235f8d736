"""`annotator gui`: the desktop application. Qt is imported only by this command."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

import click

from ..errors import AnnotatorError
from .env import Env, me
from .output import err




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


def _gui_target(env: Env, target: str) -> str:
    """An existing file or folder is imported and its (first) article opened; otherwise an id prefix."""
    path = Path(target)
    store = env.store()
    if not path.exists():
        return store.resolve_article_id(target)
    from ..importing import import_paths

    report = import_paths(store, [path], annotator=me())
    for failed, reason in report.failed:
        err(f"failed: {failed}: {reason}")
    articles = report.imported + [article for _, article in report.duplicates]
    if not articles:
        raise AnnotatorError(f"{path}: no article could be imported")
    return articles[0].id


@click.command("gui")
@click.argument("target", required=False, metavar="[ID|PATH]")
@click.option(
    "--screenshot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="Render the window to a PNG file and quit (for docs and checks).",
)
@click.pass_context
def gui_command(ctx: click.Context, target: str | None, screenshot: Path | None) -> None:
    """Open the desktop application, optionally on an article (id prefix) or a file to import."""
    env: Env = ctx.obj
    run = _load_gui()
    resolved = _gui_target(env, target) if target else None
    env.close()  # the window opens its own connection
    ctx.exit(run(env.project, resolved, screenshot) or 0)
