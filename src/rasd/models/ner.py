"""Arabic named-entity tagger (PERS, LOC, ORG, MISC): a linear-chain CRF (CRFsuite) over hand-built features.

Features per token (on the folded form, :func:`rasd.text.normalize.normalize_key`): the word, its stem after
splitting proclitics (و ف ب ل ك ال ...) and the proclitic itself, prefixes/suffixes of word and stem, shape
(digits, Latin, punctuation, length), and the same for a +-2 token window plus word bigrams. The feature groups a
model was trained with (:data:`FEATURE_GROUPS`: stem affixes 1-4, a +-3 window, context bigrams, cue words of
``lang/ar/ner_cues.json``, BIO-style multi-token dictionary matches, distributional word clusters) are recorded
with its look-up tables in ``models/data/ner_gazetteer.json`` (:class:`Resources`), so inference rebuilds exactly
the training features. Trained by ``rasd train ner`` on ANERcorp; the model file is ``models/data/ner.crfsuite``.

    tagger = NerTagger.load()
    tagger.tag(["وصل", "الرئيس", "بشار", "الأسد", "إلى", "دمشق"])  # ['O', 'O', 'B-PERS', 'I-PERS', 'O', 'B-LOC']

The ``ner`` stage (:class:`NerRecognizer`) tokenises each sentence of the document, tags it, and appends
``ner`` mentions ``{"label": ...}`` with spans into the original text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import regex

from ..document import Document, Mention, Span
from ..errors import ResourceError
from ..text.normalize import normalize_key, proclitics, strip_article

MODEL_FILE = "ner.crfsuite"
MANIFEST = "ner.manifest.json"
GAZETTEER_FILE = "ner_gazetteer.json"
LABELS = ("PERS", "LOC", "ORG", "MISC")

# tokens as ANERcorp has them: runs of letters/marks, runs of digits, single other symbols
TOKEN = regex.compile(r"[\p{L}\p{M}]+|\p{N}+(?:[.,]\p{N}+)*|[^\s\p{L}\p{M}\p{N}]")
_LATIN = regex.compile(r"[A-Za-z]")
_ARABIC = regex.compile(r"\p{Arabic}")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token (start, end) offsets in ``text[start:end]``."""
    return [(m.start(), m.end()) for m in TOKEN.finditer(text, start, len(text) if end is None else end)]


def _shape(tok: str) -> str:
    if tok.isdigit():
        return "D"
    if _ARABIC.search(tok):
        return "A"
    if _LATIN.search(tok):
        return "L"
    if tok.isalpha():
        return "X"
    return "P"


def _split(word: str, pro: frozenset[str], counts: dict[str, int] | None = None) -> tuple[str, str]:
    """(proclitic, stem): the longest proclitic prefix leaving a stem of at least two letters ("", word if none).

    With ``counts`` (corpus word frequencies) a prefix is split off only when the stem is at least as frequent as
    the whole word (``فرنسا``, ``بوش``, ``لبنان`` stay whole; ``وفرنسا``, ``بالعراق`` split); a word unknown to
    ``counts`` only loses a leading article or و.
    """
    if counts:
        cw = counts.get(word, 0)
        for k in range(min(4, len(word) - 2), 0, -1):
            if word[:k] in pro:
                cs = counts.get(word[k:], 0)
                if cs and cs >= cw:
                    return word[:k], word[k:]
        if not cw:
            for k in range(min(3, len(word) - 2), 0, -1):
                if word[:k] in _SAFE_PROCLITICS:
                    return word[:k], word[k:]
        return "", word
    for k in range(min(4, len(word) - 2), 0, -1):
        if word[:k] in pro:
            return word[:k], word[k:]
    return "", word


_SAFE_PROCLITICS = frozenset(("و", "ال", "وال"))


#: feature groups a model may use (recorded in its resources file, so inference rebuilds the same features);
#: "stemclusters" (clusters of the article-less stem) and "clusterbigrams" were measured and are not shipped
FEATURE_GROUPS = (
    "affix4",
    "window3",
    "bigrams2",
    "cues",
    "phrases",
    "clusters",
    "stemclusters",
    "clusterbigrams",
    "vocabsplit",
)


@dataclass(frozen=True)
class Resources:
    """What the features look up besides the token itself (built by ``rasd train ner``, shipped as JSON).

    - ``words``: gazetteer word sets by name ("PERS", "LOC1"...): a token whose stem is in one gets ``g=<name>``;
    - ``phrases``: multi-token dictionary entries (tuples of article-less stems) -> labels, matched longest-first
      per sentence and marked BIO-style (``pB=LOC``, ``pI=LOC``);
    - ``cues``: folded cue word -> cue classes ("title", "org_head"...) from ``lang/ar/ner_cues.json``;
    - ``clusters``: folded word -> distributional cluster ids at several granularities;
    - ``counts``: corpus frequencies of folded words, for frequency-aware clitic splitting (group "vocabsplit");
    - ``groups``: the feature groups in use (:data:`FEATURE_GROUPS`).
    """

    words: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    groups: frozenset[str] = frozenset()
    counts: dict[str, int] = field(default_factory=dict)

    @cached_property
    def max_phrase(self) -> int:
        return max((len(k) for k in self.phrases), default=0)


Gazetteer = Resources


def _lookup_all(table: dict[str, tuple[str, ...]], *keys: str) -> tuple[str, ...]:
    out: list[str] = []
    for k in keys:
        for v in table.get(k, ()):
            if v not in out:
                out.append(v)
    return tuple(out)


_Token = tuple[
    tuple[str, ...], dict[int, tuple[str, ...]], str, str, str
]  # own features, as-neighbour features, folded word, phrase key, cluster id for cluster bigrams


def _token(tok: str, res: Resources | None) -> _Token:
    res = res or _EMPTY
    groups = res.groups
    w = normalize_key(tok) or tok
    pre, stem = _split(w, proclitics(), res.counts if "vocabsplit" in groups else None)
    bare = strip_article(stem)
    shape = _shape(w)
    own = [
        "w=" + w,
        "s=" + stem,
        "p=" + pre,
        "sh=" + shape,
        "l=" + str(min(len(w), 8)),
        "w2=" + w[:2],
        "w3=" + w[-3:],
    ]
    if "affix4" in groups:
        own.extend(f"s{k}={stem[-k:]}" for k in range(1, 5) if k <= len(stem))
        own.extend(f"f{k}={stem[:k]}" for k in range(1, 5) if k <= len(stem))
        own.append("b=" + bare)
    else:
        own.extend(
            ("s1=" + stem[-1:], "s2=" + stem[-2:], "s3=" + stem[-3:], "f2=" + stem[:2], "f3=" + stem[:3])
        )
    gz: tuple[str, ...] = ()
    if res.words:
        gz = tuple(k for k, words in res.words.items() if stem in words or bare in words)
        own.extend("g=" + g for g in gz)
    cues: tuple[str, ...] = ()
    if "cues" in groups:
        cues = _lookup_all(res.cues, w, stem, bare)
        own.extend("q=" + c for c in cues)
    cl: tuple[str, ...] = ()
    if "clusters" in groups:
        cl = res.clusters.get(w) or res.clusters.get(stem) or ()
        own.extend(f"c{i}={c}" for i, c in enumerate(cl))
        if not cl and shape == "A":
            own.append("c=none")
        if "stemclusters" in groups and bare != w:
            own.extend(f"cs{i}={c}" for i, c in enumerate(res.clusters.get(bare, ())))
    nb: dict[int, tuple[str, ...]] = {}
    for d in (-2, 2):
        far = [f"{d}w={w}", f"{d}sh={shape}"]
        far.extend(f"{d}q={c}" for c in cues)
        if "window3" in groups:
            far.append(f"{d}s={stem}")
        nb[d] = tuple(far)
    for d, sign in ((-1, "-1"), (1, "+1")):
        near = [f"{d}w={w}", f"{d}sh={shape}", f"{d}s={stem}", f"{d}p={pre}", f"{d}s2={stem[-2:]}"]
        near.extend(f"{sign}g={g}" for g in gz)
        near.extend(f"{d}q={c}" for c in cues)
        near.extend(f"{d}c{i}={c}" for i, c in enumerate(cl))
        nb[d] = tuple(near)
    if "window3" in groups:
        nb[-3] = (f"-3w={w}",)
        nb[3] = (f"3w={w}",)
    return tuple(own), nb, w, bare, (cl[1] if len(cl) > 1 else (cl[0] if cl else shape))


_EMPTY = Resources()


def _phrase_tags(keys: Sequence[str], res: Resources) -> list[tuple[str, ...]]:
    """Per token, the BIO dictionary tags of the longest phrase matches (left to right, no overlaps)."""
    n = len(keys)
    out: list[tuple[str, ...]] = [()] * n
    longest = res.max_phrase
    i = 0
    while i < n:
        hit = 0
        for k in range(min(longest, n - i), 0, -1):
            labs = res.phrases.get(tuple(keys[i : i + k]))
            if labs:
                hit = k
                out[i] = tuple("pB=" + lab for lab in labs)
                for j in range(i + 1, i + k):
                    out[j] = tuple("pI=" + lab for lab in labs)
                break
        i += hit or 1
    return out


def token_features(
    tokens: Sequence[str],
    gaz: Resources | None = None,
    cache: dict[str, _Token] | None = None,
) -> list[list[str]]:
    """CRFsuite attribute lists, one per token (strings: binary features).

    ``gaz`` holds the dictionaries and the feature groups (:class:`Resources`); ``cache`` (token -> its
    per-token features) must only be shared between calls with the same ``gaz``.
    """
    infos: list[_Token] = []
    for t in tokens:
        got = cache.get(t) if cache is not None else None
        if got is None:
            got = _token(t, gaz)
            if cache is not None:
                if len(cache) > 100_000:
                    cache.clear()
                cache[t] = got
        infos.append(got)
    groups = gaz.groups if gaz is not None else frozenset()
    use_phrases = gaz is not None and bool(gaz.phrases) and "phrases" in groups
    ptags = _phrase_tags([x[3] for x in infos], gaz) if gaz is not None and use_phrases else None
    win3 = "window3" in groups
    big2 = "bigrams2" in groups
    n = len(infos)
    feats: list[list[str]] = []
    cbig = "clusterbigrams" in groups
    for i, (own, _, w, _, cid) in enumerate(infos):
        f = list(own)
        if cbig:
            f.append(f"-1c|c={infos[i - 1][4] if i else 'BOS'}|{cid}")
            f.append(f"c|+1c={cid}|{infos[i + 1][4] if i + 1 < n else 'EOS'}")
        if i >= 2:
            f.extend(infos[i - 2][1][-2])
            if big2:
                f.append(f"-2w|-1w={infos[i - 2][2]}|{infos[i - 1][2]}")
        if win3 and i >= 3:
            f.extend(infos[i - 3][1][-3])
        if i >= 1:
            prev = infos[i - 1]
            f.extend(prev[1][-1])
            f.append(f"-1w|w={prev[2]}|{w}")
        if i == 0:
            f.append("BOS")
        if i + 1 < n:
            nxt = infos[i + 1]
            f.extend(nxt[1][1])
            f.append(f"w|+1w={w}|{nxt[2]}")
        else:
            f.append("EOS")
        if i + 2 < n:
            f.extend(infos[i + 2][1][2])
            if big2:
                f.append(f"+1w|+2w={infos[i + 1][2]}|{infos[i + 2][2]}")
        if win3 and i + 3 < n:
            f.extend(infos[i + 3][1][3])
        if ptags is not None:
            f.extend(ptags[i])
            if i >= 1:
                f.extend("-1" + t for t in ptags[i - 1])
            if i + 1 < n:
                f.extend("+1" + t for t in ptags[i + 1])
        feats.append(f)
    return feats


def spans_of(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity (first token, last token + 1, label) from IOB tags; an I- without a B- starts an entity."""
    out: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, t in enumerate([*tags, "O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != label):
            if start >= 0:
                out.append((start, i, label))
            start, label = (i, t[2:]) if t != "O" else (-1, "")
    return out


@dataclass
class NerTagger:
    """A loaded CRF model. Use :meth:`load` for the shipped one (cached)."""

    path: Path
    tagger: Any
    gazetteer: Gazetteer | None = None
    _cache: dict[str, _Token] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None, gazetteer: str | Path | None = None) -> NerTagger:
        """The shipped model (cached), or the CRF at ``path`` with the gazetteer word lists at ``gazetteer``."""
        if path is None:
            return _load_shipped()
        return cls._open(Path(path), Path(gazetteer) if gazetteer else None)

    @classmethod
    def _open(cls, path: Path, gazetteer: Path | None) -> NerTagger:
        import pycrfsuite

        gaz = read_gazetteer(gazetteer) if gazetteer is not None else None
        tagger = pycrfsuite.Tagger()
        try:
            tagger.open(str(path))
        except (OSError, ValueError) as exc:
            raise ResourceError(f"NER model {path} is unreadable ({exc}); rerun `rasd train ner`") from exc
        return cls(path, tagger, gaz)

    def tag(self, tokens: Sequence[str]) -> list[str]:
        if not tokens:
            return []
        return list(self.tagger.tag(token_features(tokens, self.gazetteer, self._cache)))

    def entities(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, label) character spans of entities in ``text[start:end]``."""
        offs = tokenize(text, start, end)
        if not offs:
            return []
        tags = self.tag([text[s:e] for s, e in offs])
        return [(offs[a][0], offs[b - 1][1], lab) for a, b, lab in spans_of(tags)]


@cache
def _load_shipped() -> NerTagger:
    from . import artefact_path

    return NerTagger._open(artefact_path("ner", MODEL_FILE), artefact_path("ner", GAZETTEER_FILE))


def read_gazetteer(path: Path) -> Resources:
    """The feature resources written by ``rasd train ner`` (word sets, phrases, cues, clusters, groups)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceError(f"NER gazetteer {path} is unreadable ({exc}); rerun `rasd train ner`") from exc
    return resources_from_json(data)


def resources_from_json(data: dict[str, Any]) -> Resources:
    words = {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}
    phrases: dict[tuple[str, ...], list[str]] = {}
    for lab, items in data.get("_phrases", {}).items():
        for p in items:
            phrases.setdefault(tuple(p.split()), []).append(lab)
    cues: dict[str, list[str]] = {}
    for cls, items in data.get("_cues", {}).items():
        for wd in items:
            cues.setdefault(wd, []).append(cls)
    clusters = {wd: tuple(c.split()) for wd, c in data.get("_clusters", {}).items()}
    counts = {wd: int(n) for wd, n in data.get("_counts", {}).items()}
    return Resources(
        words=words,
        phrases={k: tuple(v) for k, v in phrases.items()},
        cues={k: tuple(v) for k, v in cues.items()},
        clusters=clusters,
        groups=frozenset(data.get("_groups", ())),
        counts=counts,
    )


class NerRecognizer:
    """Stage ``ner``: CRF entities as ``ner`` mentions (value ``{"label": PERS|LOC|ORG|MISC}``).

    ``scope="all"`` tags every sentence (~13 ms CPU for a 1,000-token article); ``scope="events"`` tags only the
    sentences holding an ASSAULT/PROTEST trigger of ``lang/ar/event_cues.json`` (one Aho-Corasick pass over the
    folded text), which is where the event coder looks for actors and places.
    """

    name = "ner"
    requires: tuple[str, ...] = ("sentences",)
    provides: tuple[str, ...] = ("mentions:ner",)

    def __init__(self, tagger: NerTagger | None = None, scope: str = "all") -> None:
        if scope not in ("all", "events"):
            raise ValueError(f"scope must be 'all' or 'events', not {scope!r}")
        self._tagger = tagger
        self.scope = scope

    @property
    def tagger(self) -> NerTagger:
        if self._tagger is None:
            self._tagger = NerTagger.load()
        return self._tagger

    def _ranges(self, doc: Document) -> list[tuple[int, int]]:
        ranges = [(s.start, s.end) for s in doc.sentences] or [(0, len(doc.text))]
        if self.scope == "all":
            return ranges
        from ..text.normalize import norm_of
        from .events import trigger_offsets

        hits = trigger_offsets(norm_of(doc))
        return [(s, e) for s, e in ranges if any(s <= h < e for h in hits)]

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        for s, e in self._ranges(doc):
            for a, b, lab in self.tagger.entities(text, s, e):
                doc.mentions.append(
                    Mention("ner", Span(a, b, text[a:b]), {"label": lab}, None, source="ner", score=0.8)
                )
        return doc
