"""What a new user sees when importing (issue 13): the imported article opens, the file dialog offers
every type the importers read, and a failure says why in the message itself."""

from __future__ import annotations

from pathlib import Path

from annotator import importing
from annotator.ui import import_worker

try:
    from .fixtures_window import SEED, seed_article
    from .test_import_gui import wait_for_import
except ImportError:  # tests/ui is not a package
    from fixtures_window import SEED, seed_article
    from test_import_gui import wait_for_import

def test_an_imported_article_opens_even_when_another_one_is_open(qtbot, window):
    assert window.current_article is not None  # the fixture's project opens its first article
    before = window.current_article.id
    window.start_import([SEED])
    wait_for_import(qtbot, window)
    assert window.current_article.id == seed_article().id != before
    assert window.article_list.current_id() == seed_article().id

def test_the_file_dialog_filter_is_the_importers_list():
    suffixes = importing.readable_suffixes()
    for spec in importing.IMPORTERS:
        if spec.load is not None:
            assert set(spec.suffixes) <= set(suffixes)
    assert {".mhtml", ".mht", ".xhtml", ".jsonlines", ".shtml"} <= set(suffixes)  # the ones it used to leave out
    articles = import_worker.file_filter().split(";;")[0]
    assert articles.startswith("Articles (") and sorted(articles[10:-1].split()) == sorted(f"*{s}" for s in suffixes)

def test_the_file_dialog_gets_that_filter(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QFileDialog  # the window imports it when a dialog is opened

    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *args: asked.append(args) or ([], ""))
    window.import_files()
    assert asked and asked[0][3] == import_worker.file_filter()

def test_many_failures_list_the_first_ones_and_keep_all_in_the_details(tmp_path: Path):
    report = importing.ImportReport(failed=[(tmp_path / f"f{n}.png", "unsupported file type (.png)") for n in range(12)])
    text, details = import_worker.failure_message(report)
    assert "f0.png: unsupported file type (.png)" in text and "f7.png" in text and "f8.png" not in text
    assert "…and 4 more" in text
    assert all(f"f{n}.png" in details for n in range(12))
    few = importing.ImportReport(failed=[(tmp_path / "a.png", "unsupported file type (.png)")])
    assert import_worker.failure_message(few)[1] == ""
