"""PostgreSQL backend (psycopg 3): the same tables as SQLite; tsvector + GIN over normalised words, btree on
(latitude, longitude) with a great-circle filter for --near.

Install the driver with ``pip install 'rasd[postgres]'``. ``scripts/ci/postgres.sh`` starts a local server for
the tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from ..errors import StoreError
from .base import Store
from .search import index_terms, tsquery
from .similarity import Embedder

_HAVERSINE = (
    "2 * 6371.0088 * ASIN(LEAST(1.0, SQRT(POWER(SIN(RADIANS(e.latitude - ?) / 2), 2) + "
    "COS(RADIANS(?)) * COS(RADIANS(e.latitude)) * POWER(SIN(RADIANS(e.longitude - ?) / 2), 2))))"
)


def _pg_sql(sql: str) -> str:
    # the shared SQL uses ? placeholders and never a literal % or ?
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(Store):
    """A rasd database on a PostgreSQL server, opened from a ``postgresql://`` URL."""

    dialect = "postgres"

    def __init__(self, url: str, *, similarity: str | Embedder = "auto", migrate: bool = True) -> None:
        super().__init__(similarity=similarity)
        self.url = url
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError:
            raise StoreError("PostgreSQL needs the psycopg driver: pip install 'rasd[postgres]'") from None
        self._psycopg = psycopg
        try:
            self.conn = psycopg.connect(url, row_factory=dict_row, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {_redact(url)}: {str(exc).strip().splitlines()[0]}") from exc
        if migrate:
            self.migrate()

    def close(self) -> None:
        self.conn.close()

    def _outer_transaction(self) -> AbstractContextManager[Any]:
        return self.conn.transaction()

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self.conn.execute(_pg_sql(sql), tuple(params))
        except self._psycopg.Error as exc:
            raise StoreError(
                f"{_redact(self.url)}: {str(exc).strip().splitlines()[0]} (in: {sql[:80]})"
            ) from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self._exec(sql, params)
        return [dict(r) for r in cur.fetchall()] if cur.description else []

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        row = self._exec(sql, params).fetchone()
        return int(next(iter(row.values())))

    def _execmany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            with self.conn.cursor() as cur:
                cur.executemany(_pg_sql(sql), rows)
        except self._psycopg.Error as exc:
            raise StoreError(f"{_redact(self.url)}: {str(exc).strip().splitlines()[0]}") from exc

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        row = self._one("SELECT to_regclass('schema_version') IS NOT NULL AS has")
        if not row or not row["has"]:
            return 0
        row = self._one("SELECT MAX(version) AS v FROM schema_version")
        return int(row["v"] or 0) if row else 0

    def size_bytes(self) -> int:
        """Size of the rasd tables and their indexes (in the schema on the search path)."""
        row = self._one(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS n FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = current_schema()"
        )
        return int(row["n"]) if row else 0

    def _lock_migrations(self) -> None:
        self._exec("SELECT pg_advisory_xact_lock(7270001)")  # one migrator at a time (two ingests starting)

    @property
    def label(self) -> str:
        return _redact(self.url)

    # ------------------------------------------------------------------ indexes
    def _index_document(self, rid: int, doc_id: str, title: str | None, text: str) -> None:
        self._exec(
            "UPDATE documents SET fts = array_to_tsvector(CAST(? AS TEXT[])) WHERE rid = ?",
            (index_terms(title, text), rid),
        )

    def _unindex_document(self, rid: int, doc_id: str) -> None:
        return None  # the tsvector lives in the documents row

    def _index_point(self, rid: int, lat: float, lon: float) -> None:
        return None  # events_latlon btree index covers events.latitude/longitude

    def _unindex_points(self, rids: list[int]) -> None:
        return None

    def _text_clause(self, query: str) -> tuple[str, list[Any]] | None:
        q = tsquery(query)
        if q is None:
            return None
        return "d.fts @@ CAST(? AS TSQUERY)", [q]

    def _near_clause(self, lat: float, lon: float, km: float) -> tuple[str, list[Any]]:
        dlat = km / 110.574
        dlon = km / max(1e-6, 111.320 * math.cos(math.radians(min(89.9, abs(lat) + dlat))))
        return (
            "e.latitude BETWEEN ? AND ? AND e.longitude BETWEEN ? AND ? AND " + _HAVERSINE + " <= ?",
            [lat - dlat, lat + dlat, lon - dlon, lon + dlon, lat, lat, lon, km],
        )


def _redact(url: str) -> str:
    """The URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        cred, host = rest.rsplit("@", 1)
        user = cred.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url
