"""Tests for annotator.textspan: UTF-16 offsets, grapheme/word snapping, quote re-anchoring."""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from annotator import textspan
from annotator.textspan import (
    QuoteSelector,
    Utf16Index,
    grapheme_bounds,
    is_grapheme_boundary,
    make_selector,
    reanchor,
    snap_to_graphemes,
    snap_to_words,
    utf16_len,
)

# Multi-code-point clusters that must never be split.
CLUSTERS = [
    "😀",
    "👍🏽",
    "🇫🇷",
    "🇰🇷",
    "e\u0301",
    "\U0001F469\u200D\U0001F4BB",  # woman technologist
    "\U0001F468\u200D\U0001F469\u200D\U0001F467",  # family
    "❤\ufe0f",
    "1\ufe0f\u20e3",  # keycap
    "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",  # England flag
    "\r\n",
    "\u1100\u1161\u11a8",  # Hangul jamo 각
]
SAMPLES = CLUSTERS + ["中文", "Kim", "Jong-un", "Russia’s", " ", "\n", ".", "𝔘", "ß", "ا"]

# Lone surrogates are excluded: decoded article text cannot contain them.
pieces = st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(SAMPLES))
texts = st.lists(pieces, max_size=40).map("".join)


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def is_boundary(text: str, pos: int) -> bool:
    return pos == len(text) or grapheme_bounds(text, pos)[0] == pos


# --------------------------------------------------------------------------- UTF-16


@given(texts)
def test_utf16_round_trip_and_matches_encoder(text: str) -> None:
    index = Utf16Index(text)
    assert index.utf16_length == utf16_len(text) == len(text.encode("utf-16-le")) // 2
    for cp in range(len(text) + 1):
        u16 = index.to_utf16(cp)
        assert u16 == len(text[:cp].encode("utf-16-le")) // 2
        assert index.to_codepoint(u16) == cp


@given(texts)
def test_middle_of_surrogate_pair_rounds_down(text: str) -> None:
    index = Utf16Index(text)
    for cp, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            assert index.to_codepoint(index.to_utf16(cp) + 1) == cp


def test_utf16_known_values() -> None:
    text = "a😀b👍🏽c"
    index = Utf16Index(text)
    assert [index.to_utf16(cp) for cp in range(len(text) + 1)] == [0, 1, 3, 4, 6, 8, 9]
    assert [index.to_codepoint(u) for u in range(10)] == [0, 1, 1, 2, 3, 3, 4, 4, 5, 6]
    assert utf16_len(text) == index.utf16_length == 9
    assert utf16_len("") == Utf16Index("").utf16_length == 0


def test_utf16_rejects_out_of_range() -> None:
    index = Utf16Index("a😀")
    with pytest.raises(ValueError):
        index.to_utf16(3)
    with pytest.raises(ValueError):
        index.to_utf16(-1)
    with pytest.raises(ValueError):
        index.to_codepoint(4)


def test_utf16_index_large_text_uses_bisect(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    chunks = ["x" * 100 + "😀" for _ in range(10_000)]
    text = "".join(chunks)
    assert len(text) > 1_000_000
    calls = []
    real_bisect = textspan.bisect_left
    monkeypatch.setattr(textspan, "bisect_left", lambda *a: calls.append(1) or real_bisect(*a))
    index = Utf16Index(text)
    for _ in range(50_000):
        cp = rng.randrange(len(text) + 1)
        assert index.to_codepoint(index.to_utf16(cp)) == cp
    # Spot-check against the encoder on a few positions (the encoder is the slow reference).
    for cp in (0, 101, 102, 5_000, len(text)):
        assert index.to_utf16(cp) == len(text[:cp].encode("utf-16-le")) // 2
    assert len(calls) >= 100_000


# --------------------------------------------------------------------------- graphemes


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_each_sample_cluster_is_one_grapheme(cluster: str) -> None:
    text = f"a {cluster}b"
    start = 2
    for pos in range(start, start + len(cluster)):
        assert grapheme_bounds(text, pos) == (start, start + len(cluster))
    assert grapheme_bounds(text, len(text)) == (len(text), len(text))


@given(texts)
def test_grapheme_bounds_partition_the_text(text: str) -> None:
    pos = 0
    while pos < len(text):
        start, end = grapheme_bounds(text, pos)
        assert start == pos < end
        for inner in range(start, end):
            assert grapheme_bounds(text, inner) == (start, end)
            assert is_grapheme_boundary(text, inner) == (inner == start)
        pos = end


def test_regional_indicator_pairs() -> None:
    flags = "🇫🇷🇩🇪🇮🇹"
    assert snap_to_graphemes(flags, 1, 3) == (0, 4)
    assert snap_to_graphemes(flags, 3, 4) == (2, 4)
    assert snap_to_graphemes(flags, 5, 5) == (5, 5)  # empty selection unchanged
    assert grapheme_bounds(flags, 5) == (4, 6)


def test_zwj_sequence_kept_whole() -> None:
    text = "x \U0001F469\u200D\U0001F4BB y"
    assert snap_to_graphemes(text, 3, 4) == (2, 5)
    assert snap_to_words(text, 4, 5) == (2, 5)


# --------------------------------------------------------------------------- word snapping


def words(text: str, part: str, offset: int = 0, length: int | None = None) -> str:
    start = text.index(part) + offset
    end = start + (len(part) if length is None else length)
    s, e = snap_to_words(text, start, end)
    return text[s:e]


def test_snap_partial_words() -> None:
    assert words("Kim Jong Un says", "ong U") == "Jong Un"
    assert words("Kim Jong Un says", "m") == "Kim"
    assert words("Kim Jong Un says", " Jong ") == "Jong"


def test_apostrophes_and_hyphens_join_words() -> None:
    assert words("Moscow backs Russia’s war", "ssia") == "Russia’s"
    assert words("Moscow backs Russia’s war", "Russia") == "Russia’s"
    assert words("Moscow backs Russia's war", "a's") == "Russia's"
    assert words("said Yoo Sang-bum, a lawmaker", "ng-b") == "Sang-bum"
    assert words("the North Korea-Russia treaty", "a-R") == "Korea-Russia"
    assert words("the analysts’ view", "analy") == "analysts"
    assert words("a 3.5 billion won, 1,000 people", "5") == "3.5"
    assert words("a 3.5 billion won, 1,000 people", ",0") == "1,000"
    assert words("end. Next", "d") == "end"


def test_combining_marks_stay_with_word() -> None:
    text = "un cafe\u0301 noir"
    assert words(text, "caf") == "cafe\u0301"
    assert snap_to_graphemes(text, 3, 7) == (3, 8)


def test_emoji_before_span_does_not_shift_it() -> None:
    plain = "Kim Jong Un says"
    text = "😀👍🏽🇫🇷 " + plain
    shift = len(text) - len(plain)
    start, end = span_of(plain, "ong U")
    s, e = snap_to_words(text, start + shift, end + shift)
    assert text[s:e] == "Jong Un"
    # Round trip through Qt's units lands on the same characters.
    index = Utf16Index(text)
    u_start, u_end = index.to_utf16(s), index.to_utf16(e)
    assert (u_start, u_end) == (s + 5, e + 5)  # 😀, 👍, 🏽 and two regional indicators
    assert (index.to_codepoint(u_start), index.to_codepoint(u_end)) == (s, e)


def test_selection_inside_emoji_cluster_widens_to_cluster() -> None:
    text = "ok 👍🏽 fine"
    assert snap_to_graphemes(text, 4, 5) == (3, 5)
    assert snap_to_words(text, 4, 5) == (3, 5)
    assert snap_to_words(text, 3, 4) == (3, 5)


def test_emoji_next_to_word_is_not_swallowed() -> None:
    text = "👍🏽ok"
    assert snap_to_words(text, 0, 1) == (0, 2)
    assert snap_to_words(text, 3, 4) == (2, 4)


def test_cjk_ideographs_are_not_expanded_to_the_whole_run() -> None:
    assert snap_to_words("中文新闻报道", 1, 3) == (1, 3)


def test_punctuation_and_whitespace_only_selection_unchanged() -> None:
    text = "Kim ,  Jong"
    assert snap_to_words(text, 3, 7) == (3, 7)
    assert snap_to_words(text, 4, 5) == (4, 5)
    apostrophe = "Russia’s"
    assert snap_to_words(apostrophe, 6, 7) == (6, 7)


def test_empty_clamped_and_invalid_selections() -> None:
    text = "Kim Jong Un"
    assert snap_to_words(text, 5, 5) == (5, 5)
    assert snap_to_words(text, -5, 100) == (0, len(text))
    assert snap_to_graphemes(text, -1, 2) == (0, 2)
    with pytest.raises(ValueError):
        snap_to_words(text, 4, 3)
    with pytest.raises(ValueError):
        snap_to_graphemes(text, 4, 3)


def test_whitespace_clusters_are_trimmed_whole() -> None:
    text = "a\r\nword\r\n"
    assert snap_to_words(text, 2, 6) == (3, 7)
    assert snap_to_words(text, 1, 9) == (3, 7)


@st.composite
def text_and_selection(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(texts)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text, start, end


def _whitespace_clusters(piece: str) -> bool:
    """Whitespace, each space possibly extended by marks or modifiers (what trimming drops)."""
    import unicodedata

    return piece[:1].isspace() and all(c.isspace() or unicodedata.category(c) in ("Mn", "Me", "Mc", "Sk", "Cf")
                                       for c in piece)


def _check_snapped(text: str, start: int, end: int, result: tuple[int, int], trims: bool) -> None:
    s, e = result
    assert 0 <= s <= e <= len(text)
    assert is_boundary(text, s) and is_boundary(text, e)
    if trims:
        assert s <= start or _whitespace_clusters(text[start:s])
        assert e >= end or _whitespace_clusters(text[e:end])
    else:
        assert s <= start and e >= end


@given(text_and_selection())
def test_snap_to_graphemes_property(case: tuple[str, int, int]) -> None:
    text, start, end = case
    assume(start < end)
    result = snap_to_graphemes(text, start, end)
    _check_snapped(text, start, end, result, trims=False)
    assert snap_to_graphemes(text, *result) == result


def test_a_space_extended_by_a_skin_tone_modifier_is_trimmed_as_a_space() -> None:
    assert snap_to_words(" \U0001F3FB0", 0, 3) == (2, 3)  # found by the property below


@given(text_and_selection())
def test_snap_to_words_property(case: tuple[str, int, int]) -> None:
    text, start, end = case
    assume(start < end)
    result = snap_to_words(text, start, end)
    _check_snapped(text, start, end, result, trims=True)
    s, e = result
    if any(ch.isalnum() or ch == "_" for ch in text[start:end]):
        assert s < e and not text[s].isspace() and not text[e - 1].isspace()


# --------------------------------------------------------------------------- selectors


ARTICLE = (
    "SEOUL, March 3 (Yonhap) -- The defence ministry said on Monday that the plan would cost "
    "3 billion won over five years, according to officials briefed on the matter. Critics said "
    "the figure was far too low and asked for an independent review before the vote."
)
QUOTE = "the plan would cost 3 billion won over five years"


def test_make_selector_context() -> None:
    start, end = span_of(ARTICLE, QUOTE)
    selector = make_selector(ARTICLE, start, end)
    assert selector == QuoteSelector(QUOTE, ARTICLE[start - 32 : start], ARTICLE[end : end + 32])
    assert len(selector.prefix) == len(selector.suffix) == 32
    short = make_selector("Kim Jong Un", 4, 8, context=3)
    assert short == QuoteSelector("Jong", "im ", " Un")
    edge = make_selector("Kim", 0, 3)
    assert edge == QuoteSelector("Kim", "", "")
    with pytest.raises(ValueError):
        make_selector("Kim", 2, 1)
    with pytest.raises(ValueError):
        make_selector("Kim", 0, 4)


def test_selector_is_frozen() -> None:
    selector = make_selector("Kim Jong Un", 4, 8)
    with pytest.raises(AttributeError):
        selector.exact = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------- re-anchoring


def _selector() -> tuple[QuoteSelector, int]:
    start, end = span_of(ARTICLE, QUOTE)
    return make_selector(ARTICLE, start, end), start


def test_reanchor_unchanged_and_after_insertion_before() -> None:
    selector, start = _selector()
    assert reanchor(ARTICLE, selector, hint=start) == (start, start + len(QUOTE))
    edited = "UPDATED 😀👍🏽 with a new lede. " + ARTICLE
    found = reanchor(edited, selector, hint=start)
    assert found is not None and edited[found[0] : found[1]] == QUOTE
    assert found[0] == start + len(edited) - len(ARTICLE)


def test_reanchor_duplicate_uses_context() -> None:
    selector, start = _selector()
    decoy = f"Last year {QUOTE}, a separate report claimed. "
    edited = decoy + ARTICLE
    expected = len(decoy) + start
    assert edited.count(QUOTE) == 2
    assert reanchor(edited, selector) == (expected, expected + len(QUOTE))
    # Even a hint pointing at the decoy does not beat better context.
    assert reanchor(edited, selector, hint=len("Last year ")) == (expected, expected + len(QUOTE))


def test_reanchor_tie_broken_by_hint() -> None:
    text = "x Kim x Kim x Kim x"
    selector = QuoteSelector("Kim", "x ", " x")
    assert reanchor(text, selector, hint=9) == (8, 11)
    assert reanchor(text, selector, hint=100) == (14, 17)
    assert reanchor(text, selector) is None  # identical contexts and no hint: ambiguous, not a guess


def test_reanchor_fuzzy_after_small_edit_inside_quote() -> None:
    selector, start = _selector()
    edited = ARTICLE.replace("3 billion", "3.5 billion")
    found = reanchor(edited, selector, hint=start)
    assert found is not None
    assert edited[found[0] : found[1]] == "the plan would cost 3.5 billion won over five years"


def test_reanchor_fuzzy_when_context_also_changed() -> None:
    selector, _ = _selector()
    edited = (
        "SEOUL (AP) — The ministry told reporters the plan would cost 3 billion won over "
        "five yrs, officials added. Critics said the figure was far too low."
    )
    found = reanchor(edited, selector)
    assert found is not None
    assert edited[found[0] : found[1]] == "the plan would cost 3 billion won over five yrs"


def test_reanchor_fails_when_quote_deleted_or_replaced() -> None:
    selector, start = _selector()
    deleted = ARTICLE.replace(QUOTE + ", ", "")
    assert reanchor(deleted, selector, hint=start) is None
    replaced = ARTICLE.replace(QUOTE, "the weather would stay cold for the rest of the week")
    assert reanchor(replaced, selector, hint=start) is None
    assert reanchor("", selector) is None


def test_reanchor_rejects_too_different_quote() -> None:
    selector, start = _selector()
    rewritten = ARTICLE.replace(QUOTE, "the scheme might cost 4 trillion won across ten years")
    assert reanchor(rewritten, selector, hint=start) is None


def test_reanchor_empty_quote() -> None:
    assert reanchor("anything", QuoteSelector("", "a", "b")) is None


def test_reanchor_fuzzy_result_never_splits_graphemes() -> None:
    text = "Before the emoji. The team 👍🏽 won the final match today, fans said."
    quote = "The team 👍 won the final match today"
    selector = QuoteSelector(quote, "Before the emoji. ", ", fans said.")
    found = reanchor(text, selector)
    assert found is not None
    assert text[found[0] : found[1]] == "The team 👍🏽 won the final match today"


# Disjoint alphabets: the quote's characters never occur in the surrounding text, so the
# planted quotes are the only occurrences.
QUOTE_PIECES = st.sampled_from(["a", "b", "é", "e\u0301", "😀", "Kim", " "])
TEXT_PIECES = st.sampled_from(["1", "2", "中", "文", "👍🏽", "🇫🇷", ".", "\n", "ß"])
DECOY_PIECES = st.sampled_from(["x", "y", "🎉", "—"])
quotes = st.lists(QUOTE_PIECES, min_size=1, max_size=8).map("".join)
surroundings = st.lists(TEXT_PIECES, max_size=60).map("".join)
insertions = st.lists(st.one_of(TEXT_PIECES, DECOY_PIECES), min_size=1, max_size=40).map("".join)


@given(quotes, surroundings, surroundings, insertions, st.data())
def test_reanchor_finds_quote_after_insertions(
    quote: str, before: str, after: str, inserted: str, data: st.DataObject
) -> None:
    text = before + quote + after
    selector = make_selector(text, len(before), len(before) + len(quote))
    i = data.draw(st.integers(0, len(before)), label="insert before at")
    j = data.draw(st.integers(0, len(after)), label="insert after at")
    edited = before[:i] + inserted + before[i:] + quote + after[:j] + inserted + after[j:]
    expected = len(before) + len(inserted)
    assert reanchor(edited, selector) == (expected, expected + len(quote))


@given(quotes, surroundings, surroundings, st.data())
def test_reanchor_prefers_original_context_over_decoy(
    quote: str, before: str, after: str, data: st.DataObject
) -> None:
    assume(before or after)
    text = before + quote + after
    selector = make_selector(text, len(before), len(before) + len(quote))
    c1 = data.draw(st.lists(DECOY_PIECES, min_size=1, max_size=3).map("".join), label="c1")
    c2 = data.draw(st.lists(DECOY_PIECES, min_size=1, max_size=3).map("".join), label="c2")
    decoy = c1 + quote + c2
    # The decoy goes strictly inside `before` or `after`, so the original keeps at least one
    # matching neighbour while the decoy has none.
    if before and data.draw(st.booleans(), label="decoy before"):
        i = data.draw(st.integers(0, len(before) - 1), label="at")
        edited = before[:i] + decoy + before[i:] + quote + after
        expected = len(before) + len(decoy)
    else:
        assume(after)
        j = data.draw(st.integers(1, len(after)), label="at")
        edited = before + quote + after[:j] + decoy + after[j:]
        expected = len(before)
    hint = data.draw(st.none() | st.integers(0, len(edited)), label="hint")
    assert reanchor(edited, selector, hint=hint) == (expected, expected + len(quote))


@pytest.mark.parametrize("kind", ["substitute", "delete", "insert"])
def test_reanchor_fuzzy_single_edit_anywhere_in_quote(kind: str) -> None:
    selector, start = _selector()
    for k in range(len(QUOTE)):
        edited_quote = {
            "substitute": QUOTE[:k] + "X" + QUOTE[k + 1 :],
            "delete": QUOTE[:k] + QUOTE[k + 1 :],
            "insert": QUOTE[:k] + "X" + QUOTE[k:],
        }[kind]
        edited = ARTICLE.replace(QUOTE, edited_quote)
        found = reanchor(edited, selector, hint=start)
        expected = QUOTE if QUOTE in edited else edited_quote  # "Xthe plan…" still holds QUOTE
        assert found is not None, (kind, k)
        assert edited[found[0] : found[1]] == expected, (kind, k)
