"""The article list's "Assigned to me" and who else has an article; View ▸ Progress with its numbers."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from annotator import operations as ops
from annotator.model import build_article

from fixtures_window import ANNOTATOR, EMOJI_TEXT, emoji_article, second_article, span_of
import support

SHOTS = os.environ.get("ANNOTATOR_SCREENSHOTS")  # a folder: save the screenshots there to look at them


def shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def team_project(store) -> list[str]:
    extra = [build_article([("paragraph", f"Officials said story {i} is about the budget.")],
                           title=f"Budget story {i}", outlet="Wire") for i in range(3)]
    support.add_articles(store, extra)
    ids = [emoji_article().id, second_article().id, *(a.id for a in extra)]
    ops.assign(store, ids[:2], [ANNOTATOR, "lee"], assigned_by="coord", overlap=2)
    ops.assign(store, ids[2:4], ["lee"], assigned_by="coord")
    ops.assign(store, ids[4:], [ANNOTATOR], assigned_by="coord")
    return ids


def test_assigned_to_me_keeps_my_articles_and_cards_name_who_else(qtbot, make_window, store):
    ids = team_project(store)
    window = make_window(store)
    articles = window.article_list
    assert articles.mine_box.isVisible()
    assert articles.model.index(articles.model.row_of(ids[0]), 0).data(articles_role()) == "for you, lee"
    assert articles.model.index(articles.model.row_of(ids[2]), 0).data(articles_role()) == "for lee"
    articles.mine_box.setChecked(True)
    assert articles.visible_ids() == [i for i in articles.model.ids() if i in (ids[0], ids[1], ids[4])]
    assert "3 of 5 articles shown" in articles.count_label.text()
    shot(window, "article-list-assigned-to-me")
    ops.unassign(store, ids[:1], [ANNOTATOR], unassigned_by="coord")  # elsewhere: the CLI, a colleague
    window.apply_changes(store.journal_entry(store.history(limit=1)[0].id).changes)
    assert ids[0] not in articles.visible_ids()
    articles.mine_box.setChecked(False)
    assert len(articles.visible_ids()) == 5


def articles_role():
    from annotator.ui.article_list import AssignedRole

    return AssignedRole


def test_no_assigned_to_me_box_without_assignments(window):
    assert not window.article_list.mine_box.isVisible()


def test_the_progress_dialog_shows_the_numbers_and_exports_them(qtbot, make_window, store, tmp_path):
    ids = team_project(store)
    start, end = span_of(EMOJI_TEXT, "Kim Jong Un")
    support.tag(store, ids[0], start, end, "SOURCE", annotator=ANNOTATOR)
    support.tag(store, ids[0], start, end, "SOURCE", annotator="lee")
    support.tag(store, ids[4], 0, 9, "SOURCE", annotator=ANNOTATOR)
    ops.set_status(store, ids[4], "done", annotator=ANNOTATOR)
    window = make_window(store)
    assert window.progress_action in window.menuBar().actions()[2].menu().actions()  # View ▸ Progress…
    dialog = window.show_progress()
    qtbot.waitUntil(lambda: dialog.figures is not None, timeout=10_000)
    assert dialog.cell_texts("assignments") == [
        ["lee", "4", "3", "1", "0"],
        [ANNOTATOR, "3", "1", "1", "1"],
    ]
    assert dialog.cell_texts("labels") == [["lee", "1", "1"], [ANNOTATOR, "2", "2"]]
    [pair] = dialog.cell_texts("agreement")
    assert pair[:4] == ["lee", ANNOTATOR, "2", "1"] and pair[4] == "1.000"  # the identical SOURCE span
    assert dialog.chart.days and dialog.chart.days[-1][1] == 3
    assert "2 analysts · 7 assignments: 1 done, 2 in progress, 4 to do" in dialog.summary.text()
    dialog.resize(760, 620)
    shot(dialog, "progress-dialog")
    dialog.tabs.setCurrentIndex(3)
    shot(dialog, "progress-dialog-agreement")
    written = dialog.export_csv(tmp_path / "tables")
    assert [p.name for p in written] == ["labels.csv", "assignments.csv", "per_day.csv", "agreement.csv"]
    rows = list(csv.reader((tmp_path / "tables" / "assignments.csv").open(encoding="utf-8")))
    assert rows[1] == ["lee", "4", "3", "1", "0"]
    assert window.show_progress() is dialog  # one per window


def test_the_progress_dialog_of_a_project_without_work(qtbot, window):
    dialog = window.show_progress()
    qtbot.waitUntil(lambda: dialog.figures is not None, timeout=10_000)
    assert "no assignments yet" in dialog.summary.text()
    assert dialog.cell_texts("assignments") == []
    shot(dialog, "progress-dialog-empty")


def test_the_progress_dialog_follows_an_edit_made_elsewhere(qtbot, make_window, store):
    ids = team_project(store)
    window = make_window(store)
    dialog = window.show_progress()
    qtbot.waitUntil(lambda: dialog.figures is not None, timeout=10_000)
    assert dialog.cell_texts("labels") == []
    start, end = span_of(EMOJI_TEXT, "Kim Jong Un")
    env = {**os.environ, "ANNOTATOR_PROJECT": str(store.path)}
    done = subprocess.run([sys.executable, "-m", "annotator", "add", ids[0], str(start), str(end), "SOURCE",
                           "--annotator", "lee"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: dialog.cell_texts("labels") == [["lee", "1", "1"]], timeout=10_000)
