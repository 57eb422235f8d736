from suggest.suggest_helpers import article, proposals, spans


def test_caption_with_its_credit_block_is_one_span_and_the_credit_is_filled():
    art = article(
        ("headline", "Summit ends"),
        ("image_alt", "Kim Jong Un and Vladimir Putin"),
        ("caption", "😀 Putin greets Kim in Vladivostok, Russia."),
        ("credit", "(Mikhail Svetlov/Getty Images)"),
        ("paragraph", "The talks ended on Friday."),
    )
    found = proposals(art, "captions")
    assert [(s.label, art.text[s.start : s.end]) for s in found.spans] == [
        ("CAPTION", "😀 Putin greets Kim in Vladivostok, Russia.\n(Mikhail Svetlov/Getty Images)")
    ]
    assert found.spans[0].start == art.text.index("😀")
    assert found.spans[0].attributes == {"credit": "Mikhail Svetlov/Getty Images"}
    assert (found.spans[0].suggester, found.spans[0].version) == ("captions", "1")


def test_caption_without_credit_leaves_out_its_full_stop_and_alt_lines_are_never_captions():
    art = article(("image_alt", "A crane"), ("caption", "Pilgrims at the Grand Mosque in 2008."), ("paragraph", "A crane fell."))
    assert spans(art, "captions") == [("CAPTION", "Pilgrims at the Grand Mosque in 2008")]
    found = proposals(art, "captions")
    assert found.spans[0].attributes == {}


def test_a_credit_inside_the_caption_text_fills_the_attribute():
    art = article(("caption", "Rescuers search the rubble in Antakya. Photo: Jane Doe/Reuters."))
    found = proposals(art, "captions")
    assert [art.text[s.start : s.end] for s in found.spans] == ["Rescuers search the rubble in Antakya. Photo: Jane Doe/Reuters"]
    assert found.spans[0].attributes == {"credit": "Photo: Jane Doe/Reuters"}


def test_a_credit_alone_under_a_picture_is_a_caption_whose_credit_is_the_whole_span():
    art = article(("paragraph", "Text."), ("credit", "Photo: AP"))
    found = proposals(art, "captions")
    assert [art.text[s.start : s.end] for s in found.spans] == ["Photo: AP"]
    assert found.spans[0].attributes == {"credit": "Photo: AP"}
