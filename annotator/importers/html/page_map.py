"""One walk over the parsed page, before trafilatura reads it: what the extraction drops and where it stood.

The tree is walked once in document order into a "flat key": all visible text with whitespace
removed, casefolded (``cleaning.flat_key``). On the way it records, each with its position in that key:
the figures (an image with its alt text, caption and credits: a <figure>, or an element whose
class says caption), lead (standfirst) and byline elements, <h1>s, the navigation and the chrome
boxes (related, promo, newsletter, share, aside, nav, footer, hidden) around each figure.
Elements never shown (<template>, hidden, pull quotes) are listed in ``pruned`` for removal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from annotator.credits import CREDIT_CLASS, MAX_CREDIT_CHARS, is_credit_only, split_credit

from .cleaning import clean, flat_key, looks_like_file_name

MAX_CAPTION_CHARS = 1_000
MAX_LEAD_CHARS = 600
MAX_BYLINE_CHARS = 200

SKIPPED_TAGS = frozenset(
    "script style noscript template head iframe object embed form button select textarea svg math canvas "
    "video audio".split()
)
_NAVIGATION_TAGS = frozenset({"nav", "footer", "menu"})
_CHROME_TAGS = frozenset("nav aside footer form dialog menu".split())
_CHROME_CLASS = re.compile(
    r"related|recommend|promo|teaser|newsletter|subscri|sign-?up|advert|\bads?\b|\bad-|sponsor|outbrain|taboola|"
    r"comment|share|sharing|social|\bnav|menu|footer|sidebar|most-?(?:read|popular|viewed)|trending|"
    r"more-?(?:stories|news)|read-?(?:more|also|next)|also-?read|widget|banner|cookie|consent|modal|popup|paywall",
    re.I,
)
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
_PULL_QUOTE = re.compile(r"pull-?quote", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CAPTION_CLASS = re.compile(r"caption|legend|bildunterschrift|leyenda|didascalia", re.I)
_LEAD_CLASS = re.compile(
    r"standfirst|\bdeck\b|\bdek\b|\blede\b|\blead\b|sub-?title|sub-?headline|strapline|summary|intro|excerpt|"
    r"description|abstract|teaser-?text|article-?lead",
    re.I,
)
_BYLINE_CLASS = re.compile(r"byline|\bauthor(?:s|-?name|-?info)?\b|\bwriter\b", re.I)


@dataclass
class Figure:
    position: int
    end: int
    image_keys: frozenset[str]
    alt: str
    caption: str
    credits: list[str]
    chrome: bool
    pixel: bool
    link_heavy: bool


@dataclass
class PageMap:
    """The original tree in document order: flat text key, figures with their captions, lead and byline."""

    tree: HtmlElement
    flat: str = ""
    figures: list[Figure] = field(default_factory=list)
    leads: list[tuple[int, str]] = field(default_factory=list)
    bylines: list[tuple[int, str]] = field(default_factory=list)
    h1s: list[tuple[int, str]] = field(default_factory=list)
    navigation: list[tuple[int, int]] = field(default_factory=list)  # flat spans of nav/footer/menu
    image_positions: dict[str, int] = field(default_factory=dict)
    pruned: list = field(default_factory=list)  # elements never shown, or shown twice (pull quotes)
    pixel_keys: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._scan()

    # -- one walk over the tree

    def _scan(self) -> None:
        parts: list[str] = []
        length = 0
        chrome_depth: list[bool] = []  # per open element: is it (or an ancestor) chrome
        figure_stack: list[tuple[etree._Element, int]] = []
        navigation: list[tuple[etree._Element, int]] = []
        candidates: list[tuple[str, etree._Element, int]] = []
        skip_until: etree._Element | None = None
        walker = etree.iterwalk(self.tree, events=("start", "end"))
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                if not tag or tag in SKIPPED_TAGS or _is_never_shown(element, tag):
                    if tag and _is_never_shown(element, tag):
                        self.pruned.append(element)
                    walker.skip_subtree()
                    skip_until = element
                    continue
                parent_chrome = chrome_depth[-1] if chrome_depth else False
                chrome = parent_chrome or _is_chrome(element, tag)
                chrome_depth.append(chrome)
                if tag in _NAVIGATION_TAGS and not navigation:
                    navigation.append((element, length))
                if tag == "img":
                    self._note_image(element, length, chrome, inside_figure=bool(figure_stack))
                if tag == "figure" or (_is_caption_box(element) and not figure_stack):
                    figure_stack.append((element, length))
                elif not chrome:
                    kind = _candidate_kind(element, tag)
                    if kind:
                        candidates.append((kind, element, length))
                if element.text:
                    key = flat_key(element.text)
                    parts.append(key)
                    length += len(key)
            else:
                if element is skip_until:
                    skip_until = None
                elif tag:
                    chrome = chrome_depth.pop() if chrome_depth else False
                    if navigation and navigation[-1][0] is element:
                        self.navigation.append((navigation.pop()[1], length))
                    if figure_stack and figure_stack[-1][0] is element:
                        _, start = figure_stack.pop()
                        figure = _read_figure(element, start, length, chrome)
                        if figure is not None:
                            self.figures.append(figure)
                if element.tail:
                    key = flat_key(element.tail)
                    parts.append(key)
                    length += len(key)
        self.flat = "".join(parts)
        for kind, element, start in candidates:
            text = clean(visible_text(element))
            if not text:
                continue
            if kind == "lead" and 20 <= len(text) <= MAX_LEAD_CHARS:
                self.leads.append((start, text))
            elif kind == "byline" and len(text) <= MAX_BYLINE_CHARS:
                self.bylines.append((start, text))
            elif kind == "h1":
                self.h1s.append((start, text))

    def _note_image(self, image: etree._Element, position: int, chrome: bool, inside_figure: bool) -> None:
        pixel = _is_small(image.get("width")) or _is_small(image.get("height"))
        keys = _image_keys(image)
        for key in keys:
            self.image_positions.setdefault(key, position)
            if pixel:
                self.pixel_keys.add(key)
        alt = clean(image.get("alt") or "")
        if alt and not inside_figure and not pixel and not chrome and not looks_like_file_name(alt):
            # an image of the article without a caption: its alt text is shown where it stands
            self.figures.append(
                Figure(position, position, frozenset(keys), alt, "", [], chrome, False, _inside_link(image))
            )

    def in_navigation(self, position: int) -> bool:
        return any(start <= position < end for start, end in self.navigation)

    # -- locating text

    def find(self, text: str, start: int = 0) -> int:
        """Position of ``text`` in the flat key at or after ``start`` (then anywhere); -1 if absent."""
        key = flat_key(text)
        if not key:
            return -1
        for probe in (key[:60], key[:20]):
            found = self.flat.find(probe, start)
            if found < 0 and start:
                found = self.flat.find(probe)
            if found >= 0:
                return found
        return -1


def _is_never_shown(element: etree._Element, tag: str) -> bool:
    """<template>, hidden elements and pull quotes (a sentence of the story shown a second time)."""
    if tag == "template" or element.get("hidden") is not None:
        return True
    style = element.get("style")
    if style and _DISPLAY_NONE.search(style):
        return True
    names = element.get("class")
    return bool(names) and _PULL_QUOTE.search(names) is not None


def _is_chrome(element: etree._Element, tag: str) -> bool:
    if tag in _CHROME_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    names = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("role"))))
    return bool(names) and _CHROME_CLASS.search(names) is not None and not _CAPTION_CLASS.search(names)


def _class_text(element: etree._Element) -> str:
    return " ".join(filter(None, (element.get("class"), element.get("id"), element.get("itemprop"))))


def _is_caption_box(element: etree._Element) -> bool:
    """A <div class="wp-caption"> or <p class="caption"> outside a <figure>: a figure of its own."""
    names = _class_text(element)
    return bool(names) and _CAPTION_CLASS.search(names) is not None


def _candidate_kind(element: etree._Element, tag: str) -> str:
    if tag == "h1":
        return "h1"
    names = _class_text(element)
    if element.get("rel") == "author" or element.get("itemprop") == "author":
        return "byline"
    if not names:
        return ""
    if _BYLINE_CLASS.search(names):
        return "byline"
    if (
        tag in ("p", "div", "h2", "span", "section", "header")
        and _LEAD_CLASS.search(names)
        and next(element.iter("img", "figure", "picture", "video", "iframe", "ul", "ol"), None) is None
    ):
        return "lead"
    return ""


def visible_text(element: etree._Element) -> str:
    parts: list[str] = []
    _collect_text(element, parts, top=True)
    return "".join(parts)


def _collect_text(element: etree._Element, parts: list[str], top: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag and tag not in SKIPPED_TAGS:
        if tag == "br":
            parts.append(" ")
        if element.text:
            parts.append(element.text)
        for child in element:
            _collect_text(child, parts)
        if tag in ("p", "div", "li", "br", "time", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"):
            parts.append(" ")
    if not top and element.tail:
        parts.append(element.tail)


def _image_keys(element: etree._Element) -> set[str]:
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
    tail = src.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail if "." in tail and len(tail) > 4 else ""


def _is_small(size: str | None) -> bool:
    """Width or height attribute of a tracking pixel or an icon."""
    digits = (size or "").strip().removesuffix("px")
    return digits.isdigit() and int(digits) < 32


def _is_pixel(element: etree._Element) -> bool:
    images = list(element.iter("img"))
    return bool(images) and all(_is_small(i.get("width")) or _is_small(i.get("height")) for i in images)


def _inside_link(element: etree._Element) -> bool:
    """An image inside a link is a teaser for another page, not a picture of this story."""
    return any(ancestor.tag == "a" for ancestor in element.iterancestors())


def _read_figure(element: etree._Element, start: int, end: int, chrome: bool) -> Figure | None:
    caption_elements = [
        child
        for child in element.iter()
        if child is not element
        and isinstance(child.tag, str)
        and (child.tag == "figcaption" or (_CAPTION_CLASS.search(_class_text(child) or "") is not None))
    ]
    # the outermost caption elements only
    caption_elements = [c for c in caption_elements if not any(a in caption_elements for a in c.iterancestors())]
    if not caption_elements and element.tag != "figure":
        caption_elements = [element]  # <p class="caption">...</p> on its own
    credits: list[str] = []
    caption_parts: list[str] = []
    credit_elements = [
        child
        for child in element.iter()
        if isinstance(child.tag, str)
        and child is not element
        and child not in caption_elements
        and (
            CREDIT_CLASS.search(_class_text(child) or "")
            or (child.tag in ("small", "cite") and any(c in caption_elements for c in child.iterancestors()))
        )
    ]
    credit_elements = [c for c in credit_elements if not any(a in credit_elements for a in c.iterancestors())]
    for credit in credit_elements:
        text = clean(visible_text(credit))
        if text and len(text) <= MAX_CREDIT_CHARS and text not in credits:
            credits.append(text)
    for caption in caption_elements:
        parts: list[str] = []
        _collect_caption_text(caption, parts, set(credit_elements), top=True)
        text = clean("".join(parts))
        if text:
            caption_parts.append(text)
    caption = clean(" ".join(caption_parts))[:MAX_CAPTION_CHARS]
    if caption and not credits:
        caption, credit = split_credit(caption)
        if credit:
            credits.append(credit)
    elif caption and is_credit_only(caption):
        credits.insert(0, caption)
        caption = ""
    alt = ""
    for image in element.iter("img"):
        alt = clean(image.get("alt") or "")
        if alt:
            break
    if not caption and not credits:
        return None if not alt else Figure(
            start, end, frozenset(_image_keys(element)), alt, "", [], chrome, _is_pixel(element), False
        )
    if element.tag != "figure" and len(caption) + sum(map(len, credits)) > MAX_CAPTION_CHARS:
        return None  # a big box whose class merely mentions captions: not one figure
    link_text = sum(len(flat_key(visible_text(a))) for a in element.iter("a"))
    return Figure(
        position=start,
        end=end,
        image_keys=frozenset(_image_keys(element)),
        alt=alt,
        caption=caption,
        credits=credits,
        chrome=chrome,
        pixel=_is_pixel(element),
        link_heavy=bool(caption) and link_text >= 0.8 * len(flat_key(caption)),
    )


def _collect_caption_text(element: etree._Element, parts: list[str], skip: set, top: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if element in skip:
        parts.append(" ")
    elif tag and tag not in SKIPPED_TAGS:
        if element.text:
            parts.append(element.text)
        for child in element:
            _collect_caption_text(child, parts, skip)
        if tag in ("p", "div", "br", "span"):
            parts.append(" ")
    if not top and element.tail:
        parts.append(element.tail)
