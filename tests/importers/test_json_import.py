"""Article JSON and JSON Lines: shapes, metadata aliases, paragraphs, HTML inside, errors with line numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.errors import ImportFailed
from annotator.importers.article_json import article_from_record, import_json_file, split_paragraphs
from annotator.importing import import_paths, load_file
from annotator.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


def blocks(article) -> list[tuple[str, str]]:
    return [(b.kind, article.block_text(b)) for b in article.blocks]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    return path


def test_jsonl_fixture_three_articles_with_metadata() -> None:
    first, second, third = import_json_file(FIXTURES / "articles.jsonl")
    assert first.title == "Council approves new cycle lanes"
    assert blocks(first) == [
        ("headline", "Council approves new cycle lanes"),
        ("paragraph", "The city council voted 31 to 12 on Tuesday to build forty kilometres of protected cycle lanes."),
        ("paragraph", "Work will start in the spring and should be finished within two years, the transport committee said."),
        ("paragraph", "Shop owners on the high street said they feared losing parking spaces."),  # lines joined
    ]
    assert (first.url, first.outlet, first.authors, first.published, first.language) == (
        "https://metro.example/cycle-lanes", "Metro Example", ["Ana Ruiz", "Tom Baker"], "2024-04-02", "en"
    )
    # no title: the first line is the headline; no blank lines: one paragraph per line
    assert blocks(second) == [
        ("headline", "Harbour reopens after storm"),
        ("paragraph", "The harbour reopened on Friday after engineers repaired the sea wall."),
        ("paragraph", "Fishing boats returned to their moorings by the afternoon."),
    ]
    assert second.authors == ["Sam Green", "Lee Chan"] and second.published == "2024-04-05"
    # {"html": ...} goes through the HTML importer, the object's fields win
    assert third.title == "Museum returns stolen painting"
    assert ("caption", "The painting on display in 1990.") in blocks(third)
    assert ("credit", "Photo: City Museum") in blocks(third)
    assert third.url == "https://news.example/museum" and third.outlet == "News Example"
    assert {a.source_file for a in (first, second, third)} == {str(FIXTURES / "articles.jsonl")}


def test_json_object_with_articles_list_and_plain_list(tmp_path: Path) -> None:
    wrapped = import_json_file(FIXTURES / "articles.json")
    assert [a.title for a in wrapped] == ["Council approves new cycle lanes", "Harbour reopens after storm"]
    records = json.loads((FIXTURES / "articles.json").read_text())["articles"]
    plain = import_json_file(write(tmp_path, "list.json", json.dumps(records)))
    assert [a.id for a in plain] == [a.id for a in wrapped]
    single = import_json_file(write(tmp_path, "one.json", json.dumps(records[0])))
    assert [a.id for a in single] == [wrapped[0].id]


def test_malformed_line_names_the_line_and_imports_nothing(tmp_path: Path) -> None:
    path = FIXTURES / "bad_line.jsonl"
    with pytest.raises(ImportFailed) as info:
        import_json_file(path)
    assert str(info.value) == f"{path}: line 3: not valid JSON (column 46: Expecting ',' delimiter)"
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [path], annotator="tester")
        assert store.list_articles() == []  # all or nothing: the two good lines are not stored either
    assert report.failed == [(path, "line 3: not valid JSON (column 46: Expecting ',' delimiter)")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"title": "x"}\n', 'line 1: an article needs a "text" or an "html" field'),
        ('{"text": "ok"}\n[1, 2]\n', "line 2: expected an article object, found a list"),
        ('{"text": 42}\n', 'line 1: "text" must be a string, found a number'),
        ('{"text": "   \\n  "}\n', 'line 1: the "text" field is empty'),
        ('{"text": "Body", "url": ["a"]}\n', 'line 1: "url" must be a string, found a list'),
        ("\n\n", "no text (the file holds only whitespace)"),
        ('{"html": "<html><body><nav><a href=/>Home</a></nav></body></html>"}\n', "no article text found in"),
    ],
)
def test_jsonl_errors(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=re.escape(message)):
        import_json_file(write(tmp_path, "a.jsonl", content))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "x",}', "not valid JSON (line 1, column 14: Expecting property name enclosed in double quotes)"),
        ("[]", "no article found in the file (an empty list)"),
        ('"just a string"', "expected an article object or a list of them, found a string"),
        ('[{"text": "fine"}, {"title": "no text"}]', 'item 2: an article needs a "text" or an "html" field'),
    ],
)
def test_json_errors(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=re.escape(message)):
        import_json_file(write(tmp_path, "a.json", content))


def test_json_lines_in_a_json_file_and_without_suffix(tmp_path: Path) -> None:
    content = '{"title": "One", "text": "First."}\n{"title": "Two", "text": "Second."}\n'
    assert [a.title for a in import_json_file(write(tmp_path, "lines.json", content))] == ["One", "Two"]
    assert [a.title for a in load_file(write(tmp_path, "export.dat", content))] == ["One", "Two"]


def test_aliases_and_author_strings() -> None:
    article = article_from_record(
        {
            "headline": "Aliases",
            "body": "Para one.\n\nPara two.",
            "link": "https://x.example/a",
            "site_name": "X News",
            "byline": "By Ana Ruiz & Tom Baker",
            "datePublished": "2024-01-02",
            "category": "World",
            "lang": "es",
            "subtitle": "A standfirst.",
        },
        "rec",
    )
    assert blocks(article) == [
        ("headline", "Aliases"), ("standfirst", "A standfirst."), ("paragraph", "Para one."), ("paragraph", "Para two.")
    ]
    assert (article.url, article.outlet, article.authors, article.published, article.section, article.language) == (
        "https://x.example/a", "X News", ["Ana Ruiz", "Tom Baker"], "2024-01-02", "World", "es"
    )
    assert article_from_record({"text": "T\nB", "publisher": {"name": "Agency"}}, "r").outlet == "Agency"


def test_paragraph_splitting_and_odd_line_breaks() -> None:
    assert split_paragraphs("a\r\nb\u2028c\n") == ["a", "b", "c"]
    assert split_paragraphs("a\r\nb\u2028c\n\n\nd") == ["a b c", "d"]
    assert split_paragraphs("one\nline\n  \ntwo") == ["one line", "two"]
    article = article_from_record({"title": "T", "text": "x\u2029y\x0bz\x00"}, "r")
    assert all("\n" not in article.block_text(b) for b in article.blocks)
    assert [article.block_text(b) for b in article.blocks] == ["T", "x", "y", "z"]


def test_legacy_encoded_jsonl_is_decoded(tmp_path: Path) -> None:
    line = json.dumps({"title": "Café", "text": "Le café de la gare a rouvert ses portes mercredi matin, à la grande joie des habitués."}, ensure_ascii=False)
    [article] = import_json_file(write(tmp_path, "latin.jsonl", (line + "\n").encode("latin-1")))
    assert article.title == "Café"
