"""The import service shared by the CLI and the GUI: files and folders in, articles in the project.

Each file goes through the importer for its kind (`importer_for`) and is stored in its own
transaction, so a bad file leaves no trace and never stops the rest of the batch. Problems with the
project itself (locked, damaged) are not a file's fault: they stop the batch and propagate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import ImportFailed, ProjectError
from .model import Article
from .store import Store

Loader = Callable[[Path], list[Article]]
Progress = Callable[[int, int, Path], None]

SNIFF_BYTES = 512
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

# Documents and media that are certainly not articles in a format we read; refused by name so the
# message says what the file is instead of how its bytes look.
_UNSUPPORTED_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .webp .bmp .tif .tiff .svg .ico .heic .pdf .doc .docx .odt .rtf .epub .xls .xlsx "
    ".ods .ppt .pptx .zip .gz .tgz .bz2 .xz .7z .rar .tar .mp3 .mp4 .m4a .wav .ogg .mov .avi .mkv .webm "
    ".exe .dll .so .dylib .bin .sqlite .db .annotator".split()
)


@dataclass(frozen=True)
class ImporterSpec:
    """One kind of input. `load` is None for kinds that are recognised but not supported yet."""

    name: str
    description: str
    suffixes: tuple[str, ...] = ()
    sniff: Callable[[bytes], bool] | None = None
    load: Loader | None = None


@dataclass
class ImportReport:
    imported: list[Article] = field(default_factory=list)
    duplicates: list[tuple[Path, Article]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed


def _load_text(path: Path) -> list[Article]:
    from .importers.text import import_text_file  # imported on first use: keeps `annotator --help` fast

    return [import_text_file(path)]


def _head(data: bytes) -> bytes:
    for bom in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            break
    return data.lstrip()


def _looks_like_html(data: bytes) -> bool:
    head = _head(data)[:100].lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<!--", b"<article"))


def _looks_like_json(data: bytes) -> bool:
    return _head(data)[:1] in (b"{", b"[")


TEXT = ImporterSpec("text", "plain text (a copied news page)", (".txt", ".text", ".md"), None, _load_text)
HTML = ImporterSpec("html", "HTML page", (".html", ".htm", ".xhtml"), _looks_like_html, None)
JSON = ImporterSpec("json", "article JSON or JSONL", (".json", ".jsonl", ".ndjson"), _looks_like_json, None)

# Checked in order; the text importer is the fallback for anything text-like.
IMPORTERS: list[ImporterSpec] = [HTML, JSON, TEXT]
FALLBACK = TEXT


def register_importer(spec: ImporterSpec) -> None:
    """Add or replace an importer (by name); a later HTML or JSON importer plugs in here."""
    IMPORTERS[:] = [spec if existing.name == spec.name else existing for existing in IMPORTERS]
    if spec not in IMPORTERS:
        IMPORTERS.insert(0, spec)


def importer_for(path: Path) -> Loader:
    """The loader for a file: by suffix first, then by its first bytes; raise ImportFailed if none fits."""
    spec = _spec_for(path)
    if spec.load is None:
        raise ImportFailed(f"{path}: unsupported file type ({spec.description} import is not available yet)")
    return spec.load


def _spec_for(path: Path) -> ImporterSpec:
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED_SUFFIXES:
        raise ImportFailed(f"{path}: unsupported file type ({suffix}); import text files")
    for spec in IMPORTERS:
        if suffix in spec.suffixes:
            return spec
    head = _read_head(path)
    for spec in IMPORTERS:
        if spec.sniff is not None and spec.sniff(head):
            return spec
    # Binary content with an unknown suffix is refused by the text reader, which names what it is.
    return FALLBACK


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return b""  # the importer reports the real problem with its own message


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(".")


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, folders walked recursively in sorted order without hidden files or folders.

    A path that does not exist is passed through so that the import reports it.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        yield folder  # reported as a failure by import_one
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(child)
        elif entry.is_file():
            yield child


def load_file(path: Path) -> list[Article]:
    """Parse one file into articles without touching the project; raise ImportFailed on bad input."""
    if not path.exists():
        raise ImportFailed(f"{path}: no such file or folder")
    if path.is_dir():
        raise ImportFailed(f"{path}: the folder cannot be read")
    articles = importer_for(path)(path)
    if not articles:
        raise ImportFailed(f"{path}: no article found in the file")
    return articles


def import_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders; one transaction per file, failures recorded and skipped.

    `progress(done, total, path)` is called after each file. `is_cancelled()` is checked before each
    file; files already stored stay stored. A ProjectError (locked, damaged) stops the batch.
    """
    files = list(expand_paths(paths))
    report = ImportReport()
    for done, path in enumerate(files, 1):
        if is_cancelled is not None and is_cancelled():
            report.cancelled = True
            break
        _import_one(store, path, report)
        if progress is not None:
            progress(done, len(files), path)
    return report


def _import_one(store: Store, path: Path, report: ImportReport) -> None:
    try:
        articles = load_file(path)
        added = store.add_articles(articles)
    except ImportFailed as exc:
        report.failed.append((path, _without_path(str(exc), path)))
        return
    except ProjectError:
        raise
    except Exception as exc:  # an importer bug must not lose the rest of the batch
        report.failed.append((path, f"could not be imported ({type(exc).__name__}: {exc})"))
        return
    for article, is_new in zip(articles, added):
        if is_new:
            report.imported.append(article)
        else:
            report.duplicates.append((path, article))


def _without_path(message: str, path: Path) -> str:
    """Importers prefix messages with the file name; the report already pairs reason with path."""
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
