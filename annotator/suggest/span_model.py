"""A span model learned from the project's own accepted annotations: spaCy's entity recognizer,
trained locally from a blank pipeline (no download, no pretrained weights), for every label with at
least ``MIN_SPANS`` accepted spans.

    model = train_span_model(examples)        # examples: [(text, [(start, end, label), ...]), ...]
    model.precision                            # {label: held-out precision}, None where nothing was predicted
    install(model)                             # the `learned_model` suggester proposes with it

Training takes seconds to minutes: the app runs it in a background worker and installs the result;
nothing here touches Qt or the store. A fixed share of the examples (``HELD_OUT``, by a seeded
shuffle, at least one) is kept out of training to measure the precision that is reported, and that
label's precision is the confidence of its proposals. spaCy is optional (`pip install
news-annotator[nlp]`); without it :func:`train_span_model` raises :class:`SpanModelUnavailable`
and the `learned_model` suggester proposes nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .proposal import Proposals, SpanProposal
from .registry import SuggestInput, register

NAME = "learned_model"
VERSION = "1"
MIN_SPANS = 50
HELD_OUT = 0.2
EPOCHS = 12

Example = tuple[str, Sequence[tuple[int, int, str]]]


class SpanModelUnavailable(RuntimeError):
    """spaCy is not installed, or no label has enough accepted spans to train on."""


@dataclass
class TrainedSpanModel:
    nlp: Any  # a spacy.Language with a trained "ner" pipe
    labels: tuple[str, ...]
    precision: dict[str, float | None]
    recall: dict[str, float | None]
    trained_on: int
    held_out: int
    counts: dict[str, int] = field(default_factory=dict)

    def predict(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, label, confidence) of each span the model finds in ``text``."""
        doc = self.nlp(text)
        return [
            (ent.start_char, ent.end_char, ent.label_, round(self.precision.get(ent.label_) or 0.0, 3))
            for ent in doc.ents
            if ent.label_ in self.labels
        ]


def spacy_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("spacy") is not None


def trainable_counts(examples: Sequence[Example]) -> dict[str, int]:
    return dict(Counter(label for _, spans in examples for _, _, label in spans))


def trainable_labels(examples: Sequence[Example], min_spans: int = MIN_SPANS) -> list[str]:
    return sorted(label for label, n in trainable_counts(examples).items() if n >= min_spans)


def train_span_model(
    examples: Sequence[Example],
    *,
    min_spans: int = MIN_SPANS,
    language: str = "en",
    epochs: int = EPOCHS,
    seed: int = 0,
) -> TrainedSpanModel:
    """Train on the labels with at least ``min_spans`` spans; report held-out precision and recall."""
    if not spacy_available():
        raise SpanModelUnavailable("the span model needs spaCy: pip install 'news-annotator[nlp]'")
    labels = trainable_labels(examples, min_spans)
    if not labels:
        raise SpanModelUnavailable(f"no label has {min_spans} accepted spans yet")
    import spacy
    from spacy.training import Example as SpacyExample
    from spacy.util import filter_spans, fix_random_seed, minibatch

    fix_random_seed(seed)
    try:
        nlp = spacy.blank(language or "en")
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    ner = nlp.add_pipe("ner")
    for label in labels:
        ner.add_label(label)
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    held = max(1, int(len(order) * HELD_OUT)) if len(order) > 1 else 0
    held_ids, train_ids = set(order[:held]), order[held:]

    def to_example(text: str, spans: Sequence[tuple[int, int, str]]):
        doc = nlp.make_doc(text)
        ents = [doc.char_span(s, e, label=l, alignment_mode="expand") for s, e, l in spans if l in labels]
        ents = filter_spans([ent for ent in ents if ent is not None])
        return SpacyExample.from_dict(doc, {"entities": [(ent.start_char, ent.end_char, ent.label_) for ent in ents]})

    train = [to_example(*examples[i]) for i in train_ids]
    optimizer = nlp.initialize(lambda: train)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(train)
        for batch in minibatch(train, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    model = TrainedSpanModel(nlp, tuple(labels), {}, {}, len(train_ids), len(held_ids),
                             dict(Counter(l for _, spans in examples for _, _, l in spans if l in labels)))
    _measure(model, [examples[i] for i in sorted(held_ids)])
    return model


def _measure(model: TrainedSpanModel, held_out: Sequence[Example]) -> None:
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    for text, spans in held_out:
        truth = {(s, e, l) for s, e, l in spans if l in model.labels}
        gold.update(l for _, _, l in truth)
        for s, e, l, _ in model.predict(text):
            predicted[l] += 1
            correct[l] += (s, e, l) in truth
    for label in model.labels:
        model.precision[label] = correct[label] / predicted[label] if predicted[label] else None
        model.recall[label] = correct[label] / gold[label] if gold[label] else None


_installed: TrainedSpanModel | None = None


def install(model: TrainedSpanModel | None) -> None:
    """Make ``model`` the one the `learned_model` suggester uses (None: none)."""
    global _installed
    _installed = model


def installed() -> TrainedSpanModel | None:
    return _installed


class LearnedModelSuggester:
    name = NAME
    version = VERSION

    def suggest(self, source: SuggestInput) -> Proposals:
        found = Proposals()
        model = _installed
        if model is None:
            return found
        taken = {(s, e, label) for s, e, label in source.annotated}
        for start, end, label, confidence in model.predict(source.text):
            if (start, end, label) not in taken:
                found.spans.append(SpanProposal(start, end, label, confidence, NAME, VERSION))
        return found


register(LearnedModelSuggester())
