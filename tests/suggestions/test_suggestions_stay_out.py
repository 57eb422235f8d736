"""Suggestions reach no count, export, comparison or agreement figure unless accepted; asked for
(--include-suggestions), they go where a format has a place and are counted where it has none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import support
from annotator.formats import FORMAT_MODULES, export_to_path, format_module
from annotator.model import build_article
from annotator.operations import suggestions as sug
from annotator.review import agreement, compare_article, review_annotators
from annotator.store import ExportFilter, Store

TEXT = "😀 Kim Jong Un said the economy grew 5%."
# what differs between two exports of the same rows: the time of export, a W3C collection's own id
STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z|urn:uuid:[0-9a-f-]{36}")


@pytest.fixture
def project(tmp_path, fake_suggesters):
    store = Store.open(tmp_path / "p.annotator")
    article = build_article([("paragraph", TEXT)], title="Emoji first")
    support.add_articles(store, [article])
    support.tag(store, article.id, 2, 13, "SOURCE", annotator="ana")
    support.tag(store, article.id, 2, 13, "SOURCE", annotator="ben")
    yield store, article.id
    store.close()


def exported(store: Store, tmp: Path, name: str, selection: ExportFilter | None = None) -> tuple[list[bytes], object]:
    module = format_module(name)
    folder = getattr(module, "OUTPUT", "text") == "folder"
    target = tmp / f"{name}-{len(list(tmp.iterdir()))}{'' if folder else module.SUFFIX}"
    stats = export_to_path(store, name, target, selection or ExportFilter(annotators=("ana",)))
    files = sorted(p for p in target.rglob("*") if p.is_file()) if folder else [target]
    return [STAMP.sub(b"T", p.read_bytes()) for p in files], stats


def usable_formats() -> list[str]:
    return [n for n in FORMAT_MODULES if getattr(format_module(n), "available", lambda: True)()]


def test_no_export_changes_for_open_or_rejected_suggestions(project, tmp_path):
    store, article_id = project
    out = tmp_path / "out"
    out.mkdir()
    before = {name: exported(store, out, name)[0] for name in usable_formats()}
    made = sug.suggest(store, [article_id], annotator="carl").value
    sug.reject(store, [made[0].id], annotator="carl")
    assert store.suggestions_for(article_id)  # one still open
    for name in usable_formats():
        assert exported(store, out, name)[0] == before[name], name


def test_counts_review_and_agreement_ignore_suggestions(project):
    store, article_id = project
    figures_before = agreement(store, "ana", "ben")
    comparisons_before = compare_article(store, article_id, "ana", "ben")
    sug.suggest(store, [article_id], annotator="ana")
    sug.suggest(store, [article_id], annotator="ben")
    assert store.counts()["annotations"] == 2
    assert store.annotation_counts("label") == {"SOURCE": 2}
    assert agreement(store, "ana", "ben") == figures_before
    assert compare_article(store, article_id, "ana", "ben") == comparisons_before
    assert review_annotators(store) == ["ana", "ben"]


def test_accepted_suggestions_count_like_annotations(project):
    store, article_id = project
    made = sug.suggest(store, [article_id], annotator="ana").value
    claim = next(s for s in made if s.label == "CLAIM")
    sug.accept(store, [claim.id], annotator="ana")
    figures = agreement(store, "ana", "ben")
    assert figures["labels"]["CLAIM"]["a_spans"] == 1 and figures["labels"]["CLAIM"]["b_spans"] == 0
    assert store.annotation_counts("label") == {"SOURCE": 2, "CLAIM": 1}


def test_include_suggestions_in_jsonl_and_labelstudio(project, tmp_path):
    store, article_id = project
    sug.suggest(store, [article_id], annotator="carl")
    selection = ExportFilter(annotators=("ana",), include_suggestions=True)
    stats = export_to_path(store, "jsonl", tmp_path / "s.jsonl", selection)
    record = json.loads((tmp_path / "s.jsonl").read_text("utf-8").splitlines()[1])
    assert stats.suggestions == 2 and stats.spans == 1 and stats.problems() == []
    assert [(s["label"], s["text"], s["suggested"]) for s in record["suggestions"]] == [
        ("SOURCE", "Kim Jong Un", True), ("CLAIM", "economy grew 5%", True)]
    assert all(TEXT[s["start"]:s["end"]] == s["text"] for s in record["suggestions"])
    assert len(record["spans"]) == 1
    # a colleague importing the file gets the annotation, not the suggestions
    from annotator.formats import jsonl

    (document,) = list(jsonl.read(tmp_path / "s.jsonl"))
    assert [(s.label, s.start) for s in document.spans] == [("SOURCE", 2)]

    export_to_path(store, "labelstudio", tmp_path / "s.json", selection)
    (task,) = json.loads((tmp_path / "s.json").read_text("utf-8"))
    models = {p["model_version"]: p for p in task["predictions"]}
    assert set(models) == {"fake-sources 1.0", "fake-claims 2.0"}
    (region,) = models["fake-claims 2.0"]["result"]
    assert (region["value"]["labels"], region["value"]["text"], region["score"]) == (["CLAIM"], "economy grew 5%", 0.8)
    assert models["fake-claims 2.0"]["score"] == 0.8
    assert len(task["annotations"]) == 1 and len(task["annotations"][0]["result"]) == 1


def test_include_suggestions_counts_them_where_a_format_has_no_place(project, tmp_path):
    store, article_id = project
    sug.suggest(store, [article_id], annotator="carl")
    stats = export_to_path(store, "csv", tmp_path / "s.csv", ExportFilter(annotators=("ana",), include_suggestions=True))
    assert stats.suggestions_left_out == 2
    assert "2 suggestions not written: this format has no place for suggestions" in " ".join(stats.problems())
    only_claims = ExportFilter(annotators=("ana",), labels=("CLAIM",), include_suggestions=True)
    assert export_to_path(store, "conll", tmp_path / "s.conll", only_claims).suggestions_left_out == 1


def test_cli_include_suggestions(project, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from annotator.cli import main

    store, article_id = project
    sug.suggest(store, [article_id], annotator="carl")
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    result = CliRunner().invoke(main, ["--project", str(store.path), "export", "--format", "csv", "--annotator", "ana",
                                       "--include-suggestions", "-o", str(tmp_path / "c.csv")])
    assert result.exit_code == 0, result.output
    assert "2 suggestions not written" in result.stderr
    result = CliRunner().invoke(main, ["--project", str(store.path), "export", "--annotator", "ana",
                                       "--include-suggestions"])
    assert result.exit_code == 0 and "and 2 suggestions" in result.stderr
    import json

    records = [json.loads(line) for line in result.stdout.splitlines()[1:]]  # after the header line
    flagged = [item for record in records for item in record.get("suggestions", []) if item.get("suggested") is True]
    assert len(flagged) == 2  # the jsonl writer's spacing is its own (compact since the bulk path)
