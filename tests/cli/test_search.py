"""`annotator search`: hits as JSON with offsets that slice, filters, and messages for bad queries."""

from __future__ import annotations

import json
import sqlite3

TEXT = "😀👍🏽 The minister said prices rose. The Kremlin denied it, the ministry added."


def project_with_article(cli) -> str:
    cli.ok("import", cli.write("kim.txt", TEXT + "\n"))
    (article,) = cli.json("list", "--json")
    return article["id"]


def article_text(cli, article_id: str) -> str:
    return cli.json("show", article_id, "--json")["text"]


def test_search_json_hits_slice_the_text(cli):
    article_id = project_with_article(cli)
    text = article_text(cli, article_id)
    start = text.index("minister")
    cli.ok("add", article_id, start, start + len("minister said"), "CLAIM", "--note", "ask the ministry 🎉",
           "--annotator", "maria")
    hits = cli.json("search", "minist*", "--json")
    by_place = {(h["in"], h["match"]): h for h in hits}
    assert set(by_place) >= {("text", "minister"), ("text", "ministry"), ("quotes", "minister"), ("notes", "ministry")}
    for (where, match), hit in by_place.items():
        if where in ("text", "quotes"):
            assert text[hit["start"]:hit["end"]] == match
        s, e = hit["snippet_hit"]
        assert hit["snippet"][s:e] == match
        assert hit["article"] == article_id and hit["title"]
    assert by_place[("quotes", "minister")]["annotation"] == by_place[("notes", "ministry")]["annotation"]
    assert by_place[("text", "minister")]["annotation"] is None


def test_search_filters(cli):
    article_id = project_with_article(cli)
    text = article_text(cli, article_id)
    k = text.index("Kremlin")
    cli.ok("add", article_id, k, k + len("Kremlin"), "SOURCE", "--annotator", "ben")
    m = text.index("minister")
    cli.ok("add", article_id, m, m + len("minister said"), "CLAIM", "--annotator", "maria")
    assert [h["match"] for h in cli.json("search", "kremlin", "--in", "quotes", "--json")] == ["Kremlin"]
    assert cli.json("search", "kremlin", "--in", "quotes", "--label", "claim", "--json") == []
    assert cli.json("search", "kremlin", "--in", "quotes", "--annotator", "maria", "--json") == []
    assert len(cli.json("search", "kremlin", "minister", "--in", "quotes", "--json")) == 0  # both in one quote
    assert {h["in"] for h in cli.json("search", "kremlin", "--json")} == {"title", "text", "quotes"}  # title: line 1
    assert {h["in"] for h in cli.json("search", "kremlin", "--in", "text", "--json")} == {"text"}


def test_deleted_annotation_is_not_found_and_undo_brings_it_back(cli):
    article_id = project_with_article(cli)
    text = article_text(cli, article_id)
    k = text.index("Kremlin")
    cli.ok("add", article_id, k, k + len("Kremlin"), "SOURCE", "--exact")
    annotation = cli.json("show", article_id, "--json")["annotations"][0]["id"]
    cli.ok("delete", annotation)
    assert cli.json("search", "kremlin", "--in", "quotes", "--json") == []
    cli.ok("undo")
    assert [h["annotation"] for h in cli.json("search", "kremlin", "--in", "quotes", "--json")] == [annotation]


def test_plain_output_marks_the_hit(cli):
    article_id = project_with_article(cli)
    result = cli.ok("search", '"prices rose"')
    assert article_id[:8] in result.stdout and "[prices rose]" in result.stdout
    assert "no hits" in cli.ok("search", "zeppelin").stderr
    limited = cli.ok("search", "the", "--limit", "1")
    assert "--limit" in limited.stderr


def test_bad_query_gives_a_message_not_an_exception(cli):
    project_with_article(cli)
    for query in ("minister OR", '"prices', "NOT prices", "(minister"):
        result = cli.run("search", query)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Error: search query") and "Traceback" not in result.output
        assert "OperationalError" not in result.stderr and "fts5" not in result.stderr
    unknown = cli.run("search", "x", "--label", "NOPE")
    assert unknown.exit_code == 1 and "NOPE" in unknown.stderr


def test_search_without_a_project(cli):
    result = cli.ok("search", "anything", "--json")
    assert json.loads(result.stdout) == [] and not cli.project.exists()


def test_reindex_after_another_program_wrote(cli):
    project_with_article(cli)
    conn = sqlite3.connect(cli.project)
    conn.execute("DELETE FROM search_titles")  # a program that does not know the index
    conn.commit()
    conn.close()
    assert cli.json("search", "kremlin", "--in", "title", "--json") == []
    result = cli.ok("search", "kremlin", "--in", "title", "--reindex", "--json")
    assert "rebuilt (it had: search_titles" in result.stderr and len(json.loads(result.stdout)) == 1
    assert "it was in order" in cli.ok("search", "kremlin", "--reindex").stderr


def test_imported_annotation_sets_are_searchable(cli):
    article_id = project_with_article(cli)
    text = article_text(cli, article_id)
    k = text.index("Kremlin")
    cli.ok("add", article_id, k, k + len("Kremlin"), "SOURCE", "--note", "state denial 🎉", "--annotator", "ben")
    exported = cli.tmp_path / "ben.jsonl"
    cli.ok("export", "--format", "jsonl", "-o", exported)
    other = cli.tmp_path / "other.annotator"
    cli.ok("--project", other, "import-annotations", exported)  # the articles come with the set
    hits = json.loads(cli.ok("--project", other, "search", "kremlin OR denial", "--in", "quotes", "--in", "notes",
                             "--json").stdout)
    assert {(h["in"], h["match"], h["annotator"]) for h in hits} == {("quotes", "Kremlin", "ben"),
                                                                      ("notes", "denial", "ben")}
    assert all(text[h["start"]:h["end"]] == "Kremlin" for h in hits)  # a note hit: the annotation's span


def test_the_first_search_after_a_big_import_says_it_indexes_then_finds_it(cli, monkeypatch):
    from annotator.operations import annotation_sets

    monkeypatch.setattr(annotation_sets, "FLUSH_SPANS", 2)  # this file is written in batches, as a big one is
    tasks = [{"id": n, "data": {"text": f"Story {n}: the zeppelin landed 🎉."}, "annotations": [{"id": n, "result": [
        {"id": f"r{n}", "type": "labels", "value": {"start": 13 + len(str(n)), "end": 21 + len(str(n)),
                                                     "text": "zeppelin", "labels": ["CLAIM"]}}]}]} for n in range(5)]
    cli.ok("import-annotations", "--format", "labelstudio", cli.write("tasks.json", json.dumps(tasks)))
    first = cli.ok("search", "zeppelin", "--json")
    assert "indexing for search what the last big import added" in first.stderr
    assert {h["in"] for h in json.loads(first.stdout)} >= {"text", "quotes"}
    assert "indexing" not in cli.ok("search", "zeppelin").stderr
