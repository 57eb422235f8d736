"""File ▸ Export… (export_dialog.py): choices made through the widgets, the export run in the worker,
the written file checked, the summary's counts of what could not be written, and cancelling."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence

from annotator.formats import jsonl
from annotator.model import build_article
from annotator.review import GOLD
from annotator.store import Store
from annotator.ui import export_dialog as export_module
import support

try:
    from .fixtures_window import EMOJI_TEXT, emoji_article, isolated_settings, make_window, second_article  # noqa: F401
except ImportError:
    from fixtures_window import (  # type: ignore[no-redef]  # noqa: F401
        EMOJI_TEXT,
        emoji_article,
        isolated_settings,
        make_window,
        second_article,
    )

SECOND_TEXT = second_article().text


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@pytest.fixture
def team_path(tmp_path: Path) -> Path:
    """Two articles tagged by maria and ben, and a gold layer; maria's spans overlap once."""
    path = tmp_path / "team.annotator"
    emoji, second = emoji_article(), second_article()
    with Store.open(path) as store:
        support.add_articles(store, [emoji, second])
        def tag(*args, **kwargs):
            return support.tag(store, *args, **kwargs)

        tag(emoji.id, *span(EMOJI_TEXT, "Kim Jong Un"), "SOURCE", annotator="maria")
        tag(emoji.id, *span(EMOJI_TEXT, "Kim Jong Un said the economy grew 5%"), "CLAIM", annotator="maria")
        tag(emoji.id, *span(EMOJI_TEXT, "Kim Jong Un"), "SOURCE", annotator="ben")
        tag(emoji.id, *span(EMOJI_TEXT, "the economy grew 5%"), "CLAIM", annotator="ben")
        tag(emoji.id, *span(EMOJI_TEXT, "Kim Jong Un"), "SOURCE", annotator=GOLD)
        tag(second.id, *span(SECOND_TEXT, "the utility"), "SOURCE", annotator="maria")
        tag(second.id, *span(SECOND_TEXT, "More than 40,000 homes lost power"), "CLAIM", annotator="ben")
    return path


@pytest.fixture
def team_store(team_path: Path):
    store = Store.open(team_path)
    yield store
    store.close()


@pytest.fixture
def team_window(make_window, team_store):
    return make_window(team_store)


def add_more_articles(store: Store, count: int = 60) -> None:
    """Untagged articles after the tagged ones: work left to do when the test cancels."""
    support.add_articles(store, [
        build_article([("paragraph", f"Filler article number {i}, with a few words in it.")], title=f"Filler {i}")
        for i in range(count)
    ])


def open_dialog(qtbot, window) -> export_module.ExportDialog:
    """File ▸ Export… as the user does it: the action (Ctrl+E)."""
    window.export_action.trigger()
    dialog = window.export_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def click_format(qtbot, dialog, name: str) -> None:
    for row in range(dialog.format_list.count()):
        item = dialog.format_list.item(row)
        if item.data(export_module.NAME_ROLE) == name:
            rect = dialog.format_list.visualItemRect(item)
            dialog.format_list.scrollToItem(item)
            rect = dialog.format_list.visualItemRect(item)
            qtbot.mouseClick(dialog.format_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert dialog.format_name() == name
            return
    raise AssertionError(f"no format {name}")


def tick_only(qtbot, dialog, tree, names: set[str]) -> None:
    """"None" above the list, then tick the wanted rows (a click on a check box sets its state)."""
    none_button = [b for b in dialog.findChildren(export_module.QToolButton) if b.text() == "None"]
    none_button = none_button[0] if tree is dialog.annotator_list else none_button[1]
    qtbot.mouseClick(none_button, Qt.MouseButton.LeftButton)
    assert dialog._checked(tree) == []  # noqa: SLF001
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item.data(0, export_module.NAME_ROLE) in names:
            item.setCheckState(0, Qt.CheckState.Checked)
    assert set(dialog._checked(tree)) == names  # noqa: SLF001


def type_destination(qtbot, dialog, path: Path) -> None:
    dialog.path_edit.selectAll()
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(dialog.path_edit, str(path))
    assert dialog.destination() == path


def run_export(qtbot, dialog, outcome: str = "finished") -> None:
    assert dialog.export_button.isEnabled(), dialog.readout.text()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_outcome != "", timeout=20000)
    assert dialog.last_outcome == outcome, dialog.last_error
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=5000)


def spans_in(path: Path) -> list[tuple[str, str, str]]:
    lines = path.read_text("utf-8").splitlines()
    assert json.loads(lines[0])["_format"] == "news-annotator"
    return sorted(
        (span["annotator"], span["label"], span["text"]) for line in lines[1:] for span in json.loads(line)["spans"]
    )


def test_the_file_menu_has_export_on_ctrl_e_and_one_annotation_set_import(team_window):
    file_menu = team_window.menuBar().actions()[0].menu()
    assert team_window.export_action in file_menu.actions()
    assert team_window.export_action.shortcut() == QKeySequence("Ctrl+E")
    entries = [a for a in file_menu.actions() if "annotation set" in a.text().replace("&", "").lower()]
    assert entries == [team_window.import_set_action]


def test_every_format_is_offered_with_its_description_and_output(qtbot, team_window):
    from annotator.formats import FORMATS

    dialog = open_dialog(qtbot, team_window)
    offered = {
        dialog.format_list.item(r).data(export_module.NAME_ROLE): dialog.format_list.item(r)
        for r in range(dialog.format_list.count())
    }
    assert list(offered) == list(FORMATS)
    assert offered["brat"].data(export_module.OUTPUT_ROLE) == "folder"
    assert offered["conll"].data(export_module.OUTPUT_ROLE) == "file · .conll"
    assert offered["jsonl"].data(export_module.DETAIL_ROLE) == FORMATS["jsonl"].DESCRIPTION
    # gold is offered among the annotators, after the others
    names = dialog._names(dialog.annotator_list)  # noqa: SLF001
    assert names == ["ben", "maria", GOLD]
    dialog.reject()


def test_jsonl_export_of_one_annotator_and_one_label(qtbot, team_window, tmp_path):
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "jsonl")
    tick_only(qtbot, dialog, dialog.annotator_list, {"maria"})
    tick_only(qtbot, dialog, dialog.label_list, {"SOURCE"})
    assert dialog.spans_note.text().startswith("Spans by maria, with SOURCE")
    target = tmp_path / "out" / "maria-sources.jsonl"
    target.parent.mkdir()
    type_destination(qtbot, dialog, target)
    run_export(qtbot, dialog)

    assert spans_in(target) == [("maria", "SOURCE", "Kim Jong Un"), ("maria", "SOURCE", "the utility")]
    assert len(target.read_text("utf-8").splitlines()) == 1 + 2  # header and both articles
    assert dialog.stats.spans == 2 and dialog.stats.articles == 2
    summary = dialog.summary_text()
    assert summary.startswith("Exported 2 spans from 2 articles")
    assert str(target) in summary
    assert "Every selected span was written as it is." in summary
    assert "Exported 2 spans from 2 articles" in team_window.statusBar().currentMessage()
    assert list(target.parent.iterdir()) == [target]  # no temporary file left beside it
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # "Close"
    qtbot.waitUntil(lambda: team_window.export_dialog is None, timeout=2000)


def test_the_status_line_counts_one_article_in_the_singular(qtbot, team_window, tmp_path):
    team_window.open_article(team_window.article_list.model.ids()[0])
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "jsonl")
    dialog.current_radio.setChecked(True)
    type_destination(qtbot, dialog, tmp_path / "one.jsonl")
    run_export(qtbot, dialog)
    assert dialog.stats.articles == 1
    message = team_window.statusBar().currentMessage()
    assert message.startswith("Exported ") and message.endswith("from 1 article"), message


def test_gold_layer_alone(qtbot, team_window, tmp_path):
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "jsonl")
    tick_only(qtbot, dialog, dialog.annotator_list, {GOLD})
    target = tmp_path / "gold.jsonl"
    type_destination(qtbot, dialog, target)
    run_export(qtbot, dialog)
    assert spans_in(target) == [(GOLD, "SOURCE", "Kim Jong Un")]
    dialog.reject()


def test_the_open_article_only(qtbot, team_window, team_store, tmp_path):
    team_window.open_article(emoji_article().id)
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "jsonl")
    assert dialog.current_radio.isEnabled()
    radio = dialog.current_radio
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))  # on its circle
    assert dialog.current_radio.isChecked()
    target = tmp_path / "one.jsonl"
    type_destination(qtbot, dialog, target)
    run_export(qtbot, dialog)
    lines = target.read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines[1:]] == [emoji_article().id]
    assert len(json.loads(lines[1])["spans"]) == 5
    dialog.reject()


def test_conll_reports_the_overlapping_span_it_could_not_write(qtbot, team_window, tmp_path):
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "conll")
    tick_only(qtbot, dialog, dialog.annotator_list, {"maria"})
    target = tmp_path / "maria.conll"
    assert dialog.destination().suffix == ".conll"  # the suggested name follows the format
    type_destination(qtbot, dialog, target)
    run_export(qtbot, dialog)

    stats = dialog.stats
    assert stats.overlapping == 1 and stats.spans == 2  # the claim kept (longer), the source inside it dropped
    summary = dialog.summary_text()
    assert "1 span not written: overlapped a longer (or earlier) span" in summary
    assert "'Kim Jong Un' overlaps a kept span" in summary  # an example, with the span
    tags = [line.split()[-1] for line in target.read_text("utf-8").splitlines() if line and not line.startswith("-DOCSTART-")]
    assert tags.count("B-CLAIM") == 1 and "B-SOURCE" in tags  # the second article's source
    assert "not written as they are" in team_window.statusBar().currentMessage()
    dialog.reject()


def test_brat_writes_a_folder(qtbot, team_window, tmp_path):
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "brat")
    assert dialog.choose_button.text() == "Choose folder…"
    assert dialog.destination().suffix == ""
    target = tmp_path / "brat-out"
    type_destination(qtbot, dialog, target)
    assert dialog.merge_check.isVisibleTo(dialog) and not dialog.export_button.isEnabled()  # three annotators
    dialog.merge_check.setChecked(True)
    run_export(qtbot, dialog)
    assert target.is_dir()
    assert sorted(p.suffix for p in target.iterdir() if p.suffix in (".ann", ".txt")) == [".ann", ".ann", ".txt", ".txt"]
    assert (target / "annotation.conf").is_file()
    dialog.reject()


def test_cancel_leaves_no_file_and_keeps_the_old_one(qtbot, team_window, team_store, tmp_path, monkeypatch):
    add_more_articles(team_store)
    target = tmp_path / "corpus.jsonl"
    target.write_text("the previous export\n", "utf-8")
    reached, proceed = threading.Event(), threading.Event()
    original = jsonl.codecs.article_record

    def slow_line(*args):  # the first article is written, then the export waits for the user
        line = original(*args)
        if not reached.is_set():
            reached.set()
            proceed.wait(10)
        return line

    monkeypatch.setattr(jsonl.codecs, "article_record", slow_line)
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "jsonl")
    type_destination(qtbot, dialog, target)
    assert "exists: it is replaced when the export has succeeded" in dialog.destination_note.text()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=10000)
    assert dialog.pages.currentIndex() == dialog.RUNNING
    assert dialog.cancel_button.text() == "Stop"
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # being written beside the target
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    proceed.set()
    qtbot.waitUntil(lambda: dialog.last_outcome != "", timeout=10000)
    assert dialog.last_outcome == "cancelled"
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=5000)

    assert target.read_text("utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert dialog.pages.currentIndex() == dialog.FORM
    assert "cancelled: nothing was written" in dialog.readout.text()
    dialog.reject()


def test_cancel_of_a_new_file_leaves_nothing(qtbot, team_window, team_store, tmp_path, monkeypatch):
    add_more_articles(team_store)
    target = tmp_path / "fresh" / "corpus.jsonl"
    target.parent.mkdir()
    original = jsonl.codecs.article_record
    dialog = open_dialog(qtbot, team_window)

    def cancelling_line(*args):  # the user cancels while the first article is being written
        dialog.task.cancel()
        return original(*args)

    monkeypatch.setattr(jsonl.codecs, "article_record", cancelling_line)
    click_format(qtbot, dialog, "jsonl")
    type_destination(qtbot, dialog, target)
    run_export(qtbot, dialog, outcome="cancelled")
    assert list(target.parent.iterdir()) == []
    dialog.reject()


def test_any_subset_of_annotators_and_labels_is_exported(qtbot, team_window, tmp_path):
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "jsonl")
    tick_only(qtbot, dialog, dialog.annotator_list, {"maria", GOLD})
    tick_only(qtbot, dialog, dialog.label_list, {"SOURCE", "CAPTION"})
    assert dialog.export_button.isEnabled(), dialog.readout.text()
    filters, problems = dialog.filters()
    assert problems == []
    assert sorted(filters["annotators"]) == sorted(["maria", GOLD]) and filters["labels"] == ["SOURCE", "CAPTION"]
    assert dialog.spans_note.text().startswith(f"Spans by maria or {GOLD}, with SOURCE or CAPTION")
    target = tmp_path / "subset.jsonl"
    type_destination(qtbot, dialog, target)
    run_export(qtbot, dialog)
    assert spans_in(target) == [(GOLD, "SOURCE", "Kim Jong Un"), ("maria", "SOURCE", "Kim Jong Un"),
                                ("maria", "SOURCE", "the utility")]
    dialog.reject()


def test_no_annotator_or_no_label_ticked_cannot_export(qtbot, team_window):
    dialog = open_dialog(qtbot, team_window)
    tick_only(qtbot, dialog, dialog.annotator_list, {"maria", "ben"})
    assert dialog.export_button.isEnabled()
    tick_only(qtbot, dialog, dialog.label_list, set())
    assert not dialog.export_button.isEnabled()
    assert "Tick at least one label." in dialog.spans_note.text()
    qtbot.mouseClick([b for b in dialog.findChildren(export_module.QToolButton) if b.text() == "All"][1],
                     Qt.MouseButton.LeftButton)
    assert dialog.export_button.isEnabled()
    assert dialog.filters()[0]["labels"] is None  # all ticked: no filter
    dialog.reject()


def test_the_progress_bar_counts_the_articles(qtbot, team_window, team_store, tmp_path, monkeypatch):
    add_more_articles(team_store, 10)
    reached, proceed = threading.Event(), threading.Event()
    original = jsonl.codecs.article_record
    written = []

    def slow_line(*args):  # the fifth article waits until the test has looked at the bar
        written.append(1)
        if len(written) == 5:
            reached.set()
            proceed.wait(10)
        return original(*args)

    monkeypatch.setattr(jsonl.codecs, "article_record", slow_line)
    monkeypatch.setattr(export_module.FormatTask, "report_progress", _unthrottled)
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "jsonl")
    type_destination(qtbot, dialog, tmp_path / "all.jsonl")
    seen: list[tuple[int, int]] = []
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    dialog.task.progress.connect(lambda done, total: seen.append((done, total)))
    qtbot.waitUntil(reached.is_set, timeout=10000)
    qtbot.waitUntil(lambda: dialog.progress.value() == 4, timeout=5000)
    assert dialog.progress.minimum() == 0 and dialog.progress.maximum() == 12  # a count, not "busy"
    assert dialog.progress.isTextVisible() and dialog.progress.text() == "4 of 12 articles"
    proceed.set()
    qtbot.waitUntil(lambda: dialog.last_outcome != "", timeout=10000)
    assert dialog.last_outcome == "finished"
    assert dialog.progress.value() == dialog.progress.maximum() == 12
    assert seen[-1] == (12, 12) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    dialog.reject()


def _unthrottled(self, done: int, total: int) -> None:
    """FormatTask.report_progress without its rate limit, so every count reaches the dialog."""
    self.last_progress = (done, total)
    self.progress.emit(done, total)


def test_docbin_is_disabled_with_the_reason_without_spacy(qtbot, team_window, monkeypatch):
    from annotator.formats import docbin

    monkeypatch.setattr(docbin, "available", lambda: False)  # the dialog asks the format module
    dialog = open_dialog(qtbot, team_window)
    (item,) = [dialog.format_list.item(r) for r in range(dialog.format_list.count())
               if dialog.format_list.item(r).data(export_module.NAME_ROLE) == "docbin"]
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert item.data(export_module.DETAIL_ROLE).startswith("Needs spaCy, which is not installed here")
    assert "pip install" in item.toolTip()
    dialog.format_list.setCurrentItem(item)
    assert dialog.format_name() != "docbin"
    dialog.reject()


def test_a_one_layer_format_says_what_the_command_line_says_and_offers_its_choices(qtbot, team_window, team_store, tmp_path):
    from annotator.formats import FORMATS, layer_problem
    from annotator.store import ExportFilter

    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "conll")
    type_destination(qtbot, dialog, tmp_path / "out.conll")
    core = layer_problem(team_store, FORMATS["conll"], ExportFilter())  # what `annotator export` prints
    assert core.startswith("the conll format holds one layer of spans, and the selection has spans of 3 annotators: "
                           "ben (3 spans), gold (1 span), maria (3 spans).")
    assert dialog.readout.text() == core[:1].upper() + core[1:] + "."
    assert not dialog.export_button.isEnabled()
    assert dialog.merge_check.isVisibleTo(dialog) and "(--annotator all)" in dialog.merge_check.text()
    dialog.set_checked(dialog.annotator_list, ["ben"])  # one annotator: --annotator ben
    assert dialog.export_button.isEnabled()
    dialog.set_checked(dialog.annotator_list, ["ben", "maria"])
    assert not dialog.export_button.isEnabled() and "2 annotators: ben (3 spans), maria (3 spans)" in dialog.readout.text()
    dialog.merge_check.setChecked(True)  # their union: --annotator all
    run_export(qtbot, dialog)
    assert "identical to another annotator's span written once" in dialog.summary_text()
    dialog.reject()


def test_format_options_follow_the_format(qtbot, team_window, tmp_path):
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "doccano")
    assert dialog.options_box.isVisibleTo(dialog)
    assert dialog.variant_combo.currentData() == "relations"
    assert dialog.units_combo.currentData() == "utf16"
    dialog.variant_combo.setCurrentIndex(dialog.variant_combo.findData("labels"))
    dialog.merge_check.setChecked(True)
    filters, problems = dialog.filters()
    assert problems == []
    assert filters["variant"] == "labels" and filters["offset_units"] == "utf16" and filters["merge_identical"]
    click_format(qtbot, dialog, "csv")
    assert not dialog.options_box.isVisibleTo(dialog)
    assert "variant" not in dialog.filters()[0]
    dialog.reject()


def test_render_the_dialog(qtbot, team_window, tmp_path):
    """A picture to look at (docs and review): the dialog as it opens."""
    dialog = open_dialog(qtbot, team_window)
    image = dialog.grab()
    assert not image.isNull() and image.width() >= 800
    image.save(str(tmp_path / "export_dialog.png"))
    dialog.reject()


def test_the_worker_forwards_progress_at_a_limited_rate_but_always_the_first_and_last(qtbot, team_path, monkeypatch):
    from annotator.ui import format_workers

    clock = [100.0]
    monkeypatch.setattr(format_workers.time, "monotonic", lambda: clock[0])
    task = format_workers.FormatTask(team_path, lambda store: None, readonly=True)
    seen: list[tuple[int, int]] = []
    task.progress.connect(lambda done, total: seen.append((done, total)))  # same thread: direct
    task.report_progress(0, 10)
    task.report_progress(1, 10)  # too soon after the first: dropped
    clock[0] += format_workers.PROGRESS_INTERVAL
    task.report_progress(2, 10)
    task.report_progress(3, 10)
    task.report_progress(10, 10)  # the last always arrives
    assert seen == [(0, 10), (2, 10), (10, 10)]
    assert task.last_progress == (10, 10)


def test_open_suggestions_are_offered_and_written_when_ticked(qtbot, make_window, team_store, tmp_path, fake_suggesters):
    from annotator.operations import suggestions as sug

    made = len(sug.suggest(team_store, [emoji_article().id], annotator="carl").value)
    assert made == 4  # two by the word lists, two learned from maria's and ben's spans
    window = make_window(team_store)
    dialog = open_dialog(qtbot, window)
    click_format(qtbot, dialog, "labelstudio")
    assert dialog.suggestions_check.isVisibleTo(dialog) and "predictions" in dialog.suggestions_check.text()
    dialog.suggestions_check.setChecked(True)
    target = tmp_path / "ls.json"
    type_destination(qtbot, dialog, target)
    run_export(qtbot, dialog)
    tasks = json.loads(target.read_text("utf-8"))
    found = [(r["value"]["text"], p["model_version"]) for t in tasks for p in t.get("predictions", []) for r in p["result"]]
    assert len(found) == made and ("Kim Jong Un", "fake-sources 1.0") in found
    assert f"and {made} suggestions" in dialog.summary_text()
    dialog.reject()
    qtbot.waitUntil(lambda: window.export_dialog is None, timeout=2000)
    dialog = open_dialog(qtbot, window)
    click_format(qtbot, dialog, "csv")
    dialog.suggestions_check.setChecked(True)
    type_destination(qtbot, dialog, tmp_path / "s.csv")
    run_export(qtbot, dialog)
    assert f"{made} suggestions not written" in dialog.summary_text()
    dialog.reject()


def test_no_suggestion_choice_without_open_suggestions(qtbot, team_window):
    dialog = open_dialog(qtbot, team_window)
    click_format(qtbot, dialog, "jsonl")
    assert not dialog.suggestions_check.isVisibleTo(dialog)
    assert "include_suggestions" not in dialog.filters()[0]
    dialog.reject()
