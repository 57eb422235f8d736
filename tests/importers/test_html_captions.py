"""Captions, credits and headlines of real page shapes: one hand-written reproducer per bug class.

Each page is written here by hand after the shape of a real page (named in the test); none of
those pages is copied. The real pages are measured in benchmarks/bench_html_quality.py.
"""

from __future__ import annotations

import pytest

from annotator.credits import split_credit
from annotator.importers.html import parse_html
from annotator.model import Article

BODY = (
    "<p>The port authority closed the harbour to all shipping on Monday after the storm tore a gap in the outer wall.</p>"
    "<p>Engineers said repairs would take at least a week, and ferries to the islands were cancelled until Friday.</p>"
    "<p>Fishing boats that had sheltered inside the harbour overnight were allowed to leave in the afternoon.</p>"
    "<p>The coastguard said two crew members of a cargo ship had been taken to hospital with minor injuries.</p>"
)
SHARE_BAR = (
    "<ul class='social-share'>"
    + "".join(f"<li><a href='/share/{i}'>Share this story on network number {i}</a></li>" for i in range(12))
    + "</ul><div class='meta'><p class='byline'>By Tom Reed, Transport correspondent</p>"
    "<time datetime='2024-03-04'>Mon 4 Mar 2024 10.00 GMT</time></div>"
)


def blocks(article: Article) -> list[tuple[str, str]]:
    return [(b.kind, article.block_text(b)) for b in article.blocks]


def texts(article: Article, kind: str) -> list[str]:
    return [text for k, text in blocks(article) if k == kind]


def test_lead_picture_outside_the_story_container_keeps_its_caption() -> None:
    # shape of theguardian.com (trafilatura 0.9.3 tests/cache/theguardian.com.academics.html): the
    # lead <figure> sits in the <header> with the headline, a share bar and byline box between it
    # and the story's container
    page = (
        "<html><head><title>Storm closes port</title></head><body><article>"
        "<header class='content__head'><h1>Storm closes port</h1>"
        "<figure class='media-primary'><img src='/img/port-wall.jpg' alt='Waves over the wall'>"
        "<figcaption>Waves break over the harbour wall on Monday. Photograph: Jane Doe/AP</figcaption></figure>"
        f"{SHARE_BAR}</header><div class='content__article-body'>{BODY}</div></article></body></html>"
    )
    article = parse_html(page, "lead.html")
    sequence = blocks(article)
    caption = sequence.index(("caption", "Waves break over the harbour wall on Monday."))
    assert sequence[caption - 1] == ("image_alt", "Waves over the wall")
    assert sequence[caption + 1] == ("credit", "Photograph: Jane Doe/AP")
    assert sequence[caption + 2][1].startswith("The port authority closed")
    assert sequence[0] == ("headline", "Storm closes port")


def test_a_layout_box_named_like_chrome_that_holds_the_story_is_not_chrome() -> None:
    # shape of theverge.com (tests/cache/theverge.com.ios13.html): the whole story is inside
    # <div class="l-sidebar-fixed">; of chip.de (chip.de.beef.html): the story's sections are
    # <section class="TestReport__Section--Ads">; a real sidebar beside them keeps its teaser out
    page = (
        "<html><head><title>Storm closes port</title></head><body><div class='l-sidebar-fixed'><article>"
        f"<h1>Storm closes port</h1><section class='Report__Section--Ads'>{BODY}"
        "<figure><img src='/img/ferry.jpg' alt='A ferry'><figcaption>The island ferry waits at the quay.</figcaption>"
        "<cite>Image: Harbour Board</cite></figure>"
        "<p>The harbour master said the wall had last been repaired in 1998, after a smaller storm.</p></section>"
        "</article><div class='sidebar'><figure><img src='/img/other.jpg' alt='Other'>"
        "<figcaption>A teaser for another story</figcaption></figure></div></div></body></html>"
    )
    article = parse_html(page, "layout.html")
    assert texts(article, "caption") == ["The island ferry waits at the quay."]
    assert texts(article, "credit") == ["Image: Harbour Board"]
    assert "teaser" not in article.text


def test_caption_and_credit_boxes_side_by_side_are_one_figure() -> None:
    # shape of cnn.com (newspaper4k 0.9.6 tests/data/html/cnn_001.html): no <figure>; a
    # <div class="image__caption"> and then a <figcaption class="image__credit"> with the credit
    page = (
        "<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes port</h1>"
        "<div class='image__lede'><div class='image'><img src='/img/port.jpg' alt=''>"
        "<div class='image__metadata'><div itemprop='caption' class='image__caption attribution'>"
        "<span>The harbour master at the damaged wall</span></div>"
        "<figcaption class='image__credit'>Jane Doe/Getty Images</figcaption></div></div></div>"
        f"{BODY}</article></body></html>"
    )
    article = parse_html(page, "cnn-shape.html")
    sequence = blocks(article)
    caption = sequence.index(("caption", "The harbour master at the damaged wall"))
    assert sequence[caption + 1] == ("credit", "Jane Doe/Getty Images")


def test_a_figcaption_that_is_only_a_credit_is_kept_as_a_credit() -> None:
    # shape of oneesports.gg (newspaper4k video_article_02.html): <figcaption>Credit: Riot Games</figcaption>
    page = (
        "<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes port</h1>"
        f"{BODY}<figure><img src='/img/wall.jpg' alt='The broken wall'><figcaption>Credit: Harbour Board</figcaption></figure>"
        "<p>The harbour master said the wall had last been repaired in 1998, after a smaller storm.</p></article></body></html>"
    )
    article = parse_html(page, "credit-only.html")
    sequence = blocks(article)
    credit = sequence.index(("credit", "Credit: Harbour Board"))
    assert sequence[credit - 1] == ("image_alt", "The broken wall")
    assert texts(article, "caption") == []


def test_a_credit_that_is_a_link_does_not_make_the_caption_a_teaser() -> None:
    # shape of simplyscience.ch (tests/cache/simplyscience.ch.erdoel.html): "Bild: <a>Name/Agency</a>"
    page = (
        "<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes port</h1>"
        f"{BODY}<figure><img src='/img/wall.jpg' alt='Wall'><figcaption><p>The wall at dusk. Bild: "
        "<a href='https://agency.example/pic-1'>JaneDoe/Agency.com</a></p></figcaption></figure>"
        "<p>The harbour master said the wall had last been repaired in 1998, after a smaller storm.</p></article></body></html>"
    )
    article = parse_html(page, "linked-credit.html")
    assert texts(article, "caption") == ["The wall at dusk."]
    assert texts(article, "credit") == ["Bild: JaneDoe/Agency.com"]


def test_screen_reader_text_is_not_part_of_the_caption() -> None:
    # shape of bbc.com (newspaper4k burmese_article.html): <span class="off-screen">Image caption</span>
    page = (
        "<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes port</h1>"
        f"{BODY}<figure><img src='/img/wall.jpg' alt='Wall'><figcaption><span class='off-screen'>Image caption</span>"
        "The wall after the storm</figcaption></figure>"
        "<p>The harbour master said the wall had last been repaired in 1998, after a smaller storm.</p></article></body></html>"
    )
    article = parse_html(page, "bbc-shape.html")
    assert texts(article, "caption") == ["The wall after the storm"]


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        # Reuters' caption shape: the "FILE PHOTO:" prefix belongs to the caption
        (
            "FILE PHOTO: A view of the harbour wall in Dover, Britain, March 3, 2021. REUTERS/Jane Doe/File Photo",
            ("FILE PHOTO: A view of the harbour wall in Dover, Britain, March 3, 2021.", "REUTERS/Jane Doe/File Photo"),
        ),
        ("FILE PHOTO: Ferries wait at the quay.", ("FILE PHOTO: Ferries wait at the quay.", "")),
        # AP's: "FILE - ..." with the credit in parentheses
        ("FILE - A ferry at the quay, May 2, 2020. (AP Photo/Jane Doe)", ("FILE - A ferry at the quay, May 2, 2020.", "(AP Photo/Jane Doe)")),
        # a "PHOTO:" label before a sentence is a prefix, before names a credit
        ("PHOTO: Rescuers search the rubble in Antakya.", ("PHOTO: Rescuers search the rubble in Antakya.", "")),
        ("Photo: Jane Doe/Reuters", ("", "Photo: Jane Doe/Reuters")),
        ("Screenshot by Jane Doe/ONE Esports", ("", "Screenshot by Jane Doe/ONE Esports")),
        ("Jean Jaurès à l'Assemblée, par Jean Veber• Crédits : Getty", ("Jean Jaurès à l'Assemblée, par Jean Veber", "Crédits : Getty")),
        ("(Bild: Audi)", ("", "(Bild: Audi)")),
    ],
)
def test_caption_prefixes_stay_in_the_caption(caption: str, expected: tuple[str, str]) -> None:
    assert split_credit(caption) == expected


def test_file_photo_caption_in_a_page() -> None:
    page = (
        "<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes port</h1>"
        f"{BODY}<figure><img src='/img/wall.jpg' alt='Wall'><figcaption>FILE PHOTO: The harbour wall in Dover, "
        "Britain, March 3, 2021. REUTERS/Jane Doe</figcaption></figure>"
        "<p>The harbour master said the wall had last been repaired in 1998, after a smaller storm.</p></article></body></html>"
    )
    article = parse_html(page, "file-photo.html")
    assert texts(article, "caption") == ["FILE PHOTO: The harbour wall in Dover, Britain, March 3, 2021."]
    assert texts(article, "credit") == ["REUTERS/Jane Doe"]


def test_the_site_name_in_front_of_the_title_is_not_the_headline() -> None:
    # shape of linknaija (newspaper4k article_with_divs.html): og:title "Site | Tagline: Story"
    page = (
        "<html><head><title>Storm closes port</title>"
        "<meta property='og:site_name' content='CoastNews | The islands&#39; news platform'>"
        "<meta property='og:title' content='CoastNews | The islands&#39; news platform: Storm closes port'></head>"
        f"<body><div class='post'><div class='post-title'>Storm closes port</div>{BODY}</div></body></html>"
    )
    article = parse_html(page, "site-prefix.html")
    assert article.title == "Storm closes port"
    assert blocks(article)[0] == ("headline", "Storm closes port")


def test_a_blog_h1_that_is_the_site_name_is_not_the_headline() -> None:
    # shape of internet-law.de (tests/cache/internet-law.de.pseudonymen.html): <h1> is the site's
    # name linking home, the story's title an <h3>, the <title> "Site » Story"
    page = (
        "<html><head><title>Harbour Blog &raquo; Storm closes port</title></head><body>"
        "<div id='header'><h1><a href='https://harbour-blog.example'>Harbour Blog</a></h1></div>"
        f"<div id='content'><h3 class='storytitle'>Storm closes port</h3><div class='storycontent'>{BODY}</div></div>"
        "</body></html>"
    )
    article = parse_html(page, "blog.html")
    assert article.title == "Storm closes port"
    assert blocks(article)[0] == ("headline", "Storm closes port")
    assert "Harbour Blog" not in article.text


def test_a_site_tail_is_cut_from_the_title() -> None:
    page = (
        "<html><head><title>Storm closes port » Harbour Blog</title>"
        "<meta property='og:site_name' content='Harbour Blog'></head>"
        f"<body><div class='content'>{BODY}</div></body></html>"
    )
    assert parse_html(page, "tail.html").title == "Storm closes port"


def test_a_standfirst_box_that_holds_the_headline_too_gives_only_the_standfirst() -> None:
    # shape of theguardian.com (tests/cache/theguardian.com.academics.html): the lead box holds the <h1>
    page = (
        "<html><head><title>Storm closes port</title></head><body><article>"
        "<header><div class='content__headline-standfirst'><h1>Storm closes port</h1>"
        "<p>Ferries to the islands are cancelled until Friday while engineers repair the outer wall</p></div></header>"
        f"<div class='content__article-body'>{BODY}</div></article></body></html>"
    )
    article = parse_html(page, "standfirst.html")
    assert blocks(article)[:2] == [
        ("headline", "Storm closes port"),
        ("standfirst", "Ferries to the islands are cancelled until Friday while engineers repair the outer wall"),
    ]


def test_an_alt_text_that_the_caption_below_repeats_is_shown_once() -> None:
    # cnn_001.html again: the <img alt> is the caption's text, in a box beside the caption box
    page = (
        "<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes port</h1>"
        "<div class='image'><img src='/img/port.jpg' alt='The harbour master at the damaged wall'>"
        "<div class='image__metadata'><div class='image__caption'>The harbour master at the damaged wall</div>"
        "<figcaption class='image__credit'>Jane Doe/Getty Images</figcaption></div></div>"
        f"{BODY}</article></body></html>"
    )
    article = parse_html(page, "alt-twice.html")
    assert blocks(article)[1:3] == [("caption", "The harbour master at the damaged wall"), ("credit", "Jane Doe/Getty Images")]
