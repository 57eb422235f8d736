"""The native format: one JSON object per line and per article, with its text, blocks, spans and
relations. Offsets are code points into `text` (Python slicing), so `text[start:end] == span["text"]`.

    {"id", "title", "url", "outlet", "authors", "published", "section", "language", "status", "note",
     "text", "blocks": [{"kind", "start", "end", "text"}],
     "spans": [{"id", "start", "end", "label", "text", "annotator", "attributes", "note",
                "prefix", "suffix", "origin", "created", "updated"}],
     "relations": [{"id", "head", "tail", "type", "annotator"}]}
"""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from ..model import Annotation, Article, Relation
from ..store import Store
from .common import ExportStats, select_articles

NAME = "jsonl"
SUFFIX = ".jsonl"
DESCRIPTION = "News Annotator JSONL: one article per line with its spans and relations"


def write(
    store: Store,
    out: TextIO,
    *,
    annotator: str | None = None,
    label: str | None = None,
    article_ids: Iterable[str] | None = None,
    status: str | None = None,
) -> ExportStats:
    """Write the selected articles to `out`, one line each; see `common.select_articles` for filters."""
    stats = ExportStats()
    items = select_articles(store, annotator=annotator, label=label, article_ids=article_ids, status=status)
    for item in items:
        record = article_record(item.article, item.annotations, item.relations)
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        stats.articles += 1
        stats.spans += len(item.annotations)
        stats.relations += len(item.relations)
    return stats


def article_record(article: Article, annotations: list[Annotation], relations: list[Relation]) -> dict:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "published": article.published,
        "section": article.section,
        "language": article.language,
        "status": article.status,
        "note": article.note,
        "text": article.text,
        "blocks": [
            {"kind": b.kind, "start": b.start, "end": b.end, "text": article.text[b.start : b.end]}
            for b in article.blocks
        ],
        "spans": [span_record(a) for a in annotations],
        "relations": [relation_record(r) for r in relations],
    }


def span_record(annotation: Annotation) -> dict:
    return {
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


def relation_record(relation: Relation) -> dict:
    return {
        "id": relation.id,
        "head": relation.head,
        "tail": relation.tail,
        "type": relation.type,
        "annotator": relation.annotator,
    }
