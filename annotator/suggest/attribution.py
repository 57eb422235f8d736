"""Attributions in English news sentences: who (the source), the cue, and what (the content).

The rules (PARC 3.0's source, cue and content, narrowed by docs/guidelines.md):

- a cue verb with its subject before it: "[police] said [three people were arrested]",
  "[Three people were arrested], [police] said", "[Blinken] has previously described ...";
- the inverted form after a quotation: '"[We will appeal]," said [Jane Doe]';
- "according to": "according to [North Korean state media]", "according to a report from [The
  Korea Herald]" (a document with a named author gives the author);
- a document with its author: "An article published by [the Korean Central News Agency] ... says";
- an agency in parentheses after a statement: "The toll rose to 40 ([Reuters])." (not a dateline's
  "WASHINGTON (Reuters) -").

A source is the shortest name or role phrase: titles and roles before a name stay outside ("U.S.
Secretary of State [Antony Blinken]"), determiners before a role phrase too ("a [senior US
official]"), a possessive 's too; never a pronoun, never a bare back-reference ("the minister").
A content is the rest of the clause, without "that", the final full stop and enclosing quotation
marks; where a sentence nests attributions, the innermost content is the claim and every source
of the chain is linked to it (see claims.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon as lx

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:[’'\-.][^\W_]+)*|\S")
_QUOTES = "\"'“”‘’«»"
_CLOSERS = ".!?…;:,"
_PARENTHESISED = re.compile(r"\((?P<name>[A-Z][\w&.\- ]{0,40})\)")


class Token:
    """A word or punctuation mark of a sentence, with what the rules ask of it worked out once."""

    __slots__ = ("start", "end", "text", "low", "capital")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text
        self.low = text.casefold()
        # capitalised, or a name with a lower-case particle: "al-Amr", "bin-Salman"
        self.capital = text[:1].isupper() or ("-" in text and any(p[:1].isupper() for p in text.split("-")[1:]))

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r})"


@dataclass
class Attribution:
    cue: tuple[int, int]
    source: tuple[int, int] | None  # None: a pronoun, or an implicit source
    source_type: str = ""
    content: tuple[int, int] | None = None
    confidence: float = 0.7
    before_relative: int | None = None  # ", which X said": where the clause before it ends
    checkable: bool = True  # False: the content is only a wish, feeling or plan
    also: list[tuple[tuple[int, int], str]] = field(default_factory=list)  # conjoined sources, with types


def tokenize(text: str, start: int, end: int) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


_WORDS = re.compile(r"\w+")
_CUE_WORDS = lx.CUE_VERBS | {"according"}


def analyse_sentence(text: str, start: int, end: int, block_start: int | None = None) -> list[Attribution]:
    """Every attribution found in ``text[start:end]`` (one sentence)."""
    piece = text[start:end]
    if "(" not in piece and _CUE_WORDS.isdisjoint(_WORDS.findall(piece.casefold())):
        return []  # no cue word, no parenthesis: nothing to find (most sentences; the cheap test first)
    tokens = tokenize(text, start, end)
    found: list[Attribution] = []
    taken: set[int] = set()
    for i, token in enumerate(tokens):
        if i in taken:
            continue
        low = token.low
        if low == "according" and i + 1 < len(tokens) and tokens[i + 1].low == "to":
            found.append(_according_to(text, tokens, i, start, end))
            taken.add(i + 1)
        elif low in lx.CUE_VERBS and _is_cue_use(tokens, i):
            attribution = _verb_cue(text, tokens, i, start, end)
            if attribution is not None:
                found.append(attribution)
    found += _parenthesised_agencies(text, tokens, start, end, block_start)
    _forget_back_references(text, start, found)
    _cut_contents(text, tokens, found)
    for a in found:
        if a.content is not None and not_checkable(text, *a.content):
            a.checkable = False
    return [a for a in found if a.source is not None or a.content is not None]


_COUNTERFACTUAL = re.compile(r"^(?:had (?:it|they|he|she|we|i|the)\b|if \w+ had\b)|\bwould(?: not|n't)? have been\b", re.I)


def not_checkable(text: str, start: int, end: int) -> bool:
    """A wish, feeling or plan ("he wants to strengthen ties", "we hope to ..."), or a counterfactual
    ("Had it happened an hour later it would have been much worse")."""
    if _COUNTERFACTUAL.search(text[start:end]):
        return True
    words = [t.low for t in tokenize(text, start, min(end, start + 40))][:4]
    return bool(words) and any(w in lx.NOT_CHECKABLE_HEADS for w in words[:3]) and (
        words[0] in lx.PRONOUNS or (len(words) > 1 and words[1] in lx.NOT_CHECKABLE_HEADS)
    )


_NOUN_BEFORE_VERB = frozenset(
    "have has had are is were was say says said show shows showed suggest suggests suggested indicate indicates "
    "revealed reveal reveals found find finds".split()
)


def _is_cue_use(tokens: list[Token], i: int) -> bool:
    """A cue word used as a cue: not "the report" as a noun, "found" as "founded", "post" office."""
    low = tokens[i].low
    prev = tokens[i - 1].low if i else ""
    nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
    if i > 0 and tokens[i].capital and tokens[i - 1].text not in _QUOTES:
        return False  # "the United States", "Freedom Reports": part of a name
    if low in lx.NOUN_CUES and nxt in _NOUN_BEFORE_VERB:
        return False  # "Recent reports have revealed", "Estimates suggest": the noun, not the cue
    if low in ("maintain", "maintains", "maintained", "insist", "insists", "insisted") and nxt != "that":
        return False  # "have maintained a policy"
    if nxt == "by" or (low in lx.NOUN_CUES and (prev in lx.ROLE_WORDS or prev in lx.DOCUMENT_WORDS)):
        return False  # "a blog written by Rathbun", "a blog post": passive or a noun
    if low in ("show", "shows", "showed", "found", "finds") and prev in lx.DOCUMENT_WORDS:
        return True  # "The results show the camp kept its majority"
    if low in ("report", "reports", "post", "posts", "claims", "claim", "finds", "find", "state", "states", "show",
               "shows", "tweet", "tweets", "note", "notes", "estimate", "estimates", "add"):
        if prev in lx.DETERMINERS or prev in ("of", "to", "in", "for", "with", "and") or (i and tokens[i - 1].capital and low == "state"):
            return False
        if low in ("state", "states") and i + 1 < len(tokens) and tokens[i + 1].low in ("media", "of", "television", "department"):
            return False
    if low in ("found", "find", "finds", "show", "shows", "showed") and i + 1 < len(tokens) and tokens[i + 1].low in lx.DETERMINERS:
        # "found the body" is no attribution; "found that" and "found North Korean authorities were" are
        return tokens[i + 1].low == "that"
    return True


def _according_to(text: str, tokens: list[Token], i: int, s0: int, s1: int) -> Attribution:
    cue = (tokens[i].start, tokens[i + 1].end)
    source, kind, after = _np_forward(tokens, i + 2)
    attribution = Attribution(cue=cue, source=source, source_type=kind, confidence=0.8 if source else 0.5)
    if i <= 1 or (i >= 1 and _only_adverbs_before(tokens, i)):
        comma = next((k for k in range(after, len(tokens)) if tokens[k].text == ","), None)
        if comma is not None and comma + 1 < len(tokens):
            attribution.content = _content(text, tokens[comma + 1].start, s1)
    else:
        attribution.content = _content(text, s0, _before_comma(tokens, i))
    return attribution


def _only_adverbs_before(tokens: list[Token], i: int) -> bool:
    return all(t.low in lx.SENTENCE_ADVERBS or t.text == "," for t in tokens[:i])


def _verb_cue(text: str, tokens: list[Token], i: int, s0: int, s1: int) -> Attribution | None:
    j = i - 1
    while j >= 0 and tokens[j].low in lx.BETWEEN_SUBJECT_AND_CUE:
        j -= 1
    cue = (tokens[i].start, tokens[i].end)
    if j >= 0 and tokens[j].text == "," and tokens[i].low != "saying":
        j = _before_appositions(tokens, j)
    subject = _np_back(tokens, j) if j >= 0 and tokens[i].low != "saying" else None
    if j >= 0 and tokens[j].low in lx.PRONOUNS:
        return Attribution(cue=cue, source=None, content=_after_cue(text, tokens, i, s1) or _before_subject(text, tokens, j, s0),
                           confidence=0.6)
    if subject is not None:
        first, last = subject
        source, kind = _shorten(tokens, first, last)
        after = _after_cue(text, tokens, i, s1)
        if source is None:  # a back-reference ("the ministry said"): the content still counts
            content = after if after is not None and not _only_time_after(tokens, i) else _before_subject(text, tokens, first, s0)
            return Attribution(cue=cue, source=None, content=content, confidence=0.6)
        attribution = Attribution(cue=cue, source=source, source_type=kind)
        attribution.also = _conjoined(tokens, first)
        if first > 0 and tokens[first - 1].low in ("which", "who", "whom") and first > 1 and tokens[first - 2].text == ",":
            attribution.before_relative = tokens[first - 2].start
        if after is not None and not _only_time_after(tokens, i):
            attribution.content = after
        else:
            attribution.content = _before_subject(text, tokens, first, s0)
        return attribution
    author = _published_by(tokens, i)
    if author is not None:
        source, kind = author
        return Attribution(cue=cue, source=source, source_type=kind, content=_after_cue(text, tokens, i, s1), confidence=0.7)
    if tokens[i].low == "saying":
        # "The report continued, saying Kim expressed ...": the content; its source is the subject
        # of the clause before, a back-reference here
        return Attribution(cue=cue, source=None, content=_after_cue(text, tokens, i, s1), confidence=0.6)
    if j >= 0 and tokens[j].text == "," and tokens[i].low in ("said", "says", "added", "explained"):
        source, kind, after = _np_forward(tokens, i + 1)  # "Institutional recipients, said Mauer, are required"
        if source is not None and after < len(tokens) and tokens[after].text == ",":
            return Attribution(cue=cue, source=source, source_type=kind,
                               content=_content(text, tokens[after + 1].start, s1) if after + 1 < len(tokens) else None)
    if j >= 0 and _after_quotation(tokens, j):
        source, kind, after = _np_forward(tokens, i + 1)  # '"We will appeal," said Jane Doe.'
        if source is not None and (after >= len(tokens) or tokens[after].text in _CLOSERS or tokens[after].low in ("who", "in", "on", "by", "at", "of")):
            return Attribution(cue=cue, source=source, source_type=kind, content=_before_subject(text, tokens, i, s0))
    return None


def _after_quotation(tokens: list[Token], j: int) -> bool:
    """The cue follows a closing quotation mark (with or without a comma before it)."""
    if tokens[j].text in "”’\"'":
        return True
    return tokens[j].text == "," and j > 0 and tokens[j - 1].text in "”’\"'"


def _conjoined(tokens: list[Token], first: int) -> list[tuple[tuple[int, int], str]]:
    """"Both the School District and the Police Department have asserted": the other subjects."""
    found = []
    k = first - 1
    while k >= 0 and tokens[k].low in ("the", "a", "an"):
        k -= 1
    if k >= 1 and tokens[k].low == "and" and _np_word(tokens[k - 1]):
        other = _np_back(tokens, k - 1)
        if other is not None:
            span, kind = _shorten(tokens, *other)
            if span is not None:
                found.append((span, kind))
    return found


def _before_appositions(tokens: list[Token], j: int) -> int:
    """"Fuad Basya, spokesman for the military, said": the index of the name's last token, skipping up
    to two comma-separated appositions or asides ("in remarks to al-Ikhbariya television") that
    hold no cue and no quotation. ``j`` is the comma before the cue; returned unchanged otherwise."""
    end = j
    for _ in range(2):
        k = end - 1
        while k >= 0 and tokens[k].text != "," and end - k <= 16:
            if tokens[k].low in lx.CUE_VERBS or tokens[k].text in _QUOTES:
                return j
            k -= 1
        if k < 0 or tokens[k].text != ",":
            return j
        segment = tokens[k + 1 : end]
        if not segment or not (
            segment[0].low in lx.DETERMINERS or segment[0].low in lx.TITLES or segment[0].low in lx.ROLE_WORDS
            or (len(segment) > 1 and (segment[1].low in lx.TITLES or segment[1].low in lx.ROLE_WORDS))
            or segment[0].low in ("in", "and", "who", "speaking", "according") or segment[0].text[:1].isupper()
        ):
            return j
        before = k - 1
        if before >= 0 and tokens[before].capital and _np_back(tokens, before) is not None:
            first, _ = _np_back(tokens, before)
            if tokens[before].low not in lx.ROLE_WORDS and (first == 0 or tokens[first - 1].text in (",", "\"", "“")):
                return before
        end = k
    return j


def _only_time_after(tokens: list[Token], i: int) -> bool:
    rest = [t for t in tokens[i + 1 :] if t.text not in _CLOSERS and t.text not in _QUOTES]
    return len(rest) <= 3 and all(t.low in lx.WEEKDAYS or t.low in ("on", "in", "a", "statement", "last", "week", "night", "this", "morning", "evening") for t in rest)


def _after_cue(text: str, tokens: list[Token], i: int, s1: int) -> tuple[int, int] | None:
    """The content after a cue: skip "that", "in a statement", "on Tuesday", "told [the media ...] that"."""
    k = i + 1
    low = tokens[i].low
    if k < len(tokens) and tokens[k].low == "to" and low in ("said", "says", "say"):
        return None  # "is said to", "says to"
    window = tokens[k : k + 14]
    that = next((n for n, t in enumerate(window) if t.low == "that"), None)
    if low in ("told", "tells", "tell", "warned", "warns", "reminded") and that is not None:
        k += that + 1
    else:
        while k < len(tokens):
            t = tokens[k]
            if t.low in ("on", "in", "at") and k + 1 < len(tokens) and (
                tokens[k + 1].low in lx.WEEKDAYS or tokens[k + 1].low in lx.DETERMINERS or tokens[k + 1].low in lx.MONTHS
            ):
                k += 2
                while k < len(tokens) and (tokens[k].low in lx.REPORTING_NOUNS or tokens[k].low in ("press", "news", "an", "a")):
                    k += 1
                continue
            if t.low in lx.WEEKDAYS or t.low in ("that", ",", ":", "–", "—"):
                k += 1
                continue
            break
    if k >= len(tokens):
        return None
    return _content(text, tokens[k].start, s1)


def _before_subject(text: str, tokens: list[Token], first: int, s0: int) -> tuple[int, int] | None:
    """The content before ", police said" / '," said X': from the sentence start to the comma."""
    end = first
    while end > 0 and tokens[end - 1].low in lx.DETERMINERS:
        end -= 1
    if end <= 0:
        return None
    return _content(text, s0, tokens[end - 1].end if tokens[end - 1].text not in (",",) + tuple(_QUOTES) else tokens[end - 1].start)


def _before_comma(tokens: list[Token], i: int) -> int:
    j = i
    while j > 0 and tokens[j - 1].text in (",", "—", "–", "("):
        j -= 1
    return tokens[j - 1].end if j > 0 else tokens[i].start


def _content(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without spaces, closing marks, enclosing quotes and a final comma."""
    changed = True
    while changed and start < end:
        changed = False
        while start < end and (text[start].isspace() or text[start] in ",:"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!…"):
            end -= 1
            changed = True
        if end - start >= 2 and text[start] in _QUOTES and text[end - 1] in _QUOTES and _balanced_inside(text[start + 1 : end - 1]):
            start, end = start + 1, end - 1
            changed = True
        elif end > start and text[end - 1] in "”’\"" and text[start:end].count(text[end - 1]) + text[start:end].count("“") % 2 == 1:
            end -= 1  # a closing quotation mark of a quote that began before the content
            changed = True
        elif end > start and text[start] in "“\"" and _quote_count(text[start:end]) % 2 == 1:
            start += 1
            changed = True
    if end - start < 2 or len(text[start:end].split()) < 3:
        return None
    return start, end


def _quote_count(piece: str) -> int:
    return sum(piece.count(q) for q in "\"“”")


def _balanced_inside(piece: str) -> bool:
    return _quote_count(piece) % 2 == 0


def _np_back(tokens: list[Token], j: int) -> tuple[int, int] | None:
    """The (first, last) token indices of the noun phrase that ends at token ``j``, or None."""
    k = j
    if j >= 3 and tokens[j - 3].low == "familiar" and tokens[j - 2].low == "with" and tokens[j - 1].low in ("the", "a"):
        k = j - 3  # "people familiar with the matter said"
        if k == 0 or not _np_word(tokens[k - 1]):
            return None
        k -= 1
    elif tokens[j].low in lx.PRONOUNS or not _np_word(tokens[j]):
        return None
    while k - 1 >= 0:
        prev = tokens[k - 1]
        if _np_word(prev) and not (prev.capital and prev.low in lx.SENTENCE_ADVERBS and k - 1 == 0):
            if (prev.low in lx.PRONOUNS and not prev.text.isupper()) or (prev.low in lx.DETERMINERS and not prev.capital):
                break
            if prev.capital and prev.low in lx.DETERMINERS and prev.low != "the":
                break
            k -= 1
            continue
        if prev.low in ("of", "for") and k - 2 >= 0 and _np_word(tokens[k - 2]) and tokens[k - 2].low not in lx.PRONOUNS:
            k -= 1
            continue
        if prev.low == "the" and k - 2 >= 0 and tokens[k - 2].low in ("of", "for"):
            k -= 1
            continue
        break
    while k <= j and (tokens[k].low in lx.DETERMINERS or tokens[k].low in ("of", "for") or tokens[k].low in lx.SENTENCE_ADVERBS):
        if tokens[k].low == "the" and _publication_from(tokens, k, j):
            break
        k += 1
    if k > j:
        return None
    return k, j


def _np_word(token: Token) -> bool:
    if token.text in _QUOTES or not token.text[:1].isalnum():
        return False
    low = token.low
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if low in lx.ROLE_WORDS or low.rstrip("s") in lx.ROLE_WORDS or low in lx.TITLES:
        return True
    if token.capital or re.fullmatch(r"(?:[A-Z]\.){2,}", token.text):
        return low not in lx.PRONOUNS or token.text.isupper() and len(token.text) > 1  # "US" is no pronoun
    return low in lx.STATE_MEDIA or low in lx.OUTLETS


def _publication_from(tokens: list[Token], k: int, j: int) -> bool:
    """"The Korea Herald": a capital "The" that begins an outlet's printed name."""
    if not tokens[k].capital or k + 1 > j:
        return False
    name = " ".join(t.low for t in tokens[k : j + 1])
    return name in lx.OUTLETS or tokens[j].low in lx.OUTLET_HEADS


def _np_forward(tokens: list[Token], k: int) -> tuple[tuple[int, int] | None, str, int]:
    """The source named after "according to" or an inverted cue: (span, type, index after it)."""
    while k < len(tokens) and tokens[k].low in lx.DETERMINERS and not (tokens[k].low == "the" and _capital_run(tokens, k)):
        k += 1
    first = k
    while (
        k + 1 < len(tokens)
        and tokens[k].text[:1].isalpha()
        and not tokens[k].capital
        and not _np_word(tokens[k])
        and (tokens[k + 1].low in lx.DOCUMENT_WORDS or tokens[k + 1].low in lx.ROLE_WORDS)
    ):
        k += 1  # "the event website": the modifier stays with its head
    while k < len(tokens):
        t = tokens[k]
        if t.text == "’s" or t.text == "'s":
            k += 1
            continue
        if _np_word(t) or (t.low == "the" and t.capital):
            k += 1
            continue
        if t.low == "to" and k > first and tokens[k - 1].low in lx.TITLES and k + 1 < len(tokens) and (
            tokens[k + 1].low == "the" or tokens[k + 1].capital
        ):
            k += 2 if tokens[k + 1].low == "the" else 1  # "Ambassador to the United States Hamdullah Mohib"
            continue
        if t.low in ("of", "for", "at", "with") and k + 1 < len(tokens) and (
            _np_word(tokens[k + 1]) or tokens[k + 1].low == "the"
        ) and tokens[k - 1].low not in lx.DOCUMENT_WORDS:
            k += 1
            if tokens[k].low == "the":
                k += 1
            continue
        if t.low == "familiar" and k + 3 < len(tokens) and tokens[k + 1].low == "with":
            k += 4  # "people familiar with the matter"
            continue
        break
    if k <= first:
        return None, "", k
    last = k - 1
    if not tokens[last].capital and k + 2 < len(tokens) and tokens[k].text == ",":
        # "the Afghan team's coach, Alireza Mehraban, ...": the name in apposition
        n = k + 1
        while n < len(tokens) and tokens[n].capital and tokens[n].low not in lx.SENTENCE_ADVERBS:
            n += 1
        if n > k + 1 and (n >= len(tokens) or tokens[n].text in _CLOSERS):
            span, kind = _shorten(tokens, k + 1, n - 1)
            return span, kind, n
    head = _head_index(tokens, first, last)
    if tokens[head].low in lx.DOCUMENT_WORDS and head + 1 < len(tokens) and tokens[head + 1].low in ("by", "from", "of", "in"):
        author, kind, after = _np_forward(tokens, head + 2)
        if author is not None and any(ch.isupper() for ch in author_text(tokens, author)):
            return author, kind, after
    span, kind = _shorten(tokens, first, min(last, head) if tokens[head].low in lx.DOCUMENT_WORDS else last)
    return span, kind, k


def author_text(tokens: list[Token], span: tuple[int, int]) -> str:
    return " ".join(t.text for t in tokens if span[0] <= t.start and t.end <= span[1])


def _capital_run(tokens: list[Token], k: int) -> bool:
    j = k + 1
    while j < len(tokens) and tokens[j].capital:
        j += 1
    return j - 1 > k and _publication_from(tokens, k, j - 1)


def _head_index(tokens: list[Token], first: int, last: int) -> int:
    for n in range(first, last + 1):
        if tokens[n].low in ("of", "for", "at", "with", "from", "by", "familiar"):
            return max(first, n - 1)
    return last


def _published_by(tokens: list[Token], i: int) -> tuple[tuple[int, int], str] | None:
    """'An article published by the Korean Central News Agency, titled "...", says': the author."""
    for n in range(i - 1, 0, -1):
        if tokens[n].low == "by" and tokens[n - 1].low in ("published", "issued", "released", "written", "compiled", "carried"):
            span, kind, _ = _np_forward(tokens, n + 1)
            if span is not None:
                return span, kind
    return None


def _shorten(tokens: list[Token], first: int, last: int) -> tuple[tuple[int, int] | None, str]:
    """The shortest name or role phrase of a noun phrase, and its SOURCE type."""
    while last >= first and tokens[last].text in ("’s", "'s"):
        last -= 1
    words = tokens[first : last + 1]
    if not words:
        return None, ""
    named = words[-1].capital and words[-1].low not in lx.ROLE_WORDS or (
        words[-1].capital and any(t.capital for t in words[:-1])
    )
    lows = [t.low for t in words]
    if not named and words[0].capital and words[0].low not in lx.ROLE_WORDS:
        n = len(words)
        while n > 1 and words[n - 1].low in lx.NAME_DESCRIPTORS:
            n -= 1
        if n < len(words) and all(t.capital for t in words[:n]):
            words, named = words[:n], True  # "Yonhap news agency": the name
    if named:
        cut = _after_titles(words)
        words = words[cut:]
        words = _before_affiliation(words)
    elif (
        len(words) <= 2
        and first > 0
        and tokens[first - 1].low == "the"
        and not any(t.capital or t.low.endswith(("'s", "’s")) for t in words)
        and words[-1].low not in lx.DOCUMENT_WORDS
        and words[-1].low != "police"
    ):
        return None, ""  # "the minister", "the spy service": a back-reference to a name given before
    if not words:
        return None, ""
    start, end = words[0].start, words[-1].end
    text_end = words[-1].text
    if text_end.endswith(("’s", "'s")):
        end -= 2
    kind = _source_type([t.low for t in words], lows, named)
    return (start, end), kind


def _after_titles(words: list[Token]) -> int:
    """How many leading words of a named phrase are titles and roles ("South Korean lawmaker")."""
    cut = 0
    for n, t in enumerate(words[:-1]):
        if t.low in lx.TITLES or (t.low in lx.ROLE_WORDS and not t.capital):
            cut = n + 1
            k = n + 1
            if k < len(words) - 1 and words[k].low in ("of", "to"):
                k += 1
                while k < len(words) - 1 and words[k].low in lx.DEPARTMENT_WORDS:
                    k += 1
                if len(words) - k >= 4:  # "Ambassador to the United States Hamdullah Mohib"
                    k = len(words) - 2
                cut = k
    # "U.S. Secretary of State Antony Blinken": nothing of the title may stay
    while 0 < cut < len(words) - 1 and words[cut].low in lx.DEPARTMENT_WORDS and words[cut].capital and words[cut].low != "the":
        cut += 1
    return cut


def _before_affiliation(words: list[Token]) -> list[Token]:
    """"Carl Russell of West Midlands Police": the person's name alone."""
    for n, t in enumerate(words):
        if t.low == "of" and 1 <= n <= 3 and not any(w.low in lx.ORGANISATION_WORDS or w.low in lx.OFFICIAL_WORDS or w.low in lx.OUTLET_HEADS for w in words[:n]):
            return words[:n]
    return words


def _source_type(lows: list[str], full: list[str], named: bool) -> str:
    phrase = " ".join(lows)
    whole = " ".join(full)
    if phrase in lx.OUTLETS:
        return "news outlet"
    if any(w in lx.ANONYMOUS_WORDS for w in lows) or phrase.startswith("senior") or (not named and lows[-1] in ("official", "officials")):
        return "anonymous"
    if phrase in lx.STATE_MEDIA or any(w in lx.STATE_MEDIA for w in lows) or "state media" in whole or "state-run" in whole:
        return "state media"
    if phrase in lx.OUTLETS or any(w in lx.OUTLETS for w in lows) or (named and lows[-1] in lx.OUTLET_HEADS):
        return "news outlet"
    if lows[-1] in lx.DOCUMENT_WORDS:
        return "document"
    if any(w in lx.OFFICIAL_WORDS for w in full):
        return "official"
    if any(w in lx.ORGANISATION_WORDS for w in lows):
        return "organisation"
    if named and len(lows) <= 4:
        return "named person"
    return ""


def _parenthesised_agencies(text: str, tokens: list[Token], s0: int, s1: int, block_start: int | None) -> list[Attribution]:
    found = []
    for match in _PARENTHESISED.finditer(text, s0, s1):
        name = match.group("name").strip()
        if name.casefold() not in lx.OUTLETS and name.casefold() not in lx.STATE_MEDIA:
            continue
        before = text[max(s0, match.start() - 30) : match.start()].rstrip().split()
        if before and before[-1][:1].isupper():
            continue  # "Korean Central News Agency (KCNA)": an abbreviation, not a citation
        after = text[match.end() : match.end() + 3]
        if re.match(r"\s*[-–—]", after) and (block_start is None or match.start() - block_start < 60):
            continue  # a dateline: "WASHINGTON (Reuters) -"
        start = match.start() + 1
        attribution = Attribution(cue=(match.start(), match.start() + 1), source=(start, start + len(name)),
                                  source_type="state media" if name.casefold() in lx.STATE_MEDIA else "news outlet",
                                  content=_content(text, s0, match.start()), confidence=0.8)
        found.append(attribution)
    return found


def _forget_back_references(text: str, sentence_start: int, found: list[Attribution]) -> None:
    """"The report continued": a document named before in the article is a back-reference."""
    for a in found:
        if a.source is None:
            continue
        word = text[a.source[0] : a.source[1]]
        if word.islower() and word.casefold() in lx.DOCUMENT_WORDS and text[max(0, a.source[0] - 4) : a.source[0]].casefold() == "the ":
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text[:sentence_start], re.IGNORECASE):
                a.source = None


def _cut_contents(text: str, tokens: list[Token], found: list[Attribution]) -> None:
    """A content ends before another attribution's ", according to ..." or ", X said" inside it."""
    marks = [min(a.cue[0], a.source[0]) for a in found if a.source is not None]
    for a in found:
        if a.content is None:
            continue
        start, end = a.content
        for mark in marks:
            if start < mark < end:
                piece = text[start:mark].rstrip()
                cut = _last_comma_before(piece, text, start)
                if cut is not None:
                    end = cut
        if a.before_relative is not None and start < a.before_relative < end:
            end = a.before_relative
        a.content = _content(text, start, end) if end != a.content[1] else a.content


def _last_comma_before(piece: str, text: str, start: int) -> int | None:
    stripped = piece.rstrip()
    words_before = stripped.rsplit(" ", 3)
    for marker in (",", "—", "–"):
        position = stripped.rfind(marker)
        if position >= 0 and len(stripped) - position <= max(60, len(" ".join(words_before[-3:])) + 2):
            return start + position
    return None
