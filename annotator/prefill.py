"""Attributes filled in from the text when an annotation is made (the CLI's `add` and the GUI's tag).

Today one rule: a label with a text attribute named ``credit`` (the default schema's CAPTION) gets
the photo credit when the span contains one, that is

* the span overlaps a ``credit`` block (the importer splits "(Mikhail Svetlov/Getty Images)" off
  the caption): the credit is that block's text; or
* the span's text ends with a parenthesised credit, "… in Vladivostok, Russia. (AP Photo/Ahn
  Young-joon)": the credit is what is inside the last parentheses (unless it is only a position
  word such as "(left)" or has no letters, like "(2019)").

The credit is stored without its parentheses. An attribute given explicitly is never overwritten.
"""

from __future__ import annotations

import re

from .model import Article
from .schema import LabelSchema

CREDIT_ATTRIBUTE = "credit"
_TRAILING = re.compile(r"\(([^()]*)\)[\s.,;:]*$")
_NOT_CREDITS = {"left", "right", "center", "centre", "top", "bottom", "pictured", "file", "l", "r", "c",
                "front", "back", "above", "below", "inset", "from left", "l-r", "left to right"}


def clean_credit(text: str) -> str:
    """A credit without surrounding space or parentheses: "(Mikhail Svetlov/Getty Images)" -> the name."""
    text = " ".join(text.split())
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def photo_credit(article: Article, start: int, end: int) -> str | None:
    """The photo credit contained in ``article.text[start:end]``, or None."""
    for block in article.blocks:
        if block.kind == "credit" and block.start < end and block.end > start and block.end > block.start:
            credit = clean_credit(article.block_text(block))
            if credit:
                return credit
    match = _TRAILING.search(article.text[start:end])
    if match:
        inner = " ".join(match.group(1).split())
        if any(ch.isalpha() for ch in inner) and inner.casefold() not in _NOT_CREDITS:
            return inner
    return None


def prefill_attributes(
    schema: LabelSchema, article: Article, start: int, end: int, label: str, attributes: dict[str, object] | None
) -> dict[str, object]:
    """``attributes`` plus what the text gives (see the module's rules); the input is not changed."""
    filled = dict(attributes or {})
    if label not in schema.names:
        return filled
    spec = schema.label(label).attribute(CREDIT_ATTRIBUTE)
    if spec is None or spec.type != "text" or str(filled.get(CREDIT_ATTRIBUTE, "") or "").strip():
        return filled
    credit = photo_credit(article, start, end)
    if credit:
        filled[CREDIT_ATTRIBUTE] = credit
    return filled
