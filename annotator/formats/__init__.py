"""Interchange formats: one module per format, each with `write(store, out, **filters) -> ExportStats`
(and, from a later issue, `read`). `FORMATS` is the registry the CLI and the GUI offer.

`export_to_path` writes through a temporary file in the target's folder and renames it into place,
so a failed or interrupted export never leaves half a file (or destroys the previous one).
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Iterator, TextIO

from ..errors import AnnotatorError, ValidationError
from ..store import Store
from .common import ExportStats, select_articles
from . import jsonl

FORMATS: dict[str, ModuleType] = {"jsonl": jsonl}

__all__ = ["FORMATS", "ExportStats", "export_to_path", "format_module", "atomic_text_file", "select_articles"]


def format_module(name: str) -> ModuleType:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValidationError(f"unknown format {name!r}; available: {', '.join(sorted(FORMATS))}") from None


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file that appears at `path` only when the block finishes without error."""
    path = Path(path)
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder; give a file name")
    folder = path.parent
    temporary = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        # os.open with 0o666 lets the umask decide the final permissions, like a plain open() would.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def export_to_path(store: Store, format_name: str, path: Path, **filters: object) -> ExportStats:
    module = format_module(format_name)
    try:
        with atomic_text_file(path) as handle:
            return module.write(store, handle, **filters)
    except OSError as exc:
        raise AnnotatorError(f"{path}: export failed ({exc.strerror or exc}); no file was written") from None
