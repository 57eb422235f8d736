"""The copied-page importer: block kinds and metadata on the sample page, and no character lost."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import ImportFailed
from annotator.importers.text import import_text_file, parse_byline, parse_text_page
from annotator.model import Article

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_4374cd0fa6f2fed4.txt"


def texts(article: Article, kind: str) -> list[str]:
    return [article.block_text(b) for b in article.blocks if b.kind == kind]


def non_whitespace(text: str) -> Counter[str]:
    return Counter(ch for ch in unicodedata.normalize("NFC", text) if not ch.isspace())


def assert_consistent(article: Article, source: str) -> None:
    """Offsets slice the canonical text, blocks join to it, and no visible character is lost."""
    pieces = [article.block_text(b) for b in article.blocks]
    assert article.text == "\n".join(pieces)
    position = 0
    for block in article.blocks:
        assert block.start == position
        assert "\n" not in article.text[block.start : block.end]
        position = block.end + 1
    squeeze = lambda s: "".join(ch for ch in unicodedata.normalize("NFC", s) if not ch.isspace())  # noqa: E731
    assert squeeze(article.text) == squeeze(source)  # same characters, same order
    assert non_whitespace(article.text) == non_whitespace(source)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Article:
    return parse_text_page(seed_text, source_file=str(SEED))


def test_seed_header_blocks_and_metadata(seed: Article) -> None:
    headline = (
        "Kim Jong Un says he wants to strengthen relationship with Putin, develop North Korea-Russia cooperation"
    )
    kinds = [b.kind for b in seed.blocks]
    assert kinds[:6] == ["topic", "dateline", "headline", "standfirst", "author", "byline"]
    assert texts(seed, "topic") == ["Kim Jong Un"]
    assert texts(seed, "dateline") == ["Published"]
    assert texts(seed, "headline") == [headline]
    assert texts(seed, "standfirst") == ["Kim Jong Un also defends Russia’s decision to invade Ukraine, report says"]
    assert texts(seed, "author") == ["Greg Norman"]
    assert texts(seed, "byline") == ["By Greg Norman | Fox News"]
    assert seed.title == headline
    assert seed.authors == ["Greg Norman"]
    assert seed.outlet == "Fox News"
    assert seed.section == "Kim Jong Un"
    assert seed.published == ""
    assert seed.source_file == str(SEED)


def test_seed_related_lines(seed: Article) -> None:
    assert texts(seed, "related") == [
        "KIM JONG UN BALLOONS PAST 300 POUNDS AMID REPORTS OF PILL ‘HOARDING,’ HEAVY DRINKING",
        "PENCE, HALEY AND DESANTIS SLAM TRUMP FOR CONGRATULATING NORTH KOREA’S KIM JONG UN",
    ]


def test_seed_images_captions_credits(seed: Article) -> None:
    assert texts(seed, "image_alt") == [
        "Kim Jong Un and Vladimir Putin",
        "Vladimir Putin in Moscow, Russia",
        "Kim Jong Un satellite",
    ]
    assert texts(seed, "caption") == [
        "President Vladimir Putin greets North Korean Leader Kim Jong-un during their meeting on April 25, 2019,"
        " in Vladivostok, Russia.",
        "President Vladimir Putin attends a ceremony of presenting the Russian Hero of Labour gold medals and"
        " national awards at the Kremlin in Moscow, on Monday, June 12.",
        "Kim Jong Un and his daughter visit the country's aerospace agency on May 16, 2023.",
    ]
    assert texts(seed, "credit") == [
        "(Mikhail Svetlov/Getty Images)",
        "(Gavriil Grigorov, Sputnik, Kremlin Pool Photo via AP)",
        "(Korean Central News Agency/Korea News Service via AP)",
    ]
    kinds = [b.kind for b in seed.blocks]
    for i, kind in enumerate(kinds):
        if kind == "image_alt":
            assert kinds[i + 1 : i + 3] == ["caption", "credit"]


def test_seed_note_bio_and_paragraphs(seed: Article) -> None:
    assert texts(seed, "note") == ["Fox News’ Michael Lee contributed to this report."]
    assert texts(seed, "bio") == ["Greg Norman is a reporter at Fox News Digital."]
    assert seed.blocks[-1].kind == "bio"
    paragraphs = texts(seed, "paragraph")
    assert len(paragraphs) == 8
    assert "The article also said Kim is defending Putin’s decision to invade Ukraine." in paragraphs
    assert paragraphs[0].startswith("North Korean leader Kim Jong Un has sent a message")
    assert all(not p.endswith((" ", "\u00a0")) for p in paragraphs)
    # inner no-break spaces survive
    assert any("published\u00a0by" in p for p in paragraphs)


def test_seed_offsets_and_characters(seed: Article, seed_text: str) -> None:
    assert_consistent(seed, seed_text)


def test_import_text_file_reads_and_parses(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(seed_text.replace("\n", "\r\n").encode("utf-8"))
    article = import_text_file(path)
    assert article.source_file == str(path)
    assert article.text == parse_text_page(seed_text).text
    assert article.id == parse_text_page(seed_text).id


def test_plain_text_without_structure() -> None:
    source = "A quiet day in town\n\nNothing happened today.\nThe shops were open as usual.\n"
    article = parse_text_page(source)
    assert [b.kind for b in article.blocks] == ["headline", "paragraph", "paragraph"]
    assert article.title == "A quiet day in town"
    assert article.authors == [] and article.outlet == "" and article.section == ""
    assert_consistent(article, source)


def test_single_line_is_one_headline() -> None:
    article = parse_text_page("   Only a headline here   \n")
    assert [(b.kind, article.block_text(b)) for b in article.blocks] == [("headline", "Only a headline here")]
    assert article.title == "Only a headline here"


@pytest.mark.parametrize("source", ["", "   ", "\n\n \t\n", "\u00a0\r\n"])
def test_empty_text_is_refused(source: str) -> None:
    with pytest.raises(ImportFailed, match="no article text"):
        parse_text_page(source)


def test_emoji_and_rtl_text_keep_offsets() -> None:
    source = (
        "Breaking 🚀 news\n"
        "Published June 1, 2024\n"
        "Rocket 🚀 launch delayed 👩‍🚀 again\n"
        "By Dana Cohen | Example Post\n"
        "The launch 🚀 was moved to Friday.\n"
        "الحكومة تعلن عن خطة جديدة للطاقة.\n"
        "הממשלה הודיעה על תוכנית חדשה.\n"
    )
    article = parse_text_page(source)
    assert_consistent(article, source)
    assert texts(article, "topic") == ["Breaking 🚀 news"]
    assert article.published == "June 1, 2024"
    assert article.title == "Rocket 🚀 launch delayed 👩‍🚀 again"
    assert article.authors == ["Dana Cohen"] and article.outlet == "Example Post"
    assert texts(article, "paragraph")[1:] == ["الحكومة تعلن عن خطة جديدة للطاقة.", "הממשלה הודיעה על תוכנית חדשה."]


def test_decomposed_accents_are_composed() -> None:
    source = "Cafe\u0301 reopens\nThe cafe\u0301 is open again."
    article = parse_text_page(source)
    assert article.title == "Café reopens"
    assert_consistent(article, source)


def test_datelines_and_standfirst_variants() -> None:
    source = (
        "Published March 3, 2024 10:00am EST\n"
        "Updated March 4, 2024\n"
        "Council approves new budget\n"
        "The vote was close. Critics promised to fight on.\n"
        "By Jane Doe and John Roe, The Daily Example\n"
        "The council voted 5-4 on Tuesday.\n"
    )
    article = parse_text_page(source)
    kinds = [b.kind for b in article.blocks]
    assert kinds == ["dateline", "dateline", "headline", "paragraph", "byline", "paragraph"]
    assert article.published == "March 3, 2024 10:00am EST"
    assert article.section == ""
    assert article.authors == ["Jane Doe", "John Roe"]
    assert article.outlet == "The Daily Example"
    assert_consistent(article, source)


@pytest.mark.parametrize(
    ("line", "authors", "outlet"),
    [
        ("By Greg Norman | Fox News", ["Greg Norman"], "Fox News"),
        ("By Jane Doe and John Roe, Reuters", ["Jane Doe", "John Roe"], "Reuters"),
        ("By Jane Doe, John Roe and Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"], ""),
        ("By Ana de la Cruz", ["Ana de la Cruz"], ""),
    ],
)
def test_parse_byline(line: str, authors: list[str], outlet: str) -> None:
    assert parse_byline(line) == (authors, outlet)


def test_by_sentence_is_not_a_byline() -> None:
    assert parse_byline("By the end of the year, prices rose.")[0] == []
    source = "Prices climb\nBy the end of the year, prices rose by 4%.\nEconomists expect more."
    article = parse_text_page(source)
    assert [b.kind for b in article.blocks] == ["headline", "paragraph", "paragraph"]
    assert article.authors == []


def test_caption_with_agency_credit_without_alt_line() -> None:
    source = "Storm hits coast\nWaves crash over the pier on Monday. (AP Photo/Jane Doe)\nThe storm moved north."
    article = parse_text_page(source)
    assert [(b.kind, article.block_text(b)) for b in article.blocks] == [
        ("headline", "Storm hits coast"),
        ("caption", "Waves crash over the pier on Monday."),
        ("credit", "(AP Photo/Jane Doe)"),
        ("paragraph", "The storm moved north."),
    ]


def test_parenthesis_at_end_of_paragraph_is_not_a_credit() -> None:
    source = "Budget news\nThe plan costs $4 billion.\nThe figure is an estimate (in 2023 dollars)."
    article = parse_text_page(source)
    assert [b.kind for b in article.blocks] == ["headline", "paragraph", "paragraph"]


def test_short_capitalised_lines_are_not_related() -> None:
    source = "Headline\nNASA said so.\nUSA TODAY\nWASHINGTON (AP) — The vote passed."
    article = parse_text_page(source)
    assert "related" not in [b.kind for b in article.blocks]


def test_bio_by_role_without_byline() -> None:
    source = "Headline here\nBody text.\nMaria Lopez is a senior correspondent for Example News."
    article = parse_text_page(source)
    assert article.blocks[-1].kind == "bio"


_LINES = st.sampled_from(
    [
        "Published",
        "Updated June 2, 2024",
        "By Jane Doe | Example News",
        "Jane Doe",
        "A SHOUTED RELATED HEADLINE HERE",
        "Short alt text",
        "A caption line. (Jane Doe/Getty Images)",
        "(AP Photo)",
        "Jane Doe is a reporter at Example News.",
        "Someone contributed to this report.",
        "A normal paragraph, ending with a period.",
        "",
        "   ",
        "\u00a0",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=14), st.sampled_from(["\n", "\r\n", "\r"]))
def test_any_text_keeps_every_character(lines: list[str], newline: str) -> None:
    source = newline.join(lines)
    try:
        article = parse_text_page(source)
    except ImportFailed:
        assert not "".join(source.split())
        return
    assert_consistent(article, source)


def test_wire_credit_line_is_a_note() -> None:
    source = "Headline\nThe talks ended.\nReporting by Jane Doe; Editing by John Roe"
    article = parse_text_page(source)
    assert [b.kind for b in article.blocks] == ["headline", "paragraph", "note"]
