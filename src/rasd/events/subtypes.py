"""The final sub-event type of an incident whose trigger was generic (@bombard, @attack, @kill...):
decided by the trigger's object and by who is hit."""

from __future__ import annotations

import re

from .actors import ARMED_INTERS, inter_of
from .context import Ctx, Incident, Side
from .cues import cue_pattern

# weapons or vehicles after a seizure verb ("استولت على كميات من الأسلحة"): no territory changes hands
_WEAPON_OBJECT = cue_pattern("weapon_object")


def final_sub_type(ctx: Ctx, inc: Incident, a1: Side | None, a2: Side | None) -> str | None:
    """The incident's ACLED sub-event type: a specific trigger's own, or a generic one's decided by its
    object and by who is hit; None when not codable."""
    sub = inc.sub
    _lo, hi = inc.scope
    if not sub.startswith("@"):
        return sub
    inc.filtered.append("type_from_generic")
    if sub == "@bombard":
        return "Shelling/artillery/missile attack"
    if sub == "@explosion":
        return "Remote explosive/landmine/IED"
    if sub == "@protest":
        return "Peaceful protest"
    if sub == "@territory":
        trig = inc.trigger
        later = ctx.ix_places.starting(trig.end, hi)
        stop = min(
            [p.end for p in later if not ctx.ix_actors.containing(p.start, p.end)] + [trig.end + 60, hi]
        )
        after = ctx.doc.text[trig.end : stop]
        minor = [
            m.start - trig.end
            for m in ctx.cues_in(trig.end, stop, "marker")
            if any(p == ("marker", "minor_object") for p in m.payloads)
        ]
        town = re.search(r"(مدين[ةه]|بلد[ةه]|قري[ةه]|بلدات|قرى|مدن)", after)
        # "سيطر ... على حاجز مطل على بلدة بلودان": the checkpoint is taken, the town only locates it
        if minor and (town is None or min(minor) < town.start()):
            return "Armed clash"
        # "استولت على كميات ضخمة من الأسلحة", "استولوا على دبابة": weapons seized, no territory changes hands
        obj = ctx.doc.text[trig.end : trig.end + 70]
        k = obj.find("على")
        if _WEAPON_OBJECT.match(obj[k + 3 :] if k >= 0 else obj):
            return None
        # "قوات حزب الله والنظام", "قوات الجيش والمقاومة": state forces among the takers make it the government's
        if a1 is not None and any(inter_of(m) == 1 for m in (a1.main, *a1.assoc)):
            return "Government regains territory"
        return "Non-state actor overtakes territory"
    # @attack, @kill, @wound: who is hit decides
    inter1 = a1.inter if a1 else None
    inter2 = a2.inter if a2 else None
    if inter2 == 7 or (a2 is not None and a2.main.value.get("type") == "civilians"):
        return "Attack"
    if inter2 in ARMED_INTERS and (inter1 in ARMED_INTERS or inter1 is None):
        return "Armed clash"
    if sub == "@attack":
        return "Attack" if inter1 is not None else "Armed clash"
    if sub == "@wound" and a1 is None:
        return None  # an injury with no attacker and no cause is not codable
    return "Attack"
