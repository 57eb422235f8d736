"""`annotator add`, `delete`, `label` and `status`."""

from __future__ import annotations

import json

import pytest

from .conftest import Cli
import support


def _seed_text(cli: Cli, text: str) -> str:
    path = cli.write("article.txt", text)
    return cli.ok("import", path).stdout.split()[0]


def test_add_prints_the_id_and_stores_the_quote(cli, seeded):
    text = seeded["text"]
    start = text.index("Vladimir Putin")
    result = cli.ok("add", seeded["id"][:5], start, start + 14, "SOURCE", "--attr", "type=named person", "--note", "n")
    annotation_id = result.stdout.strip()
    assert len(annotation_id) == 36
    assert 'added SOURCE "Vladimir Putin"' in result.stderr
    with cli.store() as store:
        stored = store.get_annotation(annotation_id)
        assert (stored.start, stored.end, stored.quote, stored.label) == (start, start + 14, "Vladimir Putin", "SOURCE")
        assert stored.attributes == {"type": "named person"} and stored.note == "n"
        assert store.get_article(seeded["id"]).status == "in_progress"


def test_annotator_defaults_to_the_configured_name(cli, seeded):
    cli.ok("config", "annotator", "Dana")
    annotation_id = cli.ok("add", seeded["id"], 0, 3, "CLAIM").stdout.strip()
    explicit = cli.ok("add", seeded["id"], 0, 3, "CLAIM", "--annotator", "Eve").stdout.strip()
    by_id = {a["id"]: a["annotator"] for a in cli.json("show", seeded["id"], "--json")["annotations"]}
    assert by_id == {annotation_id: "Dana", explicit: "Eve"}


def test_label_is_case_insensitive(cli, seeded):
    annotation_id = cli.ok("add", seeded["id"], 0, 3, "claim").stdout.strip()
    assert cli.json("show", seeded["id"], "--json")["annotations"][0] == {
        "id": annotation_id, "start": 0, "end": 3, "label": "CLAIM", "quote": "Kim",
        "annotator": cli.ok("config", "annotator").stdout.strip(),
        "attributes": {}, "note": "",
    }


def test_emoji_before_a_span_keeps_offsets_exact(cli):
    text = "Emoji 🎉 headline 👍🏽\nThe 🇺🇦 minister 😀 said prices rose 5%."
    article_id = _seed_text(cli, text)
    stored = cli.json("show", article_id, "--json")["text"]
    assert stored == text
    start = text.index("prices rose 5%")
    annotation_id = cli.ok("add", article_id, start, start + len("prices rose 5%"), "CLAIM").stdout.strip()
    [shown] = cli.json("show", article_id, "--json")["annotations"]
    assert (shown["id"], shown["start"], shown["quote"]) == (annotation_id, start, "prices rose 5%")
    header, exported = [json.loads(line) for line in cli.ok("export").stdout.splitlines()]
    assert header["_format"] == "news-annotator"
    [span] = exported["spans"]
    assert exported["text"][span["start"] : span["end"]] == span["text"] == "prices rose 5%"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (0, 10**6, "out of range: the article has"),
        (50, 40, "empty or reversed"),
        (7, 7, "empty or reversed"),
    ],
)
def test_bad_offsets(cli, seeded, start, end, message):
    result = cli.run("add", seeded["id"], start, end, "CLAIM")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert cli.json("show", seeded["id"], "--json")["annotations"] == []


def test_negative_offset_needs_double_dash_and_is_then_refused(cli, seeded):
    assert cli.run("add", seeded["id"], "-1", 5, "CLAIM").exit_code == 2
    result = cli.run("add", "--", seeded["id"], "-1", 5, "CLAIM")
    assert result.exit_code == 1 and "out of range" in result.stderr


def test_non_numeric_offset_is_a_usage_error(cli, seeded):
    result = cli.run("add", seeded["id"], "ten", 20, "CLAIM")
    assert result.exit_code == 2
    assert "is not a valid integer" in result.stderr


def test_unknown_label_lists_the_labels(cli, seeded):
    result = cli.run("add", seeded["id"], 0, 3, "PERSON")
    assert result.exit_code == 1
    assert "unknown label 'PERSON'" in result.stderr
    assert "CLAIM, SOURCE, CAPTION" in result.stderr


@pytest.mark.parametrize(
    ("attr", "message"),
    [
        ("colour=red", "CLAIM has no attribute 'colour' (its attributes: checkworthy, kind, treatment)"),
        ("kind=rumour", "CLAIM.kind must be one of fact, statistic, quote, prediction, opinion; got 'rumour'"),
    ],
)
def test_bad_attributes(cli, seeded, attr, message):
    result = cli.run("add", seeded["id"], 0, 3, "CLAIM", "--attr", attr)
    assert result.exit_code == 1
    assert message in result.stderr
    assert cli.json("show", seeded["id"], "--json")["annotations"] == []


def test_attr_without_equals_is_a_usage_error(cli, seeded):
    result = cli.run("add", seeded["id"], 0, 3, "CLAIM", "--attr", "checkworthy")
    assert result.exit_code == 2
    assert "'checkworthy' is not KEY=VALUE" in result.stderr


def test_unknown_article(cli, seeded):
    result = cli.run("add", "0000000000", 0, 3, "CLAIM")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no article with id 0000000000"


def test_delete_removes_and_twice_is_an_error(cli, seeded):
    annotation_id = cli.ok("add", seeded["id"], 0, 3, "CLAIM").stdout.strip()
    assert cli.ok("delete", annotation_id[:8]).stdout.strip() == f"deleted {annotation_id}"
    assert cli.json("show", seeded["id"], "--json")["annotations"] == []
    again = cli.run("delete", annotation_id)
    assert again.exit_code == 1 and "is deleted" in again.stderr


def test_delete_takes_relations_along(cli, seeded):
    text = seeded["text"]
    claim = cli.ok("add", seeded["id"], 0, 3, "CLAIM").stdout.strip()
    source = cli.ok("add", seeded["id"], text.index("Greg"), text.index("Greg") + 4, "SOURCE").stdout.strip()
    with cli.store() as store:
        support.relate(store, claim, source, "attributed_to", annotator="a")
    assert cli.ok("delete", source).stdout.strip() == f"deleted {source} and 1 relation"
    assert cli.json("show", seeded["id"], "--json")["relations"] == []


def test_label_changes_label_and_keeps_fitting_attributes(cli, seeded):
    annotation_id = cli.ok("add", seeded["id"], 0, 3, "SOURCE", "--attr", "on_record=yes").stdout.strip()
    result = cli.ok("label", annotation_id[:6], "claim")
    assert result.stdout.strip() == f"{annotation_id}  SOURCE -> CLAIM"
    [shown] = cli.json("show", seeded["id"], "--json")["annotations"]
    assert shown["label"] == "CLAIM" and shown["attributes"] == {}
    bad = cli.run("label", annotation_id, "NOPE")
    assert bad.exit_code == 1 and "CLAIM, SOURCE, CAPTION" in bad.stderr


def test_unknown_annotation_id(cli, seeded):
    for command in (("delete", "deadbeef"), ("label", "deadbeef", "CLAIM")):
        result = cli.run(*command)
        assert result.exit_code == 1
        assert result.stderr.strip() == "Error: no annotation with id deadbeef"


def test_status(cli, seeded):
    assert cli.ok("status", seeded["id"][:7], "done").stdout.strip() == f"{seeded['id']}  done"
    assert cli.json("show", seeded["id"], "--json")["status"] == "done"
    bad = cli.run("status", seeded["id"], "finished")
    assert bad.exit_code == 2 and "finished" in bad.stderr
