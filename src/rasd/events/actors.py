"""Actor names and codes where the event happened (ACLED names by country and year, inter codes of forces
abroad, state forces named by role), the crowd actors of protests and riots, and the perpetrator an event
takes from its story when its own clause names none."""

from __future__ import annotations

import logging
import re
from functools import cache

from ..document import Event, Mention, Span
from .context import Ctx, Side, paragraph_of
from .cues import cue_pattern
from .taxonomy import UNIDENTIFIED

log = logging.getLogger(__name__)

ARMED_INTERS = frozenset({1, 2, 3, 4, 8})
_POLICE_WORD = cue_pattern("police_word")


def inter_of(m: Mention) -> int | None:
    """The mention's inter code as an int, or None."""
    inter = m.value.get("inter")
    return int(inter) if inter is not None else None


_GENERIC_NAME = re.compile(
    r"^(Civilians|Protesters|Rioters|Unidentified Armed Group|Unidentified Military Forces) \((.+)\)$"
)


def name_in(
    actor: Mention, country: str | None, year: int | None = None, on: str | None = None
) -> str | None:
    """The actor's ACLED name for the event's country and date: "Islamic State (Iraq)" in Iraq, "Civilians
    (Yemen)" for a generic agent in Yemen (its ``name_template``), the forces of the event's period ("Military
    Forces of Syria (2024-)" from 8 December 2024: ``names_by_date``, by the event's ISO date ``on``)."""
    v = actor.value
    name = v.get("name")
    if not name:
        return name
    dated = [
        r
        for r in v.get("names_by_date") or []
        if on and (not r[0] or r[0] <= on) and (not r[1] or on <= r[1])
    ]
    if dated and dated[0][2]:
        name = dated[0][2]
    elif year is not None and v.get("names_by_year"):
        for row in v["names_by_year"]:
            lo, hi, nm = [*list(row), None, None, None][:3]
            if (lo is None or year >= int(lo)) and (hi is None or year <= int(hi)) and nm:
                name = nm
                break
    if not country:
        return str(name)
    by_country = v.get("names_by_country") or {}
    if country in by_country:
        return str(by_country[country])
    template = v.get("name_template")
    if template and "{country}" in str(template):
        return str(template).format(country=country)
    m = _GENERIC_NAME.match(str(name))
    if m and m.group(2) != country:
        return f"{m.group(1)} ({country})"
    return str(name)


@cache
def state_forces() -> dict[tuple[str, str], tuple[str, int]]:
    """(country, "mil" | "police") -> (ACLED name, inter) of the curated state forces of the actor dictionary."""
    try:
        from ..resources.actors import load_actors

        db = load_actors(verify=False)
    except Exception as exc:  # pragma: no cover - the dictionary ships with the package
        log.info("actor dictionary unavailable (%s): role words keep no force name", exc)
        return {}
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for aid, a in db.actors.items():
        if aid.startswith("auto") or not a.country or a.inter is None:
            continue
        for suffix in ("mil", "police"):
            if aid.endswith("_" + suffix):
                out.setdefault((a.country, suffix), (a.name, int(a.inter)))
    return out


def role_force(actor: Mention, country: str | None, after: str = "") -> tuple[str, int] | None:
    """A soldier / policeman named by role ("جندي تركي", "ضابطا شرطة"): the state force of the event's country.
    ``after``: the words right after the mention ("شرطة" in "ضابطا شرطة")."""
    v = actor.value
    if v.get("name") or v.get("agent") != "soldiers" or not country:
        return None
    kind = "police" if _POLICE_WORD.search(actor.text + " " + " ".join(after.split()[:1])) else "mil"
    return state_forces().get((country, kind))


def inter_in(actor: Mention, country: str | None) -> int | None:
    """The actor's inter code where the event happened: state forces fighting abroad are external (8)."""
    v = actor.value
    inter = v.get("inter")
    if inter is None:
        return None
    home = v.get("country")
    if country and home and home != country and v.get("inter_abroad") is not None:
        return int(v["inter_abroad"])
    return int(inter)


def named_armed(m: Mention) -> bool:
    """A named armed actor (not a generic word, not an unattributed "الطيران الحربي" / "البراميل")."""
    v = m.value
    return (
        bool(v.get("name"))
        and not v.get("generic")
        and not v.get("unattributed")
        and v.get("inter")
        in (
            1,
            2,
            3,
            4,
            8,
        )
    )


def air_capable(m: Mention) -> bool:
    """A named state or external force that flies (Russia, the coalition, Turkey...): may own unattributed jets."""
    v = m.value
    return named_armed(m) and v.get("type") in ("state", "external") and not v.get("backref")


def crowd_actor(
    ev: Event,
    fe: dict[str, list[Span]],
    a1: Side | None,
    place: Mention | None,
    ctx: Ctx,
    event_type: str,
) -> None:
    """Protesters / rioters are coded as ACLED's generic "Protesters (Country)" / "Rioters (Country)"."""
    if a1 is not None and a1.inter not in (None, 6, 7, 5) and not a1.main.value.get("generic"):
        return  # a named organisation leads it: keep it
    country = None
    if place is not None:
        country = (ctx.res.get(id(place)) or {}).get("country")
    if country is None and a1 is not None:
        country = a1.main.value.get("country")
    kind, inter = ("Rioters", 5) if event_type == "Riots" else ("Protesters", 6)
    ev.actor1 = f"{kind} ({country})" if country else kind
    ev.inter1 = inter
    if a1 is not None:
        ev.actor1_ar = a1.main.text
        fe["actor1"] = [a1.main.span]
    if ev.actor2 is not None and ev.inter2 in (6, 7):
        ev.actor2 = ev.actor2_ar = ev.inter2 = None
        fe.pop("actor2", None)


def fill_actor1(ctx: Ctx, events: list[Event]) -> None:
    """An event with no perpetrator: the one of the story's previous event of the same type (the same
    paragraph, a few sentences back: "... غارات التحالف ... . وقال البيان إن ستا من ثماني غارات جرت قرب
    الحسكة"), else ACLED's unidentified actor for attacks whose author the text does not name."""
    prev: Event | None = None
    for ev in events:
        if ev.actor1 is None or "date_defaulted" in ev.flags:
            actor1_from_lead(ctx, ev, prev)
        if ev.actor1 is None and prev is not None and prev.sub_event_type == ev.sub_event_type:
            p_end = max(s.end for s in prev.evidence)
            e_start = min(s.start for s in ev.evidence)
            para = paragraph_of(ctx, e_start)
            if 0 <= e_start - p_end <= 600 and para[0] <= p_end and prev.actor1 != ev.actor2:
                ev.actor1, ev.actor1_ar, ev.inter1 = prev.actor1, prev.actor1_ar, prev.inter1
                if "actor1" in prev.field_evidence:
                    for f in ("actor1", "actor1_ar", "inter1"):
                        ev.field_evidence[f] = list(prev.field_evidence["actor1"])
                ev.flags.append("actor1_from_context")
        if ev.actor1 is None and ev.sub_event_type in UNIDENTIFIED:
            name, inter = UNIDENTIFIED[ev.sub_event_type]
            ev.actor1 = name.format(country=ev.country) if ev.country else name.replace(" ({country})", "")
            ev.inter1 = inter
            ev.field_evidence["actor1"] = list(ev.field_evidence.get("sub_event_type", []))
            ev.field_evidence["inter1"] = list(ev.field_evidence["actor1"])
            ev.flags.append("actor1_unidentified")
        if ev.actor1 is not None:
            prev = ev


def actor1_from_lead(ctx: Ctx, ev: Event, prev: Event | None) -> None:
    """The perpetrator of an unplaced lead sentence of the same type, told just before (this paragraph or
    the one before, within ~600 characters, after the previous coded event): "نفذت قوات التحالف ... 41
    ضربة جوية ... . وقالت القيادة ... إن 17 ضربة جوية نفذت قرب دير الزور" -> the coalition."""
    e_start = min(s.start for s in ev.evidence)
    p_end = max(s.end for s in prev.evidence) if prev is not None else -1
    leads = [
        (end, side, dinfo)
        for end, sub, side, dinfo in ctx.story
        if sub == ev.sub_event_type and p_end <= end <= e_start + 1 and e_start - end <= 600
    ]
    if not leads:
        return
    _, side, dinfo = max(leads, key=lambda t: t[0])
    if "date_defaulted" in ev.flags and not dinfo[4] and dinfo[0]:
        # "قصفت ثلاث طائرات حربية تركية أمس ... في سورية" (no place) then "... قرب حلب": the lead's day
        ev.event_date, ev.date_end, ev.time_precision = dinfo[0], dinfo[1], dinfo[2] or None
        ev.flags = [f for f in ev.flags if f != "date_defaulted"]
        for f in ("event_date", "date_end", "time_precision"):
            ev.field_evidence[f] = list(dinfo[3])
    if ev.actor1 is not None or side is None or side.name is None or side.name == ev.actor2:
        return
    ev.actor1 = name_in(
        side.main, ev.country, int(ev.event_date[:4]) if ev.event_date else None, ev.event_date or None
    )
    ev.actor1_ar = side.main.text
    ev.inter1 = inter_in(side.main, ev.country)
    for f in ("actor1", "actor1_ar", "inter1"):
        ev.field_evidence[f] = [side.main.span]
    ev.flags.append("actor1_from_context")
