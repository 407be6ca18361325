"""Benchmark the shipped learned models on their held-out splits (reads ../shared/data; not a test).

    .venv/bin/python bench/models.py [--data ../shared/data] [--json]

- NER: entity-level (conlleval exact match) P/R/F1 per type, micro, macro on the ANERcorp TEST split (the last
  20% of tokens) and tagging throughput in tokens/s on one core (single process, features + Viterbi; CPU time of this
  process, time.process_time, so other load on the machine does not count).
- Event sentences: P/R/F1 on the internal VALIDATION articles of arabic_event_gsr dev for ASSAULT and PROTEST,
  strict (unanimous yes vs unanimous no) and all (majority no counted as negative too), beside the pure-lexicon
  detector (any past-verb/noun trigger) and the lexicon with context blocking (negation/future/threat/if);
  plus the classifier's cost per sentence and per SaudiNewsNet article (every sentence classified).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def bench_ner(data: Path) -> dict[str, Any]:
    from rasd.models.ner import LABELS, NerTagger
    from rasd.models.train_ner import ANER, PUBLISHED, entity_scores, read_anercorp, split_by_tokens

    sents = read_anercorp(data / ANER)
    _, test = split_by_tokens(sents, 0.2)
    tagger = NerTagger.load()
    tagger.tag(test[0][0])
    ntok = sum(len(t) for t, _ in test)
    best = float("inf")
    pred: list[list[str]] = []
    for _ in range(3):
        t0 = time.process_time()
        pred = [tagger.tag(t) for t, _ in test]
        best = min(best, time.process_time() - t0)
    scores = entity_scores([g for _, g in test], pred)
    stage_ms = _ner_stage_ms(data)
    return {
        "stage_cpu_ms_per_news_article": stage_ms,
        "test_sentences": len(test),
        "test_tokens": ntok,
        "scores": {k: scores[k] for k in (*LABELS, "micro")},
        "macro_f1": scores["macro_f1"],
        "tokens_per_second": round(ntok / best),
        "published_macro_f1_other_splits": PUBLISHED,
    }


def _ner_stage_ms(data: Path, n: int = 150, warm: int = 30) -> dict[str, float]:
    """CPU ms per SaudiNewsNet article of the ``ner`` stage, tagging every sentence or only trigger sentences."""
    from rasd.document import Document
    from rasd.models.ner import NerRecognizer
    from rasd.text.normalize import Normalizer
    from rasd.text.segment import Segmenter

    news = data / "news" / "saudinewsnet_syria.jsonl"
    arts = [json.loads(line)["text"] for line in news.open(encoding="utf-8")][:n]
    out = {}
    for scope in ("all", "events"):
        stage = NerRecognizer(scope=scope)
        docs = [Segmenter()(Normalizer()(Document(str(i), a))) for i, a in enumerate(arts)]
        for d in docs[:warm]:
            stage(d)
        t0 = time.process_time()
        for d in docs[warm:]:
            stage(d)
        out[scope] = round(1000 * (time.process_time() - t0) / (n - warm), 2)
    return out


def bench_events(data: Path) -> dict[str, Any]:
    from rasd.models.events import CLASSES, EventSentenceClassifier, lexicon_detect
    from rasd.models.train_events import GSR, evaluate, is_validation, load_gsr
    from rasd.text.normalize import normalize
    from rasd.text.segment import sentences

    clf = EventSentenceClassifier.load()
    gold = load_gsr(data / GSR)
    out: dict[str, Any] = {}
    for c in CLASSES:
        va = [e for e in gold if e.cls == c and is_validation(e.id)]
        pred = [clf.detect(e.text)[c] for e in va]
        out[c] = {
            "model": evaluate(va, pred),
            "model_strict_f1_95ci": _bootstrap_f1(va, pred),
            "lexicon": evaluate(va, [lexicon_detect(e.text)[c] for e in va]),
            "lexicon_context": evaluate(va, [lexicon_detect(e.text, strict_context=True)[c] for e in va]),
        }
    texts = [json.loads(line)["text"] for line in (data / GSR).open(encoding="utf-8")]
    t0 = time.process_time()
    for t in texts:
        clf.predict(t)
    per_sentence = (time.process_time() - t0) / len(texts)
    news = data / "news" / "saudinewsnet_syria.jsonl"
    arts = [json.loads(line)["text"] for line in news.open(encoding="utf-8")][:300]
    items = []
    for a in arts:
        norm = normalize(a)
        items.append((norm, [(s.start, s.end) for s in sentences(a)]))
    t0 = time.process_time()
    for norm, spans in items:
        for s, e in spans:
            clf.predict_span(norm, s, e)
    per_article = (time.process_time() - t0) / len(items)
    out["ms_per_gsr_sentence"] = round(1000 * per_sentence, 3)
    out["ms_per_news_article_all_sentences"] = round(1000 * per_article, 2)
    out["news_sentences_per_article"] = round(sum(len(s) for _, s in items) / len(items), 1)
    return out


def _bootstrap_f1(examples: list[Any], pred: list[bool], n: int = 1000) -> list[float]:
    """95% percentile bootstrap interval of strict F1 over validation sentences (fixed seed)."""
    import random

    pairs = [(e.y, p) for e, p in zip(examples, pred, strict=True) if e.label in ("yes", "easy no")]
    rng = random.Random(0)
    f1s = []
    for _ in range(n):
        sample = [pairs[rng.randrange(len(pairs))] for _ in pairs]
        tp = sum(1 for y, p in sample if y and p)
        fp = sum(1 for y, p in sample if not y and p)
        fn = sum(1 for y, p in sample if y and not p)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    f1s.sort()
    return [round(f1s[int(0.025 * n)], 3), round(f1s[int(0.975 * n) - 1], 3)]


def _table(res: dict[str, Any]) -> str:
    lines = []
    ner = res["ner"]
    lines.append(f"NER, ANERcorp test split ({ner['test_tokens']} tokens), entity-level exact match")
    lines.append("| type | P | R | F1 |")
    lines.append("|---|---|---|---|")
    for k, v in ner["scores"].items():
        lines.append(f"| {k} | {v['p']:.1f} | {v['r']:.1f} | {v['f1']:.1f} |")
    lines.append(f"| macro F1 | | | {ner['macro_f1']:.1f} |")
    lines.append(f"tokens/s (one core): {ner['tokens_per_second']}")
    st = ner["stage_cpu_ms_per_news_article"]
    lines.append(
        f"ner stage, CPU ms per news article: every sentence {st['all']}, trigger sentences {st['events']}"
    )
    lines.append("")
    ev = res["events"]
    lines.append("Event sentences, arabic_event_gsr dev VALIDATION articles")
    lines.append("| class | setting | detector | P | R | F1 | n |")
    lines.append("|---|---|---|---|---|---|---|")
    for c in ("ASSAULT", "PROTEST"):
        for setting in ("strict", "all"):
            for det in ("model", "lexicon", "lexicon_context"):
                m = ev[c][det][setting]
                lines.append(
                    f"| {c} | {setting} | {det} | {m['p']:.2f} | {m['r']:.2f} | {m['f1']:.2f} | {m['n']} |"
                )
    for c in ("ASSAULT", "PROTEST"):
        lo, hi = ev[c]["model_strict_f1_95ci"]
        lines.append(f"{c} model strict F1 95% bootstrap interval: {lo:.2f}-{hi:.2f}")
    lines.append(
        f"ms per sentence: {ev['ms_per_gsr_sentence']}; ms per news article, every sentence "
        f"({ev['news_sentences_per_article']} sentences): {ev['ms_per_news_article_all_sentences']}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only", choices=("ner", "events"), default=None)
    args = ap.parse_args(argv)
    data = Path(args.data)
    res: dict[str, Any] = {}
    res["ner"] = bench_ner(data) if args.only in (None, "ner") else None
    res["events"] = bench_events(data) if args.only in (None, "events") else None
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    elif args.only is None:
        print(_table(res))
    else:
        print(json.dumps(res[args.only], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
