from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from storekit import pg_schema_url

import rasd.store


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
