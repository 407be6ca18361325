"""gsr sentences through `rasd extract`, judged by grouped cross-validation (issue 14).

    .venv/bin/python bench/gsr_cv.py [--data ../shared/data] [--folds 5] [--json bench/out/gsr_cv.json]

The event-sentence classifier is trained on the gsr dev sentences, so scoring the shipped model on them is
optimistic. Here the sentences' articles are cut into ``--folds`` groups (crc32 of the article id, as the
classifier's own split: all sentences of one article fall in one fold). For each fold a classifier is trained
on the other folds only (``rasd train events`` with that fold held out, the same grid and weak data), and the
held-out fold's sentences are coded by the default pipeline with that classifier: what `rasd extract` does to a
one-sentence document (place required; an event with no place below the country is an unlocated detection,
and detections count, as the gold README's sentence scoring says). The sentence-level coder
(``EventCoder(require_location=False)``, the earlier README figure) is scored beside it. Strict: unanimous yes
against unanimous no; all: majority no counts as no too. Pooled over the folds.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _pool(tables: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {}
    for t in tables:
        for cls, by in t.items():
            for k, c in by.items():
                acc = out.setdefault(cls, {}).setdefault(k, {"tp": 0, "fp": 0, "fn": 0})
                for f in ("tp", "fp", "fn"):
                    acc[f] += c[f]
    for by in out.values():
        for c in by.values():
            p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
            r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
            c.update(p=round(p, 3), r=round(r, 3), f1=round(2 * p * r / (p + r), 3) if p + r else 0.0)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="gsr sentences, grouped cross-validation, through rasd extract")
    ap.add_argument("--data", type=Path, default=SHARED / "data")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "gsr_cv.json")
    args = ap.parse_args(argv)

    from rasd.eval import evaluate_sentences, event_pipeline, read_jsonl
    from rasd.events import EventCoder
    from rasd.models import train_events as te
    from rasd.models.events import EventSentenceClassifier
    from rasd.pipeline import Pipeline

    t0 = time.time()
    recs = read_jsonl(args.data / te.GSR)
    base = [s for s in event_pipeline().stages if s.name != "events"]
    modes: dict[str, list[dict[str, Any]]] = {"extract": [], "sentence": []}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            cfg = te.Config(val_mod=args.folds, val_fold=k)
            out = Path(tmp) / f"fold{k}"
            te.train(args.data, out, cfg)
            clf = EventSentenceClassifier.load(out / te.MODEL_FILE)
            held = [r for r in recs if te.is_validation(str(r["id"]), args.folds, k)]
            for mode, coder in (
                ("extract", EventCoder(classifier=clf)),
                ("sentence", EventCoder(require_location=False, classifier=clf)),
            ):
                table = evaluate_sentences(held, Pipeline([*base, coder]))
                modes[mode].append(table)
                print(
                    f"fold {k} {mode}: "
                    + "  ".join(
                        f"{c} strict {t['strict']['f1']:.3f} all {t['all']['f1']:.3f}"
                        for c, t in table.items()
                    ),
                    flush=True,
                )
    pooled = {m: _pool(ts) for m, ts in modes.items()}
    result = {"folds": args.folds, "pooled": pooled, "per_fold": modes, "seconds": round(time.time() - t0, 1)}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n")
    print(
        "| coder | ASSAULT strict P / R / F1 | ASSAULT all F1 | PROTEST strict P / R / F1 | PROTEST all F1 |"
    )
    print("|---|---|---|---|---|")
    for m, by in pooled.items():
        a, p = by["ASSAULT"], by["PROTEST"]
        print(
            f"| {m} | {a['strict']['p']:.2f} / {a['strict']['r']:.2f} / **{a['strict']['f1']:.3f}** | "
            f"{a['all']['f1']:.3f} | {p['strict']['p']:.2f} / {p['strict']['r']:.2f} / "
            f"**{p['strict']['f1']:.3f}** | {p['all']['f1']:.3f} |"
        )
    print(f"({result['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
