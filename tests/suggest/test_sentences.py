import pytest

from annotator.suggest import sentences
from annotator.suggest.sentences import builtin_sentences, split_sentences


def pieces(text):
    return [text[s:e] for s, e in builtin_sentences(text)]


def test_abbreviations_initials_and_dotted_names_do_not_end_a_sentence():
    text = "Dr. Jane Smith met Gen. Lee in the U.S. capital. John F. Kennedy was there at 5 p.m. on Monday. It rained."
    assert pieces(text) == [
        "Dr. Jane Smith met Gen. Lee in the U.S. capital.",
        "John F. Kennedy was there at 5 p.m. on Monday.",
        "It rained.",
    ]


def test_quotes_close_the_sentence_they_end_and_a_question_inside_quotes_goes_on():
    text = '"We will appeal." The court agreed. "Why now?" she asked. Then she left!'
    assert pieces(text) == ['"We will appeal."', "The court agreed.", '"Why now?" she asked.', "Then she left!"]


def test_offsets_are_code_points_with_an_emoji_before():
    text = "🔥🇺🇦 Prices rose. Police said so."
    spans = builtin_sentences(text)
    assert [text[s:e] for s, e in spans] == ["🔥🇺🇦 Prices rose.", "Police said so."]
    assert spans[1] == (text.index("Police"), len(text))


def test_spacy_backend_agrees_on_abbreviations():
    pytest.importorskip("spacy")
    text = "Gen. Lee arrived. John F. Kennedy spoke in the U.S. capital. It rained."
    sentences.set_backend("spacy")
    try:
        got = [text[s:e] for s, e in split_sentences(text)]
    finally:
        sentences.set_backend("auto")
    assert got == pieces(text)


def test_unknown_backend_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="auto, builtin or spacy"):
        sentences.set_backend("nltk")
