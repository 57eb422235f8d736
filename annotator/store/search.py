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

import sqlite3
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from .search_query import SearchQueryError, explain, fts_query

SCOPES = ("title", "text", "quotes", "notes")
SNIPPET_CONTEXT = 60  # code points of context on either side of a hit
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


@dataclass(frozen=True)
class _Doc:
    rank: float
    order: int  # the scope's own rank order, to keep it among equal ranks
    expand: Callable[[], list[SearchHit]]


def marked_runs(marked: str, plain: str) -> list[tuple[int, int]] | None:
    """(start, end) of each marked run in `plain`, from `marked` (plain with the marks of one of
    _MARKS around the runs); None if no pair of marks reads back as `plain`."""
    for open_mark, close_mark in _MARKS:
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
                break
            pieces.append(marked[i:j])
            position += j - i
            pieces.append(marked[j + 1 : k])
            runs.append((position, position + k - j - 1))
            position += k - j - 1
            i = k + 1
        if "".join(pieces) == plain:
            return runs
    return None


def snippet(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> tuple[str, int, int]:
    """Up to `context` code points either side of text[start:end], cut at spaces, on one line;
    (snippet, where the hit starts in it, where it ends)."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    head = "…" if lo > 0 else ""
    tail = "…" if hi < len(text) else ""
    body = text[lo:hi].replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return head + body + tail, len(head) + start - lo, len(head) + end - lo


def _hit(field: str, run: tuple[int, int], **fields) -> SearchHit:
    fs, fe = run
    text, ss, se = snippet(field, fs, fe)
    return SearchHit(match=field[fs:fe], snippet=text, snippet_start=ss, snippet_end=se, field_start=fs,
                     field_end=fe, **fields)


class Searcher:
    """One query over one connection (see `search`)."""

    def __init__(self, conn: sqlite3.Connection, article_text: Callable[[str], str], query: str,
                 labels: Sequence[str], annotators: Sequence[str]) -> None:
        self.conn = conn
        self.article_text = article_text
        self.query = query
        self.fts = fts_query(query)
        self.labels = list(labels)
        self.annotators = list(annotators)
        self.open, self.close = _MARKS[0]

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "unterminated" in str(exc) or "special query" in str(exc) \
                    or "no such column" in str(exc):
                raise explain(self.query, str(exc)) from None
            raise

    def _annotation_filter(self, alias: str) -> tuple[str, list[object]]:
        sql, params = "", []
        if self.labels:
            sql += f" AND {alias}.label IN ({', '.join('?' * len(self.labels))})"
            params += self.labels
        if self.annotators:
            sql += f" AND {alias}.annotator IN ({', '.join('?' * len(self.annotators))})"
            params += self.annotators
        return sql, params

    def _article_filter(self) -> tuple[str, list[object]]:
        """Title and text hits, when labels or annotators are given: articles with such a live annotation."""
        if not self.labels and not self.annotators:
            return "", []
        sql, params = self._annotation_filter("n")
        return (f" AND EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = k.article_id AND n.deleted = 0{sql})",
                params)

    def titles(self, limit: int) -> Iterator[_Doc]:
        where, params = self._article_filter()
        rows = self._rows(
            "SELECT k.article_id, search_titles.rank, highlight(search_titles, 0, ?, ?), a.title "
            "FROM search_titles JOIN search_article_keys k ON k.key = search_titles.rowid "
            f"JOIN articles a ON a.id = k.article_id WHERE search_titles MATCH ?{where} "
            "ORDER BY search_titles.rank LIMIT ?", (self.open, self.close, self.fts, *params, limit))
        for order, (article, rank, marked, title) in enumerate(rows):
            def expand(article=article, marked=marked, title=title) -> list[SearchHit]:
                runs = marked_runs(marked, title) or []
                return [_hit(title, run, article=article, title=title, in_="title", start=None, end=None) for run in runs]
            yield _Doc(rank, order, expand)

    def texts(self, limit: int) -> Iterator[_Doc]:
        where, params = self._article_filter()
        rows = self._rows(
            "SELECT k.article_id, search_texts.rank, search_texts.rowid, a.title "
            "FROM search_texts JOIN search_article_keys k ON k.key = search_texts.rowid "
            f"JOIN articles a ON a.id = k.article_id WHERE search_texts MATCH ?{where} "
            "ORDER BY search_texts.rank LIMIT ?", (self.fts, *params, limit))
        for order, (article, rank, key, title) in enumerate(rows):
            def expand(article=article, key=key, title=title) -> list[SearchHit]:
                marked = self._rows("SELECT highlight(search_texts, 0, ?, ?) FROM search_texts "
                                    "WHERE search_texts MATCH ? AND rowid = ?", (self.open, self.close, self.fts, key))
                text = self.article_text(article)
                runs = (marked_runs(marked[0][0], text) if marked else None) or []
                return [_hit(text, run, article=article, title=title, in_="text", start=run[0], end=run[1])
                        for run in runs]
            yield _Doc(rank, order, expand)

    def annotations(self, limit: int, scopes: Sequence[str]) -> Iterator[_Doc]:
        where, params = self._annotation_filter("n")
        columns = [c for c, scope in (("quote", "quotes"), ("note", "notes")) if scope in scopes]
        fts = self.fts if len(columns) == 2 else f"{columns[0]} : ({self.fts})"
        rows = self._rows(
            "SELECT n.id, n.article_id, n.start, n.\"end\", n.label, n.annotator, n.quote, n.note, a.title, "
            "search_annotations.rank, highlight(search_annotations, 0, ?, ?), highlight(search_annotations, 1, ?, ?) "
            "FROM search_annotations JOIN search_annotation_keys k ON k.key = search_annotations.rowid "
            "JOIN annotations n ON n.id = k.annotation_id AND n.deleted = 0 JOIN articles a ON a.id = n.article_id "
            f"WHERE search_annotations MATCH ?{where} ORDER BY search_annotations.rank LIMIT ?",
            (self.open, self.close, self.open, self.close, fts, *params, limit))
        for order, (ann, article, start, end, label, who, quote, note, title, rank, mq, mn) in enumerate(rows):
            def expand(ann=ann, article=article, start=start, end=end, label=label, who=who, quote=quote, note=note,
                       title=title, mq=mq, mn=mn) -> list[SearchHit]:
                common = dict(article=article, title=title, annotation=ann, label=label, annotator=who)
                hits = []
                if "quote" in columns:
                    hits += [_hit(quote, run, in_="quotes", start=start + run[0], end=start + run[1], **common)
                             for run in marked_runs(mq, quote) or []]
                if "note" in columns:
                    hits += [_hit(note, run, in_="notes", start=start, end=end, **common)
                             for run in marked_runs(mn, note) or []]
                return hits
            yield _Doc(rank, order, expand)


def search(conn: sqlite3.Connection, article_text: Callable[[str], str], query: str, *,
           scopes: Sequence[str] = SCOPES, labels: Sequence[str] = (), annotators: Sequence[str] = (),
           limit: int = 50) -> SearchResult:
    """The best `limit` hits of `query` in `scopes` (see SCOPES); with `labels` or `annotators`, quote
    and note hits are those of such annotations, title and text hits those of articles that have one."""
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise SearchQueryError(query, f"cannot search in {unknown[0]!r} (choose from {', '.join(SCOPES)})")
    if limit < 1:
        return SearchResult([], False)
    searcher = Searcher(conn, article_text, query, labels, annotators)
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
    for doc in docs:
        hits += doc.expand()
        if len(hits) > limit:
            return SearchResult(hits[:limit], True)
    return SearchResult(hits, False)


__all__ = ["SCOPES", "SearchHit", "SearchQueryError", "SearchResult", "search", "marked_runs", "snippet"]
