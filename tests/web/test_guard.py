"""Request limits and security headers (rasd.web.guard). Regression for #10: oversized requests refused, cheaply.

The middleware is tested twice: around a dummy app that records whether it was reached (refusals must happen
before any work), and inside the real app over a store.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rasd.web import create_app
from rasd.web.guard import GuardMiddleware, Limits

from .corpus import build_store

TOKEN = "guard-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SMALL = Limits(max_body_bytes=1000, max_url_bytes=300, max_query_params=5)


class Recorder:
    """An inner ASGI app that reads the whole body and answers 200 with its size; counts calls."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        size = 0
        while True:
            msg = await receive()
            size += len(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        body = str(size).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-custom", b"1")]})
        await send({"type": "http.response.body", "body": body})


def call(
    mw: GuardMiddleware,
    path: str = "/api/events",
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    chunks: list[bytes] | None = None,
) -> tuple[int, dict[bytes, bytes], bytes]:
    """One request through the middleware, the body sent as ``chunks`` (chunked when no Content-Length)."""
    scope = {
        "type": "http",
        "method": "POST" if chunks else "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": headers or [],
    }
    todo = list(chunks or [b""])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        chunk = todo.pop(0) if todo else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(todo)}

    async def send(msg: dict[str, Any]) -> None:
        sent.append(msg)

    asyncio.run(mw(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


@pytest.fixture()
def guarded() -> tuple[GuardMiddleware, Recorder]:
    inner = Recorder()
    return GuardMiddleware(inner, SMALL, {"X-Frame-Options": "DENY"}), inner


@pytest.mark.parametrize(
    ("path", "query", "headers", "chunks", "status", "code"),
    [
        ("/x" + "a" * 400, b"", None, None, 414, "uri_too_long"),
        ("/api/events", b"text=" + b"a" * 400, None, None, 414, "uri_too_long"),
        ("/api/events", b"&".join(b"a=%d" % i for i in range(6)), None, None, 400, "too_many_parameters"),
        ("/api/events", b"text=a%00b", None, None, 400, "bad_request"),
        ("/api/x", b"", [(b"content-length", b"1001")], [b"x" * 1001], 413, "too_large"),
        ("/api/x", b"", [(b"content-length", b"99999999999999999999")], [b"x"], 413, "too_large"),
        ("/api/x", b"", [(b"content-length", b"abc")], [b"x"], 400, "bad_request"),
        ("/api/x", b"", [(b"content-length", b"-5")], [b"x"], 400, "bad_request"),
    ],
)
def test_refused_before_the_app_runs_issue10(
    guarded: tuple[GuardMiddleware, Recorder],
    path: str,
    query: bytes,
    headers: list[tuple[bytes, bytes]] | None,
    chunks: list[bytes] | None,
    status: int,
    code: str,
) -> None:
    mw, inner = guarded
    got, hdrs, body = call(mw, path, query, headers, chunks)
    assert got == status
    assert json.loads(body)["error"]["code"] == code
    assert hdrs[b"content-type"] == b"application/json" and hdrs[b"x-frame-options"] == b"DENY"
    assert inner.calls == 0


def test_within_limits_passes_and_headers_added(guarded: tuple[GuardMiddleware, Recorder]) -> None:
    mw, inner = guarded
    status, hdrs, body = call(
        mw, "/api/x", b"a=1&b=2&c=3&d=4&e=5", [(b"content-length", b"1000")], [b"x" * 1000]
    )
    assert (status, body, inner.calls) == (200, b"1000", 1)
    assert hdrs[b"x-custom"] == b"1" and hdrs[b"x-frame-options"] == b"DENY"


def test_chunked_body_counted_as_it_streams_issue10(guarded: tuple[GuardMiddleware, Recorder]) -> None:
    """No Content-Length (chunked): the limit is enforced on the bytes actually received."""
    mw, _ = guarded
    status, _, body = call(mw, "/api/x", chunks=[b"x" * 400] * 3)
    assert status == 413 and json.loads(body)["error"]["code"] == "too_large"
    status, _, body = call(mw, "/api/x", chunks=[b"x" * 400, b"x" * 400])
    assert (status, body) == (200, b"800")


def test_path_headers_override(guarded: tuple[GuardMiddleware, Recorder]) -> None:
    mw = GuardMiddleware(Recorder(), SMALL, {"A": "1", "B": "2"}, {"/docs": {"B": "3"}})
    _, hdrs, _ = call(mw, "/docs")
    assert (hdrs[b"a"], hdrs[b"b"]) == (b"1", b"3")
    _, hdrs, _ = call(mw, "/")
    assert hdrs[b"b"] == b"2"


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_body_bytes"):
        Limits(max_body_bytes=0)


# ---------------------------------------------------------------- inside the real app
@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    db = build_store(tmp_path / "guard.db")
    with TestClient(create_app(db, token=TOKEN, limits=Limits(max_body_bytes=4096))) as c:
        yield c


def test_app_refuses_big_review_body_issue10(client: TestClient) -> None:
    body = json.dumps({"action": "accept", "comment": "x" * 5000})
    r = client.post(
        "/api/events/raid-a%230/review", content=body, headers=AUTH | {"content-type": "application/json"}
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # chunked: no Content-Length to check up front
        yield b'{"action": "accept", "comment": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    r = client.post("/api/events/raid-a%230/review", content=chunks(), headers=AUTH)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    assert client.get("/api/reviews").json()["total"] == 0  # nothing was stored
    ok = client.post("/api/events/raid-a%230/review", json={"action": "accept"}, headers=AUTH)
    assert ok.status_code == 200


@pytest.mark.parametrize(
    ("query", "status", "needle"),
    [
        ("text=" + "ا" * 2000, 414, "URL"),
        ("&".join(f"type=t{i}" for i in range(65)), 400, "query parameters"),
        ("actor=" + "a" * 501, 400, "actor"),
        ("offset=1000001", 400, "offset"),
        ("offset=99999999999999999999999999", 400, "offset"),
        ("limit=99999999999999999999999999", 400, "limit"),
        ("min_fatalities=99999999999999999999", 400, "min_fatalities"),
        ("near=nan,36,5", 400, "near"),
        ("near=35,inf,5", 400, "near"),
        ("near=35,36,-1", 400, "near"),
        ("since=0000-01-01", 400, "since"),
        ("until=99999-01-01", 400, "until"),
        ("modality=CLAIMED%20OR%201", 400, "modality"),
    ],
)
def test_app_refuses_out_of_range_parameters_issue10(
    client: TestClient, query: str, status: int, needle: str
) -> None:
    r = client.get(f"/api/events?{query}")
    assert r.status_code == status, r.text
    assert needle in r.json()["error"]["message"]


def test_huge_offset_within_bounds_is_an_empty_page(client: TestClient) -> None:
    body = client.get("/api/events?offset=1000000").json()
    assert body["items"] == [] and body["total"] == 4
    assert client.get("/api/incidents?offset=1000000").json()["items"] == []
    assert client.get("/api/search?q=%D8%A3%D8%B1%D9%8A%D8%AD%D8%A7&offset=1000000").json()["items"] == []


@pytest.mark.parametrize("path", ["/", "/api/events", "/static/app.js", "/api/nothing", "/docs"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script_src = csp.split("script-src")[1].split(";")[0]
    assert ("'unsafe-inline'" in script_src) == (path == "/docs")


def test_csp_allows_configured_tiles_only(tmp_path: Path) -> None:
    db = build_store(tmp_path / "tiles.db")
    app = create_app(db, tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    with TestClient(app) as c:
        csp = c.get("/").headers["content-security-policy"]
    img = csp.split("img-src")[1].split(";")[0]
    assert "https://*.tile.example.org" in img and "'self'" in img
    assert "tile.example.org" not in csp.split("img-src")[0]
