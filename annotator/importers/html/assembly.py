"""Pieces (trafilatura's text) and the page map (figures, lead, byline) into typed blocks in page order.

Each extracted piece is located in the page's flat key by its own key (searching forward from the
previous piece), and each figure by its start. A figure goes after the last piece that precedes
it, if it lies within the article's text (or above its first paragraph, for a lead photo, or just
below its last) and not inside a box that is chrome. A caption that trafilatura kept as a
paragraph becomes the caption (and credit) blocks in its place.
"""

from __future__ import annotations

import re

from annotator.credits import MAX_CREDIT_CHARS, is_credit_only

from .cleaning import flat_key, looks_like_file_name, same
from .extraction import Piece
from .headline import choose_headline, is_site_name, site_keys
from .figures import MAX_CAPTION_CHARS, Figure, image_key
from .page_map import MAX_LEAD_CHARS, PageMap

BODY_KINDS = frozenset({"paragraph", "subheading", "quote", "list_item", "standfirst"})
# Without a known headline, a lead photo above the first paragraph is kept when at most this much
# text stands between them; one below the last paragraph when at most this much follows it.
LEAD_FIGURE_REACH = 400
TRAILING_FIGURE_REACH = 120
# A captioned lead picture may stand above the headline by this much text (a kicker, a date).
LEAD_ABOVE_HEADLINE = 2000
MAX_RELATED_CHARS = 200
_READ_MORE = re.compile(
    r"^(?:read (?:more|also|next)|see also|related(?: stories| articles| coverage)?|more on this|more from|"
    r"also read|watch|listen|lees ook|lire aussi|lesen sie auch|leer más|leia também|читайте также)\b\s*[:：>»|–—-]",
    re.I,
)


def assemble(
    pieces: list[Piece], page: PageMap, titles: list[str], description: str, outlet: str = ""
) -> list[tuple[str, str]]:
    """Typed blocks in page order; ``pieces`` must have been located (``locate``) first.

    ``titles``: the candidates for the story's title, best first (trafilatura's, the page's <title>).
    """
    headline_index, headline = choose_headline(pieces, page, titles, outlet)
    if headline_index is not None:
        headline_position = pieces[headline_index].position
        before, body = pieces[:headline_index], pieces[headline_index + 1 :]
    else:
        headline_position = page.find(headline) if headline else -1
        before, body = [], pieces
    headline_key = flat_key(headline)
    # the page's own <h1> says where the headline stands (a copy of it further down may have been found)
    headline_position = next(
        (position for position, text, _ in page.h1s if headline_key and flat_key(text) == headline_key), headline_position
    )
    sites = site_keys(outlet, titles[0] if titles else "", page.site_names)
    before = [piece for piece in before if not is_site_name(piece.text, sites)]  # a blog's <h1>: the site's name
    if headline_position >= 0:  # what trafilatura put first but stands below the headline on the page
        body = [piece for piece in before if piece.position > headline_position] + body
        before = [piece for piece in before if piece.position <= headline_position]
    known = {flat_key(p.text) for p in pieces if p.text}
    paragraphs = [p.position for p in body if p.kind == "paragraph" and p.position >= 0][:2]
    limit = paragraphs[-1] if paragraphs else len(page.flat)  # a lead may be the first paragraph

    # standfirst: a lead element or the visible meta description; marked in place when
    # trafilatura kept it as an early paragraph, inserted under the headline when it did not
    standfirst = ""
    page_leads = [(position, text) for position, text, boxes in page.leads if not page.is_chrome(boxes)]
    leads = [text for position, text in page_leads if headline_position <= position <= limit]
    if description and len(description) <= MAX_LEAD_CHARS and page.find(description) >= 0:
        leads.append(description)
    marked = False
    for lead in leads:
        match = next((p for p in body[:3] if p.kind == "paragraph" and same(flat_key(p.text), flat_key(lead))), None)
        if match is not None:
            match.kind, marked = "standfirst", True
            break
    first_text = next((p.position for p in body if p.kind == "paragraph" and p.position >= 0), None)
    limit = first_text if first_text is not None else len(page.flat)
    if not marked:
        standfirst = next(
            (text for position, text in page_leads
             if headline_position <= position <= limit and not any(same(flat_key(text), k) for k in known)),
            "",
        )

    # byline: marked as such on the page, near the headline, above the first paragraph;
    # of nested or repeated candidates, one that reads "By ..." is preferred
    bylines = [
        text for position, text, boxes in page.bylines
        if headline_position - 200 <= position <= limit and len(text) >= 3 and flat_key(text) not in known
        and not page.is_chrome(boxes)
    ]
    by = [text for text in bylines if _BY.match(text)]
    byline = min(by, key=len) if by else (bylines[0] if bylines else "")
    inner = _INNER_BY.search(byline[:60])
    if inner and not _BY.match(byline):
        byline = byline[inner.start() :]  # "Print  By Jane Smith": the "Print" button's label goes

    blocks: list[tuple[str, str]] = []
    for piece in before:  # kicker or section lines that stand above the headline
        blocks.extend(_piece_blocks(piece))
    blocks.append(("headline", headline))
    blocks.append(("standfirst", _without_prefix(standfirst, headline)))
    if body and body[0].kind == "standfirst":
        blocks.extend(_piece_blocks(body.pop(0)))
    blocks.append(("byline", byline))
    seen_captions: set[str] = set()
    for piece, figures in _place_figures(body, page, headline_position, outlet):
        if piece is not None:
            blocks.extend(_piece_blocks(piece))
        for figure in figures:
            blocks.extend(_figure_blocks(figure, seen_captions, piece))
    blocks = [(kind, text) for kind, text in blocks if text]
    blocks = [  # an image's alt text that its caption, right below, says again
        block for index, block in enumerate(blocks)
        if not (block[0] == "image_alt" and index + 1 < len(blocks) and blocks[index + 1][0] == "caption"
                and same(flat_key(block[1]), flat_key(blocks[index + 1][1])))
    ]
    # a heading with nothing of the story after it ("Comments", "More from us") is not the story's
    while _ends_with_empty_heading(blocks):
        index = max(i for i, (kind, _) in enumerate(blocks) if kind == "subheading")
        del blocks[index]
    return blocks


def _without_prefix(text: str, prefix: str) -> str:
    """A standfirst box that holds the headline too ("Headline Report claims ..."): the headline goes."""
    if prefix and text.startswith(prefix) and len(text) > len(prefix) + 20:
        return text[len(prefix) :].lstrip(" :.–—-|")
    return text


def _ends_with_empty_heading(blocks: list[tuple[str, str]]) -> bool:
    """True when the last subheading is followed only by captions, credits, alt text or related lines."""
    for kind, _ in reversed(blocks):
        if kind == "subheading":
            return True
        if kind not in ("image_alt", "caption", "credit", "related"):
            return False
    return False


_BY = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s", re.I)
_INNER_BY = re.compile(r"(?<=\s)By\s")
def locate(pieces: list[Piece], page: PageMap) -> None:
    """Set each piece's position in the page's flat key, and the page's ``story`` positions."""
    cursor = 0
    found_at: list[int] = []
    for piece in pieces:
        if piece.kind == "graphic":
            key = image_key(piece.src)
            if key in page.pixel_keys:
                piece.alt = ""  # a tracking pixel: nothing of it is shown
            piece.position = page.image_positions.get(key, cursor)
            continue
        found = page.find(piece.text, cursor) if piece.text else -1
        if found >= 0:
            piece.position = found
            cursor = found
            found_at.append(found)
        else:
            piece.position = cursor
    page.story = sorted(found_at)


def _piece_blocks(piece: Piece) -> list[tuple[str, str]]:
    if piece.kind == "dropped":
        return []
    if piece.kind == "graphic":
        return [("image_alt", piece.alt)] if piece.alt and not looks_like_file_name(piece.alt) else []
    if piece.kind == "heading":
        return [("subheading", piece.text)]
    if piece.kind == "paragraph" and is_credit_only(piece.text):
        return [("credit", piece.text)]
    if piece.kind == "paragraph" and len(piece.text) <= MAX_RELATED_CHARS and _READ_MORE.match(piece.text):
        return [("related", piece.text)]
    return [(piece.kind, piece.text)]


def _place_figures(
    body: list[Piece], page: PageMap, headline_position: int, outlet: str = ""
) -> list[tuple[Piece | None, list[Figure]]]:
    """Pair every kept piece with the figures that follow it on the page."""
    slots: list[tuple[Piece | None, list[Figure]]] = [(None, [])] + [(piece, []) for piece in body]
    text_positions = [p.position for p in body if p.kind != "graphic" and p.position >= 0]
    if not page.figures:
        return slots
    first = min(text_positions) if text_positions else 0
    last_piece = max((p for p in body if p.kind != "graphic"), key=lambda p: p.position, default=None)
    last_end = last_piece.position + len(flat_key(last_piece.text)) if last_piece is not None else 0
    graphic_slots: dict[str, int] = {}
    for index, piece in enumerate(body, 1):
        if piece.kind == "graphic":
            key = image_key(piece.src)
            if key:
                graphic_slots.setdefault(key, index)
    starts = [p.position for p in body]
    kept_as_text: dict[str, int] = {}
    for index, piece in enumerate(body, 1):
        if piece.kind == "paragraph" and len(piece.text) <= MAX_CAPTION_CHARS + MAX_CREDIT_CHARS:
            kept_as_text.setdefault(flat_key(piece.text), index)
    outlet_key = flat_key(outlet)
    for figure in page.figures:
        if figure.pixel or figure.link_heavy:
            continue
        if not figure.caption and not figure.credits and outlet_key and flat_key(figure.alt) == outlet_key:
            continue  # the site's logo
        # a caption that trafilatura kept as a paragraph is replaced by the figure's blocks
        slot = None
        for variant in _caption_variants(figure):
            if variant in kept_as_text:
                slot = kept_as_text.pop(variant)
                body[slot - 1].kind = "dropped"
                break
        if slot is None:
            slot = next((graphic_slots[k] for k in figure.image_keys if k in graphic_slots), None)
        if slot is None:
            if page.is_chrome(figure.chrome):
                continue
            if first <= figure.position <= last_end:
                slot = _slot_before(starts, figure.position)
            elif figure.position < first and _is_lead(figure, first, headline_position):
                slot = 0
            elif last_end < figure.position <= last_end + TRAILING_FIGURE_REACH:
                slot = len(body)
            else:
                continue
        slots[slot][1].append(figure)
    return slots


def _is_lead(figure: Figure, first: int, headline_position: int) -> bool:
    """A figure above the first paragraph that is the story's lead picture.

    A captioned one anywhere between the headline (or a little above it) and the first paragraph,
    however much stands between them (sites put the lead picture outside the story's container,
    under a share bar or a byline box); an image with only its alt text just above the text.
    """
    if figure.caption or figure.credits:
        if headline_position >= 0:
            return figure.position >= headline_position - LEAD_ABOVE_HEADLINE
        return figure.position >= first - LEAD_FIGURE_REACH
    return figure.position >= max(headline_position, first - LEAD_FIGURE_REACH)


def _caption_variants(figure: Figure) -> list[str]:
    caption, credits = flat_key(figure.caption), "".join(flat_key(c) for c in figure.credits)
    return [v for v in (caption + credits, caption, credits) if v]


def _slot_before(starts: list[int], position: int) -> int:
    """Index (1-based, into the slots) of the last piece that starts before ``position``; 0 for none."""
    best = 0
    for index, start in enumerate(starts, 1):
        if 0 <= start <= position:
            best = index
    return best


def _figure_blocks(figure: Figure, seen: set[str], after: Piece | None) -> list[tuple[str, str]]:
    caption_key = flat_key(figure.caption)
    identity = caption_key + "|" + "|".join(flat_key(c) for c in figure.credits) + "|" + flat_key(figure.alt)
    if identity in seen:
        return []
    seen.add(identity)
    blocks: list[tuple[str, str]] = []
    alt_shown = after is not None and after.kind == "graphic" and bool(after.alt)
    alt_key = flat_key(figure.alt)
    alt_in_caption = bool(caption_key) and (alt_key in caption_key or caption_key in alt_key)
    if figure.alt and not alt_shown and not alt_in_caption and not looks_like_file_name(figure.alt):
        blocks.append(("image_alt", figure.alt))
    if figure.caption:
        blocks.append(("caption", figure.caption))
    for credit in figure.credits:
        if flat_key(credit) not in caption_key:
            blocks.append(("credit", credit))
    return blocks
