"""Fixtures for the CLI tests: a throw-away project and settings folder for every test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotator.cli import main
from annotator.store import Store

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_4374cd0fa6f2fed4.txt"


@dataclass
class Cli:
    """Runs `annotator --project <tmp project> ...` in-process."""

    runner: CliRunner
    project: Path
    tmp_path: Path

    def run(self, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        return self.runner.invoke(
            main, ["--project", str(self.project), *map(str, args)], env=env, input=input, catch_exceptions=True
        )

    def ok(self, *args: str, **kwargs) -> Result:
        """Run and insist on success, showing stderr when it fails."""
        result = self.run(*args, **kwargs)
        assert result.exit_code == 0, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}"
        return result

    def json(self, *args: str) -> object:
        return json.loads(self.ok(*args).stdout)

    def store(self) -> Store:
        return Store.open(self.project)

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")
        return path


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    for name in ("ANNOTATOR_PROJECT", "ANNOTATOR_BUSY_TIMEOUT", "ANNOTATOR_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    return Cli(CliRunner(), tmp_path / "p.annotator", tmp_path)


@pytest.fixture
def seeded(cli: Cli) -> dict:
    """The seed article imported; returns its `show --json` record."""
    result = cli.ok("import", SEED)
    article_id = result.stdout.split()[0]
    return cli.json("show", article_id, "--json")
