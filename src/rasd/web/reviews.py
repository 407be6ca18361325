"""The analyst review loop: accept, reject or correct any field of an event, with who / when / before / after.

Reviews are an append-only log (table ``event_review_log``, one row per decision or per corrected field) kept
next to the store's tables; the extracted event is never rewritten. :func:`apply_reviews` folds the log over an
event record to give the reviewed view that the API shows and every export uses: corrected fields replaced,
``review = {status, reviewer, at, corrections}``; exports leave out rejected events.

All SQL here is parameterised.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, date, datetime
from typing import Any

from ..document import EVENT_FIELDS
from .filters import MODALITIES, FilterError

ACTIONS = ("accept", "reject", "correct")
STATUS_OF = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}

INT_FIELDS = {"time_precision", "inter1", "inter2", "geo_precision", "fatalities", "wounded", "captured"}
FLOAT_FIELDS = {"latitude", "longitude"}
BOOL_FIELDS = {"fatalities_shared", "civilian_targeting"}
DATE_FIELDS = {"event_date", "date_end"}
CORRECTABLE = EVENT_FIELDS

SCHEMA = """
CREATE TABLE IF NOT EXISTS event_review_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'correct')),
    field TEXT,
    before_json TEXT,
    after_json TEXT,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT
);
CREATE INDEX IF NOT EXISTS event_review_log_event ON event_review_log (event_id, id);
"""


MAX_COUNT = 2**63 - 1  # the largest integer SQLite and PostgreSQL BIGINT store


def coerce(field: str, value: Any) -> Any:
    """Validate one corrected value for ``field``; raises FilterError (HTTP 400) with what to send."""
    if field not in CORRECTABLE:
        raise FilterError(f"'{field}' is not an event field; correctable: {', '.join(CORRECTABLE)}")
    if value is None or value == "":
        if field in BOOL_FIELDS:
            return False
        if field == "modality":
            raise FilterError(f"modality cannot be empty; use one of {', '.join(MODALITIES)}")
        return None
    try:
        if field in INT_FIELDS:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            out_i = int(value)
            if not 0 <= out_i <= MAX_COUNT:  # a count a database integer holds (1e23 does not)
                raise ValueError
            if field in ("time_precision", "geo_precision") and out_i not in (1, 2, 3):
                raise ValueError
            return out_i
        if field in FLOAT_FIELDS:
            out_f = float(value)
            limit = 90 if field == "latitude" else 180
            if not -limit <= out_f <= limit:
                raise ValueError
            return out_f
        if field in BOOL_FIELDS:
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("true", "1", "yes"):
                return True
            if str(value).lower() in ("false", "0", "no"):
                return False
            raise ValueError
        if field in DATE_FIELDS:
            return date.fromisoformat(str(value)).isoformat()
    except (TypeError, ValueError, OverflowError):
        bounds = f" (a whole number from 0 to {MAX_COUNT:,})" if field in INT_FIELDS else ""
        raise FilterError(f"'{str(value)[:80]}' is not a valid value for {field}{bounds}") from None
    text = str(value).strip()
    if field == "modality" and text not in MODALITIES:
        raise FilterError(f"modality '{text}' unknown; use one of {', '.join(MODALITIES)}")
    if len(text) > 2000:
        raise FilterError(f"{field} is longer than 2000 characters")
    return text


class ReviewLog:
    """Append-only review log in a SQLite database (the store's file, or ``:memory:``). Thread-safe."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._lock = threading.Lock()
        with self._lock:
            self.conn.executescript(SCHEMA)
            self.conn.commit()

    @classmethod
    def memory(cls) -> ReviewLog:
        return cls(sqlite3.connect(":memory:", check_same_thread=False))

    def record(
        self,
        event: dict[str, Any],
        action: str,
        changes: dict[str, Any] | None,
        reviewer: str,
        note: str | None = None,
    ) -> list[dict[str, Any]]:
        """Append one decision (accept/reject) or one row per changed field (correct); returns the rows.

        ``event`` is the current reviewed view of the event (so ``before`` is what the analyst saw).
        """
        if action not in ACTIONS:
            raise FilterError(f"action '{action}' unknown; use one of {', '.join(ACTIONS)}")
        reviewer = (reviewer or "").strip()[:200] or "analyst"
        at = datetime.now(UTC).isoformat(timespec="seconds")
        rows: list[tuple[Any, ...]] = []
        if action == "correct":
            if not changes:
                raise FilterError("action 'correct' needs 'changes': {field: new value}")
            for field, raw in changes.items():
                after = coerce(field, raw)
                before = event.get(field)
                if before == after:
                    continue
                rows.append(
                    (
                        event["event_id"],
                        action,
                        field,
                        json.dumps(before),
                        json.dumps(after),
                        reviewer,
                        at,
                        note,
                    )
                )
            if not rows:
                raise FilterError("no field changed: every value equals the current one")
        else:
            if changes:
                raise FilterError(f"action '{action}' takes no 'changes'; use action 'correct'")
            rows.append((event["event_id"], action, None, None, None, reviewer, at, note))
        with self._lock:
            self.conn.executemany(
                "INSERT INTO event_review_log (event_id, action, field, before_json, after_json, reviewer, at, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            self.conn.commit()
        return [_row_dict(r) for r in rows]

    def for_events(self, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        if not event_ids:
            return out
        with self._lock:
            for i in range(0, len(event_ids), 500):
                chunk = event_ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                cur = self.conn.execute(
                    "SELECT event_id, action, field, before_json, after_json, reviewer, at, note "
                    f"FROM event_review_log WHERE event_id IN ({marks}) ORDER BY id",
                    chunk,
                )
                for r in cur.fetchall():
                    out.setdefault(r[0], []).append(_row_dict(r))
        return out

    def reviewed_ids(self) -> list[str]:
        with self._lock:
            cur = self.conn.execute("SELECT DISTINCT event_id FROM event_review_log ORDER BY event_id")
            return [r[0] for r in cur.fetchall()]

    def all(self, limit: int = 1000, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        with self._lock:
            total = self.conn.execute("SELECT COUNT(*) FROM event_review_log").fetchone()[0]
            cur = self.conn.execute(
                "SELECT event_id, action, field, before_json, after_json, reviewer, at, note "
                "FROM event_review_log ORDER BY id DESC LIMIT ? OFFSET ?",
                (limit, offset),
            )
            return [_row_dict(r) for r in cur.fetchall()], int(total)


def _row_dict(r: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "event_id": r[0],
        "action": r[1],
        "field": r[2],
        "before": json.loads(r[3]) if r[3] is not None else None,
        "after": json.loads(r[4]) if r[4] is not None else None,
        "reviewer": r[5],
        "created_at": r[6],
        "comment": r[7],
    }


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


def apply_reviews(event: dict[str, Any], rows: list[dict[str, Any]] | None) -> dict[str, Any]:
    """The reviewed view of a raw ``event``: corrections applied in order, ``review_status`` and ``review``."""
    out = dict(event)
    for r in rows or []:
        if r["action"] == "correct" and r["field"]:
            out[r["field"]] = r["after"]
    out["review_status"] = STATUS_OF[rows[-1]["action"]] if rows else None
    out["review"] = review_summary(out["review_status"], rows)
    return out
