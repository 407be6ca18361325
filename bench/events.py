"""Event coding benchmark (issue 5): dev gold event P/R/F1 and field accuracies, gsr sentence F1, speed.

    .venv/bin/python bench/events.py [--gold ../shared/gold/dev.jsonl]
        [--gsr ../shared/data/events/arabic_event_gsr_dev.jsonl]
        [--news ../shared/data/news/saudinewsnet_syria.jsonl] [--no-classifier] [--json]

Speed is the whole default pipeline (read -> recognise -> geocode -> code) over the news file, one core, after a
warm-up document (resources loaded), in articles per second of wall time. ``--no-classifier`` codes on trigger
words alone: the learned event-sentence classifier was trained on the gsr dev sentences, so gsr numbers WITH it
are optimistic (its cross-validated F1 is in its manifest); the numbers without it are the honest lexical floor.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _pipelines(no_classifier: bool) -> tuple[Any, Any]:
    from rasd.eval import event_pipeline
    from rasd.events import EventCoder
    from rasd.pipeline import Pipeline

    art, sent = event_pipeline(), event_pipeline(require_location=False)
    if no_classifier:
        art = Pipeline([*art.stages[:-1], EventCoder(classifier=False)])
        sent = Pipeline([*sent.stages[:-1], EventCoder(require_location=False, classifier=False)])
    return art, sent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="rasd event coding benchmark")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold" / "dev.jsonl")
    ap.add_argument("--gsr", type=Path, default=SHARED / "data" / "events" / "arabic_event_gsr_dev.jsonl")
    ap.add_argument("--news", type=Path, default=SHARED / "data" / "news" / "saudinewsnet_syria.jsonl")
    ap.add_argument("--limit", type=int, default=0, help="only the first N news articles for the speed run")
    ap.add_argument("--no-classifier", action="store_true")
    ap.add_argument(
        "--skip-stage", action="append", default=[], help="leave a stage out of the speed run (e.g. ner)"
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from rasd.eval import evaluate_sentences, extract_records, read_jsonl, score_events
    from rasd.readers import read

    art, sent = _pipelines(args.no_classifier)
    out: dict[str, Any] = {}
    gold = read_jsonl(args.gold)
    report = score_events(gold, extract_records(args.gold, art)).to_dict()
    report.pop("per_article")
    out["dev"] = report
    recs = read_jsonl(args.gsr)
    table = evaluate_sentences(recs, sent)
    out["gsr"] = {c: {k: v["f1"] for k, v in t.items()} for c, t in table.items()}
    out["gsr_detail"] = table
    try:  # the classifier's held-out articles (never used to fit or tune it): the honest gsr figure
        from rasd.models.train_events import is_validation

        held = [r for r in recs if is_validation(str(r["id"]))]
        vt = evaluate_sentences(held, sent)
        out["gsr_validation"] = {c: {k: v["f1"] for k, v in t.items()} for c, t in vt.items()}
        out["gsr_validation_detail"] = vt
    except ImportError:
        pass

    if args.skip_stage:
        from rasd.pipeline import Pipeline

        art = Pipeline([st for st in art.stages if st.name not in set(args.skip_stage)])
    docs = list(read([str(args.news)], input_format="jsonl"))
    if args.limit:
        docs = docs[: args.limit]
    art(docs[0])
    art.timings.clear()
    t0, c0 = time.perf_counter(), time.process_time()
    events = 0
    for d in docs:
        events += len(art(d).events)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    out["speed"] = {
        "articles": len(docs),
        "seconds": round(dt, 2),
        "articles_per_s": round(len(docs) / dt, 1),
        "cpu_seconds": round(cpu, 2),
        "articles_per_cpu_s": round(len(docs) / cpu, 1),
        "events": events,
        "stage_seconds": {k: round(v, 2) for k, v in art.timings.items()},
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    d = out["dev"]
    print(
        f"dev gold ({args.gold.name}): P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}  "
        f"(gold {d['gold_events']}, pred {d['pred_events']}, matched {d['matched']})"
    )
    print(
        "  field accuracy on matched: "
        + ", ".join(f"{k} {v:.2f}" for k, v in d["accuracy"].items() if v is not None)
    )
    print(f"  per-article total fatalities MAE: {d['fatalities_total_mae']}")
    for c, t in out["gsr"].items():
        print(f"gsr {c} (all dev sentences): F1 strict {t['strict']:.3f}  all {t['all']:.3f}")
    for c, t in out.get("gsr_validation", {}).items():
        n = out["gsr_validation_detail"][c]["strict"]
        print(
            f"gsr {c} (classifier's held-out split, {n['tp'] + n['fn']} yes): "
            f"F1 strict {t['strict']:.3f}  all {t['all']:.3f}"
        )
    s = out["speed"]
    print(
        f"speed: {s['articles']} articles in {s['seconds']} s wall = {s['articles_per_s']} articles/s; "
        f"{s['cpu_seconds']} s CPU = {s['articles_per_cpu_s']} articles/CPU-s ({s['events']} events)"
    )
    print("  per stage (s): " + ", ".join(f"{k} {v}" for k, v in s["stage_seconds"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
