"""The HTTP API's event filters: query-string values checked and turned into :class:`rasd.store.Filters`, the
same filters (and names) as ``rasd query``; every web backend takes those.

``parse_filters(...)`` raises :class:`FilterError` (HTTP 400 with a message that says what to send instead).
"""

from __future__ import annotations

from datetime import date

from ..errors import ServeError
from ..store.filters import Filters

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


def parse_filters(
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
) -> Filters:
    """Check raw query-string values (lengths, dates, numbers, modality, point) and build the filters."""
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
    return Filters(
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
