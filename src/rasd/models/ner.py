"""Arabic named-entity tagger (PERS, LOC, ORG, MISC): a linear-chain CRF (CRFsuite) over hand-built features.

Features per token (on the folded form, :func:`rasd.text.normalize.normalize_key`): the word, its stem after
splitting proclitics (و ف ب ل ك ال ...) and the proclitic itself, prefixes/suffixes of word and stem, shape
(digits, Latin, punctuation, length), and the same for a +-2 token window plus word bigrams. Trained by
``rasd train ner`` on ANERcorp (+ the mapped Wojood sample); the model file is ``models/data/ner.crfsuite``.

    tagger = NerTagger.load()
    tagger.tag(["وصل", "الرئيس", "بشار", "الأسد", "إلى", "دمشق"])  # ['O', 'O', 'B-PERS', 'I-PERS', 'O', 'B-LOC']

The ``ner`` stage (:class:`NerRecognizer`) tokenises each sentence of the document, tags it, and appends
``ner`` mentions ``{"label": ...}`` with spans into the original text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
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


def _split(word: str, pro: frozenset[str]) -> tuple[str, str]:
    """Longest proclitic prefix leaving a stem of at least two letters ("", word when none)."""
    for k in range(min(4, len(word) - 2), 0, -1):
        if word[:k] in pro:
            return word[:k], word[k:]
    return "", word


Gazetteer = dict[str, frozenset[str]]


def _gaz_tags(stem: str, gaz: Gazetteer | None) -> tuple[str, ...]:
    if not gaz:
        return ()
    bare = strip_article(stem)
    return tuple(k for k, words in gaz.items() if stem in words or bare in words)


_Token = tuple[
    tuple[str, ...], dict[int, tuple[str, ...]], str
]  # own features, as-neighbour features, folded


def _token(tok: str, gaz: Gazetteer | None) -> _Token:
    w = normalize_key(tok) or tok
    pre, stem = _split(w, proclitics())
    shape = _shape(w)
    gz = _gaz_tags(stem, gaz)
    own = [
        "w=" + w,
        "s=" + stem,
        "p=" + pre,
        "sh=" + shape,
        "l=" + str(min(len(w), 8)),
        "s1=" + stem[-1:],
        "s2=" + stem[-2:],
        "s3=" + stem[-3:],
        "f2=" + stem[:2],
        "f3=" + stem[:3],
        "w2=" + w[:2],
        "w3=" + w[-3:],
    ]
    own.extend("g=" + g for g in gz)
    nb: dict[int, tuple[str, ...]] = {}
    for d in (-2, 2):
        nb[d] = (f"{d}w={w}", f"{d}sh={shape}")
    for d, sign in ((-1, "-1"), (1, "+1")):
        near = [f"{d}w={w}", f"{d}sh={shape}", f"{d}s={stem}", f"{d}p={pre}", f"{d}s2={stem[-2:]}"]
        near.extend(f"{sign}g={g}" for g in gz)
        nb[d] = tuple(near)
    return tuple(own), nb, w


def token_features(
    tokens: Sequence[str],
    gaz: Gazetteer | None = None,
    cache: dict[str, _Token] | None = None,
) -> list[list[str]]:
    """CRFsuite attribute lists, one per token (strings: binary features).

    ``gaz`` maps feature names ("LOC", "PERS", "PERS1", "ORG"...) to folded words; a token whose stem (with or
    without the article) is in a set gets ``g=<name>`` (and its neighbours ``-1g=``/``+1g=``).
    ``cache`` (token -> its per-token features) must only be shared between calls with the same ``gaz``.
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
    n = len(infos)
    feats: list[list[str]] = []
    for i, (own, _, w) in enumerate(infos):
        f = list(own)
        if i >= 2:
            f.extend(infos[i - 2][1][-2])
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


def read_gazetteer(path: Path) -> Gazetteer:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceError(f"NER gazetteer {path} is unreadable ({exc}); rerun `rasd train ner`") from exc
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


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
