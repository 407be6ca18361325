"""Speed of the place recogniser + geocoder, and of loading the gazetteer.

Gazetteer load is timed in a fresh interpreter (cold, as a first call would see it); per-article time is the
"places" + "geocode" stages over ../shared/data/news/saudinewsnet_syria.jsonl (text already normalised, as in the
pipeline where the "normalize" stage runs once for all recognisers).

    .venv/bin/python bench/geo_speed.py [--news ../shared/data/news/saudinewsnet_syria.jsonl]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD = (
    "import time; t=time.process_time(); from rasd.resources.gazetteer import load_gazetteer; g=load_gazetteer(); "
    "g.lexicon._build(); print(time.process_time()-t)"
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="place recognition + geocoding speed")
    ap.add_argument(
        "--news", type=Path, default=ROOT.parent / "shared" / "data" / "news" / "saudinewsnet_syria.jsonl"
    )
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    loads = [
        float(subprocess.check_output([sys.executable, "-c", LOAD], text=True)) for _ in range(args.repeat)
    ]

    from rasd.document import Document
    from rasd.geo import Geocoder
    from rasd.recognize.places import default_recognizer
    from rasd.text.normalize import norm_of
    from rasd.text.segment import Segmenter

    rec, geo, seg = default_recognizer(), Geocoder(), Segmenter()
    docs = []
    for line in args.news.open(encoding="utf-8"):
        r = json.loads(line)
        d = Document(r["id"], r["text"])
        norm_of(d)
        seg(d)
        docs.append(d)
    rec(Document("warm", "بلدة الخوين بريف إدلب"))
    best = best_cpu = float("inf")
    for _ in range(args.repeat):
        for d in docs:
            d.mentions.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        for d in docs:
            geo(rec(d))
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    n_places = sum(len(d.mentions_of("place")) for d in docs)
    resolved = sum(1 for d in docs for m in d.mentions_of("place") if m.value.get("resolved"))
    chars = sum(len(d.text) for d in docs)
    print(
        json.dumps(
            {
                "articles": len(docs),
                "avg_chars": round(chars / len(docs)),
                "ms_per_article": round(1000 * best / len(docs), 3),
                "cpu_ms_per_article": round(1000 * best_cpu / len(docs), 3),
                "place_mentions": n_places,
                "resolved_share": round(resolved / max(n_places, 1), 3),
                "gazetteer_load_s": round(min(loads), 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
