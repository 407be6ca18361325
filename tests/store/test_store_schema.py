"""Schema versions and migrations; tables named for what they hold."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from storekit import REPORTS, make_doc

import rasd.store
from rasd.errors import StoreError
from rasd.store import schema
from rasd.store.sqlite import SQLiteStore


def test_new_database_is_at_the_latest_version(tmp_path: Path) -> None:
    with rasd.store.open(tmp_path / "a.db") as s:
        assert s.schema_version() == schema.LATEST_VERSION
    with sqlite3.connect(tmp_path / "a.db") as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert {
        "documents",
        "mentions",
        "events",
        "evidence",
        "incidents",
        "incident_events",
        "event_reviews",
        "ingest_runs",
        "ingest_failures",
        "documents_fts",
        "events_rtree",
        "schema_version",
    } <= names
    assert versions == list(range(1, schema.LATEST_VERSION + 1))


def test_old_database_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = SQLiteStore(path, migrate=False)
    assert old.migrate(target=1) == 1
    # a version-1 database as an older rasd wrote it (no event_reviews table yet)
    doc = make_doc(REPORTS[0])
    old._exec(
        "INSERT INTO documents (id, source, content_hash, text) VALUES (?, ?, ?, ?)",
        (doc.id, doc.meta.source, doc.content_hash, doc.text),
    )
    old._exec(
        "INSERT INTO events (id, document_id, seq, kind, event_type) VALUES (?, ?, 0, 'acled', 'Battles')",
        (doc.id + "#0", doc.id),
    )
    old.close()
    with sqlite3.connect(path) as conn:
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'event_reviews'").fetchall()
    with rasd.store.open(path) as s:  # opening migrates
        assert s.schema_version() == schema.LATEST_VERSION
        assert s.counts()["documents"] == 1
        s.record_review("snn-aawsat-snn-37#0", reviewer="a", action="accept")
        assert s.reviews()[0]["action"] == "accept"
    with rasd.store.open(path) as s:  # and a second open applies nothing again
        assert s.schema_version() == schema.LATEST_VERSION


def test_version_2_store_gets_incident_fields_on_upgrade_issue16(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    old = SQLiteStore(path, migrate=False)
    assert old.migrate(target=2) == 2
    doc = make_doc(REPORTS[0])  # a version-2 incident row as an older rasd wrote it: no time_precision
    old._exec(
        "INSERT INTO documents (id, source, content_hash, text) VALUES (?, ?, ?, ?)",
        (doc.id, doc.meta.source, doc.content_hash, doc.text),
    )
    old._exec(
        "INSERT INTO events (id, document_id, seq, kind, event_type, event_date, time_precision, actor1, inter1, "
        "fatalities, incident_id) VALUES (?, ?, 0, 'acled', 'Battles', '2015-07-20', 1, 'X', 2, 27, 'inc-1')",
        (doc.id + "#0", doc.id),
    )
    old._exec(
        "INSERT INTO incidents (id, event_type, n_events, n_documents) VALUES ('inc-1', 'Battles', 1, 1)"
    )
    old._exec("INSERT INTO incident_events (incident_id, event_id) VALUES ('inc-1', ?)", (doc.id + "#0",))
    old.close()
    with rasd.store.open(path) as s:  # opening migrates and recomputes the incident
        (incident,) = s.query_incidents(with_events=False)
        assert (incident["time_precision"], incident["inter1"], incident["fatalities"]) == (1, 2, 27)


def test_a_new_migration_is_applied_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.db"
    rasd.store.open(path).close()
    original = schema.migrations
    nxt = schema.LATEST_VERSION + 1

    def more(dialect: str) -> list[tuple[int, list[str]]]:
        return [*original(dialect), (nxt, ["ALTER TABLE documents ADD COLUMN views INTEGER"])]

    import rasd.store.core as base  # Store.migrate, shared by both dialects

    monkeypatch.setattr(base, "migrations", more)
    monkeypatch.setattr(base, "LATEST_VERSION", nxt)
    with rasd.store.open(path) as s:
        assert s.schema_version() == nxt
    with rasd.store.open(path) as s:
        assert s.schema_version() == nxt
    with sqlite3.connect(path) as conn:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(documents)")]
    assert "views" in cols


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    rasd.store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_version VALUES (99, 'future')")
    with pytest.raises(StoreError, match="newer than this rasd"):
        rasd.store.open(path)


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        rasd.store.open(bad)
    with pytest.raises(StoreError, match="does not exist"):
        rasd.store.open(tmp_path / "missing" / "x.db")


@pytest.mark.postgres
def test_postgres_schema_has_the_same_tables(pg_url: str, tmp_path: Path) -> None:
    with rasd.store.open(pg_url) as pg, rasd.store.open(tmp_path / "s.db") as lite:
        assert pg.schema_version() == lite.schema_version() == schema.LATEST_VERSION
        for table in (
            "documents",
            "mentions",
            "events",
            "evidence",
            "incidents",
            "incident_events",
            "event_reviews",
            "ingest_runs",
        ):
            cols_pg = [
                r["column_name"]
                for r in pg._rows(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "AND table_schema = current_schema() ORDER BY ordinal_position",
                    (table,),
                )
            ]
            cols_lite = [r["name"] for r in lite._rows(f"PRAGMA table_info({table})")]
            assert [c for c in cols_pg if c != "fts"] == cols_lite


@pytest.mark.postgres
def test_postgres_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        rasd.store.open("postgresql://nobody:secret@127.0.0.1:1/none")


def test_events_keep_their_why_issue14(store) -> None:  # type: ignore[no-untyped-def]
    """The coder's ``why`` (trigger, rules, the scorer's probability) is stored and read back, so the evidence
    view can show it."""
    from pathlib import Path

    import rasd
    from rasd.ingest import ingest

    seed = Path(__file__).resolve().parents[2] / "examples" / "000_fbd8113b0bef9d78.txt"
    ingest([seed], store)
    events = store.query_events(kind="acled")
    assert events
    whys = [e["why"] for e in events]
    assert all(isinstance(w, dict) for w in whys)
    coded = [w for w in whys if w]
    assert coded and all("kept" in w and "trigger" in w for w in coded)
    direct = rasd.extract(next(iter(rasd.read(str(seed))))).acled_events
    assert sorted(str(w) for w in coded) == sorted(str(e.why) for e in direct if e.why)
