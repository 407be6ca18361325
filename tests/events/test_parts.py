"""The coder's named parts, each tested on its own with hand-built contexts (issue 14): the rules no longer
need a whole EventCoder run to be checked."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rasd.document import Document, Event, Mention, Metadata, Span
from rasd.events.candidates import split_coordinated
from rasd.events.context import Ctx, Incident, Side, build_context, clause_of, sentence_of
from rasd.events.filters import filter_reason, weak_hit
from rasd.events.merge import merge_tellings
from rasd.events.resolved import contains_place, place_level
from rasd.events.subtypes import final_sub_type

PUB = date(2015, 7, 21)


def _ctx(text: str) -> Ctx:
    """A context of the text alone (no recognised mentions): enough for the trigger and cue rules."""
    return build_context(Document("t", text, Metadata(published=PUB)))


def _event_hits(ctx: Ctx) -> list[Any]:
    return [h for h in ctx.lex.triggers.find(ctx.norm) if h.payloads[0].kind == "event"]


# ---- filters: why a trigger is no event -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "history", "reason"),
    [
        ("قصفت الطائرات المدينة أمس.", True, None),
        ("ستقصف الطائرات المدينة غدا.", True, "future"),
        ("هل قصفت الطائرات المدينة؟", True, "question"),
        ("لم تقصف الطائرات المدينة.", True, "negation"),
        # an earlier year in the clause dates it as history, for articles only (sentence detection keeps it)
        ("قصف الطيران المدينة في صيف 2014.", True, "background"),
        ("قصف الطيران المدينة في صيف 2014.", False, None),
    ],
)
def test_filter_reason(text: str, history: bool, reason: str | None) -> None:
    ctx = _ctx(text)
    (hit,) = _event_hits(ctx)
    sent, clause = sentence_of(ctx, hit.start), clause_of(ctx, hit.start)
    assert sent is not None and clause is not None
    assert filter_reason(ctx, hit, clause, sent, history) == reason


@pytest.mark.parametrize(
    ("text", "word", "weak"),
    [
        ("قصفت الطائرات المدينة أمس.", "قصفت", False),
        ("تقصف الطائرات المدينة كل يوم.", "تقصف", True),  # a present-tense verb: a habit, not yet an incident
        ("شن الطيران الغارات على المدينة.", "غارات", True),  # a bare verbal noun names an act
    ],
)
def test_weak_hit(text: str, word: str, weak: bool) -> None:
    ctx = _ctx(text)
    hit = next(h for h in _event_hits(ctx) if word in text[h.start : h.end])
    assert weak_hit(ctx, hit) is weak


def test_coordinated_verbs_split_the_clause() -> None:
    ctx = _ctx("قصفت المعارضة مواقع النظام وسيطر مقاتلون على البلدة.")
    parts = split_coordinated(ctx, ctx.sentences[:1], _event_hits(ctx))
    assert [p.text for p in parts] == ["قصفت المعارضة مواقع النظام ", "وسيطر مقاتلون على البلدة."]


# ---- sub-event type of a generic trigger -------------------------------------------------------------------
def _side(inter: int, **value: Any) -> Side:
    return Side(Mention("actor", Span(0, 3, "abc"), {"inter": inter, **value}), [])


def _incident(sub: str) -> Incident:
    s = Span(0, 10, "x" * 10)
    return Incident(sub, [], s, s, (0, 10))


@pytest.mark.parametrize(
    ("sub", "a1", "a2", "final"),
    [
        ("@bombard", None, None, "Shelling/artillery/missile attack"),
        ("@explosion", None, None, "Remote explosive/landmine/IED"),
        ("@protest", None, None, "Peaceful protest"),
        ("@attack", 2, 7, "Attack"),  # who is hit decides: civilians
        ("@attack", 1, 2, "Armed clash"),  # armed on armed
        ("@kill", None, 3, "Armed clash"),
        ("@wound", None, None, None),  # an injury with no attacker and no cause is not codable
        ("Air/drone strike", None, None, "Air/drone strike"),  # a specific type stays
    ],
)
def test_final_sub_type(sub: str, a1: int | None, a2: int | None, final: str | None) -> None:
    inc = _incident(sub)
    s1 = _side(a1) if a1 is not None else None
    s2 = _side(a2) if a2 is not None else None
    assert final_sub_type(_ctx("x" * 10), inc, s1, s2) == final
    assert ("type_from_generic" in inc.filtered) is sub.startswith("@")


# ---- places: levels and containment ------------------------------------------------------------------------
IDLIB = {"admin1": "Idlib", "location": "Idlib", "geo_precision": 3}


@pytest.mark.parametrize(
    ("resolved", "level"),
    [
        ({"pcode": "C1234"}, 4),
        ({"location": "Syria", "country": "Syria"}, 0),
        (IDLIB, 1),
        ({"pcode": "SY07"}, 1),
    ],
)
def test_place_level(resolved: dict[str, Any], level: int) -> None:
    assert place_level(resolved) == level


def test_contains_place() -> None:
    town = {"admin1": "Idlib", "location": "Khwein", "geo_precision": 1}
    assert contains_place(IDLIB, town)
    assert not contains_place(town, IDLIB)
    assert not contains_place(IDLIB, {"admin1": "Aleppo", "location": "Atarib", "geo_precision": 1})


# ---- merging the same incident told twice ------------------------------------------------------------------
def _event(start: int, **fields: Any) -> Event:
    ev = Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        plover="ASSAULT",
        event_date="2015-07-20",
        date_end="2015-07-20",
        location="Douma",
        pcode="C1001",
        admin1="Rural Damascus",
        country="Syria",
        geo_precision=1,
        evidence=[Span(start, start + 10, "x" * 10)],
    )
    for k, v in fields.items():
        setattr(ev, k, v)
    return ev


def test_two_tellings_of_one_strike_merge_with_the_lower_toll() -> None:
    a = _event(0, fatalities=5, flags=["victims:5|"])
    b = _event(50, fatalities=3, flags=["victims:3|"])
    (merged,) = merge_tellings([a, b])
    assert merged.fatalities == 3  # the same victims told twice: the conservative count
    assert [s.start for s in merged.evidence] == [0, 50]


@pytest.mark.parametrize(
    "other",
    [
        {"location": "Harasta", "pcode": "C1002"},  # another town
        {"sub_event_type": "Armed clash", "event_type": "Battles"},  # another type
        {"event_date": "2015-07-10", "date_end": "2015-07-10"},  # days apart
    ],
)
def test_different_incidents_stay_apart(other: dict[str, Any]) -> None:
    assert len(merge_tellings([_event(0), _event(50, **other)])) == 2
