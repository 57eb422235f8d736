"""What every format shares: span filters with several values (`annotators`, `labels`), the
`progress(done, total)` callback of `export_to_path` and `import_annotation_set`, the documents
counted by each reader's quick `count`, JSON errors with their real line and column, and
`docbin.available()`."""

from __future__ import annotations

import importlib.util
import io
import json

import pytest

from support import import_set as import_annotation_set
from annotator.errors import ImportFailed
from annotator import operations as ops
from annotator.errors import ValidationError
from annotator.formats import FORMATS, docbin, export_to_path, jsonl, readable_formats, single_layer
from annotator.formats.common import json_lines, json_values, select_articles
from annotator.store import ExportFilter
from annotator.model import build_article
from annotator.review import GOLD
from annotator.store import Store

from .conftest import FIXTURES
import support

TEXT = "Alice said prices rose 5% in May. Bob agreed, and the photo is by Carol."
WRITABLE = [name for name in FORMATS if name != "docbin" or docbin.available()]


def one_layer(name: str, **filters) -> ExportFilter:
    """The filters, with the spans of several annotators as one layer for the formats that need it."""
    return ExportFilter.of(merge_identical=single_layer(FORMATS[name]), **filters)


def _find(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def team(store: Store, extra_articles: int = 2) -> None:
    """One article tagged by maria, bob and the gold layer without overlaps; then untagged ones."""
    article = build_article([("paragraph", TEXT)], title="Team")
    support.add_article(store, article)
    def add(*args, **kwargs):
        return support.tag(store, *args, **kwargs)

    source = add(article.id, *_find(TEXT, "Alice"), "SOURCE", annotator="maria")
    claim = add(article.id, *_find(TEXT, "prices rose 5%"), "CLAIM", annotator="maria")
    add(article.id, *_find(TEXT, "Bob"), "SOURCE", annotator="bob")
    add(article.id, *_find(TEXT, "agreed"), "CLAIM", annotator=GOLD)
    add(article.id, *_find(TEXT, "Carol"), "CAPTION", annotator="maria")
    support.relate(store, claim.id, source.id, "attributed_to", annotator="maria")
    for i in range(extra_articles):
        support.add_article(store, build_article([("paragraph", f"Filler number {i} says little.")], title=f"Filler {i}"))


def chosen(store: Store, **filters) -> tuple[list[tuple[str, str, str]], int]:
    spans, relations = [], 0
    for item in select_articles(store, ExportFilter.of(**filters)):
        spans += [(a.annotator, a.label, a.quote) for a in item.annotations]
        relations += len(item.relations)
    return sorted(spans), relations


def test_the_export_filter_is_typed_and_refuses_what_it_does_not_know():
    assert ExportFilter().annotators is None
    assert ExportFilter(annotators=["maria", "bob", "maria"]).annotators == ("maria", "bob")
    assert ExportFilter(annotators="maria").annotators == ("maria",)  # a lone string is one value, not its letters
    assert ExportFilter(labels=[]).labels == ()
    with pytest.raises(ValidationError, match="unknown export filter annotatr; the filters are annotators, article_ids"):
        ExportFilter.of(annotatr=["maria"])
    with pytest.raises(ValidationError, match="unknown status 'finished'"):
        ExportFilter(status="finished")


def test_select_articles_with_several_annotators_and_labels(store):
    team(store)
    assert chosen(store, annotators=["maria", "bob"], labels=["SOURCE", "CLAIM"]) == (
        [("bob", "SOURCE", "Bob"), ("maria", "CLAIM", "prices rose 5%"), ("maria", "SOURCE", "Alice")], 1)
    assert chosen(store, annotators=["bob", GOLD]) == ([("bob", "SOURCE", "Bob"), (GOLD, "CLAIM", "agreed")], 0)
    assert chosen(store, labels=["CAPTION", "CLAIM"])[0] == [
        (GOLD, "CLAIM", "agreed"), ("maria", "CAPTION", "Carol"), ("maria", "CLAIM", "prices rose 5%")]
    assert chosen(store, annotators=["maria"], labels=["CLAIM"]) == ([("maria", "CLAIM", "prices rose 5%")], 0)
    # an empty list chooses no span; the articles are still there
    assert chosen(store, labels=[]) == ([], 0)
    assert len(list(select_articles(store, ExportFilter(annotators=[])))) == 3


@pytest.mark.parametrize("name", WRITABLE)
def test_every_format_writes_the_spans_of_several_annotators_and_labels(store, tmp_path, name):
    team(store)
    target = tmp_path / ("out" + (FORMATS[name].SUFFIX if FORMATS[name].SUFFIX and name != "brat" else ""))
    stats = export_to_path(store, name, target, one_layer(name, annotators=["maria", "bob"], labels=["SOURCE", "CLAIM"]))
    assert stats.articles == 3
    assert stats.spans == 3  # Alice, prices rose 5%, Bob: not the gold claim, not the caption
    if name in ("jsonl", "labelstudio", "w3c", "brat", "doccano", "prodigy"):  # the formats with relations
        assert stats.relations == 1
    if name == "jsonl":
        spans = sorted((s["annotator"], s["label"], s["text"]) for line in target.read_text("utf-8").splitlines()[1:]
                       for s in json.loads(line)["spans"])
        assert spans == [("bob", "SOURCE", "Bob"), ("maria", "CLAIM", "prices rose 5%"), ("maria", "SOURCE", "Alice")]
    single = export_to_path(store, name, tmp_path / ("single-" + target.name),
                            ExportFilter(annotators=["maria"], labels=["SOURCE"]))
    assert single.spans == 1


def test_jsonl_filters_by_sql_with_one_several_or_no_values(store):
    team(store, extra_articles=0)

    def written(**filters) -> list[tuple[str, str]]:
        out = io.StringIO()
        jsonl.write(store, out, ExportFilter.of(**filters))
        [record] = [json.loads(line) for line in out.getvalue().splitlines()[1:]]
        return sorted((s["annotator"], s["label"]) for s in record["spans"])

    assert written(annotators=["maria", GOLD], labels=["CLAIM"]) == [(GOLD, "CLAIM"), ("maria", "CLAIM")]
    assert written(annotators="bob") == [("bob", "SOURCE")]
    assert written(annotators=("bob",), labels="CAPTION") == []
    assert written(labels=[]) == []
    assert len(written()) == 5


# -- progress --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", WRITABLE)
def test_export_reports_progress_per_article(store, tmp_path, name):
    team(store, extra_articles=3)
    calls: list[tuple[int, int]] = []
    target = tmp_path / ("out" + (FORMATS[name].SUFFIX if name != "brat" else ""))
    stats = export_to_path(store, name, target, one_layer(name), progress=lambda done, total: calls.append((done, total)))
    assert stats.articles == 4
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


@pytest.mark.parametrize("name", ["jsonl", "csv"])
def test_progress_counts_only_the_chosen_articles(store, tmp_path, name):
    team(store, extra_articles=3)
    ids = [s.id for s in store.list_articles()][:2]
    calls: list[tuple[int, int]] = []
    export_to_path(store, name, tmp_path / f"x.{name}", ExportFilter(article_ids=ids),
                   progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 2), (1, 2), (2, 2)]
    ops.set_status(store, ids[0], "done", annotator="maria")
    calls.clear()
    export_to_path(store, name, tmp_path / f"y.{name}", ExportFilter(status="done"),
                   progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 1), (1, 1)]


def test_an_exception_in_progress_stops_the_export_and_writes_nothing(store, tmp_path):
    team(store)

    def stop(done: int, total: int) -> None:
        if done == 2:
            raise ImportFailed("stopped")

    with pytest.raises(ImportFailed):
        export_to_path(store, "jsonl", tmp_path / "out.jsonl", progress=stop)
    assert list(tmp_path.glob("out.jsonl*")) == [] and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


@pytest.mark.parametrize("name", [n for n in readable_formats() if n != "conll"])
def test_import_reports_progress_per_document(store, other, tmp_path, name):
    team(store, extra_articles=3)
    target = tmp_path / ("out" + (FORMATS[name].SUFFIX if name != "brat" else ""))
    export_to_path(store, name, target, one_layer(name))
    calls: list[tuple[int, int]] = []
    report = import_annotation_set(other, target, annotator="maria", progress=lambda d, t: calls.append((d, t)))
    total = report.documents
    assert total >= 1  # W3C names only the articles with annotations; Prodigy has a task per annotator
    if name in ("jsonl", "labelstudio", "doccano", "brat"):
        assert total == 4
    assert calls == [(i, total) for i in range(total + 1)]


def test_conll_import_progress_counts_its_documents(store, tmp_path):
    team(store, extra_articles=1)
    target = tmp_path / "out.conll"
    export_to_path(store, "conll", target, one_layer("conll"))
    calls: list[tuple[int, int]] = []
    import_annotation_set(store, target, annotator="maria", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 2), (1, 2), (2, 2)]


FIXTURE_FORMATS = {
    "conll2003_iob1.conll": "conll",
    "doccano_labels.jsonl": "doccano",
    "doccano_relations.jsonl": "doccano",
    "prodigy_rel_manual.jsonl": "prodigy",
    "brat": "brat",
}


@pytest.mark.parametrize(("name", "path"), [(n, FIXTURES / f) for f, n in FIXTURE_FORMATS.items()])
def test_the_quick_count_is_the_number_of_documents_read(name, path):
    module = FORMATS[name]
    assert module.count(path) == sum(1 for _ in module.read(path))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("jsonl", '{"_format": "news-annotator", "_version": 1}\n\n{"text": "a"}\n{"text": "b"}\n', 2),
        ("jsonl", '{"text": "a"}\r\n{"text": "b"}', 2),
        ("prodigy", '{"text": "a"}\n   \n{"text": "b"}\n', 2),
        ("doccano", '{"text": "a", "label": []}\n', 1),
        ("conll", "\ufeff-DOCSTART- -X- -X- O\n\nAlice B-SOURCE\n\n-DOCSTART- -X- -X- O\n\nBob B-SOURCE\n", 2),
        ("conll", "\nAlice B-SOURCE\n-DOCSTART- -X- -X- O\nBob B-SOURCE\n", 2),
        ("conll", "Alice B-SOURCE\nsaid O\n", 1),
        ("conll", "", 0),
    ],
)
def test_the_quick_count_of_edge_cases(tmp_path, name, content, expected):
    path = tmp_path / f"x{FORMATS[name].SUFFIX}"
    path.write_text(content, "utf-8")
    module = FORMATS[name]
    assert module.count(path) == expected == sum(1 for _ in module.read(path))


# -- JSON errors: the real line and column --------------------------------------------------


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_a_json_line_cut_after_a_comma_names_its_own_line_and_column(tmp_path, ending):
    cut = '{"text": "Alice said.",'
    path = tmp_path / "cut.jsonl"
    path.write_bytes(('{"text": "ok"}' + ending + cut + ending).encode() if ending else ('{"text": "ok"}\n' + cut).encode())
    with pytest.raises(ImportFailed) as caught:
        list(json_lines(path))
    message = str(caught.value)
    assert message.startswith(f"{path}:2: not valid JSON (")
    assert f"at column {len(cut) + 1})" in message  # where the text ends, not "column 1" of a line 3
    assert "column 1)" not in message


def test_a_json_line_with_an_error_inside_gives_its_column(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b" "spans": []}\n', "utf-8")
    with pytest.raises(ImportFailed, match=r"bad\.jsonl:2: not valid JSON \(Expecting ',' delimiter at column 14\)"):
        list(json_lines(path))


def test_json_lines_read_as_json_values_keep_the_line_and_column(tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text('{"data": {"text": "a"}}\n{"data": {"text": "b"},\n', "utf-8")
    with pytest.raises(ImportFailed, match=r"tasks\.json:2: not valid JSON \(.* at column 24\)"):
        list(json_values(path))


def test_import_of_a_cut_line_reports_line_and_column(store, tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_text('{"text": "Alice said.", "spans": []}\n{"text": "Bob said.",\n', "utf-8")
    column = len('{"text": "Bob said.",') + 1
    with pytest.raises(ImportFailed, match=rf"cut\.jsonl:2: not valid JSON \(Expecting property name .* at column {column}\)"):
        import_annotation_set(store, path)
    assert store.counts()["articles"] == 0


# -- docbin.available ------------------------------------------------------------------------


def test_docbin_available_is_whether_spacy_can_be_found(monkeypatch):
    assert docbin.available() == (importlib.util.find_spec("spacy") is not None)
    real = importlib.util.find_spec
    monkeypatch.setattr(docbin.importlib.util, "find_spec", lambda name, *a: None if name == "spacy" else real(name, *a))
    assert docbin.available() is False
    assert "pip install" in docbin.UNAVAILABLE


def test_the_export_dialog_asks_the_format_whether_it_can_run(monkeypatch):
    pytest.importorskip("PySide6")
    from annotator.ui.export_dialog import unavailable_reason

    monkeypatch.setattr(docbin, "available", lambda: False)
    assert unavailable_reason("docbin") == docbin.UNAVAILABLE
    monkeypatch.setattr(docbin, "available", lambda: True)
    assert unavailable_reason("docbin") == ""
    assert unavailable_reason("jsonl") == ""
