"""Operations on articles: status, the article's own note, and storing imported articles.

Marking an article done also marks the assignment of whoever marks it (if they have one) done, and
any other status takes that back: each analyst's progress is their own (assignments.py)."""

from __future__ import annotations

from typing import Iterable

from ..errors import ValidationError
from ..model import ARTICLE_STATUSES, Article
from ..store import Recorder, Store, now
from ..store.codecs import article_row, text_row
from .assignments import mark_done
from .result import Done, elide, who

STATUS_NAMES = {"todo": "to do", "in_progress": "in progress", "done": "done"}


def set_status(store: Store, article_id: str, status: str, *, annotator: str) -> Done[str]:
    if status not in ARTICLE_STATUSES:
        raise ValidationError(f"unknown status {status!r}; expected one of {', '.join(ARTICLE_STATUSES)}")
    row = store.article_row(article_id)
    with store.operation("status", who(annotator), article_id=article_id, title=f"mark {STATUS_NAMES[status]}",
                         summary=f"mark “{elide(row['title'] or '(untitled)')}” {STATUS_NAMES[status]}") as op:
        op.update("articles", article_id, {"status": status})
        mark_done(store, op, article_id, annotator.strip(), status == "done")
    return Done(status, op.changes)


def set_article_note(store: Store, article_id: str, note: str, *, annotator: str) -> Done[str]:
    store.article_row(article_id)  # raises for an unknown article
    title = "edit article note" if note else "remove article note"
    with store.operation("article_note", who(annotator), article_id=article_id, title=title,
                         summary=f"article note: {elide(note, 60)}" if note else title) as op:
        op.update("articles", article_id, {"note": note})
    return Done(note, op.changes)


def insert_articles(store: Store, op: Recorder, articles: Iterable[Article]) -> list[bool]:
    """Store articles inside an open operation; one flag per article, False for one already here."""
    batch = list(articles)
    missing = store.missing_articles(a.id for a in batch)
    stamp = now()
    added: list[bool] = []
    articles: list[dict] = []
    texts: list[dict] = []
    for article in batch:
        if article.id not in missing:
            added.append(False)
            continue
        articles.append(article_row(article, stamp))
        texts.append(text_row(article))
        missing.discard(article.id)
        added.append(True)
    op.insert_many("articles", articles, own_rows=True)
    op.insert_many("texts", texts, own_rows=True)
    return added


def add_articles(
    store: Store, articles: Iterable[Article], *, annotator: str, batch_id: str | None = None, what: str = ""
) -> Done[list[bool]]:
    """Store articles in one operation; one flag per article, False for a duplicate (same text)."""
    batch = list(articles)
    title = f"import {len(batch)} article{'s' if len(batch) != 1 else ''}"
    with store.operation("import", who(annotator), batch_id=batch_id, title="import articles",
                         summary=f"{title}{' from ' + what if what else ''}") as op:
        added = insert_articles(store, op, batch)
    return Done(added, op.changes)
