"""The full-text search of `Store` (a base class of it): the query, and the index a bulk import
leaves behind for the next search to bring up to date (search_index.py says why)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from ..errors import ProjectError
from . import connection, search_index
from .connection import translate

if TYPE_CHECKING:
    from .search import SearchResult


class SearchMethods:
    """Searching a project (`self.conn`, `self.path`, `self.readonly` and `self.transaction` are the store's)."""

    def search(self, query: str, *, scopes: Sequence[str] | None = None, labels: Sequence[str] = (),
               annotators: Sequence[str] = (), limit: int = 50, context: int | None = None) -> SearchResult:
        """Full-text search; `scopes` default to all of search.SCOPES; `context`: code points of
        each hit's snippet either side of it (default search.SNIPPET_CONTEXT)."""
        from . import search as full_text  # with its query parser, loaded when first searching (start-up time)

        self.catch_up_search()
        try:
            return full_text.search(self.conn, self.article_text, query,
                                    scopes=full_text.SCOPES if scopes is None else scopes, labels=labels,
                                    annotators=annotators, limit=limit,
                                    context=full_text.SNIPPET_CONTEXT if context is None else context)
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from None

    @property
    def search_index_behind(self) -> bool:
        """Whether a bulk import left rows for the next search to index (`catch_up_search`)."""
        return search_index.is_behind(self.conn)

    def catch_up_search(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Index what a bulk import left out of the search index (search_index.py), if anything;
        `progress(done, total)` between its steps (an exception from it leaves the index as it was)."""
        if not self.search_index_behind:
            return
        if not self.readonly:
            with self.transaction() as conn:
                search_index.catch_up(conn, progress)
            return
        if not connection.can_write_beside(Path(self.path)):
            raise ProjectError(f"{self.path}: its search index is behind its last big import, and the project "
                               "cannot be written here; open it once where it can be written to search it")
        with type(self).open(self.path) as writer:  # a reading command's store: the index is the project's own
            writer.catch_up_search(progress)

    def rebuild_search_index(self) -> list[str]:
        """Index every title, text, quote and note again (for a file another program wrote); returns
        what was wrong with the index before."""
        problems = search_index.check(self.conn)
        with self.transaction() as conn:
            search_index.rebuild(conn)
        return problems
