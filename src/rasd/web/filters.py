"""Event filters shared by the HTTP API and every web backend: the same names as `rasd query`.

``EventFilter.parse(...)`` validates raw query-string values and raises :class:`FilterError` (HTTP 400 with a
message that says what to send instead); ``matches(event)`` is the reference semantics, used by the in-memory
backend and to post-filter anything a store cannot express.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ..errors import ServeError
from ..text.normalize import normalize_key

MODALITIES = ("reported", "claimed", "alleged", "denied")
MAX_TEXT = 500  # characters in one text filter (actor, text, q...): longer is an attack, not a search
MAX_COUNT = 10_000_000  # min_fatalities above this matches nothing anyway; refusing keeps SQL integers small


class FilterError(ServeError):
    """A query parameter has a value rasd cannot use (HTTP 400)."""

    code = "RASD701"


def _date(name: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise FilterError(f"{name}='{value}' is not a date; use YYYY-MM-DD") from None


def parse_near(value: str | None) -> tuple[float, float, float] | None:
    """``"LAT,LON,KM"`` -> floats; raises FilterError on anything else."""
    if value in (None, ""):
        return None
    parts = str(value).split(",")
    try:
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise FilterError(f"near='{value}' must be LAT,LON,KM (e.g. 35.9,36.6,25)") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= 20000):
        raise FilterError(f"near='{value}': latitude -90..90, longitude -180..180, radius 0..20000 km")
    return lat, lon, km


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def fold(text: str | None) -> str:
    """Case- and Arabic-variant-insensitive key (hamza/alef/ta marbuta/diacritics folded)."""
    return normalize_key(text or "").casefold()


@dataclass(frozen=True)
class EventFilter:
    since: str | None = None
    until: str | None = None
    type: str | None = None
    sub_type: str | None = None
    actor: str | None = None
    country: str | None = None
    admin1: str | None = None
    near: tuple[float, float, float] | None = None
    text: str | None = None
    min_fatalities: int | None = None
    modality: str | None = None
    document_id: str | None = None
    include_rejected: bool = False

    @classmethod
    def parse(
        cls,
        *,
        since: str | None = None,
        until: str | None = None,
        type: str | None = None,
        sub_type: str | None = None,
        actor: str | None = None,
        country: str | None = None,
        admin1: str | None = None,
        near: str | None = None,
        text: str | None = None,
        min_fatalities: int | str | None = None,
        modality: str | None = None,
        document_id: str | None = None,
        include_rejected: bool = False,
    ) -> EventFilter:
        for name, value in (
            ("type", type),
            ("sub_type", sub_type),
            ("actor", actor),
            ("country", country),
            ("admin1", admin1),
            ("near", near),
            ("text", text),
            ("modality", modality),
            ("document_id", document_id),
            ("since", since),
            ("until", until),
        ):
            if value is not None and len(str(value)) > MAX_TEXT:
                raise FilterError(f"{name} is {len(str(value))} characters long; at most {MAX_TEXT}")
        s, u = _date("since", since), _date("until", until)
        if s and u and s > u:
            raise FilterError(f"since={s} is after until={u}")
        mf: int | None = None
        if min_fatalities not in (None, ""):
            try:
                mf = int(str(min_fatalities))
            except ValueError:
                raise FilterError(f"min_fatalities='{min_fatalities}' must be a whole number") from None
            if not 0 <= mf <= MAX_COUNT:
                raise FilterError(f"min_fatalities must be between 0 and {MAX_COUNT}")
        mod = (modality or "").strip().lower() or None
        if mod and mod not in MODALITIES:
            raise FilterError(f"modality '{mod}' unknown; use one of {', '.join(MODALITIES)}")
        return cls(
            since=s,
            until=u,
            type=(type or "").strip() or None,
            sub_type=(sub_type or "").strip() or None,
            actor=(actor or "").strip() or None,
            country=(country or "").strip() or None,
            admin1=(admin1 or "").strip() or None,
            near=parse_near(near),
            text=(text or "").strip() or None,
            min_fatalities=mf,
            modality=mod,
            document_id=document_id or None,
            include_rejected=bool(include_rejected),
        )

    def as_dict(self) -> dict[str, Any]:
        """Only the filters that are set: the keyword arguments of ``rasd.store.Filters``."""
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}

    def matches(self, ev: dict[str, Any], doc_text: str | None = None) -> bool:
        """Reference semantics on one (review-applied) event record."""
        start = ev.get("event_date")
        end = ev.get("date_end") or start
        if self.since and (end is None or str(end) < self.since):
            return False
        if self.until and (start is None or str(start) > self.until):
            return False
        if self.type and (ev.get("event_type") or "").casefold() != self.type.casefold():
            return False
        if self.sub_type and (ev.get("sub_event_type") or "").casefold() != self.sub_type.casefold():
            return False
        if self.actor:
            key = fold(self.actor)
            names = [ev.get(k) for k in ("actor1", "actor2", "actor1_ar", "actor2_ar")]
            if not any(key in fold(n) for n in names if n):
                return False
        if self.country and fold(ev.get("country")) != fold(self.country):
            return False
        if self.admin1 and fold(ev.get("admin1")) != fold(self.admin1):
            return False
        if self.near:
            lat, lon = ev.get("latitude"), ev.get("longitude")
            if (
                lat is None
                or lon is None
                or haversine_km(self.near[0], self.near[1], lat, lon) > self.near[2]
            ):
                return False
        if self.min_fatalities is not None and (ev.get("fatalities") or 0) < self.min_fatalities:
            return False
        if self.modality and (ev.get("modality") or "reported") != self.modality:
            return False
        if not self.include_rejected and ev.get("review_status") == "rejected":
            return False
        if self.document_id and ev.get("document_id") != self.document_id:
            return False
        if self.text:
            key = fold(self.text)
            hay = [doc_text, ev.get("notes"), ev.get("location"), ev.get("location_ar")]
            hay += [s.get("text") for s in ev.get("evidence") or []]
            if not any(key in fold(h) for h in hay if h):
                return False
        return True
