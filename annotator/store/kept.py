"""A small least-recently-used cache by total weight (the store keeps article texts and blocks in it)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """Values by key up to a total weight, the least recently used dropped first (the newest is
    always kept, however heavy)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: OrderedDict[str, tuple[V, int]] = OrderedDict()
        self._weight = 0

    def get(self, key: str) -> V | None:
        found = self._values.get(key)
        if found is None:
            return None
        self._values.move_to_end(key)
        return found[0]

    def put(self, key: str, value: V, weight: int) -> V:
        old = self._values.pop(key, None)
        if old is not None:
            self._weight -= old[1]
        self._values[key] = (value, weight)
        self._weight += weight
        while self._weight > self.limit and len(self._values) > 1:
            _, (_, dropped) = self._values.popitem(last=False)
            self._weight -= dropped
        return value
