"""The annotation codecs read a row as it is when every value has its column's type, and go the
checked way otherwise: the same annotation, the same defaults, the same message naming the column."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from annotator.cli import main
from annotator.model import build_article
from annotator.store import RowError, Store
from annotator.store.codecs import (
    ANNOTATION_COLUMNS,
    BRIEF_COLUMNS,
    annotation_brief,
    annotation_from_row,
    annotation_from_values,
    brief_from_values,
    foreign_json,
)
import support

GOOD = ("a1", "art", 3, 9, "CLAIM", "quoted", "pre", "suf", '{"kind": "quote"}', "a note", "ana",
        "2025-01-01T00:00:00.000Z", "2025-01-02T00:00:00.000Z", "manual", 0, "{}")


def _brief_values(values: tuple) -> tuple:
    row = dict(zip(ANNOTATION_COLUMNS, values))
    return tuple(row[c] for c in BRIEF_COLUMNS)


def test_a_well_typed_row_reads_as_the_checked_path_reads_it():
    checked = annotation_from_row(dict(zip(ANNOTATION_COLUMNS, GOOD)))
    assert annotation_from_values(GOOD) == checked
    assert brief_from_values(_brief_values(GOOD)) == annotation_brief(checked)
    empty = GOOD[:8] + ("{}",) + GOOD[9:]
    assert annotation_from_values(empty).attributes == {}
    foreign = GOOD[:-1] + ('{"labelstudio": {"id": 7}}',)
    assert annotation_from_values(foreign).foreign == {"labelstudio": {"id": 7}}


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("start", "3", "column start is str, not a whole number"),
        ("end", True, "column end is bool, not a whole number"),
        ("quote", 5, "column quote is int, not text"),
        ("attributes", "[1]", "column attributes holds a list, not a dict"),
        ("attributes", "{oops", "column attributes is not valid JSON"),
        ("label", b"CLAIM", "column label is bytes, not text"),
    ],
)
def test_a_wrong_value_is_named_with_its_row_and_column(column, value, message):
    values = list(GOOD)
    values[ANNOTATION_COLUMNS.index(column)] = value
    with pytest.raises(RowError, match=f"^annotations row a1: {message}$"):
        annotation_from_values(tuple(values))
    if column in BRIEF_COLUMNS:
        with pytest.raises(RowError, match=f"^annotations row a1: {message}$"):
            brief_from_values(_brief_values(tuple(values)))


def test_null_text_columns_read_as_their_defaults():
    values = list(GOOD)
    for column in ("note", "prefix"):
        values[ANNOTATION_COLUMNS.index(column)] = None
    values[ANNOTATION_COLUMNS.index("origin")] = None
    read = annotation_from_values(tuple(values))
    assert (read.note, read.prefix, read.origin) == ("", "", "manual")
    assert brief_from_values(_brief_values(tuple(values)))["note"] == ""


def test_show_json_of_a_damaged_row_says_which_row_and_column(tmp_path):
    path = tmp_path / "p.annotator"
    article = build_article([("paragraph", "Officials said prices rose.")])
    with Store.open(path) as store:
        support.add_article(store, article)
        made = support.tag(store, article.id, 0, 9, "CLAIM")
        store.conn.execute("UPDATE annotations SET start = 'zero' WHERE id = ?", (made.id,))
    result = CliRunner().invoke(main, ["--project", str(path), "show", article.id, "--json"])
    assert result.exit_code == 1
    assert f"annotations row {made.id}: column start is str, not a whole number" in result.output


def test_show_json_writes_the_text_in_chunks_that_join_up(tmp_path, monkeypatch):
    import json

    from annotator.cli import articles

    monkeypatch.setattr(articles, "TEXT_CHUNK", 3)
    path = tmp_path / "p.annotator"
    article = build_article([("headline", 'He said "no" \\ then 😀👍🏽 left'), ("paragraph", "tab\there, bell\x07, end")])
    with Store.open(path) as store:
        support.add_article(store, article)
        support.tag(store, article.id, 0, 7, "CLAIM")
    result = CliRunner().invoke(main, ["--project", str(path), "show", article.id, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["text"] == article.text
    assert [b["text"] for b in shown["blocks"]] == [article.block_text(b) for b in article.blocks]
    assert [a["quote"] for a in shown["annotations"]] == ["He said"]


_texts = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"\\\n\t\x00😀'), max_size=8)
_keys = _texts | st.integers(0, 3)
_payloads = st.dictionaries(_keys, _texts | st.integers() | st.dictionaries(_keys, _texts | st.booleans(), max_size=4)
                            | st.lists(_texts, max_size=2), max_size=4)


@given(_payloads)
def test_the_foreign_column_is_the_json_the_project_always_stored(payload):
    """codecs.foreign_json writes the common payloads itself: the very text of the stored encoding
    (and refuses what it refuses: keys of mixed types cannot be sorted)."""
    try:
        expected = json.dumps(payload, ensure_ascii=False, sort_keys=True) if payload else "{}"
    except TypeError:
        with pytest.raises(TypeError):
            foreign_json(payload)
        return
    assert foreign_json(payload) == expected
