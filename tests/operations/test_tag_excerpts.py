"""A tag reads only the blocks around its span (Store.text_excerpt): it must store exactly what a
tag made over the whole text stores — the same snapped bounds, quote, context and credit."""

from __future__ import annotations

from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator import operations as ops
from annotator.model import build_article
from annotator.prefill import prefill_attributes
from annotator.store import Store
from annotator.store import store as store_module
from annotator.textspan import make_selector
import support

# Characters that decide word and cluster edges: letters, joiners between letters or digits,
# combining marks, ZWJ emoji, skin tones, flags (regional indicator pairs), CJK, spaces.
PIECES = ["a", "b", "Zoë", "Internationalisation", "🇺🇦🇺🇦🇺🇦🇺🇦🇺🇦🇺🇦🇺🇦🇺🇦🇺🇦", "🇺🇦", "3.14159265358979", "e\u0301", "1", "2", ".", ",", "'", "’", "-", " ", " ", "😀", "👍🏽", "👩‍👩‍👧",
          "🇺🇦", "🇺", "東", "京", "(AP Photo/Jo Kim)", "\u200d"]
KINDS = ["paragraph", "paragraph", "credit", "caption"]

blocks_strategy = st.lists(
    st.tuples(st.sampled_from(KINDS), st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join)),
    min_size=1, max_size=12,
)


def _article(blocks):
    return build_article([(kind, text) for kind, text in blocks], title="excerpts")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks=blocks_strategy, data=st.data(), exact=st.booleans(), label=st.sampled_from(["CLAIM", "CAPTION"]),
       margin=st.sampled_from([1, 3, 8, 512]))
def test_a_tag_from_an_excerpt_is_the_tag_over_the_whole_text(tmp_path_factory, blocks, data, exact, label, margin):
    article = _article(blocks)
    text = article.text
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    try:
        want_start, want_end = ops.snap(text, start, end, exact)
    except Exception as exc:  # noqa: BLE001 - the same refusal is expected below
        expected_error = str(exc)
    else:
        expected_error = None
    path = tmp_path_factory.mktemp("excerpt") / "p.annotator"
    with Store.open(path) as store, mock.patch.object(store_module, "EXCERPT_MARGIN", margin):
        support.add_article(store, article)
        try:
            made = ops.tag(store, article.id, start, end, label, annotator="ana", exact=exact).value
        except Exception as exc:  # noqa: BLE001
            assert str(exc) == expected_error
            return
        assert expected_error is None
        credit = prefill_attributes(store.schema, article, want_start, want_end, label, {})
    selector = make_selector(text, want_start, want_end)
    assert (made.start, made.end) == (want_start, want_end)
    assert (made.quote, made.prefix, made.suffix) == (selector.exact, selector.prefix, selector.suffix)
    assert made.attributes == credit


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks=blocks_strategy, data=st.data(), margin=st.sampled_from([1, 2, 5, 512]))
def test_an_excerpt_is_whole_blocks_holding_the_span(tmp_path_factory, blocks, data, margin):
    article = _article(blocks)
    text = article.text
    start = data.draw(st.integers(-5, len(text)))
    end = data.draw(st.integers(start, len(text) + 5))
    with Store.open(tmp_path_factory.mktemp("excerpt") / "p.annotator") as store, \
            mock.patch.object(store_module, "EXCERPT_MARGIN", margin):
        support.add_article(store, article)
        excerpt = store.text_excerpt(article.id, start, end)
    assert excerpt.length == len(text)
    assert excerpt.text == text[excerpt.offset : excerpt.end]
    assert excerpt.offset == 0 or text[excerpt.offset - 1] == "\n"
    assert excerpt.end == len(text) or text[excerpt.end] == "\n"
    assert excerpt.holds(start, end)
    assert excerpt.offset <= max(0, min(start, len(text))) and excerpt.end >= max(0, min(end, len(text)))


def test_an_article_excerpted_again_after_an_edit_is_read_whole(tmp_path):
    article = _article([("paragraph", f"Paragraph {n:03d} " + "word " * 18) for n in range(50)])
    block = article.blocks[25]
    with Store.open(tmp_path / "p.annotator") as store:
        support.add_article(store, article)
        first = store.text_excerpt(article.id, block.start + 3, block.start + 9)
        same_edit = store.text_excerpt(article.id, block.start + 3, block.start + 9)
        ops.tag(store, article.id, block.start + 3, block.start + 9, "CLAIM", annotator="ana")
        after = store.text_excerpt(article.id, block.start + 3, block.start + 9)
    assert (first.offset, first.text) == (block.start, article.block_text(block)) == (same_edit.offset, same_edit.text)
    assert (after.offset, after.text) == (0, article.text)


def test_a_word_that_snaps_back_to_a_block_start_keeps_the_context_before_that_block(tmp_path):
    word = "Counterintelligence" * 3  # 57 letters
    article = _article([("paragraph", "p" * 40), ("paragraph", "ab " + word + " and more text after it")])
    start = article.blocks[1].start + 3 + 35  # deep inside the word: 32 characters before it are in block 2
    with Store.open(tmp_path / "p.annotator") as store:
        support.add_article(store, article)
        made = ops.tag(store, article.id, start, start + 2, "CLAIM", annotator="ana").value
    word_start = article.blocks[1].start + 3
    assert (made.start, made.end, made.quote) == (word_start, word_start + len(word), word)
    assert made.prefix == article.text[word_start - 32 : word_start] == "p" * 28 + "\nab "
