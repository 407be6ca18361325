"""Build the web map's offline boundaries: the country outlines (admin 0) of the whole world, and Syria's
governorates (admin1) and districts (admin2), simplified.

Country outlines: npm `world-atlas` (Natural Earth 1:50m admin 0 as TopoJSON; the package ISC, the data public
domain), installed into web/node_modules by `npm ci` (scripts/build_web.sh; exact version and integrity in
web/package-lock.json), decoded here and written as src/rasd/web/static/geo/world_admin0.geojson. Syria's units:
../shared/data/gazetteer/syria/ocha_admin{1,2}.geojson (UN OCHA 2015 common operational dataset) ->
syria_admin{1,2}.geojson, rebuilt only when ../shared is there. Douglas-Peucker simplification (tolerance in
degrees), coordinates rounded, properties cut to codes / names (rasd's English and Arabic country names from
src/rasd/resources/data/countries.json, so an event's country names its outline). geo/manifest.json records each
output's source, version, licence, input SHA-256, tolerance and size. Admin 1 outside Syria: none (no offline
source with a clear licence covers the region on PyPI, Debian or npm: see geo/SOURCE.md). The output is committed
so the package never reads ../shared or node_modules at run time.

    .venv/bin/python scripts/build_web_geo.py [--shared ../shared] [--world-atlas web/node_modules/world-atlas]
"""

from __future__ import annotations

import argparse
import hashlib
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


def _ring(ring: list[Point], tol: float, digits: int) -> list[Point] | None:
    out = simplify([[round(x, digits), round(y, digits)] for x, y, *_ in ring], tol)
    if len(out) < 4:  # a closed ring needs 4 positions; drop slivers
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def _polygon(rings: list[list[Point]], tol: float, digits: int) -> list[list[Point]] | None:
    outer = _ring(rings[0], tol, digits)
    if outer is None:
        return None
    holes = [r for r in (_ring(h, tol, digits) for h in rings[1:]) if r is not None]
    return [outer, *holes]


def simplify_geometry(geom: dict[str, Any], tol: float, digits: int = 4) -> dict[str, Any] | None:
    if geom["type"] == "Polygon":
        poly = _polygon(geom["coordinates"], tol, digits)
        return {"type": "Polygon", "coordinates": poly} if poly else None
    if geom["type"] == "MultiPolygon":
        polys = [p for p in (_polygon(r, tol, digits) for r in geom["coordinates"]) if p]
        return {"type": "MultiPolygon", "coordinates": polys} if polys else None
    raise ValueError(f"unsupported geometry {geom['type']}")


def topojson_features(topo: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The features of one TopoJSON object (quantized, delta-encoded arcs; ~i is arc i reversed), as GeoJSON."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append([x * sx + tx, y * sy + ty])
        arcs.append(pts)

    def ring(indexes: list[int]) -> list[Point]:
        out: list[Point] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)  # each arc starts where the previous one ended
        return out

    feats = []
    for g in topo["objects"][name]["geometries"]:
        if g["type"] == "Polygon":
            geom = {"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]}
        elif g["type"] == "MultiPolygon":
            geom = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in g["arcs"]]}
        else:
            continue  # null geometries (none in world-atlas 2.0.2)
        feats.append(
            {"type": "Feature", "id": g.get("id"), "properties": g.get("properties", {}), "geometry": geom}
        )
    return feats


def build(
    features: list[dict[str, Any]],
    dst: Path,
    props: Callable[[dict[str, Any]], dict[str, Any]],
    detail: Callable[[dict[str, Any]], tuple[float, int]],
    *,
    source: str,
) -> tuple[int, int]:
    """Simplify each feature at its ``detail`` (tolerance in degrees, decimals kept), keep ``props``, write;
    the file's size and feature count (a feature simplified to nothing is left out)."""
    feats = []
    for f in features:
        geom = simplify_geometry(f["geometry"], *detail(f))
        if geom is None:
            continue
        feats.append({"type": "Feature", "properties": props(f), "geometry": geom})
    out = {"type": "FeatureCollection", "source": source, "features": feats}
    dst.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return dst.stat().st_size, len(feats)


def _keep(names: dict[str, str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda f: {new: f["properties"].get(old) for old, new in names.items()}


def _country_props(profiles: list[dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """rasd's ISO3, English and Arabic names for the countries it profiles (the only ones its events can be in),
    matched on the ISO 3166 numeric code world-atlas uses as id; Natural Earth's short name for the others."""
    by_num = {f"{c['num']:03d}": c for c in profiles}

    def props(f: dict[str, Any]) -> dict[str, Any]:
        num = f.get("id")
        c = by_num.get(str(num))
        if c is None:
            return {"iso3": None, "iso_n3": num, "name_en": f["properties"].get("name"), "name_ar": None}
        return {"iso3": c["iso3"], "iso_n3": num, "name_en": c["en"], "name_ar": c["ar"][0]}

    return props


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--world-atlas", type=Path, default=ROOT / "web" / "node_modules" / "world-atlas")
    ap.add_argument("--tolerance", type=float, default=0.003, help="degrees (0.003 ~ 300 m), Syria's units")
    ap.add_argument(
        "--world-tolerance", type=float, default=0.03, help="degrees, outlines of rasd's countries"
    )
    ap.add_argument(
        "--far-tolerance", type=float, default=0.15, help="degrees, outlines of the other countries"
    )
    args = ap.parse_args()
    dst = ROOT / "src" / "rasd" / "web" / "static" / "geo"
    dst.mkdir(parents=True, exist_ok=True)
    manifest_path = dst / "manifest.json"
    manifest: dict[str, Any] = (
        json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    )

    # country outlines: the whole world, from the npm package (exact version and integrity in the lock file)
    atlas = args.world_atlas
    pkg = json.loads((atlas / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text(encoding="utf-8"))
    src = atlas / "countries-50m.json"
    profiles = json.loads((ROOT / "src/rasd/resources/data/countries.json").read_text(encoding="utf-8"))[
        "countries"
    ]
    profiled = {f"{c['num']:03d}" for c in profiles}
    n0, k0 = build(
        topojson_features(json.loads(src.read_text(encoding="utf-8")), "countries"),
        dst / "world_admin0.geojson",
        _country_props(profiles),
        # the countries rasd's events can be in keep ~100 m detail; the rest of the world is background
        lambda f: (args.world_tolerance, 3) if f.get("id") in profiled else (args.far_tolerance, 2),
        source=f"Natural Earth 1:50m admin 0 (public domain) via npm world-atlas {pkg['version']}, simplified",
    )
    manifest["world_admin0.geojson"] = {
        "what": "country outlines (admin 0), the whole world",
        "source": f"npm world-atlas {pkg['version']} countries-50m.json: Natural Earth 1:50m admin 0 "
        "country boundaries (Natural Earth 4.1.0, de facto boundaries)",
        "licence": f"data public domain (Natural Earth, 'Made with Natural Earth'); package {pkg['license']} "
        "(Copyright 2013-2019 Michael Bostock)",
        "npm_integrity": lock["packages"]["node_modules/world-atlas"]["integrity"],
        "input_sha256": _sha256(src),
        "simplify": f"Douglas-Peucker: the {len(profiled)} countries of countries.json at tolerance "
        f"{args.world_tolerance} degrees and 3 decimals, the others at {args.far_tolerance} and 2",
        "properties": "iso3, iso_n3, name_en, name_ar (rasd's names for the countries in countries.json)",
        "features": k0,
        "bytes": n0,
    }
    sizes = [f"world_admin0.geojson {n0 / 1024:.0f} KiB"]

    # Syria's governorates and districts: only where ../shared is there (the committed files stay otherwise)
    gaz = args.shared / "data" / "gazetteer" / "syria"
    if gaz.is_dir():
        ocha = "UN OCHA 2015 common operational dataset (Syria admin boundaries), simplified"
        for level, keep in (
            (1, {"PCODE": "pcode", "NAME_EN": "name_en", "NAME_ARA": "name_ar"}),
            (
                2,
                {"PCODE": "pcode", "NAME_EN": "name_en", "NAME_ARA": "name_ar", "ADMIN1_COD": "admin1_pcode"},
            ),
        ):
            src = gaz / f"ocha_admin{level}.geojson"
            name = f"syria_admin{level}.geojson"
            data = json.loads(src.read_text(encoding="utf-8"))
            n, k = build(
                data["features"], dst / name, _keep(keep), lambda _f: (args.tolerance, 4), source=ocha
            )
            manifest[name] = {
                "what": f"Syria's {'governorates' if level == 1 else 'districts'} (admin {level}) with P-codes",
                "source": f"../shared/data/gazetteer/syria/ocha_admin{level}.geojson",
                "licence": "UN OCHA 2015 common operational dataset; attribute OCHA",
                "input_sha256": _sha256(src),
                "simplify": f"Douglas-Peucker, tolerance {args.tolerance} degrees, 4 decimals",
                "properties": ", ".join(keep.values()),
                "features": k,
                "bytes": n,
            }
            sizes.append(f"{name} {n / 1024:.0f} KiB")
    manifest_path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(", ".join(sizes), "->", dst)


if __name__ == "__main__":
    main()
