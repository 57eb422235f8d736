"""A project in a read-only folder (or on read-only media) opens for reading, and the window says so."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.store import Store, connection

try:
    from .fixtures_window import focus_view, press, select_text
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import focus_view, press, select_text  # type: ignore[no-redef]


def test_the_window_says_the_project_is_read_only_and_changes_nothing(qtbot, make_window, project_path, monkeypatch):
    with Store.open(project_path) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = project_path.read_bytes()
    # root may write anywhere: answer the store's check as the folder's permissions would for a user
    monkeypatch.setattr(connection, "can_write_beside", lambda _path: False)
    store = Store.open(project_path)
    assert store.readonly
    window = make_window(store)
    assert f"{project_path.stem} (read-only) — News Annotator" in window.windowTitle()
    focus_view(qtbot, window)
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert "opened read-only; nothing can be changed" in window.last_error
    assert store.annotations_for(window.current_article.id) == []
    window.close()
    store.close()
    assert project_path.read_bytes() == before
