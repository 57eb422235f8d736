import pytest

from suggest.suggest_helpers import article, proposals, spans


def sources(text: str) -> list[str]:
    return [quote for _, quote in spans(article(("paragraph", text)), "sources")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Three people were arrested, police said.", ["police"]),
        ("Police said three people were arrested on Monday.", ["Police"]),
        ("According to North Korean state media, Kim sent a message to Putin.", ["North Korean state media"]),
        ("Kim sent a message to Putin, according to a report from The Korea Herald.", ["The Korea Herald"]),
        ("U.S. Secretary of State Antony Blinken has previously described the holiday as a step.", ["Antony Blinken"]),
        ("South Korean lawmaker Yoo Sang-bum told the media that the talks had failed.", ["Yoo Sang-bum"]),
        ("Major general Fuad Basya, spokesman for the Indonesian military, said a warship was deployed.", ["Fuad Basya"]),
        ('"Two men were arrested," said Jane Doe.', ["Jane Doe"]),
        ("A senior US official said the sanctions had been lifted.", ["senior US official"]),
        ("The death toll rose to 40 (Reuters).", ["Reuters"]),
        ("Meanwhile, South Korea's intelligence service believes Kim could be ill.", ["South Korea's intelligence service"]),
        ("Both the Irving School District and the Irving Police Department have asserted that the boy was not a suspect.",
         ["Irving Police Department", "Irving School District"]),
        ("Institutional recipients, said Mauer, are required to exhibit the photographs every ten years.", ["Mauer"]),
        ("According to Yonhap news agency, the military has been placed on high alert.", ["Yonhap"]),
        ("Claudio De Vincenti, undersecretary to the prime minister, said the talks will open in May.", ["Claudio De Vincenti"]),
    ],
)
def test_the_source_is_the_shortest_name_or_role_phrase(text, expected):
    assert sorted(sources(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "He said three people were arrested.",  # a pronoun is never a source
        "WASHINGTON (Reuters) - The Senate passed the bill.",  # the dateline agency is the author
        "Kim Jong Un says he wants to strengthen ties with Putin.",  # a wish is no claim: no source for it
        "The team had to travel to the United States twice.",  # "States" is no cue
        "Malaysia and Indonesia have maintained a policy of turning boats away.",
        "The Korean Central News Agency (KCNA) is based in Pyongyang.",  # an abbreviation, not a citation
        "Had it happened an hour later it would have been much worse, an editor said.",  # a counterfactual
    ],
)
def test_no_source(text):
    assert sources(text) == []


def test_offsets_after_an_emoji_and_the_type_attribute():
    art = article(("paragraph", "👍🏽 Fans cheered. According to Reuters, the club was sold for $10 million."))
    found = proposals(art, "sources")
    assert [(art.text[s.start : s.end], s.attributes) for s in found.spans] == [("Reuters", {"type": "news outlet"})]
    assert found.spans[0].start == art.text.index("Reuters")


def test_types_the_rules_know():
    art = article(
        ("paragraph", "According to the Korean Central News Agency, the launch succeeded. "
                      "People familiar with the matter said the deal was signed. Police said two men were held.")
    )
    got = {art.text[s.start : s.end]: s.attributes.get("type") for s in proposals(art, "sources").spans}
    assert got == {"Korean Central News Agency": "state media", "People familiar with the matter": "anonymous", "Police": "official"}


def test_bylines_bios_and_captions_are_not_read():
    art = article(("byline", "By Greg Norman | Fox News"), ("caption", "Police said the man fled. (AP)"),
                  ("bio", "Greg Norman said he is a reporter at Fox News Digital."))
    assert spans(art, "sources") == []
