import pytest

from annotator.errors import ValidationError
from annotator.schema import default_schema, parse_schema


def test_default_schema_has_the_three_labels_with_hotkeys():
    schema = default_schema()
    assert [(l.name, l.hotkey) for l in schema.labels] == [("CLAIM", "1"), ("SOURCE", "2"), ("CAPTION", "3")]
    assert schema.relation_type("attributed_to").head == ("CLAIM",)
    assert schema.relation_type("attributed_to").tail == ("SOURCE",)
    assert all(label.description for label in schema.labels)


@pytest.mark.parametrize(
    "toml, message",
    [
        ("labels = [", "not valid TOML"),
        ("", "at least one"),
        ('[[labels]]\nname = "A"\ncolor = "red"', "expected #RRGGBB"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\nhotkey = "1"\n[[labels]]\nname = "B"\ncolor = "#111111"\nhotkey = "1"', "duplicate hotkey"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels]]\nname = "A"\ncolor = "#111111"', "duplicate label name"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "x"\ntype = "number"', "unknown type 'number'"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "x"\ntype = "choice"', "no values"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\n[[relations]]\nname = "r"\nhead = ["B"]', "unknown label 'B'"),
        ('[[labels]]\ncolor = "#000000"', "has no name"),
        ('[[labels]]\nname = "A"\ncolor = "#000000"\nhotkey = "12"', "one key"),
    ],
)
def test_schema_mistakes_get_specific_messages(toml, message):
    with pytest.raises(ValidationError, match=message):
        parse_schema(toml)


def test_bool_attributes_accept_yes_and_no():
    schema = parse_schema(
        '[[labels]]\nname = "A"\ncolor = "#000000"\n[[labels.attributes]]\nname = "flag"\ntype = "bool"'
    )
    assert schema.validate_attributes("A", {"flag": "yes"}) == {"flag": True}
    assert schema.validate_attributes("A", {"flag": "no"}) == {"flag": False}
    with pytest.raises(ValidationError, match="yes or no"):
        schema.validate_attributes("A", {"flag": "perhaps"})
