"""Turning what a user types into an FTS5 query, and FTS5's complaints into messages for people.

The syntax is FTS5's (words, "a phrase", word* for a prefix, AND, OR, NOT, NEAR(a b, 5),
parentheses) with one kindness: a word that holds punctuation, which FTS5 refuses or misreads
(`covid-19` is "column covid minus 19", `U.S.` and `don't` are syntax errors), is searched as the
phrase it tokenizes to, as it would be found in the text. Column filters are not offered: where to
search is chosen with `--in` (a window: the scope box), which works the same for every query.
"""

from __future__ import annotations

import re

from ..errors import ValidationError

OPERATORS = frozenset({"AND", "OR", "NOT"})
_FIELD_PREFIX = re.compile(r"^(text|title|titles|quote|quotes|note|notes)\*?:", re.IGNORECASE)
SYNTAX_HELP = ('words, "a phrase", word* (any word starting so), AND, OR, NOT, NEAR(word word, 10) '
               "and parentheses")


class SearchQueryError(ValidationError):
    """A search query that cannot be read: the message says where and what can be written."""

    def __init__(self, query: str, reason: str) -> None:
        super().__init__(f"search query {query!r}: {reason}; a query is made of {SYNTAX_HELP}")


def _bareword(word: str) -> bool:
    return all((ch.isascii() and (ch.isalnum() or ch == "_")) or ord(ch) > 127 for ch in word)


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def fts_query(query: str) -> str:
    """The FTS5 query for `query` (see the module's docstring); raises SearchQueryError."""
    out: list[str] = []
    i, n = 0, len(query)
    near_depth = 0  # inside NEAR( ... ), where a comma and a number are syntax
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            j = i + 1
            while True:
                j = query.find('"', j)
                if j < 0:
                    raise SearchQueryError(query, 'a quotation mark (") is not closed')
                if query.startswith('""', j):  # FTS5's escape for a quotation mark inside a phrase
                    j += 2
                    continue
                break
            j += 1
            if query.startswith("*", j):
                j += 1
            out.append(query[i:j])
            i = j
        elif ch in "()":
            if ch == "(" and out and out[-1] == "NEAR":
                near_depth += 1
            elif ch == ")" and near_depth:
                near_depth -= 1
            out.append(ch)
            i += 1
        elif ch == "," and near_depth:
            out.append(ch)
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '"()' and not (near_depth and query[j] == ","):
                j += 1
            out.extend(_word(query, query[i:j], near_depth > 0, query.startswith("(", j)))
            i = j
    text = " ".join(out)
    if not any(_has_word(part) for part in out if part not in OPERATORS and part != "NEAR"):
        raise SearchQueryError(query, "there is no word to search for")
    return text


def _word(query: str, word: str, in_near: bool, before_parenthesis: bool) -> list[str]:
    if word in OPERATORS or (word == "NEAR" and before_parenthesis):
        return [word]
    if in_near and word.isdigit():
        return [word]
    if _FIELD_PREFIX.match(word):
        raise SearchQueryError(query, f"{word.split(':')[0]}: is not part of a query; choose where to search with --in")
    if word.startswith("-") and _has_word(word):
        raise SearchQueryError(query, f"to leave a word out, write NOT {word[1:]} ({word} is not an operator)")
    star = "*" if word.endswith("*") else ""
    core = word.rstrip("*")
    if star and not core:
        raise SearchQueryError(query, "a * must follow a word (minist* finds minister, ministry, ...)")
    caret = "^" if core.startswith("^") and _bareword(core[1:]) and core[1:] else ""
    core = core[len(caret):]
    if not _has_word(core):
        return []  # punctuation alone ("&", "+"): nothing the index holds
    if _bareword(core):
        return [caret + core + star]
    return [caret + '"' + core.replace('"', '""') + '"' + star]


def explain(query: str, message: str) -> SearchQueryError:
    """The error for FTS5's `message` about (our form of) `query`."""
    if "unterminated string" in message:
        return SearchQueryError(query, 'a quotation mark (") is not closed')
    found = re.search(r'syntax error near "(.*)"', message)
    if found is not None:
        near = found.group(1)
        if not near:
            return SearchQueryError(query, "it stops where a word or a closing parenthesis was expected "
                                           "(after AND, OR, NOT, NEAR or an opening parenthesis)")
        if near in OPERATORS:
            return SearchQueryError(query, f"{near} needs a word or phrase on each side")
        return SearchQueryError(query, f"it cannot be read at {near!r}")
    if "unknown special query" in message:
        return SearchQueryError(query, "a * must follow a word")
    return SearchQueryError(query, f"it cannot be read ({message})")
