"""The window's actions: every menu entry, toolbar button and shortcut, and the table of keys (F1).

A mixin of `MainWindow` (main_window.py): the slots it connects are the window's. Where keys work:

* label hotkeys (1, 2, 3; Alt+digit keeps the exact characters), n / p, Delete, B, A (link) and
  the boundary keys are bound to the article view (Qt.WidgetWithChildrenShortcut), so typing in the
  note or an attribute field never tags or deletes anything;
* menu shortcuts (Ctrl+Z, Ctrl+F, Ctrl+D, Ctrl+PgDown, ...) work anywhere in the window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QStyle

from .. import settings

if TYPE_CHECKING:  # the dialogs load when first opened (start-up time)
    from .dialogs import Shortcut

# Keys the article view already uses: a label hotkey there would make both ambiguous.
RESERVED_KEYS = {"A": "linking", "N": "next annotation", "P": "previous annotation", "B": "set bounds",
                 "X": "reject suggestion"}


class ActionsMixin:
    """Builds and updates the actions of the main window."""

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
        self.progress_action = self._action(
            "&Progress…", self.show_progress, tip="The team's progress: assignments, labels, annotations per day, agreement"
        )
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
        self.about_action = self._action("&About News Annotator", self._show_about)
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
        view_menu.addSeparator()
        view_menu.addAction(self.progress_action)

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
        recent = [p for p in settings.current().recent_projects() if p != current]
        for number, path in enumerate(recent[:9], 1):
            action = self.recent_menu.addAction(f"&{number} {Path(path).name} — {Path(path).parent}")
            action.triggered.connect(lambda _c=False, p=path: self.switch_project(Path(p)))
        if not recent:
            empty = self.recent_menu.addAction("No other recent projects")
            empty.setEnabled(False)

    def _show_about(self) -> None:
        from .dialogs import show_about

        show_about(self)

    def shortcut_table(self) -> list[Shortcut]:
        """Every shortcut: the menus' own, then the keys bound to the article view and other places."""
        from .dialogs import DRAG_HELP, REVIEW_SHORTCUTS

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

    def show_progress(self):
        """View ▸ Progress: the dialog, loaded on first use (start-up time)."""
        from .progress_dialog import show_progress_dialog

        return show_progress_dialog(self)

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
        suggestions = getattr(self, "suggestions", None)
        if suggestions is not None:
            suggestions.sync()  # its keys depend on the selection (Backspace deletes a selected annotation)
