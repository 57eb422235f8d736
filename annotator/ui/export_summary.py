"""What an export wrote, and what it could not write as it is, in the words of the core: the summary
the export dialog shows when it is done (and the window's status line)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..formats import ExportStats
from ..wording import plural as _plural

MAX_EXAMPLES_SHOWN = 10


@dataclass
class ExportSummary:
    """What an export wrote, and what it could not write as it is, in the words of the core."""

    heading: str  # "Exported 12 spans and 3 relations from 4 articles"
    where: list[str]  # the file (or folder) and the files written beside it
    losses_title: str  # "2 spans not written as they are", or that everything was
    losses: list[str]  # one line per kind of change or loss, with its count and reason
    examples: list[str]  # a few concrete spans

    def text(self) -> str:
        parts = [self.heading, *self.where, "", self.losses_title, *self.losses]
        if self.examples:
            parts += ["", "For example:", *self.examples]
        return "\n".join(parts)


_UUID_PREFIX = re.compile(r"^([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}: (.*)$")


def _example(text: str) -> str:
    """A core example without the full UUID in front: "SOURCE 'Kim' overlaps a kept span … (ec638fa4)"."""
    match = _UUID_PREFIX.match(text)
    return f"{match.group(2)}  ({match.group(1)})" if match else text


def export_summary(stats: ExportStats, path: Path) -> ExportSummary:
    """The summary of an export: what was written, then what could not be, with the reasons."""
    heading = (
        f"Exported {_plural(stats.spans, 'span')}"
        + (f" and {_plural(stats.relations, 'relation')}" if stats.relations else "")
        + f" from {_plural(stats.articles, 'article')}"
        + (f", and {_plural(stats.suggestions, 'suggestion')}" if stats.suggestions else "")
    )
    where = [f"to {path}"] + [f"and {Path(f).name} beside it" for f in stats.files]
    problems = stats.problems()
    if not problems:
        return ExportSummary(heading, where, "Every selected span was written as it is.", [], [])
    spans = stats.snapped + stats.misaligned + stats.overlapping + stats.merged
    parts = [_plural(spans, "span")] if spans else []
    if stats.relations_dropped:
        parts.append(_plural(stats.relations_dropped, "relation"))
    if stats.suggestions_left_out:
        parts.append(_plural(stats.suggestions_left_out, "suggestion"))
    together = spans + stats.relations_dropped + stats.suggestions_left_out
    title = f"{' and '.join(parts)} not written as {'it is' if together == 1 else 'they are'} in the project"
    examples = [_example(e) for e in stats.examples[:MAX_EXAMPLES_SHOWN]]
    return ExportSummary(heading, where, title, [f"• {problem}" for problem in problems], examples)


def not_represented(stats: ExportStats) -> int:
    """Spans that are not in the file as they are in the project: widened, or left out."""
    left_out = stats.misaligned + (0 if stats.overlap_kept_in else stats.overlapping)
    return stats.snapped + left_out
