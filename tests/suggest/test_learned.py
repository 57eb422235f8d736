from annotator.suggest import SuggestInput, get_suggester, run_suggesters, suggester_names
from annotator.schema import default_schema
from suggest.suggest_helpers import article, spans


def test_a_previously_tagged_name_is_suggested_in_a_new_article():
    accepted = [("SOURCE", "Fuad Basya"), ("SOURCE", "The Korea Herald"), ("CLAIM", "exports fell")]
    art = article(("paragraph", "🚢 Speaking on Monday, fuad  basya confirmed the rescue, the korea\u00a0herald reported."))
    assert spans(art, "learned", accepted=accepted) == [("SOURCE", "fuad  basya"), ("SOURCE", "the korea\u00a0herald")]


def test_matches_are_word_bounded_and_not_where_already_tagged():
    art = article(("paragraph", "Kim met Kimberley. Kim left, said Kim's aide."))
    accepted = [("SOURCE", "Kim")]
    first = art.text.index("Kim")
    found = run_suggesters(
        SuggestInput(art.text, art.blocks, default_schema(), accepted=accepted, annotated=[(first, first + 3, "SOURCE")]),
        ["learned"],
    )
    starts = [s.start for s in found.spans]
    assert art.text.index("Kimberley") not in starts
    assert first not in starts
    assert starts == [art.text.index("Kim left"), art.text.index("Kim's")]
    assert all(art.text[s.start : s.end] == "Kim" for s in found.spans)


def test_the_label_given_most_often_wins_and_sets_the_confidence():
    art = article(("paragraph", "Reuters reported it."))
    accepted = [("SOURCE", "Reuters"), ("SOURCE", "reuters"), ("CLAIM", "Reuters")]
    found = run_suggesters(SuggestInput(art.text, art.blocks, default_schema(), accepted=accepted), ["learned"])
    assert [(s.label, s.confidence) for s in found.spans] == [("SOURCE", 0.6)]


def test_labels_the_schema_lacks_are_not_suggested_and_nothing_accepted_means_nothing_suggested():
    art = article(("paragraph", "Reuters reported it."))
    assert spans(art, "learned", accepted=[("PERSON", "Reuters")]) == []
    assert spans(art, "learned") == []


def test_every_suggester_is_registered_with_a_name_and_version():
    assert {"captions", "sources", "claims", "learned"} <= set(suggester_names())
    for name in suggester_names():
        suggester = get_suggester(name)
        assert suggester.name == name and suggester.version


def test_importing_the_suggest_package_does_not_import_spacy():
    import subprocess
    import sys

    code = "import sys, annotator.suggest; print('spacy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
