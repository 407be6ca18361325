"""Coverage of the geocoder over the whole OCHA community list.

For every community, the sentence "قصفت قوات النظام بلدة {name} في ريف {district}" (name and district as written in
../shared/data/gazetteer/syria/ocha_communities_2015.csv) must resolve to its P-code. Reports the share resolved,
ambiguous (left unresolved or at an admin level: with the reason) and wrong (another P-code), plus examples.

    .venv/bin/python bench/geo_coverage.py [--shared ../shared] [--template "..."] [-v]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

import regex

from rasd.document import Document
from rasd.geo import Geocoder
from rasd.recognize.places import default_recognizer

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "قصفت قوات النظام بلدة {name} في ريف {district}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="geocoder coverage over all OCHA communities")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--template", default=TEMPLATE)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    rows = list(
        csv.DictReader(
            (args.shared / "data/gazetteer/syria/ocha_communities_2015.csv").open(encoding="utf-8")
        )
    )
    rec, geo = default_recognizer(), Geocoder()
    tally: Counter[str] = Counter()
    why: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for r in rows:
        # the first of the alternative names the OCHA list joins with "_" or "-" ("الصخر-هيت")
        name = regex.split(r"\s*[_-]\s*", r["NAME_ARA"])[0].strip()
        district = r["ADMIN2_ARA"]
        text = args.template.format(name=name, district=district)
        pos = text.index(name)
        doc = geo(rec(Document(r["PCODE"], text)))
        inside = sorted(
            (m for m in doc.mentions_of("place") if m.start < pos + len(name) and pos < m.end),
            key=lambda m: m.start,
        )
        if not inside:
            verdict, reason = "ambiguous", "not recognised"
        else:
            res = inside[0].value.get("resolved")
            if res is None:
                verdict, reason = "ambiguous", "homonyms in different districts"
            elif res["pcode"] == r["PCODE"]:
                verdict, reason = "resolved", res["reason"]
            elif res.get("level") in ("governorate", "district", "subdistrict"):
                verdict, reason = "ambiguous", f"shared {res['level']} only"
            else:
                verdict, reason = "wrong", f"-> {res['pcode']} ({res['reason']})"
        tally[verdict] += 1
        if verdict != "resolved":
            key = reason if verdict == "ambiguous" else "wrong"
            why[key] += 1
            examples.setdefault(key, []).append(f"{r['PCODE']} {text} {reason}")
    n = len(rows)
    out = {
        "communities": n,
        **{k: v for k, v in tally.items()},
        **{f"share_{k}": round(v / n, 4) for k, v in tally.items()},
        "why": dict(why),
    }
    print(json.dumps(out, ensure_ascii=False))
    if args.verbose:
        for key, ex in examples.items():
            print(f"## {key}: {len(ex)}")
            for e in ex[:15]:
                print("  ", e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
