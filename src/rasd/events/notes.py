"""English ACLED-style notes generated from an event's fields ("On 13 February 2018, in Big Khwein (Idlib), ...")."""

from __future__ import annotations

from datetime import date

from ..document import Event

# sub-event type -> (with a target, without one); {a1} {a2} are actor names
_VERBS: dict[str, tuple[str, str]] = {
    "Armed clash": ("{a1} clashed with {a2}", "{a1} were involved in armed clashes"),
    "Government regains territory": (
        "{a1} regained control of the area from {a2}",
        "{a1} regained control of the area",
    ),
    "Non-state actor overtakes territory": (
        "{a1} took control of the area from {a2}",
        "{a1} took control of the area",
    ),
    "Chemical weapon": ("{a1} used chemical weapons against {a2}", "{a1} used chemical weapons"),
    "Air/drone strike": ("{a1} carried out air strikes targeting {a2}", "{a1} carried out air strikes"),
    "Suicide bomb": (
        "a suicide bomber of {a1} attacked {a2}",
        "a suicide bomber of {a1} carried out an attack",
    ),
    "Shelling/artillery/missile attack": ("{a1} shelled positions of {a2}", "{a1} shelled the area"),
    "Remote explosive/landmine/IED": (
        "an explosive device planted by {a1} targeted {a2}",
        "an explosive device planted by {a1} went off",
    ),
    "Grenade": ("{a1} threw a grenade at {a2}", "{a1} threw a grenade"),
    "Sexual violence": ("{a1} committed sexual violence against {a2}", "{a1} committed sexual violence"),
    "Attack": ("{a1} attacked {a2}", "{a1} carried out an attack"),
    "Abduction/forced disappearance": ("{a1} abducted {a2}", "{a1} abducted people"),
    "Peaceful protest": ("{a1} demonstrated against {a2}", "{a1} demonstrated"),
    "Protest with intervention": (
        "{a1} demonstrated and were dispersed by {a2}",
        "{a1} demonstrated and were dispersed",
    ),
    "Excessive force against protesters": (
        "{a2} used lethal force against {a1}",
        "force was used against {a1}",
    ),
    "Violent demonstration": ("{a1} rioted against {a2}", "{a1} rioted"),
    "Mob violence": ("{a1} attacked {a2}", "a mob attacked"),
    "Agreement": ("{a1} reached an agreement with {a2}", "{a1} reached an agreement"),
    "Arrests": ("{a1} arrested {a2}", "{a1} arrested people"),
    "Change to group/activity": ("{a1} changed its activity with {a2}", "{a1} changed its activity"),
    "Disrupted weapons use": ("{a1} disrupted weapons use by {a2}", "{a1} disrupted weapons use"),
    "Headquarters or base established": ("{a1} established a base near {a2}", "{a1} established a base"),
    "Looting/property destruction": (
        "{a1} looted or destroyed property of {a2}",
        "{a1} looted or destroyed property",
    ),
    "Non-violent transfer of territory": (
        "{a1} handed over territory to {a2}",
        "{a1} withdrew from the area",
    ),
    "Other": ("{a1} acted against {a2}", "{a1} acted"),
}
_STATEMENT: dict[str, str] = {
    "ACCUSE": "{a1} accused {a2}",
    "REQUEST": "{a1} called on {a2}",
    "THREATEN": "{a1} threatened {a2}",
    "REJECT": "{a1} rejected or denied claims by {a2}",
    "AGREE": "{a1} agreed with {a2}",
}


def _day(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return None
    return f"{d.day} {d.strftime('%B')} {d.year}"


def english_note(ev: Event) -> str:
    """One or two English sentences stating who did what to whom, where, when, with casualties and source."""
    start, end = _day(ev.event_date), _day(ev.date_end)
    when = ""
    if start:
        when = f"Between {start} and {end}" if end and end != start else f"On {start}"
    where = ""
    if ev.location:
        admin = f" ({ev.admin1})" if ev.admin1 and ev.admin1 != ev.location else ""
        where = f"{'near' if (ev.geo_precision or 1) >= 2 else 'in'} {ev.location}{admin}"
    a1 = ev.actor1 or "unidentified actors"
    a2 = ev.actor2
    if ev.kind == "statement":
        core = _STATEMENT.get(ev.plover or "", "{a1} made a statement about {a2}").format(
            a1=a1, a2=a2 or "others"
        )
    else:
        with_t, without = _VERBS.get(ev.sub_event_type or "", ("{a1} acted against {a2}", "{a1} acted"))
        core = (with_t if a2 else without).format(a1=a1, a2=a2)
    head = ", ".join(x for x in (when, where) if x)
    text = f"{head}, {core}" if head else core
    text = text[0].upper() + text[1:]
    if ev.modality == "claimed":
        text += " (claimed by the party)"
    elif ev.modality == "alleged":
        text += " (alleged)"
    elif ev.modality == "denied":
        text += " (denied)"
    text += "."
    extra = []
    if ev.kind != "statement":
        if ev.fatalities:
            extra.append(
                f"{ev.fatalities} reported fatalities"
                + (" (total shared with other events)" if ev.fatalities_shared else "")
            )
        if ev.wounded:
            extra.append(f"{ev.wounded} wounded")
        if ev.captured:
            extra.append(f"{ev.captured} captured or abducted")
        if not extra:
            extra.append("no fatalities reported")
    if ev.attributed_to:
        extra.append("source named in the text: " + ev.attributed_to)
    if extra:
        text += " " + "; ".join(extra)[0].upper() + "; ".join(extra)[1:] + "."
    return text
