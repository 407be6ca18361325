"""Regenerate bench/review/sample100.jsonl: 100 random SaudiNewsNet articles for the manual coder review.

Fixed seed: ``random.Random(2026).sample`` of line indices of ../shared/data/news/saudinewsnet_syria.jsonl,
after excluding articles already used elsewhere (ids in ../shared/gold/dev.jsonl and examples/news.jsonl).
Ids are compared both as written and with the ``snn-<source>-`` prefix stripped. Records are written in the
order drawn, unchanged.

    .venv/bin/python bench/review/make_sample.py [--n 100] [--seed 2026]

Reads ../shared at bench time only (never from the package).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "data" / "news" / "saudinewsnet_syria.jsonl"
EXCLUDE = [SHARED / "gold" / "dev.jsonl", ROOT / "examples" / "news.jsonl"]
OUT = Path(__file__).with_name("sample100.jsonl")

_PREFIX = re.compile(r"^snn-[^-]+-")


def _keys(article_id: str) -> set[str]:
    return {article_id, _PREFIX.sub("", article_id)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    excluded: set[str] = set()
    for path in EXCLUDE:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                excluded |= _keys(json.loads(line)["id"])

    lines = [ln for ln in CORPUS.read_text(encoding="utf-8").splitlines() if ln.strip()]
    eligible = [i for i, ln in enumerate(lines) if not (_keys(json.loads(ln)["id"]) & excluded)]
    picked = random.Random(args.seed).sample(eligible, args.n)
    with args.out.open("w", encoding="utf-8") as f:
        for i in picked:
            f.write(lines[i] + "\n")
    print(f"{len(lines)} articles, {len(lines) - len(eligible)} excluded, wrote {args.n} to {args.out}")


if __name__ == "__main__":
    main()
