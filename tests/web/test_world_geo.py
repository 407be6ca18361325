"""The map's country outlines (issue 15): an offline asset with every country rasd can put an event in."""

from __future__ import annotations

import json
from importlib import resources
from itertools import pairwise
from typing import Any

from rasd.resources.countries import load_countries

GEO = resources.files("rasd.web") / "static" / "geo"


def _world() -> dict[str, Any]:
    fc: dict[str, Any] = json.loads((GEO / "world_admin0.geojson").read_text(encoding="utf-8"))
    return fc


def _inside(lon: float, lat: float, geom: dict[str, Any]) -> bool:
    """Even-odd ray casting over every ring of a (Multi)Polygon."""
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    hit = False
    for rings in polys:
        for ring in rings:
            for (x1, y1), (x2, y2) in pairwise(ring):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    hit = not hit
    return hit


def test_world_outlines_cover_the_region_issue15() -> None:
    fc = _world()
    assert fc["type"] == "FeatureCollection" and "Natural Earth" in fc["source"]
    iso3 = {f["properties"]["iso3"] for f in fc["features"]}
    region = {c.iso3 for c in load_countries().values() if c.region in ("Middle East", "Northern Africa")}
    assert region <= iso3
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in fc["features"])
    syria = next(f for f in fc["features"] if f["properties"]["iso3"] == "SYR")
    assert syria["properties"]["name_ar"] == "سوريا"
    assert len((GEO / "world_admin0.geojson").read_bytes()) < 400_000


def test_issue15_every_profiled_country_has_its_outline_under_its_own_name() -> None:
    """Events can only be in the countries of countries.json: each has one outline, named as the event's
    `country` field names it, that contains the country's reference point; the United Kingdom, Belgium,
    Switzerland and Austria included (the old outline file stopped at 45°N)."""
    by_name = {f["properties"]["name_en"]: f for f in _world()["features"] if f["properties"]["iso3"]}
    countries = list(load_countries().values())
    assert {c.en for c in countries} == set(by_name)
    # the capital where the profile's reference point is not on the country's land: Eritrea's and the Comoros'
    # lie at sea, Israel's in the West Bank (Natural Earth's Palestine)
    capitals = {"Israel": (34.78, 32.08), "Eritrea": (38.93, 15.33), "Comoros": (43.26, -11.70)}
    for c in countries:
        f = by_name[c.en]
        assert f["properties"]["iso3"] == c.iso3, c.en
        assert _inside(*capitals.get(c.en, (c.lon, c.lat)), f["geometry"]), c.en
    assert max(y for ring in by_name["United Kingdom"]["geometry"]["coordinates"] for _x, y in ring[0]) > 58


def test_issue15_geo_manifest_records_source_version_licence_hash() -> None:
    manifest = json.loads((GEO / "manifest.json").read_text(encoding="utf-8"))
    world = manifest["world_admin0.geojson"]
    assert "world-atlas 2.0.2" in world["source"] and "Natural Earth" in world["source"]
    assert "public domain" in world["licence"] and "ISC" in world["licence"]
    assert len(world["input_sha256"]) == 64 and world["npm_integrity"].startswith("sha512-")
    assert world["bytes"] == len((GEO / "world_admin0.geojson").read_bytes())
    for name in ("syria_admin1.geojson", "syria_admin2.geojson"):
        assert manifest[name]["bytes"] == len((GEO / name).read_bytes())
        assert "OCHA" in manifest[name]["licence"]
