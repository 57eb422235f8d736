"""The span index and overlap layering behind the article view's highlights (no Qt needed)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.ui.highlights import Span, SpanIndex, assign_tracks, merge_ranges, paint_order


def brute_overlapping(spans: dict[str, tuple[int, int]], start: int, end: int) -> set[str]:
    if end == start:
        end = start + 1
    return {key for key, (s, e) in spans.items() if s < end and e > start and e > s}


def test_point_and_range_queries() -> None:
    index = SpanIndex()
    index.add("a", 0, 10)
    index.add("b", 5, 8)
    index.add("c", 10, 12)
    assert {s.key for s in index.overlapping(0, 5)} == {"a"}
    assert {s.key for s in index.overlapping(7, 11)} == {"a", "b", "c"}
    assert [s.key for s in index.at(6)] == ["b", "a"]  # innermost first
    assert [s.key for s in index.at(10)] == ["c"]  # end is exclusive
    assert index.at(12) == []
    assert len(index) == 3 and "b" in index


def test_add_remove_and_move() -> None:
    index = SpanIndex()
    index.add("a", 3, 9)
    assert index.get("a") == Span("a", 3, 9)
    index.add("a", 20, 25)  # same key: moved, not duplicated
    assert index.at(4) == [] and [s.key for s in index.at(21)] == ["a"]
    assert index.remove("a") == Span("a", 20, 25)
    assert index.remove("a") is None
    assert len(index) == 0 and index.overlapping(0, 100) == []


def test_empty_span_is_kept_but_covers_nothing() -> None:
    index = SpanIndex()
    index.add("z", 4, 4)
    assert "z" in index and index.at(4) == [] and index.overlapping(0, 10) == []
    index.remove("z")
    assert "z" not in index


def test_bad_bounds_are_refused() -> None:
    index = SpanIndex()
    with pytest.raises(ValueError):
        index.add("x", 5, 3)
    with pytest.raises(ValueError):
        index.add("x", -1, 3)
    with pytest.raises(ValueError):
        index.rebuild([("x", 5, 3)])


def test_long_spans_live_in_buckets_and_are_found() -> None:
    index = SpanIndex(long_threshold=16)
    index.add("long", 5, 500)
    index.add("short", 100, 110)
    assert {s.key for s in index.overlapping(300, 301)} == {"long"}
    assert [s.key for s in index.at(105)] == ["short", "long"]
    index.remove("long")
    assert index.overlapping(300, 301) == []


def test_tracks_nested_spans_go_deeper_and_overlaps_never_share() -> None:
    index = SpanIndex()
    index.rebuild([("outer", 0, 100), ("inner", 10, 20), ("innermost", 12, 15), ("later", 50, 60)])
    assert index.track("outer") == 0
    assert index.track("inner") == 1
    assert index.track("innermost") == 2
    assert index.track("later") == 1  # track 1 is free again after "inner" ended


def test_incremental_add_takes_lowest_free_track_and_moves_nothing() -> None:
    index = SpanIndex()
    index.rebuild([("a", 0, 10), ("b", 5, 15)])
    before = {"a": index.track("a"), "b": index.track("b")}
    index.add("c", 12, 20)  # overlaps b (track 1) only
    assert index.track("c") == 0
    assert {"a": index.track("a"), "b": index.track("b")} == before
    index.add("d", 0, 20)  # overlaps all
    assert index.track("d") == 2


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 80)), max_size=40),
    st.integers(1, 64),
)
def test_queries_match_brute_force_and_tracks_are_a_valid_layering(raw, threshold) -> None:
    spans = {f"s{i}": (start, start + length) for i, (start, length) in enumerate(raw)}
    bulk = SpanIndex(long_threshold=threshold)
    bulk.rebuild([(key, s, e) for key, (s, e) in spans.items()])
    incremental = SpanIndex(long_threshold=threshold)
    for key, (s, e) in spans.items():
        incremental.add(key, s, e)
    for index in (bulk, incremental):
        for start in range(0, 400, 7):
            for width in (0, 1, 13, 90):
                got = {s.key for s in index.overlapping(start, start + width)}
                assert got == brute_overlapping(spans, start, start + width)
        for a, (s1, e1) in spans.items():
            for b, (s2, e2) in spans.items():
                if a < b and s1 < e2 and s2 < e1 and s1 < e1 and s2 < e2:
                    assert index.track(a) != index.track(b)
    # bulk layering is optimal: tracks used == deepest overlap
    if spans:
        depth = max(
            sum(1 for s, e in spans.values() if s <= p < e) for p in range(0, 400)
        )
        used = {bulk.track(k) for k, (s, e) in spans.items() if e > s}
        assert len(used) == depth
    # removing everything leaves nothing behind
    for key in list(spans):
        incremental.remove(key)
    assert len(incremental) == 0 and incremental.overlapping(0, 1000) == []


def test_assign_tracks_and_paint_order() -> None:
    spans = [Span("a", 0, 10), Span("b", 2, 4), Span("c", 2, 8)]
    tracks = assign_tracks(spans)
    assert tracks == {"a": 0, "c": 1, "b": 2}
    assert [s.key for s in paint_order(spans)] == ["a", "c", "b"]  # longest first: inner on top


def test_merge_ranges() -> None:
    assert merge_ranges([(5, 3), (0, 1), (3.2, 4), (10, 12)]) == [(0, 1), (3, 5), (10, 12)]
    assert merge_ranges([]) == []


def test_many_spans_bulk_load() -> None:
    rng = random.Random(3)
    spans = []
    for i in range(10_000):
        start = rng.randrange(1_000_000)
        spans.append((f"k{i}", start, start + rng.randint(1, 200)))
    index = SpanIndex()
    index.rebuild(spans)
    assert len(index) == 10_000
    key, start, end = spans[1234]
    assert key in {s.key for s in index.at(start)}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), min_size=1, max_size=30),
    st.lists(st.tuples(st.booleans(), st.integers(0, 29), st.integers(0, 200), st.integers(1, 60)), max_size=20),
    st.lists(st.integers(0, 29), max_size=10),
)
def test_lazy_layering_stays_valid_through_edits(raw, edits, early) -> None:
    """Bulk load (tracks computed lazily per cluster), then moves/removals/adds in any order."""
    index = SpanIndex(long_threshold=32)
    spans = {f"s{i}": (start, start + length) for i, (start, length) in enumerate(raw)}
    index.rebuild([(k, s, e) for k, (s, e) in spans.items()])
    for i in early:  # some clusters get layered before the edits, others after
        key = f"s{i % len(raw)}"
        if key in index:
            index.track(key)
    for remove, i, start, length in edits:
        key = f"s{i}" if i < len(raw) else f"n{i}"
        if remove:
            index.remove(key)
            spans.pop(key, None)
        else:
            index.add(key, start, start + length)
            spans[key] = (start, start + length)
    live = [(k, s, e) for k, (s, e) in spans.items() if e > s]
    for a, s1, e1 in live:
        for b, s2, e2 in live:
            if a < b and s1 < e2 and s2 < e1:
                assert index.track(a) != index.track(b), (a, b)
