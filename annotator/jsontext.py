"""JSON text made fast where there is a lot of it: the journal's row images of a bulk import and
the records of an export, encoded with orjson (several times faster than the standard library)
when it is installed, else with `json`; and the JSON columns of stored rows decoded likewise.

The text is compact (no spaces after , and :), UTF-8 characters are not escaped, and it decodes to
the same value as the standard library's. What orjson refuses (an integer beyond 64 bits, a key that
is not a string, a lone surrogate) goes to `json`, which writes it as before or raises as before.
"""

from __future__ import annotations

import json

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the standard library does the same work
    orjson = None  # type: ignore[assignment]

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps_bytes(value: object) -> bytes:
    """Compact JSON of `value` as UTF-8 bytes."""
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            pass
    return _COMPACT(value).encode("utf-8")


def dumps(value: object) -> str:
    """Compact JSON of `value` as text."""
    if orjson is not None:
        try:
            return orjson.dumps(value).decode("utf-8")
        except TypeError:
            pass
    return _COMPACT(value)


def loads(text: str) -> object:
    """`json.loads(text)`, by orjson when it can read it (what it refuses, `json` decides)."""
    if orjson is not None:
        try:
            return orjson.loads(text)
        except ValueError:  # orjson.JSONDecodeError; also NaN, integers beyond 64 bits: json reads those
            pass
    return json.loads(text)
