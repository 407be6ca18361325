"""The store's documents part: save (one transaction per document version), delete and load documents."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..document import EVENT_FIELDS, Document, Event, Mention, Metadata, Span
from . import incidents as inc
from .core import _compact_json, now
from .corrections import event_key
from .reviews import Reviews

log = logging.getLogger(__name__)

_EVENT_ROW_FIELDS = ("id", "document_id", "seq", "kind", "coder_event_id", *EVENT_FIELDS)

_EVENT_TAIL = ("confidence", "flags", "notes", "incident_id", "review_status")


@dataclass(slots=True)
class SaveResult:
    """What :meth:`Store.save_document` did: ``status`` is "new", "updated" or "unchanged"."""

    status: str
    events: int = 0
    incidents: tuple[str, ...] = ()
    needs_rereview: int = 0  # reviewed events of the old version that the new one no longer has
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


class Documents(Reviews):
    """Documents with their mentions, events and evidence."""

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
            keys = {
                self.event_id(doc.id, seq): event_key(ev.kind, [sp.text for sp in ev.evidence])
                for seq, ev in enumerate(doc.events)
            }
            reviewed, flagged = self._reapply_reviews(doc.id, doc.content_hash, keys)
            touched |= reviewed
            for incident_id in sorted(touched):
                self._refresh_incident(incident_id)
            return SaveResult(
                "updated" if old is not None else "new",
                len(doc.events),
                tuple(sorted(touched)),
                flagged,
                collision,
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

    @staticmethod
    def event_id(doc_id: str, seq: int) -> str:
        """The store's id of the ``seq``-th event (0-based, document order) of a document."""
        return f"{doc_id}#{seq}"

    def _save_events(self, doc: Document, published: str | None) -> list[inc.Member]:
        members: list[inc.Member] = []
        cols = (*_EVENT_ROW_FIELDS, "confidence", "flags", "notes", "why")
        sql = f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) RETURNING rid"
        ev_rows: list[tuple[Any, ...]] = []
        for seq, ev in enumerate(doc.events):
            eid = self.event_id(doc.id, seq)
            values: list[Any] = [eid, doc.id, seq, ev.kind, ev.event_id]
            for name in EVENT_FIELDS:
                values.append(self._to_db(name, getattr(ev, name)))
            values += [
                float(ev.confidence),
                json.dumps(ev.flags, ensure_ascii=False),
                ev.notes,
                json.dumps(ev.why, ensure_ascii=False) if ev.why else None,
            ]
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
                    fatalities_text=ev.fatalities_text,
                    wounded=ev.wounded,
                    time_precision=ev.time_precision,
                    inter1=ev.inter1,
                    inter2=ev.inter2,
                    admin3=ev.admin3,
                    civilian_targeting=ev.civilian_targeting,
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
        rec["needs_rereview"] = self.needs_rereview(doc_id)
        return rec

    def load_document(self, doc_id: str) -> Document | None:
        """Rebuild a :class:`Document` (text, metadata, mentions, events with evidence) from the store."""
        rec = self.get_document(doc_id)
        return None if rec is None else record_to_document(rec)


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
    if rec.get("review_status"):  # the analyst's decision travels with the event into every export
        ev.flags = [*ev.flags, f"review:{rec['review_status']}"]
    return ev


def documents_for_events(store: Documents, records: Iterable[dict[str, Any]]) -> Iterator[Document]:
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
