"""rasd.store: keep a corpus's documents, mentions, events, evidence and incidents in a database.

    import rasd.ingest, rasd.store
    summary = rasd.ingest.ingest(["news.jsonl"], db="rasd.db")      # idempotent, resumable (above the store)
    with rasd.store.open("rasd.db") as store:                          # or "postgresql://user@host/db"
        for ev in store.query_events(type="Battles", admin1="Idlib", text="اسرائيل", limit=20): ...
        store.query_incidents(since="2015-07-20"); store.stats(by="week"); store.get_document(doc_id)

SQLite (a file path) is the default; a ``postgresql://`` URL selects the PostgreSQL backend (same schema, same
answers). See :class:`rasd.store.base.Store` for the query API and :mod:`rasd.store.schema` for the tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .base import SaveResult, Store
from .filters import Filters

__all__ = ["Filters", "SaveResult", "Store", "open"]

DEFAULT_DB = "rasd.db"


def open(url: str | Path = DEFAULT_DB, **options: Any) -> Store:
    """Open (creating and migrating if needed) the store at ``url``: a SQLite file path, ``:memory:``, or a
    ``postgresql://`` / ``postgres://`` URL. Options: ``similarity`` ("auto", "use", "ngram")."""
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        options.pop("create", None)
        return PostgresStore(text, **options)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    from .sqlite import SQLiteStore

    return SQLiteStore(text, **options)
