"""`annotator import` and the import service behind it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from annotator import importing
from annotator.cli.articles import ProgressBar as _ProgressBar, block_counts
from annotator.errors import ImportFailed
from annotator.importing import expand_paths, import_paths, importer_for
from annotator.model import build_article
from annotator.store import Store

from .conftest import SEED

SIMPLE = "A headline\nFirst paragraph of the story.\nSecond paragraph of the story.\n"


def test_import_seed_prints_id_title_and_block_counts(cli):
    result = cli.ok("import", SEED)
    line = result.stdout.strip()
    article_id, rest = line.split("  ", 1)
    assert len(article_id) == 16
    assert rest.startswith("Kim Jong Un says he wants to strengthen relationship with Putin")
    assert "8 paragraphs" in rest and "3 captions" in rest and "3 credits" in rest and "1 headline" in rest
    assert "imported 1, duplicates 0, failed 0" in result.stderr
    with cli.store() as store:
        assert store.get_article(article_id).title == rest.split("  (")[0]


def test_duplicate_import_is_reported_and_not_an_error(cli):
    first = cli.ok("import", SEED).stdout.split()[0]
    result = cli.ok("import", SEED)
    assert f"duplicate of {first}" in result.stdout
    assert "imported 0, duplicates 1, failed 0" in result.stderr
    assert len(cli.json("list", "--json")) == 1


def test_empty_file_fails_with_reason(cli):
    empty = cli.write("empty.txt", b"")
    result = cli.run("import", empty)
    assert result.exit_code == 1
    assert f"failed: {empty}: the file is empty" in result.stderr
    assert "imported 0, duplicates 0, failed 1" in result.stderr
    assert "Traceback" not in result.output


def test_binary_file_fails_with_reason(cli):
    png = cli.write("picture.dat", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = cli.run("import", png)
    assert result.exit_code == 1
    assert f"failed: {png}:" in result.stderr
    assert "not a text file" in result.stderr


def test_known_binary_suffix_is_unsupported(cli):
    pdf = cli.write("report.pdf", b"%PDF-1.4 something")
    result = cli.run("import", pdf)
    assert result.exit_code == 1
    assert "unsupported file type (.pdf)" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "title"),
    [
        ("page.html", "<html><head><title>Hi there</title></head><body><p>Hello from the page body.</p></body></html>", "Hi there"),
        ("page.saved", "<!DOCTYPE html>\n<html><body><h1>Saved page</h1><p>Some words of a story.</p></body></html>", "Saved page"),
        ("articles.jsonl", '{"title": "From JSONL", "text": "x"}\n', "From JSONL"),
        ("export.out", '  {"text": "First line title\\nBody."}', "First line title"),
    ],
)
def test_html_and_json_are_imported_by_suffix_or_content(cli, name, content, title):
    path = cli.write(name, content)
    result = cli.ok("import", path)
    assert result.stdout.split("  ")[1] == title
    assert "imported 1, duplicates 0, failed 0" in result.stderr


def test_missing_path(cli, tmp_path):
    missing = tmp_path / "nope.txt"
    result = cli.run("import", missing)
    assert result.exit_code == 1
    assert f"failed: {missing}: no such file or folder" in result.stderr


def test_folder_with_one_bad_file_imports_the_others(cli):
    cli.write("batch/a.txt", "Alpha headline\nAlpha body text.")
    cli.write("batch/sub/b.txt", "Beta headline\nBeta body text.")
    bad = cli.write("batch/c.txt", b"\x00\x01\x02\x03binary\x00\x00\xff\xfe\x00")
    cli.write("batch/.hidden.txt", "Hidden headline\nShould be skipped.")
    cli.write("batch/.git/config.txt", "Hidden folder\nShould be skipped.")
    result = cli.run("import", cli.tmp_path / "batch")
    assert result.exit_code == 1
    titles = [line.split("  ")[1] for line in result.stdout.splitlines()]
    assert titles == ["Alpha headline", "Beta headline"]
    assert f"failed: {bad}:" in result.stderr
    assert "imported 2, duplicates 0, failed 1" in result.stderr
    assert sorted(a["title"] for a in cli.json("list", "--json")) == ["Alpha headline", "Beta headline"]


def test_untitled_fallback_and_block_count_wording():
    article = build_article([("headline", ""), ("paragraph", "one"), ("image_alt", "x"), ("related", "A B C")])
    assert block_counts(Counter(b.kind for b in article.blocks)) == "1 headline, 1 paragraph, 1 related, 1 image alt"
    article = build_article([("paragraph", "one"), ("paragraph", "two"), ("image_alt", "x"), ("image_alt", "y")])
    assert block_counts(Counter(b.kind for b in article.blocks)) == "2 paragraphs, 2 image alts"


# -- the service -------------------------------------------------------------------------------


def test_expand_paths_sorted_recursive_without_hidden(tmp_path):
    for name in ("b.txt", "a.txt", "z/c.txt", "z/.d.txt", ".h/e.txt", "y/f.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["a.txt", "b.txt", "y/f.txt", "z/c.txt"]
    explicit_hidden = tmp_path / "z" / ".d.txt"
    assert list(expand_paths([explicit_hidden])) == [explicit_hidden]


def test_import_paths_progress_and_report(tmp_path):
    files = []
    for i in range(3):
        path = tmp_path / f"{i}.txt"
        path.write_text(f"Headline {i}\nBody {i}.")
        files.append(path)
    files.append(tmp_path / "missing.txt")
    calls = []
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, files + [files[0]], progress=lambda d, t, p: calls.append((d, t, p.name)), annotator="tester")
    assert [a.title for a in report.imported] == ["Headline 0", "Headline 1", "Headline 2"]
    assert [(p.name, a.title) for p, a in report.duplicates] == [("0.txt", "Headline 0")]
    assert report.failed == [(tmp_path / "missing.txt", "no such file or folder")]
    assert calls == [(1, 5, "0.txt"), (2, 5, "1.txt"), (3, 5, "2.txt"), (4, 5, "missing.txt"), (5, 5, "0.txt")]
    assert not report.ok and not report.cancelled


def test_import_paths_can_be_cancelled(tmp_path):
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text(f"Headline {i}\nBody {i}.")
    seen = []
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [tmp_path], progress=lambda d, t, p: seen.append(d), is_cancelled=lambda: len(seen) >= 2, annotator="tester")
        assert len(store.list_articles()) == 2
    assert report.cancelled and len(report.imported) == 2


def test_an_importer_crash_is_a_failure_not_an_abort(tmp_path, monkeypatch):
    good, boom = tmp_path / "a.txt", tmp_path / "b.txt"
    good.write_text("Good headline\nBody.")
    boom.write_text("Boom headline\nBody.")
    real = importing.TEXT.load

    def flaky(path: Path):
        if path.name == "b.txt":
            raise RuntimeError("parser bug")
        return real(path)

    monkeypatch.setattr(importing, "IMPORTERS", [importing.ImporterSpec("text", "text", (".txt",), None, flaky)])
    with Store.open(tmp_path / "p.annotator") as store:
        report = import_paths(store, [good, boom], annotator="tester")
    assert [a.title for a in report.imported] == ["Good headline"]
    assert report.failed == [(boom, "could not be imported (RuntimeError: parser bug)")]


def test_importer_for_dispatch_and_registration(tmp_path, monkeypatch):
    text = tmp_path / "a.txt"
    text.write_text("<html> in a .txt file is still text")
    assert importer_for(text) is importing.TEXT.load
    odd = tmp_path / "notes.log"
    odd.write_text("Plain words")
    assert importer_for(odd) is importing.TEXT.load
    html = tmp_path / "a.htm"
    html.write_text("<p>x</p>")
    assert importer_for(html) is importing.HTML.load
    with pytest.raises(ImportFailed, match="unsupported file type"):
        importer_for(tmp_path / "a.pdf")


def test_progress_bar_only_for_several_files():
    bar = _ProgressBar(enabled=True)
    bar(1, 2, Path("a.txt"))
    assert bar._bar is None
    bar(1, 5, Path("a.txt"))
    assert bar._bar is not None
    bar.close()
    quiet = _ProgressBar(enabled=False)
    quiet(1, 50, Path("a.txt"))
    assert quiet._bar is None
