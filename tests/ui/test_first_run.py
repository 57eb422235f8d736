"""The first start of the window asks for the analyst's name (annotator/ui/first_run.py), the app
carries its id and icon (annotator/ui/app.py)."""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

import support
from annotator import assets, settings
from annotator.store import Store
from annotator.ui import app as app_module
from annotator.ui import first_run
from annotator.ui.first_run import NameDialog

try:
    from .fixtures_window import seed_article
except ImportError:
    from fixtures_window import seed_article


def forget_name() -> None:
    settings.current().forget("annotator")


def test_the_name_is_asked_for_only_until_one_is_set():
    assert settings.current().has_annotator_name()  # the test settings have one (fixtures_window)
    forget_name()
    assert not settings.current().has_annotator_name()


def test_dialog_is_prefilled_with_the_login_name_and_stores_what_is_typed(qtbot):
    forget_name()
    dialog = NameDialog()
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == getpass.getuser()
    dialog.name_edit.setText("  Ana Lyst ")
    dialog.accept()
    assert settings.current().data()["annotator"] == "Ana Lyst"
    assert settings.current().annotator_name() == "Ana Lyst"
    assert settings.current().has_annotator_name()


def test_an_empty_name_cannot_be_accepted(qtbot):
    forget_name()
    dialog = NameDialog()
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("   ")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and "annotator" not in settings.current().data()


def test_cancelling_keeps_the_login_name_and_asks_again_next_time(qtbot):
    forget_name()
    dialog = NameDialog()
    qtbot.addWidget(dialog)
    dialog.reject()
    assert "annotator" not in settings.current().data()
    assert not settings.current().has_annotator_name()


def test_ask_shows_the_dialog_only_when_no_name_is_set(qtbot, monkeypatch):
    shown: list[NameDialog] = []
    monkeypatch.setattr(NameDialog, "exec", lambda self: shown.append(self) or 0)
    first_run.ask_name_if_needed()
    assert shown == []
    forget_name()
    first_run.ask_name_if_needed()
    assert len(shown) == 1


def test_a_screenshot_never_asks(qtbot, monkeypatch, project_path: Path, tmp_path: Path):
    forget_name()
    monkeypatch.setattr(NameDialog, "exec", lambda self: (_ for _ in ()).throw(AssertionError("asked")))
    with Store.open(project_path) as store:
        support.add_article(store, seed_article())
    assert app_module.run(project_path, None, tmp_path / "x.png") == 0
    assert not settings.current().has_annotator_name()


def test_the_application_carries_the_app_id_and_icon(qtbot):
    app = app_module.application()
    assert isinstance(app, QApplication)
    icon = app_module.app_icon()
    assert sorted(s.width() for s in icon.availableSizes()) == list(assets.ICON_SIZES)
    assert not icon.pixmap(16, 16).isNull() and not icon.pixmap(256, 256).isNull()


def test_the_hint_under_the_name_is_readable(qtbot):
    """It was a disabled label: Fusion's disabled grey is about 1.9:1 on the dialog."""
    from PySide6.QtGui import QPalette

    from annotator.ui.theme import AA_TEXT, contrast_ratio

    forget_name()
    dialog = NameDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    from PySide6.QtWidgets import QLabel

    later = next(label for label in dialog.findChildren(QLabel) if label.text().startswith("You can change it later"))
    image = later.grab().toImage()
    ground = dialog.palette().color(QPalette.ColorRole.Window)
    darkest = min((image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())),
                  key=lambda c: c.lightnessF())
    assert contrast_ratio(darkest, ground) >= AA_TEXT
