"""Batches of files and folders: worker processes, per-file all-or-nothing, batched commits, cancel."""

from __future__ import annotations

from collections import Counter
import json
import shutil
from pathlib import Path

import pytest

from annotator import importing, parse_workers
from annotator.cli.articles import block_counts
from annotator.errors import ProjectLockedError
from annotator.importing import ImportedArticle, expand_paths, import_paths
from annotator.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
NEWS = (FIXTURES / "news_figure.html").read_text("utf-8")


def page(i: int) -> str:
    """The fixture page with a distinct headline and first paragraph: a distinct article."""
    return NEWS.replace("Floods hit river towns", f"Floods hit river towns ({i})").replace(
        "Emergency services evacuated", f"On day {i}, emergency services evacuated"
    )


def write_pages(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"page_{i:03d}.html"
        path.write_text(page(i), "utf-8")
        paths.append(path)
    return paths


def titles(store: Store) -> list[str]:
    return sorted(summary.title for summary in store.list_articles())


class RecordingPool(parse_workers.ParseWorkers):
    created: list[tuple[int, float | None]] = []

    def __init__(self, count, parse, time_limit):
        RecordingPool.created.append((count, time_limit))
        super().__init__(count, parse, time_limit)


@pytest.fixture
def recording_pool(monkeypatch: pytest.MonkeyPatch) -> type[RecordingPool]:
    RecordingPool.created = []
    monkeypatch.setattr(importing, "ParseWorkers", RecordingPool)
    return RecordingPool


@pytest.mark.parametrize("workers", [1, 2])
def test_folder_with_good_and_bad_files(tmp_path: Path, workers: int, recording_pool) -> None:
    """One worker process (a time limit applies to the pages) or two: the same outcome."""
    folder = tmp_path / "in"
    good = write_pages(folder, 6)
    shutil.copy(FIXTURES / "bad_line.jsonl", folder / "broken.jsonl")
    (folder / "empty.html").write_text((FIXTURES / "no_article.html").read_text())
    (folder / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "notes.txt").write_text("A plain headline\nA plain paragraph of text.", "utf-8")
    (folder / "zz.jsonl").write_text(json.dumps({"title": "From JSONL", "text": "Body of it."}) + "\n")
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [folder], workers=workers, annotator="tester")
        stored = titles(store)
    assert report.workers == workers
    assert recording_pool.created == [(workers, importing.FILE_SECONDS)]
    assert [s.path for s in report.imported] == [folder / "notes.txt", *good, folder / "zz.jsonl"]  # name order
    failed = dict(report.failed)
    assert set(failed) == {folder / "broken.jsonl", folder / "empty.html", folder / "photo.html"}
    assert failed[folder / "broken.jsonl"] == "line 3: not valid JSON (column 46: Expecting ',' delimiter)"
    assert failed[folder / "empty.html"] == f"no article text found in {folder / 'empty.html'}"
    assert "PNG image" in failed[folder / "photo.html"]
    # nothing of the bad JSONL (two good lines before the bad one) is in the project
    assert "Council approves new cycle lanes" not in stored
    assert len(stored) == 8 and "From JSONL" in stored


def test_many_files_are_parsed_by_a_spawned_pool_in_order(tmp_path: Path, recording_pool) -> None:
    paths = write_pages(tmp_path / "in", 12)
    seen = []
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [tmp_path / "in"], workers=2, progress=lambda d, t, p: seen.append((d, t, p)), annotator="tester")
        assert len(store.list_articles()) == 12
    assert report.workers == 2 and not report.failed and not report.cancelled
    assert recording_pool.created == [(2, importing.FILE_SECONDS)]
    assert [s.path for s in report.imported] == paths
    assert [s.title for s in report.imported] == [f"Floods hit river towns ({i}) as rain continues" for i in range(12)]
    assert seen == [(i + 1, 12, path) for i, path in enumerate(paths)]


def test_cancel_in_a_pooled_batch_commits_what_was_done(tmp_path: Path, recording_pool) -> None:
    write_pages(tmp_path / "in", 12)
    done = []
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [tmp_path / "in"], workers=2, progress=lambda d, t, p: done.append(d), is_cancelled=lambda: len(done) >= 3, annotator="tester")
    assert report.cancelled and len(report.imported) == 3
    with Store.open(tmp_path / "p.annotator", readonly=True) as reopened:  # committed, not just written
        assert len(reopened.list_articles()) == 3


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import crashing_parser  # beside this file: importable by the spawned workers too

    monkeypatch.setattr(importing, "parse_file", crashing_parser.parse_or_crash)
    good = write_pages(tmp_path / "in", 8)
    crash = tmp_path / "in" / "crash.html"
    crash.write_text(page(99))
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [tmp_path / "in"], workers=2, annotator="tester")
        assert len(store.list_articles()) == 8
    assert report.failed == [(crash, "could not be imported (the parser process stopped while reading this file)")]
    assert sorted(s.path for s in report.imported) == good


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_over_the_time_limit_is_reported_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    import crashing_parser

    monkeypatch.setattr(importing, "parse_file", crashing_parser.parse_or_hang)
    good = write_pages(tmp_path / "in", 3)
    slow = tmp_path / "in" / "slow.html"
    slow.write_text(page(99))
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [tmp_path / "in"], workers=workers, time_limit=2, annotator="tester")
        assert len(store.list_articles()) == 3
    assert report.failed == [(slow, "stopped after 2 s: reading this file took longer than the limit of 2 s "
                                     "for one file, and nothing of it was imported")]
    assert sorted(s.path for s in report.imported) == good


def test_one_page_is_parsed_in_a_worker_process_when_a_time_limit_applies(tmp_path: Path, recording_pool) -> None:
    [path] = write_pages(tmp_path, 1)
    notes = tmp_path / "notes.txt"
    notes.write_text("A plain headline\nA plain paragraph of text.", "utf-8")
    with Store.open(tmp_path / "p.annotator") as store:
        assert len(import_paths(store, [path], annotator="tester").imported) == 1
        assert recording_pool.created == [(1, importing.FILE_SECONDS)]
        import_paths(store, [notes], annotator="tester")  # plain text: parsed here, no process started
        import_paths(store, [path], time_limit=0, annotator="tester")  # no limit: parsed here
    assert recording_pool.created == [(1, importing.FILE_SECONDS)]


def test_the_time_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(importing.TIME_LIMIT_ENV, "12.5")
    assert importing._time_limit(None) == 12.5
    assert importing._time_limit(3) == 3
    monkeypatch.setenv(importing.TIME_LIMIT_ENV, "0")
    assert importing._time_limit(None) is None
    monkeypatch.setenv(importing.TIME_LIMIT_ENV, "soon")
    assert importing._time_limit(None) == importing.FILE_SECONDS


def test_default_worker_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(importing.WORKERS_ENV, raising=False)
    monkeypatch.setattr(importing.os, "cpu_count", lambda: 2)
    html = [tmp_path / f"{i}.html" for i in range(importing.POOL_MIN_FILES)]
    texts = [tmp_path / f"{i}.txt" for i in range(50)]
    assert importing._worker_count(html, None) == 2
    assert importing._worker_count(html[:-1], None) == 1  # too few pages to pay for starting a pool
    assert importing._worker_count(texts, None) == 1  # plain text parses faster than a pool starts
    assert importing._worker_count(html[:1], 4) == 1  # never more workers than files
    monkeypatch.setenv(importing.WORKERS_ENV, "1")
    assert importing._worker_count(html, None) == 1
    monkeypatch.setattr(importing.sys, "frozen", True, raising=False)
    monkeypatch.delenv(importing.WORKERS_ENV)
    assert importing._worker_count(html, None) == 1  # a frozen app: no spawn without freeze_support


def test_a_pool_that_cannot_start_falls_back_to_parsing_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_processes(*args, **kwargs):
        raise OSError("no semaphores in this sandbox")

    monkeypatch.setattr(parse_workers, "_Worker", no_processes)
    write_pages(tmp_path / "in", 3)
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [tmp_path / "in"], workers=2, annotator="tester")
    assert report.workers == 1 and len(report.imported) == 3


def test_duplicates_in_and_across_batches(tmp_path: Path) -> None:
    [first] = write_pages(tmp_path / "a", 1)
    copy = tmp_path / "b" / "same.html"
    copy.parent.mkdir()
    copy.write_text(first.read_text())
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [first, copy], annotator="tester")
        again = import_paths(store, [first], annotator="tester")
    assert [s.path for s in report.imported] == [first]
    assert [(p, s.id) for p, s in report.duplicates] == [(copy, report.imported[0].id)]
    assert again.imported == [] and again.duplicates[0][1].id == report.imported[0].id


def test_report_keeps_summaries_not_articles(tmp_path: Path) -> None:
    [path] = write_pages(tmp_path, 1)
    with Store.open(tmp_path / "p.annotator") as store:
        [summary] = import_paths(store, [path], annotator="tester").imported
        article = store.get_article(summary.id)
    assert isinstance(summary, ImportedArticle) and not hasattr(summary, "text")
    assert summary.kind_counts["caption"] == 3 and summary.length == len(article.text)
    assert block_counts(summary.kind_counts) == block_counts(Counter(b.kind for b in article.blocks))
    assert "3 captions" in block_counts(summary.kind_counts)


def test_saved_page_folders_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(page(1))
    assets = tmp_path / "page_files"
    assets.mkdir()
    (assets / "frame.html").write_text("<html><body><p>An ad frame with enough words to look like a page.</p></body></html>")
    (assets / "app.js").write_text("var x = 1;")
    (assets / "style.css").write_text("body { color: red }")
    other = tmp_path / "notes_files"  # no notes.html beside it: an ordinary folder
    other.mkdir()
    (other / "a.txt").write_text("Headline\nBody.")
    (tmp_path / "Report-Dateien").mkdir()  # German browsers' name, beside report.htm
    (tmp_path / "Report-Dateien" / "x.js").write_text("var y;")
    (tmp_path / "report.htm").write_text(page(2))
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["notes_files/a.txt", "page.html", "report.htm"]


def test_commits_are_batched_with_a_savepoint_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "BATCH_FILES", 4)
    monkeypatch.setattr(importing, "BATCH_SECONDS", 60.0)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(10):
        (folder / f"{i:02d}.txt").write_text(f"Headline {i}\nBody {i}.")
    statements: list[str] = []
    with Store.open(tmp_path / "p.annotator") as store:
        store.conn.set_trace_callback(statements.append)
        report = import_paths(store, [folder], annotator="tester")
        store.conn.set_trace_callback(None)
    assert len(report.imported) == 10
    assert sum(1 for s in statements if s.strip().upper().startswith("COMMIT")) == 3  # 4 + 4 + 2 files
    assert sum(1 for s in statements if s.startswith("SAVEPOINT")) == 10


def test_a_file_that_fails_to_store_rolls_back_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(f"Headline {i}\nBody {i}.")
    from annotator.operations import articles as article_ops

    real = article_ops.insert_articles

    def half_then_fail(store: Store, op, articles):
        if articles[0].title == "Headline 1":
            real(store, op, articles)  # the row is written...
            raise RuntimeError("disk hiccup")  # ...and then the file fails
        return real(store, op, articles)

    monkeypatch.setattr(article_ops, "insert_articles", half_then_fail)
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [folder], annotator="tester")
        assert titles(store) == ["Headline 0", "Headline 2"]
        [entry] = store.history()  # one journal entry, holding what was stored
        assert sorted(key for table, key, _before, _after in store.images(entry.id) if table == "articles") == sorted(
            s.id for s in store.list_articles())
    assert report.failed == [(folder / "1.txt", "could not be stored (disk hiccup)")]


def test_a_project_error_stops_the_batch_and_keeps_earlier_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.txt").write_text(f"Headline {i}\nBody {i}.")
    from annotator.operations import articles as article_ops

    real = article_ops.insert_articles

    def locked_on_third(store: Store, op, articles):
        if articles[0].title == "Headline 2":
            raise ProjectLockedError("the project is locked by another program")
        return real(store, op, articles)

    monkeypatch.setattr(article_ops, "insert_articles", locked_on_third)
    with Store.open(tmp_path / "p.annotator") as store:
        with pytest.raises(ProjectLockedError):
            import_paths(store, [folder], annotator="tester")
    with Store.open(tmp_path / "p.annotator", readonly=True) as reopened:
        assert titles(reopened) == ["Headline 0", "Headline 1"]
