"""compare(): one-to-one pairing of two annotators' spans and the kind of each comparison."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import ValidationError
from annotator.model import Annotation
from annotator.review import KINDS, compare, compare_article, comparison_of
import support

_ids = itertools.count()


def span(start: int, end: int, label: str = "CLAIM", who: str = "a") -> Annotation:
    return Annotation(id=f"{who}{next(_ids):04d}", article_id="art", start=start, end=end, label=label, quote="x" * (end - start), annotator=who)


def kinds(comparisons) -> list[tuple[str, tuple | None, tuple | None]]:
    def bounds(s):
        return None if s is None else (s.start, s.end, s.label)

    return [(c.kind, bounds(c.a), bounds(c.b)) for c in comparisons]


def test_every_kind():
    a = [span(0, 5), span(10, 15, "CLAIM"), span(20, 30), span(40, 50, "SOURCE"), span(60, 65)]
    b = [span(0, 5, who="b"), span(10, 15, "SOURCE", "b"), span(22, 31, who="b"), span(45, 55, "CLAIM", "b"), span(70, 75, who="b")]
    assert kinds(compare(a, b)) == [
        ("agreed", (0, 5, "CLAIM"), (0, 5, "CLAIM")),
        ("label_differs", (10, 15, "CLAIM"), (10, 15, "SOURCE")),
        ("boundaries_differ", (20, 30, "CLAIM"), (22, 31, "CLAIM")),
        ("overlap_label_differs", (40, 50, "SOURCE"), (45, 55, "CLAIM")),
        ("only_a", (60, 65, "CLAIM"), None),
        ("only_b", None, (70, 75, "CLAIM")),
    ]


def test_exact_match_is_taken_before_an_overlap():
    a = [span(0, 10)]
    b = [span(0, 12, who="b"), span(0, 10, who="b")]
    assert kinds(compare(a, b)) == [("agreed", (0, 10, "CLAIM"), (0, 10, "CLAIM")), ("only_b", None, (0, 12, "CLAIM"))]


def test_same_label_is_preferred_to_a_larger_overlap_of_another_label():
    a = [span(0, 10, "CLAIM")]
    b = [span(0, 9, "SOURCE", "b"), span(5, 12, "CLAIM", "b")]
    assert kinds(compare(a, b)) == [
        ("only_b", None, (0, 9, "SOURCE")),
        ("boundaries_differ", (0, 10, "CLAIM"), (5, 12, "CLAIM")),
    ]


def test_greedy_by_largest_overlap():
    # b overlaps a1 by 5 (5-10) and a2 by 4 (8-12): it goes to a1, a2 stays alone.
    a1, a2, b = span(0, 10), span(8, 20), span(5, 12, who="b")
    result = compare([a1, a2], [b])
    assert [(c.kind, c.a, c.b) for c in result] == [("boundaries_differ", a1, b), ("only_a", a2, None)]
    assert result[0].overlap == 5


def test_keys_and_dicts():
    a, b = span(0, 5), span(3, 9, who="b")
    (c,) = compare([a], [b])
    assert c.key == f"{a.id}:{b.id}" and c.source_ids == (a.id, b.id)
    assert (c.start, c.end) == (0, 9)
    (single,) = compare([], [b])
    assert single.key == f"-:{b.id}" and single.short_key(3) == f"-:{b.id[:3]}"
    record = c.to_dict()
    assert record["kind"] == "boundaries_differ" and record["a"]["id"] == a.id and record["b"]["start"] == 3


def test_comparison_of_a_given_pair():
    assert comparison_of(span(0, 5), span(0, 5, who="b")).kind == "agreed"
    assert comparison_of(span(0, 5), span(0, 5, "SOURCE", "b")).kind == "label_differs"
    assert comparison_of(span(0, 5), span(2, 7, who="b")).kind == "boundaries_differ"
    assert comparison_of(span(0, 5), span(2, 7, "SOURCE", "b")).kind == "overlap_label_differs"
    assert comparison_of(None, span(2, 7, who="b")).kind == "only_b"
    with pytest.raises(ValidationError, match="share no character"):
        comparison_of(span(0, 5), span(5, 7, who="b"))


def test_compare_article_reads_live_annotations(store):
    from .conftest import add, article

    art = article("Kim met Putin in Moscow today.")
    support.add_article(store, art)
    add(store, art, "Kim", "SOURCE", "ana")
    gone = add(store, art, "Putin", "SOURCE", "ana")
    support.delete(store, gone.id)
    add(store, art, "Kim", "SOURCE", "ben")
    assert [c.kind for c in compare_article(store, art.id, "ana", "ben")] == ["agreed"]


spans_strategy = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from(["CLAIM", "SOURCE"])), max_size=12
)


@settings(max_examples=300, deadline=None)
@given(spans_strategy, spans_strategy)
def test_every_span_is_in_exactly_one_comparison(raw_a, raw_b):
    a = [span(s, s + n, label, "a") for s, n, label in raw_a]
    b = [span(s, s + n, label, "b") for s, n, label in raw_b]
    result = compare(a, b)
    assert sorted(c.a.id for c in result if c.a) == sorted(x.id for x in a)
    assert sorted(c.b.id for c in result if c.b) == sorted(x.id for x in b)
    for c in result:
        assert c.kind in KINDS
        if c.a and c.b:
            assert c.overlap > 0
            assert comparison_of(c.a, c.b).kind == c.kind
    # Nothing left alone could have been paired: a single of A overlaps no single of B.
    only_a = [c.a for c in result if c.kind == "only_a"]
    only_b = [c.b for c in result if c.kind == "only_b"]
    assert not any(min(x.end, y.end) > max(x.start, y.start) for x in only_a for y in only_b)
    # Positions are in order.
    assert [(c.start, c.end) for c in result] == sorted((c.start, c.end) for c in result)
