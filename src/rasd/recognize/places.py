"""Place recogniser: finds gazetteer names in the folded text and adds ``place`` mentions with every candidate.

Matching is clitic-tolerant (بريف، وإدلب، لحلب) through :class:`rasd.text.match.Lexicon`. Around each name it reads
the modifiers that the geocoder needs, right to left: a cue word (مدينة، بلدة، قرية، حي، ريف، مخيم، مطار...), a
near word (محيط، أطراف، قرب، بالقرب من) or compass direction before the name (شمال غرب حلب), and direction
adjectives after it (ريف إدلب الجنوبي الشرقي). Community names that are also ordinary words ("الحرية",
"السلام", measured on news by the gazetteer build) are only kept with a cue word, a near/direction word, admin
context right after them (بريف إدلب) or a coordinated place next to them (نبل والزهراء). After a cue word an
unknown name gets fuzzy candidates (rapidfuzz ratio >= :data:`FUZZY_THRESHOLD`). Resolution to one entry is the
geocoder's job (rasd.geo).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz, process

from ..document import Document, Mention, Span
from ..lang import load
from ..resources.gazetteer import EXACT_KINDS, Gazetteer, Place, load_gazetteer
from ..text.match import Match
from ..text.normalize import NormText, norm_of, normalize_key, proclitics

FUZZY_THRESHOLD = 88.0  # rapidfuzz ratio on folded names; see docs/geo.md for how it was measured
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


_STEM_MAPS: dict[int, dict[str, tuple[str, str]]] = {}


def _stem(word: str, table: frozenset[str] | dict[str, str]) -> tuple[str, str] | None:
    """(prefix, stem) of ``word`` whose stem is in ``table`` (clitics such as ب، و، وب، ال stripped)."""
    got = _STEM_MAPS.get(id(table))
    if got is None:
        got = {}
        for stem in table:
            for prefix in ("", *sorted(proclitics(), key=len)):
                got.setdefault(prefix + stem, (prefix, stem))
        _STEM_MAPS[id(table)] = got
    return got.get(word)


class PlaceRecognizer:
    """Stage "places": adds one ``place`` mention per place name, with all gazetteer candidates."""

    name = "places"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("mentions:place",)

    def __init__(self, gazetteer: Gazetteer | None = None, *, fuzzy_threshold: float = FUZZY_THRESHOLD) -> None:
        self.gaz = gazetteer or load_gazetteer()
        self.lex = place_lexicon()
        self.fuzzy_threshold = fuzzy_threshold
        self._fuzzy_index: dict[str, list[str]] | None = None

    # ------------------------------------------------------------------------------------------- API
    def __call__(self, doc: Document) -> Document:
        doc.mentions.extend(self.find(doc))
        return doc

    def find(self, doc: Document) -> list[Mention]:
        norm = norm_of(doc)
        words = [(m.start(), m.end()) for m in _WORD.finditer(norm.text)]
        starts = [w[0] for w in words]
        hits = self._lexicon_hits(norm, words, starts)
        hits.extend(self._fuzzy_hits(norm, words, hits))
        hits.sort(key=lambda h: h.nstart)
        self._filter_common(norm, words, starts, hits)
        return [self._mention(doc, norm, h) for h in hits if h.keep]

    # ------------------------------------------------------------------------------------------- matching
    def _lexicon_hits(self, norm: NormText, words: list[tuple[int, int]], starts: list[int]) -> list[_Hit]:
        text = norm.text
        out: list[_Hit] = []
        for m in _longest(self.gaz.lexicon.find(norm, longest=False)):
            if m.key in self.lex.stop or m.key in self.lex.directions or m.key in self.lex.direction_adjectives:
                continue
            bare = m.key[2:] if m.key.startswith("ال") else m.key
            if bare in self.lex.directions:  # "الغرب", "الشمال": compass words, not the villages of that name
                continue
            if not m.prefix and self._after_name_prefix(text, words, starts, m.nstart):
                continue  # "كفر داعل": داعل is part of an unknown compound name
            if bare in self.lex.name_prefixes and self._before_name_word(text, m.nend):
                continue  # "كفر" of "كفر داعل" is not the village "الكفر"
            hit = _Hit(m.nstart, m.nend, m.key, m.payloads, m.nstart, m.nend)
            hit.common = m.key in self.gaz.common or m.key in self.lex.common_words
            self._modifiers(text, words, starts, hit)
            out.append(hit)
        return out

    def _after_name_prefix(self, text: str, words: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
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
        # an own proclitic on the name means no cue can sit between ("وإدلب" after "ريف" is a new place)
        # cue word right before: "بلدة X", "بريف X", "وقرية X"
        if i >= 0:
            w = text[words[i][0] : words[i][1]]
            found = _stem(w, lex.cues)
            if found is not None and self._adjacent(text, words[i][1], hit.nstart):
                hit.cue = found[1]
                hit.cue_type = lex.cues[found[1]]
                hit.start = words[i][0] + len(found[0])
                i -= 1
            elif i >= 1:
                # "حي جمعية الزهراء", "دوار باب النيرب": a sub-city cue two words back
                w2 = text[words[i - 1][0] : words[i - 1][1]]
                f2 = _stem(w2, lex.sub_city_cues)
                if f2 is not None and self._adjacent(text, words[i - 1][1], words[i][0]) and self._adjacent(
                    text, words[i][1], hit.nstart
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
                for phrase in lex.near_multi:
                    n = len(phrase)
                    if i - n + 1 < 0:
                        continue
                    got = [text[words[j][0] : words[j][1]] for j in range(i - n + 1, i + 1)]
                    first = _stem(got[0], frozenset((phrase[0],)))
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
    def _fuzzy_hits(self, norm: NormText, words: list[tuple[int, int]], hits: list[_Hit]) -> list[_Hit]:
        """After a settlement cue word with no known name behind it: spelling-variant candidates."""
        text = norm.text
        covered = [(h.start, h.end) for h in hits]
        out: list[_Hit] = []
        settle = ("city", "town", "village", "camp")
        _stem("", self.lex.cues)
        cue_map = _STEM_MAPS[id(self.lex.cues)]
        for i in range(len(words) - 1):
            found = cue_map.get(text[words[i][0] : words[i][1]])
            if found is None or self.lex.cues[found[1]] not in settle:
                continue
            ns, ne = words[i + 1]
            if any(s <= ns < e for s, e in covered) or not self._adjacent(text, words[i][1], ns):
                continue
            token = text[ns:ne]
            if len(token) < 4 or token in self.lex.stop or token in self.lex.common_words:
                continue
            best = self._fuzzy_lookup(token)
            if best is None:
                continue
            key, score = best
            payloads = tuple((i2, "fuzzy") for i2, _ in self.gaz.aliases[key])
            hit = _Hit(ns, ne, key, payloads, words[i][0] + len(found[0]), ne, cue=found[1])
            hit.cue_type = self.lex.cues[found[1]]
            hit.fuzzy = True
            hit.fuzzy_score = score
            out.append(hit)
        return out

    def _fuzzy_lookup(self, token: str) -> tuple[str, float] | None:
        if self._fuzzy_index is None:
            index: dict[str, list[str]] = defaultdict(list)
            for key, payload in self.gaz.aliases.items():
                if " " in key or not any(self.gaz.places[i].country == "Syria" for i, _ in payload):
                    continue
                bare = key[2:] if key.startswith("ال") else key
                if len(bare) >= 3:
                    index[bare[0]].append(key)
            self._fuzzy_index = dict(index)
        bare = token[2:] if token.startswith("ال") else token
        choices = self._fuzzy_index.get(bare[:1], [])
        res = process.extractOne(token, choices, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold)
        if res is None:
            return None
        return str(res[0]), float(res[1])

    # ------------------------------------------------------------------------------------------- common words
    def _filter_common(self, norm: NormText, words: list[tuple[int, int]], starts: list[int], hits: list[_Hit]) -> None:
        """A name that is also an ordinary word needs a cue, a near/direction word, admin context or a partner."""
        text = norm.text
        for k, h in enumerate(hits):
            if not h.common or h.cue is not None or h.near:
                continue
            h.keep = False
            nxt = hits[k + 1] if k + 1 < len(hits) else None
            prv = hits[k - 1] if k > 0 else None
            # admin context right after: "X بريف إدلب", "X في ريف حلب", "X شمال حمص"
            if nxt is not None and nxt.start - h.end <= 8 and not nxt.common:
                gap = text[h.end : nxt.start]
                if "\n" not in gap and (nxt.cue in self.lex.admin_cues or nxt.near or gap.strip() in ("في", "ب", "")):
                    if self._shares_area(h, nxt):
                        h.keep = True
                        continue
            # coordination with a sure place of the same area: "نبل والزهراء", "الفوعة وكفريا"
            for other in (prv, nxt):
                if other is None or other.common:
                    continue
                lo, hi = (other.end, h.nstart) if other.nstart < h.nstart else (h.end, other.start)
                gap = text[lo:hi].strip()
                joined = gap in ("و", "،", ",") or (
                    other.nstart > h.nstart and text[other.nstart - 1 : other.nstart] == "و" and gap == ""
                )
                if (joined or gap == "") and self._shares_area(h, other, level="adm2"):
                    h.keep = True
                    break

    def _shares_area(self, a: _Hit, b: _Hit, level: str = "adm1") -> bool:
        pa = [self.gaz.places[i] for i, _ in a.payloads]
        pb = [self.gaz.places[i] for i, _ in b.payloads]
        codes_b = {getattr(p, level) or p.pcode for p in pb} | {p.pcode for p in pb if p.is_admin}
        codes_b |= {p.adm1 for p in pb if p.level == "governorate"}
        for p in pa:
            if getattr(p, level) in codes_b or p.adm1 in codes_b:
                return True
        return False

    # ------------------------------------------------------------------------------------------- output
    def _mention(self, doc: Document, norm: NormText, h: _Hit) -> Mention:
        start, end = norm.to_original(h.start, h.end)
        nstart, nend = norm.to_original(h.nstart, h.nend)
        places: list[tuple[Place, str]] = [(self.gaz.places[i], kind) for i, kind in h.payloads]
        exact = any(kind in EXACT_KINDS for _, kind in places)
        value: dict[str, Any] = {
            "candidates": [p.candidate(kind) for p, kind in places],
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
