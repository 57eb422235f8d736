"""The project file (SQLite): the only package that runs SQL.

* `Store` (store.py): opening, reads, and `Store.operation()` — the one way to write, which records
  every row's before and after images in the journal (recorder.py, journal.py);
* codecs.py: one row codec per table; migrations.py: the tables, version by version;
* export_query.py: the one query path of every export, with its typed `ExportFilter`;
* colleague.py: reading a colleague's project file without writing to it.
"""

from .changes import Changes
from .codecs import RowError
from .colleague import ColleagueProject
from .connection import BUSY_TIMEOUT_SECONDS
from .export_query import (
    ExportFilter, ExportItem, ProgressCallback, article_order, export_rows, largest_foreign_id, open_suggestion_count,
    select_articles, span_annotators, suggestions_of,
)
from .ids import new_id, new_op_id, now
from .journal import UNDO_KINDS, JournalEntry
from .migrations import SCHEMA_VERSION
from .recorder import Recorder
from .search import SCOPES as SEARCH_SCOPES, SearchHit, SearchResult
from .search_query import SearchQueryError
from .store import Store
from .suggestions import suggested_relation_row, suggestion_row

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
