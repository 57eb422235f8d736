"""trafilatura's side of the HTML importer: run its extraction on the parsed page, read its output as pieces.

trafilatura (the field-standard extractor) finds the main content and drops the boilerplate:
navigation, ads, related links, newsletter boxes, comment threads, cookie banners. It is run
without its image option: with it, it takes rows of related-story thumbnails for content.

trafilatura's quick path (``fast=True``) runs first: on the news pages of
benchmarks/bench_html_quality.py it is as good or better than its full extraction (which compares
its result with readability and jusText) at about two thirds of the cost; the full extraction runs
only when the quick one finds almost nothing (``FULL_EXTRACTION_BELOW``).

Its output (an XML tree of head, p, list/item, quote, table/row/cell, graphic, lb) becomes a list
of ``Piece``: one per heading, paragraph, list item, quote paragraph, table row or image, never a
text with a line break in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from lxml import etree
from lxml.html import HtmlElement

from .cleaning import clean

MAX_HTML_BYTES = 20_000_000  # trafilatura's own size limit is set to the importer's
FULL_EXTRACTION_BELOW = 300  # characters; trafilatura itself retries below 250
METADATA_ELEMENTS = 6_000  # the biggest of 138 real test pages has 4,634
PRECISION_ABOVE_ELEMENTS = 20_000


def extract(tree: HtmlElement, url: str, elements: int = 0):  # -> trafilatura Document | None
    """trafilatura's extraction, then its metadata; its quick path first, its full one for thin results.

    The quick path (``fast=True``: trafilatura's own extractor without the readability/jusText
    comparison) is as good or better on news pages (see benchmarks/bench_html_quality.py) at about
    two thirds of the cost; when it finds less than ``FULL_EXTRACTION_BELOW`` characters of text,
    the full extraction with its fallbacks runs and the longer result wins. The metadata is read
    once, after the text, from the same tree (see ``_metadata``). ``tree`` may be cut short.

    A page of more than ``PRECISION_ABOVE_ELEMENTS`` elements (``elements``; real pages have a
    few thousand) is read with trafilatura's precision focus, which skips its recall retries: on
    such a page each is another pass over all of it (6 MB: 3.9 s instead of 1.8 s).
    """
    precision = elements > PRECISION_ABOVE_ELEMENTS
    chosen = quick = _bare_extraction(tree, url, fast=True, precision=precision)
    length = _text_length(quick)
    if length < FULL_EXTRACTION_BELOW:
        full = _bare_extraction(tree, url, fast=False, precision=precision)
        if _text_length(full) > length:
            chosen = full
    if chosen is None or chosen.body is None:
        return None
    document = _metadata(tree, url)
    document.body = chosen.body
    return document


def _metadata(tree: HtmlElement, url: str):
    """trafilatura's metadata (title, author, date, site name, categories) of the page.

    Some of its searches cost the square of the page's size when elements nest deeply (the
    category and tag links under nested "meta" boxes: 140 s for one 6 MB page). Real pages have
    at most a few thousand elements; of a bigger one, the metadata is read from the <head> and the
    first ``METADATA_ELEMENTS`` elements, where a story's byline, date and section stand.
    """
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import set_date_params

    _cut_after(tree, METADATA_ELEMENTS)
    return extract_metadata(tree, url or None, set_date_params(extensive=False), False, set())


def _cut_after(tree: HtmlElement, limit: int) -> None:
    """Remove, in place, every element after the first ``limit`` of the tree in document order."""
    last = next((element for index, element in enumerate(tree.iter()) if index == limit), None)
    if last is None:
        return
    node = last
    while node is not None and node is not tree:
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        node = parent
    last.getparent().remove(last)


def _text_length(document) -> int:
    if document is None or document.body is None:
        return 0
    return sum(len(text.strip()) for text in document.body.itertext())


def _bare_extraction(tree: HtmlElement, url: str, *, fast: bool, precision: bool = False):
    import trafilatura
    from trafilatura.settings import set_date_params

    try:
        return trafilatura.bare_extraction(
            tree,  # a parsed tree, copied by trafilatura: never a URL, nothing is downloaded
            url=url or None,
            with_metadata=False,
            fast=fast,
            favor_precision=precision,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_formatting=False,
            include_links=False,
            deduplicate=False,
            date_extraction_params=set_date_params(extensive=False),
            config=_config(),
        )
    except (ValueError, TypeError):
        return None


_CONFIG = None


def _config():
    """trafilatura's settings with the size limit of this importer (its download settings are never used)."""
    global _CONFIG
    if _CONFIG is None:
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "MAX_FILE_SIZE", str(MAX_HTML_BYTES))
        config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
        # dates from the page's markup only: a year in the text ("built in 2011") is not the date
        config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
        _CONFIG = config
    return _CONFIG


def author_names(raw: str | None) -> list[str]:
    names = [clean(name) for name in (raw or "").split(";")]
    return [name for name in dict.fromkeys(names) if name]


@dataclass
class Piece:
    kind: str  # heading, paragraph, quote, list_item, graphic
    text: str = ""
    level: str = ""  # h1..h6 for headings
    src: str = ""
    alt: str = ""
    position: int = -1  # in the page's flat key, -1 when unknown


_BREAKING = frozenset({"lb", "p", "list", "item", "quote", "head", "graphic", "table", "row", "cell", "code", "div"})


def body_pieces(body: etree._Element) -> Iterator[Piece]:
    for element in body:
        yield from _element_pieces(element, "paragraph")


def _element_pieces(element: etree._Element, kind: str) -> Iterator[Piece]:
    tag = element.tag
    if tag == "graphic":
        yield Piece("graphic", src=element.get("src", ""), alt=clean(element.get("alt", "") or element.get("title", "")))
        return
    if tag == "head":
        for text in _segments(element):
            yield Piece("heading", text, level=element.get("rend", "h2"))
        return
    if tag == "list":
        for item in element:
            if item.tag == "item":
                yield from _segment_pieces(item, "list_item")
            else:
                yield from _element_pieces(item, kind)
        return
    if tag == "quote":
        yield from _segment_pieces(element, "quote")
        return
    if tag == "table":
        for row in element.iter("row"):
            cells = [" ".join(_segments(cell)) for cell in row if cell.tag == "cell"]
            text = " | ".join(cell for cell in cells if cell)
            if text:
                yield Piece(kind, text)
        for graphic in element.iter("graphic"):
            yield from _element_pieces(graphic, kind)
        return
    yield from _segment_pieces(element, kind)


def _segment_pieces(element: etree._Element, kind: str) -> Iterator[Piece]:
    """Text of an element cut at line breaks and nested blocks; nested lists and images come out in place."""
    buffer: list[str] = []

    def flush() -> Iterator[Piece]:
        text = clean("".join(buffer))
        buffer.clear()
        if text:
            yield Piece(kind, text)

    if element.text:
        buffer.append(element.text)
    for child in element:
        if child.tag in _BREAKING:
            yield from flush()
            if child.tag == "lb":
                pass
            elif child.tag in ("p", "code", "div", "cell", "row"):
                yield from _segment_pieces(child, kind)
            elif child.tag == "item":
                yield from _segment_pieces(child, "list_item")
            else:
                yield from _element_pieces(child, kind)
        else:
            buffer.append(_inline_text(child))
        if child.tail:
            buffer.append(child.tail)
    yield from flush()


def _inline_text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if child.tag == "lb" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _segments(element: etree._Element) -> list[str]:
    return [piece.text for piece in _segment_pieces(element, "paragraph") if piece.text]
