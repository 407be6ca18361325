#!/usr/bin/env python
"""Build rasd's actor dictionary: ``src/rasd/resources/data/actors.json`` (+ ``actors.manifest.json``).

Inputs (read-only, never needed at run time):
  * ``scripts/data/actors_curated.json``: hand-curated actors of the Syrian war 2011-2024 and neighbouring theatres,
    ACLED names, inter codes, Arabic aliases, nationality adjectives expanded with templates;
  * ``../shared/data/actors/universalpetrarch_arabic/actor_dict_ar_v4.txt``: UniversalPetrarch's Arabic actor
    dictionary (MIT, Open Event Data Alliance), lemmatised phrases -> CAMEO codes. State roles (MIL, SPY, COP, GOV)
    of the countries listed in ``cameo_countries`` are mapped to ACLED state actors; surface forms are generated from
    the lemmas (definite article, feminine agreement of the final nisba adjective). Curated aliases win on conflicts.

Output: one compact JSON file: ``{"actors": {id: {...}}, "aliases": [[folded alias, id, kind, score, origin], ...]}``
where kind is "a" (alias), "w" (weak alias: only when not modified by a following definite word) or "b"
(back-reference: refers to the actor only after it was named). The manifest holds counts and the sha256 of the file;
``tests/resources/test_actors.py`` checks them.

Usage: .venv/bin/python scripts/build_actors.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasd.text.normalize import normalize_key  # noqa: E402

CURATED = ROOT / "scripts" / "data" / "actors_curated.json"
OUT_DIR = ROOT / "src" / "rasd" / "resources" / "data"
PETRARCH_REL = Path("data/actors/universalpetrarch_arabic/actor_dict_ar_v4.txt")

# CAMEO role -> which state actor of the country it maps to
ROLE_KIND = {"MIL": "mil", "SPY": "mil", "COP": "police", "GOV": "gov", "GOVMIL": "mil", "GOVCOP": "police"}
KIND_NAME = {"mil": "Military Forces of {c}", "police": "Police Forces of {c}", "gov": "Government of {c}"}
NAME_MARKERS = frozenset({"بن", "ابن", "عبد", "أبو", "ابو", "آل", "أبي", "بنت"})
COUNTRY_ARTICLE = frozenset({"United States", "United Kingdom", "United Arab Emirates"})
GENERIC_ROLE_WORDS = frozenset(
    "وزير وزيرة وزارة خارجية داخلية دفاع رئيس رئيسة حكومة نائب مسؤول مسؤولة سفير سفيرة شيخ أمير ملك جيش قوة قوات شرطة أمن "
    "برلمان مجلس وزراء وزراء عام عامة دولة مستشار متحدث ناطق رسمي جنرال عقيد لواء ضابط جندي قائد إدارة بيت أبيض إقليم "
    "كردستان سلطة سلطات حرس حدود مخابرات استخبارات حزب".split()
)
QUOTE_HEADS = (
    "تنظيم",
    "جبهة",
    "حركة",
    "جيش",
    "جماعة",
    "لواء",
    "كتائب",
    "فيلق",
    "هيئة",
    "ميليشيا",
    "ميليشيات",
    "مليشيا",
    "مليشيات",
)


def variants(alias: str) -> set[str]:
    """Spelling variants of one curated alias (folding itself is done by the matcher)."""
    out = {alias}
    for a in list(out):
        if "ميليشي" in a:
            out.add(a.replace("ميليشي", "مليشي"))
        if "مليشي" in a:
            out.add(a.replace("مليشي", "ميليشي"))
        if "أمريك" in a:
            out.add(a.replace("أمريك", "أميرك"))
        if "أميرك" in a:
            out.add(a.replace("أميرك", "أمريك"))
        if "ديمقراط" in a:
            out.add(a.replace("ديمقراط", "ديموقراط"))
        if "سوريا" in a:
            out.add(a.replace("سوريا", "سورية"))
    for a in list(out):
        words = a.split()
        if len(words) >= 2 and words[0] in QUOTE_HEADS:
            out.add(f'{words[0]} "{" ".join(words[1:])}"')
    return out


def expand_nisba(actor: dict[str, Any], templates: dict[str, list[str]]) -> list[str]:
    nisba = actor.get("nisba")
    if not nisba:
        return []
    out: list[str] = []
    for tpl in templates[nisba["template"]]:
        slot = re.search(r"\{(\w+)\}", tpl)
        if not slot:
            continue
        forms = nisba.get(slot.group(1), [])
        if slot.group(1) == "mi" and not forms:
            # the indefinite masculine ("طيران تركي") from the indefinite feminine ("تركية")
            forms = [f[:-1] for f in nisba.get("fi", []) if f.endswith("ة")]
        for form in forms:
            out.append(tpl.replace(slot.group(0), form))
    return out


def _span(a: dict[str, Any]) -> tuple[str, str]:
    years = a.get("years") or [None, None]
    lo = a.get("from") or (f"{years[0]}-01-01" if years[0] else "0001-01-01")
    hi = a.get("to") or (f"{years[1]}-12-31" if years[1] else "9999-12-31")
    return lo, hi


def distinct(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two actors an alias may name both: of different countries or of periods that do not overlap."""
    if a.get("country") != b.get("country"):
        return True
    (alo, ahi), (blo, bhi) = _span(a), _span(b)
    return ahi < blo or bhi < alo


def alias_spec(alias: str | dict[str, Any], score: float) -> tuple[str, float, dict[str, Any]]:
    """A curated alias: a string, or {"ar", "countries", "from", "to", "score"} for a sense that holds only in some
    countries' stories or some period. Returns (text, score, condition as stored: {"c", "f", "t"})."""
    if isinstance(alias, str):
        return alias, score, {}
    cond: dict[str, Any] = {}
    if alias.get("countries"):
        cond["c"] = sorted(alias["countries"])
    if alias.get("from"):
        cond["f"] = alias["from"]
    if alias.get("to"):
        cond["t"] = alias["to"]
    return alias["ar"], float(alias.get("score", score)), cond


def period_names(template: str, periods: list[list[Any]]) -> list[list[Any]]:
    """ACLED period names of a state force: "Military Forces of Iraq ({period})" over the country's periods."""
    return [[lo, hi, template.format(period=label)] for lo, hi, label in periods]


def parse_petrarch(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """(lemma phrase, [(code, date range)]) in file order."""
    entries: list[tuple[str, list[tuple[str, str]]]] = []
    current: tuple[str, list[tuple[str, str]]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if raw[:1] == "\t" or (raw[:1] == " " and line.strip().startswith("[")):
            m = re.match(r"\s*\[([A-Z]*)\s*([^\]]*)\]", line)
            if m and current is not None:
                current[1].append((m.group(1), m.group(2).strip()))
            continue
        m = re.match(r"\s*([^\[]+?)\s*(?:\[([A-Z]*)\s*([^\]]*)\])?\s*$", line)
        if not m:
            continue
        current = (m.group(1).strip(), [])
        entries.append(current)
        if m.group(2) is not None:
            current[1].append((m.group(2), (m.group(3) or "").strip()))
    return entries


def _range_is_current(rng: str) -> bool:
    """Keep codes valid at some point of 2011-2024 (open or odd ranges are kept)."""
    rng = rng.replace(" ", "")
    if not rng:
        return True
    if rng.startswith(">"):
        return True
    if rng.startswith("<"):
        return rng[1:5] >= "2011"
    m = re.match(r"(\d{8})-(\d{8})", rng)
    if not m:
        return True
    start, end = m.group(1), m.group(2)
    if end < start:  # "20090331-18000101": open-ended in the source
        return True
    return end[:4] >= "2011"


def lemma_surfaces(phrase: str) -> set[str]:
    """Surface forms of a lemmatised UniversalPetrarch phrase ("جيش_سوري_" -> "الجيش السوري"...)."""
    tokens = [t for t in phrase.replace("ٰ", "").strip("_ ").split("_") if t]
    if (
        len(tokens) < 2
        or any(len(t) < 2 for t in tokens)
        or any(not re.fullmatch(r"[\u0621-\u064a]+", t) for t in tokens)
    ):
        return set()

    def defin(t: str) -> str:
        return t if t.startswith("ال") else "ال" + t

    out = {" ".join(tokens)}
    if any(t in NAME_MARKERS for t in tokens):
        return out  # a person's name: no article games
    construct = [tokens[0]] + [defin(t) for t in tokens[1:]]  # وزارة الدفاع الأميركي
    out.add(" ".join(construct))
    out.add(" ".join(defin(t) for t in tokens))  # الجيش السوري
    for form in list(out):
        words = form.split()
        if words[-1].endswith("ي") and len(words) >= 2:
            out.add(" ".join([*words[:-1], words[-1] + "ة"]))  # feminine agreement
    return out


def build(shared: Path) -> dict[str, Any]:
    curated = json.loads(CURATED.read_text(encoding="utf-8"))
    templates: dict[str, list[str]] = curated["templates"]
    actors: dict[str, dict[str, Any]] = {}
    # folded alias -> {actor id: (kind, score, origin, condition)}
    aliases: dict[str, dict[str, tuple[str, float, str, dict[str, Any]]]] = {}
    state_periods: dict[str, list[list[Any]]] = curated.get("state_periods", {})

    def put(
        alias: str, actor_id: str, kind: str, score: float, origin: str, cond: dict[str, Any] | None = None
    ) -> None:
        """Record one sense of a folded alias. Curated beats UniversalPetrarch; a plain alias beats weak and
        back-reference readings of the same words; two plain (or two weak) curated senses of different actors are
        both kept: the resolver picks one by date and country (issue 15)."""
        key = normalize_key(alias)
        if not key:
            return
        new = (kind, score, origin, cond or {})
        cur = aliases.get(key)
        if cur is None:
            aliases[key] = {actor_id: new}
            return
        kinds = {v[0] for v in cur.values()}
        origins = {v[2] for v in cur.values()}
        if "curated" in origins and origin != "curated":
            return  # curated wins
        if origin == "curated" and "curated" not in origins:
            aliases[key] = {actor_id: new}
            return
        if "a" in kinds and kind != "a":
            return  # a plain alias beats a weak/back-reference reading of the same words
        if kind == "b" or (kind == "a" and "a" not in kinds) or origin != "curated":
            aliases[key] = {actor_id: new}
            return
        old = cur.get(actor_id)
        if old is not None and old[3] and not new[3]:
            return  # an unconditioned repeat (nisba template) keeps the conditioned sense
        if not new[3] and any(
            aid != actor_id and not v[3] and not distinct(actors[aid], actors[actor_id])
            for aid, v in cur.items()
        ):
            aliases[key] = {actor_id: new}  # same country, same period: one reading, the last one (as before)
            return
        cur[actor_id] = new

    for a in curated["actors"]:
        aid = a["id"]
        if aid in actors:
            raise SystemExit(f"duplicate actor id {aid}")
        info = {k: a[k] for k in ("name", "inter", "type", "country", "years") if k in a}
        for k in (
            "inter_abroad",
            "names_by_country",
            "names_by_year",
            "note",
            "unattributed",
            "from",
            "to",
            "force",
            "theatres",
        ):
            if k in a:
                info[k] = a[k]
        if a.get("period_name"):
            by_date = period_names(a["period_name"], state_periods[a["country"]])
            info["names_by_date"] = by_date
            info["names_by_year"] = [
                [int(lo[:4]) if lo else 1900, int(hi[:4]) if hi else None, n] for lo, hi, n in by_date
            ]
        actors[aid] = info
        score = float(a.get("score", 1.0))
        for b in a.get("backref", []):
            put(b, aid, "b", min(score, 0.8), "curated")
        for w in a.get("weak_aliases", []):
            w_text, w_score, w_cond = alias_spec(w, min(score, 0.6))
            for v in variants(w_text):
                put(v, aid, "w", w_score, "curated", w_cond)
        for al in [*a.get("aliases", []), *expand_nisba(a, templates)]:
            al_text, al_score, al_cond = alias_spec(al, score)
            for v in variants(al_text):
                put(v, aid, "a", al_score, "curated", al_cond)

    # words that name the state force of the story's country ("القوات الحكومية", "القوى الأمنية"): one sense per
    # curated state force, conditioned on its country being the story's (the default country's also when unknown)
    state_aliases: dict[str, Any] = curated.get("state_aliases", {})
    default_country = state_aliases.get("default_country")
    for force in ("mil", "police", "gov"):
        for word in state_aliases.get(force, []):
            for a in curated["actors"]:
                if a.get("force") != force or not a.get("country"):
                    continue
                cond = {} if a["country"] == default_country else {"c": [a["country"]], "k": 1}
                for v in variants(word):
                    put(v, a["id"], "a", 0.9, "curated", cond)

    # back-references shared by several actors (التنظيم: IS or al-Qaeda; التحالف: either coalition) are resolved
    # by the recogniser against the actors already named; record every candidate
    backrefs: dict[str, list[str]] = {}
    generic_backrefs: dict[str, list[str]] = curated.get("generic_backrefs", {})
    for a in curated["actors"]:
        refs = list(a.get("backref", []))
        for suffix, words in generic_backrefs.items():
            if a["id"].endswith(suffix) or "_" + str(a.get("force")) == suffix:
                refs.extend(words)
        for b in refs:
            put(b, a["id"], "b", 0.8, "curated")
            backrefs.setdefault(normalize_key(b), []).append(a["id"])

    # UniversalPetrarch
    petrarch_path = shared / PETRARCH_REL
    countries: dict[str, str] = curated["cameo_countries"]
    by_country_kind: dict[tuple[str, str], str] = {}
    for a in curated["actors"]:
        if not a.get("country"):
            continue
        kind = (
            "mil"
            if a["id"].endswith("_mil")
            else "police"
            if a["id"].endswith("_police")
            else "gov"
            if a["id"].endswith("_gov")
            else None
        )
        if kind:
            by_country_kind.setdefault((a["country"], kind), a["id"])
    n_petrarch_entries = 0
    petrarch_targets: dict[str, set[str]] = {}  # a surface claimed by two countries is dropped
    if petrarch_path.exists():
        for phrase, codes in parse_petrarch(petrarch_path):
            targets: set[str] = set()
            for code, rng in codes:
                cc, role = code[:3], code[3:]
                if cc not in countries or role not in ROLE_KIND or not _range_is_current(rng):
                    continue
                country = countries[cc]
                kind = ROLE_KIND[role]
                aid = by_country_kind.get((country, kind))
                if aid is None:
                    aid = f"auto_{cc.lower()}_{kind}"
                    if aid not in actors:
                        actors[aid] = {
                            "name": KIND_NAME[kind].format(
                                c=("the " + country) if country in COUNTRY_ARTICLE else country
                            ),
                            "inter": 1,
                            "inter_abroad": 8 if kind == "mil" else 1,
                            "type": "state",
                            "country": country,
                            "years": [2011, 2024],
                            "note": "generated from UniversalPetrarch CAMEO codes; ACLED period suffix not known",
                        }
                    by_country_kind[(country, kind)] = aid
                targets.add(aid)
            if len(targets) != 1:
                continue
            aid = targets.pop()
            words = {t.removeprefix("ال") for t in phrase.strip("_ ").split("_")}
            if words <= GENERIC_ROLE_WORDS:
                continue  # "وزير_خارجية_": no country in the words, the code is the annotator's context
            surfaces = lemma_surfaces(phrase)
            if surfaces:
                n_petrarch_entries += 1
            for s in surfaces:
                petrarch_targets.setdefault(normalize_key(s), set()).add(aid)
        for key, ids in sorted(petrarch_targets.items()):
            if len(ids) == 1:
                put(key, next(iter(ids)), "a", 0.8, "petrarch")
    else:
        print(f"warning: {petrarch_path} not found; building from curated data only", file=sys.stderr)

    rows: list[list[Any]] = []
    for key, senses in sorted(aliases.items()):
        for aid, (kind, score, origin, cond) in sorted(senses.items()):
            rows.append(
                [key, aid, kind, score, origin[0], cond] if cond else [key, aid, kind, score, origin[0]]
            )
    return {
        "version": 1,
        "sources": {
            "curated": "scripts/data/actors_curated.json (rasd, MIT)",
            "petrarch": "openeventdata/UniversalPetrarch actor_dict_ar_v4.txt (MIT, Open Event Data Alliance)",
        },
        "actors": dict(sorted(actors.items())),
        "backrefs": dict(sorted(backrefs.items())),
        "aliases": rows,
        "_petrarch_entries": n_petrarch_entries,
    }


TABLE_BEGIN, TABLE_END = "<!-- actor-table:begin -->", "<!-- actor-table:end -->"


def actor_table(data: dict[str, Any], curated: dict[str, Any]) -> str:
    """The actor table of docs/actors.md: every actor, its ACLED names by period, inter, country, validity, a few
    aliases and where its naming and aliases come from."""
    by_id = {a["id"]: a for a in curated["actors"]}
    counts: dict[str, dict[str, int]] = {}
    for row in data["aliases"]:
        c = counts.setdefault(row[1], {"c": 0, "p": 0})
        c[row[4]] += 1
    out = [
        "| id | ACLED name (by period) | inter (abroad) | country | active | aliases: curated / UniversalPetrarch; examples | sources |",
        "|---|---|---|---|---|---|---|",
    ]
    for aid, a in data["actors"].items():
        periods = (
            "; ".join(f"{n} ({lo or '…'} – {hi or ''})" for lo, hi, n in a.get("names_by_date", []))
            or a["name"]
        )
        inter = str(a["inter"]) + (f" ({a['inter_abroad']})" if a.get("inter_abroad") is not None else "")
        years = a.get("years") or [None, None]
        active = f"{a.get('from') or years[0] or ''} – {a.get('to') or (years[1] if years[1] else '')}"
        cur = by_id.get(aid, {})
        examples = [x if isinstance(x, str) else x["ar"] for x in cur.get("aliases", [])][:3]
        c = counts.get(aid, {"c": 0, "p": 0})
        srcs = list(cur.get("sources", []))
        if c["p"]:
            srcs.append("UniversalPetrarch aliases")
        if aid.startswith("auto_"):
            srcs = ["UniversalPetrarch CAMEO state role (name generated)"]
        out.append(
            f"| `{aid}` | {periods} | {inter} | {a.get('country') or '—'} | {active} | "
            f"{c['c']} / {c['p']}; {'، '.join(examples)} | {'; '.join(srcs) or 'curated'} |"
        )
    return "\n".join(out) + "\n"


def write_table(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    if TABLE_BEGIN not in text or TABLE_END not in text:
        raise SystemExit(
            f"{path}: markers {TABLE_BEGIN} / {TABLE_END} not found; add them where the table goes"
        )
    head, rest = text.split(TABLE_BEGIN, 1)
    _, tail = rest.split(TABLE_END, 1)
    path.write_text(f"{head}{TABLE_BEGIN}\n{table}{TABLE_END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument(
        "--docs", type=Path, default=ROOT / "docs" / "actors.md", help="where the actor table goes"
    )
    ap.add_argument("--no-docs", action="store_true", help="do not rewrite the actor table")
    args = ap.parse_args(argv)
    data = build(args.shared)
    n_petrarch = data.pop("_petrarch_entries")
    args.out.mkdir(parents=True, exist_ok=True)
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
    (args.out / "actors.json").write_bytes(blob)
    origins: dict[str, int] = {}
    for row in data["aliases"]:
        origins[row[4]] = origins.get(row[4], 0) + 1
    manifest = {
        "file": "actors.json",
        "sha256": hashlib.sha256(blob).hexdigest(),
        "bytes": len(blob),
        "actors": len(data["actors"]),
        "aliases": len(data["aliases"]),
        "aliases_by_origin": dict(sorted(origins.items())),
        "petrarch_entries_used": n_petrarch,
        "backrefs": len(data["backrefs"]),
        "built_by": "scripts/build_actors.py",
    }
    (args.out / "actors.manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    if not args.no_docs:
        write_table(args.docs, actor_table(data, json.loads(CURATED.read_text(encoding="utf-8"))))
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
