"""Train the NER tagger (``rasd train ner``): CRFsuite L-BFGS, deterministic, a few minutes on two cores.

Data (read at TRAIN time only):
- ``<data>/ner/anercorp/ANERCorp_original.conll``: one "token TAG" per line, no sentence breaks; sentences are
  cut after a token that is ``.``, ``?``, ``!`` or ``؟``. The fixed split: the first sentences up to 80% of the
  tokens are TRAIN, the rest (the last ~20% of the corpus, ~29.3k tokens) is TEST, never used for fitting or
  choosing anything. Hyper-parameters are chosen on DEV = the last 10% of TRAIN, then the model is refit on TRAIN.
- ``<data>/ner/wojood_sample/wojood_sample_{train,val,test}.txt``: nested Wojood tags mapped to ours (PERS->PERS,
  ORG->ORG, GPE/LOC/FAC->LOC, EVENT/CURR/PRODUCT/LANGUAGE->MISC by ``wojood_map``; NORP and other types -> O, as
  ANERcorp leaves nationalities untagged), taking for each token the outermost layer whose type maps; its
  features get a Wojood-only copy (``wojood_domain``), so it adds evidence without imposing its conventions.
- feature resources (``ner_gazetteer.json``): UniversalPetrarch actor dictionary and Syrian admin units (word
  sets and typed phrases), the packaged place gazetteer and actor aliases (phrases), ``lang/ar/ner_cues.json``
  (cue words), and word clusters + frequencies from ``<data>/news/*.jsonl`` plus the TRAIN text of ANERcorp.
"""

from __future__ import annotations

import csv
import json
import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import regex

from ..lang import load
from ..progress import ProgressCallback, Tracker
from ..text.normalize import normalize_key, proclitics, strip_article
from . import data_dir, sha256_file
from .ner import (
    GAZETTEER_FILE,
    LABELS,
    MANIFEST,
    MODEL_FILE,
    TOKEN,
    NerTagger,
    Resources,
    _split,
    read_gazetteer,
    resources_from_json,
    spans_of,
    token_features,
)

log = logging.getLogger(__name__)

ANER = "ner/anercorp/ANERCorp_original.conll"
WOJOOD = tuple(f"ner/wojood_sample/wojood_sample_{p}.txt" for p in ("train", "val", "test"))
ACTORS = "actors/universalpetrarch_arabic/actor_dict_ar_v4.txt"
SYRIA_ADMIN = tuple(f"gazetteer/syria/{n}.json" for n in ("governorates", "districts", "subdistricts"))
SYRIA_COMMUNITIES = "gazetteer/syria/ocha_communities_2015.csv"
# CAMEO agent codes that are not countries (a 3-letter code that is not one of these is a country code)
_AGENT_CODES = frozenset(
    "GOV MIL REB OPP COP IGO NGO BUS CVL MED EDU JUD LEG SPY ELI LAB REF HLH CRM AGR ENV UAF IMG RAD SEP INS "
    "REL MOD NGM PTY UIS MNC".split()
)
_ENDS = {".", "?", "!", "؟"}
_ARABIC_LETTER = regex.compile(r"\p{Arabic}")

Sentence = tuple[list[str], list[str]]

# published macro-F1 on ANERcorp (CAMeL Lab split / their own splits; not our split)
PUBLISHED = {"AraBERT v0.1": 83.1, "BiLSTM-CRF": 81.7, "mBERT": 78.4}


@dataclass
class Config:
    seed: int = 13
    test_fraction: float = 0.2
    dev_fraction: float = 0.1
    c1_grid: tuple[float, ...] = (0.03, 0.1)
    c2: float = 0.01
    max_iterations: int = 150
    possible_states: bool = (
        False  # CRFsuite feature.possible_states: weights for unseen (attribute, label) pairs
    )
    use_wojood: bool = (
        True  # with feature augmentation (wojood_domain) it helps; plain, it hurt (docs/models.md)
    )
    use_gazetteer: bool = True
    wojood_gazetteer: bool = False  # entity words of the mapped Wojood sample as gazetteer features
    common_min_count: int = 60  # words this frequent in the training text never count as gazetteer words
    wojood_map: dict[str, str] = field(
        default_factory=lambda: {
            "PERS": "PERS",
            "ORG": "ORG",
            "GPE": "LOC",
            "LOC": "LOC",
            "FAC": "LOC",
            "EVENT": "MISC",
            "CURR": "MISC",
            "PRODUCT": "MISC",
            "LANGUAGE": "MISC",
        }
    )
    wojood_domain: bool = True  # Wojood features also get a Wojood-only copy (feature augmentation)
    # feature groups beyond the base set (rasd.models.ner.FEATURE_GROUPS)
    groups: tuple[str, ...] = (
        "affix4",
        "window3",
        "bigrams2",
        "cues",
        "phrases",
        "clusters",
        "vocabsplit",
    )
    # multi-token dictionary phrases: "up" (UniversalPetrarch actor dictionary, typed PERS/LOC/ORG), "places"
    # (rasd.resources.gazetteer aliases, LOC), "actors" (rasd.resources.actors aliases, untyped ACT)
    phrase_sources: tuple[str, ...] = ("up", "places", "actors")
    # distributional clusters: PPMI over directional +-window contexts (the most frequent words), randomized
    # SVD, spherical k-means at each granularity; corpus = news/*.jsonl + the TRAIN part of ANERcorp
    cluster_ks: tuple[int, ...] = (64, 256, 1024)
    cluster_dim: int = 100
    cluster_window: int = 2
    cluster_contexts: int = 2000
    cluster_min_count: int = 3
    cluster_max_vocab: int = 40000
    cluster_iterations: int = 20


def read_anercorp(path: Path) -> list[Sentence]:
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            tok, tag = parts[0], parts[-1]
            if tag not in ("O",) and tag[2:] not in LABELS:
                tag = "O"
            toks.append(tok)
            tags.append(tag)
            if tok in _ENDS:
                sents.append((toks, tags))
                toks, tags = [], []
    if toks:
        sents.append((toks, tags))
    return sents


def read_wojood(path: Path, mapping: dict[str, str]) -> list[Sentence]:
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        nonlocal toks, tags
        if toks:
            sents.append((toks, fix_iob(tags)))
        toks, tags = [], []

    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                flush()
                continue
            tok = parts[0]
            if tok == "$#$":  # document separator in the sample
                continue
            tag = "O"
            for t in parts[1:]:
                if t != "O" and t[2:] in mapping:
                    tag = t[:2] + mapping[t[2:]]
                    break
            toks.append(tok)
            tags.append(tag)
    flush()
    return sents


def fix_iob(tags: Sequence[str]) -> list[str]:
    out: list[str] = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def split_by_tokens(sents: list[Sentence], fraction: float) -> tuple[list[Sentence], list[Sentence]]:
    """(head, tail) where the tail is the last ``fraction`` of the tokens, cut at a sentence boundary."""
    total = sum(len(s[0]) for s in sents)
    target = total * (1 - fraction)
    acc = 0
    for i, s in enumerate(sents):
        if acc >= target:
            return sents[:i], sents[i:]
        acc += len(s[0])
    return sents, []


def entity_scores(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]]) -> dict[str, Any]:
    """conlleval-style exact-match entity P/R/F1 per type, micro overall, and the macro average of per-type F1."""
    tp: dict[str, int] = dict.fromkeys(LABELS, 0)
    ng: dict[str, int] = dict.fromkeys(LABELS, 0)
    np_: dict[str, int] = dict.fromkeys(LABELS, 0)
    for g, p in zip(gold, pred, strict=True):
        gs = set(spans_of(g))
        ps = set(spans_of(p))
        for _, _, lab in gs:
            ng[lab] += 1
        for _, _, lab in ps:
            np_[lab] += 1
        for _, _, lab in gs & ps:
            tp[lab] += 1

    def prf(t: int, g: int, p: int) -> dict[str, float]:
        pr = t / p if p else 0.0
        rc = t / g if g else 0.0
        f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        return {
            "p": round(100 * pr, 2),
            "r": round(100 * rc, 2),
            "f1": round(100 * f, 2),
            "gold": g,
            "pred": p,
        }

    out: dict[str, Any] = {lab: prf(tp[lab], ng[lab], np_[lab]) for lab in LABELS}
    out["micro"] = prf(sum(tp.values()), sum(ng.values()), sum(np_.values()))
    out["macro_f1"] = round(sum(out[lab]["f1"] for lab in LABELS) / len(LABELS), 2)
    return out


def _words(phrase: str) -> list[str]:
    return [strip_article(w) for w in normalize_key(phrase.replace("_", " ")).split() if len(w) > 2]


def build_gazetteer(
    data: Path, common: set[str], wojood: Sequence[Sentence] = ()
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Folded word lists for gazetteer features, from the shared actor dictionary and Syrian gazetteer.

    - PERS / PERS1: words / first words of UniversalPetrarch actor entries whose codes carry date ranges
      (PETRARCH's convention for individuals);
    - LOC / LOC1: words / one-word names of entries coded only with a country code ([SYR], [PSE]...), plus
      Syrian governorates, districts, sub-districts and communities (Arabic names and aliases);
    - ORG: words of other multi-word actor entries (ministries, parties, armies, IGOs).
    Words in ``common`` (frequent words of the training text) are dropped.
    """
    sets: dict[str, set[str]] = {k: set() for k in ("PERS", "PERS1", "LOC", "LOC1", "ORG")}
    hashes: dict[str, str] = {}
    actors = data / ACTORS
    if actors.exists():
        hashes[ACTORS] = sha256_file(actors)
        for name, codes, dated in _up_entries(actors):
            words = _words(name)
            if not words or not codes:
                continue
            if dated and len(words) >= 2:
                sets["PERS"].update(words)
                sets["PERS1"].add(words[0])
            elif all(len(c) == 3 and c.isalpha() and c not in _AGENT_CODES for c in codes):
                sets["LOC"].update(words)
                if len(words) == 1:
                    sets["LOC1"].add(words[0])
            elif len(words) >= 2:
                sets["ORG"].update(words)
    for rel in SYRIA_ADMIN:
        path = data / rel
        if not path.exists():
            continue
        hashes[rel] = sha256_file(path)
        for item in json.loads(path.read_text(encoding="utf-8")):
            names = [item.get("name", {}).get("ar") or ""]
            names += [a["value"] for a in item.get("aliases", []) if a.get("language") == "ar"]
            for nm in names:
                ws = _words(nm)
                sets["LOC"].update(ws)
                if len(ws) == 1:
                    sets["LOC1"].add(ws[0])
    comm = data / SYRIA_COMMUNITIES
    if comm.exists():
        hashes[SYRIA_COMMUNITIES] = sha256_file(comm)
        with comm.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                sets["LOC"].update(_words(row.get("NAME_ARA") or ""))
    # entity words of the (mapped) Wojood sample, when given: "W" + type, first words "W1" + type
    for toks, tags in wojood:
        for a, b, lab in spans_of(tags):
            ws = [strip_article(normalize_key(t)) for t in toks[a:b]]
            ws = [w for w in ws if len(w) > 2]
            if ws:
                sets.setdefault("W" + lab, set()).update(ws)
                sets.setdefault("W1" + lab, set()).add(ws[0])
    out = {k: sorted(v - common) for k, v in sets.items()}
    return out, hashes


def _up_entries(path: Path) -> list[tuple[str, list[str], bool]]:
    """(name, CAMEO codes, has a dated code line) for each entry of a UniversalPetrarch actor dictionary."""
    entries: list[tuple[str, list[str], bool]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            if entries and "[" in line:
                code = line.strip().lstrip("[").split()[0].rstrip("]")
                entries[-1][1].append(code)
                entries[-1] = (entries[-1][0], entries[-1][1], entries[-1][2] or " " in line.strip())
            continue
        name, _, rest = line.partition("[")
        codes = [rest.split("]")[0].split()[0].lstrip("~")] if rest else []
        entries.append((name.strip(), codes, False))
    return entries


def _is_country(codes: Sequence[str]) -> bool:
    return all(len(c) == 3 and c.isalpha() and c not in _AGENT_CODES for c in codes)


def phrase_key(phrase: str, counts: dict[str, int] | None = None) -> tuple[str, ...]:
    """The per-token keys a dictionary phrase is matched on: each word folded, proclitic split, article-less."""
    pro = proclitics()
    words = normalize_key(phrase.replace("_", " ")).split()
    return tuple(strip_article(_split(w, pro, counts)[1]) for w in words)


def build_phrases(
    data: Path, common: set[str], sources: Sequence[str], counts: dict[str, int] | None = None
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Multi-token dictionary entries by label, as space-joined :func:`phrase_key` keys.

    One-word entries that are frequent training words (``common``) or shorter than three letters are dropped.
    """
    sets: dict[str, set[tuple[str, ...]]] = {}
    hashes: dict[str, str] = {}

    def add(label: str, phrase: str) -> None:
        key = phrase_key(phrase, counts)
        if not key or (len(key) == 1 and (key[0] in common or len(key[0]) < 3)):
            return
        sets.setdefault(label, set()).add(key)

    actors = data / ACTORS
    if "up" in sources and actors.exists():
        hashes[ACTORS] = sha256_file(actors)
        for name, codes, dated in _up_entries(actors):
            n = len(normalize_key(name.replace("_", " ")).split())
            if not n or not codes:
                continue
            if dated and n >= 2:
                add("PERS", name)
            elif _is_country(codes):
                add("LOC", name)
            elif n >= 2:
                add("ORG", name)
    if "places" in sources:
        from ..resources.gazetteer import load_gazetteer

        gz = load_gazetteer()
        for key in gz.aliases:
            if key not in gz.common and _ARABIC_LETTER.search(key):
                add("LOC", key)
    if "actors" in sources:
        from ..resources.actors import load_actors

        for al in load_actors().aliases:
            if al.kind == "a":
                add("ACT", al.key)
    return {lab: sorted(" ".join(k) for k in keys) for lab, keys in sorted(sets.items())}, hashes


def build_cues() -> dict[str, list[str]]:
    """Cue classes of ``lang/ar/ner_cues.json``, folded (with and without the article)."""
    out: dict[str, list[str]] = {}
    for cls, items in load("ar", "ner_cues").items():
        keys: set[str] = set()
        for it in items:
            k = normalize_key(it)
            keys |= {k, strip_article(k)}
        out[cls] = sorted(keys)
    return out


def _corpus(data: Path, extra: Iterable[Sequence[str]]) -> tuple[list[list[str]], dict[str, str]]:
    sents: list[list[str]] = []
    hashes: dict[str, str] = {}
    news = data / "news"
    for path in sorted(news.glob("*.jsonl")) if news.is_dir() else []:
        hashes[str(path.relative_to(data))] = sha256_file(path)
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                for part in (doc.get("title") or "", doc.get("text") or ""):
                    toks = [normalize_key(t) for t in TOKEN.findall(part)]
                    if toks:
                        sents.append(toks)
    sents.extend([normalize_key(t) for t in toks] for toks in extra)
    return sents, hashes


def build_clusters(sents: Sequence[Sequence[str]], cfg: Config) -> dict[str, str]:
    """Folded word -> space-joined cluster ids, one per ``cfg.cluster_ks`` granularity (deterministic).

    Positive PMI (context distribution smoothed with exponent 0.75) of each word with the ``cluster_contexts``
    most frequent words at each offset -window..+window; a seeded randomized SVD to ``cluster_dim`` dimensions
    (rows scaled by sqrt of the singular values, unit length); spherical k-means per granularity.
    """
    import numpy as np

    counts = Counter(w for s in sents for w in s)
    vocab = [w for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= cfg.cluster_min_count]
    vocab = vocab[: cfg.cluster_max_vocab]
    if len(vocab) < max(cfg.cluster_ks, default=0) * 2:
        return {}
    idx = {w: i for i, w in enumerate(vocab)}
    n_ctx = min(cfg.cluster_contexts, len(vocab))
    win = cfg.cluster_window
    rows: list[int] = []
    cols: list[int] = []
    for s in sents:
        ids = [idx.get(w, -1) for w in s]
        n = len(ids)
        for i, wi in enumerate(ids):
            if wi < 0:
                continue
            for d in range(1, win + 1):
                for j, off in ((i - d, 2 * (d - 1)), (i + d, 2 * (d - 1) + 1)):
                    if 0 <= j < n and 0 <= ids[j] < n_ctx:
                        rows.append(wi)
                        cols.append(ids[j] + n_ctx * off)
    mat = np.zeros((len(vocab), n_ctx * 2 * win), dtype=np.float64)
    np.add.at(mat, (np.asarray(rows), np.asarray(cols)), 1.0)
    total = mat.sum()
    pw = mat.sum(1, keepdims=True)
    pc = mat.sum(0, keepdims=True) ** 0.75
    pc = pc / pc.sum() * total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(mat * total / (pw * pc + 1e-12) + 1e-12)
    pmi[mat == 0] = 0
    ppmi = np.maximum(pmi, 0).astype(np.float32)
    del mat, pmi
    rng = np.random.default_rng(cfg.seed)
    y = ppmi @ rng.standard_normal((ppmi.shape[1], cfg.cluster_dim + 20)).astype(np.float32)
    for _ in range(2):
        y, _r = np.linalg.qr(ppmi @ (ppmi.T @ y))
    q, _r = np.linalg.qr(y)
    ub, sv, _vt = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    emb = (q @ ub)[:, : cfg.cluster_dim] * np.sqrt(sv[: cfg.cluster_dim])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    labels = []
    for k in cfg.cluster_ks:
        rng = np.random.default_rng(cfg.seed + k)
        cent = emb[rng.choice(len(vocab), k, replace=False)].copy()
        for _ in range(cfg.cluster_iterations):
            lab = np.argmax(emb @ cent.T, axis=1)
            for c in range(k):
                m = lab == c
                if m.any():
                    v = emb[m].sum(0)
                    cent[c] = v / (np.linalg.norm(v) + 1e-9)
        labels.append(np.argmax(emb @ cent.T, axis=1))
    return {w: " ".join(str(int(lab[i])) for lab in labels) for i, w in enumerate(vocab)}


def build_resources(
    data: Path, cfg: Config, train_s: Sequence[Sentence]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON written to ``ner_gazetteer.json``: gazetteer word sets, and per ``cfg.groups`` the cue words,
    dictionary phrases and word clusters (keys starting with "_"), plus the groups themselves."""
    hashes: dict[str, str] = {}
    out: dict[str, Any] = {
        "_comment": "NER feature resources (rasd.models.ner.Resources); built by `rasd train ner`"
    }
    train_counts = Counter(normalize_key(t) for toks, _ in train_s for t in toks)
    common = {w for w, n in train_counts.items() if n >= cfg.common_min_count}
    common |= {strip_article(w) for w in common}
    if cfg.use_gazetteer:
        wj: list[Sentence] = []
        if cfg.wojood_gazetteer:
            for rel in WOJOOD:
                if (data / rel).exists():
                    wj += read_wojood(data / rel, cfg.wojood_map)
                    hashes[rel] = sha256_file(data / rel)
        lists, gaz_hashes = build_gazetteer(data, common, wj)
        hashes.update(gaz_hashes)
        out.update(lists)
    groups = set(cfg.groups)
    out["_groups"] = sorted(groups)
    if "cues" in groups:
        out["_cues"] = build_cues()
    sents: list[list[str]] = []
    counts: dict[str, int] | None = None
    if groups & {"clusters", "vocabsplit"}:
        sents, ch = _corpus(data, [toks for toks, _ in train_s])
        hashes.update(ch)
    if "vocabsplit" in groups:
        counts = corpus_counts(sents, cfg)
        out["_counts"] = counts
    if "phrases" in groups:
        out["_phrases"], ph = build_phrases(data, common, cfg.phrase_sources, counts)
        hashes.update(ph)
    if "clusters" in groups:
        out["_clusters"] = build_clusters(sents, cfg)
    return out, hashes


def corpus_counts(sents: Sequence[Sequence[str]], cfg: Config) -> dict[str, int]:
    """Frequencies of the ``cluster_max_vocab`` most frequent Arabic words seen ``cluster_min_count`` times."""
    counts = Counter(w for s in sents for w in s if _ARABIC_LETTER.match(w))
    top = sorted(counts.items(), key=lambda x: (-x[1], x[0]))[: cfg.cluster_max_vocab]
    return {w: n for w, n in top if n >= cfg.cluster_min_count}


def fit(
    sents: Sequence[Sentence],
    path: Path,
    cfg: Config,
    c1: float,
    gaz: Resources | None = None,
    extra: Sequence[Sentence] = (),
) -> None:
    """Train on ``sents`` (ANERcorp) plus ``extra`` (mapped Wojood) sentences. With ``cfg.wojood_domain``,
    each feature of an extra sentence also gets a Wojood-only copy ("W|..."; Daume's feature augmentation), so
    Wojood's annotation habits are learnt by weights that never fire at tagging time."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, tags in sents:
        trainer.append(token_features(toks, gaz), tags)
    for toks, tags in extra:
        feats = token_features(toks, gaz)
        if cfg.wojood_domain:
            feats = [f + ["W|" + x for x in f] for f in feats]
        trainer.append(feats, tags)
    trainer.set_params(
        {
            "c1": c1,
            "c2": cfg.c2,
            "max_iterations": cfg.max_iterations,
            "feature.possible_transitions": True,
            "feature.possible_states": cfg.possible_states,
        }
    )
    trainer.train(str(path))


def _dev_score(
    args: tuple[Sequence[Sentence], Sequence[Sentence], Sequence[Sentence], Path, Path, Config, float],
) -> float:
    """Fit on ``fit_s`` with ``c1`` and return the dev macro F1 (one grid point; runs in a worker process)."""
    fit_s, extra, dev_s, tmp, gaz_path, cfg, c1 = args
    gaz = read_gazetteer(gaz_path)
    fit(fit_s, tmp, cfg, c1, gaz, extra)
    f = entity_scores([t for _, t in dev_s], predict(NerTagger.load(tmp, gaz_path), dev_s))["macro_f1"]
    tmp.unlink(missing_ok=True)
    return float(f)


def _counted(scores: Iterable[float], tracker: Tracker) -> Iterator[float]:
    for score in scores:
        tracker.advance()
        yield score


def predict(tagger: NerTagger, sents: Sequence[Sentence]) -> list[list[str]]:
    return [tagger.tag(toks) for toks, _ in sents]


def train(
    data: Path,
    out_dir: Path | None = None,
    cfg: Config | None = None,
    workers: int = 2,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Build the resources, choose c1 on DEV (``workers`` processes fit the grid points in parallel; the
    result does not depend on it), refit on TRAIN, score TEST once, write artefacts + manifest.
    ``progress``: called with :class:`rasd.progress.Progress` snapshots counting the fits (one per c1 grid
    point, then the final fit)."""
    cfg = cfg or Config()
    tracker = Tracker("train ner", progress, total=len(cfg.c1_grid) + 1, unit="fit")
    t0 = time.perf_counter()
    out_dir = out_dir or data_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    aner = read_anercorp(data / ANER)
    train_s, test_s = split_by_tokens(aner, cfg.test_fraction)
    extra: list[Sentence] = []
    data_hashes = {ANER: sha256_file(data / ANER)}
    if cfg.use_wojood:
        for rel in WOJOOD:
            if (data / rel).exists():
                extra += read_wojood(data / rel, cfg.wojood_map)
                data_hashes[rel] = sha256_file(data / rel)
    fit_s, dev_s = split_by_tokens(train_s, cfg.dev_fraction)
    gaz_path = out_dir / GAZETTEER_FILE
    res_json, res_hashes = build_resources(data, cfg, train_s)
    data_hashes.update(res_hashes)
    gaz_path.write_text(json.dumps(res_json, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    gaz = resources_from_json(res_json)
    jobs = [
        (fit_s, extra, dev_s, out_dir / f"{MODEL_FILE}.{i}.tmp", gaz_path, cfg, c1)
        for i, c1 in enumerate(cfg.c1_grid)
    ]
    if workers > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(min(workers, len(jobs))) as pool:
            scores = list(_counted(pool.map(_dev_score, jobs), tracker))
    else:
        scores = list(_counted(map(_dev_score, jobs), tracker))
    grid = []
    best_c1, best_f = cfg.c1_grid[0], -1.0
    for c1, f in zip(cfg.c1_grid, scores, strict=True):
        grid.append({"c1": c1, "dev_macro_f1": f})
        log.info("c1=%g dev macro F1 %.2f", c1, f)
        if f > best_f:
            best_c1, best_f = c1, f
    art = out_dir / MODEL_FILE
    fit(train_s, art, cfg, best_c1, gaz, extra)
    tracker.advance()
    tracker.close()
    tagger = NerTagger.load(art, gaz_path)
    test_scores = entity_scores([t for _, t in test_s], predict(tagger, test_s))
    manifest = {
        "model": "ner",
        "artefacts": {MODEL_FILE: sha256_file(art), GAZETTEER_FILE: sha256_file(gaz_path)},
        "config": asdict(cfg),
        "chosen": {"c1": best_c1, "grid": grid},
        "data": data_hashes,
        "split": {
            "anercorp_sentences": len(aner),
            "train_sentences": len(train_s),
            "train_tokens": sum(len(s[0]) for s in train_s),
            "test_sentences": len(test_s),
            "test_tokens": sum(len(s[0]) for s in test_s),
            "wojood_sentences": len(extra),
            "rule": f"test = the last {cfg.test_fraction:.0%} of ANERcorp tokens (cut at a sentence end); "
            f"c1 chosen on the last {cfg.dev_fraction:.0%} of train",
        },
        "metrics": {"test": test_scores, "published_macro_f1_other_splits": PUBLISHED},
        "train_seconds": round(time.perf_counter() - t0, 1),
    }
    (out_dir / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest
