"""One figure of the page: its image, alt text, caption and photo credits, read from the markup.

A figure is a <figure>, a <figcaption> outside one, or an element whose class says caption
("wp-caption", "image__caption", "bildunterschrift", ...). Inside it, the caption is the text of
its caption elements; a credit is an element of a credit class (annotator/credits.py), a <small>
or <cite> in the figure, or a credit at the end of the caption text ("Photo: X", "(Getty
Images)", "© X", "Name/Agency"). Screen-reader-only text ("Image caption" on BBC pages) is not
shown on the page and is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from annotator.credits import CREDIT_CLASS, MAX_CREDIT_CHARS, is_credit_only, split_credit

from .cleaning import clean, flat_key

MAX_CAPTION_CHARS = 1_000
SKIPPED_TAGS = frozenset(
    "script style noscript template head iframe object embed form button select textarea svg math canvas "
    "video audio".split()
)
CAPTION_CLASS = re.compile(r"caption|legend|bildunterschrift|leyenda|didascalia", re.I)
_SCREEN_READER_ONLY = re.compile(r"off-?screen|visually-?hidden|sr-only|screen-?reader|a11y|accessib", re.I)
_BLOCK_TAGS = frozenset("p div li br time td th h1 h2 h3 h4 h5 h6".split())


@dataclass
class Figure:
    position: int  # where it starts and ends in the page's flat key
    end: int
    image_keys: frozenset[str]
    alt: str
    caption: str
    credits: list[str]
    chrome: tuple[int, ...] = ()  # the chrome boxes it stands in (PageMap.chrome_spans)
    pixel: bool = False
    link_heavy: bool = False  # a teaser: its caption is a link to another page


def class_text(element: etree._Element) -> str:
    return " ".join(filter(None, (element.get("class"), element.get("id"), element.get("itemprop"))))


def is_caption_box(element: etree._Element, tag: str) -> bool:
    """A <figcaption> outside a <figure>, a <div class="wp-caption"> or <p class="caption">."""
    return tag == "figcaption" or _caption_names(class_text(element))


@lru_cache(maxsize=4096)
def _caption_names(names: str) -> bool:
    return bool(names) and CAPTION_CLASS.search(names) is not None


@lru_cache(maxsize=4096)
def _credit_names(names: str) -> bool:
    return bool(names) and CREDIT_CLASS.search(names) is not None


def read_figure(element: etree._Element, start: int, end: int, chrome: tuple[int, ...]) -> Figure | None:
    """The figure that ``element`` (a figure or a caption box) holds; None when it holds no caption or alt."""
    if element.tag != "figure" and end - start > MAX_CAPTION_CHARS + MAX_CREDIT_CHARS:
        return None  # a big box whose class merely mentions captions: not one figure
    captions = _outermost(
        child
        for child in element.iterdescendants()
        if isinstance(child.tag, str) and (child.tag == "figcaption" or (child.attrib and _caption_names(class_text(child))))
    )
    if not captions and element.tag != "figure":
        names = class_text(element)
        if CREDIT_CLASS.search(names) and not CAPTION_CLASS.search(names):
            text = clean(visible_text(element))  # <figcaption class="image__credit"> on its own
            if not text or len(text) > MAX_CREDIT_CHARS:
                return None
            return Figure(start, end, frozenset(image_keys(element)), "", "", [text], chrome, is_pixel(element))
        captions = [element]  # <p class="caption">...</p> on its own
    caption_set = set(captions)
    credit_elements = _outermost(
        child
        for child in element.iterdescendants()
        if isinstance(child.tag, str)
        and child not in caption_set
        and (
            (child.attrib and _credit_names(class_text(child)))
            or (child.tag in ("small", "cite") and not any(c in caption_set for c in child.iter("figcaption")))
        )
    )
    credits: list[str] = []
    for credit in credit_elements:
        text = clean(visible_text(credit))
        if text and len(text) <= MAX_CREDIT_CHARS and text not in credits:
            credits.append(text)
    skip = set(credit_elements)
    caption_parts = [clean(_caption_text(caption, skip)) for caption in captions]
    caption = clean(" ".join(part for part in caption_parts if part))[:MAX_CAPTION_CHARS]
    if caption and not credits:
        caption, credit = split_credit(caption)
        if credit:
            credits.append(credit)
    elif caption and is_credit_only(caption):
        credits.insert(0, caption)
        caption = ""
    alt = next((text for image in element.iter("img") if (text := clean(image.get("alt") or ""))), "")
    keys = frozenset(image_keys(element))
    if not caption and not credits:
        return Figure(start, end, keys, alt, "", [], chrome, is_pixel(element)) if alt else None
    if element.tag != "figure" and len(caption) + sum(map(len, credits)) > MAX_CAPTION_CHARS:
        return None
    link_text = sum(len(flat_key(visible_text(a))) for a in element.iter("a"))
    return Figure(
        position=start,
        end=end,
        image_keys=keys,
        alt=alt,
        caption=caption,
        credits=credits,
        chrome=chrome,
        pixel=is_pixel(element),
        link_heavy=bool(caption) and link_text >= 0.8 * len(flat_key(caption + "".join(credits))),
    )


def merge_neighbours(figures: list[Figure]) -> list[Figure]:
    """A caption box followed at once by a credit box ("image__caption" then "image__credit") is one figure."""
    merged: list[Figure] = []
    for figure in figures:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and figure.position == previous.end
            and previous.caption and not previous.credits
            and figure.credits and not figure.caption
        ):
            merged[-1] = Figure(
                previous.position, figure.end, previous.image_keys | figure.image_keys, previous.alt or figure.alt,
                previous.caption, list(figure.credits), previous.chrome, previous.pixel and figure.pixel,
                previous.link_heavy,
            )
        else:
            merged.append(figure)
    return merged


def _outermost(elements) -> list[etree._Element]:
    """The elements (in document order) that are not inside another of them."""
    chosen: list[etree._Element] = []
    found: set[etree._Element] = set()
    for element in elements:
        if not any(a in found for a in element.iterancestors()):
            chosen.append(element)
        found.add(element)
    return chosen


def visible_text(element: etree._Element) -> str:
    parts: list[str] = []
    _collect_text(element, parts, None, top=True)
    return "".join(parts)


def _caption_text(element: etree._Element, skip: set) -> str:
    parts: list[str] = []
    _collect_text(element, parts, skip, top=True)
    return "".join(parts)


def _collect_text(element: etree._Element, parts: list[str], skip: set | None, top: bool = False) -> None:
    """Text as shown: skipped tags left out; in a caption (``skip`` given) its credits and screen-reader text too."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if skip is not None and (element in skip or (tag and _SCREEN_READER_ONLY.search(element.get("class") or ""))):
        parts.append(" ")
    elif tag and tag not in SKIPPED_TAGS:
        if tag == "br":
            parts.append(" ")
        if element.text:
            parts.append(element.text)
        for child in element:
            _collect_text(child, parts, skip)
        if tag in _BLOCK_TAGS or (skip is not None and tag == "span"):
            parts.append(" ")
    if not top and element.tail:
        parts.append(element.tail)


def image_keys(element: etree._Element) -> set[str]:
    keys = set()
    for image in element.iter("img", "source"):
        for attribute, value in image.attrib.items():
            if attribute in ("src", "srcset") or attribute.startswith("data-"):
                for candidate in value.replace(",", " ").split():
                    tail = image_key(candidate)
                    if tail:
                        keys.add(tail)
    return keys


def image_key(src: str) -> str:
    """The file name of an image address, which identifies it across sizes and lazy-loading attributes."""
    tail = src.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail if "." in tail and len(tail) > 4 else ""


def is_small(size: str | None) -> bool:
    """Width or height attribute of a tracking pixel or an icon."""
    digits = (size or "").strip().removesuffix("px")
    return digits.isdigit() and int(digits) < 32


def is_pixel(element: etree._Element) -> bool:
    images = list(element.iter("img"))
    return bool(images) and all(is_small(i.get("width")) or is_small(i.get("height")) for i in images)


def inside_link(element: etree._Element) -> bool:
    """An image inside a link is a teaser for another page, not a picture of this story."""
    return any(ancestor.tag == "a" for ancestor in element.iterancestors())
