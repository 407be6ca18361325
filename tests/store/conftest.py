from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import rasd.store

ROOT = Path(__file__).resolve().parents[2]
_PG: dict[str, str | None] = {}


def pg_dsn() -> str | None:
    """RASD_TEST_PG_DSN, or the DSN of a server scripts/ci/postgres.sh starts; None (with a reason) when none."""
    if "dsn" in _PG:
        return _PG["dsn"]
    dsn = os.environ.get("RASD_TEST_PG_DSN")
    reason = None
    if not dsn:
        script = ROOT / "scripts" / "ci" / "postgres.sh"
        try:
            out = subprocess.run([str(script)], capture_output=True, text=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            out = None
            reason = f"scripts/ci/postgres.sh could not run: {exc}"
        if out is not None:
            for line in out.stdout.splitlines():
                if line.startswith("RASD_TEST_PG_DSN="):
                    dsn = line.split("=", 1)[1].strip()
            if not dsn:
                reason = "scripts/ci/postgres.sh could not start PostgreSQL: " + (
                    out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"
                )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        dsn, reason = None, "psycopg is not installed (pip install 'rasd[postgres]')"
    _PG["dsn"] = dsn
    _PG["reason"] = reason
    return dsn


def pg_schema_url() -> Iterator[str]:
    """A DSN whose search_path is a fresh schema, dropped afterwards."""
    dsn = pg_dsn()
    if not dsn:
        pytest.skip(f"PostgreSQL not available: {_PG.get('reason')}")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in dsn else "?"
    try:
        yield f"{dsn}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_schema_url()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "rasd.db")
    else:
        yield from pg_schema_url()


@pytest.fixture
def store(store_url: str) -> Iterator[rasd.store.Store]:
    s = rasd.store.open(store_url)
    try:
        yield s
    finally:
        s.close()
