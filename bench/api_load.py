"""HTTP API under load (issue #10): `rasd serve` on 127.0.0.1, N requests at C concurrent, a realistic mix.

Builds a store from the examples corpus (`rasd ingest examples --db ...`) unless --db is given, starts
`rasd serve --port 0` (a free port, read from its first line), sends the requests with httpx.AsyncClient
(keep-alive, C connections) and records each request's latency. The mix: event lists with filters, full-text
search, incidents, one event's detail, a document, stats, a static asset. Prints and writes
bench/out/api_load.json: requests, concurrency, errors (non-2xx + exceptions), rps, p50/p90/p99/max latency
in ms, and the server's peak RSS (VmHWM). Exits 1 if any request failed.

    .venv/bin/python bench/api_load.py                     # 10,000 requests at 50 concurrent
    .venv/bin/python bench/api_load.py -n 2000 -c 20 --db rasd.db
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEARCH_WORDS = ["قتل", "غارة", "حلب", "إدلب", "الجيش", "قصف", "مدنيين", "دمشق", "xyzzy"]


def rasd_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("rasd")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "rasd.cli"]


def build_store(corpus: Path, db: Path) -> None:
    t = time.perf_counter()
    subprocess.run([*rasd_cmd(), "ingest", str(corpus), "--db", str(db)], check=True, capture_output=True)
    print(f"store: {db} from {corpus} in {time.perf_counter() - t:.1f} s", file=sys.stderr)


def start_server(db: Path, extra: list[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [*rasd_cmd(), "serve", "--db", str(db), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise SystemExit(f"rasd serve did not start: {line}{proc.stdout.read()}")
    url = f"http://127.0.0.1:{m.group(1)}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/config", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("rasd serve did not answer within 30 s")


def peak_rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def request_mix(url: str, n: int, seed: int = 10) -> list[str]:
    """n paths, drawn from what the store holds (types, governorates, ids), in a fixed pseudo-random order."""
    rnd = random.Random(seed)
    with httpx.Client(base_url=url, timeout=30) as c:
        types = [r["key"] for r in c.get("/api/stats?by=type").json()["items"] if r["key"]]
        admin1 = [r["key"] for r in c.get("/api/stats?by=admin1").json()["items"] if r["key"]]
        events = c.get("/api/events?limit=200").json()["items"]
    event_ids = [e["event_id"] for e in events] or ["none#0"]
    doc_ids = sorted({e["document_id"] for e in events}) or ["none"]
    types, admin1 = types or ["Battles"], admin1 or ["Idlib"]

    def one() -> str:
        r = rnd.random()
        if r < 0.40:
            params: dict[str, Any] = {"limit": rnd.choice([20, 50, 100])}
            pick = rnd.random()
            if pick < 0.3:
                params["type"] = rnd.choice(types)
            elif pick < 0.5:
                params["admin1"] = rnd.choice(admin1)
            elif pick < 0.65:
                params["since"] = f"20{rnd.randint(10, 24):02d}-01-01"
            elif pick < 0.8:
                params["text"] = rnd.choice(SEARCH_WORDS)
            elif pick < 0.9:
                params["min_fatalities"] = rnd.randint(0, 10)
            return "/api/events?" + str(httpx.QueryParams(params))
        if r < 0.55:
            return "/api/search?" + str(httpx.QueryParams({"q": rnd.choice(SEARCH_WORDS), "limit": 20}))
        if r < 0.68:
            return "/api/incidents?limit=20"
        if r < 0.80:
            return "/api/events/" + quote(rnd.choice(event_ids), safe="")
        if r < 0.85:
            return "/api/documents/" + rnd.choice(doc_ids)
        if r < 0.90:
            return "/api/stats?by=" + rnd.choice(["type", "admin1", "week"])
        return "/static/app.js"

    return [one() for _ in range(n)]


async def run_load(url: str, paths: list[str], concurrency: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    # a client must drop idle connections before the server does (uvicorn: --timeout-keep-alive 5 s), or it
    # may reuse one the server is closing at that instant (a ReadError that says nothing about the server)
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2.0
    )

    async def worker(client: httpx.AsyncClient) -> None:
        while True:
            try:
                path = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            t = time.perf_counter()
            try:
                resp = await client.get(path)
                await resp.aread()
                if not 200 <= resp.status_code < 300:
                    key = f"HTTP {resp.status_code} {path.split('?')[0]}"
                    errors[key] = errors.get(key, 0) + 1
            except httpx.HTTPError as exc:
                key = type(exc).__name__
                errors[key] = errors.get(key, 0) + 1
            latencies.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    lat = sorted(latencies)

    def pct(q: float) -> float:
        return round(1000 * lat[min(len(lat) - 1, int(q * len(lat)))], 1) if lat else 0.0

    return {
        "requests": len(paths),
        "concurrency": concurrency,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "wall_s": round(wall, 2),
        "rps": round(len(paths) / wall, 1) if wall else 0.0,
        "latency_ms": {"p50": pct(0.50), "p90": pct(0.90), "p99": pct(0.99), "max": pct(1.0)},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", "--requests", type=int, default=10_000)
    ap.add_argument("-c", "--concurrency", type=int, default=50)
    ap.add_argument("--db", type=Path, help="an existing store (default: ingest --corpus into a temp store)")
    ap.add_argument("--corpus", type=Path, default=ROOT / "examples")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "api_load.json")
    ap.add_argument("--serve-arg", action="append", default=[], help="extra `rasd serve` option (repeatable)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="rasd-api-load-") as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "load.db"
            build_store(args.corpus, db)
        proc, url = start_server(db, args.serve_arg)
        try:
            paths = request_mix(url, args.requests)
            result = asyncio.run(run_load(url, paths, args.concurrency))
            result["server_peak_rss_mib"] = (
                round(rss, 1) if (rss := peak_rss_mib(proc.pid)) is not None else None
            )
            result["store"] = str(args.db) if args.db else f"ingest of {args.corpus.name}"
            result["cpus"] = os.cpu_count()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lat = result["latency_ms"]
    print(
        f"{result['requests']} requests at {result['concurrency']} concurrent: {result['errors']} errors, "
        f"{result['rps']} req/s, p50 {lat['p50']} ms, p90 {lat['p90']} ms, p99 {lat['p99']} ms, "
        f"max {lat['max']} ms; server peak RSS {result['server_peak_rss_mib']} MiB -> {args.out}"
    )
    if result["errors"]:
        print(f"errors: {result['error_kinds']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
