"""Place recogniser: finds gazetteer names in the folded text and adds ``place`` mentions with every candidate.

Matching is clitic-tolerant (بريف، وإدلب، لحلب) through :class:`rasd.text.match.Lexicon`. Around each name it reads
the modifiers that the geocoder needs, right to left: a cue word (مدينة، بلدة، قرية، حي، ريف، مخيم، مطار...), a
near word (محيط، أطراف، قرب، بالقرب من) or compass direction before the name (شمال غرب حلب), and direction
adjectives after it (ريف إدلب الجنوبي الشرقي). Community names that are also ordinary words ("الحرية",
"السلام", measured on news by the gazetteer build) are only kept with a cue word, a near/direction word, admin
context right after them (بريف إدلب) or a coordinated place next to them (نبل والزهراء). After a cue word an
unknown name gets fuzzy candidates (rapidfuzz ratio >= :data:`FUZZY_THRESHOLD`). Precision filters (measured by
bench/geo_precision.py, docs/geo.md): names inside actor names, tanween adverbs ("دوماً"), the future prefix
("سنوي"), nisba adjectives ("السورية"), surnames ("الناشط فادي الزبداني"), building names ("حاجز مطل"), and bare
village / town names that the article does not place (same name with a cue, a sure place of the same district, or
of the same governorate nearby). Resolution to one entry is the geocoder's job (rasd.geo).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ahocorasick
from rapidfuzz import fuzz, process

from ..budget import check_mentions
from ..document import Document, Mention, Span
from ..lang import load
from ..resources.countries import adjectives, load_countries, village_countries
from ..resources.gazetteer import EXACT_KINDS, Gazetteer, Place, load_gazetteer
from ..text.match import Match
from ..text.normalize import NormText, norm_of, normalize_key, proclitics

FUZZY_THRESHOLD = 80.0  # rapidfuzz ratio on folded names; measured by bench/geo_fuzzy.py (docs/geo.md)
FUZZY_LIMIT = 8  # closest keys kept as candidates
DAMASCUS_PAIR = frozenset(("SY01", "SY03"))
SUPPORT_WINDOW = (
    400  # folded characters: a bare village name needs a sure place of its governorate this close
)
_WORD = re.compile(r"[^\W_]+")
SOURCE = "places"


@dataclass(frozen=True, slots=True)
class PlaceLexicon:
    """The cue words, near words and directions of lang/ar/places.json, folded."""

    cues: dict[str, str]
    admin_cues: frozenset[str]
    sub_city_cues: frozenset[str]
    facility_cues: frozenset[str]
    near: frozenset[str]
    near_multi: tuple[tuple[str, ...], ...]
    directions: dict[str, str]
    direction_adjectives: dict[str, str]
    common_words: frozenset[str]
    stop: frozenset[str]
    name_prefixes: frozenset[str]
    function_words: frozenset[str]
    validating_cue_types: frozenset[str]
    plural_cues: frozenset[str]
    person_name_starts: frozenset[str]
    building_words: frozenset[str]
    person_before: frozenset[str]
    given_names: frozenset[str]
    country_adjectives: dict[str, str]
    descriptors: frozenset[str]


@cache
def place_lexicon() -> PlaceLexicon:
    data = load("ar", "places")
    nk = normalize_key
    near_all = [nk(w) for w in data["near"]]
    return PlaceLexicon(
        cues={nk(k): v for k, v in data["cues"].items()},
        admin_cues=frozenset(nk(k) for k in data["admin_cues"]),
        sub_city_cues=frozenset(nk(k) for k in data["sub_city_cues"]),
        facility_cues=frozenset(nk(k) for k in data["facility_cues"]),
        near=frozenset(w for w in near_all if " " not in w),
        near_multi=tuple(tuple(w.split()) for w in near_all if " " in w),
        directions={nk(k): v for k, v in data["directions"].items()},
        direction_adjectives={nk(k): v for k, v in data["direction_adjectives"].items()},
        common_words=frozenset(nk(k) for k in data["common_words"]),
        stop=frozenset(nk(k) for k in data["stop"]),
        name_prefixes=frozenset(nk(k) for k in data.get("name_prefixes", ())),
        function_words=frozenset(nk(k) for k in data.get("function_words", ())),
        validating_cue_types=frozenset(data.get("validating_cue_types", ())),
        plural_cues=frozenset(nk(k) for k in data.get("plural_cues", ())),
        person_name_starts=frozenset(nk(k) for k in data.get("person_name_starts", ())),
        building_words=frozenset(nk(k) for k in data.get("building_words", ())),
        person_before=frozenset(nk(k) for k in data.get("person_before", ())),
        given_names=frozenset(nk(k) for k in data.get("given_names", ())),
        # the country profiles' adjectives ("السودانية", "اليمني") and the extra spellings of places.json
        country_adjectives={
            nk(k): v for k, v in {**adjectives(), **data.get("country_adjectives", {})}.items()
        },
        descriptors=frozenset(nk(k) for k in data.get("descriptors", ())),
    )


@dataclass(slots=True)
class _Hit:
    nstart: int  # folded range of the name (without proclitic)
    nend: int
    key: str
    payloads: tuple[tuple[int, str], ...]
    start: int  # folded start of the whole phrase (near/direction/cue words included, their clitics excluded)
    end: int
    cue: str | None = None
    cue_type: str | None = None
    near: bool = False
    direction: str | None = None
    fuzzy: bool = False
    fuzzy_score: float | None = None
    common: bool = False
    keep: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


_STEM_MAPS: dict[int, tuple[object, dict[str, tuple[str, str]]]] = {}


def _stem_map(table: frozenset[str] | dict[str, str]) -> dict[str, tuple[str, str]]:
    """word form (proclitics + stem) -> (proclitics, stem) for every stem of ``table``; cached per table object."""
    got = _STEM_MAPS.get(id(table))
    if got is None or got[0] is not table:
        forms: dict[str, tuple[str, str]] = {}
        # shortest proclitic first, stems in a fixed order: "بجوار" is the cue بجوار, not ب + جوار, whatever the
        # set's iteration order (it used to change with PYTHONHASHSEED, and with it the place's span; issue #10)
        stems = sorted(table)
        for prefix in ("", *sorted(proclitics(), key=lambda p: (len(p), p))):
            for stem in stems:
                forms.setdefault(prefix + stem, (prefix, stem))
        got = (table, forms)  # the table is kept alive so its id cannot be reused by another object
        _STEM_MAPS[id(table)] = got
    return got[1]


def _stem(word: str, table: frozenset[str] | dict[str, str]) -> tuple[str, str] | None:
    """(prefix, stem) of ``word`` whose stem is in ``table`` (clitics such as ب، و، وب، ال stripped)."""
    return _stem_map(table).get(word)


class PlaceRecognizer:
    """Stage "places": adds one ``place`` mention per place name, with all gazetteer candidates."""

    name = "places"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("mentions:place",)

    def __init__(
        self, gazetteer: Gazetteer | None = None, *, fuzzy_threshold: float = FUZZY_THRESHOLD
    ) -> None:
        self.gaz = gazetteer or load_gazetteer()
        self.lex = place_lexicon()
        self.fuzzy_threshold = fuzzy_threshold
        self.dense = village_countries()  # countries with a full village list (Syria): see _filter_villages
        # what each country calls its first-level divisions ("محافظه", "ولايه", "منطقه"), folded
        self.terms = {c.en: normalize_key(c.admin1[0]) for c in load_countries().values()}
        self._fuzzy_index: dict[str, list[str]] | None = None
        lex = self.lex
        self._near_multi = tuple((phrase, frozenset((phrase[0],))) for phrase in lex.near_multi)
        # every word form (with proclitics) that can start a modifier: a hit with none before it skips the scan
        forms: set[str] = set()
        tables: list[frozenset[str] | dict[str, str]] = [lex.cues, lex.sub_city_cues, lex.near]
        tables += [frozenset(w for k in lex.directions for w in k.split())]
        tables += [frozenset(w for p in lex.near_multi for w in p)]
        for table in tables:
            forms |= set(_stem_map(table))
        self._modifier_forms = frozenset(forms)
        self._prefix_forms = frozenset(_stem_map(lex.name_prefixes))
        self._cue_forms = frozenset(
            f
            for f, (pre, _) in _stem_map(lex.cues).items()
            if pre and "ال" not in pre and not pre.endswith("لل")
        )
        places = self.gaz.places
        # names of villages / towns / districts (not only countries and capitals): the ones that can be a word
        self._village_keys = frozenset(
            key for key, payload in self.gaz.aliases.items() if any(places[i].rank > 5 for i, _ in payload)
        )
        # names that an accusative tanween turns into an adverb or adjective ("دوماً", "سوريًا" = a Syrian)
        self._tanween_keys = frozenset(key for key in self.gaz.aliases if key.endswith("ا"))
        # countries: "ال" + a country name without the article is a nisba adjective ("الأزمة السورية", "المالي")
        self._country_keys = frozenset(
            key
            for key, payload in self.gaz.aliases.items()
            if not key.startswith("ال") and all(places[i].level == "country" for i, _ in payload)
        )
        self._ahya = normalize_key("أحياء")
        self._candidates: dict[tuple[int, str], dict[str, Any]] = {}
        self._cue_auto = ahocorasick.Automaton()
        for stem in lex.cues:
            self._cue_auto.add_word(stem, stem)
        self._cue_auto.make_automaton()

    # ------------------------------------------------------------------------------------------- API
    def __call__(self, doc: Document) -> Document:
        doc.mentions.extend(self.find(doc))
        return doc

    def find(self, doc: Document) -> list[Mention]:
        norm = norm_of(doc)
        hits = self._lexicon_hits(norm)
        windows = self._cue_windows(norm.text)
        hits.extend(self._fuzzy_hits(norm, windows, hits))
        hits.extend(self._unknown_sub_city(norm.text, windows, hits))
        hits.sort(key=lambda h: h.nstart)
        self._filter_actors(doc, norm, hits)
        self._filter_surface(doc, norm, hits)
        self._filter_common(norm, hits)
        self._filter_villages(norm.text, hits)
        check_mentions(doc, sum(h.keep for h in hits), self.name)
        mentions = [self._mention(doc, norm, h) for h in hits if h.keep]
        mark_roles(doc.text, mentions)
        return mentions

    # ------------------------------------------------------------------------------------------- precision filters
    @staticmethod
    def _filter_actors(doc: Document, norm: NormText, hits: list[_Hit]) -> None:
        """Names inside an actor's name are not places ("الدولة الإسلامية في العراق والشام", "قوات سوريا
        الديمقراطية", "كتائب شهداء دوما"): the actors stage runs first."""
        spans = sorted((m.start, m.end) for m in doc.mentions_of("actor"))
        if not spans:
            return
        starts = [s for s, _ in spans]
        longest = max(e - s for s, e in spans)
        import bisect

        for h in hits:
            s, e = norm.to_original(h.nstart, h.nend)
            i = bisect.bisect_right(starts, s) - 1
            # only actors starting within the longest actor's length before s can reach e (linear time)
            while i >= 0 and s - longest <= spans[i][0] <= s:
                # inside a longer actor name; an actor that is just the place name ("أنقرة" for Turkey's
                # government) is still a place mention
                if spans[i][1] >= e and (spans[i][0], spans[i][1]) != (s, e):
                    h.keep = False
                    break
                i -= 1

    def _prev_word(self, text: str, pos: int) -> str | None:
        """The word right before folded position ``pos`` (only spaces between), or None."""
        k = pos
        while k > 0 and text[k - 1] in " \t":
            k -= 1
        if k == pos or k == 0:
            return None
        s = k
        while s > 0 and text[s - 1].isalnum():
            s -= 1
        return text[s:k] or None

    def _filter_surface(self, doc: Document, norm: NormText, hits: list[_Hit]) -> None:
        """Word-level evidence that a gazetteer name is not a place here:
        - an adverb or indefinite noun with tanween ("دوماً", "دومًا": always);
        - a surname: a bare name after a title, given name or nationality adjective ("الناشط فادي الزبداني",
          "محمد القصير", "الفنان الكويتي جاسم النبهان", "اليمني الخضر");
        - a building's name: a name after مسجد / مدرسة / مشفى / حاجز... ("حاجز مطل", "مدرسة الخنساء") needs
          context that places it (checked with the bare names in :meth:`_filter_villages`)."""
        text = norm.text
        lex = self.lex
        village_keys = self._village_keys
        for h in hits:
            if not h.keep:
                continue
            if h.cue == self._ahya and doc.text[norm.to_original(h.start, h.start + 1)[0]] == "\u0625":
                # "إحياء ذكرى": reviving, not أحياء (neighbourhoods)
                if h.extra.get("unknown_name"):
                    h.keep = False
                    continue
                h.cue = h.cue_type = None
                h.start = h.nstart
            if h.key in self._tanween_keys:  # "دوماً" / "دومًا" fold to "دوما": look at the original for it
                os_, oe = norm.to_original(h.nstart, h.nend)
                if "\u064b" in doc.text[os_ : oe + 1]:
                    h.keep = False  # tanween: an adverb / indefinite noun, never a name
                    continue
            if h.key not in village_keys:
                continue
            prev = self._prev_word(text, h.start)
            if prev is None:
                continue
            if h.cue is None and not h.near:
                found = _stem(prev, lex.person_before)
                if found is not None and found[0] in ("", "و"):
                    h.keep = False
                    continue
            bw = _stem(prev, lex.building_words)
            if bw is not None and "ال" not in bw[0] and h.cue is None:
                h.extra["building"] = bw[1]
            if h.cue in lex.building_words:
                h.extra["building"] = h.cue

    # ------------------------------------------------------------------------------------------- matching
    def _plain(self, text: str, ws: int, we: int) -> bool:
        """No cue / near / direction / compound-prefix word in the two words before [ws, we), no direction
        adjective after it: the common case, decided without building a word window."""
        forms = self._modifier_forms
        pos = ws
        for n in range(2):
            k = pos
            while k > 0 and text[k - 1] in " \t":
                k -= 1
            if k == pos or k == 0:
                break
            s = k
            while s > 0 and text[s - 1].isalnum():
                s -= 1
            word = text[s:k]
            if word in forms or (n == 0 and word in self._prefix_forms):
                return False
            pos = s
        k = we
        while k < len(text) and text[k] in " \t":
            k += 1
        if k > we:
            e = k
            while e < len(text) and text[e].isalnum():
                e += 1
            if text[k:e] in self.lex.direction_adjectives:
                return False
        return True

    @staticmethod
    def _window(text: str, lo: int, hi: int) -> tuple[list[tuple[int, int]], list[int]]:
        """Words (folded offsets) around a hit, and their starts: local, so no per-document word list."""
        words = [m.span() for m in _WORD.finditer(text, max(0, lo), min(len(text), hi))]
        return words, [w[0] for w in words]

    def _cue_windows(self, text: str) -> list[list[tuple[int, int]]]:
        """[cue word, next word, word after] spans for every cue word of the text (found with str.find)."""
        out: list[list[tuple[int, int]]] = []
        pro = proclitics()
        n = len(text)
        for last, stem in self._cue_auto.iter(text):
            end = last + 1
            pos = end - len(stem)
            if end < n and text[end].isalnum():
                continue
            ws = pos
            while ws > 0 and text[ws - 1].isalnum():
                ws -= 1
            if ws == pos or text[ws:pos] in pro:
                spans = [(ws, end)]
                at = end
                for _ in range(2):
                    m = _WORD.search(text, at, min(n, at + 40))
                    if m is None:
                        break
                    spans.append(m.span())
                    at = m.end()
                if len(spans) > 1:
                    out.append(spans)
        return out

    def _lexicon_hits(self, norm: NormText) -> list[_Hit]:
        text = norm.text
        out: list[_Hit] = []
        lex = self.lex
        stop, directions, direction_adjectives = lex.stop, lex.directions, lex.direction_adjectives
        building_words, name_prefixes = lex.building_words, lex.name_prefixes
        cue_forms, country_keys = self._cue_forms, self._country_keys
        common, common_words = self.gaz.common, lex.common_words
        for m in _longest(self.gaz.lexicon.find(norm, longest=False)):
            key, prefix = m.key, m.prefix
            if key in stop:
                continue
            if (key in directions or key in direction_adjectives) and not self._after_admin_term(
                text, m.nstart - len(prefix), m.payloads
            ):
                continue  # "الشمال", "الشرقية": compass words, unless a division's name ("محافظة الشرقية")
            if key in cue_forms:
                continue  # "بقرية" is ب + قرية, a cue word, not the village بقرية
            if prefix.endswith("ال") and key in country_keys:
                continue  # "الأزمة السورية", "الدعم المالي": a nisba adjective, not the country
            if "س" in prefix:
                continue  # the future prefix takes verbs, not names: "سنوي" is not س + نوي, "ستالين" not تالين
            bare = key[2:] if key.startswith("ال") else key
            if bare in building_words:
                continue  # "محيط مسجد": a building word, not the village Masjid
            if bare in directions and not self._after_admin_term(text, m.nstart - len(prefix), m.payloads):
                continue  # "الغرب", "الشمال": compass words, not the villages of that name
            if self._plain(text, m.nstart - len(prefix), m.nend):
                # fast path: no modifier word around and no compound-name prefix before
                if bare in name_prefixes and self._before_name_word(text, m.nend):
                    continue
                hit = _Hit(m.nstart, m.nend, key, m.payloads, m.nstart, m.nend)
                hit.common = key in common or key in common_words
                out.append(hit)
                continue
            words, starts = self._window(text, m.nstart - 48, m.nend + 30)
            if not prefix and self._after_name_prefix(text, words, starts, m.nstart):
                continue  # "كفر داعل": داعل is part of an unknown compound name
            if bare in name_prefixes and self._before_name_word(text, m.nend):
                continue  # "كفر" of "كفر داعل" is not the village "الكفر"
            hit = _Hit(m.nstart, m.nend, key, m.payloads, m.nstart, m.nend)
            hit.common = key in common or key in common_words
            self._modifiers(text, words, starts, hit)
            out.append(hit)
        return out

    def _after_admin_term(self, text: str, pos: int, payloads: tuple[tuple[int, str], ...]) -> bool:
        """The word before ``pos`` is what a candidate division's country calls its divisions ("محافظة",
        "ولاية", "منطقة"): "محافظة الشرقية" is Egypt's Sharqia, not "the eastern governorate"."""
        prev = self._prev_word(text, pos)
        found = _stem(prev, self.lex.cues) if prev else None
        if found is None or "ال" in found[0]:
            return False
        places = self.gaz.places
        return any(
            places[i].level == "governorate" and self.terms.get(str(places[i].country)) == found[1]
            for i, _ in payloads
        )

    def _after_name_prefix(
        self, text: str, words: list[tuple[int, int]], starts: list[int], pos: int
    ) -> bool:
        wi = self._word_index(starts, pos)
        if wi == 0 or words[wi][0] != pos:
            return False
        prev = text[words[wi - 1][0] : words[wi - 1][1]]
        if not self._adjacent(text, words[wi - 1][1], pos):
            return False
        found = _stem(prev, self.lex.name_prefixes)
        return found is not None and found[1] not in self.lex.cues

    def _before_name_word(self, text: str, pos: int) -> bool:
        """A content word (not a preposition or direction) follows ``pos`` after one space."""
        if not (pos + 1 < len(text) and text[pos] == " " and text[pos + 1].isalpha()):
            return False
        m = _WORD.match(text, pos + 1)
        word = m.group() if m else ""
        return word not in self.lex.function_words and word not in self.lex.direction_adjectives

    def _word_index(self, starts: list[int], pos: int) -> int:
        """Index of the word containing folded position ``pos``."""
        import bisect

        return max(0, bisect.bisect_right(starts, pos) - 1)

    def _modifiers(self, text: str, words: list[tuple[int, int]], starts: list[int], hit: _Hit) -> None:
        """Read cue / near / direction words before the name and direction adjectives after it."""
        lex = self.lex
        wi = self._word_index(starts, hit.nstart)
        i = wi - 1
        forms = self._modifier_forms
        if (
            i >= 0
            and text[words[i][0] : words[i][1]] not in forms
            and (i == 0 or text[words[i - 1][0] : words[i - 1][1]] not in forms)
        ):
            i = -1  # fast path: no cue, near or direction word before the name
        # an own proclitic on the name means no cue can sit between ("وإدلب" after "ريف" is a new place)
        # cue word right before: "بلدة X", "بريف X", "وقرية X"
        if i >= 0:
            w = text[words[i][0] : words[i][1]]
            found = _stem(w, lex.cues)
            if (found is not None and "ال" in found[0]) or (found is not None and found[0].endswith("لل")):
                found = None  # "القضاء عليه", "المناطق": a cue in construct state takes no article
            if found is not None and self._adjacent(text, words[i][1], hit.nstart):
                hit.cue = found[1]
                hit.cue_type = lex.cues[found[1]]
                hit.start = words[i][0] + len(found[0])
                i -= 1
            elif i >= 1:
                # "حي جمعية الزهراء", "دوار باب النيرب": a sub-city cue two words back
                w2 = text[words[i - 1][0] : words[i - 1][1]]
                f2 = _stem(w2, lex.sub_city_cues)
                if (
                    f2 is not None
                    and self._adjacent(text, words[i - 1][1], words[i][0])
                    and self._adjacent(text, words[i][1], hit.nstart)
                ):
                    hit.cue = f2[1]
                    hit.cue_type = lex.cues.get(f2[1], "neighbourhood")
                    hit.start = words[i - 1][0] + len(f2[0])
                    i -= 2
        # compass direction: "شمال غرب حلب", "جنوب مدينة كوباني", "جنوب شرقي إدلب"
        if i >= 0:
            two = " ".join(text[words[j][0] : words[j][1]] for j in (i - 1, i)) if i >= 1 else ""
            one = text[words[i][0] : words[i][1]]
            d2 = _stem(two, lex.directions) if two else None
            d1 = _stem(one, lex.directions)
            if d2 is not None and self._adjacent(text, words[i][1], hit.start):
                hit.direction = lex.directions[d2[1]]
                hit.near = True
                hit.start = words[i - 1][0] + len(d2[0])
                i -= 2
            elif d1 is not None and self._adjacent(text, words[i][1], hit.start):
                hit.direction = lex.directions[d1[1]]
                hit.near = True
                hit.start = words[i][0] + len(d1[0])
                i -= 1
        # near words: "محيط قرية X", "أطراف حي X", "بالقرب من مدينة X", "على مقربة من X"
        if i >= 0:
            one = text[words[i][0] : words[i][1]]
            n1 = _stem(one, lex.near)
            if n1 is not None and self._adjacent(text, words[i][1], hit.start):
                hit.near = True
                hit.start = words[i][0] + len(n1[0])
            else:
                for phrase, firsts in self._near_multi:
                    n = len(phrase)
                    if i - n + 1 < 0:
                        continue
                    got = [text[words[j][0] : words[j][1]] for j in range(i - n + 1, i + 1)]
                    first = _stem(got[0], firsts)
                    if first is not None and got[1:] == list(phrase[1:]):
                        hit.near = True
                        hit.start = words[i - n + 1][0] + len(first[0])
                        break
        # direction adjectives after the name: "ريف إدلب الجنوبي الشرقي", "حلب الشمالي"
        j = self._word_index(starts, max(hit.nend - 1, hit.nstart)) + 1
        dirs: list[str] = []
        end = hit.nend
        while j < len(words) and len(dirs) < 2:
            w = text[words[j][0] : words[j][1]]
            if w in lex.direction_adjectives and self._adjacent(text, end, words[j][0]):
                dirs.append(lex.direction_adjectives[w])
                end = words[j][1]
                j += 1
            else:
                break
        if dirs:
            direction = "-".join(dirs) if len(dirs) == 2 else dirs[0]
            if direction in ("east-south", "east-north", "west-south", "west-north"):
                direction = "-".join(reversed(dirs))
            hit.extra["direction_after"] = direction
            if hit.cue in lex.admin_cues or hit.cue is None:
                hit.direction = hit.direction or direction
                hit.end = end

    @staticmethod
    def _adjacent(text: str, left_end: int, right_start: int) -> bool:
        """Only spaces (no punctuation, no line break) between two folded positions."""
        gap = text[left_end:right_start]
        return gap.strip(" \t") == "" and "\n" not in gap

    # ------------------------------------------------------------------------------------------- fuzzy
    def _fuzzy_hits(
        self, norm: NormText, windows: list[list[tuple[int, int]]], hits: list[_Hit]
    ) -> list[_Hit]:
        """After a settlement cue word with no known name behind it: spelling-variant candidates."""
        text = norm.text
        covered = bytearray(len(text) + 1)  # positions inside a hit: O(1) per lookup, not a scan of all hits
        for h in hits:
            covered[h.start : h.end] = b"\x01" * (h.end - h.start)
        out: list[_Hit] = []
        settle = ("city", "town", "village", "camp")
        cue_map = _stem_map(self.lex.cues)
        for words in windows:
            i = 0
            found = cue_map.get(text[words[i][0] : words[i][1]])
            if found is None or self.lex.cues[found[1]] not in settle or found[1] in self.lex.plural_cues:
                continue
            if "ال" in found[0] or found[0].endswith("لل"):
                continue  # "المدينة التي", "القرى العلوية": a defined noun is not followed by a name
            ns, ne = words[i + 1]
            if covered[ns] or not self._adjacent(text, words[i][1], ns):
                continue
            token = text[ns:ne]
            if len(token) < 4 or token in self.lex.stop or token in self.lex.common_words:
                continue
            if token in self.lex.function_words:
                continue  # "مدينة التي"
            close = self._fuzzy_lookup(token)
            if not close:
                continue
            key, score = close[0]
            payloads = tuple(
                dict.fromkeys((i2, "fuzzy") for k2, _ in close for i2, _ in self.gaz.aliases[k2])
            )
            hit = _Hit(ns, ne, key, payloads, words[i][0] + len(found[0]), ne, cue=found[1])
            hit.cue_type = self.lex.cues[found[1]]
            hit.fuzzy = True
            hit.fuzzy_score = score
            out.append(hit)
        return out

    def _unknown_sub_city(
        self, text: str, windows: list[list[tuple[int, int]]], hits: list[_Hit]
    ) -> list[_Hit]:
        """ "حي السبع بحرات": a neighbourhood, street or roundabout the gazetteer does not know, kept without
        candidates so the geocoder can place it in the city named next to it."""
        cue_map = _stem_map(self.lex.sub_city_cues)
        covered = bytearray(len(text) + 1)
        for h in hits:
            covered[h.start : h.end] = b"\x01" * (h.end - h.start)
        out: list[_Hit] = []
        for words in windows:
            i = 0
            found = cue_map.get(text[words[i][0] : words[i][1]])
            if found is None or found[1] == "جمعيه" or covered[words[i][0]] or covered[words[i + 1][0]]:
                continue
            if found[1] in self.lex.building_words:
                continue  # "حاجز مطل على", "مشفى ميداني": a building, not a neighbourhood of the city
            if not self._adjacent(text, words[i][1], words[i + 1][0]):
                continue
            first = text[words[i + 1][0] : words[i + 1][1]]
            if first in self.lex.function_words or first in self.lex.stop or len(first) < 3:
                continue
            end = words[i + 1][1]
            w2s, w2e = words[i + 2] if i + 2 < len(words) else (0, 0)
            if i + 2 < len(words) and self._adjacent(text, end, w2s) and not any(covered[w2s:w2e]):
                second = text[words[i + 2][0] : words[i + 2][1]]
                if (_stem(second, self.lex.function_words) is None and second not in self.lex.direction_adjectives
                        and _stem(second, self.lex.cues) is None and len(second) >= 3):  # fmt: skip
                    end = words[i + 2][1]
            start = words[i][0] + len(found[0])
            hit = _Hit(words[i + 1][0], end, text[words[i + 1][0] : end], (), start, end, cue=found[1])
            hit.cue_type = self.lex.cues.get(found[1], "neighbourhood")
            hit.extra["unknown_name"] = True
            out.append(hit)
        return out

    def _fuzzy_lookup(self, token: str) -> list[tuple[str, float]]:
        """The closest gazetteer keys (all of them: the geocoder's context picks among homonym-like variants)."""
        if self._fuzzy_index is None:
            index: dict[str, list[str]] = defaultdict(list)
            for key, payload in self.gaz.aliases.items():
                if " " in key or not any(self.gaz.places[i].country in self.dense for i, _ in payload):
                    continue
                bare = key[2:] if key.startswith("ال") else key
                if len(bare) >= 3:
                    index[bare[0]].append(key)
            self._fuzzy_index = dict(index)
        bare = token[2:] if token.startswith("ال") else token
        choices = self._fuzzy_index.get(bare[:1], [])
        res = process.extract(
            token, choices, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold, limit=FUZZY_LIMIT
        )
        return [(str(r[0]), float(r[1])) for r in res]

    # ------------------------------------------------------------------------------------------- common words
    def _filter_villages(self, text: str, hits: list[_Hit]) -> None:
        """A bare single-word name below a governorate capital (no validating cue, no admin context right after,
        no coordinated partner) is often an ordinary word ("دوما" always, "القصير" short, "الكسوة" clothing,
        "الراعي" shepherd, "العريقة" ancient). It is kept only when the article places it:
        - the same name with a settlement cue or admin context elsewhere in the article (one sense per article);
        - a sure place (cued, or a governorate / city / admin unit) of the same district anywhere in the article;
        - a sure place of the same governorate within :data:`SUPPORT_WINDOW` characters.
        Names after a building word ("حاجز مطل", "مدرسة الخنساء") and given names ("جاسم", "ريما") get the same
        test even when multi-word or important."""
        places = self.gaz.places
        lex = self.lex
        dense = self.dense
        # countries the article names or places sure places in (a country, a province, a city abroad)
        abroad = {
            places[i].country
            for h in hits
            if h.keep and not h.common and h.payloads
            and all(places[i].rank <= 6 and places[i].country not in dense and _sure(places[i]) for i, _ in h.payloads)
            for i, _ in h.payloads
        }  # fmt: skip
        # sure places abroad with their division: (folded position, adm1), for villages abroad
        abroad_sup = [
            (h.nstart, places[i].adm1)
            for h in hits
            if h.keep and not h.common and h.payloads
            and (h.cue_type in lex.validating_cue_types or all(places[i].rank <= 6 for i, _ in h.payloads))
            and len({places[i].adm1 for i, _ in h.payloads}) == 1
            for i, _ in h.payloads[:1]
            if places[i].adm1 and places[i].country not in dense
        ]  # fmt: skip
        # supporters: (folded position, adm1 codes, adm2 codes) of sure Syrian places
        sup: list[tuple[int, frozenset[str], frozenset[str]]] = []
        sure_keys: set[str] = set()  # names with a validating cue or a direction somewhere in the article
        for h in hits:
            if not h.keep or not h.payloads:
                continue
            cands = [
                places[i] for i, kind in h.payloads if kind in EXACT_KINDS and places[i].country in dense
            ]
            if not cands:
                continue
            if h.cue in lex.admin_cues:  # "ريف الثورة": the district, not the villages called الثورة
                cands = [p for p in cands if p.is_admin] or cands
            cued = h.cue_type in lex.validating_cue_types and "building" not in h.extra
            if cued or h.direction:
                sure_keys.add(h.key)
            if cued or all(p.rank <= 5 for p in cands) or h.direction:
                s1 = frozenset(p.adm1 or p.pcode or "" for p in cands) - {""}
                s2 = frozenset((p.adm2 or (p.pcode if p.level == "district" else "")) or "" for p in cands)
                s2 -= {""}
                if len(s1) == 1:
                    sup.append((h.nstart, s1, s2 if len(s2) == 1 else frozenset()))
        # indexes so each name's support test costs O(log n + k), not a scan of every supporter (issue #10)
        sup.sort(key=lambda t: t[0])  # stable: hits are in text order already
        sup_pos = [t[0] for t in sup]
        by_adm2: dict[str, set[int]] = {}  # district code -> positions of its supporters (two are enough)
        for pos, _s1, s2 in sup:
            for code in s2:
                seen = by_adm2.setdefault(code, set())
                if len(seen) < 2:
                    seen.add(pos)
        sure_at: dict[str, list[int]] = {}  # name -> indices of its cued / directed mentions
        for j, o in enumerate(hits):
            if (o.cue_type in lex.validating_cue_types and "building" not in o.extra) or o.direction:
                sure_at.setdefault(o.key, []).append(j)
        for k, h in enumerate(hits):
            if not h.keep or not h.payloads:
                continue
            building = "building" in h.extra
            if h.cue_type in lex.validating_cue_types and not building:
                continue
            given = h.key in lex.given_names
            if not building and not given:
                if " " in h.key and h.key.split(" ", 1)[0] not in lex.person_name_starts:
                    continue  # multi-word names ("عين التينة", "مخيم اليرموك") are not ordinary words
                if any(
                    (
                        places[i].rank <= 5
                        and places[i].level not in ("district", "subdistrict")
                        and _sure(places[i])
                    )
                    or places[i].level == "region"
                    for i, _ in h.payloads
                ):
                    continue  # countries, governorates, cities, regions (a district named after its town is not)
                if all(places[i].country not in dense for i, _ in h.payloads):
                    # a town abroad (GeoNames) is kept where the article names its country or a sure place there;
                    # a village only beside a sure place of its division ("قرية X" is kept by its cue above)
                    village = all(places[i].rank >= 7 for i, _ in h.payloads)
                    countries = {places[i].country for i, _ in h.payloads}
                    if (not village and countries & abroad) or self._anchored(text, h, k, hits):
                        continue
                    if village and any(
                        abs(pos - h.nstart) <= SUPPORT_WINDOW
                        and a1 in {places[i].adm1 for i, _ in h.payloads}
                        for pos, a1 in abroad_sup
                    ):
                        continue
                    h.keep = False
                    continue
            if self._anchored(text, h, k, hits):
                continue
            if h.key in sure_keys and any(j != k and hits[j].keep for j in sure_at.get(h.key, ())):
                continue  # one sense per article: "مدينة الزبداني ... قصف الزبداني"
            mine = [places[i] for i, _ in h.payloads if places[i].country in dense]
            my1 = {p.adm1 for p in mine if p.adm1}
            my2 = {p.adm2 for p in mine if p.adm2}
            ok = any(by_adm2.get(code, set()) - {h.nstart} for code in my2)
            if not ok:
                lo = bisect.bisect_left(sup_pos, h.nstart - SUPPORT_WINDOW)
                hi = bisect.bisect_right(sup_pos, h.nstart + SUPPORT_WINDOW)
                ok = any(pos != h.nstart and _widen(s1) & my1 for pos, s1, _s2 in sup[lo:hi])
            if not ok:
                h.keep = False

    def _filter_common(self, norm: NormText, hits: list[_Hit]) -> None:
        """A name that is also an ordinary word needs a cue, a near/direction word, admin context or a partner;
        a city or province abroad ("الحديدة": iron) is also kept after its country's adjective ("الحديدة
        اليمنية") or in an article that names its country."""
        places = self.gaz.places
        named: set[str | None] = set()  # countries named, or of a sure city or province ("صنعاء": Yemen)
        for h in hits:
            if h.keep and not h.common and h.payloads:
                got = {places[i].country for i, _ in h.payloads if places[i].rank <= 5}
                if len(got) == 1 and all(places[i].country in got for i, _ in h.payloads):
                    named |= got
        for k, h in enumerate(hits):
            if h.cue is not None and any(
                places[i].level == "governorate" and self.terms.get(str(places[i].country)) == h.cue
                for i, _ in h.payloads
            ):
                continue  # "منطقة عسير", "محافظة الشرقية": the word the country uses for its divisions
            if h.keep and h.key in self.lex.descriptors:
                # "العالم أصبح قرية صغيرة": a village named only by a descriptor needs admin context or a partner
                h.keep = self._anchored(norm.text, h, k, hits)
                continue
            if not h.common or h.cue_type in self.lex.validating_cue_types:
                continue  # a near word alone does not make a place of "حول الصراع", "محيط المسجد"
            # curated cities only: GeoNames' Arabic names include ordinary words ("البيان")
            abroad = {
                places[i].country
                for i, kind in h.payloads
                if kind in EXACT_KINDS
                and places[i].rank <= 6
                and places[i].level == "city"  # a province named by a word ("الداخلية") needs its cue
                and places[i].country not in self.dense
                and not places[i].id.startswith("GN")
            }
            # "قديمة وحديثة", "روسيا الحديثة": an attached و or article makes an adjective of it
            glued = norm.text[h.nstart - 1 : h.nstart] in ("و", "ل")
            if abroad and (
                (abroad & named and not glued) or self._adjective_after(norm.text, h.nend) in abroad
            ):
                continue
            h.keep = self._anchored(norm.text, h, k, hits)

    def _adjective_after(self, text: str, pos: int) -> str | None:
        """The country of a nisba adjective right after folded position ``pos`` ("طرابلس الليبية"), or None."""
        m = _WORD.match(text, pos + 1) if text[pos : pos + 1] == " " else None
        return self.lex.country_adjectives.get(m.group()) if m else None

    def _anchored(self, text: str, h: _Hit, k: int, hits: list[_Hit]) -> bool:
        """Admin context right after the name, or coordination with a sure place of the same district."""
        nxt = hits[k + 1] if k + 1 < len(hits) else None
        prv = hits[k - 1] if k > 0 else None
        # admin context right after: "X بريف إدلب", "X في ريف حلب", "X شمال حمص"
        if nxt is not None and nxt.start - h.end <= 8 and not nxt.common:
            gap = text[h.end : nxt.start]
            if "\n" not in gap and (nxt.cue in self.lex.admin_cues or nxt.near or gap.strip() in ("في", "ب")):
                if self._shares_area(h, nxt):
                    return True
        # coordination with a sure place of the same area: "نبل والزهراء", "الفوعة وكفريا"
        for other in (prv, nxt):
            if other is None or other.common or not other.keep:
                continue
            lo, hi = (other.end, h.nstart) if other.nstart < h.nstart else (h.end, other.start)
            gap = text[lo:hi].strip()
            joined = gap in ("و", "،", ",") or (
                other.nstart > h.nstart and text[other.nstart - 1 : other.nstart] == "و" and gap == ""
            )
            if joined and self._shares_area(h, other, level="adm2"):
                return True
        return False

    def _shares_area(self, a: _Hit, b: _Hit, level: str = "adm1") -> bool:
        pa = [self.gaz.places[i] for i, _ in a.payloads]
        pb = [self.gaz.places[i] for i, _ in b.payloads]
        codes_b = {getattr(p, level) or p.pcode for p in pb} | {p.pcode for p in pb if p.is_admin}
        codes_b |= {p.adm1 for p in pb if p.level == "governorate"}
        codes_b.discard(None)  # places abroad have no adm2: a missing code is no shared area
        for p in pa:
            if getattr(p, level) in codes_b or p.adm1 in codes_b:
                return True
        return False

    # ------------------------------------------------------------------------------------------- output
    def _candidate(self, payload: tuple[int, str]) -> dict[str, Any]:
        """A fresh copy of the entry's candidate dict: built once per (entry, alias kind), copied per mention."""
        made = self._candidates.get(payload)
        if made is None:
            made = self._candidates[payload] = self.gaz.places[payload[0]].candidate(payload[1])
        return dict(made)

    def _mention(self, doc: Document, norm: NormText, h: _Hit) -> Mention:
        start, end = norm.to_original(h.start, h.end)
        nstart, nend = norm.to_original(h.nstart, h.nend)
        gplaces = self.gaz.places
        places: list[tuple[Place, str]] = [(gplaces[i], kind) for i, kind in h.payloads]
        exact = any(kind in EXACT_KINDS for _, kind in places)
        value: dict[str, Any] = {
            "candidates": [self._candidate(payload) for payload in h.payloads],
            "cue": h.cue,
            "cue_type": h.cue_type,
            "near": h.near,
            "direction": h.direction,
            "fuzzy": h.fuzzy,
            "key": h.key,
            "name_span": [nstart, nend],
            "common": h.common,
        }
        if h.fuzzy_score is not None:
            value["fuzzy_score"] = round(h.fuzzy_score, 1)
        value.update(h.extra)
        best = min(places, key=lambda pk: (pk[1] not in EXACT_KINDS, pk[0].rank))[0] if places else None
        score = 0.9 if exact else 0.7
        if h.fuzzy:
            score = 0.5
        if h.cue:
            score = min(1.0, score + 0.1)
        return Mention(
            "place",
            Span.of(doc.text, start, end),
            value=value,
            entry=best.pcode if best is not None and len(places) == 1 else None,
            source=SOURCE,
            score=score,
        )


# after a dateline's place: an optional ", date" and "(agency)", then a dash or colon ("دمشق (رويترز) -",
# "نابلس - النجاح الإخباري", "بيروت، 5 حزيران -", "واشنطن - دمشق:")
_DATELINE_TAIL = re.compile(
    r"[ \t\u00a0]*(?:[،,][^\n\-–—:()]{1,30})?[ \t\u00a0]*(?:\([^()\n]{1,40}\))?[ \t\u00a0]*[-–—:]"
)
_LINE_START = re.compile(r"(?:^|\n)[ \t\u00a0\u200f\u200e*•>#]*")
HEADLINE_MAX = 150  # characters: a longer first line is a paragraph, not a headline
ROLE_DATELINE = "dateline"
ROLE_HEADLINE = "headline"


def mark_roles(text: str, mentions: list[Mention]) -> None:
    """Flag the place mentions that say where a story was filed or what its title says, not where anything
    happened (issue 15): ``value["role"] = "dateline"`` for places at the start of a line followed by a dash or
    colon, possibly after an agency in brackets ("دمشق (رويترز) -", "نابلس - النجاح الإخباري", and both places of
    "واشنطن - دمشق -"); ``"headline"`` for places on a short first line followed by more text. Event coders skip
    both as event places; the geocoder still resolves them."""
    if not mentions:
        return
    starts = {m.end() for m in _LINE_START.finditer(text)}
    ordered = sorted(mentions, key=lambda m: m.start)
    chain_at: int | None = None  # where the next place of a dateline chain must start
    for m in ordered:
        if m.start in starts or (chain_at is not None and text[chain_at : m.start].strip(" \t\u00a0") == ""):
            tail = _DATELINE_TAIL.match(text, m.end)
            if tail is not None:
                m.value["role"] = ROLE_DATELINE
                chain_at = tail.end()
                continue
        chain_at = None
    body = text.lstrip()
    first_end = body.find("\n")
    if first_end <= 0 or first_end > HEADLINE_MAX or not body[first_end:].strip():
        return
    offset = len(text) - len(body)
    line = body[:first_end].rstrip()
    if line.endswith((".", ":", "؛", "،", ",")):
        return
    for m in ordered:
        if m.start >= offset + first_end:
            break
        m.value.setdefault("role", ROLE_HEADLINE)


def _sure(p: Place) -> bool:
    """Not a GeoNames town below a capital: GeoNames' Arabic names of towns include ordinary words ("المساكن")."""
    return p.rank <= 4 or not p.id.startswith("GN")


def _widen(adm1: frozenset[str]) -> frozenset[str]:
    """Damascus city and Rural Damascus surround each other: either supports the other's towns."""
    if adm1 & DAMASCUS_PAIR:
        return adm1 | DAMASCUS_PAIR
    return adm1


def _longest(hits: list[Match[tuple[int, str]]]) -> list[Match[tuple[int, str]]]:
    """Keep the longest of overlapping hits (linear occupancy sweep; earlier start wins ties)."""
    if not hits:
        return hits
    hits.sort(key=lambda m: (m.nstart - m.nend, m.nstart))
    used = bytearray(max(m.nend for m in hits) + 1)
    taken = []
    for m in hits:
        if any(used[m.nstart : m.nend]):
            continue
        used[m.nstart : m.nend] = b"\x01" * (m.nend - m.nstart)
        taken.append(m)
    taken.sort(key=lambda m: m.nstart)
    return taken


@cache
def default_recognizer() -> PlaceRecognizer:
    return PlaceRecognizer()
