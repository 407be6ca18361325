"""SQLite backend (stdlib sqlite3): one file, WAL journal, FTS5 over normalised text, R*Tree over coordinates.

Durability: WAL with ``synchronous=NORMAL`` survives a killed process (kill -9) without losing a committed
transaction; each document is one transaction, so an interrupted ingest resumes where it stopped.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..geo.distance import haversine_km
from .base import Store
from .search import fts5_query, index_text
from .similarity import Embedder

_KM_PER_DEG_LAT = 110.574


def _km(lat1: float | None, lon1: float | None, lat2: float, lon2: float) -> float | None:
    if lat1 is None or lon1 is None:
        return None
    return haversine_km(lat1, lon1, lat2, lon2)


class SQLiteStore(Store):
    """A rasd database in one SQLite file (``:memory:`` for a throwaway one)."""

    dialect = "sqlite"

    def __init__(
        self, path: str | Path, *, similarity: str | Embedder = "auto", migrate: bool = True
    ) -> None:
        super().__init__(similarity=similarity)
        self.path = str(path)
        self.url = self.path
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot create database {self.path}: folder {parent} does not exist")
        try:
            self.conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=30.0, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open SQLite database {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self.conn.create_function("rasd_km", 4, _km, deterministic=True)
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a SQLite database ({exc})") from exc
        if migrate:
            self.migrate()

    # ------------------------------------------------------------------ plumbing
    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _outer_transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self.conn.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc} (in: {sql[:80]})") from exc

    def _execmany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc} (in: {sql[:80]})") from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self._exec(sql, params).fetchall()]

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        row = self._exec(sql, params).fetchone()
        return int(row[0])

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        has = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if not has:
            return 0
        row = self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    # ------------------------------------------------------------------ indexes
    def _index_document(self, rid: int, doc_id: str, title: str | None, text: str) -> None:
        self._exec("INSERT INTO documents_fts (rowid, body) VALUES (?, ?)", (rid, index_text(title, text)))

    def _unindex_document(self, rid: int, doc_id: str) -> None:
        self._exec("DELETE FROM documents_fts WHERE rowid = ?", (rid,))

    def _index_point(self, rid: int, lat: float, lon: float) -> None:
        self._exec(
            "INSERT INTO events_rtree (id, min_lat, max_lat, min_lon, max_lon) VALUES (?, ?, ?, ?, ?)",
            (rid, lat, lat, lon, lon),
        )

    def _unindex_points(self, rids: list[int]) -> None:
        for rid in rids:
            self._exec("DELETE FROM events_rtree WHERE id = ?", (rid,))

    def _text_clause(self, query: str) -> tuple[str, list[Any]] | None:
        q = fts5_query(query)
        if q is None:
            return None
        return "d.rid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)", [q]

    def _near_clause(self, lat: float, lon: float, km: float) -> tuple[str, list[Any]]:
        dlat = km / _KM_PER_DEG_LAT
        dlon = km / max(1e-6, 111.320 * math.cos(math.radians(min(89.9, abs(lat) + dlat))))
        return (
            "e.rid IN (SELECT id FROM events_rtree WHERE min_lat <= ? AND max_lat >= ? AND min_lon <= ? "
            "AND max_lon >= ?) AND rasd_km(e.latitude, e.longitude, ?, ?) <= ?",
            [lat + dlat, lat - dlat, lon + dlon, lon - dlon, lat, lon, km],
        )

    def size_bytes(self) -> int:
        """Database file size (pages in use), after a checkpoint of the WAL."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = self.conn.execute("PRAGMA page_size").fetchone()[0]
        count = self.conn.execute("PRAGMA page_count").fetchone()[0]
        return int(page) * int(count)
