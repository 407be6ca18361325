"""Geocoder: resolve each ``place`` mention to one gazetteer entry, or leave it ambiguous, never guess.

Order of evidence for one mention (each step only narrows the candidates when it leaves at least one):
  1. the cue word: ريف/محافظة -> the governorate (precision 3), ناحية -> the sub-district, حي/دوار/شارع -> a
     neighbourhood of the city named nearby (that city, precision 1), مطار X -> the airbase entry;
  2. settlement level: a town/village/city beats the admin unit of the same name (حلب -> Aleppo city C1007); a
     Syrian village name in foreign surroundings (a foreign nisba adjective after it, a sentence or article about
     places abroad) is the foreign place or stays unresolved;
  3. admin context in the same sentence ("بريف إدلب" keeps Idlib's candidates; "ريف إدلب الجنوبي الشرقي" also
     keeps those south-east of the governorate centre); then, for homonyms in several countries (issue 15), a
     nisba adjective after the name, else the article's country (named most / most of its sure places), else a
     town clearly more important than its namesakes abroad, else no answer;
  4. exact names beat descriptor/qualifier variants (خوين الكبير for "الخوين") and fuzzy matches;
  5. document focus: the admin units of the article's unambiguous places;
  6. importance: a unique capital / district / sub-district centre beats plain villages of the same name.
Homonyms left after that resolve to the lowest admin unit they all share (precision 2 for a sub-district, 3 for a
district or governorate), or to None when they share none. "محيط X"/"قرب X"/"شمال X" make precision at least 2.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from ..budget import deadline_of
from ..document import Document, Mention, Span
from ..recognize.places import place_lexicon
from ..resources.countries import load_countries, village_countries
from ..resources.gazetteer import EXACT_KINDS, Gazetteer, Place, load_gazetteer
from ..text.normalize import normalize_key
from ..text.segment import sentences as split_sentences

FUZZY_SURE = 95.0  # a fuzzy candidate resolves without admin context only at this rapidfuzz ratio
SETTLEMENT_CUES = frozenset(("city", "town", "village", "camp"))
VILLAGE_CUES = frozenset(("town", "village"))
SEVERAL = "homonyms in several countries: "
SETTLEMENT_LEVELS = frozenset(("city", "community", "neighbourhood", "facility", "region"))
ADMIN_LEVELS = frozenset(("governorate", "district", "subdistrict"))
BEARINGS = {
    "north": 0.0,
    "north-east": 45.0,
    "east": 90.0,
    "south-east": 135.0,
    "south": 180.0,
    "south-west": 225.0,
    "west": 270.0,
    "north-west": 315.0,
}


@dataclass(frozen=True, slots=True)
class GeoResult:
    """One resolved (or unresolved) place mention, in ACLED terms."""

    location: str | None
    location_ar: str
    country: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    pcode: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    evidence: Span
    reason: str
    place_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["evidence"] = self.evidence.to_dict()
        return out


def _bearing(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    dlon = math.radians(lon1 - lon0)
    y = math.sin(dlon) * math.cos(math.radians(lat1))
    x = math.cos(math.radians(lat0)) * math.sin(math.radians(lat1)) - math.sin(math.radians(lat0)) * math.cos(
        math.radians(lat1)
    ) * math.cos(dlon)
    return (math.degrees(math.atan2(y, x)) + 360.0) % 360.0


def _angle(a: float, b: float) -> float:
    d = abs(a - b) % 360.0
    return min(d, 360.0 - d)


@dataclass(slots=True)
class _Cand:
    place: Place
    kind: str
    exact: bool  # kind in EXACT_KINDS, decided once: read many times per mention


class Geocoder:
    """Stage "geocode": writes ``value["resolved"]`` on every place mention (docs/mentions.md)."""

    name = "geocode"
    requires: tuple[str, ...] = ("mentions:place",)
    provides: tuple[str, ...] = ("geo",)

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gaz = gazetteer or load_gazetteer()
        lex = place_lexicon()
        self.admin_cues = lex.admin_cues
        self.sub_city_cues = lex.sub_city_cues
        self.facility_cues = lex.facility_cues
        self.country_adjectives = lex.country_adjectives
        self.validating = lex.validating_cue_types
        self.dense = village_countries()  # countries with a full, P-coded village list (Syria)
        # what each country calls its first-level divisions, folded ("ولايه", "منطقه", "بلديه")
        self.terms = {c.en: normalize_key(c.admin1[0]) for c in load_countries().values()}
        self._doc_countries: Counter[str] = Counter()  # the article's countries: named, or of its sure places
        self._cache: dict[int, tuple[Mention, list[_Cand]]] = {}
        self._ctx_cache: dict[int, tuple[Mention, list[_Cand]]] = {}
        # (entry id, alias kind) -> its candidate: one object shared by every mention (read-only)
        self._known: dict[tuple[str, str], _Cand] = {}
        self._text = ""
        self._countries: dict[int, str] = {}  # id(mention) -> its one country, for unambiguous mentions
        self._below: Counter[str] = Counter()  # sure places below country level, per country
        self._below_ids: set[int] = set()

    # ------------------------------------------------------------------------------------------- stage
    def __call__(self, doc: Document) -> Document:
        mentions = doc.mentions_of("place")
        if not mentions:
            return doc
        self._cache = {}
        self._ctx_cache = {}
        self._text = doc.text
        self._countries = {}
        self._below = Counter()
        self._below_ids = set()
        for m in mentions:
            cs = [c.place for c in self._cands(m) if c.exact]
            countries = {p.country for p in cs}
            if len(countries) == 1 and cs:
                country = str(countries.pop())
                self._countries[id(m)] = country
                if all(p.level == "country" for p in cs):
                    continue
                # evidence in a village-listed country (Syria): governorates, districts, capitals (a cued village
                # may be the homonym itself)
                if country not in self.dense or all(p.rank <= 5 for p in cs):
                    self._below[country] += 1
                    self._below_ids.add(id(m))
        self._doc_countries = Counter(self._countries.values())
        sents = doc.sentences or split_sentences(doc.text)
        focus = self._focus(mentions)
        # group mentions by sentence so context lookups stay local
        starts = [s.start for s in sents]
        groups: dict[int, list[Mention]] = {}
        for m in mentions:
            i = bisect.bisect_right(starts, m.start) - 1
            groups.setdefault(i, []).append(m)
        deadline = deadline_of(doc)
        for i, group in groups.items():
            sent = sents[i : i + 1] if i >= 0 else []
            for m in group:
                # a sentence listing thousands of places costs its square here: the time budget must reach it
                # (Dask worker threads have no timer to stop a stage, #17)
                deadline.check(self.name)
                m.value["resolved"] = self.resolve(m, group, sent, focus)
        # homonyms in several countries get a second look once the article's other places are resolved
        retry = {id(m) for m in mentions if str(m.value.get("ambiguous", "")).startswith(SEVERAL)}
        resolved = Counter(
            str(r["country"])
            for m in mentions
            if id(m) not in self._countries and (r := m.value.get("resolved")) and r.get("country")
        )
        if retry and resolved:
            self._doc_countries += resolved
            for i, group in groups.items():
                sent = sents[i : i + 1] if i >= 0 else []
                for m in group:
                    if id(m) in retry:
                        del m.value["ambiguous"]
                        m.value["resolved"] = self.resolve(m, group, sent, focus)
        return doc

    # ------------------------------------------------------------------------------------------- helpers
    def _cands(self, m: Mention) -> list[_Cand]:
        """The mention's gazetteer candidates, read once per document; shared: callers never change the list."""
        cached = self._cache.get(id(m))
        if cached is not None and cached[0] is m:
            return cached[1]
        out = self._read_cands(m)
        self._cache[id(m)] = (m, out)
        return out

    def _read_cands(self, m: Mention) -> list[_Cand]:
        out = []
        known = self._known
        for c in m.value.get("candidates", []):
            key = (c["id"], c.get("match", "name"))
            cand = known.get(key)
            if cand is None:
                p = self.gaz.get(key[0])
                if p is None:
                    continue
                cand = known[key] = _Cand(p, key[1], key[1] in EXACT_KINDS)
            out.append(cand)
        return out

    def _context_cands(self, o: Mention) -> list[_Cand]:
        """The candidates by which ``o`` can place another mention of its sentence (admin units, towns),
        once per mention rather than once per pair."""
        cached = self._ctx_cache.get(id(o))
        if cached is not None and cached[0] is o:
            return cached[1]
        out = [c for c in self._cands(o) if c.exact and (c.place.is_admin or c.place.rank <= 8)]
        self._ctx_cache[id(o)] = (o, out)
        return out

    def _focus(self, mentions: list[Mention]) -> Counter[str]:
        """Admin codes / countries of the article's unambiguous places (document focus)."""
        focus: Counter[str] = Counter()
        for m in mentions:
            cands = [c for c in self._cands(m) if c.exact and c.place.level != "neighbourhood"]
            settle = [c for c in cands if c.place.level in SETTLEMENT_LEVELS]
            pool = settle or cands
            if not pool:
                continue
            countries = {c.place.country for c in pool}
            if len(countries) == 1:
                focus["country:" + str(countries.pop())] += 1
            for attr in ("adm1", "adm2", "adm3"):
                vals = {getattr(c.place, attr) for c in pool}
                if len(vals) == 1 and None not in vals:
                    focus[str(vals.pop())] += 1
            if len(pool) == 1 and pool[0].place.pcode:
                focus[str(pool[0].place.pcode)] += 1
        return focus

    @staticmethod
    def _sentence_of(m: Mention, sents: list[Span]) -> Span | None:
        for s in sents:
            if s.start <= m.start < s.end:
                return s
        return None

    def _context(
        self, m: Mention, mentions: list[Mention], sents: list[Span]
    ) -> list[tuple[Mention, list[_Cand]]]:
        """Other place mentions of the same sentence that name an admin unit or a town, nearest after first."""
        sent = self._sentence_of(m, sents)
        out: list[tuple[int, Mention, list[_Cand]]] = []
        for o in mentions:
            if o is m or sent is None or not (sent.start <= o.start < sent.end):
                continue
            if o.start >= m.start and o.start < m.end:
                continue
            cands = self._context_cands(o)
            if not cands:
                continue
            dist = o.start - m.end if o.start >= m.end else (m.start - o.end) + 1000
            out.append((dist, o, cands))
        out.sort(key=lambda t: t[0])
        return [(o, c) for _, o, c in out]

    # ------------------------------------------------------------------------------------------- resolve
    def resolve(
        self, m: Mention, mentions: list[Mention], sents: list[Span], focus: Counter[str] | None = None
    ) -> dict[str, Any] | None:
        focus = focus if focus is not None else Counter()
        cands = self._cands(m)
        v = m.value
        if not cands and not (v.get("unknown_name") and v.get("cue") in self.sub_city_cues):
            return None
        if len(cands) == 1 and cands[0].place.level == "country" and cands[0].exact and not v.get("fuzzy"):
            return self._result(m, cands[0].place, 3, "country")  # most place mentions: nothing to settle
        cue = v.get("cue")
        cue_type = v.get("cue_type")
        near = bool(v.get("near"))
        context = self._context(m, mentions, sents)
        reasons: list[str] = []

        # 1. admin cue: "ريف حلب" / "محافظة إدلب" / "ناحية X", or the word a country uses for its first-level
        # divisions ("منطقة الرياض" in Saudi Arabia, "بلدية الزاوية" in Libya)
        termed = cue is not None and any(self.terms.get(str(c.place.country)) == cue for c in cands)
        if cue in self.admin_cues or termed:
            want = {"subdistrict": ("subdistrict",), "district": ("district",)}.get(
                cue_type or "", ("governorate", "district")
            )
            if termed and cue not in self.admin_cues:
                want = ("governorate",)
            abroad_admins: list[_Cand] = []
            for level in want:
                admins = [c for c in cands if c.place.level == level and c.exact]
                if len(admins) == 1:
                    return self._result(m, admins[0].place, 3, f"{cue} + {level}")
                if len({c.place.country for c in admins}) > 1:
                    abroad_admins = admins  # "محافظة الجوف": Yemen's or Saudi Arabia's; the country decides
                    break
            towns = [c for c in cands if c.place.level in ("city", "community") and c.exact]
            if abroad_admins:
                cands = abroad_admins
            elif towns and (cue in self.admin_cues):
                cands = towns
                near = True
                reasons.append(f"{cue} of a town: near it")

        # 2. airports and bases
        if cue in self.facility_cues or any(c.place.level == "facility" for c in cands):
            fac = [c for c in cands if c.place.level == "facility"]
            if len(fac) == 1:
                return self._result(m, fac[0].place, max(2, fac[0].place.precision), "facility")

        # 3. neighbourhoods: "حي الخالدية ... حلب"
        hoods = [c for c in cands if c.place.level == "neighbourhood"]
        if cue in self.sub_city_cues:
            city = self._city_in_context(context)
            if city is not None:
                mine = [c for c in hoods if c.place.pcode == city.pcode]
                if mine:
                    return self._result(m, mine[0].place, 2 if near else 1, "neighbourhood")
                return self._result(m, city, 2 if near else 1, f"{cue} in {city.name_en}", location_from=city)
            if not hoods:
                m.value["ambiguous"] = f"{cue} of an unnamed city"
                return None  # "شارع الثورة" with no city around is a street, not the village الثورة
            if hoods:
                if len({c.place.pcode for c in hoods}) == 1:
                    return self._result(m, hoods[0].place, 2 if near else 1, "neighbourhood")
                scored = self._by_focus(hoods, focus)
                if scored is not None:
                    return self._result(m, scored.place, 2 if near else 1, "neighbourhood, document focus")
        elif hoods:
            in_ctx = {c.place.pcode for _, cs in context for c in cs}
            keep = [c for c in hoods if c.place.pcode in in_ctx or focus.get(str(c.place.pcode), 0) > 0]
            others = [c for c in cands if c.place.level != "neighbourhood"]
            cands = others + keep if others else hoods
            if not cands:
                return None

        # 4b. a Syrian town or village in foreign surroundings is a foreign homonym ("مدينة الريحانية التركية",
        # "مدينة شقرة في محافظة أبين جنوب اليمن", "القبة" in an article about Libya): left unresolved
        abroad = self._foreign_surroundings(m, cands, mentions, sents)
        if abroad is not None:
            foreign_c = [c for c in cands if c.place.country == abroad] or [
                c for c in cands if c.place.country not in self.dense
            ]
            if not foreign_c:
                m.value["ambiguous"] = f"a Syrian village name in a foreign context ({abroad})"
                return None
            cands = foreign_c
            reasons.append(f"foreign context ({abroad})")
        # 4a. a country or a foreign city beats a Syrian village of the same name unless a cue points at the
        # village ("قطر", "الرياض", "فلسطين" are villages too)
        foreign = [
            c
            for c in cands
            if c.exact
            and (c.place.level == "country" or (c.place.country not in self.dense and c.place.rank <= 5))
        ]
        if (
            foreign
            and (cue_type not in SETTLEMENT_CUES or not self._syrian_context(cands, context))
            and cue_type not in VILLAGE_CUES  # "قرية القاهرة" is a village, whatever the sentence
            and not any(c.place.country in self.dense and c.place.rank <= 7 and c.exact for c in cands)
        ):  # "مدينة سروج الحدودية التابعة لولاية شانلي أورفا": a town cue alone does not make it the Syrian village
            # the Syrian villages go; places abroad stay for the country context to choose ("بور سعيد في الإمارات")
            kept = foreign + [c for c in cands if c.place.country not in self.dense and c not in foreign]
            if len(kept) < len(cands):
                reasons.append("country / foreign city over village")
            cands = kept
        # a country named like its capital ("تونس", "الجزائر", "الكويت") is the country unless a cue says city
        states = [c for c in cands if c.place.level == "country" and c.kind == "name"]
        if len(states) == 1 and len(cands) > 1 and cue_type not in SETTLEMENT_CUES and cue is None:
            cands = states
            reasons.append("country named like its capital")
        # 4. settlement level beats admin unit and country of the same name
        settle = [c for c in cands if c.place.level in SETTLEMENT_LEVELS]
        if settle and (cue_type in SETTLEMENT_CUES or cue is None or cue_type not in ("area", "governorate")):
            cands = settle
        elif cue_type == "area":
            admins = [c for c in cands if c.place.level in ADMIN_LEVELS and c.place.country in self.dense]
            if len({c.place.level for c in admins}) and len(admins) == 1:
                return self._result(m, admins[0].place, 3, "منطقة + admin unit")

        # "ريف دمشق", "حماة" with no town of that name left: the governorate named as such
        if len(cands) > 1 and all(c.place.is_admin for c in cands):
            gov = [c for c in cands if c.place.level in ("governorate", "country") and c.kind == "name"]
            if len(gov) == 1:
                cands = gov
        # 5. admin context in the sentence
        capital = any(c.place.rank <= 5 and c.place.level == "city" and c.exact for c in cands)
        if len(cands) > 1 and context:
            for o, ocands in context:
                if capital and self._listed(m, o):
                    continue  # "محافظات دمشق وحلب والحسكة والقنيطرة": a list of peers, not a place inside another
                codes = set()
                for c in ocands:
                    if c.place.pcode:
                        codes.add(c.place.pcode)
                    if not c.place.is_admin:
                        codes |= {x for x in (c.place.adm2, c.place.adm3) if x}
                countries = {c.place.country for c in ocands if c.place.level == "country"}
                kept = [
                    c
                    for c in cands
                    if (c.place.codes & codes)
                    or (countries and c.place.country in countries and c.place.level != "country")
                ]
                if kept and len(kept) < len(cands):
                    cands = kept
                    reasons.append(f"context: {o.text}")
                    direction = o.value.get("direction")
                    if direction and len(cands) > 1:
                        cands = self._by_direction(cands, ocands, direction) or cands
                    break

        # 5b. homonyms in several countries ("طرابلس": Lebanon or Libya; a Syrian village and a Libyan town): the
        # article's country decides; without one, a city abroad beats mere villages, otherwise no guess
        if len({c.place.country for c in cands}) > 1:
            nxt = self._text[m.end : m.end + 24].split(maxsplit=1)
            adj = self.country_adjectives.get(normalize_key(nxt[0].strip('،,.«»"()'))) if nxt else None
            rank_of: dict[str, int] = {}
            for c in cands:
                rank_of[str(c.place.country)] = min(rank_of.get(str(c.place.country), 99), c.place.rank)
            (top, top_rank), (_, second) = sorted(rank_of.items(), key=lambda t: t[1])[:2]
            kept = [c for c in cands if c.place.country == adj]
            if not kept:
                kept = self._by_doc_country(m, cands)
                if (
                    kept
                    and min(c.place.rank for c in kept) >= 7
                    and top_rank <= 5
                    and cue_type not in VILLAGE_CUES
                ):
                    kept = []  # "الدوحة" is Doha, not a Palestinian village, even in an article about Palestine
            if kept:
                cands = kept
                reasons.append(f"document country ({kept[0].place.country})")
            elif top_rank < second and top_rank <= 7 and not (cue_type in VILLAGE_CUES and top_rank <= 5):
                # a town clearly more important than its namesakes abroad; "قرية القاهرة" is no capital
                cands = [c for c in cands if c.place.country == top]
                reasons.append("more important than its namesakes abroad")
            else:
                m.value["ambiguous"] = SEVERAL + ", ".join(sorted({str(c.place.country) for c in cands}))
                return None
        # 6. exact names beat variants
        if len(cands) > 1:
            exact = [c for c in cands if c.exact]
            if exact and len(exact) < len(cands):
                cands = exact
                reasons.append("exact name")
        if len(cands) > 1:
            named = [c for c in cands if c.kind in ("name", "alias")]
            if named and len(named) < len(cands):
                cands = named
                reasons.append("name as written")
        # 7. a governorate capital beats same-name villages unless the sentence placed it elsewhere
        capitals = [c for c in cands if c.place.rank <= 5 and c.place.level == "city" and c.exact]
        if len(cands) > 1 and len(capitals) == 1 and not any(r.startswith("context") for r in reasons):
            cands = capitals
            reasons.append("governorate capital")
        # 8. document focus
        if len(cands) > 1:
            best = self._by_focus(cands, focus)
            if best is not None:
                cands = [best]
                reasons.append("document focus")
        # 9. importance (capital / centre) when one stands out
        if len(cands) > 1:
            ranks = sorted(c.place.rank for c in cands)
            if ranks[0] < ranks[1] and ranks[0] <= 7:
                cands = [c for c in cands if c.place.rank == ranks[0]]
                reasons.append("most important of homonyms")
        if v.get("fuzzy") and not any(r.startswith("context") for r in reasons):
            if len({c.place.id for c in cands}) > 1 or (v.get("fuzzy_score") or 0) < FUZZY_SURE:
                m.value["ambiguous"] = "fuzzy match not confirmed by context"
                return None
        if len({c.place.id for c in cands}) == 1:
            p = cands[0].place
            prec = p.precision
            if near:
                prec = max(prec, 2)
            why = ", ".join(reasons) or ("single candidate" if cands[0].exact else f"{cands[0].kind} match")
            if v.get("fuzzy"):
                why = f"fuzzy ({v.get('fuzzy_score')}), " + why
            return self._result(m, p, prec, why)
        return self._shared(m, cands, near)

    def _by_doc_country(self, m: Mention, cands: list[_Cand]) -> list[_Cand]:
        """The candidates of the article's main country (most named or most placed in, strictly), else []."""
        counts = Counter(self._doc_countries)
        own = self._countries.get(id(m))
        if own is not None:
            counts[own] -= 1  # the mention does not vote for itself
        ranked = sorted(((counts[str(c)], str(c)) for c in {c.place.country for c in cands}), reverse=True)
        if ranked[0][0] <= 0 or ranked[0][0] == ranked[1][0]:
            return []
        return [c for c in cands if c.place.country == ranked[0][1]]

    def _listed(self, m: Mention, o: Mention) -> bool:
        """``o`` is a neighbour of ``m`` in a list ("X وY", "X، Y", "X – Y")."""
        lo, hi = (o.end, m.start) if o.start < m.start else (m.end, o.start)
        gap = self._text[lo:hi].strip()
        return len(gap) <= 2 and all(ch in "و،,–-/" for ch in gap.replace(" ", ""))

    def _syrian_context(self, cands: list[_Cand], context: list[tuple[Mention, list[_Cand]]]) -> bool:
        """A place of the sentence shares an admin unit with one of the (Syrian) village-list candidates."""
        codes: set[str] = set()
        for _o, ocands in context:
            for c in ocands:
                if c.place.country in self.dense:
                    codes |= c.place.codes
        return any(c.place.country in self.dense and c.place.codes & codes for c in cands)

    def _foreign_surroundings(
        self, m: Mention, cands: list[_Cand], mentions: list[Mention], sents: list[Span]
    ) -> str | None:
        """The foreign country a Syrian village name points at here, or None:
        1. a nisba adjective right after it ("مدينة الريحانية التركية"; "السورية" settles it for Syria);
        2. its sentence names places of one foreign country and none in Syria: a city or province there
           ("مدينة شقرة في محافظة أبين جنوب اليمن"), or only the country while the article names fewer sure Syrian
           places than places of that country ("قرية قاح الحدودية مع تركيا" in an article on Idlib stays Syrian);
        3. its sentence names no place and the article names no sure Syrian place below country level but places
           abroad ("القبة" in an article about Derna and al-Bayda)."""
        syrian = [c for c in cands if c.place.country in self.dense]
        if not syrian or any(c.place.level != "community" for c in syrian if not c.place.is_admin):
            return None  # regions, neighbourhoods, facilities: curated, not homonyms of foreign towns
        if any(
            c.place.level in ("country", "governorate") or (c.place.rank <= 5 and not c.place.is_admin)
            for c in syrian
        ):
            return None  # Syria, its governorates and their capitals are not homonyms of foreign towns
        nxt = self._text[m.end : m.end + 24].split(maxsplit=1)
        if nxt:
            adj = self.country_adjectives.get(normalize_key(nxt[0].strip('،,.«»"()')))
            if adj is not None:
                return None if adj in self.dense else adj
        sent = self._sentence_of(m, sents)
        here: Counter[str] = Counter()
        below: Counter[str] = Counter()
        for o in mentions:
            if o is m or id(o) not in self._countries or sent is None:
                continue
            if sent.start <= o.start < sent.end:
                country = self._countries[id(o)]
                here[country] += 1
                if any(c.place.level != "country" for c in self._cands(o)):
                    below[country] += 1
        foreign_below = sum(v for k, v in self._below.items() if k not in self.dense)
        syria_below = sum(v for k, v in self._below.items() if k in self.dense) - (
            id(m) in self._below_ids and self._countries.get(id(m)) in self.dense
        )
        if here:
            if self.dense & set(here):
                return None
            top = here.most_common(1)[0][0]
            if below or syria_below < max(1, self._below[top]):
                return top
            return None
        if syria_below == 0 and foreign_below:
            return self._below.most_common(1)[0][0]
        return None

    # ------------------------------------------------------------------------------------------- tie breakers
    def _city_in_context(self, context: list[tuple[Mention, list[_Cand]]]) -> Place | None:
        for _o, ocands in context:
            cities = [
                c.place
                for c in ocands
                if c.place.level in ("city",) or (c.place.rank <= 7 and not c.place.is_admin)
            ]
            if not cities:  # "بحلب القديمة": a neighbourhood names its city
                cities = [
                    p
                    for p in (
                        self.gaz.get(str(c.place.pcode)) for c in ocands if c.place.level == "neighbourhood"
                    )
                    if p
                ]
            if len({p.id for p in cities}) == 1:
                return cities[0]
        return None

    def _by_focus(self, cands: list[_Cand], focus: Counter[str]) -> _Cand | None:
        if not focus:
            return None
        scored = []
        for c in cands:
            p = c.place
            s = 4.0 * focus.get(str(p.adm3), 0) + 2 * focus.get(str(p.adm2), 0) + focus.get(str(p.adm1), 0)
            s += focus.get("country:" + str(p.country), 0) * 0.5 if p.country not in self.dense else 0
            scored.append((s, c))
        scored.sort(key=lambda t: -t[0])
        if scored[0][0] > 0 and scored[0][0] > scored[1][0]:
            return scored[0][1]
        return None

    def _by_direction(self, cands: list[_Cand], ocands: list[_Cand], direction: str) -> list[_Cand]:
        if direction not in BEARINGS:
            return []
        ref = next((c.place for c in ocands if c.place.level == "governorate"), None) or ocands[0].place
        if ref.lat is None or ref.lon is None:
            return []
        want = BEARINGS[direction]
        return [
            c
            for c in cands
            if c.place.lat is not None
            and c.place.lon is not None
            and _angle(_bearing(ref.lat, ref.lon, c.place.lat, c.place.lon), want) <= 67.5
        ]

    def _shared(self, m: Mention, cands: list[_Cand], near: bool) -> dict[str, Any] | None:
        """Homonyms context cannot separate: the lowest admin unit they all share, else None."""
        places = [c.place for c in cands]
        names = "; ".join(sorted({f"{p.pcode or p.id} {p.admin1}" for p in places})[:6])
        for attr, prec in (("adm3", 2), ("adm2", 3), ("adm1", 3)):
            vals = {getattr(p, attr) for p in places}
            if len(vals) == 1 and None not in vals:
                unit = self.gaz.get(str(vals.pop()))
                if unit is not None:
                    return self._result(
                        m, unit, max(prec, 2 if near else prec), f"ambiguous ({names}): shared {unit.level}"
                    )
        countries = {p.country for p in places}
        if len(countries) == 1 and not countries & self.dense:
            country = next(
                (p for p in self.gaz.places if p.level == "country" and p.country in countries), None
            )
            if country is not None:
                return self._result(m, country, 3, f"ambiguous ({names}): shared country")
        m.value["ambiguous"] = names
        return None

    # ------------------------------------------------------------------------------------------- output
    def _result(
        self, m: Mention, p: Place, precision: int, reason: str, *, location_from: Place | None = None
    ) -> dict[str, Any]:
        loc = location_from or p
        location = loc.name_en
        if p.level == "neighbourhood" and location_from is None:
            city = self.gaz.get(str(p.pcode))
            location = f"{city.name_en} - {p.name_ar}" if city else p.name_en
        admin1, admin2, admin3 = p.admin1, p.admin2, p.admin3
        return {
            "location": location,
            "location_ar": m.text,
            "country": p.country,
            "admin1": admin1,
            "admin2": admin2,
            "admin3": admin3,
            "pcode": p.pcode,
            "latitude": p.lat,
            "longitude": p.lon,
            "geo_precision": precision,
            "reason": reason,
            "id": p.id,
            "level": p.level,
        }
