"""The reading position survives a crash (issue 13): it is written to the settings file a moment
after the reader stops scrolling, not only on a clean quit, and a burst of scrolling is one write."""

from __future__ import annotations

import json

from annotator import settings
from annotator.settings import Settings
from annotator.ui.window_state import SCROLL_SAVE_MS
import support

try:
    from .fixtures_window import seed_article
except ImportError:  # tests/ui is not a package
    from fixtures_window import seed_article


def on_disk(project_path) -> dict:
    """What a new process would read: the settings file itself, the window never closed."""
    data = json.loads(settings.current().path.read_text("utf-8"))
    return data.get("scroll_positions", {}).get(str(project_path.resolve()), {})


def test_scrolling_is_saved_without_quitting_and_debounced(qtbot, make_window, store, project_path, monkeypatch):
    seed = seed_article()
    support.add_article(store, seed)
    window = make_window(store)
    window.open_article(seed.id)
    qtbot.wait(SCROLL_SAVE_MS + 200)  # what opening it wrote has settled
    writes = []
    original = Settings._write
    monkeypatch.setattr(Settings, "_write", lambda self, data: (writes.append(dict(data)), original(self, data)))
    bar = window.view.verticalScrollBar()
    for step in range(1, 11):  # the reader scrolls: ten moves, less than the debounce apart
        bar.setValue(step * 40)
        qtbot.wait(SCROLL_SAVE_MS // 10)
    assert writes == []  # nothing yet: the reader is still scrolling
    position = window.view.scroll_position()
    assert position > 0
    qtbot.waitUntil(lambda: on_disk(project_path).get(seed.id) == position, timeout=SCROLL_SAVE_MS * 3)
    assert len([w for w in writes if "scroll_positions" in w]) == 1  # one write for the whole burst
    # a "crash": the window is never closed; a new window (a new process would read the same file)
    # opens the article where the reader was
    again = make_window(store)
    assert again.current_article.id == seed.id
    qtbot.waitUntil(lambda: again.view.scroll_position() == position, timeout=2000)
