"""`annotator config` and the global options."""

from __future__ import annotations

import json

from click.testing import CliRunner

from annotator import __version__
from annotator.cli import main


def test_config_annotator_show_and_set(cli):
    default = cli.ok("config", "annotator").stdout.strip()
    assert default  # the login name, or "annotator"
    assert cli.ok("config", "annotator", "  Maria Ressa ").stdout.strip() == "Maria Ressa"
    assert cli.ok("config", "annotator").stdout.strip() == "Maria Ressa"
    settings_file = cli.tmp_path / "cfg" / "settings.json"
    assert json.loads(settings_file.read_text("utf-8"))["annotator"] == "Maria Ressa"


def test_config_refuses_an_empty_name(cli):
    result = cli.run("config", "annotator", "  ")
    assert result.exit_code == 1
    assert "cannot be empty" in result.stderr


def test_config_lists_paths_and_settings(cli):
    cli.ok("config", "annotator", "Maria")
    out = cli.ok("config").stdout
    assert f"project     {cli.project}" in out
    assert f"config dir  {cli.tmp_path / 'cfg'}" in out
    assert "annotator   Maria" in out


def test_project_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("ANNOTATOR_PROJECT", str(tmp_path / "env.annotator"))
    result = CliRunner().invoke(main, ["config"])
    assert f"project     {tmp_path / 'env.annotator'}" in result.stdout


def test_default_project_is_under_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.delenv("ANNOTATOR_PROJECT", raising=False)
    result = CliRunner().invoke(main, ["config"])
    assert "default.annotator" in result.stdout


def test_version_and_help():
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).stdout.strip() == f"annotator {__version__}"
    top = runner.invoke(main, ["--help"]).stdout
    for command in ("import", "list", "show", "add", "delete", "label", "export", "status", "stats", "config", "gui"):
        assert f"  {command} " in top
        sub = runner.invoke(main, [command, "--help"])
        assert sub.exit_code == 0 and "Usage:" in sub.stdout and len(sub.stdout.splitlines()) > 4
    assert "ANNOTATOR_PROJECT" in top
