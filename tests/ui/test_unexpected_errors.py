"""A bug in a slot must not take the window down: the hook says so and the app keeps running."""

from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.ui.app import report_unexpected


def test_unexpected_error_is_reported_in_a_message_box(qtbot, capsys):
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        report_unexpected(type(exc), exc, exc.__traceback__)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert any("boom in a slot" in box.text() and "your work is saved" in box.text() for box in boxes)
    assert "boom in a slot" in capsys.readouterr().err
    for box in boxes:
        box.close()
