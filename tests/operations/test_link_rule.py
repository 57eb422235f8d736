"""`pair_candidate` is the link candidate rule for one pair: it agrees with `link_candidates`."""

from __future__ import annotations

from annotator import operations as ops
from annotator.operations.relations import pair_candidate
from annotator.model import build_article
from annotator.store import Store
import support


def test_pair_candidate_agrees_with_link_candidates_for_every_pair(tmp_path):
    article = build_article([("paragraph", "Ana said prices rose, Ben said they fell, and Cy said nothing new.")])
    other = build_article([("paragraph", "Elsewhere, Dee said the same.")])
    with Store.open(tmp_path / "p.annotator") as store:
        support.add_articles(store, [article, other])
        made = [support.tag(store, article.id, s, e, label) for s, e, label in (
            (0, 3, "SOURCE"), (4, 20, "CLAIM"), (22, 25, "SOURCE"), (26, 40, "CLAIM"), (46, 48, "CAPTION"))]
        elsewhere = support.tag(store, other.id, 11, 14, "SOURCE")
        support.relate(store, made[1].id, made[0].id)  # a linked pair is no candidate any more
        for source in made:
            listed = {c.other.id: (c.head, c.tail, c.type) for c in ops.link_candidates(store, source.id)}
            for target in [*made, elsewhere]:
                found = pair_candidate(store, source.id, target.id)
                assert (None if found is None else (found.head, found.tail, found.type)) == listed.get(target.id)
        pair = pair_candidate
        assert pair(store, made[1].id, made[0].id) is None  # linked already
        assert pair(store, made[1].id, made[2].id).type == "attributed_to"
        reverse = pair(store, made[0].id, made[3].id)  # a source is offered the claims it can be the source of
        assert (reverse.head, reverse.tail) == (made[3].id, made[0].id)
        assert pair(store, made[1].id, elsewhere.id) is None


def test_the_picker_starts_on_the_sources_own_annotators_span_then_the_nearest(tmp_path):
    article = build_article([("paragraph", "Ana said prices rose, officials said, and Ben agreed.")])
    with Store.open(tmp_path / "p.annotator") as store:
        support.add_article(store, article)
        claim = support.tag(store, article.id, 4, 20, "CLAIM", annotator="maria")
        near_theirs = support.tag(store, article.id, 0, 3, "SOURCE", annotator="ana")
        far_mine = support.tag(store, article.id, 42, 45, "SOURCE", annotator="maria")
        candidates = ops.link_candidates(store, claim.id)
        assert ops.first_candidate(claim, candidates).other.id == far_mine.id
        mine_too = support.tag(store, article.id, 22, 31, "SOURCE", annotator="maria")
        assert ops.first_candidate(claim, ops.link_candidates(store, claim.id)).other.id == mine_too.id
        alone = [c for c in candidates if c.other.id == near_theirs.id]
        assert ops.first_candidate(claim, alone).other.id == near_theirs.id  # a colleague's when there is no other
        assert ops.first_candidate(claim, []) is None
