"""Where the export dialog proposes to write (issue 13): the Documents folder, then the folder of
the last export, never the project's (hidden) data folder; "Open folder" when it is done."""

from __future__ import annotations

from pathlib import Path

from annotator import settings
from annotator.ui import export_place

try:
    from .test_export_dialog import run_export, type_destination
except ImportError:  # tests/ui is not a package
    from test_export_dialog import run_export, type_destination


def test_the_first_export_proposes_documents_then_the_last_folder_used(qtbot, make_window, store, tmp_path, monkeypatch):
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(export_place, "documents_folder", lambda: documents)
    settings.current().set(export_place.SETTING, "")  # a first export: nothing remembered
    window = make_window(store)
    dialog = window.export()
    proposed = dialog.destination()
    assert proposed.parent == documents and proposed.name == "test.jsonl"
    assert Path(store.path).parent != documents
    elsewhere = tmp_path / "deliveries"
    elsewhere.mkdir()
    type_destination(qtbot, dialog, elsewhere / "june.jsonl")
    run_export(qtbot, dialog)
    assert (elsewhere / "june.jsonl").exists()
    opened = []
    monkeypatch.setattr(export_place.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    assert dialog.open_folder_button.isVisible()
    dialog.open_folder_button.click()
    assert opened == [str(elsewhere)]
    dialog.close()

    again = window.export()
    assert again.destination().parent == elsewhere.resolve()  # the folder used last
    again.close()
    # a remembered folder that is gone: Documents again
    (elsewhere / "june.jsonl").unlink()
    elsewhere.rmdir()
    third = window.export()
    assert third.destination().parent == documents
    third.close()


def test_a_folder_format_opens_its_own_folder(tmp_path):
    folder = tmp_path / "test-brat"
    folder.mkdir()
    assert export_place.folder_to_open(folder) == folder
    assert export_place.folder_to_open(tmp_path / "a.jsonl") == tmp_path
