"""Query filters shared by the Python API, ``rasd query``, ``rasd export`` and the web API.

The stores translate a :class:`Filters` into SQL; :meth:`Filters.matches` is the same selection on one event
record in Python, the reference semantics (the web app's in-memory backend filters with it, and the injection
tests compare every backend against it)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from ..errors import StoreError
from ..geo.distance import haversine_km
from ..text.normalize import normalize_key

_INT_MAX = 2**63 - 1


@dataclass(slots=True)
class Filters:
    """What to select. Every field is optional; all given fields must hold (AND).

    - ``since`` / ``until``: ISO dates; an event is kept when its date range overlaps [since, until].
    - ``type`` / ``sub_type``: ACLED event_type / sub_event_type, exact (case-insensitive).
    - ``actor``: substring of actor1, actor2 or their Arabic forms (case-insensitive; Arabic folded).
    - ``country`` / ``admin1``: exact (case-insensitive).
    - ``near``: ``(lat, lon, km)``: events within ``km`` kilometres (great-circle) of the point.
    - ``text``: full-text search over the documents' normalised text (hamza/alef/ta marbuta insensitive).
    - ``min_fatalities``: fatalities >= this.
    - ``modality``: reported / claimed / alleged / denied.
    - ``source``: the outlet (documents.source), exact.
    - ``document_id`` / ``incident_id``: events of one document / incident.
    - ``kind``: "acled" (default) or "statement"; None for both.
    - ``include_rejected``: keep events an analyst rejected (dropped by default).
    - ``limit`` / ``offset``: paging, ordered by event date (newest first), then id.
    """

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
    source: str | None = None
    document_id: str | None = None
    incident_id: str | None = None
    kind: str | None = "acled"
    include_rejected: bool = False
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if isinstance(value, date):
                setattr(self, name, value.isoformat())
            elif value is not None:
                try:
                    date.fromisoformat(str(value))
                except ValueError:
                    raise StoreError(f"{name} '{value}' is not a date; use YYYY-MM-DD") from None
        if self.near is not None:
            if isinstance(self.near, str):
                self.near = parse_near(self.near)
            lat, lon, km = (float(x) for x in self.near)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
                raise StoreError(f"near {self.near} is not LAT,LON,KM with a valid point and KM > 0")
            self.near = (lat, lon, km)
        if self.limit is not None and self.limit < 0:
            raise StoreError("limit must be >= 0")
        if self.offset < 0:
            raise StoreError("offset must be >= 0")
        for name in ("min_fatalities", "limit", "offset"):  # a database integer holds at most 2**63 - 1
            value = getattr(self, name)
            if isinstance(value, int) and not -_INT_MAX <= value <= _INT_MAX:
                raise StoreError(f"{name} {value} is out of range; use a number below {_INT_MAX:,}")

    @classmethod
    def of(cls, filters: Filters | dict[str, Any] | None = None, **kwargs: Any) -> Filters:
        """Build from a Filters, a dict (unknown keys rejected) and/or keyword arguments."""
        data: dict[str, Any] = {}
        if isinstance(filters, Filters):
            data = {f.name: getattr(filters, f.name) for f in fields(cls)}
        elif filters:
            data = dict(filters)
        data.update(kwargs)
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise StoreError(
                f"unknown filter(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
            )
        return cls(**{k: v for k, v in data.items() if v is not None or k == "kind"})

    def given(self) -> dict[str, Any]:
        """The filters set to something other than their default: what the HTTP API echoes back."""
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) != f.default}

    def matches(self, ev: dict[str, Any], doc_text: str | None = None) -> bool:
        """Whether one (review-applied) event record is selected; ``doc_text`` is its article, for ``text``.
        Paging (``limit``/``offset``) is the caller's."""
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
        if self.source and ev.get("source") != self.source:
            return False
        if self.document_id and ev.get("document_id") != self.document_id:
            return False
        if self.incident_id and ev.get("incident_id") != self.incident_id:
            return False
        if self.kind and (ev.get("kind") or "acled") != self.kind:
            return False
        if not self.include_rejected and ev.get("review_status") == "rejected":
            return False
        if self.text:
            key = fold(self.text)
            hay = [doc_text, ev.get("notes"), ev.get("location"), ev.get("location_ar")]
            hay += [s.get("text") for s in ev.get("evidence") or []]
            if not any(key in fold(h) for h in hay if h):
                return False
        return True


def fold(text: str | None) -> str:
    """Case- and Arabic-variant-insensitive key (hamza/alef/ta marbuta/diacritics folded)."""
    return normalize_key(text or "").casefold()


def parse_near(value: str) -> tuple[float, float, float]:
    """``"36.2,37.1,25"`` -> ``(36.2, 37.1, 25.0)``."""
    parts = [p.strip() for p in value.split(",")]
    try:
        if len(parts) != 3:
            raise ValueError
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise StoreError(f"--near '{value}' must be LAT,LON,KM (e.g. 36.2,37.16,25)") from None
    return lat, lon, km
