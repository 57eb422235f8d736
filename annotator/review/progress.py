"""Progress of a team: who annotated what, how far each analyst is with their assignments, the
annotations made per day, and agreement on the articles given to more than one analyst.

Definitions (docs/cli.md, `annotator stats`):

* **per analyst × label**: live annotations by annotator and label (everyone who annotated, with
  or without assignments; the gold layer too, under its name).
* **assignment status, per analyst**: each live assignment is *done* when the analyst marked the
  article done (their own mark, kept on the assignment: one analyst finishing does not finish the
  article for the others), else *in progress* when the analyst has a live annotation in it, else
  *todo*.
* **per day**: live annotations by the UTC day they were created, per annotator.
* **agreement on the overlap sample**: for every two analysts who share assigned articles, the
  figures of `annotator agree A B` (review/figures.py, the same definitions) over those shared
  articles; as there, an article counts when both have at least one annotation in it, and a pair
  with no such article yet has no figures (null), not perfect ones.

`progress_tables` gives the same figures as tables, for the CSV files and the window's dialog.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from ..errors import ValidationError
from ..store import Store
from .figures import agreement

STATES = ("todo", "in_progress", "done")


@dataclass
class Table:
    """One table of the figures: a name (its CSV file is NAME.csv), headers and rows."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[object]]

    @staticmethod
    def cell(value: object, missing: str = "-") -> str:
        """A value as the tables show it: figures to three places, `missing` for none."""
        if value is None:
            return missing
        if isinstance(value, float):
            return f"{value:.3f}"
        return str(value)


def progress(store: Store) -> dict:
    """The team's figures (see the module's definitions), as JSON-ready values."""
    by_label: dict[str, dict[str, int]] = defaultdict(dict)
    for annotator, label, n in store.annotations_by_annotator_and_label():
        by_label[annotator][label] = n
    work: dict[str, dict[str, int]] = {}
    shared: dict[str, set[str]] = defaultdict(set)
    for analyst, items in assignment_states(store).items():
        counts = work.setdefault(analyst, {"assigned": len(items), **{s: 0 for s in STATES}})
        for article_id, state in items:
            counts[state] += 1
            shared[article_id].add(analyst)
    per_day: dict[str, dict[str, int]] = defaultdict(dict)
    for day, annotator, n in store.annotations_by_day():
        per_day[day][annotator] = n
    return {
        "by_annotator_label": dict(by_label),
        "assignments": work,
        "per_day": [{"day": day, "total": sum(counts.values()), "by_annotator": counts}
                    for day, counts in per_day.items()],
        "agreement": _overlap_agreement(store, shared),
    }


def assignment_states(store: Store) -> dict[str, list[tuple[str, str]]]:
    """{analyst: [(article id, todo | in_progress | done), ...]} in import order of the articles."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for analyst, article_id, _status, done_at, annotations in store.assignment_progress():
        found[analyst].append((article_id, "done" if done_at else "in_progress" if annotations else "todo"))
    return dict(found)


def _overlap_agreement(store: Store, shared: dict[str, set[str]]) -> list[dict]:
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for article_id, analysts in shared.items():
        for a, b in combinations(sorted(analysts), 2):
            pairs[(a, b)].append(article_id)
    found = []
    for (a, b), article_ids in sorted(pairs.items()):
        figures = agreement(store, a, b, article_ids=sorted(article_ids))
        overall = figures["overall"]
        if not figures["articles"]:  # nothing both annotated yet: no figure, rather than a perfect one
            overall = {k: (0 if k.endswith("spans") or k.startswith("matched") else None) for k in overall}
        found.append({"a": a, "b": b, "shared_articles": len(article_ids), "counted_articles": figures["articles"],
                      **overall})
    return found


def progress_tables(figures: dict) -> list[Table]:
    """The figures as four tables: labels, assignments, per_day, agreement."""
    labels = sorted({label for counts in figures["by_annotator_label"].values() for label in counts})
    label_rows = [[name, *(counts.get(label, 0) for label in labels), sum(counts.values())]
                  for name, counts in sorted(figures["by_annotator_label"].items())]
    work_rows = [[name, counts["assigned"], *(counts[s] for s in STATES)]
                 for name, counts in sorted(figures["assignments"].items())]
    annotators = sorted({name for day in figures["per_day"] for name in day["by_annotator"]})
    day_rows = [[day["day"], *(day["by_annotator"].get(name, 0) for name in annotators), day["total"]]
                for day in figures["per_day"]]
    agreement_rows = [[p["a"], p["b"], p["shared_articles"], p["counted_articles"], p["f1_exact"], p["f1_overlap"],
                       p["kappa_token"], p["alpha_token"]] for p in figures["agreement"]]
    return [
        Table("labels", "Annotations per analyst and label", ["analyst", *labels, "total"], label_rows),
        Table("assignments", "Assignments per analyst", ["analyst", "assigned", *STATES], work_rows),
        Table("per_day", "Annotations per day", ["day", *annotators, "total"], day_rows),
        Table("agreement", "Agreement on the overlap sample",
              ["a", "b", "shared_articles", "counted_articles", "f1_exact", "f1_overlap", "kappa_token", "alpha_token"],
              agreement_rows),
    ]


def write_progress_csv(figures: dict, directory: str | Path) -> list[Path]:
    """Write each table as DIRECTORY/NAME.csv (atomically; the folder is made if needed)."""
    from ..formats import atomic_text_file  # late: the formats package is not needed otherwise

    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"{folder}: not a folder; --csv takes a folder to write the tables in")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in progress_tables(figures):
        path = folder / f"{table.name}.csv"
        with atomic_text_file(path) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(table.headers)
            writer.writerows(["" if cell is None else cell for cell in row] for row in table.rows)
        written.append(path)
    return written
