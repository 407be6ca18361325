"""Does the map show every country that has events with its outline? (issue 15)

Serves a store with `rasd serve --port 0`, opens the page in Debian's headless Chromium (selenium), and for each
country of `/api/stats?by=country` checks, in the drawn page, that its outline is an SVG path with a shape
(`d`) at least 2 px wide and high inside the map's view, marked as a country with events: in the view the page
opens with (fitted to all events: the whole world when they reach from the United States to China), else once
the map is zoomed to that country's events (Bahrain is under a pixel wide at world zoom). Builds the store from
the 2,229 SaudiNewsNet articles (`rasd ingest`, a few minutes) unless --db is given. Prints and writes
bench/out/map_countries.json (countries, events, where each outline was seen, its size in pixels) and the
screenshot bench/out/map_countries.png; exits 1 when a country with events has no drawn outline.

    .venv/bin/python bench/map_countries.py [--db rasd.db] [--news ../shared/data/news/saudinewsnet_syria.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

OUTLINES = """
const box = document.getElementById('map').getBoundingClientRect();
const out = {};
for (const code of arguments[0]) {
  out[code] = Array.from(document.querySelectorAll('path.country-' + code)).map((p) => {
    const r = p.getBoundingClientRect();
    const visible = Math.min(r.right, box.right) - Math.max(r.left, box.left) >= 2
      && Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top) >= 2;
    return {d: (p.getAttribute('d') || '').length, events: p.classList.contains('has-events'), visible,
            w: Math.round(r.width), h: Math.round(r.height)};
  });
}
return out;
"""


def _ok(paths: list[dict[str, Any]]) -> bool:
    """One path with a drawn shape, visible in the map's view, marked as a country with events."""
    return any(p["d"] > 10 and p["visible"] and p["events"] for p in paths)


def _rasd() -> list[str]:
    exe = Path(sys.executable).with_name("rasd")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "rasd.cli"]


def _browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("RASD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1500,950",
    ):
        opts.add_argument(arg)
    driver = os.environ.get("RASD_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver), options=opts)


def _wait(driver: Any, script: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for: {script}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="every country with events has its outline on the map")
    ap.add_argument("--db", help="an existing store (default: ingest --news into a temporary one)")
    ap.add_argument(
        "--news", type=Path, default=ROOT.parent / "shared" / "data" / "news" / "saudinewsnet_syria.jsonl"
    )
    args = ap.parse_args(argv)
    from rasd.resources.countries import load_countries

    OUT.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.TemporaryDirectory()
    db = args.db
    if db is None:
        db = str(Path(tmp.name) / "map.db")
        subprocess.run([*_rasd(), "ingest", "--db", db, "--similarity", "ngram", str(args.news)], check=True)
    server = subprocess.Popen(
        [*_rasd(), "serve", "--db", db, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", server.stdout.readline())
        assert m, "rasd serve printed no URL"
        url = f"http://127.0.0.1:{m.group(1)}"
        for _ in range(300):
            try:
                if httpx.get(url + "/api/config", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        stats = httpx.get(url + "/api/stats", params={"by": "country"}, timeout=30).json()["items"]
        with_events = {r["key"]: r["events"] for r in stats if r["key"]}
        iso3 = {c.en: c.iso3 for c in load_countries().values()}
        browser = _browser()
        try:
            browser.get(url + "/")
            _wait(browser, "return document.body.dataset.ready")
            _wait(browser, "return document.querySelectorAll('path.country.has-events').length")
            time.sleep(1.5)  # the fit-to-data zoom and the clusters settle
            drawn = browser.execute_script(OUTLINES, [iso3[c] for c in with_events if c in iso3])
            browser.save_screenshot(str(OUT / "map_countries.png"))
            seen = {c: "opening view" for c in with_events if _ok(drawn.get(iso3.get(c, ""), []))}
            for country in with_events:
                if country in seen or country not in iso3:
                    continue
                items = httpx.get(
                    url + "/api/events", params={"country": country, "limit": 5000}, timeout=30
                ).json()["items"]
                points = [[e["latitude"], e["longitude"]] for e in items if e.get("latitude") is not None]
                if not points:
                    continue
                browser.execute_script(
                    "window.rasdMap.fitBounds(L.latLngBounds(arguments[0]).pad(0.5), {maxZoom: 7, animate: false})",
                    points,
                )
                time.sleep(0.5)
                paths = browser.execute_script(OUTLINES, [iso3[country]])[iso3[country]]
                if _ok(paths):
                    seen[country] = "zoomed to its events"
                    drawn[iso3[country]] = paths
        finally:
            browser.quit()
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()
    rows = []
    for country, n in sorted(with_events.items(), key=lambda kv: -kv[1]):
        paths = drawn.get(iso3.get(country, ""), [])
        rows.append({"country": country, "events": n, "outline_seen": seen.get(country), "paths": paths})
    missing = [r["country"] for r in rows if not r["outline_seen"]]
    report = {
        "countries_with_events": len(rows),
        "events": sum(with_events.values()),
        "outlines_drawn": len(rows) - len(missing),
        "in_opening_view": sum(1 for r in rows if r["outline_seen"] == "opening view"),
        "missing": missing,
        "countries": rows,
    }
    (OUT / "map_countries.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(json.dumps({k: v for k, v in report.items() if k != "countries"}, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
