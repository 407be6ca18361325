"""One incident told twice in an article becomes one event: same type (or a generic telling), the same or
a containing place, overlapping dates, compatible actors; the tellings' fields fold conservatively."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..document import LOCATION_FIELDS, Event, iso_date
from ..text.normalize import normalize_key
from .cues import cue_pattern, cue_words
from .resolved import contains_place, place_key
from .taxonomy import RANK, TERRITORY

# a telling is compared with the last MERGE_WINDOW distinct incidents only: no article tells more (the gold's
# largest has 30 events), and a flood of repeated sentences stays linear (issue 17: a 1.6 MB page took 106 s)
MERGE_WINDOW = 256
# evidence spans kept per event: every telling of a real article (the gold's most told incident has 6), not the
# thousands of a page that repeats one sentence, whose absorbing would grow quadratic
MAX_TELLINGS = 64


def merge_tellings(events: list[Event], feats: dict[int, dict[str, float]] | None = None) -> list[Event]:
    """Fold every later telling of an incident into its first telling; ``feats`` (the scorer's features by
    event id) are merged the same way."""
    out: list[Event] = []
    for ev in events:
        target = next((o for o in out[-MERGE_WINDOW:] if _same_incident(o, ev)), None)
        if target is None:
            out.append(ev)
        else:
            absorb(target, ev)
            if feats is not None and id(ev) in feats:
                # the merged candidate has every telling's evidence: the union of their features
                into = feats.setdefault(id(target), {})
                for k, v in feats.pop(id(ev)).items():
                    into[k] = max(into.get(k, v), v)
    return out


def date_overlap(a: Event, b: Event, slack: int = 1) -> bool:
    """Date ranges within ``slack`` days of overlapping; an undated telling overlaps anything."""
    a0, a1 = iso_date(a.event_date), iso_date(a.date_end or a.event_date)
    b0, b1 = iso_date(b.event_date), iso_date(b.date_end or b.event_date)
    if None in (a0, a1, b0, b1):
        return True
    assert a0 and a1 and b0 and b1
    return a0 - timedelta(days=slack) <= b1 and b0 - timedelta(days=slack) <= a1


def _actors_compatible(a: Event, b: Event) -> bool:
    sa = {x for x in (a.actor1, a.actor2) if x}
    sb = {x for x in (b.actor1, b.actor2) if x}
    if not sa or not sb:
        return True
    if sa & sb:
        return True
    ia = {x for x in (a.inter1, a.inter2) if x}
    ib = {x for x in (b.inter1, b.inter2) if x}
    return ia == ib


def _place_relation(a: Event, b: Event) -> str:
    """'same', 'contains' (a coarser, containing b), 'within' (a finer) or 'other'."""
    keys = ("pcode", "location", "country", "admin1", "admin2", "admin3", "geo_precision")
    ra, rb = ({k: getattr(e, k) for k in keys} for e in (a, b))
    if place_key(ra) and place_key(ra) == place_key(rb):
        return "same"
    if contains_place(ra, rb):
        return "contains"
    if contains_place(rb, ra):
        return "within"
    return "other"


def _same_toll(a: Event, b: Event) -> bool:
    """One incident told twice with two words ("سقوط صاروخ ... مقتل 18" / "قصف ... بمقتل 18"): the same place,
    days and a non-zero death toll, both violent."""
    return (
        a.kind == b.kind == "acled"
        and a.plover == b.plover == "ASSAULT"
        and bool(a.fatalities)
        and a.fatalities == b.fatalities
        and bool(a.pcode or a.location)
        and place_key(_loc(a)) == place_key(_loc(b))
        and date_overlap(a, b, slack=0)
        and _actors_compatible(a, b)
    )


def _loc(e: Event) -> dict[str, Any]:
    return {k: getattr(e, k) for k in ("pcode", "location", "location_ar")}


def _same_incident(a: Event, b: Event) -> bool:
    if a.kind == b.kind == "acled" and a.sub_event_type != b.sub_event_type and _same_toll(a, b):
        return True
    if a.kind != b.kind or a.event_type != b.event_type:
        return False
    if a.sub_event_type != b.sub_event_type and not (
        "type_from_generic" in a.flags or "type_from_generic" in b.flags
    ):
        return False  # an "explosion" told again as a "suicide bombing" is one event; a strike and a clash are two
    rel = _place_relation(a, b)
    if rel == "other":
        return False
    if not date_overlap(a, b):
        return False
    if rel == "same":
        # one article, one place, one day window, one type: same incident unless actors clearly differ...
        if not _actors_compatible(a, b):
            return False
        # ...or they are told of different spots of one town ("حي الخالدية" / "حي جمعية الزهراء")
        placed = not any(f.startswith("location_from_") for f in (*a.flags, *b.flags))
        if (
            placed
            and a.location_ar
            and b.location_ar
            and not _same_words(a.location_ar, b.location_ar)
            and (_SPOT.search(a.location_ar) or _SPOT.search(b.location_ar))
        ):
            return (a.event_date, a.date_end) == (b.event_date, b.date_end) and _evidence_near(a, b)
        return True
    # a coarser mention of the same incident folds into the located one: when it was placed only by its
    # context, or when the same actors are told of it in another sentence (a retelling, not an enumeration)
    coarse = a if rel == "contains" else b
    if not _actors_compatible(a, b):
        return False
    if a.fatalities and b.fatalities and a.fatalities != b.fatalities:
        return False  # two tolls (2 police in Sanliurfa, 32 dead in Suruc): two incidents
    if any(f.startswith("location_from_") for f in coarse.flags):
        return True
    same_actors = bool({x for x in (a.actor1, a.actor2) if x} & {x for x in (b.actor1, b.actor2) if x})
    sents_a = {f for f in a.flags if f.startswith("sent:")}
    sents_b = {f for f in b.flags if f.startswith("sent:")}
    return same_actors and not (sents_a & sents_b)


# a spot inside a town (a neighbourhood, a square, a street): two spots of one town are two places; two names of
# one town ("بلدة كوباني" / "عين العرب") are one
_SPOT = cue_pattern("spot")


def _same_words(a: str, b: str) -> bool:

    def words(x: str) -> set[str]:
        return {w for w in normalize_key(x).split() if len(w) > 2 and w not in _PLACE_CUES}

    return bool(words(a) & words(b))


_PLACE_CUES = cue_words("place_cues")


def _evidence_near(a: Event, b: Event) -> bool:
    """Told within the same sentence span (evidence overlapping or touching)."""
    return any(x.start <= y.end and y.start <= x.end for x in a.evidence for y in b.evidence)


def absorb(into: Event, ev: Event) -> None:
    """Fold a second telling of the same incident into ``into``."""
    if (into.sub_event_type != ev.sub_event_type and into.event_type != ev.event_type) or (
        into.sub_event_type != ev.sub_event_type
        and "type_from_generic" not in ev.flags
        and "type_from_generic" not in into.flags
    ):
        # the same toll told with two words: the more specific sub-event type wins
        if RANK.get(ev.sub_event_type or "", 99) < RANK.get(into.sub_event_type or "", 99):
            into.sub_event_type, into.event_type, into.plover = ev.sub_event_type, ev.event_type, ev.plover
            for k in ("sub_event_type", "event_type", "plover"):
                if k in ev.field_evidence:
                    into.field_evidence[k] = list(ev.field_evidence[k])
    elif (
        into.sub_event_type != ev.sub_event_type
        and "type_from_generic" in into.flags
        and "type_from_generic" not in ev.flags
        and not (into.sub_event_type in TERRITORY and ev.sub_event_type == "Armed clash")
    ) or (
        into.sub_event_type == "Armed clash"
        and "type_from_generic" not in into.flags
        and ev.sub_event_type in TERRITORY
    ):
        # a change of control told with its fighting is the territory event (ACLED: the capture subsumes it)
        into.sub_event_type, into.plover = ev.sub_event_type, ev.plover
        into.flags = [f for f in into.flags if f != "type_from_generic"]
    if _place_relation(into, ev) == "contains":
        for f in LOCATION_FIELDS:
            setattr(into, f, getattr(ev, f))
            if f in ev.field_evidence:
                into.field_evidence[f] = list(ev.field_evidence[f])
            else:
                into.field_evidence.pop(f, None)
    for slot in ("1", "2"):
        if getattr(into, f"actor{slot}") is None and getattr(ev, f"actor{slot}") is not None:
            for f in ("actor", "actor_ar", "inter"):
                name = f.replace("_", slot + "_") if "_" in f else f + slot
                setattr(into, name, getattr(ev, name))
                if name in ev.field_evidence:
                    into.field_evidence[name] = list(ev.field_evidence[name])
    if into.actor1 is None and into.actor2 is not None and ev.actor1 is not None and ev.actor1 != into.actor2:
        into.actor1, into.actor1_ar, into.inter1 = ev.actor1, ev.actor1_ar, ev.inter1
    # dates: an explicit date beats a defaulted one; two explicit ones keep the narrower
    if "date_defaulted" not in into.flags and "date_defaulted" in ev.flags:
        ev.flags = [f for f in ev.flags if f not in ("date_defaulted", "date_from_report")]
    weak_into = "date_defaulted" in into.flags or "date_from_report" in into.flags
    weak_ev = "date_defaulted" in ev.flags or "date_from_report" in ev.flags
    if (weak_into and not weak_ev) or ("date_defaulted" in into.flags and "date_defaulted" not in ev.flags):
        # a date stated for the event beats the report's day and the defaulted news day
        into.event_date, into.date_end, into.time_precision = ev.event_date, ev.date_end, ev.time_precision
        into.flags = [f for f in into.flags if f not in ("date_defaulted", "date_from_report")]
        for f in ("event_date", "date_end", "time_precision"):
            if f in ev.field_evidence:
                into.field_evidence[f] = list(ev.field_evidence[f])
    # casualties: the most conservative telling of the same victims; different victims add up
    into.fatalities = _merge_fatalities(into, ev)
    room = len(into.evidence) < MAX_TELLINGS  # a flood of one sentence repeated keeps its first tellings only
    if ev.fatalities and "fatalities" in ev.field_evidence and room:
        into.field_evidence.setdefault("fatalities", []).extend(ev.field_evidence["fatalities"])
        into.fatalities_text = into.fatalities_text or ev.fatalities_text
    for f in ("wounded", "captured"):
        vals = [v for v in (getattr(into, f), getattr(ev, f)) if v is not None]
        setattr(into, f, min(vals) if vals else None)
        if f in ev.field_evidence and room:
            into.field_evidence.setdefault(f, []).extend(ev.field_evidence[f])
    if into.modality == "reported" and ev.modality != "reported":
        into.modality = ev.modality
        if "modality" in ev.field_evidence:
            into.field_evidence["modality"] = list(ev.field_evidence["modality"])
    into.attributed_to = into.attributed_to or ev.attributed_to
    if room:
        for sp in ev.evidence:
            if not any(sp.overlaps(e) for e in into.evidence):
                into.evidence.append(sp)
        for k, spans in ev.field_evidence.items():
            if k in ("sub_event_type", "event_type", "plover"):
                have = into.field_evidence.setdefault(k, [])
                seen = {(s.start, s.end) for s in have}
                have.extend(s for s in spans if (s.start, s.end) not in seen)
    have_flags = set(into.flags)
    into.flags.extend(
        f
        for f in ev.flags
        if f not in have_flags
        and (not f.startswith("victims:") or f.startswith("sent:"))
        and (room or not f.startswith("sent:"))
    )
    into.confidence = round(min(1.0, max(into.confidence, ev.confidence) + 0.05), 4)
    into.civilian_targeting = into.civilian_targeting or ev.civilian_targeting


def _victims(ev: Event) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in ev.flags:
        if f.startswith("victims:"):
            val, _, who = f[8:].partition("|")
            try:
                out[who] = out.get(who, 0) + int(val)
            except ValueError:
                continue
    return out


def _merge_fatalities(a: Event, b: Event) -> int:
    va, vb = _victims(a), _victims(b)
    fa, fb = a.fatalities or 0, b.fatalities or 0
    if not va or not vb:
        return max(fa, fb) if (fa == 0 or fb == 0) else min(fa, fb)
    # vague estimates never add to numbered ones
    if "~vague" in va and len(vb) and "~vague" not in vb:
        total = fb
    elif "~vague" in vb and "~vague" not in va:
        total = fa
    else:
        keys = set(va) | set(vb)
        total = 0
        for k in keys:
            xs = [v for v in (va.get(k), vb.get(k)) if v is not None]
            total += min(xs) if len(xs) == 2 else xs[0]
    merged = dict(va)
    for k, v in vb.items():
        merged[k] = min(merged[k], v) if k in merged else v
    a.flags = [f for f in a.flags if not f.startswith("victims:")] + [
        f"victims:{v}|{k}" for k, v in merged.items()
    ]
    return total
