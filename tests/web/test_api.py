"""The HTTP API (rasd.web) over a real SQLite store and over `rasd extract` JSONL loaded into a store."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from rasd.cli import main as cli_main
from rasd.web import create_app
from rasd.web.backend import build_spans
from rasd.web.exports import ACLED_COLUMNS
from rasd.web.storeview import StoreBackend

from .corpus import XSS_IMG, XSS_SCRIPT, build_store, documents

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return build_store(tmp_path / "web.db")


@pytest.fixture()
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


@pytest.fixture()
def readonly(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db, token=None)) as c:
        yield c


def ids(resp: dict) -> list[str]:
    return [e["event_id"] for e in resp["items"]]


# ---------------------------------------------------------------- events, filters, pagination
def test_events_list_newest_first_with_total(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 4
    assert ids(body) == ["khuwayn#0", "daraa-protest#0", "raid-a#0", "raid-b#0"]
    ev = body["items"][0]
    assert ev["event_type"] == "Battles" and ev["modality"] == "claimed"
    assert ev["document_id"] == "khuwayn" and ev["review"]["status"] == "unreviewed"
    assert ev["evidence"][0]["text"].startswith("أعلنت غرفة عمليات")


def test_pagination(client: TestClient) -> None:
    page1 = client.get("/api/events?limit=2&offset=0").json()
    page2 = client.get("/api/events?limit=2&offset=2").json()
    page3 = client.get("/api/events?limit=2&offset=4").json()
    assert page1["total"] == page2["total"] == page3["total"] == 4
    assert ids(page1) + ids(page2) == ids(client.get("/api/events").json())
    assert page3["items"] == []
    assert (page2["limit"], page2["offset"]) == (2, 2)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=Battles", ["khuwayn#0"]),
        ("type=battles", ["khuwayn#0"]),
        ("sub_type=Air/drone strike", ["raid-a#0", "raid-b#0"]),
        ("actor=islamic state", ["khuwayn#0"]),
        ("actor=دحر الغزاة", ["khuwayn#0"]),
        ("country=syria&admin1=IDLIB", ["khuwayn#0", "raid-a#0", "raid-b#0"]),
        ("since=2015-07-27", ["khuwayn#0", "daraa-protest#0"]),
        ("until=2015-07-30", ["raid-a#0", "raid-b#0"]),
        ("since=2018-02-12&until=2018-02-12", ["khuwayn#0"]),  # inside the event's date range
        ("min_fatalities=6", ["khuwayn#0", "raid-b#0"]),
        ("modality=claimed", ["khuwayn#0"]),
        ("near=35.81,36.61,5", ["raid-a#0", "raid-b#0"]),
        ("near=32.62,36.10,10", ["daraa-protest#0"]),
        ("text=اريحا", ["raid-a#0", "raid-b#0"]),  # hamza folded: أريحا
        ("document_id=raid-b", ["raid-b#0"]),
        ("type=Riots", []),
    ],
)
def test_filters(client: TestClient, query: str, expected: list[str]) -> None:
    body = client.get(f"/api/events?{query}").json()
    assert ids(body) == expected
    assert body["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("since=2015-13-01", "since"),
        ("until=yesterday", "until"),
        ("since=2016-01-01&until=2015-01-01", "after"),
        ("near=35,36", "LAT,LON,KM"),
        ("near=95,36,5", "latitude"),
        ("modality=rumoured", "modality"),
        ("min_fatalities=many", "min_fatalities"),
        ("min_fatalities=-1", "min_fatalities"),
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("offset=-1", "offset"),
        ("include_rejected=perhaps", "include_rejected"),
    ],
)
def test_bad_parameters_are_clear_400s(client: TestClient, query: str, needle: str) -> None:
    resp = client.get(f"/api/events?{query}")
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["code"] == "bad_request"
    assert needle in err["message"]


def test_not_found_is_json(client: TestClient) -> None:
    for path in ("/api/events/nope%230", "/api/documents/nope", "/api/incidents/nope", "/api/nothing-here"):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert resp.json()["error"]["code"] == "not_found"
    resp = client.delete("/api/events")
    assert resp.status_code == 405 and resp.json()["error"]["code"] == "method_not_allowed"


# ---------------------------------------------------------------- one event, incidents, documents
def test_event_detail_has_incident_sources(client: TestClient) -> None:
    ev = client.get("/api/events/raid-a%230").json()
    assert ev["fatalities"] == 5 and ev["history"] == []
    others = [e["event_id"] for e in ev["incident"]["events"]]
    assert sorted(others) == ["raid-a#0", "raid-b#0"]
    assert ev["incident"]["fatalities"] == 5  # the most conservative figure of the sources


def test_incidents(client: TestClient) -> None:
    body = client.get("/api/incidents").json()
    assert body["total"] == 3
    raid = next(i for i in body["items"] if i["event_type"] == "Explosions/Remote violence")
    assert raid["n_documents"] == 2 and raid["fatalities"] == 5
    assert sorted(raid["sources"]) == ["alarabiya", "okaz"]
    one = client.get(f"/api/incidents/{raid['incident_id']}").json()
    assert len(one["events"]) == 2
    assert client.get("/api/incidents?type=Protests").json()["total"] == 1
    assert client.get("/api/incidents?limit=1&offset=1").json()["total"] == 3


def test_document_has_text_and_spans(client: TestClient) -> None:
    doc = client.get("/api/documents/khuwayn").json()
    text = doc["text"]
    assert doc["title"].startswith("دحر الغزاة")
    kinds = {s["kind"] for s in doc["spans"]}
    assert {"evidence", "actor", "place", "date", "number", "trigger"} <= kinds
    for s in doc["spans"]:
        assert text[s["start"] : s["end"]] == s["text"]
    assert doc["events"][0]["event_id"] == "khuwayn#0"


def test_xss_payload_stored_and_returned_as_text(client: TestClient) -> None:
    doc = client.get("/api/documents/daraa-protest").json()
    assert XSS_SCRIPT in doc["text"] and XSS_IMG in doc["text"]
    assert XSS_IMG in doc["title"]
    assert any(s["text"] == XSS_IMG for s in doc["spans"])
    resp = client.get("/api/documents/daraa-protest")
    assert resp.headers["content-type"].startswith("application/json")
    # the page itself: no inline script, a CSP that forbids inline script, app code never uses innerHTML
    page = client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert not re.search(r"<script>(?!</script>)", page.text)
    app_js = client.get("/static/app.js").text
    assert "innerHTML" not in app_js.replace("never innerHTML", "") and "insertAdjacentHTML" not in app_js


def test_search_folds_arabic_variants(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "اريحا"}).json()
    assert {d["id"] for d in body["items"]} == {"raid-a", "raid-b"} and body["total"] == 2
    assert client.get("/api/search", params={"q": "xyzzy"}).json()["total"] == 0
    assert client.get("/api/search").status_code == 400


@pytest.mark.parametrize("by", ["type", "admin1", "week"])
def test_stats(client: TestClient, by: str) -> None:
    body = client.get(f"/api/stats?by={by}").json()
    assert body["by"] == by
    assert sum(r["events"] for r in body["items"]) == 4
    if by == "type":
        assert {r["key"]: r["events"] for r in body["items"]}["Explosions/Remote violence"] == 2
    if by == "week":
        assert [r["key"] for r in body["items"]] == ["2015-07-20", "2015-07-27", "2018-02-05"]
    assert client.get(f"/api/stats?by={by}&type=Battles").json()["items"][0]["events"] == 1


def test_stats_bad_dimension(client: TestClient) -> None:
    resp = client.get("/api/stats?by=colour")
    assert resp.status_code == 400 and "type" in resp.json()["error"]["message"]


# ---------------------------------------------------------------- downloads
def test_geojson_download(client: TestClient) -> None:
    resp = client.get("/api/events.geojson?admin1=Idlib")
    assert resp.headers["content-type"].startswith("application/geo+json")
    fc = resp.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 3
    f = next(f for f in fc["features"] if f["id"] == "raid-a#0")
    assert f["geometry"] == {"type": "Point", "coordinates": [36.6108, 35.8117]}
    assert f["properties"]["fatalities"] == 5


def test_acled_csv_download(client: TestClient) -> None:
    resp = client.get("/api/events.csv")
    assert resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.text)))
    assert (
        tuple(rows[0]) == ACLED_COLUMNS and ACLED_COLUMNS[-1] == "rasd_event_id" and len(ACLED_COLUMNS) == 32
    )
    assert len(rows) == 5
    recs = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    rec = next(r for r in recs if r["event_type"] == "Battles" and r["fatalities"] == "10")
    assert rec["iso"] == "760" and rec["event_id_cnty"].startswith("SYR")
    assert len({r["event_id_cnty"] for r in recs}) == len(recs)  # stable, distinct ACLED-style ids
    assert "modality=claimed" in rec["tags"]
    assert rec["rasd_event_id"] == "khuwayn#0"


def test_web_and_cli_csv_are_the_same_rows_issue16(client: TestClient, db: str, tmp_path: Path) -> None:
    import pandas as pd

    client.post("/api/events/raid-a%230/review", json={"action": "accept"}, headers=AUTH)
    resp = client.get("/api/events.csv?bom=true")
    assert resp.content.startswith(b"\xef\xbb\xbf")
    web = pd.read_csv(io.BytesIO(resp.content), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    out = tmp_path / "cli.csv"
    res = CliRunner().invoke(cli_main, ["export", "--db", db, "-f", "acled-csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    cli = pd.read_csv(out, dtype=str, keep_default_na=False)
    key = "rasd_event_id"
    assert web.sort_values(key).reset_index(drop=True).equals(cli.sort_values(key).reset_index(drop=True))
    assert web.set_index(key).loc["raid-a#0", "tags"] == "review=accepted"


# ---------------------------------------------------------------- review loop and tokens
def test_write_refused_without_token(client: TestClient, readonly: TestClient) -> None:
    body = {"action": "accept"}
    r = readonly.post("/api/events/raid-a%230/review", json=body, headers=AUTH)
    assert r.status_code == 403 and r.json()["error"]["code"] == "read_only"
    r = client.post("/api/events/raid-a%230/review", json=body)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    r = client.post("/api/events/raid-a%230/review", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = client.post("/api/events/raid-a%230/review", json=body, headers={"X-Rasd-Token": TOKEN})
    assert r.status_code == 200 and r.json()["review"]["status"] == "accepted"
    assert readonly.get("/api/config").json()["review_enabled"] is False
    assert client.get("/api/config").json()["review_enabled"] is True


def test_correct_is_stored_with_who_when_before_after_and_exported(client: TestClient) -> None:
    r = client.post(
        "/api/events/raid-a%230/review",
        json={"action": "correct", "changes": {"fatalities": 4, "admin2": "Ariha"}, "reviewer": "mona"},
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    ev = r.json()
    assert ev["fatalities"] == 4 and ev["admin2"] == "Ariha"
    assert ev["review"]["status"] == "corrected" and ev["review"]["reviewer"] == "mona"
    corr = {c["field"]: c for c in ev["review"]["corrections"]}
    assert corr["fatalities"]["before"] == 5 and corr["fatalities"]["after"] == 4
    assert corr["fatalities"]["reviewer"] == "mona" and corr["fatalities"]["created_at"]
    # applied everywhere: list, CSV, GeoJSON, review log
    assert client.get("/api/events?document_id=raid-a").json()["items"][0]["fatalities"] == 4
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events.csv?document_id=raid-a").text)))
    assert rows[0]["fatalities"] == "4" and "review=corrected" in rows[0]["tags"]
    assert (
        client.get("/api/events.geojson?document_id=raid-a").json()["features"][0]["properties"]["fatalities"]
        == 4
    )
    log = client.get("/api/reviews").json()
    assert log["total"] == 2 and {r["field"] for r in log["items"]} == {"fatalities", "admin2"}


def test_reject_drops_event_from_lists_and_exports(client: TestClient) -> None:
    r = client.post(
        "/api/events/raid-b%230/review", json={"action": "reject", "reviewer": "mona"}, headers=AUTH
    )
    assert r.status_code == 200 and r.json()["review_status"] == "rejected"
    assert "raid-b#0" not in ids(client.get("/api/events").json())
    assert "raid-b#0" in ids(client.get("/api/events?include_rejected=true").json())
    assert "raid-b#0" not in client.get("/api/events.csv").text
    assert all(f["id"] != "raid-b#0" for f in client.get("/api/events.geojson").json()["features"])
    # still reachable, marked
    assert client.get("/api/events/raid-b%230").json()["review"]["status"] == "rejected"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"action": "correct", "changes": {"colour": "red"}}, "not an event field"),
        ({"action": "correct", "changes": {"fatalities": "many"}}, "fatalities"),
        ({"action": "correct", "changes": {"modality": "rumoured"}}, "modality"),
        ({"action": "correct", "changes": {"event_date": "2015-02-30"}}, "event_date"),
        ({"action": "correct", "changes": {"latitude": 123}}, "latitude"),
        ({"action": "correct", "changes": {"fatalities": 5}}, "no field changed"),
        ({"action": "correct"}, "changes"),
        ({"action": "accept", "changes": {"fatalities": 1}}, "correct"),
        ({"action": "approve"}, "action"),
        ({"action": "correct", "changes": {"fatalities": 1e23}}, "between 0 and 100,000"),  # #16
        ({"action": "correct", "changes": {"event_type": "Picnic"}}, "event_type='Picnic'"),
        ({"action": "correct", "changes": {"sub_event_type": "Armed clash"}}, "a sub-event type of"),
        ({"action": "correct", "changes": {"inter2": 99}}, "inter codes"),
        ({"action": "correct", "changes": {"date_end": "2015-07-01"}}, "after date_end"),
    ],
)
def test_bad_reviews_are_400(client: TestClient, body: dict, needle: str) -> None:
    r = client.post("/api/events/raid-a%230/review", json=body, headers=AUTH)
    assert r.status_code == 400, r.text
    assert needle in r.json()["error"]["message"]


def test_review_unknown_event_404(client: TestClient) -> None:
    r = client.post("/api/events/nope%230/review", json={"action": "accept"}, headers=AUTH)
    assert r.status_code == 404


def test_gold_export(client: TestClient) -> None:
    assert client.get("/api/export/gold.jsonl").text == ""  # nothing reviewed yet
    client.post(
        "/api/events/khuwayn%230/review",
        json={"action": "correct", "changes": {"fatalities": 12}},
        headers=AUTH,
    )
    client.post("/api/events/raid-b%230/review", json={"action": "reject"}, headers=AUTH)
    client.post("/api/events/raid-a%230/review", json={"action": "accept"}, headers=AUTH)
    lines = [json.loads(x) for x in client.get("/api/export/gold.jsonl").text.splitlines()]
    by_id = {rec["id"]: rec for rec in lines}
    assert set(by_id) == {"khuwayn", "raid-a", "raid-b"}
    kh = by_id["khuwayn"]
    for key in ("id", "source", "url", "published", "title", "author", "text", "events", "annotator_notes"):
        assert key in kh
    ev = kh["events"][0]
    assert ev["fatalities"] == 12 and ev["modality"] == "claimed" and ev["pcode"] == "C4091"
    assert kh["text"][ev["evidence_start"] : ev["evidence_start"] + len(ev["evidence"])] == ev["evidence"]
    assert ev["review"]["corrections"][0]["before"] == 10
    assert by_id["raid-b"]["events"] == []  # rejected: the article says there is no such event
    assert len(by_id["raid-a"]["events"]) == 1
    everything = client.get("/api/export/gold.jsonl?include_unreviewed=true").text.splitlines()
    assert len(everything) == 4


# ---------------------------------------------------------------- docs, static, offline
def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/incidents",
        "/api/documents/{doc_id}",
        "/api/search",
        "/api/stats",
        "/api/events.geojson",
        "/api/events.csv",
        "/api/events/{event_id}/review",
        "/api/export/gold.jsonl",
    ):
        assert path in spec["paths"], path
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn." not in docs.text and "unpkg" not in docs.text
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404


def test_static_assets_are_local() -> None:
    static = resources.files("rasd.web") / "static"
    for name in ("index.html", "app.js", "style.css"):
        text = (static / name).read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"https?://", text), name
        assert "import(" not in text and "https://" not in text.replace("https?:", ""), name
    for geo in ("syria_admin1.geojson", "syria_admin2.geojson"):
        path = static / "geo" / geo
        fc = json.loads(path.read_text(encoding="utf-8"))
        assert fc["type"] == "FeatureCollection"
        assert len(fc["features"]) >= 14
        assert len(path.read_bytes()) < 1_000_000


# ---------------------------------------------------------------- JSONL served through a store
@pytest.fixture()
def jsonl(tmp_path: Path) -> str:
    path = tmp_path / "extract.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for doc in documents():
            rec = doc.to_dict(with_text=True, with_mentions=True)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return str(path)


def test_serving_extract_jsonl_from_memory(jsonl: str) -> None:
    with TestClient(create_app(jsonl, token=TOKEN)) as c:
        assert c.get("/api/events").json()["total"] == 4
        assert ids(c.get("/api/events?text=اريحا").json()) == ["raid-a#0", "raid-b#0"]
        assert ids(c.get("/api/events?near=35.81,36.61,5&min_fatalities=6").json()) == ["raid-b#0"]
        r = c.post(
            "/api/events/raid-a%230/review",
            json={"action": "correct", "changes": {"fatalities": 3}},
            headers=AUTH,
        )
        assert r.status_code == 200 and r.json()["fatalities"] == 3
        assert r.json()["review"]["corrections"][0]["before"] == 5
        assert c.get("/api/stats?by=type").json()["items"][0]["key"] == "Battles"
        assert XSS_SCRIPT in c.get("/api/documents/daraa-protest").json()["text"]
        gold = [json.loads(x) for x in c.get("/api/export/gold.jsonl").text.splitlines()]
        assert [g["id"] for g in gold] == ["raid-a"] and gold[0]["events"][0]["fatalities"] == 3
    # reviews persist next to the JSONL file
    with TestClient(create_app(jsonl, token=None)) as c:
        assert c.get("/api/events/raid-a%230").json()["fatalities"] == 3


def test_memory_and_store_agree(client: TestClient) -> None:
    mem = StoreBackend.from_documents(documents())
    with TestClient(create_app(backend=mem)) as c:
        for q in (
            "",
            "type=Battles",
            "admin1=idlib",
            "since=2015-07-27",
            "actor=civilians",
            "min_fatalities=6",
        ):
            assert ids(c.get(f"/api/events?{q}").json()) == ids(client.get(f"/api/events?{q}").json()), q
        for by in ("type", "admin1", "week"):
            a = [(r["key"], r["events"]) for r in c.get(f"/api/stats?by={by}").json()["items"]]
            b = [(r["key"], r["events"]) for r in client.get(f"/api/stats?by={by}").json()["items"]]
            assert a == b, by


def test_build_spans_drops_out_of_range_and_keeps_offsets() -> None:
    doc = {
        "text": "قتل خمسة",
        "mentions": [
            {"kind": "quantity", "start": 4, "end": 8, "text": "خمسة"},
            {"kind": "ner", "start": 0, "end": 3, "text": "قتل"},
        ],
    }
    events = [
        {
            "event_id": "x",
            "evidence": [{"start": 0, "end": 99, "text": "?"}, {"start": 0, "end": 8, "text": ""}],
            "field_evidence": {"fatalities": [{"start": 4, "end": 8, "text": "خمسة"}]},
        }
    ]
    spans = build_spans(doc, events)
    assert [(s["start"], s["end"], s["kind"]) for s in spans] == [
        (0, 8, "evidence"),
        (4, 8, "number"),
        (4, 8, "number"),
    ]
    assert all(s["text"] == doc["text"][s["start"] : s["end"]] for s in spans)


# ---------------------------------------------------------------- CLI
def test_cli_serve_refuses_missing_db(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli_main, ["serve", "--db", str(tmp_path / "missing.db")])
    assert res.exit_code == 6
    assert "no such database" in res.output


def test_cli_serve_help_defaults_to_localhost() -> None:
    res = CliRunner().invoke(cli_main, ["serve", "--help"])
    assert res.exit_code == 0 and "127.0.0.1" in res.output and "RASD_TOKEN" in res.output


def test_cli_export_gold_applies_corrections(db: str, tmp_path: Path) -> None:
    with TestClient(create_app(db, token=TOKEN)) as c:
        c.post(
            "/api/events/raid-a%230/review",
            json={"action": "correct", "changes": {"fatalities": 4}},
            headers=AUTH,
        )
        c.post("/api/events/raid-b%230/review", json={"action": "reject"}, headers=AUTH)
    out = tmp_path / "gold.jsonl"
    res = CliRunner().invoke(cli_main, ["export", "--db", db, "--format", "gold", "-o", str(out)])
    assert res.exit_code == 0, res.output
    recs = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert "raid-b" not in recs  # its only event was rejected
    ev = recs["raid-a"]["events"][0]
    assert ev["fatalities"] == 4 and ev["rasd_event_id"] == "raid-a#0"
    assert recs["raid-a"]["text"][ev["evidence_start"] :].startswith(ev["evidence"])


def test_downloads_read_the_store_page_by_page_issue10() -> None:
    """Regression for #10: a download streams the store a page at a time, never every event at once."""
    from rasd.store import Filters
    from rasd.web.app import _pages
    from rasd.web.exports import geojson_chunks

    data = [
        {"event_id": f"e{i}", "latitude": 35.0 + i / 100, "longitude": 36.0, "fatalities": i}
        for i in range(10)
    ]
    asked: list[int] = []

    class Paged:
        def events(self, f: Filters, limit: int, offset: int) -> tuple[list[dict], int]:
            asked.append(limit)
            return data[offset : offset + limit], len(data)

    pages = _pages(Paged(), Filters(), page=3)  # type: ignore[arg-type]
    chunks = list(geojson_chunks(pages))
    assert asked == [3, 3, 3, 3]
    fc = json.loads("".join(chunks))
    assert [f["id"] for f in fc["features"]] == [d["event_id"] for d in data]
    assert json.loads("".join(geojson_chunks([]))) == {"type": "FeatureCollection", "features": []}


def test_gold_export_writes_only_fully_reviewed_articles_issue16() -> None:
    """Rejecting 1 of 3 events used to export the article with 0 events: `rasd eval` then scored nonsense."""
    from rasd.document import Event, Span

    doc = next(d for d in documents() if d.id == "raid-a")
    base = doc.events[0]
    doc.events = []
    for start in (0, 10, 20):
        ev = Event.from_dict(base.to_dict())
        ev.evidence = [Span.of(doc.text, start, start + 8)]
        doc.events.append(ev)
    with TestClient(create_app(backend=StoreBackend.from_documents([doc]), token=TOKEN)) as c:
        c.post("/api/events/raid-a%231/review", json={"action": "reject"}, headers=AUTH)
        assert c.get("/api/export/gold.jsonl").text == ""  # 2 of 3 events undecided: not gold
        (partial,) = [
            json.loads(x) for x in c.get("/api/export/gold.jsonl?include_partial=true").text.splitlines()
        ]
        assert partial["review_complete"] is False and len(partial["events"]) == 2
        assert "PARTLY reviewed" in partial["annotator_notes"]
        for eid in ("raid-a%230", "raid-a%232"):
            c.post(f"/api/events/{eid}/review", json={"action": "accept"}, headers=AUTH)
        (gold,) = [json.loads(x) for x in c.get("/api/export/gold.jsonl").text.splitlines()]
        assert gold["review_complete"] is True
        assert [e["rasd_event_id"] for e in gold["events"]] == ["raid-a#0", "raid-a#2"]


def test_reviews_needing_rereview_are_shown_issue16(tmp_path: Path) -> None:
    jsonl = tmp_path / "x.jsonl"
    docs = documents()
    jsonl.write_text(
        "".join(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in docs), encoding="utf-8"
    )
    with TestClient(create_app(str(jsonl), token=TOKEN)) as c:
        assert (
            c.post("/api/events/raid-a%230/review", json={"action": "reject"}, headers=AUTH).status_code
            == 200
        )
    # the article changes and its event is gone from the new extraction
    changed = [d.to_dict() for d in docs]
    for rec in changed:
        if rec["id"] == "raid-a":
            rec["text"] += " تحديث"
            rec["events"] = []
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in changed), encoding="utf-8")
    with TestClient(create_app(str(jsonl), token=None)) as c:
        assert c.get("/api/config").json()["summary"]["needs_rereview"] == 1
        doc = c.get("/api/documents/raid-a").json()
        assert [r["action"] for r in doc["needs_rereview"]] == ["reject"]
