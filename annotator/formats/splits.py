"""Dataset splits decided by the article alone, so that an article keeps its split as the corpus grows.

An article's place is a number in [0, 1): the first 8 bytes of BLAKE2b (digest size 8) of the
UTF-8 text ``f"{seed}\\x1f{article_id}"``, read as a big-endian unsigned integer and divided by
2**64. The splits, in the order given, take consecutive stretches of [0, 1) as long as their
fractions: with ``train=0.8,dev=0.1,test=0.1`` an article at 0.83 is in ``dev``. The place depends
on nothing but the seed and the article's id (a content hash, the same on every machine), so
adding or removing other articles never moves an article to another split; changing the
fractions moves only the articles between the old and the new boundaries; another seed draws a
new split. Anyone can recompute it, in any language, from the two strings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..errors import ValidationError

SPLIT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")  # also a safe file name prefix
TOLERANCE = 1e-9
DEFAULT_SEED = "0"


def split_point(seed: str, article_id: str) -> float:
    """The article's place in [0, 1) (see the module docstring)."""
    digest = hashlib.blake2b(f"{seed}\x1f{article_id}".encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(frozen=True)
class Splits:
    names: tuple[str, ...]
    fractions: tuple[float, ...]
    seed: str = DEFAULT_SEED

    def of(self, article_id: str) -> str:
        """The split of an article."""
        if len(self.names) == 1:
            return self.names[0]
        point = split_point(self.seed, article_id)
        bound = 0.0
        for name, fraction in zip(self.names[:-1], self.fractions[:-1]):
            bound += fraction
            if point < bound:
                return name
        return self.names[-1]

    def describe(self) -> str:
        return ",".join(f"{name}={fraction:g}" for name, fraction in zip(self.names, self.fractions))


def parse_splits(text: str | None, seed: str | int | None = None) -> Splits:
    """``"train=0.8,dev=0.1,test=0.1"`` as Splits; None or "" gives one split, ``train``.

    Each mistake gets its own message: a part that is not NAME=FRACTION, a name that is not a word,
    a name given twice, a fraction that is not a number in (0, 1], fractions that do not add up to 1.
    """
    seed_text = DEFAULT_SEED if seed is None else str(seed)
    if text is None or not text.strip():
        return Splits(("train",), (1.0,), seed_text)
    names: list[str] = []
    fractions: list[float] = []
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ValidationError(f"--split: {part.strip()!r} is not NAME=FRACTION (e.g. train=0.8,dev=0.1,test=0.1)")
        if not SPLIT_NAME.match(name):
            raise ValidationError(f"--split: {name!r} is not a split name (letters, digits and _, starting with a letter)")
        if name in names:
            raise ValidationError(f"--split: {name} is named twice")
        try:
            fraction = float(value)
        except ValueError:
            raise ValidationError(f"--split: the fraction of {name} is {value!r}, not a number") from None
        if not 0 < fraction <= 1:
            raise ValidationError(f"--split: the fraction of {name} must be above 0 and at most 1; got {value}")
        names.append(name)
        fractions.append(fraction)
    total = sum(fractions)
    if abs(total - 1) > TOLERANCE:
        raise ValidationError(f"--split: the fractions add up to {total:g}, not 1 ({text.strip()})")
    return Splits(tuple(names), tuple(fractions), seed_text)
