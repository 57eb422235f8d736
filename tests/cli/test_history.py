"""`annotator history`, `undo` and `redo`: the journal from the command line."""

from __future__ import annotations

from .conftest import Cli


def _add(cli: Cli, seeded: dict, needle: str, label: str, who: str) -> str:
    start = seeded["text"].index(needle)
    return cli.ok("add", seeded["id"], start, start + len(needle), label, "--annotator", who).stdout.strip()


def test_history_lists_newest_first_with_its_columns(cli, seeded):
    _add(cli, seeded, "Vladimir Putin", "SOURCE", "ana")
    _add(cli, seeded, "Kim Jong Un", "SOURCE", "ben")
    lines = cli.ok("history").stdout.splitlines()
    assert len(lines) == 3  # two tags and the import
    newest = lines[0].split()
    assert newest[2:5] == ["ben", "tag", seeded["id"][:8]]
    assert "tag SOURCE “Kim Jong Un”" in lines[0]
    assert lines[2].split()[3] == "import"

    entries = cli.json("history", "--json")
    assert [e["kind"] for e in entries] == ["tag", "tag", "import"]
    assert set(entries[0]) >= {"id", "time", "annotator", "kind", "article", "summary", "batch", "target", "undone"}
    assert entries[0]["article"] == seeded["id"] and entries[0]["undone"] is False
    assert [e["annotator"] for e in cli.json("history", "--annotator", "ana", "--json")] == ["ana"]
    assert len(cli.json("history", "--limit", "1", "--json")) == 1
    assert [e["kind"] for e in cli.json("history", seeded["id"][:6], "--json")] == ["tag", "tag"]


def test_undo_takes_back_the_newest_of_the_current_annotator_and_redo_brings_it_back(cli, seeded):
    ana = _add(cli, seeded, "Vladimir Putin", "SOURCE", "ana")
    ben = _add(cli, seeded, "Kim Jong Un", "SOURCE", "ben")
    tag_of_ana = cli.json("history", "--annotator", "ana", "--json")[0]["id"]

    result = cli.ok("undo", "--annotator", "ana")
    assert result.stdout.startswith(f"undone {tag_of_ana}")
    with cli.store() as store:
        assert {a.id for a in store.annotations_for(seeded["id"])} == {ben}
    newest = cli.json("history", "--json", "--limit", "1")[0]
    assert (newest["kind"], newest["target"], newest["annotator"]) == ("undo", tag_of_ana, "ana")
    assert newest["id"][:18] in result.stderr  # the message names the undo's own entry
    assert next(e for e in cli.json("history", "--json") if e["id"] == tag_of_ana)["undone"] is True
    assert "(undone)" in cli.ok("history", "--annotator", "ana").stdout

    assert cli.ok("redo", "--annotator", "ana").stdout.startswith(f"redone {tag_of_ana}")
    with cli.store() as store:
        assert {a.id for a in store.annotations_for(seeded["id"])} == {ana, ben}


def test_undo_by_id_prefix_and_of_a_delete(cli, seeded):
    annotation = _add(cli, seeded, "Vladimir Putin", "SOURCE", "ana")
    cli.ok("delete", annotation, "--annotator", "ana")
    delete = cli.json("history", "--json")[0]
    assert delete["kind"] == "delete"
    cli.ok("undo", delete["id"][:20], "--annotator", "ana")
    with cli.store() as store:
        assert not store.get_annotation(annotation).deleted


def test_nothing_to_undo_or_redo_is_a_clear_error(cli, seeded):
    result = cli.run("undo", "--annotator", "nobody")
    assert result.exit_code == 1 and "nothing of nobody's to undo" in result.stderr
    result = cli.run("redo", "--annotator", "nobody")
    assert result.exit_code == 1 and "Error:" in result.stderr and "Traceback" not in result.stderr
    result = cli.run("undo", "ffffffff")
    assert result.exit_code == 1 and "ffffffff" in result.stderr


def test_an_undo_crossing_a_later_edit_is_refused_and_names_it(cli, seeded):
    annotation = _add(cli, seeded, "Vladimir Putin", "SOURCE", "ana")
    cli.ok("label", annotation, "CLAIM", "--annotator", "ben")
    before = cli.json("history", "--json")
    result = cli.run("undo", "--annotator", "ana")
    assert result.exit_code == 1
    assert "ben" in result.stderr and "nothing was changed" in result.stderr
    assert cli.json("history", "--json") == before
    with cli.store() as store:
        assert store.get_annotation(annotation).label == "CLAIM"
