"""Live views: writes made by another process (the CLI, another window, a merge) show in an open
window within two seconds, through the same `apply_changes` path as the window's own edits."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.store import Store

import support

try:
    from .fixtures_window import ANNOTATOR, EMOJI_TEXT, emoji_article, focus_view, second_article, span_of
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import ANNOTATOR, EMOJI_TEXT, emoji_article, focus_view, second_article, span_of  # type: ignore[no-redef]

WITHIN_MS = 2000  # what the issue promises: a CLI write appears within 2 s


def cli(project: Path, *args: str) -> str:
    """The real command line, in its own process, as a user would run it next to the window."""
    env = {**os.environ, "ANNOTATOR_PROJECT": str(project)}
    done = subprocess.run([sys.executable, "-m", "annotator", *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def count_in_list(window, article_id: str) -> int:
    return window.article_list.model.summary(article_id).annotations


@pytest.fixture
def live(make_window, store):
    window = make_window(store)
    window.open_article(emoji_article().id)
    return window


def test_five_cli_tags_show_in_the_open_article_the_panel_and_the_list(qtbot, live, project_path):
    article = emoji_article()
    words = ["Kim", "Jong", "Un", "economy", "grew"]
    started = time.monotonic()
    for word in words:
        cli(project_path, "add", article.id, *map(str, span_of(EMOJI_TEXT, word)), "CLAIM", "--annotator", "cli-user")
    qtbot.waitUntil(lambda: len(live.annotations) == 5, timeout=WITHIN_MS)
    assert sorted(EMOJI_TEXT[a.start:a.end] for a in live.annotations.values()) == sorted(words)
    assert len(live.side_panel.annotations) == 5
    assert live.side_panel.list_heading.text() == "Annotations (5)"
    assert count_in_list(live, article.id) == 5
    assert live.view.annotations_at(span_of(EMOJI_TEXT, "economy")[0])
    assert time.monotonic() - started < 60


def test_cli_delete_and_undo_show_without_reopening(qtbot, live, project_path):
    article = emoji_article()
    new_id = cli(project_path, "add", article.id, *map(str, span_of(EMOJI_TEXT, "Kim")), "SOURCE").strip()
    qtbot.waitUntil(lambda: new_id in live.annotations, timeout=WITHIN_MS)
    cli(project_path, "delete", new_id)
    qtbot.waitUntil(lambda: new_id not in live.annotations, timeout=WITHIN_MS)
    assert count_in_list(live, article.id) == 0
    cli(project_path, "undo")
    qtbot.waitUntil(lambda: new_id in live.annotations, timeout=WITHIN_MS)
    assert count_in_list(live, article.id) == 1


def test_a_write_to_another_article_updates_its_row_only(qtbot, live, project_path):
    other = second_article()
    start, end = span_of(other.text, "the utility")
    cli(project_path, "add", other.id, str(start), str(end), "SOURCE")
    cli(project_path, "status", other.id, "done")
    qtbot.waitUntil(lambda: live.article_list.model.summary(other.id).status == "done", timeout=WITHIN_MS)
    assert count_in_list(live, other.id) == 1
    assert live.current_article.id == emoji_article().id and live.annotations == {}


def test_another_window_on_the_same_file(qtbot, make_window, live, project_path):
    with Store.open(project_path) as second_store:
        second = make_window(second_store)
        second.open_article(emoji_article().id)
        second.activateWindow()
        focus_view(qtbot, second)
        second.view.select_span(*span_of(EMOJI_TEXT, "economy"))
        qtbot.keyClick(second.view, Qt.Key.Key_1)
        qtbot.waitUntil(lambda: len(second.annotations) == 1, timeout=WITHIN_MS)
        qtbot.waitUntil(lambda: len(live.annotations) == 1, timeout=WITHIN_MS)
        # the first window's own edit reaches the second one the same way
        live.activateWindow()
        focus_view(qtbot, live)
        live.view.select_span(*span_of(EMOJI_TEXT, "grew"))
        qtbot.keyClick(live.view, Qt.Key.Key_2)
        qtbot.waitUntil(lambda: len(second.annotations) == 2, timeout=WITHIN_MS)
        second.close()


def test_review_mode_sees_the_colleague_tag_made_with_the_cli(qtbot, live, store, project_path):
    article = emoji_article()
    support.tag(store, article.id, *span_of(EMOJI_TEXT, "Kim"), "SOURCE", annotator=ANNOTATOR)
    support.tag(store, article.id, *span_of(EMOJI_TEXT, "Kim"), "SOURCE", annotator="ben")
    live.open_article(article.id)
    live.review.set_active(True)
    live.review.bar.b_combo.setCurrentIndex(live.review.bar.b_combo.findText("ben"))
    qtbot.wait(100)  # the refresh review mode schedules for itself has run
    assert [i.comparison.kind for i in live.review.items] == ["agreed"]

    cli(project_path, "add", article.id, *map(str, span_of(EMOJI_TEXT, "economy")), "CLAIM", "--annotator", "ben")
    qtbot.waitUntil(lambda: len(live.review.items) == 2, timeout=WITHIN_MS)
    assert sorted(i.comparison.kind for i in live.review.items) == ["agreed", "only_b"]


def test_the_open_agreement_report_follows_a_cli_tag(qtbot, live, store, project_path):
    article = emoji_article()
    support.tag(store, article.id, *span_of(EMOJI_TEXT, "Kim"), "SOURCE", annotator=ANNOTATOR)
    support.tag(store, article.id, *span_of(EMOJI_TEXT, "Kim"), "SOURCE", annotator="ben")
    live.review.set_active(True)
    live.review.bar.b_combo.setCurrentIndex(live.review.bar.b_combo.findText("ben"))
    dialog = live.review.show_report()
    qtbot.waitUntil(lambda: dialog.figures is not None and dialog.worker is None, timeout=20000)
    assert dialog.figures["overall"]["b_spans"] == 1

    cli(project_path, "add", article.id, *map(str, span_of(EMOJI_TEXT, "economy")), "CLAIM", "--annotator", "ben")
    qtbot.waitUntil(lambda: dialog.figures["overall"]["b_spans"] == 2, timeout=WITHIN_MS + 5000)
    assert dialog.label_cells()["Overall"]["b_spans"] == "2"
    dialog.close()
