"""Hostile input to the HTTP API. Regression for #10: SQL / FTS5 injection and stored XSS do nothing.

Every query parameter of every list endpoint, the search ``q`` and the path ids get SQL-injection and FTS5
syntax payloads: the answer is 200 with correctly filtered results (these payloads match nothing in the corpus)
or a 4xx, never a 5xx, and the database is byte-for-byte the same afterwards. Stored XSS payloads (in article
text, actor names, locations, review comments) come back as JSON data, never as markup in an HTML page.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from rasd.web import create_app
from rasd.web.filters import FilterError, parse_filters

from .corpus import XSS_IMG, XSS_SCRIPT, build_store, documents
from .reference import matches

TOKEN = "inj-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

SQL_FTS_PAYLOADS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '"; DROP TABLE events; --',
    "x'); DELETE FROM documents; --",
    "1 UNION SELECT id, text, 1, 1, 1, 1 FROM documents --",
    "' UNION SELECT name FROM sqlite_master --",
    '"',
    '"unbalanced',
    "NEAR(",
    "NEAR(a b, 2",
    "*",
    "a*",
    "col:term",
    "text:قتل",
    "^start",
    "(",
    ")",
    "a AND",
    "OR",
    "NOT",
    "-",
    "+",
    "a\x00b",
    "\x00",
    "%",
    "_",
    "\\",
    "w" * 490,
    "قتل' OR 1=1 --",
    'تنظيم"; DROP TABLE events; --',
]
# payloads with no word of the corpus: a 200 to a word search must be an empty result
MATCH_NOTHING = [p for p in SQL_FTS_PAYLOADS if not any(w in p for w in ("قتل", "تنظيم"))]

STRING_FILTERS = ["type", "sub_type", "actor", "country", "admin1", "text", "document_id"]
OTHER_PARAMS = ["since", "until", "near", "min_fatalities", "modality", "include_rejected", "limit", "offset"]


def db_digest(path: str) -> str:
    """A hash of every row of every table (FTS shadow tables included) and of the schema."""
    conn = sqlite3.connect(path)
    try:
        h = hashlib.sha256()
        for line in conn.iterdump():
            h.update(line.encode("utf-8", "surrogatepass"))
        return h.hexdigest()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    db = build_store(tmp_path_factory.mktemp("inj") / "inj.db")
    with TestClient(create_app(db, token=None), raise_server_exceptions=False) as c:
        yield c, db


@pytest.fixture(scope="module")
def before(served: tuple[TestClient, str]) -> str:
    return db_digest(served[1])


def _ok_or_4xx(status: int, what: str) -> None:
    assert status == 200 or 400 <= status < 500, f"{what}: HTTP {status}"


@pytest.mark.parametrize("payload", ["%", "_", "s_ria", "islamic%syria"])
def test_actor_like_wildcards_are_literal_issue10(served: tuple[TestClient, str], payload: str) -> None:
    """Regression for #10: `actor=%` is the text '%', not 'any actor' (no actor name here contains it)."""
    c, _ = served
    assert c.get("/api/events", params={"actor": payload}).json()["total"] == 0


def reference_ids(name: str, value: str) -> set[str]:
    """What the filter means, by the reference semantics (tests/web/reference.py over the corpus)."""
    try:
        f = parse_filters(**{name: value})
    except FilterError:
        return set()
    out = set()
    for doc in documents():
        for i, ev in enumerate(doc.events):
            rec = {
                **ev.to_dict(),
                "event_id": f"{doc.id}#{i}",
                "document_id": doc.id,
                "source": doc.meta.source,
            }
            if matches(f, rec, doc.text):
                out.add(rec["event_id"])
    return out


@pytest.mark.parametrize("payload", SQL_FTS_PAYLOADS, ids=lambda p: repr(p[:20]))
def test_string_filters_injection_issue10(served: tuple[TestClient, str], before: str, payload: str) -> None:
    c, db = served
    for name in STRING_FILTERS:
        r = c.get("/api/events", params={name: payload, "limit": 5000})
        _ok_or_4xx(r.status_code, f"/api/events?{name}={payload!r}")
        if r.status_code != 200:
            continue
        got = {e["event_id"] for e in r.json()["items"]}
        assert r.json()["total"] == len(got)
        if (
            name == "text"
        ):  # word search in the store (FTS5): operators are plain text, these words are absent
            if payload in MATCH_NOTHING:
                assert got == set(), payload
        else:
            assert got == reference_ids(name, payload), (name, payload)
        # every other view of the same filter agrees with the event list
        incidents = c.get("/api/incidents", params={name: payload, "limit": 5000})
        assert incidents.status_code == 200
        members = {e["event_id"] for i in incidents.json()["items"] for e in i["events"]}
        assert got <= members
        stats = c.get("/api/stats", params={name: payload})
        assert sum(row["events"] for row in stats.json()["items"]) == len(got), (name, payload)
        geo = c.get("/api/events.geojson", params={name: payload})
        assert {f["id"] for f in geo.json()["features"]} == got, (name, payload)
        csv_text = c.get("/api/events.csv", params={name: payload}).text
        assert len(list(csv.reader(io.StringIO(csv_text)))) == 1 + len(got), (name, payload)
    assert db_digest(db) == before


@pytest.mark.parametrize("payload", SQL_FTS_PAYLOADS, ids=lambda p: repr(p[:20]))
def test_other_params_and_search_injection_issue10(
    served: tuple[TestClient, str], before: str, payload: str
) -> None:
    c, db = served
    for name in OTHER_PARAMS:
        for endpoint in ("/api/events", "/api/incidents", "/api/reviews"):
            r = c.get(endpoint, params={name: payload})
            _ok_or_4xx(r.status_code, f"{endpoint}?{name}={payload!r}")
    r = c.get("/api/stats", params={"by": payload})
    assert r.status_code == 400
    r = c.get("/api/search", params={"q": payload})
    _ok_or_4xx(r.status_code, f"search q={payload!r}")
    if r.status_code == 200 and payload in MATCH_NOTHING:
        assert r.json()["total"] == 0 and r.json()["items"] == [], payload
    for path in ("/api/events/", "/api/documents/", "/api/incidents/"):
        r = c.get(path + quote(payload, safe=""))
        assert r.status_code in (400, 404, 414), (path, payload, r.status_code)
    r = c.get("/api/export/gold.jsonl", params={"include_unreviewed": payload})
    _ok_or_4xx(r.status_code, f"gold include_unreviewed={payload!r}")
    assert db_digest(db) == before


def test_injection_in_search_with_real_words_still_filters(served: tuple[TestClient, str]) -> None:
    """Operators are taken as text: an Arabic word with a SQL tail finds what the word alone finds, or less."""
    c, _ = served
    alone = {d["id"] for d in c.get("/api/search", params={"q": "أريحا"}).json()["items"]}
    assert alone == {"raid-a", "raid-b"}
    for tail in (" OR 1=1 --", '"; DROP TABLE events; --', " NEAR(", " *", " OR x"):
        r = c.get("/api/search", params={"q": "أريحا" + tail})
        _ok_or_4xx(r.status_code, tail)
        if r.status_code == 200:
            assert {d["id"] for d in r.json()["items"]} <= alone, tail


# ---------------------------------------------------------------- stored XSS comes back as data
XSS = [
    XSS_SCRIPT,
    XSS_IMG,
    "javascript:alert(1)",
    '"><svg onload="window.__rasd_xss=1">',
    "قصف <script>alert('رصد')</script> على حلب",
    "</textarea><iframe src=javascript:alert(1)>",
]


def strings(obj: object) -> Iterator[str]:
    """Every string value in a JSON document."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings(v)


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[TestClient]:
    db = build_store(tmp_path / "xss.db")
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


@pytest.mark.parametrize("payload", XSS, ids=lambda p: repr(p[:16]))
def test_stored_xss_is_returned_as_json_data_issue10(writable: TestClient, payload: str) -> None:
    c = writable
    r = c.post(
        "/api/events/raid-a%230/review",
        json={
            "action": "correct",
            "changes": {"actor1": payload, "location": payload, "actor2_ar": payload, "location_ar": payload},
            "reviewer": payload[:200],
            "comment": payload,
        },
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    ev = r.json()
    assert ev["actor1"] == ev["location"] == payload and ev["review"]["comment"] == payload
    for path in (
        "/api/events?document_id=raid-a",
        "/api/events/raid-a%230",
        "/api/reviews",
        "/api/documents/raid-a",
    ):
        resp = c.get(path)
        assert resp.headers["content-type"] == "application/json", path
        assert payload in set(strings(resp.json())), path
    assert c.get("/api/events", params={"actor": payload}).json()["total"] == 1  # searchable as plain text
    for page in ("/", "/docs"):
        html = c.get(page)
        assert html.headers["content-type"].startswith("text/html")
        assert payload not in html.text  # pages are static: data only ever arrives as JSON
    csv_text = c.get("/api/events.csv?document_id=raid-a").text
    assert c.get("/api/events.csv").headers["content-type"].startswith("text/csv")
    assert payload.replace('"', '""') in csv_text
    geo = c.get("/api/events.geojson?document_id=raid-a")
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert geo.json()["features"][0]["properties"]["actor1"] == payload
