"""One row codec per table: how each model object is written to, and read from, its rows.

The store, the merge of a colleague's project, the jsonl format and the CLI all use these, so a
column is named and converted in exactly one place. Reading never trusts a row: a malformed value
raises `RowError` naming the table, the row and the column (a colleague's file may be damaged or
hostile).
"""

from __future__ import annotations

import json
from typing import Any, Iterator, Mapping

from .. import jsontext
from ..errors import ProjectDamagedError
from ..model import Annotation, Article, Block, Decision, Relation

ARTICLE_COLUMNS = (
    "id", "title", "url", "outlet", "authors", "published", "section", "language", "source_file",
    "imported_at", "status", "note", "length", "foreign_data",
)  # fmt: skip
TEXT_COLUMNS = ("article_id", "text", "blocks")
ANNOTATION_COLUMNS = (
    "id", "article_id", "start", "end", "label", "quote", "prefix", "suffix", "attributes", "note",
    "annotator", "created", "updated", "origin", "deleted", "foreign_data",
)  # fmt: skip
RELATION_COLUMNS = (
    "id", "article_id", "head", "tail", "type", "annotator", "created", "updated", "deleted", "foreign_data",
)  # fmt: skip
DECISION_COLUMNS = (
    "id", "article_id", "decision", "source_ids", "gold_ids", "copied_from", "relation_ids", "decided_by",
    "decided_at", "comment", "undone_at",
)  # fmt: skip
ASSIGNMENT_COLUMNS = ("id", "article_id", "analyst", "assigned_by", "created", "updated", "done_at", "deleted")

# The primary key of each table the journal records.
KEYS: dict[str, str] = {
    "articles": "id",
    "texts": "article_id",
    "annotations": "id",
    "relations": "id",
    "decisions": "id",
    "meta": "key",
    "assignments": "id",
    "suggestions": "id",
    "suggestion_relations": "id",
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ARTICLE_COLUMNS,
    "texts": TEXT_COLUMNS,
    "annotations": ANNOTATION_COLUMNS,
    "relations": RELATION_COLUMNS,
    "decisions": DECISION_COLUMNS,
    "meta": ("key", "value"),
    "assignments": ASSIGNMENT_COLUMNS,
}


class RowError(ProjectDamagedError):
    """A stored row that cannot be read: the message names the table, the row and the column."""

    def __init__(self, table: str, key: object, column: str, what: str, where: object = None) -> None:
        super().__init__(f"{where}: " * (where is not None) + f"{table} row {key}: column {column} {what}")
        self.table, self.key, self.column, self.what = table, key, column, what

    def in_file(self, where: object) -> "RowError":
        """The same error, naming the file it was read from (a colleague's project)."""
        return RowError(self.table, self.key, self.column, self.what, where)


_STORED = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # json.dumps builds an encoder per call
_string = json.encoder.encode_basestring  # how that encoder writes a string (UTF-8 characters kept)


def dumps(value: object) -> str:
    """JSON as the project stores it: UTF-8 characters kept, keys sorted (same value, same text)."""
    return _STORED(value)


def _json(table: str, key: object, column: str, text: object, kind: type) -> Any:
    if not isinstance(text, str):
        raise RowError(table, key, column, f"is {type(text).__name__}, not JSON text")
    try:
        value = jsontext.loads(text)
    except (ValueError, RecursionError):
        raise RowError(table, key, column, "is not valid JSON") from None
    if not isinstance(value, kind):
        raise RowError(table, key, column, f"holds a {type(value).__name__}, not a {kind.__name__}")
    return value


def foreign_json(foreign: Mapping[str, object]) -> str:
    if not foreign:
        return "{}"
    return _strings_json(foreign) or dumps(foreign)


def _strings_json(value: Mapping[str, object]) -> str | None:
    """`dumps(value)` for the common foreign payload, text keyed by text up to two levels deep (a
    tool's ids: one per span of an import), written directly: the encoder made per call was most
    of the time. None for anything else."""
    parts = []
    for key, item in sorted(value.items()):
        if type(key) is not str:
            return None
        if type(item) is str:
            parts.append(f"{_string(key)}: {_string(item)}")
            continue
        if type(item) is not dict:
            return None
        inner = []
        for name, text in sorted(item.items()):
            if type(name) is not str or type(text) is not str:
                return None
            inner.append(f"{_string(name)}: {_string(text)}")
        parts.append(f"{_string(key)}: {{{', '.join(inner)}}}")
    return "{" + ", ".join(parts) + "}"


def _foreign(table: str, key: object, row: Mapping[str, object]) -> dict:
    """The `foreign_data` column: {format: what that tool said}; absent in files before version 5."""
    text = row.get("foreign_data")
    if text is None or text == "{}":
        return {}
    return _json(table, key, "foreign_data", text, dict)


def _text(table: str, key: object, row: Mapping[str, object], column: str, default: str = "") -> str:
    value = row.get(column, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise RowError(table, key, column, f"is {type(value).__name__}, not text")
    return value


def _int(table: str, key: object, row: Mapping[str, object], column: str) -> int:
    value = row.get(column)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RowError(table, key, column, f"is {type(value).__name__}, not a whole number")
    return value


# -- articles and their texts ---------------------------------------------------------------------


def blocks_json(blocks: list[Block]) -> str:
    return json.dumps([[b.kind, b.start, b.end] for b in blocks])


def blocks_from_json(article_id: str, text: str) -> list[Block]:
    raw = _json("texts", article_id, "blocks", text, list)
    blocks = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                and all(isinstance(n, int) and not isinstance(n, bool) for n in item[1:])):
            raise RowError("texts", article_id, "blocks", "holds a block that is not [kind, start, end]")
        blocks.append(Block(item[0], item[1], item[2]))
    return blocks


def article_row(article: Article, stamp: str) -> dict[str, object]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "authors": json.dumps(article.authors, ensure_ascii=False),
        "published": article.published,
        "section": article.section,
        "language": article.language,
        "source_file": article.source_file,
        "imported_at": article.imported_at or stamp,
        "status": article.status,
        "note": article.note,
        "length": len(article.text),
        "foreign_data": foreign_json(article.foreign),
    }


def text_row(article: Article) -> dict[str, object]:
    return {"article_id": article.id, "text": article.text, "blocks": blocks_json(article.blocks)}


def article_from_row(row: Mapping[str, object], text: str, blocks: list[Block]) -> Article:
    key = row.get("id")
    authors = _json("articles", key, "authors", row.get("authors") or "[]", list)
    if not all(isinstance(a, str) for a in authors):
        raise RowError("articles", key, "authors", "holds something that is not a name")
    return Article(
        id=_text("articles", key, row, "id"),
        text=text,
        blocks=blocks,
        title=_text("articles", key, row, "title"),
        url=_text("articles", key, row, "url"),
        outlet=_text("articles", key, row, "outlet"),
        authors=authors,
        published=_text("articles", key, row, "published"),
        section=_text("articles", key, row, "section"),
        language=_text("articles", key, row, "language"),
        source_file=_text("articles", key, row, "source_file"),
        imported_at=_text("articles", key, row, "imported_at"),
        status=_text("articles", key, row, "status", "todo"),
        note=_text("articles", key, row, "note"),
        foreign=_foreign("articles", key, row),
    )


# -- annotations ----------------------------------------------------------------------------------


def annotation_row(annotation: Annotation) -> dict[str, object]:
    return {
        "id": annotation.id,
        "article_id": annotation.article_id,
        "start": annotation.start,
        "end": annotation.end,
        "label": annotation.label,
        "quote": annotation.quote,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "attributes": dumps(annotation.attributes),
        "note": annotation.note,
        "annotator": annotation.annotator,
        "created": annotation.created,
        "updated": annotation.updated,
        "origin": annotation.origin,
        "deleted": int(annotation.deleted),
        "foreign_data": foreign_json(annotation.foreign),
    }


def annotation_from_row(row: Mapping[str, object]) -> Annotation:
    key = row.get("id")
    return Annotation(
        id=_text("annotations", key, row, "id"),
        article_id=_text("annotations", key, row, "article_id"),
        start=_int("annotations", key, row, "start"),
        end=_int("annotations", key, row, "end"),
        label=_text("annotations", key, row, "label"),
        quote=_text("annotations", key, row, "quote"),
        prefix=_text("annotations", key, row, "prefix"),
        suffix=_text("annotations", key, row, "suffix"),
        attributes=_json("annotations", key, "attributes", row.get("attributes") or "{}", dict),
        note=_text("annotations", key, row, "note"),
        annotator=_text("annotations", key, row, "annotator"),
        created=_text("annotations", key, row, "created"),
        updated=_text("annotations", key, row, "updated"),
        origin=_text("annotations", key, row, "origin", "manual"),
        deleted=bool(row.get("deleted")),
        foreign=_foreign("annotations", key, row),
    )


def annotation_from_values(values: tuple) -> Annotation:
    """An annotation from a row tuple in ANNOTATION_COLUMNS order (the store's own rows).

    A row whose values all have their column's type is taken as it is (an article's 100,000 rows
    are read in a fraction of the checked path's time); any other goes through
    `annotation_from_row`, which fills defaults or names the column that is wrong."""
    (id_, article_id, start, end, label, quote, prefix, suffix, attributes, note, annotator, created, updated,
     origin, deleted, foreign) = values
    if (type(foreign) is str and type(start) is int and type(end) is int and type(deleted) is int and type(id_) is str
            and type(article_id) is str and type(label) is str and type(quote) is str and type(prefix) is str
            and type(suffix) is str and type(note) is str and type(annotator) is str and type(created) is str
            and type(updated) is str and type(origin) is str and origin and type(attributes) is str):
        return Annotation(
            id_, article_id, start, end, label, quote, prefix, suffix,
            {} if attributes == "{}" else _json("annotations", id_, "attributes", attributes or "{}", dict),
            note, annotator, created, updated, origin, bool(deleted),
            {} if foreign == "{}" else _json("annotations", id_, "foreign_data", foreign, dict),
        )  # fmt: skip
    return annotation_from_row(dict(zip(ANNOTATION_COLUMNS, values)))


# -- relations ------------------------------------------------------------------------------------


def relation_row(relation: Relation) -> dict[str, object]:
    return {
        "id": relation.id,
        "article_id": relation.article_id,
        "head": relation.head,
        "tail": relation.tail,
        "type": relation.type,
        "annotator": relation.annotator,
        "created": relation.created,
        "updated": relation.updated,
        "deleted": int(relation.deleted),
        "foreign_data": foreign_json(relation.foreign),
    }


def relation_from_row(row: Mapping[str, object]) -> Relation:
    key = row.get("id")
    return Relation(
        id=_text("relations", key, row, "id"),
        article_id=_text("relations", key, row, "article_id"),
        head=_text("relations", key, row, "head"),
        tail=_text("relations", key, row, "tail"),
        type=_text("relations", key, row, "type"),
        annotator=_text("relations", key, row, "annotator"),
        created=_text("relations", key, row, "created"),
        updated=_text("relations", key, row, "updated"),
        deleted=bool(row.get("deleted")),
        foreign=_foreign("relations", key, row),
    )


# -- decisions ------------------------------------------------------------------------------------


def decision_row(decision: Decision) -> dict[str, object]:
    return {
        "id": decision.id,
        "article_id": decision.article_id,
        "decision": decision.decision,
        "source_ids": json.dumps(list(decision.source_ids)),
        "gold_ids": json.dumps(list(decision.gold_ids)),
        "copied_from": json.dumps(decision.copied_from, sort_keys=True),
        "relation_ids": json.dumps(list(decision.relation_ids)),
        "decided_by": decision.decided_by,
        "decided_at": decision.decided_at,
        "comment": decision.comment,
        "undone_at": decision.undone_at,
    }


def decision_from_row(row: Mapping[str, object]) -> Decision:
    key = row.get("id")
    return Decision(
        id=_text("decisions", key, row, "id"),
        article_id=_text("decisions", key, row, "article_id"),
        decision=_text("decisions", key, row, "decision"),
        source_ids=_json("decisions", key, "source_ids", row.get("source_ids") or "[]", list),
        gold_ids=_json("decisions", key, "gold_ids", row.get("gold_ids") or "[]", list),
        copied_from=_json("decisions", key, "copied_from", row.get("copied_from") or "{}", dict),
        relation_ids=_json("decisions", key, "relation_ids", row.get("relation_ids") or "[]", list),
        decided_by=_text("decisions", key, row, "decided_by"),
        decided_at=_text("decisions", key, row, "decided_at"),
        comment=_text("decisions", key, row, "comment"),
        undone_at=_text("decisions", key, row, "undone_at"),
    )


# -- JSON records (the jsonl exchange format, `show --json`) ---------------------------------------


def article_record(article: Article) -> dict:
    """The article part of a record: metadata, text and blocks (jsonl and `annotator show --json`)."""
    return {**article_metadata(article), "text": article.text, "blocks": list(block_records(article))}


def article_metadata(article: Article) -> dict:
    """`article_record` without the text and the blocks (what `show --json` writes first)."""
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "published": article.published,
        "section": article.section,
        "language": article.language,
        "source_file": article.source_file,
        "imported_at": article.imported_at,
        "status": article.status,
        "note": article.note,
        **({"foreign": article.foreign} if article.foreign else {}),
    }


def block_records(article: Article) -> Iterator[dict]:
    """The blocks of `article_record`, one at a time (each with its text)."""
    text = article.text
    for b in article.blocks:
        yield {"kind": b.kind, "start": b.start, "end": b.end, "text": text[b.start : b.end]}


def annotation_record(annotation: Annotation) -> dict:
    """An annotation as the jsonl exchange format writes it (`text` is the quote)."""
    record: dict[str, object] = {
        "id": annotation.id,
        "start": annotation.start,
        "end": annotation.end,
        "label": annotation.label,
        "text": annotation.quote,
        "annotator": annotation.annotator,
        "attributes": annotation.attributes,
        "note": annotation.note,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "origin": annotation.origin,
        "created": annotation.created,
        "updated": annotation.updated,
    }
    if annotation.deleted:
        record["deleted"] = True
    if annotation.foreign:
        record["foreign"] = annotation.foreign
    return record


BRIEF_COLUMNS = ("id", "start", "end", "label", "quote", "annotator", "attributes", "note")


def brief_from_values(values: tuple) -> dict:
    """`annotation_brief` straight from a row tuple in BRIEF_COLUMNS order (`show` of an article
    with 100,000 annotations reads only these columns); checked as `annotation_from_values` is."""
    id_, start, end, label, quote, annotator, attributes, note = values
    if (type(start) is int and type(end) is int and type(id_) is str and type(label) is str
            and type(quote) is str and type(annotator) is str and type(note) is str and type(attributes) is str):
        return {
            "id": id_, "start": start, "end": end, "label": label, "quote": quote, "annotator": annotator,
            "attributes": {} if attributes == "{}" else _json("annotations", id_, "attributes", attributes or "{}", dict),
            "note": note,
        }  # fmt: skip
    return annotation_brief(annotation_from_row(dict(zip(BRIEF_COLUMNS, values))))


def annotation_brief(annotation: Annotation) -> dict:
    """An annotation as `annotator show --json` prints it."""
    return {
        "id": annotation.id,
        "start": annotation.start,
        "end": annotation.end,
        "label": annotation.label,
        "quote": annotation.quote,
        "annotator": annotation.annotator,
        "attributes": annotation.attributes,
        "note": annotation.note,
    }


def relation_record(relation: Relation) -> dict:
    record: dict[str, object] = {
        "id": relation.id,
        "head": relation.head,
        "tail": relation.tail,
        "type": relation.type,
        "annotator": relation.annotator,
        "created": relation.created,
        "updated": relation.updated,
    }
    if relation.deleted:
        record["deleted"] = True
    if relation.foreign:
        record["foreign"] = relation.foreign
    return record


def relation_brief(relation: Relation) -> dict:
    return {"id": relation.id, "head": relation.head, "tail": relation.tail, "type": relation.type,
            "annotator": relation.annotator}
