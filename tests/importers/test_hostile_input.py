"""Hostile or odd input that once ended in "unexpected ...", leaked markup into the text, or took minutes.

Each case is a minimal hand-written reproducer that asserts the exact outcome: what is stored,
or the message (with the file and line) and a project left as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import ImportFailed
from annotator.importers.html import parse_html, parse_html_bytes
from annotator.importers.html.extraction import _cut_after
from annotator.importers.mhtml import parse_mhtml_bytes
from annotator.importing import import_paths
from annotator.store import Store

STORY = (
    "The port authority closed the harbour to all shipping on Monday after the storm tore a gap in the outer wall. "
    "Engineers said repairs would take at least a week."
)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE html [\n<!ENTITY site "Harbour">\n]>',
        # a "]" and a ">" inside the subset's quoted values and comments
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd" [<!ENTITY a "x]>y"><!-- c > d -->]>',
    ],
)
def test_a_doctype_internal_subset_never_reaches_the_text(doctype: str) -> None:
    # libxml2's HTML parser, like a browser, ends the doctype at the first ">" and shows "]>" as text
    page = f"{doctype}<html><head><title>Storm closes port</title></head><body>{STORY}</body></html>"
    article = parse_html_bytes(page.encode("utf-8"), "subset.html")
    assert article.text == f"Storm closes port\n{STORY}"


def test_lone_surrogates_in_json_are_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_text(
        json.dumps({"title": "Fine", "text": "A good line."}) + "\n"
        + '{"title": "Storm \\ud83d closes port", "text": "The harbour closed."}\n',
        "utf-8",
    )
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [path], annotator="tester")
        assert store.list_articles() == []
    assert report.failed == [
        (
            path,
            'line 2: "title" holds a lone surrogate (\\ud83d) at character 7, half of a character such as an emoji, '
            "cut off where the file was made; it is not a character and cannot be stored (fix the file, or remove that escape)",
        )
    ]


def test_lone_surrogates_in_html_given_as_text_are_refused() -> None:
    with pytest.raises(ImportFailed) as info:
        parse_html(f"<html><body><h1>Storm \udc00</h1><p>{STORY}</p></body></html>", "page.json: item 2")
    assert str(info.value).startswith("page.json: item 2: the page holds a lone surrogate (\\udc00) at character 23,")


def test_a_non_ascii_content_location_in_mhtml_becomes_the_url() -> None:
    page = f"<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes port</h1><p>{STORY}</p></article></body></html>"
    message = (
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://news.example/st\u00fcrm\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="B"\r\n\r\n--B\r\nContent-Type: text/html\r\n'
        "Content-Location: https://news.example/hafen-schlie\u00dft\r\n\r\n" + page + "\r\n--B--\r\n"
    ).encode("utf-8")
    article = parse_mhtml_bytes(message, "saved.mhtml")
    assert article.url == "https://news.example/hafen-schlie\u00dft"
    assert article.title == "Storm closes port"


def test_metadata_of_a_huge_page_is_read_from_its_first_elements() -> None:
    import lxml.html

    tree = lxml.html.document_fromstring("<html><head><title>T</title></head><body>" + "<div><p>x</p></div>" * 10 + "</body></html>")
    _cut_after(tree, 6)  # html, head, title, body, div, p: the sixth element (index 6) is the second div
    assert lxml.html.tostring(tree) == b"<html><head><title>T</title></head><body><div><p>x</p></div></body></html>"
