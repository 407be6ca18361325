"""The learned candidate scorer of the event coder: keep or drop each candidate event.

A logistic regression over the named features of :mod:`rasd.events.features` (rule objections, trigger, slots,
the sentence classifier's score, words near the trigger), trained by ``rasd train coder`` on candidates labelled
against the hand-coded gold (a candidate is positive when it matches a gold event of its article by the scoring
rules: same type, place, date). Weights are stored by feature name in a small JSON file with a manifest that
records the training data's hashes and the grouped cross-validation it was judged by.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ResourceError

MODEL_FILE = "coder.json"
MANIFEST = "coder.manifest.json"


@dataclass(frozen=True)
class CandidateScorer:
    """Weights by feature name and the decision threshold chosen by grouped cross-validation."""

    weights: Mapping[str, float]
    threshold: float = 0.5
    # the sub-event type model: weights by feature name for each sub-type (softmax), and the probability from
    # which its choice replaces the rules' sub-type
    types: Mapping[str, Mapping[str, float]] | None = None
    retype_threshold: float = 0.6

    def margin(self, feats: Mapping[str, float]) -> float:
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in feats.items())

    def probability(self, feats: Mapping[str, float]) -> float:
        z = max(-30.0, min(30.0, self.margin(feats)))
        return 1.0 / (1.0 + math.exp(-z))

    def sub_type(self, feats: Mapping[str, float]) -> tuple[str, float] | None:
        """The most probable sub-event type and its probability, or None without a type model."""
        table = self._type_table()
        if table is None:
            return None
        classes, index, matrix = table
        rows, vals = [], []
        for k, v in feats.items():
            j = index.get(k)
            if j is not None:
                rows.append(j)
                vals.append(v)
        margins = np.asarray(vals) @ matrix[rows] if rows else np.zeros(len(classes))
        best = int(np.argmax(margins))  # the first of equal margins: classes are sorted, so deterministic
        z = float(np.exp(margins - margins[best]).sum())
        return classes[best], 1.0 / z

    def _type_table(self) -> tuple[list[str], dict[str, int], np.ndarray[Any, Any]] | None:
        """The type weights as a (feature x class) matrix, built once: one gather and one product per
        candidate instead of a dictionary look-up per feature and class."""
        if not self.types:
            return None
        cached = self.__dict__.get("_table")
        if cached is None:
            classes = sorted(self.types)
            names = sorted({k for w in self.types.values() for k in w})
            index = {k: i for i, k in enumerate(names)}
            matrix = np.zeros((len(names), len(classes)))
            for c, cls in enumerate(classes):
                for k, w in self.types[cls].items():
                    matrix[index[k], c] = w
            cached = (classes, index, matrix)
            object.__setattr__(self, "_table", cached)
        return cached

    def explain(self, feats: Mapping[str, float], top: int = 5) -> list[tuple[str, float]]:
        """The features that pushed this decision most (for an event's ``why``)."""
        parts = [(k, self.weights.get(k, 0.0) * v) for k, v in feats.items() if k != "bias"]
        parts = [p for p in parts if p[1]]
        parts.sort(key=lambda p: (-abs(p[1]), p[0]))  # ties by name: the same output in every process
        return [(k, round(c, 3)) for k, c in parts[:top]]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "threshold": self.threshold,
            "weights": {k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-4},
        }
        if self.types:
            out["retype_threshold"] = self.retype_threshold
            out["types"] = {
                c: {k: round(v, 4) for k, v in sorted(w.items()) if abs(v) >= 5e-3}
                for c, w in sorted(self.types.items())
            }
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CandidateScorer:
        try:
            types = {
                str(c): {str(k): float(v) for k, v in w.items()} for c, w in (data.get("types") or {}).items()
            }
            return cls(
                {str(k): float(v) for k, v in data["weights"].items()},
                float(data["threshold"]),
                types or None,
                float(data.get("retype_threshold", 0.6)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ResourceError(
                f"the coder model is malformed ({exc!r}): retrain it with `rasd train coder`"
            ) from exc

    @classmethod
    def load(cls, path: str | Path | None = None) -> CandidateScorer:
        """The shipped model (or ``path``); :class:`ResourceError` when missing or malformed."""
        try:
            if path is None:
                raw = resources.files("rasd.models").joinpath("data", MODEL_FILE).read_text("utf-8")
            else:
                raw = Path(path).read_text("utf-8")
            data = json.loads(raw)
        except (OSError, ValueError) as exc:
            raise ResourceError(
                f"cannot read the coder model ({exc}): reinstall rasd or run `rasd train coder`"
            ) from exc
        return cls.from_json(data)

    @classmethod
    def load_or_none(cls) -> CandidateScorer | None:
        """The shipped model, or None when this installation has none (the coder then uses its hand rules)."""
        try:
            return cls.load()
        except ResourceError:
            return None
