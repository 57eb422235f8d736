"""The main window: article list | article view | side panel, with menus, toolbar and status bar.

This module is the window's wiring and its one path for what changed; its other jobs live beside
it, as mixins of the class: the actions, menus and key table (window_actions.py), the editing
intents (editing.py) and what it remembers between sessions (window_state.py). Background work
runs through one `JobRunner` (jobs.py), the find bar is find_bar.py.

**One path for every change.** An edit made here is an operation of the core, which returns the
`Changes` it made; `record` applies them, pushes the undo step and says "Saved". Writes made
anywhere else — the command line, another window, a worker thread, a colleague's merge — reach the
window through the journal (`JournalWatcher`, live.py) as `Changes` too. Both go through
`apply_changes`, which updates the open article (`OpenArticle`, session.py), the view, the side
panel, the article list, review mode and the agreement report from one `ArticleDiff`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .. import settings
from ..errors import AnnotatorError, ProjectLockedError
from ..model import Annotation, Article
from ..settings import PROJECT_SUFFIX
from ..store import Changes, JournalEntry, Store
from .article_list import ArticleList
from .article_view import ArticleView
from .editing import EditingMixin
from .jobs import JobRunner
from .live import JournalWatcher
from .review_mode import ReviewController
from .session import ArticleDiff, OpenArticle
from ..wording import elide, plural
from .file_dialogs import choose_folder, open_file, open_files, save_file
from .file_drop import FileDropMixin
from .guidelines_pane import GuidelinesController
from .search_dock import SearchController
from .panel_scroll import ScrollingPane
from .side_panel import SidePanel
from .suggestions_ui import SuggestionController
from .undo import UndoRunner
from .window_actions import ActionsMixin
from .window_guard import guarded
from .readable_hints import ReadableHintsMixin
from .window_layout import PaneFitMixin, first_size
from .window_state import WindowStateMixin

if TYPE_CHECKING:  # the dialogs, the import worker and what they bring load when first used (start-up time)
    from PySide6.QtWidgets import QMessageBox

    from ..importing import ImportReport
    from ..operations import Done
    from .annotation_import_dialog import AnnotationImportDialog
    from .dialogs import KeyboardHelpDialog
    from .export_dialog import ExportDialog
    from .find_bar import FindBar
    from .import_worker import ImportWorker
    from .link_picker import LinkPicker

LIST_WIDTH = 260
PANEL_WIDTH = 320
STATUS_MESSAGE_MS = 8000
PROJECT_FILTER = f"News Annotator projects (*{PROJECT_SUFFIX});;All files (*)"


class MainWindow(PaneFitMixin, ReadableHintsMixin, ActionsMixin, EditingMixin, WindowStateMixin, FileDropMixin,
                 QMainWindow):
    """One project open in one window."""

    projectChanged = Signal(object)  # the Changes applied (apply_changes), or None: another project loaded

    def __init__(self, store: Store, *, restore_state: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.session: OpenArticle | None = None
        self.selected_id: str | None = None
        self.last_error: str = ""
        self.last_import_report: "ImportReport | None" = None
        self.import_worker: "ImportWorker | None" = None
        self.export_dialog: "ExportDialog | None" = None
        self.annotation_import_dialog: "AnnotationImportDialog | None" = None
        self._message_boxes: list["QMessageBox"] = []
        self._zoom_steps = 0
        self._pending_scroll: tuple[str, int] | None = None
        self.persist = restore_state  # False (screenshots): the user's settings are not touched

        self._readable_hints()
        self.setWindowTitle("News Annotator")
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        self.watcher = JournalWatcher(lambda: self.store, self)
        self.watcher.changed.connect(self._external_changes)
        self.undo_runner = UndoRunner(self.undo_stack, lambda: self.store, self._annotator, self.watcher.own)
        self.jobs = JobRunner(self, self.report_error, self.show_message)
        self._build_widgets()

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_view_keys()
        self._start_fitting_panes(LIST_WIDTH, PANEL_WIDTH)  # the text keeps 60 characters a line (window_layout.py)
        self.review = ReviewController(self)  # review mode, merge, agreement report (review_mode.py)
        self.guidelines = GuidelinesController(self)  # the Guidelines pane and F2 (guidelines_pane.py)
        self.suggestions = SuggestionController(self)  # ghost spans, their keys and the worker (suggestions_ui.py)
        self.search = SearchController(self)  # the Search pane and Ctrl+Shift+F (search_panel.py)

        self.load_project(select_last=True)
        if restore_state:
            self.restore_window_state()
        self._start_remembering_scroll()
        self._update_actions()
        self.watcher.start()

    def _build_widgets(self) -> None:
        self.article_list = ArticleList(self)
        self.article_list.articleActivated.connect(self.open_article)
        self.view = ArticleView(self)
        self.view.setAccessibleName("Article text")
        self.view.annotationClicked.connect(self._view_clicked)
        self.view.boundsDragged.connect(self.change_bounds)  # a dragged handle: one undoable resize
        self._find_bar: "FindBar | None" = None  # built when first opened (Ctrl+F)
        self.side_panel = SidePanel(self)
        self.side_panel.labelClicked.connect(lambda name: self.tag(name))
        self.side_panel.annotationSelected.connect(lambda aid: self.select_annotation(aid))
        self.side_panel.labelChangeRequested.connect(lambda aid, label: self.change_label(aid, label))
        self.side_panel.attributesChangeRequested.connect(lambda aid, values: self.change_attributes(aid, values))
        self.side_panel.noteChangeRequested.connect(lambda aid, note: self.change_note(aid, note))
        self.side_panel.deleteRequested.connect(lambda aid: self.delete_annotation(aid))
        self.side_panel.linkRequested.connect(lambda aid: self.start_link(aid))
        self.side_panel.relationRemoveRequested.connect(lambda rid: self.delete_relation(rid))
        self.side_panel.articleNoteRequested.connect(lambda: self.edit_article_note())
        self.article_list.set_note_search(lambda text: self.store.search_notes(text))
        self._link_picker: "LinkPicker | None" = None  # built when first linking
        self.link_source: str | None = None  # link mode: the annotation being linked
        self.link_targets: dict[str, tuple[str, str, str]] = {}  # target id -> (head, tail, type)
        self.article_note_dialog = None
        self.schema_dialog = None

        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.view, 1)
        self._centre_layout = centre_layout
        self.list_pane = self._pane(self.article_list)
        self.panel_pane = ScrollingPane(self.side_panel)  # scrolls: the window fits 700 px tall
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        for pane in (self.list_pane, centre, self.panel_pane):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setCollapsible(1, False)
        self.splitter.setChildrenCollapsible(True)
        self.splitter.setHandleWidth(6)
        self.setCentralWidget(self.splitter)
        size = first_size(self.screen())
        self.resize(size)
        self.splitter.setSizes([LIST_WIDTH, size.width() - LIST_WIDTH - PANEL_WIDTH, PANEL_WIDTH])
        self.article_info = QLabel("", self)
        self.article_info.setObjectName("articleInfo")
        self.saved_label = QLabel("", self)
        self.saved_label.setObjectName("savedLabel")
        self.statusBar().addPermanentWidget(self.article_info)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.view.selectionSpanChanged.connect(self._selection_changed)
        self.view.setPlaceholderText(
            "No article open. Import articles with File ▸ Import files… (Ctrl+I) or drop files on this window."
        )

    @property
    def find_bar(self) -> "FindBar":
        """The find bar under the article, built when first used (start-up time)."""
        if self._find_bar is None:
            from .find_bar import FindBar

            self._find_bar = FindBar(self.view, self)
            self._find_bar.hide()
            self._centre_layout.addWidget(self._find_bar)
        return self._find_bar

    @property
    def link_picker(self) -> "LinkPicker":
        """The list of link targets shown over the article in link mode, built when first used."""
        if self._link_picker is None:
            from .link_picker import LinkPicker

            self._link_picker = LinkPicker(self)
            self._link_picker.chosen.connect(lambda aid: self.finish_link(aid))
            self._link_picker.cancelled.connect(lambda: self.cancel_link())
        return self._link_picker


    @staticmethod
    def _pane(widget: QWidget) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(widget)
        return pane

    # ======================================================================== the open article

    @property
    def current_article(self) -> Article | None:
        return self.session.article if self.session is not None else None

    @property
    def annotations(self) -> dict[str, Annotation]:
        """The open article's live annotations, by id."""
        return self.session.annotations if self.session is not None else {}

    def annotations_in_order(self) -> list[Annotation]:
        return self.session.in_order() if self.session is not None else []

    @property
    def project_key(self) -> str:
        return str(Path(self.store.path).resolve())

    def _annotator(self) -> str:
        return settings.current().annotator_name()

    def load_project(self, select_last: bool = True) -> None:
        """Fill the window from the store: schema, article list, and the article last open here."""
        schema = self.store.schema
        self.view.set_schema(schema)
        self.side_panel.set_schema(schema)
        self._build_label_actions()
        self.refresh_articles()
        self._update_title()
        if select_last:
            article_id = self._remembered("last_article")
            ids = self.article_list.model.ids()
            if not (isinstance(article_id, str) and article_id in ids):
                article_id = ids[0] if ids else None
            if article_id:
                self.open_article(article_id)
        self.projectChanged.emit(None)

    def refresh_articles(self) -> None:
        self.article_list.set_notes(self.store.article_notes())
        self.article_list.set_articles(self.store.list_articles())
        self.article_list.set_assignments(self.store.analysts_of(), self._annotator())
        if self.current_article is not None:
            self.article_list.select_article(self.current_article.id)
        self._update_actions()

    @guarded
    def switch_project(self, path: Path) -> bool:
        """Open another project in this window; on failure the current one stays open."""
        path = Path(path)
        if path.resolve() == Path(self.store.path).resolve():
            return True
        if self.jobs.busy():
            self.show_message("Wait for the import or merge to finish before switching projects.")
            return False
        new_store = Store.open(path)
        self.save_session()
        old = self.store
        self.watcher.stop()
        self.store = new_store
        self.cancel_link()
        self.undo_stack.clear()
        self._close_article()
        self.load_project(select_last=True)
        old.close()
        self.watcher.start()
        settings.current().remember_project(path)
        self.show_message(f"Opened project {path}" + (" (read-only)" if new_store.readonly else ""))
        return True

    def new_project(self) -> None:
        start = str(Path(self.store.path).parent / f"project{PROJECT_SUFFIX}")
        path = save_file(self, "New project", start, PROJECT_FILTER)
        if path is not None:
            if not path.suffix:
                path = path.with_suffix(PROJECT_SUFFIX)
            self.switch_project(path)

    def open_project(self) -> None:
        path = open_file(self, "Open project", str(Path(self.store.path).parent), PROJECT_FILTER)
        if path is not None:
            self.switch_project(path)

    def _close_article(self) -> None:
        self.session = None
        self.selected_id = None
        self.view.clear_article()
        self.side_panel.clear()
        self.side_panel.set_relations([])
        self.side_panel.set_article_note(None)

    @guarded
    def open_article(self, article_id: str) -> bool:
        if self.current_article is not None and self.current_article.id == article_id:
            self.article_list.select_article(article_id)
            return True
        session = OpenArticle(self.store, article_id)
        self.side_panel.flush_note()
        self.cancel_link()
        self.save_session()
        self.session = session
        self.selected_id = None
        self._draw_article()
        self.article_list.select_article(article_id)
        position = self._scroll_positions().get(article_id)
        self._pending_scroll = None
        if isinstance(position, int) and position > 0:
            self.view.set_scroll_position(position)
            # the layout settles after the window is shown or resized: apply again then
            self._pending_scroll = (article_id, position)
            QTimer.singleShot(0, self._restore_scroll)
        self._remember("last_article", article_id)
        if self._find_bar is not None and self._find_bar.isVisible() and self._find_bar.edit.text():
            self.find_bar.search(restart=True)
        self._update_title()
        self._update_actions()
        self.review.article_opened()
        self.suggestions.article_opened()
        return True

    def _draw_article(self) -> None:
        """Draw the open article whole: text, annotations, relations, note."""
        session = self.session
        assert session is not None
        annotations = list(session.annotations.values())
        relations = list(session.relations.values())
        self.view.set_article(session.article, annotations, self.store.schema)
        self.view.set_relations(relations)
        self.side_panel.set_annotations(annotations)
        self.side_panel.set_relations(relations)
        self.side_panel.set_article_note(session.article.note)

    def _restore_scroll(self) -> None:
        pending, self._pending_scroll = self._pending_scroll, None
        if pending is None or not self.isVisible():
            self._pending_scroll = pending  # showEvent applies it
            return
        article_id, position = pending
        if self.current_article is not None and self.current_article.id == article_id:
            self.view.set_scroll_position(position)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._link_picker is not None and self._link_picker.isVisible():
            self._place_link_picker()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._pending_scroll is not None:
            QTimer.singleShot(0, self._restore_scroll)

    def step_article(self, step: int) -> None:
        current = self.current_article.id if self.current_article else None
        target = self.article_list.neighbour(current, step)
        if target is None:
            self.show_message("This is the last article." if step > 0 else "This is the first article.")
            return
        self.open_article(target)

    # ======================================================================== what changed

    def record(self, done: "Done", undo_text: str, saved: str, *, kind: str = "", subject: str = "") -> None:
        """An edit of this window has committed: show it, make it undoable, say it is saved."""
        if not done.op_id:
            return  # nothing changed
        self.watcher.own(done.op_id)
        self.apply_changes(done.changes)
        self.undo_runner.push(done.op_id, undo_text, kind=kind, subject=subject)
        self.mark_saved(saved)

    def _external_changes(self, changes: Changes, entries: list[JournalEntry]) -> None:
        """Writes of other processes (and of this window's worker threads), read from the journal."""
        for entry in entries:
            self.undo_runner.follow(entry)
        self.apply_changes(changes)
        people = sorted({e.annotator for e in entries})
        self.statusBar().showMessage(
            f"Updated: {len(entries)} change{'s' if len(entries) != 1 else ''} by {', '.join(people)} "
            "made elsewhere", STATUS_MESSAGE_MS)

    def apply_changes(self, changes: Changes, *, follow: bool = False) -> None:
        """The one path of every change: list, open article, view, side panel, review, report.

        `follow` (an undo or redo): when the change is in one other article, open that article.
        """
        if not changes:
            return
        if changes.schema:
            self._schema_changed()
        self._refresh_list_rows(changes)
        session = self.session
        if follow and len(changes.articles) == 1 and (session is None or session.id not in changes.articles):
            target = next(iter(changes.articles))
            if self.store.has_article(target):
                self.open_article(target)
                session = None
        if session is not None:
            diff = session.apply(changes)
            if diff.gone:
                self._close_article()
                ids = self.article_list.model.ids()
                if ids:
                    self.open_article(ids[0])
            elif diff:
                self._show_diff(diff)
        self.review.changes_applied(changes)
        self.suggestions.changes_applied(changes)
        self._update_actions()
        self.projectChanged.emit(changes)

    def _show_diff(self, diff: ArticleDiff) -> None:
        session = self.session
        assert session is not None
        if diff.reload:
            selected, position = self.selected_id, self.view.scroll_position()
            self.selected_id = None
            self._draw_article()
            self.view.set_scroll_position(position)
            self.select_annotation(selected if selected in session.annotations else None)
            return
        for relation_id in diff.relations_removed:
            self.view.remove_relation(relation_id)
            relation = self.side_panel.relations.get(relation_id)
            if relation is not None:
                self.side_panel.relation_removed(relation)
        for annotation_id in diff.removed:
            self.view.remove_annotation(annotation_id)
            self.side_panel.annotation_removed(annotation_id)
            if self.selected_id == annotation_id:
                self.select_annotation(None)
        for annotation in diff.added + diff.updated:
            if annotation in diff.added:
                self.view.add_annotation(annotation)
            else:
                self.view.update_annotation(annotation)
            self.side_panel.annotation_stored(annotation)
        for relation in diff.relations_added:
            self.view.add_relation(relation)
            self.side_panel.relation_stored(relation)
        if diff.article_changed:
            self.side_panel.set_article_note(session.article.note)
        if self.selected_id is not None and any(a.id == self.selected_id for a in diff.updated):
            self.view.set_selected_annotation(self.selected_id)
        self._update_info()

    def _refresh_list_rows(self, changes: Changes) -> None:
        """The article list: counts, statuses and notes of the touched articles; new or removed
        articles (an import, an undone import, a merge) redo the list."""
        ids = changes.articles
        if not ids:
            return
        if changes.assignments:
            self.article_list.set_assignments(self.store.analysts_of(), self._annotator())
        model = self.article_list.model
        known = set(model.ids())
        summaries = {s.id: s for s in self.store.list_articles(ids)}
        if changes.overflow or any(i not in known for i in summaries) or any(i in known and i not in summaries for i in ids):
            self.refresh_articles()
            return
        for article_id, summary in summaries.items():
            self.article_list.update_article(article_id, status=summary.status, annotations=summary.annotations)
            note = self.store.article_row(article_id)["note"]
            if note != self.article_list.model.note(article_id):
                self.article_list.set_note(article_id, note)
        if self.article_list.filter_edit.text().strip():
            self.article_list.refresh_filter()  # a note may match now, or no longer
        if self.current_article is not None:
            self.article_list.select_article(self.current_article.id)

    def _schema_changed(self) -> None:
        """The schema changed: label buttons, hotkeys, colours (the article redraws from its diff)."""
        self.cancel_link()
        schema = self.store.schema
        self.view.set_schema(schema)
        self.side_panel.set_schema(schema)
        self._build_label_actions()

    # ======================================================================== undo

    def undo(self) -> None:
        self.side_panel.flush_note()
        self.cancel_link()
        text = self.undo_stack.undoText()
        changes, error = self.undo_runner.undo()
        self._after_undo(changes, error, f"undo {text}")

    def redo(self) -> None:
        self.cancel_link()
        text = self.undo_stack.redoText()
        changes, error = self.undo_runner.redo()
        self._after_undo(changes, error, f"redo {text}")

    def _after_undo(self, changes: Changes | None, error: AnnotatorError | None, what: str) -> None:
        if error is not None:
            self.report_error(error)
            return
        if changes is None:
            return
        self.apply_changes(changes, follow=True)
        self.mark_saved(what)

    # ======================================================================== selection

    def _view_clicked(self, annotation_id: str) -> None:
        if self.view.selection_span() is not None:
            return  # the click ended a text selection
        if self.link_source is not None:
            self._link_clicked(annotation_id)
            return
        self.select_annotation(annotation_id or None)

    def _selection_changed(self, start: int, end: int) -> None:
        if start < 0 or self.current_article is None:
            return
        keys = ", ".join(f"{label.hotkey} {label.name}" for label in self.store.schema.labels if label.hotkey)
        size = end - start
        self.statusBar().showMessage(
            f"{size} character{'s' if size != 1 else ''} selected — tag with {keys} (Alt+key: exact characters)",
            STATUS_MESSAGE_MS,
        )

    def _update_info(self) -> None:
        article = self.current_article
        if article is None:
            self.article_info.setText("")
            return
        count = len(self.annotations)
        status = {"todo": "to do", "in_progress": "in progress", "done": "done"}.get(article.status, article.status)
        self.article_info.setText(f"{count} annotation{'s' if count != 1 else ''} · {status}")

    def select_annotation(self, annotation_id: str | None) -> None:
        if annotation_id is not None and annotation_id not in self.annotations:
            annotation_id = None
        if self.link_source is not None and annotation_id != self.link_source:
            self.cancel_link()
        self.selected_id = annotation_id
        self.view.set_selected_annotation(annotation_id)  # emphasises it and scrolls it into view
        self.side_panel.select(annotation_id)
        self._update_actions()

    def step_annotation(self, step: int) -> None:
        ordered = self.annotations_in_order()
        if not ordered:
            self.show_message("No annotations in this article yet.")
            return
        ids = [a.id for a in ordered]
        if self.selected_id in ids:
            position = ids.index(self.selected_id) + step
            if not 0 <= position < len(ids):
                self.show_message("No more annotations in this direction.")
                return
        else:
            here = self.view.scroll_position()
            following = [i for i, a in enumerate(ordered) if a.start >= here]
            position = (following[0] if following else len(ids) - 1) if step > 0 else (
                following[0] - 1 if following and following[0] > 0 else len(ids) - 1
            )
        self.select_annotation(ids[position])

    # ======================================================================== view

    def set_list_visible(self, visible: bool) -> None:
        self.list_pane.setVisible(visible)
        if visible and self.splitter.sizes()[0] == 0:
            sizes = self.splitter.sizes()
            self.splitter.setSizes([LIST_WIDTH, max(200, sizes[1] - LIST_WIDTH), sizes[2]])

    def set_panel_visible(self, visible: bool) -> None:
        self.panel_pane.setVisible(visible)
        if visible and self.splitter.sizes()[2] == 0:
            sizes = self.splitter.sizes()
            self.splitter.setSizes([sizes[0], max(200, sizes[1] - PANEL_WIDTH), PANEL_WIDTH])

    def show_find(self) -> None:
        if self.current_article is None:
            self.show_message("Open an article first.")
            return
        self.find_bar.open_bar()

    def show_keyboard_help(self) -> "KeyboardHelpDialog":
        from .dialogs import KeyboardHelpDialog

        dialog = KeyboardHelpDialog(self.shortcut_table(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.keyboard_help = dialog
        return dialog

    # ======================================================================== import and export

    def import_files(self) -> None:
        from .import_worker import file_filter  # the importers' own list of suffixes

        paths = open_files(self, "Import files", str(Path.home()), file_filter())
        if paths:
            self.start_import(paths)

    def import_folder(self) -> None:
        folder = choose_folder(self, "Import folder", str(Path.home()))
        if folder is not None:
            self.start_import([folder])

    def start_import(self, paths: list[Path]) -> "ImportWorker | None":
        """Import in a worker thread with a cancellable progress dialog; the list follows the journal."""
        from .import_worker import ImportWorker

        worker = ImportWorker(Path(self.store.path), paths, annotator=self._annotator())
        count = f"{len(paths)} item{'s' if len(paths) != 1 else ''}"
        if not self.jobs.start(worker, "Import", f"Importing {count}…", self._import_finished, unit="files"):
            return None
        self.import_worker = worker
        return worker

    @property
    def _import_dialog(self):
        return self.jobs.dialog if self.jobs.job is self.import_worker else None

    @guarded
    def _import_finished(self, report: "ImportReport") -> None:
        from .import_worker import failure_message, summary_text

        self.last_import_report = report
        self.watcher.poll()  # the worker's commits: the list and the undo stack follow
        if report.imported:  # what was just imported is what the reader wants to see
            self.open_article(report.imported[0].id)
        self.show_message(summary_text(report))
        if report.failed:
            text, details = failure_message(report)  # the reasons in the text, not behind a button
            self._warning_box("Import finished with problems", text, details).open()

    def export(self) -> "ExportDialog":
        """File ▸ Export…: the export dialog (format, articles, spans, destination), window-modal."""
        from .export_dialog import ExportDialog

        self.side_panel.flush_note()
        current = self.current_article
        dialog = ExportDialog(
            self.store,
            current_article=(current.id, current.title) if current is not None else None,
            selected_ids=self.selected_article_ids(),
            before_export=self.side_panel.flush_note,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.exported.connect(self._exported)
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _exported(self, stats) -> None:
        from .export_summary import not_represented

        message = f"Exported {plural(stats.spans, 'span')} from {plural(stats.articles, 'article')}"
        changed = not_represented(stats)
        if changed:
            message += f" · {changed} not written as they are (see the summary)"
        self.show_message(message)

    def selected_article_ids(self) -> list[str]:
        """The articles selected in the list, in the list's order (the export's "selected" choice)."""
        return self.article_list.selected_article_ids()

    def import_annotation_set(self, path: Path | None = None) -> "AnnotationImportDialog":
        """File ▸ Import annotation set…: the import dialog (file, format, annotator), window-modal."""
        from .annotation_import_dialog import AnnotationImportDialog

        self.side_panel.flush_note()
        dialog = AnnotationImportDialog(self.store, is_busy=self._busy_reason, path=path, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.imported.connect(self._annotation_set_imported)
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))
        self.annotation_import_dialog = dialog
        dialog.open()
        return dialog

    def _annotation_set_imported(self, report) -> None:
        self.watcher.poll()  # the worker's commit: the list, the open article, review mode
        self.show_message(
            f"Imported {report.path.name}: {plural(report.spans.added, 'span')} added, {report.spans.updated} updated"
            + (f", {report.not_imported} not imported (see the summary)" if report.not_imported else "")
        )

    def _busy_reason(self) -> str:
        if self.jobs.busy():
            return "Wait for the import or merge to finish."
        return ""

    def _dialog_closed(self, dialog: QWidget) -> None:
        if self.export_dialog is dialog:
            self.export_dialog = None
        if self.annotation_import_dialog is dialog:
            self.annotation_import_dialog = None

    @guarded
    def export_to(self, path: Path, format_name: str = "jsonl") -> None:
        from PySide6.QtWidgets import QApplication

        from ..formats import export_to_path

        self.side_panel.flush_note()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            stats = export_to_path(self.store, format_name, path)
        finally:
            QApplication.restoreOverrideCursor()
        self.show_message(f"Exported {plural(stats.articles, 'article')}, {plural(stats.spans, 'span')} to {path}")

    # ======================================================================== status and errors

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def mark_saved(self, what: str) -> None:
        import time

        stamp = time.strftime("%H:%M:%S")
        self.saved_label.setText(f"Saved {stamp}")
        self.saved_label.setToolTip("Every edit is written to the project file at once.")
        self.statusBar().showMessage(f"Saved · {what}", STATUS_MESSAGE_MS)

    def _warning_box(self, title: str, text: str, details: str = "") -> "QMessageBox":
        from PySide6.QtWidgets import QMessageBox  # loaded when first needed (start-up time)

        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self._message_boxes = [b for b in self._message_boxes if _alive(b)] + [box]
        return box

    def report_error(self, error: BaseException | str, unexpected: bool = False) -> None:
        """Status bar + a non-blocking message box; the app carries on."""
        if isinstance(error, ProjectLockedError):
            text = f"{error}\n\nAnother program or window is writing to the project. Wait a moment and try again."
            title = "Project busy"
        elif unexpected:
            text = (f"Something went wrong inside News Annotator ({error}).\n\n"
                    "Nothing was lost that was shown as saved. Please report what you were doing.")
            title = "Something went wrong"
        else:
            text = str(error)
            title = "News Annotator"
        self.last_error = str(error)
        self.statusBar().showMessage(f"Not saved: {error}" if not unexpected else text.splitlines()[0], STATUS_MESSAGE_MS * 2)
        box = self._warning_box(title, text)
        box.open()

    def _update_title(self) -> None:
        project = Path(self.store.path).stem + (" (read-only)" if self.store.readonly else "")
        if self.current_article is not None:
            title = elide(self.current_article.title or "(untitled)", 80)
            self.setWindowTitle(f"{title} — {project} — News Annotator")
        else:
            self.setWindowTitle(f"{project} — News Annotator")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.side_panel.flush_note()
        self.watcher.stop()
        self.jobs.shutdown()
        self.review.shutdown()
        self.suggestions.shutdown()
        for dialog in (self.export_dialog, self.annotation_import_dialog):
            if dialog is not None and _alive(dialog):
                dialog.shutdown()  # a cancelled export leaves no file, a cancelled import no change
        self.save_session()
        self.save_window_state()
        super().closeEvent(event)


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
        return True
    except RuntimeError:
        return False
