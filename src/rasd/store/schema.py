"""The store's tables, one list of migrations per SQL dialect, applied in order and recorded in ``schema_version``.

Tables are named for what they hold so that a user can open the database with any SQLite or PostgreSQL tool:

=================  ============================================================================================
documents          one row per document version kept: id, outlet, url, title, author, published, language,
                   content_hash (sha256 of the text), the original text, metadata JSON, the ingest run
documents_fts      (SQLite) FTS5 index over the NORMALISED title + text (hamza/alef/ta marbuta folded, article
                   stripped copies of words added), rowid = documents.rid; PostgreSQL: ``documents.fts`` tsvector
mentions           what the recognisers found (actor, place, date, quantity, source...): span + value JSON
events             coded events, one row each (ACLED fields of ``rasd.document.EVENT_FIELDS``), with incident_id
evidence           the spans that state each event (field NULL) or justify one field (field = "fatalities"...)
events_rtree       (SQLite) R*Tree over event coordinates, id = events.rid; PostgreSQL: btree on (lat, lon)
incidents          groups of events from different documents that describe the same incident: merged fields,
                   the most conservative fatality figure, sources, disagreements between sources (JSON)
incident_events    membership: which events make up which incident (one incident per event)
event_embeddings   cached sentence vectors of event evidence, used to compare events when grouping
event_reviews      analyst decisions: who, when, action (accept / reject / correct), field, before, after
ingest_runs        one row per ``rasd ingest`` run: arguments, start/end, counts, status
ingest_failures    documents or records that failed in a run, with the error code and message
schema_version     the migrations applied
=================  ============================================================================================

Dates are ISO 8601 text in both dialects (``YYYY-MM-DD``; they compare correctly as strings); JSON columns are
text. A new migration is appended to BOTH lists with the next version number; existing migrations never change.
"""

from __future__ import annotations

from ..document import EVENT_FIELDS

_INT_FIELDS = {"time_precision", "inter1", "inter2", "geo_precision", "fatalities", "wounded", "captured"}
_REAL_FIELDS = {"latitude", "longitude"}
_BOOL_FIELDS = {"fatalities_shared", "civilian_targeting"}


def _event_columns(dialect: str) -> str:
    cols = []
    for name in EVENT_FIELDS:
        if name in _INT_FIELDS:
            typ = "INTEGER"
        elif name in _REAL_FIELDS:
            typ = "REAL" if dialect == "sqlite" else "DOUBLE PRECISION"
        elif name in _BOOL_FIELDS:
            typ = "INTEGER NOT NULL DEFAULT 0" if dialect == "sqlite" else "BOOLEAN NOT NULL DEFAULT FALSE"
        else:
            typ = "TEXT"
        cols.append(f"  {name} {typ}")
    return ",\n".join(cols)


def _core(dialect: str) -> list[str]:
    pk = "INTEGER PRIMARY KEY" if dialect == "sqlite" else "BIGSERIAL PRIMARY KEY"
    real = "REAL" if dialect == "sqlite" else "DOUBLE PRECISION"
    fts_col = "" if dialect == "sqlite" else ",\n  fts TSVECTOR"
    stmts = [
        f"""CREATE TABLE documents (
  rid {pk},
  id TEXT NOT NULL UNIQUE,
  source TEXT,
  url TEXT,
  title TEXT,
  author TEXT,
  published TEXT,
  language TEXT,
  content_hash TEXT NOT NULL,
  text TEXT NOT NULL,
  meta TEXT,
  flags TEXT,
  run_id INTEGER,
  ingested_at TEXT{fts_col}
)""",
        "CREATE INDEX documents_published ON documents (published)",
        "CREATE INDEX documents_source ON documents (source)",
        f"""CREATE TABLE mentions (
  rid {pk},
  document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  start_char INTEGER NOT NULL,
  end_char INTEGER NOT NULL,
  text TEXT NOT NULL,
  value TEXT,
  entry TEXT,
  recogniser TEXT,
  score {real}
)""",
        "CREATE INDEX mentions_document ON mentions (document_id)",
        "CREATE INDEX mentions_kind_entry ON mentions (kind, entry)",
        f"""CREATE TABLE events (
  rid {pk},
  id TEXT NOT NULL UNIQUE,
  document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  coder_event_id TEXT,
{_event_columns(dialect)},
  confidence {real},
  flags TEXT,
  notes TEXT,
  incident_id TEXT,
  review_status TEXT
)""",
        "CREATE INDEX events_document ON events (document_id)",
        "CREATE INDEX events_type_date ON events (event_type, event_date)",
        "CREATE INDEX events_date ON events (event_date)",
        "CREATE INDEX events_admin1 ON events (admin1)",
        "CREATE INDEX events_incident ON events (incident_id)",
        f"""CREATE TABLE evidence (
  rid {pk},
  event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  document_id TEXT NOT NULL,
  field TEXT,
  start_char INTEGER NOT NULL,
  end_char INTEGER NOT NULL,
  text TEXT NOT NULL
)""",
        "CREATE INDEX evidence_event ON evidence (event_id)",
        f"""CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  event_type TEXT,
  sub_event_type TEXT,
  event_date TEXT,
  date_end TEXT,
  actor1 TEXT,
  actor2 TEXT,
  location TEXT,
  country TEXT,
  admin1 TEXT,
  admin2 TEXT,
  pcode TEXT,
  latitude {real},
  longitude {real},
  geo_precision INTEGER,
  fatalities INTEGER,
  fatalities_max INTEGER,
  n_events INTEGER NOT NULL,
  n_documents INTEGER NOT NULL,
  sources TEXT,
  disagreements TEXT,
  updated_at TEXT
)""",
        # incident lists by type and date (the grouping's blocking step uses events_type_date)
        "CREATE INDEX incidents_block ON incidents (event_type, event_date)",
        "CREATE INDEX incidents_admin1 ON incidents (admin1)",
        """CREATE TABLE incident_events (
  incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  score REAL
)""",
        "CREATE INDEX incident_events_incident ON incident_events (incident_id)",
        f"""CREATE TABLE event_embeddings (
  event_id TEXT NOT NULL PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  vector {"BLOB" if dialect == "sqlite" else "BYTEA"} NOT NULL
)""",
        f"""CREATE TABLE ingest_runs (
  id {pk},
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  args TEXT,
  n_read INTEGER NOT NULL DEFAULT 0,
  n_new INTEGER NOT NULL DEFAULT 0,
  n_updated INTEGER NOT NULL DEFAULT 0,
  n_skipped INTEGER NOT NULL DEFAULT 0,
  n_failed INTEGER NOT NULL DEFAULT 0,
  n_events INTEGER NOT NULL DEFAULT 0
)""",
        f"""CREATE TABLE ingest_failures (
  rid {pk},
  run_id INTEGER NOT NULL,
  document_id TEXT,
  path TEXT,
  line INTEGER,
  code TEXT,
  message TEXT NOT NULL
)""",
    ]
    if dialect == "sqlite":
        stmts += [
            "CREATE VIRTUAL TABLE documents_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
            "CREATE VIRTUAL TABLE events_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)",
        ]
    else:
        stmts += [
            "CREATE INDEX documents_fts ON documents USING GIN (fts)",
            "CREATE INDEX events_latlon ON events (latitude, longitude)",
        ]
    return stmts


def _reviews(dialect: str) -> list[str]:
    pk = "INTEGER PRIMARY KEY" if dialect == "sqlite" else "BIGSERIAL PRIMARY KEY"
    return [
        f"""CREATE TABLE event_reviews (
  id {pk},
  event_id TEXT NOT NULL,
  document_id TEXT,
  document_hash TEXT,
  reviewer TEXT NOT NULL,
  created_at TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'correct')),
  field TEXT,
  before_value TEXT,
  after_value TEXT,
  comment TEXT
)""",
        "CREATE INDEX event_reviews_event ON event_reviews (event_id)",
    ]


def _incident_fields_and_review_keys(dialect: str) -> list[str]:
    """Version 3 (#16): the ACLED fields incident rows lacked, and reviews keyed to survive re-ingest.

    ``event_reviews.event_key`` names the reviewed event by what it says (its kind and evidence text), not by
    its position in the article, so a correction follows the event when the article is re-extracted;
    ``state`` is "applied" or "needs_rereview" (the reviewed event is gone from the new version)."""
    flag = "INTEGER NOT NULL DEFAULT 0" if dialect == "sqlite" else "BOOLEAN NOT NULL DEFAULT FALSE"
    return [
        "ALTER TABLE incidents ADD COLUMN time_precision INTEGER",
        "ALTER TABLE incidents ADD COLUMN inter1 INTEGER",
        "ALTER TABLE incidents ADD COLUMN inter2 INTEGER",
        "ALTER TABLE incidents ADD COLUMN admin3 TEXT",
        f"ALTER TABLE incidents ADD COLUMN civilian_targeting {flag}",
        "ALTER TABLE event_reviews ADD COLUMN event_key TEXT",
        "ALTER TABLE event_reviews ADD COLUMN state TEXT NOT NULL DEFAULT 'applied'",
        "CREATE INDEX event_reviews_document ON event_reviews (document_id)",
    ]


def _event_why(dialect: str) -> list[str]:
    """Version 4 (#14): each event's ``why`` (JSON: the rules and model scores behind its fields), so the
    evidence view can say why rasd coded what it coded."""
    return ["ALTER TABLE events ADD COLUMN why TEXT"]


def migrations(dialect: str) -> list[tuple[int, list[str]]]:
    """``[(version, statements)]`` for ``dialect`` ("sqlite" or "postgres"), oldest first."""
    if dialect not in ("sqlite", "postgres"):
        raise ValueError(dialect)
    return [
        (1, _core(dialect)),
        (2, _reviews(dialect)),
        (3, _incident_fields_and_review_keys(dialect)),
        (4, _event_why(dialect)),
    ]


LATEST_VERSION = 4
