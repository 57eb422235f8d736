"""Hugging Face JSONL: `datasets.load_dataset("json")` reads it, with the tag names as a ClassLabel."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from annotator.formats import hf
from annotator.formats.common import bio_names
from annotator.model import build_article

from .conftest import PROPERTY, corpora, emoji_project, project, write_to
import support


@PROPERTY
@given(corpora(aligned=True, overlapping=False, relations=False))
def test_tags_decode_back_to_the_spans(specs):
    with project(specs) as store:
        path = store.path.with_name("hf.jsonl")
        stats = write_to(store, "hf", path, merge_identical=True)  # maria's and bob's spans: one layer
        assert stats.snapped == stats.overlapping == 0
        names = json.loads(hf.features_path(path).read_text("utf-8"))["ner_tags"]["feature"]["names"]
        assert names == bio_names(["CLAIM", "SOURCE", "CAPTION"])
        decoded = []
        for line in path.read_text("utf-8").splitlines():
            record = json.loads(line)
            assert len(record["tokens"]) == len(record["ner_tags"])
            text = store.get_article(record["article_id"]).text
            tags = [names[i] for i in record["ner_tags"]]
            for i, tag in enumerate(tags):
                if tag.startswith("B-"):
                    j = i
                    while j + 1 < len(tags) and tags[j + 1] == "I-" + tag[2:]:
                        j += 1
                    decoded.append((record["article_id"], " ".join(record["tokens"][i : j + 1]), tag[2:]))
                else:
                    assert tag == "O" or tags[i - 1][2:] == tag[2:]
        expected = []
        for summary in store.list_articles():
            from annotator.formats.common import tokenize

            text = store.get_article(summary.id).text
            for a in store.annotations_for(summary.id):
                words = [text[s:e] for s, e in tokenize(text) if s >= a.start and e <= a.end]
                expected.append((summary.id, " ".join(words), a.label))
        assert sorted(decoded) == sorted(expected)


def test_emoji_and_datasets_loads_the_file_with_the_features(store, tmp_path):
    datasets = pytest.importorskip("datasets")
    emoji_project(store)
    article = build_article([("paragraph", "東京 officials said: prices 🎉 rose."), ("paragraph", "Next block here.")])
    support.add_article(store, article)
    support.tag(store, article.id, 0, 2, "SOURCE", annotator="maria")
    path = tmp_path / "corpus.jsonl"
    stats = write_to(store, "hf", path)
    assert stats.files == [str(tmp_path / "corpus.features.json")]
    features = datasets.Features.from_dict(json.loads((tmp_path / "corpus.features.json").read_text("utf-8")))
    dataset = datasets.load_dataset("json", data_files=str(path), features=features, cache_dir=str(tmp_path / "cache"))["train"]
    names = dataset.features["ner_tags"].feature.names
    assert names[:3] == ["O", "B-CLAIM", "I-CLAIM"]
    rows = {row["id"]: row for row in dataset}
    assert len(rows) == 4  # headline, sentence; two blocks
    tagged = [(row["tokens"][i], names[t]) for row in rows.values() for i, t in enumerate(row["ner_tags"]) if t]
    assert sorted(tagged) == sorted([("prices", "B-CLAIM"), ("rose", "I-CLAIM"), ("5", "I-CLAIM"), ("%", "I-CLAIM"), ("東", "B-SOURCE"), ("京", "I-SOURCE")])
    plain = datasets.load_dataset("json", data_files=str(path), cache_dir=str(tmp_path / "cache2"))["train"]
    assert plain.features["ner_tags"].feature.dtype == "int64" and plain.num_rows == 4
