"""Errors reach the user as one clear line with exit status 1, and leave the project as it was."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.store import Store

from .conftest import SEED


@pytest.mark.parametrize("command", [("list",), ("show", "abc"), ("import", str(SEED)), ("add", "abc", "0", "1", "CLAIM"), ("stats",), ("export",)])
def test_damaged_project_is_reported_and_left_untouched(cli, command):
    garbage = b"garbage" * 100
    cli.project.write_bytes(garbage)
    result = cli.run(*command)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {cli.project}:")
    assert "damaged" in result.stderr
    assert "Traceback" not in result.output
    assert cli.project.read_bytes() == garbage
    assert sorted(p.name for p in cli.tmp_path.iterdir()) == ["p.annotator"]


def test_a_folder_as_project(cli):
    cli.project.mkdir()
    result = cli.run("import", SEED)
    assert result.exit_code == 2  # click's own check of --project: it must be a file
    assert "is a directory" in result.stderr


def test_locked_project(cli, seeded):
    blocker = sqlite3.connect(cli.project, isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        result = cli.run("add", seeded["id"], 0, 3, "CLAIM", env={"ANNOTATOR_BUSY_TIMEOUT": "0.2"})
        assert result.exit_code == 1
        assert "locked" in result.stderr and result.stderr.startswith("Error: ")
        assert "Traceback" not in result.output
        status = cli.run("status", seeded["id"], "done", env={"ANNOTATOR_BUSY_TIMEOUT": "0.1"})
        assert status.exit_code == 1 and "locked" in status.stderr
    finally:
        blocker.rollback()
        blocker.close()
    after = cli.json("show", seeded["id"], "--json")
    assert after["annotations"] == [] and after["status"] == "todo"


def test_bad_busy_timeout(cli, seeded):
    result = cli.run("list", env={"ANNOTATOR_BUSY_TIMEOUT": "soon"})
    assert result.exit_code == 1
    assert "ANNOTATOR_BUSY_TIMEOUT must be a number of seconds" in result.stderr


def test_a_bug_is_reported_in_words_not_as_an_exception(cli, seeded, monkeypatch):
    def boom(self):
        raise RuntimeError("something broke\nsecond line")

    monkeypatch.setattr(Store, "list_articles", boom)
    result = cli.run("list")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: something went wrong inside News Annotator (something broke); the project was left as it was.\n"
        "Please report it, with the output of the same command run with ANNOTATOR_DEBUG=1\n"
    )
    assert "unexpected" not in result.stderr and "RuntimeError" not in result.stderr


def test_debug_shows_the_exception(cli, seeded, monkeypatch):
    def boom(self):
        raise RuntimeError("something broke")

    monkeypatch.setattr(Store, "list_articles", boom)
    result = cli.run("list", env={"ANNOTATOR_DEBUG": "1"})
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)


def test_usage_errors_exit_2(cli):
    assert cli.run("nonsense").exit_code == 2
    assert cli.run("add").exit_code == 2
    assert cli.run("import").exit_code == 2


def test_newer_project_file_is_refused(cli, seeded):
    conn = sqlite3.connect(cli.project)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    result = cli.run("list")
    assert result.exit_code == 1
    assert "newer News Annotator" in result.stderr
