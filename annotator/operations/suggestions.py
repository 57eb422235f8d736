"""Suggestions as operations: suggest, accept, reject. Each is one transaction and one journal entry,
undoable like any edit (accepting every suggestion of an article is one entry, so one undo step).

* `suggest` runs the chosen suggesters (annotator/suggest) over articles and stores what is new as
  open suggestions. New means: not suggested before in any state (a rejected span is never proposed
  again, nor an accepted one), and not already a live annotation of the annotator. The learned
  suggester reads the project's live annotations as (label, quote) pairs, gathered here once.
  Running the suggesters reads only; `propose` does that part alone (the window runs it in a worker).
* `accept` makes each suggestion an annotation with tag's rules (`new_annotation`: offsets kept as
  suggested, attributes prefilled and checked, origin `suggested`); a span the annotator has tagged
  meanwhile is not tagged twice: the suggestion points at that annotation. A relation suggestion
  accepted makes a relation; its ends that are still suggestions are accepted along.
* `reject` records the decision, and the relation suggestions that named a rejected span go too.

A suggester's running precision per label is accepted / decided over its rows
(`Store.suggestion_precision`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..errors import AnnotatorError, NotFoundError, ValidationError
from ..model import Annotation, Relation, SuggestedRelation, Suggestion
from ..store import Changes, Recorder, Store, new_id, new_op_id, now, suggested_relation_row, suggestion_row
from ..store.codecs import relation_row
from ..suggest import Proposals, SpanProposal, SuggestInput, get_suggester, suggester_names
from ..suggest import span_model
from . import span_models
from .annotations import new_annotation, write_new_annotation
from .result import Done, elide, who


class SuggesterFailed(AnnotatorError):
    """A suggester raised on an article: a bug of that suggester; nothing was stored."""


@dataclass
class Proposed:
    """New suggestion rows for some articles, not stored yet (what `propose` found)."""

    suggestions: list[Suggestion] = field(default_factory=list)
    relations: list[SuggestedRelation] = field(default_factory=list)
    articles: int = 0
    left_out: int = 0  # proposals dropped: suggested before, already tagged, out of range, below --min-confidence


def check_names(names: Iterable[str] | None) -> list[str] | None:
    """The suggester names asked for, refused with the known ones when one is unknown."""
    if names is None:
        return None
    chosen = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    for name in chosen:
        try:
            get_suggester(name)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
    return chosen or None


def propose(
    store: Store, article_ids: Sequence[str], *, annotator: str, names: Iterable[str] | None = None,
    labels: Iterable[str] | None = None, min_confidence: float = 0.0, progress=None,
) -> Proposed:
    """Run the suggesters over the articles and keep what is new (see the module docstring); reads only."""
    annotator = who(annotator)
    chosen = check_names(names)
    if not suggester_names():
        raise ValidationError("no suggesters are installed")
    schema = store.schema
    wanted = None if labels is None else {schema.resolve_label(label) for label in labels} or None
    if not 0.0 <= min_confidence <= 1.0:
        raise ValidationError(f"--min-confidence must be between 0 and 1; got {min_confidence}")
    missing = store.missing_articles(article_ids)
    if missing:
        raise NotFoundError(f"no article with id {sorted(missing)[0]}")
    if chosen is None or span_model.NAME in chosen:
        span_models.ensure_loaded(store)
    accepted = tuple(store.accepted_pairs())
    found = Proposed()
    for i, article_id in enumerate(article_ids):
        article = store.get_article(article_id)
        source = SuggestInput(article.text, article.blocks, schema, accepted, (article.language or "en")[:2].lower())
        try:
            proposals = _run(source, chosen)
        except AnnotatorError:
            raise
        except Exception as exc:  # a suggester's bug: name it, store nothing
            raise SuggesterFailed(f"a suggester failed on article {article_id} ({exc}); nothing was stored") from None
        _keep_new(store, article.id, article.text, proposals, annotator, wanted, min_confidence, found)
        found.articles += 1
        if progress is not None:
            progress(i + 1, len(article_ids))
    return found


def _run(source: SuggestInput, names: list[str] | None) -> Proposals:
    """Every chosen suggester's proposals for one article (labels are checked by `_keep_new`)."""
    found = Proposals()
    for name in names or suggester_names():
        found.extend(get_suggester(name).suggest(source))
    return found


def _keep_new(store: Store, article_id: str, text: str, proposals: Proposals, annotator: str,
              labels: set[str] | None, min_confidence: float, found: Proposed) -> None:
    schema = store.schema
    before = store.suggestion_keys(article_id)
    tagged = store.live_span_keys(article_id, annotator)
    known = set(schema.names)
    best: dict[tuple[int, int, str], SpanProposal] = {}
    for p in proposals.spans:
        fits = (type(p.start) is int and type(p.end) is int and 0 <= p.start < p.end <= len(text)
                and text[p.start:p.end].strip() and isinstance(p.confidence, (int, float))
                and p.confidence >= min_confidence
                and p.label in known and (labels is None or p.label in labels))
        if not fits or p.key in before or p.key in tagged:
            found.left_out += 1
            continue
        kept = best.get(p.key)
        if kept is not None:
            found.left_out += 1
            if kept.confidence >= p.confidence:
                continue
        best[p.key] = p
    stamp = now()
    ids: dict[tuple[int, int, str], str] = {}
    for key, p in sorted(best.items()):
        suggestion = Suggestion(
            id=new_op_id(), article_id=article_id, start=p.start, end=p.end, label=p.label, suggester=p.suggester,
            version=str(p.version), confidence=min(1.0, max(0.0, float(p.confidence))), created=stamp,
            attributes=schema.attributes_that_fit(p.label, dict(p.attributes)),
        )
        found.suggestions.append(suggestion)
        ids[key] = suggestion.id
    if not proposals.relations:
        return
    states = {s.id: s for s in store.suggestions_for(article_id, states=None)}
    seen = store.suggested_relation_keys(article_id)

    def end_id(key) -> tuple[str, str] | None:  # (id, label) of a relation's end
        if key in ids:
            return ids[key], key[2]
        if key in tagged:
            return tagged[key], key[2]
        earlier = states.get(before.get(key, ""))
        if earlier is None or earlier.state == "rejected":
            return None
        if earlier.state == "accepted" and earlier.annotation_id:
            return earlier.annotation_id, key[2]
        return earlier.id, key[2]

    for r in proposals.relations:
        head, tail = end_id(tuple(r.head)), end_id(tuple(r.tail))
        if head is None or tail is None or head[0] == tail[0] or r.type not in {t.name for t in schema.relations}:
            continue
        kind = schema.relation_type(r.type)
        if not (kind.allows_head(head[1]) and kind.allows_tail(tail[1])) or (head[0], tail[0], r.type) in seen:
            continue
        seen.add((head[0], tail[0], r.type))
        found.relations.append(SuggestedRelation(
            id=new_op_id(), article_id=article_id, head=head[0], tail=tail[0], type=r.type, suggester=r.suggester,
            version=str(r.version), confidence=min(1.0, max(0.0, float(r.confidence))), created=stamp))


def store_proposed(store: Store, proposed: Proposed, *, annotator: str, article_id: str | None = None) -> Done[list[Suggestion]]:
    """Store what `propose` found, as one operation (nothing written, and no entry, when it is empty).
    A span suggested or tagged meanwhile (the window proposes in a worker) is left out, not an error."""
    annotator = who(annotator)
    if not proposed.suggestions and not proposed.relations:
        return Done([], Changes())
    n = len(proposed.suggestions)
    kept: list[Suggestion] = []
    with store.operation("suggest", annotator, article_id=article_id, title="suggest",
                         summary=f"suggest {n} span{'' if n == 1 else 's'}") as op:
        taken: dict[str, tuple[dict, dict]] = {}
        for s in proposed.suggestions:
            if s.article_id not in taken:
                taken[s.article_id] = (store.suggestion_keys(s.article_id), store.live_span_keys(s.article_id, annotator))
            suggested, tagged = taken[s.article_id]
            if s.key in suggested or s.key in tagged:  # suggested or tagged since `propose` read the project
                continue
            op.insert("suggestions", suggestion_row(s))
            kept.append(s)
        stored = {s.id for s in kept}
        left_out = {s.id for s in proposed.suggestions} - stored
        for r in proposed.relations:
            if r.head not in left_out and r.tail not in left_out:
                op.insert("suggestion_relations", suggested_relation_row(r))
    return Done(kept, op.changes)


def suggest(
    store: Store, article_ids: Sequence[str], *, annotator: str, names: Iterable[str] | None = None,
    labels: Iterable[str] | None = None, min_confidence: float = 0.0, progress=None,
) -> Done[list[Suggestion]]:
    """Suggest spans for the articles and store the new ones as open suggestions (one operation)."""
    proposed = propose(store, article_ids, annotator=annotator, names=names, labels=labels,
                       min_confidence=min_confidence, progress=progress)
    return store_proposed(store, proposed, annotator=annotator,
                          article_id=article_ids[0] if len(article_ids) == 1 else None)


# -- deciding ---------------------------------------------------------------------------------------


@dataclass
class Accepted:
    annotations: list[Annotation] = field(default_factory=list)  # made (or found already tagged)
    relations: list[Relation] = field(default_factory=list)


def _chosen(store: Store, ids: Iterable[str]) -> tuple[list[Suggestion], list[SuggestedRelation]]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ValidationError("no suggestion given")
    spans = store.suggestions_by_id(ids)
    relations = store.suggested_relations_by_id([i for i in ids if i not in spans])
    for i in ids:
        if i not in spans and i not in relations:
            raise NotFoundError(f"no suggestion with id {i}")
        found = spans.get(i) or relations[i]
        if found.state != "open":
            raise ValidationError(f"suggestion {i[:13]} is already {found.state}; nothing was changed")
    return [spans[i] for i in ids if i in spans], [relations[i] for i in ids if i in relations]


def _article_of(items: Sequence[Suggestion | SuggestedRelation]) -> str | None:
    articles = {s.article_id for s in items}
    return articles.pop() if len(articles) == 1 else None


def accept(store: Store, ids: Iterable[str], *, annotator: str) -> Done[Accepted]:
    """Accept suggestions (span or relation ids): annotations and relations of `annotator`, one operation."""
    annotator = who(annotator)
    spans, relations = _chosen(store, ids)
    # the span ends of the relations accepted that are still open suggestions come along
    pending = {s.id for s in spans}
    ends = store.suggestions_by_id({e for r in relations for e in (r.head, r.tail)})
    spans += [s for s in ends.values() if s.state == "open" and s.id not in pending]
    everything: list = [*spans, *relations]
    article_id = _article_of(everything)
    title = _title("accept", spans, relations)
    result = Accepted()
    stamp = now()
    with store.operation("accept suggestions", annotator, article_id=article_id, title=title,
                         summary=title + _quoted(store, spans)) as op:
        made: dict[str, Annotation] = {}
        for s in spans:
            annotation = _accept_span(store, op, s, annotator, stamp)
            made[s.id] = annotation
            result.annotations.append(annotation)
        for r in relations:
            result.relations.append(_accept_relation(store, op, r, made, annotator, stamp))
    return Done(result, op.changes)


def accept_article(store: Store, article_id: str, *, annotator: str) -> Done[Accepted]:
    """Accept every open suggestion of an article: one operation, one undo step."""
    spans = [s.id for s in store.suggestions_for(article_id)]
    relations = [r.id for r in store.suggested_relations_for(article_id)]
    if not spans and not relations:
        raise ValidationError(f"article {article_id} has no open suggestions")
    return accept(store, spans + relations, annotator=annotator)


def _accept_span(store: Store, op: Recorder, s: Suggestion, annotator: str, stamp: str) -> Annotation:
    annotation = new_annotation(store, s.article_id, s.start, s.end, s.label, annotator=annotator, exact=True,
                                attributes=dict(s.attributes) or None, origin="suggested")
    existing = store.live_duplicate(s.article_id, annotation.start, annotation.end, annotation.label, annotator)
    if existing is not None:
        annotation = store.get_annotation(existing)
    else:
        write_new_annotation(store, op, annotation)
    op.update("suggestions", s.id, {"state": "accepted", "decided_by": annotator, "decided_at": stamp,
                                    "annotation_id": annotation.id})
    return annotation


def _accept_relation(store: Store, op: Recorder, r: SuggestedRelation, made: dict[str, Annotation], annotator: str,
                     stamp: str) -> Relation:
    head, tail = (_end(store, e, made) for e in (r.head, r.tail))
    store.schema.relation_type(r.type).check_ends(head.label, tail.label, head.id[:8], tail.id[:8])
    relation = next((x for x in store.live_relations_of(head.id) if (x.head, x.tail, x.type) == (head.id, tail.id, r.type)),
                    None)
    if relation is None:
        relation = Relation(new_id(), r.article_id, head.id, tail.id, r.type, annotator, stamp, stamp)
        op.insert("relations", relation_row(relation))
    op.update("suggestion_relations", r.id, {"state": "accepted", "decided_by": annotator, "decided_at": stamp,
                                             "relation_id": relation.id})
    return relation


def standing_links(store: Store, links: Sequence[SuggestedRelation]) -> list[SuggestedRelation]:
    """`links` with each end as it stands now, for showing them: an end that was a suggestion
    accepted since is its annotation (what `accept` links); other ends are left as they are."""
    ends = store.suggestions_by_id({end for r in links for end in (r.head, r.tail)})

    def standing(end: str) -> str:
        found = ends.get(end)
        return found.annotation_id if found is not None and found.state == "accepted" and found.annotation_id else end

    return [replace(r, head=standing(r.head), tail=standing(r.tail)) for r in links]


def _end(store: Store, end: str, made: dict[str, Annotation]) -> Annotation:
    """The annotation a relation suggestion's end stands for (accepted in this operation, or earlier)."""
    if end in made:
        return made[end]
    suggestion = store.suggestions_by_id([end]).get(end)
    if suggestion is not None:
        if suggestion.state != "accepted" or not suggestion.annotation_id:
            raise ValidationError(f"the relation's end {end[:13]} was {suggestion.state}; nothing was changed")
        end = suggestion.annotation_id
    annotation = store.annotations_by_id([end]).get(end)
    if annotation is None or annotation.deleted:
        raise ValidationError(f"the relation's end {end[:8]} is no longer annotated; nothing was changed")
    return annotation


def reject(store: Store, ids: Iterable[str], *, annotator: str) -> Done[list[str]]:
    """Reject suggestions: remembered (never suggested again), one operation; the value is every id
    rejected, with the relation suggestions that named a rejected span."""
    annotator = who(annotator)
    spans, relations = _chosen(store, ids)
    rejected = {s.id for s in spans}
    for article in {s.article_id for s in spans}:
        relations += [r for r in store.suggested_relations_for(article)
                      if (r.head in rejected or r.tail in rejected) and r not in relations]
    everything: list = [*spans, *relations]
    title = _title("reject", spans, relations)
    stamp = now()
    values = {"state": "rejected", "decided_by": annotator, "decided_at": stamp}
    with store.operation("reject suggestions", annotator, article_id=_article_of(everything), title=title,
                         summary=title + _quoted(store, spans)) as op:
        op.update_many("suggestions", [(s.id, values) for s in spans])
        op.update_many("suggestion_relations", [(r.id, values) for r in relations])
    return Done([x.id for x in everything], op.changes)


def _title(verb: str, spans: Sequence[Suggestion], relations: Sequence[SuggestedRelation]) -> str:
    """ "accept SOURCE suggestion", "reject 3 suggestions": the spans decided (relations go along)."""
    if len(spans) == 1:
        return f"{verb} {spans[0].label} suggestion"
    if spans:
        return f"{verb} {len(spans)} suggestions"
    return f"{verb} {len(relations)} suggested relation{'' if len(relations) == 1 else 's'}"


def _quoted(store: Store, spans: Sequence[Suggestion]) -> str:
    if len(spans) != 1:
        return ""
    return f" “{elide(quote(store, spans[0]))}”"


def quote(store: Store, s: Suggestion) -> str:
    """The text a suggestion covers."""
    excerpt = store.text_excerpt(s.article_id, s.start, s.end)
    return excerpt.text[s.start - excerpt.offset : s.end - excerpt.offset]
