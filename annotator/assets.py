"""The application's identity and its resources (resources/ in the repository, installed as the
package `annotator.resources`), found through importlib.resources wherever the app is installed:
a wheel, an editable install or a PyInstaller bundle.

No Qt here: the CLI and the start-up checks use it too; annotator/ui turns these paths into icons.
"""

from __future__ import annotations

from pathlib import Path

APP_ID = "io.github.newsannotator.NewsAnnotator"  # the .desktop file, AppStream, WM class, app id
APP_NAME = "News Annotator"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
_PACKAGE = "annotator.resources"


def resource_path(*parts: str) -> Path:
    """The file of a resource, e.g. resource_path("icons", "news-annotator.ico").

    The resources are installed as plain files (never zipped: setuptools installs them unpacked
    and PyInstaller copies them into the bundle), so the path can be handed to Qt as it is.
    """
    return _root().joinpath(*parts)


_ROOT: list[Path] = []


def _root() -> Path:
    """The resources folder, looked up once (the window asks for eight icon sizes at start)."""
    if not _ROOT:
        # The package's folder, as the import system found it: importlib.resources (with tempfile,
        # zipfile and typing) costs the window 10 ms to import and gives the same folder here.
        from importlib.util import find_spec

        spec = find_spec(_PACKAGE)
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        if folders and Path(folders[0]).is_dir():
            _ROOT.append(Path(folders[0]))
        else:
            from importlib import resources

            _ROOT.append(Path(str(resources.files(_PACKAGE))))
    return _ROOT[0]


def read_text(*parts: str) -> str:
    return resource_path(*parts).read_text("utf-8")


def icon_png(size: int) -> Path:
    """The application icon as a PNG of `size` pixels (one of ICON_SIZES), in the hicolor layout."""
    return resource_path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")


def icon_svg() -> Path:
    return resource_path("icons", f"{APP_ID}.svg")
