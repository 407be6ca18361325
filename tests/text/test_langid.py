"""Language identification: offline model, Arabic varieties folded to "ar", non-Arabic flagged not dropped."""

from __future__ import annotations

import pytest

from rasd.document import Document, Metadata
from rasd.text.langid import NON_ARABIC, LanguageIdentifier, identify, tag


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("أعلنت غرفة عمليات دحر الغزاة قتل وجرح العشرات من فلول تنظيم الدولة في بلدة الخوين", "ar"),
        ('حمقى "داعش" أيضا', "ar"),  # fastText says Egyptian Arabic (arz)
        ("ألماني جنده داعش..و اتهمه بالتجسس", "ar"),  # low-confidence Persian guess on an Arabic headline
        ("Syrian government helicopters dropped barrel bombs on the town of al-Bab", "en"),
        ("Le régime syrien a bombardé la ville de Douma ce matin", "fr"),
        ("این یک متن فارسی است که در ایران نوشته شده", "fa"),
        ("12345 !!! http://example.org", None),
        ("", None),
    ],
)
def test_identify(text: str, lang: str | None) -> None:
    got, score = identify(text)
    assert got == lang
    assert 0.0 <= score <= 1.0


def test_tag_flags_non_arabic_once() -> None:
    doc = Document(id="en", text="Clashes broke out between the army and rebels near Aleppo on Tuesday.")
    tag(doc)
    tag(doc)
    assert doc.meta.language == "en"
    assert doc.flags == [NON_ARABIC]


def test_stage_keeps_reader_language() -> None:
    doc = Document(id="x", text="some text", meta=Metadata(language="ar", language_score=0.99))
    LanguageIdentifier()(doc)
    assert doc.meta.language == "ar" and doc.flags == []


def test_arabic_document_not_flagged() -> None:
    doc = LanguageIdentifier()(Document(id="a", text="قصفت قوات النظام بلدة الطيبة بالغوطة الغربية"))
    assert doc.meta.language == "ar"
    assert doc.meta.language_score is not None and doc.meta.language_score > 0.5
    assert NON_ARABIC not in doc.flags
