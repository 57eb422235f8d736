"""Helpers shared by the tests: writing through the operations, as the product does.

`tag` keeps the exact offsets it is given (the tests choose their spans precisely), so it is
`operations.tag(..., exact=True)`; `raw_annotation` inserts a row as given, for the tests that need
what no operation would make (a whitespace span, a duplicate, a hostile row).
"""

from __future__ import annotations

from annotator import operations as ops
from annotator.model import Annotation, Article
from annotator.store import Store
from annotator.store.codecs import annotation_row

TESTER = "tester"


def add_article(store: Store, article: Article, annotator: str = TESTER) -> bool:
    return ops.add_articles(store, [article], annotator=annotator).value[0]


def add_articles(store: Store, articles: list[Article], annotator: str = TESTER) -> list[bool]:
    return ops.add_articles(store, articles, annotator=annotator).value


def tag(store: Store, article_id: str, start: int, end: int, label: str, *, annotator: str = TESTER,
        exact: bool = True, **kwargs) -> Annotation:
    return ops.tag(store, article_id, start, end, label, annotator=annotator, exact=exact, **kwargs).value


def raw_annotation(store: Store, annotation: Annotation) -> Annotation:
    with store.operation("test", TESTER) as op:
        op.insert("annotations", annotation_row(annotation))
    return annotation


def relate(store: Store, head: str, tail: str, type_name: str = "attributed_to", annotator: str = TESTER):
    return ops.link(store, head, tail, type_name, annotator=annotator).value


def table_rows(store: Store, *tables: str) -> dict[str, list[tuple]]:
    """Every row of the given tables (default: the data tables), sorted, to compare states. The
    search index's mark in `meta` (search_index.BEHIND: a bulk import left rows for the next search
    to index) is the index's state, not data: an undo leaves it, the next search clears it."""
    from annotator.store import search_index

    names = tables or ("articles", "texts", "annotations", "relations", "decisions", "meta", "assignments")
    return {name: sorted((r for r in store.conn.execute(f"SELECT * FROM {name}")
                          if name != "meta" or r[0] != search_index.BEHIND), key=repr) for name in names}


def put_annotations(store: Store, annotations):
    """The upsert rule of merges and annotation-set imports, in one operation."""
    from annotator.operations.upserts import put_annotations as put

    with store.operation("test", TESTER) as op:
        counts = put(store, op, list(annotations))
    return counts


def put_relations(store: Store, relations):
    from annotator.operations.upserts import put_relations as put

    with store.operation("test", TESTER) as op:
        counts = put(store, op, list(relations))
    return counts


def update(store: Store, annotation_id: str, *, annotator: str = TESTER, label=None, start=None, end=None,
           attributes=None, note=None) -> Annotation:
    """Change fields of an annotation through the operations (exact bounds)."""
    result = store.get_annotation(annotation_id)
    if label is not None:
        result = ops.relabel(store, annotation_id, label, annotator=annotator).value
    if start is not None or end is not None:
        current = store.get_annotation(annotation_id)
        result = ops.change_bounds(store, annotation_id, current.start if start is None else start,
                                   current.end if end is None else end, annotator=annotator, exact=True).value
    if attributes is not None:
        result = ops.set_attributes(store, annotation_id, attributes, annotator=annotator).value
    if note is not None:
        result = ops.set_note(store, annotation_id, note, annotator=annotator).value
    return result


def delete(store: Store, annotation_id: str, annotator: str = TESTER) -> list[str]:
    return ops.delete_annotation(store, annotation_id, annotator=annotator).value


def set_schema(store: Store, text: str, annotator: str = TESTER) -> None:
    ops.change_schema(store, text, annotator=annotator, force=True)


def import_set(store: Store, path, *, importer: str = TESTER, **kwargs):
    """`import-annotations` in one operation; returns the report."""
    from annotator.operations.annotation_sets import import_annotation_set

    return import_annotation_set(store, path, importer=importer, **kwargs).value


def merge(store: Store, other, annotators=None, *, merged_by: str = TESTER, **kwargs):
    """Merge a colleague's project (a path or an open ColleagueProject); returns the report."""
    from annotator.operations.merge import merge_from
    from annotator.store import ColleagueProject

    if isinstance(other, ColleagueProject):
        return merge_from(store, other, annotators, merged_by=merged_by, **kwargs).value
    with ColleagueProject.open(other) as opened:
        return merge_from(store, opened, annotators, merged_by=merged_by, **kwargs).value


def place(store: Store, article_id: str, start: int, end: int, label: str, *, annotator: str = TESTER,
          attributes: dict | None = None, note: str = "") -> Annotation:
    """A span stored at exactly these offsets, with no snapping at all (not even to grapheme
    clusters) and no duplicate rule: for format tests whose generated spans cut clusters on purpose."""
    from annotator.store import new_id, now
    from annotator.textspan import check_span, make_selector

    text = store.article_text(article_id)
    check_span(text, start, end)
    selector = make_selector(text, start, end)
    stamp = now()
    annotation = Annotation(
        id=new_id(), article_id=article_id, start=start, end=end, label=label, quote=selector.exact,
        prefix=selector.prefix, suffix=selector.suffix,
        attributes=store.schema.validate_attributes(label, attributes or {}), note=note, annotator=annotator,
        created=stamp, updated=stamp,
    )
    with store.operation("test", TESTER, article_id=article_id) as op:
        op.insert("annotations", annotation_row(annotation))
        if store.article_row(article_id)["status"] == "todo":
            op.update("articles", article_id, {"status": "in_progress"})
    return annotation


def set_meta(store: Store, key: str, value: str) -> None:
    """A project setting written as an operation (what a job writes, in the worker tests)."""
    with store.operation("test", TESTER) as op:
        op.set_meta(key, value)
