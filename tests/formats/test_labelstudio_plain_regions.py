"""The Label Studio reader takes most regions by a short path (`_plain_span`); for every region it
takes, the record is exactly the one the full reading (`_region_spans`) makes."""

from __future__ import annotations

from hypothesis import event, given, strategies as st

from annotator.formats import labelstudio

TEXT = "😀 The minister said 🇺🇦 prices rose, officials said."


_CHANGES = [
    ("value", "start", -1), ("value", "end", len(TEXT) + 2), ("value", "text", "other"), ("value", "text", None),
    ("value", "labels", ["CLAIM", "SOURCE"]), ("value", "labels", [3]), ("value", "labels", []),
    ("value", "hypertext", 1), ("region", "id", None), ("region", "from_name", "labels2"),
    ("region", "to_name", "body"), ("region", "origin", "prediction"), ("region", "meta", {"text": ["a note"]}),
    ("region", labelstudio.EXTRA, {"annotator": "ana"}), ("region", "score", 0.5),
]


@st.composite
def regions(draw) -> dict:
    """A region as Label Studio writes it, then perhaps one thing about it otherwise."""
    start = draw(st.integers(0, len(TEXT) - 1))
    end = draw(st.integers(start, len(TEXT)))
    value = {"start": start, "end": end, "text": TEXT[start:end], "labels": [draw(st.sampled_from(["CLAIM", "SOURCE"]))]}
    region: dict = {"id": draw(st.sampled_from(["F-m5Jh49n5", 7])), "type": "labels", "value": value}
    for name, default in (("from_name", "label"), ("to_name", "text"), ("origin", "manual")):
        if draw(st.booleans()):
            region[name] = default
    for where, key, changed in draw(st.lists(st.sampled_from(_CHANGES), max_size=2)):
        target = value if where == "value" else region
        if changed is None:
            target.pop(key, None)
        else:
            target[key] = changed
    return region


@given(regions(), st.sampled_from(["codepoint", "utf16"]), st.one_of(st.none(), st.just("ana")))
def test_a_region_read_by_the_short_path_is_the_record_of_the_full_reading(region, units, annotator):
    plain = labelstudio._plain_span(region, TEXT, 0, "1", annotator, units, 4)
    event("short path" if plain is not None else "full reading")
    if plain is None:
        return
    assert [plain] == labelstudio._region_spans(region, TEXT, 0, "1", annotator, units, "f.json", 4, " in result 1")


def test_the_regions_label_studio_writes_take_the_short_path():
    start = TEXT.index("minister")
    region = {"id": "F-m5Jh49n5", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
              "value": {"start": start, "end": start + 8, "text": "minister", "labels": ["SOURCE"]}}
    assert labelstudio._plain_span(region, TEXT, 0, "1", None, "codepoint", 2) is not None
