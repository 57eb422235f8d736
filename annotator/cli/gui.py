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


def _gui_target(env: Env, targets: tuple[str, ...]) -> str:
    """The article to open: existing files and folders are imported (together, one undo step) and
    the first one's article is opened; a single target that is no file is an article id prefix."""
    paths = [Path(target) for target in targets]
    if len(targets) == 1 and not paths[0].exists():
        return env.store().resolve_article_id(targets[0])
    for path in paths:
        if not path.exists():
            raise AnnotatorError(f"{path}: no such file or folder")
    from ..importing import import_paths

    report = import_paths(env.store(), paths, annotator=me())
    for failed, reason in report.failed:
        err(f"failed: {failed}: {reason}")
    found = sorted([(a.path, a.id) for a in report.imported] + [(p, a.id) for p, a in report.duplicates])
    if not found:
        raise AnnotatorError(f"{paths[0]}: no article could be imported")
    for target in paths:
        for path, article_id in found:
            if path == target or target in path.parents:
                return article_id
    return found[0][1]


@click.command("gui")
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
    from ..desktop_check import ensure_can_start

    env: Env = ctx.obj
    ensure_can_start(headless=screenshot is not None)
    run = _load_gui()
    resolved = _gui_target(env, targets) if targets else None
    env.close()  # the window opens its own connection
    ctx.exit(run(env.project, resolved, screenshot) or 0)
