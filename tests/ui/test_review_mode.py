"""Review mode in the window: two annotators' sets over one article, the comparisons list, decisions
into gold (undoable), the agreement report, and merging a colleague's project through the worker."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator import review
from annotator.model import build_article
from annotator.review import GOLD, KINDS
from annotator.store import Store
from annotator.ui.review_layer import KIND_NAMES
import support

try:
    from .fixtures_window import ANNOTATOR, focus_view
except ImportError:  # tests/ui is not a package: pytest puts it on sys.path
    from fixtures_window import ANNOTATOR, focus_view  # type: ignore[no-redef]

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TEXT = (
    "Officials said Kim met Putin in Moscow, according to state media. "
    "The ministry said exports rose 5% in May, a spokesman told reporters."
)
URL = "https://news.example/kim-putin"


def the_article():
    return build_article([("paragraph", TEXT)], title="Kim met Putin", url=URL, outlet="Wire")


def other_article():
    return build_article([("paragraph", "Storm leaves thousands without power, the utility said.")], title="Storm")


def span(needle: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def tag(store: Store, article_id: str, needle: str, label: str, who: str) -> None:
    support.tag(store, article_id, *span(needle), label, annotator=who)


@pytest.fixture
def review_path(tmp_path: Path) -> Path:
    """One comparison of each kind between ana (A) and ben (B), plus a second article they both tagged."""
    path = tmp_path / "team.annotator"
    article, other = the_article(), other_article()
    with Store.open(path) as store:
        support.add_articles(store, [article, other])
        tag(store, article.id, "Officials", "SOURCE", "ana")  # agreed
        tag(store, article.id, "Officials", "SOURCE", "ben")
        tag(store, article.id, "state media", "SOURCE", "ana")  # label differs
        tag(store, article.id, "state media", "CLAIM", "ben")
        tag(store, article.id, "Kim met Putin", "CLAIM", "ana")  # boundaries differ
        tag(store, article.id, "Kim met Putin in Moscow", "CLAIM", "ben")
        tag(store, article.id, "exports rose 5%", "CLAIM", "ana")  # overlap, label differs
        tag(store, article.id, "The ministry said exports", "SOURCE", "ben")
        tag(store, article.id, "a spokesman", "SOURCE", "ana")  # only A
        tag(store, article.id, "reporters", "SOURCE", "ben")  # only B
        storm = other.text
        support.tag(store, other.id, *span("Storm", storm), "CLAIM", annotator="ana")
        support.tag(store, other.id, *span("the utility", storm), "SOURCE", annotator="ben")
    return path


@pytest.fixture
def team_store(review_path: Path):
    opened = Store.open(review_path)
    yield opened
    opened.close()


@pytest.fixture
def rw(make_window, team_store):
    window = make_window(team_store)
    window.open_article(the_article().id)
    return window


def enter_review(qtbot, window) -> None:
    """Through the real shortcut, then A and B chosen in the bar's combo boxes."""
    window.activateWindow()
    focus_view(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_R, CTRL)
    controller = window.review
    assert controller.active and controller.mode_action.isChecked()
    bar = controller.bar
    assert bar.isVisible() and controller.page.isVisible() and not window.side_panel.isVisible()
    # choosing the other side's name swaps the two; choosing again swaps back
    bar.a_combo.setCurrentIndex(bar.a_combo.findText("ben"))
    assert (controller.a, controller.b) == ("ben", "ana")
    bar.a_combo.setCurrentIndex(bar.a_combo.findText("ana"))
    assert (controller.a, controller.b) == ("ana", "ben")
    assert (bar.a_combo.currentText(), bar.b_combo.currentText()) == ("ana", "ben")


def choose(window, kind: str) -> review.ReviewItem:
    item = next(i for i in window.review.items if i.comparison.kind == kind)
    window.review.select(item.comparison.key)
    window.review.page.list.setFocus(Qt.FocusReason.OtherFocusReason)
    assert window.review.current_key == item.comparison.key
    return item


def gold(store: Store) -> list:
    return store.annotations_for(the_article().id, annotator=GOLD)


def row_text(window, key: str) -> str:
    page = window.review.page
    return page.model.index(page.model.row_of(key)).data()


def test_review_mode_shows_one_comparison_of_each_kind(qtbot, rw):
    enter_review(qtbot, rw)
    page = rw.review.page
    kinds = [item.comparison.kind for item in page.model.shown]
    assert sorted(kinds) == sorted(KINDS)
    rows = page.rows()
    assert all("to decide" in r for r in rows)
    for kind in KINDS:
        assert any(r.startswith(KIND_NAMES[kind]) for r in rows)
    boundaries = next(r for r in rows if r.startswith("boundaries differ"))
    assert "CLAIM" in boundaries and "“Kim met Putin in Moscow”" in boundaries
    assert any(r.startswith("label differs · SOURCE / CLAIM") for r in rows)
    # the view paints the layer of this article, not the plain highlights
    layer = rw.view.review_layer()
    assert layer is not None and layer.article_id == the_article().id and len(layer.items) == len(KINDS)
    start, _ = span("Putin")
    assert "Boundaries differ" in layer.tooltip(start) and "A ana: CLAIM" in layer.tooltip(start)
    assert "only ana" not in rw.review.bar.message.text()
    assert not rw.grab().isNull()  # paints without error
    # the label hotkeys are off: 1 decides, it never tags
    assert not any(a.isEnabled() for a in rw.label_actions.values())
    assert not rw.next_annotation_action.isEnabled()


def test_accept_a_key_makes_the_gold_span_and_ctrl_z_takes_it_back(qtbot, rw, team_store):
    enter_review(qtbot, rw)
    item = choose(rw, "boundaries_differ")
    rw.review.page.comment.setText("A has the right extent")
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_1)
    (g,) = gold(team_store)
    a = item.comparison.a
    assert (g.start, g.end, g.label, g.annotator) == (a.start, a.end, a.label, GOLD)
    (decision,) = team_store.decisions_for(the_article().id)
    assert decision.decision == "accept_a" and decision.decided_by == ANNOTATOR
    assert decision.decided_at and decision.comment == "A has the right extent"
    assert decision.gold_ids == [g.id] and decision.key == item.comparison.key
    assert rw.review.page.comment.text() == ""
    assert "accepted A · tester" in row_text(rw, item.comparison.key)
    assert g.id in rw.annotations  # the window knows the gold span too
    assert rw.undo_stack.undoText() == "accept A CLAIM"
    # the next comparison still to decide is chosen
    assert rw.review.current_key != item.comparison.key
    assert rw.review.current_item().decision is None

    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_Z, CTRL)
    assert gold(team_store) == []
    assert team_store.decisions_for(the_article().id) == []
    assert team_store.annotations_by_id([g.id]) == {}  # undone: the gold row is gone, as before the decision
    assert "to decide" in row_text(rw, item.comparison.key)
    assert g.id not in rw.annotations

    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_Z, CTRL | SHIFT)
    assert [x.id for x in gold(team_store)] == [g.id]
    (again,) = team_store.decisions_for(the_article().id)
    assert again.id == decision.id
    assert "accepted A" in row_text(rw, item.comparison.key)


def test_reject_records_a_decision_without_gold(qtbot, rw, team_store):
    enter_review(qtbot, rw)
    item = choose(rw, "label_differs")
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_0)
    assert gold(team_store) == []
    (decision,) = team_store.decisions_for(the_article().id)
    assert decision.decision == "reject" and decision.gold_ids == [] and decision.decided_by == ANNOTATOR
    assert "rejected" in row_text(rw, item.comparison.key)
    # X rejects too, here from the article view
    other = choose(rw, "only_b")
    focus_view(qtbot, rw)
    qtbot.keyClick(rw.view, Qt.Key.Key_X)
    assert {d.key for d in team_store.decisions_for(the_article().id)} == {
        item.comparison.key, other.comparison.key}
    qtbot.keyClick(rw.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(rw.view, Qt.Key.Key_Z, CTRL)
    assert team_store.decisions_for(the_article().id) == []


def test_accept_both_and_a_refused_side(qtbot, rw, team_store):
    enter_review(qtbot, rw)
    only_a = choose(rw, "only_a")
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_2)  # accept B of a comparison without B
    assert team_store.decisions_for(the_article().id) == []
    assert "accept A" in rw.statusBar().currentMessage() or not rw.review.accept_b_action.isEnabled()
    assert rw.review.current_key == only_a.comparison.key
    item = choose(rw, "overlap_label_differs")
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_3)
    found = sorted((g.start, g.end, g.label) for g in gold(team_store))
    c = item.comparison
    assert found == sorted([(c.a.start, c.a.end, c.a.label), (c.b.start, c.b.end, c.b.label)])
    (decision,) = team_store.decisions_for(the_article().id)
    assert decision.decision == "accept_both" and len(decision.gold_ids) == 2
    layer = rw.view.review_layer()
    assert len(layer.gold) == 2 and layer.show_gold
    rw.review.show_gold_action.setChecked(False)
    assert not any(k.startswith("gold:") for k in rw.view.review_layer().spans)


def test_accept_all_agreed_is_one_undo_step(qtbot, rw, team_store):
    enter_review(qtbot, rw)
    button = rw.review.page.agreed_button
    assert button.isEnabled() and "(1)" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    (g,) = gold(team_store)
    assert (g.start, g.end, g.label) == (*span("Officials"), "SOURCE")
    (decision,) = team_store.decisions_for(the_article().id)
    assert decision.decision == "accept_both" and decision.decided_by == ANNOTATOR
    assert not button.isEnabled()
    agreed = next(i for i in rw.review.items if i.comparison.kind == "agreed")
    assert agreed.decision is not None
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_Z, CTRL)
    assert gold(team_store) == [] and team_store.decisions_for(the_article().id) == []


def test_edit_uses_the_text_selected_and_the_label_chosen(qtbot, rw, team_store):
    enter_review(qtbot, rw)
    choose(rw, "only_b")
    rw.view.select_span(*span("spokesman told reporters"))
    qtbot.keyClick(rw.view, Qt.Key.Key_E)
    dialog = rw.review.edit_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.bounds_combo.currentText().startswith("The text selected")
    dialog.label_combo.setCurrentIndex(dialog.label_combo.findText("CLAIM"))
    dialog.comment.setText("the whole phrase")
    dialog.accept()
    (g,) = gold(team_store)
    assert (g.start, g.end, g.label) == (*span("spokesman told reporters"), "CLAIM")
    (decision,) = team_store.decisions_for(the_article().id)
    assert decision.decision == "edit" and decision.comment == "the whole phrase"


def test_reopen_from_the_list_and_clicking_a_span(qtbot, rw, team_store):
    enter_review(qtbot, rw)
    item = choose(rw, "label_differs")
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_1)
    assert len(gold(team_store)) == 1
    rw.review.select(item.comparison.key)
    rw.review.page.list.setFocus()
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_Delete)
    assert gold(team_store) == [] and team_store.decisions_for(the_article().id) == []
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_Z, CTRL)  # undo the reopen: the decision stands again
    assert len(gold(team_store)) == 1
    # a click on a span chooses its comparison
    target = next(i for i in rw.review.items if i.comparison.kind == "boundaries_differ")
    point = rw.view.point_for(span("Moscow")[0] + 1)
    qtbot.mouseClick(rw.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert rw.review.current_key == target.comparison.key


def test_leaving_review_mode_restores_the_normal_view(qtbot, rw):
    enter_review(qtbot, rw)
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_R, CTRL)
    assert not rw.review.active
    assert rw.view.review_layer() is None
    assert rw.side_panel.isVisible() and not rw.review.page.isVisible() and not rw.review.bar.isVisible()
    assert all(a.isEnabled() for a in rw.label_actions.values())
    assert rw.next_annotation_action.isEnabled()


def test_n_and_p_walk_and_enter_shows_the_comparison(qtbot, rw):
    enter_review(qtbot, rw)
    page = rw.review.page
    rw.review.select(page.model.shown[0].comparison.key)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_N)
    assert rw.review.current_key == page.model.shown[1].comparison.key
    qtbot.keyClick(page.list, Qt.Key.Key_Down)
    assert rw.review.current_key == page.model.shown[2].comparison.key
    qtbot.keyClick(page.list, Qt.Key.Key_P)
    assert rw.review.current_key == page.model.shown[1].comparison.key
    qtbot.keyClick(page.list, Qt.Key.Key_Return)
    c = rw.review.current_item().comparison
    assert rw.view.selection_span() == (c.start, c.end)
    assert rw.view.review_layer().current == c.key


def wait_for_report(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.figures is not None and dialog.worker is None, timeout=20000)


def test_agreement_report_shows_the_core_figures_and_exports_csv(qtbot, rw, team_store, tmp_path):
    enter_review(qtbot, rw)
    qtbot.keyClick(rw.review.page.list, Qt.Key.Key_R, CTRL | SHIFT)
    dialog = rw.review.report_dialog
    assert dialog is not None
    wait_for_report(qtbot, dialog)
    expected = review.agreement(team_store, "ana", "ben")
    cells = dialog.label_cells()
    assert set(cells) == set(expected["labels"]) | {"Overall"}
    for name, figures in [*expected["labels"].items(), ("Overall", expected["overall"])]:
        for key in ("a_spans", "b_spans", "f1_exact", "f1_overlap", "kappa_token", "alpha_token"):
            value = figures[key]
            text = "—" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))
            assert cells[name][key] == text, (name, key)
    per_article = review.per_article(team_store, "ana", "ben")
    assert dialog.article_model.rows == per_article
    assert dialog.chart.groups and dialog.chart.groups[0][0] == next(iter(expected["labels"]))
    target = tmp_path / "figures.csv"
    assert dialog.export_csv_to(target) == len(expected["labels"]) + 1 + len(per_article)
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["scope"] for r in rows].count("article") == len(per_article)
    overall = next(r for r in rows if r["scope"] == "overall")
    assert float(overall["f1_exact"]) == pytest.approx(expected["overall"]["f1_exact"])
    # one label only
    dialog.label_combo.setCurrentIndex(dialog.label_combo.findText("CLAIM"))
    wait_for_report(qtbot, dialog)
    assert set(dialog.label_cells()) == {"CLAIM", "Overall"}
    assert dialog.label_cells()["CLAIM"]["f1_exact"] == f"{review.agreement(team_store, 'ana', 'ben', 'CLAIM')['labels']['CLAIM']['f1_exact']:.3f}"
    # double-click an article: it opens in review mode
    rw.open_article(other_article().id)
    index = dialog.article_proxy.index(0, 0)
    dialog.article_table.doubleClicked.emit(index)
    first = per_article[0]["article_id"]
    assert rw.current_article.id == first and rw.review.active
    dialog.close()


def test_merging_a_colleague_project_through_the_worker(qtbot, rw, team_store, tmp_path):
    theirs_path = tmp_path / "carla.annotator"
    changed = build_article(
        [("paragraph", TEXT + " Carla added this sentence in her copy.")], title="Kim met Putin", url=URL, outlet="Wire"
    )
    extra = build_article([("paragraph", "Floods hit river towns as rain continues, officials said.")], title="Floods")
    with Store.open(theirs_path) as theirs:
        support.add_articles(theirs, [changed, extra])
        support.tag(theirs, changed.id, *span("Kim met Putin", changed.text), "CLAIM", annotator="carla")
        support.tag(theirs, changed.id, *span("Carla added this sentence", changed.text), "CLAIM", annotator="carla")
        support.tag(theirs, extra.id, *span("officials", extra.text), "SOURCE", annotator="carla")
    before = hashlib.sha256(theirs_path.read_bytes()).hexdigest()
    stat = theirs_path.stat()
    worker = rw.review.start_merge(theirs_path)
    assert worker is not None
    qtbot.waitUntil(lambda: rw.review.last_merge is not None, timeout=20000)
    qtbot.waitUntil(lambda: not worker.is_running(), timeout=5000)
    outcome = rw.review.last_merge
    report = outcome.report
    assert outcome.annotators == {"carla": 3}
    assert report.articles_added == 1 and report.articles_matched == [(changed.id, the_article().id)]
    assert report.annotations.added == 2 and report.annotations_reanchored == 1
    (unplaced,) = report.unanchored
    assert unplaced.quote == "Carla added this sentence" and unplaced.annotator == "carla"
    # their annotations are here, under their name
    mine = team_store.annotations_for(the_article().id, annotator="carla")
    assert [(a.start, a.end, a.label) for a in mine] == [(*span("Kim met Putin"), "CLAIM")]
    assert [a.annotator for a in team_store.annotations_for(extra.id)] == ["carla"]
    # the summary lists what could not be placed, and the window shows the new work
    dialog = rw.review.summary_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.rows() == [["Kim met Putin", "CLAIM", "Carla added this sentence", "carla", unplaced.reason]]
    assert "carla (3 spans)" in dialog.summary.text() and "1 could not be placed" not in dialog.summary.text()
    assert "1 item could not be placed" in dialog.summary.text()
    assert extra.id in rw.article_list.model.ids()
    assert any(a.annotator == "carla" for a in rw.annotations.values())
    # their file: not one byte changed, not even its time
    assert hashlib.sha256(theirs_path.read_bytes()).hexdigest() == before
    assert theirs_path.stat().st_mtime_ns == stat.st_mtime_ns
    assert not Path(str(theirs_path) + "-wal").exists()
    dialog.close()
    # the new annotator can be chosen in review mode
    enter_review(qtbot, rw)
    extras = [a.text() for a in rw.review.bar.extras_menu.actions()]
    assert extras == ["carla"]
    rw.review.bar.extras_menu.actions()[0].setChecked(True)
    assert "carla" in rw.view.review_layer().extras


def test_merging_this_project_itself_is_refused(qtbot, rw, review_path):
    assert rw.review.start_merge(review_path) is None
    assert "itself" in rw.last_error


def test_keyboard_help_lists_the_review_keys(qtbot, rw):
    dialog = rw.show_keyboard_help()
    rows = dialog.rows()
    assert ("Ctrl+R", "Review mode") in rows
    assert ("Ctrl+Shift+R", "Agreement report…") in rows
    assert any(keys == "1 / 2 / 3" and "Accept A" in what for keys, what in rows)
    assert any(keys == "0, X" and what == "Reject" for keys, what in rows)
    dialog.close()
    QApplication.processEvents()


def test_importing_an_annotation_set_through_the_worker(qtbot, rw, team_store, tmp_path):
    from annotator.formats import export_to_path

    source = tmp_path / "dana.annotator"
    with Store.open(source) as theirs:
        support.add_article(theirs, the_article())
        support.tag(theirs, the_article().id, *span("Putin"), "SOURCE", annotator="dana")
        exported = tmp_path / "dana.jsonl"
        export_to_path(theirs, "jsonl", exported)
    # one File menu entry: the window's (ui/annotation_import_dialog.py);
    # review mode then adds none of its own, and start_import_set stays for programmatic use
    file_actions = rw.menuBar().actions()[0].menu().actions()
    assert [a for a in file_actions if "annotation set" in a.text().replace("&", "").lower()] == [rw.import_set_action]
    worker = rw.review.start_import_set(exported)
    assert worker is not None
    qtbot.waitUntil(lambda: rw.review.last_set_report is not None, timeout=20000)
    qtbot.waitUntil(lambda: not worker.is_running(), timeout=5000)
    report = rw.review.last_set_report
    assert report.spans.added == 1 and report.not_imported == 0
    (placed,) = team_store.annotations_for(the_article().id, annotator="dana")
    assert (placed.start, placed.end, placed.label) == (*span("Putin"), "SOURCE")
    assert any(a.annotator == "dana" for a in rw.annotations.values())
    assert "Spans: 1 added" in rw.review.summary_dialog.summary.text()
    rw.review.summary_dialog.close()


def test_the_details_keep_the_sides_capital_letter(qtbot, rw):
    enter_review(qtbot, rw)
    choose(rw, "only_a")
    assert rw.review.page.detail.text().startswith("Only A — to decide")
    choose(rw, "only_b")
    assert rw.review.page.detail.text().startswith("Only B — to decide")
