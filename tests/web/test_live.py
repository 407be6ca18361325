"""`rasd serve` as a real uvicorn process on 127.0.0.1. Regression for #10: load, raw hostile requests.

A bounded load test (500 requests at 20 concurrent, asserting zero errors: no latency assertion, timing is
bench/api_load.py's job), path traversal on /static sent byte for byte (an HTTP client would normalise the
dots away), and oversized requests refused by the running server before their body is sent.
"""

from __future__ import annotations

import asyncio
import random
import re
import socket
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from .corpus import build_store, live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    db = build_store(tmp_path_factory.mktemp("live") / "live.db")
    with live_server(db, "--max-body", "65536") as running:
        yield running


def raw(port: int, request: bytes, timeout: float = 10.0) -> tuple[int, bytes]:
    """Send bytes as they are; return (status, whole response) as the server wrote it."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data or not _complete(data):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)content-length: *(\d+)", head)
    return bool(m) and len(body) >= int(m.group(1))


def test_load_500_requests_no_errors_issue10(server: tuple[str, int]) -> None:
    url, _ = server
    rnd = random.Random(10)
    paths = [
        "/api/events?limit=50",
        "/api/events?type=Battles",
        "/api/events?admin1=Idlib&since=2015-01-01",
        "/api/events?text=" + quote("أريحا"),
        "/api/search?q=" + quote("مدنيين"),
        "/api/incidents?limit=20",
        "/api/events/raid-a%230",
        "/api/documents/khuwayn",
        "/api/stats?by=week",
        "/static/app.js",
    ]
    todo = [rnd.choice(paths) for _ in range(500)]
    failures: list[str] = []
    done = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal done
        while todo:
            path = todo.pop()
            try:
                r = await client.get(path)
                if r.status_code != 200:
                    failures.append(f"{path}: HTTP {r.status_code}")
            except httpx.HTTPError as exc:
                failures.append(f"{path}: {type(exc).__name__}")
            done += 1

    async def main() -> None:
        limits = httpx.Limits(max_connections=20, keepalive_expiry=2.0)  # below the server's 5 s
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
            await asyncio.gather(*(worker(client) for _ in range(20)))

    asyncio.run(main())
    assert done == 500
    assert failures == []


@pytest.mark.parametrize(
    "target",
    [
        "/static/../../etc/passwd",
        "/static/../../../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/static/%252e%252e/%252e%252e/etc/passwd",
        "/static/..%5c..%5cetc%5cpasswd",
        "/static/....//....//etc/passwd",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/vendor/../../app.py",
        "/static/..%2fapp.py",
        "/static/%2e%2e/guard.py",
        "/static/app.js%00.png",
    ],
)
def test_static_path_traversal_is_404_issue10(server: tuple[str, int], target: str) -> None:
    _, port = server
    status, data = raw(
        port, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    )
    assert status in (400, 404), (target, data[:200])
    assert b"root:" not in data and b"def create_app" not in data and b"GuardMiddleware" not in data


def test_raw_request_control(server: tuple[str, int]) -> None:
    """The raw client does reach real files (so the 404s above are the server's refusals, not our mistakes)."""
    _, port = server
    status, data = raw(port, b"GET /static/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert status == 200 and b"textContent" in data
    status, data = raw(
        port, b"GET /static/vendor/../app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    assert status in (200, 404)  # inside the static root: serving it is no escape


def test_declared_big_body_refused_before_it_is_sent_issue10(server: tuple[str, int]) -> None:
    """Headers only, promising 10 MB: the server answers 413 at once instead of waiting for the body."""
    _, port = server
    status, data = raw(
        port,
        b"POST /api/events/raid-a%230/review HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n",
        timeout=5,
    )
    assert status == 413 and b"too_large" in data


def test_chunked_big_body_refused_issue10(server: tuple[str, int]) -> None:
    _, port = server
    chunk = b"x" * 16384
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(8)) + b"0\r\n\r\n"
    status, data = raw(
        port,
        b"POST /api/events/raid-a%230/review HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body,
    )
    assert status == 413, data[:300]


@pytest.mark.parametrize(("size", "expected"), [(9000, {414}), (70000, {400, 414, 431})])
def test_long_url_refused_issue10(server: tuple[str, int], size: int, expected: set[int]) -> None:
    """Past --max-url (8 KiB) the app answers 414; far past it uvicorn's own header limit may refuse first."""
    _, port = server
    target = "/api/events?text=" + "a" * size
    status, _ = raw(port, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert status in expected


def test_no_server_banner_and_headers(server: tuple[str, int]) -> None:
    url, _ = server
    r = httpx.get(url + "/")
    assert "server" not in r.headers
    assert (
        r.headers["x-frame-options"] == "DENY" and "script-src 'self'" in r.headers["content-security-policy"]
    )
