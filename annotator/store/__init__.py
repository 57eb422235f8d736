"""The project file (SQLite): the only package that runs SQL.

* `Store` (store.py): opening, reads, and `Store.operation()` — the one way to write, which records
  every row's before and after images in the journal (recorder.py, journal.py);
* codecs.py: one row codec per table; migrations.py: the tables, version by version;
* export_query.py: the one query path of every export, with its typed `ExportFilter`;
* colleague.py: reading a colleague's project file without writing to it.
"""

from typing import TYPE_CHECKING

from .changes import Changes
from .journal import UNDO_KINDS, JournalEntry
from .store import Store

if TYPE_CHECKING:
    from .codecs import RowError
    from .colleague import ColleagueProject
    from .connection import BUSY_TIMEOUT_SECONDS
    from .export_query import (
        ExportFilter, ExportItem, ProgressCallback, article_order, export_rows, largest_foreign_id, select_articles,
        span_annotators,
    )
    from .ids import new_id, new_op_id, now
    from .migrations import SCHEMA_VERSION
    from .recorder import Recorder

# The rest loads when first asked for (PEP 562): opening a project and listing its articles need
# neither a colleague's file nor the export query (start-up time, docs/architecture.md).
_LAZY = {
    "RowError": "codecs",
    "ColleagueProject": "colleague",
    "BUSY_TIMEOUT_SECONDS": "connection",
    "ExportFilter": "export_query",
    "ExportItem": "export_query",
    "ProgressCallback": "export_query",
    "article_order": "export_query",
    "export_rows": "export_query",
    "largest_foreign_id": "export_query",
    "select_articles": "export_query",
    "span_annotators": "export_query",
    "new_id": "ids",
    "new_op_id": "ids",
    "now": "ids",
    "SCHEMA_VERSION": "migrations",
    "Recorder": "recorder",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "SCHEMA_VERSION",
    "UNDO_KINDS",
    "Changes",
    "ColleagueProject",
    "ExportFilter",
    "ExportItem",
    "JournalEntry",
    "ProgressCallback",
    "Recorder",
    "RowError",
    "Store",
    "article_order",
    "export_rows",
    "largest_foreign_id",
    "new_id",
    "new_op_id",
    "now",
    "select_articles",
    "span_annotators",
]
