"""The check that runs before Qt loads (annotator/desktop_check.py): missing libraries and no display
get one clear message instead of Qt's abort (exit status 134)."""

from __future__ import annotations

import _ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import desktop_check
from annotator.errors import AnnotatorError

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux")


def test_reports_exactly_the_libraries_it_is_given_as_missing():
    missing = desktop_check.missing_libraries(["libc.so.6", "libnews-annotator-absent.so.7", "libm.so.6", "libalso-absent.so.1"])
    assert missing == ["libnews-annotator-absent.so.7", "libalso-absent.so.1"]


def test_a_library_whose_dependency_is_missing_is_reported_by_the_dependency():
    def load(name: str) -> None:
        if name == "libxcb-icccm.so.4":
            raise OSError("libxcb-icccm.so.4: cannot open shared object file: No such file or directory")
        if name == "/opt/qt/plugins/platforms/libqxcb.so":
            raise OSError("libxcb-keysyms.so.1: cannot open shared object file: No such file or directory")

    assert desktop_check.missing_libraries(["libxcb-icccm.so.4", "/opt/qt/plugins/platforms/libqxcb.so"], load) == [
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
    ]


def test_message_names_libraries_and_the_packages_per_distribution():
    message = desktop_check.missing_message(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"], "Qt's X11 (xcb) platform plugin")
    assert message.splitlines() == [
        "the desktop interface cannot start: Qt's X11 (xcb) platform plugin needs 2 system libraries "
        "that are not installed: libxcb-icccm.so.4, libxcb-keysyms.so.1.",
        "Install them with:",
        "  Debian/Ubuntu: sudo apt install libxcb-icccm4 libxcb-keysyms1",
        "  Fedora:        sudo dnf install xcb-util-wm xcb-util-keysyms",
        "  Arch:          sudo pacman -S xcb-util-wm xcb-util-keysyms",
        "The command line works without them (annotator --help).",
    ]


def test_message_for_a_library_of_no_known_package_says_how_to_find_it():
    message = desktop_check.missing_message(["libweird.so.3"])
    assert "libweird.so.3" in message.splitlines()[0]
    assert "apt-file search NAME" in message and "dnf provides" in message
    assert "sudo apt install" not in message


@linux_only
def test_reads_the_needed_libraries_of_an_elf_file():
    if not getattr(_ctypes, "__file__", None):
        pytest.skip("_ctypes is built into this Python")
    needed = desktop_check.needed_libraries(Path(_ctypes.__file__))
    assert any(name.startswith("libffi.so") for name in needed) or any(name.startswith("libc.so") for name in needed)
    assert desktop_check.needed_libraries(Path(__file__)) == []  # not an ELF file


@linux_only
def test_external_libraries_follow_bundled_ones(tmp_path):
    """A bundled library's own needs count; the bundled library itself is not external."""
    if not getattr(_ctypes, "__file__", None):
        pytest.skip("_ctypes is built into this Python")
    plugin, bundled = Path(_ctypes.__file__), tmp_path / "lib"
    bundled.mkdir()
    first = desktop_check.needed_libraries(plugin)[0]
    (bundled / first).symlink_to(Path(_ctypes.__file__))  # "bundled": needs what _ctypes needs
    external = desktop_check.external_libraries([plugin], bundled)
    assert first not in external
    assert set(desktop_check.needed_libraries(plugin)) - {first} <= set(external)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ["xcb"]),
        ({"QT_QPA_PLATFORM": "offscreen"}, ["offscreen"]),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, ["vnc"]),
        ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, ["wayland", "xcb"]),
        ({"XDG_SESSION_TYPE": "wayland"}, ["xcb"]),
    ],
)
def test_platform_candidates_follow_qt(environ, expected):
    assert desktop_check.platform_candidates(environ) == expected


@linux_only
def test_no_display_is_a_clear_message(monkeypatch):
    qt = desktop_check.pyside_qt_dir()
    if qt is None:
        pytest.skip("PySide6 with its Qt folder is not installed")
    monkeypatch.setattr(desktop_check, "missing_libraries", lambda names, load=None: [])
    problem = desktop_check.check({}, qt)
    assert problem is not None and problem.missing == ()
    assert problem.message.startswith("the desktop interface needs a display, and there is none here")
    assert desktop_check.check({"DISPLAY": ":0"}, qt) is None


@linux_only
def test_missing_libraries_come_before_qt_loads(monkeypatch):
    qt = desktop_check.pyside_qt_dir()
    if qt is None:
        pytest.skip("PySide6 with its Qt folder is not installed")
    monkeypatch.setattr(desktop_check, "missing_libraries", lambda names, load=None: ["libxcb-cursor.so.0"])
    with pytest.raises(AnnotatorError) as raised:
        desktop_check.ensure_can_start(environ={"DISPLAY": ":0"})
    assert "libxcb-cursor.so.0" in str(raised.value) and "libxcb-cursor0" in str(raised.value)


@linux_only
def test_a_screenshot_without_display_renders_offscreen(monkeypatch):
    environ: dict[str, str] = {}
    monkeypatch.setattr(desktop_check, "check", lambda env: None)
    desktop_check.ensure_can_start(headless=True, environ=environ)
    assert environ == {"QT_QPA_PLATFORM": "offscreen"}
    environ = {"DISPLAY": ":0"}
    desktop_check.ensure_can_start(headless=True, environ=environ)
    assert environ == {"DISPLAY": ":0"}


@linux_only
def test_gui_without_display_or_libraries_exits_with_a_message_not_a_core_dump(tmp_path):
    """The real command, as a new user runs it on a machine without a display."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")}
    env.update(ANNOTATOR_CONFIG_DIR=str(tmp_path / "cfg"), ANNOTATOR_PROJECT=str(tmp_path / "p.annotator"))
    done = subprocess.run([sys.executable, "-m", "annotator", "gui"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert done.stderr.startswith("Error: the desktop interface ")
    assert "Traceback" not in done.stderr and "qt.qpa" not in done.stderr
    # and the command line still works
    assert subprocess.run([sys.executable, "-m", "annotator", "list"], env=env, capture_output=True).returncode == 0


@linux_only
def test_the_readme_lists_the_packages_for_every_library_qt_needs():
    """README.md's system packages cover what this PySide6's X11 plugin needs (read from its ELF files)."""
    qt = desktop_check.pyside_qt_dir()
    if qt is None:
        pytest.skip("PySide6 with its Qt folder is not installed")
    needs = desktop_check.external_libraries(
        [next((qt / "plugins" / "platforms").glob("libqxcb*.so")), qt / "lib" / "libQt6Widgets.so.6"], qt / "lib"
    )
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    rows = {line.split("|")[1].strip(): line for line in readme.splitlines() if line.startswith("| ") and "sudo " in line}
    base = {"zlib1g", "zlib"}  # part of every system
    for column, distribution in enumerate(("Debian / Ubuntu", "Fedora", "Arch")):
        listed = set(rows[distribution].split("`")[1].split()[3:])
        wanted = {desktop_check.PACKAGES[name][column] for name in needs if name in desktop_check.PACKAGES} - base
        assert wanted <= listed, (distribution, sorted(wanted - listed))
