"""Re-score a new rasd run against the manual coder review of bench/review/sample100.jsonl.

The review (bench/review/judgements.jsonl, one line per article) records, for the run that was read:
every output event with its verdict ("correct" or "false_positive") and evidence span, every missed event with
a verbatim quote of the Arabic that states it (and its offset), and every field error with the value rasd gave.
This script lines a new output up with it, without re-reading anything:

* an output event matches a reviewed one when its evidence overlaps the reviewed evidence span (same
  event_type preferred; a type change is printed); unmatched output events are listed as "unjudged" (read them);
* a miss counts as recovered when more output events overlap the quote than did in the reviewed run;
* a field error counts as changed when the matched event's field no longer has the reviewed (wrong) value
  (changed is not necessarily fixed: read the diff).

    .venv/bin/rasd extract --input-format jsonl bench/review/sample100.jsonl --format jsonl > /tmp/new.jsonl
    .venv/bin/python bench/review/rescore.py /tmp/new.jsonl [--show]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
JUDGEMENTS = HERE / "judgements.jsonl"


def _load(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out[rec["id"]] = rec
    return out


def _overlaps(spans: list[dict[str, Any]], lo: int, hi: int) -> bool:
    return any(s["start"] < hi and lo < s["end"] for s in spans)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output", type=Path, help="rasd extract --format jsonl output on sample100.jsonl")
    ap.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    ap.add_argument("--show", action="store_true", help="print every change, article by article")
    args = ap.parse_args()

    judged = _load(args.judgements)
    new = _load(args.output)
    tot = dict.fromkeys(
        ("tp_kept", "tp_lost", "fp_kept", "fp_removed", "unjudged", "miss_recovered", "miss_open"), 0
    )
    fe_changed = fe_total = 0
    for aid, j in judged.items():
        events = new.get(aid, {}).get("events", [])
        used: set[int] = set()
        lines: list[str] = []
        matched_new: dict[int, dict[str, Any]] = {}
        for ref in j["events"]:
            cands = [
                k
                for k, e in enumerate(events)
                if k not in used
                and _overlaps(e.get("evidence", []), ref["evidence_start"], ref["evidence_end"])
            ]
            same = [k for k in cands if events[k].get("event_type") == ref["event_type"]]
            hit = (same or cands or [None])[0]
            if hit is not None and not same:
                lines.append(
                    f"  type changed: {ref['sub_event_type']} -> {events[hit].get('sub_event_type')}"
                )
            good = ref["verdict"] == "correct"
            if hit is None:
                tot["tp_lost" if good else "fp_removed"] += 1
                lines.append(
                    f"  {'LOST TP' if good else 'fp gone'}: {ref['sub_event_type']} @ {ref['location']}"
                )
            else:
                used.add(hit)
                matched_new[ref["index"]] = events[hit]
                tot["tp_kept" if good else "fp_kept"] += 1
        for k, e in enumerate(events):
            if k not in used:
                tot["unjudged"] += 1
                ev = (e.get("evidence") or [{}])[0].get("text", "")[:80]
                lines.append(f"  UNJUDGED: {e.get('sub_event_type')} @ {e.get('location')}: {ev}")
        for m in j["missed_descriptions"]:
            if m.get("quote_start") is None:
                continue
            lo, hi = m["quote_start"], m["quote_start"] + len(m["quote"])
            n = sum(1 for e in events if _overlaps(e.get("evidence", []), lo, hi))
            if n > m.get("events_overlapping_at_review", 0):
                tot["miss_recovered"] += 1
                lines.append(f"  miss recovered: {m['quote'][:60]}")
            else:
                tot["miss_open"] += 1
        for fe in j["field_errors"]:
            if "got" not in fe:
                continue
            fe_total += 1
            e = matched_new.get(fe["event"])
            if e is not None and e.get(fe["field"]) != fe["got"]:
                fe_changed += 1
                lines.append(f"  field {fe['field']} changed: {fe['got']!r} -> {e.get(fe['field'])!r}")
        if args.show and lines:
            print(aid)
            print("\n".join(lines))
    print(json.dumps({**tot, "field_errors": fe_total, "field_errors_changed": fe_changed}, indent=1))


if __name__ == "__main__":
    main()
