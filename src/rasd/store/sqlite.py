"""SQLite backend (stdlib sqlite3): one file, WAL journal, FTS5 over normalised text, R*Tree over coordinates.

Durability: WAL with ``synchronous=NORMAL`` survives a killed process (kill -9) without losing a committed
transaction; each document is one transaction, so an interrupted ingest resumes where it stopped.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import (
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreNotFoundError,
    StoreReadOnlyError,
    StoreUnavailableError,
)
from ..geo.distance import haversine_km
from .base import Store
from .search import fts5_query, index_text
from .similarity import Embedder

_KM_PER_DEG_LAT = 110.574


def _km(lat1: float | None, lon1: float | None, lat2: float, lon2: float) -> float | None:
    if lat1 is None or lon1 is None:
        return None
    return haversine_km(lat1, lon1, lat2, lon2)


def store_error(path: str, exc: BaseException, sql: str = "") -> StoreError:
    """A sqlite3 (or decoding) failure as a typed one-line StoreError that says what to do."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = text.lower()
    if isinstance(exc, UnicodeError) or "malformed" in low or "not a database" in low or "corrupt" in low:
        return StoreCorruptError(
            f"{path}: the database is damaged or not a rasd database ({text}); restore a backup, or ingest "
            "again into a new file (the inputs are never changed)"
        )
    if "full" in low:
        return StoreFullError(
            f"{path}: disk full ({text}); free space and re-run: nothing was lost (the write in progress was "
            "rolled back, everything committed before it is kept, and a re-run resumes)"
        )
    if "readonly" in low or "read-only" in low:
        return StoreReadOnlyError(
            f"{path}: the database cannot be written ({text}); fix the permissions of the file and its "
            "folder (SQLite writes a -wal file beside it), or copy it somewhere writable"
        )
    if "unable to open" in low or "disk i/o" in low or "no such table" in low:
        return StoreUnavailableError(
            f"{path}: the database cannot be used ({text}); check that the file still exists and its disk "
            "works, then re-run (what was committed is kept)"
        )
    where = f" (in: {sql[:80]})" if sql else ""
    return StoreError(f"{path}: {text}{where}")


class SQLiteStore(Store):
    """A rasd database in one SQLite file (``:memory:`` for a throwaway one)."""

    dialect = "sqlite"

    def __init__(
        self,
        path: str | Path,
        *,
        similarity: str | Embedder = "auto",
        migrate: bool = True,
        create: bool = True,
    ) -> None:
        super().__init__(similarity=similarity)
        self.path = str(path)
        self.url = self.path
        if self.path != ":memory:":
            target = Path(self.path).expanduser()
            parent = target.resolve().parent
            if not target.exists() and not create:
                raise StoreNotFoundError(
                    f"{self.path}: no such database (nothing was created); check the path, or build one with "
                    f"`rasd ingest FILES --db {self.path}`"
                )
            if not parent.is_dir():
                raise StoreError(f"cannot create database {self.path}: folder {parent} does not exist")
            if target.exists() and not target.is_file():
                raise StoreUnavailableError(
                    f"{self.path}: not a database file (a directory or a device); give the path of a SQLite file"
                )
        try:
            self.conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=30.0, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None
        self._identity = self._file_identity()
        self.conn.row_factory = sqlite3.Row
        self.conn.create_function("rasd_km", 4, _km, deterministic=True)
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            if migrate:
                self.migrate()
        except (sqlite3.Error, UnicodeError) as exc:  # a damaged file can garble SQLite's own message
            self.conn.close()
            raise store_error(self.path, exc) from None
        except StoreError:
            self.conn.close()
            raise

    def _file_identity(self) -> tuple[int, int] | None:
        if self.path == ":memory:" or self.path.startswith("file:"):
            return None
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def _still_there(self) -> None:
        """Raise when the file was deleted or replaced since it was opened: writes would go to a file no one
        can open again (and vanish), reads would answer from a database that no longer exists."""
        if self._identity is not None and self._file_identity() != self._identity:
            raise StoreUnavailableError(
                f"{self.path}: the database file was deleted or replaced while in use; nothing more was "
                "written to it. Restore it (or ingest again) and restart"
            )

    def check(self) -> None:
        """Raise :class:`StoreCorruptError` unless SQLite's quick integrity check passes (whole file read)."""
        try:
            rows = self.conn.execute("PRAGMA quick_check").fetchall()
        except (sqlite3.Error, UnicodeError) as exc:
            raise store_error(self.path, exc) from None
        problems = [str(r[0]) for r in rows if str(r[0]) != "ok"]
        if problems:
            raise StoreCorruptError(
                f"{self.path}: the database is damaged ({len(problems)} problem(s), first: {problems[0][:120]}); "
                "restore a backup, or ingest again into a new file"
            )

    # ------------------------------------------------------------------ plumbing
    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _outer_transaction(self) -> Iterator[None]:
        self._still_there()
        self._exec("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite already rolled back (disk full, I/O error): nothing more to undo
                pass
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise store_error(self.path, exc, "COMMIT") from None

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self.conn.execute(sql, tuple(params))
        except (sqlite3.Error, UnicodeError, OverflowError) as exc:
            raise store_error(self.path, exc, sql) from None

    def _execmany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            self.conn.executemany(sql, rows)
        except (sqlite3.Error, UnicodeError, OverflowError) as exc:
            raise store_error(self.path, exc, sql) from None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        self._still_there()
        try:
            return [dict(r) for r in self._exec(sql, params).fetchall()]
        except (sqlite3.Error, UnicodeError) as exc:  # a damaged page is met while fetching
            raise store_error(self.path, exc, sql) from None

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        try:
            row = self._exec(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise store_error(self.path, exc, sql) from None
        return int(row[0])

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        has = self._rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
        if not has:
            return 0
        row = self._rows("SELECT MAX(version) AS v FROM schema_version")
        return int(row[0]["v"] or 0)

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
        self._exec("PRAGMA wal_checkpoint(TRUNCATE)")
        page = self._rows("PRAGMA page_size")[0]["page_size"]
        count = self._rows("PRAGMA page_count")[0]["page_count"]
        return int(page) * int(count)
