"""Plain-text/Markdown pages: title, "label : value" header lines, dates, sections; the seed page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rasd.readers import read
from rasd.readers.page import parse_date, parse_page, parse_views

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "000_fbd8113b0bef9d78.txt"


def test_seed_metadata() -> None:
    (doc,) = list(read(SEED))
    assert doc.id == "000_fbd8113b0bef9d78"
    assert doc.text == SEED.read_text(encoding="utf-8")  # the text exactly as read
    meta = doc.meta
    assert meta.author == "غرفة عمليات دحر الغزاة"
    assert meta.published == date(2018, 2, 13)
    assert meta.views == 204
    assert meta.title is not None and meta.title.startswith('"دحر الغزاة": سنكشف')
    assert meta.language == "ar"
    assert meta.input_format == "txt"
    for name, span in meta.spans.items():
        assert doc.text[span.start : span.end] == span.text, name
    assert meta.spans["published"].text == "١٣ فبراير ٢٠١٨ م"
    assert meta.spans["views"].text == "204"


def test_seed_sections() -> None:
    (doc,) = list(read(SEED))
    names = [s.name for s in doc.sections]
    assert names == ["title", "header", "body", "statement"]
    body = doc.sections[2]
    statement = doc.sections[3]
    assert body.span.text.startswith("أعلنت غرفة عمليات دحر الغزاة")
    assert body.span.text.endswith("قادمين من مناطق سيطرة النظام.")
    assert statement.span.text.startswith("## بيان")
    assert statement.heading is not None and statement.heading.text == "بيان"
    assert statement.span.text.endswith("**والنصر لثورتنا**")
    assert "### حول قضاء غرفة عمليات دحر الغزاة" in statement.span.text
    for section in doc.sections:
        assert doc.text[section.span.start : section.span.end] == section.span.text
    assert body.span.end < statement.span.start


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("١٣ فبراير ٢٠١٨ م", date(2018, 2, 13)),
        ("13 شباط 2018", date(2018, 2, 13)),
        ("الثلاثاء 13 شباط/فبراير 2018", date(2018, 2, 13)),
        ("13 شباط (فبراير) 2018", date(2018, 2, 13)),
        ("١ كانون الثاني ٢٠١٨", date(2018, 1, 1)),
        ("25 كانون الأول 2017", date(2017, 12, 25)),
        ("5 تشرين الأول 2015", date(2015, 10, 5)),
        ("3 آب 2015", date(2015, 8, 3)),
        ("3 أغسطس، 2015", date(2015, 8, 3)),
        ("2015-07-21", date(2015, 7, 21)),
        ("2015/07/21 10:30", date(2015, 7, 21)),
        ("21/07/2015", date(2015, 7, 21)),
        ("21-7-2015 م", date(2015, 7, 21)),
        ("27 جمادى الأولى 1439 هـ", date(2018, 2, 13)),
        ("الثلاثاء 27 جمادى الأولى 1439 هـ - 13 فبراير 2018 م", date(2018, 2, 13)),
        ("1 رمضان 1436", date(2015, 6, 18)),
        ("5 جوان 2015", date(2015, 6, 5)),
        ("31 فبراير 2018", None),
        ("قبل ساعتين", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("204", 204), ("١٬٢٠٤", 1204), ("1,204 مشاهدة", 1204), ("٣٥", 35), ("كثيرة", None)],
)
def test_parse_views(value: str, expected: int | None) -> None:
    assert parse_views(value) == expected


def test_markdown_title_and_headings() -> None:
    text = (
        "# قصف على ريف حلب\n\n**الكاتب**: مراسلنا\nتاريخ النشر: 2015-07-23\n\n"
        "قصف الطيران المروحي قرية قصر البريج.\n\n## خلفية\n\nيسيطر التنظيم على القرية.\n\n"
        "## نص البيان\n\nندين القصف.\n"
    )
    info = parse_page(text)
    assert info.fields["title"] == "قصف على ريف حلب"
    assert info.fields["author"] == "مراسلنا"
    assert info.fields["published"] == date(2015, 7, 23)
    assert [s.name for s in info.sections] == ["title", "header", "body", "body", "statement"]
    assert info.sections[-1].span.text.endswith("ندين القصف.")


def test_bare_statement_heading_line() -> None:
    text = "عنوان الخبر\n\nنص الخبر هنا.\n\nبيان\n\nنحن نعلن المسؤولية.\n"
    info = parse_page(text)
    assert [s.name for s in info.sections] == ["title", "body", "statement"]


def test_single_paragraph_has_no_title() -> None:
    text = "قتل 12 مواطناً على الأقل بينهم أطفال في قصف على قرية قصر البريج."
    info = parse_page(text)
    assert "title" not in info.fields
    assert [s.name for s in info.sections] == ["body"]


def test_empty_page() -> None:
    assert parse_page("").sections == []
    assert parse_page("\n \n").fields == {}


def test_header_without_title() -> None:
    text = "الكاتب : وكالات\nالتاريخ : 3 آب 2015\n\nقصفت الطائرات الحربية مدينة الباب."
    info = parse_page(text)
    assert "title" not in info.fields
    assert info.fields["author"] == "وكالات"
    assert info.fields["published"] == date(2015, 8, 3)


def test_crlf_line_endings() -> None:
    text = "عنوان\r\nالكاتب : وكالات\r\n\r\nنص الخبر.\r\n"
    info = parse_page(text)
    assert info.fields["title"] == "عنوان"
    assert info.spans["author"].text == "وكالات"
