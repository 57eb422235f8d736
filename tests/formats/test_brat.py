"""brat standoff: a folder of .txt/.ann with annotation.conf; code points; fragments across lines."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given

from support import import_set as import_annotation_set
from annotator.errors import AnnotatorError, ImportFailed
from annotator.formats import brat, detect_format
from annotator.model import build_article

from .conftest import FIXTURES, PROPERTY, corpora, emoji_project, news_article, project, quotes, relations_of, spans_of, write_to
import support


@PROPERTY
@given(corpora())
def test_round_trip(specs):
    with project(specs) as store, project() as other:
        folder = store.path.with_name("brat")
        stats = write_to(store, "brat", folder)
        assert stats.spans + stats.misaligned == len(spans_of(store))
        assert (folder / "annotation.conf").read_text("utf-8").startswith(brat.FOLDER_MARKER)
        for ann in folder.glob("*.ann"):
            text = ann.with_suffix(".txt").read_text("utf-8")
            for line in ann.read_text("utf-8").splitlines():
                if line.startswith("T"):
                    _, places, quote = line.split("\t")
                    fragments = [tuple(map(int, p.split())) for p in places.split(" ", 1)[1].split(";")]
                    assert " ".join(text[s:e] for s, e in fragments) == quote
        report = import_annotation_set(other, folder, annotator="maria")
        assert report.not_imported == 0 and not report.skipped
        expected = []
        for t, s, e, l, a, n in spans_of(store, "attributes", "note"):
            if t[s:e].strip("\n"):  # brat spans hold no line break at their ends, notes none at all
                s, e = s + len(t[s:e]) - len(t[s:e].lstrip("\n")), e - len(t[s:e]) + len(t[s:e].rstrip("\n"))
                expected.append((t, s, e, l, a, " ".join(n.split())))
        expected.sort(key=repr)
        assert spans_of(other, "attributes", "note") == expected
        if not stats.snapped and not stats.misaligned:
            assert relations_of(other) == relations_of(store)
        again = import_annotation_set(other, folder, annotator="maria")
        assert again.spans.added == 0 and again.relations.added == 0


def test_emoji_before_a_span(store, other, tmp_path):
    emoji_project(store)
    folder = tmp_path / "out"
    write_to(store, "brat", folder)
    [ann] = folder.glob("*.ann")
    line = ann.read_text("utf-8").splitlines()[0]
    text = ann.with_suffix(".txt").read_text("utf-8")
    start = text.index("prices")
    assert line == f"T1\tCLAIM {start} {start + 14}\tprices rose 5%"
    import_annotation_set(other, folder, annotator="maria")
    assert quotes(other) == [("prices rose 5%", "CLAIM", "maria")]


def test_a_span_across_a_line_break_becomes_fragments(store, other, tmp_path):
    article = build_article([("paragraph", "Alice said"), ("paragraph", "prices rose.")])
    support.add_article(store, article)
    support.tag(store, article.id, 6, 17, "CLAIM", annotator="maria")  # "said\nprices"
    folder = tmp_path / "out"
    write_to(store, "brat", folder)
    assert (folder / f"{article.id}.ann").read_text("utf-8") == "T1\tCLAIM 6 10;11 17\tsaid prices\n"
    import_annotation_set(other, folder, annotator="maria")
    assert quotes(other) == [("said\nprices", "CLAIM", "maria")]


def test_fixture_as_brat_writes_it(store):
    news_article(store)
    folder = FIXTURES / "brat"
    assert detect_format(folder) == "brat"
    report = import_annotation_set(store, folder, annotator="maria")
    assert quotes(store) == sorted([
        ("AFP", "SOURCE", "maria"),
        ("Officials", "SOURCE", "maria"),
        ("Officials in 🇺🇦 Kyiv", "SOURCE", "maria"),
        ("prices rose 5% in May", "CLAIM", "maria"),
        ("reported.\nPhoto", "CAPTION", "maria"),  # two fragments separated by a line break: one span
    ])
    claim = next(a for a in store.annotations_for(store.list_articles()[0].id) if a.label == "CLAIM")
    assert claim.attributes == {"checkworthy": "yes"} and claim.note == "check with the statistics office"
    afp = next(a for a in store.annotations_for(store.list_articles()[0].id) if a.quote == "AFP")
    assert afp.attributes == {"type": "news outlet"}
    assert [r[1:] for r in relations_of(store)] == [((26, 47, "CLAIM"), (49, 52, "SOURCE"), "attributed_to")]
    notes = " ".join(report.notes)
    assert "T6 is a discontinuous span" in notes and "E line skipped" in notes


def test_brat_client_utf16_offsets_are_detected(store, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "d.txt").write_text("😀 Alice said so.", "utf-8")
    (folder / "d.ann").write_text("T1\tSOURCE 3 8\tAlice\n", "utf-8")  # brat's web client counted the emoji as 2
    report = import_annotation_set(store, folder, annotator="maria")
    assert quotes(store) == [("Alice", "SOURCE", "maria")] and len(report.converted) == 1


def test_malformed_lines_name_the_file_and_line(store, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "d.txt").write_text("Alice said so.", "utf-8")
    (folder / "d.ann").write_text("T1\tSOURCE 0 5\tAlice\nT2\tCLAIM zero 5\tAlice\n", "utf-8")
    with pytest.raises(ImportFailed, match=r"d.ann:2: a T line must be"):
        import_annotation_set(store, folder)
    (folder / "d.ann").write_text("R1\tattributed_to Arg1:T1\n", "utf-8")
    with pytest.raises(ImportFailed, match=r"d.ann:1: an R line must be"):
        import_annotation_set(store, folder)
    (folder / "d.txt").unlink()
    with pytest.raises(ImportFailed, match=r"no text file d.txt"):
        import_annotation_set(store, folder)
    assert store.counts()["articles"] == 0


def test_the_export_never_overwrites_a_foreign_folder(store, tmp_path):
    emoji_project(store)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(AnnotatorError, match="holds other files"):
        write_to(store, "brat", folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    shutil.rmtree(folder)
    write_to(store, "brat", folder)
    write_to(store, "brat", folder)  # a previous export is replaced
    assert sorted(p.suffix for p in folder.iterdir()) == [".ann", ".conf", ".conf", ".txt"]
