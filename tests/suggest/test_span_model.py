import pytest

from annotator.suggest import span_model
from annotator.suggest.span_model import SpanModelUnavailable, train_span_model, trainable_labels
from suggest.suggest_helpers import article, spans

NAMES = ["Anna Berg", "Omar Haddad", "Li Wei", "Sara Kowalski", "Jonas Meyer", "Priya Nair", "Tom Okafor", "Elena Rossi"]
VERBS = ["said", "told reporters", "confirmed", "added"]


def examples(n=70):
    found = []
    for i in range(n):
        name = NAMES[i % len(NAMES)]
        text = f"On day {i}, {name} {VERBS[i % len(VERBS)]} that the bridge had reopened."
        start = text.index(name)
        found.append((text, [(start, start + len(name), "SOURCE")]))
    return found


def test_labels_below_fifty_spans_are_not_trained_and_too_few_is_a_clear_error():
    assert trainable_labels(examples(49)) == []
    assert trainable_labels(examples(50)) == ["SOURCE"]
    with pytest.raises(SpanModelUnavailable, match="no label has 50 accepted spans"):
        train_span_model(examples(10))


def test_trains_from_a_blank_pipeline_reports_held_out_precision_and_suggests():
    pytest.importorskip("spacy")
    model = train_span_model(examples(), epochs=8)
    assert model.labels == ("SOURCE",)
    assert model.held_out == 14 and model.trained_on == 56
    assert model.precision["SOURCE"] is not None and model.precision["SOURCE"] > 0.5
    art = article(("paragraph", "Yesterday, Priya Nair said that the road was closed."))
    span_model.install(model)
    try:
        got = spans(art, "learned_model")
    finally:
        span_model.install(None)
    assert ("SOURCE", "Priya Nair") in got
    assert spans(art, "learned_model") == []  # nothing installed, nothing proposed
