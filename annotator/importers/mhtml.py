"""A page saved as one file by a browser ("Webpage, single file": .mhtml / .mht).

MHTML is a MIME message (RFC 2557): a multipart/related body whose first text/html part is the
page, the other parts its images, styles and frames. The standard library's email parser reads it;
the page's part is decoded from its transfer encoding (quoted-printable or base64) and its charset
(from the part's Content-Type, else the page's own <meta charset>), then handed to the HTML
importer. The other parts are never looked at: images stay unloaded, as for a plain .html file.
The part's Content-Location (the page's address when it was saved) becomes the article's url.
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message
from pathlib import Path

from annotator.errors import ImportFailed
from annotator.model import Article

from .html import MAX_HTML_BYTES, parse_html_bytes
from .reading import read_file_bytes

# A saved page carries its images inside: the file may be much larger than the page itself.
MAX_MHTML_BYTES = 100_000_000


def import_mhtml_file(path: Path | str) -> Article:
    path = Path(path)
    name = str(path)
    data = read_file_bytes(path, MAX_MHTML_BYTES)
    return parse_mhtml_bytes(data, name, source_file=name)


def parse_mhtml_bytes(data: bytes, name: str, *, source_file: str = "") -> Article:
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; this is for the unexpected
        raise ImportFailed(f"{name}: not a readable MHTML file ({type(exc).__name__})") from None
    part = _html_part(message)
    if part is None:
        raise ImportFailed(f"{name}: an MHTML file without an HTML page in it")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise ImportFailed(f"no article text found in {name} (its HTML part is empty)")
    if len(payload) > MAX_HTML_BYTES:
        raise ImportFailed(f"{name}: the page inside is over the {MAX_HTML_BYTES // 1_000_000} MB limit for one page")
    charset = part.get_content_charset() or None
    url = _header(part, "Content-Location") or _header(message, "Snapshot-Content-Location")
    return parse_html_bytes(
        payload, name, source_file=source_file, url=url if url.startswith(("http://", "https://")) else "",
        declared_charset=charset,
    )


def _header(message: Message, name: str) -> str:
    """A header's text; one with raw UTF-8 in it (a non-ASCII address) is read as UTF-8.

    The compat32 parser keeps such bytes as surrogate escapes and hands back a Header object.
    """
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            if isinstance(value, str):
                value = value.encode("ascii", "surrogateescape").decode("utf-8", "replace")
            return str(value).strip()
    return ""


def _html_part(message: Message) -> Message | None:
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml") and not part.is_multipart():
            return part
    return None
