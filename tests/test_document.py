"""rasd.document's record-date helpers: stored and gold dates are read back leniently (a bad one is None)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rasd.document import iso_date, week_of


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-02-13", date(2018, 2, 13)),
        ("2018-02-13T08:30:00+03:00", date(2018, 2, 13)),
        (date(2018, 2, 13), date(2018, 2, 13)),
        ("2018-02-31", None),  # 31 شباط: no such day
        ("13/02/2018", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(value: Any, expected: date | None) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-02-13", "2018-02-12"),  # a Tuesday: its week starts on Monday the 12th
        ("2018-02-12", "2018-02-12"),
        ("2018-03-04", "2018-02-26"),  # a Sunday ends the week
        ("2021-01-01", "2020-12-28"),  # across a year
        ("junk", None),
        (None, None),
    ],
)
def test_week_of(value: Any, expected: str | None) -> None:
    assert week_of(value) == expected
