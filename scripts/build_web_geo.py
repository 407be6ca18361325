"""Build the web map's offline boundaries: Syria's governorates (admin1) and districts (admin2), and the country
outlines (admin0) of the Arab world and its neighbours, simplified.

Reads ../shared/data/gazetteer/syria/ocha_admin{1,2}.geojson (UN OCHA 2015 common operational dataset) and
../shared/data/gazetteer/world/ne_50m_admin0_region.geojson (Natural Earth 1:50m, public domain), writes
src/rasd/web/static/geo/syria_admin{1,2}.geojson and world_admin0.geojson: Douglas-Peucker simplification
(tolerance in degrees), coordinates rounded to 4 decimals (~10 m), properties cut to codes / names (Arabic
country names from src/rasd/resources/data/countries.json). Admin1 outside Syria: no licensed offline source in
../shared, so none yet. Run by scripts/build_web.sh; the output is committed so the package never reads
../shared at run time.

    .venv/bin/python scripts/build_web_geo.py [--shared ../shared] [--tolerance 0.003]
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
Point = list[float]


def _perp(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def simplify(line: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    if len(line) < 3:
        return line
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = 0.0, -1
        for k in range(i + 1, j):
            d = _perp(line[k], line[i], line[j])
            if d > best:
                best, idx = d, k
        if idx >= 0 and best > tol:
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return [p for p, k in zip(line, keep, strict=True) if k]


def _ring(ring: list[Point], tol: float) -> list[Point] | None:
    out = simplify([[round(x, 4), round(y, 4)] for x, y, *_ in ring], tol)
    if len(out) < 4:  # a closed ring needs 4 positions; drop slivers
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def _polygon(rings: list[list[Point]], tol: float) -> list[list[Point]] | None:
    outer = _ring(rings[0], tol)
    if outer is None:
        return None
    holes = [r for r in (_ring(h, tol) for h in rings[1:]) if r is not None]
    return [outer, *holes]


def simplify_geometry(geom: dict[str, Any], tol: float) -> dict[str, Any] | None:
    if geom["type"] == "Polygon":
        poly = _polygon(geom["coordinates"], tol)
        return {"type": "Polygon", "coordinates": poly} if poly else None
    if geom["type"] == "MultiPolygon":
        polys = [p for p in (_polygon(r, tol) for r in geom["coordinates"]) if p]
        return {"type": "MultiPolygon", "coordinates": polys} if polys else None
    raise ValueError(f"unsupported geometry {geom['type']}")


def build(
    src: Path,
    dst: Path,
    keep: dict[str, str],
    tol: float,
    *,
    source: str = "UN OCHA 2015 common operational dataset (Syria admin boundaries), simplified",
    extra: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> int:
    data = json.loads(src.read_text(encoding="utf-8"))
    feats = []
    for f in data["features"]:
        geom = simplify_geometry(f["geometry"], tol)
        if geom is None:
            continue
        props = {new: f["properties"].get(old) for old, new in keep.items()}
        if extra is not None:
            props.update(extra(props))
        feats.append({"type": "Feature", "properties": props, "geometry": geom})
    out = {
        "type": "FeatureCollection",
        "source": source,
        "features": feats,
    }
    dst.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return dst.stat().st_size


def _country_props(names_ar: dict[str, str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """iso3 (Natural Earth writes -99 for France and a few others: its ADM0_A3 then) and the Arabic name."""

    def extra(props: dict[str, Any]) -> dict[str, Any]:
        iso3 = props["iso3"] if props["iso3"] != "-99" else props.pop("adm0_a3")
        props.pop("adm0_a3", None)
        return {"iso3": iso3, "name_ar": names_ar.get(str(iso3))}

    return extra


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--tolerance", type=float, default=0.003, help="degrees (0.003 ~ 300 m)")
    ap.add_argument("--world-tolerance", type=float, default=0.03, help="degrees, country outlines")
    args = ap.parse_args()
    gaz = args.shared / "data" / "gazetteer" / "syria"
    dst = ROOT / "src" / "rasd" / "web" / "static" / "geo"
    dst.mkdir(parents=True, exist_ok=True)
    n1 = build(
        gaz / "ocha_admin1.geojson",
        dst / "syria_admin1.geojson",
        {"PCODE": "pcode", "NAME_EN": "name_en", "NAME_ARA": "name_ar"},
        args.tolerance,
    )
    n2 = build(
        gaz / "ocha_admin2.geojson",
        dst / "syria_admin2.geojson",
        {"PCODE": "pcode", "NAME_EN": "name_en", "NAME_ARA": "name_ar", "ADMIN1_COD": "admin1_pcode"},
        args.tolerance,
    )
    names_ar = {
        c["iso3"]: c["ar"][0]
        for c in json.loads((ROOT / "src/rasd/resources/data/countries.json").read_text(encoding="utf-8"))[
            "countries"
        ]
    }
    n0 = build(
        args.shared / "data" / "gazetteer" / "world" / "ne_50m_admin0_region.geojson",
        dst / "world_admin0.geojson",
        {"ISO_A3": "iso3", "ADM0_A3": "adm0_a3", "ADMIN": "name_en"},
        args.world_tolerance,
        source="Natural Earth 1:50m admin 0 (public domain), simplified",
        extra=_country_props(names_ar),
    )
    (dst / "SOURCE.md").write_text(
        "# Syria boundaries for the web map\n\n"
        "`syria_admin1.geojson` (14 governorates) and `syria_admin2.geojson` (districts): UN OCHA 2015 common\n"
        "operational dataset (Syria administrative boundaries, P-codes), attribute OCHA; simplified by\n"
        f"`scripts/build_web_geo.py` (Douglas-Peucker, tolerance {args.tolerance} degrees, 4 decimals) from\n"
        "`../shared/data/gazetteer/syria/ocha_admin{1,2}.geojson`. Properties kept: pcode, name_en, name_ar\n"
        "(admin2: admin1_pcode).\n\n"
        "`world_admin0.geojson`: country outlines of the Arab world and its neighbours, Natural Earth 1:50m\n"
        'cultural vectors (public domain, "Made with Natural Earth"; de facto boundaries), simplified\n'
        f"(tolerance {args.world_tolerance} degrees) from `../shared/data/gazetteer/world/`. Properties: iso3,\n"
        "name_en, name_ar (from rasd's country profiles). Admin 1 outside Syria: not yet (no licensed offline\n"
        "source in ../shared).\n",
        encoding="utf-8",
    )
    print(
        f"syria_admin1.geojson {n1 / 1024:.0f} KiB, syria_admin2.geojson {n2 / 1024:.0f} KiB, "
        f"world_admin0.geojson {n0 / 1024:.0f} KiB -> {dst}"
    )


if __name__ == "__main__":
    main()
