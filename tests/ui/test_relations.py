"""Linking a claim to its source through the real widgets: A, a click (or the list), undo and redo."""

from __future__ import annotations

from PySide6.QtCore import Qt
import support

try:
    from .fixtures_window import in_view, press, seed_article, seed_claim_and_source, select_text, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import in_view, press, seed_article, seed_claim_and_source, select_text, tag  # type: ignore[no-redef]

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier



def claim_and_source(qtbot, window) -> tuple[str, str]:
    claim = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    source = tag(qtbot, window, "Kim Jong Un", Qt.Key.Key_2)
    window.select_annotation(claim)
    return claim, source


def click_span(qtbot, window, annotation_id: str) -> None:
    annotation = window.annotations[annotation_id]
    point = window.view.point_for(annotation.start + 1)
    assert window.view.viewport().rect().contains(point)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def live_relations(store, window):
    return store.relations_for(window.current_article.id)


def test_a_then_click_on_the_source_stores_the_relation(qtbot, window, store):
    claim, source = claim_and_source(qtbot, window)
    press(qtbot, window.view, Qt.Key.Key_A)
    assert window.link_source == claim
    assert window.view.link_mode() == claim
    assert window.link_picker.isVisible()
    assert window.link_picker.ids() == [source]
    click_span(qtbot, window, source)
    (relation,) = live_relations(store, window)
    assert (relation.head, relation.tail, relation.type, relation.annotator) == (claim, source, "attributed_to", "tester")
    assert window.link_source is None and not window.link_picker.isVisible()
    assert window.view.link_mode() is None
    assert window.selected_id == claim  # the claim stays selected, its arrow drawn
    assert [r.id for r in window.view.relations_of(claim)] == [relation.id]
    assert [r.id for r in window.view.relations_of(source)] == [relation.id]
    assert window.undo_stack.undoText() == "link attributed to"
    assert window.statusBar().currentMessage().startswith("Saved · link attributed to")
    # listed in the claim's details, and in the source's
    rows = window.side_panel.detail.link_rows
    assert [(r.id, button.text()) for r, button, _ in rows] == [(relation.id, "→ attributed to: SOURCE “Kim Jong Un”")]
    window.select_annotation(source)
    rows = window.side_panel.detail.link_rows
    assert [button.text() for _, button, _ in rows] == ["← attributed to: CLAIM “the economy grew 5%”"]


def test_undo_removes_the_relation_and_redo_restores_it(qtbot, window, store):
    claim, source = claim_and_source(qtbot, window)
    press(qtbot, window.view, Qt.Key.Key_A)
    click_span(qtbot, window, source)
    (relation,) = live_relations(store, window)
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert live_relations(store, window) == []
    assert store.relations_by_id([relation.id]) == {}  # the link's row is gone, as before it was made
    assert window.view.relations_of(claim) == [] and window.side_panel.relations == {}
    assert in_view(window, claim) and in_view(window, source)  # the spans stay
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL | SHIFT)
    (again,) = live_relations(store, window)
    assert again.id == relation.id
    assert [r.id for r in window.view.relations_of(claim)] == [relation.id]
    assert relation.id in window.side_panel.relations


def test_the_list_is_keyboard_navigable(qtbot, window, store):
    claim = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    first = tag(qtbot, window, "Kim", Qt.Key.Key_2)
    second = tag(qtbot, window, "Jong Un", Qt.Key.Key_2)
    window.select_annotation(claim)
    press(qtbot, window.view, Qt.Key.Key_A)
    picker = window.link_picker.list
    assert picker.hasFocus()
    assert window.link_picker.ids() == [first, second]
    picker.setCurrentRow(0)
    press(qtbot, picker, Qt.Key.Key_Down)
    press(qtbot, picker, Qt.Key.Key_Return)
    (relation,) = live_relations(store, window)
    assert (relation.head, relation.tail) == (claim, second)
    # already linked pairs are not offered again
    press(qtbot, window.view, Qt.Key.Key_A)
    assert window.link_picker.ids() == [first]


def test_escape_cancels_link_mode(qtbot, window, store):
    claim, _source = claim_and_source(qtbot, window)
    press(qtbot, window.view, Qt.Key.Key_A)
    press(qtbot, window.link_picker.list, Qt.Key.Key_Escape)
    assert window.link_source is None and not window.link_picker.isVisible()
    assert window.selected_id == claim
    press(qtbot, window.view, Qt.Key.Key_A)
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Escape)
    assert window.link_source is None and window.view.link_mode() is None
    assert window.selected_id == claim  # the first Esc only leaves link mode
    assert window.statusBar().currentMessage() == "Linking cancelled."
    press(qtbot, window.view, Qt.Key.Key_Escape)
    assert window.selected_id is None
    assert live_relations(store, window) == []


def test_a_with_nothing_to_link_explains(qtbot, window, store):
    tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    press(qtbot, window.view, Qt.Key.Key_A)
    assert window.link_source is None
    assert "tag a SOURCE in this article first" in window.statusBar().currentMessage()
    window.select_annotation(None)
    press(qtbot, window.view, Qt.Key.Key_A)
    assert window.link_source is None


def test_from_a_source_the_claims_are_offered(qtbot, window, store):
    claim, source = claim_and_source(qtbot, window)
    window.select_annotation(source)
    window.side_panel.detail.link_button.click()
    assert window.link_source == source and window.link_picker.ids() == [claim]
    click_span(qtbot, window, claim)
    (relation,) = live_relations(store, window)
    assert (relation.head, relation.tail) == (claim, source)


def test_deleting_a_span_deletes_its_relations_and_undo_restores_both(qtbot, window, store):
    claim, source = claim_and_source(qtbot, window)
    press(qtbot, window.view, Qt.Key.Key_A)
    click_span(qtbot, window, source)
    (relation,) = live_relations(store, window)
    window.select_annotation(source)
    press(qtbot, window.view, Qt.Key.Key_Delete)
    assert store.get_annotation(source).deleted and store.get_relation(relation.id).deleted
    assert not in_view(window, source)
    assert window.view.relations_of(claim) == [] and window.side_panel.relations_of(claim) == []
    assert window.undo_stack.undoText() == "delete SOURCE"
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert not store.get_annotation(source).deleted and not store.get_relation(relation.id).deleted
    assert in_view(window, source)
    assert [r.id for r in window.view.relations_of(claim)] == [relation.id]
    window.select_annotation(claim)
    assert [r.id for r, _b, _x in window.side_panel.detail.link_rows] == [relation.id]
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL | SHIFT)  # redo: both gone again
    assert store.get_relation(relation.id).deleted and window.view.relations_of(claim) == []


def test_the_remove_button_unlinks_and_clicking_the_row_selects_the_other_end(qtbot, window, store):
    claim, source = claim_and_source(qtbot, window)
    press(qtbot, window.view, Qt.Key.Key_A)
    click_span(qtbot, window, source)
    (relation,) = live_relations(store, window)
    ((_, row_button, remove_button),) = window.side_panel.detail.link_rows
    qtbot.mouseClick(row_button, Qt.MouseButton.LeftButton)
    assert window.selected_id == source
    ((_, _, remove_button),) = window.side_panel.detail.link_rows
    qtbot.mouseClick(remove_button, Qt.MouseButton.LeftButton)
    assert store.get_relation(relation.id).deleted
    assert window.undo_stack.undoText() == "unlink attributed to"
    assert window.side_panel.detail.link_rows == []
    window.undo()
    assert not store.get_relation(relation.id).deleted
    assert len(window.side_panel.detail.link_rows) == 1


def test_relations_are_loaded_with_the_article_and_shown_in_the_tooltip(qtbot, make_window, store):
    article = store.list_articles()[0]
    text = store.get_article(article.id).text
    start = text.index("the economy")
    claim = support.tag(store, article.id, start, start + 11, "CLAIM", annotator="a", note="ask the ministry")
    start = text.index("Kim Jong Un")
    source = support.tag(store, article.id, start, start + 11, "SOURCE", annotator="a")
    relation = support.relate(store, claim.id, source.id, "attributed_to", annotator="a")
    window = make_window(store)
    window.open_article(article.id)
    assert [r.id for r in window.view.relations_of(claim.id)] == [relation.id]
    tip = window.view._tooltip_text(window.view._u16.to_utf16(claim.start + 1))  # noqa: SLF001
    assert "→ attributed to SOURCE “Kim Jong Un”" in tip and "✎ ask the ministry" in tip
    window.select_annotation(claim.id)
    window.view.grab()  # paints the arrow and the markers without error


def test_caption_credit_is_prefilled_when_tagging(qtbot, make_window, store):
    article = seed_article()
    support.add_article(store, article)
    window = make_window(store)
    window.open_article(article.id)
    start = article.text.index("President Vladimir Putin greets")
    end = article.text.index("(Mikhail Svetlov/Getty Images)") + len("(Mikhail Svetlov/Getty Images)")
    window.view.select_span(start, end)
    press(qtbot, window.view, Qt.Key.Key_3)
    stored = store.get_annotation(window.selected_id)
    assert stored.label == "CAPTION"
    assert stored.attributes == {"credit": "Mikhail Svetlov/Getty Images"}
    credit = window.side_panel.detail._attribute_widgets["credit"]  # noqa: SLF001
    assert credit.text() == "Mikhail Svetlov/Getty Images"


def test_the_picker_never_covers_the_annotation_being_linked(qtbot, make_window, store):
    """The walk-through at 1024×700: the picker at the article's top right hid the claim's first
    line; with the claim up there it goes to the bottom right."""
    article, claim, _source = seed_claim_and_source(
        store, "Kim could be suffering from insomnia while abusing alcohol and tobacco", "South Korea's intelligence service",
        relate=False)
    window = make_window(store)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=2000)
    window.open_article(article.id)
    picker = window.link_picker
    view = window.view

    def claim_box():
        top, bottom = view._anchor(claim.id, True), view._anchor(claim.id, False)
        corner = view.viewport().mapTo(window, view.viewport().rect().topLeft())
        return top.y() + corner.y(), bottom.y() + corner.y()

    for place in (60, 420):  # the claim near the top of the article, then low in it
        window.select_annotation(claim.id)
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + view.point_for(claim.start).y() - place)
        assert window.start_link(claim.id) and picker.isVisible()
        top, bottom = claim_box()
        geometry = picker.geometry()
        assert not (geometry.top() < bottom and geometry.bottom() > top), (place, geometry, top, bottom)
        window.cancel_link()
