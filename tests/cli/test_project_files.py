"""Files that are not projects are never modified, and a project that cannot be written is read.

Minimal reproducers of the issue's cases: a zero-byte file (before, `annotator list` turned it into
an empty project), another program's SQLite file (before, it was switched to WAL mode before it was
refused), an empty SQLite database, a missing project, and a project in a read-only folder (before,
it could not even be listed).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import Store, connection

READ_COMMANDS = [["list"], ["stats"], ["show", "abc"], ["history"], ["schema", "show"], ["export"],
                 ["agree", "maria", "bob"]]


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


@pytest.mark.parametrize("command", READ_COMMANDS + [["import-annotations", "set.jsonl"], ["add", "abc", "0", "1", "CLAIM"]])
def test_a_zero_byte_file_is_not_a_project_and_stays_empty(cli, command):
    cli.write("set.jsonl", '{"text": "x"}\n')
    cli.project.write_bytes(b"")
    result = cli.run(*[str(cli.tmp_path / c) if c.endswith(".jsonl") else c for c in command])
    assert result.exit_code == 1
    assert f"{cli.project}: is an empty file, not a project; it was left untouched" in result.stderr
    assert cli.project.read_bytes() == b"" and beside(cli.project) == []


@pytest.mark.parametrize("command", READ_COMMANDS + [["import", "a.txt"]])
def test_another_programs_sqlite_file_is_left_as_it_was(cli, command):
    cli.write("a.txt", "Some text.")
    conn = sqlite3.connect(cli.project)
    conn.execute("CREATE TABLE photos (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO photos VALUES (1, 'cat')")
    conn.commit()
    conn.close()
    before = cli.project.read_bytes()
    result = cli.run(*command)
    assert result.exit_code == 1
    assert f"{cli.project}: this SQLite file is not a News Annotator project; it was left untouched" in result.stderr
    assert cli.project.read_bytes() == before and beside(cli.project) == []
    conn = sqlite3.connect(cli.project)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # never switched to WAL
    conn.close()


@pytest.mark.parametrize("command", READ_COMMANDS)
def test_read_commands_make_no_project_of_an_empty_database(cli, command):
    sqlite3.connect(cli.project).execute("VACUUM")  # a valid SQLite file without any table
    result = cli.run(*command)
    assert result.exit_code in (0, 1)
    conn = sqlite3.connect(cli.project)
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


@pytest.mark.parametrize("command", [["list"], ["stats"], ["schema", "show"], ["export"], ["history"]])
def test_read_commands_create_no_project(cli, command):
    cli.run(*command)
    assert not cli.project.exists() and beside(cli.project) == []


@pytest.fixture
def read_only_folder(cli, monkeypatch):
    """A project whose folder cannot be written (as on read-only media): root may write anywhere, so
    the check the store makes is answered as it would be for a user; the files are read-only too."""
    path = cli.write("a.txt", "Alice said prices rose.")
    cli.ok("import", path)
    with Store.open(cli.project) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setattr(connection, "can_write_beside", lambda _path: False)
    mode = cli.project.stat().st_mode
    os.chmod(cli.project, 0o444)
    yield cli.project
    os.chmod(cli.project, mode)


def test_a_project_in_a_read_only_folder_is_read(cli, read_only_folder):
    before = read_only_folder.read_bytes()
    listed = cli.ok("list")
    assert "Alice said prices rose." in listed.stdout
    assert cli.json("stats", "--json")["articles"] == 1
    article_id = listed.stdout.splitlines()[1].split()[0]
    refused = cli.run("add", article_id, "0", "5", "SOURCE")
    assert refused.exit_code == 1
    assert "the project is read-only here (a read-only folder or medium); nothing was changed" in refused.stderr
    assert read_only_folder.read_bytes() == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a user whose folder permissions apply")
def test_a_truly_read_only_folder(cli):
    path = cli.write("a.txt", "Alice said prices rose.")
    cli.ok("import", path)
    with Store.open(cli.project) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.chmod(cli.project.parent, 0o555)
    try:
        assert "Alice said prices rose." in cli.ok("list").stdout
    finally:
        os.chmod(cli.project.parent, 0o755)


def _immutable(folder: Path, on: bool) -> bool:
    """`chattr +i`: a folder nobody can write to, root included (as read-only media)."""
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i" if on else "-i", str(folder)], capture_output=True).returncode == 0


def test_a_project_on_read_only_media_is_read(cli, tmp_path):
    """No -shm can be made beside the file: it is opened immutable (connection.connect_read_only)."""
    folder = tmp_path / "media"
    folder.mkdir()
    project = folder / "p.annotator"
    path = cli.write("a.txt", "Alice said prices rose.")
    cli.runner.invoke(main, ["--project", str(project), "import", str(path)])
    assert beside(project) == []  # closed: no -wal or -shm left
    before = project.read_bytes()
    if not _immutable(folder, True):
        pytest.skip("chattr +i is not available here")
    try:
        listed = cli.runner.invoke(main, ["--project", str(project), "list"])
        assert listed.exit_code == 0, listed.stderr
        assert "Alice said prices rose." in listed.stdout
        article_id = listed.stdout.splitlines()[1].split()[0]
        refused = cli.runner.invoke(main, ["--project", str(project), "add", article_id, "0", "5", "SOURCE"])
        assert refused.exit_code == 1 and "read-only here" in refused.stderr
    finally:
        _immutable(folder, False)
    assert project.read_bytes() == before and beside(project) == []
