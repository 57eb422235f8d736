"""How the product words counts and quotes in messages, in one place: "3 spans", "1 article",
"“Kim Jong Un says he…”"."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """"1 span", "1,204 spans"; `many` for words whose plural is not word + s."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def one_line(text: str) -> str:
    """White space of every kind folded to single spaces."""
    return " ".join(text.split())


def elide(text: str, limit: int = 40) -> str:
    """One line, at most `limit` characters, cut with an ellipsis."""
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
