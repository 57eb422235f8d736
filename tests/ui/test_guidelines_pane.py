"""Guidelines in the window: label button tooltips, F2, the Guidelines pane and the schema editor's Guideline tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.schema import default_schema
from annotator.ui.guidelines_pane import EVERYTHING, GENERAL, RELATIONS, label_tooltip

try:
    from .fixtures_window import press, select_text, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import press, select_text, tag  # type: ignore[no-redef]


def save(dialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert button.isEnabled(), dialog.error_label.text()
    button.click()


def test_a_label_button_tooltip_is_the_gist_of_its_guideline(window):
    tip = window.side_panel.button("SOURCE").toolTip()
    assert "Tag the selected text as SOURCE (key 2; Alt+2 keeps the exact characters)" in tip
    assert "every SOURCE is the end of at least one link." in tip  # the guideline's first paragraph
    assert "F2: the whole guideline" in tip
    assert "**" not in tip and "font-weight:700" in tip  # Markdown rendered (bold), not shown raw
    assert "The span" not in tip  # only the gist


def test_f2_opens_the_guideline_of_the_selected_annotation(qtbot, window):
    assert window.guidelines.dock.isHidden()
    tag(qtbot, window, "Kim Jong Un", Qt.Key.Key_2)
    press(qtbot, window.view, Qt.Key.Key_F2)
    assert window.guidelines.dock.isVisible()
    assert window.guidelines.pane.topic() == "SOURCE"
    shown = window.guidelines.pane.browser.toPlainText()
    assert shown.startswith("SOURCE") and "The span: the shortest name or role phrase, never a pronoun" in shown
    assert "type (named person / official" in shown  # the attributes and their values' guidelines too
    assert "anonymous: The text withholds who it is" in shown


def test_f2_on_selected_text_inside_an_annotation_and_on_plain_text(qtbot, window):
    claim = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    window.select_annotation(None)
    select_text(window, "economy")
    assert window.guidelines.label_in_question() == "CLAIM"
    assert window.annotations[claim].label == "CLAIM"
    select_text(window, "Kim Jong Un")  # no annotation there
    press(qtbot, window.view, Qt.Key.Key_F2)
    assert window.guidelines.pane.topic() == GENERAL
    assert "Order of work" in window.guidelines.pane.browser.toPlainText()


def test_f2_on_a_focused_label_button_shows_that_label(qtbot, window):
    button = window.side_panel.button("CAPTION")
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus, timeout=2000)
    press(qtbot, button, Qt.Key.Key_F2)
    assert window.guidelines.pane.topic() == "CAPTION"
    assert "The image alt line before a caption" in window.guidelines.pane.browser.toPlainText()


def test_the_pane_lists_every_topic_and_shows_relations_and_everything(window):
    pane = window.guidelines.pane
    topics = [pane.chooser.itemData(i) for i in range(pane.chooser.count())]
    assert topics == [GENERAL, "CLAIM", "SOURCE", "CAPTION", RELATIONS, EVERYTHING]
    pane.show_topic(RELATIONS)
    assert "attributed_to (CLAIM → SOURCE)" in pane.browser.toPlainText()
    pane.show_topic(EVERYTHING)
    everything = pane.browser.toPlainText()
    assert all(name in everything for name in ("General rules", "CLAIM", "SOURCE", "CAPTION", "describes"))
    pane.show_topic("NO SUCH LABEL")
    assert pane.topic() == GENERAL
    assert window.guidelines.toggle_action.text() == "&Guidelines"
    shortcuts = {keys: what for _section, keys, what in window.shortcut_table()}
    assert shortcuts["F2"] == "Guideline of this label" and shortcuts["Ctrl+Shift+G"] == "Guidelines"
    assert any(a is window.guidelines.show_action for a in window.menuBar().actions()[-1].menu().actions())


def test_edit_a_guideline_in_the_schema_editor_then_undo(qtbot, window, store):
    window.guidelines.show_guideline("CLAIM")
    dialog = window.edit_schema()
    dialog.select_label("CLAIM")
    dialog.tabs.setCurrentIndex(1)
    assert dialog.guideline_edit.toPlainText() == default_schema().label("CLAIM").guideline
    new = "A checkable statement.\n\n### The span\n\n- the clause, without the full stop\n"
    dialog.guideline_edit.setPlainText(new)
    assert "The span" in dialog.guideline_preview.toPlainText()  # the preview follows the text
    save(dialog)
    schema = store.schema
    assert schema.label("CLAIM").guideline == new
    assert schema.label("SOURCE").guideline == default_schema().label("SOURCE").guideline
    assert schema.guideline == default_schema().guideline  # the general rules are kept
    kind = schema.label("CLAIM").attribute("kind")
    assert kind.value_guidelines == default_schema().label("CLAIM").attribute("kind").value_guidelines
    assert schema.relation_type("attributed_to").guideline == default_schema().relation_type("attributed_to").guideline
    assert "A checkable statement." in window.guidelines.pane.browser.toPlainText()  # the open pane follows
    assert "A checkable statement." in window.side_panel.button("CLAIM").toolTip()
    window.undo()
    assert store.schema == default_schema()
    assert "A CLAIM is a statement in the article" in window.guidelines.pane.browser.toPlainText()


def test_a_value_guideline_goes_with_its_value_in_the_editor(qtbot, window, store):
    dialog = window.edit_schema()
    dialog.select_label("CLAIM")
    table = dialog.attributes_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "kind")
    table.item(row, 2).setText("fact, statistic, quote, prediction")  # opinion goes
    save(dialog)
    kind = store.schema.label("CLAIM").attribute("kind")
    assert [value for value, _ in kind.value_guidelines] == ["fact", "statistic", "quote", "prediction"]
    assert kind.guideline == default_schema().label("CLAIM").attribute("kind").guideline


def test_a_label_without_guideline_says_where_to_write_one(qtbot, window, store):
    dialog = window.edit_schema()
    draft = dialog.add_label()
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "EVENT")
    save(dialog)
    assert "No guideline yet (Edit ▸ Label schema…)" in label_tooltip(store.schema.label("EVENT"))
    window.guidelines.show_guideline("EVENT")
    assert "No guideline for this label yet" in window.guidelines.pane.browser.toPlainText()
    assert draft.guideline == ""
