"""The HTML importer: article text and structure, captions and credits, metadata, encodings, limits, privacy."""

from __future__ import annotations

import http.client
import socket
import urllib.request
from pathlib import Path

import pytest

from annotator.credits import split_credit
from annotator.errors import ImportFailed
from annotator.importers import html as html_importer
from annotator.importers.html import import_html_file, parse_html, parse_html_bytes, sniff_charset
from annotator.importers.mhtml import import_mhtml_file
from annotator.importing import importer_for, load_file
from annotator.model import Article

FIXTURES = Path(__file__).parent / "fixtures"
NEWS = FIXTURES / "news_figure.html"


def blocks(article: Article) -> list[tuple[str, str]]:
    return [(b.kind, article.block_text(b)) for b in article.blocks]


def texts(article: Article, kind: str) -> list[str]:
    return [text for k, text in blocks(article) if k == kind]


@pytest.fixture(scope="module")
def news() -> Article:
    return import_html_file(NEWS)


# -- structure -----------------------------------------------------------------------------------


def test_headline_standfirst_byline_and_body_structure(news: Article) -> None:
    kinds = [kind for kind, _ in blocks(news)]
    assert kinds[:3] == ["headline", "standfirst", "byline"]
    assert texts(news, "headline") == ["Floods hit river towns as rain continues"]
    assert texts(news, "standfirst") == [
        "Thousands were moved from their homes overnight as the river rose to a record level."
    ]
    assert texts(news, "byline") == ["By Jane Smith, Environment correspondent"]
    assert texts(news, "subheading") == ["Schools closed"]
    assert texts(news, "quote") == [
        '"We have never seen anything like this. The water came up the street in less than an hour," '
        "said Mary Jones, who runs a bakery on the high street."
    ]
    assert texts(news, "list_item") == [
        "The A38 between Riverton and Millbrook",
        "Station Road in Riverton",
        "The B4211 near the old mill",
    ]
    paragraphs = texts(news, "paragraph")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("Emergency services evacuated more than 3,000 people")
    assert paragraphs[-1].startswith("The local MP, Tom Baker, said")


def test_metadata(news: Article) -> None:
    assert news.title == "Floods hit river towns as rain continues"
    assert news.authors == ["Jane Smith"]
    assert news.published == "2024-03-05"
    assert news.outlet == "The Riverside Courier"
    assert news.url == "https://courier.example/news/2024/03/05/floods-river-towns"
    assert news.language == "en-GB"
    assert news.section == "Environment"
    assert news.source_file == str(NEWS)


def test_figure_caption_and_credit_blocks_in_place(news: Article) -> None:
    sequence = blocks(news)
    lead = sequence.index(("caption", "Residents wade through the high street in Riverton on Monday evening."))
    assert sequence[lead - 1] == ("image_alt", "Flooded high street in Riverton")
    assert sequence[lead + 1] == ("credit", "Photo: John Doe/Reuters")  # <span class="credit">
    assert sequence[lead + 2][1].startswith("Emergency services evacuated")  # the lead photo sits above the body
    boat = sequence.index(("caption", "A fire service boat on Station Road in Riverton."))
    assert sequence[boat - 1] == ("image_alt", "A rescue boat on a flooded road")
    assert sequence[boat + 1] == ("credit", "(Getty Images)")  # <small> in the figcaption
    assert sequence[boat - 2] == ("list_item", "The B4211 near the old mill")  # where it stands on the page
    sandbags = sequence.index(("caption", "Volunteers fill sandbags outside the town hall in Millbrook."))
    assert sequence[sandbags + 1] == ("credit", "Photograph: Sam Green/AP")  # a "Photograph: X" tail
    assert sequence[sandbags - 1][1].startswith("Forecasters expect another 40mm")


def test_boilerplate_scripts_iframes_forms_and_hidden_text_are_left_out(news: Article) -> None:
    for absent in (
        "SCRIPT", "STYLE_TEXT", "IFRAME_TEXT", "HIDDEN_TEXT", "TEMPLATE_TEXT", "COMMENT_TEXT",
        "Share on Facebook", "Subscribe", "Your email", "newsletter", "Related stories", "River levels explained",
        "cookies", "All rights reserved", "Privacy", "Weather",
    ):
        assert absent not in news.text, absent


def test_tracking_pixel_and_logo_are_ignored(news: Article) -> None:
    assert "tracking pixel" not in news.text
    assert texts(news, "image_alt").count("The Riverside Courier") == 0


def test_no_network_no_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        calls.append(repr(args[:2]))
        raise AssertionError(f"network use: {args[:2]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(http.client.HTTPConnection, "connect", refuse)
    try:
        import urllib3

        monkeypatch.setattr(urllib3.PoolManager, "urlopen", refuse)
        monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool, "urlopen", refuse)
    except ImportError:  # pragma: no cover - trafilatura brings urllib3
        pass
    article = import_html_file(NEWS)
    assert texts(article, "caption")  # the remote images were never needed for their captions
    assert calls == []


def test_a_url_like_string_is_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura.downloads

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fetched")

    monkeypatch.setattr(trafilatura.downloads, "fetch_url", refuse)
    monkeypatch.setattr(trafilatura.downloads, "fetch_response", refuse)
    with pytest.raises(ImportFailed, match="no article text found"):
        parse_html("https://example.com/news/story.html", "link.html")


def test_headings_lists_and_line_breaks_never_make_multi_line_blocks() -> None:
    page = (
        "<html><head><title>Breaks</title></head><body><article><h1>Breaks</h1>"
        "<p>First line of an address<br>second line of it<br/>third line, all in one paragraph tag.</p>"
        "<p>A paragraph with a line\nbreak in its source and\r\nanother, and tabs\tin it, all to be joined.</p>"
        "<ol><li>One item<ul><li>Nested item</li></ul></li><li>Two item</li></ol>"
        "<p>And a final paragraph of ordinary text for the article to be long enough.</p>"
        "</article></body></html>"
    )
    article = parse_html(page, "breaks.html")
    for _, text in blocks(article):
        assert "\n" not in text and "\r" not in text
    assert ("paragraph", "A paragraph with a line break in its source and another, and tabs in it, all to be joined.") in blocks(article)
    assert ("list_item", "Nested item") in blocks(article)
    assert [t for t in texts(article, "paragraph") if "address" in t or "line of it" in t]


def test_headline_from_title_when_the_page_has_no_h1() -> None:
    page = (
        "<html><head><title>Harbour reopens after storm - Coast News</title></head><body>"
        "<div class='content'><p>The harbour reopened on Friday after engineers repaired the sea wall that "
        "the storm had breached on Tuesday night.</p><p>Fishing boats returned to their moorings by the "
        "afternoon, the harbour master said.</p></div></body></html>"
    )
    article = parse_html(page, "harbour.html")
    assert blocks(article)[0] == ("headline", "Harbour reopens after storm")


def test_no_article_text_is_a_clear_error() -> None:
    path = FIXTURES / "no_article.html"
    with pytest.raises(ImportFailed) as info:
        import_html_file(path)
    assert str(info.value) == f"no article text found in {path}"


@pytest.mark.parametrize("page", ["", "   ", "<html></html>", "<html><body><script>var a = 1;</script></body></html>"])
def test_empty_pages_are_refused(tmp_path: Path, page: str) -> None:
    path = tmp_path / "empty.html"
    path.write_text(page)
    with pytest.raises(ImportFailed):
        import_html_file(path)


# -- limits --------------------------------------------------------------------------------------


def test_a_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with open(path, "wb") as handle:
        handle.truncate(25_000_000)  # sparse
    with pytest.raises(ImportFailed, match=r"25 MB is over the 20 MB limit"):
        import_html_file(path)


def test_a_page_with_too_many_elements_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body><article><p>Story text here.</p>" + "<i>x</i>" * 250_000 + "</article></body></html>")
    with pytest.raises(ImportFailed, match=r"more than 200,000 HTML elements, the limit for one article"):
        import_html_file(path)


def test_the_element_count_after_parsing_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_importer, "MAX_ELEMENTS", 40)
    with pytest.raises(ImportFailed, match=r"the page has [\d,]+ HTML elements, over the limit of 40"):
        import_html_file(NEWS)


# -- encodings -----------------------------------------------------------------------------------


def test_windows_1251_without_meta_is_detected() -> None:
    article = import_html_file(FIXTURES / "russian_cp1251_no_meta.html")
    assert article.title == "В Москве открыли новую линию метро"
    assert texts(article, "paragraph")[0].startswith("Мэр Москвы во вторник открыл последний участок")
    assert article.published == ""  # "в 2011 году" in the text is not the article's date


def test_meta_charset_is_honoured_without_guessing(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.importers import reading

    def no_detection(data: bytes, name: str) -> str:
        raise AssertionError("detection ran although the page declares its charset")

    monkeypatch.setattr(reading, "_decode_legacy", no_detection)
    article = import_html_file(FIXTURES / "french_meta_charset_latin1.html")
    assert article.title == "Sécheresse : l'État débloque une aide"
    assert "« C'est une réponse à la détresse des exploitations »" in article.text
    japanese = import_html_file(FIXTURES / "japanese_http_equiv_sjis.html")  # http-equiv Content-Type
    assert japanese.title == "東京で記録的な猛暑"
    assert "熱中症の疑いで百二十人以上が救急搬送された" in japanese.text


def test_declared_charset_that_does_not_fit_falls_back_to_detection() -> None:
    body = (
        "<p>Президент России Владимир Путин провёл в среду совещание с членами правительства, на котором "
        "обсуждались вопросы развития экономики и поддержки регионов страны в ближайшие годы.</p>"
    )
    page = f'<html><head><meta charset="shift_jis"><title>Совещание</title></head><body><article><h1>Совещание</h1>{body}{body.replace("среду", "четверг")}</article></body></html>'
    article = parse_html_bytes(page.encode("windows-1251"), "wrong-label.html")
    assert "Владимир Путин провёл в среду совещание" in article.text


def test_utf8_wins_over_a_stale_latin1_declaration() -> None:
    page = '<html><head><meta charset="iso-8859-1"><title>Zoë’s café</title></head><body><article><h1>Zoë’s café</h1><p>Zoë Dupont has run the café on the market square for eighteen years, she said on Monday.</p></article></body></html>'
    article = parse_html_bytes(page.encode("utf-8"), "stale.html")
    assert article.title == "Zoë’s café"


def test_bom_and_utf16() -> None:
    page = "<html><head><title>Überschrift</title></head><body><article><h1>Überschrift</h1><p>Die Stadt hat am Montag neue Regeln für Cafés beschlossen, sagte die Bürgermeisterin.</p></article></body></html>"
    for data in (b"\xef\xbb\xbf" + page.encode("utf-8"), page.encode("utf-16")):
        assert parse_html_bytes(data, "bom.html").title == "Überschrift"


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<meta charset="windows-1251">', "windows-1251"),
        (b"<meta charset=utf-8>", "utf-8"),
        (b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=EUC-KR">', "EUC-KR"),
        (b'<?xml version="1.0" encoding="ISO-8859-15"?><html>', "ISO-8859-15"),
        (b"<title>no declaration</title>", None),
    ],
)
def test_sniff_charset(head: bytes, charset: str | None) -> None:
    data = head if head.startswith(b"<?xml") else b"<html><head>" + head + b"</head>"
    assert sniff_charset(data) == charset


# -- captions and credits -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Rescuers at work. Photo: Jane Doe/Reuters", ("Rescuers at work.", "Photo: Jane Doe/Reuters")),
        ("A boat on Station Road. (Getty Images)", ("A boat on Station Road.", "(Getty Images)")),
        ("Kids at play © AFP 2024", ("Kids at play", "© AFP 2024")),
        ("The sun rises over California. David McNew—Getty Images", ("The sun rises over California.", "David McNew—Getty Images")),
        ("A crowd gathers in the square. Reuters", ("A crowd gathers in the square.", "Reuters")),
        ("Photo: AP", ("", "Photo: AP")),
        ("A man (left) walks to work.", ("A man (left) walks to work.", "")),
        ("The mayor speaks for the city.", ("The mayor speaks for the city.", "")),
    ],
)
def test_split_credit(caption: str, expected: tuple[str, str]) -> None:
    assert split_credit(caption) == expected


def test_caption_patterns_without_figure_elements() -> None:
    page = (
        "<html><head><title>Gallery</title></head><body><article><h1>Gallery</h1>"
        "<p>The exhibition opened on Friday with more than two hundred photographs from the archive of the city.</p>"
        "<div class='image'><img src='a.jpg' alt='An old tram'><p class='image-caption'>A tram on Main Street in 1925. "
        "<span class='image-credit'>City Archive</span></p></div>"
        "<p>The curator said the oldest picture in the show was taken in 1861, the year the first bridge opened.</p>"
        "<p class='caption'>The first bridge, seen from the north bank. Picture by Tom Smith</p>"
        "<p>The exhibition runs until the end of August and entry is free for residents of the city.</p>"
        "</article></body></html>"
    )
    article = parse_html(page, "gallery.html")
    sequence = blocks(article)
    assert ("caption", "A tram on Main Street in 1925.") in sequence
    assert ("credit", "City Archive") in sequence
    assert ("caption", "The first bridge, seen from the north bank.") in sequence
    assert ("credit", "Picture by Tom Smith") in sequence
    assert sequence.count(("caption", "The first bridge, seen from the north bank.")) == 1
    assert "Picture by Tom Smith" not in texts(article, "paragraph")


def test_related_teaser_figures_outside_the_article_are_left_out() -> None:
    page = (
        "<html><head><title>Main story</title></head><body><main><article><h1>Main story</h1>"
        "<p>The first paragraph of the main story is long enough to count as the article text here.</p>"
        "<p>The second paragraph of the main story adds some more words about what happened on Monday.</p>"
        "</article><aside class='related'><figure><img src='r.jpg' alt='Teaser'><figcaption>Another story entirely "
        "(Getty Images)</figcaption></figure></aside><div class='more-stories'><figure><a href='/x'><img src='y.jpg'></a>"
        "<figcaption><a href='/x'>A linked teaser headline for another page</a></figcaption></figure></div></main>"
        "</body></html>"
    )
    article = parse_html(page, "teasers.html")
    assert "Another story" not in article.text and "linked teaser" not in article.text


# -- other entry points -----------------------------------------------------------------------------


def test_mhtml_single_file_page() -> None:
    path = FIXTURES / "cafe_rents.mhtml"
    article = import_mhtml_file(path)
    assert importer_for(path) is not None
    assert article.title == "Café owners protest new rent rules"
    assert article.url == "https://citypost.example/news/cafe-rents"
    assert ("caption", "Owners gathered outside the town hall on Monday.") in blocks(article)
    assert ("credit", "Photo: Léa Martin") in blocks(article)
    assert "said Zoë Dupont, who has run a café" in article.text  # quoted-printable windows-1252 decoded
    assert "GIF89a" not in article.text


def test_mhtml_is_recognised_by_content_even_named_html(tmp_path: Path) -> None:
    path = tmp_path / "saved.html"
    path.write_bytes((FIXTURES / "cafe_rents.mhtml").read_bytes())
    [article] = load_file(path)
    assert article.title == "Café owners protest new rent rules"


def test_mhtml_without_html_part(tmp_path: Path) -> None:
    path = tmp_path / "odd.mhtml"
    path.write_bytes(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x\r\nContent-Type: image/png\r\n\r\nabc\r\n--x--\r\n")
    with pytest.raises(ImportFailed, match="without an HTML page"):
        import_mhtml_file(path)


def test_html_file_named_txt_is_still_read_as_html_when_it_is_a_whole_document(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(NEWS.read_bytes())
    [article] = load_file(path)
    assert article.title == "Floods hit river towns as rain continues" and texts(article, "caption")


def test_same_page_twice_gives_the_same_id() -> None:
    assert import_html_file(NEWS).id == import_html_file(NEWS).id
