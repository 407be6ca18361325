"""Bench (issue #10): extraction time and peak memory of ONE long document, by size, stage by stage.

    .venv/bin/python bench/scaling.py [--sizes 0.1 0.5 1 2 5] [--huge] [--source seed|news|event|...] [--budget]
        [--json]

Each size runs in a fresh process (so its peak RSS is its own): the default pipeline is built and warmed on a
short document first (resources loaded, not timed), then one document of the given size in MB of UTF-8 is run
through every stage, timed per stage. ``--source seed`` (the default) repeats tests/data/seed_khuwayn_2018.txt,
as in the issue's report; ``--source news`` concatenates distinct SaudiNewsNet articles (../shared), a long text
that does not repeat itself; the other sources repeat one hostile unit (#17): ``event`` one event sentence (as
bench/hostile.py), ``actors`` / ``places`` / ``numbers`` / ``dates`` a list of one name, number or date,
``triggers`` one attack verb as a sentence. ``--budget`` runs the document through the pipeline with its
per-document budget (``--doc-seconds``/``--doc-mentions`` defaults, or RASD_DOC_SECONDS/RASD_DOC_MENTIONS) and
reports the error code of a refused document and the stage that refused it; without it, every stage runs
unbounded. ``--huge`` adds 50 MB. Linear work shows as a constant s/MB column; a quadratic stage's s/MB grows
with the size. Writes bench/out/scaling.json.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "seed_khuwayn_2018.txt"
NEWS = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet_syria.jsonl"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# hostile units (#17), repeated to the size asked
UNITS = {
    "event": "قصفت قوات النظام بلدة الخوين بريف إدلب الجنوبي وقتل خمسة مدنيين. ",
    "actors": "قوات النظام، ",
    "places": "إدلب، ",
    "numbers": "خمسة، ",
    "dates": "13 شباط 2018، ",
    "triggers": "قصفت. ",
}


def _text(source: str, mb: float) -> str:
    target = int(mb * 1_000_000)
    if source == "seed" or source in UNITS:
        unit = SEED.read_text(encoding="utf-8") + "\n\n" if source == "seed" else UNITS[source]
        copies = max(1, round(target / len(unit.encode("utf-8"))))
        return unit * copies
    parts: list[str] = []
    size = 0
    while size < target:
        with NEWS.open(encoding="utf-8") as fh:
            for line in fh:
                body = str(json.loads(line).get("text") or "")
                if not body:
                    continue
                parts.append(body)
                size += len(body.encode("utf-8")) + 2
                if size >= target:
                    break
    return "\n\n".join(parts)


def child(source: str, mb: float, budget: bool = False) -> dict[str, Any]:
    """One size, in this process: warm up, then time every stage on the long document (``budget``: through the
    pipeline and its per-document budget, which may refuse it)."""
    from rasd import default_pipeline
    from rasd.document import Document, Metadata
    from rasd.errors import RasdError

    pipe = default_pipeline()
    warm = pipe(Document("warm", SEED.read_text(encoding="utf-8")))
    rss_warm = _rss_mb()
    text = _text(source, mb)
    doc = Document("long", text, Metadata())
    stages: dict[str, float] = {}
    refused = None
    t0 = time.perf_counter()
    if budget:
        pipe.timings.clear()
        try:
            doc = pipe(doc)
        except RasdError as err:
            where = re.search(r"stage '(\w+)'", err.message)
            refused = f"{err.code} in {where.group(1) if where else '?'}"
        stages = {k: round(v, 3) for k, v in pipe.timings.items()}
    else:
        for stage in pipe.stages:
            t = time.perf_counter()
            doc = stage(doc)
            stages[stage.name] = round(time.perf_counter() - t, 3)
    total = time.perf_counter() - t0
    return {
        "source": source,
        "mb": round(len(text.encode("utf-8")) / 1e6, 3),
        "chars": len(text),
        "seconds": round(total, 2),
        "s_per_mb": round(total / (len(text.encode("utf-8")) / 1e6), 2),
        "peak_rss_mb": round(_rss_mb(), 1),
        "rss_after_warmup_mb": round(rss_warm, 1),
        "refused": refused,
        "events": len(doc.acled_events),
        "statements": len(doc.statements),
        "mentions": len(doc.mentions),
        "stages": stages,
        "warm_events": len(warm.events),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="rasd long-document scaling bench")
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.1, 0.5, 1, 2, 5])
    ap.add_argument("--huge", action="store_true", help="also 50 MB (minutes, several GB of RAM)")
    ap.add_argument("--source", choices=("seed", "news", *UNITS), default="seed")
    ap.add_argument("--budget", action="store_true", help="through the pipeline's per-document budget")
    ap.add_argument("--json", action="store_true", help="print the JSON summary instead of the table")
    ap.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.source, args.child, args.budget)))
        return 0
    sizes = [*args.sizes, *([50.0] if args.huge else [])]
    rows = []
    for mb in sizes:
        cmd = [
            sys.executable,
            __file__,
            "--source",
            args.source,
            "--child",
            str(mb),
            *(["--budget"] * args.budget),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        if not args.json:
            r = rows[-1]
            slow = sorted(r["stages"].items(), key=lambda kv: -kv[1])[:3]
            print(
                f"{r['mb']:>7.2f} MB {r['chars']:>10,d} chars {r['seconds']:>8.2f} s {r['s_per_mb']:>6.2f} s/MB "
                f"peak {r['peak_rss_mb']:>7.0f} MB (warm {r['rss_after_warmup_mb']:.0f})  "
                + "  ".join(f"{k} {v:.2f}" for k, v in slow)
                + (f"  refused: {r['refused']}" if r["refused"] else ""),
                flush=True,
            )
    summary = {"source": args.source, "budget": args.budget, "runs": rows}
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "scaling.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
