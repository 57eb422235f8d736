"""`annotator list`, `show` and `stats`."""

from __future__ import annotations

from annotator.model import Article, Block
import support


def _add_article(cli, article_id: str, title: str) -> None:
    text = f"{title}\nBody of {title}."
    article = Article(id=article_id, text=text, blocks=[Block("headline", 0, len(title)), Block("paragraph", len(title) + 1, len(text))], title=title)
    with cli.store() as store:
        support.add_article(store, article)


def test_list_table_is_aligned(cli, seeded):
    _add_article(cli, "abcdef0123456789", "Short")
    cli.ok("add", "abcdef", 0, 5, "CLAIM")
    lines = cli.ok("list").stdout.splitlines()
    assert lines[0].split() == ["ID", "STATUS", "ANNOTATIONS", "TITLE"]
    assert len(lines) == 3
    title_column = lines[0].index("TITLE")
    assert all(line[title_column - 2 : title_column] == "  " for line in lines)
    row = next(line for line in lines if line.startswith("abcdef"))
    assert row.split()[:3] == ["abcdef0123456789", "in_progress", "1"]
    assert row[title_column:] == "Short"


def test_list_json(cli, seeded):
    listed = cli.json("list", "--json")
    assert listed == [
        {
            "id": seeded["id"],
            "title": seeded["title"],
            "outlet": "Fox News",
            "status": "todo",
            "annotations": 0,
            "length": len(seeded["text"]),
            "imported_at": seeded["imported_at"],
            "assigned_to": [],
        }
    ]


def test_list_on_a_new_project_is_empty_and_creates_nothing(cli):
    result = cli.ok("list")
    assert result.stdout == ""
    assert "no articles" in result.stderr
    assert cli.json("list", "--json") == []
    assert not cli.project.exists()


def test_show_json_shape(cli, seeded):
    required = {"id", "title", "text", "blocks", "annotations", "relations"}
    assert required <= set(seeded)
    assert len(seeded["id"]) == 16
    text = seeded["text"]
    assert seeded["blocks"][0] == {"kind": "topic", "start": 0, "end": 11, "text": "Kim Jong Un"}
    for block in seeded["blocks"]:
        assert set(block) == {"kind", "start", "end", "text"}
        assert text[block["start"] : block["end"]] == block["text"]
    assert "\n".join(b["text"] for b in seeded["blocks"]) == text
    assert seeded["annotations"] == [] and seeded["relations"] == []
    assert seeded["outlet"] == "Fox News" and seeded["authors"] == ["Greg Norman"]


def test_show_json_annotation_and_relation_shape(cli, seeded):
    text = seeded["text"]
    claim_start = text.index("Kim Jong Un has sent a message")
    claim = cli.ok("add", seeded["id"], claim_start, claim_start + 30, "CLAIM", "--attr", "kind=fact").stdout.strip()
    source_start = text.index("North Korean state media")
    source = cli.ok("add", seeded["id"], source_start, source_start + 24, "SOURCE").stdout.strip()
    with cli.store() as store:
        relation = support.relate(store, claim, source, "attributed_to", annotator="alice")
    record = cli.json("show", seeded["id"][:6], "--json")
    assert [set(a) for a in record["annotations"]] == [
        {"id", "start", "end", "label", "quote", "annotator", "attributes", "note"}
    ] * 2
    first = record["annotations"][0]
    assert first["quote"] == "Kim Jong Un has sent a message" and first["attributes"] == {"kind": "fact"}
    assert record["relations"] == [
        {"id": relation.id, "head": claim, "tail": source, "type": "attributed_to", "annotator": "alice"}
    ]
    readable = cli.ok("show", seeded["id"]).stdout
    assert f"{claim[:8]} -attributed_to-> {source[:8]}  by alice" in readable


def test_show_readable(cli, seeded):
    text = seeded["text"]
    start = text.index("Greg Norman")
    annotation_id = cli.ok("add", seeded["id"], start, start + 11, "SOURCE", "--note", "the author").stdout.strip()
    out = cli.ok("show", seeded["id"][:4]).stdout
    assert out.splitlines()[0] == seeded["title"]
    assert "outlet       Fox News" in out
    assert "topic" in out and "caption" in out and "(Mikhail Svetlov/Getty Images)" in out
    assert "Annotations (1)" in out
    assert f'{annotation_id[:8]}  {start}-{start + 11}  SOURCE  "Greg Norman"' in out
    assert "note: the author" in out


def test_show_unknown_and_ambiguous_ids(cli, seeded):
    _add_article(cli, "abc0000000000001", "One")
    _add_article(cli, "abc0000000000002", "Two")
    result = cli.run("show", "ffffffff")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no article with id ffffffff"
    result = cli.run("show", "abc")
    assert result.exit_code == 1
    assert "ambiguous" in result.stderr and "abc0000000000001" in result.stderr
    assert cli.json("show", "abc0000000000002", "--json")["title"] == "Two"


def test_stats(cli, seeded):
    text = seeded["text"]
    cli.ok("add", seeded["id"], 0, 3, "CLAIM", "--annotator", "alice")
    cli.ok("add", seeded["id"], 4, 7, "CLAIM", "--annotator", "bob")
    cli.ok("add", seeded["id"], text.index("Greg"), text.index("Greg") + 4, "SOURCE", "--annotator", "bob")
    figures = cli.json("stats", "--json")
    older = {key: figures.pop(key) for key in ("articles", "annotations", "relations", "by_status", "by_label",
                                               "by_annotator")}
    assert older == {  # the figures stats always had, unchanged
        "articles": 1,
        "annotations": 3,
        "relations": 0,
        "by_status": {"in_progress": 1},
        "by_label": {"CLAIM": 2, "SOURCE": 1},
        "by_annotator": {"bob": 2, "alice": 1},
    }
    assert set(figures) == {"by_annotator_label", "assignments", "per_day", "agreement"}  # the team's progress
    out = cli.ok("stats").stdout
    assert "annotations  3" in out and "by label" in out and "bob" in out


def test_stats_on_a_new_project(cli):
    assert cli.json("stats", "--json")["articles"] == 0


def test_read_commands_upgrade_an_older_project_in_place(tmp_path):
    """A project from an older version still lists: the read command migrates it like the app would."""
    import sqlite3

    from click.testing import CliRunner

    from annotator.cli import main
    from annotator.store import SCHEMA_VERSION
    from annotator.store.migrations import MIGRATIONS

    path = tmp_path / "old.annotator"
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[:2]:
        conn.executescript(step)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO articles(id, text, blocks, title, imported_at) VALUES "
        "('abc', 'Hello world', '[[\"paragraph\", 0, 11]]', 'Hello', '2024-01-01T00:00:00Z')"
    )
    conn.commit()
    conn.close()
    result = CliRunner().invoke(
        main, ["--project", str(path), "list", "--json"], env={"ANNOTATOR_CONFIG_DIR": str(tmp_path / "cfg")}
    )
    assert result.exit_code == 0, result.output
    assert '"Hello"' in result.output
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
