"""The store's connection and dialect part: transactions, the SQL hooks each dialect supplies, migrations.

All SQL of the store is written once with ``?`` placeholders (PostgreSQL's adapter turns them into ``%s``) and only
parameterised: no value is ever formatted into a statement. Each dialect (:mod:`rasd.store.sqlite`,
:mod:`rasd.store.postgres`) supplies connection handling, migrations, the full-text index and the spatial index.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, Self

from ..errors import StoreError
from .filters import Filters
from .schema import _BOOL_FIELDS, LATEST_VERSION, migrations
from .similarity import Embedder, get_embedder

log = logging.getLogger(__name__)

_CHUNK = 500


def _drop_nulls(value: Any) -> Any:
    # containers recurse, scalars are taken as they are (no call per scalar: ~100,000 mentions per 2,000 articles)
    if isinstance(value, dict):
        return {
            k: _drop_nulls(v) if isinstance(v, (dict, list)) else v for k, v in value.items() if v is not None
        }
    if isinstance(value, list):
        return [_drop_nulls(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


def _compact_json(value: Any) -> str:
    """Mention values as stored: no null keys (read back as missing = None), no spaces. ~35% smaller."""
    return _COMPACT.encode(_drop_nulls(value))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chunks(items: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


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


class StoreCore:
    """What every part of the store stands on: one connection, transactions, the dialect's hooks."""

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
            upgraded_from = current
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
            if 0 < upgraded_from < 3 <= current:
                self._after_v3()
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
    def __enter__(self) -> Self:
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

    def _execmany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        for row in rows:
            self._exec(sql, row)

    def _to_db(self, name: str, value: Any) -> Any:
        if name in _BOOL_FIELDS:
            return bool(value)
        return value

    def _from_db(self, name: str | None, value: Any) -> Any:
        if name in _BOOL_FIELDS and value is not None:
            return bool(value)
        return value

    def _after_v3(self) -> None:
        """Run once when a store is upgraded to schema version 3 (the incident part recomputes incidents)."""
        return None
