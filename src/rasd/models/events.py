"""Event-sentence detection: does a sentence REPORT an ASSAULT-type or a PROTEST-type event?

A hashed logistic regression per class. Its strongest features are trigger words *in context*: each trigger hit
(``lang/ar/event_cues.json``: past verb / verbal noun / imperfect verb / participant) is crossed with the cue
words found just before it (negation, future/plan, threat, hypothetical, opinion/condemnation, history), so
"قتل 5 جنود" and "لم يقتل" or "سيقتل" or "يدين اغتيال" get different weights. Sentence-level cues (recency words,
reporting verbs, casualty words, numbers, years, question marks) and word uni/bigrams (folded, proclitics
split) complete the picture.

    clf = EventSentenceClassifier.load()
    clf.predict("وقتل 4 جنود في هجوم شنه مسلحون أمس")  # {"ASSAULT": 0.93, "PROTEST": 0.01}

Probabilities are shifted so that 0.5 is the decision threshold chosen in training (``clf.detect`` applies it).
The pure-lexicon baseline the model is measured against is :func:`lexicon_detect`.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import regex

from ..errors import ResourceError
from ..lang import load
from ..text.match import Lexicon
from ..text.normalize import NormText, normalize, proclitics

CLASSES = ("ASSAULT", "PROTEST")
MODEL_FILE = "events.npz"
MANIFEST = "events.manifest.json"
CUES = "event_cues"
ALL_GROUPS = ("lex", "sent", "words", "bigrams", "chars")

_WORD = regex.compile(r"[\p{L}\p{N}]+")
_YEAR = regex.compile(r"\b(?:19[4-9]\d|20[0-3]\d)\b")
_NUM = regex.compile(r"\d+")

Payload = tuple[str, str, str]  # ("trig", CLASS, form) | ("cue", type, "") | ("sent", type, "")


def cues_sha256() -> str:
    """Hash of the shipped cue file: the model's features depend on it, so the manifest records it."""
    ref = resources.files("rasd.lang").joinpath("ar", f"{CUES}.json")
    return hashlib.sha256(ref.read_bytes()).hexdigest()


@cache
def _lexicon() -> tuple[Lexicon[Payload], int]:
    cues = load("ar", CUES)
    lex: Lexicon[Payload] = Lexicon()
    for cls, forms in cues["triggers"].items():
        for form, words in forms.items():
            for w in words:
                lex.add(w, ("trig", cls, form))
    for kind, words in cues["context_cues"].items():
        for w in words:
            lex.add(w, ("cue", kind, ""))
    for kind, words in cues["sentence_cues"].items():
        for w in words:
            lex.add(w, ("sent", kind, ""))
    return lex, int(cues.get("context_window", 4))


def _stem(word: str, pro: frozenset[str]) -> str:
    """Drop the longest proclitic sequence that leaves at least three letters (feature use only)."""
    for k in range(min(4, len(word) - 3), 0, -1):
        if word[:k] in pro:
            return word[k:]
    return word


@lru_cache(maxsize=1 << 16)
def _stem_word(word: str, pro: frozenset[str]) -> str:
    """:func:`_stem` memoised: the same words recur in every sentence."""
    return _stem(word, pro)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the lexicon sees in one sentence (shared by the model features and the lexicon baseline)."""

    triggers: list[
        tuple[str, str, str, str, int, frozenset[str]]
    ]  # (class, form, key, prefix, word index, cues)
    sentence_cues: frozenset[str]
    stems: list[str]


def analyse(text: str) -> Analysis:
    norm = normalize(text)
    return analyse_norm(norm, 0, len(norm.text))


def analyse_norm(norm: NormText, lo: int, hi: int) -> Analysis:
    """:func:`analyse` on the folded range [lo, hi) of an already normalised text (no re-folding)."""
    lex, window = _lexicon()
    folded = norm.text
    spans = [(m.start(), m.end()) for m in _WORD.finditer(folded, lo, hi)]
    starts = [s for s, _ in spans]
    pro = proclitics()
    stems = [_stem_word(folded[s:e], pro) for s, e in spans]
    hits = lex.find(norm, longest=False, lo=lo, hi=hi)
    cue_at: list[tuple[int, str]] = []
    sent: set[str] = set()
    trig: list[tuple[str, str, str, str, int]] = []
    for m in hits:
        widx = max(bisect.bisect_right(starts, m.nstart) - 1, 0)
        for kind, a, b in m.payloads:
            if kind == "trig":
                trig.append((a, b, m.key, m.prefix, widx))
            elif kind == "cue":
                cue_at.append((widx, a))
            else:
                sent.add(a)
    out = []
    for cls, form, key, prefix, widx in trig:
        ctx = frozenset(c for w, c in cue_at if widx - window <= w < widx)
        out.append((cls, form, key, prefix, widx, ctx))
    return Analysis(out, frozenset(sent), stems)


def trigger_offsets(norm: NormText) -> list[int]:
    """Original-text start offsets of the past-verb/noun ASSAULT/PROTEST triggers in a folded document."""
    lex, _ = _lexicon()
    return [
        m.start
        for m in lex.find(norm, longest=False)
        if any(kind == "trig" and form in ("past", "noun") for kind, _, form in m.payloads)
    ]


def feature_strings(text: str, groups: Sequence[str] = ALL_GROUPS) -> list[str]:
    """The named features of one sentence (hashed by :func:`hashed`)."""
    return _features(text, analyse(text), groups)


def _stem_features(stem: str, groups: Sequence[str]) -> list[str]:
    feats = []
    if "words" in groups:
        feats.append("u:" + stem)
    if "chars" in groups:
        w = f"<{stem}>"
        feats.extend("c:" + w[i : i + 4] for i in range(max(len(w) - 3, 1)))
    return feats


def _features(text: str, a: Analysis, groups: Sequence[str], *, stems: bool = True) -> list[str]:
    feats: list[str] = ["bias"]
    nwords = len(a.stems)
    if "lex" in groups:
        for cls in CLASSES:
            mine = [t for t in a.triggers if t[0] == cls]
            if not mine:
                feats.append(f"{cls}:none")
                continue
            n = len(mine)
            feats.append(f"{cls}:n={min(n, 4)}")
            clean = 0
            for _, form, key, prefix, widx, ctx in mine:
                feats.append(f"{cls}:{form}")
                feats.append(f"{cls}:{form}:k={key}")
                if prefix:
                    feats.append(f"{cls}:{form}:p={prefix}")
                if widx < 3:
                    feats.append(f"{cls}:{form}:early")
                for c in ctx:
                    feats.append(f"{cls}:{form}:{c}")
                    feats.append(f"{cls}:{c}")
                if not ctx and form in ("past", "noun"):
                    clean += 1
            feats.append(f"{cls}:clean={min(clean, 3)}")
            for s in a.sentence_cues:
                feats.append(f"{cls}:any&{s}")
    if "sent" in groups:
        for s in a.sentence_cues:
            feats.append(f"S:{s}")
        if "?" in text or "؟" in text:
            feats.append("S:question")
        if _YEAR.search(text):
            feats.append("S:year")
        elif _NUM.search(text):
            feats.append("S:number")
        if "«" in text or '"' in text or "“" in text:
            feats.append("S:quote")
        feats.append(f"S:len={min(nwords // 10, 6)}")
    if "bigrams" in groups:
        feats.extend(f"b:{x}_{y}" for x, y in zip(a.stems, a.stems[1:], strict=False))
    if stems:
        for s in a.stems:
            feats.extend(_stem_features(s, groups))
    return feats


def hashed(features: Iterable[str], dim: int) -> list[int]:
    """Stable (process-independent) feature indices: CRC32 modulo a power of two, duplicates kept once."""
    mask = dim - 1
    return sorted({zlib.crc32(f.encode("utf-8")) & mask for f in features})


def lexicon_detect(text: str, *, strict_context: bool = False) -> dict[str, bool]:
    """The pure-lexicon baseline: a class fires when one of its past-verb/noun triggers occurs in the sentence.

    With ``strict_context`` the trigger must also have no negation/future/threat/hypothetical cue before it.
    """
    a = analyse(text)
    blocked = {"negation", "future", "threat", "hypothetical"}
    out = {}
    for cls in CLASSES:
        out[cls] = any(
            t[0] == cls and t[1] in ("past", "noun") and not (strict_context and (t[5] & blocked))
            for t in a.triggers
        )
    return out


@dataclass
class EventSentenceClassifier:
    """ASSAULT / PROTEST probabilities for one sentence. Use :meth:`load` for the shipped model."""

    dim: int
    groups: tuple[str, ...]
    weights: dict[str, np.ndarray]
    bias: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    _stem_cache: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)
    _stacked: np.ndarray | None = field(
        default=None, repr=False, compare=False
    )  # CLASSES x dim, on first use

    @classmethod
    def load(cls, path: str | Path | None = None) -> EventSentenceClassifier:
        """The shipped model (cached per process), or the artefact at ``path``."""
        if path is None:
            return _load_shipped()
        return cls._read(Path(path))

    @classmethod
    def _read(cls, path: Path) -> EventSentenceClassifier:
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                dim = int(meta["dim"])
                weights: dict[str, np.ndarray] = {}
                for c in CLASSES:
                    w = np.zeros(dim, dtype=np.float64)
                    w[z[f"{c}_idx"]] = z[f"{c}_val"]
                    weights[c] = w
        except (OSError, KeyError, ValueError) as exc:
            raise ResourceError(
                f"event model {path} is unreadable ({exc}); rerun `rasd train events`"
            ) from exc
        if meta.get("cues_sha256") != cues_sha256():
            raise ResourceError(
                f"event model {path.name} was trained with another lang/ar/{CUES}.json; rerun `rasd train events`"
            )
        return cls(dim, tuple(meta["groups"]), weights, {c: float(meta["bias"][c]) for c in CLASSES}, meta)

    def save(self, path: Path) -> None:
        meta = dict(self.meta)
        meta.update(dim=self.dim, groups=list(self.groups), bias=self.bias, cues_sha256=cues_sha256())
        arrays: dict[str, np.ndarray] = {"meta": np.array(json.dumps(meta, sort_keys=True))}
        for c in CLASSES:
            idx = np.flatnonzero(np.abs(self.weights[c]) > 1e-6).astype(np.int32)
            arrays[f"{c}_idx"] = idx
            arrays[f"{c}_val"] = self.weights[c][idx].astype(np.float32)
        with path.open("wb") as fh:
            np.savez_compressed(fh, allow_pickle=False, **arrays)

    def indices(self, text: str) -> list[int]:
        """Hashed feature indices, equal to ``hashed(feature_strings(text), dim)`` but with per-word caching."""
        return self._indices(text, analyse(text))

    def _indices(self, text: str, a: Analysis) -> list[int]:
        mask = self.dim - 1
        idx = {zlib.crc32(f.encode("utf-8")) & mask for f in _features(text, a, self.groups, stems=False)}
        cache = self._stem_cache
        for st in a.stems:
            got = cache.get(st)
            if got is None:
                if len(cache) > 200_000:
                    cache.clear()
                got = cache[st] = tuple(hashed(_stem_features(st, self.groups), self.dim))
            idx.update(got)
        return sorted(idx)

    def predict(self, text: str) -> dict[str, float]:
        """``{"ASSAULT": p, "PROTEST": p}``; p >= 0.5 means the sentence reports such an event."""
        return self._probs(self.indices(text))

    def predict_span(self, norm: NormText, start: int, end: int) -> dict[str, float]:
        """:meth:`predict` for ``norm.original[start:end]`` (e.g. a sentence of a document), reusing the
        document's folded text (``rasd.text.normalize.norm_of(doc)``) instead of folding it again."""
        lo = bisect.bisect_left(norm.starts, start)
        hi = bisect.bisect_left(norm.starts, end)
        return self._probs(self._indices(norm.original[start:end], analyse_norm(norm, lo, hi)))

    def _probs(self, idx: list[int]) -> dict[str, float]:
        if self._stacked is None:
            self._stacked = np.stack([self.weights[c] for c in CLASSES])
        sums = self._stacked[:, idx].sum(axis=1)  # one gather for both classes; each row summed as before
        out = {}
        for c, total in zip(CLASSES, sums.tolist(), strict=True):
            z = total + self.bias[c]
            out[c] = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
        return out

    def detect(self, text: str) -> dict[str, bool]:
        return {c: p >= 0.5 for c, p in self.predict(text).items()}


@cache
def _load_shipped() -> EventSentenceClassifier:
    from . import artefact_path

    return EventSentenceClassifier._read(artefact_path("events", MODEL_FILE))
