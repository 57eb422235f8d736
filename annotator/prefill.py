"""Attributes filled in from the text when an annotation is made (the CLI's `add` and the GUI's tag).

Today one rule: a label with a text attribute named ``credit`` (the default schema's CAPTION) gets
the photo credit when the span contains one (``credits.photo_credit``: the span overlaps a
``credit`` block, or its text ends with a parenthesised credit such as "(AP Photo/Ahn Young-joon)").
The credit is stored without its parentheses. An attribute given explicitly is never overwritten.
"""

from __future__ import annotations

from .credits import clean_credit, photo_credit
from .model import Article
from .schema import LabelSchema

CREDIT_ATTRIBUTE = "credit"

__all__ = ["CREDIT_ATTRIBUTE", "clean_credit", "photo_credit", "prefill_attributes", "wants_credit"]


def wants_credit(schema: LabelSchema, label: str, attributes: dict[str, object] | None) -> bool:
    """Whether a new `label` span would be given the text's photo credit (it reads the blocks)."""
    if label not in schema.names:
        return False
    spec = schema.label(label).attribute(CREDIT_ATTRIBUTE)
    given = (attributes or {}).get(CREDIT_ATTRIBUTE, "")
    return spec is not None and spec.type == "text" and not str(given or "").strip()


def prefill_attributes(
    schema: LabelSchema, article: Article, start: int, end: int, label: str, attributes: dict[str, object] | None
) -> dict[str, object]:
    """``attributes`` plus what the text gives (see the module's rules); the input is not changed."""
    filled = dict(attributes or {})
    if not wants_credit(schema, label, filled):
        return filled
    credit = photo_credit(article, start, end)
    if credit:
        filled[CREDIT_ATTRIBUTE] = credit
    return filled
