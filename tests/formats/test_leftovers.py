"""A killed export leaves its temporary file (or folder) beside the target; the next export to that
place removes it. Before, hidden `.<name>.<random>.tmp` files piled up and no export removed them.
One still being written (its process runs) is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from annotator.formats import STALE_SECONDS, _host_tag, export_to_path, remove_leftovers


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def leftover(folder, name: str, pid: int, *, directory: bool = False, ending: str = ".tmp"):
    path = folder / f".{name}.{_host_tag()}-{pid}-0badcafe{ending}"
    if directory:
        path.mkdir()
        (path / "d.ann").write_text("T1\tSOURCE 0 5\tAlice\n", "utf-8")
    else:
        path.write_text('{"half": "an ', "utf-8")
    return path


@pytest.mark.skipif(os.name != "posix", reason="a process that ended is recognised by its pid on POSIX")
def test_the_next_export_removes_what_a_killed_export_left(store, tmp_path):
    killed = leftover(tmp_path, "out.jsonl", dead_pid())
    export_to_path(store, "jsonl", tmp_path / "out.jsonl")
    assert not killed.exists() and (tmp_path / "out.jsonl").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl.")]


@pytest.mark.skipif(os.name != "posix", reason="a process that ended is recognised by its pid on POSIX")
def test_a_folder_format_removes_its_leftover_folders(store, tmp_path):
    pid = dead_pid()
    killed = leftover(tmp_path, "brat-out", pid, directory=True)
    previous = leftover(tmp_path, "brat-out", pid, directory=True, ending=".old")
    export_to_path(store, "brat", tmp_path / "brat-out")
    assert not killed.exists() and not previous.exists() and (tmp_path / "brat-out").is_dir()


def test_an_export_still_running_is_left_alone(tmp_path):
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        busy = leftover(tmp_path, "out.jsonl", running.pid)
        mine = leftover(tmp_path, "out.jsonl", os.getpid())
        assert remove_leftovers(tmp_path / "out.jsonl") == []
        assert busy.exists() and mine.exists()
    finally:
        running.kill()
        running.wait()


def test_leftovers_of_older_versions_and_other_machines_go_when_stale(tmp_path):
    old_style = tmp_path / ".out.jsonl.0badcafe.tmp"  # no process in its name
    old_style.write_text("{", "utf-8")
    elsewhere = tmp_path / ".out.jsonl.abcdef-12345-0badcafe.tmp"  # another machine's
    elsewhere.write_text("{", "utf-8")
    unrelated = tmp_path / ".out.jsonl.notes"
    unrelated.write_text("mine", "utf-8")
    assert remove_leftovers(tmp_path / "out.jsonl") == []  # fresh: perhaps still being written
    hour_ago = time.time() - STALE_SECONDS - 60
    for path in (old_style, elsewhere, unrelated):
        os.utime(path, (hour_ago, hour_ago))
    assert sorted(remove_leftovers(tmp_path / "out.jsonl")) == sorted([old_style, elsewhere])
    assert unrelated.exists()
