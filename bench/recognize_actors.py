#!/usr/bin/env python
"""Bench the "actors" and "sources" stages on the gold dev set: recall of gold actor phrases and timing.

For every gold event, actor1_ar / actor2_ar (the Arabic phrase as written) is looked up in the article text; it is
*found* when an ``actor`` mention overlaps it, and *named* when an overlapping mention carries the gold canonical
actor name (for generic actors the name is compared with the default country; Islamic State's country variants
and the US/Iraq period names count through ``names_by_country``/``names_by_year``). attributed_to is checked the
same way against ``source`` mentions. Timing: per-article time of the two recognisers (normalisation and
segmentation excluded and reported apart), and the load time of the resources.

Usage: .venv/bin/python bench/recognize_actors.py [--gold ../shared/gold/dev.jsonl] [--corpus FILE.jsonl] [-v]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "dev.jsonl")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=ROOT.parent / "shared" / "data" / "news" / "saudinewsnet_syria.jsonl",
        help="articles for the timing run (default: the SaudiNewsNet Syria corpus)",
    )
    ap.add_argument("--limit", type=int, default=0, help="time only the first N corpus articles")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the gold phrases missed")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from actors_gold import gold_phrases  # bench/ is on sys.path when run as a script

    from rasd.document import Document
    from rasd.recognize.actors import ActorRecognizer
    from rasd.recognize.sources import SourceRecognizer
    from rasd.text.normalize import norm_of
    from rasd.text.segment import Segmenter

    actors = ActorRecognizer()
    sources = SourceRecognizer()
    seg = Segmenter()
    load_s = time.perf_counter() - t0

    records = [
        json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    total = found = named = 0
    src_total = src_found = 0
    missed: list[str] = []
    for rec in records:
        doc = Document(rec["id"], rec["text"])
        seg(doc)
        actors(doc)
        sources(doc)
        ams = doc.mentions_of("actor")
        sms = doc.mentions_of("source")
        for ev, phrase, gold_name, pos, end in gold_phrases(rec):
            total += 1
            over = [m for m in ams if m.start < end and pos < m.end]
            if over:
                found += 1
            names = set()
            for m in over:
                v = m.value
                names.add(v.get("name"))
                names.update((v.get("names_by_country") or {}).values())
                names.update(n for _, _, n in (v.get("names_by_year") or []))
                if v.get("name_template"):
                    names.add(v["name_template"].format(country=ev.get("country") or "Syria"))
            if gold_name in names:
                named += 1
            else:
                got = [(m.text, m.value.get("name")) for m in over]
                missed.append(f"{rec['id']}: {phrase!r} gold={gold_name!r} got={got}")
        for ev in rec.get("events", []):
            att = ev.get("attributed_to")
            if att:
                src_total += 1
                if any(att in m.text or m.text in att or _norm_eq(m.value.get("name"), att) for m in sms):
                    src_found += 1
                else:
                    missed.append(f"{rec['id']}: source {att!r} not found; got {[m.text for m in sms][:6]}")

    # timing over a corpus
    times: list[float] = []
    pre: list[float] = []
    n_actor = n_source = 0
    corpus = args.corpus if args.corpus.exists() else args.gold
    with corpus.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if args.limit and i >= args.limit:
                break
            rec = json.loads(line)
            doc = Document(str(rec.get("id", i)), rec["text"])
            t = time.perf_counter()
            norm_of(doc)
            seg(doc)
            t1 = time.perf_counter()
            actors(doc)
            sources(doc)
            t2 = time.perf_counter()
            pre.append(t1 - t)
            times.append(t2 - t1)
            n_actor += len(doc.mentions_of("actor"))
            n_source += len(doc.mentions_of("source"))
    out = {
        "gold_actor_phrases": total,
        "found_recall": round(found / total, 3) if total else None,
        "named_recall": round(named / total, 3) if total else None,
        "gold_attributed_to": src_total,
        "source_recall": round(src_found / src_total, 3) if src_total else None,
        "timing_articles": len(times),
        "actors+sources_ms_mean": round(1000 * statistics.mean(times), 3) if times else None,
        "actors+sources_ms_p95": round(1000 * sorted(times)[int(0.95 * (len(times) - 1))], 3)
        if times
        else None,
        "normalize+segment_ms_mean": round(1000 * statistics.mean(pre), 3) if pre else None,
        "mentions_per_article": {
            "actor": round(n_actor / max(1, len(times)), 1),
            "source": round(n_source / max(1, len(times)), 1),
        },
        "load_s": round(load_s, 3),
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.verbose:
        for line in missed:
            print("MISS", line, file=sys.stderr)
    return 0


def _norm_eq(a: str | None, b: str) -> bool:
    if not a:
        return False
    from rasd.text.normalize import normalize_key

    return normalize_key(a) in normalize_key(b) or normalize_key(b) in normalize_key(a)


if __name__ == "__main__":
    raise SystemExit(main())
