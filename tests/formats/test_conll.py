"""CoNLL-2003 / IOB2: sentences, the overlap rule, import by tokens; spaCy's CoNLL reader reads it."""

from __future__ import annotations

import io

import pytest
from hypothesis import given

from support import import_set as import_annotation_set
from annotator.errors import ImportFailed
from annotator.formats import conll, detect_format
from annotator.model import build_article

from .conftest import FIXTURES, PROPERTY, corpora, emoji_project, news_article, project, quotes, spans_of, write_to
import support


@PROPERTY
@given(corpora(aligned=True, overlapping=False, relations=False))
def test_write_then_import_is_the_identity_for_non_overlapping_token_spans(specs):
    bare = [type(s)(s.blocks, [], []) for s in specs]
    with project(specs) as store, project(bare) as other:
        path = store.path.with_name("c.conll")
        stats = write_to(store, "conll", path, merge_identical=True)  # maria's and bob's spans: one layer
        assert stats.snapped == stats.overlapping == stats.misaligned == 0
        lines = path.read_text("utf-8").splitlines()
        assert lines.count(conll.DOCSTART) == len(specs)
        assert all(len(line.split()) == 4 for line in lines if line and line != conll.DOCSTART)
        report = import_annotation_set(other, path, annotator="maria")
        assert report.not_imported == 0 and not report.skipped
        assert spans_of(other) == spans_of(store)


def test_overlap_rule_keeps_the_longer_then_the_earlier(store):
    article = build_article([("paragraph", "Alice Smith of AFP said prices rose.")])
    support.add_article(store, article)
    support.tag(store, article.id, 0, 5, "SOURCE", annotator="a")  # Alice: inside the longer one
    support.tag(store, article.id, 0, 18, "SOURCE", annotator="a")  # Alice Smith of AFP: kept (longest)
    support.tag(store, article.id, 15, 23, "CLAIM", annotator="a")  # AFP said: overlaps it
    support.tag(store, article.id, 24, 35, "CLAIM", annotator="a")  # prices rose
    support.tag(store, article.id, 24, 30, "CLAIM", annotator="b")  # prices: inside
    out = io.StringIO()
    stats = conll.write(store, out)
    tags = [line.split()[-1] for line in out.getvalue().splitlines()[2:] if line]
    assert tags == ["B-SOURCE", "I-SOURCE", "I-SOURCE", "I-SOURCE", "O", "B-CLAIM", "I-CLAIM", "O"]
    assert (stats.spans, stats.overlapping) == (2, 3)
    assert any("overlapped" in p for p in stats.problems())


def test_sentences_break_at_blocks_and_full_stops_but_never_inside_a_span(store):
    article = build_article([("headline", "Prices rise"), ("paragraph", "Alice said so. Bob agreed! He left. dr. no")])
    support.add_article(store, article)
    text = article.text
    start = text.index("Bob")
    support.tag(store, article.id, start, text.index("left") + 4, "CLAIM", annotator="a")  # across "agreed! He"
    out = io.StringIO()
    conll.write(store, out)
    sentences = [s.split("\n") for s in out.getvalue().split("\n\n")[1:] if s.strip()]
    words = [[line.split()[0] for line in s] for s in sentences]
    # no break inside the span ("agreed! He"), none before a small letter ("left. dr")
    assert words == [["Prices", "rise"], ["Alice", "said", "so", "."], ["Bob", "agreed", "!", "He", "left", ".", "dr", ".", "no"]]


def test_emoji_before_a_span(store, tmp_path):
    emoji_project(store)
    out = io.StringIO()
    conll.write(store, out)
    tagged = [line.split() for line in out.getvalue().splitlines() if line.endswith("CLAIM")]
    assert [t[0] for t in tagged] == ["prices", "rose", "5", "%"]
    path = tmp_path / "e.conll"
    path.write_text(out.getvalue(), "utf-8")
    support.delete(store, store.annotations_for(store.list_articles()[0].id)[0].id)
    import_annotation_set(store, path, annotator="maria")
    assert quotes(store) == [("prices rose 5%", "CLAIM", "maria")]


def test_fixture_conll2003_iob1_matched_by_tokens(store, other):
    news_article(store)
    path = FIXTURES / "conll2003_iob1.conll"
    assert detect_format(path) == "conll"
    report = import_annotation_set(store, path, annotator="maria")
    assert report.articles_found == 1 and report.not_imported == 0
    assert quotes(store) == [
        ("AFP", "SOURCE", "maria"),
        ("Officials in 🇺🇦 Kyiv", "SOURCE", "maria"),
        ("prices rose 5% in May", "CLAIM", "maria"),
        ("👨\u200d🚒 firefighters at work (Reuters)", "CAPTION", "maria"),
    ]
    report = import_annotation_set(other, path, annotator="maria")  # no such article: the text rebuilt from the tokens
    [article] = [other.get_article(a.id) for a in other.list_articles()]
    assert article.text == ("Officials in 🇺🇦 Kyiv said prices rose 5 % in May , AFP reported .\n"
                            "Photo : 👨\u200d🚒 firefighters at work ( Reuters )")
    assert report.articles_added == [article.id] and "added the text rebuilt from them" in report.notes[0]
    assert quotes(other) == [
        ("AFP", "SOURCE", "maria"),
        ("Officials in 🇺🇦 Kyiv", "SOURCE", "maria"),
        ("prices rose 5 % in May", "CLAIM", "maria"),
        ("👨\u200d🚒 firefighters at work ( Reuters )", "CAPTION", "maria"),
    ]


def test_a_file_tokenised_like_spacy_is_aligned_to_the_text_by_characters(store, tmp_path):
    article = build_article([("paragraph", "“It wasn’t us,” said Zoë of AFP; prices rose 5%.")])
    support.add_article(store, article)
    path = tmp_path / "spacy.conll"  # spaCy's tokens: “ It was n’t us , ” ... (not our tokenizer's wasn ’ t)
    rows = [("“", "O"), ("It", "B-CLAIM"), ("was", "I-CLAIM"), ("n’t", "I-CLAIM"), ("us", "I-CLAIM"), (",", "O"), ("”", "O"),
            ("said", "O"), ("Zoë", "B-SOURCE"), ("of", "O"), ("AFP", "B-SOURCE"), (";", "O"), ("prices", "B-CLAIM"),
            ("rose", "I-CLAIM"), ("5", "I-CLAIM"), ("%", "I-CLAIM"), (".", "O")]
    path.write_text("-DOCSTART- -X- -X- O\n\n" + "".join(f"{t} _ _ {tag}\n" for t, tag in rows), "utf-8")
    report = import_annotation_set(store, path, annotator="maria")
    assert report.articles_found == 1 and not report.articles_added and report.not_imported == 0
    assert quotes(store) == [
        ("AFP", "SOURCE", "maria"), ("It wasn’t us", "CLAIM", "maria"), ("Zoë", "SOURCE", "maria"),
        ("prices rose 5%", "CLAIM", "maria"),
    ]


def test_decomposed_tokens_are_matched_to_the_composed_text(store, tmp_path):
    article = build_article([("paragraph", "Zoë said so.")])
    support.add_article(store, article)
    path = tmp_path / "nfd.conll"
    path.write_text("Zoe\u0308 B-SOURCE\nsaid O\nso O\n. O\n", "utf-8")
    import_annotation_set(store, path, annotator="maria")
    assert quotes(store) == [("Zoë", "SOURCE", "maria")]


def test_malformed_lines_are_refused_with_their_number(store, tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text("-DOCSTART- -X- -X- O\n\nAlice B-SOURCE\nsaid\n", "utf-8")
    with pytest.raises(ImportFailed, match=r"bad.conll:4: expected a token and its tag"):
        import_annotation_set(store, path)
    path.write_text("-DOCSTART- -X- -X- O\n\nAlice X-SOURCE\n", "utf-8")
    with pytest.raises(ImportFailed, match=r"bad.conll:3: tag 'X-SOURCE' is not O or B-"):
        import_annotation_set(store, path)


def test_spacy_reads_the_export_with_its_conll_ner_converter(store):
    pytest.importorskip("spacy")
    from spacy.training.converters import conll_ner_to_docs

    emoji_project(store)
    news_article(store)
    import_annotation_set(store, FIXTURES / "conll2003_iob1.conll", annotator="maria")
    out = io.StringIO()
    conll.write(store, out)
    docs = list(conll_ner_to_docs(out.getvalue(), n_sents=0, no_print=True))
    entities = sorted((e.text, e.label_) for doc in docs for e in doc.ents)
    assert entities == sorted(
        [("prices rose 5 %", "CLAIM"), ("Officials in 🇺🇦 Kyiv", "SOURCE"), ("prices rose 5 % in May", "CLAIM"),
         ("AFP", "SOURCE"), ("👨\u200d🚒 firefighters at work ( Reuters )", "CAPTION")]
    )


def test_spacys_own_tokens_align_to_the_article(store, tmp_path):
    spacy = pytest.importorskip("spacy")
    text = "“It wasn’t us,” said Zoë of 🇺🇦 AFP. Don’t quote 👨\u200d🚒 firefighters (Reuters)."
    article = build_article([("paragraph", text)])
    support.add_article(store, article)
    wanted = [("It wasn’t us", "CLAIM"), ("Zoë", "SOURCE"), ("🇺🇦 AFP", "SOURCE"), ("👨\u200d🚒 firefighters", "CAPTION")]
    places = [(text.index(q), text.index(q) + len(q), label) for q, label in wanted]
    doc = spacy.blank("en")(text)  # splits the flag and the ZWJ sequence, and "wasn’t" as "was n’t"
    lines = []
    for token in doc:
        inside = [(s, label) for s, e, label in places if s <= token.idx < e]
        tag = "O" if not inside else ("B-" if inside[0][0] == token.idx else "I-") + inside[0][1]
        lines.append(f"{token.text} {tag}\n")
    assert "n’t I-CLAIM\n" in lines and "\u200d I-CAPTION\n" in lines
    path = tmp_path / "spacy.conll"
    path.write_text("".join(lines), "utf-8")
    report = import_annotation_set(store, path, annotator="maria")
    assert report.articles_found == 1 and report.not_imported == 0
    assert quotes(store) == sorted((q, label, "maria") for q, label in wanted)
