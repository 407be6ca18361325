"""Cross-source grouping: events from different articles that describe the same incident.

Two events may belong to one incident when ALL of these hold:

1. compatible types: same ACLED event_type (any sub-types), or a pair in :data:`COMPATIBLE_TYPES`;
2. dates: their date ranges are within one day of overlapping (a missing date falls back to the article's date);
3. place: same P-code (score 1.0), same place name in the same country (0.9), same admin2 district (0.7),
   within 25 km (0.6), same admin1 when one side only knows the region (geo_precision 3: 0.5); when neither
   event has any place, the same country (0.3); never across a border;
4. actors: compatible: no named actor on one side, or at least one shared (generic "Unidentified ..." actors
   never conflict);
5. text: the cosine of their evidence vectors (:mod:`rasd.store.similarity`) reaches the embedder's threshold for
   that strength of place match (lower when it is the same town);
6. never two events of the same document (a coder already split them on purpose).

Incremental: a new event is compared only with the incidents of its block (compatible type, dates within a
day; found through the ``incidents_block`` index), joins the best-scoring one, or starts a new incident. Cost is
linear in the number of events times the (small) block size; nothing is re-clustered.

Bounded: memory and time per document do not grow with the size of the store (see "Memory" in docs/store.md).
A new event is compared with at most :data:`CANDIDATES_PER_INCIDENT` (the most recent) members of each
incident and :data:`MAX_CANDIDATES` candidate events in all, and an incident holds at most
:data:`MAX_INCIDENT_EVENTS` events: a further report of it starts a new incident. Real incidents are reported
by tens of outlets; the cap only bites on floods of copies (the same article re-published under many ids),
which would otherwise make every new copy re-read an ever-growing incident.

An incident's fields are recomputed from its members: the most conservative (lowest) fatality figure among
the sources that give one (ACLED), the most precise location, the earliest start and latest end date, every
source, and ``disagreements`` listing each field on which members differ, with the value each source gave
(e.g. fatalities 30 vs 32). A source silent on deaths is not a source saying 0: the coder writes 0 both for
"no deaths mentioned" and for "no reports of casualties", so a report of 0 counts only when no source gives
a positive figure (the Suruç bombing, 27 to 33 killed in most reports, is not 0 because one outlet only
described the blast). Every ACLED field of the incident row is filled: ``time_precision`` (the most precise
source, widened to what the incident's date range allows), ``inter1``/``inter2`` (those of the sources that
named the incident's actor1/actor2), ``admin3`` and ``civilian_targeting``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from ..document import iso_date
from ..geo.distance import haversine_km
from ..text.normalize import normalize_key

COMPATIBLE_TYPES: dict[str, tuple[str, ...]] = {
    "Explosions/Remote violence": ("Explosions/Remote violence", "Violence against civilians"),
    "Violence against civilians": ("Violence against civilians", "Explosions/Remote violence"),
}
NEAR_KM = 25.0
MAX_INCIDENT_EVENTS = 500  # an incident this large takes no more events (a new report starts a new incident)
CANDIDATES_PER_INCIDENT = 16  # members of one incident a new event is compared with (the most recent)
MAX_CANDIDATES = 400  # candidate events per new event, all incidents of its block together (the most recent)
DISAGREEMENT_FIELDS = (
    "fatalities",
    "wounded",
    "sub_event_type",
    "event_date",
    "actor1",
    "actor2",
    "pcode",
    "location",
)
# catch-all ACLED names that say "someone of this kind", not who: never a conflict between two reports
_GENERIC_ACTOR_PREFIXES = (
    "unidentified",
    "unknown",
    "civilians",
    "opposition rebels",
    "protesters",
    "rioters",
)


def compatible_types(event_type: str) -> tuple[str, ...]:
    return COMPATIBLE_TYPES.get(event_type, (event_type,))


@dataclass(slots=True)
class Member:
    """The parts of an event that grouping looks at (built from an events row + its evidence text)."""

    id: str
    document_id: str
    source: str | None
    event_type: str | None
    sub_event_type: str | None = None
    event_date: str | None = None
    date_end: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    pcode: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_text: str | None = None
    wounded: int | None = None
    time_precision: int | None = None
    inter1: int | None = None
    inter2: int | None = None
    admin3: str | None = None
    civilian_targeting: bool | None = None
    evidence: str = ""
    published: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict[str, Any], evidence: str = "") -> Member:
        known = set(cls.__dataclass_fields__) - {"evidence", "extra", "id", "document_id", "source"}
        values: dict[str, Any] = {k: row.get(k) for k in known}
        return cls(row["id"], row["document_id"], row.get("source"), evidence=evidence, **values)

    def start(self) -> date | None:
        return iso_date(self.event_date or self.published)

    def end(self) -> date | None:
        return iso_date(self.date_end or self.event_date or self.published)


def block_window(m: Member) -> tuple[str, str] | None:
    """The date range [start - 1 day, end + 1 day] to look for candidate incidents in (ISO strings)."""
    s, e = m.start(), m.end()
    if s is None or e is None:
        return None
    return (s - timedelta(days=1)).isoformat(), (e + timedelta(days=1)).isoformat()


def dates_close(a: Member, b: Member, days: int = 1) -> bool:
    sa, ea, sb, eb = a.start(), a.end(), b.start(), b.end()
    if sa is None or sb is None or ea is None or eb is None:
        return False
    return sa <= eb + timedelta(days=days) and sb <= ea + timedelta(days=days)


@lru_cache(maxsize=65536)
def _fold(value: str) -> str:
    return normalize_key(value).lower()


def _norm(value: str | None) -> str:
    return _fold(value) if value else ""


def place_score(a: Member, b: Member) -> float:
    """How surely two events happened at the same place (0 = different or unknown)."""
    if a.country and b.country and _norm(a.country) != _norm(b.country):
        return 0.0
    if a.pcode and b.pcode and a.pcode == b.pcode:
        return 1.0
    if a.location and b.location and _norm(a.location) == _norm(b.location):
        return 0.9
    if a.admin2 and b.admin2 and _norm(a.admin2) == _norm(b.admin2):
        return 0.7
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        if haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= NEAR_KM:  # type: ignore[arg-type]
            return 0.6
    coarse = (a.geo_precision or 0) >= 3 or (b.geo_precision or 0) >= 3
    if coarse and a.admin1 and b.admin1 and _norm(a.admin1) == _norm(b.admin1):
        return 0.5  # one side only knows the region: same governorate / province
    no_place_a = not (a.pcode or a.location or a.admin2 or a.latitude is not None)
    no_place_b = not (b.pcode or b.location or b.admin2 or b.latitude is not None)
    if no_place_a and no_place_b and a.country and a.country == b.country:
        return 0.3
    return 0.0


def _named_actors(m: Member) -> set[str]:
    out = set()
    for a in (m.actor1, m.actor2):
        n = _norm(a)
        if n and not n.startswith(_GENERIC_ACTOR_PREFIXES):
            out.add(n)
    return out


def actors_compatible(a: Member, b: Member) -> bool:
    na, nb = _named_actors(a), _named_actors(b)
    if not na or not nb or na & nb:
        return True
    return any(x in y or y in x for x in na for y in nb)


def structural_score(a: Member, b: Member) -> float:
    """Everything but text: 0 when the pair cannot be one incident, else the place score."""
    if not a.event_type or not b.event_type or b.event_type not in compatible_types(a.event_type):
        return 0.0
    if a.document_id == b.document_id:
        return 0.0
    if not dates_close(a, b) or not actors_compatible(a, b):
        return 0.0
    return place_score(a, b)


def accept(place: float, sim: float, threshold_same_place: float, threshold_near_place: float) -> bool:
    """Join when the text is similar enough for how sure the place match is."""
    if place >= 0.9:
        return sim >= threshold_same_place
    if place >= 0.6:
        return sim >= threshold_near_place
    if place >= 0.5:
        return sim >= threshold_near_place + 0.1
    if place > 0:
        return sim >= max(0.7, threshold_near_place + 0.2)
    return False


def new_incident_id(event_id: str, attempt: int = 0) -> str:
    key = event_id if attempt == 0 else f"{event_id}:{attempt}"
    return "inc-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def conservative_fatalities(members: list[Member]) -> int | None:
    """ACLED's figure for an incident: the lowest positive figure any source gives; 0 when every source that
    says something says 0 (or is silent); None when no member has a fatality field at all."""
    given = [m.fatalities for m in members if m.fatalities is not None]
    positive = [f for f in given if f > 0]
    if positive:
        return min(positive)
    return 0 if given else None


def _span_precision(start: str | None, end: str | None) -> int | None:
    """The ACLED time_precision a date range allows: 1 one day, 2 within a week, 3 longer."""
    s, e = iso_date(start), iso_date(end)
    if s is None:
        return None
    days = (e - s).days if e is not None else 0
    return 1 if days <= 0 else 2 if days <= 7 else 3


def _inter_of(members: list[Member], actor: str | None, side: int) -> int | None:
    """The inter code the sources that named ``actor`` on that side gave it (the most common one)."""
    if actor is None:
        return None
    codes = Counter(
        getattr(m, f"inter{side}")
        for m in members
        if getattr(m, f"actor{side}") == actor and getattr(m, f"inter{side}") is not None
    )
    return codes.most_common(1)[0][0] if codes else None


def aggregate(members: list[Member]) -> dict[str, Any]:
    """Incident fields from its member events (in membership order)."""
    if not members:
        raise ValueError("an incident needs at least one event")
    types = Counter(m.event_type for m in members if m.event_type)
    event_type = types.most_common(1)[0][0] if types else None
    subs = Counter(m.sub_event_type for m in members if m.sub_event_type and m.event_type == event_type)
    best_place = min(
        members,
        key=lambda m: (m.geo_precision if m.geo_precision is not None else 9, 0 if m.pcode else 1),
    )
    starts = [m.event_date for m in members if m.event_date]
    ends = [d for d in (m.date_end or m.event_date for m in members) if d]
    fat = [m.fatalities for m in members if m.fatalities is not None]
    precisions = [m.time_precision for m in members if m.time_precision is not None]
    targeting = Counter(bool(m.civilian_targeting) for m in members if m.event_type == event_type)
    a1 = Counter(m.actor1 for m in members if m.actor1)
    a2 = Counter(m.actor2 for m in members if m.actor2)
    sources = sorted({m.source for m in members if m.source})
    disagreements = []
    for name in DISAGREEMENT_FIELDS:
        by_value: dict[Any, list[Member]] = {}
        for m in members:
            v = getattr(m, name)
            if v is not None:
                by_value.setdefault(v, []).append(m)
        if len(by_value) > 1:
            disagreements.append(
                {
                    "field": name,
                    "values": [
                        {
                            "value": v,
                            "events": [m.id for m in ms],
                            "sources": sorted({m.source for m in ms if m.source}),
                        }
                        for v, ms in sorted(by_value.items(), key=lambda kv: str(kv[0]))
                    ],
                }
            )
    event_date = min(starts) if starts else None
    date_end = max(ends) if ends else None
    span = _span_precision(event_date, date_end)
    time_precision = max(min(precisions), span or 1) if precisions else span
    actor1 = a1.most_common(1)[0][0] if a1 else None
    actor2 = a2.most_common(1)[0][0] if a2 else None
    return {
        "event_type": event_type,
        "sub_event_type": subs.most_common(1)[0][0] if subs else None,
        "event_date": event_date,
        "date_end": date_end,
        "time_precision": time_precision,
        "actor1": actor1,
        "actor2": actor2,
        "inter1": _inter_of(members, actor1, 1),
        "inter2": _inter_of(members, actor2, 2),
        "civilian_targeting": targeting.most_common(1)[0][0] if targeting else False,
        "location": best_place.location,
        "country": best_place.country,
        "admin1": best_place.admin1,
        "admin2": best_place.admin2,
        "admin3": best_place.admin3,
        "pcode": best_place.pcode,
        "latitude": best_place.latitude,
        "longitude": best_place.longitude,
        "geo_precision": best_place.geo_precision,
        "fatalities": conservative_fatalities(members),
        "fatalities_max": max(fat) if fat else None,
        "n_events": len(members),
        "n_documents": len({m.document_id for m in members}),
        "sources": sources,
        "disagreements": disagreements,
    }
