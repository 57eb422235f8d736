"""The `captions` suggester: caption blocks (and the photo credit printed with them) as CAPTION
spans, the credit in the `credit` attribute.

- A ``caption`` block, with the ``credit`` block right after it when there is one: one span from
  the caption's first character to the credit's last, closing bracket included ("... Russia.
  (Mikhail Svetlov/Getty Images)"); ``credit`` is the credit without its brackets.
- A caption block whose own text ends in a credit ("... in Kyiv. Photo: Jane Doe/Reuters."): the
  whole block but its final full stop; the credit attribute is that tail (annotator/credits.py's
  rules).
- A caption without a credit: its text without the final full stop.
- A ``credit`` block with no caption before it ("Photo: AP" under a picture): a CAPTION whose
  credit is the whole span.

Image alt lines (``image_alt`` blocks) are never captions: they are markup.
"""

from __future__ import annotations

from ..credits import clean_credit, split_credit
from ..model import Block
from .proposal import Proposals, SpanProposal
from .registry import SuggestInput, register

NAME = "captions"
VERSION = "1"
LABEL = "CAPTION"
CREDIT = "credit"


class CaptionsSuggester:
    name = NAME
    version = VERSION

    def suggest(self, source: SuggestInput) -> Proposals:
        found = Proposals()
        if LABEL not in source.schema.names:
            return found
        spec = source.schema.label(LABEL).attribute(CREDIT)
        wants_credit = spec is not None and spec.type == "text"
        text = source.text
        blocks = sorted(source.blocks, key=lambda b: (b.start, b.end))
        used: set[int] = set()
        for n, block in enumerate(blocks):
            if block.kind not in ("caption", "credit") or n in used or block.end <= block.start:
                continue
            credit = ""
            if block.kind == "caption":
                start, end = block.start, block.end
                following = _credit_after(text, blocks, n)
                if following is not None:
                    used.add(following)
                    end = blocks[following].end
                    credit = clean_credit(text[blocks[following].start : end]).rstrip(".")
                    while end > start and text[end - 1] in ". ":  # "Image: Twitter/NASA." (a bracket stays)
                        end -= 1
                else:
                    body, tail = split_credit(text[start:end])
                    credit = clean_credit(tail).rstrip(".") if tail else ""
                    while end > start and text[end - 1] in ". ":  # the final full stop stays out
                        end -= 1
                confidence = 0.95
            else:
                start, end = block.start, block.end
                credit = clean_credit(text[start:end])
                confidence = 0.8
            attributes = {CREDIT: credit} if credit and wants_credit else {}
            if end > start:
                found.spans.append(SpanProposal(start, end, LABEL, confidence, NAME, VERSION, attributes))
        return found


def _credit_after(text: str, blocks: list[Block], n: int) -> int | None:
    """The index of the credit block printed right after caption ``n`` (only whitespace between)."""
    if n + 1 >= len(blocks):
        return None
    nxt = blocks[n + 1]
    if nxt.kind != "credit" or text[blocks[n].end : nxt.start].strip():
        return None
    return n + 1


register(CaptionsSuggester())
