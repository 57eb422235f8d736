"""The project file (SQLite): the only package that runs SQL.

* `Store` (store.py): opening, reads, and `Store.operation()` — the one way to write, which records
  every row's before and after images in the journal (recorder.py, journal.py);
* codecs.py: one row codec per table; migrations.py: the tables, version by version;
* export_query.py: the one query path of every export, with its typed `ExportFilter`;
* colleague.py: reading a colleague's project file without writing to it.
"""

from typing import TYPE_CHECKING

from .changes import Changes
from .store import Store
from .suggestions import suggested_relation_row, suggestion_row

if TYPE_CHECKING:
    from .journal import UNDO_KINDS, JournalEntry
    from .codecs import RowError
    from .colleague import ColleagueProject
    from .connection import BUSY_TIMEOUT_SECONDS
    from .export_query import (
        ExportFilter, ExportItem, ProgressCallback, article_order, export_rows, largest_foreign_id,
        open_suggestion_count, select_articles, span_annotators, suggestions_of,
    )
    from .ids import new_id, new_op_id, now
    from .migrations import SCHEMA_VERSION
    from .recorder import Recorder
    from .search import SCOPES as SEARCH_SCOPES, SearchHit, SearchResult
    from .search_query import SearchQueryError

# The rest loads when first asked for (PEP 562): opening a project and listing its articles need
# neither the journal, a colleague's file nor the export query (start-up time, docs/architecture.md).
_LAZY = {
    "UNDO_KINDS": "journal",
    "JournalEntry": "journal",
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
    "open_suggestion_count": "export_query",
    "suggestions_of": "export_query",
    "SearchHit": "search",
    "SearchResult": "search",
    "SearchQueryError": "search_query",
    "new_id": "ids",
    "new_op_id": "ids",
    "now": "ids",
    "SCHEMA_VERSION": "migrations",
    "Recorder": "recorder",
    "SEARCH_SCOPES": "search",
}
_RENAMED = {"SEARCH_SCOPES": "SCOPES"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), _RENAMED.get(name, name))
    globals()[name] = value
    return value


__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "SCHEMA_VERSION",
    "SEARCH_SCOPES",
    "UNDO_KINDS",
    "Changes",
    "ColleagueProject",
    "ExportFilter",
    "ExportItem",
    "JournalEntry",
    "ProgressCallback",
    "Recorder",
    "RowError",
    "SearchHit",
    "SearchQueryError",
    "SearchResult",
    "Store",
    "article_order",
    "export_rows",
    "largest_foreign_id",
    "new_id",
    "new_op_id",
    "now",
    "open_suggestion_count",
    "select_articles",
    "span_annotators",
    "suggested_relation_row",
    "suggestions_of",
    "suggestion_row",
]
