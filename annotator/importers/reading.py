"""Read a text file from disk into a clean Python string, or refuse it with a clear reason.

Why this module exists: analysts feed the app whatever they have saved - pages copied from a
browser, exports from old newsroom systems in windows-1251 or Shift_JIS, files from Windows with
CRLF line ends or a UTF-16 byte-order mark, and now and then a PNG or a .docx picked by mistake.
Each of those must either become the right text or fail with a message that names the file and the
problem, never with a traceback and never with mojibake silently stored as an article.

Order of decisions (cheapest and most certain first):

1. ``os.stat`` only: missing, a folder, not a regular file (a FIFO would block), empty, or over the
   size limit. A 50 MB file is refused without reading a byte of it.
2. A byte-order mark settles the encoding (UTF-32 marks are checked before UTF-16 ones, because
   the UTF-32-LE mark begins with the UTF-16-LE one).
3. Well-known binary signatures (PNG, JPEG, PDF, ZIP/.docx, ...) and NUL bytes in the first 8 KB
   mean "not text" - except UTF-16 without a mark, whose NULs sit on every other byte.
4. Strict UTF-8: the usual case, and a legacy 8-bit text almost never passes it by accident.
   It wins over a declared charset too: pages re-saved as UTF-8 often keep an old
   ``<meta charset=iso-8859-1>``, while a real legacy page is practically never valid UTF-8.
5. A charset the caller found declared in the file (HTML ``<meta charset>``, the MIME header of
   an .mhtml part), decoded strictly; a declaration that does not fit the bytes is ignored.
   Labels are read as browsers read them (WHATWG): "iso-8859-1" and "ascii" mean windows-1252,
   "shift_jis" means cp932, "euc-kr" means cp949, "gb2312" means gb18030.
6. charset-normalizer for the rest. Its best guess can tie between code pages that decode the same
   letters differently (French latin-1 scores the same as cp1250, where "è" becomes "č"), so ties
   are broken in favour of the code pages that are common in practice.

The result has ``\\n`` line ends only and is NFC-normalised (``build_article`` normalises again;
doing it here makes the function useful on its own).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from pathlib import Path

from charset_normalizer import CharsetMatch, from_bytes

from annotator.errors import ImportFailed

DEFAULT_MAX_BYTES = 20_000_000
SNIFF_BYTES = 8192
# Share of decoded characters allowed to be control/unassigned before the text is called binary.
MAX_CONTROL_SHARE = 0.02

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .odt or .epub file is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)

# Tie-break among equally good charset-normalizer guesses: the code pages most often met in
# saved news text come first. Names are Python codec names as charset-normalizer reports them.
_PREFERRED_ENCODINGS: tuple[str, ...] = (
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1251",
    "koi8_r",
    "cp1250",
    "iso8859_2",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp932",
    "shift_jis",
    "euc_jp",
    "cp949",
    "euc_kr",
    "gb18030",
    "big5",
)

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def read_text_file(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Return the text of ``path`` decoded and normalised, or raise ``ImportFailed``."""
    path = Path(path)
    return decode_bytes(read_file_bytes(path, max_bytes), str(path))


def read_file_bytes(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular, non-empty file of at most ``max_bytes``, or ``ImportFailed``."""
    path = Path(path)
    name = str(path)
    size = _checked_size(path, name, max_bytes)
    if size == 0:
        raise ImportFailed(f"{name}: the file is empty")
    data = _read_at_most(path, name, max_bytes)
    if not data:
        raise ImportFailed(f"{name}: the file is empty")
    return data


def decode_bytes(data: bytes, name: str, declared: str | None = None, *, normalize: bool = True) -> str:
    """Decode the bytes of a text file named ``name`` (used in messages) to normalised text.

    ``declared`` is a charset label found in the file or its container (see the module docstring,
    step 5); it is a hint, used only when the bytes are not UTF-8 and decode strictly with it.
    ``normalize=False`` skips NFC for markup whose extracted text is normalised later anyway.
    """
    if not data:
        raise ImportFailed(f"{name}: the file is empty")
    text = _decode(data, name, declared)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if normalize:
        text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise ImportFailed(f"{name}: no text (the file holds only whitespace)")
    return text


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def refuse_lone_surrogates(text: str, where: str, what: str = "the text") -> None:
    """Raise ImportFailed if ``text`` holds a lone surrogate (a half of a character beyond U+FFFF).

    Such a code point is not a character: no project file, export or window can hold it. A JSON
    string may carry one ("\\ud83d" alone: an emoji cut in half by the program that wrote it); no
    decoded file can. ``where`` starts the message ("file.jsonl: line 3").
    """
    match = _LONE_SURROGATE.search(text)
    if match is not None:
        raise ImportFailed(
            f"{where}: {what} holds a lone surrogate (\\u{ord(match.group()):04x}) at character {match.start() + 1}, "
            "half of a character such as an emoji, cut off where the file was made; it is not a character and "
            "cannot be stored (fix the file, or remove that escape)"
        )


def megabytes(size: int) -> str:
    """Decimal units as file managers show them: 52428800 -> "52.4 MB", 20000000 -> "20 MB"."""
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _checked_size(path: Path, name: str, max_bytes: int) -> int:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ImportFailed(f"{name}: no such file") from None
    except PermissionError:
        raise ImportFailed(f"{name}: permission denied") from None
    except OSError as exc:
        raise ImportFailed(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportFailed(f"{name}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ImportFailed(f"{name}: is not a regular file")
    if info.st_size > max_bytes:
        raise ImportFailed(
            f"{name}: {megabytes(info.st_size)} is over the {megabytes(max_bytes)} limit for one article"
        )
    return info.st_size


def _read_at_most(path: Path, name: str, max_bytes: int) -> bytes:
    """Read up to ``max_bytes``; the file may have grown since it was measured."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise ImportFailed(f"{name}: permission denied") from None
    except OSError as exc:
        raise ImportFailed(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise ImportFailed(
            f"{name}: more than {megabytes(max_bytes)}, the limit for one article (it grew while being read)"
        )
    return data


def _decode(data: bytes, name: str, declared: str | None = None) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, codec, name)
    _refuse_known_binary(data, name)
    if b"\x00" in data[:SNIFF_BYTES]:
        return _decode_utf16_without_bom(data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = codec_for_label(declared) if declared else None
    if codec is not None and codec != "utf-8":
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            text = ""  # the declaration is wrong: detect instead
        if text and not _mostly_controls(text):
            return text
    return _decode_legacy(data, name)


# Labels whose meaning on the web differs from Python's codec of the same name (WHATWG Encoding
# Standard): browsers decode them with the superset, and so must we to show the same text.
_WEB_LABELS: dict[str, str | None] = {
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii", "cp819",
         "ibm819", "iso-ir-100", "windows-1252", "x-cp1252"),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "iso8859-11", "windows-874", "dos-874"), "cp874"),
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "ms932", "windows-31j", "csshiftjis"), "cp932"
    ),
    **dict.fromkeys(("euc-kr", "euc_kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "windows-949", "korean"),
                    "cp949"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312-80", "chinese", "csgb2312", "gb18030"), "gb18030"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5"), "big5hkscs"),
    # A page that declares UTF-16 but has no byte-order mark is decoded as UTF-8 by browsers.
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "utf-32", "unicode", "ucs-2"), "utf-8"),
    "x-user-defined": None,
}


def codec_for_label(label: str | None) -> str | None:
    """The Python codec for a charset label as a browser reads it; None if unknown or unusable."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if key in _WEB_LABELS:
        return _WEB_LABELS[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def _decode_with_bom(data: bytes, codec: str, name: str) -> str:
    label = codec.replace("-sig", "").upper()
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            f"{name}: starts with a {label} byte-order mark but is not valid {label} (byte {exc.start})"
        ) from None


def _refuse_known_binary(data: bytes, name: str) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ImportFailed(f"{name}: this is {kind}, not a text file")


def _decode_utf16_without_bom(data: bytes, name: str) -> str:
    """NUL bytes mean binary, unless they fall on every other byte as in UTF-16 text."""
    head = data[:SNIFF_BYTES]
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = max(1, len(head) // 2)
    codec = ""
    if len(data) % 2 == 0 and odd_nuls >= half * 0.3 and even_nuls <= odd_nuls * 0.05:
        codec = "utf-16-le"
    elif len(data) % 2 == 0 and even_nuls >= half * 0.3 and odd_nuls <= even_nuls * 0.05:
        codec = "utf-16-be"
    if codec:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = ""
        if text and not _mostly_controls(text):
            return text
    raise ImportFailed(f"{name}: this looks like a binary file (it contains NUL bytes), not text")


def _decode_legacy(data: bytes, name: str) -> str:
    matches = list(from_bytes(data))
    if not matches:
        raise ImportFailed(
            f"{name}: not valid UTF-8, and no other text encoding fits it "
            "(is it a binary file? if it is text, save it as UTF-8 and import again)"
        )
    match = _pick_match(matches)
    text = str(match)
    if _mostly_controls(text):
        raise ImportFailed(f"{name}: this looks like a binary file (mostly control characters), not text")
    return text


def _pick_match(matches: list[CharsetMatch]) -> CharsetMatch:
    """charset-normalizer's best guess, with ties settled by ``_PREFERRED_ENCODINGS``."""
    best = matches[0]
    tied = [m for m in matches if m.chaos <= best.chaos + 1e-9 and m.coherence >= best.coherence - 0.01]

    def rank(match: CharsetMatch) -> int:
        names = [match.encoding, *match.could_be_from_charset]
        ranks = [_PREFERRED_ENCODINGS.index(n) for n in names if n in _PREFERRED_ENCODINGS]
        return min(ranks, default=len(_PREFERRED_ENCODINGS))

    return min(tied, key=rank)


def _mostly_controls(text: str) -> bool:
    if not text:
        return False
    bad = sum(
        1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cn", "Cs", "Co")
    )
    return bad > len(text) * MAX_CONTROL_SHARE
