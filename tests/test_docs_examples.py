"""The docs' place-filter examples run against a store of examples/ and find events (#16: `--admin1 Idlib`,
as written in --help, docs/store.md and docs/web.md, returned 0 rows)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

import rasd.ingest
import rasd.store
from rasd.cli import main

ROOT = Path(__file__).resolve().parents[1]
STORE_MD = (ROOT / "docs" / "store.md").read_text(encoding="utf-8")
WEB_MD = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")


def _lines(text: str, start: str) -> list[str]:
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", text, flags=re.S)
    out = [ln.split("  #")[0].strip() for b in blocks for ln in b.splitlines()]
    return [
        ln for ln in out if ln.startswith(start) and re.search(r"--(admin1|country) |(admin1|country)=", ln)
    ]


QUERIES = _lines(STORE_MD, "rasd query")
CURLS = _lines(WEB_MD, "curl 'http://127.0.0.1:8000/api/events?")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = str(tmp_path_factory.mktemp("docs") / "rasd.db")
    rasd.ingest.ingest([str(ROOT / "examples")], db=path)
    yield path


def test_the_docs_have_place_examples() -> None:
    assert len(QUERIES) >= 3 and len(CURLS) >= 2


@pytest.mark.parametrize("line", QUERIES)
def test_store_md_query_examples_find_events_issue16(db: str, line: str) -> None:
    args = shlex.split(line)[1:]
    args[args.index("--db") + 1] = db
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    n = int(re.search(r"\((\d+) (event|incident)s?\)", res.stdout).group(1))  # type: ignore[union-attr]
    assert n > 0, line


@pytest.mark.parametrize("line", CURLS)
def test_web_md_api_examples_find_events_issue16(db: str, line: str) -> None:
    from fastapi.testclient import TestClient

    from rasd.web import create_app

    url = unquote(shlex.split(line)[1].replace("http://127.0.0.1:8000", ""))
    with TestClient(create_app(db)) as client:
        body = client.get(url).json()
    assert body["total"] > 0, line
