"""Hugging Face `datasets`-ready JSONL for token classification: one sentence per line.

    {"id": "<article id>-<n>", "article_id": "...", "sentence": n, "tokens": ["Alice", "says", ...],
     "ner_tags": [1, 0, ...]}

`ner_tags` are integer ids of IOB2 tags; their names are `O`, then `B-<label>`, `I-<label>` for each
label of the project's schema in order. Exporting to a file also writes `<name>.features.json` beside
it: the `datasets.Features` of the records, with the tag names as a `ClassLabel`, so that

    features = datasets.Features.from_dict(json.load(open("corpus.features.json")))
    ds = datasets.load_dataset("json", data_files="corpus.jsonl", features=features)

gives `ds["train"].features["ner_tags"].feature.names == [...]`. Without the features the same file
loads with `ner_tags` as plain integers.

Units, sentences, overlaps and what is lost: as for CoNLL (tokens from `common.tokenize`, spans
widened to token boundaries, the longer then earlier span kept on overlap, relations dropped) — see
`conll.py`. Write only: ids, attributes and the text between tokens are not in the records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from ..store import ExportFilter, Store
from .common import (
    ProgressCallback,
    ExportStats,
    TokenIndex,
    bio_names,
    bio_tags,
    drop_overlaps,
    label_names,
    place_on_tokens,
    select_articles,
    sentences,
)

NAME = "hf"
SINGLE_LAYER = True  # no annotator per span: one annotator's, or their union (formats/__init__.py)
SUFFIX = ".jsonl"
DESCRIPTION = "Hugging Face datasets JSONL: tokens and integer ner_tags (IOB2), with a features file"


def features(store: Store) -> dict:
    """The `datasets.Features` of the records, as `Features.to_dict()` writes them."""
    return {
        "id": {"dtype": "string", "_type": "Value"},
        "article_id": {"dtype": "string", "_type": "Value"},
        "sentence": {"dtype": "int32", "_type": "Value"},
        "tokens": {"feature": {"dtype": "string", "_type": "Value"}, "_type": "Sequence"},
        "ner_tags": {"feature": {"names": bio_names(label_names(store)), "_type": "ClassLabel"}, "_type": "Sequence"},
    }


def features_path(target: Path) -> Path:
    return target.with_name(target.stem + ".features.json")


def side_files(store: Store, target: Path) -> dict[Path, str]:
    return {features_path(target): json.dumps(features(store), ensure_ascii=False, indent=2) + "\n"}


def write(store: Store, out: TextIO, selection: ExportFilter | None = None, *, progress: ProgressCallback | None = None) -> ExportStats:
    stats = ExportStats(holds_relations=False)
    names = bio_names(label_names(store))
    ids = {name: i for i, name in enumerate(names)}
    for item in select_articles(store, selection, progress):
        stats.merged += item.merged
        text = item.article.text
        index = TokenIndex(text)
        kept = drop_overlaps(place_on_tokens(index, item.annotations, stats), stats)
        tags = bio_tags(len(index), kept)
        for n, (first, end) in enumerate(sentences(index, kept)):
            record = {
                "id": f"{item.article.id}-{n}",
                "article_id": item.article.id,
                "sentence": n,
                "tokens": [text[s:e] for s, e in index.tokens[first:end]],
                "ner_tags": [ids[tag] for tag in tags[first:end]],
            }
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")
        stats.articles += 1
        stats.spans += len(kept)
        stats.relations_dropped += len(item.relations)
    return stats
