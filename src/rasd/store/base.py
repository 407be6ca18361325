"""The Store: one interface over SQLite (default) and PostgreSQL, with the same tables and the same answers.

A thin facade over small parts (#16), each a module of :mod:`rasd.store`:

- :mod:`~rasd.store.core`: connection, transactions, the dialect hooks, migrations;
- :mod:`~rasd.store.documents`: saving (one transaction per document version), deleting and loading documents;
- :mod:`~rasd.store.queries`: events, incidents, search and statistics (the read API);
- :mod:`~rasd.store.linking`: incremental cross-source incident linking;
- :mod:`~rasd.store.reviews`: analyst reviews, validated and applied;
- :mod:`~rasd.store.runs`: ingest runs and their failures.
"""

from __future__ import annotations

from .core import StoreCore, _paged, now
from .documents import (
    Documents,
    SaveResult,
    documents_for_events,
    event_from_record,
    record_to_document,
    scoped_ids,
)
from .runs import Runs

__all__ = [
    "SaveResult",
    "Store",
    "StoreCore",
    "_paged",
    "documents_for_events",
    "event_from_record",
    "now",
    "record_to_document",
    "scoped_ids",
]


class Store(Documents, Runs):
    """A rasd database. Open one with :func:`rasd.store.open`; use it as a context manager or call close().

    Read API (the web app calls these; every method returns plain JSON-ready dicts):

    - :meth:`query_events` (filters) -> list of event records
    - :meth:`count_events` (filters) -> int
    - :meth:`get_event` (id), :meth:`get_document` (id), :meth:`get_incident` (id)
    - :meth:`query_incidents` (filters) -> list of incident records
    - :meth:`search_documents` (text) -> documents whose normalised text matches
    - :meth:`stats` (by="type" | "admin1" | "week", filters) -> counts per group
    - :meth:`reviews` (event_id) -> review history

    Write API: :meth:`save_document`, :meth:`delete_document`, :meth:`record_review`, ingest runs.
    """

    dialect = "base"
