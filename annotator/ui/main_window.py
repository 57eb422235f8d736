"""The main window: article list | article view | side panel, with menus, toolbar and status bar.

Every edit goes through an undo command (`commands.py`), which writes to the store first and is
pushed only once the write has committed, so "Saved" in the status bar is always true. The window is
the commands' `EditContext`: it redraws the view, the side panel and the list from what the store
returned.

Where keys work (see also the keyboard help, F1):

* label hotkeys (1, 2, 3; Alt+digit keeps the exact characters), n / p, Delete, B, A (link) and
  the boundary keys are bound to the article view (Qt.WidgetWithChildrenShortcut), so typing in the
  note or an attribute field never tags or deletes anything;

Link mode: with an annotation selected, A (or "Link to…" in its details) lists what it can be
linked to (for a claim, the article's sources) in a small picker over the article and outlines
those spans; Enter in the list or a click on a span stores the relation (one undo step), Esc
cancels.
* menu shortcuts (Ctrl+Z, Ctrl+F, Ctrl+D, Ctrl+PgDown, ...) work anywhere in the window.
"""

from __future__ import annotations

import functools
import time
import traceback
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QByteArray, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
    QTextCursor,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import settings, textspan
from ..errors import AnnotatorError, ProjectLockedError
from ..model import Annotation, Article, Relation
from ..prefill import prefill_attributes
from ..settings import PROJECT_SUFFIX
from ..store import Store
from . import commands
from .article_list import ArticleList
from .article_view import ArticleView
from .dialogs import DRAG_HELP, REVIEW_SHORTCUTS, ArticleNoteDialog, KeyboardHelpDialog, Shortcut, show_about
from .link_picker import LinkPicker
from .schema_dialog import RESERVED_KEYS
from .review_mode import ReviewController
from .side_panel import SidePanel, elide

if TYPE_CHECKING:  # the dialogs, the import worker and what they bring load when first used (start-up time)
    from ..importing import ImportReport
    from .annotation_import_dialog import AnnotationImportDialog
    from .export_dialog import ExportDialog
    from .import_worker import ImportWorker
    from .schema_dialog import SchemaDialog

LIST_WIDTH = 260
PANEL_WIDTH = 320
MAX_REMEMBERED_POSITIONS = 200
STATUS_MESSAGE_MS = 8000
IMPORT_FILTER = "Articles (*.txt *.text *.md *.html *.htm *.json *.jsonl *.ndjson);;All files (*)"
PROJECT_FILTER = f"News Annotator projects (*{PROJECT_SUFFIX});;All files (*)"


def guarded(method: Callable) -> Callable:
    """Run a slot so that a core error becomes a message, never a crash or a half-done action."""

    @functools.wraps(method)
    def wrapper(self: "MainWindow", *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except AnnotatorError as exc:
            self.report_error(exc)
        except Exception as exc:  # a bug: say so, keep the window alive
            traceback.print_exc()
            self.report_error(exc, unexpected=True)
        return None

    return wrapper


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def word_end_after(text: str, pos: int) -> int:
    """End of the next word at or after `pos` (skipping spaces and punctuation first)."""
    i = pos
    while i < len(text) and not _is_word(text[i]):
        i += 1
    while i < len(text) and _is_word(text[i]):
        i += 1
    return i if i > pos else pos


def word_start_before(text: str, pos: int) -> int:
    """Start of the word before `pos` (skipping spaces and punctuation first)."""
    i = pos
    while i > 0 and not _is_word(text[i - 1]):
        i -= 1
    while i > 0 and _is_word(text[i - 1]):
        i -= 1
    return i


def previous_word_end(text: str, pos: int) -> int:
    """Drop the last word before `pos` and the gap before it: the end of the word before that."""
    i = pos
    while i > 0 and not _is_word(text[i - 1]):
        i -= 1
    while i > 0 and _is_word(text[i - 1]):
        i -= 1
    while i > 0 and not _is_word(text[i - 1]):
        i -= 1
    return i


def next_word_start(text: str, pos: int) -> int:
    """Drop the first word at `pos` and the gap after it: the start of the word after that."""
    i = pos
    while i < len(text) and not _is_word(text[i]):
        i += 1
    while i < len(text) and _is_word(text[i]):
        i += 1
    while i < len(text) and not _is_word(text[i]):
        i += 1
    return i


class FindBar(QWidget):
    """Inline find under the article: type, Enter for the next hit, Esc to close."""

    closed = Signal()

    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in article")
        self.edit.setAccessibleName("Find in article")
        self.edit.setClearButtonEnabled(True)
        self.edit.textEdited.connect(lambda _t: self.search(restart=True))
        self.edit.returnPressed.connect(self.next)
        self.case = QCheckBox("Match case", self)
        self.case.toggled.connect(lambda _c: self.search(restart=True))
        self.count = QLabel(self)
        self.count.setMinimumWidth(90)
        self.next_button = QToolButton(self)
        self.next_button.setText("Next")
        self.next_button.setToolTip("Next match (Enter)")
        self.next_button.clicked.connect(self.next)
        self.close_button = QToolButton(self)
        self.close_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.setAccessibleName("Close find bar")
        self.close_button.clicked.connect(self.close_bar)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.case)
        layout.addWidget(self.next_button)
        layout.addWidget(self.close_button)

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        if self.edit.text():
            self.search(restart=True)

    def close_bar(self) -> None:
        self.view.find("")
        self.hide()
        self.view.setFocus()
        self.closed.emit()

    def search(self, restart: bool = False) -> int:
        needle = self.edit.text()
        if restart:
            self.view.find("")
        hits = self.view.find(needle, self.case.isChecked()) if needle else 0
        self._show_count(needle, hits)
        return hits

    def next(self) -> int:
        return self.search(restart=False)

    def _show_count(self, needle: str, hits: int) -> None:
        if not needle:
            self.count.setText("")
        elif hits == 0:
            self.count.setText("no matches")
        else:
            span = self.view.selection_span()
            found = self.view.find_hits()
            position = found.index(span) + 1 if span in found else 0
            self.count.setText(f"{position} of {hits}" if position else f"{hits} matches")


class MainWindow(QMainWindow):
    """One project open in one window."""

    def __init__(self, store: Store, *, restore_state: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.current_article: Article | None = None
        self.annotations: dict[str, Annotation] = {}  # live annotations of the open article
        self.selected_id: str | None = None
        self.last_error: str = ""
        self.last_import_report: ImportReport | None = None
        self.import_worker: ImportWorker | None = None
        self._import_dialog: QProgressDialog | None = None
        self.export_dialog: ExportDialog | None = None  # File ▸ Export… (export_dialog.py)
        self.annotation_import_dialog: AnnotationImportDialog | None = None  # File ▸ Import annotation set…
        self._message_boxes: list[QMessageBox] = []
        self._zoom_steps = 0
        self._pending_scroll: tuple[str, int] | None = None
        self.persist = restore_state  # False (screenshots): the user's settings are not touched

        self.setWindowTitle("News Annotator")
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)

        # widgets
        self.article_list = ArticleList(self)
        self.article_list.articleActivated.connect(self._list_activated)
        self.view = ArticleView(self)
        self.view.setAccessibleName("Article text")
        self.view.annotationClicked.connect(self._view_clicked)
        self.view.boundsDragged.connect(self.change_bounds)  # a dragged handle: one undoable resize
        self.find_bar = FindBar(self.view, self)
        self.find_bar.hide()
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
        self.link_picker = LinkPicker(self)
        self.link_picker.chosen.connect(lambda aid: self.finish_link(aid))
        self.link_picker.cancelled.connect(lambda: self.cancel_link())
        self.link_source: str | None = None  # link mode: the annotation being linked
        self.link_targets: dict[str, tuple[str, str, str]] = {}  # target id -> (head, tail, type)
        self.article_note_dialog: ArticleNoteDialog | None = None
        self.schema_dialog: SchemaDialog | None = None

        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.view, 1)
        centre_layout.addWidget(self.find_bar)

        self.list_pane = self._pane(self.article_list)
        self.panel_pane = self._pane(self.side_panel)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.list_pane)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.panel_pane)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setCollapsible(1, False)
        self.splitter.setChildrenCollapsible(True)
        self.splitter.setHandleWidth(6)
        self.setCentralWidget(self.splitter)
        self.resize(1400, 900)
        self.splitter.setSizes([LIST_WIDTH, 1400 - LIST_WIDTH - PANEL_WIDTH, PANEL_WIDTH])

        # status bar
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

        self._shortcut_rows: list[Shortcut] = []
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_view_keys()
        self.review = ReviewController(self)  # review mode, merge, agreement report (review_mode.py)

        self.load_project(select_last=True)
        if restore_state:
            self.restore_window_state()
        self._update_actions()

    @staticmethod
    def _pane(widget: QWidget) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(widget)
        return pane

    # ======================================================================== actions and menus

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | str | list | None = None,
        *,
        icon: QStyle.StandardPixmap | None = None,
        tip: str = "",
        context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut is not None:
            sequences = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) if not isinstance(s, QKeySequence) else s for s in sequences])
        action.setShortcutContext(context)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(lambda checked: slot(checked))  # type: ignore[call-arg]
        else:
            action.triggered.connect(lambda _checked=False: slot())
        if context == Qt.ShortcutContext.WindowShortcut:
            self.addAction(action)  # works even with the menu bar or toolbar hidden
        return action

    def _build_actions(self) -> None:
        SP = QStyle.StandardPixmap
        view_context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        # File
        self.new_project_action = self._action("&New project…", self.new_project, QKeySequence.StandardKey.New, icon=SP.SP_FileIcon)
        self.open_project_action = self._action(
            "&Open project…", self.open_project, QKeySequence.StandardKey.Open, icon=SP.SP_DirOpenIcon, tip="Open a project file"
        )
        self.import_files_action = self._action(
            "&Import files…", self.import_files, "Ctrl+I", icon=SP.SP_DialogOpenButton, tip="Import article files (or drop them on the window)"
        )
        self.import_folder_action = self._action("Import &folder…", self.import_folder, "Ctrl+Shift+I", icon=SP.SP_DirIcon)
        self.export_action = self._action(
            "&Export…", self.export, "Ctrl+E", icon=SP.SP_DialogSaveButton,
            tip="Export annotations: JSONL, spaCy, CoNLL, Hugging Face, Label Studio, doccano, brat, W3C, CSV",
        )
        self.import_set_action = self._action(
            "Import &annotation set…", self.import_annotation_set,
            tip="Import a colleague's export or another tool's annotations (JSONL, Prodigy, CoNLL, Label Studio, "
            "doccano, brat, W3C)",
        )
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        # Edit
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.undo_action.setIcon(self.style().standardIcon(SP.SP_ArrowBack))
        self.undo_action.triggered.disconnect()  # go through undo_safely (keeps stack and file in step)
        self.undo_action.triggered.connect(lambda _checked=False: self.undo())
        self.addAction(self.undo_action)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setIcon(self.style().standardIcon(SP.SP_ArrowForward))
        self.redo_action.triggered.disconnect()
        self.redo_action.triggered.connect(lambda _checked=False: self.redo())
        self.addAction(self.redo_action)
        self.delete_action = self._action(
            "&Delete annotation",
            self.delete_selected,
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)],
            icon=SP.SP_TrashIcon,
            tip="Delete the selected annotation",
            context=view_context,
        )
        self.find_action = self._action("&Find…", self.show_find, QKeySequence.StandardKey.Find, icon=SP.SP_FileDialogContentsView)
        self.schema_action = self._action(
            "Label &schema…", self.edit_schema, tip="Add, rename, recolour or remove labels and their attributes"
        )
        # View
        self.zoom_in_action = self._action("Zoom &in", lambda: self.zoom(1), [QKeySequence.StandardKey.ZoomIn, "Ctrl+="])
        self.zoom_out_action = self._action("Zoom &out", lambda: self.zoom(-1), QKeySequence.StandardKey.ZoomOut)
        self.reset_zoom_action = self._action("&Reset zoom", lambda: self.zoom(0), "Ctrl+0")
        self.toggle_list_action = self._action("Article &list", self.set_list_visible, "Ctrl+Shift+L", checkable=True)
        self.toggle_panel_action = self._action("&Side panel", self.set_panel_visible, "Ctrl+Shift+P", checkable=True)
        self.toggle_list_action.setChecked(True)
        self.toggle_panel_action.setChecked(True)
        # Article
        self.done_action = self._action(
            "Mark &done", self.toggle_done, "Ctrl+D", icon=SP.SP_DialogApplyButton, tip="Mark the article done (again: in progress)"
        )
        self.article_note_action = self._action(
            "Article &note…", self.edit_article_note, "Ctrl+Shift+N", tip="A note on the article as a whole"
        )
        self.link_action = self._action(
            "&Link to…", lambda: self.start_link(), "A", context=view_context,
            tip="Link the selected annotation, e.g. a claim to its source",
        )
        self.next_annotation_action = self._action("Ne&xt annotation", lambda: self.step_annotation(1), "N", context=view_context)
        self.previous_annotation_action = self._action("Pre&vious annotation", lambda: self.step_annotation(-1), "P", context=view_context)
        self.next_article_action = self._action(
            "&Next article", lambda: self.step_article(1), "Ctrl+PgDown", icon=SP.SP_MediaSeekForward, tip="Open the next article in the list"
        )
        self.previous_article_action = self._action(
            "&Previous article", lambda: self.step_article(-1), "Ctrl+PgUp", icon=SP.SP_MediaSeekBackward, tip="Open the previous article in the list"
        )
        self.set_bounds_action = self._action(
            "Set &bounds to selection", lambda: self.set_bounds_to_selection(False), "B", context=view_context
        )
        self.extend_end_action = self._action("Extend end by a word", lambda: self.adjust_bounds("end", 1), "Ctrl+Shift+Right", context=view_context)
        self.shrink_end_action = self._action("Shrink end by a word", lambda: self.adjust_bounds("end", -1), "Ctrl+Shift+Left", context=view_context)
        self.extend_start_action = self._action(
            "Extend start by a word", lambda: self.adjust_bounds("start", -1), ["Ctrl+Alt+Left", "Alt+Shift+Left"], context=view_context
        )
        self.shrink_start_action = self._action(
            "Shrink start by a word", lambda: self.adjust_bounds("start", 1), ["Ctrl+Alt+Right", "Alt+Shift+Right"], context=view_context
        )
        # Help
        self.keys_action = self._action("&Keyboard shortcuts", self.show_keyboard_help, QKeySequence.StandardKey.HelpContents)
        self.about_action = self._action("&About News Annotator", lambda: show_about(self))
        self.label_actions: dict[str, QAction] = {}
        self.exact_label_actions: dict[str, QAction] = {}

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_project_action)
        file_menu.addAction(self.open_project_action)
        self.recent_menu = file_menu.addMenu("&Recent projects")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        file_menu.addSeparator()
        file_menu.addAction(self.import_files_action)
        file_menu.addAction(self.import_folder_action)
        file_menu.addAction(self.import_set_action)  # review_mode.py then adds no second entry
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.delete_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.schema_action)

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.zoom_in_action)
        view_menu.addAction(self.zoom_out_action)
        view_menu.addAction(self.reset_zoom_action)
        view_menu.addSeparator()
        view_menu.addAction(self.toggle_list_action)
        view_menu.addAction(self.toggle_panel_action)

        self.article_menu = bar.addMenu("&Article")
        self.tag_menu = self.article_menu.addMenu("&Tag selection as")
        self.article_menu.addAction(self.done_action)
        self.article_menu.addAction(self.article_note_action)
        self.article_menu.addAction(self.link_action)
        self.article_menu.addSeparator()
        self.article_menu.addAction(self.next_annotation_action)
        self.article_menu.addAction(self.previous_annotation_action)
        self.bounds_menu = self.article_menu.addMenu("Annotation &bounds")
        for action in (
            self.set_bounds_action,
            self.extend_end_action,
            self.shrink_end_action,
            self.extend_start_action,
            self.shrink_start_action,
        ):
            self.bounds_menu.addAction(action)
        self.article_menu.addSeparator()
        self.article_menu.addAction(self.next_article_action)
        self.article_menu.addAction(self.previous_article_action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.keys_action)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(16, 16))
        self.import_files_action.setIconText("Import")
        self.undo_action.setIconText("Undo")
        self.redo_action.setIconText("Redo")
        self.delete_action.setIconText("Delete")
        self.find_action.setIconText("Find")
        self.done_action.setIconText("Done")
        self.previous_article_action.setIconText("Previous")
        self.next_article_action.setIconText("Next")
        for action in (self.import_files_action, None, self.undo_action, self.redo_action, None,
                       self.delete_action, self.find_action, None, self.previous_article_action,
                       self.next_article_action, self.done_action):
            if action is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(action)
        self.toolbar = toolbar

    def _build_view_keys(self) -> None:
        """Keys that only make sense in the article: bound to the view so text fields are unaffected."""
        for action in (
            self.delete_action,
            self.link_action,
            self.next_annotation_action,
            self.previous_annotation_action,
            self.set_bounds_action,
            self.extend_end_action,
            self.shrink_end_action,
            self.extend_start_action,
            self.shrink_start_action,
        ):
            self.view.addAction(action)
        self.side_panel.tree.addAction(self.delete_action)
        for action in (self.next_annotation_action, self.previous_annotation_action, self.link_action):
            self.side_panel.tree.addAction(action)
        self.exact_bounds_shortcut = QShortcut(QKeySequence("Alt+B"), self.view)
        self.exact_bounds_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.exact_bounds_shortcut.activated.connect(lambda: self.set_bounds_to_selection(True))
        self.deselect_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.view)
        self.deselect_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.deselect_shortcut.activated.connect(self.escape)

    def _build_label_actions(self) -> None:
        """One action per label (hotkey), and one with Alt for exact characters; rebuilt per schema."""
        for action in list(self.label_actions.values()) + list(self.exact_label_actions.values()):
            self.view.removeAction(action)
            self.side_panel.tree.removeAction(action)
            action.deleteLater()
        self.label_actions, self.exact_label_actions = {}, {}
        self.tag_menu.clear()
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for label in self.store.schema.labels:
            action = QAction(f"{label.name}", self)
            action.setShortcutContext(context)
            exact = QAction(f"{label.name} (exact characters)", self)
            exact.setShortcutContext(context)
            if label.hotkey and label.hotkey.upper() in RESERVED_KEYS:
                self.show_message(
                    f"{label.name}'s hotkey {label.hotkey} is the key for {RESERVED_KEYS[label.hotkey.upper()]}; "
                    "choose another in Edit ▸ Label schema…"
                )
            elif label.hotkey:
                action.setShortcut(QKeySequence(label.hotkey))
                exact.setShortcut(QKeySequence(f"Alt+{label.hotkey}"))
            action.setToolTip(label.description or label.name)
            action.triggered.connect(lambda _c=False, name=label.name: self.tag(name))
            exact.triggered.connect(lambda _c=False, name=label.name: self.tag(name, exact=True))
            self.view.addAction(action)
            self.view.addAction(exact)
            self.side_panel.tree.addAction(action)  # relabel the row just clicked (no text fields there)
            self.tag_menu.addAction(action)
            self.tag_menu.addAction(exact)
            self.label_actions[label.name] = action
            self.exact_label_actions[label.name] = exact
        if getattr(self, "review", None) is not None:
            self.review.sync_actions()  # review mode keeps the label hotkeys off

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        current = str(Path(self.store.path).resolve())
        recent = [p for p in settings.recent_projects() if p != current]
        for number, path in enumerate(recent[:9], 1):
            action = self.recent_menu.addAction(f"&{number} {Path(path).name} — {Path(path).parent}")
            action.triggered.connect(lambda _c=False, p=path: self.switch_project(Path(p)))
        if not recent:
            empty = self.recent_menu.addAction("No other recent projects")
            empty.setEnabled(False)

    # ======================================================================== project

    @property
    def project_key(self) -> str:
        return str(Path(self.store.path).resolve())

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

    def refresh_articles(self) -> None:
        self.article_list.set_notes(self.store.article_notes())
        self.article_list.set_articles(self.store.list_articles())
        if self.current_article is not None:
            self.article_list.select_article(self.current_article.id)
        self._update_actions()

    @guarded
    def switch_project(self, path: Path) -> bool:
        """Open another project in this window; on failure the current one stays open."""
        path = Path(path)
        if path.resolve() == Path(self.store.path).resolve():
            return True
        if self.import_worker is not None and self.import_worker.is_running():
            self.show_message("Wait for the import to finish before switching projects.")
            return False
        new_store = Store.open(path)
        self.save_session()
        old = self.store
        self.store = new_store
        self.cancel_link()
        self.undo_stack.clear()
        self.current_article = None
        self.annotations = {}
        self.selected_id = None
        self.view.clear_article()
        self.side_panel.clear()
        self.side_panel.set_relations([])
        self.side_panel.set_article_note(None)
        self.load_project(select_last=True)
        old.close()
        settings.remember_project(path)
        self.show_message(f"Opened project {path}")
        return True

    def new_project(self) -> None:
        start = str(Path(self.store.path).parent / f"project{PROJECT_SUFFIX}")
        name, _ = QFileDialog.getSaveFileName(self, "New project", start, PROJECT_FILTER)
        if name:
            path = Path(name)
            if not path.suffix:
                path = path.with_suffix(PROJECT_SUFFIX)
            self.switch_project(path)

    def open_project(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open project", str(Path(self.store.path).parent), PROJECT_FILTER)
        if name:
            self.switch_project(Path(name))

    # ======================================================================== articles

    def _list_activated(self, article_id: str) -> None:
        self.open_article(article_id)

    @guarded
    def open_article(self, article_id: str) -> bool:
        if self.current_article is not None and self.current_article.id == article_id:
            self.article_list.select_article(article_id)
            return True
        article = self.store.get_article(article_id)
        annotations = self.store.annotations_for(article_id)
        relations = self.store.relations_for(article_id)
        self.side_panel.flush_note()
        self.cancel_link()
        self.save_session()
        self.current_article = article
        self.annotations = {a.id: a for a in annotations}
        self.selected_id = None
        self.view.set_article(article, annotations, self.store.schema)
        self.view.set_relations(relations)
        self.side_panel.set_annotations(annotations)
        self.side_panel.set_relations(relations)
        self.side_panel.set_article_note(article.note)
        self.article_list.select_article(article_id)
        position = self._scroll_positions().get(article_id)
        self._pending_scroll = None
        if isinstance(position, int) and position > 0:
            self.view.set_scroll_position(position)
            # the layout settles after the window is shown or resized: apply again then
            self._pending_scroll = (article_id, position)
            QTimer.singleShot(0, self._restore_scroll)
        self._remember("last_article", article_id)
        if self.find_bar.isVisible() and self.find_bar.edit.text():
            self.find_bar.search(restart=True)
        self._update_title()
        self._update_actions()
        self.review.article_opened()
        return True

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
        if self.link_picker.isVisible():
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

    @guarded
    def toggle_done(self) -> None:
        article = self.current_article
        if article is None:
            self.show_message("Open an article first.")
            return
        after = "in_progress" if article.status == "done" else "done"
        command = commands.SetStatus(self, article.id, article.status, after)
        commands.push(self.undo_stack, command)
        self.mark_saved(f"marked {after.replace('_', ' ')}")

    # ======================================================================== tagging and editing

    def _annotator(self) -> str:
        return settings.annotator_name()

    @guarded
    def tag(self, label: str, exact: bool = False) -> Annotation | None:
        """Tag the selected text with `label` (snapped to words unless `exact`); relabel if no text is selected."""
        article = self.current_article
        if article is None:
            self.show_message("Open an article first.")
            return None
        span = self.view.selection_span()
        if span is None:
            if self.selected_id is not None:
                self.change_label(self.selected_id, label)
                return None
            self.show_message("Select some text first, then press a label's key.")
            return None
        snap = textspan.snap_to_graphemes if exact else textspan.snap_to_words
        start, end = snap(article.text, *span)
        if start >= end:
            self.show_message("The selection has no text to tag.")
            return None
        for existing in self.annotations.values():
            if (existing.start, existing.end, existing.label) == (start, end, label):
                self._clear_text_selection()
                self.select_annotation(existing.id)
                self.show_message(f"Already tagged {label} here.")
                return existing
        attributes = prefill_attributes(self.store.schema, article, start, end, label, {})  # e.g. a photo credit
        command = commands.AddAnnotation(
            self, article.id, start, end, label, annotator=self._annotator(), attributes=attributes
        )
        commands.push(self.undo_stack, command)
        annotation = command.annotation
        assert annotation is not None
        self._clear_text_selection()
        self.select_annotation(annotation.id)
        self.mark_saved(f"tag {label} '{elide(annotation.quote, 40)}'")
        return annotation

    def _clear_text_selection(self) -> None:
        cursor = self.view.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.view.setTextCursor(cursor)

    def _annotation(self, annotation_id: str | None) -> Annotation | None:
        return self.annotations.get(annotation_id) if annotation_id else None

    @guarded
    def delete_selected(self) -> None:
        if self.selected_id is None:
            self.show_message("Select an annotation first (click a highlight, or n / p).")
            return
        self.delete_annotation(self.selected_id)

    @guarded
    def delete_annotation(self, annotation_id: str) -> None:
        annotation = self._annotation(annotation_id)
        if annotation is None:
            return
        commands.push(self.undo_stack, commands.DeleteAnnotation(self, annotation))
        self.mark_saved(f"delete {annotation.label} '{elide(annotation.quote, 40)}'")

    @guarded
    def change_label(self, annotation_id: str, label: str) -> None:
        annotation = self._annotation(annotation_id)
        if annotation is None or annotation.label == label:
            return
        commands.push(self.undo_stack, commands.ChangeLabel(self, annotation, label))
        self.mark_saved(f"relabel {annotation.label} → {label}")

    @guarded
    def change_attributes(self, annotation_id: str, values: dict) -> None:
        annotation = self._annotation(annotation_id)
        if annotation is None or dict(values) == annotation.attributes:
            return
        commands.push(self.undo_stack, commands.ChangeAttributes(self, annotation, dict(values)))
        self.mark_saved(f"{annotation.label} attributes")

    @guarded
    def change_note(self, annotation_id: str, note: str) -> None:
        annotation = self._annotation(annotation_id)
        if annotation is None or annotation.note == note:
            return
        commands.push(self.undo_stack, commands.ChangeNote(self, annotation, note))
        self.mark_saved(f"{annotation.label} note")

    @guarded
    def change_bounds(self, annotation_id: str, start: int, end: int) -> None:
        annotation = self._annotation(annotation_id)
        if annotation is None or (annotation.start, annotation.end) == (start, end):
            return
        commands.push(self.undo_stack, commands.ChangeBounds(self, annotation, start, end))
        self.mark_saved(f"resize {annotation.label} '{elide(self.annotations[annotation_id].quote, 40)}'")

    def adjust_bounds(self, edge: str, direction: int) -> None:
        """Move the selected annotation's start or end by one word; without one, extend the text selection."""
        annotation = self._annotation(self.selected_id)
        if annotation is None or self.current_article is None:
            self._move_text_selection(edge, direction)
            return
        text = self.current_article.text
        start, end = annotation.start, annotation.end
        if edge == "end":
            end = word_end_after(text, end) if direction > 0 else previous_word_end(text, end)
        else:
            start = word_start_before(text, start) if direction < 0 else next_word_start(text, start)
        if end <= start:
            self.show_message("The annotation cannot get any shorter.")
            return
        self.change_bounds(annotation.id, start, end)

    def _move_text_selection(self, edge: str, direction: int) -> None:
        if edge != "end":
            self.show_message("Select an annotation to move its start.")
            return
        cursor = self.view.textCursor()
        move = QTextCursor.MoveOperation.NextWord if direction > 0 else QTextCursor.MoveOperation.PreviousWord
        cursor.movePosition(move, QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cursor)

    def set_bounds_to_selection(self, exact: bool = False) -> None:
        annotation = self._annotation(self.selected_id)
        span = self.view.selection_span()
        if annotation is None or span is None or self.current_article is None:
            self.show_message("Select an annotation, then select its new text and press B.")
            return
        snap = textspan.snap_to_graphemes if exact else textspan.snap_to_words
        start, end = snap(self.current_article.text, *span)
        if start < end:
            self.change_bounds(annotation.id, start, end)
            self._clear_text_selection()

    # ======================================================================== links (relations)

    def link_candidates(self, source: Annotation) -> list[tuple[Annotation, str, str, str]]:
        """What `source` can be linked to: (other annotation, head id, tail id, relation type).

        Relation types with `source`'s label at the head come first (a claim: its sources); only
        when its label is never a head are the reverse types offered (a source: the claims it can
        be the source of). Pairs already linked with that type are left out.
        """
        schema = self.store.schema
        fits = lambda ends, label: not ends or label in ends  # noqa: E731
        linked = {(r.head, r.tail, r.type) for r in self.side_panel.relations.values()}
        forward = [t for t in schema.relations if fits(t.head, source.label)]
        found: list[tuple[Annotation, str, str, str]] = []
        for other in self.annotations_in_order():
            if other.id == source.id:
                continue
            if forward:
                for kind in forward:
                    if fits(kind.tail, other.label) and (source.id, other.id, kind.name) not in linked:
                        found.append((other, source.id, other.id, kind.name))
                        break
            else:
                for kind in schema.relations:
                    if fits(kind.head, other.label) and fits(kind.tail, source.label) and (other.id, source.id, kind.name) not in linked:
                        found.append((other, other.id, source.id, kind.name))
                        break
        return found

    @guarded
    def start_link(self, annotation_id: str | None = None) -> bool:
        """Link mode for the selected annotation (or `annotation_id`): the picker and outlined targets."""
        if annotation_id is not None and annotation_id != self.selected_id:
            self.select_annotation(annotation_id)
        source = self._annotation(self.selected_id)
        if source is None:
            self.show_message("Select an annotation first (click a highlight), then press A to link it.")
            return False
        candidates = self.link_candidates(source)
        if not candidates:
            kinds = [t for t in self.store.schema.relations if not t.head or source.label in t.head]
            wanted = " or ".join(sorted({label for t in kinds for label in t.tail})) if kinds else ""
            if wanted:
                self.show_message(f"Nothing to link this {source.label} to: tag a {wanted} in this article first.")
            else:
                self.show_message(f"Nothing in this article can be linked to this {source.label}.")
            return False
        self.link_source = source.id
        self.link_targets = {other.id: (head, tail, kind) for other, head, tail, kind in candidates}
        self.view.set_link_mode(source.id, set(self.link_targets))
        nearest = min(candidates, key=lambda c: abs(c[0].start - source.start))[0].id
        self.link_picker.show_targets(source, [(c[0], c[3]) for c in candidates], self.store.schema, nearest)
        self._place_link_picker()
        self.link_picker.show()
        self.link_picker.raise_()
        self.link_picker.list.setFocus()
        names = " or ".join(sorted({c[0].label for c in candidates}))
        self.statusBar().showMessage(
            f"Link this {source.label}: click a {names} in the text, or choose one in the list (Enter). Esc cancels.",
            STATUS_MESSAGE_MS * 3,
        )
        return True

    def _place_link_picker(self) -> None:
        corner = self.view.mapTo(self, QPoint(self.view.width(), 0))
        self.link_picker.adjustSize()
        self.link_picker.move(max(0, corner.x() - self.link_picker.width() - 28), corner.y() + 12)

    def cancel_link(self, message: str = "") -> None:
        if self.link_source is None:
            return
        self.link_source = None
        self.link_targets = {}
        self.view.set_link_mode(None)
        had_focus = self.link_picker.isAncestorOf(QApplication.focusWidget()) if QApplication.focusWidget() else False
        self.link_picker.hide()
        if had_focus:
            self.view.setFocus()
        if message:
            self.show_message(message)

    def _link_clicked(self, annotation_id: str) -> None:
        if not annotation_id:
            self.cancel_link("Linking cancelled.")
            return
        if annotation_id == self.link_source:
            return
        if annotation_id not in self.link_targets:
            other = self._annotation(annotation_id)
            what = other.label if other is not None else "annotation"
            self.show_message(f"This {what} cannot be linked here; click an outlined span, or Esc to cancel.")
            return
        self.finish_link(annotation_id)

    @guarded
    def finish_link(self, target_id: str) -> Relation | None:
        """Store the relation between the link source and `target_id` (one undo step)."""
        source_id = self.link_source
        target = self.link_targets.get(target_id)
        if source_id is None or target is None:
            return None
        head, tail, kind = target
        self.cancel_link()
        command = commands.AddRelation(self, head, tail, kind, annotator=self._annotator())
        commands.push(self.undo_stack, command)
        self.select_annotation(source_id)
        self.view.setFocus()
        self.mark_saved(f"link {kind.replace('_', ' ')}")
        return command.relation

    @guarded
    def delete_relation(self, relation_id: str) -> None:
        relation = self.side_panel.relations.get(relation_id)
        if relation is None:
            return
        commands.push(self.undo_stack, commands.DeleteRelation(self, relation))
        self.mark_saved(f"unlink {relation.type.replace('_', ' ')}")

    def escape(self) -> None:
        """Esc in the article: leave link mode, else deselect the annotation."""
        if self.link_source is not None:
            self.cancel_link("Linking cancelled.")
        else:
            self.select_annotation(None)

    # ======================================================================== notes and schema

    def edit_article_note(self) -> ArticleNoteDialog | None:
        """Open the article note editor; OK stores the note as one undo step."""
        article = self.current_article
        if article is None:
            self.show_message("Open an article first.")
            return None
        dialog = ArticleNoteDialog(article.title or "(untitled)", article.note, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_article_note(article.id, dialog.text()))
        dialog.open()
        self.article_note_dialog = dialog
        return dialog

    @guarded
    def set_article_note(self, article_id: str, note: str) -> None:
        before = self.store.get_article(article_id).note
        if note == before:
            return
        commands.push(self.undo_stack, commands.SetArticleNote(self, article_id, before, note))
        self.mark_saved("article note" if note else "article note removed")

    def edit_schema(self) -> SchemaDialog:
        """Open the label schema editor; Save applies the changes as one undo step."""
        from .schema_dialog import SchemaDialog

        dialog = SchemaDialog(self.store.schema, self.store.label_usage, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_schema(dialog))
        dialog.open()
        self.schema_dialog = dialog
        return dialog

    @guarded
    def apply_schema(self, dialog: SchemaDialog) -> None:
        if not dialog.changed() or dialog.result_schema is None:
            return
        removed = sum(dialog.removed.values())
        what = "edit label schema"
        if dialog.renames:
            what = "rename " + ", ".join(f"{old} → {new}" for old, new in dialog.renames.items())
        command = commands.EditSchema(self, dialog.result_schema, dialog.renames, what)
        commands.push(self.undo_stack, command)
        extra = f"; deleted {removed} annotation{'s' if removed != 1 else ''}" if removed else ""
        self.mark_saved(what + extra)

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

    def annotations_in_order(self) -> list[Annotation]:
        return sorted(self.annotations.values(), key=lambda a: (a.start, a.end, a.created, a.id))

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

    # ======================================================================== EditContext

    def annotation_stored(self, annotation: Annotation) -> None:
        if self.current_article is None or annotation.article_id != self.current_article.id:
            self.open_article(annotation.article_id)  # an undo in another article: show it
            self.select_annotation(annotation.id)
            return
        known = annotation.id in self.annotations
        self.annotations[annotation.id] = annotation
        if known:
            self.view.update_annotation(annotation)
        else:
            self.view.add_annotation(annotation)
        self.side_panel.annotation_stored(annotation)
        if self.article_list.filter_edit.text().strip():
            self.article_list.refresh_filter()  # its note may match now, or no longer
        if self.current_article.status == "todo":
            self.current_article.status = "in_progress"
        self.article_list.update_article(
            annotation.article_id, annotations=len(self.annotations), status=self.current_article.status
        )
        if self.selected_id == annotation.id:
            self.view.set_selected_annotation(annotation.id)
        self._update_info()

    def annotation_removed(self, annotation: Annotation) -> None:
        if self.current_article is None or annotation.article_id != self.current_article.id:
            self.open_article(annotation.article_id)
            return
        self.annotations.pop(annotation.id, None)
        self.view.remove_annotation(annotation.id)
        self.side_panel.annotation_removed(annotation.id)
        if self.selected_id == annotation.id:
            self.select_annotation(None)
        self.article_list.update_article(annotation.article_id, annotations=len(self.annotations))
        self._update_info()

    def relation_stored(self, relation: Relation) -> None:
        if relation.deleted:
            self.relation_removed(relation)
            return
        if self.current_article is None or relation.article_id != self.current_article.id:
            self.open_article(relation.article_id)  # an undo in another article: show it
            return
        self.view.add_relation(relation)
        self.side_panel.relation_stored(relation)

    def relation_removed(self, relation: Relation) -> None:
        if self.current_article is None or relation.article_id != self.current_article.id:
            return
        self.view.remove_relation(relation.id)
        self.side_panel.relation_removed(relation)

    def article_note_stored(self, article_id: str, note: str) -> None:
        if self.current_article is not None and self.current_article.id == article_id:
            self.current_article.note = note
            self.side_panel.set_article_note(note)
        self.article_list.set_note(article_id, note)
        self.article_list.refresh_filter()

    def schema_stored(self) -> None:
        """The schema changed: label buttons, hotkeys, colours, and the annotations (renamed or deleted)."""
        self.cancel_link()
        schema = self.store.schema
        self.view.set_schema(schema)
        self.side_panel.set_schema(schema)
        self._build_label_actions()
        self.refresh_articles()
        article = self.current_article
        if article is None:
            return
        selected, position = self.selected_id, self.view.scroll_position()
        annotations = self.store.annotations_for(article.id)
        relations = self.store.relations_for(article.id)
        self.annotations = {a.id: a for a in annotations}
        self.selected_id = None
        self.view.set_article(article, annotations, schema)
        self.view.set_relations(relations)
        self.view.set_scroll_position(position)
        self.side_panel.set_annotations(annotations)
        self.side_panel.set_relations(relations)
        self.select_annotation(selected if selected in self.annotations else None)

    def status_stored(self, article_id: str, status: str) -> None:
        if self.current_article is not None and self.current_article.id == article_id:
            self.current_article.status = status
        self.article_list.update_article(article_id, status=status)
        self._update_actions()

    # ======================================================================== undo

    def undo(self) -> None:
        self.side_panel.flush_note()
        self.cancel_link()
        text = self.undo_stack.undoText()
        error = commands.undo_safely(self.undo_stack)
        if error is not None:
            self.report_error(error)
        elif text:
            self.mark_saved(f"undo {text}")

    def redo(self) -> None:
        self.cancel_link()
        text = self.undo_stack.redoText()
        error = commands.redo_safely(self.undo_stack)
        if error is not None:
            self.report_error(error)
        elif text:
            self.mark_saved(f"redo {text}")

    # ======================================================================== view

    def zoom(self, steps: int) -> None:
        if steps == 0:
            self.view.reset_zoom()
        else:
            self.view.zoom(steps)
        self._zoom_steps = self.view.zoom_level() if hasattr(self.view, "zoom_level") else self._zoom_steps + steps
        if self.persist:
            settings.set_value("zoom", self._zoom_steps)

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

    def show_keyboard_help(self) -> KeyboardHelpDialog:
        dialog = KeyboardHelpDialog(self.shortcut_table(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.keyboard_help = dialog
        return dialog

    def shortcut_table(self) -> list[Shortcut]:
        """Every shortcut: the menus' own, then the keys bound to the article view and other places."""
        rows: list[Shortcut] = []

        def keys(action: QAction) -> str:
            texts = (s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
            return ", ".join(t for t in texts if t)

        def walk(menu: QMenu, section: str, prefix: str = "") -> None:
            for action in menu.actions():
                if action.menu() is not None:
                    walk(action.menu(), section, action.text().replace("&", "") + ": ")
                elif keys(action):
                    rows.append((section, keys(action), prefix + action.text().replace("&", "")))

        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if menu is not None:
                walk(menu, menu_action.text().replace("&", "") + " menu")
        digits = "/".join(label.hotkey for label in self.store.schema.labels if label.hotkey)
        names = ", ".join(f"{label.hotkey} {label.name}" for label in self.store.schema.labels if label.hotkey)
        place = "In the article"
        rows += [
            (place, digits, f"Tag the selected text ({names}); whole words"),
            (place, "Alt+" + digits, "Tag with the exact characters selected (no word snapping)"),
            (place, digits + " (no text selected)", "Relabel the selected annotation"),
            (place, "Click a highlight", "Select that annotation (details in the side panel)"),
            (place, "Drag a handle", DRAG_HELP),
            (place, "A", "Link the selected annotation (a claim to its source): then click the other span, or choose it in the list"),
            (place, "Esc", "Cancel linking; otherwise deselect the annotation"),
            (place, "Alt+B", "Set the selected annotation's bounds to the selected text, exact characters"),
            (place, "Shift+arrows, Ctrl+Shift+arrows", "Select text by character / word (when no annotation is selected)"),
            ("Article list", "Enter, click", "Open the article"),
            ("Article list", "Down (in the filter box)", "Move into the list"),
            ("Side panel", "Tab / Shift+Tab", "Move between the buttons, list and fields"),
            ("Side panel", "Note field", "Saved after a short pause and when you leave the field"),
            ("Side panel", "Links: click / ✕", "Select the linked annotation / remove the link"),
            ("Link list", "Up, Down, Enter", "Choose what to link to and link it"),
            ("Link list", "Esc", "Cancel linking"),
            ("Find bar", "Enter", "Next match"),
            ("Find bar", "Esc", "Close the find bar"),
        ]
        rows += REVIEW_SHORTCUTS
        return rows

    # ======================================================================== import and export

    def import_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import files", str(Path.home()), IMPORT_FILTER)
        if names:
            self.start_import([Path(n) for n in names])

    def import_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Import folder", str(Path.home()))
        if name:
            self.start_import([Path(name)])

    def start_import(self, paths: list[Path]) -> ImportWorker | None:
        """Import in a worker thread with a cancellable progress dialog; the list refreshes when done."""
        if self.import_worker is not None and self.import_worker.is_running():
            self.show_message("An import is already running.")
            return None
        from .import_worker import ImportWorker

        worker = ImportWorker(Path(self.store.path), paths)
        dialog = QProgressDialog("Importing…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Import")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(worker.cancel)
        worker.progress.connect(self._import_progress)
        worker.finished.connect(self._import_finished)
        worker.failed.connect(self._import_failed)
        self.import_worker = worker
        self._import_dialog = dialog
        self.show_message(f"Importing {len(paths)} item{'s' if len(paths) != 1 else ''}…")
        worker.start()
        return worker

    def _import_progress(self, done: int, total: int, path: str) -> None:
        dialog = self._import_dialog
        if dialog is not None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            dialog.setLabelText(f"Importing {done} of {total}\n{Path(path).name}")

    def _end_import(self) -> None:
        if self._import_dialog is not None:
            self._import_dialog.reset()
            self._import_dialog.close()
            self._import_dialog.deleteLater()
            self._import_dialog = None
        if self.import_worker is not None:
            self.import_worker.wait(10000)

    @guarded
    def _import_finished(self, report: ImportReport) -> None:
        self._end_import()
        self.last_import_report = report
        self.refresh_articles()
        if self.current_article is None and report.imported:
            self.open_article(report.imported[0].id)
        from .import_worker import failure_details, summary_text

        summary = summary_text(report)
        self.show_message(summary)
        if report.failed:
            box = self._message_box(
                QMessageBox.Icon.Warning,
                "Import finished with problems",
                summary + ".\n\nThese files were not imported; the project is unchanged by them.",
                failure_details(report),
            )
            box.open()

    def _import_failed(self, message: str) -> None:
        self._end_import()
        self.refresh_articles()
        self.report_error(message)

    def export(self) -> ExportDialog:
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
        from .export_dialog import not_represented

        message = f"Exported {stats.spans} spans from {stats.articles} articles"
        changed = not_represented(stats)
        if changed:
            message += f" · {changed} not written as they are (see the summary)"
        self.show_message(message)

    def selected_article_ids(self) -> list[str]:
        """The articles selected in the list, in the list's order (the export's "selected" choice)."""
        return self.article_list.selected_article_ids()

    def import_annotation_set(self, path: Path | None = None) -> AnnotationImportDialog:
        """File ▸ Import annotation set…: the import dialog (file, format, annotator), window-modal."""
        self.side_panel.flush_note()
        from .annotation_import_dialog import AnnotationImportDialog

        dialog = AnnotationImportDialog(self.store, is_busy=self._busy_reason, path=path, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.imported.connect(self._annotation_set_imported)
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))
        self.annotation_import_dialog = dialog
        dialog.open()
        return dialog

    def _annotation_set_imported(self, report) -> None:
        self.review.reload()  # the list, the open article's spans, review mode's annotators
        self.show_message(
            f"Imported {report.path.name}: {report.spans.added} spans added, {report.spans.updated} updated"
            + (f", {report.not_imported} not imported (see the summary)" if report.not_imported else "")
        )

    def _busy_reason(self) -> str:
        if self.import_worker is not None and self.import_worker.is_running():
            return "Wait for the article import to finish."
        if self.review.busy():
            return "Wait for the merge or import to finish."
        return ""

    def _dialog_closed(self, dialog: QWidget) -> None:
        if self.export_dialog is dialog:
            self.export_dialog = None
        if self.annotation_import_dialog is dialog:
            self.annotation_import_dialog = None

    @guarded
    def export_to(self, path: Path, format_name: str = "jsonl") -> None:
        from ..formats import export_to_path

        self.side_panel.flush_note()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            stats = export_to_path(self.store, format_name, path)
        finally:
            QApplication.restoreOverrideCursor()
        self.show_message(f"Exported {stats.articles} articles, {stats.spans} spans to {path}")

    # drag and drop --------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.start_import(paths)

    # ======================================================================== status and errors

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def mark_saved(self, what: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        self.saved_label.setText(f"Saved {stamp}")
        self.saved_label.setToolTip("Every edit is written to the project file at once.")
        self.statusBar().showMessage(f"Saved · {what}", STATUS_MESSAGE_MS)

    def _message_box(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
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
            text = f"Something went wrong: {type(error).__name__}: {error}\n\nNothing was lost that was shown as saved."
            title = "Unexpected error"
        else:
            text = str(error)
            title = "News Annotator"
        self.last_error = str(error)
        self.statusBar().showMessage(f"Not saved: {error}" if not unexpected else text.splitlines()[0], STATUS_MESSAGE_MS * 2)
        box = self._message_box(QMessageBox.Icon.Warning, title, text)
        box.open()

    def _update_title(self) -> None:
        project = Path(self.store.path).stem
        if self.current_article is not None:
            title = elide(self.current_article.title or "(untitled)", 80)
            self.setWindowTitle(f"{title} — {project} — News Annotator")
        else:
            self.setWindowTitle(f"{project} — News Annotator")

    def _update_actions(self) -> None:
        self._update_info()
        has_article = self.current_article is not None
        has_selection = self.selected_id is not None
        self.delete_action.setEnabled(has_selection)
        self.link_action.setEnabled(has_selection)
        self.article_note_action.setEnabled(has_article)
        for action in (self.extend_start_action, self.shrink_start_action, self.set_bounds_action):
            action.setEnabled(has_selection)
        self.done_action.setEnabled(has_article)
        has_articles = self.article_list.model.rowCount() > 0
        self.next_article_action.setEnabled(has_articles)
        self.previous_article_action.setEnabled(has_articles)
        self.find_action.setEnabled(has_article)
        if has_article and self.current_article.status == "done":
            self.done_action.setText("Mark in &progress")
            self.done_action.setIconText("Reopen")
        else:
            self.done_action.setText("Mark &done")
            self.done_action.setIconText("Done")

    # ======================================================================== settings

    def _remembered(self, key: str) -> object:
        value = settings.get(key, {})
        return value.get(self.project_key) if isinstance(value, dict) else None

    def _remember(self, key: str, value: object) -> None:
        if not self.persist:
            return
        data = settings.get(key, {})
        data = data if isinstance(data, dict) else {}
        data[self.project_key] = value
        settings.set_value(key, data)

    def _scroll_positions(self) -> dict:
        positions = self._remembered("scroll_positions")
        return positions if isinstance(positions, dict) else {}

    def save_session(self) -> None:
        """Remember the open article and where it was scrolled to (on article change and close)."""
        if self.current_article is None:
            return
        try:
            positions = self._scroll_positions()
            positions.pop(self.current_article.id, None)
            positions[self.current_article.id] = self.view.scroll_position()
            while len(positions) > MAX_REMEMBERED_POSITIONS:
                positions.pop(next(iter(positions)))
            self._remember("scroll_positions", positions)
            self._remember("last_article", self.current_article.id)
        except OSError as exc:  # a read-only config folder must not stop the app
            self.show_message(f"Could not save settings: {exc}")

    def save_window_state(self) -> None:
        if not self.persist:
            return
        encode = lambda data: bytes(data.toBase64()).decode("ascii")  # noqa: E731
        state = {
            "geometry": encode(self.saveGeometry()),
            "state": encode(self.saveState()),
            "splitter": encode(self.splitter.saveState()),
        }
        try:
            settings.set_value("window", state)
        except OSError:
            pass

    def restore_window_state(self) -> None:
        state = settings.get("window")
        if isinstance(state, dict):
            decode = lambda text: QByteArray.fromBase64(str(text).encode("ascii"))  # noqa: E731
            if state.get("geometry"):
                self.restoreGeometry(decode(state["geometry"]))
            if state.get("state"):
                self.restoreState(decode(state["state"]))
            if state.get("splitter"):
                self.splitter.restoreState(decode(state["splitter"]))
        self.toggle_list_action.setChecked(self.splitter.sizes()[0] > 0 or not self.list_pane.isHidden())
        self.toggle_panel_action.setChecked(self.splitter.sizes()[2] > 0 or not self.panel_pane.isHidden())
        zoom = settings.get("zoom", 0)
        if isinstance(zoom, int) and zoom:
            self.view.zoom(zoom)
            self._zoom_steps = zoom

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.side_panel.flush_note()
        if self.import_worker is not None and self.import_worker.is_running():
            self.import_worker.cancel()
            self.import_worker.wait(30000)
        self.review.shutdown()
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
