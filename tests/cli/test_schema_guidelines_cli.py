"""Guidelines through the CLI: `schema show --json|--markdown`, and export -> import keeping every text exactly."""

from __future__ import annotations

import json

from annotator.guidelines import guidelines_markdown
from annotator.schema import default_schema, parse_schema

TEAM_SCHEMA = r"""
guideline = "Team rules: \"quotes\", a \\backslash, a ''' triple and a tab\there.\r\nCRLF kept."

[[labels]]
name = "EVENT"
color = "#112233"
hotkey = "1"
guideline = "\nSomething that happened.\n\n- **Tag**: \"the dam burst\"\n- **Not**: \"a sad day\"\n"

  [[labels.attributes]]
  name = "certain"
  type = "bool"
  guideline = "Is it stated as certain?"
  value_guidelines = { yes = "No hedge.", no = "'may', 'could'." }
"""


def test_show_json_has_a_guideline_per_label_attribute_value_and_relation(cli):
    data = cli.json("schema", "show", "--json")
    schema = default_schema()
    assert data["guideline"] == schema.guideline
    assert [(label["name"], label["guideline"]) for label in data["labels"]] == [(l.name, l.guideline) for l in schema.labels]
    kind = next(a for a in data["labels"][0]["attributes"] if a["name"] == "kind")
    assert list(kind["value_guidelines"]) == ["fact", "statistic", "quote", "prediction", "opinion"]
    assert kind["value_guidelines"]["statistic"] == schema.label("CLAIM").attribute("kind").value_guideline("statistic")
    assert data["relations"][0]["guideline"] == schema.relation_type("attributed_to").guideline
    assert data["labels"][0]["annotations"] == 0


def test_show_markdown_prints_the_guidelines_document(cli):
    out = cli.ok("schema", "show", "--markdown").stdout
    assert out == guidelines_markdown(default_schema(), note="")
    assert "\n## SOURCE\n" in out and "\n### The span: the shortest name or role phrase, never a pronoun\n" in out


def test_show_refuses_two_output_forms(cli):
    result = cli.run("schema", "show", "--json", "--toml")
    assert result.exit_code == 2 and "choose one of --toml, --json and --markdown" in result.stderr


def test_plain_show_says_where_the_guidelines_are(cli):
    assert "Guidelines for CLAIM, SOURCE, CAPTION: annotator schema show --markdown (or --json)" in cli.ok("schema", "show").stdout


def test_guidelines_round_trip_through_export_and_import_exactly(cli, seeded, tmp_path):
    source = cli.write("team.toml", TEAM_SCHEMA)
    cli.ok("schema", "import", source, "--force")
    expected = parse_schema(TEAM_SCHEMA)
    assert "\r\n" in expected.guideline and "'''" in expected.guideline  # the test covers the awkward cases
    exported = tmp_path / "out.toml"
    cli.ok("schema", "export", exported)
    with cli.store() as store:
        assert store.schema == expected
    # into a second project, and out again: the same file
    other = cli.tmp_path / "other.annotator"
    result = cli.runner.invoke(cli_main(), ["--project", str(other), "schema", "import", str(exported), "--force"])
    assert result.exit_code == 0, result.stderr
    again = cli.runner.invoke(cli_main(), ["--project", str(other), "schema", "export", "-"])
    assert again.stdout == exported.read_text("utf-8")
    shown = json.loads(cli.runner.invoke(cli_main(), ["--project", str(other), "schema", "show", "--json"]).stdout)
    assert shown["guideline"] == expected.guideline
    assert shown["labels"][0]["guideline"] == expected.label("EVENT").guideline
    assert shown["labels"][0]["attributes"][0]["value_guidelines"] == {"yes": "No hedge.", "no": "'may', 'could'."}


def test_an_old_schema_without_guidelines_imports(cli, seeded):
    from pathlib import Path

    old = Path(__file__).resolve().parents[1] / "schema_fixtures" / "default_schema_0.1.toml"
    cli.ok("schema", "import", old)
    data = cli.json("schema", "show", "--json")
    assert data["guideline"] == "" and all(label["guideline"] == "" for label in data["labels"])
    assert "No guidelines in this schema" in cli.ok("schema", "show").stdout


def cli_main():
    from annotator.cli import main

    return main


def test_schema_guideline_prints_sets_from_a_file_and_undoes(cli, seeded):
    assert cli.ok("schema", "guideline", "--label", "claim").stdout == default_schema().label("CLAIM").guideline
    path = cli.tmp_path / "anonymous.md"
    path.write_bytes(b"Unnamed sources.\r\n\r\n- e.g. *officials*\r\n")
    result = cli.ok("schema", "guideline", "--label", "SOURCE", "--attribute", "type", "--value", "anonymous", path)
    assert "replaced the guideline of SOURCE.type = anonymous (3 lines)" in result.stderr
    shown = cli.ok("schema", "guideline", "--label", "SOURCE", "--attribute", "type", "--value", "anonymous").stdout
    assert shown.replace("\r\n", "\n") == "Unnamed sources.\n\n- e.g. *officials*\n"
    with cli.store() as store:
        assert store.schema.label("SOURCE").attribute("type").value_guideline("anonymous") == "Unnamed sources.\r\n\r\n- e.g. *officials*\r\n"
    assert "edit the guideline of SOURCE.type = anonymous" in cli.ok("history").stdout
    cli.ok("undo")
    with cli.store() as store:
        assert store.schema == default_schema()


def test_schema_guideline_from_standard_input_and_a_bad_target(cli, seeded):
    cli.ok("schema", "guideline", "--relation", "describes", "-", input="Link a caption to its claim.\n")
    assert cli.ok("schema", "guideline", "--relation", "describes").stdout == "Link a caption to its claim.\n"
    result = cli.run("schema", "guideline", "--label", "CLAIM", "--attribute", "kind", "--value", "rumour", "-", input="x")
    assert result.exit_code == 1
    assert "CLAIM.kind has no value 'rumour' (its values: fact, statistic, quote, prediction, opinion)" in result.stderr
    assert "Traceback" not in result.stderr
