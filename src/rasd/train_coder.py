"""Train the coder's candidate scorer (``rasd train coder``) and judge it by grouped cross-validation.

Data (read at TRAIN time only): the hand-coded gold articles (``../shared/gold/train.jsonl`` and ``dev.jsonl``),
each with its ``group`` (source and period; dev is its own group). Steps:

1. recognise every article once (the default pipeline up to, not including, the events stage);
2. run the coder permissively (every rule objection kept as a feature) and record each candidate's features;
3. label a candidate positive when it matches a gold event of its article (same type, place and date: the
   scoring rules of ``../shared/gold/README.md``);
4. leave-one-group-out: for each group, fit on the others (L2 and threshold chosen by an inner
   leave-one-group-out on those others), then code the held-out group's articles with that model and score
   them event by event; the per-group figures go to the manifest and the README;
5. fit the shipped model on every group with the hyper-parameters the inner loops chose most often.

Deterministic (no randomness; numpy full-batch gradient descent), a few minutes on one core.
"""

from __future__ import annotations

import copy
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .document import Document, Event
from .models import data_dir, sha256_file
from .models.coder import MANIFEST, MODEL_FILE, CandidateScorer
from .progress import ProgressCallback, Tracker, as_callback

log = logging.getLogger(__name__)

GOLD_FILES = ("train.jsonl", "dev.jsonl")


@dataclass
class Config:
    l2_grid: tuple[float, ...] = (3.0, 10.0, 30.0)
    min_count: int = 2
    iterations: int = 400
    lr: float = 0.5
    thresholds: tuple[float, ...] = tuple(round(0.1 + 0.05 * i, 2) for i in range(15))
    retype_threshold: float = 0.8


@dataclass
class Corpus:
    """Recognised gold articles (events stage not yet run), their gold records and groups."""

    docs: list[Document]
    gold: list[dict[str, Any]]
    groups: list[str]
    hashes: dict[str, str] = field(default_factory=dict)


def load_corpus(
    gold_dir: str | Path, files: Sequence[str] = GOLD_FILES, tracker: Tracker | None = None
) -> Corpus:
    """Read and recognise the gold articles once (the expensive part, shared by every fold)."""
    from .eval import event_pipeline, read_jsonl
    from .readers import read

    base = event_pipeline()
    pre = [s for s in base.stages if s.name != "events"]
    docs: list[Document] = []
    gold: list[dict[str, Any]] = []
    groups: list[str] = []
    hashes = {}
    for name in files:
        path = Path(gold_dir) / name
        hashes[name] = sha256_file(path)
        recs = {str(r["id"]): r for r in read_jsonl(path)}
        for doc in read([str(path)], input_format="jsonl"):
            for st in pre:
                doc = st(doc)
            rec = recs[doc.id]
            docs.append(doc)
            gold.append(rec)
            groups.append(str(rec.get("group") or Path(name).stem))
            if tracker is not None:
                tracker.advance()
    return Corpus(docs, gold, groups, hashes)


class _KeepAll:
    """A scorer that keeps every candidate: used to collect the candidates and their features."""

    threshold = 0.0

    retype_threshold = 1.0

    def probability(self, feats: Any) -> float:
        return 1.0

    def sub_type(self, feats: Any) -> None:
        return None


def collect(corpus: Corpus) -> list[list[tuple[dict[str, Any], dict[str, float]]]]:
    """Per article: every candidate event (as a dict) with its features."""
    from .events import EventCoder

    out = []
    for doc in corpus.docs:
        rec: list[Any] = []
        EventCoder(scorer=_KeepAll(), record=rec)(copy.deepcopy(doc))
        out.append([(ev, feats) for _id, ev, feats, _p in rec])
    return out


def label(corpus: Corpus, cands: list[list[tuple[dict[str, Any], dict[str, float]]]]) -> list[list[int]]:
    """For each candidate: the index of a gold event of its article it matches (by the scoring rules), or -1."""
    from .eval import is_match

    out = []
    for rec, cs in zip(corpus.gold, cands, strict=True):
        gold = rec.get("events") or []
        row = []
        for ev, _f in cs:
            row.append(next((i for i, g in enumerate(gold) if is_match(g, ev)), -1))
        out.append(row)
    return out


# ------------------------------------------------------------------------------------------------------------
# logistic and softmax regression (sparse numpy, full batch, Nesterov momentum: no randomness)


@dataclass
class _Sparse:
    """A sparse design matrix as flat arrays: value ``vals[k]`` at (``rows[k]``, ``cols[k]``)."""

    rows: np.ndarray[Any, np.dtype[np.int64]]
    cols: np.ndarray[Any, np.dtype[np.int64]]
    vals: np.ndarray[Any, np.dtype[np.float64]]
    n: int
    d: int

    @classmethod
    def build(cls, feats: Sequence[dict[str, float]], vocab: dict[str, int]) -> _Sparse:
        rows, cols, vals = [], [], []
        for i, f in enumerate(feats):
            for k, v in f.items():
                j = vocab.get(k)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    vals.append(v)
        return cls(
            np.asarray(rows, np.int64), np.asarray(cols, np.int64), np.asarray(vals), len(feats), len(vocab)
        )

    def dot(self, w: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """X @ w for w of shape (d,) or (d, K)."""
        if w.ndim == 1:
            return np.bincount(self.rows, weights=self.vals * w[self.cols], minlength=self.n)
        prod = self.vals[:, None] * w[self.cols]
        return np.stack(
            [np.bincount(self.rows, weights=prod[:, k], minlength=self.n) for k in range(w.shape[1])], 1
        )

    def tdot(self, r: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """X.T @ r for r of shape (n,) or (n, K)."""
        if r.ndim == 1:
            return np.bincount(self.cols, weights=self.vals * r[self.rows], minlength=self.d)
        prod = self.vals[:, None] * r[self.rows]
        return np.stack(
            [np.bincount(self.cols, weights=prod[:, k], minlength=self.d) for k in range(r.shape[1])], 1
        )


def _vocab(feats: Sequence[dict[str, float]], cfg: Config) -> dict[str, int]:
    counts: Counter[str] = Counter(k for f in feats for k in f)
    return {
        k: i for i, k in enumerate(sorted(k for k, c in counts.items() if c >= cfg.min_count or k == "bias"))
    }


def _descend(
    x: _Sparse,
    t: np.ndarray[Any, Any],
    prob: Callable[[np.ndarray[Any, Any]], np.ndarray[Any, Any]],
    reg: np.ndarray[Any, Any],
    cfg: Config,
) -> np.ndarray[Any, Any]:
    """Minimise the log loss of ``prob(X @ w)`` against ``t`` plus ``reg * w**2 / 2``."""
    w = np.zeros((x.d, *t.shape[1:]))
    v = np.zeros_like(w)
    for _ in range(cfg.iterations):
        look = w + 0.9 * v
        grad = x.tdot(prob(x.dot(look)) - t) / max(1, x.n) + reg * look
        v = 0.9 * v - cfg.lr * grad
        w = w + v
    return w


def _sigmoid(z: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _softmax(z: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fit(feats: Sequence[dict[str, float]], y: Sequence[int], l2: float, cfg: Config) -> dict[str, float]:
    """Weights by feature name: L2-regularised logistic regression (the bias is not regularised)."""
    vocab = _vocab(feats, cfg)
    reg = np.full(len(vocab), l2 / max(1, len(y)))
    if "bias" in vocab:
        reg[vocab["bias"]] = 0.0
    w = _descend(_Sparse.build(feats, vocab), np.asarray(y, dtype=np.float64), _sigmoid, reg, cfg)
    return {k: float(w[i]) for k, i in vocab.items()}


def _probs(weights: dict[str, float], feats: Sequence[dict[str, float]]) -> list[float]:
    sc = CandidateScorer(weights)
    return [sc.probability(f) for f in feats]


def candidate_f1(
    probs: Sequence[float], matches: Sequence[tuple[int, int]], n_gold: int, threshold: float
) -> float:
    """Approximate event F1 of a threshold from candidates alone, one-to-one: a kept candidate is a true event
    when it matches a gold event not yet found, otherwise a false one (a second copy of a found event too)."""
    found: set[tuple[int, int]] = set()
    fp = 0
    for p, m in zip(probs, matches, strict=True):
        if p < threshold:
            continue
        if m[1] >= 0 and m not in found:
            found.add(m)
        else:
            fp += 1
    tp = len(found)
    if tp == 0:
        return 0.0
    prec, rec = tp / (tp + fp), tp / max(1, n_gold)
    return 2 * prec * rec / (prec + rec)


@dataclass
class Flat:
    feats: list[dict[str, float]]
    y: list[int]
    matches: list[tuple[int, int]]  # (article index, gold index or -1)
    groups: list[str]
    events: list[dict[str, Any]] = field(default_factory=list)
    type_target: list[str | None] = field(default_factory=list)  # the gold sub-type at its place and date


def _type_target(gold: list[dict[str, Any]], ev: dict[str, Any]) -> str | None:
    from .eval.scoring import dates_match, places_match

    here = [g for g in gold if places_match(g, ev) and dates_match(g, ev)]
    if not here:
        return None
    same = [g for g in here if g.get("sub_event_type") == ev.get("sub_event_type")]
    return str((same or here)[0].get("sub_event_type"))


def flatten(
    corpus: Corpus, cands: list[list[tuple[dict[str, Any], dict[str, float]]]], labels: list[list[int]]
) -> Flat:
    flat = Flat([], [], [], [])
    for a, (cs, ls) in enumerate(zip(cands, labels, strict=True)):
        gold = corpus.gold[a].get("events") or []
        for (ev, f), m in zip(cs, ls, strict=True):
            flat.feats.append(f)
            flat.y.append(int(m >= 0))
            flat.matches.append((a, m))
            flat.groups.append(corpus.groups[a])
            flat.events.append(ev)
            flat.type_target.append(_type_target(gold, ev))
    return flat


def fit_types(flat: Flat, idx: Sequence[int], l2: float, cfg: Config) -> dict[str, dict[str, float]]:
    """Softmax regression: the gold sub-type of candidates that sit at a gold event's place and date."""
    rows = [i for i in idx if flat.type_target[i] is not None]
    classes = sorted({str(flat.type_target[i]) for i in rows})
    if len(classes) < 2:
        return {}
    feats = [flat.feats[i] for i in rows]
    vocab = _vocab(feats, cfg)
    t = np.zeros((len(rows), len(classes)))
    for r, i in enumerate(rows):
        t[r, classes.index(str(flat.type_target[i]))] = 1.0
    reg = np.full((len(vocab), 1), l2 / max(1, len(rows)))
    w = _descend(_Sparse.build(feats, vocab), t, _softmax, reg, cfg)
    return {c: {k: float(w[j, ci]) for k, j in vocab.items()} for ci, c in enumerate(classes)}


def apply_types(flat: Flat, corpus: Corpus, idx: Sequence[int], model: CandidateScorer) -> Flat:
    """The candidates ``idx`` after the type model's choices, relabelled against the gold."""
    from .eval import is_match
    from .events.decide import retype

    out = Flat([], [], [], [])
    for i in idx:
        ev = Event.from_dict(flat.events[i])
        f = dict(flat.feats[i])
        retype(ev, f, model)
        d = ev.to_dict()
        a = flat.matches[i][0]
        gold = corpus.gold[a].get("events") or []
        m = next((j for j, g in enumerate(gold) if is_match(g, d)), -1)
        out.feats.append(f)
        out.y.append(int(m >= 0))
        out.matches.append((a, m))
        out.groups.append(flat.groups[i])
        out.events.append(d)
        out.type_target.append(flat.type_target[i])
    return out


def fit_model(
    flat: Flat, corpus: Corpus, idx: Sequence[int], l2: float, threshold: float, cfg: Config
) -> CandidateScorer:
    """Type model, then the keep/drop model on the retyped candidates: one shipped scorer."""
    types = fit_types(flat, idx, l2, cfg)
    typed = CandidateScorer({}, threshold, types or None, cfg.retype_threshold)
    re = apply_types(flat, corpus, idx, typed)
    w = fit(re.feats, re.y, l2, cfg)
    return CandidateScorer(w, threshold, types or None, cfg.retype_threshold)


def prepare(gold_dir: str | Path, tracker: Tracker | None = None) -> tuple[Corpus, Flat]:
    """The recognised gold articles and their labelled candidates: what cross-validation and the fit share."""
    corpus = load_corpus(gold_dir, tracker=tracker)
    cands = collect(corpus)
    return corpus, flatten(corpus, cands, label(corpus, cands))


def choose(flat: Flat, corpus: Corpus, keep: Callable[[str], bool], cfg: Config) -> tuple[float, float]:
    """(l2, threshold) by leave-one-group-out over the groups ``keep`` selects (approximate event F1)."""
    groups = sorted({g for g in flat.groups if keep(g)})
    best = (cfg.l2_grid[0], 0.5)
    best_f1 = -1.0
    for l2 in cfg.l2_grid:
        oof: list[float] = []
        idx: list[int] = []
        for g in groups:
            tr = [i for i, gg in enumerate(flat.groups) if keep(gg) and gg != g]
            te = [i for i, gg in enumerate(flat.groups) if gg == g]
            w = fit([flat.feats[i] for i in tr], [flat.y[i] for i in tr], l2, cfg)
            oof.extend(_probs(w, [flat.feats[i] for i in te]))
            idx.extend(te)
        n_gold = sum(
            len(corpus.gold[a].get("events") or []) for a, gg in enumerate(corpus.groups) if keep(gg)
        )
        for t in cfg.thresholds:
            f1 = candidate_f1(oof, [flat.matches[i] for i in idx], n_gold, t)
            if f1 > best_f1:
                best, best_f1 = (l2, t), f1
    return best


def code_articles(corpus: Corpus, idx: Sequence[int], scorer: CandidateScorer) -> list[dict[str, Any]]:
    """Run the events stage with ``scorer`` on recognised articles; records as `rasd extract` prints them."""
    from .events import EventCoder

    coder = EventCoder(scorer=scorer)
    return [coder(copy.deepcopy(corpus.docs[i])).to_dict(with_text=False) for i in idx]


def cross_validate(corpus: Corpus, flat: Flat, cfg: Config, tracker: Tracker | None = None) -> dict[str, Any]:
    """Leave-one-group-out event scores (each group coded by a model that never saw it)."""
    from .eval import score_events

    per: dict[str, Any] = {}
    all_gold: list[dict[str, Any]] = []
    all_pred: list[dict[str, Any]] = []
    chosen = []
    for g in sorted(set(corpus.groups)):
        l2, thr = choose(flat, corpus, lambda gg, g=g: gg != g, cfg)  # type: ignore[misc]
        chosen.append((l2, thr))
        tr = [i for i, gg in enumerate(flat.groups) if gg != g]
        model = fit_model(flat, corpus, tr, l2, thr, cfg)
        arts = [a for a, gg in enumerate(corpus.groups) if gg == g]
        pred = code_articles(corpus, arts, model)
        gold = [corpus.gold[a] for a in arts]
        rep = score_events(gold, pred).to_dict()
        rep.pop("per_article", None)
        rep["l2"], rep["threshold"] = l2, thr
        per[g] = rep
        all_gold.extend(gold)
        all_pred.extend(pred)
        log.info("group %s: F1 %.3f (l2 %s, threshold %s)", g, rep["f1"], l2, thr)
        if tracker is not None:
            tracker.advance()
    total = score_events(all_gold, all_pred).to_dict()
    total.pop("per_article", None)
    return {"groups": per, "all": total, "chosen": chosen}


def train(
    gold_dir: str | Path,
    out_dir: str | Path | None = None,
    cfg: Config | None = None,
    progress: ProgressCallback | bool | None = None,
) -> dict[str, Any]:
    """Fit the shipped scorer, write it and its manifest; returns the manifest. ``progress`` counts steps:
    each article recognised, each held-out group coded, the final fit."""
    cfg = cfg or Config()
    t0 = time.time()
    n_docs = sum(
        1 for name in GOLD_FILES for line in (Path(gold_dir) / name).open(encoding="utf-8") if line.strip()
    )
    tracker = Tracker("train coder", as_callback(progress), total=n_docs + 6, unit="step")
    corpus, flat = prepare(gold_dir, tracker)
    cv = cross_validate(corpus, flat, cfg, tracker)
    votes = Counter(cv.pop("chosen"))
    l2, thr = max(votes, key=lambda k: (votes[k], -k[0]))
    model = fit_model(flat, corpus, range(len(flat.y)), l2, thr, cfg)
    tracker.close()
    out = Path(out_dir) if out_dir is not None else data_dir()  # where CandidateScorer.load() reads it
    out.mkdir(parents=True, exist_ok=True)
    (out / MODEL_FILE).write_text(
        json.dumps(model.to_json(), ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    )
    manifest = {
        "model": "coder",
        "artefacts": {MODEL_FILE: sha256_file(out / MODEL_FILE)},
        "data": corpus.hashes,
        "config": {"l2": l2, "threshold": thr, "min_count": cfg.min_count, "iterations": cfg.iterations},
        "candidates": len(flat.y),
        "positives": int(sum(flat.y)),
        "features": sum(1 for v in model.weights.values() if abs(v) >= 1e-5),
        "cross_validation": "leave one group out; l2 and threshold chosen by an inner leave-one-group-out",
        "cv": cv,
        "seconds": round(time.time() - t0, 1),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return manifest
