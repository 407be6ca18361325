"""Train the event-sentence classifier (``rasd train events``): deterministic, CPU, well under a minute.

Data (read at TRAIN time only):
- ``<data>/events/arabic_event_gsr_dev.jsonl``: sentences labelled for ASSAULT or PROTEST (each row for one class).
  A fixed internal split by article (the id without its ``-N`` sentence suffix): CRC32(article) % 5 == 0 is
  VALIDATION, never used for fitting or for choosing anything; the rest is TRAIN.
- ``<data>/news/*.jsonl``: weak labels from the trigger lexicon (see :func:`weak_examples`), down-weighted.

Hyper-parameters (L2, weak-label weight, decision threshold) are chosen by grouped 5-fold cross-validation
on TRAIN only. The shipped model is fit on TRAIN (+ weak labels); its validation scores are in the manifest.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..progress import ProgressCallback, Tracker, as_callback
from ..text.segment import sentences as split_sentences
from . import data_dir, sha256_file
from .events import (
    ALL_GROUPS,
    CLASSES,
    MANIFEST,
    MODEL_FILE,
    EventSentenceClassifier,
    analyse,
    cues_sha256,
    feature_strings,
    hashed,
    lexicon_detect,
)

log = logging.getLogger(__name__)

GSR = "events/arabic_event_gsr_dev.jsonl"
NEWS = ("news/saudinewsnet_syria.jsonl", "news/ant_v1.1_international_politic.jsonl")


@dataclass
class Config:
    seed: int = 13
    dim: int = 1 << 18
    groups: tuple[str, ...] = ALL_GROUPS
    epochs: int = 300
    lr: float = 0.05
    l2_grid: tuple[float, ...] = (0.01, 0.03, 0.1)
    weak_weight_grid: tuple[float, ...] = (0.0, 0.1)
    weak_per_class: int = 1500
    difficult_weight: float = 1.0
    folds: int = 5
    val_mod: int = 5
    # which of the val_mod article folds is held out (bench/gsr_cv.py holds out each in turn)
    val_fold: int = 0


@dataclass
class Example:
    id: str
    cls: str
    label: str  # yes / easy no / difficult no / weak yes / weak no
    y: int
    text: str
    weight: float = 1.0

    @property
    def group(self) -> str:
        return self.id.rsplit("-", 1)[0]


def is_validation(example_id: str, mod: int = 5, fold: int = 0) -> bool:
    """The fixed internal split: an article's sentences are all TRAIN or all VALIDATION (fold ``fold`` of
    ``mod`` article folds; the shipped model holds out fold 0)."""
    return zlib.crc32(example_id.rsplit("-", 1)[0].encode("utf-8")) % mod == fold


def load_gsr(path: Path) -> list[Example]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                out.append(Example(r["id"], r["event_type"], r["label"], int(bool(r["is_event"])), r["text"]))
    return out


def weak_examples(data: Path, cfg: Config) -> list[Example]:
    """Weak labels from the trigger lexicon over unlabelled news.

    Weak YES for a class: a past-verb/noun trigger with no negation/future/threat/hypothetical/opinion/history
    cue before it, in a sentence with a recency word (أمس، اليوم، day names...) and, for ASSAULT, a casualty
    word; weak NO: a sentence whose triggers of that class all have such a cue, or a sentence with none.
    """
    rng = random.Random(cfg.seed)
    pos: dict[str, list[str]] = {c: [] for c in CLASSES}
    neg: dict[str, list[str]] = {c: [] for c in CLASSES}
    for rel in NEWS:
        path = data / rel
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text") or ""
                for sp in split_sentences(text):
                    s = sp.text
                    if not 40 <= len(s) <= 400:
                        continue
                    a = analyse(s)
                    for c in CLASSES:
                        mine = [t for t in a.triggers if t[0] == c and t[1] in ("past", "noun")]
                        if not mine:
                            if rng.random() < 0.02:
                                neg[c].append(s)
                            continue
                        clean = [t for t in mine if not t[5]]
                        if (
                            clean
                            and "recent" in a.sentence_cues
                            and (c != "ASSAULT" or "casualty" in a.sentence_cues)
                        ):
                            pos[c].append(s)
                        elif not clean:
                            neg[c].append(s)
    out: list[Example] = []
    for c in CLASSES:
        for lab, pool, y in (("weak yes", pos[c], 1), ("weak no", neg[c], 0)):
            rng.shuffle(pool)
            for i, s in enumerate(pool[: cfg.weak_per_class]):
                out.append(Example(f"weak-{c}-{lab[5:]}-{i}", c, lab, y, s))
    return out


# ---------------------------------------------------------------------------------------------------- model fit


@dataclass
class Matrix:
    rows: np.ndarray
    cols: np.ndarray
    n: int


def to_matrix(index_lists: Sequence[Sequence[int]]) -> Matrix:
    rows = np.repeat(np.arange(len(index_lists)), [len(x) for x in index_lists])
    cols = np.fromiter((i for x in index_lists for i in x), dtype=np.int64, count=len(rows))
    return Matrix(rows, cols, len(index_lists))


def fit_lr(
    m: Matrix, y: np.ndarray, sw: np.ndarray, dim: int, l2: float, epochs: int, lr: float
) -> tuple[np.ndarray, float]:
    """Weighted, class-balanced L2 logistic regression by full-batch Adam (deterministic)."""
    pos = sw * (y == 1)
    neg = sw * (y == 0)
    sw = sw * np.where(y == 1, 0.5 / max(pos.sum(), 1e-9), 0.5 / max(neg.sum(), 1e-9))
    w = np.zeros(dim)
    b = 0.0
    mw = np.zeros(dim)
    vw = np.zeros(dim)
    mb = vb = 0.0
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, epochs + 1):
        z = np.bincount(m.rows, weights=w[m.cols], minlength=m.n) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        g = (p - y) * sw
        gw = np.bincount(m.cols, weights=g[m.rows], minlength=dim) + l2 * w
        gb = float(g.sum())
        mw = b1 * mw + (1 - b1) * gw
        vw = b2 * vw + (1 - b2) * gw * gw
        mb = b1 * mb + (1 - b1) * gb
        vb = b2 * vb + (1 - b2) * gb * gb
        step = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        w -= step * mw / (np.sqrt(vw) + eps)
        b -= step * mb / (math.sqrt(vb) + eps)
    return w, b


def scores(m: Matrix, w: np.ndarray, b: float) -> np.ndarray:
    z = np.bincount(m.rows, weights=w[m.cols], minlength=m.n) + b
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def prf(y: Sequence[int], pred: Sequence[bool]) -> dict[str, float]:
    tp = sum(1 for a, b in zip(y, pred, strict=True) if a and b)
    fp = sum(1 for a, b in zip(y, pred, strict=True) if not a and b)
    fn = sum(1 for a, b in zip(y, pred, strict=True) if a and not b)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn, "n": len(y)}


def evaluate(examples: Sequence[Example], pred: Sequence[bool]) -> dict[str, dict[str, float]]:
    """strict: unanimous yes vs unanimous no; all: difficult (majority) no counted as negatives too."""
    out = {}
    for setting, keep in (("strict", ("yes", "easy no")), ("all", ("yes", "easy no", "difficult no"))):
        idx = [i for i, e in enumerate(examples) if e.label in keep]
        out[setting] = prf([examples[i].y for i in idx], [pred[i] for i in idx])
    return out


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    best, best_f = 0.5, -1.0
    for t in np.arange(0.05, 0.96, 0.01):
        f = prf(list(y), list(p >= t))["f1"]
        if f > best_f + 1e-9:
            best, best_f = float(t), f
    return round(best, 2)


def _fit_class(
    train: list[Example], idx: list[list[int]], cfg: Config, l2: float, weak_w: float, diff_w: float
) -> tuple[np.ndarray, float]:
    keep = [i for i, e in enumerate(train) if weak_w > 0 or not e.label.startswith("weak")]
    m = to_matrix([idx[i] for i in keep])
    y = np.array([train[i].y for i in keep], dtype=np.float64)
    sw = np.array(
        [
            weak_w
            if train[i].label.startswith("weak")
            else diff_w
            if train[i].label == "difficult no"
            else 1.0
            for i in keep
        ]
    )
    return fit_lr(m, y, sw, cfg.dim, l2, cfg.epochs, cfg.lr)


def cross_validate(
    gold: list[Example], weak: list[Example], cfg: Config, l2: float, weak_w: float
) -> tuple[np.ndarray, list[Example]]:
    """Out-of-fold probabilities for the strict+difficult gold examples of one class (grouped folds)."""
    groups = sorted({e.group for e in gold})
    fold_of = {g: zlib.crc32(g.encode()) % cfg.folds for g in groups}
    oof = np.zeros(len(gold))
    widx = [hashed(feature_strings(e.text, cfg.groups), cfg.dim) for e in weak]
    gidx = [hashed(feature_strings(e.text, cfg.groups), cfg.dim) for e in gold]
    for k in range(cfg.folds):
        tr = [i for i, e in enumerate(gold) if fold_of[e.group] != k]
        te = [i for i, e in enumerate(gold) if fold_of[e.group] == k]
        ex = [gold[i] for i in tr] + weak
        ix = [gidx[i] for i in tr] + widx
        w, b = _fit_class(ex, ix, cfg, l2, weak_w, cfg.difficult_weight)
        oof[te] = scores(to_matrix([gidx[i] for i in te]), w, b)
    return oof, gold


def train(
    data: Path,
    out_dir: Path | None = None,
    cfg: Config | None = None,
    progress: ProgressCallback | bool | None = None,
) -> dict[str, Any]:
    """Fit both classes, write ``events.npz`` + ``events.manifest.json``, return the manifest. ``progress``
    counts the fits: each grid point's cross-validation, then each class's final fit."""
    cfg = cfg or Config()
    fits = len(CLASSES) * (len(cfg.weak_weight_grid) * len(cfg.l2_grid) + 1)
    tracker = Tracker("train events", as_callback(progress), total=fits, unit="fit")
    t0 = time.perf_counter()
    out_dir = out_dir or data_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    gsr_path = data / GSR
    gold = load_gsr(gsr_path)
    weak = weak_examples(data, cfg)
    log.info("gold %d sentences, weak %d", len(gold), len(weak))
    weights: dict[str, np.ndarray] = {}
    bias: dict[str, float] = {}
    chosen: dict[str, Any] = {}
    metrics: dict[str, Any] = {"model": {}, "lexicon": {}, "lexicon_context": {}, "cv": {}}
    for c in CLASSES:
        tr = [e for e in gold if e.cls == c and not is_validation(e.id, cfg.val_mod, cfg.val_fold)]
        va = [e for e in gold if e.cls == c and is_validation(e.id, cfg.val_mod, cfg.val_fold)]
        wk = [e for e in weak if e.cls == c]
        best: tuple[float, float, float, float] | None = None  # (f1, l2, weak_w, threshold)
        grid: list[dict[str, float]] = []
        for weak_w in cfg.weak_weight_grid:
            for l2 in cfg.l2_grid:
                oof, _ = cross_validate(tr, wk, cfg, l2, weak_w)
                strict = [i for i, e in enumerate(tr) if e.label in ("yes", "easy no")]
                ys = np.array([tr[i].y for i in strict])
                th = best_threshold(ys, oof[strict])
                f = prf(list(ys), list(oof[strict] >= th))["f1"]
                grid.append({"l2": l2, "weak_weight": weak_w, "threshold": th, "cv_strict_f1": f})
                log.info("%s l2=%g weak=%g th=%.2f cv strict F1=%.3f", c, l2, weak_w, th, f)
                if best is None or f > best[0] + 1e-9:
                    best = (f, l2, weak_w, th)
                tracker.advance()
        assert best is not None
        f, l2, weak_w, th = best
        chosen[c] = {"l2": l2, "weak_weight": weak_w, "threshold": th, "cv_strict_f1": f}
        metrics["cv"][c] = grid
        ix = [hashed(feature_strings(e.text, cfg.groups), cfg.dim) for e in tr + wk]
        w, b = _fit_class(tr + wk, ix, cfg, l2, weak_w, cfg.difficult_weight)
        tracker.advance()
        # shift the bias so that p >= 0.5 <=> raw p >= threshold
        b -= float(np.log(th / (1 - th)))
        weights[c] = w
        bias[c] = b
        vm = to_matrix([hashed(feature_strings(e.text, cfg.groups), cfg.dim) for e in va])
        pv = scores(vm, w, b)
        metrics["model"][c] = evaluate(va, list(pv >= 0.5))
        metrics["lexicon"][c] = evaluate(va, [lexicon_detect(e.text)[c] for e in va])
        metrics["lexicon_context"][c] = evaluate(
            va, [lexicon_detect(e.text, strict_context=True)[c] for e in va]
        )
        metrics[f"split_{c}"] = {
            "train": _counts(tr),
            "validation": _counts(va),
            "weak": _counts(wk),
        }
    model = EventSentenceClassifier(
        cfg.dim,
        tuple(cfg.groups),
        weights,
        bias,
        {"chosen": chosen, "seed": cfg.seed, "classes": list(CLASSES)},
    )
    art = out_dir / MODEL_FILE
    model.save(art)
    manifest = {
        "model": "events",
        "artefacts": {MODEL_FILE: sha256_file(art)},
        "config": _config_dict(cfg),
        "chosen": chosen,
        "data": {
            GSR: sha256_file(gsr_path),
            **{rel: sha256_file(data / rel) for rel in NEWS if (data / rel).exists()},
        },
        "cues_sha256": cues_sha256(),
        "split": f"validation = articles with crc32(id without -N) % {cfg.val_mod} == {cfg.val_fold}; "
        "hyper-parameters by "
        f"grouped {cfg.folds}-fold CV on train only",
        "metrics": metrics,
        "train_seconds": round(time.perf_counter() - t0, 1),
    }
    (out_dir / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    tracker.close()
    return manifest


def _counts(exs: Sequence[Example]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in exs:
        out[e.label] = out.get(e.label, 0) + 1
    return out


def _config_dict(cfg: Config) -> dict[str, Any]:
    from dataclasses import asdict

    d = asdict(cfg)
    d["groups"] = list(cfg.groups)
    d["l2_grid"] = list(cfg.l2_grid)
    d["weak_weight_grid"] = list(cfg.weak_weight_grid)
    return d
