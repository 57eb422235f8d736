"""`annotator export --format F` for every format and `annotator import-annotations`."""

from __future__ import annotations

import json

import pytest

from annotator.formats import FORMATS, readable_formats

from .conftest import SEED
import support


def _annotated(cli) -> str:
    path = cli.write("a.txt", "Emoji 🎉 headline 👍🏽\nThe 🇺🇦 minister Alice said prices rose 5%. Alice Smith agreed.")
    article_id = cli.ok("import", path).stdout.split()[0]
    text = cli.json("show", article_id, "--json")["text"]
    claim = cli.ok("add", article_id, text.index("prices"), text.index("5%") + 2, "CLAIM", "--annotator", "maria").stdout.strip()
    source = cli.ok("add", article_id, text.index("Alice"), text.index("Alice") + 5, "SOURCE", "--annotator", "maria").stdout.strip()
    cli.ok("add", article_id, text.index("Alice Smith"), text.index("Alice Smith") + 11, "SOURCE", "--annotator", "maria")
    cli.ok("add", article_id, text.index("Alice Smith"), text.index("Alice Smith") + 5, "SOURCE", "--annotator", "bob")
    with cli.store() as store:
        support.relate(store, claim, source, "attributed_to", annotator="maria")
    return article_id


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_export_every_format_and_import_back_the_readable_ones(cli, name):
    _annotated(cli)
    target = cli.tmp_path / ("out" + FORMATS[name].SUFFIX)
    layer = ["--annotator", "all"] if getattr(FORMATS[name], "SINGLE_LAYER", False) else []  # maria's and bob's
    result = cli.ok("export", "--format", name, "-o", target, *layer)
    assert result.stderr.startswith("exported ")
    if name in ("conll", "hf", "docbin"):
        assert "overlapped a longer" in result.stderr or "left out of doc.ents" in result.stderr
    if name not in readable_formats():
        return
    other = cli.tmp_path / "other.annotator"
    imported = cli.runner.invoke(
        __import__("annotator.cli", fromlist=["main"]).main,
        ["--project", str(other), "import-annotations", str(target), "--annotator", "maria"],
    )
    if name == "conll":  # CoNLL carries no text: an empty project gets the text rebuilt from the tokens
        assert imported.exit_code == 0 and "added the text rebuilt from them" in imported.stderr, imported.stderr
        return
    assert imported.exit_code == 0, imported.stderr
    assert "spans added 4" in imported.stderr or "spans added 3" in imported.stderr


def test_folder_and_binary_formats_need_an_output(cli):
    _annotated(cli)
    result = cli.run("export", "--format", "brat")
    assert result.exit_code == 1 and "writes a folder; give -o DIR" in result.stderr
    result = cli.run("export", "--format", "docbin")
    assert result.exit_code == 1 and "binary file; give -o FILE" in result.stderr


def test_format_options_are_checked(cli):
    _annotated(cli)
    labels = cli.ok("export", "--format", "doccano", "--variant", "labels", "--annotator", "maria")
    record = json.loads(labels.stdout)
    assert "label" in record and "entities" not in record
    assert "1 relation not written: this format has no relations" in labels.stderr
    bad = cli.run("export", "--format", "doccano", "--variant", "nope")
    assert bad.exit_code == 1 and "its variants: relations, labels" in bad.stderr
    bad = cli.run("export", "--format", "jsonl", "--offset-units", "utf16")
    assert bad.exit_code == 1 and "no choice of offset units" in bad.stderr
    bad = cli.run("export", "--format", "csv", "--include-deleted")
    assert bad.exit_code == 1 and "--include-deleted is for the jsonl format" in bad.stderr
    codepoints = json.loads(cli.ok("export", "--format", "doccano", "--offset-units", "codepoint", "--annotator", "all").stdout)
    utf16 = json.loads(cli.ok("export", "--format", "doccano", "--annotator", "all").stdout)
    # 🎉, 👍 and its skin tone, the two regional indicators of 🇺🇦: five code points outside the BMP
    assert [e["start_offset"] for e in utf16["entities"]] == [e["start_offset"] + 5 for e in codepoints["entities"]]


def test_import_the_same_file_twice_changes_nothing(cli):
    _annotated(cli)
    target = cli.tmp_path / "set.jsonl"
    cli.ok("export", "-o", target)
    other = cli.tmp_path / "b.annotator"
    first = cli.ok("--project", other, "import-annotations", target)
    assert first.stdout.strip() and "spans added 4" in first.stderr and "relations added 1" in first.stderr
    again = cli.ok("--project", other, "import-annotations", target)
    assert again.stdout == "" and "spans added 0" in again.stderr and "unchanged 4" in again.stderr


def test_a_malformed_file_names_the_line_and_changes_nothing(cli):
    cli.ok("import", SEED)
    before = cli.json("stats", "--json")
    good = json.dumps({"text": "A new article.", "spans": [{"start": 0, "end": 1, "label": "CLAIM", "id": "9c5f2b1e-8d6b-4c0a-a1b2-3c4d5e6f7a8b"}]})
    path = cli.write("bad.jsonl", good + "\n" + '{"text": "x", "spans": [{"start": 0}]}\n')
    result = cli.run("import-annotations", path)
    assert result.exit_code == 1
    assert f"Error: {path}:2: missing 'end' in span 1" in result.stderr
    assert cli.json("stats", "--json") == before


def test_unknown_labels_are_refused_unless_mapped(cli):
    path = cli.write("set.jsonl", json.dumps({"text": "Alice said it.", "spans": [{"start": 0, "end": 5, "label": "PERSON"}]}) + "\n")
    result = cli.run("import-annotations", path, "--format", "jsonl")
    assert result.exit_code == 1 and "labels not in this project's schema: 'PERSON' (line 1)" in result.stderr
    assert "--label-map" in result.stderr
    cli.ok("import-annotations", path, "--format", "jsonl", "--label-map", "PERSON=SOURCE")
    assert cli.json("stats", "--json")["by_label"] == {"SOURCE": 1}


def test_quote_mismatches_are_listed_and_exit_1(cli):
    record = {"text": "Alice said prices rose.", "spans": [
        {"start": 0, "end": 5, "label": "SOURCE", "text": "Alice"},
        {"start": 11, "end": 22, "label": "CLAIM", "text": "wages fell"},
    ]}
    path = cli.write("set.jsonl", json.dumps(record) + "\n")
    result = cli.run("import-annotations", path, "--format", "jsonl")
    assert result.exit_code == 1
    assert f"quote mismatch, not imported: {path}:1: CLAIM 'wages fell'" in result.stderr
    assert "spans added 1" in result.stderr and "not imported 1" in result.stderr


def test_unrecognised_files_ask_for_a_format(cli):
    path = cli.write("x.json", json.dumps({"hello": "world"}))
    result = cli.run("import-annotations", path)
    assert result.exit_code == 1 and "give --format" in result.stderr
    path = cli.write("x.csv", "a,b\n")
    result = cli.run("import-annotations", path)
    assert result.exit_code == 1 and "can be exported but not imported" in result.stderr


def test_import_annotations_shows_a_progress_bar_on_a_terminal(cli, monkeypatch):
    from annotator.cli import output as cli_annotations

    _annotated(cli)
    target = cli.tmp_path / "out.jsonl"
    cli.ok("export", "-o", target)
    other = cli.tmp_path / "other.annotator"
    main = __import__("annotator.cli", fromlist=["main"]).main
    quiet = cli.runner.invoke(main, ["--project", str(other), "import-annotations", str(target)])
    assert quiet.exit_code == 0 and "Importing" not in quiet.stderr
    monkeypatch.setattr(cli_annotations, "stderr_is_terminal", lambda: True)
    shown = cli.runner.invoke(main, ["--project", str(other), "import-annotations", str(target)])
    assert shown.exit_code == 0, shown.stderr
    assert "Importing" in shown.stderr and "1 document" in shown.stderr


def test_import_annotations_counts_the_file_only_for_a_progress_bar(cli, monkeypatch):
    """Counting the documents first is a scan of the whole file, worth it only when a bar shows it."""
    from annotator.cli import output
    from annotator.formats import jsonl

    _annotated(cli)
    target = cli.tmp_path / "out.jsonl"
    cli.ok("export", "-o", target)
    counted = []
    real_count = jsonl.count
    monkeypatch.setattr(jsonl, "count", lambda *a, **k: counted.append(a) or real_count(*a, **k))
    main = __import__("annotator.cli", fromlist=["main"]).main
    quiet = cli.runner.invoke(main, ["--project", str(cli.tmp_path / "a.annotator"), "import-annotations", str(target)])
    assert quiet.exit_code == 0, quiet.stderr
    assert counted == []
    monkeypatch.setattr(output, "stderr_is_terminal", lambda: True)
    shown = cli.runner.invoke(main, ["--project", str(cli.tmp_path / "b.annotator"), "import-annotations", str(target)])
    assert shown.exit_code == 0, shown.stderr
    assert len(counted) == 1
