"""An event's actor name follows the event's own date (issue 14/15): Syria's forces change name on 8 Dec 2024."""

from __future__ import annotations

import pytest

from rasd.document import Mention, Span
from rasd.events.actors import name_in

SYRIA = Mention(
    "actor",
    Span(0, 11, "الجيش السوري"),
    {
        "name": "Military Forces of Syria (2000-)",
        "names_by_date": [
            [None, "2024-12-07", "Military Forces of Syria (2000-)"],
            ["2024-12-08", None, "Military Forces of Syria (2024-)"],
        ],
    },
)


@pytest.mark.parametrize(
    ("on", "name"),
    [
        ("2024-12-07", "Military Forces of Syria (2000-)"),
        ("2024-12-08", "Military Forces of Syria (2024-)"),
        ("2026-01-08", "Military Forces of Syria (2024-)"),
        ("2015-07-20", "Military Forces of Syria (2000-)"),
        (None, "Military Forces of Syria (2000-)"),  # no event date: the name the recogniser gave
    ],
)
def test_period_name_by_event_date(on: str | None, name: str) -> None:
    assert name_in(SYRIA, "Syria", int(on[:4]) if on else None, on) == name
