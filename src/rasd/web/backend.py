"""What the web layer reads and writes, behind one small interface, so the API never depends on SQL details.

:class:`Backend` is what the HTTP API calls. Two implementations:

- :class:`MemoryBackend`: documents and events held in memory, loaded from ``rasd extract --format jsonl``
  output (``rasd serve --db out.jsonl``) or built from :class:`~rasd.document.Document` objects / dicts
  (tests, demos). Reviews go to an in-memory SQLite log unless a path is given.
- the store adapter (:mod:`rasd.web.storeview`): a database written by ``rasd ingest`` (see :func:`open_backend`).

Records are plain dicts shaped like the store's (``rasd.store`` ``query_events`` / ``get_document`` /
``query_incidents``): an event record is ``Event.to_dict()`` plus ``document_id``, ``incident_id``,
``review_status``, the document's ``source``/``title``/``published``/``url``, and (added by the web layer)
``review = {status, reviewer, created_at, comment, corrections}``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from ..document import Document, week_of
from ..errors import ServeError
from ..store.filters import Filters, fold
from .reviews import ReviewLog, apply_reviews

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


def stat_keys(by: str, ev: dict[str, Any]) -> list[str | None]:
    if by == "type":
        return [ev.get("event_type")]
    if by == "sub_type":
        return [ev.get("sub_event_type")]
    if by == "admin1":
        return [ev.get("admin1")]
    if by == "week":
        return [week_of(ev.get("event_date"))]
    if by == "country":
        return [ev.get("country")]
    if by == "source":
        return [ev.get("source")]
    raise ServeError(f"unknown stats dimension {by}")


def aggregate(by: str, events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``[{key, events, incidents, fatalities}]`` ordered by key (None last), as ``Store.stats``."""
    counts: Counter[str | None] = Counter()
    deaths: Counter[str | None] = Counter()
    incidents: dict[str | None, set[str]] = defaultdict(set)
    for ev in events:
        for key in stat_keys(by, ev):
            counts[key] += 1
            deaths[key] += int(ev.get("fatalities") or 0)
            if ev.get("incident_id"):
                incidents[key].add(ev["incident_id"])
    keys = sorted(counts, key=lambda k: (k is None, str(k)))
    return [
        {"key": k, "events": counts[k], "incidents": len(incidents[k]), "fatalities": deaths[k]} for k in keys
    ]


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


def _doc_record(rec: dict[str, Any]) -> dict[str, Any]:
    meta = rec.get("meta") or {}
    return {
        "id": str(rec["id"]),
        "title": rec.get("title") or meta.get("title"),
        "source": rec.get("source") or meta.get("source"),
        "url": rec.get("url") or meta.get("url"),
        "author": rec.get("author") or meta.get("author"),
        "published": rec.get("published") or meta.get("published"),
        "text": rec.get("text") or "",
        "mentions": list(rec.get("mentions") or []),
    }


def incident_record(iid: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    """An incident built from its member events (the store's record shape)."""
    members = sorted(members, key=lambda e: (e.get("published") or "", e["event_id"]))
    head = members[0]
    fats = [m["fatalities"] for m in members if m.get("fatalities") is not None]
    dates = sorted(d for m in members for d in (m.get("event_date"), m.get("date_end")) if d)
    disagreements = []
    for field in ("fatalities", "sub_event_type", "actor1", "actor2", "location", "event_date"):
        values: dict[str, dict[str, Any]] = {}
        for m in members:
            if m.get(field) is None:
                continue
            v = values.setdefault(json.dumps(m[field]), {"value": m[field], "events": [], "sources": []})
            v["events"].append(m["event_id"])
            v["sources"].append(m.get("source"))
        if len(values) > 1:
            disagreements.append({"field": field, "values": list(values.values())})
    out = {
        k: head.get(k) for k in ("event_type", "sub_event_type", "actor1", "actor2", "location", "country")
    }
    out.update(
        {k: head.get(k) for k in ("admin1", "admin2", "pcode", "latitude", "longitude", "geo_precision")}
    )
    out.update(
        {
            "incident_id": iid,
            "event_date": dates[0] if dates else None,
            "date_end": dates[-1] if dates else None,
            "fatalities": min(fats) if fats else None,
            "fatalities_max": max(fats) if fats else None,
            "n_events": len(members),
            "n_documents": len({m.get("document_id") for m in members}),
            "sources": sorted({m.get("source") or "" for m in members} - {""}),
            "disagreements": disagreements,
            "events": members,
        }
    )
    return out


class MemoryBackend:
    """Documents and events in memory; filters by :meth:`rasd.store.Filters.matches`. Fine up to ~100k events."""

    writable_reviews = True

    def __init__(
        self, records: Iterable[dict[str, Any] | Document] = (), review_log: ReviewLog | None = None
    ):
        self.docs: dict[str, dict[str, Any]] = {}
        self.raw_events: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        self.log = review_log or ReviewLog.memory()
        for rec in records:
            self.add(rec)

    # -- loading --------------------------------------------------------------------------------------------
    @classmethod
    def from_jsonl(cls, path: str | Path, review_db: str | Path | None = None) -> MemoryBackend:
        """Load ``rasd extract --format jsonl [--mentions]`` output; reviews in ``review_db`` when given."""
        import sqlite3

        p = Path(path)
        if not p.is_file():
            raise ServeError(f"{p}: no such file")
        log = ReviewLog(sqlite3.connect(str(review_db), check_same_thread=False)) if review_db else None
        recs = []
        with p.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    recs.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ServeError(f"{p}:{i}: not JSON ({exc.msg})") from None
        return cls(recs, review_log=log)

    def add(self, rec: dict[str, Any] | Document) -> None:
        """Add a document (a Document, or a ``rasd extract`` record); events may carry ``incident_id``."""
        if isinstance(rec, Document):
            rec = rec.to_dict(with_text=True, with_mentions=True)
        doc = _doc_record(rec)
        self.docs[doc["id"]] = doc
        for i, raw in enumerate(rec.get("events") or []):
            ev = dict(raw)
            ev["event_id"] = str(ev.get("event_id") or f"{doc['id']}#{i}")
            ev["document_id"] = doc["id"]
            ev["incident_id"] = str(ev.get("incident_id") or ev["event_id"])
            for k in ("source", "title", "published", "url"):
                ev[k] = doc.get(k)
            if ev["event_id"] not in self.raw_events:
                self.order.append(ev["event_id"])
            self.raw_events[ev["event_id"]] = ev

    # -- reads ----------------------------------------------------------------------------------------------
    def _reviewed(self, ids: list[str]) -> list[dict[str, Any]]:
        logs = self.log.for_events(ids)
        return [apply_reviews(self.raw_events[i], logs.get(i)) for i in ids]

    def _all(self, f: Filters) -> list[dict[str, Any]]:
        evs = self._reviewed(self.order)
        out = [ev for ev in evs if f.matches(ev, self.docs.get(ev["document_id"], {}).get("text"))]
        out.sort(key=lambda e: e["event_id"])  # newest first, then id: the store's order
        out.sort(key=lambda e: e.get("event_date") or "", reverse=True)
        return out

    def events(self, f: Filters, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        evs = self._all(f)
        return evs[offset : offset + limit], len(evs)

    def event(self, event_id: str) -> dict[str, Any]:
        if event_id not in self.raw_events:
            raise NotFound(f"no event '{event_id}'")
        ev = self._reviewed([event_id])[0]
        ev["history"] = self.log.for_events([event_id]).get(event_id, [])
        ev["incident"] = self.incident(ev["incident_id"])
        return ev

    def incidents(self, f: Filters, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        matched = {ev["incident_id"] for ev in self._all(f)}
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ev in self._reviewed(self.order):
            if ev["incident_id"] in matched and (f.include_rejected or ev.get("review_status") != "rejected"):
                groups[ev["incident_id"]].append(ev)
        incs = [incident_record(k, v) for k, v in groups.items()]
        incs.sort(key=lambda i: i["incident_id"])
        incs.sort(key=lambda i: i.get("event_date") or "", reverse=True)
        return incs[offset : offset + limit], len(incs)

    def incident(self, incident_id: str) -> dict[str, Any]:
        members = [ev for ev in self._reviewed(self.order) if ev["incident_id"] == incident_id]
        if not members:
            raise NotFound(f"no incident '{incident_id}'")
        return incident_record(incident_id, members)

    def document(self, doc_id: str) -> dict[str, Any]:
        doc = self.docs.get(doc_id)
        if doc is None:
            raise NotFound(f"no document '{doc_id}'")
        ids = [i for i in self.order if self.raw_events[i]["document_id"] == doc_id]
        evs = self._reviewed(ids)
        out = dict(doc)
        out["events"] = evs
        out["spans"] = build_spans(doc, evs)
        return out

    def search(self, q: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        key = fold(q)
        hits = []
        for doc in self.docs.values():
            if key not in fold(doc["text"]) and key not in fold(doc.get("title")):
                continue
            n_events = sum(1 for ev in self.raw_events.values() if ev["document_id"] == doc["id"])
            hits.append(
                {k: doc.get(k) for k in ("id", "source", "url", "title", "published")}
                | {"n_events": n_events}
            )
        hits.sort(key=lambda h: (h.get("published") or "", h["id"]), reverse=True)
        return hits[offset : offset + limit], len(hits)

    def stats(self, by: str, f: Filters) -> list[dict[str, Any]]:
        return aggregate(by, self._all(f))

    # -- reviews --------------------------------------------------------------------------------------------
    def review(
        self, event_id: str, action: str, changes: dict[str, Any] | None, reviewer: str, comment: str | None
    ) -> dict[str, Any]:
        if event_id not in self.raw_events:
            raise NotFound(f"no event '{event_id}'")
        current = self._reviewed([event_id])[0]
        self.log.record(current, action, changes, reviewer, comment)
        return self.event(event_id)

    def reviews(self, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        return self.log.all(limit, offset)

    def reviewed_documents(
        self, include_unreviewed: bool
    ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        reviewed = set(self.log.reviewed_ids())
        by_doc: dict[str, list[str]] = defaultdict(list)
        for i in self.order:
            if include_unreviewed or i in reviewed:
                by_doc[self.raw_events[i]["document_id"]].append(i)
        for doc_id, ids in by_doc.items():
            yield self.docs[doc_id], self._reviewed(ids)

    def summary(self) -> dict[str, Any]:
        dates = sorted(e["event_date"] for e in self.raw_events.values() if e.get("event_date"))
        return {
            "documents": len(self.docs),
            "events": len(self.raw_events),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
        }

    def close(self) -> None:
        self.log.conn.close()


def open_backend(db: str) -> Backend:
    """Open what ``rasd serve --db`` names: a ``rasd ingest`` database (SQLite path or postgresql:// URL), or
    ``rasd extract --format jsonl`` output (served from memory; reviews go to ``FILE.reviews.db``)."""
    if db.endswith((".jsonl", ".json")):
        return MemoryBackend.from_jsonl(db, review_db=db + ".reviews.db")
    from .storeview import StoreBackend

    return StoreBackend.open(db)
