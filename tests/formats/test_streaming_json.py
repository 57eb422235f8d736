"""The JSON reader streams a top-level array (or concatenated documents) element by element: the
values and their lines are those of reading the whole file, wherever the chunks are cut, and a
file with an error is refused with the same file:line whatever the chunk size."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from annotator.errors import ImportFailed
from annotator.formats import reading
from annotator.formats.reading import json_values

leaves = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                   st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12))
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                      max_leaves=12)


def _write(tmp_path, elements, indent, name="a.json"):
    path = tmp_path / name
    if indent is None:
        text = "[" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in elements) + "]\n"
    else:
        text = json.dumps(elements, ensure_ascii=False, indent=indent) + "\n"
    path.write_text(text, encoding="utf-8")
    return path, text


def _lines_expected(text: str, elements: list) -> list[int]:
    """Where each element starts, found by decoding the whole text (the reader before streaming)."""
    decoder = json.JSONDecoder()
    i = text.index("[") + 1
    lines = []
    for _ in elements:
        while text[i] in " \t\r\n,":
            i += 1
        lines.append(text.count("\n", 0, i) + 1)
        _, i = decoder.raw_decode(text, i)
    return lines


@settings(max_examples=60, deadline=None)
@given(elements=st.lists(values, min_size=1, max_size=8), indent=st.sampled_from([None, 1, 2]),
       chunk=st.integers(1, 64))
def test_a_streamed_array_reads_as_the_whole_file(tmp_path_factory, elements, indent, chunk):
    tmp_path = tmp_path_factory.mktemp("s")
    path, text = _write(tmp_path, elements, indent)
    original = reading.CHUNK_CHARS
    reading.CHUNK_CHARS = chunk
    try:
        read = list(json_values(path))
    finally:
        reading.CHUNK_CHARS = original
    assert [v for _, v, _ in read] == json.loads(text)
    if indent is not None:  # (one element per line with the bracket: the JSON Lines reading, numbered likewise)
        assert [line for line, _, _ in read] == _lines_expected(text, elements)


@pytest.mark.parametrize("chunk", [3, 17, 1 << 20])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[\n{"a": 1},\n{"a": 2}\n{"a": 3}\n]\n', "a.json:4: expected , or ] between array elements, found '{'"),
        ('[\n{"a": 1},\n{"a": \n', "a.json:4: not valid JSON (Expecting value at column 1)"),
        ('[\n{"a": 1},\n{"a": "unterminated\n]\n', "a.json:3: not valid JSON (Invalid control character at column 20)"),
        ('[\n{"a": 1},\n{"a": "unterminated', "a.json:3: not valid JSON (Unterminated string starting at column 7)"),
        ('[\n{"a": 1},\n{"a": 2}\n', "a.json:4: the JSON array is not closed (missing ])"),
        ('[\n{"a": 1}\n]\n{"b": 2}\n', "a.json:4: more text after the end of the JSON array; expected nothing"),
        ('[\n{"a": 1},\n{"a": "\\ud800"}\n]\n', "a.json:3: a holds a lone surrogate \\ud800 at character 0"),
        ('[\n{"a": 1},\n{"a": ' + "9" * 5000 + "}\n]\n", "a.json:3: a number with 5000 digits at column 7; numbers"),
        ('[\n{"a": 1},\n {"b": tru}\n]\n', "a.json:3: not valid JSON (Expecting value at column 8)"),
        ('[\n{"a": 1},\n {"b": 12', "a.json:3: not valid JSON (Expecting ',' delimiter at column 10)"),
    ],
)
def test_a_bad_array_names_the_same_line_whatever_the_chunks(tmp_path, monkeypatch, chunk, content, message):
    monkeypatch.setattr(reading, "CHUNK_CHARS", chunk)
    path = tmp_path / "a.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        list(json_values(path))
    assert str(info.value).startswith(f"{tmp_path}/{message}")


def test_a_big_array_is_not_read_whole(tmp_path, monkeypatch):
    """The buffer never holds much more than a chunk and the element being read."""
    monkeypatch.setattr(reading, "CHUNK_CHARS", 4096)
    path, _ = _write(tmp_path, [{"text": "x" * 1000, "n": n} for n in range(2000)], None)
    largest = 0
    real_decode = reading._Buffer.decode

    def decode(self, i):
        nonlocal largest
        largest = max(largest, len(self.text))
        return real_decode(self, i)

    monkeypatch.setattr(reading._Buffer, "decode", decode)
    read = list(json_values(path))
    assert [v["n"] for _, v, _ in read] == list(range(2000))
    assert [line for line, _, _ in read][:3] == [1, 2, 3] and read[-1][0] == 2000
    assert largest < 3 * 4096 + 2000
