"""An undo that jumps to another article (issue 13): one row selected, the right one, and every count
shown matches the project, also when the undo is the Ctrl+Z key (Ctrl still held as the list
moves)."""

from __future__ import annotations

from PySide6.QtCore import Qt

try:
    from .fixtures_window import tag
except ImportError:  # tests/ui is not a package
    from fixtures_window import tag

CTRL = Qt.KeyboardModifier.ControlModifier


def counts_shown(window) -> dict:
    article = window.current_article
    return {
        "info": window.article_info.text(),
        "row": window.article_list.model.summary(article.id).annotations,
        "panel": len(window.side_panel.annotations),
        "list": window.article_list.count_label.text(),
    }


def test_ctrl_z_in_another_article_selects_one_row_and_updates_the_counts(qtbot, window, store):
    first = window.current_article.id
    tag(qtbot, window, "economy")
    tag(qtbot, window, "Kim Jong Un")
    window.step_article(1)
    second = window.current_article.id
    assert second != first
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.current_article.id == first
    assert window.article_list.selected_article_ids() == [first]
    assert window.article_list.current_id() == first
    live = len(store.annotations_for(first))
    assert live == 1
    assert counts_shown(window) == {"info": "1 annotation · in progress", "row": 1, "panel": 1,
                                    "list": "2 articles · 0 done"}
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undo again, in the article now open
    assert window.article_list.selected_article_ids() == [first]
    assert counts_shown(window)["info"].startswith("0 annotations")
    # redo from the other article jumps back the same way
    window.open_article(second)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_article.id == first
    assert window.article_list.selected_article_ids() == [first]
    assert counts_shown(window)["info"].startswith("1 annotation ·")


def test_undoing_done_from_another_article_updates_the_done_count_and_the_status(qtbot, window, store):
    first = window.current_article.id
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    assert window.article_list.count_label.text() == "2 articles · 1 done"
    window.step_article(1)  # Ctrl+D may have moved on by itself; make sure we are elsewhere
    if window.current_article.id == first:
        window.step_article(1)
    assert window.current_article.id != first
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.current_article.id == first
    assert window.article_list.selected_article_ids() == [first]
    assert window.article_list.count_label.text() == "2 articles · 0 done"
    assert window.article_info.text().endswith("· to do")
