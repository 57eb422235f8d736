"""Review mode and the other review tools of the main window (issue 7: review a colleague's tags).

``ReviewController`` is made by the main window and adds, without the window knowing the details:

* **File ▸ Merge a colleague's project…**: their ``.annotator`` file is opened read-only
  (`store.ColleagueProject`) and merged (`operations.merge`) in a worker thread through the
  window's job runner; a summary lists what came in and every span that could not be anchored.
  **File ▸ Import annotation set…** does the same for an exported set
  (`operations.annotation_sets`), unless the File menu already has such an entry.
* **View ▸ Review mode** (Ctrl+R): a bar above the article chooses annotators A and B (and extra
  annotators to show); the view paints a ``ReviewLayer`` (A in the upper half of the line, B in the
  lower, a tab per comparison); the side panel becomes the list of comparisons. Keys, in the list
  or the article: 1 accept A, 2 accept B, 3 accept both, 0 / X reject, E edit, n / p next /
  previous, Enter shows the comparison in the text; Delete in the list reopens a decision. Each
  decision is one operation of the core (`operations.decide`), one undo step, building the gold
  layer and recording who decided (the annotator name of the settings), when, and the comment. The
  comparisons come from `review.review_article`, the function `annotator review` prints.
* **Review ▸ Agreement report…** (Ctrl+Shift+R): `report_dialog.AgreementReportDialog`.

While review mode is on, the label hotkeys and n / p of the normal mode are switched off (the same
keys decide and walk here); leaving the mode switches them back on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from .. import settings
from ..settings import PROJECT_SUFFIX
from .file_dialogs import open_file
from .window_guard import guarded

if TYPE_CHECKING:  # the rest loads when review is first used (start-up time, docs/architecture.md)
    from .. import operations as ops
    from ..model import Decision
    from ..review import ReviewItem
    from ..store import Changes
    from .main_window import MainWindow
    from .report_dialog import AgreementReportDialog
    from .review_layer import ReviewLayer
    from .review_panel import EditDecisionDialog, ReviewBar, ReviewPage
    from .review_workers import MergeOutcome, StoreTask

REVIEW_PANEL_WIDTH = 420
PROJECT_FILTER = f"News Annotator projects (*{PROJECT_SUFFIX});;All files (*)"
SET_FILTER = (
    "Annotation sets (*.jsonl *.json *.conll *.iob *.csv *.ann *.txt);;All files (*)"
)


def _menu(window: "MainWindow", title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()
    return None


def review_annotators(store, **options):
    """review.review_annotators, the review package loaded when first used (start-up time)."""
    from ..review import review_annotators as names

    return names(store, **options)


class ReviewController(QObject):
    """Everything of review in the main window (see the module docstring)."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.active = False
        self.a: str | None = None
        self.b: str | None = None
        self.extras: list[str] = []
        self.items: list[ReviewItem] = []
        self.current_key: str | None = None
        self.layer: ReviewLayer | None = None
        self.merge_worker: StoreTask | None = None
        self.set_worker: StoreTask | None = None
        self.last_merge: MergeOutcome | None = None
        self.last_set_report = None
        self.report_dialog: AgreementReportDialog | None = None
        self.edit_dialog: EditDecisionDialog | None = None
        self.summary_dialog = None
        self._refresh_pending = False
        self._panel_sizes: list[int] | None = None
        self._store_id = id(window.store)

        self._bar: ReviewBar | None = None
        self._page: ReviewPage | None = None

        self._build_actions()
        window.view.comparisonClicked.connect(self._view_clicked)
        for action in self.key_actions:
            window.view.addAction(action)
        self._install_menus()
        self.sync_actions()

    @property
    def bar(self) -> "ReviewBar":
        """The bar above the article (annotators A and B), built when review mode first needs it."""
        if self._bar is None:
            self._build_widgets()
        assert self._bar is not None
        return self._bar

    @property
    def page(self) -> "ReviewPage":
        """The list of comparisons in the side pane, built with the bar."""
        if self._page is None:
            self._build_widgets()
        assert self._page is not None
        return self._page

    def _build_widgets(self) -> None:
        from .review_panel import ReviewBar, ReviewPage

        window = self.window
        bar = self._bar = ReviewBar(self.show_gold_action, window)
        page = self._page = ReviewPage(self.page_actions, window)
        window.view.parentWidget().layout().insertWidget(0, bar)
        window.panel_pane.content_layout().addWidget(page)
        bar.hide()
        page.hide()
        bar.pairChanged.connect(self._pair_chosen)
        bar.extrasChanged.connect(self._extras_chosen)
        bar.closeRequested.connect(lambda: self.set_active(False))
        page.currentChanged.connect(self._current_changed)
        page.list.jumpRequested.connect(self.jump)
        for action in self.key_actions:
            page.list.addAction(action)
        page.list.addAction(self.reopen_action)

    @property
    def store(self):
        return self.window.store

    def report_error(self, error, unexpected: bool = False) -> None:
        self.window.report_error(error, unexpected)

    # ======================================================================== actions and menus

    def _action(self, text: str, slot, keys: Sequence[str] = (), *, icon_text: str = "", tip: str = "",
                context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut) -> QAction:
        action = QAction(text, self.window)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(context)
        if icon_text:
            action.setIconText(icon_text)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        if context == Qt.ShortcutContext.WindowShortcut:
            self.window.addAction(action)
        return action

    def _build_actions(self) -> None:
        window_context = Qt.ShortcutContext.WindowShortcut
        self.mode_action = QAction("Re&view mode", self.window)
        self.mode_action.setCheckable(True)
        self.mode_action.setShortcut(QKeySequence("Ctrl+R"))
        self.mode_action.setIconText("Review")
        self.mode_action.setToolTip("Review mode: compare two annotators' tags and build the gold set (Ctrl+R)")
        self.mode_action.setStatusTip(self.mode_action.toolTip())
        self.mode_action.toggled.connect(self.set_active)
        self.window.addAction(self.mode_action)
        self.report_action = self._action(
            "Agreement &report…", self.show_report, ["Ctrl+Shift+R"], context=window_context,
            tip="Agreement figures of two annotators: per label, overall and per article",
        )
        self.merge_action = self._action(
            "&Merge a colleague's project…", self.merge_colleague, context=window_context,
            tip="Bring in a colleague's articles and annotations from their project file (it is only read)",
        )
        self.import_set_action = self._action(
            "Import annotation &set…", self.import_annotation_set, context=window_context,
            tip="Import an exported annotation set (JSONL, CoNLL, Label Studio, doccano, brat, W3C, CSV…)",
        )
        self.show_gold_action = QAction("Show &gold", self.window)
        self.show_gold_action.setCheckable(True)
        self.show_gold_action.setChecked(True)
        self.show_gold_action.setToolTip("Outline the gold (adjudicated) spans in the text")
        self.show_gold_action.toggled.connect(lambda _checked: self.refresh())
        self.accept_a_action = self._action("Accept &A", lambda: self.decide("accept_a"), ["1"], icon_text="1  Accept A",
                                            tip="Copy A's span into gold (1)")
        self.accept_b_action = self._action("Accept &B", lambda: self.decide("accept_b"), ["2"], icon_text="2  Accept B",
                                            tip="Copy B's span into gold (2)")
        self.accept_both_action = self._action("Accept b&oth", lambda: self.decide("accept_both"), ["3"],
                                               icon_text="3  Both", tip="Copy both spans into gold (3)")
        self.reject_action = self._action("Re&ject", lambda: self.decide("reject"), ["0", "X"], icon_text="0  Reject",
                                          tip="Nothing goes into gold; the decision is recorded (0 or X)")
        self.edit_action = self._action("&Edit into gold…", self.edit, ["E"], icon_text="E  Edit…",
                                        tip="Choose the gold span's label and bounds (the text selected) (E)")
        self.reopen_action = self._action("Re&open decision", self.reopen, ["Delete", "Backspace"],
                                          icon_text="Reopen", tip="Undo this comparison's decision (Delete in the list)")
        self.accept_agreed_action = self._action("Accept all a&greed", self.accept_all_agreed,
                                                 icon_text="Accept all agreed",
                                                 tip="Put every agreed span of this article into gold (one undo step)")
        self.next_action = self._action("&Next comparison", lambda: self.step(1), ["N"])
        self.previous_action = self._action("&Previous comparison", lambda: self.step(-1), ["P"])
        self.decision_actions = [self.accept_a_action, self.accept_b_action, self.accept_both_action,
                                 self.reject_action, self.edit_action]
        self.key_actions = self.decision_actions + [self.next_action, self.previous_action]
        self.page_actions = {
            "accept_a": self.accept_a_action, "accept_b": self.accept_b_action,
            "accept_both": self.accept_both_action, "reject": self.reject_action, "edit": self.edit_action,
            "reopen": self.reopen_action, "accept_agreed": self.accept_agreed_action,
        }

    def _install_menus(self) -> None:
        window = self.window
        file_menu = _menu(window, "File")
        if file_menu is not None:
            actions = file_menu.actions()
            quit_index = actions.index(window.quit_action) if window.quit_action in actions else len(actions)
            before = actions[quit_index - 1] if quit_index > 0 and actions[quit_index - 1].isSeparator() else (
                actions[quit_index] if quit_index < len(actions) else None)
            has_set_import = any(
                "annotation set" in a.text().lower() or "import annotations" in a.text().lower().replace("&", "")
                for a in actions if a is not self.import_set_action
            )
            if before is None:
                file_menu.addSeparator()
            else:
                file_menu.insertSeparator(before)
            file_menu.insertAction(before, self.merge_action)  # type: ignore[arg-type]
            if not has_set_import:  # else the formats' own import dialog is there already
                file_menu.insertAction(before, self.import_set_action)  # type: ignore[arg-type]
        view_menu = _menu(window, "View")
        if view_menu is not None:
            view_menu.addSeparator()
            view_menu.addAction(self.mode_action)
        self.menu = QMenu("&Review", window)
        self.menu.addAction(self.report_action)
        self.menu.addSeparator()
        for action in self.decision_actions + [self.reopen_action, self.accept_agreed_action]:
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.next_action)
        self.menu.addAction(self.previous_action)
        self.menu.addSeparator()
        self.menu.addAction(self.show_gold_action)
        help_menu = _menu(window, "Help")
        window.menuBar().insertMenu(help_menu.menuAction() if help_menu else None, self.menu)
        toolbar = getattr(window, "toolbar", None)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addAction(self.mode_action)

    def sync_actions(self) -> None:
        """Label hotkeys and n / p belong to the normal mode, 1/2/3, E, n / p to review mode."""
        on = self.active
        window = self.window
        for action in list(window.label_actions.values()) + list(window.exact_label_actions.values()):
            action.setEnabled(not on)
        window.next_annotation_action.setEnabled(not on)
        window.previous_annotation_action.setEnabled(not on)
        self.show_gold_action.setEnabled(on)
        self._update_decision_actions()
        if on:
            self._schedule_refresh()  # the schema may have changed (labels renamed)

    def _update_decision_actions(self) -> None:
        item = self.current_item() if self.active else None
        open_ = item is not None and item.decision is None
        c = item.comparison if item is not None else None
        self.accept_a_action.setEnabled(open_ and c is not None and c.a is not None)
        self.accept_b_action.setEnabled(open_ and c is not None and c.b is not None)
        self.accept_both_action.setEnabled(open_ and c is not None and c.a is not None and c.b is not None)
        self.reject_action.setEnabled(open_)
        self.edit_action.setEnabled(open_)
        self.reopen_action.setEnabled(item is not None and item.decision is not None)
        agreed = [i for i in self.items if i.decision is None and i.comparison.kind == "agreed"] if self.active else []
        self.accept_agreed_action.setEnabled(bool(agreed))
        self.accept_agreed_action.setIconText(f"Accept all agreed ({len(agreed)})" if agreed else "Accept all agreed")
        self.next_action.setEnabled(self.active)
        self.previous_action.setEnabled(self.active)

    # ======================================================================== the mode

    def set_active(self, on: bool) -> None:
        window = self.window
        on = bool(on)
        if on != self.mode_action.isChecked():
            blocked = self.mode_action.blockSignals(True)
            self.mode_action.setChecked(on)
            self.mode_action.blockSignals(blocked)
        if on == self.active:
            return
        self.active = on
        if on:
            window.cancel_link()
            window.select_annotation(None)
            self._choose_pair()
            self.bar.show()
            window.side_panel.hide()
            self.page.show()
            if not window.toggle_panel_action.isChecked():
                window.toggle_panel_action.setChecked(True)
            sizes = window.splitter.sizes()
            if sizes[2] < REVIEW_PANEL_WIDTH:
                self._panel_sizes = sizes
                grow = REVIEW_PANEL_WIDTH - sizes[2]
                window.splitter.setSizes([sizes[0], max(300, sizes[1] - grow), REVIEW_PANEL_WIDTH])
            self.sync_actions()
            self.refresh()
            if self.current_key is None:
                self._select_next_open(-1)
            self.page.list.setFocus(Qt.FocusReason.OtherFocusReason)
            window.show_message("Review mode: 1 accept A · 2 accept B · 3 both · 0 reject · E edit · n / p walk · Ctrl+R leaves")
        else:
            window.view.set_review_layer(None)
            self.layer = None
            if self._bar is not None and self._page is not None:
                self._bar.hide()
                self._page.hide()
            window.side_panel.show()
            if self._panel_sizes is not None:  # the panel's own width back; the list keeps the one it has now
                sizes, panel, self._panel_sizes = window.splitter.sizes(), self._panel_sizes[2], None
                window.splitter.setSizes([sizes[0], sizes[1] + sizes[2] - panel, panel])
            self.sync_actions()
            window.view.setFocus(Qt.FocusReason.OtherFocusReason)
        window._update_actions()  # the window's other keys that review mode takes (suggestions: Enter, X)

    def _check_project(self) -> None:
        if id(self.window.store) != self._store_id:  # another project: other annotators
            self._store_id = id(self.window.store)
            self.a = self.b = None
            self.extras = []
            self.current_key = None
            if self.active:
                self._choose_pair()

    def article_opened(self) -> None:
        """The window opened an article (called by MainWindow.open_article)."""
        self._check_project()
        if self.active:
            self.current_key = None
            self.refresh()
            self._select_next_open(-1)

    def _choose_pair(self) -> None:
        names = review_annotators(self.store)
        self.a, self.b = self._resolve_pair(names)
        self._remember_pair()  # a pair chosen for the reader is kept too: A and B never swap by themselves
        self.bar.set_annotators(names, self.a, self.b)
        self._fill_extras(names)
        if len(names) < 2:
            self.bar.set_message(
                f"Review compares two annotators' tags, and this project has {len(names) or 'no'} annotator"
                f"{'' if len(names) == 1 else 's'}. Bring in a colleague's work with File ▸ Merge a colleague's project…"
            )
        else:
            self.bar.set_message("")

    def _resolve_pair(self, names: list[str]) -> tuple[str | None, str | None]:
        """A and B: the pair in use, else the one remembered for this project, else the first two
        annotators of the open article (then of the project), in name order."""
        from ..review import GOLD

        a, b = self.a, self.b
        if a not in names or b not in names or a == b:
            pair = settings.current().for_project("review_pair", self.window.project_key)
            if isinstance(pair, list) and len(pair) == 2 and pair[0] in names and pair[1] in names and pair[0] != pair[1]:
                a, b = pair
            else:
                here = sorted({x.annotator for x in self.window.annotations.values() if x.annotator != GOLD})
                ordered = here + [n for n in names if n not in here]
                a = ordered[0] if ordered else None
                b = ordered[1] if len(ordered) > 1 else None
        return a, b

    def _remember_pair(self) -> None:
        """Keep A and B for this project (settings), so the next session shows the same sides."""
        if not (self.window.persist and self.a and self.b and self.a != self.b):
            return
        current = settings.current()
        if current.for_project("review_pair", self.window.project_key) == [self.a, self.b]:
            return
        try:
            current.set_for_project("review_pair", self.window.project_key, [self.a, self.b])
        except OSError:
            pass

    def _fill_extras(self, names: list[str] | None = None) -> None:
        names = review_annotators(self.store) if names is None else names
        others = [n for n in names if n not in (self.a, self.b)]
        self.extras = [n for n in self.extras if n in others]
        self.bar.set_extras(others, self.extras)

    def _pair_chosen(self, a: str, b: str) -> None:
        if a and b and a == b:  # choosing the other side's name swaps the two
            a, b = (a, self.a) if a != self.a else (self.b, b)
            self.bar.set_annotators(review_annotators(self.store), a, b)
        self.a, self.b = a or None, b or None
        self._remember_pair()
        self._fill_extras()
        self.current_key = None
        self.refresh()
        self._select_next_open(-1)

    def _extras_chosen(self, names: list) -> None:
        self.extras = list(names)
        self._fill_extras()
        self.refresh()

    # ======================================================================== what is shown

    def _schedule_refresh(self) -> None:
        if self.active and not self._refresh_pending:
            self._refresh_pending = True
            QTimer.singleShot(0, self, self._deferred_refresh)

    def _deferred_refresh(self) -> None:
        self._refresh_pending = False
        if self.window.isVisible():  # not after the window closed (its project may be closed too)
            self.refresh()

    def refresh(self) -> None:
        """Recompute the comparisons of the open article and redraw the layer and the list."""
        from ..review import GOLD, review_article
        from .review_layer import ReviewLayer, extras_of

        if not self.active:
            return
        self._check_project()
        window = self.window
        article = window.current_article
        a, b = self.a, self.b
        if article is None:
            self.items = []
            self.layer = None
            window.view.set_review_layer(None)
            self.page.set_items([], "", a or "", b or "", None)
            self.page.set_empty_text("Open an article to review it.")
            self._update_decision_actions()
            return
        annotations = list(window.annotations.values())
        items: list[ReviewItem] = []
        empty = ""
        if a and b and a != b:
            items = review_article(self.store, article.id, a, b)  # what `annotator review` lists
            present = {x.annotator for x in annotations}
            missing = [name for name in (a, b) if name not in present]
            if missing:
                empty = " and ".join(missing) + (" has" if len(missing) == 1 else " have") + " no annotations in this article."
        else:
            empty = "Choose two different annotators as A and B."
        self.items = items
        keys = {i.comparison.key for i in items}
        if self.current_key not in keys:
            self.current_key = None
        gold = [x for x in annotations if x.annotator == GOLD]
        extras = extras_of(annotations, [n for n in self.extras if n not in (a, b)])
        self.layer = ReviewLayer(article.id, a or "", b or "", items, gold, extras,
                                 show_gold=self.show_gold_action.isChecked(), current=self.current_key)
        window.view.set_review_layer(self.layer)
        self.page.set_items(items, article.text, a or "", b or "", self.current_key)
        self.page.set_empty_text(empty)
        self._update_decision_actions()

    def current_item(self) -> ReviewItem | None:
        if self.current_key is None:
            return None
        return next((i for i in self.items if i.comparison.key == self.current_key), None)

    def _current_changed(self, key: str) -> None:
        self.current_key = key or None
        if self.layer is not None:
            self.layer.current = self.current_key
            self.window.view.viewport().update()
        item = self.current_item()
        if item is not None:
            self.window.view.show_span(item.comparison.start, item.comparison.end)
        self._update_decision_actions()

    def _view_clicked(self, key: str) -> None:
        if key:
            self.page.select(key)

    def select(self, key: str | None) -> None:
        self.page.select(key)

    def step(self, step: int) -> None:
        if not self.active:
            return
        if self.page.step(step) is None:
            self.window.show_message("No comparisons in this article.")

    def jump(self, key: str | None = None) -> None:
        """Show the comparison in the text with its text selected (for E), and move there."""
        key = key or self.current_key
        if key and key != self.current_key:
            self.page.select(key)
        item = self.current_item()
        if item is None:
            return
        view = self.window.view
        view.select_span(item.comparison.start, item.comparison.end)
        view.show_span(item.comparison.start, item.comparison.end)
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _select_next_open(self, after_row: int) -> None:
        """Select the first comparison still to decide after ``after_row`` (else before it, else keep)."""
        shown = self.page.model.shown
        if not shown:
            self.page.select(None)
            return
        order = list(range(after_row + 1, len(shown))) + list(range(0, min(after_row + 1, len(shown))))
        for row in order:
            item = shown[row]
            if item.decision is None and item.comparison.kind != "agreed":
                self.page.select(item.comparison.key)
                return
        for row in order:
            if shown[row].decision is None:
                self.page.select(shown[row].comparison.key)
                return
        if self.current_key is None:
            self.page.select(shown[0].comparison.key)

    # ======================================================================== deciding

    def _who(self) -> str:
        return settings.current().annotator_name()

    def decide(self, decision: str, *, start: int | None = None, end: int | None = None, label: str | None = None,
               comment: str | None = None) -> Decision | None:
        """Decide the current comparison (one undo step); then move on to the next one to decide."""
        from .review_layer import DECISION_NAMES

        window = self.window
        if not self.active:
            return None
        item = self.current_item()
        if item is None:
            window.show_message("Choose a comparison first (Up / Down or n / p in the list, or click it in the text).")
            return None
        c = item.comparison
        if item.decision is not None:
            window.show_message(
                f"Already decided ({DECISION_NAMES.get(item.decision.decision, item.decision.decision)}). "
                "Reopen it (Delete in the list) or undo (Ctrl+Z) to decide again."
            )
            return None
        if decision in ("accept_a", "accept_both") and c.a is None:
            window.show_message(f"Only {self.b} tagged this: accept B (2) or reject it (0).")
            return None
        if decision in ("accept_b", "accept_both") and c.b is None:
            window.show_message(f"Only {self.a} tagged this: accept A (1) or reject it (0).")
            return None
        row = self.page.model.row_of(c.key)
        text = self.page.comment.text().strip() if comment is None else comment
        done = self._decide(c, decision, text, start=start, end=end, label=label)
        if done is None:
            return None
        self.page.comment.clear()
        self._select_next_open(row)
        return done.value

    @guarded
    def _decide(self, comparison, decision: str, comment: str, **edit) -> "ops.Done[Decision]":
        from .. import operations as ops
        from ..operations.review_ops import NAMES as ACTION_NAMES
        from .review_layer import DECISION_NAMES

        done = ops.decide(self.store, comparison, decision, self._who(), comment, **edit)
        title = f"{ACTION_NAMES.get(decision, decision)} {edit.get('label') or (comparison.a or comparison.b).label}"
        self.window.record(done, title, f"{DECISION_NAMES.get(decision, decision)} — gold {len(done.value.gold_ids)}")
        return done

    def accept_all_agreed(self) -> list[Decision]:
        agreed = [i.comparison for i in self.items if i.decision is None and i.comparison.kind == "agreed"]
        if not self.active or not agreed:
            self.window.show_message("No agreed comparison is waiting in this article.")
            return []
        done = self._decide_many(agreed, self.page.comment.text().strip())
        if done is None:
            return []
        self.page.comment.clear()
        self._select_next_open(-1)
        return done.value

    @guarded
    def _decide_many(self, comparisons, comment: str) -> "ops.Done[list[Decision]]":
        from .. import operations as ops

        title = f"accept {len(comparisons)} agreed"
        done = ops.decide_many(self.store, comparisons, "accept_both", self._who(), comment, title=title)
        self.window.record(done, title, f"accepted {len(comparisons)} agreed span{'s' if len(comparisons) != 1 else ''} "
                           "into gold")
        return done

    def reopen(self) -> None:
        item = self.current_item()
        if item is None or item.decision is None:
            self.window.show_message("This comparison has no decision to reopen.")
            return
        self._reopen(item.decision)

    @guarded
    def _reopen(self, decision: Decision) -> None:
        from .. import operations as ops
        from ..operations.review_ops import NAMES as ACTION_NAMES

        done = ops.reopen(self.store, decision.id, annotator=self._who())
        self.window.record(done, f"reopen ({ACTION_NAMES.get(decision.decision, decision.decision)})",
                           "reopened a decision")

    def edit(self) -> EditDecisionDialog | None:
        """E: a small editor for the gold span (label; bounds: the text selected, A's, B's, both)."""
        from .. import textspan
        from .review_panel import EditDecisionDialog

        item = self.current_item()
        article = self.window.current_article
        if not self.active or item is None or article is None:
            self.window.show_message("Choose a comparison first.")
            return None
        if item.decision is not None:
            self.window.show_message("Already decided: reopen it (Delete in the list) or undo (Ctrl+Z) first.")
            return None
        c = item.comparison
        bounds: list[tuple[str, int, int]] = []
        selected = self.window.view.selection_span()
        if selected is not None:
            start, end = textspan.snap_to_words(article.text, *selected)
            if start < end:
                bounds.append(("The text selected", start, end))
        if c.a is not None:
            bounds.append((f"A's ({self.a})", c.a.start, c.a.end))
        if c.b is not None and (c.a is None or (c.b.start, c.b.end) != (c.a.start, c.a.end)):
            bounds.append((f"B's ({self.b})", c.b.start, c.b.end))
        if c.a is not None and c.b is not None and (c.start, c.end) not in {(s, e) for _, s, e in bounds}:
            bounds.append(("Both together", c.start, c.end))
        labels = [label.name for label in self.store.schema.labels]
        base = c.a or c.b
        dialog = EditDecisionDialog(article.text, labels, base.label if base else "", bounds,
                                    self.page.comment.text().strip(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        key = c.key
        dialog.accepted.connect(lambda: self._edit_chosen(key, dialog.values()))
        dialog.open()
        self.edit_dialog = dialog
        return dialog

    def _edit_chosen(self, key: str, values: tuple[int, int, str, str]) -> None:
        start, end, label, comment = values
        if self.current_key != key:
            self.page.select(key)
        self.decide("edit", start=start, end=end, label=label, comment=comment)

    # -- what changed -------------------------------------------------------------------------------

    def changes_applied(self, changes: Changes) -> None:
        """The window applied `changes` (its own edits, or the journal's): follow them."""
        article = self.window.current_article
        if self.active and (changes.schema or (article is not None and article.id in changes.articles)):
            if changes.schema or changes.annotations or changes.decisions or changes.overflow:
                names = review_annotators(self.store)
                if self.a not in names or self.b not in names:
                    self._choose_pair()
                self.refresh()
        if self.report_dialog is not None and (changes.annotations or changes.overflow or changes.schema):
            try:
                self.report_dialog.project_changed()
            except RuntimeError:
                self.report_dialog = None

    # ======================================================================== the report

    def show_report(self) -> AgreementReportDialog:
        from ..review import GOLD
        from .report_dialog import AgreementReportDialog

        if self.report_dialog is not None:
            try:
                self.report_dialog.raise_()
                self.report_dialog.activateWindow()
                return self.report_dialog
            except RuntimeError:
                self.report_dialog = None
        names = review_annotators(self.store)
        if GOLD in self.store.annotators():
            names.append(GOLD)
        labels = [label.name for label in self.store.schema.labels]
        if self.a not in names or self.b not in names:  # the pair review mode would show, and keep
            self.a, self.b = self._resolve_pair(review_annotators(self.store))
            self._remember_pair()
        a = self.a if self.a in names else (names[0] if names else None)
        b = self.b if self.b in names and self.b != a else next((n for n in names if n != a), None)
        dialog = AgreementReportDialog(Path(self.store.path), names, labels, a, b, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openArticleRequested.connect(self.open_in_review)
        dialog.destroyed.connect(lambda _obj=None: setattr(self, "report_dialog", None))
        self.report_dialog = dialog
        dialog.show()
        dialog.compute()
        return dialog

    def open_in_review(self, article_id: str, a: str, b: str) -> None:
        """The report's double-click: that article, in review mode, with that A and B."""
        names = review_annotators(self.store, include_gold=True)
        if a in names and b in names and a != b:
            self.a, self.b = a, b
            self._remember_pair()
            if self.active:
                self.bar.set_annotators(review_annotators(self.store), a, b)
                self._fill_extras()
        if not self.active:
            self.set_active(True)
        if self.window.current_article is None or self.window.current_article.id != article_id:
            self.window.open_article(article_id)  # calls article_opened
        else:
            self.current_key = None
            self.refresh()
            self._select_next_open(-1)
        self.window.raise_()
        self.window.activateWindow()

    # ======================================================================== bringing work in

    def busy(self) -> bool:
        return self.window.jobs.busy()

    def merge_colleague(self) -> None:
        path = open_file(self.window, "Merge a colleague's project", str(Path(self.store.path).parent), PROJECT_FILTER)
        if path is not None:
            self.start_merge(path)

    def start_merge(self, path: Path, annotators: list[str] | None = None) -> StoreTask | None:
        """Merge ``path`` in a worker thread (their file is opened read-only), with a progress dialog."""
        from .review_workers import StoreTask, merge_job

        if Path(path).resolve() == Path(self.store.path).resolve():
            self.window.report_error(f"{path}: that is this project itself")
            return None
        self.window.side_panel.flush_note()
        worker = StoreTask(Path(self.store.path), merge_job(Path(path), self._who(), annotators), name="merge")
        if not self.window.jobs.start(worker, "Merge", f"Merging {Path(path).name}…", self._merge_finished,
                                      unit="articles"):
            return None
        self.merge_worker = worker
        return worker

    def import_annotation_set(self) -> None:
        path = open_file(self.window, "Import annotation set", str(Path(self.store.path).parent), SET_FILTER)
        if path is not None:
            self.start_import_set(path)

    def start_import_set(self, path: Path) -> StoreTask | None:
        from .review_workers import StoreTask, annotation_set_job

        worker = StoreTask(Path(self.store.path), annotation_set_job(Path(path), self._who()), name="import-set")
        if not self.window.jobs.start(worker, "Import annotation set", f"Importing {Path(path).name}…",
                                      self._set_finished, unit="documents"):
            return None
        self.set_worker = worker
        return worker

    def _merge_finished(self, outcome: MergeOutcome) -> None:
        from .merge_dialog import MergeSummaryDialog, merge_summary

        self.last_merge = outcome
        self.window.watcher.poll()  # the merge's commit: list, article, annotators, undo stack
        self.window.show_message(merge_summary(outcome).splitlines()[0])
        dialog = MergeSummaryDialog(outcome, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.summary_dialog = dialog

    def _set_finished(self, report) -> None:
        from .merge_dialog import AnnotationSetSummaryDialog, annotation_set_summary

        self.last_set_report = report
        self.window.watcher.poll()
        self.window.show_message(annotation_set_summary(report).splitlines()[0])
        dialog = AnnotationSetSummaryDialog(report, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.summary_dialog = dialog

    def shutdown(self) -> None:
        """On close: stop the report (the window's job runner stops a merge or import)."""
        if self.report_dialog is not None:
            try:
                self.report_dialog.shutdown()
            except RuntimeError:
                pass


__all__ = ["ReviewController"]
