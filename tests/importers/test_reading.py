"""Reading files: size limit before reading, empty and binary files, encodings, line ends."""

from __future__ import annotations

import builtins
import codecs
import io
import os
import time
from pathlib import Path

import pytest

from annotator.errors import ImportFailed
from annotator.importers.reading import decode_bytes, read_text_file

RUSSIAN = (
    "Президент России Владимир Путин провёл в среду совещание с членами правительства, "
    "на котором обсуждались вопросы развития экономики и поддержки регионов. По словам главы "
    "государства, в ближайшие годы необходимо увеличить инвестиции в инфраструктуру, образование "
    "и здравоохранение. Министр финансов сообщил, что бюджет страны исполнен с профицитом."
)
FRENCH = (
    "Le président de la République a annoncé mercredi une série de mesures destinées à soutenir "
    "les agriculteurs touchés par la sécheresse. Selon le ministère, l'aide représentera près de "
    "deux cents millions d'euros et sera versée dès la fin de l'été. « C'est une réponse à la "
    "détresse des exploitations », a déclaré le porte-parole du gouvernement à l'issue du conseil."
)
JAPANESE = (
    "日本政府は水曜日、記録的な猛暑を受けて、全国の自治体に対し熱中症対策を強化するよう要請した。"
    "気象庁によると、今年の夏の平均気温は観測史上最も高くなる見通しで、専門家は高齢者や子どもへの注意を呼びかけている。"
)
KOREAN = (
    "정부는 수요일 기록적인 폭염에 대응하기 위해 전국 지방자치단체에 온열질환 예방 대책을 강화하라고 요청했다. "
    "기상청에 따르면 올여름 평균 기온은 관측 이래 가장 높을 것으로 예상되며, 전문가들은 노인과 어린이의 건강에 주의를 당부했다."
)


def write(tmp_path: Path, data: bytes, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"")
    with pytest.raises(ImportFailed, match="the file is empty") as info:
        read_text_file(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("data", [b"   \n\t\r\n  ", "\u00a0\u2003\n".encode("utf-8"), codecs.BOM_UTF8 + b"\n\n"])
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ImportFailed, match="no text"):
        read_text_file(write(tmp_path, data))


def test_png_is_refused_as_binary(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64 + bytes(range(256))
    path = write(tmp_path, data, "photo.txt")
    with pytest.raises(ImportFailed, match="PNG image") as info:
        read_text_file(path)
    assert str(path) in str(info.value)


def test_unknown_binary_with_nul_bytes_is_refused(tmp_path: Path) -> None:
    data = b"\x01\x02\x03garbage\x00\x00\x00\xff\xfe\x10" * 50
    with pytest.raises(ImportFailed, match="binary file"):
        read_text_file(write(tmp_path, data))


def test_docx_is_refused_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"ZIP archive \(a \.docx"):
        read_text_file(write(tmp_path, b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40))


def test_oversized_file_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB actually written

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(builtins, "open", no_open)
    monkeypatch.setattr(io, "open", no_open)
    monkeypatch.setattr(os, "open", no_open)
    started = time.perf_counter()
    with pytest.raises(ImportFailed) as info:
        read_text_file(path)
    elapsed = time.perf_counter() - started
    monkeypatch.undo()
    assert str(info.value) == f"{path}: 52.4 MB is over the 20 MB limit for one article"
    assert elapsed < 1.0


def test_custom_limit(tmp_path: Path) -> None:
    path = write(tmp_path, b"x" * 2_000)
    with pytest.raises(ImportFailed, match=r": 2 KB is over the 1 KB limit"):
        read_text_file(path, max_bytes=1_000)
    assert read_text_file(path, max_bytes=2_000) == "x" * 2_000


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(ImportFailed, match="is a folder"):
        read_text_file(tmp_path)


def test_windows_1251_russian(tmp_path: Path) -> None:
    assert read_text_file(write(tmp_path, RUSSIAN.encode("windows-1251"))) == RUSSIAN


def test_latin1_french(tmp_path: Path) -> None:
    assert read_text_file(write(tmp_path, FRENCH.encode("latin-1"))) == FRENCH


def test_shift_jis_japanese(tmp_path: Path) -> None:
    assert read_text_file(write(tmp_path, JAPANESE.encode("shift_jis"))) == JAPANESE


def test_euc_kr_korean(tmp_path: Path) -> None:
    assert read_text_file(write(tmp_path, KOREAN.encode("euc-kr"))) == KOREAN


def test_plain_utf8(tmp_path: Path) -> None:
    text = "Émoji 🚀 and עברית and العربية\nsecond line"
    assert read_text_file(write(tmp_path, text.encode("utf-8"))) == text


def test_utf8_with_bom(tmp_path: Path) -> None:
    text = "Café 🚀\nline two"
    result = read_text_file(write(tmp_path, codecs.BOM_UTF8 + text.encode("utf-8")))
    assert result == text
    assert not result.startswith("\ufeff")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    text = RUSSIAN + "\n🚀 " + FRENCH
    data = text.encode(codec)
    if codec.endswith(("-le", "-be")):
        data = (codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE) + data
    assert read_text_file(write(tmp_path, data)) == text


def test_utf16_without_bom_is_recognised(tmp_path: Path) -> None:
    text = "A plain English article saved as UTF-16.\nIt has no byte-order mark at all."
    assert read_text_file(write(tmp_path, text.encode("utf-16-le"))) == text


def test_broken_utf16_after_bom_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(ImportFailed, match="UTF-16 byte-order mark") as info:
        read_text_file(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("seed", range(5))
def test_invalid_utf8_gives_text_or_a_clear_error(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    data = b"Hello \xc3\x28 world " + bytes(rng.randrange(1, 256) for _ in range(400))
    path = write(tmp_path, data)
    try:
        text = read_text_file(path)
    except ImportFailed as exc:
        assert str(path) in str(exc)
    else:
        assert isinstance(text, str) and text.strip()


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    data = bytes(b for b in os.urandom(4000) if b) or b"\xff"
    with pytest.raises(ImportFailed):
        read_text_file(write(tmp_path, data))


def test_crlf_and_cr_are_normalised(tmp_path: Path) -> None:
    data = b"line one\r\nline two\rline three\r\n"
    assert read_text_file(write(tmp_path, data)) == "line one\nline two\nline three\n"


def test_crlf_in_legacy_encoding(tmp_path: Path) -> None:
    text = RUSSIAN.replace(". ", ".\r\n")
    assert read_text_file(write(tmp_path, text.encode("cp1251"))) == text.replace("\r\n", "\n")


def test_decode_bytes_nfc_and_name_in_message() -> None:
    assert decode_bytes("Cafe\u0301".encode("utf-8"), "x.txt") == "Café"
    with pytest.raises(ImportFailed, match=r"^memo\.txt: the file is empty$"):
        decode_bytes(b"", "memo.txt")


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("ISO-8859-1", "cp1252"),  # as browsers read it
        ("us-ascii", "cp1252"),
        ("Shift_JIS", "cp932"),
        ("euc-kr", "cp949"),
        ("GB2312", "gb18030"),
        ("windows-1251", "cp1251"),
        ("koi8-r", "koi8-r"),
        ("utf-16", "utf-8"),  # a UTF-16 declaration without a byte-order mark
        ("x-user-defined", None),
        ("no-such-charset", None),
        ("", None),
    ],
)
def test_codec_for_label(label: str, codec: str | None) -> None:
    from annotator.importers.reading import codec_for_label

    assert codec_for_label(label) == codec


def test_declared_charset_is_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.importers import reading

    data = "Crème brûlée, façade, naïve — “quotes”".encode("cp1252")
    monkeypatch.setattr(reading, "_decode_legacy", lambda data, name: "DETECTED")
    assert decode_bytes(data, "x", declared="windows-1252") == "Crème brûlée, façade, naïve — “quotes”"
    assert decode_bytes(data, "x", declared="utf-8") == "DETECTED"  # does not fit: detection decides
    assert decode_bytes("naïve".encode("utf-8"), "x", declared="koi8-r") == "naïve"  # UTF-8 wins
