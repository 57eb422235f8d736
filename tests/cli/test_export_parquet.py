"""`annotator export --format parquet`: options, summary and refusals through the real command."""

from __future__ import annotations

import pytest

pq = pytest.importorskip("pyarrow.parquet")


def test_export_parquet_with_a_split(cli, seeded, tmp_path):
    cli.ok("add", seeded["id"], 0, 11, "CLAIM")
    out = tmp_path / "dataset"
    result = cli.ok("export", "--format", "parquet", "-o", out, "--split", "train=0.5,dev=0.25,test=0.25", "--seed", "9")
    assert "exported 1 span from 1 article to" in result.stderr
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert sum(line.endswith(("in 1 shard", "in 0 shards")) for line in lines) == 3
    [path] = sorted(out.glob("*.parquet"))
    table = pq.read_table(path)
    assert table.column("id").to_pylist() == [seeded["id"]]
    assert path.name.startswith(table.column("split")[0].as_py() + "-00000-of-00001")
    assert [(s["start"], s["end"], s["label"]) for s in table.column("spans")[0].as_py()] == [(0, 11, "CLAIM")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--split", "train=0.8,dev=0.1"], "--split: the fractions add up to 0.9, not 1 (train=0.8,dev=0.1)"),
        (["--split", "train=0.5,train=0.5"], "--split: train is named twice"),
        (["--shard-rows", "0"], "--shard-rows must be at least 1; got 0"),
    ],
)
def test_bad_parquet_options_are_refused_and_nothing_is_written(cli, seeded, tmp_path, args, message):
    result = cli.run("export", "--format", "parquet", "-o", tmp_path / "dataset", *args)
    assert result.exit_code == 1 and f"Error: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "dataset").exists()


def test_parquet_needs_a_folder_and_its_options_are_its_own(cli, seeded, tmp_path):
    result = cli.run("export", "--format", "parquet")
    assert result.exit_code == 1 and "the parquet format writes a folder; give -o DIR" in result.stderr
    result = cli.run("export", "--format", "csv", "-o", tmp_path / "x.csv", "--split", "train=1")
    assert result.exit_code == 1 and "--shard-rows, --split and --seed are for the parquet format" in result.stderr
