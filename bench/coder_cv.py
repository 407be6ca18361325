"""Event coder, judged honestly (issue 14): leave-one-group-out event scores over the labelled gold corpus.

    .venv/bin/python bench/coder_cv.py [--gold ../shared/gold] [--json bench/out/coder_cv.json]

Each group of ``train.jsonl`` + ``dev.jsonl`` (saudinewsnet-2015, jawharafm-2014-2017, syria-2023-2026,
region-2023-2026, dev) is coded by a candidate scorer fitted on the OTHER groups only (its L2 and threshold
chosen by an inner leave-one-group-out on those), and scored with the rules of ../shared/gold/README.md. The hand
rules alone (``EventCoder(scorer=False)``, the coder before issue 14, tuned on dev) are scored beside it.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIELDS = ("sub_event_type", "actor1", "actors", "fatalities", "date", "date_within")


def _row(name: str, rep: dict[str, Any], rules: dict[str, Any]) -> str:
    acc = rep.get("accuracy") or {}
    cells = [
        name,
        str(rep["articles"]),
        str(rep["gold_events"]),
        f"{rep['precision']:.2f} / {rep['recall']:.2f} / **{rep['f1']:.2f}**",
        f"{rules['f1']:.2f}",
        *(f"{acc[f]:.2f}" if acc.get(f) is not None else "-" for f in FIELDS),
    ]
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="leave-one-group-out event coder benchmark")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "coder_cv.json")
    args = ap.parse_args(argv)

    from rasd import train_coder as tc
    from rasd.eval import score_events
    from rasd.events import EventCoder

    t0 = time.time()
    cfg = tc.Config()
    corpus, flat = tc.prepare(args.gold)
    cv = tc.cross_validate(corpus, flat, cfg)
    rules_coder = EventCoder(scorer=False)
    rules: dict[str, Any] = {}
    for g in [*sorted(cv["groups"]), "all"]:
        idx = [i for i, gg in enumerate(corpus.groups) if g in ("all", gg)]
        pred = [rules_coder(copy.deepcopy(corpus.docs[i])).to_dict(with_text=False) for i in idx]
        rep = score_events([corpus.gold[i] for i in idx], pred).to_dict()
        rep.pop("per_article", None)
        rules[g] = rep
    out = {"cv": cv, "rules": rules, "seconds": round(time.time() - t0, 1)}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    head = "| group (held out) | articles | gold events | P / R / F1 (learned, LOGO) | F1 rules only | "
    print(head + " | ".join(FIELDS) + " |")
    print("|" + "---|" * (5 + len(FIELDS)))
    for g, rep in sorted(cv["groups"].items()):
        print(_row(g, rep, rules[g]))
    print(_row("all groups", cv["all"], rules["all"]))
    print(f"({out['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
