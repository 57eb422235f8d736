"""Text helpers of the HTML importer: clean a text for a block, and its key for locating it on the page."""

from __future__ import annotations

import re

# Whitespace runs become one space; a lone no-break space between words is kept as it is.
_SPACES = re.compile(r"\s{2,}|[^\S\xa0]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\ufeff]")
_FILE_NAME = re.compile(r"[\w\-]+\.(?:jpe?g|png|gif|webp|svg|avif)", re.I)
_ONE_LOWER_WORD = re.compile(r"[a-z_\-]+\d*")


def clean(text: str) -> str:
    """One line of text: controls and zero-width characters out, whitespace runs one space."""
    text = _CONTROLS.sub("", text)
    return _SPACES.sub(" ", text).strip(" \xa0")


def flat_key(text: str) -> str:
    """The text without any whitespace, casefolded: how a text is found in the page's flat key."""
    return "".join(text.split()).casefold()


def same(a: str, b: str) -> bool:
    """Two keys for the same text: equal, or one most of the other (a title cut short with "…")."""
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 0.6 * len(longer) and (longer.startswith(shorter.rstrip(".…")) or shorter in longer)


def looks_like_file_name(text: str) -> bool:
    """Alt text that says nothing: a file name, or one lower-case word ("preload", "image", "icon")."""
    if "." in text:
        return _FILE_NAME.fullmatch(text) is not None
    return _ONE_LOWER_WORD.fullmatch(text) is not None
