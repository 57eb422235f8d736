"""The Search dock of the main window: its action (Edit ▸ Search the project…, Ctrl+Shift+F), its
place in the window state, and what runs the query again when the project changes.

The pane in it (search_panel.py: the query field, the hit list and its delegate) is built when the
dock is first shown, so a start that does not search creates none of its widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget

from .window_guard import guarded

if TYPE_CHECKING:  # pragma: no cover
    from ..store import SearchHit, SearchResult
    from .main_window import MainWindow
    from .search_panel import SearchPane

REFRESH_MS = 300
DOCK_WIDTH = 420  # docked at a side
DOCK_SHARE = 0.36  # of the window's height, docked at the bottom
DOCK_MIN_HEIGHT = 220


class SearchController(QObject):
    """The Search dock of a main window, its Edit menu entry and Ctrl+Shift+F."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self._pane: "SearchPane | None" = None
        self.dock = QDockWidget("Search", window)
        self.dock.setObjectName("searchDock")  # its place and visibility are kept with the window state
        self.dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
                                  | Qt.DockWidgetArea.BottomDockWidgetArea)
        # At the bottom: the hits are lines of context, and the article keeps its width.
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._dock_visibility)
        self.action = QAction("&Search the project…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setToolTip("Search titles, texts, quotes and notes of every article (Ctrl+Shift+F)")
        self.action.triggered.connect(lambda _checked=False: self.show_search())
        window.addAction(self.action)
        self._install_menu()
        self._stale = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        window.projectChanged.connect(lambda _changes: self.project_changed())

    @property
    def pane(self) -> "SearchPane":
        """The dock's content, built when the dock is first shown (start-up time)."""
        if self._pane is None:
            from .search_panel import SearchPane

            window = self.window
            self._pane = SearchPane(self._search, window)
            self._pane.hitActivated.connect(self.open_hit)
            self.dock.setWidget(self._pane)
            window.side_panel.schemaChanged.connect(lambda schema: self._pane.set_labels(schema.names))
            if window.side_panel.schema is not None:
                self._pane.set_labels(window.side_panel.schema.names)
        return self._pane

    def _search(self, query: str, **options) -> "SearchResult | None":
        """The pane's search; None while a big import's rows are being indexed (in a worker, with the
        window's progress dialog: a minute for 100,000 articles would freeze the window)."""
        store = self.window.store
        if not store.search_index_behind:
            return store.search(query, **options)
        if not self.window.jobs.busy():
            from pathlib import Path

            from .review_workers import StoreTask

            task = StoreTask(Path(store.path), lambda worker, progress: worker.catch_up_search(progress),
                             name="search-index")
            self.window.jobs.start(task, "Search", "Indexing what the last import added for search…",
                                   lambda _result: self._indexed(), unit="steps")
        return None

    def _indexed(self) -> None:
        self.window.show_message("The search index is up to date.")
        self.refresh()

    def _dock_visibility(self, visible: bool) -> None:
        if visible:
            if self._stale:
                self.refresh()
            else:
                self.pane  # noqa: B018 - builds it

    def _install_menu(self) -> None:
        for action in self.window.menuBar().actions():
            menu = action.menu()
            if menu is not None and action.text().replace("&", "") == "Edit":
                actions = menu.actions()
                after = next((i for i, a in enumerate(actions) if a is self.window.find_action), None)
                before = actions[after + 1] if after is not None and after + 1 < len(actions) else None
                menu.insertAction(before, self.action)

    def show_search(self) -> None:
        """Show the pane with the query selected, ready to type over."""
        if self.dock.isHidden() and not self.dock.isFloating():
            self.dock.show()
            if self.window.dockWidgetArea(self.dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
                height = max(DOCK_MIN_HEIGHT, int(self.window.height() * DOCK_SHARE))
                self.window.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)
            else:
                self.window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.dock.show()
        self.dock.raise_()
        self.pane.set_annotators(self.window.store.annotators())
        self.pane.edit.setFocus()
        self.pane.edit.selectAll()

    def project_changed(self) -> None:
        """Run the query again soon (now if hidden: when the pane is shown)."""
        if self._pane is None or not self._pane.query():
            return
        if self.dock.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def report_error(self, exc: BaseException, unexpected: bool = False) -> None:
        """For `guarded`: the window reports it."""
        self.window.report_error(exc, unexpected=unexpected)

    @guarded
    def refresh(self) -> None:
        self._stale = False
        self.pane.set_annotators(self.window.store.annotators())
        self.pane.run()

    @guarded
    def open_hit(self, hit: SearchHit) -> None:
        """Open the hit's article and select the hit (a note hit: its annotation)."""
        window = self.window
        if not window.store.has_article(hit.article):
            window.show_message("That article is no longer in the project.")
            self.refresh()
            return
        window.watcher.poll()  # a hit written elsewhere since the last poll: the window takes it in first
        if not window.open_article(hit.article):
            return
        self._reveal(hit)
        QTimer.singleShot(0, lambda: self._reveal(hit))  # after the open article's own scroll restore

    def _reveal(self, hit: SearchHit) -> None:
        window = self.window
        if window.current_article is None or window.current_article.id != hit.article:
            return
        if hit.in_ == "notes" and hit.annotation in window.annotations:
            window.select_annotation(hit.annotation)
        elif hit.start is not None and hit.end is not None:
            if window.selected_id is not None:
                window.select_annotation(None)
            view = window.view
            view.select_span(hit.start, hit.end)
            view.ensureCursorVisible()
            bar = view.verticalScrollBar()  # the hit in the middle of the view, not at its edge
            bar.setValue(bar.value() + view.cursorRect().center().y() - view.viewport().height() // 2)
        window.view.setFocus()
