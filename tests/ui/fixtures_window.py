"""Fixtures and helpers for the main-window tests.

The fixtures are registered for all of tests/ui by conftest.py (a module that imports them again
still gets the same ones); test modules import the helpers they call. Every test gets its own
settings folder (ANNOTATOR_CONFIG_DIR) and project file, so a user's settings are never touched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from annotator import settings  # noqa: E402
from annotator.importers.text import import_text_file  # noqa: E402
from annotator.model import Article, build_article  # noqa: E402
from annotator.store import Store  # noqa: E402
import support

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_4374cd0fa6f2fed4.txt"
EMOJI_TEXT = "😀 Kim Jong Un said the economy grew 5%."
ANNOTATOR = "tester"


def emoji_article() -> Article:
    return build_article([("paragraph", EMOJI_TEXT)], title="Emoji first", outlet="Test Wire")


def second_article() -> Article:
    return build_article(
        [("headline", "Storm leaves thousands without power"), ("paragraph", "More than 40,000 homes lost power, the utility said.")],
        title="Storm leaves thousands without power",
        outlet="AP",
    )


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(folder))
    monkeypatch.setenv("ANNOTATOR_PROJECT", str(tmp_path / "default.annotator"))
    settings.current().set("annotator", ANNOTATOR)
    exports = tmp_path / "default-exports"  # the export dialog's proposal: never the tester's Documents
    exports.mkdir(exist_ok=True)
    settings.current().set("export_folder", str(exports))
    return folder


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A project with two small articles: the emoji one (opened first) and a second one."""
    path = tmp_path / "test.annotator"
    with Store.open(path) as store:
        support.add_articles(store, [emoji_article(), second_article()])
    return path


@pytest.fixture
def store(project_path: Path) -> Iterator[Store]:
    opened = Store.open(project_path)
    yield opened
    opened.close()


@pytest.fixture
def make_window(qtbot) -> Iterator[Callable[..., object]]:
    """Make a shown, active MainWindow on a store; closed (state saved) at the end of the test."""
    from annotator.ui.main_window import MainWindow

    made: list[MainWindow] = []

    def make(store: Store, **kwargs: object) -> MainWindow:
        window = MainWindow(store, **kwargs)
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        focus_view(qtbot, window)
        made.append(window)
        return window

    yield make
    for window in made:
        try:
            if window.isVisible():
                window.close()
        except RuntimeError:  # already deleted
            pass


@pytest.fixture
def window(make_window, store: Store):
    return make_window(store)


def focus_view(qtbot, window) -> None:
    window.view.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: window.view.hasFocus(), timeout=2000)


def span_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Code-point offsets of the nth occurrence of `needle` in `text`."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    return index, index + len(needle)


def select_text(window, needle: str, nth: int = 0) -> tuple[int, int]:
    """Select `needle` in the open article through the view (code points) and return its span."""
    start, end = span_of(window.current_article.text, needle, nth)
    window.view.select_span(start, end)
    assert window.view.selection_span() == (start, end)
    return start, end


def press(qtbot, widget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


def tag(qtbot, window, needle: str, key: Qt.Key = Qt.Key.Key_1, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> str:
    """Select `needle` in the view and press a label hotkey; return the id of the (selected) new span."""
    select_text(window, needle)
    press(qtbot, window.view, key, modifier)
    assert window.selected_id is not None
    return window.selected_id


def reopen(make_window, window):
    """Close `window` (its state is saved) and open a new window on the same store."""
    window.close()
    return make_window(window.store)


def live_rows(store: Store, article_id: str):
    return store.annotations_for(article_id)


def row(store: Store, annotation_id: str):
    return store.get_annotation(annotation_id)


def in_view(window, annotation_id: str) -> bool:
    """Whether the article view has the annotation in its span index (what it paints)."""
    return window.view._index.get(annotation_id) is not None  # noqa: SLF001 - the view's index is the truth


def seed_article() -> Article:
    return import_text_file(SEED)


def seed_claim_and_source(store: Store, claim: str, source: str, relate: bool = True):
    """The sample article with `claim` tagged CLAIM and `source` SOURCE (linked unless `relate` is
    false): (article, claim, source)."""
    article = seed_article()
    support.add_article(store, article)
    spans = [span_of(article.text, needle) for needle in (claim, source)]
    head = support.tag(store, article.id, *spans[0], "CLAIM")
    tail = support.tag(store, article.id, *spans[1], "SOURCE")
    if relate:
        support.relate(store, head.id, tail.id)
    return article, head, tail


@pytest.fixture
def suggested(qtbot, window, fake_suggesters):
    """The window after Article ▸ Suggest with the fake suggesters (tests/suggestion_fakes.py) on the
    emoji article: two suggested spans (a SOURCE, a CLAIM) and a suggested link between them."""
    window.suggestions.suggest()
    qtbot.waitUntil(lambda: len(window.view.suggestions()) == 2, timeout=10000)
    qtbot.waitUntil(lambda: window.suggestions.worker is None, timeout=5000)
    focus_view(qtbot, window)
    return window

