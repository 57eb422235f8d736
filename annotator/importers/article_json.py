"""Articles as JSON: a .json file (one object, a list of objects, or {"articles": [...]}) or JSON Lines.

Each object is one article, in one of two shapes:

    {"title": "...", "text": "...", "url": ..., "authors": [...], "published": ..., ...}
        ``text`` is split into paragraph blocks: on blank lines when it has any (the lines of one
        paragraph are joined with a space), else one paragraph per line. Without a ``title``, the
        first line is the headline. A ``standfirst`` (or ``subtitle``/``dek``) becomes a standfirst.
    {"html": "<html>...</html>", "url": ...}
        the page goes through the HTML importer; the object's own fields override its metadata.

Metadata keys (all optional; common aliases accepted): url (link), outlet (site_name, sitename,
source, publisher), authors (author, byline: a list or a string with commas/"and"), published (date,
published_at, datePublished, pubdate), section (category), language (lang).

All-or-nothing per file: one bad line or item fails the whole file with its line (JSONL) or item
number (a JSON list), and nothing of the file is imported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

from annotator.errors import ImportFailed
from annotator.model import Article, build_article

from .reading import decode_bytes, read_file_bytes, refuse_lone_surrogates

MAX_JSON_BYTES = 200_000_000
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")

_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "article", "maintext", "raw_text"),
    "html": ("html", "raw_html", "page_html"),
    "url": ("url", "link", "canonical_url", "source_url"),
    "outlet": ("outlet", "site_name", "sitename", "source", "publisher", "source_domain"),
    "authors": ("authors", "author", "byline"),
    "published": ("published", "date", "published_at", "date_publish", "datePublished", "pubdate", "publish_date"),
    "section": ("section", "category"),
    "language": ("language", "lang"),
    "standfirst": ("standfirst", "subtitle", "dek", "subheadline"),
}
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n")
_SPACES = re.compile(r"\s{2,}|[^\S\xa0]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\ufeff]")
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&)\s*")


def import_json_file(path: Path | str) -> list[Article]:
    """Every article of a .json or .jsonl file, or ImportFailed naming the line or item at fault."""
    path = Path(path)
    name = str(path)
    text = decode_bytes(read_file_bytes(path, MAX_JSON_BYTES), name)
    if path.suffix.lower() in JSONL_SUFFIXES:
        return list(_jsonl_articles(text, name))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and _first_line_is_json(text):
            return list(_jsonl_articles(text, name))  # JSON Lines in a .json file
        raise ImportFailed(f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return list(_json_articles(value, name))


def _first_line_is_json(text: str) -> bool:
    first = next((line for line in text.split("\n") if line.strip()), "")
    try:
        json.loads(first)
    except json.JSONDecodeError:
        return False
    return True


def _jsonl_articles(text: str, name: str) -> Iterator[Article]:
    found = False
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{name}: line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFailed(f"{where}: not valid JSON (column {exc.colno}: {exc.msg})") from None
        found = True
        yield article_from_record(record, where, source_file=name)
    if not found:
        raise ImportFailed(f"{name}: no article found in the file (no JSON lines)")


def _json_articles(value: Any, name: str) -> Iterator[Article]:
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    if isinstance(value, dict):
        yield article_from_record(value, name, source_file=name)
        return
    if not isinstance(value, list):
        raise ImportFailed(f"{name}: expected an article object or a list of them, found {_json_type(value)}")
    if not value:
        raise ImportFailed(f"{name}: no article found in the file (an empty list)")
    for number, record in enumerate(value, 1):
        yield article_from_record(record, f"{name}: item {number}", source_file=name)


def article_from_record(record: Any, where: str, *, source_file: str = "") -> Article:
    """One article from one JSON object; ``where`` ("file: line 3") starts every error message."""
    if not isinstance(record, dict):
        raise ImportFailed(f"{where}: expected an article object, found {_json_type(record)}")
    fields = {key: _field(record, key, where) for key in _ALIASES}
    for key, value in fields.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                refuse_lone_surrogates(text, where, f'"{key}"')
    metadata = {
        "url": _string(fields["url"], "url", where),
        "outlet": _string(fields["outlet"], "outlet", where),
        "published": _string(fields["published"], "published", where),
        "section": _string(fields["section"], "section", where),
        "language": _string(fields["language"], "language", where),
        "source_file": source_file,
    }
    authors = _authors(fields["authors"], where)
    title = _clean(_string(fields["title"], "title", where))
    html = fields["html"]
    if html is not None and not (isinstance(html, str) and html.strip()) and fields["text"] is None:
        raise ImportFailed(f'{where}: "html" must be the page as a non-empty string')
    if isinstance(html, str) and html.strip():
        from .html import parse_html

        article = parse_html(html, where, source_file=source_file, url=metadata["url"])
        overrides = {k: v for k, v in metadata.items() if v}
        if title:
            overrides["title"] = title
        if authors:
            overrides["authors"] = authors
        for key, value in overrides.items():
            setattr(article, key, value)
        return article
    text = fields["text"]
    if text is None:
        raise ImportFailed(f'{where}: an article needs a "text" or an "html" field')
    if not isinstance(text, str):
        raise ImportFailed(f'{where}: "text" must be a string, found {_json_type(text)}')
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise ImportFailed(f'{where}: the "text" field is empty')
    blocks: list[tuple[str, str]] = []
    if title:
        blocks.append(("headline", title))
    else:
        title = paragraphs.pop(0)
        blocks.append(("headline", title))
    standfirst = _clean(_string(fields["standfirst"], "standfirst", where))
    if standfirst:
        blocks.append(("standfirst", standfirst))
    blocks.extend(("paragraph", paragraph) for paragraph in paragraphs)
    return build_article(blocks, title=title, authors=authors, **metadata)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text: blank-line separated (lines joined) if it has blank lines, else lines."""
    text = _LINE_BREAKS.sub("\n", text)
    if _BLANK_LINE.search(text):
        chunks = _BLANK_LINE.split(text)
    else:
        chunks = text.split("\n")
    return [cleaned for chunk in chunks if (cleaned := _clean(chunk))]


def _field(record: dict, key: str, where: str) -> Any:
    for alias in _ALIASES[key]:
        if alias in record and record[alias] is not None:
            return record[alias]
    return None


def _string(value: Any, key: str, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"]  # {"name": "Reuters"} as schema.org writes it
    if not isinstance(value, str):
        raise ImportFailed(f'{where}: "{key}" must be a string, found {_json_type(value)}')
    return _clean(value)


def _authors(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        text = re.sub(r"^\s*by\s+", "", _clean(value), flags=re.I)
        names = _AUTHOR_SPLIT.split(text)
    elif isinstance(value, list):
        names = [_string(item, "authors", where) for item in value]
    else:
        names = [_string(value, "authors", where)]
    return [name for name in dict.fromkeys(_clean(n) for n in names) if name]


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _CONTROLS.sub("", text)).strip(" \xa0")


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )
