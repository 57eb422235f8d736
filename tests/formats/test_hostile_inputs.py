"""Every reader, every malformed input: imported, or refused with the file, the line and what was
expected — never another exception (what the CLI shows as "unexpected …") — and the project unchanged.

The property tests mutate valid files of each format (tests/formats/hostile.py: the same mutations as
benchmarks/fuzz_readers.py, which runs 10,000 per reader); the reproducers below pin one case of each
class of input that used to end in "unexpected …", with the exact message.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import import_set as import_annotation_set
from annotator.errors import AnnotatorError, ImportFailed
from annotator.store import Store

from .conftest import news_article
from .hostile import READERS, SUFFIXES, build_project, mutate, seeds, write_input

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_WHERE = re.compile(r":\d+[:,)]|line \d+")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A project (written once) and the valid files of every reader."""
    folder = tmp_path_factory.mktemp("hostile")
    build_project(folder / "project.annotator")
    work = folder / "seeds"
    work.mkdir()
    return folder / "project.annotator", seeds(folder / "project.annotator", work)


def _fingerprint(store: Store) -> str:
    digest = hashlib.sha1()
    for table in ("articles", "annotations", "relations"):
        for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):  # noqa: S608 - fixed names
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@pytest.mark.parametrize("reader", READERS)
@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_a_mutated_file_is_imported_or_refused_with_its_line(world, reader, rng):
    project, found = world
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = write_input(folder / f"input{SUFFIXES.get(reader, '')}", mutate(rng, reader, rng.choice(found[reader])))
        shutil.copy(project, folder / "p.annotator")
        with Store.open(folder / "p.annotator") as store:
            before = _fingerprint(store)
            try:
                import_annotation_set(store, path, format_name=reader, annotator="fuzz")
            except AnnotatorError as exc:
                message = str(exc)
                assert message.startswith(str(path)), message
                assert _WHERE.search(message) or "no text file" in message, message  # a missing .txt has no line
                assert _fingerprint(store) == before, message


# -- one reproducer of each class that used to end in "unexpected …" --------------------------------------

HUGE = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000
NEWS = "Officials in 🇺🇦 Kyiv said prices rose 5% in May, AFP reported.\nPhoto: 👨‍🚒 firefighters at work (Reuters)"


def _record(reader: str) -> dict:
    if reader == "doccano":
        return {"text": NEWS, "label": [[0, 9, "SOURCE"]]}
    if reader == "prodigy":
        return {"text": NEWS, "tokens": [{"text": "Officials", "start": 0, "end": 9, "id": 0}],
                "spans": [{"start": 0, "end": 9, "label": "SOURCE", "token_start": 0, "token_end": 0}]}
    if reader == "labelstudio":
        return {"data": {"text": NEWS}, "annotations": [{"result": [
            {"id": "a", "type": "labels", "value": {"start": 0, "end": 9, "text": "Officials", "labels": ["SOURCE"]}}]}]}
    if reader == "w3c":
        return {"type": "Annotation", "id": "urn:x:1", "body": [{"type": "TextualBody", "purpose": "tagging", "value": "SOURCE"}],
                "target": {"source": "https://example.org/news/kyiv-prices",
                           "selector": [{"type": "TextPositionSelector", "start": 0, "end": 9}]}}
    return {"text": NEWS, "spans": [{"start": 0, "end": 9, "label": "SOURCE"}]}


JSON_READERS = ("doccano", "prodigy", "labelstudio", "w3c", "jsonl")


@pytest.mark.parametrize("reader", JSON_READERS)
@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        (lambda line: line.replace('"end": 9', f'"end": {HUGE}').replace("9, \"SOURCE\"", f"{HUGE}, \"SOURCE\""),
         r":2: a number with 5000 digits at column \d+; numbers of more than 4,300 digits are not read"),
        (lambda line: line[:-1] + f', "deep": {DEEP}}}', r":2: the JSON is nested too deeply to read"),
        (lambda line: line.replace('"SOURCE"', '"SOU\\ud800RCE"'), r":2: \S+ holds a lone surrogate \\ud800 at character 3"),
        (lambda line: line[: len(line) // 2], r":2: not valid JSON \(.* at column \d+\)"),
    ],
    ids=["huge-integer", "deep-nesting", "lone-surrogate", "cut-line"],
)
def test_a_hostile_json_line_is_refused_with_its_line(store, tmp_path, reader, hostile, message):
    news_article(store)
    before = _fingerprint(store)
    good = json.dumps(_record(reader), ensure_ascii=False)
    path = tmp_path / f"hostile{SUFFIXES[reader]}"
    path.write_text(good + "\n" + hostile(good) + "\n", "utf-8")
    with pytest.raises(ImportFailed, match=re.escape(str(path)) + message):
        import_annotation_set(store, path, format_name=reader, annotator="fuzz")
    assert _fingerprint(store) == before


def test_a_lone_surrogate_names_its_json_path(store, tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "ok", "spans": [{"start": 0, "end": 2, "label": "SOURCE", "note": "a\\udc00"}]}\n', "utf-8")
    with pytest.raises(ImportFailed, match=r"s\.jsonl:1: spans\[0\]\.note holds a lone surrogate \\udc00 at character 1"):
        import_annotation_set(store, path, format_name="jsonl")


@pytest.mark.parametrize(
    ("tokens", "message"),
    [
        ("7", r"'tokens' must be a list, found 7"),
        ('[{"text": "a", "start": 0, "end": 1, "id": [1]}]', r"'id' in token 0 must be a whole number, found \[1\]"),
        ('[{"text": "a", "start": 0, "end": 1, "id": {"a": 1}}]', r"'id' in token 0 must be a whole number, found \{"),
        ('["Officials"]', r"expected a JSON object in token 0, found \"Officials\""),
        ('[{"text": "a", "start": 0, "end": "1"}]', r"'end' in token 0 must be a whole number, found \"1\""),
    ],
)
def test_prodigy_tokens_of_the_wrong_type(store, tmp_path, tokens, message):
    path = tmp_path / "p.jsonl"
    path.write_text(f'{{"text": "Alice said so.", "tokens": {tokens}, "spans": []}}\n', "utf-8")
    with pytest.raises(ImportFailed, match=r"p\.jsonl:1: " + message):
        import_annotation_set(store, path, format_name="prodigy")
    assert store.counts()["articles"] == 0


@pytest.mark.parametrize(
    ("collection", "message"),
    [
        ({"na:sources": 7}, r"'na:sources' must be a list of the articles' texts, found 7"),
        ({"first": [1, 2]}, r"an AnnotationCollection's 'first' must be an AnnotationPage, found \[1, 2\]"),
        ({"items": {"a": 1}}, r"an AnnotationCollection's 'items' must be a list, found \{\"a\": 1\}"),
        ({"first": "https://example.org/page/1"}, r"the collection's first page is elsewhere \(https://example\.org/page/1\)"),
        ({"first": {"type": "AnnotationPage", "items": [{"type": "Annotation", "id": 7}]}},
         r"an annotation's 'id' must be a string \(an IRI\), found 7"),
        ({"first": {"type": "AnnotationPage", "items": [[{"type": "Annotation"}]]}},
         r"an AnnotationPage item is not an Annotation"),
    ],
)
def test_w3c_collection_fields_of_the_wrong_type(store, tmp_path, collection, message):
    path = tmp_path / "c.jsonld"
    path.write_text(json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", **collection}), "utf-8")
    with pytest.raises(ImportFailed, match=r"c\.jsonld:1: " + message):
        import_annotation_set(store, path, format_name="w3c")
    assert store.counts()["articles"] == 0


def test_bytes_that_are_not_utf8_name_their_line_in_every_reader(store, tmp_path):
    for reader in ("doccano", "prodigy", "labelstudio", "w3c", "jsonl", "conll"):
        good = "Alice B-SOURCE\n" if reader == "conll" else json.dumps(_record(reader), ensure_ascii=False) + "\n"
        path = tmp_path / f"bad-{reader}{SUFFIXES[reader]}"
        path.write_bytes(good.encode() * 3 + b"\xff\xfe broken\n")
        with pytest.raises(ImportFailed, match=re.escape(str(path)) + r":4: not UTF-8 text"):
            import_annotation_set(store, path, format_name=reader)
    assert store.counts()["articles"] == 0


def test_a_timestamp_outside_the_calendar_in_utc_is_read_as_none(store, tmp_path):
    path = tmp_path / "t.jsonl"
    span = {"start": 0, "end": 5, "label": "SOURCE", "created": "0001-01-01T00:00:00+14:00", "updated": "9999-12-31T23:59:59-14:00"}
    path.write_text(json.dumps({"text": "Alice said so.", "spans": [span]}) + "\n", "utf-8")
    import_annotation_set(store, path, format_name="jsonl", annotator="maria")
    [article] = store.list_articles()
    assert [a.quote for a in store.annotations_for(article.id)] == ["Alice"]
