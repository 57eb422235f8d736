"""What a typed query becomes for FTS5: its syntax kept, words with punctuation made phrases."""

from __future__ import annotations

import pytest

from annotator.store.search_query import SearchQueryError, fts_query


@pytest.mark.parametrize("typed, fts", [
    ("minister", "minister"),
    ("prime  minister", "prime minister"),
    ('"prime minister"', '"prime minister"'),
    ("minist*", "minist*"),
    ('"prime min"*', '"prime min"*'),
    ("covid-19", '"covid-19"'),
    ("U.S. officials", '"U.S." officials'),
    ("don't", '"don\'t"'),
    ("3,5 %", '"3,5"'),  # a lone % holds no word: nothing the index has
    ("NEAR(kim said, 5)", "NEAR ( kim said , 5 )"),
    ("(kim OR putin) NOT summit", "( kim OR putin ) NOT summit"),
    ("near and or", "near and or"),  # operators are capitals; these are words
    ('say ""hi""', 'say "" hi ""'),  # empty phrases, which FTS5 ignores, around the word hi
    ("café", "café"),
    ("c++ & co", '"c++" co'),
])
def test_queries(typed, fts):
    assert fts_query(typed) == fts


def test_a_quote_inside_a_phrase_is_escaped_as_fts5_does():
    assert fts_query('"say ""hi"" now"') == '"say ""hi"" now"'


@pytest.mark.parametrize("typed", ["", "   ", "&", "( )", "AND"])
def test_nothing_to_search_for(typed):
    with pytest.raises(SearchQueryError, match="no word to search for"):
        fts_query(typed)
