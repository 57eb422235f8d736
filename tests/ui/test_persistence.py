"""Autosave and reopening: edits are committed at once; a new window restores article and position."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from annotator import settings
from annotator.store import Store
import support

try:
    from .fixtures_window import in_view, press, reopen, seed_article, select_text, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import in_view, press, reopen, seed_article, select_text, tag  # type: ignore[no-redef]


def test_each_edit_is_committed_before_it_is_reported(qtbot, window, project_path):
    tag(qtbot, window, "Kim Jong Un")
    assert window.statusBar().currentMessage().startswith("Saved")
    # another connection (another process would see the same) reads it without the window closing
    with sqlite3.connect(project_path) as other:
        rows = other.execute('SELECT start, "end", label, deleted FROM annotations').fetchall()
    assert rows == [(2, 13, "CLAIM", 0)]


def test_closing_and_reopening_restores_annotations_and_article(qtbot, make_window, project_path):
    first_store = Store.open(project_path)
    window = make_window(first_store)
    window.step_article(1)  # the second article
    second_id = window.current_article.id
    tag(qtbot, window, "40,000 homes")
    tag(qtbot, window, "the utility", Qt.Key.Key_2)
    ids = set(window.annotations)
    window.close()
    first_store.close()

    reopened_store = Store.open(project_path)
    try:
        again = make_window(reopened_store)
        assert again.current_article.id == second_id
        assert set(again.annotations) == ids
        assert all(in_view(again, annotation_id) for annotation_id in ids)
        assert set(again.side_panel.annotations) == ids
        assert again.article_list.current_id() == second_id
    finally:
        again.close()
        reopened_store.close()


def test_scroll_position_is_restored(qtbot, make_window, store, project_path):
    seed = seed_article()
    support.add_article(store, seed)
    window = make_window(store)
    window.open_article(seed.id)
    qtbot.wait(20)
    target = seed.text.index("The message from K")
    window.view.set_scroll_position(target)
    qtbot.wait(20)
    position = window.view.scroll_position()
    assert position > 0
    window.close()
    saved = settings.current().get("scroll_positions")[str(project_path.resolve())][seed.id]
    assert saved == position

    again = make_window(store)
    assert again.current_article.id == seed.id
    qtbot.waitUntil(lambda: again.view.scroll_position() == position, timeout=2000)
    again.close()


def test_window_geometry_and_splitter_are_saved_and_restored(qtbot, make_window, store):
    window = make_window(store)
    window.splitter.setSizes([300, 600, 300])
    sizes = window.splitter.sizes()
    window.close()
    state = settings.current().get("window")
    assert set(state) >= {"geometry", "state", "splitter"}
    again = make_window(store)
    assert again.splitter.sizes()[0] == sizes[0]
    again.close()


def test_default_layout_has_list_view_and_panel(window):
    list_width, centre, panel = window.splitter.sizes()
    assert 200 <= list_width <= 320
    assert 260 <= panel <= 380
    assert centre > list_width and centre > panel


def test_marked_done_shows_in_the_list_after_reopening(qtbot, make_window, store):
    window = make_window(store)
    article_id = window.current_article.id
    window.toggle_done()
    again = reopen(make_window, window)
    assert again.article_list.model.summary(article_id).status == "done"
    assert "done" in again.article_list.model.index(again.article_list.model.row_of(article_id), 2).data()
    again.close()


def test_zoom_is_remembered(qtbot, make_window, store):
    window = make_window(store)
    window.zoom_in_action.trigger()
    window.zoom_in_action.trigger()
    assert window.view.zoom_level() == 2
    again = reopen(make_window, window)
    assert again.view.zoom_level() == 2
    again.reset_zoom_action.trigger()
    assert again.view.zoom_level() == 0
    again.close()