"""Formats that hold one layer of spans (no annotator per span): a selection with several annotators'
spans is refused with their names and the choices; `--annotator all` is their union with identical
spans merged. Before, conll, hf, docbin's entities, doccano and brat mixed the spans of every
annotator, duplicates included, without a word."""

from __future__ import annotations

import json

import pytest

from annotator.errors import ValidationError
from annotator.formats import FORMATS, docbin, export_to_path, layer_problem, single_layer
from annotator.model import build_article
from annotator.store import ExportFilter, select_articles, span_annotators

import support

TEXT = "Alice said prices rose, by AFP."
ONE_LAYER = ["conll", "hf", "docbin", "doccano", "brat"]


def at(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


@pytest.fixture
def two_annotators(store):
    """maria and bob tagged the same claim and source (and linked them); bob also AFP."""
    article = build_article([("paragraph", TEXT)])
    support.add_article(store, article)
    ids = {}
    for who in ("maria", "bob"):
        claim = support.tag(store, article.id, *at("prices rose"), "CLAIM", annotator=who)
        source = support.tag(store, article.id, *at("Alice"), "SOURCE", annotator=who)
        support.relate(store, claim.id, source.id, annotator=who)
        ids[who] = (claim.id, source.id)
    support.tag(store, article.id, *at("AFP"), "SOURCE", annotator="bob")
    return article, ids


def target(tmp_path, name: str):
    return tmp_path / ("out" + (FORMATS[name].SUFFIX if name != "brat" else ""))


def test_the_one_layer_formats_are_those_without_an_annotator_per_span():
    assert sorted(n for n in FORMATS if single_layer(FORMATS[n])) == sorted(ONE_LAYER)


@pytest.mark.parametrize("name", [n for n in ONE_LAYER if n != "docbin" or docbin.available()])
def test_several_annotators_are_refused_with_their_names_and_the_choices(store, tmp_path, two_annotators, name):
    out = target(tmp_path, name)
    with pytest.raises(ValidationError) as refused:
        export_to_path(store, name, out)
    assert str(refused.value) == (
        f"the {name} format holds one layer of spans, and the selection has spans of 2 annotators: bob (3 spans), "
        "maria (2 spans). Choose one annotator (--annotator NAME), or all of them as one layer with identical "
        "spans merged (--annotator all)"
    )
    assert not out.exists() and not any(p.name.startswith(f".{out.name}.") for p in tmp_path.iterdir())
    assert export_to_path(store, name, out, ExportFilter(annotators=["maria"])).spans == 2


def test_the_annotators_are_counted_by_one_query_of_the_selection(store, two_annotators):
    assert span_annotators(store, ExportFilter()) == {"bob": 3, "maria": 2}
    assert span_annotators(store, ExportFilter(labels=["CLAIM"])) == {"bob": 1, "maria": 1}
    assert span_annotators(store, ExportFilter(annotators=["bob"], status="done")) == {}
    assert layer_problem(store, FORMATS["conll"], ExportFilter(labels=["CLAIM"], annotators=["bob"])) == ""
    assert layer_problem(store, FORMATS["jsonl"], ExportFilter()) == ""  # the formats with annotators hold them all


def test_the_union_merges_identical_spans_and_their_relations(store, two_annotators):
    article, ids = two_annotators
    [item] = select_articles(store, ExportFilter(merge_identical=True))
    kept = {(a.quote, a.label): a.annotator for a in item.annotations}
    assert kept == {("prices rose", "CLAIM"): "maria", ("Alice", "SOURCE"): "maria", ("AFP", "SOURCE"): "bob"}
    assert item.merged == 2
    assert [(r.head, r.tail) for r in item.relations] == [ids["maria"]]  # bob's identical relation is the same one


def test_the_union_is_written_and_counted(store, tmp_path, two_annotators):
    out = tmp_path / "out.jsonl"
    stats = export_to_path(store, "doccano", out, ExportFilter(merge_identical=True))
    [record] = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert sorted((e["label"], TEXT[e["start_offset"]:e["end_offset"]]) for e in record["entities"]) == [
        ("CLAIM", "prices rose"), ("SOURCE", "AFP"), ("SOURCE", "Alice")]
    assert len(record["relations"]) == 1
    assert (stats.spans, stats.merged) == (3, 2)
    assert "2 spans identical to another annotator's span written once (their spans as one layer)" in stats.problems()
