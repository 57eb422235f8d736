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
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from .cleaning import clean, flat_key, looks_like_file_name
from .figures import (
    CAPTION_CLASS,
    SKIPPED_TAGS,
    Figure,
    class_text,
    image_keys,
    inside_link,
    is_caption_box,
    is_small,
    merge_neighbours,
    read_figure,
    visible_text,
)

MAX_LEAD_CHARS = 600
MAX_BYLINE_CHARS = 200

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
_LEAD_CLASS = re.compile(
    r"standfirst|\bdeck\b|\bdek\b|\blede\b|\blead\b|sub-?title|sub-?headline|strapline|summary|intro|excerpt|"
    r"description|abstract|teaser-?text|article-?lead",
    re.I,
)
_BYLINE_CLASS = re.compile(r"byline|\bauthor(?:s|-?name|-?info)?\b|\bwriter\b", re.I)


@dataclass
class PageMap:
    """The original tree in document order: flat text key, figures with their captions, lead and byline.

    Chrome is recorded as boxes, not as a yes/no per element: a figure, lead or byline stands in
    the chrome boxes listed with it (``chrome_spans``), and whether that makes it chrome depends on
    where the story is (``is_chrome``): a box that holds some of the story's own text is its layout
    (a "l-sidebar-fixed" wrapper, a "Section--Ads" part of the story, an ASP.NET page-wide <form>),
    not a sidebar.
    """

    tree: HtmlElement
    flat: str = ""
    figures: list[Figure] = field(default_factory=list)
    leads: list[tuple[int, str, tuple[int, ...]]] = field(default_factory=list)
    bylines: list[tuple[int, str, tuple[int, ...]]] = field(default_factory=list)
    h1s: list[tuple[int, str, tuple[int, ...]]] = field(default_factory=list)
    navigation: list[tuple[int, int]] = field(default_factory=list)  # flat spans of nav/footer/menu
    chrome_spans: list[tuple[int, int]] = field(default_factory=list)  # flat spans of chrome boxes
    image_positions: dict[str, int] = field(default_factory=dict)
    pruned: list = field(default_factory=list)  # elements never shown, or shown twice (pull quotes)
    pixel_keys: set[str] = field(default_factory=set)
    story: list[int] = field(default_factory=list)  # sorted positions of the extracted text
    site_names: list[str] = field(default_factory=list)  # an <h1> that is a link to the home page

    def __post_init__(self) -> None:
        self._scan()

    # -- one walk over the tree

    def _scan(self) -> None:
        parts: list[str] = []
        length = 0
        opened: list[bool] = []  # per open element: did it open a chrome box
        boxes: list[int] = []  # the chrome boxes open now (indices into spans)
        spans: list[list[int]] = []
        figure_stack: list[tuple[etree._Element, int]] = []
        navigation: list[tuple[etree._Element, int]] = []
        candidates: list[tuple[str, etree._Element, int, tuple[int, ...]]] = []
        skip_until: etree._Element | None = None
        walker = etree.iterwalk(self.tree, events=("start", "end"))
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                plain = not element.attrib  # most elements: no class, id, style to look at
                never = bool(tag) and (tag == "template" or (not plain and _is_never_shown(element, tag)))
                if not tag or tag in SKIPPED_TAGS or never:
                    if never:
                        self.pruned.append(element)
                    walker.skip_subtree()
                    skip_until = element
                    continue
                chrome = tag in _CHROME_TAGS if plain else _is_chrome(element, tag)
                if chrome:
                    boxes.append(len(spans))
                    spans.append([length, -1])
                opened.append(chrome)
                if tag in _NAVIGATION_TAGS and not navigation:
                    navigation.append((element, length))
                if tag == "img":
                    self._note_image(element, length, tuple(boxes), inside_figure=bool(figure_stack))
                names = "" if plain else class_text(element)
                if tag == "figure" or (not figure_stack and (tag == "figcaption" or (names and is_caption_box(element, tag)))):
                    figure_stack.append((element, length))
                elif not plain or tag == "h1":
                    kind = _candidate_kind(element, tag, names)
                    if kind:
                        candidates.append((kind, element, length, tuple(boxes)))
                if element.text:
                    text_key = flat_key(element.text)
                    parts.append(text_key)
                    length += len(text_key)
            else:
                if element is skip_until:
                    skip_until = None
                elif tag:
                    if navigation and navigation[-1][0] is element:
                        self.navigation.append((navigation.pop()[1], length))
                    if figure_stack and figure_stack[-1][0] is element:
                        _, start = figure_stack.pop()
                        figure = read_figure(element, start, length, tuple(boxes))
                        if figure is not None:
                            self.figures.append(figure)
                    if opened.pop() if opened else False:
                        spans[boxes.pop()][1] = length
                if element.tail:
                    text_key = flat_key(element.tail)
                    parts.append(text_key)
                    length += len(text_key)
        self.flat = "".join(parts)
        self.chrome_spans = [(start, end if end >= 0 else length) for start, end in spans]
        self.figures = merge_neighbours(self.figures)
        for kind, element, start, chrome in candidates:
            text = clean(visible_text(element))
            if not text:
                continue
            if kind == "lead" and 20 <= len(text) <= MAX_LEAD_CHARS:
                self.leads.append((start, text, chrome))
            elif kind == "byline" and len(text) <= MAX_BYLINE_CHARS:
                self.bylines.append((start, text, chrome))
            elif kind == "h1":
                self.h1s.append((start, text, chrome))
                if _links_home(element, text):
                    self.site_names.append(text)

    def _note_image(self, image: etree._Element, position: int, chrome: tuple[int, ...], inside_figure: bool) -> None:
        pixel = is_small(image.get("width")) or is_small(image.get("height"))
        keys = image_keys(image)
        for image_name in keys:
            self.image_positions.setdefault(image_name, position)
            if pixel:
                self.pixel_keys.add(image_name)
        alt = clean(image.get("alt") or "")
        if alt and not inside_figure and not pixel and not looks_like_file_name(alt):
            # an image of the article without a caption: its alt text is shown where it stands
            self.figures.append(Figure(position, position, frozenset(keys), alt, "", [], chrome, False, inside_link(image)))

    def is_chrome(self, boxes: tuple[int, ...]) -> bool:
        """Whether something in these chrome boxes is chrome: one of them holds none of the story's text.

        ``story`` (the positions of the extracted text, set by ``assembly.locate``) tells a box of the
        layout that holds the story ("TestReport__Section--Ads") from a sidebar or a related box.
        """
        for box in boxes:
            start, end = self.chrome_spans[box]
            index = bisect_left(self.story, start)
            if index == len(self.story) or self.story[index] >= end:
                return True
        return False

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
    return _chrome_names(element.get("class"), element.get("id"), element.get("role"))


@lru_cache(maxsize=4096)
def _chrome_names(*names: str | None) -> bool:
    """Class, id and role that name chrome; cached: a page repeats the same few class names thousands of times."""
    text = " ".join(filter(None, names))
    return bool(text) and _CHROME_CLASS.search(text) is not None and not CAPTION_CLASS.search(text)


def _links_home(heading: etree._Element, text: str) -> bool:
    """An <h1> whose text is one link to the site's home page: the site's name on a blog's pages."""
    links = list(heading.iter("a"))
    if len(links) != 1 or flat_key(visible_text(links[0])) != flat_key(text):
        return False
    href = (links[0].get("href") or "").strip()
    path = urlsplit(href).path if "//" in href else href
    return path in ("", "/") or path.rstrip("/").endswith(("/index.html", "/index.php"))


def _candidate_kind(element: etree._Element, tag: str, names: str) -> str:
    if tag == "h1":
        return "h1"
    if element.get("rel") == "author" or element.get("itemprop") == "author":
        return "byline"
    kind = _kind_by_names(tag, names)
    if kind == "lead" and next(element.iter("img", "figure", "picture", "video", "iframe", "ul", "ol"), None) is not None:
        return ""
    return kind


@lru_cache(maxsize=4096)
def _kind_by_names(tag: str, names: str) -> str:
    if not names:
        return ""
    if _BYLINE_CLASS.search(names):
        return "byline"
    if tag in ("p", "div", "h2", "span", "section", "header") and _LEAD_CLASS.search(names):
        return "lead"
    return ""
