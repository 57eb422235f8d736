"""Identifiers and timestamps the project writes.

Annotation, relation and decision ids are random UUIDs (version 4): unique across machines, so a
colleague's set merges without collisions. Journal entries get UUIDv7 ids, whose first 48 bits are
the Unix time in milliseconds, so ids sort by time across machines; within one process they also
strictly increase (a counter breaks ties inside one millisecond).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import datetime, timezone

_lock = threading.Lock()
_last = [0, 0]  # [milliseconds, sequence] of the last UUIDv7 made here


def now() -> str:
    """The current UTC time as the project writes it: ISO 8601 with milliseconds and a Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    """A random UUID for an annotation, relation or decision."""
    return str(uuid.uuid4())


_sha1 = None  # hashlib.sha1, bound on first use: loading OpenSSL is a noticeable part of `annotator list`'s start


def name_uuid(namespace: bytes, name: str) -> str:
    """`str(uuid.uuid5(uuid.UUID(bytes=namespace), name))`, written out without the UUID object: an
    import makes one per span (stable ids), and this takes about half the time."""
    global _sha1
    if _sha1 is None:
        import hashlib

        _sha1 = hashlib.sha1
    raw = bytearray(_sha1(namespace + name.encode("utf-8")).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_op_id() -> str:
    """A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, 12 bits of sequence, 62 random bits."""
    with _lock:
        millis = time.time_ns() // 1_000_000
        if millis <= _last[0]:
            millis, sequence = _last[0], _last[1] + 1
            if sequence > 0xFFF:  # 4096 ids in one millisecond: borrow the next millisecond
                millis, sequence = millis + 1, 0
        else:
            sequence = 0
        _last[0], _last[1] = millis, sequence
    tail = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (millis << 80) | (0x7 << 76) | (sequence << 64) | (0b10 << 62) | tail
    return str(uuid.UUID(int=value))


