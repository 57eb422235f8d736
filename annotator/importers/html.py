"""Turn a saved web page into an Article: the story's text as typed blocks, captions kept, chrome left out.

Why two passes over one parsed page
    trafilatura (the field-standard extractor) finds the main content and drops the boilerplate:
    navigation, ads, related links, newsletter boxes, comment threads, cookie banners. It keeps the
    structure we need (headings, paragraphs, block quotes, lists) but drops image captions and photo
    credits, which analysts tag. So the page is parsed once (``trafilatura.utils.load_html``, the
    parse trafilatura itself would make); a cheap pass over that tree records the figures, captions,
    image alt texts, lead and byline elements and where they stand; trafilatura then extracts from a
    copy, and the captions go back where they stand in the article. trafilatura is run without its
    image option: with it, it takes rows of related-story thumbnails for content.

    trafilatura's quick path (``fast=True``) runs first: on the news pages of
    benchmarks/bench_html_quality.py it is as good or better than its full extraction (which
    compares its result with readability and jusText) at about two thirds of the cost; the full
    extraction runs only when the quick one finds almost nothing (``FULL_EXTRACTION_BELOW``).

Blocks
    headline    the page's <h1> (or first heading) when it is the title; otherwise the metadata
                title without a " | Site" tail, inserted at the top
    standfirst  a lead element (class standfirst/dek/lede/subtitle/summary/...) or the meta
                description, when that text is visible on the page near the top
    byline      an element marked as a byline or author (class, itemprop, rel) near the headline
    subheading  other headings (a heading with nothing of the story after it is dropped)
    paragraph, quote (each paragraph of a block quote), list_item (nested lists too)
    related     a "Read more: ..." line inside the text
    image_alt   alt text of an image of the article (tracking pixels, icons, logos, images inside
                links and placeholder alts such as "preload" ignored)
    caption     a figure's caption (figcaption, or an element of class caption)
    credit      the photo credit: an element of class credit/copyright/photographer, a <small> or
                <cite> in the caption, or a tail such as "Photo: X", "(Getty Images)", "© X",
                "Name/Agency", "写真：X"

Placement of captions
    The tree is walked once in document order into a "flat key": all visible text with whitespace
    removed, casefolded. Each extracted block is located in it by its own key (searching forward
    from the previous block), and each figure by its start. A figure goes after the last block that
    precedes it, if it lies within the article's text (or just above its first paragraph, for a
    lead photo, or just below its last) and not inside a box that is chrome (related, promo,
    newsletter, share, aside, nav, footer, hidden). A caption that trafilatura kept as a paragraph
    becomes the caption (and credit) blocks in its place.

Safety and privacy
    Nothing is fetched: the HTML is given to trafilatura as a parsed tree, never as a URL; images are
    never loaded (only their alt text is kept); scripts, styles, iframes, forms, <template>s and
    hidden elements never reach a block. A page over 20 MB or with more than ``MAX_ELEMENTS``
    elements is refused with a message; a page without article text is refused as
    "no article text found in <file>".
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from lxml import etree
from lxml.html import HtmlElement

from annotator.errors import ImportFailed
from annotator.model import Article, build_article

from .reading import DEFAULT_MAX_BYTES, _megabytes, decode_bytes, read_file_bytes

MAX_HTML_BYTES = DEFAULT_MAX_BYTES
MAX_ELEMENTS = 200_000
# A lead photo above the first paragraph is kept when at most this much text (headline, byline,
# date) stands between them; one below the last paragraph when at most this much follows it.
LEAD_FIGURE_REACH = 400
TRAILING_FIGURE_REACH = 120
MAX_CAPTION_CHARS = 1_000
MAX_CREDIT_CHARS = 200
MAX_LEAD_CHARS = 600
MAX_BYLINE_CHARS = 200
MAX_RELATED_CHARS = 200

_CHARSET_META = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I
)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
CHARSET_SCAN_BYTES = 8192

_SKIPPED_TAGS = frozenset(
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
_CREDIT_CLASS = re.compile(
    r"credit|copyright|photographer|attribution|image-?source|photo-?source|courtesy|byline|author|source", re.I
)
_LEAD_CLASS = re.compile(
    r"standfirst|\bdeck\b|\bdek\b|\blede\b|\blead\b|sub-?title|sub-?headline|strapline|summary|intro|excerpt|"
    r"description|abstract|teaser-?text|article-?lead",
    re.I,
)
_BYLINE_CLASS = re.compile(r"byline|\bauthor(?:s|-?name|-?info)?\b|\bwriter\b", re.I)
# "Caption text. Photo: Jane Doe/Reuters", "... (Getty Images)", "... © AFP", "Picture by ..."
_CREDIT_TAIL = re.compile(
    r"^(?P<caption>.*?)[\s.,;|–—-]*(?P<credit>"
    r"(?:\b(?:photo(?:graph)?s?|pictures?|pic|images?|illustration|graphic|video|credits?|foto|fotos|bild|"
    r"source|фото|снимок)\s*(?::|by\b|\|)\s*[^:]{2,%d})"
    r"|(?:写真|撮影|图片|圖片|摄影|攝影|사진)\s*[:：／/]\s*[^:：]{1,%d}"
    r"|(?:©|\(c\)|copyright\b)\s*[^©]{2,%d}"
    r"|\((?P<paren>[^()]{2,%d})\)"
    r")\s*$" % (MAX_CREDIT_CHARS, MAX_CREDIT_CHARS, MAX_CREDIT_CHARS, MAX_CREDIT_CHARS),
    re.I | re.S,
)
_CREDIT_WORDS = re.compile(
    r"/|\b(?:getty|images?|photos?|ap|afp|reuters|epa|shutterstock|alamy|credit|courtesy|pool|via|xinhua|"
    r"bloomberg|anadolu|sipa|dpa|ansa|efe|tass|sputnik|kcna|pa|press|handout|file|nasa|wikimedia|unsplash)\b",
    re.I,
)
_ONLY_CREDIT = re.compile(
    r"^(?:(?:photo(?:graph)?s?|pictures?|images?|illustration|credits?|foto|фото)\s*(?::|by\b)|©|\(c\)\s|copyright\b"
    r"|(?:写真|撮影|图片|圖片|摄影|攝影|사진)\s*[:：／/])",
    re.I,
)
_READ_MORE = re.compile(
    r"^(?:read (?:more|also|next)|see also|related(?: stories| articles| coverage)?|more on this|more from|"
    r"also read|watch|listen|lees ook|lire aussi|lesen sie auch|leer más|leia também|читайте также)\b\s*[:：>»|–—-]",
    re.I,
)
_KEY_DROP = re.compile(r"\s+")
# Whitespace runs become one space; a lone no-break space between words is kept as it is.
_SPACES = re.compile(r"\s{2,}|[^\S\xa0]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\ufeff]")

# trafilatura logs every page it discards at WARNING; the import reports that itself.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


# ------------------------------------------------------------------------------------- entry points


def import_html_file(path: Path | str) -> Article:
    """Read a saved page (.html, .htm, .xhtml) and extract its article."""
    path = Path(path)
    data = read_file_bytes(path, MAX_HTML_BYTES)
    return parse_html_bytes(data, str(path), source_file=str(path))


def parse_html_bytes(
    data: bytes, name: str, *, source_file: str = "", url: str = "", declared_charset: str | None = None
) -> Article:
    """Decode the bytes of a page (BOM, UTF-8, the declared charset, detection) and extract its article."""
    if len(data) > MAX_HTML_BYTES:
        raise ImportFailed(f"{name}: {_megabytes(len(data))} is over the {_megabytes(MAX_HTML_BYTES)} limit for one page")
    _refuse_too_many_tags(data.count(b"<"), name)
    declared = declared_charset or sniff_charset(data)
    text = decode_bytes(data, name, declared, normalize=False)
    return parse_html(text, name, source_file=source_file, url=url)


def sniff_charset(data: bytes) -> str | None:
    """The charset a page declares near its top: <meta charset>, http-equiv Content-Type, <?xml encoding?>."""
    head = data[:CHARSET_SCAN_BYTES]
    match = _XML_DECLARATION.match(head) or _CHARSET_META.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def parse_html(html: str, name: str, *, source_file: str = "", url: str = "") -> Article:
    """Extract the article of a page given as text; raise ImportFailed with a clear reason if there is none."""
    _refuse_too_many_tags(html.count("<"), name)
    tree = _load_tree(html, name)
    count = sum(1 for _ in tree.iter())
    if count > MAX_ELEMENTS:
        raise ImportFailed(
            f"{name}: the page has {count:,} HTML elements, over the limit of {MAX_ELEMENTS:,} for one article"
        )
    page = _PageMap(tree)
    for element in page.pruned:  # the page map is made: the tree is trafilatura's to read now
        element.drop_tree()
    document = _extract(tree, url)
    if document is None or document.body is None:
        raise ImportFailed(f"no article text found in {name}")
    pieces = list(_body_pieces(document.body))
    _locate(pieces, page)
    # trafilatura's last-resort extraction can return a menu; a page whose only text sits in its
    # navigation or footer has no article
    if not any(p.kind not in ("graphic", "heading") and not page.in_navigation(p.position) for p in pieces):
        raise ImportFailed(f"no article text found in {name}")
    title = _clean(document.title or "")
    blocks = _assemble(pieces, page, title, _clean(document.description or ""), _clean(document.sitename or ""))
    if not any(kind in _BODY_KINDS for kind, _ in blocks):
        raise ImportFailed(f"no article text found in {name}")
    headline = next((text for kind, text in blocks if kind == "headline"), "")
    return build_article(
        blocks,
        title=headline or title,  # the page's own headline: the metadata title may carry " | Site"
        url=_clean(url or document.url or ""),
        outlet=_clean(document.sitename or ""),
        authors=_authors(document.author),
        published=_clean(document.date or ""),
        section=_clean((document.categories or [""])[0]) if document.categories else "",
        language=_clean(document.language or tree.get("lang") or tree.get("xml:lang") or ""),
        source_file=source_file,
    )


_BODY_KINDS = frozenset({"paragraph", "subheading", "quote", "list_item", "standfirst"})


def _refuse_too_many_tags(opening_brackets: int, name: str) -> None:
    # An element costs one or two tags; this cheap count refuses the worst pages before parsing.
    if opening_brackets > 2 * MAX_ELEMENTS + 10_000:
        raise ImportFailed(
            f"{name}: the page has more than {MAX_ELEMENTS:,} HTML elements, the limit for one article"
        )


def _load_tree(html: str, name: str) -> HtmlElement:
    html = _XML_DECLARATION_TEXT.sub("", html, count=1)
    tree = None
    try:
        from trafilatura.utils import load_html

        tree = load_html(html)
    except Exception:  # noqa: BLE001 - fall back to lxml's own parser below
        tree = None
    if tree is None:
        try:
            import lxml.html

            parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
            tree = lxml.html.document_fromstring(html, parser=parser)
        except Exception:  # noqa: BLE001 - lxml raises several types for junk
            tree = None
    if tree is None:
        raise ImportFailed(f"no article text found in {name} (it could not be read as HTML)")
    return tree


def _extract(tree: HtmlElement, url: str):  # -> trafilatura Document | None
    """trafilatura's extraction with metadata; its quick path first, its full one for thin results.

    The quick path (``fast=True``: trafilatura's own extractor without the readability/jusText
    comparison) is as good or better on news pages (see benchmarks/bench_html_quality.py) at about
    two thirds of the cost; when it finds less than ``FULL_EXTRACTION_BELOW`` characters of text,
    the full extraction with its fallbacks runs and the longer result wins.
    """
    quick = _bare_extraction(tree, url, fast=True)
    length = _text_length(quick)
    if length >= FULL_EXTRACTION_BELOW:
        return quick
    full = _bare_extraction(tree, url, fast=False)
    return full if _text_length(full) > length else quick


FULL_EXTRACTION_BELOW = 300  # characters; trafilatura itself retries below 250


def _text_length(document) -> int:
    if document is None or document.body is None:
        return 0
    return sum(len(text.strip()) for text in document.body.itertext())


def _bare_extraction(tree: HtmlElement, url: str, *, fast: bool):
    import trafilatura
    from trafilatura.settings import set_date_params

    try:
        return trafilatura.bare_extraction(
            tree,  # a parsed tree, copied by trafilatura: never a URL, nothing is downloaded
            url=url or None,
            with_metadata=True,
            fast=fast,
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


def _authors(raw: str | None) -> list[str]:
    names = [_clean(name) for name in (raw or "").split(";")]
    return [name for name in dict.fromkeys(names) if name]


# ------------------------------------------------------------------------------------- text helpers


def _clean(text: str) -> str:
    text = _CONTROLS.sub("", text)
    return _SPACES.sub(" ", text).strip(" \xa0")


def _key(text: str) -> str:
    return _KEY_DROP.sub("", text).casefold()


# ------------------------------------------------------------------------------------- trafilatura output


@dataclass
class _Piece:
    kind: str  # heading, paragraph, quote, list_item, graphic
    text: str = ""
    level: str = ""  # h1..h6 for headings
    src: str = ""
    alt: str = ""
    position: int = -1  # in the page's flat key, -1 when unknown


_BREAKING = frozenset({"lb", "p", "list", "item", "quote", "head", "graphic", "table", "row", "cell", "code", "div"})


def _body_pieces(body: etree._Element) -> Iterator[_Piece]:
    for element in body:
        yield from _element_pieces(element, "paragraph")


def _element_pieces(element: etree._Element, kind: str) -> Iterator[_Piece]:
    tag = element.tag
    if tag == "graphic":
        yield _Piece("graphic", src=element.get("src", ""), alt=_clean(element.get("alt", "") or element.get("title", "")))
        return
    if tag == "head":
        for text in _segments(element):
            yield _Piece("heading", text, level=element.get("rend", "h2"))
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
                yield _Piece(kind, text)
        for graphic in element.iter("graphic"):
            yield from _element_pieces(graphic, kind)
        return
    yield from _segment_pieces(element, kind)


def _segment_pieces(element: etree._Element, kind: str) -> Iterator[_Piece]:
    """Text of an element cut at line breaks and nested blocks; nested lists and images come out in place."""
    buffer: list[str] = []

    def flush() -> Iterator[_Piece]:
        text = _clean("".join(buffer))
        buffer.clear()
        if text:
            yield _Piece(kind, text)

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


# ------------------------------------------------------------------------------------- the original page


@dataclass
class _Figure:
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
class _PageMap:
    """The original tree in document order: flat text key, figures with their captions, lead and byline."""

    tree: HtmlElement
    flat: str = ""
    figures: list[_Figure] = field(default_factory=list)
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
                if not tag or tag in _SKIPPED_TAGS or _is_never_shown(element, tag):
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
                    key = _key(element.text)
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
                    key = _key(element.tail)
                    parts.append(key)
                    length += len(key)
        self.flat = "".join(parts)
        for kind, element, start in candidates:
            text = _clean(_visible_text(element))
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
        alt = _clean(image.get("alt") or "")
        if alt and not inside_figure and not pixel and not chrome and not _looks_like_file_name(alt):
            # an image of the article without a caption: its alt text is shown where it stands
            self.figures.append(
                _Figure(position, position, frozenset(keys), alt, "", [], chrome, False, _inside_link(image))
            )

    def in_navigation(self, position: int) -> bool:
        return any(start <= position < end for start, end in self.navigation)

    # -- locating text

    def find(self, text: str, start: int = 0) -> int:
        """Position of ``text`` in the flat key at or after ``start`` (then anywhere); -1 if absent."""
        key = _key(text)
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


def _visible_text(element: etree._Element) -> str:
    parts: list[str] = []
    _collect_text(element, parts, top=True)
    return "".join(parts)


def _collect_text(element: etree._Element, parts: list[str], top: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag and tag not in _SKIPPED_TAGS:
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
                    tail = _image_key(candidate)
                    if tail:
                        keys.add(tail)
    return keys


def _image_key(src: str) -> str:
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


def _read_figure(element: etree._Element, start: int, end: int, chrome: bool) -> _Figure | None:
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
            _CREDIT_CLASS.search(_class_text(child) or "")
            or (child.tag in ("small", "cite") and any(c in caption_elements for c in child.iterancestors()))
        )
    ]
    credit_elements = [c for c in credit_elements if not any(a in credit_elements for a in c.iterancestors())]
    for credit in credit_elements:
        text = _clean(_visible_text(credit))
        if text and len(text) <= MAX_CREDIT_CHARS and text not in credits:
            credits.append(text)
    for caption in caption_elements:
        parts: list[str] = []
        _collect_caption_text(caption, parts, set(credit_elements), top=True)
        text = _clean("".join(parts))
        if text:
            caption_parts.append(text)
    caption = _clean(" ".join(caption_parts))[:MAX_CAPTION_CHARS]
    if caption and not credits:
        caption, credit = split_credit(caption)
        if credit:
            credits.append(credit)
    elif caption and _ONLY_CREDIT.match(caption) and len(caption) <= MAX_CREDIT_CHARS:
        credits.insert(0, caption)
        caption = ""
    alt = ""
    for image in element.iter("img"):
        alt = _clean(image.get("alt") or "")
        if alt:
            break
    if not caption and not credits:
        return None if not alt else _Figure(
            start, end, frozenset(_image_keys(element)), alt, "", [], chrome, _is_pixel(element), False
        )
    if element.tag != "figure" and len(caption) + sum(map(len, credits)) > MAX_CAPTION_CHARS:
        return None  # a big box whose class merely mentions captions: not one figure
    link_text = sum(len(_key(_visible_text(a))) for a in element.iter("a"))
    return _Figure(
        position=start,
        end=end,
        image_keys=frozenset(_image_keys(element)),
        alt=alt,
        caption=caption,
        credits=credits,
        chrome=chrome,
        pixel=_is_pixel(element),
        link_heavy=bool(caption) and link_text >= 0.8 * len(_key(caption)),
    )


def _collect_caption_text(element: etree._Element, parts: list[str], skip: set, top: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if element in skip:
        parts.append(" ")
    elif tag and tag not in _SKIPPED_TAGS:
        if element.text:
            parts.append(element.text)
        for child in element:
            _collect_caption_text(child, parts, skip)
        if tag in ("p", "div", "br", "span"):
            parts.append(" ")
    if not top and element.tail:
        parts.append(element.tail)


_AGENCY_TAIL = re.compile(r"^(?P<caption>.*[.!?…][\"'”’»)]*)\s+(?P<credit>[^.!?…]{2,80}(?:/|—|–|\bfor\b)[^.!?…]{2,60})$", re.S)


# "... on Monday. Getty Images", "... in Kyiv. Sergei Supinsky AFP": capitalised words after the last sentence
_NAMED_TAIL = re.compile(
    r"^(?P<caption>.*[.!?…][\"'”’»)]*)\s+(?P<credit>(?:[A-Z][\w'’.\-]*\s*){1,6})$", re.S
)


def split_credit(caption: str) -> tuple[str, str]:
    """("Rescuers at work.", "Photo: Jane Doe/Reuters") from "Rescuers at work. Photo: Jane Doe/Reuters"."""
    if _ONLY_CREDIT.match(caption) and len(caption) <= MAX_CREDIT_CHARS:
        return "", caption
    match = _CREDIT_TAIL.match(caption)
    if not match:
        agency = _AGENCY_TAIL.match(caption) or _NAMED_TAIL.match(caption)
        if agency and _CREDIT_WORDS.search(agency.group("credit")) and len(agency.group("credit").split()) <= 8:
            return agency.group("caption"), agency.group("credit").strip()
        return caption, ""
    credit = match.group("credit").strip()
    if match.group("paren") is not None and not _CREDIT_WORDS.search(match.group("paren")):
        return caption, ""
    head = match.group("caption").strip()
    if not head:
        return "", credit
    # keep the caption's own final full stop: "Rescuers at work." stays as written
    rest = caption[: len(caption) - len(credit)].rstrip()
    rest = rest.rstrip("|–—-").rstrip()
    return rest or head, credit


# ------------------------------------------------------------------------------------- assembly


def _assemble(
    pieces: list[_Piece], page: _PageMap, title: str, description: str, outlet: str = ""
) -> list[tuple[str, str]]:
    """Typed blocks in page order; ``pieces`` must have been located (``_locate``) first."""
    title_key = _key(title)

    # headline: the first heading that is the title (or a leading h1), else the title on top
    headline_index = None
    for index, piece in enumerate(pieces[:4]):
        if piece.kind == "heading" and title_key and _same(_key(piece.text), title_key):
            headline_index = index
            break
    if headline_index is None and pieces and pieces[0].kind == "heading" and pieces[0].level == "h1":
        headline_index = 0
    if headline_index is not None:
        headline, headline_position = pieces[headline_index].text, pieces[headline_index].position
        before, body = pieces[:headline_index], pieces[headline_index + 1 :]
    else:
        headline = _page_headline(title, page)
        headline_position = page.find(headline) if headline else -1
        before, body = [], pieces

    known = {_key(p.text) for p in pieces if p.text}
    paragraphs = [p.position for p in body if p.kind == "paragraph" and p.position >= 0][:2]
    limit = paragraphs[-1] if paragraphs else len(page.flat)  # a lead may be the first paragraph

    # standfirst: a lead element or the visible meta description; marked in place when
    # trafilatura kept it as an early paragraph, inserted under the headline when it did not
    standfirst = ""
    leads = [text for position, text in page.leads if headline_position <= position <= limit]
    if description and len(description) <= MAX_LEAD_CHARS and page.find(description) >= 0:
        leads.append(description)
    marked = False
    for lead in leads:
        match = next((p for p in body[:3] if p.kind == "paragraph" and _same(_key(p.text), _key(lead))), None)
        if match is not None:
            match.kind, marked = "standfirst", True
            break
    first_text = next((p.position for p in body if p.kind == "paragraph" and p.position >= 0), None)
    limit = first_text if first_text is not None else len(page.flat)
    if not marked:
        standfirst = next(
            (text for position, text in page.leads
             if headline_position <= position <= limit and not any(_same(_key(text), k) for k in known)),
            "",
        )

    # byline: marked as such on the page, near the headline, above the first paragraph;
    # of nested or repeated candidates, one that reads "By ..." is preferred
    bylines = [
        text for position, text in page.bylines
        if headline_position - 200 <= position <= limit and len(text) >= 3 and _key(text) not in known
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
    blocks.append(("standfirst", standfirst))
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
    # a heading with nothing of the story after it ("Comments", "More from us") is not the story's
    while _ends_with_empty_heading(blocks):
        index = max(i for i, (kind, _) in enumerate(blocks) if kind == "subheading")
        del blocks[index]
    return blocks


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
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—•·:]|-{1,2})\s+")


def _page_headline(title: str, page: _PageMap) -> str:
    """The page's own <h1> when it is the title; else the title without a " | Site" tail."""
    title_key = _key(title)
    for _, heading in page.h1s:
        heading_key = _key(heading)
        if heading_key and title_key and (heading_key in title_key or title_key in heading_key):
            return heading
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) > 1 and len(parts[-1].split()) <= 4 and len(" ".join(parts[:-1])) >= 15:
        return title[: title.rfind(parts[-1])].rstrip(" |–—•·:-")
    return title


def _same(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 0.6 * len(longer) and (longer.startswith(shorter.rstrip(".…")) or shorter in longer)


def _locate(pieces: list[_Piece], page: _PageMap) -> None:
    cursor = 0
    for piece in pieces:
        if piece.kind == "graphic":
            key = _image_key(piece.src)
            if key in page.pixel_keys:
                piece.alt = ""  # a tracking pixel: nothing of it is shown
            piece.position = page.image_positions.get(key, cursor)
            continue
        found = page.find(piece.text, cursor) if piece.text else -1
        if found >= 0:
            piece.position = found
            cursor = found
        else:
            piece.position = cursor


def _piece_blocks(piece: _Piece) -> list[tuple[str, str]]:
    if piece.kind == "dropped":
        return []
    if piece.kind == "graphic":
        return [("image_alt", piece.alt)] if piece.alt and not _looks_like_file_name(piece.alt) else []
    if piece.kind == "heading":
        return [("subheading", piece.text)]
    if piece.kind == "paragraph" and len(piece.text) <= MAX_CREDIT_CHARS and _ONLY_CREDIT.match(piece.text):
        return [("credit", piece.text)]
    if piece.kind == "paragraph" and len(piece.text) <= MAX_RELATED_CHARS and _READ_MORE.match(piece.text):
        return [("related", piece.text)]
    return [(piece.kind, piece.text)]


def _looks_like_file_name(text: str) -> bool:
    """Alt text that says nothing: a file name, or one lower-case word ("preload", "image", "icon")."""
    return bool(re.fullmatch(r"[\w\-]+\.(?:jpe?g|png|gif|webp|svg|avif)|[a-z_\-]+\d*", text, re.I if "." in text else 0))


def _place_figures(
    body: list[_Piece], page: _PageMap, headline_position: int, outlet: str = ""
) -> list[tuple[_Piece | None, list[_Figure]]]:
    """Pair every kept piece with the figures that follow it on the page."""
    slots: list[tuple[_Piece | None, list[_Figure]]] = [(None, [])] + [(piece, []) for piece in body]
    text_positions = [p.position for p in body if p.kind != "graphic" and p.position >= 0]
    if not page.figures:
        return slots
    first = min(text_positions) if text_positions else 0
    last_piece = max((p for p in body if p.kind != "graphic"), key=lambda p: p.position, default=None)
    last_end = last_piece.position + len(_key(last_piece.text)) if last_piece is not None else 0
    graphic_slots: dict[str, int] = {}
    for index, piece in enumerate(body, 1):
        if piece.kind == "graphic":
            key = _image_key(piece.src)
            if key:
                graphic_slots.setdefault(key, index)
    starts = [p.position for p in body]
    kept_as_text: dict[str, int] = {}
    for index, piece in enumerate(body, 1):
        if piece.kind == "paragraph" and len(piece.text) <= MAX_CAPTION_CHARS + MAX_CREDIT_CHARS:
            kept_as_text.setdefault(_key(piece.text), index)
    outlet_key = _key(outlet)
    for figure in page.figures:
        if figure.pixel or figure.link_heavy:
            continue
        if not figure.caption and not figure.credits and outlet_key and _key(figure.alt) == outlet_key:
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
            if figure.chrome:
                continue
            if first <= figure.position <= last_end:
                slot = _slot_before(starts, figure.position)
            elif first - LEAD_FIGURE_REACH <= figure.position < first and (
                figure.position >= headline_position if not figure.caption else figure.position >= headline_position - 2000
            ):
                slot = 0
            elif last_end < figure.position <= last_end + TRAILING_FIGURE_REACH:
                slot = len(body)
            else:
                continue
        slots[slot][1].append(figure)
    return slots


def _caption_variants(figure: _Figure) -> list[str]:
    caption, credits = _key(figure.caption), "".join(_key(c) for c in figure.credits)
    return [v for v in (caption + credits, caption, credits) if v]


def _slot_before(starts: list[int], position: int) -> int:
    """Index (1-based, into the slots) of the last piece that starts before ``position``; 0 for none."""
    best = 0
    for index, start in enumerate(starts, 1):
        if 0 <= start <= position:
            best = index
    return best


def _figure_blocks(figure: _Figure, seen: set[str], after: _Piece | None) -> list[tuple[str, str]]:
    caption_key = _key(figure.caption)
    identity = caption_key + "|" + "|".join(_key(c) for c in figure.credits) + "|" + _key(figure.alt)
    if identity in seen:
        return []
    seen.add(identity)
    blocks: list[tuple[str, str]] = []
    alt_shown = after is not None and after.kind == "graphic" and bool(after.alt)
    alt_key = _key(figure.alt)
    alt_in_caption = bool(caption_key) and (alt_key in caption_key or caption_key in alt_key)
    if figure.alt and not alt_shown and not alt_in_caption and not _looks_like_file_name(figure.alt):
        blocks.append(("image_alt", figure.alt))
    if figure.caption:
        blocks.append(("caption", figure.caption))
    for credit in figure.credits:
        if _key(credit) not in caption_key:
            blocks.append(("credit", credit))
    return blocks


__all__ = [
    "MAX_ELEMENTS",
    "MAX_HTML_BYTES",
    "import_html_file",
    "parse_html",
    "parse_html_bytes",
    "sniff_charset",
    "split_credit",
]
