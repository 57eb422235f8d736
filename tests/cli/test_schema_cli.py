"""`annotator schema show|export|import|rename`: TOML out and in, checked against the project."""

from __future__ import annotations

import pytest

from annotator.schema import default_schema, parse_schema

from .test_attributes import BOOL_SCHEMA


def test_show_lists_labels_attributes_relations_and_usage(cli, seeded):
    cli.ok("add", seeded["id"], 0, 3, "CLAIM")
    out = cli.ok("schema", "show").stdout
    assert "Labels (3)" in out and "Relation types (2)" in out
    assert "CLAIM    #E69F00  key 1   1 annotation" in out
    assert "checkworthy  choice: yes, no, unsure" in out
    assert "attributed_to  CLAIM -> SOURCE  0 relations" in out
    assert "describes      CAPTION -> any" in out


def test_show_works_without_a_project_and_creates_none(cli):
    out = cli.ok("schema", "show").stdout
    assert "CLAIM" in out and not cli.project.exists()


def test_export_then_import_round_trips(cli, seeded):
    path = cli.tmp_path / "labels.toml"
    result = cli.ok("schema", "export", path)
    assert "wrote the schema (3 labels, 2 relation types)" in result.stderr
    assert parse_schema(path.read_text("utf-8")) == default_schema()
    assert cli.ok("schema", "export", "-").stdout == path.read_text("utf-8")
    assert cli.ok("schema", "show", "--toml").stdout == path.read_text("utf-8")
    imported = cli.ok("schema", "import", path)
    assert "3 labels (CLAIM, SOURCE, CAPTION), 2 relation types" in imported.stdout
    with cli.store() as store:
        assert store.schema == default_schema()


def test_import_replaces_the_schema(cli, seeded):
    cli.ok("schema", "import", cli.write("bool.toml", BOOL_SCHEMA))
    with cli.store() as store:
        assert store.schema.names == ["CLAIM", "CAPTION"]
        assert store.schema == parse_schema(BOOL_SCHEMA)
    exported = cli.ok("schema", "export", "-").stdout
    assert parse_schema(exported) == parse_schema(BOOL_SCHEMA)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[labels]]\nname = "A"\ncolor = "#000000"\nhotkey = "1"\n[[labels]]\nname = "B"\ncolor = "#111111"\nhotkey = "1"',
         "bad.toml: duplicate hotkey '1'"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "x"\ntype = "date"',
         "bad.toml: A.x has unknown type 'date'; expected one of choice, text, bool"),
        ('[[labels]]\nname = "A"\ncolor = "red"', "bad.toml: label A has colour 'red'; expected #RRGGBB"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[relations]]\nname = "r"\ntail = ["Z"]',
         "bad.toml: relation r names unknown label 'Z'"),
        ("[[labels]\n", "bad.toml: not valid TOML"),
        ("", "bad.toml: needs at least one [[labels]] entry"),
    ],
)
def test_a_bad_schema_file_is_refused_with_a_clear_message(cli, seeded, toml, message):
    cli.ok("add", seeded["id"], 0, 3, "CLAIM")
    path = cli.write("bad.toml", toml)
    result = cli.run("schema", "import", path)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    with cli.store() as store:
        assert store.schema == default_schema()
        assert store.label_usage("CLAIM") == 1


def test_a_file_that_is_not_utf8_is_refused(cli, seeded):
    result = cli.run("schema", "import", cli.write("latin.toml", "name = 'caf\xe9'".encode("latin-1")))
    assert result.exit_code == 1 and "not UTF-8" in result.stderr


def test_importing_a_schema_without_a_used_label_is_refused_with_the_count(cli, seeded):
    text = seeded["text"]
    for needle in ("Greg Norman", "Fox News"):
        start = text.index(needle)
        cli.ok("add", seeded["id"], start, start + len(needle), "SOURCE")
    cli.ok("add", seeded["id"], 0, 3, "CLAIM")
    path = cli.write("bool.toml", BOOL_SCHEMA)  # CLAIM and CAPTION only
    result = cli.run("schema", "import", path)
    assert result.exit_code == 1
    assert "has no label SOURCE (used by 2 annotations); nothing was changed" in result.stderr
    assert "--force" in result.stderr
    with cli.store() as store:
        assert store.schema == default_schema()
    forced = cli.ok("schema", "import", path, "--force")
    assert "deleted 2 annotations and 0 relations" in forced.stderr
    labels = [a["label"] for a in cli.json("show", seeded["id"], "--json")["annotations"]]
    assert labels == ["CLAIM"]


def test_import_with_rename_relabels_instead_of_deleting(cli, seeded):
    annotation_id = cli.ok("add", seeded["id"], 0, 3, "SOURCE").stdout.strip()
    renamed = cli.ok("schema", "export", "-").stdout.replace('"SOURCE"', '"SPEAKER"')
    path = cli.write("renamed.toml", renamed)
    assert cli.run("schema", "import", path).exit_code == 1
    result = cli.ok("schema", "import", path, "--rename", "source=SPEAKER")
    assert "renamed SOURCE -> SPEAKER" in result.stderr
    (annotation,) = cli.json("show", seeded["id"], "--json")["annotations"]
    assert (annotation["id"], annotation["label"]) == (annotation_id, "SPEAKER")
    bad = cli.run("schema", "import", path, "--rename", "SPEAKER")
    assert bad.exit_code == 2 and "is not OLD=NEW" in bad.stderr


def test_rename_relabels_annotations_and_relation_types(cli, seeded):
    claim = cli.ok("add", seeded["id"], 0, 3, "CLAIM").stdout.strip()
    source = cli.ok("add", seeded["id"], 4, 7, "SOURCE").stdout.strip()
    cli.ok("relate", claim, source, "attributed_to")
    result = cli.ok("schema", "rename", "source", "Speaker")
    assert result.stdout.strip() == "SOURCE -> Speaker  (1 annotation relabelled)"
    shown = cli.json("show", seeded["id"], "--json")
    assert [a["label"] for a in shown["annotations"]] == ["CLAIM", "Speaker"]
    assert len(shown["relations"]) == 1
    assert "attributed_to  CLAIM -> Speaker  1 relation" in cli.ok("schema", "show").stdout
    clash = cli.run("schema", "rename", "Speaker", "CLAIM")
    assert clash.exit_code == 1 and "there is already a label CLAIM" in clash.stderr
    unknown = cli.run("schema", "rename", "PERSON", "X")
    assert unknown.exit_code == 1 and "unknown label 'PERSON'" in unknown.stderr
