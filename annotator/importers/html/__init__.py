"""Turn a saved web page into an Article: the story's text as typed blocks, captions kept, chrome left out.

Modules
    this one        entry points, limits, decoding and parsing the page
    page_map.py     one walk over the parsed page: flat text key, figures, lead, byline, headings,
                    chrome boxes
    figures.py      one figure: image, alt text, caption and credits read from the markup
    extraction.py   trafilatura's extraction and metadata, its output read as pieces
    cleaning.py     a text cleaned for a block, and its key for finding it on the page
    assembly.py     pieces and figures into typed blocks in page order
    headline.py     which text is the story's headline (not the site's name)
    annotator/credits.py  the photo-credit rules shared with the text importer and the prefill

Why two passes over one parsed page
    trafilatura (the field-standard extractor) finds the main content and drops the boilerplate:
    navigation, ads, related links, newsletter boxes, comment threads, cookie banners. It keeps the
    structure we need (headings, paragraphs, block quotes, lists) but drops image captions and photo
    credits, which analysts tag. So the page is parsed once (``trafilatura.utils.load_html``, the
    parse trafilatura itself would make); a cheap pass over that tree records the figures, captions,
    image alt texts, lead and byline elements and where they stand; trafilatura then extracts from a
    copy, and the captions go back where they stand in the article. trafilatura is run without its
    image option: with it, it takes rows of related-story thumbnails for content.

Blocks
    headline    the story's title, not the site's name (headline.py): the first heading that is
                the title, a leading <h1>, else the title without the site's name, at the top
    standfirst  a lead element (class standfirst/dek/lede/subtitle/summary/...) or the meta
                description, when that text is visible on the page near the top
    byline      an element marked as a byline or author (class, itemprop, rel) near the headline
    subheading  other headings (a heading with nothing of the story after it is dropped)
    paragraph, quote (each paragraph of a block quote), list_item (nested lists too)
    related     a "Read more: ..." line inside the text
    image_alt   alt text of an image of the article (tracking pixels, icons, logos, images inside
                links and placeholder alts such as "preload" ignored)
    caption     a figure's caption (figcaption, or an element of class caption); a prefix such as
                "FILE PHOTO:" stays in it
    credit      the photo credit: an element of class credit/copyright/photographer, a <small> or
                <cite> in the figure, or a tail such as "Photo: X", "(Getty Images)", "© X",
                "Name/Agency", "写真：X" (the rules are annotator/credits.py's)

Placement of captions
    The tree is walked once in document order into a "flat key": all visible text with whitespace
    removed, casefolded. Each extracted block is located in it by its own key (searching forward
    from the previous block), and each figure by its start. A figure goes after the last block that
    precedes it, if it lies within the article's text (or above its first paragraph and below the
    headline, for a lead picture, wherever the site put it; or just below its last) and not inside
    a chrome box (related, promo, newsletter, share, aside, nav, footer, hidden) that holds none of
    the story's text. A caption that trafilatura kept as a paragraph becomes the caption (and
    credit) blocks in its place.

Safety and privacy
    Nothing is fetched: the HTML is given to trafilatura as a parsed tree, never as a URL; images are
    never loaded (only their alt text is kept); scripts, styles, iframes, forms, <template>s and
    hidden elements never reach a block; nor does a DOCTYPE's internal subset. A page over 20 MB or
    with more than ``MAX_ELEMENTS`` elements is refused with a message, and so is text with a lone
    surrogate; a page without article text is refused as "no article text found in <file>". No
    step costs the square of the page's size (a 6 MB page: benchmarks/bench_html_import.py); the
    batch import's per-file time limit (annotator/importing.py) stops whatever still takes too long.
"""


from __future__ import annotations

import logging
import re
from pathlib import Path

from lxml.html import HtmlElement

from annotator.errors import ImportFailed
from annotator.model import Article, build_article

from ..reading import DEFAULT_MAX_BYTES, decode_bytes, megabytes, read_file_bytes, refuse_lone_surrogates
from .assembly import BODY_KINDS, assemble, locate
from .cleaning import clean
from .extraction import author_names, body_pieces, extract
from .page_map import PageMap

MAX_HTML_BYTES = DEFAULT_MAX_BYTES
MAX_ELEMENTS = 200_000

_CHARSET_META = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I
)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# <!DOCTYPE html [ <!ENTITY ...> ]>: an HTML parser ends the doctype at the first ">" and shows the
# rest of the internal subset ("]>") as text, as browsers do; no HTML page needs the subset.
_DOCTYPE_SUBSET = re.compile(r"""(<!DOCTYPE\b[^\[>]*)\[(?:[^\]"']|"[^"]*"|'[^']*')*\]\s*>""", re.I)
CHARSET_SCAN_BYTES = 8192

# trafilatura logs every page it discards at WARNING; the import reports that itself.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


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
        raise ImportFailed(f"{name}: {megabytes(len(data))} is over the {megabytes(MAX_HTML_BYTES)} limit for one page")
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
    refuse_lone_surrogates(html, name, "the page")
    _refuse_too_many_tags(html.count("<"), name)
    tree = _load_tree(html, name)
    count = sum(1 for _ in tree.iter())
    if count > MAX_ELEMENTS:
        raise ImportFailed(
            f"{name}: the page has {count:,} HTML elements, over the limit of {MAX_ELEMENTS:,} for one article"
        )
    page = PageMap(tree)
    for element in page.pruned:  # the page map is made: the tree is trafilatura's to read now
        element.drop_tree()
    document = extract(tree, url, count)
    if document is None or document.body is None:
        raise ImportFailed(f"no article text found in {name}")
    pieces = list(body_pieces(document.body))
    locate(pieces, page)
    # trafilatura's last-resort extraction can return a menu; a page whose only text sits in its
    # navigation or footer has no article
    if not any(p.kind not in ("graphic", "heading") and not page.in_navigation(p.position) for p in pieces):
        raise ImportFailed(f"no article text found in {name}")
    title = clean(document.title or "")
    titles = [title, clean(tree.findtext(".//title") or "")]
    blocks = assemble(pieces, page, titles, clean(document.description or ""), clean(document.sitename or ""))
    if not any(kind in BODY_KINDS for kind, _ in blocks):
        raise ImportFailed(f"no article text found in {name}")
    headline = next((text for kind, text in blocks if kind == "headline"), "")
    return build_article(
        blocks,
        title=headline or title,  # the page's own headline: the metadata title may carry " | Site"
        url=clean(url or document.url or ""),
        outlet=clean(document.sitename or ""),
        authors=author_names(document.author),
        published=clean(document.date or ""),
        section=clean((document.categories or [""])[0]) if document.categories else "",
        language=clean(document.language or tree.get("lang") or tree.get("xml:lang") or ""),
        source_file=source_file,
    )


def _refuse_too_many_tags(opening_brackets: int, name: str) -> None:
    # An element costs one or two tags; this cheap count refuses the worst pages before parsing.
    if opening_brackets > 2 * MAX_ELEMENTS + 10_000:
        raise ImportFailed(
            f"{name}: the page has more than {MAX_ELEMENTS:,} HTML elements, the limit for one article"
        )


def _load_tree(html: str, name: str) -> HtmlElement:
    html = _XML_DECLARATION_TEXT.sub("", html, count=1)
    html = _DOCTYPE_SUBSET.sub(r"\1>", html)
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


__all__ = [
    "MAX_ELEMENTS",
    "MAX_HTML_BYTES",
    "import_html_file",
    "parse_html",
    "parse_html_bytes",
    "sniff_charset",
]
