"""What every format needs: the export counts and the selection of articles and spans to write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from ..model import Annotation, Article, Relation
from ..store import Store


@dataclass
class ExportStats:
    articles: int = 0
    spans: int = 0
    relations: int = 0


@dataclass
class ExportItem:
    article: Article
    annotations: list[Annotation]
    relations: list[Relation]


def select_articles(
    store: Store,
    *,
    annotator: str | None = None,
    label: str | None = None,
    article_ids: Iterable[str] | None = None,
    status: str | None = None,
) -> Iterator[ExportItem]:
    """Yield one article at a time with its live spans and relations, so memory stays flat.

    Article filters (`article_ids`, `status`) choose the articles; span filters (`annotator`,
    `label`) choose the spans within them; an article without matching spans is still yielded.
    A relation comes along only when both of its ends are among the chosen spans.
    """
    for article_id in _article_ids(store, article_ids, status):
        article = store.get_article(article_id)
        annotations = [
            a for a in store.annotations_for(article_id, annotator=annotator) if label is None or a.label == label
        ]
        kept = {a.id for a in annotations}
        relations = [r for r in store.relations_for(article_id) if r.head in kept and r.tail in kept]
        yield ExportItem(article, annotations, relations)


def _article_ids(store: Store, article_ids: Iterable[str] | None, status: str | None) -> list[str]:
    if article_ids is not None:
        wanted = list(dict.fromkeys(article_ids))
        if status is None:
            return wanted
        return [i for i in wanted if store.get_article(i).status == status]
    return [s.id for s in store.list_articles() if status is None or s.status == status]
