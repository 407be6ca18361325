"""Precision of resolved place mentions on SaudiNewsNet Syria news, against hand labels.

The sample is a stable "bottom-k" draw: every resolved place mention of the corpus gets a hash of
(seed, article id, start, end, text) and the ``--k`` mentions with the lowest hashes are the sample. A fix that
drops a mention lets the next one in, while the others stay, so labels carry over between runs; mentions not yet
labelled are listed (``--show``) and can be judged and appended to the label file. The actors stage runs first, as
in the pipeline (place matches inside actor names are skipped by the recogniser).

Labels (bench/geo_precision_sample.jsonl, one JSON object per mention; judged by the geo engineer, not
independent annotators): ``ok`` a place, resolved to the right entry (or an admin unit containing it at
precision >= 2); ``not_place`` the words are not a place here (a common word, a person, an actor's name);
``wrong`` a place, resolved to the wrong entry. A label is keyed by (article, start, end, resolved id), so a
mention whose resolution changed needs a new label.

    .venv/bin/python bench/geo_precision.py                 # precision on the current sample
    .venv/bin/python bench/geo_precision.py --show          # also print unlabelled / wrong mentions in context
    .venv/bin/python bench/geo_precision.py --fixed         # the mentions labelled in the first round: kept / dropped
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet_syria.jsonl"
LABELS = ROOT / "bench" / "geo_precision_sample.jsonl"
SEED = "rasd-geo-precision-1"
LOCAL_LEVELS = frozenset(("community", "neighbourhood", "facility", "region"))


def _hash(*parts: object) -> int:
    return int.from_bytes(hashlib.sha1("\x1f".join(map(str, parts)).encode()).digest()[:8], "big")


def resolved_mentions(news: Path) -> list[dict[str, Any]]:
    from rasd.document import Document
    from rasd.geo import Geocoder
    from rasd.recognize.actors import ActorRecognizer
    from rasd.recognize.places import default_recognizer
    from rasd.text.segment import Segmenter

    actors, rec, geo, seg = ActorRecognizer(), default_recognizer(), Geocoder(), Segmenter()
    out = []
    for line in news.open(encoding="utf-8"):
        r = json.loads(line)
        doc = Document(r["id"], r["text"])
        geo(rec(actors(seg(doc))))
        text = r["text"]
        for m in doc.mentions_of("place"):
            res = m.value.get("resolved")
            if res is None:
                continue
            lo, hi = max(0, m.start - 70), min(len(text), m.end + 70)
            out.append(
                {
                    "doc": r["id"],
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "resolved": res["id"],
                    "location": res["location"],
                    "admin1": res["admin1"],
                    "country": res["country"],
                    "level": res["level"],
                    "geo_precision": res["geo_precision"],
                    "reason": res["reason"],
                    "context": (text[lo : m.start] + "[[" + m.text + "]]" + text[m.end : hi]).replace(
                        "\n", " "
                    ),
                }
            )
    return out


def _local(item: dict[str, Any]) -> bool:
    return item.get("country") == "Syria" and item["level"] in LOCAL_LEVELS


def key(item: dict[str, Any]) -> tuple[str, int, int, str]:
    return (item["doc"], item["start"], item["end"], item["resolved"])


def load_labels(path: Path) -> dict[tuple[str, int, int, str], dict[str, Any]]:
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return {key(r): r for r in rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="precision of resolved place mentions on a hand-labelled sample")
    ap.add_argument("--news", type=Path, default=NEWS)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--k", type=int, default=150, help="sample size")
    ap.add_argument("--seed", default=SEED)
    ap.add_argument(
        "--stratum",
        choices=("all", "local"),
        default="all",
        help="all resolved mentions, or only Syrian towns/villages/neighbourhoods/facilities (not cities, admin units)",
    )
    ap.add_argument("--show", action="store_true", help="print unlabelled and wrong mentions in context")
    ap.add_argument("--fixed", action="store_true", help="report on the first-round labelled mentions")
    ap.add_argument("--dump", type=Path, help="write the current sample (unlabelled items too) as jsonl")
    args = ap.parse_args(argv)

    mentions = resolved_mentions(args.news)
    pool = [m for m in mentions if args.stratum == "all" or _local(m)]
    ranked = sorted(pool, key=lambda m: _hash(args.seed, m["doc"], m["start"], m["end"], m["text"]))
    sample = ranked[: args.k]
    labels = load_labels(args.labels)
    counts: Counter[str] = Counter()
    by_level: dict[str, Counter[str]] = {}
    todo = []
    for item in sample:
        lab = labels.get(key(item))
        label = lab["label"] if lab else "unlabelled"
        counts[label] += 1
        group = (
            "admin/country"
            if item["level"] in ("country", "governorate", "district", "subdistrict")
            else "town/village/other"
        )
        by_level.setdefault(group, Counter())[label] += 1
        if label != "ok":
            todo.append((label, item, lab))
    judged = sum(v for k, v in counts.items() if k != "unlabelled")
    report: dict[str, Any] = {
        "resolved_mentions": len(mentions),
        "stratum": args.stratum,
        "stratum_mentions": len(pool),
        "sample": len(sample),
        "labelled": judged,
        "precision": round(counts["ok"] / judged, 3) if judged else None,
        "labels": dict(counts),
        "by_level": {
            g: {
                "n": sum(c.values()),
                "precision": round(c["ok"] / max(1, sum(v for k, v in c.items() if k != "unlabelled")), 3),
            }
            for g, c in sorted(by_level.items())
        },
    }
    if args.fixed:
        now = {key(m): m for m in mentions}
        spans = {(m["doc"], m["start"], m["end"]) for m in mentions}
        fixed: Counter[str] = Counter()
        for k, lab in labels.items():
            if lab.get("round") != 1:
                continue
            if k in now:
                state = "kept"
            elif (k[0], k[1], k[2]) in spans:
                state = "changed"
            else:
                state = "dropped"
            fixed[f"{lab['label']}:{state}"] += 1
        report["first_round"] = dict(sorted(fixed.items()))
    print(json.dumps(report, ensure_ascii=False))
    if args.show:
        for label, item, lab in todo:
            note = f" ({lab.get('note')})" if lab and lab.get("note") else ""
            print(
                f"{label:10} {item['doc']} {item['start']} -> {item['resolved']} {item['location']} / {item['admin1']}{note}"
            )
            print("           " + item["context"])
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as f:
            for item in sample:
                lab = labels.get(key(item))
                row = dict(item, label=lab["label"] if lab else None)
                if lab and lab.get("note"):
                    row["note"] = lab["note"]
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
