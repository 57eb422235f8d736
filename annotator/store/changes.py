"""What an operation changed: the ids it touched, so that views refresh only those.

Every operation returns a `Changes`; the journal keeps one per entry (capped, see `MAX_IDS`), so a
window can learn what another process changed by reading the journal since the last entry it saw.
`overflow` says the lists were cut: reload the touched articles whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_IDS = 5000  # ids listed per kind in one journal entry; more sets `overflow`
MAX_ARTICLES = 50_000


@dataclass
class Changes:
    """What one operation (or a batch of writes seen in the journal) changed, by kind of row."""

    op_id: str = ""
    articles: set[str] = field(default_factory=set)  # article rows changed, or rows that belong to them
    annotations: set[str] = field(default_factory=set)
    relations: set[str] = field(default_factory=set)
    decisions: set[str] = field(default_factory=set)
    assignments: set[str] = field(default_factory=set)
    suggestions: set[str] = field(default_factory=set)  # suggestion and suggested-relation rows
    article_rows: set[str] = field(default_factory=set)  # articles whose own row (or text) changed
    schema: bool = False
    overflow: bool = False
    merged_ops: list[str] = field(default_factory=list)  # the entries of changes merged into this one

    @property
    def op_ids(self) -> list[str]:
        """Every journal entry this change is made of (an undo of a batch writes one per entry)."""
        return [*self.merged_ops, *([self.op_id] if self.op_id and self.op_id not in self.merged_ops else [])]

    def __bool__(self) -> bool:
        return bool(self.articles or self.annotations or self.relations or self.decisions or self.assignments
                    or self.suggestions or self.schema)

    def touches(self, table: str, key: str) -> bool:
        """Whether this change lists the row (an overflowing change lists only its articles)."""
        if table == "meta":
            return self.schema and key == "schema"
        return key in (self._ids_of(table) or ())

    def _ids_of(self, table: str) -> set[str] | None:
        return {"annotations": self.annotations, "relations": self.relations, "decisions": self.decisions,
                "assignments": self.assignments, "articles": self.article_rows,
                "texts": self.article_rows, "suggestions": self.suggestions,
                "suggestion_relations": self.suggestions}.get(table)

    def merge(self, other: "Changes") -> "Changes":
        """Both changes in one (for a window catching up with several journal entries)."""
        self.articles |= other.articles
        self.annotations |= other.annotations
        self.relations |= other.relations
        self.decisions |= other.decisions
        self.assignments |= other.assignments
        self.suggestions |= other.suggestions
        self.article_rows |= other.article_rows
        self.schema = self.schema or other.schema
        self.overflow = self.overflow or other.overflow
        self.merged_ops.extend(i for i in other.op_ids if i not in self.merged_ops)
        return self

    def to_record(self) -> dict:
        record: dict[str, object] = {
            "articles": sorted(self.articles),
            "annotations": sorted(self.annotations),
            "relations": sorted(self.relations),
            "decisions": sorted(self.decisions),
            **({"assignments": sorted(self.assignments)} if self.assignments else {}),
            "article_rows": sorted(self.article_rows),
        }
        if self.suggestions:
            record["suggestions"] = sorted(self.suggestions)
        if self.schema:
            record["schema"] = True
        if self.overflow:
            record["overflow"] = True
        return record

    @classmethod
    def from_record(cls, op_id: str, record: dict) -> "Changes":
        return cls(
            op_id=op_id,
            articles=set(record.get("articles", ())),
            annotations=set(record.get("annotations", ())),
            relations=set(record.get("relations", ())),
            decisions=set(record.get("decisions", ())),
            assignments=set(record.get("assignments", ())),
            suggestions=set(record.get("suggestions", ())),
            article_rows=set(record.get("article_rows", ())),
            schema=bool(record.get("schema")),
            overflow=bool(record.get("overflow")),
        )

    def add_many(self, table: str, keys: list[str], article_ids: list[str | None]) -> None:
        """`add` for each (key, article) pair, set-wise while no cap is reached (a bulk write)."""
        articles = {a for a in article_ids if a}
        target = self._ids_of(table)
        fits = len(self.articles) + len(articles) <= MAX_ARTICLES and table != "meta"
        if not fits or (target is not None and MAX_IDS - len(keys) < len(target) < MAX_IDS):
            for key, article_id in zip(keys, article_ids):
                self.add(table, key, article_id)
            return
        self.articles |= articles
        if target is None:
            return
        if len(target) < MAX_IDS:
            target.update(keys)
        elif not target.issuperset(keys):
            self.overflow = True

    def add(self, table: str, key: str, article_id: str | None) -> None:
        """Note one changed row (capped lists; the article is always noted)."""
        if article_id and len(self.articles) < MAX_ARTICLES:
            self.articles.add(article_id)
        elif article_id and article_id not in self.articles:
            self.overflow = True
        if table == "meta":
            self.schema = self.schema or key == "schema"
            return
        target = self._ids_of(table)
        if target is None:
            return
        if len(target) < MAX_IDS:
            target.add(key)
        elif key not in target:
            self.overflow = True
