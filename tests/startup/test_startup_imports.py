"""Start-up stays light: `annotator --version`, `annotator list` and the window's first start do not
import the HTML stack (trafilatura, lxml), spaCy, or (for the command line) sqlite-utils and Qt.

Each runs in a fresh interpreter, through the real entry point; what it imported is read from
sys.modules at exit. benchmarks/bench_startup.py measures the times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_4374cd0fa6f2fed4.txt"
HEAVY = ("trafilatura", "lxml", "spacy", "justext", "htmldate", "courlan", "charset_normalizer", "numpy", "pandas", "pyarrow")
# Built or imported when first used, not for the first frame (docs/architecture.md, "Start-up").
NOT_AT_WINDOW_START = (
    "annotator.operations", "annotator.review", "annotator.formats", "annotator.importers", "annotator.importing",
    "annotator.store.colleague", "annotator.store.export_query",
    "annotator.ui.review_panel", "annotator.ui.merge_dialog", "annotator.ui.report_dialog",
    "annotator.ui.review_workers", "annotator.ui.dialogs", "annotator.ui.find_bar", "annotator.ui.link_picker",
    "annotator.ui.schema_dialog", "annotator.ui.export_dialog", "annotator.ui.annotation_import_dialog",
    "annotator.ui.import_worker", "annotator.ui.first_run",
    "annotator.ui.search_panel", "annotator.ui.review_layer", "annotator.store.search",
)
NOT_FOR_THE_CLI = (*HEAVY, "sqlite_utils", "PySide6", "concurrent.futures", "annotator.importers", "annotator.review",
                  "annotator.operations", "annotator.formats", "annotator.schema", "tomllib")

RUN = textwrap.dedent(
    """
    import atexit, json, sys
    def report():
        print("\\nMODULES " + json.dumps(sorted(sys.modules)))
        qt = [sys.modules[m] for m in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets") if m in sys.modules]
        # PySide6 adds a class to its module when it first creates it (with all its enums)
        print("\\nQTCLASSES " + json.dumps(sorted(k for m in qt for k, v in vars(m).items() if isinstance(v, type))))
    atexit.register(report)
    from annotator.cli import main
    main(sys.argv[1:], prog_name="annotator")
    """
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {
        **os.environ,
        "ANNOTATOR_CONFIG_DIR": str(tmp_path / "cfg"),
        "ANNOTATOR_PROJECT": str(tmp_path / "p.annotator"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    subprocess.run([sys.executable, "-m", "annotator", "import", str(SEED)], env=environ, check=True, capture_output=True)
    return environ


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout


def loaded(env: dict[str, str], *args: str) -> set[str]:
    return set(json.loads(run(env, *args).rsplit("MODULES ", 1)[1].split("\n", 1)[0]))


def heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize("args", [("--version",), ("list",)])
def test_the_command_line_starts_without_heavy_modules(env, args):
    assert heavy(loaded(env, *args), NOT_FOR_THE_CLI) == []


def test_help_loads_every_command_but_not_the_html_stack(env):
    modules = loaded(env, "--help")
    assert "annotator.cli.review" in modules  # the lazily loaded commands are listed
    assert heavy(modules, HEAVY) == []


def test_starting_the_window_imports_no_html_stack_or_spacy(env, tmp_path):
    shot = tmp_path / "shot.png"
    modules = loaded(env, "gui", "--screenshot", str(shot))
    assert shot.stat().st_size > 0
    assert "annotator.ui.main_window" in modules  # the real window was built
    assert heavy(modules, HEAVY) == []


def test_the_window_starts_without_what_it_builds_when_first_used(env, tmp_path):
    modules = loaded(env, "gui", "--screenshot", str(tmp_path / "shot.png"))
    assert {"annotator.ui.review_mode", "annotator.ui.guidelines_pane", "annotator.ui.search_dock"} <= modules  # their controllers
    assert heavy(modules, NOT_AT_WINDOW_START) == []


# Qt classes the first frame does not show: PySide6 creates each, with its enums, when first touched.
NOT_CREATED_AT_WINDOW_START = ("QDialog", "QFileDialog", "QMessageBox", "QProgressDialog", "QListWidget")


def test_the_window_starts_without_creating_the_dialogs_classes(env, tmp_path):
    created = set(json.loads(run(env, "gui", "--screenshot", str(tmp_path / "shot.png")).rsplit("QTCLASSES ", 1)[1]))
    assert "QMainWindow" in created and "QTextEdit" in created  # the window was built
    assert sorted(created & set(NOT_CREATED_AT_WINDOW_START)) == []
