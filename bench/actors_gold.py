#!/usr/bin/env python
"""How often a gold actor phrase is recognised and mapped to the gold canonical actor (train + dev gold, 2011-2026).

For every gold event of ``../shared/gold/train.jsonl`` and ``dev.jsonl``, ``actor1_ar`` / ``actor2_ar`` (the Arabic
phrase as written) is looked up in the article text (first occurrence). The article goes through normalisation,
segmentation and the ``actors`` stage with its ``published`` date, as in the pipeline. A phrase is

* *recognised* when an ``actor`` mention overlaps it;
* *mapped* when an overlapping mention's ``value["name"]`` (the name the recogniser commits to, with the
  document's date and country) is the gold name exactly;
* *mapped, period ignored* when it is the gold name once the bracketed period is dropped ("Military Forces of
  Syria (2024-)" ~ "Military Forces of Syria (2000-)"), which is how ``../shared/gold/README.md`` scores names;
* *mapped in the event's country*: the name the event coder gives once it knows the event's country (here the gold
  event's): ``names_by_country`` ("Islamic State (Iraq)") and generic templates ("Civilians (Yemen)").

Results per group (``saudinewsnet-2015``, ``jawharafm-2014-2017``, ``syria-2023-2026``, ``region-2023-2026``,
``dev``) and overall. Reads ``../shared`` at bench time only; nothing of it is written anywhere.

Usage: .venv/bin/python bench/actors_gold.py [--gold FILE.jsonl ...] [-v] [--group NAME]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold"
_PERIOD = re.compile(r"\s*\((?:\d{4}-(?:\d{4})?)\)")


def gold_phrases(rec: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str, str, int, int]]:
    """(event, phrase, gold name, start, end) for every gold actor1_ar / actor2_ar found in the article text."""
    for ev in rec.get("events", []):
        for k in ("1", "2"):
            phrase, gold_name = ev.get(f"actor{k}_ar"), ev.get(f"actor{k}")
            if not phrase or not gold_name:
                continue
            pos = rec["text"].find(phrase)
            if pos >= 0:
                yield ev, phrase, gold_name, pos, pos + len(phrase)


def strip_period(name: str | None) -> str | None:
    """ "Military Forces of Iraq (2014-2018) Peshmerga" -> "Military Forces of Iraq Peshmerga"."""
    return _PERIOD.sub("", name).strip() if name else name


def in_event_country(value: dict[str, object], country: str | None) -> str | None:
    """The mention's name in the event's country, as the event coder renames it."""
    name = value.get("name")
    if not country:
        return name if isinstance(name, str) else None
    by_country = value.get("names_by_country")
    if isinstance(by_country, dict) and country in by_country:
        return str(by_country[country])
    template = value.get("name_template")
    if isinstance(template, str) and "{country}" in template:
        return template.format(country=country)
    return name if isinstance(name, str) else None


def parse_published(value: str | None) -> date | None:
    """ "2025-03-08", "2025-03-08T10:00", "21/03/2017" (Jawhara FM) -> a date; anything else -> None."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value) or re.match(r"(\d{2})/(\d{2})/(\d{4})", value)
    if m is None:
        return None
    y, mo, d = (
        (m.group(1), m.group(2), m.group(3)) if len(m.group(1)) == 4 else (m.group(3), m.group(2), m.group(1))
    )
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, nargs="*", default=[GOLD / "train.jsonl", GOLD / "dev.jsonl"])
    ap.add_argument("--group", help="only this group")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the phrases not mapped (stderr)")
    args = ap.parse_args(argv)

    from rasd.document import Document, Metadata
    from rasd.recognize.actors import ActorRecognizer
    from rasd.text.normalize import Normalizer
    from rasd.text.segment import Segmenter

    norm, seg, actors = Normalizer(), Segmenter(), ActorRecognizer()
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[str] = []
    for path in args.gold:
        if not path.exists():
            print(f"{path}: not found (the gold lives in ../shared/gold)", file=sys.stderr)
            return 2
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            group = rec.get("group") or path.stem
            if args.group and group != args.group:
                continue
            meta = Metadata(published=parse_published(rec.get("published")))
            doc = Document(str(rec["id"]), rec["text"], meta=meta)
            for stage in (norm, seg, actors):
                doc = stage(doc)
            ams = doc.mentions_of("actor")
            for ev, phrase, gold_name, pos, end in gold_phrases(rec):
                over = [m for m in ams if m.start < end and pos < m.end]
                names = {m.value.get("name") for m in over}
                in_country = {in_event_country(m.value, ev.get("country")) for m in over}
                for g in (group, "all"):
                    st = stats[g]
                    st["phrases"] += 1
                    st["recognised"] += bool(over)
                    st["mapped"] += gold_name in names
                    st["mapped_period_ignored"] += strip_period(gold_name) in {strip_period(n) for n in names}
                    st["mapped_in_event_country"] += gold_name in in_country
                if gold_name not in names:
                    got = [(m.text, m.value.get("name")) for m in over]
                    misses.append(f"{group} {rec['id']}: {phrase!r} gold={gold_name!r} got={got}")
    out: dict[str, dict[str, float | int]] = {}
    for g, st in sorted(stats.items(), key=lambda x: (x[0] == "all", x[0])):
        n = st["phrases"]
        out[g] = {
            "phrases": n,
            "recognised": round(st["recognised"] / n, 3) if n else 0.0,
            "mapped": round(st["mapped"] / n, 3) if n else 0.0,
            "mapped_period_ignored": round(st["mapped_period_ignored"] / n, 3) if n else 0.0,
            "mapped_in_event_country": round(st["mapped_in_event_country"] / n, 3) if n else 0.0,
        }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.verbose:
        for m in misses:
            print("MISS", m, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
