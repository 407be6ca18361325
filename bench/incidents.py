"""Incident grouping precision / recall on the hand-labelled sample bench/incidents_sample.jsonl.

The sample: 53 events hand-coded in ../shared/gold/dev.jsonl (24 SaudiNewsNet articles, 12 outlets) plus 13
events I hand-coded from other articles of ../shared/data/news/saudinewsnet_syria.jsonl that report the same
incidents (the Suruc bombing of 20 July 2015 in 8 articles, the Kobani car bomb the same day, the Turkish
soldier killed near Kilis on 23 July, the PKK killing of two policemen on 22 July). Each line carries my label
``incident``: events with the same label describe the same incident (13 incidents reported by 2+ articles).

Each article becomes a Document whose text is its events' evidence sentences; articles are stored in
publication order into a fresh SQLite store (so grouping is incremental, as in a real ingest); then every
pair of events is scored: predicted same incident vs labelled same incident.

    .venv/bin/python bench/incidents.py [--similarity use|ngram|both] [--show-errors]
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import rasd.store
from rasd.document import Document, Event, Metadata, Span

SAMPLE = Path(__file__).with_name("incidents_sample.jsonl")
EVENT_KEYS = (
    "event_type",
    "sub_event_type",
    "event_date",
    "date_end",
    "actor1",
    "actor2",
    "inter1",
    "inter2",
    "location",
    "country",
    "admin1",
    "pcode",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "modality",
)


def load(path: Path = SAMPLE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def documents(sample: list[dict[str, Any]]) -> tuple[list[Document], dict[str, str]]:
    """Documents in publication order, and store event id -> labelled incident."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for rec in sample:
        by_doc.setdefault(rec["document_id"], []).append(rec)
    docs, labels = [], {}
    for doc_id, recs in sorted(by_doc.items(), key=lambda kv: (kv[1][0]["published"], kv[0])):
        text = ""
        spans = []
        for rec in recs:
            start = len(text)
            text += rec["evidence"]
            spans.append((start, len(text)))
            text += "\n"
        doc = Document(
            id=doc_id,
            text=text,
            meta=Metadata(source=recs[0]["source"], published=date.fromisoformat(recs[0]["published"])),
        )
        for seq, (rec, (s, e)) in enumerate(zip(recs, spans, strict=True)):
            ev = Event(**{k: rec.get(k) for k in EVENT_KEYS if rec.get(k) is not None})
            ev.evidence = [Span.of(text, s, e)]
            doc.events.append(ev)
            labels[rasd.store.Store.event_id(doc_id, seq)] = rec["incident"]
        docs.append(doc)
    return docs, labels


def score(pred: dict[str, str], gold: dict[str, str]) -> dict[str, Any]:
    tp = fp = fn = 0
    errors: dict[str, list[tuple[str, str]]] = {"false_merge": [], "missed": []}
    for a, b in itertools.combinations(sorted(gold), 2):
        same_pred = pred[a] == pred[b]
        same_gold = gold[a] == gold[b]
        if same_pred and same_gold:
            tp += 1
        elif same_pred:
            fp += 1
            errors["false_merge"].append((a, b))
        elif same_gold:
            fn += 1
            errors["missed"].append((a, b))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "pairs_true": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f1, 3),
        "incidents_pred": len(set(pred.values())),
        "incidents_gold": len(set(gold.values())),
        "errors": errors,
    }


def run(similarity: str) -> dict[str, Any]:
    sample = load()
    docs, gold = documents(sample)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with rasd.store.open(Path(tmp) / "inc.db", similarity=similarity) as store:
            for doc in docs:
                store.save_document(doc)
            seconds = time.perf_counter() - t0
            pred = {e["event_id"]: e["incident_id"] for e in store.query_events(kind=None)}
            name = store.embedder.name
    result = score(pred, gold)
    result.update(
        {"similarity": name, "events": len(gold), "documents": len(docs), "seconds": round(seconds, 2)}
    )
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--similarity", default="both", choices=["use", "ngram", "both"])
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    for sim in ("use", "ngram") if args.similarity == "both" else (args.similarity,):
        res = run(sim)
        errors = res.pop("errors")
        print(json.dumps(res))
        if args.show_errors:
            for kind, pairs in errors.items():
                for a, b in pairs:
                    print(f"  {kind}: {a}  <->  {b}")


if __name__ == "__main__":
    main()
