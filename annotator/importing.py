"""The import service shared by the CLI and the GUI: files and folders in, articles in the project.

Each file goes through the importer for its kind (`importer_for`: by suffix, or by its first bytes
when the suffix says nothing or hides another kind). A bad file leaves no trace and never stops
the rest of the batch; problems with the project itself (locked, damaged) are not a file's fault:
they stop the batch and propagate.

Many files: parsing (the costly part: HTML extraction) runs in worker processes, one per core,
started with "spawn" so that it is safe from a Qt program's threads (annotator/parse_workers.py);
results come back in the order of the files, with a bounded number in flight, so memory stays flat
however large the folder. Every file that is not plain text has a time limit (`FILE_SECONDS`, or
the `time_limit` argument, or ANNOTATOR_IMPORT_TIME_LIMIT): a file over it is stopped and reported,
and the batch goes on. Only a process can be stopped wherever it is stuck (inside C code no
signal or thread can interrupt), so a single page is parsed in one worker process too. The store writes stay in the calling thread. Files are committed in batches (up to
`BATCH_FILES` files or `BATCH_SECONDS`, and whenever the next result is not ready yet, so the
write lock is not held while waiting), each file inside its own SAVEPOINT: a file that fails to
store rolls back alone, and the cost of a durable commit is shared by the files of a batch.
Cancelling stops after the file at hand and commits what was stored.

The report keeps a small summary per article (`ImportedArticle`), not the articles themselves.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .errors import ImportFailed, ProjectError
from .model import Article
from .parse_workers import Outcome, ParseWorkers

if TYPE_CHECKING:  # the store (sqlite-utils, which may pull in pandas) is not needed by worker processes
    from .store import Recorder, Store

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


@dataclass(frozen=True)
class ImportedArticle:
    """What a report keeps of an imported article: enough to list it, not its text."""

    id: str
    title: str
    path: Path
    outlet: str = ""
    length: int = 0
    kind_counts: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, article: Article, path: Path) -> "ImportedArticle":
        return cls(
            id=article.id,
            title=article.title,
            path=path,
            outlet=article.outlet,
            length=len(article.text),
            kind_counts=dict(Counter(block.kind for block in article.blocks)),
        )


@dataclass
class ImportReport:
    imported: list[ImportedArticle] = field(default_factory=list)
    duplicates: list[tuple[Path, ImportedArticle]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    cancelled: bool = False
    workers: int = 1  # processes that parsed the files (1: parsed in the calling process)

    @property
    def ok(self) -> bool:
        return not self.failed


# -- the importers --------------------------------------------------------------------------------
# Each loader imports its module on first use: keeps `annotator --help` fast.


def _load_text(path: Path) -> list[Article]:
    from .importers.text import import_text_file

    return [import_text_file(path)]


def _load_html(path: Path) -> list[Article]:
    from .importers.html import import_html_file

    return [import_html_file(path)]


def _load_mhtml(path: Path) -> list[Article]:
    from .importers.mhtml import import_mhtml_file

    return [import_mhtml_file(path)]


def _load_json(path: Path) -> list[Article]:
    from .importers.article_json import import_json_file

    return import_json_file(path)


def _head(data: bytes) -> bytes:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16", "ignore").encode("utf-8", "ignore")
    elif data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.lstrip()


def _looks_like_html(data: bytes) -> bool:
    head = _head(data)[:SNIFF_BYTES].lower()
    if head.startswith(b"<?xml"):
        return b"<html" in head or b"<!doctype html" in head
    return head.startswith(
        (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<!--", b"<article", b"<title")
    )


def _looks_like_json(data: bytes) -> bool:
    return _head(data)[:1] in (b"{", b"[")


def _looks_like_mhtml(data: bytes) -> bool:
    head = _head(data)[:SNIFF_BYTES].lower()
    starts = (b"from:", b"mime-version:", b"content-type:", b"date:", b"subject:", b"snapshot-content-location:")
    return head.startswith(starts) and (b"multipart/related" in head or b"text/html" in head)


TEXT = ImporterSpec("text", "plain text (a copied news page)", (".txt", ".text", ".md"), None, _load_text)
HTML = ImporterSpec("html", "HTML page", (".html", ".htm", ".xhtml", ".shtml"), _looks_like_html, _load_html)
MHTML = ImporterSpec("mhtml", "web page saved as one file (MHTML)", (".mhtml", ".mht"), _looks_like_mhtml, _load_mhtml)
JSON = ImporterSpec(
    "json", "article JSON or JSONL", (".json", ".jsonl", ".ndjson", ".jsonlines"), _looks_like_json, _load_json
)

# Checked in order; the text importer is the fallback for anything text-like.
IMPORTERS: list[ImporterSpec] = [MHTML, HTML, JSON, TEXT]
FALLBACK = TEXT
# Content that settles the kind whatever the suffix says: a browser's single-file save named .html,
# a saved page named .txt. Checked before the suffix for files of these kinds.
_SNIFF_FIRST = {"html": ("mhtml",), "text": ("mhtml", "html")}


def readable_suffixes() -> tuple[str, ...]:
    """Every file name suffix an importer reads (lower case, with its dot), in IMPORTERS order: the
    one list the window's file dialog filter is made from."""
    return tuple(suffix for spec in IMPORTERS if spec.load is not None for suffix in spec.suffixes)


def importer_for(path: Path) -> Loader:
    """The loader for a file: by suffix first, then by its first bytes; raise ImportFailed if none fits."""
    spec = _spec_for(path)
    if spec.load is None:
        raise ImportFailed(f"{path}: unsupported file type ({spec.description} import is not available yet)")
    return spec.load


def _spec_for(path: Path) -> ImporterSpec:
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED_SUFFIXES:
        raise ImportFailed(f"{path}: unsupported file type ({suffix}); import text, HTML, MHTML or JSON files")
    by_suffix = next((spec for spec in IMPORTERS if suffix in spec.suffixes), None)
    if by_suffix is not None:
        overriding = _SNIFF_FIRST.get(by_suffix.name, ())
        if overriding:
            head = _read_head(path)
            for spec in IMPORTERS:
                if spec.name in overriding and spec.sniff is not None and _strong_sniff(spec, head):
                    return spec
        return by_suffix
    head = _read_head(path)
    for spec in IMPORTERS:
        if spec.sniff is not None and spec.sniff(head):
            return spec
    # Binary content with an unknown suffix is refused by the text reader, which names what it is.
    return FALLBACK


def _strong_sniff(spec: ImporterSpec, head: bytes) -> bool:
    """Content that overrides a suffix must be unmistakable: a whole HTML document, MIME headers."""
    if spec.name == "html":
        lowered = _head(head)[:SNIFF_BYTES].lower()
        return lowered.startswith(b"<!doctype html") or (lowered.startswith(b"<html") and b"<head" in lowered)
    return spec.sniff is not None and spec.sniff(head)


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return b""  # the importer reports the real problem with its own message


# -- walking folders ------------------------------------------------------------------------------

# A browser's "Web page, complete" saves page.html and a folder page_files/ with its images,
# scripts, styles and frames (some languages name it differently). The folder is not articles.
_SAVED_PAGE_FOLDER_SUFFIXES = ("_files", "-Dateien", "_fichiers", "_archivos", "_arquivos", "_file", "-filer", "_bestanden")
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".mhtml", ".mht")


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, folders walked recursively in sorted order without hidden files or folders.

    A folder `page_files` beside a `page.html` (a browser's complete save) is skipped. A path that
    does not exist is passed through so that the import reports it.
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
    names = {entry.name.lower() for entry in entries}
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            if not _is_saved_page_folder(entry.name, names):
                yield from _walk(child)
        elif entry.is_file():
            yield child


def _is_saved_page_folder(name: str, sibling_names: set[str]) -> bool:
    for suffix in _SAVED_PAGE_FOLDER_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)].lower()
            if any(stem + page_suffix in sibling_names for page_suffix in _PAGE_SUFFIXES):
                return True
    return False


# -- parsing one file -----------------------------------------------------------------------------


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


# Outcome (parse_workers): the articles of one file, or the reason it failed (without the path).


def parse_file(path: Path) -> Outcome:
    """`load_file` that never raises for a bad file: runs in worker processes, so it returns the reason."""
    try:
        return load_file(path)
    except ImportFailed as exc:
        return _without_path(str(exc), path)
    except MemoryError:
        return "could not be imported (out of memory while reading it)"
    except Exception as exc:  # an importer bug must not lose the rest of the batch
        return f"could not be imported ({type(exc).__name__}: {exc})"


# -- the batch ------------------------------------------------------------------------------------

BATCH_FILES = 100
BATCH_SECONDS = 0.5
POOL_MIN_FILES = 8  # fewer files than this (or only .txt files) get one worker: more cost ~1 s to start
WORKERS_ENV = "ANNOTATOR_IMPORT_WORKERS"
FILE_SECONDS = 30.0  # the time limit for parsing one file
TIME_LIMIT_ENV = "ANNOTATOR_IMPORT_TIME_LIMIT"  # seconds; 0 for none


def import_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    annotator: str,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
    time_limit: float | None = None,
) -> ImportReport:
    """Import files and folders; each file all-or-nothing, failures recorded and skipped.

    `progress(done, total, path)` is called after each file. `is_cancelled()` is checked before each
    file is stored (and while waiting for a parse); files already stored stay stored. `workers`:
    processes to parse in (default: one per core for a batch of `POOL_MIN_FILES` or more pages, else
    1; the ANNOTATOR_IMPORT_WORKERS environment variable overrides the default). `time_limit`:
    seconds one file may take to parse (default `FILE_SECONDS` or ANNOTATOR_IMPORT_TIME_LIMIT;
    0 for none). A ProjectError (locked, damaged) stops the batch after committing the files
    stored before it.
    """
    paths = list(paths)
    files = list(expand_paths(paths))
    report = ImportReport()
    cancelled = is_cancelled or (lambda: False)
    batch = _Batch(store, annotator, what=", ".join(str(p) for p in paths[:3]) + (" …" if len(paths) > 3 else ""))
    limit = _time_limit(time_limit)
    outcomes = _outcomes(files, _worker_count(files, workers), report, cancelled, batch.commit, limit)
    done = 0
    try:
        with closing(outcomes):
            for path, outcome in outcomes:
                if cancelled():
                    break
                _store_one(store, batch, path, outcome, report)
                done += 1
                if progress is not None:
                    progress(done, len(files), path)
    except BaseException:
        batch.commit_after_error()
        raise
    batch.commit()
    if done < len(files):
        report.cancelled = True
    return report


def _store_one(store: Store, batch: "_Batch", path: Path, outcome: Outcome, report: ImportReport) -> None:
    if isinstance(outcome, str):
        report.failed.append((path, outcome))
        return
    from .operations.articles import insert_articles

    recorder = batch.begin()
    try:
        with recorder.savepoint():  # this file alone is undone if it cannot be stored
            added = insert_articles(store, recorder, outcome)
    except ProjectError:
        raise
    except Exception as exc:  # noqa: BLE001 - the savepoint rolled this file back; the batch goes on
        report.failed.append((path, f"could not be stored ({exc})"))
        batch.file_done()
        return
    batch.file_done()
    for article, is_new in zip(outcome, added):
        summary = ImportedArticle.of(article, path)
        if is_new:
            report.imported.append(summary)
        else:
            report.duplicates.append((path, summary))


class _Batch:
    """An open operation that groups the files stored since the last commit.

    A large import commits every BATCH_FILES files (or BATCH_SECONDS): each commit is one journal
    entry, and all of them share one batch id, so the whole import is one undo step.
    """

    def __init__(self, store: Store, annotator: str, what: str = "", max_files: int | None = None,
                 max_seconds: float | None = None) -> None:
        from .store import new_op_id

        self.store = store
        self.annotator = annotator
        self.what = what
        self.batch_id = new_op_id()
        self.max_files = BATCH_FILES if max_files is None else max_files
        self.max_seconds = BATCH_SECONDS if max_seconds is None else max_seconds
        self._stack: ExitStack | None = None
        self._recorder: "Recorder | None" = None
        self._files = 0
        self._started = 0.0

    def begin(self) -> "Recorder":
        if self._stack is None:
            stack = ExitStack()
            self._recorder = stack.enter_context(self.store.operation(
                "import", self.annotator, batch_id=self.batch_id, title="import articles",
                summary=f"import articles from {self.what}" if self.what else "import articles"))
            self._stack, self._files, self._started = stack, 0, time.monotonic()
        assert self._recorder is not None
        return self._recorder

    def file_done(self) -> None:
        self._files += 1
        if self._files >= self.max_files or time.monotonic() - self._started >= self.max_seconds:
            self.commit()

    def commit(self) -> None:
        stack, self._stack = self._stack, None
        self._recorder = None
        if stack is not None:
            stack.close()

    def commit_after_error(self) -> None:
        """Keep what was stored before a failure (a bad file never gets here: only project errors)."""
        try:
            self.commit()
        except Exception:  # noqa: BLE001 - the transaction was rolled back; the first error is what matters
            pass


def _time_limit(requested: float | None) -> float | None:
    """Seconds one file may take to parse: ``requested``, else the environment's, else FILE_SECONDS; None for none."""
    if requested is None:
        raw = os.environ.get(TIME_LIMIT_ENV, "").strip()
        try:
            requested = float(raw) if raw else FILE_SECONDS
        except ValueError:
            requested = FILE_SECONDS
    return requested if requested > 0 else None


def _worker_count(files: list[Path], requested: int | None) -> int:
    if requested is None:
        raw = os.environ.get(WORKERS_ENV, "").strip()
        if raw.isdigit():
            requested = int(raw)
        elif getattr(sys, "frozen", False):
            requested = 1  # a frozen app must call multiprocessing.freeze_support() first; stay safe
    heavy = sum(1 for path in files if path.suffix.lower() not in TEXT.suffixes)
    if requested is None:
        requested = (os.cpu_count() or 1) if heavy >= POOL_MIN_FILES else 1
    return max(1, min(requested, len(files)))


def _outcomes(
    files: list[Path],
    workers: int,
    report: ImportReport,
    cancelled: Callable[[], bool],
    idle: Callable[[], None],
    time_limit: float | None,
) -> Iterator[tuple[Path, Outcome]]:
    """(path, outcome) in the order of `files`: parsed by worker processes, or here if that cannot be.

    Worker processes parse whenever there are several workers, or a time limit applies to a file
    that can be slow (anything but plain text): only a process of its own can be stopped wherever
    it is stuck (see parse_workers). Where processes cannot be started, the files are parsed here,
    within the size and element limits of each importer but without a time limit.
    """
    needs_limit = bool(time_limit) and any(path.suffix.lower() not in TEXT.suffixes for path in files)
    if _processes_allowed() and (workers > 1 or needs_limit):
        pool = ParseWorkers(workers, parse_file, time_limit)
        if pool.start(cancelled):
            report.workers = workers
            try:
                yield from pool.outcomes(files, cancelled, idle)
            finally:
                pool.close()
            return
    for path in files:
        if cancelled():
            return
        yield path, parse_file(path)


def _processes_allowed() -> bool:
    # a frozen app must call multiprocessing.freeze_support() first, or a spawned child starts the app again
    return not getattr(sys, "frozen", False)


def _without_path(message: str, path: Path) -> str:
    """Importers prefix messages with the file name; the report already pairs reason with path."""
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
