"""Verbal PLOVER events (statements), kept apart from ACLED events."""

from __future__ import annotations

from datetime import date

import pytest

from rasd.document import Document, Metadata

PUB = date(2015, 7, 22)


@pytest.mark.parametrize(
    ("text", "plover", "actor1", "actor2"),
    [
        (
            "هدد «داعش» الحكومة التركية بالرد بعد حملة الاعتقالات",
            "THREATEN",
            "Islamic State (Syria)",
            "Government of Turkey (2014-)",
        ),
        (
            "ودعت الحكومة التركية المجتمع الدولي إلى التدخل لوقف القصف",
            "REQUEST",
            "Government of Turkey (2014-)",
            "International community",
        ),
        (
            "اتهمت جماعة حزب العمال الكردستاني حزب العدالة والتنمية بالتواطؤ مع داعش",
            "ACCUSE",
            "PKK: Kurdistan Workers Party",
            None,
        ),
    ],
)
def test_statements(pipe, text: str, plover: str, actor1: str | None, actor2: str | None) -> None:  # type: ignore[no-untyped-def]
    doc = pipe(Document("t", text, Metadata(published=PUB)))
    st = [s for s in doc.statements if s.plover == plover]
    assert st, [s.to_dict() for s in doc.statements]
    if actor1:
        assert st[0].actor1 == actor1
    if actor2:
        assert st[0].actor2 == actor2
    assert st[0].kind == "statement" and st[0].event_type is None
    assert doc.acled_events == [] or all(e.kind == "acled" for e in doc.acled_events)


@pytest.mark.parametrize(
    "text",
    [
        "وقال ضابط رفيع في الأنبار رفض الكشف عن هويته إن الخطة تسير كما رسمت",
        "نفى رئيس الحكومة التركية الاتهامات الموجهة لبلاده بدعم التنظيم",  # a denial, not an accusation
    ],
)
def test_not_statements(pipe, text: str) -> None:  # type: ignore[no-untyped-def]
    doc = pipe(Document("t", text, Metadata(published=PUB)))
    assert "ACCUSE" not in {s.plover for s in doc.statements}
    if "الكشف" in text:
        assert doc.statements == []
