"""Full-text search over the project: titles, texts, and the quotes and notes of live annotations.

FTS5 finds and ranks the documents (bm25); where a hit is, in code points, is read from FTS5's own
`highlight()`, which marks the matched tokens as the tokenizer and the query saw them (phrases,
prefixes, NEAR, accents folded) in a copy of the field's text: the offsets are positions in the
Python string with the marks taken out, so an emoji or any other character never shifts them.
Each hit is one match (a word, or a phrase's run of words); documents come best first, a
document's matches in text order. A text is highlighted only when its hits are wanted, so a query
reads as many texts as it shows articles.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Callable, Sequence

from .search_query import SearchQueryError, explain, fts_query

SCOPES = ("title", "text", "quotes", "notes")
RANK_CAP = 10_000  # matches of one index ranked at most (the newest); see Searcher._ranked
SNIPPET_CONTEXT = 60  # code points of context on either side of a hit
_COLUMNS = {"search_annotations": 2}  # indexed columns of an index, when not 1 (quote, note)
_MARKS = (("\ue000", "\ue001"), ("\U000f0000", "\U000f0001"), ("\U00100000", "\U00100001"))


@dataclass(frozen=True)
class SearchHit:
    """One match. `start`/`end` are code points into the article's text (text[start:end] is the
    match for text and quote hits; the annotation's span for a note hit; None for a title hit).
    `field_start`/`field_end` place the match in the field searched (`in_`), `snippet_start`/
    `snippet_end` in `snippet`."""

    article: str
    title: str
    in_: str  # "title", "text", "quotes" or "notes"
    start: int | None
    end: int | None
    match: str
    snippet: str
    snippet_start: int
    snippet_end: int
    field_start: int
    field_end: int
    annotation: str | None = None
    label: str | None = None
    annotator: str | None = None

    def record(self) -> dict:
        """The hit as `annotator search --json` prints it."""
        return {"article": self.article, "title": self.title, "in": self.in_, "start": self.start, "end": self.end,
                "match": self.match, "snippet": self.snippet, "snippet_hit": [self.snippet_start, self.snippet_end],
                "field_start": self.field_start, "field_end": self.field_end, "annotation": self.annotation,
                "label": self.label, "annotator": self.annotator}


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    more: bool  # there are hits past the limit
    capped: bool = False  # so many matches that the best of the newest RANK_CAP were ranked


@dataclass(frozen=True)
class _Doc:
    rank: float
    order: int  # the scope's own rank order, to keep it among equal ranks
    expand: Callable[[], list[SearchHit]]
    table: str = ""
    key: int = 0


def marked_runs(marked: str, plain: str, marks: tuple[str, str] = _MARKS[0]) -> list[tuple[int, int]] | None:
    """(start, end) of each run in `plain` that `marked` (plain with `marks` around the runs) marks;
    None if `marked` does not read back as `plain` (the field itself holds one of the marks)."""
    open_mark, close_mark = marks
    runs: list[tuple[int, int]] = []
    pieces: list[str] = []
    position, i = 0, 0
    while True:
        j = marked.find(open_mark, i)
        if j < 0:
            pieces.append(marked[i:])
            break
        k = marked.find(close_mark, j)
        if k < 0:
            return None
        pieces.append(marked[i:j])
        position += j - i
        pieces.append(marked[j + 1 : k])
        runs.append((position, position + k - j - 1))
        position += k - j - 1
        i = k + 1
    return runs if "".join(pieces) == plain else None


BLOCK_MARK = " ¶ "  # where a block ends inside a snippet: a headline ran into its standfirst unmarked


def snippet(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> tuple[str, int, int]:
    """Up to `context` code points either side of text[start:end], cut at spaces, on one line, the
    ends of blocks (line breaks) marked with a pilcrow; (snippet, where the hit starts in it, where
    it ends)."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    head = "…" if lo > 0 else ""
    tail = "…" if hi < len(text) else ""
    before, hit, after = (_one_line(text[lo:start]), _one_line(text[start:end]), _one_line(text[end:hi]))
    return head + before + hit + after + tail, len(head) + len(before), len(head) + len(before) + len(hit)


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\t", " ").replace("\n", BLOCK_MARK)


def _hit(field: str, run: tuple[int, int], context: int, **fields) -> SearchHit:
    fs, fe = run
    text, ss, se = snippet(field, fs, fe, context)
    return SearchHit(match=field[fs:fe], snippet=text, snippet_start=ss, snippet_end=se, field_start=fs,
                     field_end=fe, **fields)


class Searcher:
    """One query over one connection (see `search`)."""

    def __init__(self, conn: sqlite3.Connection, article_text: Callable[[str], str], query: str,
                 labels: Sequence[str], annotators: Sequence[str], rank_cap: int = RANK_CAP,
                 context: int = SNIPPET_CONTEXT) -> None:
        self.conn = conn
        self.context = context
        self.article_text = article_text
        self.query = query
        self.fts = fts_query(query)
        self.labels = list(labels)
        self.annotators = list(annotators)
        self.rank_cap = rank_cap
        self.capped = False
        self._fts_of: dict[str, str] = {}  # table -> the query it was searched with
        self._marked: dict[tuple[str, int], tuple[str, ...]] = {}  # (table, key) -> highlighted columns

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "unterminated" in str(exc) or "special query" in str(exc) \
                    or "no such column" in str(exc):
                raise explain(self.query, str(exc)) from None
            raise

    def _ranked(self, table: str, fts: str, joins: str, where: str, params: Sequence[object], columns: str,
                outer_joins: str, limit: int) -> list[tuple]:
        """(key, rank, *columns) of the best `limit` rows of `table` matching `fts`, best first.

        bm25 must score every match before the best are known: 110 ms for a word in each of
        100,000 texts. So the rows ranked are the newest RANK_CAP matches (highest keys; FTS5 walks
        them in key order and stops), which bounds a query's cost; `capped` says it happened."""
        self._fts_of[table] = fts
        rows = self._rows(  # the best first, then their rows: not a join for each of 10,000 matches
            f"SELECT m.key, m.score, m.total, {columns} FROM "
            f"(SELECT key, score, count(*) OVER () AS total FROM "
            f"(SELECT {table}.rowid AS key, bm25({table}) AS score FROM {table} {joins} "
            f"WHERE {table} MATCH ?{where} ORDER BY {table}.rowid DESC LIMIT ?) "
            f"ORDER BY score, key DESC LIMIT ?) m {outer_joins} "
            "ORDER BY m.score, m.key DESC", (fts, *params, self.rank_cap, limit))
        if rows and rows[0][2] >= self.rank_cap:
            self.capped = True
        return [(r[0], r[1], *r[3:]) for r in rows]

    def highlights(self, table: str, fts: str, keys: Sequence[int], columns: int = 1,
                   marks: tuple[str, str] = _MARKS[0]) -> dict[int, tuple[str, ...]]:
        """{key: the marked text of each column} of these rows. A query with a prefix (word*) makes
        FTS5 merge the lists of every word so starting, once per statement: those rows are read in
        one statement over their key range; other queries seek each row (a range would evaluate a
        phrase in every row between)."""
        marked = ", ".join(f"highlight({table}, {c}, ?, ?)" for c in range(columns))
        mark_params = list(marks) * columns
        if not keys:
            return {}
        if _has_prefix(fts):
            listed = ", ".join(str(int(k)) for k in keys)
            rows = self._rows(f"SELECT rowid, {marked} FROM {table} WHERE {table} MATCH ? AND rowid BETWEEN ? AND ? "
                              f"AND +rowid IN ({listed})", (*mark_params, fts, min(keys), max(keys)))
            return {r[0]: tuple(r[1:]) for r in rows}
        found = {}
        for key in keys:
            rows = self._rows(f"SELECT {marked} FROM {table} WHERE {table} MATCH ? AND rowid = ?", (*mark_params, fts, key))
            if rows:
                found[key] = tuple(rows[0])
        return found

    def prefetch(self, rows: Sequence[tuple[str, int]]) -> None:
        """Highlight these (table, key) rows, each index's in one call (see `highlights`)."""
        for table in {t for t, _ in rows}:
            keys = [k for t, k in rows if t == table and (t, k) not in self._marked]
            for key, marked in self.highlights(table, self._fts_of[table], keys, _COLUMNS.get(table, 1)).items():
                self._marked[(table, key)] = marked

    def runs(self, table: str, key: int, column: int, plain: str) -> list[tuple[int, int]]:
        """Where the query matched in `plain`, column `column` of the row `key` of `table`. A field
        that holds the marks themselves is highlighted again with other marks."""
        if (table, key) not in self._marked:
            self.prefetch([(table, key)])
        marked = self._marked.get((table, key))
        if marked is None:
            return []
        found = marked_runs(marked[column], plain)
        for marks in _MARKS[1:]:
            if found is not None:
                break
            again = self.highlights(table, self._fts_of[table], [key], _COLUMNS.get(table, 1), marks).get(key)
            found = marked_runs(again[column], plain, marks) if again else None
        return found or []

    def _annotation_filter(self, alias: str) -> tuple[str, list[object]]:
        sql, params = "", []
        if self.labels:
            sql += f" AND {alias}.label IN ({', '.join('?' * len(self.labels))})"
            params += self.labels
        if self.annotators:
            sql += f" AND {alias}.annotator IN ({', '.join('?' * len(self.annotators))})"
            params += self.annotators
        return sql, params

    def _article_filter(self, table: str) -> tuple[str, str, list[object]]:
        """Title and text hits, when labels or annotators are given: articles with such a live annotation."""
        if not self.labels and not self.annotators:
            return "", "", []
        sql, params = self._annotation_filter("n")
        return (f"JOIN search_article_keys fk ON fk.key = {table}.rowid",
                f" AND EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = fk.article_id AND n.deleted = 0{sql})",
                params)

    def _article_docs(self, table: str, scope: str, limit: int) -> list[_Doc]:
        joins, where, params = self._article_filter(table)
        rows = self._ranked(table, self.fts, joins, where, params, "k.article_id, a.title",
                            "JOIN search_article_keys k ON k.key = m.key JOIN articles a ON a.id = k.article_id", limit)
        docs: list[_Doc] = []
        for order, (key, rank, article, title) in enumerate(rows):
            def expand(key=key, article=article, title=title) -> list[SearchHit]:
                field = title if scope == "title" else self.article_text(article)
                runs = self.runs(table, key, 0, field)
                return [_hit(field, run, self.context, article=article, title=title, in_=scope,
                             start=None if scope == "title" else run[0], end=None if scope == "title" else run[1])
                        for run in runs]
            docs.append(_Doc(rank, order, expand, table, key))
        return docs

    def titles(self, limit: int) -> list[_Doc]:
        return self._article_docs("search_titles", "title", limit)

    def texts(self, limit: int) -> list[_Doc]:
        return self._article_docs("search_texts", "text", limit)

    def annotations(self, limit: int, scopes: Sequence[str]) -> list[_Doc]:
        where, params = self._annotation_filter("n")
        columns = [c for c, scope in (("quote", "quotes"), ("note", "notes")) if scope in scopes]
        fts = self.fts if len(columns) == 2 else f"{columns[0]} : ({self.fts})"
        joins = ""
        if where:
            joins = ("JOIN search_annotation_keys fk ON fk.key = search_annotations.rowid "
                     "JOIN annotations n ON n.id = fk.annotation_id")
        rows = self._ranked("search_annotations", fts, joins, where, params,
                            'n.id, n.article_id, n.start, n."end", n.label, n.annotator, n.quote, n.note, a.title',
                            "JOIN search_annotation_keys k ON k.key = m.key "
                            "JOIN annotations n ON n.id = k.annotation_id AND n.deleted = 0 "
                            "JOIN articles a ON a.id = n.article_id", limit)
        docs: list[_Doc] = []
        for order, (key, rank, ann, article, start, end, label, who, quote, note, title) in enumerate(rows):
            def expand(key=key, ann=ann, article=article, start=start, end=end, label=label, who=who, quote=quote,
                       note=note, title=title) -> list[SearchHit]:
                common = dict(article=article, title=title, annotation=ann, label=label, annotator=who)
                hits = []
                if "quote" in columns:
                    hits += [_hit(quote, run, self.context, in_="quotes", start=start + run[0], end=start + run[1],
                                  **common)
                             for run in self.runs("search_annotations", key, 0, quote)]
                if "note" in columns:
                    hits += [_hit(note, run, self.context, in_="notes", start=start, end=end, **common)
                             for run in self.runs("search_annotations", key, 1, note)]
                return hits
            docs.append(_Doc(rank, order, expand, "search_annotations", key))
        return docs


def _has_prefix(fts: str) -> bool:
    """Whether an FTS5 query (as fts_query writes it) has a prefix term: a * outside quotes."""
    return "*" in re.sub(r'"(?:[^"]|"")*"', "", fts)


def search(conn: sqlite3.Connection, article_text: Callable[[str], str], query: str, *,
           scopes: Sequence[str] = SCOPES, labels: Sequence[str] = (), annotators: Sequence[str] = (),
           limit: int = 50, rank_cap: int = RANK_CAP, context: int = SNIPPET_CONTEXT) -> SearchResult:
    """The best `limit` hits of `query` in `scopes` (see SCOPES); with `labels` or `annotators`, quote
    and note hits are those of such annotations, title and text hits those of articles that have one.
    Each hit's snippet holds up to `context` code points either side of it."""
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise SearchQueryError(query, f"cannot search in {unknown[0]!r} (choose from {', '.join(SCOPES)})")
    if limit < 1:
        return SearchResult([], False)
    searcher = Searcher(conn, article_text, query, labels, annotators, rank_cap, context)
    wanted = limit + 1  # one more, to know whether there are more
    docs: list[_Doc] = []
    if "title" in scopes:
        docs += searcher.titles(wanted)
    if "text" in scopes:
        docs += searcher.texts(wanted)
    annotation_scopes = [s for s in scopes if s in ("quotes", "notes")]
    if annotation_scopes:
        docs += searcher.annotations(wanted, annotation_scopes)
    docs.sort(key=lambda d: (d.rank, d.order))
    hits: list[SearchHit] = []
    done = 0
    while done < len(docs):
        batch = docs[done : done + max(1, wanted - len(hits))]  # a document gives one hit or more
        searcher.prefetch([(d.table, d.key) for d in batch])
        for doc in batch:
            hits += doc.expand()
            if len(hits) > limit:
                return SearchResult(hits[:limit], True, searcher.capped)
        done += len(batch)
    return SearchResult(hits, False, searcher.capped)


__all__ = ["RANK_CAP", "SCOPES", "SearchHit", "SearchQueryError", "SearchResult", "search", "marked_runs", "snippet"]
