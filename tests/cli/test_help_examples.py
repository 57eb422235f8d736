"""The examples `annotator --help` shows run as shown, on the sample article (a newcomer copies
them first: one once named an attribute value the default schema does not have)."""

from __future__ import annotations

import shlex

from .conftest import SEED


def examples(cli) -> list[list[str]]:
    text = cli.ok("--help").stdout
    lines = text.split("Examples:", 1)[1].split("\n\n", 1)[0].splitlines()
    return [shlex.split(line.strip())[1:] for line in lines if line.strip().startswith("annotator ")]


def test_every_example_of_the_help_runs(cli, tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / SEED.name).write_text(SEED.read_text("utf-8"), "utf-8")
    found = examples(cli)
    assert [e[0] for e in found] == ["import", "list", "show", "add", "undo", "export", "gui"]
    for args in found:
        if args[0] == "gui":
            continue  # the window: tests/cli/test_gui.py
        args = [str(tmp_path / "articles") if a == "articles/" else str(tmp_path / a) if a == "corpus.jsonl" else a
                for a in args]
        cli.ok(*args)
    assert (tmp_path / "corpus.jsonl").exists()
