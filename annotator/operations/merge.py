"""Bringing a colleague's project into this one, in one operation (all or nothing, one undo step).

* Articles are matched by the one matching rule (matching.py): same id (same text), else the one
  article with their URL, else with their title. A matched article with another text gets their
  annotations re-anchored onto our text by quote and context (textspan.reanchor); what cannot be
  anchored is listed in the report (``unanchored``), never dropped silently. An article matching
  nothing is added as it is.
* Annotations and relations keep their ids, annotator names, origin and timestamps, and are
  upserted by the rule shared with `import-annotations` (upserts.py). Merging the same file twice
  changes nothing.
* ``annotators`` limits what is copied to those annotators (and to the articles that carry at least
  one of their rows). Without it, everything except the gold layer is copied; name ``gold`` to bring
  in a colleague's adjudicated layer. Decisions are not copied.
* Assignments come along (of the ``annotators`` named, when named), upserted by (article, analyst)
  with the newer state winning (assignments.put_assignments): merging an analyst's project brings
  back what they marked done; merging the coordinator's gives an analyst their articles.
* Labels, attributes and relation types are checked against this project's schema: a label this
  project does not know stops the merge with a clear error, nothing written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

from .. import textspan
from ..errors import ValidationError
from ..model import Annotation, Article, Relation
from ..wording import plural
from ..review import GOLD
from ..store import ColleagueProject, Recorder, Store
from .articles import insert_articles
from .assignments import put_assignments
from .matching import match_article
from .result import Done, who
from .upserts import UpsertCounts, put_annotations, put_relations


BATCH = 5000  # their rows placed and written at a time
T = TypeVar("T")


def _batches(first: list[T], rest: Iterator[T]) -> Iterator[list[T]]:
    batch = first
    while batch:
        yield batch
        batch = list(islice(rest, BATCH))


@dataclass
class Unanchored:
    """A colleague's annotation (or relation) that could not be placed in this project."""

    id: str
    article_id: str  # the colleague's article id
    title: str
    label: str
    quote: str
    annotator: str
    reason: str


@dataclass
class MergeReport:
    articles_added: int = 0
    articles_present: int = 0  # same text (same id) already here
    articles_matched: list[tuple[str, str]] = field(default_factory=list)  # (their id, our id): other text
    annotations: UpsertCounts = field(default_factory=UpsertCounts)
    annotations_reanchored: int = 0  # of those added or changed: placed on our text by their quote
    relations: UpsertCounts = field(default_factory=UpsertCounts)
    assignments: UpsertCounts = field(default_factory=UpsertCounts)
    unknown_deletions: int = 0  # their tombstones of rows that could not be placed here (nothing to delete)
    unanchored: list[Unanchored] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.articles_added
            or any((c.added, c.updated, c.deleted) != (0, 0, 0)
                   for c in (self.annotations, self.relations, self.assignments))
        )

    def summary(self) -> list[str]:
        """The counts, one line per kind, for the command line and the window alike."""
        a, r = self.annotations, self.relations
        lines = [
            f"articles: {self.articles_added} added, {self.articles_present} already here, "
            f"{len(self.articles_matched)} matched by url or title (their text differs slightly)",
            f"annotations: {a.added} added, {a.updated} updated, {a.deleted} deleted, {a.unchanged} unchanged, "
            f"{a.kept} kept (ours newer), {self.annotations_reanchored} re-anchored onto our text",
            f"relations: {r.added} added, {r.updated} updated, {r.deleted} deleted, {r.unchanged} unchanged",
        ]
        s = self.assignments
        if (s.added, s.updated, s.deleted, s.unchanged, s.kept) != (0, 0, 0, 0, 0):
            lines.append(f"assignments: {s.added} added, {s.updated} updated, {s.deleted} unassigned, "
                         f"{s.unchanged} unchanged, {s.kept} kept (ours newer)")
        placed = f"{plural(len(self.unanchored), 'item')} could not be placed and were left out" if self.unanchored \
            else "everything was placed"
        if self.unknown_deletions:
            placed += (f"; {plural(self.unknown_deletions, 'deletion')} of rows this project never had "
                       "(nothing to delete here) skipped")
        return [*lines, placed]

    def to_dict(self) -> dict:
        record = asdict(self)
        record["articles_matched"] = [list(pair) for pair in self.articles_matched]
        return record


def merge_from(
    store: Store,
    other: ColleagueProject,
    annotators: Iterable[str] | None = None,
    *,
    merged_by: str,
    progress: Callable[[int], None] | None = None,
) -> Done[MergeReport]:
    """Bring a colleague's work into ``store`` (see the module's rules)."""
    if other.path.resolve() == store.path.resolve():
        raise ValidationError(f"{other.path}: that is this project itself")
    wanted = set(annotators) if annotators else None

    def selected(annotator: str) -> bool:
        return annotator in wanted if wanted is not None else annotator != GOLD

    report = MergeReport()
    with store.operation("merge", who(merged_by), title=f"merge {other.path.name}",
                         summary=f"merge {other.path}") as op:
        done = 0
        for theirs in other.articles():
            annotations = (a for a in other.iter_annotations_of(theirs.id) if selected(a.annotator))
            relations = (r for r in other.iter_relations_of(theirs.id) if selected(r.annotator))
            first_annotations, first_relations = list(islice(annotations, BATCH)), list(islice(relations, BATCH))
            assigned = [a for a in other.assignments_of(theirs.id) if wanted is None or a.analyst in wanted]
            if wanted is not None and not first_annotations and not first_relations and not assigned:
                continue
            target = _target_article(store, op, theirs, report)
            if assigned:
                report.assignments += put_assignments(store, op, [replace(a, article_id=target) for a in assigned])
            for batch in _batches(first_annotations, annotations):  # memory stays flat on a huge article
                placed = [p for p in (_place(store, theirs, target, a, report) for a in batch) if p]
                if placed:
                    report.annotations += put_annotations(store, op, placed)
            for batch in _batches(first_relations, relations):
                linked = [r for r in (_place_relation(store, theirs, r, report) for r in batch) if r]
                if linked:
                    report.relations += put_relations(store, op, linked)
            done += 1
            if progress is not None:
                progress(done)
    return Done(report, op.changes)


def _target_article(store: Store, op: Recorder, theirs: Article, report: MergeReport) -> str:
    if store.has_article(theirs.id):
        report.articles_present += 1
        return theirs.id
    matched = match_article(store, "", theirs.url, theirs.title)
    if matched is not None:
        report.articles_matched.append((theirs.id, matched))
        return matched
    insert_articles(store, op, [theirs])
    report.articles_added += 1
    return theirs.id


def _place(store: Store, theirs: Article, target: str, ann: Annotation, report: MergeReport) -> Annotation | None:
    """Their annotation as it goes into our project, or None (listed in the report) if it cannot."""
    mine = store.annotations_by_id([ann.id]).get(ann.id)
    if mine is not None:
        target = mine.article_id  # where an earlier merge (or import) put it
    if target == ann.article_id:
        return ann  # same text: same offsets
    if ann.deleted:
        if mine is not None:  # their deletion of a row we have: no need to find it again
            return replace(ann, article_id=target, start=mine.start, end=mine.end)
        report.unknown_deletions += 1
        return None
    placed = _reanchored(store.article_text(target), ann, target)
    if placed is None:
        reason = "the quote was not found in our version of the article"
        if mine is not None:
            reason += "; their newer version of it was not applied"
        report.unanchored.append(Unanchored(ann.id, theirs.id, theirs.title, ann.label, ann.quote, ann.annotator, reason))
        return None
    stored = None if mine is None else (mine.start, mine.end, mine.label, mine.attributes, mine.note, mine.annotator, mine.deleted)
    if stored != (placed.start, placed.end, placed.label, placed.attributes, placed.note, placed.annotator, placed.deleted):
        report.annotations_reanchored += 1  # counted only when this merge adds or changes it
    return placed


def _reanchored(text: str, ann: Annotation, article_id: str) -> Annotation | None:
    selector = textspan.QuoteSelector(ann.quote, ann.prefix, ann.suffix)
    found = textspan.reanchor(text, selector, hint=ann.start)
    if found is None:
        return None
    start, end = found
    fresh = textspan.make_selector(text, start, end)
    return replace(ann, article_id=article_id, start=start, end=end, quote=fresh.exact, prefix=fresh.prefix,
                   suffix=fresh.suffix)


def _place_relation(store: Store, theirs: Article, rel: Relation, report: MergeReport) -> Relation | None:
    """Their relation with our article id, or None (listed) when its ends are not both here and live."""
    ends = store.relation_ends((rel.head, rel.tail))
    problem = ""
    for end, name in ((rel.head, "head"), (rel.tail, "tail")):
        if end not in ends:
            problem = problem or f"relation: its {name} annotation could not be placed here"
        elif ends[end][2] and not rel.deleted:
            problem = problem or f"relation: its {name} annotation is deleted here"
    if not problem and ends[rel.head][0] != ends[rel.tail][0]:
        problem = "relation: its two annotations are in different articles here"
    if problem:
        if rel.deleted:
            report.unknown_deletions += 1
        else:
            report.unanchored.append(Unanchored(rel.id, theirs.id, theirs.title, rel.type, "", rel.annotator, problem))
        return None
    return replace(rel, article_id=ends[rel.head][0])
