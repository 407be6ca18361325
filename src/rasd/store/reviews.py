"""The store's review part: analyst decisions (accept, reject, correct) recorded and applied."""

from __future__ import annotations

import json
import logging
from typing import Any

from ..document import EVENT_FIELDS
from ..errors import StoreError
from .core import now
from .linking import IncidentLinking
from .queries import EventQueries
from .schema import _BOOL_FIELDS, _INT_FIELDS, _REAL_FIELDS

log = logging.getLogger(__name__)

REVIEW_ACTIONS = ("accept", "reject", "correct")


class Reviews(IncidentLinking, EventQueries):
    """Analyst reviews: who, when, before, after; applied to every query and export."""

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
                return int(value)
            if field in _REAL_FIELDS:
                return float(value)
            if field in _BOOL_FIELDS:
                return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
        except (TypeError, ValueError):
            raise StoreError(f"'{value}' is not a valid value for {field}") from None
        return str(value)

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
