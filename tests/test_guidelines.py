"""Guideline texts in the label schema: parsed, checked, written back exactly, and docs/guidelines.md."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotator.errors import ValidationError
from annotator.guidelines import first_paragraph, guidelines_markdown, label_markdown, label_summary
from annotator.schema import default_schema, parse_schema, renamed_label, schema_to_toml, without_labels

REPO = Path(__file__).resolve().parents[1]
OLD_DEFAULT = Path(__file__).parent / "schema_fixtures" / "default_schema_0.1.toml"

SCHEMA = '''
guideline = """General rules."""

[[labels]]
name = "A"
color = "#000000"
guideline = "Tag *A*."

  [[labels.attributes]]
  name = "pick"
  type = "choice"
  values = ["x", "y"]
  guideline = "Pick one."
  [labels.attributes.value_guidelines]
  y = "Why y."
  x = "Why x."

  [[labels.attributes]]
  name = "flag"
  type = "bool"
  value_guidelines = { no = "When not." }

[[relations]]
name = "r"
head = ["A"]
guideline = "Link it."
'''


def test_docs_guidelines_md_is_made_from_the_default_schema():
    expected = guidelines_markdown(default_schema())
    actual = (REPO / "docs" / "guidelines.md").read_text("utf-8")
    assert actual == expected, "docs/guidelines.md is stale: run `python -m annotator.guidelines > docs/guidelines.md`"


def test_every_default_label_attribute_and_value_has_a_guideline():
    schema = default_schema()
    assert schema.guideline.strip()
    for label in schema.labels:
        assert len(label.guideline) > 500, label.name
        for spec in label.attributes:
            assert spec.guideline.strip(), f"{label.name}.{spec.name}"
            assert [value for value, _ in spec.value_guidelines] == list(spec.values), f"{label.name}.{spec.name}"
    assert all(r.guideline.strip() for r in schema.relations)


def test_guidelines_are_parsed_per_label_attribute_value_and_relation():
    schema = parse_schema(SCHEMA)
    label = schema.label("A")
    assert schema.guideline == "General rules."
    assert label.guideline == "Tag *A*."
    pick, flag = label.attributes
    assert pick.guideline == "Pick one."
    assert pick.value_guidelines == (("x", "Why x."), ("y", "Why y."))  # in the order of the values
    assert pick.value_guideline("y") == "Why y." and pick.value_guideline("z") == ""
    assert flag.value_guidelines == (("no", "When not."),)
    assert schema.relation_type("r").guideline == "Link it."


def test_the_default_schema_round_trips_through_toml_exactly():
    schema = default_schema()
    text = schema_to_toml(schema)
    assert parse_schema(text) == schema
    assert schema_to_toml(parse_schema(text)) == text


guideline_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=200, deadline=None)
@given(general=guideline_text, label=guideline_text, attribute=guideline_text, value=guideline_text, relation=guideline_text)
@example(general="a\r\nb", label="\r", attribute="'''", value='"""', relation="\\")
def test_any_guideline_text_round_trips_exactly(general, label, attribute, value, relation):
    """Quotes, triple quotes, backslashes, CR, tabs, control characters, non-BMP characters: all kept."""
    base = parse_schema(SCHEMA)
    a = base.label("A")
    pick = replace(a.attributes[0], guideline=attribute, value_guidelines=(("x", value),))
    schema = replace(
        base,
        guideline=general,
        labels=(replace(a, guideline=label, attributes=(pick, a.attributes[1])),),
        relations=(replace(base.relations[0], guideline=relation),),
    )
    assert parse_schema(schema_to_toml(schema)) == schema


def test_a_schema_from_before_guidelines_still_loads():
    schema = parse_schema(OLD_DEFAULT.read_text("utf-8"), str(OLD_DEFAULT))
    assert schema.names == ["CLAIM", "SOURCE", "CAPTION"]
    assert schema.guideline == "" and all(label.guideline == "" for label in schema.labels)
    assert "guideline" not in schema_to_toml(schema).split("\n\n", 1)[1]  # nothing empty is written


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('guideline = 3\n[[labels]]\nname = "A"\ncolor = "#000000"', "the schema's guideline must be text (a TOML string); got int"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\nguideline = ["x"]', "the guideline of A must be text (a TOML string); got list"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "k"\ntype = "choice"\nvalues = ["x"]\n'
         '[labels.attributes.value_guidelines]\nz = "?"', "A.k.value_guidelines names value 'z'; expected one of x"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "t"\n'
         'value_guidelines = { a = "?" }', "A.t.value_guidelines names value 'a'; expected none (a text attribute has no values)"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "k"\ntype = "bool"\n'
         'value_guidelines = { yes = 1 }', "the guideline of A.k = yes must be text; got int"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "k"\ntype = "bool"\n'
         'value_guidelines = "yes"', "A.k.value_guidelines must be a table of value = text"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[relations]]\nname = "r"\nguideline = false',
         "the guideline of relation r must be text (a TOML string); got bool"),
    ],
)
def test_guideline_mistakes_get_specific_messages(toml, message):
    with pytest.raises(ValidationError) as caught:
        parse_schema(toml, "team.toml")
    assert str(caught.value) == f"team.toml: {message}"


def test_renaming_or_removing_a_label_keeps_the_guidelines():
    schema = default_schema()
    renamed = renamed_label(schema, "CAPTION", "PHOTO")
    assert renamed.guideline == schema.guideline
    assert renamed.label("PHOTO").guideline == schema.label("CAPTION").guideline
    assert without_labels(schema, {"CAPTION"}).guideline == schema.guideline


def test_label_markdown_puts_the_guideline_headings_below_the_label_heading():
    claim = default_schema().label("CLAIM")
    text = label_markdown(claim, level=1)
    assert text.startswith("# CLAIM\n")
    assert "\n## The span\n" in text and "\n## Attributes of CLAIM\n" in text and "\n### checkworthy (yes / no / unsure)\n" in text
    assert "- **statistic**: The claim stands or falls with a number" in text


def test_the_tooltip_summary_is_the_description_and_the_first_paragraph():
    source = default_schema().label("SOURCE")
    summary = label_summary(source)
    assert summary.startswith("**SOURCE**: Who says or is credited")
    assert "every SOURCE is the end of at least one link." in summary
    assert "### " not in summary and "never a pronoun" not in summary
    assert first_paragraph("### Heading\ntext") == ""
    assert first_paragraph("one\ntwo\n\nthree") == "one two"
