"""Bench: dates and quantities recognisers against the gold dev set, and their speed on real news.

Usage (from the repo root)::

    .venv/bin/python bench/recognize_dates_quantities.py [--gold ../shared/gold/dev.jsonl]
        [--news ../shared/data/news/saudinewsnet_syria.jsonl] [--limit N] [--misses]

Dates: for each gold event, is there a ``date`` mention near its evidence (from 300 characters before the
evidence to 100 after) whose start/end equal the gold event_date/date_end (exact) or overlap it within one day
(the scorer's matching rule)? Also the accuracy of a simple coder rule: the nearest date mention before the
end of the evidence in the same paragraph, else published-1..published (precision 2).
Fatalities: for each gold event with a fatalities_text found in the text, is there a quantity mention inside it,
and does the number come out with the right count (counted killed, value == gold fatalities)? Wounded and
captured: a quantity near the evidence with that counted and value.
Speed: milliseconds per article for the dates and quantities stages (normalize/segment timed separately).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rasd.document import Document, Mention, Metadata
from rasd.pipeline import build_pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STAGES = ["normalize", "segment", "dates", "quantities"]


def _doc(rec: dict[str, Any]) -> Document:
    pub = rec.get("published")
    return Document(str(rec["id"]), rec["text"], Metadata(published=date.fromisoformat(pub) if pub else None))


def _overlap_1day(a0: str, a1: str, b0: str, b1: str) -> bool:
    da0, da1, db0, db1 = (date.fromisoformat(x) for x in (a0, a1, b0, b1))
    return da0 <= db1 + timedelta(days=1) and db0 <= da1 + timedelta(days=1)


def _coder_rule(doc: Document, ev_start: int, ev_end: int) -> tuple[str, str] | None:
    """Nearest usable date mention before the evidence end, within the same paragraph."""
    para_start = doc.text.rfind("\n", 0, ev_start) + 1
    best: Mention | None = None
    for m in doc.mentions:
        if m.kind != "date" or m.value.get("year_only") or not m.value.get("start") or m.value.get("future"):
            continue
        if para_start <= m.start and m.end <= ev_end and (best is None or m.start > best.start):
            best = m
    if best is None:
        pub = doc.meta.published
        if pub is None:
            return None
        return (pub - timedelta(days=1)).isoformat(), pub.isoformat()
    return best.value["start"], best.value["end"]


def bench_gold(path: Path, show_misses: bool) -> dict[str, Any]:
    pipe = build_pipeline(STAGES)
    n_ev = exact = lenient = rule_exact = rule_len = 0
    fat_n = fat_cov = fat_val = 0
    wc_n = wc_ok = 0
    misses: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        doc = pipe(_doc(rec))
        text = rec["text"]
        dates = [
            m
            for m in doc.mentions
            if m.kind == "date" and not m.value.get("year_only") and m.value.get("start")
        ]
        qs = [m for m in doc.mentions if m.kind == "quantity"]
        for ev in rec.get("events", []):
            n_ev += 1
            es = ev.get("evidence_start", text.find(ev["evidence"]))
            ee = es + len(ev["evidence"])
            near = [m for m in dates if es - 300 <= m.start and m.end <= ee + 100]
            g0, g1 = ev["event_date"], ev["date_end"] or ev["event_date"]
            if any(m.value["start"] == g0 and m.value["end"] == g1 for m in near):
                exact += 1
            if any(_overlap_1day(m.value["start"], m.value["end"], g0, g1) for m in near):
                lenient += 1
            elif show_misses:
                misses.append(
                    f"DATE {rec['id']} gold {g0}..{g1}: near={[(m.text, m.value['start']) for m in near]}"
                )
            got = _coder_rule(doc, es, ee)
            if got is not None:
                rule_exact += got == (g0, g1)
                rule_len += _overlap_1day(got[0], got[1], g0, g1)
            ftext = ev.get("fatalities_text")
            if ftext and ev.get("fatalities"):
                # a fatalities_text may join several phrases with " ... ": the killed counts inside them add up
                inside: list[Mention] = []
                found = False
                for part in ftext.split(" ... "):
                    part = part.split(" (")[0]
                    fs = text.find(part)
                    if fs < 0:
                        continue
                    found = True
                    inside += [m for m in qs if fs <= m.start and m.end <= fs + len(part)]
                if found:
                    fat_n += 1
                    fat_cov += bool(inside)
                    killed = sum(m.value["value"] for m in inside if m.value["counted"] == "killed")
                    if killed == ev["fatalities"]:
                        fat_val += 1
                    elif show_misses:
                        misses.append(
                            f"FAT {rec['id']} gold {ev['fatalities']} '{ftext}': "
                            f"{[(m.text, m.value['value'], m.value['counted']) for m in inside]}"
                        )
            for key, counted in (("wounded", "wounded"), ("captured", "captured")):
                if ev.get(key):
                    wc_n += 1
                    if any(
                        (m.value["counted"] == counted and m.value["value"] == ev[key])
                        or (
                            m.value["counted"] == "civilians"
                            and counted == "captured"
                            and m.value["value"] == ev[key]
                        )
                        for m in qs
                        if es - 300 <= m.start and m.end <= ee + 100
                    ):
                        wc_ok += 1
                    elif show_misses:
                        misses.append(f"{key.upper()} {rec['id']} gold {ev[key]}")
    for m in misses:
        print(m, file=sys.stderr)
    return {
        "events": n_ev,
        "date_exact_near_evidence": round(exact / n_ev, 3) if n_ev else None,
        "date_within_1day_near_evidence": round(lenient / n_ev, 3) if n_ev else None,
        "coder_rule_date_exact": round(rule_exact / n_ev, 3) if n_ev else None,
        "coder_rule_date_within_1day": round(rule_len / n_ev, 3) if n_ev else None,
        "fatalities_phrases": fat_n,
        "fatalities_phrase_has_quantity": round(fat_cov / fat_n, 3) if fat_n else None,
        "fatalities_value_and_killed": round(fat_val / fat_n, 3) if fat_n else None,
        "wounded_captured_counts": wc_n,
        "wounded_captured_found": round(wc_ok / wc_n, 3) if wc_n else None,
    }


def bench_speed(path: Path, limit: int | None) -> dict[str, Any]:
    pipe = build_pipeline(STAGES)
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if limit:
        recs = recs[:limit]
    docs = [_doc(r) for r in recs]
    pipe(_doc({"id": "warm", "text": "قتل 5 أمس", "published": "2015-07-21"}))
    pipe.timings.clear()
    per_doc: list[float] = []
    counts = {"date": 0, "quantity": 0}
    ours = [pipe.get("dates"), pipe.get("quantities")]
    cpu = 0.0
    t0 = time.perf_counter()
    for d in docs:
        before = sum(pipe.timings.get(s, 0.0) for s in ("dates", "quantities"))
        pipe(d)
        per_doc.append((sum(pipe.timings.get(s, 0.0) for s in ("dates", "quantities")) - before) * 1000)
        for m in d.mentions:
            if m.kind in counts:
                counts[m.kind] += 1
    total = time.perf_counter() - t0
    # CPU time of the two stages alone (less sensitive to other processes on a shared machine)
    for d in docs:
        d.mentions.clear()
        c0 = time.process_time()
        for stage in ours:
            stage(d)
        cpu += time.process_time() - c0
    n = len(docs)
    return {
        "articles": n,
        "mean_chars": round(statistics.mean(len(d.text) for d in docs)),
        "dates_ms_per_article": round(pipe.timings["dates"] / n * 1000, 3),
        "quantities_ms_per_article": round(pipe.timings["quantities"] / n * 1000, 3),
        "dates_plus_quantities_p95_ms": round(sorted(per_doc)[int(0.95 * (n - 1))], 3),
        "dates_plus_quantities_cpu_ms_per_article": round(cpu / n * 1000, 3),
        "normalize_segment_ms_per_article": round(
            (pipe.timings["normalize"] + pipe.timings["segment"]) / n * 1000, 3
        ),
        "wall_s": round(total, 2),
        "date_mentions": counts["date"],
        "quantity_mentions": counts["quantity"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "gold" / "dev.jsonl")
    ap.add_argument("--news", type=Path, default=SHARED / "data" / "news" / "saudinewsnet_syria.jsonl")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--misses", action="store_true", help="print each miss on stderr")
    args = ap.parse_args()
    t0 = time.perf_counter()
    from rasd.recognize import dates, quantities

    dates._patterns()
    dates._trigger_automaton()
    quantities._res()
    quantities._candidate_automaton()
    load_s = time.perf_counter() - t0
    out = {"resource_load_s": round(load_s, 3), "gold": bench_gold(args.gold, args.misses)}
    out["speed"] = bench_speed(args.news, args.limit)
    out["load_average_1m"] = round(os.getloadavg()[0], 2)
    out["cpus"] = os.cpu_count()
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
