"""Suggest, accept and reject as operations: the rows they store, undo, and what is never
suggested again."""

from __future__ import annotations

import pytest

import support
from annotator import operations as ops
from annotator.errors import NotFoundError, ValidationError
from annotator.model import build_article
from annotator.operations import suggestions as sug
from annotator.store import Store

EMOJI_TEXT = "😀 Kim Jong Un said the economy grew 5%."
ME = "tester"


@pytest.fixture
def project(tmp_path, fake_suggesters):
    store = Store.open(tmp_path / "p.annotator")
    article = build_article([("paragraph", EMOJI_TEXT)], title="Emoji first")
    other = build_article([("paragraph", "The utility said more than 40,000 homes lost power.")], title="Storm")
    support.add_articles(store, [article, other])
    yield store, article.id, other.id
    store.close()


def suggestion_rows(store: Store) -> list[tuple]:
    return store.conn.execute('SELECT article_id, start, "end", label, suggester, version, confidence, state, '
                              "annotation_id FROM suggestions ORDER BY start").fetchall()


def test_suggest_stores_open_suggestions_in_code_points(project):
    store, article_id, _ = project
    done = sug.suggest(store, [article_id], annotator=ME)
    spans = {(s.start, s.end, s.label, s.suggester, s.confidence) for s in done.value}
    start = EMOJI_TEXT.index("Kim")  # 2: the emoji is one code point (two UTF-16 units)
    assert start == 2
    claim = EMOJI_TEXT.index("economy")
    assert spans == {(2, 13, "SOURCE", "fake-sources", 0.9), (claim, claim + 15, "CLAIM", "fake-claims", 0.8)}
    assert EMOJI_TEXT[2:13] == "Kim Jong Un"
    assert [r[7] for r in suggestion_rows(store)] == ["open", "open"]
    assert store.history(limit=1)[0].kind == "suggest"
    relation, = store.suggested_relations_for(article_id)
    by_key = {(s.label): s.id for s in done.value}
    assert (relation.head, relation.tail, relation.type) == (by_key["CLAIM"], by_key["SOURCE"], "attributed_to")


def test_suggestions_are_not_annotations(project):
    store, article_id, _ = project
    sug.suggest(store, [article_id], annotator=ME)
    assert store.counts()["annotations"] == 0
    assert store.annotations_for(article_id) == []
    assert store.article_row(article_id)["status"] == "todo"


def test_suggesting_again_adds_nothing(project):
    store, article_id, _ = project
    sug.suggest(store, [article_id], annotator=ME)
    again = sug.suggest(store, [article_id], annotator=ME)
    assert again.value == [] and again.op_id == ""
    assert len(suggestion_rows(store)) == 2


def test_accept_creates_a_suggested_annotation_and_marks_the_row(project):
    store, article_id, _ = project
    source = next(s for s in sug.suggest(store, [article_id], annotator=ME).value if s.label == "SOURCE")
    done = sug.accept(store, [source.id], annotator=ME)
    annotation, = done.value.annotations
    assert (annotation.start, annotation.end, annotation.label, annotation.quote, annotation.origin,
            annotation.annotator) == (2, 13, "SOURCE", "Kim Jong Un", "suggested", ME)
    row = store.suggestions_by_id([source.id])[source.id]
    assert (row.state, row.annotation_id, row.decided_by) == ("accepted", annotation.id, ME)
    assert store.article_row(article_id)["status"] == "in_progress"
    assert source.id in done.changes.suggestions and annotation.id in done.changes.annotations
    # one entry, and its undo takes both the annotation and the suggestion's state back
    ops.undo(store, done.op_id, annotator=ME)
    assert store.annotations_for(article_id) == []
    assert store.suggestions_by_id([source.id])[source.id].state == "open"
    assert store.article_row(article_id)["status"] == "todo"


def test_accept_of_a_span_already_tagged_points_at_that_annotation(project):
    store, article_id, _ = project
    source = next(s for s in sug.suggest(store, [article_id], annotator=ME).value if s.label == "SOURCE")
    tagged = support.tag(store, article_id, 2, 13, "SOURCE")
    done = sug.accept(store, [source.id], annotator=ME)
    assert [a.id for a in done.value.annotations] == [tagged.id]
    assert len(store.annotations_for(article_id)) == 1


def test_reject_is_remembered_and_undoable(project):
    store, article_id, _ = project
    made = sug.suggest(store, [article_id], annotator=ME).value
    source = next(s for s in made if s.label == "SOURCE")
    done = sug.reject(store, [source.id], annotator=ME)
    relation, = store.suggested_relations_for(article_id, states=None)
    assert set(done.value) == {source.id, relation.id}  # the relation naming it goes along
    assert store.suggestions_by_id([source.id])[source.id].state == "rejected"
    assert relation.state == "rejected"
    assert sug.suggest(store, [article_id], annotator=ME).value == []  # never suggested again
    ops.undo(store, done.op_id, annotator=ME)
    assert store.suggestions_by_id([source.id])[source.id].state == "open"
    assert store.suggested_relations_for(article_id)[0].state == "open"


def test_a_span_the_annotator_tagged_is_not_suggested(project):
    store, article_id, _ = project
    support.tag(store, article_id, 2, 13, "SOURCE")
    made = sug.suggest(store, [article_id], annotator=ME).value
    assert [s.label for s in made] == ["CLAIM"]
    # another annotator still gets it
    assert [s.label for s in sug.suggest(store, [article_id], annotator="maria").value] == ["SOURCE"]


def test_accept_article_is_one_undo_step_with_the_relation(project):
    store, article_id, _ = project
    sug.suggest(store, [article_id], annotator=ME)
    done = sug.accept_article(store, article_id, annotator=ME)
    assert sorted(a.label for a in done.value.annotations) == ["CLAIM", "SOURCE"]
    relation, = done.value.relations
    assert relation.type == "attributed_to"
    assert store.relations_for(article_id)[0].id == relation.id
    assert store.suggestions_for(article_id) == [] and store.suggested_relations_for(article_id) == []
    ops.undo(store, annotator=ME)
    assert store.annotations_for(article_id) == [] and store.relations_for(article_id) == []
    assert len(store.suggestions_for(article_id)) == 2
    ops.redo(store, annotator=ME)
    assert len(store.annotations_for(article_id)) == 2


def test_accepting_a_relation_accepts_its_ends(project):
    store, article_id, _ = project
    sug.suggest(store, [article_id], annotator=ME)
    relation, = store.suggested_relations_for(article_id)
    done = sug.accept(store, [relation.id], annotator=ME)
    assert len(done.value.annotations) == 2 and len(done.value.relations) == 1


def test_precision_per_suggester_and_label(project):
    store, article_id, other_id = project
    made = sug.suggest(store, [article_id, other_id], annotator=ME).value
    by = {(s.suggester, s.label, s.article_id): s for s in made}
    sug.accept(store, [by["fake-sources", "SOURCE", article_id].id], annotator=ME)
    sug.reject(store, [by["fake-sources", "SOURCE", other_id].id], annotator=ME)
    sug.accept(store, [by["fake-claims", "CLAIM", article_id].id], annotator=ME)
    figures = {(f["suggester"], f["label"]): f for f in store.suggestion_precision()}
    assert figures["fake-sources", "SOURCE"] == {"suggester": "fake-sources", "label": "SOURCE", "accepted": 1,
                                                 "rejected": 1, "open": 0, "precision": 0.5}
    claims = figures["fake-claims", "CLAIM"]
    assert (claims["accepted"], claims["open"], claims["precision"]) == (1, 1, 1.0)


def test_filters_and_bad_input(project):
    store, article_id, other_id = project
    assert {s.label for s in sug.suggest(store, [other_id], annotator=ME, labels=["claim"]).value} == {"CLAIM"}
    assert sug.suggest(store, [article_id], annotator=ME, min_confidence=0.85).value[0].confidence == 0.9
    with pytest.raises(ValidationError, match="no suggester named 'nope'; known: fake-claims"):
        sug.suggest(store, [article_id], annotator=ME, names=["nope"])
    with pytest.raises(ValidationError, match="unknown label"):
        sug.suggest(store, [article_id], annotator=ME, labels=["PERSON"])
    with pytest.raises(ValidationError, match="between 0 and 1"):
        sug.suggest(store, [article_id], annotator=ME, min_confidence=2)
    with pytest.raises(NotFoundError, match="no article with id feed"):
        sug.suggest(store, ["feed"], annotator=ME)
    made = store.suggestions_for(article_id)[0]
    sug.reject(store, [made.id], annotator=ME)
    with pytest.raises(ValidationError, match="already rejected; nothing was changed"):
        sug.accept(store, [made.id], annotator=ME)
    with pytest.raises(NotFoundError, match="no suggestion with id"):
        store.resolve_suggestion_id("ffff")


def test_a_broken_suggester_stores_nothing(project):
    import suggestion_fakes
    from annotator.suggest import register

    store, article_id, _ = project
    register(suggestion_fakes.Broken())
    with pytest.raises(sug.SuggesterFailed, match="nothing was stored"):
        sug.suggest(store, [article_id], annotator=ME)
    assert suggestion_rows(store) == []


def test_the_learned_suggester_gets_the_accepted_pairs(project):
    store, article_id, other_id = project
    support.tag(store, other_id, 4, 11, "SOURCE")  # "utility"
    made = sug.suggest(store, [other_id], annotator="maria", names=["fake-learned"]).value
    assert [(s.start, s.end, s.label) for s in made] == [(4, 11, "SOURCE")]


def test_what_was_tagged_while_the_suggesters_ran_is_left_out(project):
    store, article_id, _ = project
    proposed = sug.propose(store, [article_id], annotator=ME)
    support.tag(store, article_id, 2, 13, "SOURCE")
    done = sug.store_proposed(store, proposed, annotator=ME)
    assert [s.label for s in done.value] == ["CLAIM"]


def test_undo_of_a_suggest_refused_once_a_suggestion_was_decided(project):
    store, article_id, _ = project
    made = sug.suggest(store, [article_id], annotator=ME)
    sug.reject(store, [made.value[0].id], annotator=ME)
    with pytest.raises(ops.UndoConflict, match=r"suggest(ion|ed relation) \S{18} was changed since by tester \(“reject SOURCE suggestion"):
        ops.undo(store, made.op_id, annotator=ME)


def test_proposals_out_of_range_blank_or_odd_are_left_out(project):
    from annotator.suggest import Proposals, SpanProposal, register

    class Odd:
        name, version = "odd", "1"

        def suggest(self, source):
            n = len(source.text)
            return Proposals(spans=[SpanProposal(0, n + 5, "CLAIM", 0.5, "odd", "1"),
                                    SpanProposal(1, 2, "CLAIM", 0.5, "odd", "1"),  # a space
                                    SpanProposal(2, 13, "PERSON", 0.5, "odd", "1"),
                                    SpanProposal(2, 13, "CLAIM", "high", "odd", "1"),
                                    SpanProposal(2, 13, "SOURCE", 7.0, "odd", "1")])

    store, article_id, _ = project
    register(Odd())
    proposed = sug.propose(store, [article_id], annotator=ME, names=["odd"])
    assert [(s.start, s.end, s.label, s.confidence) for s in proposed.suggestions] == [(2, 13, "SOURCE", 1.0)]
    assert proposed.left_out == 4
