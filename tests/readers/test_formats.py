"""HTML, JSON Lines, WARC and RSS/Atom readers on the real-article samples in tests/data/readers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rasd.errors import DecodeError, EmptyInputError, RecordError
from rasd.readers import read
from rasd.readers.html import fragment_text

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
ROOT = Path(__file__).resolve().parents[2]


def test_html_main_text_without_boilerplate() -> None:
    (doc,) = list(read(DATA / "article.html"))
    assert doc.meta.input_format == "html"
    assert doc.meta.title == "12 قتيلاً على الأقل وجرحى في قصف بالبراميل على مدينة الباب"
    assert doc.meta.published == date(2015, 7, 23)
    assert doc.meta.url == "http://www.al-jazirah.com/2015/20150723/du10.htm"
    assert doc.meta.source == "صحيفة الجزيرة"
    assert "قصف الطيران المروحي بالبراميل المتفجرة" in doc.text
    assert "مناطق سيطرتهم التي تتعرض لقصف متجدد من قبل طائرات التحالف." in doc.text
    for boilerplate in ("اتصل بنا", "اشترك الآن", "الأكثر قراءة", "جميع الحقوق محفوظة", "الهلال يفوز"):
        assert boilerplate not in doc.text
    assert doc.meta.language == "ar"


def test_html_cp1256_declared() -> None:
    (doc,) = list(read(DATA / "article_cp1256.html"))
    assert doc.meta.encoding == "cp1256"
    assert "حلب" in doc.text


def test_html_fallback_for_tiny_page(tmp_path: Path) -> None:
    page = tmp_path / "tiny.html"
    page.write_text("<html><body><p>قصف على حلب</p></body></html>", encoding="utf-8")
    (doc,) = list(read(page))
    assert doc.text == "قصف على حلب"


def test_fragment_text_blocks() -> None:
    assert fragment_text("<p>سطر أول</p><p>سطر <b>ثان</b></p><script>x()</script>") == "سطر أول\n\nسطر ثان"
    assert fragment_text("بلا وسوم") == "بلا وسوم"


def test_jsonl_bad_lines_reported_others_read() -> None:
    reader = read(DATA / "mixed.jsonl")
    docs = list(reader)
    assert [d.id for d in docs] == ["snn-aawsat-snn-13255", "mixed#4", "snn-was-snn-30992"]
    assert [(type(e), e.line) for e in reader.errors] == [
        (RecordError, 2),
        (RecordError, 5),
        (RecordError, 6),
    ]
    assert all("mixed.jsonl" in str(e) for e in reader.errors)
    assert "mixed.jsonl:2:" in str(reader.errors[0])
    assert "no 'text' field" in str(reader.errors[2])
    assert not reader.ok
    first, no_id, last = docs
    assert first.meta.published == date(2015, 7, 31)
    assert first.meta.extra["line"] == 1
    assert no_id.meta.published is None and "bad_published" in no_id.flags
    assert no_id.meta.extra["published_raw"] == "yesterday"
    assert last.meta.source == "was"
    assert last.meta.url == "http://www.spa.gov.sa/details.php?id=1387060"


def test_jsonl_raise_mode_stops_at_first_bad_line() -> None:
    reader = read(DATA / "mixed.jsonl", on_error="raise")
    assert next(reader).id == "snn-aawsat-snn-13255"
    with pytest.raises(RecordError) as err:
        next(reader)
    assert err.value.line == 2


def test_jsonl_callback_sees_errors_in_order() -> None:
    seen: list[int | None] = []
    docs = list(read(DATA / "mixed.jsonl", on_error=lambda e: seen.append(e.line)))
    assert len(docs) == 3 and seen == [2, 5, 6]


def test_examples_corpus() -> None:
    docs = list(read(ROOT / "examples" / "news.jsonl"))
    assert len(docs) == 45
    assert len({d.id for d in docs}) == 45
    assert all(d.id.startswith("snn-") for d in docs)
    assert all(d.meta.language == "ar" and d.meta.published for d in docs)


def test_jsonl_gzip(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(gzip.compress((DATA / "mixed.jsonl").read_bytes()))
    reader = read(path)
    assert [d.id for d in reader] == ["snn-aawsat-snn-13255", "news#4", "snn-was-snn-30992"]
    assert len(reader.errors) == 3


def test_warc_html_and_text_records() -> None:
    reader = read(DATA / "capture.warc.gz")
    docs = list(reader)
    assert reader.errors == []
    assert [d.id for d in docs] == [
        "11111111-2222-3333-4444-555555555555",
        "33333333-2222-3333-4444-555555555555",
    ]
    html_doc, text_doc = docs
    assert html_doc.meta.input_format == "warc"
    assert html_doc.meta.url.startswith("http://www.alweeam.com.sa/349859/")
    assert "غارة" in html_doc.text and "اتصل بنا" not in html_doc.text
    assert html_doc.meta.extra["captured"] == "2015-08-01T10:00:00Z"
    # plain-text record in Windows-1256 without a charset: detected, page headers read
    assert text_doc.meta.encoding == "cp1256"
    assert text_doc.meta.title == "المرصد السوري: مقتل رئيس مركز الإعلام في الدفاع الوطني بدمشق"
    assert text_doc.meta.published == date(2015, 8, 1)
    assert text_doc.meta.views == 1204


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("هذا ليس أرشيفا", encoding="utf-8")
    reader = read(path)
    assert list(reader) == []
    assert isinstance(reader.errors[0], DecodeError)
    assert "fake.warc" in str(reader.errors[0])


def test_rss_entries() -> None:
    reader = read(DATA / "feed.rss")
    docs = list(reader)
    assert [d.id for d in docs] == [
        "snn-aleqtisadiya-snn-708",
        "http://www.okaz.com.sa/new/Issues/20150802/Con20150802786935.htm",  # no guid: the link
        "en-1",
    ]
    first = docs[0]
    assert first.meta.title == "المرصد السوري: مقتل اثنين من كبار قادة داعش في غارة جوية"
    assert first.meta.published == date(2015, 7, 21)
    assert first.meta.source == "أخبار سوريا"
    assert first.meta.input_format == "rss"
    assert "<p>" not in first.text and "غارة" in first.text
    english = docs[2]
    assert english.meta.language == "en"
    assert "non_arabic" in english.flags  # flagged, not dropped
    (err,) = reader.errors
    assert isinstance(err, EmptyInputError) and "entry 4" in str(err)  # an empty entry: RASD105, issue #10


def test_atom_cp1256() -> None:
    (doc,) = list(read(DATA / "feed_cp1256.atom"))
    assert doc.id == "snn-was-snn-30992"
    assert doc.meta.encoding == "cp1256"
    assert doc.meta.author == "واس"
    assert doc.meta.published == date(2015, 8, 10)
    assert "المزاريب" in doc.text


def test_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "x.rss"
    path.write_text("just text", encoding="utf-8")
    reader = read(path)
    assert list(reader) == [] and isinstance(reader.errors[0], DecodeError)
