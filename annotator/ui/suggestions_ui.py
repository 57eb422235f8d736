"""Suggestions in the main window: Article ▸ Suggest, the keys that decide them, the panel's counts.

The rules are the core's (annotator/operations/suggestions.py); this controller only turns keys and
menu entries into its operations and hands the result to the window's one path (`record`, which
applies the `Changes` and pushes the undo step). Suggesting never freezes the window: the
suggesters run in a worker thread on its own read-only Store (`StoreTask`), and only storing what
they found (a few rows) happens on the UI thread.

Keys, in the article while it has open suggestions shown (review mode and link mode keep theirs):
Tab / Shift+Tab walk them, Enter accepts the current one, Backspace or X rejects it, Shift+Enter
accepts all of the article's (one undo step). Suggested links (relations a suggester proposed) are
walked with the spans, at their head's place, and drawn as a dashed arrow while current; accepting
one accepts its ends that are still suggestions, as the core does. View ▸ Show suggestions hides them; Article ▸
Suggest on opening articles runs the suggesters whenever an article is opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QVBoxLayout, QWidget

from .. import settings
from ..model import SuggestedRelation, Suggestion
from ..store import Changes
from ..wording import elide, plural
from .window_guard import guarded

if TYPE_CHECKING:
    from ..operations.suggestions import Proposed
    from .main_window import MainWindow
    from .review_workers import StoreTask

SHOW_KEY = "show_suggestions"
ON_OPEN_KEY = "suggest_on_open"


class SuggestionBox(QWidget):
    """The side panel's part: how many suggestions are open here, the keys, each suggester's precision."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.heading = QLabel("Suggestions", self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.precision = QLabel("", self)
        self.precision.setWordWrap(True)
        self.precision.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.heading, self.summary, self.precision):
            layout.addWidget(label)

    def show_figures(self, open_here: int | None, figures: list[dict], visible: bool, running: bool,
                     links: int = 0) -> None:
        if open_here is None:
            self.summary.setText("Open an article, then Article ▸ Suggest.")
        elif running:
            self.summary.setText("Suggesting…")
        elif open_here == 0 and links == 0:
            self.summary.setText("None open in this article (Article ▸ Suggest).")
        else:
            shown = "" if visible else " (hidden: View ▸ Show suggestions)"
            what = ", ".join(part for part in (plural(open_here, "open suggestion") if open_here else "",
                                               plural(links, "suggested link") if links else "") if part)
            self.summary.setText(f"{what} here{shown}. Tab walks them, Enter accepts, X rejects, Shift+Enter "
                                 "accepts all.")
        lines = []
        for f in figures:
            decided = f["accepted"] + f["rejected"]
            rate = "no decisions yet" if not decided else f"{f['accepted']} of {decided} accepted ({f['precision']:.0%})"
            lines.append(f"{f['suggester']} · {f['label']}: {rate}")
        self.precision.setText("\n".join(lines))
        self.precision.setVisible(bool(lines))


class SuggestionController(QObject):
    """Everything of suggestions in the main window (see the module docstring)."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.worker: "StoreTask | None" = None
        self.train_worker: "StoreTask | None" = None
        self._pending: str | None = None  # an article to suggest for once the running worker ends
        self._running_for: str | None = None
        self._figures: list[dict] = []  # each suggester's precision, read again when suggestions change
        self._build_actions()
        self.box = SuggestionBox(window.side_panel)
        panel = window.side_panel.layout()
        panel.insertWidget(panel.indexOf(window.side_panel.list_heading), self.box)
        window.view.suggestionClicked.connect(self.make_current)
        window.view.annotationClicked.connect(lambda _aid: self._leave_current())
        window.view.set_suggestions_visible(self.show_action.isChecked())
        self._figures = self.store.suggestion_precision()
        self.sync()

    @property
    def store(self):
        return self.window.store

    # -- actions --------------------------------------------------------------------------------

    def _action(self, text: str, slot, keys: list[str] | None = None, *, checkable: bool = False,
                view_key: bool = False, tip: str = "") -> QAction:
        window = self.window
        action = QAction(text, window)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _checked=False: slot())
        if view_key:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            window.view.addAction(action)
        else:
            window.addAction(action)
        return action

    def _build_actions(self) -> None:
        window = self.window
        self.suggest_action = self._action("&Suggest", self.suggest, ["Ctrl+Shift+S"],
                                           tip="Suggest claims, sources and captions in this article (offline)")
        self.on_open_action = self._action("Suggest on &opening articles", self._set_on_open, checkable=True)
        self.train_action = self._action("&Train the span model", self.train,
                                         tip="Learn the learned_model suggester from this project's annotations "
                                             "(needs spaCy; labels with 50 annotations or more)")
        self.show_action = self._action("Show &suggestions", self._set_visible, ["Ctrl+Shift+H"], checkable=True)
        self.next_action = self._action("Next suggestion", lambda: self.step(1), ["Tab"], view_key=True)
        self.previous_action = self._action("Previous suggestion", lambda: self.step(-1), ["Shift+Tab", "Backtab", "Shift+Backtab"],
                                            view_key=True)
        self.accept_action = self._action("&Accept suggestion", self.accept_current, ["Return", "Enter"], view_key=True)
        self.reject_action = self._action("&Reject suggestion", self.reject_current, ["X", "Backspace"], view_key=True)
        self.accept_all_action = self._action("Accept &all suggestions here", self.accept_all,
                                              ["Shift+Return", "Shift+Enter"], view_key=True)
        stored = settings.current()
        for action, value in ((self.on_open_action, stored.get(ON_OPEN_KEY, False)), (self.show_action, stored.get(SHOW_KEY, True))):
            blocked = action.blockSignals(True)
            action.setChecked(bool(value))
            action.blockSignals(blocked)
        menu = QMenu("S&uggestions", window)
        for action in (self.suggest_action, self.on_open_action, self.train_action, None, self.next_action, self.previous_action,
                       self.accept_action, self.reject_action, self.accept_all_action):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        window.article_menu.addSeparator()
        window.article_menu.addAction(self.suggest_action)
        window.article_menu.addMenu(menu)
        self.menu = menu
        # the View menu: the one holding the side panel's toggle
        view_menu = next((m for m in window.toggle_panel_action.associatedObjects() if isinstance(m, QMenu)), None)
        if view_menu is not None:
            view_menu.addAction(self.show_action)

    def sync(self) -> None:
        """Which keys work: only with open suggestions shown, outside review and link mode (called by
        the window's `_update_actions` too, so it must stay cheap: no query)."""
        window = self.window
        view = window.view
        shown = bool(view.suggestions() or view.suggested_links()) and view.suggestions_visible()
        free = not window.review.active and window.link_source is None
        walking = shown and free
        current = walking and view.current_suggestion() is not None
        self.next_action.setEnabled(walking)
        self.previous_action.setEnabled(walking)
        self.accept_all_action.setEnabled(walking and not self.store.readonly)
        self.accept_action.setEnabled(current and not self.store.readonly)
        # Backspace also deletes the selected annotation: a suggestion is current only with none selected
        self.reject_action.setEnabled(current and window.selected_id is None and not self.store.readonly)
        self.suggest_action.setEnabled(window.current_article is not None and not window.review.active
                                       and not self.store.readonly)
        article = window.current_article
        self.box.show_figures(None if article is None else len(view.suggestions()), self._figures,
                              view.suggestions_visible(), self._running_for == (article.id if article else None),
                              len(view.suggested_links()) if article is not None else 0)

    # -- the window's hooks ---------------------------------------------------------------------

    def article_opened(self) -> None:
        self._load()
        article = self.window.current_article
        if article is not None and self.on_open_action.isChecked() and not self.store.readonly:
            self.suggest(quiet=True)

    def changes_applied(self, changes: Changes) -> None:
        article = self.window.current_article
        if changes.suggestions or changes.schema:
            self._figures = self.store.suggestion_precision()
        if article is not None and (changes.schema or (changes.suggestions and article.id in changes.articles)):
            self._load()
        else:
            self.sync()

    def _load(self) -> None:
        article = self.window.current_article
        view = self.window.view
        current = view.current_suggestion()
        view.set_suggestions(self.store.suggestions_for(article.id) if article is not None else [])
        links = self.store.suggested_relations_for(article.id) if article is not None else []
        if links:  # ends accepted since are annotations now (loaded only here: not at start-up)
            from ..operations.suggestions import standing_links

            links = standing_links(self.store, links)
        view.set_suggested_links(links)
        if current is not None:
            view.set_current_suggestion(current)
        self.sync()

    # -- suggesting (in a worker) ---------------------------------------------------------------

    @guarded
    def suggest(self, quiet: bool = False) -> None:
        """Article ▸ Suggest: run the suggesters for the open article off the UI thread."""
        article = self.window.current_article
        if article is None:
            return
        from ..suggest import suggester_names

        if not suggester_names():
            if not quiet:
                self.window.show_message("No suggesters are installed.")
            return
        if self.worker is not None and self.worker.is_running():
            self._pending = article.id
            return
        from .review_workers import StoreTask

        annotator = self.window._annotator()
        article_id = article.id

        def job(store, progress) -> "Proposed":
            from ..operations.suggestions import propose

            return propose(store, [article_id], annotator=annotator)

        path = self.window.store.path
        worker = StoreTask(path, job, readonly=True, name="suggest", parent=self)
        worker.finished.connect(lambda proposed: self._proposed(proposed, article_id, quiet, path))
        worker.failed.connect(lambda message: self._failed(message))
        worker.cancelled.connect(self._ended)
        self.worker, self._running_for = worker, article_id
        self.sync()
        worker.start()

    @guarded
    def train(self) -> None:
        """Article ▸ Suggestions ▸ Train the span model: in a worker (it takes seconds to minutes)."""
        if self.train_worker is not None and self.train_worker.is_running():
            self.window.show_message("The span model is being trained…")
            return
        from .review_workers import StoreTask

        def job(store, progress):
            from ..operations import span_models

            return span_models.train(store)

        worker = StoreTask(self.window.store.path, job, readonly=True, name="train span model", parent=self)
        worker.finished.connect(self._trained)
        worker.failed.connect(self._train_failed)
        worker.cancelled.connect(lambda: setattr(self, "train_worker", None))
        self.train_worker = worker
        self.train_action.setEnabled(False)
        self.window.show_message("Training the span model on this project's annotations…")
        worker.start()

    def _trained(self, trained) -> None:
        self.train_worker = None
        self.train_action.setEnabled(True)
        figures = ", ".join(f"{label} precision {'-' if p is None else f'{p:.2f}'}"
                            for label, p in trained.precision.items())
        self.window.show_message(f"Span model trained on {plural(trained.trained_on, 'article')} ({figures}, measured on "
                                 f"{trained.held_out} held out); Article ▸ Suggest uses it")

    def _train_failed(self, message: str) -> None:
        self.train_worker = None
        self.train_action.setEnabled(True)
        self.window.report_error(message)

    def _failed(self, message: str) -> None:
        self._ended()
        self.window.report_error(message)

    def _ended(self) -> None:
        self._running_for = None
        if self.worker is not None:
            self.worker.wait(5000)
        self.worker = None
        pending, self._pending = self._pending, None
        if pending is not None and self.window.current_article is not None and self.window.current_article.id == pending:
            self.suggest(quiet=True)
        else:
            self.sync()

    @guarded
    def _proposed(self, proposed: "Proposed", article_id: str, quiet: bool, path) -> None:
        from ..operations.suggestions import store_proposed

        self._running_for = None
        if self.store.path != path or not self.store.has_article(article_id):  # another project opened meanwhile
            self._ended()
            return
        done = store_proposed(self.store, proposed, annotator=self.window._annotator(), article_id=article_id)
        if done.op_id:
            # not an undo step of the window: Ctrl+Z undoes the analyst's edits, not the suggesters'
            self.window.watcher.own(done.op_id)
            self.window.apply_changes(done.changes)
        here = self.window.current_article is not None and self.window.current_article.id == article_id
        if not quiet or done.value:
            n = len(done.value)
            self.window.show_message(f"{plural(n, 'new suggestion')}" + (" — Tab walks them, Enter accepts, X rejects"
                                                                          if n and here else ""))
        self._ended()

    def shutdown(self) -> None:
        for worker in (self.worker, self.train_worker):
            if worker is not None and worker.is_running():
                worker.cancel()
                worker.wait(10000)

    # -- deciding -------------------------------------------------------------------------------

    def make_current(self, suggestion_id: str | None) -> None:
        window = self.window
        if suggestion_id is not None and window.selected_id is not None:
            window.select_annotation(None)
        window.view.set_current_suggestion(suggestion_id)
        found = self._current()
        if isinstance(found, SuggestedRelation):
            head, tail = self._end_text(found.head), self._end_text(found.tail)
            window.show_message(f"Suggested link {found.type}: “{elide(head, 30)}” → “{elide(tail, 30)}” by "
                                f"{found.suggester} ({found.confidence:.2f}) — Enter accepts, X rejects, Tab next")
        elif found is not None:
            quote = window.current_article.text[found.start:found.end]
            window.show_message(f"Suggested {found.label} “{elide(quote, 50)}” by {found.suggester} "
                                f"({found.confidence:.2f}) — Enter accepts, X rejects, Tab next")
        self.sync()

    def _end_text(self, key: str) -> str:
        """The text of a suggested link's end (an annotation or a suggestion)."""
        view, text = self.window.view, self.window.current_article.text
        span = view.end_span(key)
        return text[span.start:span.end] if span is not None else key[:8]

    def _leave_current(self) -> None:
        if self.window.view.current_suggestion() is not None:
            self.window.view.set_current_suggestion(None)
            self.sync()

    def _current(self) -> Suggestion | SuggestedRelation | None:
        key = self.window.view.current_suggestion()
        return next((s for s in self._walk() if s.id == key), None)

    def _walk(self) -> list[Suggestion | SuggestedRelation]:
        return [item for _, item in self._placed()]

    def _placed(self) -> list[tuple[int, Suggestion | SuggestedRelation]]:
        """The spans and links suggested here with their places, in text order (a link at its
        head's start, after the spans that start there)."""
        view = self.window.view
        items = [(s.start, 0, s) for s in view.suggestions()]
        items += [(view.link_position(link), 1, link) for link in view.suggested_links()]
        return [(start, item) for start, _, item in sorted(items, key=lambda i: i[:2])]

    def step(self, step: int) -> None:
        """Tab / Shift+Tab: the next (previous) suggestion in text order, from the current one or the
        reading position."""
        view = self.window.view
        placed = self._placed()
        if not placed:
            return
        ids = [item.id for _, item in placed]
        current = view.current_suggestion()
        if current in ids:
            position = (ids.index(current) + step) % len(ids)
        else:
            here = view.scroll_position()
            following = [i for i, (start, _) in enumerate(placed) if start >= here]
            position = (following[0] if following else 0) if step > 0 else (
                (following[0] - 1) % len(ids) if following else len(ids) - 1)
        self.make_current(ids[position])

    def _neighbour(self, suggestion_id: str) -> str | None:
        """The suggestion after (else before) one that is being decided: where Tab goes next."""
        ids = [s.id for s in self._walk()]
        if suggestion_id not in ids or len(ids) < 2:
            return None
        i = ids.index(suggestion_id)
        return ids[i + 1] if i + 1 < len(ids) else ids[i - 1]

    @guarded
    def accept_current(self) -> None:
        from ..operations import suggestions as sug

        found = self._current()
        if found is None or self.window.link_source is not None:
            return
        following = self._neighbour(found.id)
        done = sug.accept(self.store, [found.id], annotator=self.window._annotator())
        if isinstance(found, SuggestedRelation):
            self.window.record(done, f"accept {found.type} suggestion", f"accept {found.type} link")
        else:
            annotation = done.value.annotations[0]
            self.window.record(done, f"accept {annotation.label} suggestion",
                               f"accept {annotation.label} '{elide(annotation.quote, 40)}'")
        self.make_current(following)

    @guarded
    def reject_current(self) -> None:
        from ..operations import suggestions as sug

        found = self._current()
        if found is None or self.window.link_source is not None:
            return
        following = self._neighbour(found.id)
        done = sug.reject(self.store, [found.id], annotator=self.window._annotator())
        what = found.type if isinstance(found, SuggestedRelation) else found.label
        self.window.record(done, f"reject {what} suggestion", f"reject {what} suggestion")
        self.make_current(following)

    @guarded
    def accept_all(self) -> None:
        from ..operations import suggestions as sug

        article = self.window.current_article
        if article is None or not self._walk():
            return
        done = sug.accept_article(self.store, article.id, annotator=self.window._annotator())
        n = len(done.value.annotations) + len(done.value.relations)
        self.window.record(done, f"accept {plural(n, 'suggestion')}", f"accept {plural(n, 'suggestion')}")

    # -- settings -------------------------------------------------------------------------------

    def _set_visible(self, visible: bool) -> None:
        self.window.view.set_suggestions_visible(visible)
        if self.window.persist:
            settings.current().set(SHOW_KEY, bool(visible))
        self.sync()

    def _set_on_open(self, on: bool) -> None:
        if self.window.persist:
            settings.current().set(ON_OPEN_KEY, bool(on))
        if on and self.window.current_article is not None and not self.window.view.suggestions():
            self.suggest(quiet=True)
