"""Query filters shared by the Python API, ``rasd query``, ``rasd export`` and the web API.

The stores translate a :class:`Filters` into SQL, the one implementation of what a filter means (#16: the web
app serves JSONL through a store too); ``tests/web/reference.py`` restates it in Python as a test oracle."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from ..errors import StoreError
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
