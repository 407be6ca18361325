"""Stage "actors": who does what — `actor` mentions (docs/mentions.md) from the actor dictionary, patterns and
generic agent words.

Four passes over the folded text (``rasd.text.normalize``), all mapped back to original offsets:

1. dictionary: every alias of ``resources/data/actors.json`` through one clitic-tolerant Aho-Corasick
   :class:`~rasd.text.match.Lexicon`, together with the generic agent words (مدنيين، متظاهرين، مسلحون مجهولون...,
   ``lang/ar/generic_agents.json``) and blocking phrases (الدفاع المدني); longest match wins. Aliases written with
   the article also match after ``لل`` ("للتنظيم", "للجيش السوري"). Weak aliases (النظام، المعارضة) only count when
   no definite word modifies them; back-references (التنظيم، الغرفة، الحزب، التحالف) resolve to the latest actor
   they can refer to, or are dropped;
2. patterns (``lang/ar/actor_patterns.json``): a group head in construct state + a name
   ("غرفة عمليات دحر الغزاة", "لواء شهداء الإسلام"), for groups no dictionary knows;
3. heads: "عناصر من تنظيم الدولة", "مسلحي التنظيم", "طائرات حربية تابعة للتحالف" take the named actor's identity
   over the whole phrase;
4. values: ACLED name, inter, country, type, ``generic`` and ``pattern`` flags.

Time and country (issue 15): the same words name different actors by period and country. The stage reads the
document's ``meta.published`` date and its dominant country (weighted country cues of ``lang/ar/country_cues.json``:
names, adjectives, capitals and the places news names most; a sentence that names one country only uses it first)
and resolves each ambiguous alias with :func:`rasd.resources.actors.choose_sense`: "الجيش السوري" in a 2025 story is
"Military Forces of Syria (2024-)", "الجيش الوطني" in a Yemeni story is Yemen's army, "قوى الأمن الداخلي" in a
Lebanese one is Lebanon's police. Period names ("Military Forces of Israel (2022-)") and generic names ("Civilians
(Sudan)") use the same date and country; unattributed aircraft and bare "الجيش" / "قوات الأمن" with no antecedent
become the state force of the story's country in office on that date.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import regex

from ..budget import check_mentions
from ..document import Document, Mention, Span
from ..lang import load
from ..resources.actors import Actor, ActorDB, Alias, choose_sense, load_actors
from ..text.match import Lexicon, Match
from ..text.normalize import NormText, is_clitic_prefix, norm_of, normalize, normalize_key

log = logging.getLogger(__name__)

_WORD = regex.compile(r"[\p{L}\p{N}]+")
_QUOTES = frozenset("\"'«»“”„")
SOURCE = "actors"

# payload kinds in the combined lexicon
_ALIAS, _WEAK, _BACKREF, _GENERIC, _BLOCK = "a", "w", "b", "g", "x"
_PATTERN_HEAD, _MERGE_HEAD, _COUNTRY = "p", "h", "c"  # positions only, not mentions
_SENTENCE_END = regex.compile(r"[.!?؟\n]")
_PRIORITY = {_BLOCK: 0, _ALIAS: 1, _GENERIC: 2, _BACKREF: 3, _WEAK: 4}


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str  # a / w / b / g / x
    ref: str  # actor id, generic agent id, or "" for blockers
    score: float
    need_ll: bool = False  # article dropped from the key: only valid after لل ("للتنظيم")
    alias: Alias | None = None  # the dictionary sense (plain and weak aliases)


@dataclass(slots=True)
class _Hit:
    """A candidate mention on the folded text."""

    nstart: int
    nend: int
    kind: str  # alias / weak / backref / generic / pattern / merged
    actor_id: str | None
    value: dict[str, Any]
    score: float
    key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    senses: tuple[Alias, ...] = ()  # every sense of the alias matched (resolved by date and country)


@dataclass(frozen=True, slots=True)
class Context:
    """When and where a document is: its published date and its dominant country (None when unknown), plus the
    folded positions of country cues, for the sentence-level country of a mention."""

    on: date | None
    country: str | None
    cues: tuple[tuple[int, str], ...] = ()  # (folded position, country), text order
    ends: tuple[int, ...] = ()  # folded positions of sentence ends

    def country_at(self, pos: int) -> str | None:
        """The one country the sentence around ``pos`` names, or None (none or several)."""
        if not self.cues:
            return None
        i = bisect.bisect_left(self.ends, pos)
        lo = self.ends[i - 1] if i > 0 else -1
        hi = self.ends[i] if i < len(self.ends) else 1 << 60
        named: set[str] = set()
        # the cues of this sentence only: slicing to the end of the list made long documents quadratic (#17)
        for k in range(bisect.bisect_right(self.cues, (lo, "")), len(self.cues)):
            p, c = self.cues[k]
            if p >= hi:
                break
            named.add(c)
        return next(iter(named)) if len(named) == 1 else None


def folded_words(doc: Document, norm: NormText) -> list[tuple[int, int]]:
    """Word ranges of the folded text, computed once per document (shared by the actors and sources stages)."""
    cached = doc.cache.get("norm_words")
    if cached is not None and cached[0] is norm:
        words: list[tuple[int, int]] = cached[1]
        return words
    words = [(m.start(), m.end()) for m in _WORD.finditer(norm.text)]
    doc.cache["norm_words"] = (norm, words)
    return words


def _strip_article_key(key: str) -> str | None:
    if key.startswith("ال") and len(key) > 4 and key[2] != " ":
        return key[2:]
    return None


class ActorRecognizer:
    """Stage: appends ``actor`` mentions. ``default_country`` names generic actors ("Civilians (Syria)")."""

    name = "actors"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("mentions:actor",)

    def __init__(self, db: ActorDB | None = None, *, default_country: str = "Syria") -> None:
        self.db = db or load_actors()
        self.default_country = default_country
        agents = load("ar", "generic_agents")
        patterns = load("ar", "actor_patterns")
        self.agents: dict[str, dict[str, Any]] = {a["id"]: a for a in agents["agents"]}
        self.lexicon: Lexicon[_Entry] = Lexicon()
        for alias in self.db.aliases:
            kind = {"a": _ALIAS, "w": _WEAK, "b": _BACKREF}[alias.kind]
            sense = alias if kind != _BACKREF else None
            self.lexicon.add(alias.key, _Entry(kind, alias.actor_id, alias.score, alias=sense))
            bare = _strip_article_key(alias.key)
            if bare is not None:
                self.lexicon.add(bare, _Entry(kind, alias.actor_id, alias.score, need_ll=True, alias=sense))
        cues = load("ar", "country_cues")
        weights: dict[str, float] = cues.get("weights", {})
        for country, words in cues["countries"].items():
            for w in words:
                self.lexicon.add(w, _Entry(_COUNTRY, country, float(weights.get(country, 1.0))))
        for w, by_country in cues.get("ambiguous", {}).items():
            for country, weight in by_country.items():
                self.lexicon.add(w, _Entry(_COUNTRY, country, float(weight)))
        for agent in agents["agents"]:
            for form in agent["forms"]:
                self.lexicon.add(form, _Entry(_GENERIC, agent["id"], float(agent.get("score", 0.6))))
                bare = _strip_article_key(normalize_key(form))
                if bare is not None and len(bare) > 4:
                    self.lexicon.add(
                        bare, _Entry(_GENERIC, agent["id"], float(agent.get("score", 0.6)), need_ll=True)
                    )
        for phrase in agents["blockers"]:
            self.lexicon.add(phrase, _Entry(_BLOCK, "", 0.0))
        self.heads = frozenset(normalize_key(w) for w in agents["heads"])
        # context rules: a generic agent near a cue becomes another agent (people at a sit-in are protesters)
        self.context_rules: list[tuple[frozenset[str], str, int, frozenset[str]]] = [
            (
                frozenset(r["from"]),
                r["to"],
                int(r.get("window", 60)),
                frozenset(normalize_key(c) for c in r["cues"]),
            )
            for r in agents.get("context", [])
        ]
        self.modifiers = frozenset(normalize_key(w) for w in agents["modifiers"])
        self.connectors = frozenset(normalize_key(w) for w in agents["connectors"])
        self.linkers = frozenset(normalize_key(w) for w in agents["linkers"])
        # patterns: heads as tuples of folded words, longest first
        self.pattern_heads: list[tuple[tuple[str, ...], dict[str, Any]]] = sorted(
            ((tuple(normalize_key(p["head"]).split()), p) for p in patterns["heads"]),
            key=lambda x: -len(x[0]),
        )
        self.head_first: dict[str, list[tuple[tuple[str, ...], dict[str, Any]]]] = {}
        for head, spec in self.pattern_heads:
            self.head_first.setdefault(head[0], []).append((head, spec))
        # candidate positions of head words (clitic-tolerant, fast)
        # head words ride in the same automaton (one pass over the text): kinds "p" and "h"
        for w in self.head_first:
            self.lexicon.add(w, _Entry(_PATTERN_HEAD, "", 0.0))
        for w in self.heads:
            self.lexicon.add(w, _Entry(_MERGE_HEAD, "", 0.0))
        self.stop_words = frozenset(normalize_key(w) for w in patterns["stop_words"])
        self.bad_first = {
            normalize_key(k) if k != "*" else k: frozenset(normalize_key(w) for w in v)
            for k, v in patterns["bad_first"].items()
        }
        self.max_name_chars = int(patterns.get("max_name_chars", 40))
        self.pattern_backrefs = {
            normalize_key(p["backref"]): normalize_key(p["head"])
            for p in patterns["heads"]
            if p.get("backref")
        }
        # "التنظيم" alone: IS, or AQAP in a Yemeni story; "@mil" / "@police": the state force of the story's country
        self.backref_defaults: dict[str, dict[str, str]] = {
            normalize_key(k): v if isinstance(v, dict) else {"*": v}
            for k, v in patterns.get("backref_defaults", {}).items()
        }
        self.max_backref_chars = int(patterns.get("max_backref_chars", 4000))
        self.name_starts = frozenset(normalize_key(w) for w in patterns.get("name_starts", []))
        # exact phrase -> actor id, for pattern look-ups ("غرفة عمليات" + name)
        self.exact: dict[str, str] = {a.key: a.actor_id for a in self.db.aliases if a.kind == "a"}
        self.lexicon.find(normalize(""))  # build the automaton now, not on the first document

    # ------------------------------------------------------------------ public

    def __call__(self, doc: Document) -> Document:
        norm = norm_of(doc)
        published = doc.meta.published
        if isinstance(published, datetime):
            published = published.date()
        ctx_box: list[Context] = []
        hits = self.find(norm, folded_words(doc, norm), on=published, context_out=ctx_box)
        ctx = ctx_box[0]
        doc.cache["actor_context"] = ctx
        check_mentions(doc, len(hits), self.name)
        doc.mentions.extend(self._to_mention(doc, norm, h, ctx) for h in hits)
        return doc

    def find(
        self,
        norm: NormText,
        words: list[tuple[int, int]] | None = None,
        *,
        on: date | None = None,
        country: str | None = None,
        context_out: list[Context] | None = None,
    ) -> list[_Hit]:
        """Actor hits on the folded text, final (non-overlapping, in text order). ``on``: the document's date;
        ``country``: its country when known (else the dominant country of its cues); ``context_out`` receives the
        :class:`Context` used."""
        text = norm.text
        if words is None:
            words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        hits, pattern_at, merge_at, cues = self._dictionary(norm)
        ctx = self._context(text, cues, on, country)
        if context_out is not None:
            context_out.append(ctx)
        hits = self._resolve_senses(hits, ctx)
        hits.extend(self._patterns(norm, words, hits, pattern_at))
        hits.sort(key=lambda h: h.nstart)
        hits = self._merge_heads(norm, words, hits, merge_at)
        hits = self._resolve_backrefs(hits, ctx)
        if self.context_rules:
            self._apply_context(text, hits)
        return hits

    # ---------------------------------------------------------- time, place

    @staticmethod
    def _context(
        text: str, cues: list[tuple[int, str, float]], on: date | None, country: str | None
    ) -> Context:
        """The document's dominant country: the highest total cue weight, when it leads the next one."""
        if country is None and cues:
            totals: dict[str, float] = {}
            for _, c, w in cues:
                totals[c] = totals.get(c, 0.0) + w
            ranked = sorted(totals.items(), key=lambda x: -x[1])
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                country = ranked[0][0]
        strong = tuple(sorted((p, c) for p, c, w in cues if w >= 0.5))
        ends = tuple(m.start() for m in _SENTENCE_END.finditer(text)) if strong else ()
        return Context(on, country, strong, ends)

    def _countries(self, ctx: Context, pos: int) -> list[str | None]:
        return [ctx.country_at(pos), ctx.country]

    def _resolve_senses(self, hits: list[_Hit], ctx: Context) -> list[_Hit]:
        """Pick the sense of every alias by the date and country; drop an alias none of whose senses holds here
        ("حركة الشباب" outside Somalia); unattributed aircraft become the state air force of the story's country."""
        out: list[_Hit] = []
        for h in hits:
            if h.senses and (
                len(h.senses) > 1 or h.senses[0].countries or h.senses[0].since or h.senses[0].until
            ):
                sense = choose_sense(h.senses, self.db.actors, ctx.on, self._countries(ctx, h.nstart))
                if sense is None:
                    continue
                if sense.actor_id != h.actor_id or len(h.senses) > 1:
                    h.extra["senses"] = sorted({s.actor_id for s in h.senses})
                h.actor_id = sense.actor_id
            if h.actor_id is not None and self.db.get(h.actor_id).unattributed:
                here = ctx.country_at(h.nstart) or ctx.country or self.db.get(h.actor_id).country
                force = self.db.state_force(here, "mil", ctx.on) if here else None
                if force is not None:
                    h.extra["unattributed"] = True
                    h.actor_id = force.id
            out.append(h)
        return out

    def _apply_context(self, text: str, hits: list[_Hit]) -> None:
        """Re-type generic agents by a cue nearby in the same sentence ("نفذ أكثر من ألف شخص اعتصاما")."""
        for h in hits:
            if h.kind != "generic":
                continue
            for sources, target, window, cues in self.context_rules:
                if h.value.get("agent") not in sources:
                    continue
                lo, hi = max(0, h.nstart - window), min(len(text), h.nend + window)
                for cut in (text.rfind(".", lo, h.nstart), text.rfind("\n", lo, h.nstart)):
                    if cut >= 0:
                        lo = max(lo, cut + 1)
                for cut in (text.find(".", h.nend, hi), text.find("\n", h.nend, hi)):
                    if cut >= 0:
                        hi = min(hi, cut)
                words = {normalize_key(w) for w in _WORD.findall(text[lo:hi])}
                words |= {w[1:] for w in words if w[:1] in "وبل"}
                if words & cues:
                    h.value = {**h.value, "agent": target, "context": True}
                    break

    # ------------------------------------------------------------- dictionary

    def _dictionary(
        self, norm: NormText
    ) -> tuple[list[_Hit], list[int], list[int], list[tuple[int, str, float]]]:
        """Dictionary hits, the folded positions of pattern heads and merge heads (no article before them), and the
        country cues (position, country, weight)."""
        text = norm.text
        raw: list[tuple[Match[_Entry], _Entry, tuple[Alias, ...]]] = []
        pattern_at: list[int] = []
        merge_at: list[int] = []
        cues: list[tuple[int, str, float]] = []
        for m in self.lexicon.find(norm, longest=False):
            heads_ok = "ال" not in m.prefix and not m.prefix.endswith("لل")
            entries = []
            for e in m.payloads:
                if e.kind == _COUNTRY:
                    if "ال" not in m.prefix or m.key.startswith("ال"):
                        cues.append((m.nstart, e.ref, e.score))
                elif e.kind == _PATTERN_HEAD:
                    if heads_ok:
                        pattern_at.append(m.nstart)
                elif e.kind == _MERGE_HEAD:
                    if heads_ok:
                        merge_at.append(m.nstart)
                elif not e.need_ll or m.prefix.endswith("لل"):
                    entries.append(e)
            if not entries:
                continue
            if any(e.need_ll for e in entries) and m.prefix.endswith("لل"):
                entries = [e for e in entries if e.need_ll] or entries
            best = min(entries, key=lambda e: (_PRIORITY[e.kind], -e.score))
            senses = tuple(
                e.alias
                for e in entries
                if e.alias is not None and e.kind == best.kind and e.need_ll == best.need_ll
            )
            raw.append((m, best, senses))
        # longest match first; ties: priority
        raw.sort(key=lambda x: (-(x[0].nend - x[0].nstart), _PRIORITY[x[1].kind], x[0].nstart))
        taken: list[tuple[Match[_Entry], _Entry, tuple[Alias, ...]]] = []
        used = bytearray(len(text) + 1)
        for m, e, senses in raw:
            if used.find(1, m.nstart, m.nend) >= 0:
                continue
            taken.append((m, e, senses))
            used[m.nstart : m.nend] = b"\x01" * (m.nend - m.nstart)
        hits: list[_Hit] = []
        for m, e, senses in taken:
            if e.kind == _BLOCK:
                continue
            if e.kind == _WEAK and self._modified(text, m.nend):
                continue
            if e.kind == _GENERIC:
                if "ال" in m.prefix:
                    continue  # "الإعلامي", "الإرهابي": an adjective, not the agent noun (definite forms are listed)
                hits.append(self._generic_hit(m.nstart, m.nend, e, m.key))
                continue
            kind = {"a": "alias", "w": "weak", "b": "backref"}[e.kind]
            # "للنظام": the article's lam is fused with the preposition; the span starts at the word
            nstart = m.nstart - 2 if e.need_ll else m.nstart
            hits.append(_Hit(nstart, m.nend, kind, e.ref, {}, e.score, key=m.key, senses=senses))
        # a weak alias right after another actor is its modifier: "الفصائل المقاتلة المعارضة للنظام"
        hits.sort(key=lambda h: h.nstart)
        kept: list[_Hit] = []
        for h in hits:
            if (
                h.kind == "weak"
                and kept
                and kept[-1].kind != "generic"
                and text[kept[-1].nend : h.nstart] == " "
            ):
                continue
            kept.append(h)
        return kept, sorted(set(pattern_at)), sorted(set(merge_at)), cues

    def _modified(self, text: str, nend: int) -> bool:
        """True when the next word is a definite word glued to nothing: "النظام الإيراني", "المعارضة السياسية"."""
        m = _WORD.search(text, nend, min(len(text), nend + 40))
        if m is None:
            return False
        gap = text[nend : m.start()]
        return gap.strip() == "" and m.group().startswith("ال") and len(m.group()) > 3

    def _generic_hit(self, nstart: int, nend: int, e: _Entry, key: str) -> _Hit:
        return _Hit(nstart, nend, "generic", None, {"agent": e.ref}, e.score, key=key)

    # --------------------------------------------------------------- patterns

    def _patterns(
        self, norm: NormText, words: list[tuple[int, int]], hits: list[_Hit], positions: list[int]
    ) -> list[_Hit]:
        text = norm.text
        covered = [False] * len(words)
        for h in hits:
            wi = self._word_index_at(words, h.nstart)
            while wi is not None and wi < len(words) and words[wi][0] < h.nend:
                covered[wi] = True
                wi += 1
        hit_starts = {h.nstart for h in hits}
        out: list[_Hit] = []
        wstarts = [w[0] for w in words]
        for pos in positions:
            i = bisect.bisect_right(wstarts, pos) - 1
            if i < 0 or covered[i]:
                continue
            found = self._pattern_at(text, words, covered, hit_starts, i)
            if found is None:
                continue
            hit, last = found
            out.append(hit)
            for k in range(i, last + 1):
                covered[k] = True
        return out

    def _head_at(
        self, text: str, words: list[tuple[int, int]], i: int
    ) -> tuple[int, dict[str, Any], int] | None:
        """(index of last head word, pattern spec, folded start without proclitic) when a head starts at word i."""
        first = text[words[i][0] : words[i][1]]
        for cut in range(min(4, len(first) - 1)):
            cands = self.head_first.get(first[cut:] if cut else first)
            if not cands:
                continue
            prefix = first[:cut]
            if prefix.endswith("ال") or prefix.endswith("لل") or not is_clitic_prefix(prefix):
                continue
            for head, spec in cands:
                ok = True
                for k in range(1, len(head)):
                    if (
                        i + k >= len(words)
                        or text[words[i + k][0] : words[i + k][1]] != head[k]
                        or not self._adjacent(text, words, i + k - 1)
                    ):
                        ok = False
                        break
                if ok:
                    return i + len(head) - 1, spec, words[i][0] + len(prefix)
        return None

    def _adjacent(self, text: str, words: list[tuple[int, int]], i: int, *, quotes: bool = False) -> bool:
        """Word i and word i+1 are separated by spaces only (and quote marks when ``quotes``)."""
        gap = text[words[i][1] : words[i + 1][0]]
        if quotes:
            gap = "".join(c for c in gap if c not in _QUOTES)
        return gap.strip() == "" and "\n" not in gap

    def _pattern_at(
        self, text: str, words: list[tuple[int, int]], covered: list[bool], hit_starts: set[int], i: int
    ) -> tuple[_Hit, int] | None:
        head = self._head_at(text, words, i)
        if head is None:
            return None
        last_head, spec, nstart = head
        head_key = normalize_key(spec["head"])
        max_words = int(spec.get("max_words", 3))
        bad = self.bad_first.get(head_key, frozenset()) | self.bad_first.get("*", frozenset())
        name_idx: list[int] = []
        k = last_head + 1
        while k < len(words) and len(name_idx) < max_words:
            if covered[k] and not name_idx:
                return None  # the head is followed by a known actor: the head word is generic ("جيش النظام")
            if covered[k] or not self._adjacent(text, words, k - 1, quotes=True):
                break
            if name_idx and any(c in _QUOTES for c in text[words[k - 1][1] : words[k][0]]):
                break  # a quoted name ends at its closing quote: «بركان الفرات» السورية
            w = text[words[k][0] : words[k][1]]
            if not name_idx and w.startswith("و") and len(w) > 3:
                return None  # "تجمع ووحدات": a conjunction, not a name
            if name_idx and w.startswith("و") and len(w) > 2:
                break  # conjunction: "فتح حلب وجيش الفتح"
            if w in self.stop_words or (w.isdigit() and not spec.get("digits_ok")):
                break
            if not name_idx and (w in bad or (w.startswith("ال") and w[2:] in bad)):
                return None
            if not name_idx and w.isdigit() and len(w) > 4:
                return None
            if text[words[k][0] : words[k][1]].isascii() and not w.isdigit():
                break
            name_idx.append(k)
            if words[k][1] - words[name_idx[0]][0] > self.max_name_chars:
                name_idx.pop()
                break
            k += 1
        if not name_idx:
            return None
        if spec.get("strict"):
            first = text[words[name_idx[0]][0] : words[name_idx[0]][1]]
            quoted = any(c in _QUOTES for c in text[words[last_head][1] : words[name_idx[0]][0]])
            if (
                not quoted
                and first not in self.name_starts
                and not (first.isdigit() and spec.get("digits_ok"))
            ):
                return None  # "حركة البضائع", "تنظيم المعرض": the head in its common-noun sense
        name_key = " ".join(text[words[x][0] : words[x][1]] for x in name_idx)
        # the dictionary may know the group under its canonical head ("غرفتي أنصار الشريعة")
        actor_id = None
        lookup = spec.get("lookup")
        for cut in range(len(name_idx), 0, -1):
            cand = " ".join(text[words[x][0] : words[x][1]] for x in name_idx[:cut])
            for key in ([normalize_key(lookup) + " " + cand] if lookup else []) + [head_key + " " + cand]:
                if key in self.exact:
                    actor_id = self.exact[key]
                    name_idx = name_idx[:cut]
                    name_key = cand
                    break
            if actor_id:
                break
        if spec.get("needs_lookup") and actor_id is None:
            return None
        nend = words[name_idx[-1]][1]
        # keep a closing quote of a quoted name inside the span: «ثوار سوريا»
        if (
            nend < len(text)
            and text[nend] in _QUOTES
            and text[words[last_head][1] : words[name_idx[0]][0]].strip()
        ):
            nend += 1
        value = {
            "pattern_head": spec["head"],
            "pattern_name": name_key,
            "inter": spec.get("inter"),
            "type": spec.get("type", "unknown"),
        }
        hit = _Hit(
            nstart,
            nend,
            "pattern",
            actor_id,
            value,
            float(spec.get("score", 0.6)),
            key=f"{head_key} {name_key}",
        )
        return hit, name_idx[-1]

    # ------------------------------------------------------------------ heads

    def _merge_heads(
        self, norm: NormText, words: list[tuple[int, int]], hits: list[_Hit], positions: list[int]
    ) -> list[_Hit]:
        """Give "عناصر من تنظيم الدولة" / "طائرات حربية تابعة للتحالف" the identity of the actor they name."""
        text = norm.text
        # which hit starts inside which word (a hit may start after a clitic: "للتحالف")
        hit_in_word: dict[int, int] = {}
        for idx, h in enumerate(hits):
            wi = self._word_index_at(words, h.nstart)
            if wi is not None:
                hit_in_word.setdefault(wi, idx)
        drop: set[int] = set()
        merged: list[_Hit] = []
        wstarts = [w[0] for w in words]
        hit_starts = [h.nstart for h in hits]  # hits are sorted by start (see find)
        for pos in positions:
            wi = bisect.bisect_right(wstarts, pos) - 1
            if wi < 0:
                continue
            s, e = words[wi]
            w = text[s:e]
            head_prefix = ""
            if w not in self.heads:
                for cut in range(1, min(4, len(w) - 1)):
                    prefix, stem = w[:cut], w[cut:]
                    if stem in self.heads and not prefix.endswith("ال") and is_clitic_prefix(prefix):
                        head_prefix, w = prefix, stem
                        break
                else:
                    continue
            nstart = s + len(head_prefix)
            linked = False
            k = wi + 1
            for _ in range(5):
                if k >= len(words) or not self._adjacent(text, words, k - 1, quotes=True):
                    break
                found = hit_in_word.get(k)
                if found is not None and self._nameable(hits[found]):
                    idx = found
                    target = hits[idx]
                    glued = text[words[k][0] : target.nstart]
                    lam = glued.endswith("ل") or (not glued and text[words[k][0] : words[k][0] + 2] == "لل")
                    if (glued or linked) and not lam:  # "مواقع لتنظيم داعش", "تابعة للتحالف"; not "وتنظيم"
                        break
                    first = bisect.bisect_left(hit_starts, nstart)
                    last = bisect.bisect_right(hit_starts, target.nstart)
                    inner = [
                        x
                        for x in range(first, last)
                        if x != idx
                        and hits[x].nend <= target.nstart  # so nstart <= h.nstart <= target.nstart
                    ]
                    if any(self._nameable(hits[x]) for x in inner):
                        break
                    drop.update(inner)
                    drop.add(idx)
                    new = _Hit(
                        nstart,
                        target.nend,
                        target.kind,
                        target.actor_id,
                        dict(target.value),
                        target.score,
                        key=target.key,
                    )
                    new.extra.update(target.extra)
                    new.senses = target.senses
                    new.extra["head"] = w
                    merged.append(new)
                    break
                nxt = text[words[k][0] : words[k][1]]
                if nxt in self.linkers:
                    linked = True
                elif nxt not in self.modifiers and nxt not in self.connectors:
                    break
                k += 1
        if not merged:
            return hits
        out = [h for x, h in enumerate(hits) if x not in drop] + merged
        out.sort(key=lambda h: (h.nstart, -(h.nend - h.nstart)))
        final: list[_Hit] = []
        for h in out:
            if final and h.nstart < final[-1].nend:
                continue
            final.append(h)
        return final

    def _nameable(self, h: _Hit) -> bool:
        """A hit that names an actor (not a generic word, not an unattributed "طائرات حربية")."""
        if h.kind == "generic" or h.extra.get("unattributed"):
            return False
        if h.actor_id is not None and self.db.get(h.actor_id).unattributed:
            return False
        return True

    @staticmethod
    def _word_index_at(words: list[tuple[int, int]], pos: int) -> int | None:
        lo, hi = 0, len(words)
        while lo < hi:
            mid = (lo + hi) // 2
            if words[mid][1] <= pos:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(words) and words[lo][0] <= pos < words[lo][1]:
            return lo
        return None

    # -------------------------------------------------------------- backrefs

    def _resolve_backrefs(self, hits: list[_Hit], ctx: Context) -> list[_Hit]:
        out: list[_Hit] = []
        seen: list[_Hit] = []  # resolved, named actors so far (text order)
        for h in hits:
            if h.kind == "backref":
                key = self._backref_key(h.key)
                cands = set(self.db.backrefs.get(key, ()))
                target: _Hit | None = None
                for prev in reversed(seen):
                    if h.nstart - prev.nend > self.max_backref_chars:
                        break
                    if prev.actor_id in cands:
                        target = prev
                        break
                    if prev.kind == "pattern" and self.pattern_backrefs.get(key) == normalize_key(
                        prev.value.get("pattern_head", "")
                    ):
                        target = prev
                        break
                if target is None:
                    # pattern back-reference with no pattern actor seen: "الغرفة" alone is not an actor
                    default = self._backref_default(key, ctx, h.nstart)
                    if default is None:
                        continue
                    h.actor_id = default
                    h.score = min(h.score, 0.5)
                else:
                    h.actor_id = target.actor_id
                    if target.kind == "pattern":
                        h.value = dict(target.value)
                        h.kind = "pattern"
                        h.extra["backref"] = True
                    h.score = min(h.score, 0.8)
                h.extra["backref"] = True
                out.append(h)
                continue
            out.append(h)
            if h.kind != "generic":
                seen.append(h)
        # a pattern-only back-reference word (الغرفة) that is also not in the dictionary is handled by the
        # pattern pass never matching it; nothing else to do
        return out

    def _backref_key(self, key: str) -> str:
        return key

    def _backref_default(self, key: str, ctx: Context, pos: int) -> str | None:
        """The actor a back-reference with no antecedent names in this story, or None (dropped)."""
        rule = self.backref_defaults.get(key)
        if rule is None and " " in key:
            # "طيران التحالف", "طائرات التحالف": the head word's back-reference decides ("التحالف")
            rule = self.backref_defaults.get(key.rsplit(" ", 1)[1])
        if rule is None:
            return None
        here = ctx.country_at(pos) or ctx.country
        target = rule.get(here or "", rule.get("*"))
        if target is None or not target.startswith("@"):
            return target
        if here is None:
            return None  # "الجيش" alone in a story of no known country: no guess
        force = self.db.state_force(here, target[1:], ctx.on)
        return force.id if force is not None else None

    # ---------------------------------------------------------------- values

    @staticmethod
    def _actor_value(actor: Actor, on: date | None) -> dict[str, Any]:
        """The mention value of a dictionary actor: its ACLED name in the story's period."""
        value: dict[str, Any] = {
            "name": actor.name_on(on),
            "inter": actor.inter,
            "country": actor.country,
            "type": actor.type,
            "generic": False,
            "pattern": False,
        }
        if actor.inter_abroad is not None:
            value["inter_abroad"] = actor.inter_abroad
        if actor.names_by_country:
            value["names_by_country"] = dict(actor.names_by_country)
        if actor.names_by_year:
            value["names_by_year"] = [list(x) for x in actor.names_by_year]
        if actor.names_by_date:
            value["names_by_date"] = [
                [lo.isoformat() if lo else None, hi.isoformat() if hi else None, n]
                for lo, hi, n in actor.names_by_date
            ]
        return value

    def _to_mention(self, doc: Document, norm: NormText, h: _Hit, ctx: Context | None = None) -> Mention:
        ctx = ctx or Context(None, None)
        start, end = norm.to_original(h.nstart, h.nend)
        span = Span(start, end, doc.text[start:end])
        here = ctx.country_at(h.nstart) or ctx.country
        value: dict[str, Any]
        entry: str | None = None
        if h.kind == "generic":
            agent = self.agents[h.value["agent"]]
            name = agent.get("name")
            country = here or self.default_country
            value = {
                "name": name.format(country=country) if name else None,
                "inter": agent.get("inter"),
                "country": country if name and "{country}" in name else None,
                "type": agent.get("type", "unknown"),
                "generic": True,
                "pattern": False,
                "agent": agent["id"],
            }
            if name and "{country}" in name:
                value["name_template"] = name
            entry = None
        elif h.actor_id is not None:
            actor = self.db.get(h.actor_id)
            # the period name of the document's date; a country-specific name ("Islamic State (Iraq)") is the
            # event's country's, left to the event coder (names_by_country)
            value = self._actor_value(actor, ctx.on)
            if actor.unattributed or h.extra.get("unattributed"):
                value["unattributed"] = True
            if h.kind == "weak":
                value["weak"] = True
            if h.extra.get("senses"):
                value["senses"] = list(h.extra["senses"])
            entry = actor.id
        else:  # pattern, unknown group
            value = {
                "name": None,
                "inter": h.value.get("inter"),
                "country": here or self.default_country,
                "type": h.value.get("type", "unknown"),
                "generic": False,
                "pattern": True,
            }
        value["resolved_on"] = ctx.on.isoformat() if ctx.on else None
        value["context_country"] = here
        if h.kind == "pattern":
            value["pattern"] = True
            value["pattern_head"] = h.value.get("pattern_head")
            value["pattern_name"] = h.value.get("pattern_name")
        if h.extra.get("head"):
            value["head"] = h.extra["head"]
        if h.extra.get("backref"):
            value["backref"] = True
        value["key"] = h.key
        return Mention("actor", span, value, entry=entry, source=SOURCE, score=h.score)
