"""The store's ingest-run part: one row per ``rasd ingest`` run, with its failures."""

from __future__ import annotations

import json
import logging
import os
import socket
from typing import Any

from ..process import pid_alive
from .core import StoreCore, now

log = logging.getLogger(__name__)


class Runs(StoreCore):
    """Ingest runs and their failures."""

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
