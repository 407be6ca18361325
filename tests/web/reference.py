"""The reference meaning of each filter, on one event record in Python: the oracle the store's SQL is checked
against in the injection tests (the web app itself has ONE implementation, the store's, #16)."""

from __future__ import annotations

from typing import Any

from rasd.geo.distance import haversine_km
from rasd.geo.names import admin1_names, country_names
from rasd.store.filters import Filters, fold


def matches(self: Filters, ev: dict[str, Any], doc_text: str | None = None) -> bool:
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
    if self.country and fold(ev.get("country")) not in {fold(n) for n in country_names(self.country)}:
        return False
    if self.admin1 and fold(ev.get("admin1")) not in {fold(n) for n in admin1_names(self.admin1)}:
        return False
    if self.near:
        lat, lon = ev.get("latitude"), ev.get("longitude")
        if lat is None or lon is None or haversine_km(self.near[0], self.near[1], lat, lon) > self.near[2]:
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
