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

A task read from Prodigy keeps its own keys (`meta`, `_input_hash`, `_task_hash`, `_annotator_id`,
`_session_id`, `_view_id`, ...), its tokens when they are not ours (spaCy's), and its spans' and
relations' other keys (formats/foreign.py): an export writes that task back with them, its spans on
its own tokens; new spans of its annotator join it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import IO, Iterator, TextIO

from ..store import ExportFilter, Store
from . import foreign
from .common import ExportStats, ProgressCallback, TokenIndex, place_on_tokens, select_articles, tokenize
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
        for task in _tasks(item, stats):
            out.write(json.dumps(task, ensure_ascii=False))
            out.write("\n")
        stats.articles += 1
    return stats


def _tasks(item, stats: ExportStats) -> list[dict]:
    """One task per Prodigy task the article came from (its hashes and meta kept), and one per other
    annotator of its spans; an article without spans is one task without spans."""
    article = item.article
    documents = foreign.documents(article.foreign, NAME)
    index = _token_index(article.text, documents)
    tokens = [
        {"text": article.text[s:e], "start": s, "end": e, "id": i, "ws": bool(index.whitespace_after(i))}
        for i, (s, e) in enumerate(index.tokens)
    ]
    placed = {p.annotation.id: p for p in place_on_tokens(index, item.annotations, stats)}
    keys = {d["key"] for d in documents}
    groups: dict[str, list] = {d["key"]: [] for d in documents}  # document key, or "annotator:<name>" -> spans
    annotator_of: dict[str, str] = {}
    for span in placed.values():
        doc = foreign.entry(span.annotation.foreign, NAME).get("doc")
        if doc in keys:
            groups[doc].append(span)
            annotator_of.setdefault(doc, span.annotation.annotator)
    for span in placed.values():
        if foreign.entry(span.annotation.foreign, NAME).get("doc") in keys:
            continue
        name = span.annotation.annotator
        key = next((k for k in groups if annotator_of.get(k) == name), f"annotator:{name}")
        groups.setdefault(key, []).append(span)
        annotator_of.setdefault(key, name)
    group_of = {span.annotation.id: key for key, spans in groups.items() for span in spans}
    relations: dict[str, list] = defaultdict(list)
    for relation in item.relations:
        head, tail = placed.get(relation.head), placed.get(relation.tail)
        if head is None or tail is None or group_of[head.annotation.id] != group_of[tail.annotation.id]:
            stats.relations_dropped += 1
            stats.note(f"relation {relation.id}: its ends are not in one annotator's task; not written")
            continue
        relations[group_of[head.annotation.id]].append((relation, head, tail))
    by_key = {d["key"]: d for d in documents}
    tasks = []
    for key, spans in (groups or {"": []}).items():
        spans = sorted(spans, key=lambda p: (p.start, p.end))
        document = by_key.get(key)
        annotator = annotator_of.get(key)
        task: dict = {"text": article.text, "tokens": tokens}
        if document is not None:
            task.update(document.get("task") or {})
        task["spans"] = [_span(p, article.text) for p in spans]
        task["relations"] = [
            {
                **(foreign.entry(relation.foreign, NAME).get("fields") or {}),
                "head": head.last,
                "child": tail.last,
                "head_span": _span(head, article.text, with_text=False),
                "child_span": _span(tail, article.text, with_text=False),
                "label": relation.type,
            }
            for relation, head, tail in relations.get(key, [])
        ]
        if document is None:
            task["meta"] = {"article_id": article.id, "title": article.title}
            task["answer"] = "accept"
            if annotator is not None:
                task["_annotator_id"] = annotator
                task["_session_id"] = annotator
        tasks.append(task)
        stats.spans += len(spans)
        stats.relations += len(task["relations"])
    return tasks


def _token_index(text: str, documents: list[dict]) -> TokenIndex:
    """The tokens Prodigy had for this text (spaCy's, say), when they still fit it; else ours."""
    for document in documents:
        kept = document.get("tokens")
        if isinstance(kept, list) and _fits(text, kept):
            return TokenIndex(text, [(s, e) for s, e in kept])
    return TokenIndex(text)


def _fits(text: str, tokens: list) -> bool:
    end = 0
    for token in tokens:
        if not (isinstance(token, list) and len(token) == 2 and all(whole_number(v) for v in token)):
            return False
        if not end <= token[0] < token[1] <= len(text):
            return False
        end = token[1]
    return True


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
            fields = {k: v for k, v in raw.items() if k not in _SPAN_KEYS}
            spans.append(SpanRecord(start, end, label, quote=quote, key=i - 1, line=line, converted=converted,
                                    foreign={"fields": fields} if fields else {}))
        relations = []
        for i, raw in enumerate(optional_list(task, "relations", name, line), 1):
            what = f" in relation {i}"
            label = require(raw, "label", str, name, line, what)
            head = _relation_end(raw, "head", spans, token_ends, name, line, what)
            child = _relation_end(raw, "child", spans, token_ends, name, line, what)
            fields = {k: v for k, v in raw.items() if k not in _RELATION_KEYS}
            relations.append(RelationRecord(head=head, tail=child, type=label, line=line,
                                            foreign={"fields": fields} if fields else {}))
        yield DocumentRecord(
            text=text,
            spans=spans,
            relations=relations,
            article_id=meta.get("article_id") if isinstance(meta.get("article_id"), str) else None,
            metadata={"title": meta["title"]} if isinstance(meta.get("title"), str) else {},
            foreign_id=str(task["_task_hash"]) if whole_number(task.get("_task_hash")) else None,
            foreign_metadata=dict(meta),
            foreign=_task_entry(task, text),
            annotator=annotator if isinstance(annotator, str) and annotator else None,
            line=line,
        )


_SPAN_KEYS = frozenset({"start", "end", "token_start", "token_end", "label", "text"})
_RELATION_KEYS = frozenset({"head", "child", "head_span", "child_span", "label"})
_TASK_KEYS = frozenset({"text", "tokens", "spans", "relations"})


def _task_entry(task: dict, text: str) -> dict:
    """What an export to Prodigy writes back (formats/foreign.py): the task's own keys (meta,
    _input_hash, _task_hash, _annotator_id, _session_id, answer, ...) and its tokens when they are not
    the ones our tokenizer makes. Our own export's task (its meta holds only our article id and title,
    no hash) gives nothing."""
    fields = {k: v for k, v in task.items() if k not in _TASK_KEYS}
    meta = fields.get("meta")
    ours = isinstance(meta, dict) and set(meta) <= {"article_id", "title"} and not (set(fields) - _OUR_TASK_KEYS)
    if ours:
        return {}
    entry: dict = {"task": fields}
    hashed = fields.get("_task_hash")
    if whole_number(hashed):
        entry["key"] = f"{hashed}/{fields.get('_annotator_id') or fields.get('_session_id') or ''}"
    tokens = [[t.get("start"), t.get("end")] for t in task.get("tokens") or [] if isinstance(t, dict)]
    if tokens and tokens != [list(t) for t in tokenize(text)]:
        entry["tokens"] = tokens
    return entry


_OUR_TASK_KEYS = frozenset({"meta", "answer", "_annotator_id", "_session_id"})


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
