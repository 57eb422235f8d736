"""The one query path of every export: a typed filter, and the articles it selects with their spans
and relations, streamed (memory stays flat) and read in batches of articles (a few queries per
hundred articles, not three per article).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Callable, Iterator

from ..errors import ValidationError
from ..model import ARTICLE_STATUSES, Annotation, Article, Relation
from . import codecs
from .codecs import ANNOTATION_COLUMNS, RELATION_COLUMNS
from .sql import q

BATCH_ARTICLES = 200
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportFilter:
    """What an export writes. Article filters choose the articles (`article_ids` in that order,
    `status`, `assigned_to`: the articles assigned to any of these analysts, with `include_deleted` also those
    taken back from them); span filters choose the spans within them (`annotators`, `labels`: None for all, an
    empty tuple for none); an article with no matching span is still written. A relation comes along
    only when both of its ends are chosen. `include_deleted` adds tombstones (for the exchange
    format, which carries deletions to a colleague). `merge_identical` makes the chosen spans of
    several annotators one layer: of identical spans (same offsets and label) the first created is
    kept, and relations follow it (for the formats that hold one layer of spans: `--annotator all`).
    `include_suggestions` asks for the open suggestions of the chosen articles (with the chosen
    labels) too, written where a format has a place for them (`suggestions_of`); suggestions are
    never written otherwise."""

    annotators: tuple[str, ...] | None = None
    labels: tuple[str, ...] | None = None
    article_ids: tuple[str, ...] | None = None
    status: str | None = None
    include_deleted: bool = False
    merge_identical: bool = False
    assigned_to: tuple[str, ...] | None = None
    include_suggestions: bool = False

    def __post_init__(self) -> None:
        for name in ("annotators", "labels", "article_ids", "assigned_to"):
            value = getattr(self, name)
            if value is not None:
                if isinstance(value, str):
                    value = (value,)
                object.__setattr__(self, name, tuple(dict.fromkeys(value)))
        if self.status is not None and self.status not in ARTICLE_STATUSES:
            raise ValidationError(f"unknown status {self.status!r}; expected one of {', '.join(ARTICLE_STATUSES)}")

    @classmethod
    def of(cls, **values: object) -> "ExportFilter":
        """A filter from keyword values; a name that is not a filter is an error, never ignored."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValidationError(
                f"unknown export filter {', '.join(unknown)}; the filters are {', '.join(sorted(known))}"
            )
        return cls(**values)  # type: ignore[arg-type]

    @property
    def spans_filtered(self) -> bool:
        return self.annotators is not None or self.labels is not None

    @property
    def no_spans(self) -> bool:
        return self.annotators == () or self.labels == ()


@dataclass
class ExportItem:
    article: Article
    annotations: list[Annotation]
    relations: list[Relation]
    merged: int = 0  # spans left out as identical to a kept one of another annotator (`merge_identical`)


def article_order(store, selection: ExportFilter) -> list[str]:
    """The ids of the chosen articles, in export order (the given order, or import order)."""
    if selection.article_ids is None:
        found = store.article_ids(selection.status)
    elif selection.status is None:
        found = list(selection.article_ids)
    else:
        statuses = store.article_statuses(selection.article_ids)
        found = [i for i in selection.article_ids if statuses.get(i) == selection.status]
    if selection.assigned_to is not None:
        # with tombstones: also the articles taken back from them, so that the file tells them
        assigned = {a.article_id for a in store.assignments(analysts=selection.assigned_to,
                                                            include_deleted=selection.include_deleted)}
        found = [i for i in found if i in assigned]
    return found


def _span_sql(selection: ExportFilter, article_count: int) -> tuple[str, list[object]]:
    sql = (f"SELECT {', '.join(map(q, ANNOTATION_COLUMNS))} FROM annotations "
           f"WHERE article_id IN ({', '.join('?' * article_count)})")
    params: list[object] = []
    if not selection.include_deleted:
        sql += " AND deleted = 0"
    for column, values in (("annotator", selection.annotators), ("label", selection.labels)):
        if values:
            sql += f" AND {column} IN ({', '.join('?' * len(values))})"
            params.extend(values)
    return sql + ' ORDER BY article_id, start, "end", created, id', params


def _relation_sql(selection: ExportFilter, article_count: int) -> str:
    sql = (f"SELECT {', '.join(map(q, RELATION_COLUMNS))} FROM relations "
           f"WHERE article_id IN ({', '.join('?' * article_count)})")
    if not selection.include_deleted:
        sql += " AND deleted = 0"
    return sql + " ORDER BY article_id, created, id"


def export_rows(
    store, selection: ExportFilter, progress: ProgressCallback | None = None
) -> Iterator[tuple[dict, str, str, list[tuple], list[tuple]]]:
    """(article row, text, blocks JSON, span rows, relation rows) per chosen article, as stored.

    Span rows are tuples in ANNOTATION_COLUMNS order, relation rows in RELATION_COLUMNS order (the
    codecs' orders); a relation is kept only when both of its ends are among the chosen spans.
    `progress(done, total)` is called with 0 first, then after each article has been used.
    """
    order = article_order(store, selection)
    total = len(order)
    if progress is not None:
        progress(0, total)
    done = 0
    conn = store.conn
    article_select = ", ".join(codecs.ARTICLE_COLUMNS)
    with store.reading():
        for i in range(0, total, BATCH_ARTICLES):
            ids = order[i : i + BATCH_ARTICLES]
            marks = ", ".join("?" * len(ids))
            articles = {
                row[0]: dict(zip(codecs.ARTICLE_COLUMNS, row))
                for row in conn.execute(f"SELECT {article_select} FROM articles WHERE id IN ({marks})", ids)
            }
            texts = {row[0]: (row[1], row[2]) for row in conn.execute(
                f"SELECT article_id, text, blocks FROM texts WHERE article_id IN ({marks})", ids)}
            spans: dict[str, list[tuple]] = {}
            if not selection.no_spans:
                sql, params = _span_sql(selection, len(ids))
                for row in conn.execute(sql, (*ids, *params)):
                    spans.setdefault(row[1], []).append(row)
            relations: dict[str, list[tuple]] = {}
            for row in conn.execute(_relation_sql(selection, len(ids)), ids):
                relations.setdefault(row[1], []).append(row)
            for article_id in ids:
                row = articles.get(article_id)
                if row is None:
                    continue  # an id given that the project does not have
                text, blocks = texts[article_id]
                chosen = spans.get(article_id, [])
                linked = relations.get(article_id, [])
                if linked and (selection.spans_filtered or selection.no_spans):
                    kept = {s[0] for s in chosen}
                    linked = [r for r in linked if r[2] in kept and r[3] in kept]
                yield row, text, blocks, chosen, linked
                done += 1
                if progress is not None:
                    progress(done, total)
    if progress is not None and done < total:
        progress(total, total)


def select_articles(
    store, selection: ExportFilter | None = None, progress: ProgressCallback | None = None, *, blocks: bool = True,
) -> Iterator[ExportItem]:
    """One article at a time with its chosen spans and relations, as model objects; without
    `blocks`, for a writer that has no use for them, the articles' blocks are not decoded (empty)."""
    selection = selection or ExportFilter()
    for row, text, stored_blocks, spans, relations in export_rows(store, selection, progress):
        article = codecs.article_from_row(row, text, codecs.blocks_from_json(row["id"], stored_blocks) if blocks else [])
        item = ExportItem(
            article,
            [codecs.annotation_from_values(s) for s in spans],
            [codecs.relation_from_row(dict(zip(RELATION_COLUMNS, r))) for r in relations],
        )
        yield _merged(item) if selection.merge_identical else item


def _merged(item: ExportItem) -> ExportItem:
    """One layer of spans: the first created of identical spans kept, relations moved onto it."""
    kept: dict[tuple, Annotation] = {}
    moved: dict[str, str] = {}
    for annotation in sorted(item.annotations, key=lambda a: (a.created, a.id)):
        first = kept.setdefault((annotation.start, annotation.end, annotation.label), annotation)
        moved[annotation.id] = first.id
    annotations = [a for a in item.annotations if moved[a.id] == a.id]
    relations, seen = [], set()
    for relation in item.relations:
        head, tail = moved.get(relation.head, relation.head), moved.get(relation.tail, relation.tail)
        if head == tail or (head, tail, relation.type) in seen:
            continue
        seen.add((head, tail, relation.type))
        relations.append(dataclasses.replace(relation, head=head, tail=tail))
    return ExportItem(item.article, annotations, relations, len(item.annotations) - len(annotations))


def suggestions_of(store, selection: ExportFilter, article_id: str) -> list:
    """The open suggestions of an article that an export asking for them writes (none otherwise)."""
    if not selection.include_suggestions or selection.labels == ():
        return []
    return store.open_suggestions_in(article_id, selection.labels)


def open_suggestion_count(store, selection: ExportFilter) -> int:
    """How many open suggestions the selection's articles hold with its labels (what an export to a
    format with no place for them leaves out, and says so)."""
    if selection.labels == ():
        return 0
    whole = selection.article_ids is None and selection.status is None and selection.assigned_to is None
    counts = store.open_suggestion_counts(None if whole else article_order(store, selection))
    if selection.labels is None:
        return sum(counts.values())
    return sum(len(store.open_suggestions_in(a, selection.labels)) for a in counts)


def span_annotators(store, selection: ExportFilter) -> dict[str, int]:
    """{annotator: chosen spans} of a selection, in one query: whether it holds several layers."""
    if selection.no_spans:
        return {}
    sql = "SELECT annotator, count(*) FROM annotations WHERE 1 = 1"
    params: list[object] = []
    if not selection.include_deleted:
        sql += " AND deleted = 0"
    for column, values in (("annotator", selection.annotators), ("label", selection.labels)):
        if values:
            sql += f" AND {column} IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(values)))
    if selection.article_ids is not None:
        sql += " AND article_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(selection.article_ids)))
    if selection.status is not None:
        sql += " AND article_id IN (SELECT id FROM articles WHERE status = ?)"
        params.append(selection.status)
    return dict(store.conn.execute(sql + " GROUP BY annotator ORDER BY annotator", params).fetchall())


def largest_foreign_id(store, format_name: str, nested: str | None = None) -> int:
    """The largest whole-number key among the documents a tool had of the project's articles
    (formats/foreign.py: a document's `key` is its own id), or among their `nested` lists (a task's
    annotations): where new ids of an export to that tool start, so that they never meet the kept
    ones. 0 when there is none."""
    path = f"$.{format_name}.documents"
    kept = "a.foreign_data != '{}' AND json_valid(a.foreign_data)"
    if nested is None:
        sql = ("SELECT max(CAST(json_extract(d.value, '$.key') AS INTEGER)) "
               f"FROM articles a, json_each(a.foreign_data, ?) d WHERE {kept}")
        params: tuple = (path,)
    else:
        sql = ("SELECT max(CAST(json_extract(n.value, '$.key') AS INTEGER)) "
               f"FROM articles a, json_each(a.foreign_data, ?) d, json_each(d.value, ?) n WHERE {kept}")
        params = (path, f"$.{nested}")
    row = store.conn.execute(sql, params).fetchone()
    return int(row[0] or 0) if row and isinstance(row[0], int) else 0
