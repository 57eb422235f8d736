"""The label schema editor through its widgets: rename, recolour, hotkeys, attributes, removal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QMessageBox

from annotator.schema import default_schema

try:
    from .fixtures_window import press, select_text, tag
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import press, select_text, tag  # type: ignore[no-redef]

CTRL = Qt.KeyboardModifier.ControlModifier



def save(dialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert button.isEnabled(), dialog.error_label.text()
    button.click()


def test_rename_a_label_updates_annotations_buttons_and_undo(qtbot, window, store):
    claim = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    dialog = window.edit_schema()
    dialog.select_label("CLAIM")
    qtbot.keyClicks(dialog.name_edit, "X")  # CLAIMX
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "STATEMENT")
    assert dialog.label_list.currentItem().text().startswith("STATEMENT  (was CLAIM)")
    assert "STATEMENT → SOURCE" in dialog.relations_label.text()
    save(dialog)
    assert store.get_annotation(claim).label == "STATEMENT"
    assert store.schema.names == ["STATEMENT", "SOURCE", "CAPTION"]
    assert store.schema.relation_type("attributed_to").head == ("STATEMENT",)
    assert window.annotations[claim].label == "STATEMENT"
    assert window.side_panel.button("STATEMENT").text() == "STATEMENT  ·  1"
    assert "STATEMENT" in window.label_actions and "CLAIM" not in window.label_actions
    assert window.undo_stack.undoText() == "rename CLAIM → STATEMENT"
    # the hotkey tags with the renamed label
    tag(qtbot, window, "Kim Jong Un")
    assert store.get_annotation(window.selected_id).label == "STATEMENT"
    window.undo()  # the tag
    window.undo()  # the rename
    assert store.schema == default_schema()
    assert store.get_annotation(claim).label == "CLAIM"
    assert window.side_panel.button("CLAIM").text() == "CLAIM  ·  1"


def test_removing_a_used_label_asks_with_the_count(qtbot, window, store, monkeypatch):
    tag(qtbot, window, "Kim", Qt.Key.Key_2)
    tag(qtbot, window, "Jong Un", Qt.Key.Key_2)
    claim = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    asked: list[str] = []

    def answer(reply):
        def question(parent, title, text, *args, **kwargs):
            asked.append(text)
            return reply
        return question

    dialog = window.edit_schema()
    dialog.select_label("SOURCE")
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.remove_label_button.click()
    assert asked and asked[0].startswith("2 annotations use the label SOURCE.")
    assert [d.name for d in dialog.labels] == ["CLAIM", "SOURCE", "CAPTION"]  # No keeps it
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog.remove_label_button.click()
    assert [d.name for d in dialog.labels] == ["CLAIM", "CAPTION"]
    assert "attributed_to" not in dialog.relations_label.text()
    assert store.label_usage("SOURCE") == 2  # nothing happens before Save
    save(dialog)
    assert store.label_usage("SOURCE") == 0
    assert store.schema.names == ["CLAIM", "CAPTION"]
    assert [a.id for a in store.annotations_for(window.current_article.id)] == [claim]
    assert set(window.annotations) == {claim}
    assert window.statusBar().currentMessage().endswith("deleted 2 annotations")
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert store.label_usage("SOURCE") == 2
    assert store.schema == default_schema()
    assert len(window.annotations) == 3


def test_removing_an_unused_label_does_not_ask(qtbot, window, store, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (_ for _ in ()).throw(AssertionError("asked")))
    dialog = window.edit_schema()
    dialog.select_label("CAPTION")
    assert dialog.remove_label()
    save(dialog)
    assert store.schema.names == ["CLAIM", "SOURCE"]
    assert "CAPTION" not in window.label_actions


def test_hotkeys_are_validated_unique_and_free(qtbot, window, store):
    dialog = window.edit_schema()
    dialog.select_label("SOURCE")
    dialog.hotkey_edit.clear()
    qtbot.keyClicks(dialog.hotkey_edit, "1")
    assert dialog.hotkey_problem.text() == "1 is already CLAIM's key"
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.hotkey_edit.clear()
    qtbot.keyClicks(dialog.hotkey_edit, "a")
    assert dialog.hotkey_problem.text() == "a is the key for linking"
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.hotkey_edit.clear()
    qtbot.keyClicks(dialog.hotkey_edit, "s")
    assert dialog.hotkey_problem.text() == ""
    save(dialog)
    assert store.schema.label("SOURCE").hotkey == "s"
    tag(qtbot, window, "Kim Jong Un", Qt.Key.Key_S)
    assert store.get_annotation(window.selected_id).label == "SOURCE"
    press(qtbot, window.view, Qt.Key.Key_2)  # the old key no longer tags
    assert store.get_annotation(window.selected_id).label == "SOURCE"


def test_recolour_uses_the_colour_dialog_and_refreshes_the_view(qtbot, window, store, monkeypatch):
    claim = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    monkeypatch.setattr("PySide6.QtWidgets.QColorDialog.getColor", lambda *a, **k: QColor("#0072b2"))
    dialog = window.edit_schema()
    dialog.select_label("CLAIM")
    dialog.color_button.click()
    assert dialog.color_button.text().strip() == "#0072B2"
    save(dialog)
    assert store.schema.label("CLAIM").color == "#0072B2"
    style = window.view._label_style(claim)  # noqa: SLF001
    assert (style.fill.red(), style.fill.green(), style.fill.blue()) == (0x00, 0x72, 0xB2)


def test_add_label_and_attributes_then_edit_them_in_the_panel(qtbot, window, store):
    dialog = window.edit_schema()
    draft = dialog.add_label()
    assert draft.hotkey == "4"
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "EVENT")
    qtbot.keyClicks(dialog.description_edit, "Something that happened")
    dialog.add_attribute("confirmed", "bool")
    row = dialog.add_attribute("scale", "choice", ["local", "national"])
    dialog.attributes_table.item(row, 2).setText("local, national, global")
    save(dialog)
    event = store.schema.label("EVENT")
    assert (event.hotkey, event.description) == ("4", "Something that happened")
    assert [(a.name, a.type, a.values) for a in event.attributes] == [
        ("confirmed", "bool", ()), ("scale", "choice", ("local", "national", "global")),
    ]
    assert "Something that happened" in window.side_panel.button("EVENT").toolTip()
    annotation_id = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_4)
    assert store.get_annotation(annotation_id).label == "EVENT"
    widgets = window.side_panel.detail._attribute_widgets  # noqa: SLF001
    assert isinstance(widgets["confirmed"], QCheckBox) and isinstance(widgets["scale"], QComboBox)
    widgets["confirmed"].setChecked(True)
    combo = widgets["scale"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["—", "local", "national", "global"]
    combo.setCurrentIndex(combo.findData("global"))
    assert store.get_annotation(annotation_id).attributes == {"confirmed": True, "scale": "global"}


def test_an_invalid_draft_cannot_be_saved(qtbot, window, store):
    dialog = window.edit_schema()
    dialog.select_label("CLAIM")
    row = dialog.add_attribute("stance", "choice", [])
    assert dialog.error_label.text() == "CLAIM.stance is a choice with no values"
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.attributes_table.item(row, 2).setText("for, against")
    assert dialog.error_label.text() == ""
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "SOURCE")
    assert dialog.error_label.text() == "duplicate label name 'SOURCE'"
    dialog.accept()  # refused: the dialog stays open, nothing is stored
    assert dialog.result_schema is None and store.schema == default_schema()
    dialog.reject()


def test_choosing_an_attribute_value_stores_it_and_invalid_values_cannot_be_entered(qtbot, window, store):
    claim = tag(qtbot, window, "the economy grew 5%", Qt.Key.Key_1)
    combo = window.side_panel.detail._attribute_widgets["checkworthy"]  # noqa: SLF001
    assert [combo.itemText(i) for i in range(combo.count())] == ["—", "yes", "no", "unsure"]
    assert not combo.isEditable()
    combo.setCurrentIndex(combo.findData("unsure"))
    assert store.get_annotation(claim).attributes == {"checkworthy": "unsure"}
    combo.setCurrentIndex(0)  # unset
    assert store.get_annotation(claim).attributes == {}
