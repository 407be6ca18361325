"""The store's review part: analyst decisions (accept, reject, correct) checked, recorded and applied.

A review row holds who, when, the action, the field, ``before`` and ``after``, the reviewed document version
and ``event_key`` (:func:`rasd.store.corrections.event_key`: the event named by what it says). Corrections are
checked against the ACLED taxonomy and the field types (:func:`~rasd.store.corrections.check_changes`) and
the fields that follow from them are recomputed (:func:`~rasd.store.corrections.derive`). When a changed
article is re-ingested, each event's reviews move to the new event with the same key and are re-applied; a
review whose event is gone gets ``state`` "needs_rereview" (listed by :meth:`Reviews.needs_rereview`, counted
in the ingest summary and shown by the web app) instead of silently disappearing.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ..errors import StoreError
from .core import now
from .corrections import InvalidCorrection, check_changes, derive, event_key
from .linking import IncidentLinking
from .queries import EventQueries

log = logging.getLogger(__name__)

REVIEW_ACTIONS = ("accept", "reject", "correct")
STATUS_OF = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}
NEEDS_REREVIEW = "needs_rereview"


class Reviews(IncidentLinking, EventQueries):
    """Analyst reviews: who, when, before, after; applied to every query and export."""

    def review(
        self,
        event_id: str,
        action: str,
        *,
        reviewer: str,
        changes: dict[str, Any] | None = None,
        comment: str | None = None,
    ) -> list[dict[str, Any]]:
        """Record an analyst's decision on an event and apply it; returns the stored review rows.

        ``action``: "accept" (confirms the event), "reject" (drops it from queries and exports unless
        ``Filters.include_rejected``), "correct" (``changes`` = {field: new value}, checked as a whole; one row
        per field that changes, the old value kept in ``before``; derived fields recomputed). Raises
        :class:`~rasd.store.corrections.InvalidCorrection` (RASD406) for a value rasd cannot accept.
        """
        if action not in REVIEW_ACTIONS:
            raise InvalidCorrection(
                f"unknown review action '{action}'; use one of {', '.join(REVIEW_ACTIONS)}"
            )
        reviewer = (reviewer or "").strip()[:200]
        if not reviewer:
            raise InvalidCorrection("a review needs a reviewer name")
        if action != "correct" and changes:
            raise InvalidCorrection(f"action '{action}' takes no changes; use action 'correct'")
        with self.transaction():
            current = self.get_event(event_id)
            if current is None:
                raise StoreError(f"no event '{event_id}' in {self.label}")
            if action == "correct":
                clean = check_changes(current, changes or {})
                todo = {k: v for k, v in clean.items() if current.get(k) != v}
                if not todo:
                    raise InvalidCorrection("no field changed: every value equals the current one")
                items: list[tuple[str | None, Any]] = list(todo.items())
            else:
                items = [(None, None)]
            key = event_key(current.get("kind"), [s["text"] for s in current.get("evidence") or []])
            doc = self._one("SELECT content_hash FROM documents WHERE id = ?", (current["document_id"],))
            created = now()
            out = []
            for field, after in items:
                before = current.get(field) if field else None
                rid = self._insert_id(
                    "INSERT INTO event_reviews (event_id, document_id, document_hash, event_key, state, reviewer, "
                    "created_at, action, field, before_value, after_value, comment) "
                    "VALUES (?, ?, ?, ?, 'applied', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        event_id,
                        current["document_id"],
                        doc["content_hash"] if doc else None,
                        key,
                        reviewer,
                        created,
                        action,
                        field,
                        json.dumps(before, ensure_ascii=False),
                        json.dumps(after, ensure_ascii=False),
                        comment,
                    ),
                )
                out.append(
                    {
                        "id": rid,
                        "event_id": event_id,
                        "document_id": current["document_id"],
                        "reviewer": reviewer,
                        "created_at": created,
                        "action": action,
                        "field": field,
                        "before": before,
                        "after": after,
                        "comment": comment,
                        "state": "applied",
                    }
                )
            self._apply_reviews(event_id)
            if current.get("incident_id"):
                self._refresh_incident(current["incident_id"])
        return out

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
        """One decision, or a correction of one ``field`` to ``value`` (see :meth:`review`); the stored row."""
        changes = {field: value} if action == "correct" and field else None
        if action == "correct" and not field:
            raise InvalidCorrection("a correction needs a field")
        return self.review(event_id, action, reviewer=reviewer, changes=changes, comment=comment)[0]

    def _apply_reviews(self, event_id: str) -> None:
        """Fold the event's applied review rows over its row, in order (idempotent: each sets a value), then
        recompute the fields that follow from every corrected field, and set its review status."""
        rows = self._rows(
            "SELECT action, field, after_value FROM event_reviews WHERE event_id = ? AND state = 'applied' "
            "ORDER BY id",
            (event_id,),
        )
        if not rows:
            return
        current = self.get_event(event_id)
        if current is None:
            return
        values: dict[str, Any] = {}
        for r in rows:
            if r["action"] == "correct" and r["field"]:
                values[r["field"]] = json.loads(r["after_value"] or "null")
        values.update(derive({**current, **values}, set(values)))
        values["review_status"] = STATUS_OF[rows[-1]["action"]]
        cols = list(values)
        self._exec(
            f"UPDATE events SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            (*[self._to_db(c, values[c]) for c in cols], event_id),
        )

    def _reapply_reviews(self, doc_id: str, content_hash: str, keys: dict[str, str]) -> tuple[set[str], int]:
        """After a document version is stored: move each reviewed event's reviews to the new event with the same
        key (``keys``: new event id -> key) and apply them; flag the others "needs_rereview". Returns the
        incidents touched and how many reviewed events now need a re-review."""
        rows = self._rows(
            "SELECT id, event_id, event_key, document_hash, state FROM event_reviews WHERE document_id = ? "
            "ORDER BY id",
            (doc_id,),
        )
        if not rows:
            return set(), 0
        free: dict[str, list[str]] = {}
        for eid, key in keys.items():
            free.setdefault(key, []).append(eid)
        groups: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            groups.setdefault(r["event_id"], []).append(r)
        touched: set[str] = set()
        flagged = 0
        for old_id, group in groups.items():
            key = group[-1]["event_key"]
            same_version = group[-1]["document_hash"] == content_hash and old_id in keys
            candidates = free.get(key, []) if key else []
            target = candidates[0] if candidates else (old_id if not key and same_version else None)
            ids = [r["id"] for r in group]
            marks = ", ".join("?" * len(ids))
            if target is None:
                if any(r["state"] != NEEDS_REREVIEW for r in group):
                    flagged += 1
                    log.warning(
                        "%s: the reviewed event %s is gone from the new version: needs re-review",
                        doc_id,
                        old_id,
                    )
                self._exec(
                    f"UPDATE event_reviews SET state = ? WHERE id IN ({marks})", (NEEDS_REREVIEW, *ids)
                )
                continue
            if key:
                free[key].remove(target)
            self._exec(
                f"UPDATE event_reviews SET event_id = ?, document_hash = ?, state = 'applied' WHERE id IN ({marks})",
                (target, content_hash, *ids),
            )
            self._apply_reviews(target)
            row = self._one("SELECT incident_id FROM events WHERE id = ?", (target,))
            if row and row["incident_id"]:
                touched.add(row["incident_id"])
        return touched, flagged

    def _after_v3(self) -> None:
        """Version 3 keyed reviews: name each reviewed event that still exists by its evidence."""
        super()._after_v3()
        for r in self._rows("SELECT DISTINCT event_id FROM event_reviews WHERE event_key IS NULL"):
            ev = self.get_event(r["event_id"])
            if ev is not None:
                key = event_key(ev.get("kind"), [s["text"] for s in ev.get("evidence") or []])
                self._exec("UPDATE event_reviews SET event_key = ? WHERE event_id = ?", (key, r["event_id"]))

    def reviews(self, event_id: str | None = None) -> list[dict[str, Any]]:
        """Review history (oldest first), for one event or all; each row has ``state`` ("applied", or
        "needs_rereview" when its event is gone from the document's current version)."""
        sql = "SELECT * FROM event_reviews"
        params: tuple[Any, ...] = ()
        if event_id is not None:
            sql += " WHERE event_id = ? AND state = 'applied'"
            params = (event_id,)
        return [self._review_record(r) for r in self._rows(sql + " ORDER BY id", params)]

    def needs_rereview(self, document_id: str | None = None) -> list[dict[str, Any]]:
        """Reviews whose event is gone from its document's current version (oldest first): an analyst should
        look at the new version and review its events again."""
        sql = "SELECT * FROM event_reviews WHERE state = ?"
        params: tuple[Any, ...] = (NEEDS_REREVIEW,)
        if document_id is not None:
            sql += " AND document_id = ?"
            params += (document_id,)
        return [self._review_record(r) for r in self._rows(sql + " ORDER BY id", params)]

    @staticmethod
    def _review_record(r: dict[str, Any]) -> dict[str, Any]:
        r["before"] = json.loads(r.pop("before_value") or "null")
        r["after"] = json.loads(r.pop("after_value") or "null")
        return r
