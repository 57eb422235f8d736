"""No text is cut off without a sign (issue 13): the side panel's link rows, the link picker and the
export dialog end a text that does not fit in "…" and show it whole in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.model import build_article
import support

LONG_SOURCE = "the Korean Central News Agency of the Democratic People's Republic of Korea, in Pyongyang"
TEXT = f"Kim said the economy grew 5%, according to {LONG_SOURCE}."


def linked(store, relate: bool = True):
    article = build_article([("paragraph", TEXT)], title="A very long title " * 8, outlet="Wire")
    support.add_article(store, article)
    start = TEXT.index("the economy")
    claim = support.tag(store, article.id, start, start + len("the economy grew 5%"), "CLAIM")
    start = TEXT.index(LONG_SOURCE)
    source = support.tag(store, article.id, start, start + len(LONG_SOURCE), "SOURCE")
    relation = support.relate(store, claim.id, source.id) if relate else None
    return article, claim, source, relation


def test_a_link_row_too_long_for_the_panel_ends_in_an_ellipsis(qtbot, make_window, store):
    article, claim, _source, _relation = linked(store)
    window = make_window(store)
    window.open_article(article.id)
    window.select_annotation(claim.id)
    qtbot.wait(20)
    ((_, button, _remove),) = window.side_panel.detail.link_rows
    assert LONG_SOURCE in button.full_text()
    qtbot.waitUntil(lambda: button.is_elided(), timeout=2000)
    shown = button.text()
    assert shown.endswith("…") and button.fontMetrics().horizontalAdvance(shown) <= button.width()
    assert LONG_SOURCE in button.toolTip() and "Click to select" in button.toolTip()
    # wide enough: the whole text, and no tooltip repeating it
    window.splitter.setSizes([0, 200, 2000])
    window.resize(2600, 800)
    qtbot.waitUntil(lambda: not button.is_elided(), timeout=2000)
    assert button.text() == button.full_text() and LONG_SOURCE not in button.toolTip()


def test_the_link_picker_says_the_relation_once_and_shows_each_target_whole_in_its_tooltip(qtbot, make_window, store):
    article, claim, _source, _relation = linked(store, relate=False)
    window = make_window(store)
    window.open_article(article.id)
    window.select_annotation(claim.id)
    window.start_link(claim.id)
    picker = window.link_picker
    assert picker.isVisible()
    assert "as attributed to" in picker.title.text()
    item = picker.list.item(0)
    assert item.data(Qt.ItemDataRole.DisplayRole).startswith("SOURCE  “")  # the relation is in the title; one annotator: no name
    assert LONG_SOURCE in item.toolTip() and "attributed to" in item.toolTip()
    assert picker.list.textElideMode() == Qt.TextElideMode.ElideRight  # the list draws the "…"


def test_two_annotators_sources_with_one_quote_are_told_apart_in_the_picker(qtbot, make_window, store):
    """The walk-through: a colleague's set beside one's own listed "SOURCE “KCNA Watch”" twice."""
    article, claim, source, _relation = linked(store, relate=False)
    support.tag(store, article.id, source.start, source.end, "SOURCE", annotator="ana")
    window = make_window(store)
    window.open_article(article.id)
    window.start_link(claim.id)
    rows = [window.link_picker.list.item(i).text() for i in range(window.link_picker.list.count())]
    assert len(rows) == 2 and len(set(rows)) == 2
    assert sorted(row.split("  ")[0] for row in rows) == ["SOURCE · ana", "SOURCE · tester"]


def test_the_export_dialog_keeps_long_titles_names_and_paths_whole_in_tooltips(qtbot, make_window, store):
    article, *_ = linked(store)
    window = make_window(store)
    window.open_article(article.id)
    dialog = window.export()
    radio = dialog.article_radios["current"]
    assert radio.text().endswith("…") and radio.toolTip() == article.title
    assert dialog.path_edit.toolTip() == dialog.path_edit.text()
    names = [dialog.annotator_list.topLevelItem(i) for i in range(dialog.annotator_list.topLevelItemCount())]
    assert all(item.toolTip(0) == item.text(0) for item in names)
    dialog.readout.setText("x" * 40 + " " + "a long message " * 40)
    qtbot.wait(10)
    assert dialog.readout.wordWrap() and dialog.width() < 1400  # wrapped, never cut, never wider
    dialog.close()
