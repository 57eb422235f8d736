"""The whole path a script takes: import → show → add → show → export → delete → export."""

from __future__ import annotations

import json

from .conftest import SEED


def test_import_annotate_export_delete(cli):
    article_id = cli.ok("import", SEED).stdout.split()[0]

    shown = cli.json("show", article_id, "--json")
    text = shown["text"]
    start = text.find("Greg Norman")
    assert start > 0
    end = start + len("Greg Norman")

    annotation_id = cli.ok("add", article_id, start, end, "SOURCE", "--attr", "type=named person").stdout.strip()

    [annotation] = cli.json("show", article_id, "--json")["annotations"]
    assert annotation["id"] == annotation_id
    assert (annotation["start"], annotation["end"], annotation["quote"]) == (start, end, "Greg Norman")
    assert annotation["label"] == "SOURCE" and annotation["attributes"] == {"type": "named person"}

    [header, record] = [json.loads(line) for line in cli.ok("export", "--format", "jsonl").stdout.splitlines()]
    assert header["_format"] == "news-annotator"
    [span] = record["spans"]
    assert span["id"] == annotation_id
    assert span["text"] == record["text"][span["start"] : span["end"]] == "Greg Norman"
    assert record["text"] == text

    cli.ok("delete", annotation_id)
    [_, record] = [json.loads(line) for line in cli.ok("export").stdout.splitlines()]
    assert record["spans"] == []
    assert cli.json("show", article_id, "--json")["annotations"] == []
