"""Schema editing in the core: TOML round trip, checks, renames, removals and their undo, credits, notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import ValidationError
from annotator.model import build_article
from annotator.prefill import photo_credit, prefill_attributes
from annotator.schema import (
    LabelSchema,
    checked_schema,
    default_schema,
    default_schema_text,
    parse_schema,
    renamed_label,
    schema_to_toml,
    without_labels,
)
from annotator import operations as ops
from annotator.operations import SchemaInUseError
from annotator.store import Store
import support

CUSTOM = """
[[labels]]
name = "EVENT"
color = "#0072b2"
hotkey = "e"
description = "Something that happened"

  [[labels.attributes]]
  name = "confirmed"
  type = "bool"
  description = "Confirmed by a second source"

  [[labels.attributes]]
  name = "place"
  type = "text"

  [[labels.attributes]]
  name = "scale"
  type = "choice"
  values = ["local", "national", "global"]

[[labels]]
name = "ACTOR"
color = "#D55E00"

[[relations]]
name = "involves"
head = ["EVENT"]
tail = ["ACTOR", "EVENT"]
description = "Who or what took part"

[[relations]]
name = "see_also"
"""

TEXT = "Officials said the dam burst at dawn. (AP Photo/Jane Doe)"


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "p.annotator")
    article = build_article(
        [
            ("paragraph", "Kim said the economy grew 5%, the agency reported."),
            ("caption", "Kim Jong Un visits the agency on May 16, 2023."),
            ("credit", "(Korean Central News Agency/Korea News Service via AP)"),
            ("caption", TEXT),
        ]
    )
    support.add_article(opened, article)
    opened.article = article  # type: ignore[attr-defined]
    yield opened
    opened.close()


def span(store: Store, needle: str) -> tuple[int, int]:
    start = store.article.text.index(needle)  # type: ignore[attr-defined]
    return start, start + len(needle)


def add(store: Store, needle: str, label: str, **kwargs):
    return support.tag(store, store.article.id, *span(store, needle), label, annotator="t", **kwargs)  # type: ignore[attr-defined]


# -- the default schema and the TOML round trip ------------------------------------------------


def test_default_schema_has_the_documented_labels_attributes_and_relations():
    schema = default_schema()
    claim, source, caption = schema.labels
    assert [(a.name, a.type, a.values) for a in claim.attributes] == [
        ("checkworthy", "choice", ("yes", "no", "unsure")),
        ("kind", "choice", ("fact", "statistic", "quote", "prediction", "opinion")),
        ("treatment", "choice", ("asserts", "reports", "disputes")),
    ]
    assert source.attribute("type").values == (
        "named person", "official", "organisation", "state media", "news outlet", "document", "anonymous",
    )
    assert source.attribute("on_record").values == ("yes", "no")
    assert caption.attribute("credit").type == "text"
    assert [(r.name, r.head, r.tail) for r in schema.relations] == [
        ("attributed_to", ("CLAIM",), ("SOURCE",)),
        ("describes", ("CAPTION",), ()),
    ]
    assert all(label.color and label.hotkey and label.description for label in schema.labels)


@pytest.mark.parametrize("text", [default_schema_text(), CUSTOM])
def test_export_then_import_gives_an_equal_schema(text):
    schema = parse_schema(text)
    again = parse_schema(schema_to_toml(schema))
    assert again == schema
    assert schema_to_toml(again) == schema_to_toml(schema)


def test_a_built_schema_is_checked_like_a_file():
    schema = parse_schema(CUSTOM)
    label = schema.labels[1]
    clash = LabelSchema((schema.labels[0], type(label)(label.name, label.color, "e")), schema.relations)
    with pytest.raises(ValidationError, match="duplicate hotkey 'e'"):
        checked_schema(clash)


def test_renamed_label_renames_relation_ends_too():
    schema = renamed_label(parse_schema(CUSTOM), "ACTOR", "PARTY")
    assert schema.names == ["EVENT", "PARTY"]
    assert schema.relation_type("involves").tail == ("PARTY", "EVENT")
    with pytest.raises(ValidationError, match="already a label EVENT"):
        renamed_label(schema, "PARTY", "EVENT")


def test_without_labels_drops_relation_types_left_without_an_end():
    schema = without_labels(default_schema(), {"SOURCE"})
    assert schema.names == ["CLAIM", "CAPTION"]
    assert [r.name for r in schema.relations] == ["describes"]  # attributed_to would mean CLAIM -> any


# -- validation of an imported schema -----------------------------------------------------------


BAD = [
    ('[[labels]]\nname = "A"\ncolor = "#000000"\nhotkey = "1"\n[[labels]]\nname = "B"\ncolor = "#111111"\nhotkey = "1"', "duplicate hotkey '1'"),
    ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "x"\ntype = "number"', "A.x has unknown type 'number'; expected one of choice, text, bool"),
    ('[[labels]]\nname = "A"\ncolor = "orange"', "label A has colour 'orange'; expected #RRGGBB"),
    ('[[labels]]\nname = "A"\ncolor = "#12345"', "expected #RRGGBB"),
    ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "x"\ntype = "choice"', "A.x is a choice with no values"),
    ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[relations]]\nname = "r"\nhead = ["B"]', "relation r names unknown label 'B'"),
    ("labels = [", "not valid TOML"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_a_bad_schema_is_refused_with_a_specific_message_and_changes_nothing(store, text, message):
    before = store.get_meta("schema")
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        ops.change_schema(store, text, annotator="t", origin="mine.toml")
    assert store.get_meta("schema") == before
    assert store.schema == default_schema()


def test_the_message_names_the_file(store):
    with pytest.raises(ValidationError, match=r"^mine\.toml: duplicate hotkey"):
        ops.change_schema(store, BAD[0][0], annotator="t", origin="mine.toml")


# -- usage, rename, removal ---------------------------------------------------------------------


def test_label_usage_counts_live_annotations_only(store):
    add(store, "Kim", "SOURCE")
    gone = add(store, "the agency", "SOURCE")
    add(store, "the economy grew 5%", "CLAIM")
    support.delete(store, gone.id)
    assert store.label_usage("SOURCE") == 1
    assert store.label_usage("CLAIM") == 1
    assert store.label_usage("CAPTION") == 0


def test_rename_label_updates_annotations_schema_and_relation_types(store):
    claim = add(store, "the economy grew 5%", "CLAIM")
    source = add(store, "Kim", "SOURCE")
    deleted = add(store, "the agency", "SOURCE")
    support.delete(store, deleted.id)
    relation = support.relate(store, claim.id, source.id, "attributed_to", annotator="t")
    done = ops.rename_label(store, "SOURCE", "SPEAKER", annotator="t")
    change = done.value
    assert change.renames == {"SOURCE": "SPEAKER"}
    assert store.schema.names == ["CLAIM", "SPEAKER", "CAPTION"]
    assert store.schema.relation_type("attributed_to").tail == ("SPEAKER",)
    assert store.get_annotation(source.id).label == "SPEAKER"
    assert store.get_annotation(source.id).updated > source.updated
    assert store.get_annotation(deleted.id).label == "SPEAKER"  # an undone delete comes back renamed
    assert store.get_annotation(claim.id).label == "CLAIM"
    assert not store.get_relation(relation.id).deleted
    # persisted: a fresh connection reads the renamed schema
    with Store.open(store.path) as again:
        assert again.schema.names == ["CLAIM", "SPEAKER", "CAPTION"]
    # the attributes survive the rename and still validate
    support.update(store, source.id, attributes={"type": "official"})
    with pytest.raises(ops.UndoConflict, match=f"annotation {source.id[:8]} was changed since by tester"):
        ops.undo(store, done.op_id, annotator="t")  # the attribute edit came after the rename
    assert store.schema.names == ["CLAIM", "SPEAKER", "CAPTION"]  # nothing was changed
    ops.undo(store, annotator="tester")  # the attribute edit
    ops.undo(store, done.op_id, annotator="t")
    assert store.schema == default_schema()
    assert store.get_annotation(source.id).label == "SOURCE"


def test_rename_to_an_existing_label_is_refused(store):
    add(store, "Kim", "SOURCE")
    with pytest.raises(ValidationError, match="already a label CLAIM"):
        ops.rename_label(store, "SOURCE", "CLAIM", annotator="t")
    assert store.label_usage("SOURCE") == 1


def test_a_schema_without_a_used_label_is_refused_with_the_count(store):
    add(store, "Kim", "SOURCE")
    add(store, "the agency", "SOURCE")
    add(store, "the economy grew 5%", "CLAIM")
    smaller = without_labels(store.schema, {"SOURCE"})
    with pytest.raises(SchemaInUseError, match=r"has no label SOURCE \(used by 2 annotations\)") as caught:
        ops.change_schema(store, smaller, annotator="t")
    assert caught.value.labels == {"SOURCE": 2}
    assert store.schema == default_schema()
    assert store.label_usage("SOURCE") == 2


def test_force_tombstones_the_annotations_and_relations_and_revert_restores_them(store):
    claim = add(store, "the economy grew 5%", "CLAIM")
    source = add(store, "Kim", "SOURCE")
    relation = support.relate(store, claim.id, source.id, "attributed_to", annotator="t")
    done = ops.change_schema(store, without_labels(store.schema, {"SOURCE"}), annotator="t", force=True)
    change = done.value
    assert change.deleted_annotations == [source.id]
    assert change.deleted_relations == [relation.id]
    assert store.get_annotation(source.id).deleted and store.get_relation(relation.id).deleted
    assert not store.get_annotation(claim.id).deleted
    assert store.schema.names == ["CLAIM", "CAPTION"]
    ops.undo(store, done.op_id, annotator="t")
    assert store.schema == default_schema()
    assert not store.get_annotation(source.id).deleted and not store.get_relation(relation.id).deleted


def test_relations_of_a_dropped_type_need_force_too(store):
    caption = add(store, "Kim Jong Un visits the agency on May 16, 2023.", "CAPTION")
    kim = add(store, "Kim", "SOURCE")
    support.relate(store, caption.id, kim.id, "describes", annotator="t")
    schema = LabelSchema(store.schema.labels, store.schema.relations[:1])
    with pytest.raises(SchemaInUseError, match=r"no relation type describes \(used by 1 relation\)"):
        ops.change_schema(store, schema, annotator="t")
    change = ops.change_schema(store, schema, annotator="t", force=True).value
    assert len(change.deleted_relations) == 1 and change.deleted_annotations == []


def test_renames_in_a_schema_change_can_swap_two_labels(store):
    claim = add(store, "the economy grew 5%", "CLAIM")
    source = add(store, "Kim", "SOURCE")
    swapped = renamed_label(renamed_label(renamed_label(store.schema, "CLAIM", "X"), "SOURCE", "CLAIM"), "X", "SOURCE")
    ops.change_schema(store, swapped, annotator="t", renames={"CLAIM": "SOURCE", "SOURCE": "CLAIM"})
    assert store.get_annotation(claim.id).label == "SOURCE"
    assert store.get_annotation(source.id).label == "CLAIM"


# -- credits and notes --------------------------------------------------------------------------


def test_caption_credit_is_prefilled_from_a_credit_block(store):
    article = store.article  # type: ignore[attr-defined]
    start, _ = span(store, "Kim Jong Un visits")
    _, end = span(store, "via AP)")
    filled = prefill_attributes(store.schema, article, start, end, "CAPTION", {})
    assert filled == {"credit": "Korean Central News Agency/Korea News Service via AP"}
    assert prefill_attributes(store.schema, article, start, end, "CLAIM", {}) == {}
    assert prefill_attributes(store.schema, article, start, end, "CAPTION", {"credit": "mine"}) == {"credit": "mine"}


def test_caption_credit_is_prefilled_from_trailing_parentheses(store):
    article = store.article  # type: ignore[attr-defined]
    assert photo_credit(article, *span(store, TEXT)) == "AP Photo/Jane Doe"
    assert photo_credit(article, *span(store, "Officials said the dam burst at dawn.")) is None
    left = build_article([("caption", "The minister (left) meets her counterpart (left)"), ("caption", "Flood (2019)")])
    assert photo_credit(left, 0, len(left.text.splitlines()[0])) is None
    assert photo_credit(left, left.text.index("Flood"), len(left.text)) is None


def test_search_notes_finds_article_and_annotation_notes(store):
    article_id = store.article.id  # type: ignore[attr-defined]
    other = build_article([("paragraph", "Another text entirely.")])
    support.add_article(store, other)
    assert store.search_notes("yonhap") == set()
    ops.set_article_note(store, article_id, "Compare with YONHAP", annotator="t")
    assert store.search_notes("yonhap") == {article_id}
    annotation = support.tag(store, other.id, 0, 7, "CLAIM", annotator="t", note="Ask the Ministry")
    assert store.search_notes("ministry") == {other.id}
    support.delete(store, annotation.id)
    assert store.search_notes("ministry") == set()
    assert store.search_notes("  ") == set()
    assert store.article_notes() == {article_id: "Compare with YONHAP"}
