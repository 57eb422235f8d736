"""The evaluation set of benchmarks/eval_news is in sync with its labelled files, and sound."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "benchmarks" / "eval_news"


def test_the_jsonl_is_built_from_the_article_files():
    result = subprocess.run([sys.executable, str(EVAL / "build.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_fifteen_articles_each_with_source_licence_and_verified_spans():
    articles = [json.loads(line) for line in (EVAL / "eval_news.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(articles) >= 15
    assert {a["split"] for a in articles} == {"dev", "test", "test2"}
    for article in articles:
        assert article["url"].startswith("https://en.wikinews.org/wiki/")
        assert article["licence"].startswith("CC BY 2.5")
        text = article["text"]
        assert text == "\n".join(text[b["start"] : b["end"]] for b in article["blocks"])
        for span in article["spans"]:
            assert text[span["start"] : span["end"]] == span["quote"]
            assert span["label"] in ("CLAIM", "SOURCE", "CAPTION")


def test_a_bad_label_line_names_the_file_and_line(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("eval_news_build", EVAL / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)  # by path: "build" is also the PyPI package of that name
    bad = tmp_path / "bad.txt"
    bad.write_text("H A headline\n---\nCLAIM | not in the text\n", encoding="utf-8")
    try:
        build.parse(bad)
    except build.BadFile as error:
        assert str(error).startswith("bad.txt:3: quote not found")
    else:
        raise AssertionError("a missing quote was accepted")


def test_no_label_overlaps_another_but_a_caption_and_no_span_crosses_a_block_but_a_caption():
    for line in (EVAL / "eval_news.jsonl").read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        spans = sorted((s for s in article["spans"] if s["label"] != "CAPTION"), key=lambda s: s["start"])
        for a, b in zip(spans, spans[1:]):
            assert a["end"] <= b["start"], (article["id"], a["quote"], b["quote"])
        for span in spans:
            blocks = [b for b in article["blocks"] if b["start"] < span["end"] and span["start"] < b["end"]]
            assert len(blocks) == 1, (article["id"], span["quote"])
