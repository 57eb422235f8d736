"""The launcher (.desktop) and the AppStream metainfo: valid, and consistent with the app."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator import assets
from annotator.importing import IMPORTERS

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
DESKTOP = PACKAGING / f"{assets.APP_ID}.desktop"
METAINFO = PACKAGING / f"{assets.APP_ID}.metainfo.xml"
MIME_GLOBS = Path("/usr/share/mime/globs2")


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def _validator(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return path


def test_desktop_file_validates():
    done = subprocess.run([_validator("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stdout + done.stderr


def test_metainfo_validates():
    tool = _validator("appstreamcli", "appstream")
    done = subprocess.run([tool, "validate", "--no-net", "--explain", str(METAINFO)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "E:" not in done.stdout and "W:" not in done.stdout, done.stdout


def test_desktop_entry_matches_the_app():
    entry = _entry()
    assert entry["Exec"] == "annotator gui %F"  # gui takes several files (tests/cli/test_gui.py)
    assert entry["Icon"] == assets.APP_ID
    assert entry["StartupWMClass"] == assets.APP_ID  # Qt's WM_CLASS is the application name: ui/app.py
    assert entry["Name"] == assets.APP_NAME
    for size in assets.ICON_SIZES:
        assert assets.icon_png(size).is_file()


def test_desktop_entry_lists_the_types_the_importer_reads():
    """Every suffix an importer claims maps (in the shared MIME database) to a type the launcher lists."""
    if not MIME_GLOBS.exists():
        pytest.skip("the shared MIME database is not installed (apt-get install shared-mime-info)")
    by_glob: dict[str, set[str]] = {}
    for line in MIME_GLOBS.read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        _weight, mime, glob = line.split(":")[:3]
        by_glob.setdefault(glob, set()).add(mime)
    listed = set(filter(None, _entry()["MimeType"].split(";")))
    unmatched = []
    for spec in IMPORTERS:
        for suffix in spec.suffixes:
            types = by_glob.get(f"*{suffix}")
            if types and not types & listed:
                unmatched.append((suffix, sorted(types)))
    assert unmatched == []


def test_metainfo_names_the_launcher_release_and_screenshot():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == assets.APP_ID
    assert root.find("launchable").text == DESKTOP.name
    assert root.find("content_rating").get("type") == "oars-1.1"
    assert root.find("releases/release").get("version") == __import__("annotator").__version__
    assert root.find("screenshots/screenshot/image").text.endswith("docs/screenshot.png")
    assert root.find("description/p") is not None
