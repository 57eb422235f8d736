"""Suggestions in the window, through the real widgets: ghost spans, Tab / Enter / X / Shift+Enter,
undo, the toggle, the panel, and the worker that keeps the window responsive."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fixtures_window import EMOJI_TEXT, press, select_text

Key, Mod = Qt.Key, Qt.KeyboardModifier


def rows(store, article_id):
    return store.conn.execute('SELECT start, "end", label, state, annotation_id FROM suggestions WHERE article_id = ? '
                              'ORDER BY start', (article_id,)).fetchall()


def test_suggest_draws_ghosts_and_stores_open_rows(suggested, store):
    window = suggested
    article_id = window.current_article.id
    assert [(s.start, s.end, s.label) for s in window.view.suggestions()] == [
        (2, 13, "SOURCE"), (EMOJI_TEXT.index("economy"), EMOJI_TEXT.index("economy") + 15, "CLAIM")]
    assert [r[3] for r in rows(store, article_id)] == ["open", "open"]
    assert store.annotations_for(article_id) == []  # not annotations
    assert window.annotations == {}
    assert "2 open suggestions, 1 suggested link here" in window.suggestions.box.summary.text()
    assert not window.undo_stack.canUndo()  # suggesting is not the analyst's edit


def test_tab_enter_accepts_and_undo_takes_it_back(qtbot, suggested, store):
    window = suggested
    article_id = window.current_article.id
    press(qtbot, window.view, Key.Key_Tab)
    assert window.view.current_suggestion() == window.view.suggestions()[0].id
    press(qtbot, window.view, Key.Key_Return)
    (annotation,) = store.annotations_for(article_id)
    assert (annotation.start, annotation.end, annotation.label, annotation.quote, annotation.origin) == (
        2, 13, "SOURCE", "Kim Jong Un", "suggested")
    assert rows(store, article_id)[0][3:] == ("accepted", annotation.id)
    assert annotation.id in window.annotations and len(window.view.suggestions()) == 1
    # the next one is current now
    assert window.view.current_suggestion() == window.view.suggestions()[0].id
    assert window.undo_stack.undoText() == "accept SOURCE suggestion"
    window.undo()
    assert store.annotations_for(article_id) == []
    assert [r[3] for r in rows(store, article_id)] == ["open", "open"]
    assert len(window.view.suggestions()) == 2


def test_x_and_backspace_reject(qtbot, suggested, store):
    window = suggested
    article_id = window.current_article.id
    press(qtbot, window.view, Key.Key_Tab)
    press(qtbot, window.view, Key.Key_X)
    assert [r[3] for r in rows(store, article_id)] == ["rejected", "open"]
    press(qtbot, window.view, Key.Key_Backspace)
    assert [r[3] for r in rows(store, article_id)] == ["rejected", "rejected"]
    assert store.annotations_for(article_id) == [] and window.view.suggestions() == []
    assert "fake-sources · SOURCE: 0 of 1 accepted (0%)" in window.suggestions.box.precision.text()


def test_backspace_still_deletes_a_selected_annotation(qtbot, suggested, store):
    window = suggested
    select_text(window, "said")
    press(qtbot, window.view, Key.Key_3)
    assert window.selected_id is not None
    press(qtbot, window.view, Key.Key_Backspace)
    assert window.annotations == {}
    assert [r[3] for r in rows(store, window.current_article.id)] == ["open", "open"]


def test_shift_tab_and_shift_enter_accept_all_as_one_undo(qtbot, suggested, store):
    window = suggested
    article_id = window.current_article.id
    press(qtbot, window.view, Key.Key_Backtab, Mod.ShiftModifier)
    assert window.view.current_suggestion() is not None
    press(qtbot, window.view, Key.Key_Return, Mod.ShiftModifier)
    assert sorted(a.label for a in store.annotations_for(article_id)) == ["CLAIM", "SOURCE"]
    assert len(store.relations_for(article_id)) == 1  # the suggested attributed_to came along
    assert window.view.suggestions() == []
    assert window.undo_stack.count() == 1
    window.undo()
    assert store.annotations_for(article_id) == [] and len(window.view.suggestions()) == 2


def test_a_click_on_a_ghost_makes_it_current(qtbot, suggested):
    window = suggested
    claim = window.view.suggestions()[1]
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=window.view.point_for(claim.start + 2))
    assert window.view.current_suggestion() == claim.id


def test_the_toggle_hides_them_and_the_keys(qtbot, suggested):
    window = suggested
    window.suggestions.show_action.setChecked(False)
    assert not window.view.suggestions_visible()
    assert not window.suggestions.next_action.isEnabled()
    press(qtbot, window.view, Key.Key_Tab)
    assert window.view.current_suggestion() is None
    window.suggestions.show_action.setChecked(True)
    assert window.suggestions.next_action.isEnabled()


def test_suggest_on_opening(qtbot, window, store, fake_suggesters):
    window.suggestions.on_open_action.setChecked(True)
    qtbot.waitUntil(lambda: len(window.view.suggestions()) == 2, timeout=10000)
    other = [i for i in window.article_list.model.ids() if i != window.current_article.id][0]
    window.open_article(other)
    qtbot.waitUntil(lambda: len(window.view.suggestions()) == 2, timeout=10000)
    assert {s.label for s in window.view.suggestions()} == {"SOURCE", "CLAIM"}  # "utility", "40,000 homes"


def test_the_suggesters_run_off_the_ui_thread(qtbot, window, fake_suggesters):
    import threading
    import time

    import suggestion_fakes
    from annotator.suggest import register

    seen: list[str] = []

    class Slow(suggestion_fakes.WordSuggester):
        def suggest(self, source):
            seen.append(threading.current_thread().name)
            time.sleep(0.3)
            return super().suggest(source)

    register(Slow("slow", "1", {"economy": ("CLAIM", 0.5)}))
    started = time.perf_counter()
    window.suggestions.suggest()
    assert time.perf_counter() - started < 0.1  # the window went on at once
    assert "Suggesting" in window.suggestions.box.summary.text()
    qtbot.waitUntil(lambda: window.suggestions.worker is None, timeout=10000)
    assert seen and seen[0] != threading.main_thread().name
    assert len(window.view.suggestions()) == 3


def test_menus_and_the_key_table(window):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions() if a.menu() is not None}
    assert window.suggestions.show_action in menus["View"].actions()
    assert window.suggestions.suggest_action in menus["Article"].actions()
    table = {what: keys for _section, keys, what in window.shortcut_table()}
    assert table["Suggestions: Next suggestion"] == "Tab"
    assert table["Suggestions: Reject suggestion"] == "X, Backspace"


def test_suggestions_made_elsewhere_appear_through_the_journal(qtbot, window, store, fake_suggesters):
    from annotator.operations import suggestions as sug
    from annotator.store import Store

    other = Store.open(store.path)  # another process, as the CLI would be
    try:
        sug.suggest(other, [window.current_article.id], annotator="tester")
    finally:
        other.close()
    window.watcher.poll()
    assert len(window.view.suggestions()) == 2
    assert window.suggestions.next_action.isEnabled()


def test_review_mode_hides_them_and_takes_the_keys(qtbot, suggested, store):
    window = suggested
    import support

    support.tag(store, window.current_article.id, 2, 13, "SOURCE", annotator="maria")
    support.tag(store, window.current_article.id, 2, 13, "SOURCE", annotator="ben")
    window.watcher.poll()
    window.review.set_active(True)
    assert not window.view._ghosts_on()  # noqa: SLF001 - what the view paints
    assert not window.suggestions.next_action.isEnabled() and not window.suggestions.accept_action.isEnabled()
    window.review.set_active(False)
    assert window.suggestions.next_action.isEnabled()


def test_train_the_span_model_from_the_menu(qtbot, window, monkeypatch):
    """The menu entry trains in a worker and says what it measured; too few annotations is a message."""
    from annotator.operations import span_models

    assert window.suggestions.train_action in window.suggestions.menu.actions()
    errors = []
    monkeypatch.setattr(window, "report_error", lambda message, unexpected=False: errors.append(str(message)))
    window.suggestions.train_action.trigger()
    qtbot.waitUntil(lambda: window.suggestions.train_worker is None, timeout=20000)
    assert errors and "no label has 50 accepted spans yet" in errors[0]
    assert window.suggestions.train_action.isEnabled()

    class Trained:  # what span_models.train returns, without spaCy's minutes
        precision = {"SOURCE": 0.8}
        trained_on, held_out = 56, 14

    monkeypatch.setattr(span_models, "train", lambda store: Trained())
    messages = []
    monkeypatch.setattr(window, "show_message", messages.append)
    window.suggestions.train_action.trigger()
    qtbot.waitUntil(lambda: window.suggestions.train_worker is None, timeout=20000)
    assert "Span model trained on 56 articles (SOURCE precision 0.80, measured on 14 held out)" in messages[-1]
