"""What the web layer reads and writes, behind one small interface, so the API never depends on SQL details.

:class:`Backend` is what the HTTP API calls. ONE implementation (#16): the store adapter
(:mod:`rasd.web.storeview`) over a :class:`rasd.store.Store`: a database written by ``rasd ingest``, or
``rasd extract --format jsonl`` output loaded into a SQLite store beside it (``rasd serve --db out.jsonl``), so
filters, reviews, statistics and exports have one meaning whatever is served.

Records are plain dicts shaped like the store's (``rasd.store`` ``query_events`` / ``get_document`` /
``query_incidents``), with (added by the web layer) ``review = {status, reviewer, created_at, comment,
corrections}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from ..errors import ServeError
from ..store.filters import Filters

STATS_BY = ("type", "sub_type", "admin1", "country", "source", "week")
MENTION_KINDS_SHOWN = ("actor", "place", "date", "quantity", "trigger", "source")


class NotFound(ServeError):
    """No such event / document / incident (HTTP 404)."""

    code = "RASD704"


class Backend(Protocol):
    """The read/write surface of the web app. Every list call returns ``(items, total)``."""

    writable_reviews: bool

    def events(self, f: Filters, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]: ...

    def event(self, event_id: str) -> dict[str, Any]: ...

    def incidents(self, f: Filters, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]: ...

    def incident(self, incident_id: str) -> dict[str, Any]: ...

    def document(self, doc_id: str) -> dict[str, Any]: ...

    def search(self, q: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]: ...

    def stats(self, by: str, f: Filters) -> list[dict[str, Any]]: ...

    def review(
        self, event_id: str, action: str, changes: dict[str, Any] | None, reviewer: str, comment: str | None
    ) -> dict[str, Any]: ...

    def reviews(self, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]: ...

    def reviewed_documents(
        self, include_unreviewed: bool
    ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(document record with text, its events in review view) for documents with reviewed events."""
        ...

    def summary(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


def build_spans(doc: dict[str, Any], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Highlightable spans of a document: its mentions and every event's evidence and field evidence.

    Each span is ``{start, end, text, kind, field?, event_id?}``; kinds the page colours: actor, place, date,
    number, trigger, source, evidence.
    """
    kind_of_field = {
        "actor1": "actor",
        "actor2": "actor",
        "actor1_ar": "actor",
        "actor2_ar": "actor",
        "location": "place",
        "location_ar": "place",
        "event_date": "date",
        "date_end": "date",
        "fatalities": "number",
        "fatalities_text": "number",
        "wounded": "number",
        "captured": "number",
        "attributed_to": "source",
        "modality": "source",
        "event_type": "trigger",
        "sub_event_type": "trigger",
        "trigger": "trigger",
        "plover": "trigger",
    }
    text = doc.get("text") or ""
    n = len(text)
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, int, str, str | None]] = set()

    def add(span: dict[str, Any], kind: str, **extra: Any) -> None:
        try:
            s, e = int(span["start"]), int(span["end"])
        except (KeyError, TypeError, ValueError):
            return
        if not 0 <= s < e <= n:
            return
        key = (s, e, kind, extra.get("event_id"))
        if key in seen:
            return
        seen.add(key)
        out.append({"start": s, "end": e, "text": text[s:e], "kind": kind, **extra})

    for m in doc.get("mentions") or []:
        kind = m.get("kind")
        if kind in MENTION_KINDS_SHOWN:
            add(m, "number" if kind == "quantity" else kind, source="mention")
    for ev in events:
        eid = ev.get("event_id")
        for sp in ev.get("evidence") or []:
            add(sp, "evidence", event_id=eid)
        for field, spans in (ev.get("field_evidence") or {}).items():
            kind = kind_of_field.get(field)
            if kind is None:
                continue
            for sp in spans:
                add(sp, kind, event_id=eid, field=field)
    out.sort(key=lambda s: (s["start"], -s["end"]))
    return out
