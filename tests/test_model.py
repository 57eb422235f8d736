import pytest

from annotator.model import Block, build_article


def test_canonical_text_is_blocks_joined_by_newlines():
    article = build_article([("headline", "Title"), ("paragraph", "Body 😀 text.")], title="Title")
    assert article.text == "Title\nBody 😀 text."
    assert article.blocks == [Block("headline", 0, 5), Block("paragraph", 6, 18)]
    assert all(article.block_text(b) for b in article.blocks)


def test_text_and_metadata_are_nfc():
    article = build_article([("paragraph", "Cafe\u0301")], title="Cafe\u0301")
    assert article.text == "Caf\u00e9"
    assert article.title == "Caf\u00e9"


@pytest.mark.parametrize("brk", ["\n", "\r", "\u2028", "\u2029", "\x85", "\x0c"])
def test_a_line_break_inside_a_block_is_refused(brk):
    with pytest.raises(ValueError, match="line break"):
        build_article([("paragraph", f"one{brk}two")])


def test_unknown_block_kind_is_refused():
    with pytest.raises(ValueError, match="unknown block kind"):
        build_article([("sidebar", "x")])
