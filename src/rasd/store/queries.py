"""The store's events-and-queries part: filters to SQL, event / incident / document records, statistics."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from ..document import EVENT_FIELDS, week_of
from ..errors import StoreError
from ..geo.names import admin1_names, country_names
from .core import StoreCore, _chunks, _paged
from .filters import Filters

log = logging.getLogger(__name__)

_ONE_VALUE_FILTERS = (
    ("kind", "e.kind = ?"),
    ("since", "COALESCE(e.date_end, e.event_date) >= ?"),
    ("until", "e.event_date <= ?"),
    ("type", "LOWER(e.event_type) = LOWER(?)"),
    ("sub_type", "LOWER(e.sub_event_type) = LOWER(?)"),
    ("modality", "e.modality = ?"),
    ("source", "d.source = ?"),
    ("document_id", "e.document_id = ?"),
    ("incident_id", "e.incident_id = ?"),
)


class EventQueries(StoreCore):
    """Read API: events, incidents, search, statistics (plain JSON-ready dicts)."""

    # ------------------------------------------------------------------ queries
    def _where(self, f: Filters) -> tuple[str, list[Any]]:
        conds: list[str] = []
        params: list[Any] = []
        for name, sql in _ONE_VALUE_FILTERS:
            value = getattr(f, name)
            if value:
                conds.append(sql)
                params.append(value)
        # place names through the one resolver (#16): "Idlib", "إدلب", "ادلب" all select OCHA's "Idleb"
        for column, names in (("e.country", country_names), ("e.admin1", admin1_names)):
            value = f.country if column == "e.country" else f.admin1
            if value:
                values = [v.lower() for v in names(value)]
                conds.append(f"LOWER({column}) IN ({', '.join('?' * len(values))})")
                params += values
        if f.actor:
            # the words are literal text: % and _ typed by a user match themselves, not any string (#10)
            lit = f.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = f"%{lit.lower()}%"
            conds.append(
                "(LOWER(e.actor1) LIKE ? ESCAPE '\\' OR LOWER(e.actor2) LIKE ? ESCAPE '\\' "
                "OR e.actor1_ar LIKE ? ESCAPE '\\' OR e.actor2_ar LIKE ? ESCAPE '\\')"
            )
            params += [like, like, f"%{lit}%", f"%{lit}%"]
        if f.min_fatalities is not None:
            conds.append("e.fatalities >= ?")
            params.append(int(f.min_fatalities))
        if not f.include_rejected:
            conds.append("(e.review_status IS NULL OR e.review_status <> 'rejected')")
        if f.near is not None:
            sql, p = self._near_clause(*f.near)
            conds.append(sql)
            params += p
        if f.text:
            clause = self._text_clause(f.text)
            if clause is None:
                conds.append("1 = 0")
            else:
                conds.append(clause[0])
                params += clause[1]
        return (" WHERE " + " AND ".join(conds)) if conds else "", params

    def query_events(
        self, filters: Filters | dict[str, Any] | None = None, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """Events matching ``filters`` (a :class:`Filters`, a dict, or keyword arguments), newest first.

        Each record: ``event_id`` (store id "<document id>#<n>"), ``document_id``, ``incident_id``, ``kind``,
        every field of ``rasd.document.EVENT_FIELDS`` (analyst corrections applied), ``evidence`` and
        ``field_evidence`` spans ({start, end, text} into the document text), ``confidence``, ``flags``,
        ``notes``, ``review_status`` (None, accepted, rejected, corrected), and the document's ``source``,
        ``url``, ``title``, ``published``.
        """
        f = Filters.of(filters, **kwargs)
        where, params = self._where(f)
        sql = (
            "SELECT e.*, d.source AS source, d.url AS url, d.title AS title, d.published AS published "
            f"FROM events e JOIN documents d ON d.id = e.document_id{where} "
            "ORDER BY e.event_date DESC, e.id"
        )
        page, page_params = self._page(f)
        return self._event_records(self._rows(sql + page, params + page_params))

    def _page(self, f: Filters) -> tuple[str, list[Any]]:
        """The LIMIT/OFFSET clause of ``f`` (SQLite needs a LIMIT before an OFFSET: -1 is none)."""
        if f.limit is not None:
            return " LIMIT ? OFFSET ?", [f.limit, f.offset]
        if f.offset:
            return (" LIMIT -1 OFFSET ?" if self.dialect == "sqlite" else " OFFSET ?"), [f.offset]
        return "", []

    def iter_events(
        self, filters: Filters | dict[str, Any] | None = None, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        """Like :meth:`query_events`, in pages of 1,000 (for exports of whole databases)."""
        return _paged(self.query_events, Filters.of(filters, **kwargs))

    def iter_incidents(
        self, filters: Filters | dict[str, Any] | None = None, *, with_events: bool = True, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        """Like :meth:`query_incidents`, in pages of 1,000: an export of every incident holds one page (#10)."""
        return _paged(
            lambda f: self.query_incidents(f, with_events=with_events), Filters.of(filters, **kwargs)
        )

    def count_events(self, filters: Filters | dict[str, Any] | None = None, **kwargs: Any) -> int:
        f = Filters.of(filters, **kwargs)
        where, params = self._where(f)
        row = self._one(
            f"SELECT COUNT(*) AS n FROM events e JOIN documents d ON d.id = e.document_id{where}", params
        )
        return int(row["n"]) if row else 0

    def _event_records(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [r["id"] for r in rows]
        spans: dict[str, list[dict[str, Any]]] = {}
        fspans: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for chunk in _chunks(ids):
            for s in self._rows(
                f"SELECT event_id, field, start_char, end_char, text FROM evidence WHERE event_id IN "
                f"({', '.join('?' * len(chunk))}) ORDER BY rid",
                tuple(chunk),
            ):
                span = {"start": s["start_char"], "end": s["end_char"], "text": s["text"]}
                if s["field"] is None:
                    spans.setdefault(s["event_id"], []).append(span)
                else:
                    fspans.setdefault(s["event_id"], {}).setdefault(s["field"], []).append(span)
        out = []
        for r in rows:
            rec: dict[str, Any] = {
                "event_id": r["id"],
                "document_id": r["document_id"],
                "incident_id": r.get("incident_id"),
                "kind": r["kind"],
            }
            for name in EVENT_FIELDS:
                rec[name] = self._from_db(name, r.get(name))
            rec["evidence"] = spans.get(r["id"], [])
            rec["field_evidence"] = fspans.get(r["id"], {})
            rec["confidence"] = r.get("confidence")
            rec["flags"] = json.loads(r["flags"]) if r.get("flags") else []
            rec["notes"] = r.get("notes")
            rec["why"] = json.loads(r["why"]) if r.get("why") else {}
            rec["review_status"] = r.get("review_status")
            for k in ("source", "url", "title", "published"):
                rec[k] = r.get(k)
            out.append(rec)
        return out

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """One event record (as :meth:`query_events`, rejected ones included), or None."""
        r = self._rows(
            "SELECT e.*, d.source AS source, d.url AS url, d.title AS title, d.published AS published "
            "FROM events e JOIN documents d ON d.id = e.document_id WHERE e.id = ?",
            (event_id,),
        )
        recs = self._event_records(r)
        return recs[0] if recs else None

    def query_incidents(
        self, filters: Filters | dict[str, Any] | None = None, *, with_events: bool = True, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """Incidents with at least one member event matching ``filters`` (``min_fatalities`` applies to the
        incident's conservative figure), newest first.

        Each record: ``incident_id``, event_type, sub_event_type, event_date, date_end, actor1, actor2,
        location, country, admin1, admin2, pcode, latitude, longitude, geo_precision, ``fatalities`` (the
        lowest figure any source gave), ``fatalities_max``, n_events, n_documents, ``sources`` (outlets),
        ``disagreements`` ([{field, values: [{value, events, sources}]}]), and with ``with_events`` the member
        ``events`` (records as :meth:`query_events`, each with its evidence).
        """
        f = Filters.of(filters, **kwargs)
        min_fat = f.min_fatalities
        inner = Filters.of(f, min_fatalities=None, limit=None, offset=0)
        where, params = self._where(inner)
        where += (" AND " if where else " WHERE ") + "e.incident_id IS NOT NULL"
        sql = (
            "SELECT i.* FROM incidents i WHERE i.id IN (SELECT e.incident_id FROM events e JOIN documents d "
            f"ON d.id = e.document_id{where})"
        )
        if min_fat is not None:
            sql += " AND i.fatalities >= ?"
            params.append(int(min_fat))
        sql += " ORDER BY i.event_date DESC, i.id"
        page, page_params = self._page(f)
        rows = self._rows(sql + page, params + page_params)
        return [self._incident_record(r, with_events=with_events) for r in rows]

    def _incident_record(self, r: dict[str, Any], *, with_events: bool) -> dict[str, Any]:
        rec = {"incident_id": r["id"]}
        for k in r:
            if k not in ("id", "sources", "disagreements"):
                rec[k] = r[k]
        if "civilian_targeting" in rec:
            rec["civilian_targeting"] = bool(rec["civilian_targeting"])
        rec["sources"] = json.loads(r["sources"]) if r.get("sources") else []
        rec["disagreements"] = json.loads(r["disagreements"]) if r.get("disagreements") else []
        if with_events:
            rows = self._rows(
                "SELECT e.*, d.source AS source, d.url AS url, d.title AS title, d.published AS published "
                "FROM incident_events ie JOIN events e ON e.id = ie.event_id JOIN documents d "
                "ON d.id = e.document_id WHERE ie.incident_id = ? ORDER BY e.rid",
                (r["id"],),
            )
            rec["events"] = self._event_records(rows)
        return rec

    def get_incident(self, incident_id: str) -> dict[str, Any] | None:
        """One incident record with its member events, or None."""
        row = self._one("SELECT * FROM incidents WHERE id = ?", (incident_id,))
        return None if row is None else self._incident_record(row, with_events=True)

    def search_documents(self, text: str, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Documents whose normalised title or text contain every word of ``text`` (hamza/alef/ta marbuta
        insensitive, article-insensitive, prefix match): [{id, source, url, title, published, n_events}]."""
        clause = self._text_clause(text)
        if clause is None:
            return []
        return self._rows(
            "SELECT d.id, d.source, d.url, d.title, d.published, "
            "(SELECT COUNT(*) FROM events e WHERE e.document_id = d.id) AS n_events "
            f"FROM documents d WHERE {clause[0]} ORDER BY d.published DESC, d.id LIMIT ? OFFSET ?",
            (*clause[1], limit, offset),
        )

    def stats(
        self, by: str = "type", filters: Filters | dict[str, Any] | None = None, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """Counts per group: ``by`` = "type" (event_type), "sub_type", "admin1", "country", "source" or "week"
        (ISO week, key = its Monday). Each row: {key, events, incidents, fatalities} (fatalities summed per
        event: sources repeat, so prefer incident-level numbers for totals). Ordered by key."""
        column = {
            "type": "e.event_type",
            "sub_type": "e.sub_event_type",
            "admin1": "e.admin1",
            "country": "e.country",
            "source": "d.source",
            "week": "e.event_date",
        }.get(by)
        if column is None:
            raise StoreError(
                f"cannot group stats by '{by}'; use type, sub_type, admin1, country, source or week"
            )
        f = Filters.of(filters, **kwargs)
        where, params = self._where(Filters.of(f, limit=None, offset=0))
        rows = self._rows(
            f"SELECT {column} AS key, e.incident_id AS incident_id, COUNT(*) AS events, "
            "SUM(e.fatalities) AS fatalities FROM events e JOIN documents d ON d.id = e.document_id"
            f"{where} GROUP BY {column}, e.incident_id",
            params,
        )
        groups: dict[Any, dict[str, Any]] = {}
        for r in rows:
            key = r["key"]
            if by == "week" and key:
                key = week_of(key)
            g = groups.setdefault(key, {"key": key, "events": 0, "incidents": set(), "fatalities": 0})
            g["events"] += int(r["events"])
            g["fatalities"] += int(r["fatalities"] or 0)
            if r["incident_id"]:
                g["incidents"].add(r["incident_id"])
        out = []
        for key in sorted(groups, key=lambda k: (k is None, str(k))):
            g = groups[key]
            out.append(
                {
                    "key": key,
                    "events": g["events"],
                    "incidents": len(g["incidents"]),
                    "fatalities": g["fatalities"],
                }
            )
        return out

    def counts(self) -> dict[str, int]:
        """Rows per main table."""
        out = {}
        for table in (
            "documents",
            "mentions",
            "events",
            "evidence",
            "incidents",
            "event_reviews",
            "ingest_runs",
        ):
            row = self._one(f"SELECT COUNT(*) AS n FROM {table}")
            out[table] = int(row["n"]) if row else 0
        return out

    def document_ids(self) -> list[str]:
        return [r["id"] for r in self._rows("SELECT id FROM documents ORDER BY id")]
