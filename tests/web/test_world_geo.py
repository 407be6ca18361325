"""The map's country outlines (issue 15): an offline asset with every country of the region."""

from __future__ import annotations

import json
from importlib import resources

from rasd.resources.countries import load_countries


def test_world_outlines_cover_the_region_issue15() -> None:
    path = resources.files("rasd.web") / "static" / "geo" / "world_admin0.geojson"
    fc = json.loads(path.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and "Natural Earth" in fc["source"]
    iso3 = {f["properties"]["iso3"] for f in fc["features"]}
    region = {c.iso3 for c in load_countries().values() if c.region in ("Middle East", "Northern Africa")}
    assert region <= iso3
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in fc["features"])
    syria = next(f for f in fc["features"] if f["properties"]["iso3"] == "SYR")
    assert syria["properties"]["name_ar"] == "سوريا"
    assert len(path.read_bytes()) < 1_000_000
