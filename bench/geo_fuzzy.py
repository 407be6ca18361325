"""Measure the fuzzy-match threshold of the place recogniser on spelling variants of real community names.

Each single-word community name (folded, >= 4 letters) gets the misspellings news really shows: final ة/ا swapped
(أريحة/أريحا), ج/غ swapped (الباجوز/الباغوز), a long vowel dropped or added (القديح/القدح). A variant that is
itself a gazetteer name is skipped. For each threshold, the sentence "قصفت قوات النظام بلدة {variant} في ريف
{district}" must resolve to the community's P-code: reports right / wrong / unresolved shares.

    .venv/bin/python bench/geo_fuzzy.py [--shared ../shared] [--sample 1500]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

from rasd.document import Document
from rasd.geo import Geocoder
from rasd.recognize.places import PlaceRecognizer
from rasd.resources.gazetteer import load_gazetteer
from rasd.text.normalize import normalize_key

ROOT = Path(__file__).resolve().parent.parent


def variants(name: str) -> list[str]:
    out = []
    if name.endswith("ه"):
        out.append(name[:-1] + "ا")
    elif name.endswith("ا"):
        out.append(name[:-1] + "ه")
    if "غ" in name:
        out.append(name.replace("غ", "ج", 1))
    elif "ج" in name:
        out.append(name.replace("ج", "غ", 1))
    inner = [i for i in range(2, len(name) - 1) if name[i] in "يو"]
    if inner:
        i = inner[0]
        out.append(name[:i] + name[i + 1 :])
    elif len(name) >= 5:
        out.append(name[:-2] + "ي" + name[-2:])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="fuzzy threshold on spelling variants")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--sample", type=int, default=1500)
    ap.add_argument("--thresholds", default="80,84,86,88,90,92")
    args = ap.parse_args(argv)
    gaz = load_gazetteer()
    rows = list(
        csv.DictReader(
            (args.shared / "data/gazetteer/syria/ocha_communities_2015.csv").open(encoding="utf-8")
        )
    )
    random.seed(7)
    cases = []
    for r in rows:
        name = normalize_key(r["NAME_ARA"])
        if " " in name or "_" in name or "-" in name or len(name) < 4:
            continue
        for v in variants(name):
            if v not in gaz.aliases and ("ال" + v) not in gaz.aliases:
                cases.append((r["PCODE"], v, r["ADMIN2_ARA"]))
    random.shuffle(cases)
    cases = cases[: args.sample]
    geo = Geocoder()
    report = {}
    for th in (float(t) for t in args.thresholds.split(",")):
        rec = PlaceRecognizer(fuzzy_threshold=th)
        right = wrong = none = 0
        for pcode, v, district in cases:
            text = f"قصفت قوات النظام بلدة {v} في ريف {district}"
            doc = geo(rec(Document(pcode, text)))
            ms = [m for m in doc.mentions_of("place") if m.start <= text.index(v) < m.end]
            res = ms[0].value.get("resolved") if ms else None
            if res is None or res.get("level") in ("governorate", "district", "subdistrict"):
                none += 1
            elif res["pcode"] == pcode:
                right += 1
            else:
                wrong += 1
        n = len(cases)
        report[str(th)] = {
            "right": round(right / n, 3),
            "wrong": round(wrong / n, 3),
            "unresolved": round(none / n, 3),
        }
    print(json.dumps({"cases": len(cases), "by_threshold": report}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
