"""The web backend over a ``rasd ingest`` database: :class:`rasd.store.Store` behind the :class:`Backend` API.

The store already applies analyst corrections to every query and drops rejected events unless asked; this
adapter adds paging totals, the ``review`` summary (who / when / corrections, from ``Store.reviews``), the
highlight spans of a document, and one lock around the store (one connection shared by the server's
worker threads).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import store as store_mod
from ..document import Document
from ..errors import STORE_DOWN, ServeError, StoreError
from ..store.filters import Filters
from .backend import NotFound, build_spans

STATUS_OF = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}


def review_summary(status: str | None, rows: list[dict[str, Any]] | None) -> dict[str, Any]:
    """``{status, reviewer, created_at, comment, corrections}`` of one event's review log (oldest first)."""
    rows = rows or []
    last = rows[-1] if rows else {}
    return {
        "status": status or (STATUS_OF[last["action"]] if last else "unreviewed"),
        "reviewer": last.get("reviewer"),
        "created_at": last.get("created_at"),
        "comment": last.get("comment"),
        "corrections": [r for r in rows if r.get("action") == "correct" and r.get("field")],
    }


class StoreBackend:
    writable_reviews = True

    def __init__(self, store: store_mod.Store) -> None:
        self.store = store
        self._lock = threading.RLock()

    @classmethod
    def open(cls, db: str) -> StoreBackend:
        """The backend over ``db``; refuses a missing database (never creates one) or a damaged one."""
        store = store_mod.open(db, create=False)
        try:
            store.check()
        except BaseException:
            store.close()
            raise
        return cls(store)

    @classmethod
    def from_documents(cls, docs: Iterable[Document], db: str = ":memory:") -> StoreBackend:
        """A store (in memory by default) holding ``docs``: how tests and demos serve Documents."""
        store = store_mod.open(db)
        for doc in docs:
            store.save_document(doc)
        return cls(store)

    @classmethod
    def from_jsonl(cls, path: str | Path, db: str | None = None) -> StoreBackend:
        """``rasd extract --format jsonl`` output, loaded into the SQLite store ``db`` (default ``PATH.store.db``,
        so reviews persist and an unchanged document is not stored twice). A bad line is a ServeError naming
        the file and line."""
        p = Path(path)
        if not p.is_file():
            raise ServeError(f"{p}: no such file")
        docs: list[Document] = []
        with p.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    docs.append(Document.from_dict(json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise ServeError(f"{p}:{i}: not JSON ({exc.msg})") from None
                except (KeyError, TypeError, ValueError) as exc:
                    raise ServeError(f"{p}:{i}: not a rasd extract record ({exc})") from None
        return cls.from_documents(docs, db or f"{p}.store.db")

    # -- helpers -------------------------------------------------------------------------------------------
    def _filters(self, f: Filters, **extra: Any) -> store_mod.Filters:
        return store_mod.Filters.of(f, **extra)

    def _with_review(self, evs: list[dict[str, Any]], history: bool = False) -> list[dict[str, Any]]:
        for ev in evs:
            rows = self.store.reviews(ev["event_id"]) if history and ev.get("review_status") else []
            ev["review"] = review_summary(ev.get("review_status"), rows)
        return evs

    # -- reads ---------------------------------------------------------------------------------------------
    def events(self, f: Filters, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        with self._lock:
            flt = self._filters(f)
            total = self.store.count_events(flt)
            items = self.store.query_events(self._filters(f, limit=limit, offset=offset))
            return self._with_review(items), total

    def event(self, event_id: str) -> dict[str, Any]:
        with self._lock:
            ev = self.store.get_event(event_id)
            if ev is None:
                raise NotFound(f"no event '{event_id}'")
            history = self.store.reviews(event_id)
            ev["review"] = review_summary(ev.get("review_status"), history)
            ev["history"] = history
            inc = self.store.get_incident(ev["incident_id"]) if ev.get("incident_id") else None
            if inc is not None:
                self._with_review(inc.get("events") or [])
            ev["incident"] = inc
            return ev

    def incidents(self, f: Filters, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        with self._lock:
            everything = self.store.query_incidents(self._filters(f), with_events=False)
            items = self.store.query_incidents(self._filters(f, limit=limit, offset=offset))
            for inc in items:
                self._with_review(inc.get("events") or [])
            return items, len(everything)

    def incident(self, incident_id: str) -> dict[str, Any]:
        with self._lock:
            inc = self.store.get_incident(incident_id)
            if inc is None:
                raise NotFound(f"no incident '{incident_id}'")
            self._with_review(inc.get("events") or [])
            return inc

    def document(self, doc_id: str) -> dict[str, Any]:
        with self._lock:
            doc = self.store.get_document(doc_id)
            if doc is None:
                raise NotFound(f"no document '{doc_id}'")
            self._with_review(doc.get("events") or [], history=True)
            doc["spans"] = build_spans(doc, doc.get("events") or [])
            return doc

    def search(self, q: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        with self._lock:
            items = self.store.search_documents(q, limit=limit, offset=offset)
            if len(items) < limit:
                total = offset + len(items)
            else:  # the store gives no count: page through ids (documents only, cheap)
                total = offset + len(self.store.search_documents(q, limit=1_000_000, offset=offset))
            return items, total

    def stats(self, by: str, f: Filters) -> list[dict[str, Any]]:
        with self._lock:
            return self.store.stats(by, self._filters(f))

    # -- reviews -------------------------------------------------------------------------------------------
    def review(
        self, event_id: str, action: str, changes: dict[str, Any] | None, reviewer: str, comment: str | None
    ) -> dict[str, Any]:
        """Check and apply a review through the store (one meaning of a valid correction: rasd.store.corrections);
        a value the store refuses is a 400 naming the field."""
        from .filters import FilterError

        with self._lock:
            if self.store.get_event(event_id) is None:
                raise NotFound(f"no event '{event_id}'")
            try:
                self.store.review(event_id, action, reviewer=reviewer, changes=changes, comment=comment)
            except StoreError as exc:
                if isinstance(exc, STORE_DOWN):  # the database failed, not the request: a 503, never a 400
                    raise
                raise FilterError(exc.message) from None
            return self.event(event_id)

    def reviews(self, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        with self._lock:
            rows = self.store.reviews()
        rows.reverse()
        return rows[offset : offset + limit], len(rows)

    def reviewed_documents(
        self, include_unreviewed: bool
    ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(document, ALL its ACLED events with their review) for every document with a review (or every
        document): the gold export decides from them whether the document is fully reviewed."""
        with self._lock:
            if include_unreviewed:
                doc_ids = self.store.document_ids()
            else:
                doc_ids = sorted({r["document_id"] for r in self.store.reviews() if r.get("document_id")})
        for doc_id in doc_ids:
            with self._lock:
                doc = self.store.get_document(doc_id, with_mentions=False)
                if doc is None:
                    continue
                evs = [e for e in doc.get("events") or [] if e.get("kind", "acled") == "acled"]
                self._with_review(evs, history=True)
            yield doc, evs

    def summary(self) -> dict[str, Any]:
        with self._lock:
            counts = self.store.counts()
            weeks = [r["key"] for r in self.store.stats("week") if r["key"]]
        return {
            "documents": counts.get("documents", 0),
            "events": counts.get("events", 0),
            "incidents": counts.get("incidents", 0),
            "needs_rereview": len(self.store.needs_rereview()),
            "first_week": weeks[0] if weeks else None,
            "last_week": weeks[-1] if weeks else None,
        }

    def close(self) -> None:
        with self._lock:
            self.store.close()


def open_backend(db: str) -> StoreBackend:
    """Open what ``rasd serve --db`` names: a ``rasd ingest`` database (SQLite path or postgresql:// URL), or
    ``rasd extract --format jsonl`` output (loaded into the SQLite store ``FILE.store.db`` beside it, where
    reviews persist; documents already loaded are skipped on the next start)."""
    if db.endswith((".jsonl", ".json")):
        return StoreBackend.from_jsonl(db)
    return StoreBackend.open(db)
