"""Agreement figures on small cases worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import pytest
from pytest import approx

from annotator import review
from annotator.review import figures as agreement_module
from annotator.review import agreement, cohen_kappa, krippendorff_alpha, per_article

from .conftest import add, add_at, article

# Tokens (regex \w+|[^\w\s]) of the two texts used below:
#   T1 "Kim met Putin in Moscow today."  Kim met Putin in Moscow today .   -> 7 tokens
#   T2 "Officials said talks went well." Officials said talks went well .  -> 6 tokens
T1 = "Kim met Putin in Moscow today."
T2 = "Officials said talks went well."
T3 = "Nobody else read this one."


def test_tokens_follow_the_regex():
    assert [T1[s:e] for s, e in review.tokens(T1)] == ["Kim", "met", "Putin", "in", "Moscow", "today", "."]
    assert len(review.tokens(T2)) == 6
    assert [t for s, e in review.tokens("Putin’s 3.5% — über") for t in ["Putin’s 3.5% — über"[s:e]]] == [
        "Putin", "’", "s", "3", ".", "5", "%", "—", "über",
    ]


def test_kappa_and_alpha_from_a_table():
    # A = 1110000, B = 0111100 (the first case below): n11=2, n10=1, n01=2, n00=2, N=7.
    # kappa: po = 4/7; pA1 = 3/7, pB1 = 4/7; pe = 3/7·4/7 + 4/7·3/7 = 24/49;
    #        (28/49 − 24/49) / (25/49) = 4/25 = 0.16
    assert cohen_kappa(2, 1, 2, 2) == approx(4 / 25)
    # alpha: 2N = 14 values, n1 = 3 + 4 = 7, n0 = 7; 1 − (14 − 1)·(1 + 2)/(7·7) = 1 − 39/49 = 10/49
    assert krippendorff_alpha(2, 1, 2, 2) == approx(10 / 49)
    # Both constant and equal: 1.0 (kappa's pe = 1, alpha's De = 0).
    assert cohen_kappa(0, 0, 0, 9) == 1.0 and krippendorff_alpha(0, 0, 0, 9) == 1.0
    assert cohen_kappa(9, 0, 0, 0) == 1.0 and krippendorff_alpha(9, 0, 0, 0) == 1.0
    # Both constant but different (A all 1, B all 0): po = 0, pe = 1·0 + 0·1 = 0 -> kappa 0;
    # alpha: n1 = 4, n0 = 4, 1 − 7·4/16 = −0.75
    assert cohen_kappa(0, 4, 0, 0) == 0.0
    assert krippendorff_alpha(0, 4, 0, 0) == approx(-0.75)
    # No data at all: undefined.
    assert cohen_kappa(0, 0, 0, 0) is None and krippendorff_alpha(0, 0, 0, 0) is None


def test_one_article_one_label(store):
    art = article(T1)
    support.add_article(store, art)
    add(store, art, "Kim met Putin", "CLAIM", "ana")  # tokens Kim met Putin        -> A = 1110000
    add(store, art, "met Putin in Moscow", "CLAIM", "ben")  # met Putin in Moscow -> B = 0111100
    figures = agreement(store, "ana", "ben")
    assert figures["annotators"] == ["ana", "ben"]
    assert figures["articles"] == 1
    claim = figures["labels"]["CLAIM"]
    assert claim["a_spans"] == 1 and claim["b_spans"] == 1
    assert claim["matched_exact"] == 0 and claim["f1_exact"] == 0.0  # 2·0/(1+1)
    assert claim["matched_overlap"] == 1 and claim["f1_overlap"] == 1.0  # they share "met Putin": 2·1/(1+1)
    assert claim["kappa_token"] == approx(4 / 25)  # worked out in test_kappa_and_alpha_from_a_table
    assert claim["alpha_token"] == approx(10 / 49)
    assert figures["overall"] == {**claim}  # one label: overall is that label


def test_a_span_that_cuts_a_word_marks_the_whole_token(store):
    art = article(T1)
    support.add_article(store, art)
    add_at(store, art, 9, 11, "SOURCE", "ana")  # "ut" inside "Putin"
    add(store, art, "Putin", "SOURCE", "ben")
    source = agreement(store, "ana", "ben")["labels"]["SOURCE"]
    # Different bounds (exact F1 0) but both mark exactly the token Putin: 0010000 twice.
    assert source["f1_exact"] == 0.0 and source["f1_overlap"] == 1.0
    assert source["kappa_token"] == 1.0 and source["alpha_token"] == 1.0


@pytest.fixture
def corpus(store):
    """Three articles; the third is annotated by ana only, so it is not counted.

    ana: T1 CLAIM "Kim met Putin", SOURCE "Kim"; T2 SOURCE "Officials"; T3 CLAIM (not counted)
    ben: T1 CLAIM "met Putin in Moscow", SOURCE "Kim"; T2 SOURCE "Officials", CLAIM "talks went well"
    plus noise that must not count: a deleted span of ben, and gold spans.
    """
    arts = [article(T1), article(T2), article(T3)]
    support.add_articles(store, arts)
    a1, a2, a3 = arts
    add(store, a1, "Kim met Putin", "CLAIM", "ana")
    add(store, a1, "Kim", "SOURCE", "ana")
    add(store, a2, "Officials", "SOURCE", "ana")
    add(store, a3, "Nobody else", "CLAIM", "ana")
    add(store, a1, "met Putin in Moscow", "CLAIM", "ben")
    add(store, a1, "Kim", "SOURCE", "ben")
    add(store, a2, "Officials", "SOURCE", "ben")
    add(store, a2, "talks went well", "CLAIM", "ben")
    gone = add(store, a1, "today", "CLAIM", "ben")
    support.delete(store, gone.id)
    add(store, a1, "Moscow today", "CAPTION", "gold")
    add(store, a3, "Nobody", "SOURCE", "gold")
    return arts


def test_corpus_by_hand(store, corpus):
    figures = agreement(store, "ana", "ben")
    assert figures["articles"] == 2  # T3 has no span of ben
    assert sorted(figures["labels"]) == ["CLAIM", "SOURCE"]  # gold's CAPTION is not ana's or ben's
    claim, source = figures["labels"]["CLAIM"], figures["labels"]["SOURCE"]
    # CLAIM: ana 1 span (T3's is not counted), ben 2; no exact match; one overlap pair (T1).
    assert (claim["a_spans"], claim["b_spans"], claim["matched_exact"], claim["matched_overlap"]) == (1, 2, 0, 1)
    assert claim["f1_exact"] == 0.0
    assert claim["f1_overlap"] == approx(2 / 3)  # 2·1/(1+2)
    # CLAIM tokens over T1 + T2 (N = 13): T1 A=1110000 B=0111100 -> n11 2, n10 1, n01 2, n00 2;
    #   T2 A=000000 B=001110 -> n01 3, n00 3. Total n11 2, n10 1, n01 5, n00 5; a1 = 3, b1 = 7.
    # kappa: po = 7/13; pe = 3/13·7/13 + 10/13·6/13 = 81/169; (91 − 81)/(169 − 81) = 10/88 = 5/44
    assert claim["kappa_token"] == approx(5 / 44)
    # alpha: 2N = 26, n1 = 3 + 7 = 10, n0 = 16; 1 − 25·(1 + 5)/(16·10) = 1 − 150/160 = 1/16
    assert claim["alpha_token"] == approx(1 / 16)
    # SOURCE: "Kim" and "Officials" by both: exact 2 of 2 + 2; tokens identical -> 1.0.
    assert (source["a_spans"], source["b_spans"], source["matched_exact"], source["matched_overlap"]) == (2, 2, 2, 2)
    assert source["f1_exact"] == 1.0 and source["f1_overlap"] == 1.0
    assert source["kappa_token"] == 1.0 and source["alpha_token"] == 1.0
    # overall: sums 3 and 4 spans, 2 exact, 3 overlap; F1 from the sums, kappa/alpha the label mean.
    overall = figures["overall"]
    assert (overall["a_spans"], overall["b_spans"], overall["matched_exact"], overall["matched_overlap"]) == (3, 4, 2, 3)
    assert overall["f1_exact"] == approx(4 / 7)  # 2·2/(3+4)
    assert overall["f1_overlap"] == approx(6 / 7)  # 2·3/(3+4)
    assert overall["kappa_token"] == approx((5 / 44 + 1) / 2)  # 49/88
    assert overall["alpha_token"] == approx((1 / 16 + 1) / 2)  # 17/32


def test_label_filter_and_article_filter(store, corpus):
    only_claim = agreement(store, "ana", "ben", "CLAIM")
    assert list(only_claim["labels"]) == ["CLAIM"]
    assert only_claim["articles"] == 2  # counted by any annotation of both, not by the label
    assert only_claim["overall"]["kappa_token"] == approx(5 / 44)
    one = agreement(store, "ana", "ben", article_ids=[corpus[1].id])
    # T2 alone: SOURCE identical; CLAIM A=000000, B=001110: n01 3, n00 3 -> po 1/2, pe 0·1/2 + 1·1/2 = 1/2 -> 0
    # alpha: n1 = 3, n0 = 9: 1 − 11·3/(9·3) = −2/9
    assert one["articles"] == 1
    assert one["labels"]["CLAIM"]["kappa_token"] == 0.0
    assert one["labels"]["CLAIM"]["alpha_token"] == approx(-2 / 9)
    assert one["labels"]["CLAIM"]["f1_exact"] == 0.0  # 0 of 0 + 1


def test_label_nobody_used_is_constant_and_equal(store, corpus):
    caption = agreement(store, "ana", "ben", "CAPTION")["labels"]["CAPTION"]
    # No span on either side: F1 is defined as 1.0 (0 + 0 spans), every token is 0 for both -> 1.0.
    assert caption == {
        "a_spans": 0, "b_spans": 0, "matched_exact": 0, "f1_exact": 1.0,
        "matched_overlap": 0, "f1_overlap": 1.0, "kappa_token": 1.0, "alpha_token": 1.0,
    }


def test_constant_and_equal_when_both_mark_every_token(store):
    art = article(T1)
    support.add_article(store, art)
    add_at(store, art, 0, len(T1), "CLAIM", "ana")
    add_at(store, art, 0, 13, "CLAIM", "ben")
    add_at(store, art, 14, len(T1), "CLAIM", "ben")
    claim = agreement(store, "ana", "ben")["labels"]["CLAIM"]
    # Every token is 1 for both (ben's two spans cover all 7 tokens): constant and equal -> 1.0.
    assert claim["kappa_token"] == 1.0 and claim["alpha_token"] == 1.0
    assert claim["f1_exact"] == 0.0  # 2·0/(1 + 2)
    assert claim["f1_overlap"] == approx(2 / 3)  # one of ben's two spans is matched: 2·1/(1 + 2)


def test_identical_sets_give_one_everywhere(store, corpus):
    for span in store.annotations_for(corpus[0].id, annotator="ana") + store.annotations_for(corpus[1].id, annotator="ana"):
        support.tag(store, span.article_id, span.start, span.end, span.label, annotator="twin")
    figures = agreement(store, "ana", "twin")
    for f in [*figures["labels"].values(), figures["overall"]]:
        assert f["f1_exact"] == f["f1_overlap"] == f["kappa_token"] == f["alpha_token"] == 1.0
    assert agreement(store, "ana", "ana")["overall"]["kappa_token"] == 1.0


def test_disjoint_sets_give_f1_zero(store):
    art = article(T1)
    support.add_article(store, art)
    add(store, art, "Kim met", "CLAIM", "ana")
    add(store, art, "Moscow today", "CLAIM", "ben")
    claim = agreement(store, "ana", "ben")["labels"]["CLAIM"]
    assert claim["f1_exact"] == 0.0 and claim["f1_overlap"] == 0.0
    # A = 1100000, B = 0000110: n11 0, n10 2, n01 2, n00 3; po = 3/7, pe = 2/7·2/7 + 5/7·5/7 = 29/49
    # kappa = (21/49 − 29/49)/(20/49) = −8/20 = −0.4
    assert claim["kappa_token"] == approx(-0.4)
    # alpha: n1 = 4, n0 = 10: 1 − 13·4/(10·4) = −0.3
    assert claim["alpha_token"] == approx(-0.3)


def test_overlap_matching_is_one_to_one_by_largest_overlap(store):
    text = "aaaa bbbb cccc dddd eeee"
    art = article(text)
    support.add_article(store, art)
    add_at(store, art, 0, 9, "CLAIM", "ana")  # aaaa bbbb
    add_at(store, art, 10, 19, "CLAIM", "ana")  # cccc dddd
    add_at(store, art, 5, 14, "CLAIM", "ben")  # bbbb cccc: overlaps both of ana's by 4 characters
    claim = agreement(store, "ana", "ben")["labels"]["CLAIM"]
    assert claim["matched_overlap"] == 1  # one-to-one: ben's span counts once
    assert claim["f1_overlap"] == approx(2 / 3)  # 2·1/(2+1)


def test_no_counted_article(store):
    art = article(T1)
    support.add_article(store, art)
    add(store, art, "Kim", "SOURCE", "ana")
    figures = agreement(store, "ana", "ben")
    assert figures == {
        "annotators": ["ana", "ben"], "articles": 0, "labels": {},
        "overall": {"a_spans": 0, "b_spans": 0, "matched_exact": 0, "f1_exact": 1.0, "matched_overlap": 0,
                    "f1_overlap": 1.0, "kappa_token": None, "alpha_token": None},
    }
    assert per_article(store, "ana", "ben") == []


def test_per_article_sorted_by_disagreement(store, corpus):
    rows = per_article(store, "ana", "ben")
    assert [r["article_id"] for r in rows] == [corpus[0].id, corpus[1].id]
    first, second = rows
    # T1: the CLAIMs overlap with other bounds (one comparison that differs), SOURCE agreed: 1
    # disagreement, F1 2·1/4; T2 also 1, so the lower F1 (T1) comes first
    assert first["disagreements"] == 1 and first["f1_exact"] == approx(0.5) and first["tokens"] == 7
    # T1 kappa: CLAIM 4/25, SOURCE 1.0 -> mean 0.58
    assert first["kappa_token"] == approx((4 / 25 + 1) / 2)
    # T2: SOURCE exact, ben's CLAIM alone: 1 disagreement; kappa CLAIM 0, SOURCE 1 -> 0.5
    assert second["disagreements"] == 1 and second["f1_exact"] == approx(2 / 3)
    assert second["kappa_token"] == approx(0.5)
    assert second["title"] == corpus[1].title


def test_gold_takes_part_only_when_named(store, corpus):
    assert "gold" not in review.review_annotators(store)
    assert "gold" in review.review_annotators(store, include_gold=True)
    with_gold = agreement(store, "gold", "ana")
    # gold has spans in T1 and T3; ana has spans in both -> 2 articles counted
    assert with_gold["articles"] == 2
    assert with_gold["labels"]["CAPTION"]["a_spans"] == 1


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
import support

_TEXT = st.text(alphabet=st.sampled_from(list("ab_1 \t.,'’—éß٣\u0301😀-")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)), max_size=8),
       st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)), max_size=8))
def test_token_marks_match_the_definition(text, raw_a, raw_b):
    """The sweep over token ranges gives exactly the 2x2 table of the per-token definition."""
    import re

    assert [m.span() for m in agreement_module._TOKENS.finditer(text)] == review.tokens(text)  # the faster regex is the same
    assert review.tokens(text) == [m.span() for m in re.finditer(r"\w+|[^\w\s]", text)]
    n = len(text)
    a = [(min(s, n), min(s + k, n)) for s, k in raw_a if min(s, n) < min(s + k, n)]
    b = [(min(s, n), min(s + k, n)) for s, k in raw_b if min(s, n) < min(s + k, n)]
    toks = review.tokens(text)
    mark_a = [any(s < te and e > ts for s, e in a) for ts, te in toks]
    mark_b = [any(s < te and e > ts for s, e in b) for ts, te in toks]
    total, tallies = agreement_module._article_tally(text, {"L": (a, b)})
    assert total == len(toks)
    n11 = sum(x and y for x, y in zip(mark_a, mark_b))
    n10 = sum(x and not y for x, y in zip(mark_a, mark_b))
    n01 = sum(y and not x for x, y in zip(mark_a, mark_b))
    assert tallies["L"][agreement_module.N11:] == [n11, n10, n01]
