"""Sentences of a block of text: spaCy's tokenizer and sentencizer when spaCy is installed, the
built-in splitter below otherwise. Offsets are code points into the text given, end exclusive,
without the whitespace around a sentence.

The built-in splitter (English first, and any language that ends sentences with . ! ? …) breaks
after a sentence mark, and the closing quotation marks or brackets right after it, when what
follows is whitespace and then a capital letter, a digit or an opening quotation mark. It does not
break after

- a known abbreviation ("Mr.", "Dr.", "Gen.", "Sen.", "No.", "Jan.", "e.g.", "U.S.", "a.m."),
- an initial ("John F. Kennedy"), or
- a ? or ! inside quotation marks that the sentence goes on after ("Why?" she asked).

spaCy is imported on first use only, so importing this module (and annotator.suggest) stays cheap.
``set_backend("builtin")`` forces the built-in splitter (tests, benchmarks that compare the two).
"""

from __future__ import annotations

import functools
import re
from typing import Callable

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt cpl maj adm rep sen gov st jr sr rev hon pres supt det insp "
    "inc corp co ltd llc plc bros dept univ assn est approx fig no nos vs etc al "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "mt ft ave blvd rd".split()
)
# Dotted abbreviations a sentence rarely ends with: "U.S. officials", "e.g. the", "a.m. on".
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}$")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+(?P<next>\S))")
_OPENERS = "\"'“‘«([¿¡"

Splitter = Callable[[str, str], list[tuple[int, int]]]
_backend = "auto"


def set_backend(name: str) -> None:
    """``"auto"`` (spaCy when installed), ``"builtin"`` or ``"spacy"`` (which must be installed)."""
    global _backend
    if name not in ("auto", "builtin", "spacy"):
        raise ValueError(f"unknown sentence backend {name!r}: choose auto, builtin or spacy")
    _backend = name


def backend() -> str:
    """The splitter in use now: "spacy" or "builtin"."""
    if _backend == "builtin":
        return "builtin"
    if _backend == "spacy" or _spacy_available():
        return "spacy"
    return "builtin"


@functools.lru_cache(maxsize=1)
def _spacy_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("spacy") is not None


def split_sentences(text: str, language: str = "en") -> list[tuple[int, int]]:
    """The (start, end) of each sentence of ``text`` (one block: sentences never cross blocks)."""
    return split_blocks([text], language)[0]


def split_blocks(texts: list[str], language: str = "en") -> list[list[tuple[int, int]]]:
    """split_sentences of each text; with spaCy, the texts go through its pipeline as one batch."""
    if backend() != "spacy":
        return [builtin_sentences(t) if t.strip() else [] for t in texts]
    nlp = _spacy_pipeline(language)
    found: list[list[tuple[int, int]]] = [[] for _ in texts]
    todo = [n for n, t in enumerate(texts) if t.strip()]
    for n, doc in zip(todo, nlp.pipe(texts[n] for n in todo)):
        found[n] = _doc_sentences(texts[n], doc)
    return found


def builtin_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if not _breaks(text, match):
            continue
        spans.append((start, match.end()))
        start = match.start("next")
    spans.append((start, len(text)))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))[0] < trimmed[1]]


def _breaks(text: str, match: re.Match[str]) -> bool:
    nxt = match.group("next")
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    mark = match.group(0)
    if mark[0] in "!?" and mark[-1] in "\"'”’»" and not nxt.isupper():
        return False
    if mark[0] != ".":
        return True
    word_start = match.start()
    while word_start > 0 and not text[word_start - 1].isspace() and text[word_start - 1] not in _OPENERS:
        word_start -= 1
    word = text[word_start : match.start()]
    if not word:
        return True
    if _DOTTED.search(word + "."):
        return False
    bare = word.rsplit(".", 1)[-1]
    if bare.casefold() in ABBREVIATIONS:
        return False
    return not (len(bare) == 1 and bare.isupper())  # an initial: "John F. Kennedy"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@functools.lru_cache(maxsize=8)
def _spacy_pipeline(language: str):  # -> spacy.Language
    import spacy

    try:
        nlp = spacy.blank(language or "en")
    except (ImportError, KeyError, ValueError):  # spaCy has no such language: its multi-language tokenizer
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def _doc_sentences(text: str, doc) -> list[tuple[int, int]]:
    spans = []
    for sentence in doc.sents:
        start, end = _trim(text, sentence.start_char, sentence.end_char)
        if start < end:
            spans.append((start, end))
    return _rejoin_abbreviations(text, spans)


def _rejoin_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's sentencizer breaks after "Gen." or "F." where its tokenizer split the full stop
    off; the built-in rule decides those breaks again."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev_start, prev_end = merged[-1]
            gap = text[prev_end:start]
            match = _SENTENCE_END.match(text, prev_end - _mark_length(text, prev_end))
            if not gap.strip() and (match is None or not _breaks(text, match)):
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def _mark_length(text: str, end: int) -> int:
    n = 0
    while end - n > 0 and text[end - n - 1] in ".!?…\"'”’»)]":
        n += 1
    return n
