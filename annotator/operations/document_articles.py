"""How a document of an annotation file becomes an article: its text as the project stores it,
its metadata, its blocks, its timestamps in the project's form, and the key that matches a text
rebuilt from tokens (import_annotation_set's helpers, Qt-free and without the store)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime, timezone

from ..formats.reading import DocumentRecord
from ..model import ARTICLE_STATUSES, BLOCK_KINDS

_BREAKS = ("\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_OUR_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def canonical_text(text: str) -> str:
    """The text as the project stores it: NFC, every kind of line break as one \\n."""
    for brk in _BREAKS:
        text = text.replace(brk, "\n")
    return unicodedata.normalize("NFC", text)


def normalise_timestamp(value: str) -> str:
    """An ISO 8601 timestamp as the project writes them (UTC, milliseconds, Z), or "" if unreadable."""
    if not value:
        return ""
    if _OUR_TIMESTAMP.match(value):
        return value
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    except (ValueError, OverflowError):  # not a date, or one that leaves the calendar in UTC (year 0)
        return ""


_TEXT_FIELDS = ("title", "url", "outlet", "published", "section", "language", "source_file", "imported_at", "note")


def characters_key(text: str) -> str:
    """A digest of the characters of a text between its whitespace (how a token file is matched)."""
    return hashlib.sha1("".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def article_metadata(raw: dict) -> dict[str, object]:
    metadata: dict[str, object] = {}
    for key in _TEXT_FIELDS:
        value = raw.get(key)
        if isinstance(value, str):
            metadata[key] = unicodedata.normalize("NFC", value)
    authors = raw.get("authors")
    if isinstance(authors, list) and all(isinstance(a, str) for a in authors):
        metadata["authors"] = list(authors)
    status = raw.get("status")
    if status in ARTICLE_STATUSES:
        metadata["status"] = status
    return metadata


def document_blocks(doc: DocumentRecord, text: str) -> list[tuple[str, int, int]]:
    """The file's blocks when they fit the text exactly, else one paragraph per line."""
    if doc.blocks and doc.text == text:
        position, ok = 0, True
        for kind, start, end in doc.blocks:
            if kind not in BLOCK_KINDS or start != position or end < start or "\n" in text[start:end]:
                ok = False
                break
            position = end + 1
        if ok and position == len(text) + 1:
            return list(doc.blocks)
    blocks, position = [], 0
    for line in text.split("\n"):
        blocks.append(("paragraph", position, position + len(line)))
        position += len(line) + 1
    return blocks
