"""`annotator add --attr`: attributes checked against the schema, with messages that say what is allowed."""

from __future__ import annotations

import pytest

BOOL_SCHEMA = """
[[labels]]
name = "CLAIM"
color = "#E69F00"
hotkey = "1"

  [[labels.attributes]]
  name = "verified"
  type = "bool"

  [[labels.attributes]]
  name = "kind"
  type = "choice"
  values = ["fact", "opinion"]

[[labels]]
name = "CAPTION"
color = "#009E73"
hotkey = "3"

  [[labels.attributes]]
  name = "credit"
  type = "text"
"""


def shown(cli, article_id):
    return cli.json("show", article_id, "--json")["annotations"]


def test_choice_and_text_attributes_are_stored(cli, seeded):
    added = cli.ok("add", seeded["id"], 0, 3, "claim", "--attr", "kind=statistic", "--attr", "checkworthy=unsure")
    assert added.stdout.strip()
    (annotation,) = shown(cli, seeded["id"])
    assert annotation["label"] == "CLAIM"
    assert annotation["attributes"] == {"checkworthy": "unsure", "kind": "statistic"}


@pytest.mark.parametrize(
    ("label", "attr", "message"),
    [
        ("CLAIM", "kind=rumour", "Error: CLAIM.kind must be one of fact, statistic, quote, prediction, opinion; got 'rumour'"),
        ("CLAIM", "checkworthy=maybe", "Error: CLAIM.checkworthy must be one of yes, no, unsure; got 'maybe'"),
        ("SOURCE", "type=blogger", "Error: SOURCE.type must be one of named person, official, organisation, state media, news outlet, document, anonymous; got 'blogger'"),
        ("SOURCE", "on_record=perhaps", "Error: SOURCE.on_record must be one of yes, no; got 'perhaps'"),
        ("SOURCE", "kind=fact", "Error: SOURCE has no attribute 'kind' (its attributes: type, on_record)"),
        ("CAPTION", "kind=fact", "Error: CAPTION has no attribute 'kind' (its attributes: credit)"),
    ],
)
def test_a_bad_attribute_says_what_is_allowed_and_adds_nothing(cli, seeded, label, attr, message):
    result = cli.run("add", seeded["id"], 0, 3, label, "--attr", attr)
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert shown(cli, seeded["id"]) == []


def test_values_are_case_sensitive_choices(cli, seeded):
    result = cli.run("add", seeded["id"], 0, 3, "CLAIM", "--attr", "kind=Fact")
    assert result.exit_code == 1 and "got 'Fact'" in result.stderr


def test_bool_attributes_take_yes_and_no(cli, seeded):
    schema = cli.write("bool.toml", BOOL_SCHEMA)
    cli.ok("schema", "import", schema)
    cli.ok("add", seeded["id"], 0, 3, "CLAIM", "--attr", "verified=yes")
    cli.ok("add", seeded["id"], 4, 7, "CLAIM", "--attr", "verified=no")
    assert [a["attributes"] for a in shown(cli, seeded["id"])] == [{"verified": True}, {"verified": False}]
    bad = cli.run("add", seeded["id"], 8, 11, "CLAIM", "--attr", "verified=sometimes")
    assert bad.exit_code == 1
    assert bad.stderr.strip() == "Error: CLAIM.verified must be yes or no; got 'sometimes'"


def test_caption_over_a_credit_gets_the_credit_prefilled(cli, seeded):
    text = seeded["text"]
    start = text.index("President Vladimir Putin greets")
    end = text.index("(Mikhail Svetlov/Getty Images)") + len("(Mikhail Svetlov/Getty Images)")
    cli.ok("add", seeded["id"], start, end, "CAPTION")
    (caption,) = shown(cli, seeded["id"])
    assert caption["attributes"] == {"credit": "Mikhail Svetlov/Getty Images"}


def test_caption_without_a_credit_gets_none_and_an_explicit_credit_wins(cli, seeded):
    text = seeded["text"]
    start = text.index("President Vladimir Putin greets")
    caption_end = text.index("\n", start)
    cli.ok("add", seeded["id"], start, caption_end, "CAPTION")
    end = text.index("(Mikhail Svetlov/Getty Images)") + len("(Mikhail Svetlov/Getty Images)")
    cli.ok("add", seeded["id"], start, end, "CAPTION", "--attr", "credit=Getty")
    assert [a["attributes"] for a in shown(cli, seeded["id"])] == [{}, {"credit": "Getty"}]
