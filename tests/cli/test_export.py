"""`annotator export` and the JSONL writer."""

from __future__ import annotations

import io
import json

import pytest

from annotator.formats import FORMATS, atomic_text_file, jsonl
from annotator.store import Store
import support

SPAN_KEYS = {"id", "start", "end", "label", "text", "annotator", "attributes", "note", "prefix", "suffix", "origin", "created", "updated"}
ARTICLE_KEYS = {"id", "title", "url", "outlet", "authors", "published", "section", "language", "source_file", "imported_at", "status", "note", "text", "blocks", "spans", "relations"}


def _lines(text: str) -> list[dict]:
    """The article records of a JSONL export, after checking its header line."""
    records = [json.loads(line) for line in text.splitlines()]
    header = records.pop(0)
    assert header["_format"] == "news-annotator" and header["_version"] == 1 and "[[labels]]" in header["_schema"]
    return records


def _two_articles(cli) -> tuple[str, str]:
    a = cli.write("a.txt", "Alpha headline\nAlice says the sky is green.")
    b = cli.write("b.txt", "Beta headline\nBob says the sea is dry.")
    ids = [line.split()[0] for line in cli.ok("import", a, b).stdout.splitlines()]
    return ids[0], ids[1]


def test_export_jsonl_to_stdout(cli, seeded):
    text = seeded["text"]
    start = text.index("Greg Norman")
    span_id = cli.ok("add", seeded["id"], start, start + 11, "SOURCE", "--attr", "on_record=yes").stdout.strip()
    result = cli.ok("export", "--format", "jsonl")
    [record] = _lines(result.stdout)
    assert set(record) == ARTICLE_KEYS
    assert record["text"] == text and record["id"] == seeded["id"]
    assert record["blocks"][0] == {"kind": "topic", "start": 0, "end": 11, "text": "Kim Jong Un"}
    [span] = record["spans"]
    assert set(span) == SPAN_KEYS
    assert span["id"] == span_id and span["text"] == "Greg Norman" == text[span["start"] : span["end"]]
    assert span["attributes"] == {"on_record": "yes"} and span["origin"] == "manual"
    assert text[span["start"] - len(span["prefix"]) : span["start"]] == span["prefix"]
    assert result.stderr.strip() == "exported 1 span from 1 article to standard output"


def test_export_is_utf8_not_escaped(cli):
    path = cli.write("u.txt", "Überschrift 🎉\nZoë said “no”.")
    cli.ok("import", path)
    out = cli.ok("export").stdout
    assert "Überschrift 🎉" in out and "\\u" not in out


def test_export_to_file_and_summary(cli, seeded):
    cli.ok("add", seeded["id"], 0, 3, "CLAIM")
    cli.ok("add", seeded["id"], 4, 7, "CLAIM")
    target = cli.tmp_path / "out" / "corpus.jsonl"
    target.parent.mkdir()
    result = cli.ok("export", "-o", target)
    assert result.stdout == ""
    assert result.stderr.strip() == f"exported 2 spans from 1 article to {target}"
    [record] = _lines(target.read_text("utf-8"))
    assert len(record["spans"]) == 2
    assert sorted(p.name for p in target.parent.iterdir()) == ["corpus.jsonl"]


def test_failed_export_leaves_the_old_file(cli, seeded, monkeypatch):
    target = cli.tmp_path / "corpus.jsonl"
    target.write_text("previous export\n")

    def broken(store, out, selection=None, **options):
        out.write('{"half": ')
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jsonl, "write", broken)
    result = cli.run("export", "-o", target)
    assert result.exit_code == 1
    assert "went wrong inside News Annotator (disk on fire)" in result.stderr
    assert target.read_text() == "previous export\n"
    assert not [p.name for p in cli.tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_into_a_missing_folder_is_a_clear_error(cli, seeded):
    result = cli.run("export", "-o", cli.tmp_path / "nowhere" / "x.jsonl")
    assert result.exit_code == 1
    assert "cannot write here" in result.stderr


def test_filters(cli):
    alpha, beta = _two_articles(cli)
    cli.ok("add", alpha, 15, 20, "SOURCE", "--annotator", "ann")
    cli.ok("add", alpha, 21, 41, "CLAIM", "--annotator", "ann")
    cli.ok("add", alpha, 21, 41, "CLAIM", "--annotator", "bob")
    cli.ok("add", beta, 14, 17, "SOURCE", "--annotator", "bob")
    cli.ok("status", beta, "done")

    def export(*args):
        return {r["title"]: [(s["label"], s["annotator"]) for s in r["spans"]] for r in _lines(cli.ok("export", *args).stdout)}

    assert export("--annotator", "bob") == {"Alpha headline": [("CLAIM", "bob")], "Beta headline": [("SOURCE", "bob")]}
    assert export("--label", "source") == {"Alpha headline": [("SOURCE", "ann")], "Beta headline": [("SOURCE", "bob")]}
    assert export("--article", beta[:6]) == {"Beta headline": [("SOURCE", "bob")]}
    assert export("--status", "done") == {"Beta headline": [("SOURCE", "bob")]}
    assert export("--status", "todo") == {}
    assert list(export("--article", beta, "--article", alpha)) == ["Beta headline", "Alpha headline"]
    bad = cli.run("export", "--label", "NOPE")
    assert bad.exit_code == 1 and "CLAIM, SOURCE, CAPTION" in bad.stderr
    assert cli.run("export", "--format", "nope").exit_code == 2


def test_relations_only_when_both_ends_are_exported(cli):
    alpha, _ = _two_articles(cli)
    source = cli.ok("add", alpha, 15, 20, "SOURCE", "--annotator", "ann").stdout.strip()
    claim = cli.ok("add", alpha, 21, 41, "CLAIM", "--annotator", "ann").stdout.strip()
    with cli.store() as store:
        relation = support.relate(store, claim, source, "attributed_to", annotator="ann")
    [full, _] = _lines(cli.ok("export").stdout)
    assert full["relations"] == [
        {"id": relation.id, "head": claim, "tail": source, "type": "attributed_to", "annotator": "ann",
         "created": relation.created, "updated": relation.updated}
    ]
    [claims_only, _] = _lines(cli.ok("export", "--label", "CLAIM").stdout)
    assert [s["id"] for s in claims_only["spans"]] == [claim] and claims_only["relations"] == []


def test_export_from_a_missing_project(cli):
    result = cli.run("export")
    assert result.exit_code == 1
    assert "no such project file" in result.stderr
    assert not cli.project.exists()


def test_writer_streams_a_batch_of_articles_at_a_time(tmp_path, monkeypatch):
    """Articles are read a batch at a time and each batch is written before the next is read:
    memory stays flat as the corpus grows."""
    from annotator.model import build_article
    from annotator.store import export_query

    events: list[str] = []

    class Recorder(io.StringIO):
        def write(self, text):
            if text.startswith('{"id"'):
                events.append("write " + json.loads(text)["title"])
            return super().write(text)

    class Spy:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if "FROM texts" in sql:
                events.append("read")
            return self.conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.conn, name)

    monkeypatch.setattr(export_query, "BATCH_ARTICLES", 2)
    with Store.open(tmp_path / "p.annotator") as store:
        for i in range(5):
            support.add_article(store, build_article([("headline", f"Headline {i}"), ("paragraph", f"Body {i}")], title=f"Headline {i}"))
        out = Recorder()
        store.conn = Spy(store.conn)
        stats = jsonl.write(store, out)
        store.conn = store.conn.conn
    assert (stats.articles, stats.spans, stats.relations) == (5, 0, 0)
    assert events == ["read", "write Headline 0", "write Headline 1", "read", "write Headline 2", "write Headline 3",
                      "read", "write Headline 4"]
    assert [r["title"] for r in _lines(out.getvalue())] == [f"Headline {i}" for i in range(5)]


def test_registry_and_atomic_file(tmp_path):
    assert FORMATS["jsonl"] is jsonl
    target = tmp_path / "x.txt"
    with pytest.raises(ValueError):
        with atomic_text_file(target) as handle:
            handle.write("partial")
            raise ValueError
    assert list(tmp_path.iterdir()) == []
    with atomic_text_file(target) as handle:
        handle.write("whole")
    assert target.read_text() == "whole"


def test_annotator_and_label_are_repeatable(cli):
    alpha, beta = _two_articles(cli)
    cli.ok("add", alpha, 15, 20, "SOURCE", "--annotator", "ann")
    cli.ok("add", alpha, 21, 41, "CLAIM", "--annotator", "ann")
    cli.ok("add", alpha, 21, 41, "CLAIM", "--annotator", "bob")
    cli.ok("add", alpha, 21, 41, "CAPTION", "--annotator", "gold")
    cli.ok("add", beta, 14, 17, "SOURCE", "--annotator", "bob")
    cli.ok("add", beta, 14, 17, "SOURCE", "--annotator", "eve")

    def export(*args):
        return {r["title"]: sorted((s["label"], s["annotator"]) for s in r["spans"])
                for r in _lines(cli.ok("export", "--format", "jsonl", *args).stdout)}

    assert export("--annotator", "ann", "--annotator", "gold") == {
        "Alpha headline": [("CAPTION", "gold"), ("CLAIM", "ann"), ("SOURCE", "ann")], "Beta headline": []}
    assert export("--label", "claim", "--label", "Caption") == {
        "Alpha headline": [("CAPTION", "gold"), ("CLAIM", "ann"), ("CLAIM", "bob")], "Beta headline": []}
    assert export("--annotator", "ann", "--annotator", "bob", "--label", "CLAIM", "--label", "SOURCE") == {
        "Alpha headline": [("CLAIM", "ann"), ("CLAIM", "bob"), ("SOURCE", "ann")], "Beta headline": [("SOURCE", "bob")]}
    assert export("--annotator", "bob", "--annotator", "bob") == {
        "Alpha headline": [("CLAIM", "bob")], "Beta headline": [("SOURCE", "bob")]}
    # every format takes them
    target = cli.tmp_path / "two.csv"
    result = cli.ok("export", "--format", "csv", "-o", target, "--annotator", "ann", "--annotator", "eve", "--label", "SOURCE")
    assert "exported 2 spans from 2 articles" in result.stderr
    bad = cli.run("export", "--label", "CLAIM", "--label", "NOPE")
    assert bad.exit_code == 1 and "CLAIM, SOURCE, CAPTION" in bad.stderr


def test_a_progress_bar_counts_the_articles_on_a_terminal(cli, monkeypatch):
    from annotator.cli import exporting as cli_annotations
    from annotator.cli import output

    _two_articles(cli)
    target = cli.tmp_path / "out.jsonl"
    quiet = cli.ok("export", "-o", target)
    assert "Exporting" not in quiet.stderr  # not a terminal: no bar
    monkeypatch.setattr(cli_annotations, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(output, "stderr_is_terminal", lambda: True)
    seen: list[tuple[int, int]] = []
    original = cli_annotations.CountingProgress.__call__

    def spy(self, done, total):
        seen.append((done, total))
        original(self, done, total)

    monkeypatch.setattr(cli_annotations.CountingProgress, "__call__", spy)
    shown = cli.ok("export", "-o", target)
    assert "Exporting" in shown.stderr and "exported 0 spans from 2 articles" in shown.stderr
    assert seen == [(0, 2), (1, 2), (2, 2)]
    seen.clear()
    to_stdout = cli.ok("export")  # standard output is not a terminal here either: the bar is shown
    assert "Exporting" in to_stdout.stderr and seen[-1] == (2, 2)
    assert len(_lines(to_stdout.stdout)) == 2  # the bar never goes to standard output


def test_counting_progress_draws_a_click_bar(monkeypatch):
    import io

    from annotator.cli.output import CountingProgress

    stream = io.StringIO()
    stream.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stderr", stream)
    with CountingProgress("Exporting", enabled=True) as bar:
        for done in range(0, 5):
            bar(done, 4)
    assert "Exporting" in stream.getvalue() and "4/4" in stream.getvalue() and "100%" in stream.getvalue()
    silent = CountingProgress("Exporting", enabled=False)
    silent(1, 4)
    silent.close()
