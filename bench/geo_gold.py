"""P-code accuracy of rasd's geocoder on the place of every gold event (../shared/gold/dev.jsonl).

For each gold event, the gold ``location_ar`` is found in the article text (the occurrence nearest the event's
evidence), the article goes through the "places" and "geocode" stages, and the place mentions inside that
occurrence give the prediction (the most precise resolved one). Scored like the gold README's place match:
  pcode   - same P-code;
  admin   - same district when either side has geo_precision >= 2 (or the predicted admin unit contains it);
  25km    - within 25 km of the gold coordinates;
  foreign - outside Syria (no P-code): same country and, when both have coordinates, within 25 km;
  unlisted- gold has no P-code in Syria (not in the gazetteer) and rasd does not invent one.

    .venv/bin/python bench/geo_gold.py [--gold ../shared/gold/dev.jsonl] [-v]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from rasd.document import Document
from rasd.geo import Geocoder
from rasd.recognize.places import default_recognizer
from rasd.resources.gazetteer import load_gazetteer

ROOT = Path(__file__).resolve().parent.parent


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def occurrence(text: str, phrase: str, near: int) -> int:
    best, pos = -1, text.find(phrase)
    while pos >= 0:
        if best < 0 or abs(pos - near) < abs(best - near):
            best = pos
        pos = text.find(phrase, pos + 1)
    return best


def predict(doc: Document, start: int, end: int) -> dict[str, Any] | None:
    inside = [m for m in doc.mentions_of("place") if m.start < end and start < m.end]
    res = [m.value.get("resolved") for m in sorted(inside, key=lambda m: m.start)]
    res = [r for r in res if r is not None and r.get("level") != "country"]
    if not res:
        return None
    # the head of the phrase ("بلدة الخوين" in "بلدة الخوين بريف إدلب"): the first that is not an admin unit
    heads = [r for r in res if r.get("level") not in ("governorate", "district", "subdistrict")]
    return (heads or res)[0]


def judge(gold: dict[str, Any], pred: dict[str, Any] | None) -> str:
    gaz = load_gazetteer()
    gp, gprec = gold.get("pcode"), gold.get("geo_precision") or 1
    if gold.get("country") not in (None, "Syria"):
        if pred is None or pred["country"] != gold["country"]:
            return "wrong" if pred else "missed"
        if gold.get("latitude") is None or pred["latitude"] is None:
            return "foreign"
        return (
            "foreign"
            if km((gold["latitude"], gold["longitude"]), (pred["latitude"], pred["longitude"])) <= 25
            else "wrong"
        )
    if gp is None:
        return (
            "unlisted"
            if pred is None or pred["pcode"] is None or (pred["geo_precision"] or 1) >= 2
            else "wrong"
        )
    if pred is None:
        return "missed"
    if pred["pcode"] == gp:
        return "pcode"
    gplace, pplace = gaz.get(gp), gaz.get(str(pred["pcode"]))
    if gplace is not None and pplace is not None:
        if (
            pplace.level in ("governorate", "district", "subdistrict")
            and pplace.pcode in gplace.codes
            and gprec >= 2
        ):
            return "admin"
        if (gprec >= 2 or (pred["geo_precision"] or 1) >= 2) and gplace.adm2 and gplace.adm2 == pplace.adm2:
            return "admin"
    if gold.get("latitude") is not None and pred["latitude"] is not None:
        if km((gold["latitude"], gold["longitude"]), (pred["latitude"], pred["longitude"])) <= 25:
            return "25km"
    return "wrong"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="geocoder accuracy on gold event places")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "dev.jsonl")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    rec, geo = default_recognizer(), Geocoder()
    tally: Counter[str] = Counter()
    rows = []
    for line in args.gold.open(encoding="utf-8"):
        r = json.loads(line)
        doc = geo(rec(Document(r["id"], r["text"])))
        for ev in r.get("events", []):
            loc = ev.get("location_ar")
            if not loc:
                continue
            pos = occurrence(r["text"], loc, ev.get("evidence_start") or 0)
            if pos >= 0:
                pred = predict(doc, pos, pos + len(loc))
                how = "in text"
            else:
                d2 = geo(rec(Document("q", loc)))
                pred = predict(d2, 0, len(loc))
                how = "phrase only"
            verdict = judge(ev, pred)
            tally[verdict] += 1
            rows.append(
                (
                    verdict,
                    r["id"],
                    loc,
                    ev.get("pcode"),
                    pred and pred["pcode"],
                    pred and pred["geo_precision"],
                    how,
                    pred and pred["reason"],
                )
            )
    n = sum(tally.values())
    ok = sum(v for k, v in tally.items() if k not in ("wrong", "missed"))
    if args.verbose:
        for row in rows:
            print("\t".join(str(x) for x in row))
    print(
        json.dumps(
            {"events": n, "correct": ok, "accuracy": round(ok / n, 3) if n else None, **dict(tally)},
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
