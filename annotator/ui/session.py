"""The open article as the window knows it: one copy of its annotations and relations, kept in step
with the project by applying `Changes` (the window's own operations and, through the journal,
everyone else's). The article view, the side panel and review mode are all updated from the one
`ArticleDiff` that `OpenArticle.apply` returns, so no two of them can disagree.

No Qt here: this is the window's state, not its widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Annotation, Article, Relation
from ..store import Changes, Store


@dataclass
class ArticleDiff:
    """What changed in the open article."""

    added: list[Annotation] = field(default_factory=list)
    updated: list[Annotation] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    relations_added: list[Relation] = field(default_factory=list)
    relations_removed: list[str] = field(default_factory=list)
    article_changed: bool = False  # its own row: status, note
    reload: bool = False  # too much changed to list (a large import, a schema change): redraw it whole
    gone: bool = False  # the article itself is no longer in the project (an undone import)

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.relations_added or self.relations_removed
                    or self.article_changed or self.reload or self.gone)


class OpenArticle:
    """An article with its live annotations and relations, as stored."""

    def __init__(self, store: Store, article_id: str) -> None:
        self.store = store
        self.article: Article = store.get_article(article_id)
        self.annotations: dict[str, Annotation] = {a.id: a for a in store.iter_annotations(article_id)}
        self.relations: dict[str, Relation] = {r.id: r for r in store.relations_for(article_id)}

    @property
    def id(self) -> str:
        return self.article.id

    def in_order(self) -> list[Annotation]:
        return sorted(self.annotations.values(), key=lambda a: (a.start, a.end, a.created, a.id))

    def relations_of(self, annotation_id: str) -> list[Relation]:
        found = [r for r in self.relations.values() if annotation_id in (r.head, r.tail)]
        return sorted(found, key=lambda r: (r.created, r.id))

    def reload(self) -> None:
        fresh = OpenArticle(self.store, self.article.id)
        self.article, self.annotations, self.relations = fresh.article, fresh.annotations, fresh.relations

    def apply(self, changes: Changes) -> ArticleDiff:
        """Bring this copy up to date with `changes`; returns what changed here."""
        diff = ArticleDiff()
        if self.article.id not in changes.articles and not changes.schema:
            return diff
        if not self.store.has_article(self.article.id):
            diff.gone = True
            return diff
        if changes.overflow or changes.schema:
            self.reload()
            diff.reload = True
            return diff
        row = self.store.article_row(self.article.id)
        if (row["status"], row["note"]) != (self.article.status, self.article.note):
            self.article.status, self.article.note = row["status"], row["note"]
            diff.article_changed = True
        self._annotations(changes.annotations, diff)
        self._relations(changes.relations, diff)
        return diff

    def _annotations(self, ids: set[str], diff: ArticleDiff) -> None:
        if not ids:
            return
        stored = self.store.annotations_by_id(ids)
        for annotation_id in sorted(ids):
            row = stored.get(annotation_id)
            known = annotation_id in self.annotations
            if row is None or row.deleted or row.article_id != self.article.id:
                if known:
                    del self.annotations[annotation_id]
                    diff.removed.append(annotation_id)
                continue
            if known and self.annotations[annotation_id] == row:
                continue
            (diff.updated if known else diff.added).append(row)
            self.annotations[annotation_id] = row

    def _relations(self, ids: set[str], diff: ArticleDiff) -> None:
        if not ids:
            return
        stored = self.store.relations_by_id(ids)
        for relation_id in sorted(ids):
            row = stored.get(relation_id)
            known = relation_id in self.relations
            if row is None or row.deleted or row.article_id != self.article.id:
                if known:
                    del self.relations[relation_id]
                    diff.relations_removed.append(relation_id)
                continue
            if known and self.relations[relation_id] == row:
                continue
            if known:
                diff.relations_removed.append(relation_id)
            self.relations[relation_id] = row
            diff.relations_added.append(row)
