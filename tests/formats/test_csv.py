"""CSV for spreadsheets: one span per row, UTF-8 with BOM, formulas defused."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given

from annotator.formats import csv as csv_format
from annotator.model import build_article

from .conftest import PROPERTY, corpora, emoji_project, project, spans_of
import support


def _rows(store) -> list[dict]:
    out = io.StringIO()
    csv_format.write(store, out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


@PROPERTY
@given(corpora())
def test_every_span_is_one_row(specs):
    with project(specs) as store:
        rows = _rows(store)
        assert all(tuple(r) == csv_format.COLUMNS for r in rows)
        got = sorted(
            [
                (store.get_article(r["article_id"]).text, int(r["start"]), int(r["end"]), r["label"], r["annotator"],
                 tuple(sorted(json.loads(r["attributes"]).items())), r["note"])
                for r in rows
            ],
            key=repr,
        )
        assert got == spans_of(store, "annotator", "attributes", "note")
        for r in rows:
            assert r["text"] == store.get_annotation(r["span_id"]).quote


def test_emoji_and_formula_cells(store):
    article_id, span_id = emoji_project(store)
    article = build_article([("paragraph", "=HYPERLINK(\"http://evil\") -5% growth, @home")], title="=cmd|' /C calc'!A0")
    support.add_article(store, article)
    support.tag(store, article.id, 0, 25, "CLAIM", annotator="maria", note="+1 agree")
    rows = {r["span_id"]: r for r in _rows(store)}
    assert rows[span_id]["text"] == "prices rose 5%"
    evil = next(r for r in rows.values() if r["article_id"] == article.id)
    assert evil["text"] == "'=HYPERLINK(\"http://evil\")" and evil["title"].startswith("'=") and evil["note"] == "'+1 agree"
