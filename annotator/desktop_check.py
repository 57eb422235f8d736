"""Can the desktop interface start here? Checked before Qt is imported.

When Qt's platform plugin cannot load, Qt aborts the whole process (SIGABRT, exit status 134) with
a message that names a library which may well be installed ("xcb-cursor0 or libxcb-cursor0 is
needed") and not the ones that are missing. So before the `gui` command imports Qt, this module
works out which platform plugin Qt will use (QT_QPA_PLATFORM, else the session type), reads the
shared libraries that plugin and Qt's own libraries need from their ELF headers, tries to load each
one that PySide6 does not bring (ctypes), and turns what is missing into one message naming the
libraries and the packages that provide them on Debian/Ubuntu, Fedora and Arch. Without a display
the message says so. Nothing here imports Qt; the command line never runs it.

Only Linux is checked: the Windows and macOS wheels and bundles carry all their libraries.
"""

from __future__ import annotations

import importlib.util
import os
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, MutableMapping

from .errors import AnnotatorError

# soname -> (Debian/Ubuntu, Fedora, Arch) package.
PACKAGES: dict[str, tuple[str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil", "xcb-util-renderutil"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libgobject-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client", "wayland"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor", "wayland"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl", "wayland"),
    "libz.so.1": ("zlib1g", "zlib", "zlib"),
}
DISTRIBUTIONS = (("Debian/Ubuntu", "sudo apt install"), ("Fedora", "sudo dnf install"), ("Arch", "sudo pacman -S"))

# Qt platform plugin name -> (file name prefix of the plugin, a description for the message).
_PLUGINS = {
    "xcb": ("libqxcb", "X11 (xcb)"),
    "wayland": ("libqwayland", "Wayland"),
    "offscreen": ("libqoffscreen", "offscreen"),
    "minimal": ("libqminimal", "minimal"),
}


@dataclass(frozen=True)
class Problem:
    """Why the window cannot open here; `message` is fit to show as it is."""

    message: str
    missing: tuple[str, ...] = ()


def ensure_can_start(headless: bool = False, environ: MutableMapping[str, str] | None = None) -> None:
    """Raise AnnotatorError with the message of `check` if the window cannot open here.

    `headless` (gui --screenshot) needs no display: where there is none, Qt is told to render
    offscreen (QT_QPA_PLATFORM), so the picture is made over SSH or in CI as well.
    """
    environ = os.environ if environ is None else environ
    if headless and sys.platform.startswith("linux") and not environ.get("QT_QPA_PLATFORM"):
        if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
            environ["QT_QPA_PLATFORM"] = "offscreen"
    problem = check(environ)
    if problem is not None:
        raise AnnotatorError(problem.message)


def check(environ: Mapping[str, str] | None = None, qt_dir: Path | None = None) -> Problem | None:
    """None if Qt can start a window here (or this is not Linux); else what stops it."""
    if not sys.platform.startswith("linux"):
        return None
    environ = os.environ if environ is None else environ
    qt_dir = qt_dir if qt_dir is not None else pyside_qt_dir()
    if qt_dir is None:
        return None  # no PySide6 (the gui command says so) or a system Qt we cannot see into
    problems: list[Problem] = []
    for name in platform_candidates(environ):
        if name not in _PLUGINS:
            return None  # a plugin we know nothing about: leave it to Qt
        problem = _check_platform(name, environ, qt_dir)
        if problem is None:
            return None
        problems.append(problem)
    return next((p for p in problems if p.missing), problems[0] if problems else None)


def platform_candidates(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in its order."""
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return [part.split(":", 1)[0].strip() for part in chosen.split(";") if part.strip()]
    if environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"):
        return ["wayland", "xcb"]
    return ["xcb"]


def _check_platform(name: str, environ: Mapping[str, str], qt_dir: Path) -> Problem | None:
    prefix, description = _PLUGINS[name]
    plugins = sorted((qt_dir / "plugins" / "platforms").glob(f"{prefix}*.so"))
    if not plugins:
        return None  # not part of this Qt: Qt lists what it has
    roots = [plugins[0], qt_dir / "lib" / "libQt6Widgets.so.6"]
    # Usually everything is there: loading the plugin and the widgets library (as Qt will in a
    # moment) proves it at once. Only when that fails are their ELF headers read to list every
    # missing library, not just the first one the loader stumbles on.
    missing = missing_libraries(str(root) for root in roots if root.exists())
    if missing:
        missing = missing_libraries(external_libraries(roots, qt_dir / "lib")) or missing
    if missing:
        return Problem(missing_message(missing, f"Qt's {description} platform plugin"), tuple(missing))
    if name == "xcb" and not environ.get("DISPLAY"):
        return Problem(_NO_DISPLAY)
    if name == "wayland" and not environ.get("WAYLAND_DISPLAY"):
        return Problem(_NO_DISPLAY)
    return None


_NO_DISPLAY = (
    "the desktop interface needs a display, and there is none here (DISPLAY and WAYLAND_DISPLAY are "
    "not set). Start it from a desktop session, or over SSH with X forwarding (ssh -X). Without a "
    "display the command line works (annotator --help), and `annotator gui --screenshot FILE` "
    "renders the window to a picture."
)


def missing_message(missing: Iterable[str], needed_by: str = "The desktop interface") -> str:
    """One message: what is missing and, per distribution, the command that installs it."""
    missing = list(missing)
    known = [name for name in missing if name in PACKAGES]
    unknown = [name for name in missing if name not in PACKAGES]
    noun = "library" if len(missing) == 1 else "libraries"
    lines = [
        f"the desktop interface cannot start: {needed_by} needs {len(missing)} system {noun} "
        f"that {'is' if len(missing) == 1 else 'are'} not installed: {', '.join(missing)}."
    ]
    if known:
        lines.append("Install them with:" if len(known) > 1 else "Install it with:")
        for column, (distribution, command) in enumerate(DISTRIBUTIONS):
            packages = list(dict.fromkeys(PACKAGES[name][column] for name in known))
            lines.append(f"  {distribution + ':':<15}{command} {' '.join(packages)}")
    if unknown:
        lines.append(
            f"Find the package that provides {', '.join(unknown)} with `apt-file search NAME` (Debian/Ubuntu), "
            "`dnf provides '*/NAME'` (Fedora) or `pacman -F NAME` (Arch)."
        )
    lines.append("The command line works without them (annotator --help).")
    return "\n".join(lines)


def dlopen(soname: str) -> object:
    """Load a shared library as ctypes.CDLL does (RTLD_LOCAL; the loader binds at once), without
    importing ctypes, whose module builds its types at import (start-up time)."""
    import _ctypes

    return _ctypes.dlopen(soname, os.RTLD_LOCAL)


def missing_libraries(sonames: Iterable[str], load: Callable[[str], object] = dlopen) -> list[str]:
    """The libraries of `sonames` the dynamic loader cannot load, each named as the loader names it.

    A library that is there but needs a missing one is reported by the name of the missing one
    (the loader's message names it), so the list says what to install.
    """
    missing: list[str] = []
    for soname in sonames:
        try:
            load(soname)
        except OSError as exc:
            reported = str(exc).split(":", 1)[0].strip()
            name = reported if reported and "/" not in reported and " " not in reported else soname
            if name not in missing:
                missing.append(name)
    return missing


def external_libraries(roots: Iterable[Path], bundled: Path) -> list[str]:
    """The sonames `roots` need, directly or through the libraries in `bundled`, that are not there."""
    seen: set[str] = set()
    external: list[str] = []
    pending = [root for root in roots if root.exists()]
    while pending:
        for soname in needed_libraries(pending.pop()):
            if soname in seen:
                continue
            seen.add(soname)
            if (bundled / soname).exists():
                pending.append(bundled / soname)
            else:
                external.append(soname)
    return external


def needed_libraries(path: Path) -> list[str]:
    """The DT_NEEDED entries of an ELF shared object: the sonames it asks the loader for."""
    with open(path, "rb") as handle:
        ident = handle.read(16)
        if ident[:4] != b"\x7fELF":
            return []
        wide, order = ident[4] == 2, "<" if ident[5] == 1 else ">"
        header = handle.read(48 if wide else 36)
        if wide:
            shoff, shentsize, shnum = struct.unpack(order + "24xQ10xHH2x", header)
        else:
            shoff, shentsize, shnum = struct.unpack(order + "16xI10xHH2x", header)
        sections = []
        for index in range(shnum):
            handle.seek(shoff + index * shentsize)
            raw = handle.read(shentsize)
            if wide:
                _, kind, _, _, offset, size, link, _, _, entsize = struct.unpack(order + "IIQQQQIIQQ", raw[:64])
            else:
                _, kind, _, _, offset, size, link, _, _, entsize = struct.unpack(order + "IIIIIIIIII", raw[:40])
            sections.append((kind, offset, size, link, entsize))
        names: list[str] = []
        for kind, offset, size, link, entsize in sections:
            if kind != 6 or not entsize:  # SHT_DYNAMIC
                continue
            _, str_offset, str_size, _, _ = sections[link]
            handle.seek(str_offset)
            strings = handle.read(str_size)
            handle.seek(offset)
            table = handle.read(size)
            entry = order + ("qQ" if wide else "iI")
            for start in range(0, size - entsize + 1, entsize):
                tag, value = struct.unpack(entry, table[start : start + struct.calcsize(entry)])
                if tag == 0:
                    break
                if tag == 1:  # DT_NEEDED
                    names.append(strings[value : strings.index(b"\0", value)].decode("utf-8", "replace"))
        return names


def pyside_qt_dir() -> Path | None:
    """The Qt folder of the installed PySide6 (its lib/ and plugins/), found without importing it."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        qt = Path(location) / "Qt"
        if (qt / "plugins" / "platforms").is_dir():
            return qt
    return None
