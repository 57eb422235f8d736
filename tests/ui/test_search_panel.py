"""The Search pane: Ctrl+Shift+F, hits with their context, Enter opens the article at the hit, and
the hits follow the project (edits, undo, writes from elsewhere)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QStyleOptionViewItem

from annotator import operations as ops
from annotator.model import build_article
from annotator.ui.search_dock import REFRESH_MS
from annotator.store.search import SNIPPET_CONTEXT
from annotator.ui.search_panel import HitDelegate, hit_html, where_colour, where_found
from annotator.ui.theme import AA_TEXT, contrast_ratio

try:
    from .fixtures_window import EMOJI_TEXT, focus_view, press, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import EMOJI_TEXT, focus_view, press, tag  # type: ignore[no-redef]


def search(qtbot, window, query: str) -> list:
    pane = window.search.pane
    pane.edit.setText(query)
    press(qtbot, pane.edit, Qt.Key.Key_Return)
    return [pane.hits.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(pane.hits.count())]


def scope(window, name: str) -> None:
    combo = window.search.pane.scope
    combo.setCurrentIndex(combo.findText(name))


def test_ctrl_shift_f_opens_the_pane_ready_to_type(qtbot, window):
    assert window.search.dock.isHidden()
    assert window.search.dock.widget() is None  # the pane is built when the dock is first shown (start-up time)
    press(qtbot, window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.search.dock.isVisible()
    assert window.search.dock.widget() is window.search.pane
    qtbot.waitUntil(window.search.pane.edit.hasFocus, timeout=2000)
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit")
    assert window.search.action in edit_menu.actions()


def test_enter_on_a_hit_opens_its_article_and_selects_it(qtbot, window):
    window.search.show_search()
    hits = search(qtbot, window, "economy")
    assert [h.in_ for h in hits] == ["text"]
    assert window.search.pane.hits.hasFocus() and window.search.pane.hits.currentRow() == 0
    window.open_article(window.article_list.model.ids()[1])  # the other article
    press(qtbot, window.search.pane.hits, Qt.Key.Key_Return)
    assert window.current_article.id == hits[0].article
    start, end = window.view.selection_span()
    assert (start, end) == (hits[0].start, hits[0].end) == (EMOJI_TEXT.index("economy"), EMOJI_TEXT.index("economy") + 7)
    assert window.current_article.text[start:end] == "economy"  # after the emoji: not shifted by one


def test_hits_are_shown_with_their_context_marked(qtbot, window):
    window.search.show_search()
    (hit,) = search(qtbot, window, "utility")
    shown = hit_html(hit)
    assert "Storm leaves thousands without power" in shown
    assert ">utility</span>" in shown and "lost power, the" in shown
    assert "1 hit in 1 article" in window.search.pane.status.text()


def test_the_hits_follow_edits_and_undo(qtbot, window):
    window.search.show_search()
    scope(window, "Quotes")
    assert search(qtbot, window, "Kim") == []
    focus_view(qtbot, window)  # the label keys work in the article view
    annotation = tag(qtbot, window, "Kim Jong Un", Qt.Key.Key_2)
    pane = window.search.pane
    qtbot.waitUntil(lambda: pane.hits.count() == 1, timeout=REFRESH_MS * 10)
    assert pane.hits.item(0).data(Qt.ItemDataRole.UserRole + 1).annotation == annotation
    window.delete_annotation(annotation)
    qtbot.waitUntil(lambda: pane.hits.count() == 0, timeout=REFRESH_MS * 10)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: pane.hits.count() == 1, timeout=REFRESH_MS * 10)


def test_a_note_hit_selects_its_annotation_and_writes_elsewhere_show(qtbot, window):
    article = window.current_article
    start = article.text.index("Kim")
    other = window.store.__class__.open(window.store.path)  # another program on the same file
    try:
        done = ops.tag(other, article.id, start, start + len("Kim Jong Un"), "SOURCE", annotator="ben")
        ops.set_note(other, done.value.id, "compare with the Yonhap report", annotator="ben")
    finally:
        other.close()
    window.search.show_search()
    scope(window, "Notes")
    qtbot.waitUntil(lambda: bool(search(qtbot, window, "yonhap")), timeout=5000)
    (hit,) = search(qtbot, window, "yonhap")
    assert (hit.in_, hit.annotation, hit.annotator) == ("notes", done.value.id, "ben")
    window.search.open_hit(hit)
    assert window.selected_id == done.value.id


def test_a_bad_query_says_what_is_wrong(qtbot, window):
    window.search.show_search()
    assert search(qtbot, window, '"economy') == []
    status = window.search.pane.status.text()
    assert status.startswith("search query") and "quotation mark" in status
    assert window.last_error == ""


def test_at_700_px_the_pane_keeps_its_hits_in_sight(qtbot, window):
    """Issue 13: docked at the bottom of a 1024×700 window, three lines a hit (title, where, context)
    and the filters on their own row left three hits in sight; the filters now sit beside the query
    and where a hit was found starts its line."""
    paragraphs = [("paragraph", f"Report {number}: the utility said so, and more words after it.") for number in range(12)]
    ops.add_articles(window.store, [build_article(paragraphs, title="Reports")], annotator="tester")
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.height() == 700, timeout=2000)
    window.search.show_search()
    pane = window.search.pane
    hits = search(qtbot, window, "utility")
    assert len(hits) == 13
    qtbot.waitUntil(lambda: abs(pane.edit.geometry().center().y() - pane.scope.geometry().center().y()) <= 4,
                    timeout=2000)
    assert pane.scope.geometry().left() > pane.edit.geometry().right()  # one row
    viewport = pane.hits.viewport().rect()
    in_sight = sum(1 for i in range(pane.hits.count()) if viewport.contains(pane.hits.visualItemRect(pane.hits.item(i))))
    assert in_sight >= 5
    body = QFontMetrics(pane.hits.font()).height()
    second = pane.hits.visualItemRect(pane.hits.item(1))  # not the first of its article: no title line
    assert second.height() < 2 * body + 2 * HitDelegate.PADDING


LONG = ("The minister said on Tuesday that officials would review the figures released by the agency after "
        "reports of rising prices in several regions, according to analysts who spoke on condition of "
        "anonymity because they were not authorised to discuss the talks between the leaders of both sides.")


def _hit_line(qtbot, window, width: int) -> tuple[str, int, float]:
    """(the hit's line as shown, how many lines its document takes, the list's width) at `width`."""
    window.resize(width, 800)
    pane = window.search.pane
    qtbot.waitUntil(lambda: abs(pane.hits.viewport().width() - (width - 40)) < 60, timeout=2000)  # docked below
    option = QStyleOptionViewItem()
    option.initFrom(pane.hits)
    line_width = pane.hits.viewport().width()
    document = pane.hits.itemDelegate()._document(option, pane.hits.indexFromItem(pane.hits.item(0)), line_width)
    lines = round(document.size().height() / QFontMetrics(pane.hits.font()).lineSpacing())
    return document.toPlainText().split("\n")[-1], lines, line_width


def test_a_wide_pane_fills_its_line_with_the_hits_context(qtbot, window):
    """A fixed 60 code points either side left half of a 1600 px pane empty: docked at the bottom,
    a hit is one line holding as much of its context as fits, cut with an ellipsis; at a side the
    context is 60 code points either side, wrapped."""
    ops.add_articles(window.store, [build_article([("paragraph", LONG)], title="Prices")], annotator="tester")
    window.search.show_search()
    (hit,) = search(qtbot, window, "agency")
    seen = {}
    for width in (1024, 1600):
        shown, lines, line_width = _hit_line(qtbot, window, width)
        assert lines == 2  # the article's title, then the hit's one line
        assert "agency" in shown and shown.startswith(where_found(hit)) and shown.count("…") >= 1
        assert QFontMetrics(window.search.pane.hits.font()).horizontalAdvance(shown) <= line_width
        seen[width] = len(shown)
    assert seen[1600] > seen[1024] and seen[1600] - len(where_found(hit)) > 2 * SNIPPET_CONTEXT + 20
    narrow = hit_html(hit)  # the pane at a side
    assert "officials would review" in narrow and "condition of anonymity" not in narrow


def test_a_narrow_pane_puts_the_filters_under_the_query(qtbot, window):
    pane = window.search.pane
    window.search.show_search()
    window.search.dock.setFloating(True)
    window.search.dock.resize(380, 400)
    qtbot.waitUntil(lambda: pane.width() < 400, timeout=2000)
    qtbot.waitUntil(lambda: pane.scope.geometry().top() > pane.edit.geometry().bottom(), timeout=2000)


@pytest.mark.parametrize("base, text, alternate", [("#ffffff", "#000000", "#f7f7f7"), ("#fcfcfc", "#232629", "#eff0f1"),
                                                   ("#1b1e20", "#eff0f1", "#232629"), ("#1e1e1e", "#e6e6e6", "#2a2a2a")])
def test_where_a_hit_was_found_is_readable_on_both_row_colours(base, text, alternate):
    """The fixed mid grey it was (#7a7a7a) is 4.3:1 on white and 4:1 on a dark base: under AA."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(alternate))
    palette.setColor(QPalette.ColorRole.Text, QColor(text))
    hint = QColor(text)
    hint.setAlphaF(0.5)  # Qt's default placeholder: half-transparent text
    palette.setColor(QPalette.ColorRole.PlaceholderText, hint)
    colour = where_colour(palette)
    for ground in (base, alternate):
        assert contrast_ratio(colour, QColor(ground)) >= AA_TEXT
    assert contrast_ratio(colour, QColor(base)) < contrast_ratio(QColor(text), QColor(base))  # still quieter than the text


def test_a_search_pane_left_open_comes_back_built_in_the_next_session(qtbot, make_window, store):
    first = make_window(store)
    first.search.show_search()
    assert first.search.dock.isVisible()
    first.close()  # saves the window state, the dock open
    second = make_window(store)
    assert second.search.dock.isVisible()
    assert second.search.dock.widget() is not None  # built when the restored dock was shown, not left empty


def test_after_a_big_import_the_pane_indexes_in_the_background_then_shows_the_hits(qtbot, window, tmp_path,
                                                                                   monkeypatch):
    """A file written in batches leaves its rows for the next search (search_index.catch_up): the
    window does that in a worker with its progress dialog, the pane says so, and the hits follow."""
    import json

    from annotator.operations import annotation_sets
    from annotator.operations.annotation_sets import import_annotation_set

    monkeypatch.setattr(annotation_sets, "FLUSH_SPANS", 2)
    tasks = [{"id": n, "data": {"text": f"Zeppelin report {n}."}, "annotations": [{"id": n, "result": [
        {"id": f"r{n}", "type": "labels", "value": {"start": 0, "end": 8, "text": "Zeppelin", "labels": ["CLAIM"]}}]}]}
        for n in range(6)]
    source = tmp_path / "tasks.json"
    source.write_text(json.dumps(tasks), encoding="utf-8")
    import_annotation_set(window.store, source, importer="tester")
    assert window.store.search_index_behind
    window.search.show_search()
    assert search(qtbot, window, "zeppelin") == []
    assert window.search.pane.status.text().startswith("Indexing what the last import added for search")
    qtbot.waitUntil(lambda: window.search.pane.hits.count() > 0, timeout=10000)
    hits = [window.search.pane.hits.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(window.search.pane.hits.count())]
    assert len({h.article for h in hits}) == 6 and not window.store.search_index_behind
    assert window.statusBar().currentMessage() == "The search index is up to date."
