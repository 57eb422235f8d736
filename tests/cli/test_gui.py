"""`annotator gui`: resolves its target through the core, then hands over to annotator.ui.app.run."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from .conftest import SEED


@pytest.fixture(autouse=True)
def offscreen(monkeypatch):
    """`gui` checks Qt's libraries and the display first (annotator/desktop_check.py): offscreen needs none."""
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def fake_app(monkeypatch):
    calls = []
    module = types.ModuleType("annotator.ui.app")

    def run(project_path, target, screenshot):
        calls.append((project_path, target, screenshot))
        return 0

    module.run = run
    monkeypatch.setitem(sys.modules, "annotator.ui.app", module)
    return calls


def test_gui_without_target(cli, fake_app):
    cli.ok("gui")
    assert fake_app == [(cli.project, None, None)]


def test_gui_with_id_prefix_and_screenshot(cli, seeded, fake_app):
    shot = cli.tmp_path / "shot.png"
    cli.ok("gui", seeded["id"][:5], "--screenshot", shot)
    assert fake_app == [(cli.project, seeded["id"], shot)]


def test_gui_with_a_file_imports_it_first(cli, fake_app):
    cli.ok("gui", SEED)
    [(_, target, _)] = fake_app
    assert [a["id"] for a in cli.json("list", "--json")] == [target]
    cli.ok("gui", SEED)  # a second time it is a duplicate, opened all the same
    assert fake_app[1][1] == target


FIXTURES = Path(__file__).resolve().parents[1] / "importers" / "fixtures"


def test_gui_with_several_paths_imports_them_all_and_opens_the_first(cli, fake_app):
    """As a file manager's "Open with" (the launcher's %F) passes them: a saved page, a copied page, a folder."""
    folder = cli.tmp_path / "more"
    folder.mkdir()
    (folder / "cafe_rents.mhtml").write_bytes((FIXTURES / "cafe_rents.mhtml").read_bytes())
    cli.ok("gui", FIXTURES / "news_figure.html", SEED, folder)
    [(_, target, _)] = fake_app
    listed = cli.json("list", "--json")
    assert sorted(a["source_file"] for a in map(lambda a: cli.json("show", "--json", a["id"]), listed)) == sorted(
        [str(FIXTURES / "news_figure.html"), str(SEED), str(folder / "cafe_rents.mhtml")]
    )
    opened = cli.json("show", "--json", target)
    assert opened["source_file"] == str(FIXTURES / "news_figure.html")
    cli.ok("gui", SEED, FIXTURES / "news_figure.html")  # all duplicates now: the first given is opened
    assert cli.json("show", "--json", fake_app[1][1])["source_file"] == str(SEED)


def test_gui_with_a_missing_path_among_several_changes_nothing(cli, fake_app):
    result = cli.run("gui", SEED, cli.tmp_path / "gone.html")
    assert result.exit_code == 1
    assert f"{cli.tmp_path / 'gone.html'}: no such file or folder" in result.stderr
    assert fake_app == [] and not cli.project.exists()


def test_gui_with_unknown_id(cli, seeded, fake_app):
    result = cli.run("gui", "zzzz")
    assert result.exit_code == 1 and "no article with id zzzz" in result.stderr
    assert fake_app == []


def test_gui_exit_status_is_passed_on(cli, monkeypatch):
    module = types.ModuleType("annotator.ui.app")
    module.run = lambda project, target, screenshot: 3
    monkeypatch.setitem(sys.modules, "annotator.ui.app", module)
    assert cli.run("gui").exit_code == 3


def test_gui_missing_is_a_clear_error(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "annotator.ui.app", None)
    result = cli.run("gui")
    assert result.exit_code == 1
    assert "desktop interface is not available" in result.stderr
    assert "Traceback" not in result.output
