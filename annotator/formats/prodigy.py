"""spaCy/Prodigy JSONL: one task per article and annotator, with tokens, spans and relations.

    {"text": "...", "tokens": [{"text", "start", "end", "id", "ws"}],
     "spans": [{"start", "end", "token_start", "token_end", "label", "text"}],
     "relations": [{"head", "child", "head_span": {...}, "child_span": {...}, "label"}],
     "meta": {"article_id", "title"}, "_annotator_id": "maria", "_session_id": "maria", "answer": "accept"}

Units: `start`/`end` are character offsets into `text` as Python counts them, i.e. Unicode code
points (Prodigy and spaCy are Python; spaCy's `Doc.char_span` takes the same offsets) — nothing to
convert. `token_start`/`token_end` are token indices, both inclusive. In a relation, `head` and
`child` are the index of the *last* token of the head and child span, as Prodigy's rel.manual writes
them ("the 'head' and 'child' annotations refer to the end token in the span" — spaCy's relation
extraction tutorial, `rel_component/scripts/parse_data.py`); `head_span`/`child_span` repeat the spans.

Tokens come from the shared tokenizer (`common.tokenize`); spans are widened to token boundaries
(counted as `snapped`). Prodigy holds overlapping spans (spans_manual), so none is dropped. Each
annotator's spans form one task (Prodigy keeps one answer per annotator session, `_annotator_id`);
an article without spans is one task without spans. Lost: ids, attributes, notes, timestamps; a
relation between spans of two annotators. On read, rejected and ignored answers are skipped.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import IO, Iterator, TextIO

from ..store import ExportFilter, Store
from .common import ExportStats, TokenIndex, ProgressCallback, place_on_tokens, select_articles
from .reading import (
    DocumentRecord,
    FormatError,
    RelationRecord,
    SpanRecord,
    count_json_lines,
    json_lines,
    optional_list,
    require,
    resolve_offsets,
    whole_number,
)

NAME = "prodigy"
SUFFIX = ".jsonl"
DESCRIPTION = "spaCy/Prodigy JSONL: text, tokens, spans with token indices, relations"


def write(store: Store, out: TextIO, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None) -> ExportStats:
    stats = ExportStats()
    for item in select_articles(store, selection, progress):
        article = item.article
        index = TokenIndex(article.text)
        tokens = [
            {"text": article.text[s:e], "start": s, "end": e, "id": i, "ws": bool(index.whitespace_after(i))}
            for i, (s, e) in enumerate(index.tokens)
        ]
        placed = {p.annotation.id: p for p in place_on_tokens(index, item.annotations, stats)}
        by_annotator: dict[str, list] = defaultdict(list)
        for span in placed.values():
            by_annotator[span.annotation.annotator].append(span)
        relations_by_annotator: dict[str, list] = defaultdict(list)
        for relation in item.relations:
            head, tail = placed.get(relation.head), placed.get(relation.tail)
            if head is None or tail is None or head.annotation.annotator != tail.annotation.annotator:
                stats.relations_dropped += 1
                stats.note(f"relation {relation.id}: its ends are not in one annotator's task; not written")
                continue
            relations_by_annotator[head.annotation.annotator].append((relation, head, tail))
        groups = sorted(by_annotator) or [None]
        for annotator in groups:
            spans = sorted(by_annotator.get(annotator, []), key=lambda p: (p.start, p.end))
            task: dict = {
                "text": article.text,
                "tokens": tokens,
                "spans": [_span(p, article.text) for p in spans],
                "relations": [
                    {
                        "head": head.last,
                        "child": tail.last,
                        "head_span": _span(head, article.text, with_text=False),
                        "child_span": _span(tail, article.text, with_text=False),
                        "label": relation.type,
                    }
                    for relation, head, tail in relations_by_annotator.get(annotator, [])
                ],
                "meta": {"article_id": article.id, "title": article.title},
                "answer": "accept",
            }
            if annotator is not None:
                task["_annotator_id"] = annotator
                task["_session_id"] = annotator
            out.write(json.dumps(task, ensure_ascii=False))
            out.write("\n")
            stats.spans += len(spans)
            stats.relations += len(task["relations"])
        stats.articles += 1
    return stats


def _span(placed, text: str, with_text: bool = True) -> dict:
    span = {
        "start": placed.start,
        "end": placed.end,
        "token_start": placed.first,
        "token_end": placed.last,
        "label": placed.annotation.label,
    }
    if with_text:
        span["text"] = text[placed.start : placed.end]
    return span


def count(source: str | Path, **_options: object) -> int:
    """How many documents `read` yields from the file (one per non-blank line), without parsing it."""
    return count_json_lines(source)


def read(source: str | Path | IO[str], **_options: object) -> Iterator[DocumentRecord]:
    for line, task, name in json_lines(source):
        text = require(task, "text", str, name, line)
        assert isinstance(task, dict)
        answer = task.get("answer", "accept")
        if answer != "accept":
            yield DocumentRecord(text=text, line=line, notes=[f"{name}:{line}: answer {answer!r}, skipped"], skip=True)
            continue
        meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
        annotator = task.get("_annotator_id") or task.get("_session_id")
        token_ends = _token_ends(task, name, line)
        spans = []
        for i, raw in enumerate(optional_list(task, "spans", name, line), 1):
            what = f" in span {i}"
            start = require(raw, "start", int, name, line, what)
            end = require(raw, "end", int, name, line, what)
            label = require(raw, "label", str, name, line, what)
            quote = raw.get("text") if isinstance(raw.get("text"), str) else None
            start, end, converted = resolve_offsets(text, start, end, quote)
            spans.append(SpanRecord(start, end, label, quote=quote, key=i - 1, line=line, converted=converted))
        relations = []
        for i, raw in enumerate(optional_list(task, "relations", name, line), 1):
            what = f" in relation {i}"
            label = require(raw, "label", str, name, line, what)
            head = _relation_end(raw, "head", spans, token_ends, name, line, what)
            child = _relation_end(raw, "child", spans, token_ends, name, line, what)
            relations.append(RelationRecord(head=head, tail=child, type=label, line=line))
        yield DocumentRecord(
            text=text,
            spans=spans,
            relations=relations,
            article_id=meta.get("article_id") if isinstance(meta.get("article_id"), str) else None,
            metadata={"title": meta["title"]} if isinstance(meta.get("title"), str) else {},
            foreign_id=str(task["_task_hash"]) if whole_number(task.get("_task_hash")) else None,
            foreign_metadata=dict(meta),
            annotator=annotator if isinstance(annotator, str) and annotator else None,
            line=line,
        )


def _token_ends(task: dict, name: str, line: int) -> dict[int, int]:
    ends = {}
    for i, token in enumerate(optional_list(task, "tokens", name, line)):
        end = require(token, "end", int, name, line, f" in token {i}")
        ident = token.get("id", i)
        if not whole_number(ident):
            raise FormatError(name, line, f"'id' in token {i} must be a whole number, found {ident!r:.40}")
        ends[ident] = end
    return ends


def _relation_end(raw: dict, side: str, spans: list[SpanRecord], token_ends: dict[int, int], name: str, line: int, what: str) -> int:
    """The key of the span a relation end names: by its `<side>_span`, else by its last token."""
    described = raw.get(f"{side}_span")
    if isinstance(described, dict):
        for span in spans:
            if (span.start, span.end) == (described.get("start"), described.get("end")) and span.label == described.get("label", span.label):
                return span.key  # type: ignore[return-value]
    token = require(raw, side, int, name, line, what)
    end = token_ends.get(token)
    matches = [s.key for s in spans if end is not None and s.end == end]
    if len(matches) != 1:
        raise FormatError(name, line, f"{side} token {token}{what} is not the last token of exactly one span")
    return matches[0]  # type: ignore[return-value]
