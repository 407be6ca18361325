"""The store's incident-linking part: put each new event in an incident (see :mod:`rasd.store.incidents` for
the rules) and recompute an incident's fields from its members."""

from __future__ import annotations

import json
import logging
import math
from datetime import date, timedelta
from typing import Any

import numpy as np

from . import incidents as inc
from .core import StoreCore, _chunks, now
from .similarity import Embedder, from_bytes, to_bytes

log = logging.getLogger(__name__)

# what the blocking step reads of a candidate (the columns structural_score looks at; not notes, why, flags)
_CANDIDATE_COLUMNS = ", ".join(
    f"e.{c}"
    for c in (
        "rid",
        "id",
        "document_id",
        "incident_id",
        "event_type",
        "event_date",
        "date_end",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "admin2",
        "pcode",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
    )
)


class IncidentLinking(StoreCore):
    """Incremental cross-source grouping of events into incidents."""

    # ------------------------------------------------------------------ incidents
    def _assign_incidents(self, members: list[inc.Member]) -> set[str]:
        """Put each new event in an existing incident of its block, or in a new one; returns touched ids.

        Candidates come from other documents only, so they are found for all of the document's events first
        and every missing evidence vector is computed in one batch (the encoder is loaded only when some
        event has a candidate at all; an event without candidates is embedded only once it is one).
        """
        touched: set[str] = set()
        plans: list[tuple[inc.Member, list[tuple[inc.Member, float]]]] = []
        for m in members:
            scored = [(c, s) for c in self._candidate_members(m) if (s := inc.structural_score(m, c)) > 0]
            plans.append((m, scored))
        new = [m for m, scored in plans if scored]
        emb = self.embedder if new else None
        vectors = self._vectors(new, [c for _, scored in plans for c, _ in scored], emb) if emb else {}
        own: set[str] = set()  # incidents this document already joined: one event per document and incident
        for m, scored in plans:
            best: tuple[float, str] | None = None
            if emb is not None:
                for c, place in scored:
                    if c.extra["incident_id"] in own:
                        continue
                    sim = float(np.dot(vectors[m.id], vectors[c.id]))
                    if inc.accept(place, sim, emb.threshold_same_place, emb.threshold_near_place):
                        total = place + sim
                        if best is None or total > best[0]:
                            best = (total, c.extra["incident_id"])
            score: float | None = None
            if best is not None:
                score, incident_id = best
            else:
                incident_id = self._fresh_incident_id(m.id)
                self._exec(
                    "INSERT INTO incidents (id, event_type, event_date, date_end, n_events, n_documents, "
                    "updated_at) VALUES (?, ?, ?, ?, 0, 0, ?)",
                    (
                        incident_id,
                        m.event_type,
                        m.event_date or m.published,
                        m.date_end or m.event_date,
                        now(),
                    ),
                )
            self._exec(
                "INSERT INTO incident_events (incident_id, event_id, score) VALUES (?, ?, ?)",
                (incident_id, m.id, score),
            )
            self._exec("UPDATE events SET incident_id = ? WHERE id = ?", (incident_id, m.id))
            touched.add(incident_id)
            own.add(incident_id)
        return touched  # save_document refreshes each touched incident once

    def _fresh_incident_id(self, event_id: str) -> str:
        attempt = 0
        while True:
            iid = inc.new_incident_id(event_id, attempt)
            if self._one("SELECT id FROM incidents WHERE id = ?", (iid,)) is None:
                return iid
            attempt += 1

    def _candidate_members(self, m: inc.Member) -> list[inc.Member]:
        """Events already in incidents that could be the same incident as ``m``: the blocking step.

        Selected in SQL through the ``events_type_date`` index: a compatible type, dates within a day, another
        document, and a place that could match (same P-code, place name or admin2, inside the 25 km box, same
        admin1 when either side is only known to the region, or no place at all when ``m`` has none). The
        exact rules (:func:`rasd.store.incidents.structural_score`) then run on these few rows only.
        """
        window = inc.block_window(m)
        if window is None or not m.event_type:
            return []
        types = inc.compatible_types(m.event_type)
        lo, hi = window
        oldest = (date.fromisoformat(lo) - timedelta(days=31)).isoformat()  # ranges longer than a month: rare
        place: list[str] = []
        params: list[Any] = [*types, oldest, hi, lo, m.document_id]
        if m.pcode:
            place.append("e.pcode = ?")
            params.append(m.pcode)
        if m.location:
            place.append("LOWER(e.location) = LOWER(?)")
            params.append(m.location)
        if m.admin2:
            place.append("LOWER(e.admin2) = LOWER(?)")
            params.append(m.admin2)
        if m.latitude is not None and m.longitude is not None:
            dlat = inc.NEAR_KM / 110.574
            dlon = inc.NEAR_KM / max(
                1e-6, 111.320 * math.cos(math.radians(min(89.0, abs(m.latitude) + dlat)))
            )
            place.append("(e.latitude BETWEEN ? AND ? AND e.longitude BETWEEN ? AND ?)")
            params += [m.latitude - dlat, m.latitude + dlat, m.longitude - dlon, m.longitude + dlon]
        if m.admin1:
            place.append("(LOWER(e.admin1) = LOWER(?) AND (e.geo_precision >= 3 OR ? >= 3))")
            params += [m.admin1, m.geo_precision or 0]
        if not (m.pcode or m.location or m.admin2 or m.latitude is not None):
            place.append(
                "(e.pcode IS NULL AND e.location IS NULL AND e.admin2 IS NULL AND e.latitude IS NULL)"
            )
        # bounded whatever the store holds: incidents already full are left out, each incident offers its most
        # recent members only, and the block its most recent events only (rasd.store.incidents, "Bounded")
        params += [inc.MAX_INCIDENT_EVENTS, inc.CANDIDATES_PER_INCIDENT, inc.MAX_CANDIDATES]
        rows = self._rows(
            f"SELECT * FROM (SELECT {_CANDIDATE_COLUMNS}, d.source AS source, d.published AS published, "
            "ROW_NUMBER() OVER (PARTITION BY e.incident_id ORDER BY e.rid DESC) AS rasd_rank FROM events e "
            "JOIN documents d ON d.id = e.document_id JOIN incidents i ON i.id = e.incident_id "
            f"WHERE e.event_type IN ({', '.join('?' * len(types))}) AND e.event_date >= ? AND e.event_date <= ? "
            "AND COALESCE(e.date_end, e.event_date) >= ? "
            f"AND e.document_id <> ? AND e.incident_id IS NOT NULL AND ({' OR '.join(place)}) "
            "AND i.n_events < ?) c WHERE c.rasd_rank <= ? ORDER BY c.rid DESC LIMIT ?",
            params,
        )
        rows.reverse()  # oldest first, as before: on a tie the earliest candidate wins
        out = []
        for r in rows:  # evidence text is read only for the few whose vector is not stored yet (_vectors)
            c = inc.Member.from_row(r)
            c.extra["incident_id"] = r["incident_id"]
            out.append(c)
        return out

    def _evidence_text(self, event_ids: list[str]) -> dict[str, str]:
        out: dict[str, list[str]] = {}
        for chunk in _chunks(event_ids):
            for r in self._rows(
                f"SELECT event_id, text FROM evidence WHERE field IS NULL AND event_id IN "
                f"({', '.join('?' * len(chunk))}) ORDER BY rid",
                tuple(chunk),
            ):
                out.setdefault(r["event_id"], []).append(r["text"])
        return {k: " … ".join(v) for k, v in out.items()}

    def _vectors(
        self, new: list[inc.Member], stored: list[inc.Member], emb: Embedder
    ) -> dict[str, np.ndarray]:
        """Evidence vectors by event id, for the document's ``new`` events and ``stored`` candidates: a stored
        event's from the cache table when there, the others computed in one batch (each distinct text once,
        a stored event's evidence read only then) and cached in the table."""
        cached: dict[str, np.ndarray] = {}
        ids = list(dict.fromkeys(c.id for c in stored))
        for chunk in _chunks(ids):
            for r in self._rows(
                f"SELECT event_id, vector FROM event_embeddings WHERE model = ? AND event_id IN "
                f"({', '.join('?' * len(chunk))})",
                (emb.name, *chunk),
            ):
                cached[r["event_id"]] = from_bytes(r["vector"])
        missing = [i for i in ids if i not in cached]
        evidence = self._evidence_text(missing)
        texts = {m.id: m.evidence for m in new}  # new events are never in the table (a re-save deletes them)
        texts.update((i, evidence.get(i, "")) for i in missing)
        if texts:
            distinct = list(dict.fromkeys(texts.values()))
            blobs = {t: to_bytes(v) for t, v in zip(distinct, emb.encode(distinct), strict=True)}
            for event_id, text in texts.items():
                cached[event_id] = from_bytes(blobs[text])  # the float16 value a later run will read back
            self._execmany(
                "INSERT INTO event_embeddings (event_id, model, vector) VALUES (?, ?, ?) "
                "ON CONFLICT (event_id) DO UPDATE SET model = excluded.model, vector = excluded.vector",
                [(event_id, emb.name, blobs[text]) for event_id, text in texts.items()],
            )
        return cached

    def _refresh_incident(self, incident_id: str) -> None:
        rows = self._rows(
            "SELECT e.*, d.source AS source, d.published AS published FROM incident_events ie "
            "JOIN events e ON e.id = ie.event_id JOIN documents d ON d.id = e.document_id "
            "WHERE ie.incident_id = ? ORDER BY e.rid",
            (incident_id,),
        )
        live = [r for r in rows if r.get("review_status") != "rejected"] or rows
        if not rows:
            self._exec("DELETE FROM incidents WHERE id = ?", (incident_id,))
            return
        agg = inc.aggregate([inc.Member.from_row(r) for r in live])
        agg["sources"] = json.dumps(agg["sources"], ensure_ascii=False)
        agg["disagreements"] = json.dumps(agg["disagreements"], ensure_ascii=False, default=str)
        agg["updated_at"] = now()
        cols = list(agg)
        self._exec(
            f"UPDATE incidents SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            (*[agg[c] for c in cols], incident_id),
        )

    def _after_v3(self) -> None:
        """Version 3 added incident fields computed in Python: recompute every incident of an older store."""
        for row in self._rows("SELECT id FROM incidents ORDER BY id"):
            self._refresh_incident(row["id"])
