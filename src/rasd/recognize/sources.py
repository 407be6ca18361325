"""Stage "sources": who says it — `source` mentions (docs/mentions.md) with the reporting verb and its scope.

A source is a speaker (``lang/ar/sources.json``: the SOHR monitor, SANA, activists, local sources, officials,
a party's statement or spokesman) or any named conflict actor found by the "actors" stage, tied to a reporting verb
or phrase (``lang/ar/reporting_verbs.json``: قال، أعلنت، أفاد، بحسب، نقلا عن، اتهم، نفى، زعم، تبنى ...):

* verb first (VSO, the usual news order): "أفاد المرصد السوري ...", "أعلنت غرفة عمليات ...", time words may
  stand between ("قال المرصد أمس الاثنين إن");
* subject first: "«المرصد السوري لحقوق الإنسان» أعلن أمس أن ...";
* "according to" phrases: "..., حسب البيان." scopes over the sentence before it; "وبحسب المرصد، ..." over the rest;
* continuation: a participle or a bare verb with no subject ("مؤكدة أن", "وأضاف") continues the last speaker of
  the same or previous sentence;
* statements: "وأشار البيان إلى أن ..." takes the party that issued the statement (the latest party speaker, or the
  actor after it: "بيان لقوة المهام المشتركة"); "المتحدث باسم جيش الفتح" takes the actor after it.

``scope`` is the reported content: from after the speaker (and a complementizer أن/إن/بأن/إلى أن or a colon) to the
end of the sentence, extended to the closing quote when the quotation runs on. The event coder reads verb_type
(say, announce, confirm, report, accuse, deny, claim, according_to) and the party to set modality and attributed_to.
"""

from __future__ import annotations

import bisect
import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

import regex

from ..document import Document, Mention, Span
from ..lang import load
from ..recognize.actors import folded_words
from ..resources.actors import ActorDB, load_actors
from ..text.match import Lexicon
from ..text.normalize import NormText, norm_of, normalize, normalize_key
from ..text.segment import sentences as split_sentences

log = logging.getLogger(__name__)

_WORD = regex.compile(r"[\p{L}\p{N}]+")
_OPEN_QUOTES = '«"“'
_CLOSE_FOR = {"«": "»", '"': '"', "“": "”"}
SOURCE = "sources"
_VERB_PREFIXES = frozenset({"", "و", "ف"})
_MAX_QUOTE = 1500
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي", "اللاتي"})


@dataclass(frozen=True, slots=True)
class _SrcEntry:
    id: str
    type: str
    actor: str | None = None
    statement: bool = False
    spokesman: bool = False


@dataclass(slots=True)
class _Speaker:
    """A candidate speaker on the folded text: a source-lexicon phrase or an actor mention."""

    nstart: int
    nend: int
    id: str | None
    type: str
    actor_id: str | None = None
    actor_name: str | None = None
    statement: bool = False
    spokesman: bool = False
    from_actor: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Verb:
    nstart: int
    nend: int
    key: str
    type: str


class SourceRecognizer:
    """Stage: appends ``source`` mentions (after the "actors" stage, whose mentions it uses as party speakers)."""

    name = "sources"
    requires: tuple[str, ...] = ("text", "mentions:actor")
    provides: tuple[str, ...] = ("mentions:source",)

    def __init__(self, db: ActorDB | None = None) -> None:
        self.db = db or load_actors()
        data = load("ar", "sources")
        verbs = load("ar", "reporting_verbs")
        self.sources: Lexicon[_SrcEntry] = Lexicon()
        for src in data["sources"]:
            entry = _SrcEntry(src["id"], src["type"], src.get("actor"), bool(src.get("statement", False)))
            for form in src["forms"]:
                self.sources.add(form, entry)
        spk = data["spokesman"]
        for form in spk["forms"]:
            self.sources.add(form, _SrcEntry("spokesman", spk.get("type", "party"), spokesman=True))
        self.outlet_heads = frozenset(normalize_key(w) for w in data.get("outlet_heads", []))
        self.verbs: Lexicon[str] = Lexicon()
        for vtype, forms in verbs["verbs"].items():
            for form in forms:
                self.verbs.add(form, vtype)
        self.claim_cues = frozenset(normalize_key(w) for w in verbs["claim_cues"])
        self.skip = frozenset(normalize_key(w) for w in verbs["skip"])
        self.complementizers = sorted(
            (normalize_key(w) for w in verbs["complementizers"]), key=lambda w: -len(w)
        )
        self.complementizer_words = frozenset(
            w for w in self.complementizers if " " not in w and w not in ("عن", "ب")
        )
        self.complementizers_2 = frozenset(w.split()[0] for w in self.complementizers if " " in w)
        self.max_intro_words = int(verbs.get("max_intro_words", 12))
        self.continuation = frozenset(normalize_key(w) for w in verbs["continuation"])
        self.max_gap = int(verbs.get("max_gap_words", 4))
        self.statement_window = int(data.get("statement_window_sentences", 3))
        self.sources.find(normalize(""))  # build the automata now, not on the first document
        self.verbs.find(normalize(""))
        self.backward = frozenset(normalize_key(w) for w in verbs.get("backward_forms", []))
        self.vso_only = frozenset(normalize_key(w) for w in verbs.get("vso_only", []))

    # ------------------------------------------------------------------ public

    def __call__(self, doc: Document) -> Document:
        norm = norm_of(doc)
        sents = doc.sentences or split_sentences(doc.text)
        doc.mentions.extend(self.find(doc, norm, sents))
        return doc

    def find(self, doc: Document, norm: NormText, sents: list[Span]) -> list[Mention]:
        text = norm.text
        words = folded_words(doc, norm)
        wstarts = [s for s, _ in words]
        speakers = self._speakers(doc, norm)
        verbs = self._verbs(norm)
        sent_starts = [s.start for s in sents]
        out: list[Mention] = []
        last: tuple[_Speaker, int] | None = None  # last speaker and the index of its sentence
        last_party: _Speaker | None = None
        last_party_si = -10
        sp_by_start = sorted(speakers, key=lambda s: s.nstart)
        sp_starts = [s.nstart for s in sp_by_start]
        # running maximum of the speakers' ends: bisecting it finds the first speaker ending after a verb
        sp_max_end = list(itertools.accumulate((s.nend for s in sp_by_start), max))
        verb_starts = [v.nstart for v in verbs]
        used_verbs: set[int] = set()
        for vi, v in enumerate(verbs):
            if vi in used_verbs:
                continue
            ostart, oend = norm.to_original(v.nstart, v.nend)
            si = bisect.bisect_right(sent_starts, ostart) - 1
            sent = sents[si] if 0 <= si < len(sents) else Span(0, len(doc.text), doc.text)
            # subject first, at the head of its clause: "«المرصد السوري لحقوق الإنسان» أعلن أمس أن ..."
            first = None
            if v.type != "according_to" and v.key not in self.vso_only:
                first = self._subject_before(text, sp_by_start, v.nstart, strict=True, max_end=sp_max_end)
            # subject after the verb (skipping time words and a nested verb: "بحسب ما ذكر المرصد"); a participle
            # ("مؤكدة أن", "متهما التلفزيون") has no subject after it: what follows is its object
            participle = v.key in self.continuation and (v.key[:1] == "م" or v.key[-1:] in "اه")
            pos = v.nend if first is None and not participle else len(text)
            steps = 0
            nested: _Verb | None = None
            subject: _Speaker | None = None
            while steps <= self.max_gap:
                k = bisect.bisect_left(sp_starts, pos)
                wi = bisect.bisect_left(wstarts, pos)
                if wi >= len(words):
                    break
                nxt = words[wi][0]
                if self._crosses(text, pos, nxt):
                    break
                if k < len(sp_by_start) and nxt <= sp_by_start[k].nstart < words[wi][1]:
                    subject = sp_by_start[k]
                    break
                skip_end = self._skip_at(text, words, wi)
                if skip_end is not None:
                    pos = skip_end
                    steps += 1
                    continue
                nv = self._verb_at(verbs, nxt, verb_starts)
                if nv is not None and nested is None:
                    nested = verbs[nv]
                    used_verbs.add(nv)
                    pos = nested.nend
                    steps += 1
                    continue
                break
            if first is not None:
                subject = first
            vtype = v.type
            verb_key = v.key
            if nested is not None and vtype == "according_to":
                verb_key = f"{v.key} {nested.key}"
            elif nested is not None:
                vtype, verb_key = nested.type, nested.key
            continued = False
            if subject is None and vtype != "according_to" and v.key not in self.vso_only:
                subject = self._subject_before(text, sp_by_start, v.nstart, max_end=sp_max_end)
            if (
                subject is None
                and vtype != "according_to"
                and normalize_key(v.key) in self.continuation
                and last is not None
            ):
                if si - last[1] <= 1:
                    subject = last[0]
                    continued = True
            if subject is None:
                continue
            if (
                not continued
                and v.key in self.vso_only
                and not self._introduces_content(text, max(v.nend, subject.nend))
            ):
                continue  # "نقلت قوات الأمن المشتبهين": an ambiguous verb needs أن/إن/عن/a colon after its subject
            recent_party = last_party if si - last_party_si <= self.statement_window else None
            subject = self._complete(doc, norm, text, subject, sp_by_start, recent_party, sp_starts)
            if subject is None:
                continue
            s_ostart, s_oend = norm.to_original(subject.nstart, subject.nend)
            prev = sents[si - 1] if si >= 1 and si - 1 < len(sents) else None
            scope = self._scope(doc, norm, text, v, subject, vtype, sent, s_oend, oend, continued, prev)
            if vtype == "announce" and self._claim_cue(text, max(v.nend, subject.nend)):
                vtype = "claim"
            value: dict[str, Any] = {
                "name": text[subject.nstart : subject.nend],
                "type": subject.type,
                "verb": verb_key,
                "verb_type": vtype,
                "scope": list(scope),
                "verb_span": [ostart, oend],
                "actor": subject.actor_name,
                "actor_id": subject.actor_id,
                "statement": subject.statement,
                "continued": continued,
            }
            value.update(subject.extra)
            entry = subject.id if not subject.from_actor else subject.actor_id
            score = 0.9 if not continued else 0.7
            out.append(
                Mention(
                    "source",
                    Span(s_ostart, s_oend, doc.text[s_ostart:s_oend]),
                    value,
                    entry=entry,
                    source=SOURCE,
                    score=score,
                )
            )
            last = (subject, si)
            if subject.type == "party" and subject.actor_id:
                last_party = subject
                last_party_si = si
        out.extend(self._statement_sections(doc, norm, last_party, out))
        out.sort(key=lambda m: (m.start, (m.value.get("verb_span") or [0])[0]))
        return out

    # ---------------------------------------------------------------- lookups

    def _speakers(self, doc: Document, norm: NormText) -> list[_Speaker]:
        out: list[_Speaker] = []
        for m in self.sources.find(norm):
            e = m.payloads[0]
            for p in m.payloads:  # a named source beats a statement/spokesman reading of the same words
                if not p.spokesman and not p.statement:
                    e = p
                    break
            actor_name = self.db.actors[e.actor].name if e.actor and e.actor in self.db.actors else None
            nend = m.nend
            if m.key in self.outlet_heads:
                nend = self._outlet_name_end(norm.text, nend)
            out.append(_Speaker(m.nstart, nend, e.id, e.type, e.actor, actor_name, e.statement, e.spokesman))
        occ: dict[int, int] = {}  # folded position -> index in out of the source phrase covering it
        for idx, sp in enumerate(out):
            for pos in range(sp.nstart, sp.nend):
                occ[pos] = idx
        removed: set[int] = set()
        extra: list[_Speaker] = []
        for am in doc.mentions:
            if am.kind != "actor" or am.value.get("generic"):
                continue
            ns = bisect.bisect_left(norm.starts, am.start)
            ne = bisect.bisect_left(norm.starts, am.end)
            if ns >= ne:
                continue
            overlap = {occ[pos] for pos in range(ns, ne) if pos in occ}
            if overlap and all(out[i].nend - out[i].nstart >= ne - ns for i in overlap):
                continue  # a source phrase as long (وزارة الدفاع التركية) wins
            removed.update(overlap)
            sp = _Speaker(ns, ne, None, "party", am.entry, am.value.get("name"), from_actor=True)
            if am.value.get("pattern") and not am.entry:
                sp.extra["pattern_name"] = am.value.get("pattern_name")
            extra.append(sp)
        out = [sp for i, sp in enumerate(out) if i not in removed] + extra
        out.sort(key=lambda s: s.nstart)
        return out

    def _verbs(self, norm: NormText) -> list[_Verb]:
        out: list[_Verb] = []
        for m in self.verbs.find(norm):
            if m.prefix not in _VERB_PREFIXES:
                continue
            out.append(_Verb(m.nstart, m.nend, m.key, m.payloads[0]))
        return out

    def _skip_at(self, text: str, words: list[tuple[int, int]], i: int) -> int | None:
        """End of a skippable word or phrase at word i ("أمس الاثنين", "في بيان له"), or None."""
        s, e = words[i]
        w = text[s:e]
        if w[:1] == "و" and w[1:] in self.skip:
            w = w[1:]
        for n in (2, 1):
            if i + n < len(words):
                phrase = " ".join([w] + [text[a:b] for a, b in words[i + 1 : i + n + 1]])
                if (
                    phrase in self.skip
                    and text[e : words[i + n][0]].count(" ") == n
                    and "\n" not in text[e : words[i + n][0]]
                ):
                    return words[i + n][1]
        return e if w in self.skip else None

    @staticmethod
    def _verb_at(verbs: list[_Verb], pos: int, starts: list[int] | None = None) -> int | None:
        """Index of the verb starting at ``pos`` or one after it (verbs are in text order); ``starts``, the
        verbs' starts, makes it a bisection instead of a scan."""
        if starts is not None:
            i = bisect.bisect_left(starts, pos)
            return i if i < len(verbs) and starts[i] <= pos + 1 else None
        for i, v in enumerate(verbs):
            if v.nstart - 1 <= pos <= v.nstart:
                return i
            if v.nstart > pos:
                break
        return None

    @staticmethod
    def _crosses(text: str, a: int, b: int) -> bool:
        """Punctuation between two positions breaks the verb-subject link (quotes and spaces do not)."""
        gap = text[a:b]
        return any(c in ".,;:!?\n()[]" for c in gap)

    def _subject_before(
        self,
        text: str,
        speakers: list[_Speaker],
        vstart: int,
        *,
        strict: bool = False,
        max_end: list[int] | None = None,
    ) -> _Speaker | None:
        """A speaker ending right before the verb: "«المرصد السوري» أعلن", "المرصد السوري أمس أعلن".

        ``strict``: only spaces/quotes between them, and the speaker opens its clause.
        """
        best: _Speaker | None = None
        if max_end is not None:  # the speaker before the first one ending after the verb, by bisection
            i = bisect.bisect_right(max_end, vstart)
            best = speakers[i - 1] if i > 0 else None
        else:
            for s in speakers:
                if s.nend > vstart:
                    break
                best = s
        if best is None:
            return None
        gap = text[best.nend : vstart]
        if any(c in ".,;:!?\n()" for c in gap):
            return None
        gap_words = _WORD.findall(gap)
        if len(gap_words) > 2 or any(normalize_key(w) in _RELATIVES for w in gap_words):
            return None  # "المرصد الذي يؤكد": a relative clause, not the report
        if strict:
            if _WORD.search(gap):
                return None
            k = best.nstart - 1
            while k >= 0 and (text[k] == " " or text[k] in "\"«»“”'"):
                k -= 1
            if k >= 0 and text[k] not in ".,;:!?\n()-*":
                return None
        return best

    def _complete(
        self,
        doc: Document,
        norm: NormText,
        text: str,
        s: _Speaker,
        speakers: list[_Speaker],
        last_party: _Speaker | None,
        starts: list[int] | None = None,
    ) -> _Speaker | None:
        """Spokesman and statement phrases take the party after them, or (statements) the latest party."""
        if not (s.spokesman or s.statement):
            return s
        nxt = self._speaker_after(text, speakers, s.nend, starts)
        if nxt is not None and (
            nxt.from_actor or nxt.type in ("official", "party", "monitor", "state_media", "media")
        ):
            out = _Speaker(
                s.nstart,
                nxt.nend,
                nxt.id,
                "party" if nxt.from_actor else nxt.type,
                nxt.actor_id,
                nxt.actor_name,
                statement=s.statement,
                spokesman=s.spokesman,
                from_actor=nxt.from_actor,
                extra=dict(nxt.extra),
            )
            return out
        if s.spokesman:
            # "المتحدث باسم الوزارة جون كيربي": a definite noun (phrase) the speaker speaks for
            m = _WORD.match(text, s.nend + 1) if text[s.nend : s.nend + 1] == " " else None
            if m is None or not m.group().startswith("ال") or len(m.group()) < 5 or s.nend == s.nstart:
                return None  # "قائد" with no group after it
            end = m.end()
            m2 = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
            if m2 is not None and m2.group().startswith("ال") and m2.group().endswith(("ي", "يه")):
                end = m2.end()  # "باسم الخارجية الأمريكية"
            return _Speaker(s.nstart, end, None, "official", spokesman=True)
        if last_party is not None:
            return _Speaker(
                s.nstart,
                s.nend,
                s.id,
                "party",
                last_party.actor_id,
                last_party.actor_name,
                statement=True,
                from_actor=last_party.from_actor,
                extra={"party_of_statement": True},
            )
        return s

    @staticmethod
    def _outlet_name_end(text: str, pos: int) -> int:
        """ "وكالة «رويترز»", "صحيفة حرييت": the outlet's name after a generic head noun."""
        k = pos
        while k < len(text) and text[k] == " ":
            k += 1
        if k < len(text) and text[k] in _OPEN_QUOTES:
            close = text.find(_CLOSE_FOR[text[k]], k + 1, k + 60)
            return close + 1 if close > 0 else pos
        m = _WORD.match(text, k)
        if (
            m
            and k - pos <= 1
            and len(m.group()) > 2
            and not m.group().startswith(("ال", "ل", "ب", "في", "عن", "من"))
        ):
            return m.end()
        return pos

    @staticmethod
    def _speaker_after(
        text: str, speakers: list[_Speaker], pos: int, starts: list[int] | None = None
    ) -> _Speaker | None:
        first = bisect.bisect_left(starts, pos) if starts is not None else 0  # speakers sorted by start
        for i in range(first, len(speakers)):
            s = speakers[i]
            if s.nstart < pos:
                continue
            gap = text[pos : s.nstart]
            # "بيان لقوة المهام", "بيان صادر عن الجيش", "المتحدث باسم «جيش الفتح»"
            words = _WORD.findall(gap)
            if any(c in ".,;:!?\n()" for c in gap) or len(words) > 2:
                return None
            if all(w in ("ل", "لل", "عن", "صادر", "صادرا", "من", "له", "لها", "ال") for w in words):
                return s
            return None
        return None

    def _introduces_content(self, text: str, pos: int) -> bool:
        """A complementizer, عن, a colon or an opening quote within a few words after ``pos``."""
        for k, m in enumerate(_WORD.finditer(text, pos, min(len(text), pos + 80))):
            gap = text[pos : m.start()]
            if ":" in gap or any(c in _OPEN_QUOTES for c in gap):
                return True
            if any(c in ".,;!?\n" for c in gap):
                return False
            w = m.group()
            if (
                w in self.complementizer_words
                or w == "عن"
                or (w[:1] in "وب" and w[1:] in self.complementizer_words)
            ):
                return True
            if k >= 4:
                break
            pos = m.end()
        return False

    def _claim_cue(self, text: str, pos: int) -> bool:
        for k, m in enumerate(_WORD.finditer(text, pos, min(len(text), pos + 80))):
            w = m.group()
            if w in self.claim_cues or (w[:1] in "وب" and w[1:] in self.claim_cues):
                return True
            if k >= 5:
                break
        return False

    # ------------------------------------------------------------------ scope

    def _scope(
        self,
        doc: Document,
        norm: NormText,
        text: str,
        v: _Verb,
        subject: _Speaker,
        vtype: str,
        sent: Span,
        s_oend: int,
        v_oend: int,
        continued: bool,
        prev: Span | None = None,
    ) -> tuple[int, int]:
        otext = doc.text
        if v.key in self.backward:
            # "هجوم جديد نسبته السلطات إلى ...", "بحسب نصه الذي أوردته سانا": the verb's object pronoun points back,
            # so the report is the whole sentence
            return _trim(otext, sent.start, sent.end)
        if vtype == "according_to":
            v_ostart = norm.to_original(v.nstart, v.nend)[0]
            before = otext[sent.start : v_ostart]
            if len(_WORD.findall(before)) >= 3:
                return _trim(otext, sent.start, v_ostart)
            after = _trim(otext, s_oend, sent.end)
            if len(_WORD.findall(otext[after[0] : after[1]])) < 2 and prev is not None:
                return _trim(
                    otext, prev.start, prev.end
                )  # "وذلك بحسب بي بي سي." refers to the sentence before
            return after
        start = v_oend if continued else max(s_oend, v_oend)
        start = self._skip_intro(otext, start, sent.end)
        end = sent.end
        # a quotation that runs past the sentence end: extend to its closing quote
        head = otext[start : min(len(otext), start + 3)]
        for i, ch in enumerate(head):
            if ch in _CLOSE_FOR:
                close = otext.find(_CLOSE_FOR[ch], start + i + 1, start + i + 1 + _MAX_QUOTE)
                if close > end:
                    end = close + 1
                break
        return _trim(otext, start, end)

    def _skip_intro(self, otext: str, start: int, end: int) -> int:
        """Where the reported content starts: after a complementizer (أن/إن/بأن/إلى أن) or at a colon/opening quote
        within the next few words ('قال التحالف الذي يقود العملية في بيان إن ...'), else right after the speaker."""
        pos = start
        after_an = -1  # after "عن" ("كشفت الغرفة في بيان لها عن تنسيق"), used when no أن/إن comes
        for _ in range(self.max_intro_words):
            m = _WORD.search(otext, pos, end)
            if m is None:
                break
            gap = otext[pos : m.start()]
            if ":" in gap:
                return m.start() - (1 if otext[m.start() - 1 : m.start()] in _OPEN_QUOTES else 0)
            if any(c in _OPEN_QUOTES for c in gap):
                return m.start() - 1
            if any(c in ".!?؟\n" for c in gap):
                break
            w = normalize_key(m.group())
            if w == "عن" and after_an < 0:
                after_an = m.end()
            if w in self.complementizer_words or (w[:1] in "وب" and w[1:] in self.complementizer_words):
                return m.end()
            if w in self.complementizers_2 and _WORD.match(otext, m.end() + 1):
                nxt = _WORD.match(otext, m.end() + 1)
                if nxt is not None and normalize_key(nxt.group()) in self.complementizer_words:
                    return nxt.end()
            pos = m.end()
        return after_an if after_an >= 0 else start

    # ------------------------------------------------------------- statements

    def _statement_sections(
        self, doc: Document, norm: NormText, last_party: _Speaker | None, found: list[Mention]
    ) -> list[Mention]:
        out: list[Mention] = []
        for sec in doc.sections:
            if sec.name != "statement":
                continue
            span = sec.heading or Span(
                sec.span.start,
                min(sec.span.end, sec.span.start + 1),
                doc.text[sec.span.start : sec.span.start + 1],
            )
            party = self._author_party(doc) or last_party
            value = {
                "name": normalize_key(span.text),
                "type": "party",
                "verb": None,
                "verb_type": "announce",
                "scope": [sec.span.start, sec.span.end],
                "verb_span": None,
                "actor": party.actor_name if party else None,
                "actor_id": party.actor_id if party else None,
                "statement": True,
                "continued": False,
            }
            out.append(Mention("source", span, value, entry="statement", source=SOURCE, score=0.8))
        return out

    def _author_party(self, doc: Document) -> _Speaker | None:
        author = doc.meta.spans.get("author") if doc.meta.spans else None
        for m in doc.mentions:
            if m.kind != "actor" or m.value.get("generic"):
                continue
            if (author is not None and m.span.overlaps(author)) or (
                doc.meta.author and m.text in doc.meta.author
            ):
                return _Speaker(0, 0, None, "party", m.entry, m.value.get("name"), from_actor=True)
        return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "،,:؛;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "،,:؛;"):
        end -= 1
    return start, end
