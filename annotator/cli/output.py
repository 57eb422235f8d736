"""Printing for the command line: JSON, tables, messages on stderr, progress bars."""

from __future__ import annotations

import json
import sys
from typing import Any, Iterable

import click

from ..wording import elide as short, plural  # noqa: F401 - the commands print through these

SHORT_ID = 8
SHORT_OP = 18  # a UUIDv7's first 18 characters: its millisecond and its sequence within it


def echo_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def err(message: str) -> None:
    click.echo(message, err=True)


def title(article_title: str) -> str:
    return article_title or "(untitled)"


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def table(headers: Iterable[str], rows: list[list[str]], right: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    headers = list(headers)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    click.echo(line(headers))
    for row in rows:
        click.echo(line(row))


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


class CountingProgress:
    """A click progress bar on stderr for a core function's `progress(done, total)`, shown only
    when stderr is a terminal (never in a pipe or a log)."""

    def __init__(self, label: str, enabled: bool | None = None) -> None:
        self.label = label
        self.enabled = stderr_is_terminal() if enabled is None else enabled
        self._bar: Any = None
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if self._bar is None:
            self._bar = click.progressbar(
                length=total, label=self.label, file=sys.stderr, show_pos=True, show_percent=True
            )
            self._bar.__enter__()
        self._bar.length = max(self._bar.length, total)
        if done > self._shown:
            self._bar.update(done - self._shown)
            self._shown = done

    @property
    def callback(self) -> "CountingProgress | None":
        """Itself, or None when no bar is shown: a core function asked for progress may first count
        what it will do (an import scans the whole file), which nobody would see."""
        return self if self.enabled else None

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> "CountingProgress":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
