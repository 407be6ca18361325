"""English ACLED-style notes generated from an event's fields ("On 13 February 2018, in Big Khwein (Idlib), ...")."""

from __future__ import annotations

from datetime import date

from ..document import Event
from .taxonomy import NOTES

# sub-event type -> (with a target, without one); {a1} {a2} are actor names (resources/data/taxonomy.json)
_VERBS: dict[str, tuple[str, str]] = NOTES
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
