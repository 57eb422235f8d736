"""The main window: layout, menus and shortcuts, list, find bar, errors, and `run(...)` screenshots."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QMessageBox

from annotator import settings
from annotator.errors import NotFoundError
from annotator.store import Store
from annotator.ui import app as app_module
import support

try:
    from .fixtures_window import EMOJI_TEXT, focus_view, press, seed_article, select_text, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import EMOJI_TEXT, focus_view, press, seed_article, select_text, tag  # type: ignore[no-redef]

CTRL = Qt.KeyboardModifier.ControlModifier


def menu_texts(window) -> dict[str, list[str]]:
    menus: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None:
            menus[action.text().replace("&", "")] = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    return menus


def test_layout_list_view_and_panel(window):
    assert window.splitter.count() == 3
    assert window.splitter.widget(0) is window.list_pane
    assert window.view.isVisible() and window.side_panel.isVisible() and window.article_list.isVisible()
    assert window.article_list.model.rowCount() == 2
    titles = [window.article_list.model.summary(i).title for i in window.article_list.model.ids()]
    assert titles == ["Emoji first", "Storm leaves thousands without power"]
    assert "Emoji first" in window.windowTitle()


def test_menus_have_the_actions(window):
    menus = menu_texts(window)
    assert list(menus) == ["File", "Edit", "View", "Article", "Review", "Help"]
    for text in ("New project…", "Open project…", "Recent projects", "Import files…", "Import folder…", "Export…", "Quit"):
        assert text in menus["File"]
    assert {"Undo", "Redo", "Delete annotation", "Find…"} <= set(menus["Edit"])
    assert {"Zoom in", "Zoom out", "Reset zoom", "Article list", "Side panel"} <= set(menus["View"])
    assert {"Mark done", "Next annotation", "Previous annotation", "Next article", "Previous article"} <= set(
        menus["Article"]
    )
    assert {"Keyboard shortcuts", "About News Annotator"} <= set(menus["Help"])


def test_key_shortcuts_are_the_documented_ones(window):
    def keys(action) -> set[str]:
        return {s.toString() for s in action.shortcuts()}

    assert "Ctrl+F" in keys(window.find_action)
    assert "Ctrl+D" in keys(window.done_action)
    assert "Ctrl+PgDown" in keys(window.next_article_action)
    assert "Ctrl+PgUp" in keys(window.previous_article_action)
    assert "Ctrl+0" in keys(window.reset_zoom_action)
    assert "Ctrl++" in keys(window.zoom_in_action)
    assert "Ctrl+-" in keys(window.zoom_out_action)
    assert "F1" in keys(window.keys_action)
    assert "N" in keys(window.next_annotation_action) and "P" in keys(window.previous_annotation_action)
    assert {"Del", "Backspace"} <= keys(window.delete_action)
    assert "1" in keys(window.label_actions["CLAIM"]) and "Alt+1" in keys(window.exact_label_actions["CLAIM"])


def test_keyboard_help_lists_every_shortcut(qtbot, window):
    dialog = window.show_keyboard_help()
    rows = dialog.rows()
    listed = " | ".join(keys for keys, _ in rows)
    every = [window.find_action, window.done_action, window.next_article_action, window.previous_article_action,
             window.zoom_in_action, window.zoom_out_action, window.reset_zoom_action, window.undo_action,
             window.redo_action, window.delete_action, window.next_annotation_action, window.extend_end_action,
             window.shrink_end_action, window.extend_start_action, window.shrink_start_action, window.set_bounds_action,
             window.keys_action, window.toggle_list_action, window.toggle_panel_action]
    every += list(window.label_actions.values()) + list(window.exact_label_actions.values())
    for action in every:
        for sequence in action.shortcuts():
            assert sequence.toString(QKeySequence.SequenceFormat.NativeText) in listed, action.text()
    assert any("Esc" in keys for keys, _ in rows)
    dialog.close()


def test_label_buttons_show_names_and_hotkeys(window):
    for name in ("CLAIM", "SOURCE", "CAPTION"):
        button = window.side_panel.button(name)
        assert name in button.text()
        assert "key" in button.toolTip()
        assert not button.icon().isNull()


def test_clicking_an_article_in_the_list_opens_it(qtbot, window):
    view = window.article_list.view
    index = window.article_list.proxy.index(1, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    assert window.current_article.title == "Storm leaves thousands without power"


def test_enter_in_the_list_opens_the_article(qtbot, window):
    view = window.article_list.view
    view.setFocus()
    view.setCurrentIndex(window.article_list.proxy.index(1, 0))
    press(qtbot, view, Qt.Key.Key_Return)
    assert window.current_article.title == "Storm leaves thousands without power"


def click_row(qtbot, window, row: int, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    view = window.article_list.view
    index = window.article_list.proxy.index(row, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, view.visualRect(index).center())


def test_the_list_selects_several_articles_with_ctrl_click_without_opening_them(qtbot, window):
    first, second = window.article_list.visible_ids()
    assert window.current_article.id == first
    assert window.selected_article_ids() == [first]  # the open article is the selection
    click_row(qtbot, window, 1, CTRL)
    assert window.current_article.id == first  # Ctrl+click only selects
    assert window.article_list.selected_article_ids() == [first, second]  # the list's order
    assert window.selected_article_ids() == [first, second]
    click_row(qtbot, window, 0, CTRL)
    assert window.selected_article_ids() == [second]
    assert window.current_article.id == first
    click_row(qtbot, window, 0)  # a plain click opens, and selects that one only
    assert window.current_article.id == first and window.selected_article_ids() == [first]
    click_row(qtbot, window, 1)
    assert window.current_article.id == second and window.selected_article_ids() == [second]


def test_shift_extends_the_selection_and_enter_opens_the_current_article(qtbot, window):
    first, second = window.article_list.visible_ids()
    view = window.article_list.view
    view.setFocus()
    view.setCurrentIndex(window.article_list.proxy.index(0, 0))
    press(qtbot, view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert window.selected_article_ids() == [first, second]
    assert window.article_list.current_id() == second
    press(qtbot, view, Qt.Key.Key_Return)
    assert window.current_article.id == second
    assert window.selected_article_ids() == [first, second]  # opening keeps the selection it is part of
    window.step_article(-1)  # opening another way (Ctrl+PgUp) too
    assert window.current_article.id == first and window.selected_article_ids() == [first, second]
    click_row(qtbot, window, 1, Qt.KeyboardModifier.ShiftModifier)  # Shift+click only selects
    assert window.current_article.id == first and window.selected_article_ids() == [first, second]


def test_the_selection_follows_the_filter_and_sort(qtbot, window):
    first, second = window.article_list.visible_ids()
    click_row(qtbot, window, 1, CTRL)
    window.article_list.proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert window.article_list.visible_ids() == [second, first]
    assert window.selected_article_ids() == [second, first]
    qtbot.keyClicks(window.article_list.filter_edit, "storm")
    assert window.selected_article_ids() == [second]


def test_filter_box_narrows_the_list(qtbot, window):
    qtbot.keyClicks(window.article_list.filter_edit, "storm")
    assert window.article_list.visible_ids() == [window.article_list.model.ids()[1]]
    press(qtbot, window.article_list.filter_edit, Qt.Key.Key_Return)
    assert window.current_article.title == "Storm leaves thousands without power"
    window.article_list.filter_edit.clear()
    assert len(window.article_list.visible_ids()) == 2


def test_next_and_previous_article_keys(qtbot, window):
    first = window.current_article.id
    press(qtbot, window.view, Qt.Key.Key_PageDown, CTRL)
    assert window.current_article.id != first
    press(qtbot, window.view, Qt.Key.Key_PageDown, CTRL)  # already the last one
    assert "last article" in window.statusBar().currentMessage()
    press(qtbot, window.view, Qt.Key.Key_PageUp, CTRL)
    assert window.current_article.id == first


def test_find_bar_counts_hits_and_closes_with_escape(qtbot, window):
    press(qtbot, window.view, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "o")
    assert bar.count.text() == "1 of 3"  # Jong, economy (two)
    first = window.view.selection_span()
    press(qtbot, bar.edit, Qt.Key.Key_Return)
    assert window.view.selection_span() != first
    press(qtbot, bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.view.hasFocus()


def test_find_bar_reports_no_match(qtbot, window):
    window.show_find()
    qtbot.keyClicks(window.find_bar.edit, "zebra")
    assert window.find_bar.count.text() == "no matches"


def test_zoom_and_toggles(qtbot, window):
    press(qtbot, window.view, Qt.Key.Key_Plus, CTRL)
    assert window.view.zoom_level() == 1
    press(qtbot, window.view, Qt.Key.Key_Minus, CTRL)
    press(qtbot, window.view, Qt.Key.Key_Minus, CTRL)
    assert window.view.zoom_level() == -1
    press(qtbot, window.view, Qt.Key.Key_0, CTRL)
    assert window.view.zoom_level() == 0
    window.toggle_list_action.trigger()
    assert not window.list_pane.isVisible()
    window.toggle_list_action.trigger()
    assert window.list_pane.isVisible()
    window.toggle_panel_action.trigger()
    assert not window.panel_pane.isVisible()
    window.toggle_panel_action.trigger()
    assert window.panel_pane.isVisible()


def test_mark_done_shows_in_the_list(qtbot, window, store):
    article_id = window.current_article.id
    press(qtbot, window.view, Qt.Key.Key_D, CTRL)
    assert store.get_article(article_id).status == "done"
    index = window.article_list.model.index(window.article_list.model.row_of(article_id), 2)
    assert "done" in index.data()
    assert window.done_action.text().replace("&", "") == "Mark in progress"


def test_core_errors_become_messages_not_crashes(qtbot, window, monkeypatch):
    def missing(article_id: str):
        raise NotFoundError(f"no article with id {article_id}")

    monkeypatch.setattr(window.store, "get_article", missing)
    assert window.open_article("does-not-exist") is None
    assert "no article with id" in window.last_error
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes
    for box in boxes:
        box.close()


def test_export_writes_jsonl(qtbot, window, tmp_path: Path):
    tag(qtbot, window, "Kim Jong Un", Qt.Key.Key_2)
    target = tmp_path / "out.jsonl"
    window.export_to(target)
    assert window.last_error == ""
    records = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    spans = [span for record in records for span in record.get("spans", [])]  # the first line is a header
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(2, 13, "SOURCE")]


def test_switching_projects(qtbot, make_window, project_path, tmp_path: Path):
    first = Store.open(project_path)
    window = make_window(first)
    other = tmp_path / "other.annotator"
    assert window.switch_project(other)
    assert window.store.path == other
    assert window.current_article is None
    assert window.article_list.model.rowCount() == 0
    assert window.undo_stack.count() == 0
    assert str(other.resolve()) in settings.current().recent_projects()
    window.store.close()
    window.store = first  # let the fixture close a live store
    window.close()
    first.close()


def test_screenshot_writes_a_1400x900_png(qtbot, project_path, tmp_path: Path):
    with Store.open(project_path) as store:
        seed = seed_article()
        support.add_article(store, seed)
        annotation = support.tag(store, seed.id, 0, 11, "SOURCE", annotator="tester")
    target = tmp_path / "shot" / "x.png"
    assert app_module.run(project_path, seed.id[:8], target) == 0
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1400, 900)
    assert settings.current().get("window") is None  # a screenshot leaves the user's settings alone
    assert annotation.quote == seed.text[0:11]


def test_run_reports_a_bad_project_and_returns_1(qtbot, tmp_path: Path, capsys):
    bad = tmp_path / "bad.annotator"
    bad.write_bytes(b"not a database, just text")
    assert app_module.run(bad, None, tmp_path / "x.png") == 1
    assert "not a project file" in capsys.readouterr().err


def test_run_reports_an_unknown_target(qtbot, project_path, tmp_path: Path, capsys):
    assert app_module.run(project_path, "ffffffffffff", tmp_path / "x.png") == 1
    assert "no article" in capsys.readouterr().err


def test_emoji_article_text_is_what_the_view_shows(window):
    assert window.view.article.text == EMOJI_TEXT
