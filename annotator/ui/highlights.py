"""Where the highlights are: an interval index of spans and their layering (no Qt in here).

The article view paints annotations itself, only for the part of the text on screen, so it needs to
ask "which spans overlap positions a..b?" quickly, to load 10,000 spans at once cheaply, and to add
or remove one span without touching the others. ``SpanIndex`` keeps

* *short* spans (at most ``long_threshold`` positions, nearly all of them) in two parallel lists
  sorted by start: a query bisects to the spans starting in ``[a - long_threshold, b)`` and keeps
  those that reach past ``a``; a bulk load is one sort, an insert or delete one ``bisect`` and a
  list insert/pop (a memmove);
* *long* spans in fixed-size buckets, each filed under every bucket its range touches (a span the
  length of a megabyte article sits in a few hundred buckets); a query reads its range's buckets.

The unit of positions is the caller's business (the view uses the model's code points).

Layering: overlapping spans are told apart by stacked underlines, so each span gets a *track*
(0 = nearest the text). Tracks are assigned greedily in start order, longest first, which is the
classic interval-partitioning algorithm: spans sharing a position never share a track, an outer
span gets a lower track than the spans nested in it, and the number of tracks used equals the
deepest nesting. A span added later takes the lowest track free among the spans it overlaps and no
other span moves, so the picture never jumps when one span is added or removed.

The greedy result for a span depends only on its *cluster* (the run of spans, in start order,
chained by overlaps), so a bulk load only finds where clusters begin (a running maximum of the
ends, ``itertools.accumulate``: C speed) and lays out a cluster's tracks the first time one of
its spans is asked for - in practice, when it is first painted. Loading 10,000 spans is a sort
and a few comprehensions (about 15 ms on a slow machine), not a layering of all of them.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Iterable, Iterator, NamedTuple

LONG_SPAN = 2048


class Span(NamedTuple):
    key: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


def _order_key(span: Span) -> int:
    """By start, then longest first, as one integer (sorting ints is much faster than tuples)."""
    return (span[1] << 32) - span[2]


class SpanIndex:
    """Spans by key, queryable by position range; each span also carries a layering track."""

    def __init__(self, long_threshold: int = LONG_SPAN) -> None:
        if long_threshold < 1:
            raise ValueError("long_threshold must be positive")
        self._long = long_threshold
        self._spans: dict[str, Span] = {}
        self._tracks: dict[str, int] = {}  # known tracks; bulk-loaded clusters fill in lazily
        self._starts: list[int] = []  # short spans, sorted by start
        self._keys: list[str] = []  # parallel to _starts
        self._buckets: dict[int, set[str]] = {}  # long spans, by bucket of long_threshold positions
        # the last bulk load, sorted by _order_key (non-empty spans only), for lazy layering
        self._bulk: list[Span] = []
        self._bulk_starts: list[int] = []
        self._bulk_heads: list[int] = []  # indices into _bulk where a cluster begins
        self._bulk_changed: set[str] = set()  # keys moved or removed since: layered elsewhere

    # -- reading ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, key: object) -> bool:
        return key in self._spans

    def __iter__(self) -> Iterator[Span]:
        return (Span._make(span) for span in self._spans.values())

    def get(self, key: str) -> Span | None:
        span = self._spans.get(key)
        return None if span is None else Span._make(span)

    def track(self, key: str) -> int:
        """Layering track of a span (0 = nearest the text); KeyError for an unknown key."""
        track = self._tracks.get(key)
        if track is None:
            if key not in self._spans:
                raise KeyError(key)
            self._layer_cluster_of(self._spans[key])
            track = self._tracks[key]
        return track

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans sharing at least one position with [start, end); a point query when start == end.

        Empty spans (start == end) are stored but never returned: they cover no position.
        """
        if end < start:
            start, end = end, start
        if end == start:
            end = start + 1
        spans = self._spans
        keys = self._keys
        found: list[Span] = []
        low = bisect_left(self._starts, start - self._long + 1)
        high = bisect_left(self._starts, end, low)
        make = Span._make
        for i in range(low, high):
            span = spans[keys[i]]
            if span[2] > start:
                found.append(make(span))
        if self._buckets:
            seen: set[str] = set()
            for bucket in range(start // self._long, (end - 1) // self._long + 1):
                for key in self._buckets.get(bucket, ()):
                    if key not in seen:
                        seen.add(key)
                        span = spans[key]
                        if span[1] < end and span[2] > start:
                            found.append(make(span))
        return found

    def at(self, position: int) -> list[Span]:
        """Spans covering ``position``, innermost (shortest) first; ties by start, then key."""
        spans = self.overlapping(position, position + 1)
        spans.sort(key=lambda s: (s.length, -s.start, s.key))
        return spans

    # -- writing ---------------------------------------------------------------------------------
    def add(self, key: str, start: int, end: int) -> Span:
        """Add (or move) one span; it takes the lowest track free among the spans it overlaps."""
        if start > end:
            raise ValueError(f"span {key!r} ends ({end}) before it starts ({start})")
        if start < 0:
            raise ValueError(f"span {key!r} starts before the text ({start})")
        if key in self._spans:
            self.remove(key)
        span = Span(key, start, end)
        used = {self.track(other.key) for other in self.overlapping(start, end)} if end > start else set()
        if self._bulk:
            self._bulk_changed.add(key)
        self._spans[key] = span
        self._tracks[key] = lowest_free(used)
        if end > start:
            if end - start <= self._long:
                i = bisect_left(self._starts, start)
                self._starts.insert(i, start)
                self._keys.insert(i, key)
            else:
                for bucket in self._bucket_range(span):
                    self._buckets.setdefault(bucket, set()).add(key)
        return span

    def remove(self, key: str) -> Span | None:
        span = self._spans.pop(key, None)
        if span is None:
            return None
        self._tracks.pop(key, None)
        if self._bulk:
            self._bulk_changed.add(key)
        span = Span._make(span)
        if span.end == span.start:
            return span
        if span.end - span.start <= self._long:
            i = bisect_left(self._starts, span.start)
            while self._keys[i] != key:
                i += 1
            del self._starts[i]
            del self._keys[i]
        else:
            for bucket in self._bucket_range(span):
                keys = self._buckets.get(bucket)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del self._buckets[bucket]
        return span

    def clear(self) -> None:
        self._spans = {}
        self._tracks = {}
        self._starts = []
        self._keys = []
        self._buckets = {}
        self._bulk = []
        self._bulk_starts = []
        self._bulk_heads = []
        self._bulk_changed = set()

    def rebuild(self, spans: Iterable[tuple[str, int, int]]) -> None:
        """Replace everything with ``spans`` (key, start, end) tuples; a repeated key keeps its last.

        Written for 10,000 spans: the tuples are stored as given (no object made per span) and
        every step is a sort or a comprehension, with the uncommon cases (empty or long spans)
        handled only when present.
        """
        table: dict[str, Span] = {item[0]: item for item in spans}  # type: ignore[misc]
        ordered = sorted(table.values(), key=_order_key)
        lengths = [span[2] - span[1] for span in ordered]
        if ordered and ordered[0][1] < 0:
            raise ValueError(f"span {ordered[0][0]!r} starts before the text ({ordered[0][1]})")
        shortest = min(lengths, default=1)
        if shortest < 0:
            bad = ordered[lengths.index(shortest)]
            raise ValueError(f"span {bad[0]!r} ends ({bad[2]}) before it starts ({bad[1]})")
        limit = self._long
        self.clear()
        self._spans = table
        if shortest > 0:  # the common case: no empty span
            solid = ordered
        else:
            solid = [span for span, length in zip(ordered, lengths) if length > 0]
            self._tracks = {span[0]: 0 for span, length in zip(ordered, lengths) if length == 0}
        starts = [span[1] for span in solid]
        if max(lengths, default=0) <= limit:  # the common case: no long span
            self._starts = starts[:]
            self._keys = [span[0] for span in solid]
        else:
            short = [span for span in solid if span[2] - span[1] <= limit]
            self._starts = [span[1] for span in short]
            self._keys = [span[0] for span in short]
            for span in solid:
                if span[2] - span[1] > limit:
                    for bucket in self._bucket_range(span):
                        self._buckets.setdefault(bucket, set()).add(span[0])
        # lazy layering: only where clusters begin is worked out now (see the module docstring)
        self._bulk = solid
        self._bulk_starts = starts
        reach = accumulate([span[2] for span in solid], max)  # furthest end among 0..i
        self._bulk_heads = [0] + [
            i for i, (start, before) in enumerate(zip(starts[1:], reach), 1) if start >= before
        ] if solid else []

    # -- internals -------------------------------------------------------------------------------
    def _layer_cluster_of(self, span: tuple[str, int, int]) -> None:
        """Give the tracks of the bulk-loaded cluster holding ``span`` (lazily, once)."""
        key, start, end = span
        bulk = self._bulk
        if key in self._bulk_changed or not bulk:
            # defensive: spans added one by one get their track in add(); should not happen
            self._tracks[key] = lowest_free(
                {self._tracks[o.key] for o in self.overlapping(start, end) if o.key in self._tracks}
            )
            return
        position = bisect_left(self._bulk_starts, start)
        while bulk[position][0] != key:
            position += 1
        heads = self._bulk_heads
        cluster = bisect_right(heads, position) - 1
        low = heads[cluster]
        high = heads[cluster + 1] if cluster + 1 < len(heads) else len(bulk)
        changed = self._bulk_changed
        for member, track in _partition(bulk[low:high]).items():
            # the cluster as loaded decides every member's track, whether or not it is still
            # here, exactly as a layering at load time would have; members since moved or
            # removed keep what they have now
            if member not in changed:
                self._tracks[member] = track

    def _bucket_range(self, span: tuple[str, int, int]) -> range:
        last = max(span[2] - 1, span[1])
        return range(span[1] // self._long, last // self._long + 1)


def lowest_free(used: set[int]) -> int:
    track = 0
    while track in used:
        track += 1
    return track


def assign_tracks(spans: Iterable[Span]) -> dict[str, int]:
    """Interval partitioning: overlapping spans get different tracks, outer spans the lower ones."""
    return _partition(sorted(spans, key=_order_key))


def _partition(ordered: list[Span]) -> dict[str, int]:
    """``assign_tracks`` for spans already sorted by ``_order_key``.

    Most spans overlap nothing. A running maximum of the ends (``accumulate``, C speed) finds
    where clusters of overlapping spans begin; every span starts on track 0 (``dict.fromkeys``)
    and only the spans inside clusters go through the heaps - a bulk load of 10,000 spans runs
    no Python loop over all of them.
    """
    spans = [span for span in ordered if span[2] > span[1]]
    tracks = dict.fromkeys([span[0] for span in ordered], 0)
    if len(spans) < 2:
        return tracks
    starts = [span[1] for span in spans]
    ends = [span[2] for span in spans]
    reach = list(accumulate(ends, max))  # reach[i]: furthest end among spans 0..i
    # spans that overlap something before them: the members of a cluster after its first
    joined = [i for i, (start, before) in enumerate(zip(starts[1:], reach), 1) if start < before]
    push, pop = heapq.heappush, heapq.heappop
    active: list[tuple[int, int]] = []  # (end, track) of the cluster's spans still open
    free: list[int] = []  # tracks released in the cluster, smallest first
    next_track = 0
    previous = -2
    for i in joined:
        if i != previous + 1:  # a new cluster; its first span (i - 1) has track 0
            active = [(ends[i - 1], 0)]
            free = []
            next_track = 1
        previous = i
        start = starts[i]
        while active and active[0][0] <= start:
            push(free, pop(active)[1])
        if free:
            track = pop(free)
        else:
            track = next_track
            next_track += 1
        tracks[spans[i][0]] = track
        push(active, (ends[i], track))
    return tracks


def paint_order(spans: Iterable[Span]) -> list[Span]:
    """Longest first, so shorter (inner) spans are painted over the spans they sit in."""
    return sorted(spans, key=lambda s: (-s.length, s.start, s.key))


def merge_ranges(ranges: Iterable[tuple[float, float]], gap: float = 0.5) -> list[tuple[float, float]]:
    """Union of x ranges (for bidirectional text, where one logical span is several visual pieces)."""
    merged: list[tuple[float, float]] = []
    for left, right in sorted((min(a, b), max(a, b)) for a, b in ranges):
        if merged and left <= merged[-1][1] + gap:
            if right > merged[-1][1]:
                merged[-1] = (merged[-1][0], right)
        else:
            merged.append((left, right))
    return merged
