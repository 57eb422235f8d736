"""Turn a news page copied as plain text into an Article of typed blocks plus metadata.

Why rules and not a model: a page copied from a browser keeps the page's reading order and one
line per element, and the few element kinds an analyst cares about (headline, byline, captions and
their photo credits, related-story teasers) have stable surface shapes across outlets. Simple,
documented rules are predictable, fast and offline; where they guess wrong, the only harm is a
block's kind, because every character still lands in some block.

Preparation
    The text is NFC-normalised and split on any line break (``str.splitlines``); each line is
    stripped of surrounding whitespace (copied pages end lines with spaces and no-break spaces) and
    blank lines are dropped. Inner characters, no-break spaces included, are kept. So every
    non-whitespace character of the input is in exactly one block, in input order.

Header (only at the top of the text)
    topic      the first line, when the second line is a dateline marker and a headline follows;
               it becomes ``section``. Example: "Kim Jong Un" above "Published".
    dateline   a short line "Published", "Published <date>", "Updated <date>", "Posted ..." or
               "Last updated ...", at the top or after the topic; several in a row are allowed.
               The date text of the first one becomes ``published``.
    headline   the next line (the first line when there is no topic/dateline); it becomes ``title``.
    byline     a line "By ..." among the next four lines after the headline. "By A | Outlet",
               "By A and B, Outlet", "By A, B and C" give ``authors`` and ``outlet``.
    author     the line just above the byline, when it looks like a person's name.
    standfirst the first line between headline and author/byline, when it is one short sentence;
               any other line there is a paragraph. Without a byline there is no standfirst: a
               short line after a headline is as likely to be the first paragraph.

Body (everything after the header)
    image_alt, caption, credit
               a short line with no final punctuation (the image's alt text) followed by a line
               that ends with a parenthesised credit. The caption line is split in two blocks: the
               caption text (without the space before the parenthesis) and a ``credit`` block that
               keeps its parentheses, "(Mikhail Svetlov/Getty Images)" - no character is dropped.
               A line ending in a parenthesis that names a photo agency ("/", Getty, AP, Reuters,
               Photo, ...) is a caption + credit even without an alt line above it. A position word
               in parentheses, "(left)", is not a credit. The rules are annotator/credits.py's.
    related    a line of at least three words that is mostly capital letters: the inline
               "read also" headlines ("KIM JONG UN BALLOONS PAST 300 POUNDS ...").
    note       a short line "... contributed to this report." or wire-style "Reporting by ...",
               "Editing by ..." (long lines stay paragraphs: "Reporting by the BBC showed ...").
    bio        the last line, when it starts with the name of one of the byline's authors, or (no
               byline) reads "<Name> is a reporter/writer/editor/... ".
    paragraph  every other line.

A text with no news structure still imports: first line headline, the other lines paragraphs (the
body rules above still apply to them). A single line is a single headline.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from annotator.credits import names_an_agency, split_parenthesised_credit
from annotator.errors import ImportFailed
from annotator.importers.reading import read_text_file
from annotator.model import Article, build_article

MAX_TOPIC_CHARS = 80
MAX_DATELINE_CHARS = 100
MAX_STANDFIRST_CHARS = 320
MAX_NAME_CHARS = 60
MAX_ALT_CHARS = 140
MAX_BYLINE_CHARS = 200
BYLINE_LOOKAHEAD = 4
MAX_NOTE_CHARS = 250
MAX_RELATED_CHARS = 250  # a related-story headline is one short line; paragraphs are skipped at once

_DATELINE = re.compile(r"^(?:published|updated|last updated|posted|modified)\b[\s:,\-–—]*(?P<date>.*)$", re.I)
_BYLINE = re.compile(r"^by\s+(?P<rest>\S.*)$", re.I)
_TERMINAL = tuple(".!?:;,…\"'”’»)")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)]*\s+\S")
_NOTE = re.compile(
    r"(?:contributed to this report|contributed reporting|contributed to this story)\W*$"
    r"|^(?:additional )?reporting by\b|^editing by\b|^writing by\b|^compiled by\b",
    re.I,
)
_BIO_ROLE = re.compile(
    r"^[A-Z][\w'’.\-]+(?:\s+[\w'’.\-]+){0,4}\s+(?:is|was)\s+(?:an?|the)\s+(?:[\w\-]+\s+){0,3}"
    r"(?:reporter|writer|correspondent|editor|journalist|columnist|contributor|producer|"
    r"analyst|author|freelancer|staff writer)\b"
)
_NAME_PARTICLES = frozenset({"de", "da", "del", "der", "di", "du", "la", "le", "van", "von", "bin", "al", "el", "y"})
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")


@dataclass
class _Page:
    """Blocks and metadata collected while walking the lines."""

    blocks: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""
    authors: list[str] = field(default_factory=list)
    outlet: str = ""
    published: str = ""
    section: str = ""

    def add(self, kind: str, text: str) -> None:
        self.blocks.append((kind, text))


def import_text_file(path: Path | str) -> Article:
    """Read a text file and parse it as a copied news page."""
    text = read_text_file(Path(path))
    return parse_text_page(text, source_file=str(path))


def parse_text_page(text: str, source_file: str = "") -> Article:
    """Split a copied news page into typed blocks and metadata (see the module docstring)."""
    lines = _clean_lines(text)
    if not lines:
        raise ImportFailed(f"{source_file}: no article text" if source_file else "no article text")
    page = _Page()
    body_start = _parse_header(lines, page)
    _parse_body(lines[body_start:], page)
    return build_article(
        page.blocks,
        title=page.title,
        authors=page.authors,
        outlet=page.outlet,
        published=page.published,
        section=page.section,
        source_file=source_file,
    )


def _clean_lines(text: str) -> list[str]:
    """NFC first, so metadata (title, authors) matches the block texts build_article makes."""
    text = unicodedata.normalize("NFC", text)
    return [stripped for line in text.splitlines() if (stripped := line.strip())]


# ---------------------------------------------------------------- header


def _parse_header(lines: list[str], page: _Page) -> int:
    """Emit topic/dateline/headline/standfirst/author/byline; return the index where the body starts."""
    index = _parse_topic_and_datelines(lines, page)
    page.add("headline", lines[index])
    page.title = lines[index]
    index += 1
    byline_at = _find_byline(lines, index)
    if byline_at is None:
        return index
    authors, outlet = parse_byline(lines[byline_at])
    page.authors, page.outlet = authors, outlet
    author_at = byline_at - 1 if byline_at - 1 >= index and _is_author_line(lines[byline_at - 1], authors) else None
    between_end = author_at if author_at is not None else byline_at
    for offset, line in enumerate(lines[index:between_end]):
        page.add("standfirst" if offset == 0 and _is_standfirst(line) else "paragraph", line)
    if author_at is not None:
        page.add("author", lines[author_at])
    page.add("byline", lines[byline_at])
    return byline_at + 1


def _parse_topic_and_datelines(lines: list[str], page: _Page) -> int:
    """Return the index of the headline; emits topic and dateline blocks found above it."""
    if len(lines) < 2:
        return 0
    start = 0
    if not _is_dateline(lines[0]) and len(lines[0]) <= MAX_TOPIC_CHARS and _is_dateline(lines[1]):
        start = 1
    end = start
    while end < len(lines) and _is_dateline(lines[end]):
        end += 1
    if end == start or end >= len(lines):
        return 0  # no dateline, or nothing left for a headline: treat the text as plain
    if start == 1:
        page.add("topic", lines[0])
        page.section = lines[0]
    for line in lines[start:end]:
        page.add("dateline", line)
        if not page.published:
            page.published = _dateline_date(line)
    return end


def _is_dateline(line: str) -> bool:
    return len(line) <= MAX_DATELINE_CHARS and _DATELINE.match(line) is not None


def _dateline_date(line: str) -> str:
    match = _DATELINE.match(line)
    return match.group("date").strip() if match else ""


def _find_byline(lines: list[str], start: int) -> int | None:
    for index in range(start, min(start + BYLINE_LOOKAHEAD, len(lines))):
        line = lines[index]
        if len(line) <= MAX_BYLINE_CHARS and _BYLINE.match(line) and parse_byline(line)[0]:
            return index
    return None


def parse_byline(line: str) -> tuple[list[str], str]:
    """Authors and outlet from "By A | Outlet", "By A and B, Outlet" or "By A, B and C"."""
    match = _BYLINE.match(line.strip())
    if not match:
        return [], ""
    rest = match.group("rest").strip()
    outlet = ""
    if "|" in rest:
        rest, _, outlet = rest.partition("|")
    elif "," in rest:
        head, _, tail = rest.rpartition(",")
        if not re.search(r"\band\b|&", tail):
            rest, outlet = head, tail
    names = [name.strip() for name in _BYLINE_SPLIT.split(rest) if name.strip()]
    return [name for name in names if _looks_like_name(name)], outlet.strip()


def _looks_like_name(text: str) -> bool:
    if len(text) > MAX_NAME_CHARS or any(ch.isdigit() for ch in text) or text.endswith(_TERMINAL):
        return False
    words = text.split()
    if not 1 <= len(words) <= 6:
        return False
    return all(word[0].isupper() or word.lower() in _NAME_PARTICLES for word in words)


def _is_author_line(line: str, authors: list[str]) -> bool:
    return line in authors or (_looks_like_name(line) and len(line.split()) >= 2)


def _is_standfirst(line: str) -> bool:
    return len(line) <= MAX_STANDFIRST_CHARS and _SENTENCE_BREAK.search(line) is None


# ---------------------------------------------------------------- body


def _parse_body(lines: list[str], page: _Page) -> None:
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and _is_alt(line) and split_parenthesised_credit(following) is not None:
            page.add("image_alt", line)
            _add_caption(following, page)
            index += 2
            continue
        if _is_bare_caption(line):
            _add_caption(line, page)
        else:
            page.add(_body_kind(line, index == len(lines) - 1, page.authors), line)
        index += 1


def _body_kind(line: str, is_last: bool, authors: list[str]) -> str:
    if is_last and _is_bio(line, authors):
        return "bio"
    if len(line) <= MAX_NOTE_CHARS and _NOTE.search(line):
        return "note"
    if _is_related(line):
        return "related"
    return "paragraph"


def _is_alt(line: str) -> bool:
    return len(line) <= MAX_ALT_CHARS and not line.endswith(_TERMINAL) and not _is_related(line)


def _is_bare_caption(line: str) -> bool:
    """A caption with an agency credit but no alt line above it."""
    parts = split_parenthesised_credit(line)
    return parts is not None and bool(parts[0]) and names_an_agency(parts[1])


def _add_caption(line: str, page: _Page) -> None:
    caption, credit = split_parenthesised_credit(line) or (line, "")
    if caption:
        page.add("caption", caption)
    if credit:
        page.add("credit", credit)


def _is_related(line: str) -> bool:
    if len(line) > MAX_RELATED_CHARS or len(line.split()) < 3:
        return False
    upper = sum(map(str.isupper, line))
    lower = sum(map(str.islower, line))
    return upper + lower >= 10 and upper >= 0.85 * (upper + lower)


def _is_bio(line: str, authors: list[str]) -> bool:
    if any(line.startswith(name + " ") or line.startswith(name + "’") for name in authors if name):
        return True
    return _BIO_ROLE.match(line) is not None
