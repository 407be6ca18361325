"""Datelines, bylines and headline fragments are flagged on place mentions (issue 15): event coders skip them."""

from __future__ import annotations

import pytest

from rasd.document import Document
from rasd.recognize.places import ROLE_DATELINE, ROLE_HEADLINE, default_recognizer


def roles(text: str) -> list[tuple[str, str | None]]:
    doc = default_recognizer()(Document("t", text))
    return [(m.text, m.value.get("role")) for m in sorted(doc.mentions_of("place"), key=lambda m: m.start)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "نابلس - النجاح الإخباري - اقتحمت قوات الاحتلال مخيم بلاطة في نابلس",
            [("نابلس", ROLE_DATELINE), ("مخيم بلاطة", None), ("نابلس", None)],
        ),
        (
            "واشنطن - دمشق - قالت الخارجية الأمريكية إن دمشق رفضت",
            [("واشنطن", ROLE_DATELINE), ("دمشق", ROLE_DATELINE), ("دمشق", None)],
        ),
        ("دمشق (رويترز) - قصفت الطائرات مدينة دوما", [("دمشق", ROLE_DATELINE), ("مدينة دوما", None)]),
        ("بيروت: قال مصدر أمني إن غارة استهدفت بلدة عرسال", [("بيروت", ROLE_DATELINE), ("بلدة عرسال", None)]),
        (
            "تمهيد.\nحلب – «الحياة» - قصف الطيران حي الشعار في حلب",
            [("حلب", ROLE_DATELINE), ("حي الشعار", None), ("حلب", None)],
        ),
        # not a dateline: inside a sentence, or no dash after the place at the line start
        ("قصفت الطائرات حلب - وقتل 5 مدنيين", [("حلب", None)]),
        ("حلب تشهد قصفا عنيفا منذ أيام - بحسب المرصد", [("حلب", None)]),
    ],
)
def test_datelines_issue15(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert roles(text) == expected


def test_headline_issue15() -> None:
    text = "غارات على الحديدة\nصنعاء - قال مصدر إن غارات استهدفت الحديدة اليمنية."
    assert roles(text) == [("الحديدة", ROLE_HEADLINE), ("صنعاء", ROLE_DATELINE), ("الحديدة", None)]


def test_one_line_text_has_no_headline_issue15() -> None:
    assert roles("قصفت الطائرات مدينة إدلب") == [("مدينة إدلب", None)]
