"""`annotator assign`, `unassign`, `assignments`, `list --assigned-to` and the progress in `stats`."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from annotator.model import build_article
import support
from cli.conftest import Cli

TEXT = "Article {i}: the minister said the plan works, officials said on Monday."


@pytest.fixture
def ids(cli) -> list[str]:
    made = [build_article([("paragraph", TEXT.format(i=i))], title=f"Story {i}") for i in range(6)]
    with cli.store() as store:
        support.add_articles(store, made, annotator="coord")
    return [a.id for a in made]


def assigned(cli) -> dict[str, list[str]]:
    with cli.store() as store:
        return store.analysts_of()


def test_assign_splits_the_articles_and_prints_each_analysts_share(cli, ids):
    result = cli.ok("assign", "--to", "kim,lee", "--to", "max", "--all", "--by", "coord")
    assert result.stdout.splitlines() == ["kim: 2 articles assigned", "lee: 2 articles assigned",
                                          "max: 2 articles assigned"]
    assert "assigned 6 articles (6 new assignments)" in result.stderr
    assert sorted(Counter(n for names in assigned(cli).values() for n in names).values()) == [2, 2, 2]


def test_the_same_seed_gives_the_same_split_in_another_project(cli, ids, tmp_path):
    cli.ok("assign", "--to", "kim,lee,max", "--all", "--overlap", "2", "--sample", "50%", "--seed", "s1")
    first = assigned(cli)
    assert sorted(Counter(len(names) for names in first.values()).values()) == [3, 3]  # 3 with 2 analysts
    other = Cli(cli.runner, tmp_path / "other.annotator", tmp_path)
    made = [build_article([("paragraph", TEXT.format(i=i))], title=f"Story {i}") for i in range(6)]
    with other.store() as store:
        support.add_articles(store, list(reversed(made)), annotator="coord")
    other.ok("assign", "--to", "max,lee,kim", "--all", "--overlap", "2", "--sample", "3", "--seed", "s1")
    assert assigned(other) == first
    cli.ok("undo")
    cli.ok("assign", "--to", "kim,lee,max", "--all", "--overlap", "2", "--sample", "50%", "--seed", "s2")
    assert assigned(cli) != first


def test_assign_refuses_what_it_cannot_do_and_changes_nothing(cli, ids):
    result = cli.run("assign", "--to", "kim,lee", "--all", "--overlap", "3")
    assert result.exit_code == 1
    assert "--overlap 3 needs at least 3 analysts, and --to names 2 (kim, lee)" in result.stderr
    result = cli.run("assign", "--to", "kim", "--all", "--status", "todo")
    assert result.exit_code == 2 and "exactly one of --article ID, --status S or --all" in result.stderr
    result = cli.run("assign", "--to", "kim", "--all", "--sample", "lots")
    assert result.exit_code == 2 and "'lots' is not a number of articles (10) or a percentage (20%)" in result.stderr
    result = cli.run("assign", "--to", "kim", "--all", "--sample", "150%")  # a percentage, but not one of the articles
    assert result.exit_code == 2 and "'150%': a percentage of the chosen articles goes from 0% to 100%" in result.stderr
    result = cli.run("assign", "--to", "kim", "--status", "done")
    assert result.exit_code == 1 and "no articles with status done" in result.stderr
    assert assigned(cli) == {}
    assert "Traceback" not in result.output


def test_assign_articles_by_id_and_undo_it(cli, ids):
    cli.ok("assign", "--to", "kim", "--article", ids[0][:8], "--article", ids[1])
    assert assigned(cli) == {ids[0]: ["kim"], ids[1]: ["kim"]}
    assert "assign 2 articles to kim" in cli.ok("history").stdout
    cli.ok("undo")
    assert assigned(cli) == {}


def test_list_assigned_to_and_the_assigned_column(cli, ids):
    cli.ok("assign", "--to", "kim,lee", "--article", ids[0], "--overlap", "2")
    cli.ok("assign", "--to", "lee", "--article", ids[1])
    lines = cli.ok("list", "--assigned-to", "kim").stdout.splitlines()
    assert lines[0].split() == ["ID", "STATUS", "ANNOTATIONS", "ASSIGNED", "TITLE"]
    assert [line.split()[:4] for line in lines[1:]] == [[ids[0], "todo", "0", "kim,lee"]]
    assert [r["id"] for r in cli.json("list", "--assigned-to", "lee", "--json")] == ids[:2]
    listed = {r["id"]: r["assigned_to"] for r in cli.json("list", "--json")}
    assert listed[ids[0]] == ["kim", "lee"] and listed[ids[2]] == []
    result = cli.ok("list", "--assigned-to", "nobody")
    assert result.stdout == "" and "no articles assigned to nobody" in result.stderr


def test_assignments_lists_counts_states_and_who_else(cli, ids):
    cli.ok("assign", "--to", "kim,lee", "--article", ids[0], "--article", ids[1], "--overlap", "2")
    cli.ok("add", ids[0], 13, 21, "SOURCE", "--annotator", "kim")
    cli.ok("status", ids[1], "done", "--annotator", "kim")
    record = cli.json("assignments", "--json")
    assert {name: (r["assigned"], r["todo"], r["in_progress"], r["done"]) for name, r in record.items()} == {
        "kim": (2, 0, 1, 1), "lee": (2, 2, 0, 0)}
    assert record["kim"]["articles"][0] == {"id": ids[0], "title": "Story 0", "state": "in_progress", "others": ["lee"]}
    out = cli.ok("assignments", "--analyst", "lee").stdout
    assert "lee" in out and "kim  " not in out.splitlines()[1] and "(also kim)" in out
    cli.ok("unassign", "--article", ids[1], "--from", "lee")
    assert cli.json("assignments", "--json")["lee"]["assigned"] == 1


def test_stats_json_figures_of_a_small_known_project(cli, ids, tmp_path):
    cli.ok("assign", "--to", "kim,lee", "--article", ids[0], "--article", ids[1], "--overlap", "2")
    cli.ok("assign", "--to", "max", "--article", ids[2])
    # ids[0]: both tag "minister" SOURCE identically; kim also a CLAIM lee does not have.
    cli.ok("add", ids[0], 13, 21, "SOURCE", "--annotator", "kim")
    cli.ok("add", ids[0], 13, 21, "SOURCE", "--annotator", "lee")
    cli.ok("add", ids[0], 22, 46, "CLAIM", "--annotator", "kim")
    cli.ok("status", ids[0], "done", "--annotator", "lee")
    figures = cli.json("stats", "--json")
    assert figures["by_annotator_label"] == {"kim": {"CLAIM": 1, "SOURCE": 1}, "lee": {"SOURCE": 1}}
    assert figures["assignments"] == {
        "kim": {"assigned": 2, "todo": 1, "in_progress": 1, "done": 0},
        "lee": {"assigned": 2, "todo": 1, "in_progress": 0, "done": 1},
        "max": {"assigned": 1, "todo": 1, "in_progress": 0, "done": 0},
    }
    [day] = figures["per_day"]
    assert day["total"] == 3 and day["by_annotator"] == {"kim": 2, "lee": 1}
    [pair] = figures["agreement"]
    agree = cli.json("agree", "kim", "lee", "--json", "--article", ids[0], "--article", ids[1])
    assert (pair["a"], pair["b"], pair["shared_articles"], pair["counted_articles"]) == ("kim", "lee", 2, 1)
    assert {k: pair[k] for k in agree["overall"]} == agree["overall"]  # the figures of `annotator agree`
    assert pair["a_spans"] == 2 and pair["b_spans"] == 1 and pair["matched_exact"] == 1
    assert pair["f1_exact"] == pytest.approx(2 / 3)

    out = tmp_path / "tables"
    result = cli.ok("stats", "--csv", str(out))
    assert "wrote labels.csv, assignments.csv, per_day.csv, agreement.csv" in result.stderr
    rows = list(csv.reader((out / "assignments.csv").open(encoding="utf-8")))
    assert rows == [["analyst", "assigned", "todo", "in_progress", "done"], ["kim", "2", "1", "1", "0"],
                    ["lee", "2", "1", "0", "1"], ["max", "1", "1", "0", "0"]]
    labels = list(csv.reader((out / "labels.csv").open(encoding="utf-8")))
    assert labels == [["analyst", "CLAIM", "SOURCE", "total"], ["kim", "1", "1", "2"], ["lee", "0", "1", "1"]]
    assert "agreement on the overlap sample" in result.stdout


def test_stats_csv_refuses_a_file_for_a_folder(cli, ids, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = cli.run("stats", "--csv", str(target))
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_assign_json_and_a_project_that_does_not_exist(cli, ids, tmp_path):
    record = cli.json("assign", "--to", "kim,lee", "--article", ids[0], "--article", ids[1], "--json")
    assert record["articles"] == 2 and record["added"] == 2 and record["already_assigned"] == 0
    assert sorted(a for names in record["by_analyst"].values() for a in names) == sorted(ids[:2])
    assert record["operation"]
    missing = Cli(cli.runner, tmp_path / "none.annotator", tmp_path)
    result = missing.run("assign", "--to", "kim", "--all")
    assert result.exit_code == 1 and "no such project file" in result.stderr
    assert not missing.project.exists()
