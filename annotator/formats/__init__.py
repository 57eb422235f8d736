"""Interchange formats: one module per format. `FORMATS` is the registry the CLI and the GUI offer.

Every module has `NAME`, `SUFFIX`, `DESCRIPTION` and
`write(store, out, selection, *, progress=None, **options) -> ExportStats`, where `selection` is the
store's typed `ExportFilter` (the one export query path, `store.export_query`) and `options` the
format's own (`variant`, `offset_units`: `format_options` refuses those a format does not have).
The formats that can hold our data also have `read(path_or_stream, **options)`, yielding
`common.DocumentRecord`s for the importer of annotation sets (annotator/operations/annotation_sets.py).
Optional module attributes:

* `OUTPUT`: "text" (default; `out` is a text stream), "binary" (`out` is a binary stream) or
  "folder" (`out` is the path of a folder to fill);
* `VARIANTS`: the names `write(variant=...)` accepts, the first being the default;
* `OPTIONS`: the names of further keyword options `write` takes (parquet: shard_rows, split, seed);
* `UNITS`: the offset units `write`/`read(offset_units=...)` accept, the first being the default;
* `side_files(store, target) -> {path: text}`: files written beside the export (a labeling config,
  a label list), only when the export goes to a file;
* `available() -> bool` and `UNAVAILABLE`: whether the format can run here (docbin needs spaCy) and,
  when it cannot, why (the export dialog lists it disabled with that reason);
* `count(path, **options) -> int`: how many documents `read` yields, found without parsing the file
  (a progress total for the importer, which otherwise reads the documents before importing them);
* `SUGGESTIONS = True`: the format writes open suggestions when the selection asks for them
  (`ExportFilter.include_suggestions`: jsonl as a `suggestions` list, Label Studio as `predictions`);
  for any other format they are counted as left out (`ExportStats.suggestions_left_out`);
* `SINGLE_LAYER = True`: the format holds one layer of spans (no annotator per span: CoNLL, Hugging
  Face, spaCy's entities, doccano, brat). An export whose selection holds spans of several annotators
  is refused (`layer_problem`, the one message of the command line and the export dialog) unless it
  asks for their union with identical spans merged (`ExportFilter.merge_identical`, `--annotator all`).

A format's module is imported the first time it is used (`format_module`), so starting the CLI or
the window costs none of them. `export_to_path` writes through a temporary file (or folder) beside
the target and renames it into place, so a failed or interrupted export never leaves half a file (or
destroys the previous one); what a killed export left there is removed by the next export to that
place (`remove_leftovers`). `progress(done, total)`, when given, is called with 0 before the first
article and after each article written.
"""

from __future__ import annotations

import importlib
import json
import os
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterator, Mapping, TextIO

from ..errors import AnnotatorError, ImportFailed, ValidationError

if TYPE_CHECKING:
    from ..store import ExportFilter, Store
    from .common import ExportStats

# name -> module (in this package); in the order the export dialog lists them
FORMAT_MODULES: dict[str, str] = {
    "jsonl": "jsonl",
    "prodigy": "prodigy",
    "docbin": "docbin",
    "conll": "conll",
    "hf": "hf",
    "labelstudio": "labelstudio",
    "doccano": "doccano",
    "brat": "brat",
    "w3c": "w3c",
    "csv": "csv",
    "parquet": "parquet",
}
READABLE = ("jsonl", "prodigy", "conll", "labelstudio", "doccano", "brat", "w3c")
FOLDER_MARKER = "# written by News Annotator"


class _Registry(Mapping[str, ModuleType]):
    """{name: module}, importing each module on first access."""

    def __getitem__(self, name: str) -> ModuleType:
        if name not in FORMAT_MODULES:
            raise KeyError(name)
        return importlib.import_module(f"{__name__}.{FORMAT_MODULES[name]}")

    def __iter__(self) -> Iterator[str]:
        return iter(FORMAT_MODULES)

    def __len__(self) -> int:
        return len(FORMAT_MODULES)


FORMATS: Mapping[str, ModuleType] = _Registry()

__all__ = [
    "ExportStats",
    "FORMATS",
    "FORMAT_MODULES",
    "atomic_binary_file",
    "atomic_folder",
    "atomic_text_file",
    "detect_format",
    "export_to_path",
    "export_to_stream",
    "layer_problem",
    "remove_leftovers",
    "format_module",
    "format_options",
    "readable_formats",
]


def __getattr__(name: str) -> object:
    """`ExportStats` (from .common), imported on first use like the formats."""
    if name == "ExportStats":
        from .common import ExportStats

        return ExportStats
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def format_module(name: str) -> ModuleType:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValidationError(f"unknown format {name!r}; available: {', '.join(sorted(FORMATS))}") from None


def readable_formats() -> list[str]:
    return list(READABLE)


def format_options(module: ModuleType, **given: object) -> dict[str, object]:
    """The format-specific options that were given, refused with a clear message where a format has none."""
    options: dict[str, object] = {}
    name = module.NAME
    variant = given.pop("variant", None)
    units = given.pop("offset_units", None)
    for option in getattr(module, "OPTIONS", ()):
        value = given.pop(option, None)
        if value is not None:
            options[option] = value
    given = {key: value for key, value in given.items() if value is not None}
    if given:
        names = ", ".join(f"--{key.replace('_', '-')}" for key in sorted(given))
        raise ValidationError(f"the {name} format has no option {names}")
    if variant is not None:
        variants = getattr(module, "VARIANTS", ())
        if variant not in variants:
            raise ValidationError(
                f"the {name} format has no variant {variant!r}" + (f"; its variants: {', '.join(variants)}" if variants else "")
            )
        options["variant"] = variant
    if units is not None:
        if units not in getattr(module, "UNITS", ()):
            raise ValidationError(f"the {name} format has no choice of offset units; it writes code points or tokens")
        options["offset_units"] = units
    return options


def output_kind(module: ModuleType) -> str:
    return getattr(module, "OUTPUT", "text")


ALL_ANNOTATORS = "all"  # `--annotator all`: every chosen annotator as one layer, identical spans merged


def single_layer(module: ModuleType) -> bool:
    return bool(getattr(module, "SINGLE_LAYER", False))


def layer_problem(store: Store, module: ModuleType, selection: ExportFilter) -> str:
    """Why the selection cannot be written to a format that holds one layer of spans ("" when it can):
    its spans are by several annotators, and their union was not asked for."""
    if not single_layer(module) or selection.merge_identical:
        return ""
    from ..store import span_annotators

    counts = span_annotators(store, selection)
    if len(counts) < 2:
        return ""
    listed = ", ".join(f"{name or '(no name)'} ({n:,} span{'' if n == 1 else 's'})" for name, n in counts.items())
    return (f"the {module.NAME} format holds one layer of spans, and the selection has spans of {len(counts)} "
            f"annotators: {listed}. Choose one annotator (--annotator NAME), or all of them as one layer with "
            f"identical spans merged (--annotator {ALL_ANNOTATORS})")


def _check_layers(store: Store, module: ModuleType, selection: ExportFilter) -> None:
    problem = layer_problem(store, module, selection)
    if problem:
        raise ValidationError(problem)


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file that appears at `path` only when the block finishes without error."""
    with _atomic(path, "w") as handle:
        yield handle  # type: ignore[misc]


@contextmanager
def atomic_binary_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file that appears at `path` only when the block finishes without error."""
    with _atomic(path, "wb") as handle:
        yield handle  # type: ignore[misc]


STALE_SECONDS = 3600  # a temporary file untouched this long is a killed export's, whoever made it


def _temporary_name(path: Path, ending: str = ".tmp") -> Path:
    """`.<name>.<host>-<pid>-<random>.tmp` beside `path`: who writes it, so that a later export can
    tell a killed export's leftover from one still running."""
    return path.parent / f".{path.name}.{_host_tag()}-{os.getpid()}-{os.urandom(4).hex()}{ending}"


def _host_tag() -> str:
    """Six hex digits of this machine's name (a shared folder may hold another machine's exports)."""
    import socket
    import zlib

    return f"{zlib.crc32(socket.gethostname().encode('utf-8', 'replace')) & 0xFFFFFF:06x}"


def remove_leftovers(path: Path) -> list[Path]:
    """Remove what killed exports to `path` left beside it (temporary files and folders, a folder's
    previous version): those of a process of this machine that no longer runs, and any untouched for
    an hour (another machine's, or of an older version that did not name its process). Returns them."""
    import re
    import shutil
    import time

    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(?:([0-9a-f]{{6}})-(\d+)-)?[0-9a-f]{{8}}\.(?:tmp|old)$")
    removed = []
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None:
            continue
        host, pid = match.group(1), match.group(2)
        try:
            stale = time.time() - entry.lstat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if not stale and not (host == _host_tag() and pid is not None and not _running(int(pid))):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL+C there: leave it to the age rule
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it runs
        return True
    return True


@contextmanager
def _atomic(path: Path, mode: str) -> Iterator[object]:
    path = Path(path)
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder; give a file name")
    remove_leftovers(path)
    temporary = _temporary_name(path)
    try:
        # os.open with 0o666 lets the umask decide the final permissions, like a plain open() would.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        if "b" in mode:
            handle = open(fd, mode)
        else:
            handle = open(fd, mode, encoding="utf-8", newline="\n")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(path: Path, marker_file: str) -> Iterator[Path]:
    """A folder that appears at `path` only when the block finishes without error.

    An existing folder is replaced only if it is empty or was written by a previous export (its
    `marker_file` starts with FOLDER_MARKER and it has no subfolders); anything else is refused, so
    an export never destroys other files.
    """
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise AnnotatorError(f"{path}: is a file; the format writes a folder")
        entries = list(path.iterdir())
        marker = path / marker_file
        ours = marker.is_file() and marker.read_text("utf-8", errors="replace").startswith(FOLDER_MARKER)
        if entries and (not ours or any(e.is_dir() for e in entries)):
            raise AnnotatorError(
                f"{path}: the folder exists and holds other files; give a new (or empty) folder"
            )
    folder = path.parent
    if not folder.is_dir():
        raise AnnotatorError(f"{path}: cannot write here (no folder {folder})")
    remove_leftovers(path)
    temporary = _temporary_name(path)
    try:
        temporary.mkdir()
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        yield temporary
        old = None
        if path.exists():
            old = _temporary_name(path, ".old")
            os.replace(path, old)
        os.replace(temporary, path)
        if old is not None:
            import shutil

            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        import shutil

        shutil.rmtree(temporary, ignore_errors=True)
        raise


def export_to_path(
    store: Store,
    format_name: str,
    path: Path,
    selection: ExportFilter | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    **options: object,
):
    """Export to a file (or a folder for folder formats), atomically, with the format's side files.

    `progress(done, total)` is called per article (first with 0); an exception it raises stops the
    export like any other error (nothing is written).
    """
    from ..store import ExportFilter

    module = format_module(format_name)
    options = format_options(module, **options)
    selection = selection or ExportFilter()
    _check_layers(store, module, selection)
    path = Path(path)
    kind = output_kind(module)
    try:
        if kind == "folder":
            with atomic_folder(path, module.MARKER_FILE) as folder:
                stats = module.write(store, folder, selection, progress=progress, **options)
            return _count_left_out(store, module, selection, stats)
        opener = atomic_binary_file if kind == "binary" else atomic_text_file
        with opener(path) as handle:
            stats = module.write(store, handle, selection, progress=progress, **options)
        side_files = getattr(module, "side_files", None)
        if side_files is not None:
            for side_path, content in side_files(store, path).items():
                with atomic_text_file(side_path) as handle:
                    handle.write(content)
                stats.files.append(str(side_path))
        return _count_left_out(store, module, selection, stats)
    except OSError as exc:
        raise AnnotatorError(f"{path}: export failed ({exc.strerror or exc}); no file was written") from None


def export_to_stream(
    store: Store,
    format_name: str,
    out: TextIO,
    selection: ExportFilter | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    **options: object,
):
    """Export a text format to an open stream (standard output), with the checks of `export_to_path`."""
    from ..store import ExportFilter

    module = format_module(format_name)
    options = format_options(module, **options)
    selection = selection or ExportFilter()
    _check_layers(store, module, selection)
    return _count_left_out(store, module, selection, module.write(store, out, selection, progress=progress, **options))


def _count_left_out(store: Store, module: ModuleType, selection: ExportFilter, stats):
    """Suggestions asked for that the format has no place for are counted, never dropped silently."""
    if selection.include_suggestions and not getattr(module, "SUGGESTIONS", False):
        from ..store import open_suggestion_count

        stats.suggestions_left_out = open_suggestion_count(store, selection)
    return stats


# -- recognising a file ---------------------------------------------------------------------------

_BY_SUFFIX = {".ann": "brat", ".conll": "conll", ".iob": "conll", ".bio": "conll", ".iob2": "conll"}
_WRITE_ONLY_SUFFIXES = {".spacy": "docbin", ".csv": "csv"}


def detect_format(path: Path) -> str:
    """The format of an annotation file (or brat folder), from its content and name."""
    path = Path(path)
    if path.is_dir():
        if any(path.glob("*.ann")):
            return "brat"
        raise ImportFailed(f"{path}: a folder without .ann files; only brat exports are folders")
    suffix = path.suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix in _WRITE_ONLY_SUFFIXES:
        return _WRITE_ONLY_SUFFIXES[suffix]
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror or exc})") from None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if not text:
        raise ImportFailed(f"{path}: the file is empty")
    if text.startswith("-DOCSTART-"):
        return "conll"
    if text.startswith("{") and "\n" in text:
        try:  # JSON lines: the first line must be a whole JSON value
            json.loads(text.split("\n", 1)[0])
        except json.JSONDecodeError as exc:
            try:
                json.loads(text)  # or the whole (short) file is one pretty-printed object
            except json.JSONDecodeError:
                raise ImportFailed(f"{path}:1: not valid JSON ({exc.msg} at column {exc.colno})") from None
    first = _first_json_value(text)
    if first is None:
        if "\t" in text.split("\n", 1)[0] or " " in text.split("\n", 1)[0]:
            lines = [line.split() for line in text.splitlines()[:50] if line.strip()]
            if lines and all(len(parts) >= 2 and _looks_like_tag(parts[-1]) for parts in lines[:-1] or lines):
                return "conll"
        raise ImportFailed(
            f"{path}: cannot tell the format from the content; give --format ({', '.join(readable_formats())})"
        )
    name = _json_format(first)
    if name is None:
        raise ImportFailed(
            f"{path}: a JSON file of no known annotation format; give --format ({', '.join(readable_formats())})"
        )
    return name


def _looks_like_tag(tag: str) -> bool:
    return tag == "O" or tag[:2] in ("B-", "I-", "E-", "S-")


def _first_json_value(text: str) -> object:
    decoder = json.JSONDecoder()
    start = 1 if text.startswith("[") else 0
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    try:
        value, _ = decoder.raw_decode(text, start)
    except json.JSONDecodeError:
        if text.startswith("[") or text.startswith("{"):
            line = text.split("\n", 1)[0]
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return {} if text.startswith(("{", "[")) else None
        return None
    return value


def _json_format(value: object) -> str | None:
    if not isinstance(value, dict):
        return None
    if value.get("_format") == FORMATS["jsonl"].FORMAT_TAG:
        return "jsonl"
    if "@context" in value or value.get("type") in ("Annotation", "AnnotationCollection", "AnnotationPage"):
        return "w3c"
    if isinstance(value.get("data"), dict) and any(k in value for k in ("annotations", "completions", "predictions")):
        return "labelstudio"
    if isinstance(value.get("data"), dict):
        return "labelstudio"
    if "ner_tags" in value:
        return "hf"
    spans = value.get("spans") if isinstance(value.get("spans"), list) else None
    if "tokens" in value or "_input_hash" in value or "_task_hash" in value or "_annotator_id" in value:
        return "prodigy"
    if spans is not None and any(isinstance(s, dict) and "token_start" in s for s in spans):
        return "prodigy"
    if spans is not None and ("blocks" in value or "id" in value or any(isinstance(s, dict) and "id" in s for s in spans)):
        return "jsonl"
    if spans is not None:
        return "prodigy"
    if "entities" in value or "label" in value or "labels" in value:
        return "doccano"
    if isinstance(value.get("text"), str) and isinstance(value.get("annotations"), list):
        return "doccano"  # doccano before 1.0: "annotations" with label ids
    return None
