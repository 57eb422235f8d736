"""`annotator suggestions train`: the span model trained on the project's annotations, saved, and used
by `annotator suggest --suggester learned_model` in a later process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from annotator.model import build_article
from annotator.suggest import span_model
import support

NAMES = ["Anna Berg", "Omar Haddad", "Li Wei", "Sara Kowalski", "Jonas Meyer", "Priya Nair", "Tom Okafor", "Elena Rossi"]
VERBS = ["said", "told reporters", "confirmed", "added"]


def team_project(store, n: int) -> None:
    articles = []
    for i in range(n):
        name = NAMES[i % len(NAMES)]
        articles.append(build_article([("paragraph", f"On day {i}, {name} {VERBS[i % len(VERBS)]} that the bridge had reopened.")],
                                      title=f"Bridge {i}"))
    support.add_articles(store, articles)
    for article in articles:
        name = next(n for n in NAMES if n in article.text)
        start = article.text.index(name)
        support.tag(store, article.id, start, start + len(name), "SOURCE", annotator="kim")


@pytest.fixture(autouse=True)
def no_model_left_installed():
    yield
    span_model.install(None)


def test_too_few_annotations_is_a_clear_message_naming_the_counts(cli):
    with cli.store() as store:
        team_project(store, 12)
    result = cli.run("suggestions", "train")
    assert result.exit_code != 0
    assert "no label has 50 accepted spans yet" in result.stderr and "SOURCE 12" in result.stderr
    assert "Traceback" not in result.stderr


def test_trained_model_is_saved_and_suggests_in_another_process(cli, tmp_path):
    pytest.importorskip("spacy")
    with cli.store() as store:
        team_project(store, 64)
        new = build_article([("paragraph", "Yesterday, Priya Nair told reporters that the road was closed.")], title="Road")
        support.add_articles(store, [new])
    figures = cli.json("suggestions", "train", "--json")
    assert figures["labels"] == ["SOURCE"] and figures["held_out"] >= 1
    assert figures["precision"]["SOURCE"] is not None
    assert (tmp_path / "cfg" / "models").is_dir()
    span_model.install(None)
    env = {**os.environ, "ANNOTATOR_PROJECT": str(cli.project), "ANNOTATOR_CONFIG_DIR": str(tmp_path / "cfg")}
    done = subprocess.run([sys.executable, "-m", "annotator", "suggest", new.id, "--suggester", "learned_model", "--json"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert [(s["label"], s["quote"], s["suggester"]) for s in found] == [("SOURCE", "Priya Nair", "learned_model")]
    assert found[0]["confidence"] == pytest.approx(figures["precision"]["SOURCE"], abs=1e-3)
