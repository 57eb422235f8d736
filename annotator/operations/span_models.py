"""Training the `learned_model` suggester's span model on a project, saving it, and loading it again.

The model is spaCy's entity recognizer trained from a blank pipeline (suggest/span_model.py) on the
project's live annotations, for the labels with at least `MIN_SPANS` of them. It is derived data,
not part of the project: it is saved under the models folder (settings.models_dir), one folder per
project file, with its held-out figures beside it, and loaded when the suggesters run in another
process (the CLI, the window's worker). Training changes nothing in the project, so it is not a
journal entry.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import ValidationError
from ..settings import models_dir
from ..store import Store
from ..suggest import span_model

META = "figures.json"
_installed_for: list[Path | None] = [None]  # the model folder whose model this process has installed


@dataclass(frozen=True)
class Trained:
    labels: tuple[str, ...]
    precision: dict[str, float | None]
    recall: dict[str, float | None]
    counts: dict[str, int]
    trained_on: int
    held_out: int
    folder: Path

    def to_dict(self) -> dict:
        return {"labels": list(self.labels), "precision": self.precision, "recall": self.recall,
                "counts": self.counts, "trained_on": self.trained_on, "held_out": self.held_out,
                "folder": str(self.folder)}


def model_folder(store: Store) -> Path:
    """The folder of a project's span model: named by a digest of the project file's full path."""
    digest = hashlib.sha1(str(Path(store.path).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return models_dir() / f"{Path(store.path).stem[:40]}-{digest}"


def train(store: Store, *, min_spans: int = span_model.MIN_SPANS, progress=None) -> Trained:
    """Train on the project's live annotations, save the model and install it for this process."""
    examples = store.training_examples()
    try:
        model = span_model.train_span_model(examples, min_spans=min_spans)
    except span_model.SpanModelUnavailable as exc:
        counts = span_model.trainable_counts(examples)
        have = ", ".join(f"{label} {n}" for label, n in sorted(counts.items())) or "none"
        raise ValidationError(f"cannot train the span model: {exc} (annotations per label: {have})") from None
    folder = model_folder(store)
    try:
        _save(model, folder)
    except OSError as exc:
        raise ValidationError(f"the span model was trained but could not be saved in {folder}: "
                              f"{exc.strerror or exc}") from None
    span_model.install(model)
    _installed_for[0] = folder
    return _trained(model, folder)


def _save(model: span_model.TrainedSpanModel, folder: Path) -> None:
    """Write the model beside the old one, then swap, so a reader never sees half a model."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = folder.with_name(folder.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    model.nlp.to_disk(fresh / "pipeline")
    (fresh / META).write_text(json.dumps(_trained(model, folder).to_dict(), indent=2), "utf-8")
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def _trained(model: span_model.TrainedSpanModel, folder: Path) -> Trained:
    return Trained(model.labels, dict(model.precision), dict(model.recall), dict(model.counts), model.trained_on,
                   model.held_out, folder)


def saved(store: Store) -> Trained | None:
    """The figures of the project's saved model, or None when there is none (or it cannot be read)."""
    folder = model_folder(store)
    try:
        data = json.loads((folder / META).read_text("utf-8"))
        return Trained(tuple(data["labels"]), data["precision"], data["recall"], data["counts"], data["trained_on"],
                       data["held_out"], folder)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load(store: Store) -> bool:
    """Install the project's saved model for this process, if there is one and spaCy can read it."""
    figures = saved(store)
    if figures is None or not span_model.spacy_available():
        return False
    import spacy

    try:
        nlp = spacy.load(figures.folder / "pipeline")
    except (OSError, ValueError, KeyError):
        return False
    span_model.install(span_model.TrainedSpanModel(nlp, figures.labels, figures.precision, figures.recall,
                                                   figures.trained_on, figures.held_out, figures.counts))
    return True


def ensure_loaded(store: Store) -> None:
    """Make the installed model this project's (its saved one, or none): a process that opened
    another project before must not suggest with that project's model."""
    folder = model_folder(store)
    if _installed_for[0] == folder:
        return
    span_model.install(None)
    _installed_for[0] = folder
    load(store)
