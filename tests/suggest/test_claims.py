from suggest.suggest_helpers import article, proposals, spans


def claims(*paragraphs: str) -> list[str]:
    return [quote for _, quote in spans(article(*[("paragraph", p) for p in paragraphs]), "claims")]


def test_attributed_content_without_source_cue_and_full_stop():
    assert claims("Police said three people were arrested.") == ["three people were arrested"]
    assert claims("Three people were arrested, police said.") == ["Three people were arrested"]
    assert claims("According to the ministry, exports fell 4% in May.") == ["exports fell 4% in May"]
    assert claims('"Exports fell in May," the minister said.') == ["Exports fell in May"]


def test_nested_attribution_gives_the_innermost_content_linked_to_every_source_of_the_chain():
    art = article(("paragraph", "Lawmaker Yoo Sang-bum told the media that the National Intelligence Service found "
                                "officials were hoarding medications, according to a report from The Korea Herald."))
    found = proposals(art, "claims")
    assert [art.text[s.start : s.end] for s in found.spans] == ["officials were hoarding medications"]
    tails = sorted(art.text[r.tail[0] : r.tail[1]] for r in found.relations)
    assert tails == ["National Intelligence Service", "The Korea Herald", "Yoo Sang-bum"]
    assert {r.type for r in found.relations} == {"attributed_to"}
    assert all(r.head == found.spans[0].key and r.tail[2] == "SOURCE" for r in found.relations)
    sources = {(s.start, s.end) for s in proposals(art, "sources").spans}
    assert {(r.tail[0], r.tail[1]) for r in found.relations} <= sources  # the relation ends are the sources' spans


def test_a_clause_with_its_own_source_is_cut_off():
    got = claims('The message was reportedly sent on Russia Day, which Secretary Antony Blinken has described '
                 'as a holiday that "marks the first free elections."')
    assert got[0] == "The message was reportedly sent on Russia Day"


def test_plain_statements_questions_and_wishes():
    assert claims("🇺🇦 Inflation rose to 7.9% in March.") == ["🇺🇦 Inflation rose to 7.9% in March"]
    assert claims("Will the plant close?") == []
    assert claims("Kim Jong Un says he wants to strengthen ties with Putin.") == []


def test_attributes_kind_and_treatment():
    art = article(("paragraph", "Police said 40 people were hurt. The plant will close by 2026 under the plan."))
    got = {art.text[s.start : s.end]: s.attributes for s in proposals(art, "claims").spans}
    assert got["40 people were hurt"] == {"kind": "statistic", "treatment": "reports"}
    assert got["The plant will close by 2026 under the plan"]["treatment"] == "asserts"


def test_an_emoji_before_the_span_keeps_code_point_offsets():
    art = article(("headline", "Storm hits coast"), ("paragraph", "📈😀 Officials said the river rose two metres overnight."))
    found = proposals(art, "claims")
    claim = next(s for s in found.spans if art.text[s.start : s.end] == "the river rose two metres overnight")
    assert claim.start == art.text.index("the river")
