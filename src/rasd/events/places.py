"""Where an incident happened: the places of its scope (one event each: ACLED disaggregation), else the
nearest earlier place of the sentence or, through an anaphoric place word, of the paragraph; places that
only locate another, qualify an actor, or name an origin or destination are left out."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from ..document import Mention
from .context import Ctx, Incident, Side, clause_of, paragraph_of
from .cues import cue_pattern
from .dates import report_date_ranges
from .resolved import contains_place, place_key, place_level
from .taxonomy import TERRITORY

# only a compass bearing between two places ("قضاء البعاج شمال غرب بغداد"): the second is a reference point
_BEARING_GAP = cue_pattern("bearing_gap")
_TOWARDS = cue_pattern("towards")  # "صوب / نحو / باتجاه (مدينة)" right before a place
_MOVEMENT = cue_pattern("movement")  # fleeing, withdrawing, displacement
_OUTLET_BEFORE = cue_pattern("outlet_before")  # "لـ«", "لصحيفة": a newspaper's name follows, not a place


def moved_towards(text: str, start: int) -> bool:
    """A place after صوب / نحو / باتجاه with a movement word (فر، انسحب، نزح) just before: a destination."""
    before = text[max(0, start - 60) : start]
    m = _TOWARDS.search(before)
    return m is not None and bool(_MOVEMENT.search(before[: m.start() + 1]))


def choose_places(ctx: Ctx, inc: Incident, sides: list[Side]) -> tuple[list[Mention], str]:
    """The place(s) of an incident: those of its scope (one event each), else the nearest earlier place of
    the sentence, else of the paragraph (a single place: "في المدينة" points back)."""
    lo, hi = inc.scope

    def usable(p: Mention) -> bool:
        r = ctx.res.get(id(p))
        if p.value.get("role") in ("dateline", "headline"):
            return False  # "نابلس - النجاح الإخباري", "واشنطن - دمشق -": where the report was filed, not the event
        if _OUTLET_BEFORE.search(ctx.doc.text[max(0, p.start - 12) : p.start]):
            return (
                False  # "قالت مصادر طبية ل»الرياض»", "لـ«الوطن»", "لصحيفة عكاظ": the newspaper, not a place
            )
        return r is not None and place_level(r) >= 1  # a country alone cannot be coded (ACLED needs admin1)

    said_at = report_date_ranges(ctx, inc.sentence, inc.trigger.start)
    cands = [
        p
        for p in ctx.ix_places.starting(lo, hi)
        if usable(p)
        and not any(a <= p.start < b for a, b in [*said_at, *inc.others])
        # "فرت صوب مدينة شقرة", "توجهوا نحو": where people went, not where the event happened
        and not moved_towards(ctx.doc.text, p.start)
    ]
    if cands and (inc.sub == "@territory" or inc.sub in TERRITORY):
        # "بسقوط مدينة شقرة ... بعد ساعات على تحرير ... زنجبار": the place taken is the one right after the trigger
        obj = [p for p in cands if p.end > inc.trigger.start and p.start <= inc.trigger.end + 3]
        if obj:
            cands = obj[:1]
    if cands:
        return filter_places(ctx, cands, sides), "scope"
    s = inc.sentence
    anaphor = any(p == ("marker", "anaphor") for m in ctx.cues_in(lo, hi, "marker") for p in m.payloads)
    for where, a in (("sentence", s.start), ("context", paragraph_of(ctx, inc.trigger.start)[0])):
        top = lo
        if where == "context":
            if not anaphor:
                break  # only "في المدينة", "البلدة"... point back past the sentence
            top = min(lo, s.start)
        last = last_place(ctx, a, top, usable)
        if last is not None:
            cl = clause_of(ctx, last.start) or s
            group = [p for p in ctx.ix_places.starting(max(a, cl.start), min(top, cl.end)) if usable(p)]
            kept = filter_places(ctx, group, sides)
            return kept[-1:], where
    return [], "none"


def last_place(ctx: Ctx, lo: int, hi: int, ok: Callable[[Mention], bool]) -> Mention | None:
    """The last usable place starting in [lo, hi), walking back from ``hi`` (a paragraph can be the whole
    document: a scan from its start for every event would be quadratic)."""
    ix = ctx.ix_places
    if not ix.in_order:
        prev = [p for p in ix.starting(lo, hi) if ok(p)]
        return prev[-1] if prev else None
    i = bisect.bisect_left(ix._starts, hi) - 1
    while i >= 0 and ix.items[i].start >= lo:
        if ok(ix.items[i]):
            return ix.items[i]
        i -= 1
    return None


def qualified_place(ctx: Ctx, c: Mention) -> bool:
    """Is the place only an actor's station or allegiance: a qualifier, then places and "و" up to it?"""
    text = ctx.doc.text
    for q in ctx.cues_in(max(0, c.start - 60), c.start, "marker"):
        if not any(p == ("marker", "qualifier") for p in q.payloads):
            continue
        rest = text[q.end : c.start]
        for p in ctx.ix_places.starting(q.end, c.start):
            rest = rest.replace(p.text, " ")
        if len(rest.replace("و", " ").replace("نقاط", " ").split()) <= 3:
            return True
    return False


def dubious_places(ctx: Ctx) -> set[int]:
    """Places (by id) that only locate their neighbour or were mis-read, over the whole document; computed
    once per document, not once per event."""
    if ctx.dubious is not None:
        return ctx.dubious
    text = ctx.doc.text
    # "X بY" / "X في Y" with X resolved outside Y's governorate: X was mis-read (a mosque, a roundabout)
    by_start = sorted(ctx.places, key=lambda m: m.start)
    dubious: set[int] = set()
    for i, pm in enumerate(by_start[:-1]):
        q = by_start[i + 1]
        gap = text[pm.end : q.start].strip()
        bearing = bool(q.value.get("direction") or q.value.get("near")) or bool(_BEARING_GAP.match(gap))
        if (gap in ("في", "") or gap.endswith((" في", "ب"))) and q.start - pm.end <= 30 and not bearing:
            rp, rq = ctx.res.get(id(pm)) or {}, ctx.res.get(id(q)) or {}
            if rp.get("admin1") and rq.get("admin1") and rp.get("admin1") != rq.get("admin1"):
                dubious.add(id(pm))
        # "بلدة الخوين جنوب شرق إدلب", "كفريا بإدلب": a place right after another one only locates it
        rp, rq = ctx.res.get(id(pm)) or {}, ctx.res.get(id(q)) or {}
        if q.start - pm.end <= 3 and (q.value.get("direction") or q.value.get("near")) and not gap:
            dubious.add(id(q))
        elif q.start - pm.end <= 40 and _BEARING_GAP.match(gap):
            dubious.add(id(q))  # "قضاء البعاج شمال غرب بغداد": Baghdad is only the reference point
        elif (
            q.start - pm.end <= 3
            and gap in ("ب", "في")
            and rp.get("admin1")
            and rp.get("admin1") == rq.get("admin1")
        ):
            dubious.add(id(q))
    ctx.dubious = dubious
    return dubious


def filter_places(ctx: Ctx, cands: list[Mention], sides: list[Side]) -> list[Mention]:
    """The places of a candidate list where the event happened: not inside an actor's name, an actor's
    station, a mis-read or locating neighbour, a region around a located town, an origin; one per place."""
    text = ctx.doc.text
    # a place inside an actor's name ("غرفة عمليات فتح حلب") is not where anything happened
    cands = [c for c in cands if not ctx.ix_actors.containing(c.start, c.end)] or cands
    # ... nor where an actor is stationed or whom it is loyal to ("المتمركزة في نقاط السكرة", "الموالية لدمشق")
    cands = [c for c in cands if not qualified_place(ctx, c)]
    if not cands:
        return []
    dubious = dubious_places(ctx)
    cands = [c for c in cands if id(c) not in dubious] or cands
    res = [ctx.res[id(c)] or {} for c in cands]
    keep = []
    finest = max((place_level(r) for r in res), default=0)
    for i, c in enumerate(cands):
        r = res[i]
        if any(j != i and contains_place(r, res[j]) for j in range(len(cands))):
            continue  # "ريف إدلب" next to "بلدة الخوين": keep the town
        if place_level(r) <= 2 < finest and any(
            place_level(o) > 2 and o.get("admin1") and o.get("admin1") == r.get("admin1") for o in res
        ):
            continue  # a region around a located town of the same governorate
        keep.append(c)
    if len(keep) > 1:
        # drop origins ("من عقيربات") and actor qualifiers ("قوات المعارضة في ريف حلب") when others remain
        refined = []
        for c in keep:
            before = " ".join(text[max(0, c.start - 14) : c.start].split()[-2:])
            if re.search(r"(^|\s)(من|قادمين من|هاربين من)$", before) and not re.search(
                r"(قرب|القرب|قريب[ةه]?) من$", before
            ):
                continue
            if any(0 <= c.start - s.end <= 5 and text[s.end : c.start].strip() in ("في", "ب") for s in sides):
                continue
            refined.append(c)
        if refined:
            keep = refined
    # one event per distinct place
    seen: dict[str, Mention] = {}
    for c in keep:
        key = place_key(ctx.res[id(c)] or {})
        if key and key not in seen:
            seen[key] = c
    return list(seen.values())
