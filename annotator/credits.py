"""Photo credits: the one rule set that tells a credit from the caption it ends or stands beside.

Three places need it, and they must agree: the HTML importer (credit classes in the markup,
"Photo: X" tails of captions), the text importer (a copied caption line that ends in
"(Name/Agency)") and the attribute prefill of a CAPTION annotation (the credit it covers).

What is a credit
    a labelled credit   "Photo: Jane Doe/Reuters", "Photograph by Sam Green", "Credit: Riot Games",
                        "Foto: dpa", "Bild: Audi", "Crédits : Getty", "写真：共同", "© AFP 2024"
    a parenthesis       "(Getty Images)", "(AP Photo/Ahn Young-joon)": anything in parentheses
                        with letters except a position word ("(left)", "(2019)" has no letters)
    an agency tail      "... on Monday. David McNew—Getty Images", "... in Kyiv. Sergei Supinsky/AFP",
                        "... on Monday. Reuters": short capitalised words after the last sentence that
                        name an agency or hold a slash
A caption prefix is not a credit: "FILE PHOTO: A view of the bank ... REUTERS/Toby Melville" is
the caption "FILE PHOTO: A view of the bank ..." and the credit "REUTERS/Toby Melville"; so is a
leading "PHOTO:" before a sentence ("PHOTO: Rescuers search the rubble in Antakya.").

Only the standard library and annotator.model are imported here.
"""

from __future__ import annotations

import re

from annotator.model import Article

MAX_CREDIT_CHARS = 200
# A labelled credit names people or agencies: "Photo: Jane Doe/Reuters". More words than this
# after the label make it a sentence, and the label a caption prefix ("PHOTO: Rescuers search ...").
MAX_CREDIT_WORDS = 12

# class, id or itemprop of an element that holds a credit
CREDIT_CLASS = re.compile(
    r"credit|copyright|photographer|attribution|image-?source|photo-?source|courtesy|byline|author|source", re.I
)

_AGENCIES = (
    r"getty|images?|photos?|ap|afp|reuters|epa|shutterstock|alamy|credit|courtesy|pool|via|xinhua|bloomberg|"
    r"anadolu|sipa|dpa|ansa|efe|tass|sputnik|kcna|pa|press|handout|file|nasa|wikimedia|unsplash"
)
CREDIT_WORDS = re.compile(rf"/|\b(?:{_AGENCIES})\b", re.I)

_LABEL = (
    r"photo(?:graph)?s?|pictures?|pic|images?|illustration|graphic|video|screenshot|credits?|cr[ée]dits?(?:\s+photo)?|"
    r"fotos?|bild(?:er)?|quelle|fuente|source|фото|снимок"
)
_CJK_LABEL = r"写真|撮影|图片|圖片|摄影|攝影|사진"
_LABELLED = re.compile(rf"^(?:(?:{_LABEL})\s*(?::|by\b|\|)|(?:{_CJK_LABEL})\s*[:：／/]|©|\(c\)\s|copyright\b)\s*", re.I)
_CREDIT_TAIL = re.compile(
    r"^(?P<caption>.*?)[\s.,;|•·–—-]*(?P<credit>"
    rf"(?:\b(?:{_LABEL})\s*(?::|by\b|\|)\s*[^:]{{2,{MAX_CREDIT_CHARS}}})"
    rf"|(?:{_CJK_LABEL})\s*[:：／/]\s*[^:：]{{1,{MAX_CREDIT_CHARS}}}"
    rf"|(?:©|\(c\)|copyright\b)\s*[^©]{{2,{MAX_CREDIT_CHARS}}}"
    rf"|\((?P<paren>[^()]{{2,{MAX_CREDIT_CHARS}}})\)"
    r")\s*$",
    re.I | re.S,
)
# "... at work. David McNew—Getty Images", "... in Kyiv. Sergei Supinsky/AFP for The Times"
_AGENCY_TAIL = re.compile(
    r"^(?P<caption>.*[.!?…][\"'”’»)]*)\s+(?P<credit>[^.!?…]{2,80}(?:/|—|–|\bfor\b)[^.!?…]{2,60})$", re.S
)
# "... on Monday. Getty Images": capitalised words after the last sentence
_NAMED_TAIL = re.compile(r"^(?P<caption>.*[.!?…][\"'”’»)]*)\s+(?P<credit>(?:[A-Z][\w'’.\-]*\s*){1,6})$", re.S)
_CAPTION_PREFIX = re.compile(
    r"^(?:(?:file|archive|handout|undated|exclusive)(?:\s+(?:photo|picture|image|video|footage)s?)?|"
    r"in\s+(?:pictures|photos|images)|watch|video)\s*(?::|\s[-–—])\s*",
    re.I,
)
_SENTENCE_END = re.compile(r"[a-z]{3,}[.!?]\s+\S")
_TRAILING_PARENTHESIS = re.compile(r"\((?P<inner>[^()]*)\)[\s.,;:]*$")
_PARENTHESISED_TAIL = re.compile(r"^(?P<caption>.*?)\s*(?P<credit>\([^()]+\))$", re.S)
_NOT_CREDITS = frozenset(
    "left right center centre top bottom pictured file l r c front back above below inset "
    "l-r".split()
) | {"from left", "left to right", "from top", "top left", "top right", "bottom left", "bottom right"}


def is_credit_only(text: str) -> bool:
    """A whole caption that is a credit: "Photo: AP", "© Ivo Mayr / Correctiv", "Credit: Riot Games"."""
    if len(text) > MAX_CREDIT_CHARS:
        return False
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()  # "(Bild: Audi)"
    label = _LABELLED.match(text)
    return label is not None and _names_only(text[label.end() :])


def names_an_agency(text: str) -> bool:
    """Whether a credit candidate names a photo agency or has the "Name/Agency" slash."""
    return CREDIT_WORDS.search(text) is not None


def split_credit(caption: str) -> tuple[str, str]:
    """("Rescuers at work.", "Photo: Jane Doe/Reuters") from "Rescuers at work. Photo: Jane Doe/Reuters".

    A caption without a credit comes back whole with an empty credit; a credit alone comes back
    as ("", credit). A caption prefix ("FILE PHOTO:", "PHOTO:" before a sentence) stays in the caption.
    """
    prefix = _CAPTION_PREFIX.match(caption)
    if prefix is None and is_credit_only(caption):
        return "", caption
    label = _LABELLED.match(caption)
    if prefix is None and label is not None and not label.group(0).lstrip().startswith(("©", "(")):
        prefix = label  # "PHOTO: Rescuers search the rubble.": a label before a sentence
    head = caption[prefix.end() :] if prefix else caption
    body, credit = _split_tail(head)
    if not credit:
        return caption, ""
    return caption[: len(caption) - len(head)] + body if prefix else body, credit


def _split_tail(caption: str) -> tuple[str, str]:
    match = _CREDIT_TAIL.match(caption)
    if match is None or (match.group("paren") is None and not _names_only(_after_label(match.group("credit")))):
        agency = _AGENCY_TAIL.match(caption) or _NAMED_TAIL.match(caption)
        if agency and names_an_agency(agency.group("credit")) and len(agency.group("credit").split()) <= 8:
            return agency.group("caption"), agency.group("credit").strip()
        return caption, ""
    credit = match.group("credit").strip()
    if match.group("paren") is not None and not names_an_agency(match.group("paren")):
        return caption, ""
    head = match.group("caption").strip()
    if not head:
        return "", credit
    # keep the caption's own final full stop: "Rescuers at work." stays as written
    rest = caption[: len(caption) - len(credit)].rstrip()
    rest = rest.rstrip("|•·–—-").rstrip()
    return rest or head, credit


def _after_label(credit: str) -> str:
    label = _LABELLED.match(credit)
    return credit[label.end() :] if label else credit


def _names_only(text: str) -> bool:
    """What follows a credit label is names, not a sentence: few words, no sentence that ends in them."""
    words = text.split()
    if not 0 < len(words) <= MAX_CREDIT_WORDS or _SENTENCE_END.search(text):
        return False
    return len(words) < 4 or not text.rstrip().endswith((".", "!", "?"))


def split_parenthesised_credit(line: str) -> tuple[str, str] | None:
    """("Caption text", "(Name/Agency)") for a line that ends in a credit in parentheses, else None.

    The parentheses stay in the credit, so no character of the line is lost; "(left)" and "(2019)"
    are not credits.
    """
    match = _PARENTHESISED_TAIL.match(line)
    if match is None or trailing_parenthesised_credit(match.group("credit")) is None:
        return None
    return match.group("caption"), match.group("credit")


def trailing_parenthesised_credit(text: str) -> str | None:
    """What the parentheses that end ``text`` hold, when it can be a credit: "(AP Photo/X)." -> "AP Photo/X"."""
    match = _TRAILING_PARENTHESIS.search(text)
    if match is None:
        return None
    inner = " ".join(match.group("inner").split())
    if not any(ch.isalpha() for ch in inner) or inner.casefold() in _NOT_CREDITS:
        return None
    return inner


def clean_credit(text: str) -> str:
    """A credit without surrounding space or parentheses: "(Mikhail Svetlov/Getty Images)" -> the name."""
    text = " ".join(text.split())
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def photo_credit(article: Article, start: int, end: int) -> str | None:
    """The photo credit contained in ``article.text[start:end]``, or None.

    The span overlaps a ``credit`` block (its text, without parentheses), or its text ends with a
    parenthesised credit, "… in Vladivostok, Russia. (AP Photo/Ahn Young-joon)".
    """
    for block in article.blocks:
        if block.kind == "credit" and block.start < end and block.end > start and block.end > block.start:
            credit = clean_credit(article.block_text(block))
            if credit:
                return credit
    return trailing_parenthesised_credit(article.text[start:end])
