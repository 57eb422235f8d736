"""Parquet shards: every span and relation read back by pyarrow and by Hugging Face `datasets`,
splits decided by the article (stable as the corpus grows), shards of a given size, clear refusals."""

from __future__ import annotations

import builtins
import json
from pathlib import Path

import pytest
from hypothesis import given

from annotator.errors import AnnotatorError, ValidationError
from annotator.formats import export_to_path
from annotator.formats import parquet as parquet_format
from annotator.formats.splits import parse_splits, split_point
from annotator.model import build_article
from annotator.schema import parse_schema
from annotator.store import ExportFilter

from .conftest import PROPERTY, corpora, emoji_project, project, relations_of, spans_of, write_to
import support

pa = pytest.importorskip("pyarrow")
import pyarrow.dataset  # noqa: E402
import pyarrow.parquet  # noqa: E402


def read_rows(folder: Path) -> list[dict]:
    return pyarrow.dataset.dataset(str(folder), format="parquet").to_table().to_pylist()


def spans_in(rows: list[dict]) -> list[tuple]:
    """The spans of the rows in the shape of conftest.spans_of(store, "annotator", "attributes", "note")."""
    got = []
    for row in rows:
        for s in row["spans"]:
            attributes = tuple(sorted(json.loads(s["attributes"]).items()))
            got.append((row["text"], s["start"], s["end"], s["label"], s["annotator"], attributes, s["note"]))
    return sorted(got, key=repr)


def relations_in(rows: list[dict]) -> list[tuple]:
    got = []
    for row in rows:
        by_id = {s["id"]: (s["start"], s["end"], s["label"]) for s in row["spans"]}
        for r in row["relations"]:
            got.append((row["id"], by_id[r["head"]], by_id[r["tail"]], r["type"]))
    return sorted(got)


def articles(store, n: int, first: int = 0) -> list[str]:
    ids = []
    for i in range(first, first + n):
        article = build_article([("paragraph", f"Article {i}: officials said prices rose {i}%.")], title=f"A{i}")
        support.add_article(store, article)
        support.tag(store, article.id, 0, 7, "CLAIM", annotator="maria")
        ids.append(article.id)
    return ids


@PROPERTY
@given(corpora())
def test_every_span_relation_attribute_and_note_comes_back(specs):
    with project(specs) as store:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "out"
            stats = write_to(store, "parquet", target)
            rows = read_rows(target)
            assert spans_in(rows) == spans_of(store, "annotator", "attributes", "note")
            assert relations_in(rows) == relations_of(store)
            assert stats.spans == len(spans_of(store)) and stats.relations == len(relations_of(store))
            for row in rows:
                article = store.get_article(row["id"])
                assert row["text"] == article.text and row["title"] == article.title
                assert [(b["kind"], b["start"], b["end"]) for b in row["blocks"]] == [(b.kind, b.start, b.end) for b in article.blocks]
                for s in row["spans"]:
                    assert row["text"][s["start"]:s["end"]] == store.get_annotation(s["id"]).quote  # code points


def test_offsets_are_code_points_after_emoji(store, tmp_path):
    article_id, span_id = emoji_project(store)
    write_to(store, "parquet", tmp_path / "out")
    [row] = read_rows(tmp_path / "out")
    [span] = [s for s in row["spans"] if s["id"] == span_id]
    assert row["text"][span["start"]:span["end"]] == "prices rose 5%"
    # pyarrow slices by code point too
    import pyarrow.compute as pc

    assert pc.utf8_slice_codeunits(pa.array([row["text"]]), span["start"], span["end"])[0].as_py() == "prices rose 5%"


def test_hugging_face_datasets_loads_every_span_in_its_split(store, tmp_path):
    datasets = pytest.importorskip("datasets")
    ids = articles(store, 60)
    support.tag(store, ids[0], 8, 17, "SOURCE", annotator="bob", attributes={"type": "official"}, note="check")
    write_to(store, "parquet", tmp_path / "out", split="train=0.6,dev=0.2,test=0.2", seed="7")
    loaded = datasets.load_dataset("parquet", data_dir=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"))
    assert set(loaded) == {"train", "validation", "test"}  # the Hub's names: dev is read as validation
    splits = parse_splits("train=0.6,dev=0.2,test=0.2", "7")
    seen = []
    for name, part in loaded.items():
        for row in part:
            assert row["split"] == splits.of(row["id"]) == {"validation": "dev"}.get(name, name)
            seen += [(row["id"], s["start"], s["end"], s["label"], s["annotator"], s["attributes"], s["note"]) for s in row["spans"]]
    expected = [
        (a.article_id, a.start, a.end, a.label, a.annotator, json.dumps(a.attributes, ensure_ascii=False, sort_keys=True), a.note)
        for i in ids for a in store.annotations_for(i)
    ]
    assert sorted(seen) == sorted(expected) and len(seen) == 61


def test_an_article_keeps_its_split_when_articles_are_added(store, tmp_path):
    first = articles(store, 200)
    write_to(store, "parquet", tmp_path / "before", split="train=0.8,dev=0.1,test=0.1")
    before = {row["id"]: row["split"] for row in read_rows(tmp_path / "before")}
    articles(store, 300, first=200)
    write_to(store, "parquet", tmp_path / "after", split="train=0.8,dev=0.1,test=0.1")
    after = {row["id"]: row["split"] for row in read_rows(tmp_path / "after")}
    assert len(before) == 200 and len(after) == 500
    assert {i: after[i] for i in first} == before
    shares = {name: sum(1 for s in after.values() if s == name) / 500 for name in ("train", "dev", "test")}
    assert 0.72 < shares["train"] < 0.88 and 0.05 < shares["dev"] < 0.15 and 0.05 < shares["test"] < 0.15
    # a file holds one split, named by it
    for path in (tmp_path / "after").glob("*.parquet"):
        assert set(pyarrow.parquet.read_table(path).column("split").to_pylist()) == {path.name.split("-")[0]}


def test_the_split_depends_on_the_seed_and_the_id_only():
    splits = parse_splits("train=0.5,test=0.5", "1")
    ids = [f"{i:064x}" for i in range(400)]
    assert [splits.of(i) for i in ids] == [splits.of(i) for i in ids]
    other = parse_splits("train=0.5,test=0.5", "2")
    assert sum(splits.of(i) != other.of(i) for i in ids) > 100  # another seed draws again
    assert all(0 <= split_point("1", i) < 1 for i in ids)
    assert parse_splits(None).names == ("train",) and parse_splits(None).of(ids[0]) == "train"
    # widening train moves only articles from the next split into it
    wider = parse_splits("train=0.6,test=0.4", "1")
    assert all(wider.of(i) == "train" for i in ids if splits.of(i) == "train")


def test_shards_hold_at_most_shard_rows_rows(store, tmp_path):
    articles(store, 10)
    write_to(store, "parquet", tmp_path / "out", shard_rows=3)
    files = sorted(p.name for p in (tmp_path / "out").glob("*.parquet"))
    assert files == [f"train-{i:05d}-of-00004.parquet" for i in range(4)]
    sizes = [pyarrow.parquet.read_metadata(tmp_path / "out" / name).num_rows for name in files]
    assert sizes == [3, 3, 3, 1]
    assert not list((tmp_path / "out").glob(".*"))  # no part file left


def test_metadata_holds_the_format_version_the_offsets_and_the_label_schema(store, tmp_path):
    articles(store, 2)
    write_to(store, "parquet", tmp_path / "out", split="train=0.5,test=0.5", seed="3")
    [path, *_] = sorted((tmp_path / "out").glob("*.parquet"))
    metadata = pyarrow.parquet.read_schema(path).metadata
    assert metadata[b"news_annotator.format_version"] == b"1"
    assert b"code points" in metadata[b"news_annotator.offsets"]
    assert parse_schema(metadata[b"news_annotator.label_schema"].decode("utf-8")) == store.schema
    assert json.loads(metadata[b"news_annotator.split"]) == {"split": "train=0.5,test=0.5", "seed": "3"}
    readme = (tmp_path / "out" / "_README.md").read_text("utf-8")
    assert readme.startswith("# written by News Annotator") and "Unicode code points" in readme


def test_the_schema_is_the_documented_one(store, tmp_path):
    articles(store, 1)
    write_to(store, "parquet", tmp_path / "out")
    schema = pyarrow.parquet.read_schema(next((tmp_path / "out").glob("*.parquet")))
    assert schema.names == ["id", "title", "url", "outlet", "published", "language", "status", "text", "blocks", "spans", "relations", "split"]
    assert [f.name for f in schema.field("spans").type.value_type] == ["id", "start", "end", "label", "annotator", "attributes", "note"]
    assert [f.name for f in schema.field("relations").type.value_type] == ["id", "head", "tail", "type", "annotator"]
    assert schema.field("spans").type.value_type.field("start").type == pa.int32()
    docs = (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text("utf-8")
    for name in schema.names:
        assert f"| `{name}` |" in docs, name


def test_filters_choose_articles_and_spans_and_relations_follow(store, tmp_path):
    ids = articles(store, 3)
    source = support.tag(store, ids[0], 8, 17, "SOURCE", annotator="bob")
    claim = store.annotations_for(ids[0])[0]
    support.relate(store, claim.id, source.id, "attributed_to", annotator="maria")
    write_to(store, "parquet", tmp_path / "maria", annotators=("maria",))
    rows = read_rows(tmp_path / "maria")
    assert {s["annotator"] for r in rows for s in r["spans"]} == {"maria"}
    assert all(r["relations"] == [] for r in rows)  # its tail is bob's
    write_to(store, "parquet", tmp_path / "one", article_ids=(ids[1],), labels=("CLAIM",))
    [row] = read_rows(tmp_path / "one")
    assert row["id"] == ids[1] and [s["label"] for s in row["spans"]] == ["CLAIM"]
    write_to(store, "parquet", tmp_path / "all")
    first = next(r for r in read_rows(tmp_path / "all") if r["id"] == ids[0])
    assert {s["annotator"] for s in first["spans"]} == {"maria", "bob"}  # every layer: nothing refused
    assert [(r["head"], r["tail"], r["annotator"]) for r in first["relations"]] == [(claim.id, source.id, "maria")]


@pytest.mark.parametrize(
    ("split", "message"),
    [
        ("train=0.8,dev=0.1", "--split: the fractions add up to 0.9, not 1 (train=0.8,dev=0.1)"),
        ("train=0.5,train=0.5", "--split: train is named twice"),
        ("train", "--split: 'train' is not NAME=FRACTION (e.g. train=0.8,dev=0.1,test=0.1)"),
        ("train=abc,test=1", "--split: the fraction of train is 'abc', not a number"),
        ("train=0,test=1", "--split: the fraction of train must be above 0 and at most 1; got 0"),
        ("tr ain=1", "--split: 'tr ain' is not a split name (letters, digits and _, starting with a letter)"),
        ("../x=1", "--split: '../x' is not a split name (letters, digits and _, starting with a letter)"),
    ],
)
def test_a_bad_split_is_refused_and_nothing_is_written(store, tmp_path, split, message):
    articles(store, 1)
    with pytest.raises(ValidationError) as caught:
        write_to(store, "parquet", tmp_path / "out", split=split)
    assert str(caught.value) == message
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no temporary folder left


def test_other_formats_refuse_the_parquet_options(store, tmp_path):
    with pytest.raises(ValidationError, match=r"^the csv format has no option --split$"):
        export_to_path(store, "csv", tmp_path / "x.csv", ExportFilter(), split="train=1")
    with pytest.raises(ValidationError, match=r"^--shard-rows must be at least 1; got 0$"):
        write_to(store, "parquet", tmp_path / "out", shard_rows=0)


def test_without_pyarrow_the_message_names_the_extra(store, tmp_path, monkeypatch):
    articles(store, 1)
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(AnnotatorError) as caught:
        write_to(store, "parquet", tmp_path / "out")
    assert str(caught.value) == "the parquet format needs pyarrow: pip install 'news-annotator[parquet]' (or pip install pyarrow)"
    assert not (tmp_path / "out").exists()
    monkeypatch.setattr(parquet_format, "find_spec", lambda name: None)
    assert not parquet_format.available() and "news-annotator[parquet]" in parquet_format.UNAVAILABLE


def test_a_second_export_replaces_the_folder_and_a_foreign_folder_is_refused(store, tmp_path):
    articles(store, 4)
    write_to(store, "parquet", tmp_path / "out", shard_rows=1)
    write_to(store, "parquet", tmp_path / "out", shard_rows=4)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["_README.md", "train-00000-of-00001.parquet"]
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(AnnotatorError, match="the folder exists and holds other files"):
        write_to(store, "parquet", foreign)
    assert (foreign / "notes.txt").read_text("utf-8") == "keep me"


def test_duckdb_and_polars_read_every_span_and_slice_by_code_point(store, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    pl = pytest.importorskip("polars")
    emoji_project(store)
    articles(store, 5)
    write_to(store, "parquet", tmp_path / "out", split="train=0.5,test=0.5")
    pattern = str(tmp_path / "out" / "*.parquet")
    expected = sorted((a.article_id, a.id, a.quote) for s in store.list_articles() for a in store.annotations_for(s.id))
    rows = duckdb.sql(
        f"SELECT id, s.id, substring(text, s.start + 1, s.\"end\" - s.start) FROM "
        f"(SELECT id, text, unnest(spans) AS s FROM '{pattern}')"
    ).fetchall()
    assert sorted(rows) == expected
    span = pl.col("spans").struct.field
    frame = pl.scan_parquet(pattern).explode("spans").drop_nulls("spans").select(
        "id", span("id").alias("span"), pl.col("text").str.slice(span("start"), span("end") - span("start"))
    )
    assert sorted(frame.collect().rows()) == expected
