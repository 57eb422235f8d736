"""The review commands through the real CLI: agree, review, adjudicate, decisions, undo-decision, merge."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.store import Store

from .conftest import add, article
import support

T1 = "Kim met Putin in Moscow today."
T2 = "Officials said talks went well."


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.runner = CliRunner()
        self.project = tmp_path / "p.annotator"
        self.tmp_path = tmp_path

    def run(self, *args: object):
        return self.runner.invoke(main, ["--project", str(self.project), *map(str, args)])

    def ok(self, *args: object):
        result = self.run(*args)
        assert result.exit_code == 0, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}\n{result.exception!r}"
        return result

    def json(self, *args: object):
        return json.loads(self.ok(*args).stdout)


@pytest.fixture
def cli(tmp_path, monkeypatch) -> Cli:
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    for name in ("ANNOTATOR_PROJECT", "ANNOTATOR_BUSY_TIMEOUT", "ANNOTATOR_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    return Cli(tmp_path)


@pytest.fixture
def corpus(cli):
    """The corpus of test_metrics (without its noise): figures worked out there by hand."""
    with Store.open(cli.project) as store:
        a1, a2 = article(T1, title="Kim in Moscow"), article(T2, title="Talks")
        support.add_articles(store, [a1, a2])
        add(store, a1, "Kim met Putin", "CLAIM", "ana")
        add(store, a1, "Kim", "SOURCE", "ana")
        add(store, a2, "Officials", "SOURCE", "ana")
        add(store, a1, "met Putin in Moscow", "CLAIM", "ben")
        add(store, a1, "Kim", "SOURCE", "ben")
        add(store, a2, "Officials", "SOURCE", "ben")
        add(store, a2, "talks went well", "CLAIM", "ben")
    return a1, a2


def test_agree_json_has_the_documented_shape(cli, corpus):
    figures = cli.json("agree", "ana", "ben", "--json")
    assert list(figures) == ["annotators", "articles", "labels", "overall"]
    assert figures["annotators"] == ["ana", "ben"] and figures["articles"] == 2
    keys = ["a_spans", "b_spans", "matched_exact", "f1_exact", "matched_overlap", "f1_overlap", "kappa_token", "alpha_token"]
    assert list(figures["overall"]) == keys
    for f in figures["labels"].values():
        assert list(f) == keys
    assert figures["labels"]["CLAIM"]["kappa_token"] == pytest.approx(5 / 44)  # see test_metrics
    assert figures["overall"]["f1_exact"] == pytest.approx(4 / 7)


def test_agree_table(cli, corpus):
    out = cli.ok("agree", "ana", "ben").stdout.splitlines()
    assert out[0] == "ana vs ben: 2 articles annotated by both"
    assert out[1].split() == ["LABEL", "A", "B", "EXACT", "F1_EXACT", "OVERLAP", "F1_OVERLAP", "KAPPA", "ALPHA"]
    assert out[2].split() == ["CLAIM", "1", "2", "0", "0.000", "1", "0.667", "0.114", "0.062"]
    assert out[3].split() == ["SOURCE", "2", "2", "2", "1.000", "2", "1.000", "1.000", "1.000"]
    assert out[4].split() == ["overall", "3", "4", "2", "0.571", "3", "0.857", "0.557", "0.531"]


def test_agree_label_article_and_per_article(cli, corpus):
    a1, a2 = corpus
    figures = cli.json("agree", "ana", "ben", "--label", "claim", "--json")
    assert list(figures["labels"]) == ["CLAIM"]
    one = cli.json("agree", "ana", "ben", "--article", a2.id[:6], "--json")
    assert one["articles"] == 1 and one["labels"]["CLAIM"]["kappa_token"] == 0.0
    out = cli.ok("agree", "ana", "ben", "--per-article").stdout
    lines = out.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("ARTICLE")))
    assert lines[header + 1].split()[:2] == [a1.id, "1"] and lines[header + 2].split()[:2] == [a2.id, "1"]
    assert lines[header + 1].endswith("Kim in Moscow")
    record = cli.json("agree", "ana", "ben", "--per-article", "--json")
    assert [r["article_id"] for r in record["per_article"]] == [a1.id, a2.id]


def test_agree_csv(cli, corpus):
    path = cli.tmp_path / "figures.csv"
    result = cli.ok("agree", "ana", "ben", "--csv", path)
    assert "wrote 5 rows" in result.stderr
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [(r["scope"], r["label"] or r["article_id"]) for r in rows] == [
        ("label", "CLAIM"), ("label", "SOURCE"), ("overall", ""), ("article", corpus[0].id), ("article", corpus[1].id),
    ]
    assert float(rows[0]["kappa_token"]) == pytest.approx(5 / 44)
    assert rows[3]["disagreements"] == "1" and rows[3]["title"] == "Kim in Moscow"


def test_agree_with_an_unknown_annotator_says_so(cli, corpus):
    result = cli.ok("agree", "ana", "bne")
    assert "'bne' has no annotations" in result.stderr and "ana, ben" in result.stderr
    assert result.stdout.startswith("ana vs bne: 0 articles")


def test_agree_needs_a_project(cli):
    result = cli.run("agree", "ana", "ben")
    assert result.exit_code == 1 and "no such project file" in result.stderr
    assert not cli.project.exists()


def test_review_adjudicate_undo(cli, corpus):
    a1, _ = corpus
    record = cli.json("review", "ana", "ben", a1.id[:8], "--json")
    assert record["article_id"] == a1.id and record["annotators"] == ["ana", "ben"]
    kinds = {c["kind"]: c for c in record["comparisons"]}
    assert sorted(kinds) == ["agreed", "boundaries_differ"]
    text = cli.ok("review", "ana", "ben", a1.id)
    assert "boundaries_differ" in text.stdout and '"met Putin in Moscow"' in text.stdout
    assert "2 comparisons: 1 agreed, 1 boundaries_differ" in text.stderr

    claim = kinds["boundaries_differ"]
    key = f"{claim['a']['id'][:8]}:{claim['b']['id'][:8]}"
    out = cli.ok("adjudicate", "accept-b", key, "--by", "lead", "--comment", "B is right").stdout
    decision_id, action = out.split()[:2]
    assert action == "accept_b"
    with Store.open(cli.project) as store:
        (g,) = store.annotations_for(a1.id, annotator="gold")
        assert g.quote == "met Putin in Moscow"
    pending = cli.json("review", "ana", "ben", a1.id, "--json", "--pending")["comparisons"]
    assert [c["kind"] for c in pending] == ["agreed"]
    decided = cli.json("decisions", "--json")
    assert decided[0]["id"] == decision_id and decided[0]["decided_by"] == "lead" and decided[0]["comment"] == "B is right"
    assert "accept_b" in cli.ok("decisions", a1.id[:8]).stdout

    again = cli.run("adjudicate", "reject", key)
    assert again.exit_code == 1 and "already decided" in again.stderr
    cli.ok("undo-decision", decision_id[:8])
    assert cli.json("decisions", "--json") == []
    assert "(undone)" in cli.ok("decisions", "--all").stdout

    # A key with a missing side starts with "-": it is a key, not an option.
    source_b = next(c for c in record["comparisons"] if c["kind"] == "agreed")["b"]["id"]
    bad = cli.run("adjudicate", "accept-a", f"-:{source_b[:8]}")
    assert bad.exit_code == 1 and "no span of A" in bad.stderr
    out = cli.ok("adjudicate", "accept-b", f"-:{source_b[:8]}", "--by", "lead").stdout
    assert out.split()[1:3] == ["accept_b", f"-:{source_b[:8]}"]


def test_adjudicate_edit_and_bad_keys(cli, corpus):
    a1, _ = corpus
    comparisons = cli.json("review", "ana", "ben", a1.id, "--json")["comparisons"]
    claim = next(c for c in comparisons if c["kind"] == "boundaries_differ")
    key = f"{claim['a']['id']}:{claim['b']['id']}"
    cli.ok("adjudicate", "edit", key, "--start", 0, "--end", 23, "--label", "claim")
    with Store.open(cli.project) as store:
        (g,) = store.annotations_for(a1.id, annotator="gold")
        assert (g.quote, g.label) == ("Kim met Putin in Moscow", "CLAIM")
    assert cli.run("adjudicate", "accept-a", "nonsense").exit_code == 1
    assert "no annotation with id" in cli.run("adjudicate", "accept-a", "ffff:-").stderr
    usage = cli.run("adjudicate", "reject", key, "--start", 1)
    assert usage.exit_code == 2


def test_merge_command(cli, corpus, tmp_path):
    colleague = tmp_path / "carla.annotator"
    with Store.open(colleague) as theirs:
        a1 = article(T1, title="Kim in Moscow")
        support.add_article(theirs, a1)
        add(theirs, a1, "Moscow", "CAPTION", "carla")
        add(theirs, a1, "Putin", "SOURCE", "dan")
    before = colleague.read_bytes()
    result = cli.ok("merge", colleague, "--annotator", "carla")
    assert "annotations: 1 added" in result.stderr
    report = cli.json("merge", colleague, "--json")
    assert report["annotations"]["added"] == 1 and report["annotations"]["unchanged"] == 1  # dan's; carla's again
    assert colleague.read_bytes() == before
    stats = cli.json("stats", "--json")
    assert stats["by_annotator"] == {"ana": 3, "ben": 4, "carla": 1, "dan": 1}
    itself = cli.run("merge", cli.project)
    assert itself.exit_code == 1 and "this project itself" in itself.stderr
