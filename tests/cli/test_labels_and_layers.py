"""The command line's words for a foreign file's labels and relation types (--label-map,
--relation-map, --extend-schema) and for the formats that hold one layer of spans (--annotator all).

The brat folder is a minimal reproducer in the shape of brat's standoff documentation (T and R lines).
"""

from __future__ import annotations

from annotator.cli import main

TEXT = "Alice said prices rose, by AFP."


def at(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def brat_folder(cli, lines: list[str]):
    cli.write("brat/d.txt", TEXT)
    return cli.write("brat/d.ann", "\n".join(lines) + "\n").parent


def t_line(number: int, label: str, needle: str) -> str:
    start, end = at(needle)
    return f"T{number}\t{label} {start} {end}\t{needle}"


def test_maps_and_the_schema_extension(cli):
    folder = brat_folder(cli, [t_line(1, "PERSON", "Alice"), t_line(2, "CLAIM", "prices rose"), "R1\tsays Arg1:T2 Arg2:T1"])
    refused = cli.run("import-annotations", folder)
    assert refused.exit_code == 1
    assert "labels not in this project's schema: 'PERSON' (d.ann:1). relation types not in this project's schema: " \
           "'says' (d.ann:3)." in refused.stderr
    assert "Nothing was imported." in refused.stderr and "unexpected" not in refused.stderr
    assert cli.json("stats", "--json")["annotations"] == 0
    bad = cli.run("import-annotations", folder, "--relation-map", "says")
    assert bad.exit_code == 1 and "--relation-map takes OLD=NEW, got 'says'" in bad.stderr
    done = cli.ok("import-annotations", folder, "--label-map", "PERSON=SOURCE", "--relation-map", "says=attributed_to")
    assert "spans added 2" in done.stderr and "relations added 1" in done.stderr
    other = cli.tmp_path / "other.annotator"
    extended = cli.runner.invoke(main, ["--project", str(other), "import-annotations", str(folder), "--extend-schema"])
    assert extended.exit_code == 0, extended.stderr
    assert "labels added to the schema: PERSON\n" in extended.stderr
    assert "relation types added to the schema: says (CLAIM → PERSON)\n" in extended.stderr
    schema = cli.runner.invoke(main, ["--project", str(other), "schema", "show"])
    assert "Labels (4)" in schema.stdout and "  says           CLAIM -> PERSON" in schema.stdout
    undone = cli.runner.invoke(main, ["--project", str(other), "undo"])
    assert undone.exit_code == 0, undone.stderr
    schema = cli.runner.invoke(main, ["--project", str(other), "schema", "show"])
    assert "Labels (3)" in schema.stdout and "Relation types (2)" in schema.stdout


def test_duplicates_are_listed_and_counted(cli):
    folder = brat_folder(cli, [t_line(1, "SOURCE", "Alice"), t_line(2, "SOURCE", "Alice")])
    done = cli.ok("import-annotations", folder, "--annotator", "maria")
    assert "duplicate, not added: " in done.stderr and "d.ann:2: SOURCE 'Alice' 0-5 by maria: the same span as line 1" in done.stderr
    assert "spans added 1, updated 0, deleted 0, unchanged 0, kept (newer here) 0, duplicates 1," in done.stderr


def _two_annotators(cli) -> str:
    path = cli.write("a.txt", TEXT)
    article_id = cli.ok("import", path).stdout.split()[0]
    for who in ("maria", "bob"):
        cli.ok("add", article_id, *at("Alice"), "SOURCE", "--annotator", who)
    cli.ok("add", article_id, *at("AFP"), "SOURCE", "--annotator", "bob")
    return article_id


def test_one_layer_formats_refuse_several_annotators_and_take_one_or_their_union(cli):
    _two_annotators(cli)
    out = cli.tmp_path / "out.conll"
    refused = cli.run("export", "--format", "conll", "-o", out)
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: the conll format holds one layer of spans, and the selection has spans of 2 annotators: bob (2 spans), "
        "maria (1 span). Choose one annotator (--annotator NAME), or all of them as one layer with identical spans "
        "merged (--annotator all)\n"
    )
    assert not out.exists()
    assert cli.run("export", "--format", "doccano").exit_code == 1  # standard output: the same refusal
    assert "exported 1 span from 1 article" in cli.ok("export", "--format", "conll", "-o", out, "--annotator", "maria").stderr
    union = cli.ok("export", "--format", "conll", "-o", out, "--annotator", "all")
    assert "exported 2 spans from 1 article" in union.stderr
    assert "1 span identical to another annotator's span written once (their spans as one layer)" in union.stderr
    assert "exported 3 spans" in cli.ok("export", "--format", "jsonl", "--annotator", "all").stderr  # all layers kept
