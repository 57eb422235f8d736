"""Which text is the story's headline, and not the site's name.

Pages name the site in many places a headline could be taken from: the <title> ("Story | Site",
"Site » Story", "Site | Tagline: Story"), og:title, and on blogs an <h1> that is the site's name
linking to its home page, with the story's title in an <h2> or <h3> below it. So:

1. The story's title is the first of trafilatura's title and the page's <title> that is not the
   site's name, without the site's name before or after it ("LinkNaija | Nigeria's popular news
   platform: Nollywood Actress ..." -> "Nollywood Actress ..."; "Internet-Law » Verstößt der
   Ausschluss ..." -> "Verstößt der Ausschluss ...") and without a short " | Site" tail.
2. The headline is the first heading among the first pieces that is that title; else a leading
   <h1> that is not the site's name; else the page's <h1> that is the title; else the title.

The site's name is the outlet (og:site_name, publisher), with or without its domain ending, or
any part of it ("LinkNaija" of "LinkNaija | Nigeria's popular news platform"), or an <h1> that
is one link to the home page.
"""

from __future__ import annotations

import re

from .cleaning import flat_key, same
from .extraction import Piece
from .page_map import PageMap

_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—•·:»›]|-{1,2})\s+|\s*[|»›]\s*")
_EDGE_SEPARATORS = " |:–—-•·»›"
_DOMAIN_END = re.compile(r"\.[a-z]{2,6}$")
# A tail after the last separator is a site name when it is this short and the rest is a headline.
MAX_SITE_TAIL_WORDS = 4
MIN_HEADLINE_CHARS = 15


def site_keys(outlet: str, title: str = "", names: list[str] | None = None) -> set[str]:
    """Keys that name the site: the outlet, without its domain ending, and each part of it; ``names``.

    An outlet that is the title itself says nothing (trafilatura falls back to the title).
    ``names`` are other texts known to be the site's name (an <h1> that links to the home page).
    """
    extra = {flat_key(name) for name in names or ()} - {""}
    if not outlet or flat_key(outlet) == flat_key(title):
        return extra
    keys = extra | {flat_key(outlet), _DOMAIN_END.sub("", flat_key(outlet))}
    keys.update(flat_key(part) for part in _TITLE_SEPARATOR.split(outlet))
    keys.update(_DOMAIN_END.sub("", key) for key in list(keys))
    return {key for key in keys if key}


def is_site_name(text: str, sites: set[str]) -> bool:
    return flat_key(text) in sites


def story_title(titles: list[str], outlet: str, sites: set[str]) -> str:
    """The story's title from the candidate titles (trafilatura's, the page's <title>): see the module."""
    if flat_key(outlet) not in sites:
        outlet = ""
    for title in titles:
        if not title or is_site_name(title, sites):
            continue
        text = _without_site(title, outlet, sites)
        if text:
            return text
    return next((title for title in titles if title), "")


def _without_site(title: str, outlet: str, sites: set[str]) -> str:
    text = title
    if outlet and len(outlet) < len(text):
        folded, site = text.casefold(), outlet.casefold()
        if folded.startswith(site):
            text = text[len(outlet) :].lstrip(_EDGE_SEPARATORS)
        elif folded.endswith(site):
            text = text[: -len(outlet)].rstrip(_EDGE_SEPARATORS)
    parts = [part for part in _TITLE_SEPARATOR.split(text) if part.strip()]
    if len(parts) > 1:
        story = [part for part in parts if not is_site_name(part, sites)]
        if story and len(story) < len(parts):
            return _rejoin(text, story)
        last = parts[-1]
        if len(last.split()) <= MAX_SITE_TAIL_WORDS and len(" ".join(parts[:-1])) >= MIN_HEADLINE_CHARS:
            return text[: text.rfind(last)].rstrip(_EDGE_SEPARATORS)
    return text.strip()


def _rejoin(text: str, parts: list[str]) -> str:
    """The span of ``text`` from the first to the last of ``parts`` (separators inside kept)."""
    start = text.find(parts[0])
    end = text.rfind(parts[-1]) + len(parts[-1])
    return text[start:end].strip(_EDGE_SEPARATORS) if 0 <= start < end else " ".join(parts)


def choose_headline(pieces: list[Piece], page: PageMap, titles: list[str], outlet: str) -> tuple[int | None, str]:
    """(index of the piece that is the headline, or None; the headline's text)."""
    sites = site_keys(outlet, titles[0] if titles else "", page.site_names)
    title = story_title(titles, outlet, sites)
    title_key = flat_key(title)
    for index, piece in enumerate(pieces[:4]):
        if piece.kind == "heading" and title_key and same(flat_key(piece.text), title_key):
            return index, piece.text
    if pieces and pieces[0].kind == "heading" and pieces[0].level == "h1" and not is_site_name(pieces[0].text, sites):
        return 0, pieces[0].text
    for _, heading, boxes in page.h1s:
        heading_key = flat_key(heading)
        if (
            heading_key and title_key and not page.is_chrome(boxes)
            and (heading_key in title_key or title_key in heading_key)
            and not is_site_name(heading, sites)
        ):
            return None, heading
    return None, title
