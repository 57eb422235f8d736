"""`annotator relate` / `unrelate`, and relations and notes in `show --json` and the JSONL export."""

from __future__ import annotations

import json

import pytest

from annotator import operations as ops


@pytest.fixture
def pair(cli, seeded):
    text = seeded["text"]
    claim_text = "Kim is defending Putin’s decision to invade Ukraine"
    start = text.index(claim_text)
    claim = cli.ok("add", seeded["id"], start, start + len(claim_text), "CLAIM", "--note", "check KCNA").stdout.strip()
    start = text.index("Korean Central News Agency")
    source = cli.ok("add", seeded["id"], start, start + len("Korean Central News Agency"), "SOURCE").stdout.strip()
    return seeded["id"], claim, source


def test_relate_prints_the_id_and_show_lists_it(cli, pair):
    article_id, claim, source = pair
    result = cli.ok("relate", claim[:8], source[:8], "attributed_to", "--annotator", "maria")
    relation_id = result.stdout.strip()
    assert len(relation_id) == 36
    assert f"related CLAIM {claim[:8]} -attributed_to-> SOURCE {source[:8]}" in result.stderr
    shown = cli.json("show", article_id, "--json")
    assert shown["relations"] == [
        {"id": relation_id, "head": claim, "tail": source, "type": "attributed_to", "annotator": "maria"}
    ]
    assert f"{relation_id[:8]}  {claim[:8]} -attributed_to-> {source[:8]}  by maria" in cli.ok("show", article_id).stdout


def test_relation_type_case_does_not_matter(cli, pair):
    _, claim, source = pair
    relation_id = cli.ok("relate", claim, source, "ATTRIBUTED_TO").stdout.strip()
    with cli.store() as store:
        assert store.get_relation(relation_id).type == "attributed_to"


@pytest.mark.parametrize(
    ("order", "kind", "message"),
    [
        ("reversed", "attributed_to", "attributed_to needs a CLAIM as its head"),
        ("same", "attributed_to", "is deleted"),
        ("forward", "quotes", "unknown relation type 'quotes'; this project's types are attributed_to, describes"),
        ("forward", "describes", "describes needs a CAPTION as its head"),
    ],
)
def test_bad_relations_are_refused(cli, pair, order, kind, message):
    article_id, claim, source = pair
    head, tail = {"forward": (claim, source), "reversed": (source, claim), "same": (claim, claim)}[order]
    if order == "same":
        cli.ok("delete", source)
        head, tail = claim, source
    result = cli.run("relate", head, tail, kind)
    assert result.exit_code == 1
    assert message in result.stderr
    assert cli.json("show", article_id, "--json")["relations"] == []


def test_relating_twice_is_refused(cli, pair):
    _, claim, source = pair
    first = cli.ok("relate", claim, source, "attributed_to").stdout.strip()
    again = cli.run("relate", claim, source, "attributed_to")
    assert again.exit_code == 1 and f"(relation {first})" in again.stderr


def test_unknown_annotation(cli, pair):
    _, claim, _ = pair
    result = cli.run("relate", claim, "ffffffff", "attributed_to")
    assert result.exit_code == 1 and "no annotation with id ffffffff" in result.stderr


def test_unrelate_removes_and_twice_is_an_error(cli, pair):
    article_id, claim, source = pair
    relation_id = cli.ok("relate", claim, source, "attributed_to").stdout.strip()
    result = cli.ok("unrelate", relation_id[:6])
    assert result.stdout.startswith(f"unrelated {relation_id}")
    assert cli.json("show", article_id, "--json")["relations"] == []
    again = cli.run("unrelate", relation_id)
    assert again.exit_code == 1 and "already deleted" in again.stderr
    unknown = cli.run("unrelate", "ffff")
    assert unknown.exit_code == 1 and "no relation with id ffff" in unknown.stderr


def test_relations_and_notes_are_in_the_jsonl_export(cli, pair):
    article_id, claim, source = pair
    relation_id = cli.ok("relate", claim, source, "attributed_to", "--annotator", "maria").stdout.strip()
    with cli.store() as store:
        ops.set_article_note(store, article_id, "Compare with Yonhap", annotator="maria")
    out = cli.ok("export", "--format", "jsonl").stdout
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    (article,) = [r for r in records if r.get("id") == article_id]
    assert article["note"] == "Compare with Yonhap"
    notes = {span["id"]: span["note"] for span in article["spans"]}
    assert notes == {claim: "check KCNA", source: ""}
    (relation,) = article["relations"]
    assert (relation["id"], relation["head"], relation["tail"], relation["type"], relation["annotator"]) == (
        relation_id, claim, source, "attributed_to", "maria",
    )
    assert cli.json("show", article_id, "--json")["note"] == "Compare with Yonhap"
