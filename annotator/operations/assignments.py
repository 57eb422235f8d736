"""Assigning articles to analysts: `assign`, `unassign`, and the upsert of assignments that arrive
from a colleague (the exchange file, a merge).

The split (`plan`), the same for every front end:

* The chosen articles are put in id order and shuffled by the seed, and the analysts likewise, so
  the same articles, analysts and seed give the same split on every machine.
* `overlap` K: every article of the agreement sample gets K different analysts (K = 1: plain split,
  the default). `sample` is how many of the chosen articles form that sample (chosen by the seed;
  default: all of them); the other articles get one analyst each.
* Balanced by count: each article goes to the analysts with the least open work, counting what they
  already have assigned and not done in the project, then what this split has given them so far;
  ties go by the seeded order. So loads differ by at most one when everyone starts level.
* An article keeps the analysts of the list it already has: they count towards its K, only the
  missing ones are added, so running the same command twice changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..errors import ValidationError
from ..model import Assignment
from ..store import Recorder, Store, now
from ..store.assignments import assignment_id, assignment_row
from ..wording import plural
from .result import Done, who
from .upserts import UpsertCounts


@dataclass
class AssignReport:
    """What `assign` did: the new (article, analyst) pairs by analyst, and what it left as it was."""

    added: dict[str, list[str]] = field(default_factory=dict)  # analyst -> article ids newly assigned
    kept: int = 0  # pairs that were already assigned
    articles: int = 0
    sample: int = 0  # articles that got `overlap` analysts

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.added.values())

    def to_dict(self) -> dict:
        return {"articles": self.articles, "sample": self.sample, "added": self.total, "already_assigned": self.kept,
                "by_analyst": {name: list(ids) for name, ids in self.added.items()}}


def analyst_names(names: Iterable[str]) -> list[str]:
    """The analysts named, stripped and in order, each once; an empty name is refused."""
    found: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name:
            raise ValidationError("an analyst's name cannot be empty (--to kim,lee)")
        if name not in found:
            found.append(name)
    if not found:
        raise ValidationError("name at least one analyst (--to kim,lee)")
    return found


def plan(
    article_ids: Sequence[str], analysts: Sequence[str], *, overlap: int = 1, sample: int | None = None,
    seed: str = "0", current: dict[str, list[str]] | None = None, load: dict[str, int] | None = None,
) -> dict[str, list[str]]:
    """{article id: the analysts it should have} (see the module's rules). `current` holds the
    analysts each article already has, `load` each analyst's open assignments."""
    analysts = analyst_names(analysts)
    if overlap < 1:
        raise ValidationError(f"--overlap must be 1 or more (analysts per article), not {overlap}")
    if overlap > len(analysts):
        raise ValidationError(
            f"--overlap {overlap} needs at least {overlap} analysts, and --to names {len(analysts)} "
            f"({', '.join(analysts)}); name more analysts or lower --overlap")
    articles = sorted(set(article_ids))
    if sample is not None and not 0 <= sample <= len(articles):
        raise ValidationError(f"--sample {sample}: there are {len(articles)} chosen articles; give 0 to {len(articles)}")
    rng = random.Random(f"assign:{seed}")
    rng.shuffle(articles)
    order = sorted(analysts)
    rng.shuffle(order)
    rank = {name: i for i, name in enumerate(order)}
    sampled = set(articles if sample is None else articles[:sample])
    loads = {name: (load or {}).get(name, 0) for name in analysts}
    current = current or {}
    wanted: dict[str, list[str]] = {}
    for article in articles:
        has = [name for name in current.get(article, ()) if name in loads]
        need = (overlap if article in sampled else 1) - len(has)
        chosen = list(has)
        if need > 0:
            free = sorted((name for name in analysts if name not in has), key=lambda n: (loads[n], rank[n]))
            for name in free[:need]:
                chosen.append(name)
                loads[name] += 1
        wanted[article] = chosen
    return wanted


def assign(
    store: Store, article_ids: Iterable[str], analysts: Sequence[str], *, assigned_by: str, overlap: int = 1,
    sample: int | None = None, seed: str = "0",
) -> Done[AssignReport]:
    """Split the articles among the analysts in one operation (one undo step)."""
    by = who(assigned_by)
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        raise ValidationError("no articles chosen to assign")
    missing = store.missing_articles(ids)
    if missing:
        raise ValidationError(f"no article with id {sorted(missing)[0]}")
    analysts = analyst_names(analysts)
    current = store.analysts_of(ids)
    load = _open_load(store, analysts)
    wanted = plan(ids, analysts, overlap=overlap, sample=sample, seed=seed, current=current, load=load)
    report = AssignReport(added={name: [] for name in analysts}, articles=len(ids),
                          sample=len(ids) if sample is None else sample)
    stamp = now()
    rows: list[Assignment] = []
    for article in ids:
        for name in wanted[article]:
            if name in current.get(article, ()):
                report.kept += 1
                continue
            rows.append(Assignment(assignment_id(article, name), article, name, by, stamp, stamp))
            report.added[name].append(article)
    summary = f"assign {plural(len(ids), 'article')} to {', '.join(analysts)}"
    if overlap > 1:
        summary += f" ({overlap} analysts each on {plural(report.sample, 'article')})"
    with store.operation("assign", by, article_id=ids[0] if len(ids) == 1 else None,
                         title=f"assign {plural(len(ids), 'article')}", summary=summary) as op:
        _write(store, op, rows)
    return Done(report, op.changes)


def unassign(
    store: Store, article_ids: Iterable[str], analysts: Iterable[str] | None = None, *, unassigned_by: str
) -> Done[int]:
    """Take articles back from analysts (all of their analysts when none is named): a tombstone each,
    in one operation. The value is how many assignments were removed."""
    by = who(unassigned_by)
    ids = list(dict.fromkeys(article_ids))
    names = analyst_names(analysts) if analysts is not None else None
    found = store.assignments(article_ids=ids, analysts=names)
    if not found:
        whom = f" to {', '.join(names)}" if names else ""
        raise ValidationError(f"none of the {plural(len(ids), 'article')} chosen is assigned{whom}; nothing was changed")
    stamp = now()
    whom = ", ".join(sorted({a.analyst for a in found}))
    with store.operation("unassign", by, article_id=ids[0] if len(ids) == 1 else None,
                         title=f"unassign {plural(len(found), 'assignment')}",
                         summary=f"unassign {plural(len({a.article_id for a in found}), 'article')} from {whom}") as op:
        op.update_many("assignments", [(a.id, {"deleted": 1, "updated": stamp}) for a in found])
    return Done(len(found), op.changes)


def mark_done(store: Store, op: Recorder, article_id: str, analyst: str, done: bool) -> None:
    """Inside `set_status`: the analyst's own assignment of the article follows their done / not done."""
    found = store.assignments(article_ids=[article_id], analysts=[analyst])
    if not found or bool(found[0].done_at) == done:
        return
    stamp = now()
    op.update("assignments", found[0].id, {"done_at": stamp if done else "", "updated": stamp})


def put_assignments(store: Store, op: Recorder, assignments: Iterable[Assignment]) -> UpsertCounts:
    """Bring in assignments from a colleague (their article ids already ours). The id is derived
    again from (article, analyst), so a row always meets its twin; the rule of upserts.py: the same
    content changes nothing, a newer `updated` applies their state (unassigned, done), else ours stays."""
    counts = UpsertCounts()
    batch = {}
    for incoming in assignments:
        key = assignment_id(incoming.article_id, incoming.analyst)
        batch[key] = Assignment(key, incoming.article_id, incoming.analyst, incoming.assigned_by,
                                incoming.created or incoming.updated or now(), incoming.updated or incoming.created or now(),
                                incoming.done_at, incoming.deleted)
    stored = store.assignments_by_id(batch)
    inserts = []
    for key, incoming in batch.items():
        mine = stored.get(key)
        if mine is None:
            inserts.append(incoming)
            counts.added += 1
            continue
        content = (incoming.done_at, incoming.deleted)
        if content == (mine.done_at, mine.deleted):
            counts.unchanged += 1
        elif incoming.updated <= mine.updated:
            counts.kept += 1
        else:
            op.update("assignments", key, {"done_at": incoming.done_at, "deleted": int(incoming.deleted),
                                           "updated": incoming.updated, "assigned_by": incoming.assigned_by})
            if incoming.deleted and not mine.deleted:
                counts.deleted += 1
            else:
                counts.updated += 1
    _write(store, op, inserts)
    return counts


def _write(store: Store, op: Recorder, rows: list[Assignment]) -> None:
    """Insert new assignments; one whose (article, analyst) has a tombstone brings it back instead."""
    if not rows:
        return
    tombstones = {a.id for a in store.assignments_by_id(r.id for r in rows).values()}
    op.insert_many("assignments", [assignment_row(r) for r in rows if r.id not in tombstones])
    op.update_many("assignments", [
        (r.id, {"deleted": int(r.deleted), "assigned_by": r.assigned_by, "updated": r.updated, "done_at": r.done_at})
        for r in rows if r.id in tombstones
    ])


def _open_load(store: Store, analysts: Sequence[str]) -> dict[str, int]:
    """Each analyst's assignments that are not done: the work they already have."""
    load = {name: 0 for name in analysts}
    for assignment in store.assignments(analysts=analysts):
        if not assignment.done_at:
            load[assignment.analyst] += 1
    return load
