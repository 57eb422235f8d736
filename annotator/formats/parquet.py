"""Apache Parquet shards: a dataset for tools past one machine (datasets, Spark, Ray, DuckDB, Polars).

`annotator export --format parquet -o DIR [--shard-rows N] [--split train=0.8,dev=0.1,test=0.1]
[--seed S]` fills DIR with ``{split}-{index:05d}-of-{count:05d}.parquet`` (the Hugging Face Hub's
naming, so ``load_dataset("parquet", data_dir=DIR)`` finds the splits) and ``_README.md`` (the
schema and the splits of this export; Spark and pyarrow skip a name starting with ``_``, Ray
reads only ``.parquet`` files). One row per article; every annotator's spans are in it (each span names its
annotator), so unlike the one-layer formats nothing is refused or merged.

The row schema (version 1; docs/formats.md keeps the same table)::

    id         string   the article id (a hash of its text: the same on every machine)
    title, url, outlet, published, language, status     string ("" when unknown)
    text       string   the canonical text: the blocks joined by "\\n"
    blocks     list<struct<kind: string, start: int32, end: int32>>
    spans      list<struct<id: string, start: int32, end: int32, label: string,
                           annotator: string, attributes: string, note: string>>
    relations  list<struct<id: string, head: string, tail: string, type: string, annotator: string>>
    split      string   the article's split (formats/splits.py: a hash of the seed and the id)

Offsets are Unicode **code points**, end exclusive: ``text[start:end]`` in Python, and pyarrow,
Polars and Spark (``substring(text, start + 1, end - start)``) slice strings by code point too.
``attributes`` is a JSON object as text (``{"checkworthy": "yes"}``; booleans stay booleans),
``note`` "" for none; ``head`` and ``tail`` are span ids of the same row. The file metadata holds
``news_annotator.format_version`` ("1"), ``news_annotator.offsets`` and
``news_annotator.label_schema`` (the project's schema as TOML, guidelines included).

Streaming: the rows come through the one export query path in batches (`export_rows`), each
batch of up to `BATCH_ROWS` articles (or `BATCH_CHARS` of text) becomes one row group of the
current shard of its split, and a shard is closed after `shard_rows` rows: memory holds one batch
per split, whatever the size of the corpus. pyarrow is imported only when the format is used.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..errors import AnnotatorError, ValidationError
from ..schema import schema_to_toml
from ..store import ExportFilter, Store, export_rows
from ..store.codecs import ANNOTATION_COLUMNS, ARTICLE_COLUMNS, RELATION_COLUMNS
from .common import FOLDER_MARKER, ExportStats, ProgressCallback
from .splits import DEFAULT_SEED, Splits, parse_splits

NAME = "parquet"
SUFFIX = ""
OUTPUT = "folder"
MARKER_FILE = "_README.md"
DESCRIPTION = "Apache Parquet shards (datasets, Spark, DuckDB, Polars): one row per article with its spans and relations"
OPTIONS = ("shard_rows", "split", "seed")
UNAVAILABLE = "needs pyarrow, which is not installed here: pip install 'news-annotator[parquet]'"
FORMAT_VERSION = "1"
DEFAULT_SHARD_ROWS = 50_000
BATCH_ROWS = 1_000
BATCH_CHARS = 64 * 1024 * 1024  # a row group's text stays far below pyarrow's 2 GiB string limit
COMPRESSION = "zstd"

ARTICLE_FIELDS = ("title", "url", "outlet", "published", "language", "status")
_ARTICLE = [ARTICLE_COLUMNS.index(name) for name in ("id", *ARTICLE_FIELDS)]
_SPAN = [ANNOTATION_COLUMNS.index(name) for name in ("id", "start", "end", "label", "annotator", "attributes", "note")]
_RELATION = [RELATION_COLUMNS.index(name) for name in ("id", "head", "tail", "type", "annotator")]


def available() -> bool:
    """Whether pyarrow is installed (found, not imported: cheap)."""
    return find_spec("pyarrow") is not None


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise AnnotatorError(
            "the parquet format needs pyarrow: pip install 'news-annotator[parquet]' (or pip install pyarrow)"
        ) from None
    return pyarrow


def arrow_schema(pa: Any, label_schema_toml: str = "", splits: Splits | None = None) -> Any:
    """The rows' pyarrow schema (see the module docstring), with the export's metadata."""
    string, int32 = pa.string(), pa.int32()
    fields = [pa.field("id", string), *(pa.field(name, string) for name in ARTICLE_FIELDS), pa.field("text", string)]
    fields.append(pa.field("blocks", pa.list_(pa.struct([("kind", string), ("start", int32), ("end", int32)]))))
    fields.append(pa.field("spans", pa.list_(pa.struct([
        ("id", string), ("start", int32), ("end", int32), ("label", string),
        ("annotator", string), ("attributes", string), ("note", string),
    ]))))
    fields.append(pa.field("relations", pa.list_(pa.struct([
        ("id", string), ("head", string), ("tail", string), ("type", string), ("annotator", string),
    ]))))
    fields.append(pa.field("split", string))
    metadata = {
        "news_annotator.format_version": FORMAT_VERSION,
        "news_annotator.offsets": "unicode code points, end exclusive",
        "news_annotator.label_schema": label_schema_toml,
    }
    if splits is not None:
        metadata["news_annotator.split"] = json.dumps({"split": splits.describe(), "seed": splits.seed})
    return pa.schema(fields, metadata=metadata)


def check_options(shard_rows: object = None, split: object = None, seed: object = None) -> tuple[int, Splits]:
    """The options as values, each mistake with its own message."""
    if shard_rows is None:
        rows = DEFAULT_SHARD_ROWS
    else:
        try:
            rows = int(shard_rows)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise ValidationError(f"--shard-rows must be a whole number; got {shard_rows!r}") from None
        if rows < 1:
            raise ValidationError(f"--shard-rows must be at least 1; got {rows}")
    return rows, parse_splits(None if split is None else str(split), DEFAULT_SEED if seed is None else str(seed))


@dataclass
class _Batch:
    """The columns of up to BATCH_ROWS articles, flat lists with list offsets (cheap to turn into Arrow)."""

    articles: list[list[str]] = field(default_factory=lambda: [[] for _ in range(1 + len(ARTICLE_FIELDS))])
    texts: list[str] = field(default_factory=list)
    block_offsets: list[int] = field(default_factory=lambda: [0])
    blocks: list[list[object]] = field(default_factory=lambda: [[], [], []])
    span_offsets: list[int] = field(default_factory=lambda: [0])
    spans: list[list[object]] = field(default_factory=lambda: [[] for _ in _SPAN])
    relation_offsets: list[int] = field(default_factory=lambda: [0])
    relations: list[list[object]] = field(default_factory=lambda: [[] for _ in _RELATION])
    chars: int = 0

    def add(self, row: dict, text: str, blocks: str, spans: list[tuple], relations: list[tuple]) -> None:
        for column, name in zip(self.articles, ("id", *ARTICLE_FIELDS)):
            value = row[name]
            column.append("" if value is None else str(value))
        self.texts.append(text)
        self.chars += len(text)
        parsed = json.loads(blocks)
        if parsed:
            for column, values in zip(self.blocks, zip(*parsed)):
                column.extend(values)
        self.block_offsets.append(len(self.blocks[0]))
        if spans:
            values = list(zip(*spans))  # one tuple per column of the rows
            for column, index in zip(self.spans, _SPAN):
                column.extend(values[index])
        self.span_offsets.append(len(self.spans[0]))
        if relations:
            values = list(zip(*relations))
            for column, index in zip(self.relations, _RELATION):
                column.extend(values[index])
        self.relation_offsets.append(len(self.relations[0]))

    def __len__(self) -> int:
        return len(self.texts)

    def record_batch(self, pa: Any, schema: Any, split: str) -> Any:
        def nested(offsets: list[int], columns: list[list[object]], name: str) -> Any:
            kind = schema.field(name).type
            struct = kind.value_type
            children = [pa.array(values, struct.field(i).type) for i, values in enumerate(columns)]
            values = pa.StructArray.from_arrays(children, fields=list(struct))
            return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values, type=kind)

        arrays = [pa.array(column, pa.string()) for column in self.articles]
        arrays.append(pa.array(self.texts, pa.string()))
        arrays.append(nested(self.block_offsets, self.blocks, "blocks"))
        arrays.append(nested(self.span_offsets, self.spans, "spans"))
        arrays.append(nested(self.relation_offsets, self.relations, "relations"))
        arrays.append(pa.array([split] * len(self), pa.string()))
        return pa.RecordBatch.from_arrays(arrays, schema=schema)


class _SplitWriter:
    """The shards of one split: a ParquetWriter per shard, a new one after `shard_rows` rows."""

    def __init__(self, pa: Any, folder: Path, split: str, schema: Any, shard_rows: int) -> None:
        self.pa, self.folder, self.split, self.schema, self.shard_rows = pa, folder, split, schema, shard_rows
        self.batch = _Batch()
        self.writer: Any = None
        self.in_shard = 0
        self.paths: list[Path] = []
        self.rows = 0

    def add(self, *row: Any) -> None:
        self.batch.add(*row)
        if len(self.batch) >= BATCH_ROWS or self.batch.chars >= BATCH_CHARS or self.in_shard + len(self.batch) >= self.shard_rows:
            self.flush()

    def flush(self) -> None:
        if not len(self.batch):
            return
        if self.writer is None:
            path = self.folder / f".{self.split}-{len(self.paths):05d}.part"
            self.paths.append(path)
            self.writer = self.pa.parquet.ParquetWriter(path, self.schema, compression=COMPRESSION)
        self.writer.write_batch(self.batch.record_batch(self.pa, self.schema, self.split))
        self.in_shard += len(self.batch)
        self.rows += len(self.batch)
        self.batch = _Batch()
        if self.in_shard >= self.shard_rows:
            self.writer.close()
            self.writer, self.in_shard = None, 0

    def close(self) -> list[Path]:
        """Write what is left and name the shards. A split no article fell into gets no file: an
        empty shard would make `datasets.load_dataset` fail ("corresponds to no data")."""
        if len(self.batch):
            self.flush()
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        names = []
        for index, path in enumerate(self.paths):
            final = self.folder / f"{self.split}-{index:05d}-of-{len(self.paths):05d}.parquet"
            os.replace(path, final)
            names.append(final)
        return names


def write(
    store: Store,
    out: Path,
    selection: ExportFilter | None = None,
    *,
    progress: ProgressCallback | None = None,
    shard_rows: object = None,
    split: object = None,
    seed: object = None,
) -> ExportStats:
    """Fill the folder `out` with the shards and _README.md (`export_to_path` makes it appear atomically)."""
    rows_per_shard, splits = check_options(shard_rows, split, seed)
    pa = _pyarrow()
    folder = Path(out)
    schema = arrow_schema(pa, schema_to_toml(store.schema), splits)
    writers = {name: _SplitWriter(pa, folder, name, schema, rows_per_shard) for name in splits.names}
    stats = ExportStats()
    try:
        for row, text, blocks, spans, relations in export_rows(store, selection or ExportFilter(), progress):
            writers[splits.of(row["id"])].add(row, text, blocks, spans, relations)
            stats.articles += 1
            stats.spans += len(spans)
            stats.relations += len(relations)
        shards = {name: writer.close() for name, writer in writers.items()}
    finally:
        for writer in writers.values():
            if writer.writer is not None:
                writer.writer.close()
    for name, writer in writers.items():
        stats.parts.append(f"{name}: {_plural(writer.rows, 'article')} in {_plural(len(shards[name]), 'shard')}")
    (folder / MARKER_FILE).write_text(readme(splits, writers, shards, rows_per_shard), "utf-8")
    return stats


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def readme(splits: Splits, writers: dict[str, _SplitWriter], shards: dict[str, list[Path]], shard_rows: int) -> str:
    """_README.md: what the folder holds and how to read it."""
    lines = [
        f"{FOLDER_MARKER}: a Parquet export (format version {FORMAT_VERSION})",
        "",
        "One row per article: id, title, url, outlet, published, language, status, text, blocks,",
        "spans (id, start, end, label, annotator, attributes as JSON text, note), relations (id, head,",
        "tail, type, annotator) and split. Offsets are Unicode code points, end exclusive:",
        "text[start:end] in Python. See docs/formats.md of News Annotator for the whole schema.",
        "",
        f"Splits ({splits.describe()}, seed {splits.seed!r}; an article's split is decided by a hash",
        f"of the seed and its id, so it keeps its split when articles are added), at most {shard_rows:,} rows a shard:",
        "",
    ]
    lines += [f"- {name}: {_plural(writers[name].rows, 'article')}, {_plural(len(shards[name]), 'file')}" for name in splits.names]
    if any(not shards[name] for name in splits.names):
        lines += ["", "A split without articles has no file (datasets cannot load an empty one)."]
    lines += [
        "",
        "Reading it:",
        "",
        '    datasets.load_dataset("parquet", data_dir="DIR")   # a split per file prefix; dev is "validation"',
        '    pyarrow.dataset.dataset("DIR", format="parquet").to_table()',
        "    duckdb: SELECT * FROM 'DIR/*.parquet'",
        '    polars.scan_parquet("DIR/*.parquet")',
        '    spark.read.parquet("DIR")',
        '    ray.data.read_parquet("DIR")',
        "",
    ]
    return "\n".join(lines)
