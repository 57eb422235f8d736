"""Prodigy JSONL: token indices, relations by last token, one task per annotator; spaCy reads it."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given

from support import import_set as import_annotation_set
from annotator.errors import ImportFailed
from annotator.formats import detect_format, prodigy

from .conftest import FIXTURES, PROPERTY, corpora, emoji_project, news_article, project, quotes, relations_of, spans_of, write_to
import support


@PROPERTY
@given(corpora(aligned=True))
def test_write_then_import_is_the_identity_for_token_aligned_spans(specs):
    with project(specs) as store, project() as other:
        path = store.path.with_name("p.jsonl")
        stats = write_to(store, "prodigy", path)
        assert stats.snapped == stats.misaligned == stats.overlapping == stats.relations_dropped == 0
        for line in path.read_text("utf-8").splitlines():
            task = json.loads(line)
            for span in task["spans"]:
                tokens = task["tokens"]
                assert tokens[span["token_start"]]["start"] == span["start"]
                assert tokens[span["token_end"]]["end"] == span["end"]
                assert task["text"][span["start"] : span["end"]] == span["text"]
            for relation in task["relations"]:
                assert relation["head"] == relation["head_span"]["token_end"]
                assert relation["child"] == relation["child_span"]["token_end"]
        report = import_annotation_set(other, path)
        assert report.not_imported == 0
        assert spans_of(other, "annotator") == spans_of(store, "annotator")
        assert relations_of(other) == relations_of(store)
        again = import_annotation_set(other, path)
        assert again.spans.added == 0 and again.relations.added == 0


def test_spans_are_widened_to_tokens_and_counted(store):
    from annotator.model import build_article

    article = build_article([("paragraph", "Alice said prices rose.")])
    support.add_article(store, article)
    support.tag(store, article.id, 1, 9, "CLAIM", annotator="maria")  # "lice sai"
    support.place(store, article.id, 5, 6, "CLAIM", annotator="maria")  # " "
    out = io.StringIO()
    stats = prodigy.write(store, out)
    [task] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [s["text"] for s in task["spans"]] == ["Alice said"]
    assert (stats.snapped, stats.misaligned, stats.spans) == (1, 1, 1)
    assert any("widened" in p for p in stats.problems()) and any("no token" in p for p in stats.problems())


def test_emoji_before_a_span(store, other, tmp_path):
    emoji_project(store)
    path = tmp_path / "e.jsonl"
    write_to(store, "prodigy", path)
    [task] = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    [span] = task["spans"]
    assert task["text"][span["start"] : span["end"]] == "prices rose 5%"
    import_annotation_set(other, path)
    assert quotes(other) == [("prices rose 5%", "CLAIM", "maria")]


def test_spacy_reads_the_tasks_as_its_tutorial_does(store, tmp_path):
    """spaCy's relation-extraction tutorial builds Docs from Prodigy tasks: words/spaces from the
    tokens, char_span for spans, and maps a relation's head/child (last token) to the span's start."""
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    emoji_project(store)
    news_article(store)
    import_annotation_set(store, FIXTURES / "prodigy_rel_manual.jsonl", format_name="prodigy")
    out = io.StringIO()
    prodigy.write(store, out)
    vocab = spacy.blank("en").vocab
    for line in out.getvalue().splitlines():
        task = json.loads(line)
        doc = Doc(vocab, words=[t["text"] for t in task["tokens"]], spaces=[t["ws"] for t in task["tokens"]])
        span_end_to_start = {}
        for span in task["spans"]:
            entity = doc.char_span(span["start"], span["end"], label=span["label"])
            assert entity is not None and entity.start == span["token_start"] and entity.end - 1 == span["token_end"]
            span_end_to_start[span["token_end"]] = span["token_start"]
        for relation in task["relations"]:
            assert relation["head"] in span_end_to_start and relation["child"] in span_end_to_start


def test_fixture_as_prodigy_saves_it(store):
    news_article(store)
    path = FIXTURES / "prodigy_rel_manual.jsonl"
    assert detect_format(path) == "prodigy"
    report = import_annotation_set(store, path)
    assert quotes(store) == [
        ("AFP", "SOURCE", "news_rel-maria"),
        ("Officials", "SOURCE", "news_spans-bob"),
        ("Officials in 🇺🇦 Kyiv", "SOURCE", "news_spans-bob"),  # overlapping spans (spans_manual) are kept
        ("prices rose 5% in May", "CLAIM", "news_rel-maria"),
        ("👨\u200d🚒 firefighters at work (Reuters)", "CAPTION", "news_rel-maria"),
    ]
    [relation] = relations_of(store)
    assert relation[1:] == ((26, 47, "CLAIM"), (49, 52, "SOURCE"), "attributed_to")
    assert any("answer 'reject'" in note for note in report.notes)
    assert report.articles_added == [] and report.not_imported == 0


def test_malformed_task_names_the_line(store, tmp_path):
    good = json.dumps({"text": "Alice said.", "spans": [{"start": 0, "end": 5, "label": "SOURCE"}]})
    bad = json.dumps({"text": "Alice said.", "spans": [{"start": 0, "label": "SOURCE"}]})
    path = tmp_path / "bad.jsonl"
    path.write_text(good + "\n" + bad + "\n", "utf-8")
    with pytest.raises(ImportFailed, match=r"bad.jsonl:2: missing 'end' in span 1"):
        import_annotation_set(store, path, format_name="prodigy")
    assert store.counts()["annotations"] == 0
    relation = json.dumps({"text": "Alice said it.", "tokens": [], "spans": [{"start": 0, "end": 5, "label": "SOURCE"}],
                           "relations": [{"head": 7, "child": 0, "label": "attributed_to"}]})
    path.write_text(relation + "\n", "utf-8")
    with pytest.raises(ImportFailed, match=r"bad.jsonl:1: head token 7 in relation 1 is not the last token"):
        import_annotation_set(store, path, format_name="prodigy")
    assert store.counts() == {"articles": 0, "annotations": 0, "relations": 0}
