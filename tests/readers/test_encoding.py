"""Encoding detection: UTF-8 (BOM or not), UTF-16 BOM, Windows-1256, ISO-8859-6; binary refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from rasd.errors import DecodeError
from rasd.readers import read
from rasd.readers.encoding import declared_encoding, decode

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"

# real article snippets (SaudiNewsNet)
SNIPPETS = [
    "قال المرصد السوري: قصف الطيران المروحي بالبراميل المتفجرة صباح أمس مناطق في قرية قصر البريج في ريف حلب",
    "وما زال الاشتباكات العنيفة مستمرة بين الفرقة الرابعة وحزب الله اللبناني من جهة والفصائل المقاتلة",
    "مقتل ثلاثة لاجئين فلسطينيين بقصف قوات النظام السوري بلدة المزاريب في ريف درعا الغربي",
    "أعلنت غرفة عمليات دحر الغزاة قتل وجرح العشرات من فلول تنظيم الدولة في بلدة الخوين بريف إدلب",
]


@pytest.mark.parametrize("text", SNIPPETS)
@pytest.mark.parametrize("codec", ["cp1256", "iso8859-6"])
def test_legacy_round_trip(text: str, codec: str) -> None:
    decoded, used = decode(text.encode(codec))
    assert decoded == text
    assert used == codec


@pytest.mark.parametrize("text", SNIPPETS)
def test_utf8_with_and_without_bom(text: str) -> None:
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, "utf-8-sig")


def test_utf16_bom() -> None:
    text = SNIPPETS[0]
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))[0] == text


def test_forced_encoding() -> None:
    text = SNIPPETS[1]
    assert decode(text.encode("cp1256"), encoding="windows-1256") == (text, "cp1256")
    with pytest.raises(DecodeError, match="not valid utf-8"):
        decode(text.encode("cp1256"), encoding="utf-8", path="x.txt")
    with pytest.raises(DecodeError, match="unknown encoding"):
        decode(b"abc", encoding="klingon")


def test_declared_charset_wins_when_it_decodes() -> None:
    page = '<html><head><meta charset="windows-1256"></head><body>حلب</body></html>'.encode("cp1256")
    assert declared_encoding(page) == "cp1256"
    assert decode(page)[1] == "cp1256"
    # a wrong Latin-1 declaration is not trusted
    wrong = '<meta charset="iso-8859-1"><p>قصف الطيران المروحي مناطق في ريف حلب</p>'.encode("cp1256")
    assert decode(wrong) == (wrong.decode("cp1256"), "cp1256")


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 4, b"\x00\x01\x02PK\x03\x04" + bytes(100), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
)
def test_binary_refused_naming_file(data: bytes) -> None:
    with pytest.raises(DecodeError) as err:
        decode(data, path="photo.jpg")
    assert "photo.jpg" in str(err.value)
    assert err.value.code == "RASD103"


@pytest.mark.parametrize(
    ("name", "codec", "title"),
    [
        ("page_cp1256.txt", "cp1256", "سوريا..معارك عنيفة على جبهتي درعا واللاذقية"),
        (
            "page_iso8859_6.txt",
            "iso8859-6",
            "عام / مقتل ثلاثة لاجئين فلسطينيين بقصف قوات النظام السوري بلدة المزاريب",
        ),
        ("page_bom.txt", "utf-8-sig", "هجوم فاشل للمعارضة يوقع 25 قتيلا في حلب"),
        ("article_cp1256.html", "cp1256", "مقتل 25 مقاتلاً معارضاً خلال محاولة هجوم فاشل في حلب"),
    ],
)
def test_real_files_decode(name: str, codec: str, title: str) -> None:
    (doc,) = list(read(DATA / name))
    assert doc.meta.encoding == codec
    assert doc.meta.title == title
    assert doc.meta.language == "ar"


def test_binary_file_is_an_error_naming_it() -> None:
    reader = read(DATA / "binary.txt")
    assert list(reader) == []
    (err,) = reader.errors
    assert isinstance(err, DecodeError)
    assert "binary.txt" in str(err)
    with pytest.raises(DecodeError):
        list(read(DATA / "binary.txt", on_error="raise"))
