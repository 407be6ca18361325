"""Regression for #10: an absurd number in the text never becomes an event's fatality count."""

from __future__ import annotations

import pytest

from rasd import extract
from rasd.document import Document

TAIL = " شخصا في غارة جوية لطيران النظام على مدينة دوما أمس"


@pytest.mark.parametrize(
    ("number", "plausible"),
    [
        ("12", True),
        ("١٢", True),
        ("١٢٣٤٥٦٧٨٩٠١٢٣", False),  # 1,234,567,890,123 people
        ("99,999,999,999,999,999,999", False),  # over SQLite's INTEGER range
        ("5000000", False),
    ],
)
def test_implausible_count_is_not_a_fatality_figure_issue10(number: str, plausible: bool) -> None:
    doc = extract(Document(id="x", text="قتل " + number + TAIL))
    assert doc.events, "the air strike itself is still coded"
    fatalities = [e.fatalities for e in doc.events]
    if plausible:
        assert fatalities == [12]
    else:
        assert all(f is not None and f < 100_000 for f in fatalities)
