"""CSV for spreadsheets: one span per row.

    article_id,title,span_id,start,end,label,text,annotator,attributes,note,created

UTF-8 with a byte order mark (so that Excel reads accents and emoji right), RFC 4180 quoting, CRLF
line ends. `attributes` is a JSON object. `start`/`end` are code points, as everywhere in the
project (Python's `text[start:end]`).

Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula — and article text comes from the web. Such cells of the text columns (title, text,
annotator, note) are written with a leading `'`, which spreadsheets show as text (the OWASP advice
against CSV injection); strip it if you read the file with a program.

Write only: the article texts and the relations are not in the rows.
"""

from __future__ import annotations

import csv as _csv
import json
from typing import TextIO

from ..store import ExportFilter, Store
from .common import ProgressCallback, ExportStats, select_articles

NAME = "csv"
SUFFIX = ".csv"
DESCRIPTION = "CSV for spreadsheets: one span per row"
COLUMNS = ("article_id", "title", "span_id", "start", "end", "label", "text", "annotator", "attributes", "note", "created")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: str) -> str:
    """A cell that a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(_FORMULA) else value


def write(store: Store, out: TextIO, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None) -> ExportStats:
    stats = ExportStats(holds_relations=False)
    out.write("\ufeff")
    writer = _csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in select_articles(store, selection, progress):
        title = defuse(item.article.title)
        for a in item.annotations:
            writer.writerow(
                (
                    item.article.id, title, a.id, a.start, a.end, a.label, defuse(a.quote), defuse(a.annotator),
                    json.dumps(a.attributes, ensure_ascii=False, sort_keys=True), defuse(a.note), a.created,
                )
            )
        stats.articles += 1
        stats.spans += len(item.annotations)
        stats.relations_dropped += len(item.relations)
    return stats
