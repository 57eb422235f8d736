"""brat standoff: a folder of .txt/.ann with annotation.conf; code points; fragments across lines."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given

from support import import_set as import_annotation_set
from annotator.errors import AnnotatorError, ImportFailed
from annotator.formats import brat, detect_format
from annotator.model import build_article

from .conftest import (
    FIXTURES, PROPERTY, corpora, emoji_project, merged_spans_of, news_article, project, quotes, relations_of, spans_of,
    write_to,
)
import support


@PROPERTY
@given(corpora())
def test_round_trip(specs):
    with project(specs) as store, project() as other:
        folder = store.path.with_name("brat")
        stats = write_to(store, "brat", folder, merge_identical=True)  # maria's and bob's spans: one layer
        assert stats.spans + stats.misaligned + stats.merged == len(spans_of(store))
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
        expected: dict[tuple, list[tuple]] = {}  # place -> the spans written there
        for t, s, e, l, a, n in merged_spans_of(store, "attributes", "note"):
            if t[s:e].strip("\n"):  # brat spans hold no line break at their ends; a note is one note line per line
                s, e = s + len(t[s:e]) - len(t[s:e].lstrip("\n")), e - len(t[s:e]) + len(t[s:e].rstrip("\n"))
                expected.setdefault((t, s, e, l), []).append((t, s, e, l, a, n))
        imported = spans_of(other, "attributes", "note")
        assert sorted({span[:4] for span in imported}, key=repr) == sorted(expected, key=repr)
        assert len(imported) == len(expected)  # spans that met once their line breaks were gone: written once
        for span in imported:
            assert span in expected[span[:4]]
        assert stats.merged >= sum(len(group) - 1 for group in expected.values())
        if not stats.snapped and not stats.misaligned:
            assert relations_of(other) == sorted(set(relations_of(store)))  # one layer: identical relations are one
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
    report = import_annotation_set(store, folder, annotator="maria", label_map={"Report": "CLAIM"},
                                   relation_map={"Agent": "attributed_to"})
    assert quotes(store) == sorted([
        ("AFP", "SOURCE", "maria"),
        ("AFP", "CLAIM", "maria"),  # E1, a Report (mapped to CLAIM) on the trigger T2
        ("Officials", "SOURCE", "maria"),
        ("Officials in 🇺🇦 Kyiv", "SOURCE", "maria"),
        ("prices rose 5% in May", "CLAIM", "maria"),
        ("reported.\nPhoto", "CAPTION", "maria"),  # two fragments separated by a line break: one span
    ])
    claim = next(a for a in store.annotations_for(store.list_articles()[0].id) if a.quote.startswith("prices"))
    assert claim.attributes == {"checkworthy": "yes"} and claim.note == "check with the statistics office"
    afp = next(a for a in store.annotations_for(store.list_articles()[0].id) if a.quote == "AFP" and a.label == "SOURCE")
    assert afp.attributes == {"type": "news outlet"}
    assert sorted(r[1:] for r in relations_of(store)) == [
        ((26, 47, "CLAIM"), (49, 52, "SOURCE"), "attributed_to"),
        ((49, 52, "CLAIM"), (0, 20, "SOURCE"), "attributed_to"),  # E1's Agent role, mapped
    ]
    skipped = [str(p) for p in report.skipped]
    assert any(p.endswith("news1.ann:6: T6: a discontinuous CLAIM (fragments 0 9;21 25: 'Officials' … 'said') not "
                          "imported: the project holds continuous spans only") for p in skipped)
    assert any("news1.ann:11: E1 is a Report whose trigger T2 is labelled SOURCE" in n for n in report.notes)


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


# -- brat's own files: events, attributes, notes ------------------------------------------------------

TUTORIAL = FIXTURES / "brat_news_tutorial"


def _content(folder):
    """Per .txt text, the sorted T/E/R/A/#/N content of its .ann, with each id replaced by what it names
    (so that renumbering does not count): what a brat folder says, independent of its numbering."""
    found = {}
    for ann in sorted(folder.glob("*.ann")):
        lines = {}
        for line in ann.read_text("utf-8").splitlines():
            if line.strip():
                ident, rest = line.split("\t", 1)
                lines[ident if ident[0] != "#" else f"#{len(lines)}"] = rest.rstrip("\t")

        def named(ident):
            rest = lines[ident]
            if ident[0] == "T":
                return ("T", *rest.split("\t"))
            if ident[0] == "E":
                trigger, *arguments = rest.split()
                event_type, t_id = trigger.split(":")
                return ("E", event_type, named(t_id), tuple(sorted((a.split(":")[0], named(a.split(":")[1])) for a in arguments)))
            if ident[0] == "R":
                rtype, arg1, arg2 = rest.split()
                return ("R", rtype, named(arg1.split(":")[1]), named(arg2.split(":")[1]))
            raise AssertionError(ident)

        content = []
        for ident, rest in lines.items():
            if ident[0] in "TER":
                content.append(named(ident))
            elif ident[0] in "AM":
                name, target, *value = rest.split(" ")
                content.append(("A", name, named(target), *value))
            elif ident[0] in "#N":
                head, _, text = rest.partition("\t")
                kind, target, *reference = head.split(" ")
                content.append((ident[0], kind, named(target), *reference, text))
        found[ann.with_suffix(".txt").read_text("utf-8")] = sorted(content, key=repr)
    return found


def _tutorial_project(store):
    support.set_schema(store, (FIXTURES / "brat_news_tutorial.schema.toml").read_text("utf-8"))


def test_brats_news_tutorial_imported_and_exported_again_says_the_same(store, tmp_path):
    _tutorial_project(store)
    report = import_annotation_set(store, TUTORIAL, annotator="brat")
    assert report.not_imported == 0 and report.notes == []
    # the one thing the project cannot hold yet: a note on a relation (R1), reported with its line
    assert [str(p) for p in report.skipped] == [
        f"{TUTORIAL / '110-note_annotation.ann'}:11: relation R1: AnnotatorNotes note \"Should this be marked? It's not "
        "explicitly stated.\" not imported: the project's relations hold no attributes or notes"
    ]
    folder = tmp_path / "again"
    write_to(store, "brat", folder)
    original, again = _content(TUTORIAL), _content(folder)
    lost = ("#", "AnnotatorNotes", ("R", "Family", ("T", "Person 520 534", "Orville Wright"), ("T", "Person 539 552", "Wilbur Wright")),
            "Should this be marked? It's not explicitly stated.")
    assert lost in next(c for t, c in original.items() if t.startswith("Annotation notes"))
    original = {t: [c for c in content if c != lost] for t, content in original.items()}
    assert again == original
    reimported = import_annotation_set(store, folder, annotator="brat")  # our export, read back: nothing new
    assert reimported.spans.added == 0 and reimported.relations.added == 0


def test_an_event_is_a_span_on_its_trigger_with_a_relation_per_argument(store, tmp_path):
    _tutorial_project(store)
    import_annotation_set(store, TUTORIAL, annotator="brat")
    article = next(s for s in store.list_articles() if s.title.startswith("Structured event"))
    spans = {a.id: a for a in store.annotations_for(article.id)}
    roles = sorted((spans[r.head].quote, r.type, spans[r.tail].label, spans[r.tail].quote) for r in store.relations_for(article.id))
    # E2 Report:T5 Reporter-Arg:T4 Event-Arg:E1, E1 Merge-org:T3 Org-Arg:T1 Org-Arg2:T2 (the first example)
    assert ("reported", "Event-Arg", "Merge-org", "merged") in roles
    assert ("reported", "Reporter-Arg", "Organization", "Wikinews") in roles
    assert ("merged", "Org-Arg2", "Organization", "YouTube") in roles
    events = [a for a in spans.values() if a.label in ("Report", "Merge-org")]
    assert len(events) == 6 and all(a.note == brat.EVENT_MARK for a in events)
    # T3 ("merged") is only E1's trigger: the event is its span, not a second one beside it
    assert [a.quote for a in spans.values()].count("merged") == 2  # the two examples, one event each


def test_attributes_binary_and_valued_are_kept_as_written(store, tmp_path):
    _tutorial_project(store)
    import_annotation_set(store, TUTORIAL, annotator="brat")
    article = next(s for s in store.list_articles() if s.title.startswith("Attribute annotation"))
    attributes = sorted((a.quote, tuple(a.attributes.items())) for a in store.annotations_for(article.id) if a.attributes)
    assert attributes == [
        ("Somebody", (("Individual", True),)), ("merge", (("Confidence", "Low"),)), ("merged", (("Confidence", "High"),)),
        ("merger", (("Confidence", "Neutral"),)), ("reports", (("Confidence", "Neutral"),)), ("twitted", (("Confidence", "Neutral"),)),
    ]


def _folder(tmp_path, text, ann, conf=None):
    folder = tmp_path / "b"
    folder.mkdir(exist_ok=True)
    (folder / "d.txt").write_text(text, "utf-8")
    (folder / "d.ann").write_text(ann, "utf-8")
    if conf is not None:
        (folder / "annotation.conf").write_text(conf, "utf-8")
    return folder


def test_a_value_with_an_underscore_is_kept_as_written(store, tmp_path):
    schema = store.schema_text().replace('"state media"', '"state_media"')
    support.set_schema(store, schema)
    folder = _folder(tmp_path, "Alice of AFP said so.", "T1\tSOURCE 0 5\tAlice\nA1\ttype T1 state_media\nT2\tSOURCE 9 12\tAFP\n"
                     "A2\ttype T2 news_outlet\n")
    report = import_annotation_set(store, folder, annotator="maria")
    assert not report.skipped
    kept = {a.quote: a.attributes for a in store.annotations_for(store.list_articles()[0].id)}
    assert kept == {"Alice": {"type": "state_media"}, "AFP": {"type": "news outlet"}}  # exact first, else _ as a space


def test_notes_of_every_type_keep_their_type(store, tmp_path):
    folder = _folder(tmp_path, "Alice said so.", "T1\tSOURCE 0 5\tAlice\n#1\tAnnotatorNotes T1\tfirst\n#2\tComment T1\tsecond\n"
                     "N1\tReference T1 Wikipedia:534366\tAlice Smith\n")
    import_annotation_set(store, folder, annotator="maria")
    [alice] = store.annotations_for(store.list_articles()[0].id)
    assert alice.note == "first\n[brat # Comment] second\n[brat N Reference Wikipedia:534366] Alice Smith"
    out = tmp_path / "out"
    write_to(store, "brat", out)
    [ann] = out.glob("*.ann")
    assert ann.read_text("utf-8") == ("T1\tSOURCE 0 5\tAlice\n#1\tAnnotatorNotes T1\tfirst\n#2\tComment T1\tsecond\n"
                                      "N1\tReference T1 Wikipedia:534366\tAlice Smith\n")


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        # a T line cut inside its text: it would have shortened the span to "Ali"
        ("T1\tSOURCE 0 5\tAlice\nT2\tCLAIM 6 14\tsaid s", r"d\.ann:2: T2: d\.txt has 'said so\.' at 6 14, but the line says 'said s'"),
        ("T1\tSOURCE 0 5\tAli", r"d\.ann:1: T1: d\.txt has 'Alice' at 0 5, but the line says 'Ali'"),
        ("T1\tSOURCE 0 50\tAlice", r"d\.ann:1: T1: offsets 0 50 are beyond the end of d\.txt \(14 characters\)"),
        ("T1\tSOURCE 0 5\tAlice\nE1\tReport:T9 Agent:T1", r"d\.ann:2: the trigger T9 of E1 is not the id of a T line"),
        ("T1\tSOURCE 0 5\tAlice\nE1\tReport:T1 Agent:", r"d\.ann:2: an E line must be"),
        ("T1\tSOURCE 0 5\tAlice\nA1\tNegation E4", r"d\.ann:2: E4 is not the id of a T or an E or an R line"),
        ("T1\tSOURCE 0 5\tAlice\nT1\tSOURCE 0 5\tAlice", r"d\.ann:2: T1 is already the id of line 1"),
        ("T1\tSOURCE 0 5\tAlice\nA1\tNeg T1\nA2\tNeg T1", r"d\.ann:3: T1 already has attribute Neg"),
        ("T1\tSOURCE 0 " + "9" * 5000 + "\tAlice", r"d\.ann:1: offset 0 9+ of T1 is beyond any text"),
        ("X1\tfoo", r"d\.ann:1: unknown annotation line starting 'X1\\tfoo'; expected T, E, R, A, M, #, N or \* lines"),
    ],
)
def test_a_malformed_ann_is_refused_with_its_line_and_the_project_unchanged(store, tmp_path, ann, message):
    news_article(store)
    before = spans_of(store)
    folder = _folder(tmp_path, "Alice said so.", ann + "\n")
    with pytest.raises(ImportFailed, match=message):
        import_annotation_set(store, folder, annotator="maria")
    assert spans_of(store) == before and store.counts()["articles"] == 1


def test_attributes_and_notes_of_a_relation_are_reported(store, tmp_path):
    folder = _folder(tmp_path, "Alice said so.", "T1\tSOURCE 0 5\tAlice\nT2\tCLAIM 6 13\tsaid so\n"
                     "R1\tattributed_to Arg1:T2 Arg2:T1\nA1\tcertain R1\n#1\tAnnotatorNotes R1\tcheck\n")
    report = import_annotation_set(store, folder, annotator="maria")
    assert len(relations_of(store)) == 1
    assert [p.what for p in report.skipped] == [
        "relation R1: attribute certain=True, AnnotatorNotes note 'check' not imported: the project's relations hold no "
        "attributes or notes"
    ]


def test_a_file_that_ends_inside_a_note_says_so(store, tmp_path):
    folder = _folder(tmp_path, "Alice said so.", "T1\tSOURCE 0 5\tAlice\n#1\tAnnotatorNotes T1\tcheck w")
    report = import_annotation_set(store, folder, annotator="maria")
    assert report.notes == [f"{folder / 'd.ann'}:2: the file ends inside this note, without a line break; if the file was "
                            "cut, the note 'check w' is incomplete"]


def test_an_ann_whose_txt_was_imported_as_a_page_attaches_to_that_article(store, tmp_path):
    """The page importer folds the .txt's blank lines; the .ann's spans still land on that article."""
    from annotator.importing import import_paths

    folder = tmp_path / "doc"
    folder.mkdir()
    text = "Kim met Putin\n\nOfficials said the talks went well, KCNA reported.\n"
    (folder / "a.txt").write_text(text, "utf-8")
    start = text.index("KCNA")
    (folder / "a.ann").write_text(f"T1\tSOURCE {start} {start + 4}\tKCNA\n", "utf-8")
    import_paths(store, [folder / "a.txt"], annotator="maria")
    (article,) = store.list_articles()
    assert store.get_article(article.id).text != text  # the page importer's text
    report = import_annotation_set(store, folder, annotator="maria")
    assert report.articles_added == [] and report.articles_found == 1
    assert len(store.list_articles()) == 1
    (span,) = store.annotations_for(article.id)
    ours = store.get_article(article.id).text
    assert ours[span.start:span.end] == "KCNA" == span.quote
    assert any("only in its whitespace" in note for note in report.notes)


def _lines(folder, kinds):
    """Per .ann file name, its lines of the given kinds as written, trailing whitespace aside (brat
    itself ends some lines with a tab); an E line's arguments sorted (their order carries nothing)."""
    found = {}
    for ann in sorted(folder.glob("*.ann")):
        lines = set()
        for line in ann.read_text("utf-8").splitlines():
            if line[:1] not in kinds:
                continue
            line = line.rstrip()
            if line.startswith("E"):
                ident, spec = line.split("\t")
                trigger, *arguments = spec.split(" ")
                line = "\t".join([ident, " ".join([trigger, *sorted(arguments)])])
            lines.add(line)
        found[ann.name] = lines
    return found


def test_a_brat_folder_exported_again_keeps_its_file_names_and_its_ids(store, tmp_path):
    _tutorial_project(store)
    import_annotation_set(store, TUTORIAL, annotator="brat")
    folder = tmp_path / "again"
    write_to(store, "brat", folder)
    assert sorted(p.name for p in folder.glob("*.txt")) == sorted(p.name for p in TUTORIAL.glob("*.txt"))
    assert _lines(folder, "TER") == _lines(TUTORIAL, "TER")


def test_a_span_added_after_the_import_gets_an_id_no_kept_line_uses(store, tmp_path):
    from annotator import operations

    _tutorial_project(store)
    import_annotation_set(store, TUTORIAL, annotator="brat")
    article = next(s for s in store.list_articles() if s.title.startswith("Annotation notes"))
    text = store.get_article(article.id).text
    start = text.index("Wright")
    operations.tag(store, article.id, start, start + len("Wright"), "Person", annotator="brat", exact=True)
    folder = tmp_path / "again"
    write_to(store, "brat", folder)
    original = _lines(TUTORIAL, "T")["110-note_annotation.ann"]
    again = _lines(folder, "T")["110-note_annotation.ann"]
    assert original < again
    (added,) = again - original
    assert added.split("\t")[0] not in {line.split("\t")[0] for line in original}
    assert added.split("\t")[2] == "Wright"
