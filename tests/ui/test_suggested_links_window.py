"""Suggested links in the window: a relation a suggester proposed is walked with the suggested
spans (Tab, at its head's place), drawn as a dashed arrow while current, accepted with Enter (its
ends that are still suggestions along, one undo step) or rejected with X; and with no span left to
decide, the links can still be walked and accepted."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fixtures_window import press

Key, Mod = Qt.Key, Qt.KeyboardModifier


def walk_to_link(qtbot, window):
    for _ in range(4):
        press(qtbot, window.view, Key.Key_Tab)
        if window.view.suggested_connector() is not None:
            return window.view.suggested_connector()[0]
    raise AssertionError("Tab never reached the suggested link")


def link_states(store, article_id):
    return [r[0] for r in store.conn.execute("SELECT state FROM suggestion_relations WHERE article_id = ?", (article_id,))]


def test_tab_reaches_the_link_after_its_head_and_draws_it(qtbot, suggested):
    window = suggested
    spans = window.view.suggestions()
    press(qtbot, window.view, Key.Key_Tab)
    press(qtbot, window.view, Key.Key_Tab)
    assert window.view.current_suggestion() == spans[1].id  # the claim: the link's head
    assert window.view.suggested_connector() is None  # a link is drawn only while current
    link = walk_to_link(qtbot, window)
    assert (link.head, link.tail, link.type) == (spans[1].id, spans[0].id, "attributed_to")
    _, shape = window.view.suggested_connector()
    assert shape.path.length() >= 30
    assert "Suggested link attributed_to" in window.statusBar().currentMessage()
    image = window.view.viewport().grab().toImage()
    colour = window.view._style_of_label("CLAIM").line
    centre = shape.arrowhead.boundingRect().center()
    pixel = image.pixelColor(int(centre.x() * image.devicePixelRatio()), int(centre.y() * image.devicePixelRatio()))
    assert abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green()) + abs(pixel.blue() - colour.blue()) < 90


def test_enter_accepts_the_link_with_its_ends_and_undo_takes_all_back(qtbot, suggested, store):
    window = suggested
    article_id = window.current_article.id
    walk_to_link(qtbot, window)
    press(qtbot, window.view, Key.Key_Return)
    (relation,) = store.relations_for(article_id)
    annotations = {a.id: a for a in store.annotations_for(article_id)}
    assert relation.type == "attributed_to" and {annotations[relation.head].label, annotations[relation.tail].label} == {
        "CLAIM", "SOURCE"}
    assert link_states(store, article_id) == ["accepted"]
    assert window.view.suggested_links() == [] and window.view.suggestions() == []
    assert window.undo_stack.undoText() == "accept attributed_to suggestion"
    window.undo()
    assert store.relations_for(article_id) == [] and store.annotations_for(article_id) == []
    assert link_states(store, article_id) == ["open"] and len(window.view.suggested_links()) == 1


def test_x_rejects_the_link_and_leaves_its_ends_open(qtbot, suggested, store):
    window = suggested
    article_id = window.current_article.id
    walk_to_link(qtbot, window)
    press(qtbot, window.view, Key.Key_X)
    assert link_states(store, article_id) == ["rejected"]
    assert len(window.view.suggestions()) == 2 and window.view.suggested_links() == []
    assert store.relations_for(article_id) == []


def test_with_only_links_left_they_can_still_be_walked_and_accepted(qtbot, suggested, store):
    window = suggested
    article_id = window.current_article.id
    for _ in window.view.suggestions()[:]:  # accept the two spans one by one: the link stays open
        press(qtbot, window.view, Key.Key_Tab)
        while window.view.suggested_connector() is not None:
            press(qtbot, window.view, Key.Key_Tab)
        press(qtbot, window.view, Key.Key_Return)
    assert window.view.suggestions() == [] and len(window.view.suggested_links()) == 1
    assert "1 suggested link here" in window.suggestions.box.summary.text()
    assert window.suggestions.next_action.isEnabled()
    press(qtbot, window.view, Key.Key_Return, Mod.ShiftModifier)  # accept all: the link
    (relation,) = store.relations_for(article_id)
    assert {relation.head, relation.tail} == {a.id for a in store.annotations_for(article_id)}
