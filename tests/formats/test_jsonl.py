"""The native JSONL: lossless both ways, idempotent imports, edits and tombstones of a colleague."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given

from support import import_set as import_annotation_set
from annotator.errors import ImportFailed
from annotator.formats import jsonl
from annotator.model import build_article

from .conftest import PROPERTY, corpora, emoji_project, project, relations_of, spans_of, write_to
import support

ALL = ("annotator", "attributes", "note", "quote", "prefix", "suffix", "created", "updated")


def _export(store, **options) -> list[dict]:
    out = io.StringIO()
    jsonl.write(store, out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@PROPERTY
@given(corpora())
def test_write_then_read_gives_back_every_field(specs):
    with project(specs) as store:
        out = io.StringIO()
        jsonl.write(store, out)
        out.seek(0)
        documents = list(jsonl.read(out))
        assert len(documents) == len(specs)
        for document in documents:
            article = store.get_article(document.article_id)
            assert document.text == article.text
            assert document.blocks == [(b.kind, b.start, b.end) for b in article.blocks]
            stored = store.annotations_for(article.id)
            assert [(s.id, s.start, s.end, s.label, s.quote, s.prefix, s.suffix, s.annotator, s.attributes, s.note,
                     s.origin, s.created, s.updated) for s in document.spans] == [
                (a.id, a.start, a.end, a.label, a.quote, a.prefix, a.suffix, a.annotator, a.attributes, a.note,
                 a.origin, a.created, a.updated) for a in stored
            ]  # fmt: skip
            assert all(document.text[s.start : s.end] == s.quote for s in document.spans)
            assert [(r.id, r.head, r.tail, r.type, r.annotator, r.created, r.updated) for r in document.relations] == [
                (r.id, r.head, r.tail, r.type, r.annotator, r.created, r.updated) for r in store.relations_for(article.id)
            ]


@PROPERTY
@given(corpora())
def test_import_into_another_project_is_the_identity(specs):
    with project(specs) as store, project() as other:
        path = Path(store.path).with_name("set.jsonl")
        write_to(store, "jsonl", path)
        first = import_annotation_set(other, path)
        assert first.not_imported == 0 and not first.skipped
        assert spans_of(other, "id", *ALL) == spans_of(store, "id", *ALL)
        assert relations_of(other) == relations_of(store)
        theirs, ours = _export(other), _export(store)
        before = json.dumps(theirs[1:])
        for a, b in zip(theirs[1:], ours[1:]):  # origin becomes "imported", the rest is the same
            for span in a["spans"] + b["spans"]:
                span.pop("origin")
            assert a == b
        again = import_annotation_set(other, path)
        assert (again.spans.added, again.spans.updated, again.spans.deleted) == (0, 0, 0)
        assert again.spans.unchanged == first.spans.added
        assert (again.relations.added, again.relations.updated) == (0, 0)
        assert json.dumps(_export(other)[1:]) == before


def test_header_record(store):
    header, = _export(store)
    assert header["_format"] == "news-annotator" and header["_version"] == 1
    assert "[[labels]]" in header["_schema"] and header["exported"].endswith("Z")


def test_emoji_before_a_span_survives(store, other, tmp_path):
    article_id, span_id = emoji_project(store)
    path = tmp_path / "e.jsonl"
    write_to(store, "jsonl", path)
    [_, record] = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    [span] = record["spans"]
    assert record["text"][span["start"] : span["end"]] == span["text"] == "prices rose 5%"
    import_annotation_set(other, path)
    assert other.get_annotation(span_id).quote == "prices rose 5%"


def test_edits_and_deletions_of_a_colleague_apply_when_newer(store, other, tmp_path):
    article = build_article([("paragraph", "Alice said prices rose 5% in May.")])
    support.add_article(store, article)
    claim = support.tag(store, article.id, 11, 25, "CLAIM", annotator="maria")
    source = support.tag(store, article.id, 0, 5, "SOURCE", annotator="maria")
    relation = support.relate(store, claim.id, source.id, "attributed_to", annotator="maria")
    first = tmp_path / "first.jsonl"
    write_to(store, "jsonl", first)
    import_annotation_set(other, first)
    # the colleague edits one span and deletes the other (which takes the relation along)
    support.update(store, claim.id, note="checked")
    support.delete(store, source.id)
    later = tmp_path / "later.jsonl"
    write_to(store, "jsonl", later, include_deleted=True)
    report = import_annotation_set(other, later)
    assert (report.spans.updated, report.spans.deleted) == (1, 1)
    assert other.get_annotation(claim.id).note == "checked"
    assert other.get_annotation(source.id).deleted and other.get_relation(relation.id).deleted
    # the older set again changes nothing: the newer state stays
    stale = import_annotation_set(other, first)
    assert stale.spans.kept == 2 and stale.spans.updated == 0
    assert other.get_annotation(source.id).deleted


def test_an_edit_made_here_later_wins(store, other, tmp_path):
    article = build_article([("paragraph", "Alice said prices rose.")])
    support.add_article(store, article)
    span = support.tag(store, article.id, 0, 5, "SOURCE", annotator="maria")
    path = tmp_path / "s.jsonl"
    write_to(store, "jsonl", path)
    import_annotation_set(other, path)
    support.update(other, span.id, note="mine, later")
    report = import_annotation_set(other, path)
    assert report.spans.kept == 1 and other.get_annotation(span.id).note == "mine, later"


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


GOOD = json.dumps({"id": "x", "text": "Alice said.", "spans": [{"start": 0, "end": 5, "label": "SOURCE", "text": "Alice"}]})


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([GOOD, '{"text": "broken'], "bad.jsonl:2: not valid JSON"),
        ([GOOD, json.dumps({"text": 5})], "bad.jsonl:2: 'text' must be a string"),
        ([GOOD, json.dumps({"text": "a", "spans": [{"start": "0", "end": 1, "label": "CLAIM"}]})],
         "bad.jsonl:2: 'start' in span 1 must be a whole number"),
        ([GOOD, GOOD.replace('"label": "SOURCE"', '"label": "PERSON"')], "labels not in this project's schema: 'PERSON' (line 2)"),
        ([json.dumps({"_format": "news-annotator", "_version": 9})], "bad.jsonl:1: made by a newer News Annotator"),
        ([GOOD, json.dumps({"_format": "news-annotator", "_version": 1})], "bad.jsonl:2: a header record is only allowed"),
    ],
)
def test_malformed_files_are_refused_with_the_line_and_change_nothing(store, tmp_path, lines, message):
    path = _write(tmp_path, lines)
    with pytest.raises(ImportFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_annotation_set(store, path)
    assert store.counts() == {"articles": 0, "annotations": 0, "relations": 0}


def test_label_map_and_case_insensitive_labels(store, tmp_path):
    record = {"text": "Alice said it.", "spans": [{"start": 0, "end": 5, "label": "PERSON"}, {"start": 6, "end": 13, "label": "claim"}]}
    path = _write(tmp_path, [json.dumps(record)])
    import_annotation_set(store, path, label_map={"PERSON": "SOURCE"})
    assert sorted(a.label for a in store.annotations_for(store.list_articles()[0].id)) == ["CLAIM", "SOURCE"]


def test_a_slightly_different_text_is_reanchored_and_mismatches_listed(store, other, tmp_path):
    article = build_article([("paragraph", "Alice said prices rose 5% in May, officials said.")])
    support.add_article(store, article)
    span = support.tag(store, article.id, 11, 25, "CLAIM", annotator="maria")
    [_, record] = _export(store)
    # the colleague's copy of the article has one more word before the span
    record["text"] = "Alice clearly said prices rose 5% in May, officials said."
    record["spans"][0].update(start=19, end=33)
    record["blocks"] = []
    record["spans"].append(dict(record["spans"][0], id="0b5b0f3e-2c3f-4f7e-9d7b-7a6f2f0b1c2d", start=0, end=5, text="Bob"))
    support.add_article(other, article)
    path = _write(tmp_path, [json.dumps(record)])
    report = import_annotation_set(other, path)
    assert other.get_annotation(span.id).quote == "prices rose 5%"
    assert [p.where for p in report.quote_mismatches] == [f"{path}:1"]
    assert "the text at 0-5 is 'Alice'" in report.quote_mismatches[0].what
    assert report.notes and "differs from the project's" in report.notes[0]
