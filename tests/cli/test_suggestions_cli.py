"""`annotator suggest` and `annotator suggestions ...` with the tests' fake suggesters."""

from __future__ import annotations

import json

import pytest

EMOJI_TEXT = "😀 Kim Jong Un said the economy grew 5%."


@pytest.fixture
def article(cli, fake_suggesters) -> str:
    path = cli.write("emoji.txt", EMOJI_TEXT + "\n")
    return cli.ok("import", path).stdout.split()[0]


def test_suggest_prints_json_in_code_points(cli, article):
    records = cli.json("suggest", article, "--json")
    assert [(r["label"], r["quote"], r["suggester"], r["confidence"]) for r in records] == [
        ("SOURCE", "Kim Jong Un", "fake-sources", 0.9), ("CLAIM", "economy grew 5%", "fake-claims", 0.8)]
    text = cli.json("show", article, "--json")["text"]
    for r in records:
        assert set(r) >= {"id", "article", "start", "end", "label", "quote", "suggester", "confidence"}
        assert r["article"] == article and text[r["start"]:r["end"]] == r["quote"]
    assert records[0]["start"] == 2  # after one emoji: code points, not UTF-16
    assert cli.json("suggest", article, "--json") == []  # nothing new the second time


def test_list_accept_reject_and_precision(cli, article):
    made = {r["label"]: r["id"] for r in cli.json("suggest", article, "--json")}
    listed = cli.json("suggestions", "list", article, "--json")
    assert {r["id"] for r in listed if "label" in r} == set(made.values())
    assert any(r.get("type") == "attributed_to" for r in listed)
    # a unique prefix stands for the id, as with other ids
    accepted = cli.ok("suggestions", "accept", made["SOURCE"][:20])
    assert "Kim Jong Un" in accepted.stdout and "accepted: 1 annotation" in accepted.stderr
    shown = cli.json("show", article, "--json")
    (annotation,) = shown["annotations"]
    assert (annotation["label"], annotation["quote"]) == ("SOURCE", "Kim Jong Un")
    cli.ok("suggestions", "reject", made["CLAIM"])
    assert cli.json("suggestions", "list", article, "--json") == []
    rejected = cli.json("suggestions", "list", article, "--state", "rejected", "--json")
    assert {r["id"] for r in rejected} >= {made["CLAIM"]}
    figures = {(f["suggester"], f["label"]): f["precision"] for f in cli.json("suggestions", "precision", "--json")}
    assert figures == {("fake-sources", "SOURCE"): 1.0, ("fake-claims", "CLAIM"): 0.0}
    stats = cli.json("stats", "--json")
    assert stats["annotations"] == 1


def test_accept_article_is_one_undo(cli, article):
    cli.ok("suggest", "--all")
    cli.ok("suggestions", "accept", "--article", article)
    assert len(cli.json("show", article, "--json")["annotations"]) == 2
    cli.ok("undo")
    assert cli.json("show", article, "--json")["annotations"] == []
    assert len([r for r in cli.json("suggestions", "list", "--json") if "label" in r]) == 2


def test_clear_messages(cli, article):
    result = cli.run("suggestions", "accept", "0000")
    assert result.exit_code == 1 and "no suggestion with id 0000" in result.stderr
    result = cli.run("suggest", article, "--suggester", "nope")
    assert result.exit_code == 1 and "no suggester named 'nope'; known: fake-claims, fake-learned, fake-sources" in result.stderr
    result = cli.run("suggest")
    assert result.exit_code == 2 and "--all" in result.stderr
    result = cli.run("suggestions", "accept", "--article", article)
    assert result.exit_code == 1 and "has no open suggestions" in result.stderr
    made = cli.json("suggest", article, "--json")
    cli.ok("suggestions", "reject", made[0]["id"])
    result = cli.run("suggestions", "accept", made[0]["id"])
    assert result.exit_code == 1 and "already rejected" in result.stderr
    assert "Traceback" not in result.output


def test_filters(cli, article):
    records = cli.json("suggest", article, "--label", "claim", "--json")
    assert [r["label"] for r in records] == ["CLAIM"]
    records = cli.json("suggest", article, "--min-confidence", "0.95", "--json")
    assert records == []
    records = cli.json("suggest", article, "--suggester", "fake-sources", "--json")
    assert [(r["label"], r["suggester"]) for r in records] == [("SOURCE", "fake-sources")]
    text = cli.ok("suggestions", "list", article).stdout
    assert "Kim Jong Un" in text and "fake-sources" in text
