"""The Store: one interface over SQLite (default) and PostgreSQL, with the same tables and the same answers.

All SQL here is written once with ``?`` placeholders (PostgreSQL's adapter turns them into ``%s``) and only
parameterised: no value is ever formatted into a statement. Each dialect supplies connection handling,
migrations, the full-text index and the spatial index.
"""

from __future__ import annotations

import json
import logging
import math
import os
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from ..document import EVENT_FIELDS, Document, Event, Mention, Metadata, Span, week_of
from ..errors import StoreError
from ..process import pid_alive
from . import incidents as inc
from .filters import Filters
from .schema import _BOOL_FIELDS, _INT_FIELDS, _REAL_FIELDS, LATEST_VERSION, migrations
from .similarity import Embedder, from_bytes, get_embedder, to_bytes

log = logging.getLogger(__name__)

_EVENT_ROW_FIELDS = ("id", "document_id", "seq", "kind", "coder_event_id", *EVENT_FIELDS)
_EVENT_TAIL = ("confidence", "flags", "notes", "incident_id", "review_status")
_CHUNK = 500
REVIEW_ACTIONS = ("accept", "reject", "correct")


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _compact_json(value: Any) -> str:
    """Mention values as stored: no null keys (read back as missing = None), no spaces. ~35% smaller."""
    return json.dumps(_drop_nulls(value), ensure_ascii=False, separators=(",", ":"), default=str)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chunks(items: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


# filters that are one SQL condition with one parameter: (Filters field, condition)
_ONE_VALUE_FILTERS = (
    ("kind", "e.kind = ?"),
    ("since", "COALESCE(e.date_end, e.event_date) >= ?"),
    ("until", "e.event_date <= ?"),
    ("type", "LOWER(e.event_type) = LOWER(?)"),
    ("sub_type", "LOWER(e.sub_event_type) = LOWER(?)"),
    ("country", "LOWER(e.country) = LOWER(?)"),
    ("admin1", "LOWER(e.admin1) = LOWER(?)"),
    ("modality", "e.modality = ?"),
    ("source", "d.source = ?"),
    ("document_id", "e.document_id = ?"),
    ("incident_id", "e.incident_id = ?"),
)


def _paged(
    query: Callable[[Filters], list[dict[str, Any]]], f: Filters, page: int = 1000
) -> Iterator[dict[str, Any]]:
    """The records of ``query(f)`` (honouring f.limit / f.offset) fetched ``page`` at a time."""
    total = f.limit
    offset = f.offset
    while True:
        n = page if total is None else min(page, total - (offset - f.offset))
        if n <= 0:
            return
        rows = query(Filters.of(f, limit=n, offset=offset))
        yield from rows
        if len(rows) < n:
            return
        offset += len(rows)

    return True


@dataclass(slots=True)
class SaveResult:
    """What :meth:`Store.save_document` did: ``status`` is "new", "updated" or "unchanged"."""

    status: str
    events: int = 0
    incidents: tuple[str, ...] = ()
    # when another input already holds the document's id: (its own id, where the holder came from); the
    # document was stored under a scoped id (see Store.save_document), never over the other one
    collision: tuple[str, str] | None = None


def scoped_ids(doc: Document) -> tuple[str, str]:
    """The ids a document is stored under when its own id is taken by another record: ``id@path`` (another
    input holds the id) and ``id@path:line`` (an earlier record of the same input in this run holds it; an
    entry or record number, else the content hash, when there is no line)."""
    where = doc.meta.path or "<documents>"
    extra = doc.meta.extra
    for key, label in (("line", ":"), ("entry", "#entry"), ("warc_record", "#record")):
        value = extra.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{doc.id}@{where}", f"{doc.id}@{where}{label}{value}"
    return f"{doc.id}@{where}", f"{doc.id}@{where}#{doc.content_hash[:12]}"


class Store:
    """A rasd database. Open one with :func:`rasd.store.open`; use it as a context manager or call close().

    Read API (the web app calls these; every method returns plain JSON-ready dicts):

    - :meth:`query_events` (filters) -> list of event records
    - :meth:`count_events` (filters) -> int
    - :meth:`get_event` (id), :meth:`get_document` (id), :meth:`get_incident` (id)
    - :meth:`query_incidents` (filters) -> list of incident records
    - :meth:`search_documents` (text) -> documents whose normalised text matches
    - :meth:`stats` (by="type" | "admin1" | "week", filters) -> counts per group
    - :meth:`reviews` (event_id) -> review history

    Write API: :meth:`save_document`, :meth:`delete_document`, :meth:`record_review`, ingest runs.
    """

    dialect = "base"
    url = ""
    conn: Any  # the dialect's open connection

    def __init__(self, *, similarity: str | Embedder = "auto") -> None:
        self._similarity = similarity
        self._embedder: Embedder | None = similarity if not isinstance(similarity, str) else None
        self._depth = 0  # nesting of transaction(): only the outermost one begins and commits

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """Context manager: everything inside commits together or not at all. Nested uses join the outer
        transaction (a helper that writes can be called inside a bigger write)."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with self._outer_transaction():
                yield self.conn
        finally:
            self._depth = 0

    # ------------------------------------------------------------------ dialect hooks
    def close(self) -> None:
        raise NotImplementedError

    def _outer_transaction(self) -> AbstractContextManager[Any]:
        """Begin a database transaction; commit on exit, roll back on an exception."""
        raise NotImplementedError

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT ... RETURNING rid/id and return the new key."""
        raise NotImplementedError

    def _index_document(self, rid: int, doc_id: str, title: str | None, text: str) -> None:
        raise NotImplementedError

    def _unindex_document(self, rid: int, doc_id: str) -> None:
        raise NotImplementedError

    def _index_point(self, rid: int, lat: float, lon: float) -> None:
        raise NotImplementedError

    def _unindex_points(self, rids: list[int]) -> None:
        raise NotImplementedError

    def _text_clause(self, query: str) -> tuple[str, list[Any]] | None:
        """SQL condition on alias ``d`` (documents) for a full-text query, or None when it has no words."""
        raise NotImplementedError

    def _near_clause(self, lat: float, lon: float, km: float) -> tuple[str, list[Any]]:
        """SQL condition on alias ``e`` (events) for 'within km of (lat, lon)'."""
        raise NotImplementedError

    @property
    def label(self) -> str:
        """How the database is named in messages (no password)."""
        return self.url

    def _lock_migrations(self) -> None:
        """Serialise concurrent migrators inside the migration transaction (dialects that need it)."""
        return None

    def migrate(self, target: int | None = None) -> int:
        """Apply the migrations newer than the database's version (up to ``target``); returns the version."""
        target = LATEST_VERSION if target is None else target
        with self.transaction():
            self._lock_migrations()
            self._exec(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)"
            )
            current = self.schema_version()
            if current > LATEST_VERSION:
                raise StoreError(
                    f"{self.label} has schema version {current}, newer than this rasd ({LATEST_VERSION}): "
                    "upgrade rasd"
                )
            for version, stmts in migrations(self.dialect):
                if current < version <= target:
                    for stmt in stmts:
                        self._exec(stmt)
                    self._exec(
                        "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, now())
                    )
                    current = version
        return current

    def check(self) -> None:
        """Raise :class:`~rasd.errors.StoreCorruptError` when the database is damaged (SQLite checks every page;
        the server runs it before it starts). The base class trusts the server's own checks."""

    def schema_version(self) -> int:
        raise NotImplementedError

    def size_bytes(self) -> int:
        """Bytes the database takes on disk (benches report it per 1,000 documents)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ context manager
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(str(self._similarity))
        return self._embedder

    # ------------------------------------------------------------------ documents
    def document_hash(self, doc_id: str) -> str | None:
        """The content hash stored for ``doc_id``, or None when the document is not in the store."""
        row = self._one("SELECT content_hash FROM documents WHERE id = ?", (doc_id,))
        return row["content_hash"] if row else None

    def has_document(self, doc: Document) -> bool:
        """True when this exact version (id + content hash) is already stored, under its own id or, after an
        id collision, under its scoped id (:func:`scoped_ids`): re-running an ingest is a no-op either way."""
        stored = self.document_hash(doc.id)
        if stored is None or stored == doc.content_hash:
            return stored is not None
        return any(self.document_hash(sid) == doc.content_hash for sid in scoped_ids(doc))

    def _holder(self, doc: Document, run_id: int | None) -> tuple[dict[str, Any] | None, str | None]:
        """The stored row ``doc`` would replace, and, when ``doc.id`` belongs to another record, where that
        one came from. Another record: one from another input (path), or from the same input stored earlier in
        this same run (two records with one id); a changed version of the same input's record is not."""
        old = self._one("SELECT rid, content_hash, meta, run_id FROM documents WHERE id = ?", (doc.id,))
        if old is None or old["content_hash"] == doc.content_hash:
            return old, None
        try:
            old_path = json.loads(old["meta"] or "{}").get("path")
        except ValueError:
            old_path = None
        same_run = run_id is not None and old["run_id"] == run_id
        if old_path != doc.meta.path or same_run:
            return old, str(old_path or "<documents>")
        return old, None

    def save_document(self, doc: Document, *, run_id: int | None = None, force: bool = False) -> SaveResult:
        """Store ``doc`` with its mentions, events, evidence and incident memberships in ONE transaction.

        Unchanged (same id and content hash) -> nothing written ("unchanged") unless ``force``. Changed -> the
        old version's mentions, events and evidence are removed, its incidents recomputed, the new version
        stored ("updated"). A crash at any point leaves either the old or the new version, never a mix.
        An id another record holds (another input, or an earlier record of this run: ``run_id``) is never
        overwritten: the document is stored under a scoped id (:func:`scoped_ids`) and ``collision`` says so.
        """
        with self.transaction():
            old, holder = self._holder(doc, run_id)
            collision = None
            if holder is not None:  # the id is another record's: keep both, under a scoped id, and say so
                collision = (doc.id, holder)
                for scoped in scoped_ids(doc):  # id@path, else (taken in this run too) id@path:line
                    doc.id = scoped
                    old, taken = self._holder(doc, run_id)
                    if taken is None:
                        break
            if old is not None and old["content_hash"] == doc.content_hash and not force:
                return SaveResult("unchanged", collision=collision)
            touched: set[str] = set()
            if old is not None:
                touched = self._delete_document_rows(doc.id, int(old["rid"]))
            meta = doc.meta.to_dict()
            published = meta.get("published")
            rid = self._insert_id(
                "INSERT INTO documents (id, source, url, title, author, published, language, content_hash, "
                "text, meta, flags, run_id, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING rid",
                (
                    doc.id,
                    doc.meta.source,
                    doc.meta.url,
                    doc.meta.title,
                    doc.meta.author,
                    published,
                    doc.meta.language,
                    doc.content_hash,
                    doc.text,
                    json.dumps(meta, ensure_ascii=False, default=str),
                    json.dumps(doc.flags, ensure_ascii=False),
                    run_id,
                    now(),
                ),
            )
            self._index_document(rid, doc.id, doc.meta.title, doc.text)
            self._save_mentions(doc)
            members = self._save_events(doc, published)
            touched |= self._assign_incidents(members)
            for incident_id in sorted(touched):
                self._refresh_incident(incident_id)
            self._reapply_reviews(doc.id, doc.content_hash)
            return SaveResult(
                "updated" if old is not None else "new", len(doc.events), tuple(sorted(touched)), collision
            )

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and everything derived from it; incidents it was part of are recomputed."""
        with self.transaction():
            old = self._one("SELECT rid FROM documents WHERE id = ?", (doc_id,))
            if old is None:
                return False
            touched = self._delete_document_rows(doc_id, int(old["rid"]))
            for incident_id in sorted(touched):
                self._refresh_incident(incident_id)
            return True

    def _delete_document_rows(self, doc_id: str, rid: int) -> set[str]:
        ev = self._rows("SELECT rid, incident_id FROM events WHERE document_id = ?", (doc_id,))
        touched = {r["incident_id"] for r in ev if r["incident_id"]}
        self._unindex_points([int(r["rid"]) for r in ev])
        self._unindex_document(rid, doc_id)
        # children first (explicit, so it does not depend on foreign-key enforcement being on)
        self._exec(
            "DELETE FROM event_embeddings WHERE event_id IN (SELECT id FROM events WHERE document_id = ?)",
            (doc_id,),
        )
        self._exec(
            "DELETE FROM incident_events WHERE event_id IN (SELECT id FROM events WHERE document_id = ?)",
            (doc_id,),
        )
        self._exec("DELETE FROM evidence WHERE document_id = ?", (doc_id,))
        self._exec("DELETE FROM events WHERE document_id = ?", (doc_id,))
        self._exec("DELETE FROM mentions WHERE document_id = ?", (doc_id,))
        self._exec("DELETE FROM documents WHERE id = ?", (doc_id,))
        return touched

    def _save_mentions(self, doc: Document) -> None:
        rows = [
            (
                doc.id,
                m.kind,
                m.span.start,
                m.span.end,
                m.span.text,
                _compact_json(m.value),
                m.entry,
                m.source,
                float(m.score),
            )
            for m in doc.mentions
        ]
        if rows:
            self._execmany(
                "INSERT INTO mentions (document_id, kind, start_char, end_char, text, value, entry, recogniser, "
                "score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def _execmany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        for row in rows:
            self._exec(sql, row)

    @staticmethod
    def event_id(doc_id: str, seq: int) -> str:
        """The store's id of the ``seq``-th event (0-based, document order) of a document."""
        return f"{doc_id}#{seq}"

    def _save_events(self, doc: Document, published: str | None) -> list[inc.Member]:
        members: list[inc.Member] = []
        cols = (*_EVENT_ROW_FIELDS, "confidence", "flags", "notes")
        sql = f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) RETURNING rid"
        ev_rows: list[tuple[Any, ...]] = []
        for seq, ev in enumerate(doc.events):
            eid = self.event_id(doc.id, seq)
            values: list[Any] = [eid, doc.id, seq, ev.kind, ev.event_id]
            for name in EVENT_FIELDS:
                values.append(self._to_db(name, getattr(ev, name)))
            values += [float(ev.confidence), json.dumps(ev.flags, ensure_ascii=False), ev.notes]
            rid = self._insert_id(sql, values)
            if ev.latitude is not None and ev.longitude is not None:
                self._index_point(rid, float(ev.latitude), float(ev.longitude))
            for span in ev.evidence:
                ev_rows.append((eid, doc.id, None, span.start, span.end, span.text))
            for fname, spans in ev.field_evidence.items():
                for span in spans:
                    ev_rows.append((eid, doc.id, fname, span.start, span.end, span.text))
            if ev.kind == "acled" and ev.event_type:
                m = inc.Member(
                    id=eid,
                    document_id=doc.id,
                    source=doc.meta.source,
                    event_type=ev.event_type,
                    sub_event_type=ev.sub_event_type,
                    event_date=ev.event_date,
                    date_end=ev.date_end,
                    actor1=ev.actor1,
                    actor2=ev.actor2,
                    country=ev.country,
                    admin1=ev.admin1,
                    admin2=ev.admin2,
                    pcode=ev.pcode,
                    location=ev.location,
                    latitude=ev.latitude,
                    longitude=ev.longitude,
                    geo_precision=ev.geo_precision,
                    fatalities=ev.fatalities,
                    wounded=ev.wounded,
                    evidence=" … ".join(s.text for s in ev.evidence),
                    published=published,
                )
                members.append(m)
        if ev_rows:
            self._execmany(
                "INSERT INTO evidence (event_id, document_id, field, start_char, end_char, text) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                ev_rows,
            )
        return members

    def _to_db(self, name: str, value: Any) -> Any:
        if name in _BOOL_FIELDS:
            return bool(value)
        return value

    # ------------------------------------------------------------------ incidents
    def _assign_incidents(self, members: list[inc.Member]) -> set[str]:
        """Put each new event in an existing incident of its block, or in a new one; returns touched ids.

        Candidates come from other documents only, so they are found for all of the document's events first
        and every missing evidence vector is computed in one batch (the encoder is loaded only when some
        event has a candidate at all).
        """
        touched: set[str] = set()
        plans: list[tuple[inc.Member, list[tuple[inc.Member, float]]]] = []
        for m in members:
            scored = [(c, s) for c in self._candidate_members(m) if (s := inc.structural_score(m, c)) > 0]
            plans.append((m, scored))
        need = [m for m, scored in plans if scored] + [c for _, scored in plans for c, _ in scored]
        emb = self.embedder if need else None
        vectors = self._vectors(need, emb) if emb is not None else {}
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
            "SELECT * FROM (SELECT e.*, d.source AS source, d.published AS published, "
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
        evidence = self._evidence_text([r["id"] for r in rows])
        for r in rows:
            c = inc.Member.from_row(r, evidence.get(r["id"], ""))
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

    def _vectors(self, members: list[inc.Member], emb: Embedder) -> dict[str, np.ndarray]:
        """Evidence vectors by event id: from the cache table when there, else computed in one batch (each
        distinct text once) and cached."""
        ids = list(dict.fromkeys(m.id for m in members))
        cached: dict[str, np.ndarray] = {}
        for chunk in _chunks(ids):
            for r in self._rows(
                f"SELECT event_id, vector FROM event_embeddings WHERE model = ? AND event_id IN "
                f"({', '.join('?' * len(chunk))})",
                (emb.name, *chunk),
            ):
                cached[r["event_id"]] = from_bytes(r["vector"])
        missing = list({m.id: m for m in members if m.id not in cached}.values())
        if missing:
            texts = list(dict.fromkeys(m.evidence or "" for m in missing))
            by_text = dict(zip(texts, emb.encode(texts), strict=True))
            for m in missing:
                blob = to_bytes(by_text[m.evidence or ""])
                cached[m.id] = from_bytes(blob)  # the float16 value a later run will read back
                self._exec(
                    "INSERT INTO event_embeddings (event_id, model, vector) VALUES (?, ?, ?) "
                    "ON CONFLICT (event_id) DO UPDATE SET model = excluded.model, vector = excluded.vector",
                    (m.id, emb.name, blob),
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

    # ------------------------------------------------------------------ reviews
    def record_review(
        self,
        event_id: str,
        *,
        reviewer: str,
        action: str,
        field: str | None = None,
        value: Any = None,
        comment: str | None = None,
    ) -> dict[str, Any]:
        """Record an analyst's decision on an event and apply it; returns the stored review.

        ``action``: "accept" (confirms the event), "reject" (drops it from queries and exports unless
        ``Filters.include_rejected``), "correct" (sets ``field`` (one of EVENT_FIELDS) to ``value``; the old value
        is kept in ``before``). Corrections show in every query and export; they are tied to the document
        version reviewed and re-applied if that version is re-extracted.
        """
        if action not in REVIEW_ACTIONS:
            raise StoreError(f"unknown review action '{action}'; use one of {', '.join(REVIEW_ACTIONS)}")
        if not reviewer:
            raise StoreError("a review needs a reviewer name")
        if action == "correct" and field not in EVENT_FIELDS:
            raise StoreError(f"cannot correct field '{field}'; correctable fields: {', '.join(EVENT_FIELDS)}")
        with self.transaction():
            row = self._one(
                "SELECT e.*, d.content_hash AS content_hash FROM events e JOIN documents d "
                "ON d.id = e.document_id WHERE e.id = ?",
                (event_id,),
            )
            if row is None:
                raise StoreError(f"no event '{event_id}' in {self.url}")
            before = self._from_db(field, row.get(field)) if field else None
            after = self._coerce(field, value) if action == "correct" and field else None
            created = now()
            rid = self._insert_id(
                "INSERT INTO event_reviews (event_id, document_id, document_hash, reviewer, created_at, action, "
                "field, before_value, after_value, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    event_id,
                    row["document_id"],
                    row["content_hash"],
                    reviewer,
                    created,
                    action,
                    field,
                    json.dumps(before, ensure_ascii=False),
                    json.dumps(after, ensure_ascii=False),
                    comment,
                ),
            )
            self._apply_review(event_id, action, field, after)
            if row.get("incident_id"):
                self._refresh_incident(row["incident_id"])
        return {
            "id": rid,
            "event_id": event_id,
            "document_id": row["document_id"],
            "reviewer": reviewer,
            "created_at": created,
            "action": action,
            "field": field,
            "before": before,
            "after": after,
            "comment": comment,
        }

    def _apply_review(self, event_id: str, action: str, field: str | None, after: Any) -> None:
        status = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}[action]
        if action == "correct" and field:
            self._exec(
                f"UPDATE events SET {field} = ?, review_status = ? WHERE id = ?",
                (self._to_db(field, after), status, event_id),
            )
        else:
            self._exec("UPDATE events SET review_status = ? WHERE id = ?", (status, event_id))

    def _coerce(self, field: str, value: Any) -> Any:
        if value is None or value == "":
            return None
        try:
            if field in _INT_FIELDS:
                number = int(value)
                if abs(number) > 2**63 - 1:  # what a database integer holds
                    raise ValueError
                return number
            if field in _REAL_FIELDS:
                return float(value)
            if field in _BOOL_FIELDS:
                return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
        except (TypeError, ValueError, OverflowError):
            raise StoreError(f"'{str(value)[:80]}' is not a valid value for {field}") from None
        return str(value)

    def _from_db(self, name: str | None, value: Any) -> Any:
        if name in _BOOL_FIELDS and value is not None:
            return bool(value)
        return value

    def _reapply_reviews(self, doc_id: str, content_hash: str) -> None:
        for r in self._rows(
            "SELECT event_id, action, field, after_value FROM event_reviews WHERE document_id = ? "
            "AND document_hash = ? ORDER BY id",
            (doc_id, content_hash),
        ):
            if self._one("SELECT id FROM events WHERE id = ?", (r["event_id"],)) is not None:
                self._apply_review(
                    r["event_id"], r["action"], r["field"], json.loads(r["after_value"] or "null")
                )

    def reviews(self, event_id: str | None = None) -> list[dict[str, Any]]:
        """Review history (oldest first), for one event or all."""
        sql = "SELECT * FROM event_reviews"
        params: tuple[Any, ...] = ()
        if event_id is not None:
            sql += " WHERE event_id = ?"
            params = (event_id,)
        out = []
        for r in self._rows(sql + " ORDER BY id", params):
            r["before"] = json.loads(r.pop("before_value") or "null")
            r["after"] = json.loads(r.pop("after_value") or "null")
            out.append(r)
        return out

    # ------------------------------------------------------------------ queries
    def _where(self, f: Filters) -> tuple[str, list[Any]]:
        conds: list[str] = []
        params: list[Any] = []
        for name, sql in _ONE_VALUE_FILTERS:
            value = getattr(f, name)
            if value:
                conds.append(sql)
                params.append(value)
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

    def get_document(self, doc_id: str, *, with_mentions: bool = True) -> dict[str, Any] | None:
        """A document record: id, source, url, title, author, published, language, content_hash, text, meta,
        flags, ``mentions`` (each {kind, start, end, text, value, entry, source, score}) and ``events`` (records as
        :meth:`query_events`, rejected ones included and marked), or None."""
        row = self._one("SELECT * FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            return None
        rec = {
            k: row.get(k)
            for k in (
                "id",
                "source",
                "url",
                "title",
                "author",
                "published",
                "language",
                "content_hash",
                "text",
            )
        }
        rec["meta"] = json.loads(row["meta"]) if row.get("meta") else {}
        rec["flags"] = json.loads(row["flags"]) if row.get("flags") else []
        rec["ingested_at"] = row.get("ingested_at")
        if with_mentions:
            rec["mentions"] = [
                {
                    "kind": m["kind"],
                    "start": m["start_char"],
                    "end": m["end_char"],
                    "text": m["text"],
                    "value": json.loads(m["value"]) if m.get("value") else {},
                    "entry": m.get("entry"),
                    "source": m.get("recogniser"),
                    "score": m.get("score"),
                }
                for m in self._rows("SELECT * FROM mentions WHERE document_id = ? ORDER BY rid", (doc_id,))
            ]
        rows = self._rows(
            "SELECT e.*, d.source AS source, d.url AS url, d.title AS title, d.published AS published "
            "FROM events e JOIN documents d ON d.id = e.document_id WHERE e.document_id = ? ORDER BY e.seq",
            (doc_id,),
        )
        rec["events"] = self._event_records(rows)
        return rec

    def load_document(self, doc_id: str) -> Document | None:
        """Rebuild a :class:`Document` (text, metadata, mentions, events with evidence) from the store."""
        rec = self.get_document(doc_id)
        return None if rec is None else record_to_document(rec)

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

    # ------------------------------------------------------------------ ingest runs
    def begin_run(self, args: dict[str, Any]) -> int:
        """Record a new run (with this host and pid); earlier runs of this host whose process is gone
        (killed, e.g. kill -9) are marked "interrupted" instead of staying "running" for ever."""
        host, pid = socket.gethostname(), os.getpid()
        with self.transaction():
            for row in self._rows("SELECT id, args FROM ingest_runs WHERE status = 'running'"):
                try:
                    old = json.loads(row["args"] or "{}")
                except ValueError:
                    continue
                if old.get("host") == host and isinstance(old.get("pid"), int) and not pid_alive(old["pid"]):
                    self._exec("UPDATE ingest_runs SET status = 'interrupted' WHERE id = ?", (row["id"],))
            return self._insert_id(
                "INSERT INTO ingest_runs (started_at, status, args) VALUES (?, ?, ?) RETURNING id",
                (
                    now(),
                    "running",
                    json.dumps({**args, "host": host, "pid": pid}, ensure_ascii=False, default=str),
                ),
            )

    def record_failure(
        self,
        run_id: int,
        *,
        message: str,
        document_id: str | None = None,
        path: str | None = None,
        line: int | None = None,
        code: str | None = None,
    ) -> None:
        with self.transaction():
            self._exec(
                "INSERT INTO ingest_failures (run_id, document_id, path, line, code, message) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, document_id, path, line, code, message),
            )

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        with self.transaction():
            self._exec(
                "UPDATE ingest_runs SET finished_at = ?, status = ?, n_read = ?, n_new = ?, n_updated = ?, "
                "n_skipped = ?, n_failed = ?, n_events = ? WHERE id = ?",
                (
                    now(),
                    status,
                    counts.get("read", 0),
                    counts.get("new", 0),
                    counts.get("updated", 0),
                    counts.get("skipped", 0),
                    counts.get("failed", 0),
                    counts.get("events", 0),
                    run_id,
                ),
            )

    def runs(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM ingest_runs ORDER BY id")

    def failures(self, run_id: int | None = None) -> list[dict[str, Any]]:
        if run_id is None:
            return self._rows("SELECT * FROM ingest_failures ORDER BY rid")
        return self._rows("SELECT * FROM ingest_failures WHERE run_id = ? ORDER BY rid", (run_id,))


def record_to_document(rec: dict[str, Any]) -> Document:
    """A document record (from :meth:`Store.get_document`) back to a :class:`Document`."""
    meta = rec.get("meta") or {}
    published = meta.get("published") or rec.get("published")
    md = Metadata(
        url=rec.get("url"),
        source=rec.get("source"),
        title=rec.get("title"),
        author=rec.get("author"),
        published=date.fromisoformat(published) if published else None,
        language=rec.get("language"),
    )
    doc = Document(id=rec["id"], text=rec.get("text") or "", meta=md, flags=list(rec.get("flags") or []))
    for m in rec.get("mentions") or []:
        doc.mentions.append(
            Mention(
                kind=m["kind"],
                span=Span(m["start"], m["end"], m["text"]),
                value=m.get("value") or {},
                entry=m.get("entry"),
                source=m.get("source") or "",
                score=float(m.get("score") or 0.0),
            )
        )
    doc.events = [event_from_record(e) for e in rec.get("events") or []]
    return doc


def event_from_record(rec: dict[str, Any]) -> Event:
    """An event record (from :meth:`Store.query_events`) back to an :class:`Event` (its store id kept)."""
    data = dict(rec)
    data["confidence"] = float(data.get("confidence") or 0.0)
    ev = Event.from_dict(data)
    ev.event_id = rec.get("event_id")
    return ev


def documents_for_events(store: Store, records: Iterable[dict[str, Any]]) -> Iterator[Document]:
    """Group event records (in order) into Documents carrying only those events, for the export writers."""
    current: Document | None = None
    cache: dict[str, dict[str, Any] | None] = {}
    for rec in records:
        if current is None or current.id != rec["document_id"]:
            if current is not None:
                yield current
            doc_id = rec["document_id"]
            if doc_id not in cache:
                cache.clear()
                cache[doc_id] = store.get_document(doc_id, with_mentions=False)
            drec = cache[doc_id]
            if drec is None:
                continue
            current = record_to_document({**drec, "events": []})
        current.events.append(event_from_record(rec))
    if current is not None:
        yield current
