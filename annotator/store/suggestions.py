"""Reading suggestions: the rows of the `suggestions` and `suggestion_relations` tables (migration 7)
and the figures kept over them. Writing them is the operations' business (operations/suggestions.py),
through `Store.operation()` like every other row.

Suggestions live apart from the annotations on purpose: every count, export, comparison and review
reads `annotations`, so a suggestion reaches none of them until it is accepted (and is then an
annotation with origin `suggested`). `SuggestionReads` is a part of `Store`.
"""

from __future__ import annotations

import json
from typing import Iterable, Mapping, Sequence

from ..errors import NotFoundError
from ..model import SUGGESTION_STATES, SuggestedRelation, Suggestion
from .codecs import RowError, dumps
from .sql import q, select_in

SUGGESTION_COLUMNS = (
    "id", "article_id", "start", "end", "label", "attributes", "suggester", "version", "confidence", "created",
    "state", "decided_by", "decided_at", "annotation_id",
)  # fmt: skip
SUGGESTED_RELATION_COLUMNS = (
    "id", "article_id", "head", "tail", "type", "suggester", "version", "confidence", "created", "state",
    "decided_by", "decided_at", "relation_id",
)  # fmt: skip
_SELECT = ", ".join(map(q, SUGGESTION_COLUMNS))
_RELATION_SELECT = ", ".join(map(q, SUGGESTED_RELATION_COLUMNS))


def suggestion_row(s: Suggestion) -> dict[str, object]:
    return {
        "id": s.id, "article_id": s.article_id, "start": s.start, "end": s.end, "label": s.label,
        "attributes": dumps(s.attributes), "suggester": s.suggester, "version": s.version,
        "confidence": float(s.confidence), "created": s.created, "state": s.state, "decided_by": s.decided_by,
        "decided_at": s.decided_at, "annotation_id": s.annotation_id,
    }  # fmt: skip


def suggested_relation_row(r: SuggestedRelation) -> dict[str, object]:
    return {
        "id": r.id, "article_id": r.article_id, "head": r.head, "tail": r.tail, "type": r.type,
        "suggester": r.suggester, "version": r.version, "confidence": float(r.confidence), "created": r.created,
        "state": r.state, "decided_by": r.decided_by, "decided_at": r.decided_at, "relation_id": r.relation_id,
    }  # fmt: skip


def suggestion_from_values(values: Sequence[object]) -> Suggestion:
    row = dict(zip(SUGGESTION_COLUMNS, values))
    key = row["id"]
    for column in ("start", "end"):
        if type(row[column]) is not int:
            raise RowError("suggestions", key, column, "is not a whole number")
    if not isinstance(row["confidence"], (int, float)):
        raise RowError("suggestions", key, "confidence", "is not a number")
    if row["state"] not in SUGGESTION_STATES:
        raise RowError("suggestions", key, "state", f"is {row['state']!r}, not one of {', '.join(SUGGESTION_STATES)}")
    try:
        attributes = json.loads(row["attributes"] or "{}")
    except (TypeError, ValueError):
        raise RowError("suggestions", key, "attributes", "is not valid JSON") from None
    if not isinstance(attributes, dict):
        raise RowError("suggestions", key, "attributes", "is not a JSON object")
    return Suggestion(
        id=str(key), article_id=str(row["article_id"]), start=row["start"], end=row["end"], label=str(row["label"]),
        suggester=str(row["suggester"]), version=str(row["version"]), confidence=float(row["confidence"]),
        created=str(row["created"]), attributes=attributes, state=str(row["state"]),
        decided_by=str(row["decided_by"]), decided_at=str(row["decided_at"]), annotation_id=row["annotation_id"],
    )  # type: ignore[arg-type]


def suggested_relation_from_values(values: Sequence[object]) -> SuggestedRelation:
    row = dict(zip(SUGGESTED_RELATION_COLUMNS, values))
    if row["state"] not in SUGGESTION_STATES:
        raise RowError("suggestion_relations", row["id"], "state", f"is {row['state']!r}")
    return SuggestedRelation(
        id=str(row["id"]), article_id=str(row["article_id"]), head=str(row["head"]), tail=str(row["tail"]),
        type=str(row["type"]), suggester=str(row["suggester"]), version=str(row["version"]),
        confidence=float(row["confidence"]), created=str(row["created"]), state=str(row["state"]),  # type: ignore[arg-type]
        decided_by=str(row["decided_by"]), decided_at=str(row["decided_at"]), relation_id=row["relation_id"],  # type: ignore[arg-type]
    )


def _states(states: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(SUGGESTION_STATES if states is None else states)


class SuggestionReads:
    """The suggestion reads of `Store` (a base class of it: `self.conn`, `self.rows` are the store's)."""

    conn: object

    def resolve_suggestion_id(self, prefix: str) -> str:
        """A span or relation suggestion id from a unique prefix, as other ids are given."""
        try:
            return self._resolve("suggestions", prefix, "suggestion")  # type: ignore[attr-defined]
        except NotFoundError:
            try:
                return self._resolve("suggestion_relations", prefix, "suggestion")  # type: ignore[attr-defined]
            except NotFoundError:
                raise NotFoundError(f"no suggestion with id {prefix.strip().lower()}") from None

    def suggestions_for(self, article_id: str, states: Iterable[str] | None = ("open",)) -> list[Suggestion]:
        """An article's suggestions in those states (default: the open ones), in text order."""
        chosen = _states(states)
        rows = self.conn.execute(  # type: ignore[attr-defined]
            f"SELECT {_SELECT} FROM suggestions WHERE article_id = ? AND state IN ({', '.join('?' * len(chosen))}) "
            'ORDER BY start, "end", label', (article_id, *chosen))
        return [suggestion_from_values(r) for r in rows]

    def suggestions_by_id(self, ids: Iterable[str]) -> dict[str, Suggestion]:
        rows = select_in(self.conn, f"SELECT {_SELECT} FROM suggestions WHERE id IN ({{}})", list(ids))  # type: ignore[arg-type]
        return {s.id: s for s in map(suggestion_from_values, rows)}

    def suggested_relations_for(self, article_id: str, states: Iterable[str] | None = ("open",)) -> list[SuggestedRelation]:
        chosen = _states(states)
        rows = self.conn.execute(  # type: ignore[attr-defined]
            f"SELECT {_RELATION_SELECT} FROM suggestion_relations WHERE article_id = ? "
            f"AND state IN ({', '.join('?' * len(chosen))}) ORDER BY created, id", (article_id, *chosen))
        return [suggested_relation_from_values(r) for r in rows]

    def suggested_relations_by_id(self, ids: Iterable[str]) -> dict[str, SuggestedRelation]:
        rows = select_in(self.conn, f"SELECT {_RELATION_SELECT} FROM suggestion_relations WHERE id IN ({{}})",  # type: ignore[arg-type]
                         list(ids))
        return {r.id: r for r in map(suggested_relation_from_values, rows)}

    def suggestion_keys(self, article_id: str) -> dict[tuple[int, int, str], str]:
        """{(start, end, label): suggestion id} of every suggestion of an article, in any state: a
        span suggested once (and rejected, or accepted) is not suggested again."""
        rows = self.conn.execute('SELECT start, "end", label, id FROM suggestions WHERE article_id = ?', (article_id,))  # type: ignore[attr-defined]
        return {(r[0], r[1], r[2]): r[3] for r in rows}

    def suggested_relation_keys(self, article_id: str) -> set[tuple[str, str, str]]:
        rows = self.conn.execute("SELECT head, tail, type FROM suggestion_relations WHERE article_id = ?", (article_id,))  # type: ignore[attr-defined]
        return {(r[0], r[1], r[2]) for r in rows}

    def open_suggestion_counts(self, article_ids: Iterable[str] | None = None) -> dict[str, int]:
        """{article id: open span suggestions} (articles with none left out)."""
        if article_ids is None:
            rows = self.conn.execute(  # type: ignore[attr-defined]
                "SELECT article_id, count(*) FROM suggestions WHERE state = 'open' GROUP BY article_id")
        else:
            rows = select_in(self.conn, "SELECT article_id, count(*) FROM suggestions WHERE state = 'open' "  # type: ignore[arg-type]
                             "AND article_id IN ({}) GROUP BY article_id", list(article_ids))
        return {r[0]: r[1] for r in rows}

    def open_suggestions_in(self, article_id: str, labels: Sequence[str] | None = None) -> list[Suggestion]:
        """An article's open suggestions with one of `labels` (None: any), for an export that asks."""
        found = self.suggestions_for(article_id)
        return found if labels is None else [s for s in found if s.label in labels]

    def suggestion_precision(self) -> list[dict[str, object]]:
        """Per suggester and label: accepted, rejected and open span suggestions, and the running
        precision accepted / decided (None while nothing is decided)."""
        rows = self.conn.execute(  # type: ignore[attr-defined]
            "SELECT suggester, label, sum(state = 'accepted'), sum(state = 'rejected'), sum(state = 'open') "
            "FROM suggestions GROUP BY suggester, label ORDER BY suggester, label")
        figures = []
        for suggester, label, accepted, rejected, still_open in rows:
            decided = accepted + rejected
            figures.append({"suggester": suggester, "label": label, "accepted": accepted, "rejected": rejected,
                            "open": still_open, "precision": accepted / decided if decided else None})
        return figures

    def accepted_pairs(self) -> list[tuple[str, str]]:
        """(label, quote) of the project's live annotations, distinct: what the learned suggester
        learns from."""
        rows = self.conn.execute(  # type: ignore[attr-defined]
            "SELECT DISTINCT label, quote FROM annotations WHERE deleted = 0 ORDER BY label, quote")
        return [(r[0], r[1]) for r in rows]

    def training_examples(self) -> list[tuple[str, list[tuple[int, int, str]]]]:
        """(text, [(start, end, label), ...]) of each article with live annotations, each place once
        whoever tagged it: what the span model learns from."""
        rows = self.conn.execute(  # type: ignore[attr-defined]
            'SELECT DISTINCT article_id, start, "end", label FROM annotations WHERE deleted = 0 '
            'ORDER BY article_id, start, "end", label')
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for article_id, start, end, label in rows:
            spans.setdefault(article_id, []).append((start, end, label))
        return [(self.article_text(article_id), places) for article_id, places in spans.items()]  # type: ignore[attr-defined]

    def live_span_keys(self, article_id: str, annotator: str) -> dict[tuple[int, int, str], str]:
        """{(start, end, label): annotation id} of the annotator's live annotations of an article."""
        rows = self.conn.execute(  # type: ignore[attr-defined]
            'SELECT start, "end", label, id FROM annotations WHERE article_id = ? AND annotator = ? AND deleted = 0',
            (article_id, annotator))
        return {(r[0], r[1], r[2]): r[3] for r in rows}


def decided_values(state: str, by: str, at: str) -> Mapping[str, object]:
    return {"state": state, "decided_by": by, "decided_at": at}
