"""Scoring rasd against gold events, exactly as ../shared/gold/README.md describes.

A predicted event matches a gold event when they have the same event_type, the same place (equal P-code, or the
same district when either side has geo_precision >= 2, or within 25 km) and date ranges within one day of
overlapping. Pairs are matched one-to-one, best first. Reported: precision / recall / F1, and on matched pairs the
accuracy of sub_event_type, actors, fatalities, pcode, date and evidence overlap; plus the per-article error of
the total fatalities.

The sentence set (arabic_event_gsr): an article-free detection task, scored by :func:`score_sentences`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from ..document import iso_date
from ..errors import EvalError

PLACE_KM = 25.0
DATE_SLACK_DAYS = 1
ASSAULT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
PROTEST_TYPES = frozenset({"Protests", "Riots"})
FIELDS = ("sub_event_type", "actors", "actor1", "fatalities", "pcode", "date", "date_within", "evidence")
# "Military Forces of Syria (2000-)" and "(2024-)" are one actor to the scorer: the bracketed period is ignored
_PERIOD = re.compile(r"\s*\((?:\d{4})?-(?:\d{4})?\)\s*$")


# ----------------------------------------------------------------------------------------------------------------
# reading


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Records of a JSON Lines file; a malformed line raises :class:`EvalError` naming it."""
    out = []
    p = Path(path)
    try:
        fh = p.open(encoding="utf-8")
    except OSError as exc:
        raise EvalError(f"cannot read {p} ({exc.strerror})", path=str(p)) from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(f"not JSON ({exc.msg})", path=str(p), line=n) from exc
            if not isinstance(rec, dict) or "id" not in rec:
                raise EvalError("each line must be an object with an 'id'", path=str(p), line=n)
            out.append(rec)
    return out


# ----------------------------------------------------------------------------------------------------------------
# matching


def dates_match(g: dict[str, Any], p: dict[str, Any], slack: int = DATE_SLACK_DAYS) -> bool:
    """Date ranges within ``slack`` days of overlapping (a missing date never matches)."""
    g0, p0 = iso_date(g.get("event_date")), iso_date(p.get("event_date"))
    if g0 is None or p0 is None:
        return False
    g1 = iso_date(g.get("date_end")) or g0
    p1 = iso_date(p.get("date_end")) or p0
    s = timedelta(days=slack)
    return g0 - s <= p1 and p0 - s <= g1


def km(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """Great-circle distance between two records' latitude/longitude, or None when either lacks them."""
    try:
        la1, lo1 = float(a["latitude"]), float(a["longitude"])
        la2, lo2 = float(b["latitude"]), float(b["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    r = math.pi / 180
    h = (
        0.5
        - math.cos((la2 - la1) * r) / 2
        + math.cos(la1 * r) * math.cos(la2 * r) * (1 - math.cos((lo2 - lo1) * r)) / 2
    )
    return 12742.0 * math.asin(math.sqrt(max(0.0, min(1.0, h))))


@cache
def _district_index() -> dict[str, str]:
    """P-code -> district P-code, from the package gazetteer (empty when it is not installed)."""
    try:
        from ..resources.gazetteer import load_gazetteer

        gaz = load_gazetteer()
    except Exception:  # the scorer still works on P-codes and distances without it
        return {}
    out: dict[str, str] = {}
    for p in gaz.places:
        if p.pcode and p.adm2:
            out[p.pcode] = p.adm2
    return out


def district_of(rec: dict[str, Any]) -> str | None:
    pcode = rec.get("pcode")
    if not pcode:
        return None
    pcode = str(pcode)
    if pcode.startswith("SY") and len(pcode) >= 6:
        return pcode[:6]
    return _district_index().get(pcode)


def places_match(g: dict[str, Any], p: dict[str, Any], max_km: float = PLACE_KM) -> bool:
    """Equal P-code; or the same district when either side has geo_precision >= 2; or within ``max_km``."""
    if g.get("pcode") and g.get("pcode") == p.get("pcode"):
        return True
    if max(int(g.get("geo_precision") or 1), int(p.get("geo_precision") or 1)) >= 2:
        dg, dp = district_of(g), district_of(p)
        if dg and dg == dp:
            return True
    dist = km(g, p)
    return dist is not None and dist <= max_km


def _spans(rec: dict[str, Any]) -> list[tuple[int, int]]:
    ev = rec.get("evidence")
    out: list[tuple[int, int]] = []
    if isinstance(ev, str):
        start = rec.get("evidence_start")
        if isinstance(start, int):
            out.append((start, start + len(ev)))
    elif isinstance(ev, list):
        for s in ev:
            if isinstance(s, dict) and "start" in s and "end" in s:
                out.append((int(s["start"]), int(s["end"])))
    return out


def evidence_overlap(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return any(a < d and c < b for a, b in _spans(g) for c, d in _spans(p))


def actor_name(name: Any) -> str | None:
    """An actor name as the scorer compares it: without its bracketed period."""
    return _PERIOD.sub("", str(name)) if name else None


def _actor_set(rec: dict[str, Any]) -> frozenset[str]:
    return frozenset(n for x in (rec.get("actor1"), rec.get("actor2")) if (n := actor_name(x)))


def date_within(g: dict[str, Any], p: dict[str, Any]) -> bool:
    """The predicted range, at most two days long, contains the gold start date."""
    g0, p0 = iso_date(g.get("event_date")), iso_date(p.get("event_date"))
    if g0 is None or p0 is None:
        return False
    p1 = iso_date(p.get("date_end")) or p0
    return (p1 - p0).days <= 1 and p0 <= g0 <= p1


def field_agreement(g: dict[str, Any], p: dict[str, Any]) -> dict[str, bool]:
    """Per-field agreement of a matched pair (the accuracies reported)."""
    return {
        "sub_event_type": g.get("sub_event_type") == p.get("sub_event_type"),
        "actors": _actor_set(g) == _actor_set(p),
        "actor1": actor_name(g.get("actor1")) == actor_name(p.get("actor1")),
        "fatalities": int(g.get("fatalities") or 0) == int(p.get("fatalities") or 0),
        "pcode": g.get("pcode") == p.get("pcode"),
        "date": g.get("event_date") == p.get("event_date")
        and (g.get("date_end") or g.get("event_date")) == (p.get("date_end") or p.get("event_date")),
        "date_within": date_within(g, p),
        "evidence": evidence_overlap(g, p),
    }


def is_match(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return g.get("event_type") == p.get("event_type") and places_match(g, p) and dates_match(g, p)


def _pair_score(g: dict[str, Any], p: dict[str, Any]) -> float:
    agree = field_agreement(g, p)
    s = sum(1.0 for k in ("sub_event_type", "actors", "pcode", "date", "evidence", "fatalities") if agree[k])
    dist = km(g, p)
    if dist is not None:
        s -= dist / 100.0
    return s


def match_events(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one matching, best pairs first: a list of (gold index, pred index)."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if is_match(g, p):
                pairs.append((_pair_score(g, p), i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j))
    return out


# ----------------------------------------------------------------------------------------------------------------
# article scoring


@dataclass
class EventScore:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    field_hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    fatality_abs_errors: list[int] = field(default_factory=list)
    per_article: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        return self.field_hits[name] / self.matched if self.matched else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": len(self.per_article),
            "gold_events": self.gold,
            "pred_events": self.pred,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "accuracy": {k: (round(v, 4) if (v := self.accuracy(k)) is not None else None) for k in FIELDS},
            "fatalities_total_mae": round(sum(self.fatality_abs_errors) / len(self.fatality_abs_errors), 4)
            if self.fatality_abs_errors
            else None,
            "per_article": self.per_article,
        }


def score_events(
    gold_records: Iterable[dict[str, Any]], pred_records: Iterable[dict[str, Any]]
) -> EventScore:
    """Score predicted records (``{"id", "events"}``) against gold records, by id."""
    preds = {str(r["id"]): r for r in pred_records}
    score = EventScore()
    for g in gold_records:
        gid = str(g["id"])
        gold = list(g.get("events") or [])
        pred = list((preds.get(gid) or {}).get("events") or [])
        pairs = match_events(gold, pred)
        score.gold += len(gold)
        score.pred += len(pred)
        score.matched += len(pairs)
        for i, j in pairs:
            for k, ok in field_agreement(gold[i], pred[j]).items():
                score.field_hits[k] += int(ok)
        gtot = sum(int(e.get("fatalities") or 0) for e in gold)
        ptot = sum(int(e.get("fatalities") or 0) for e in pred)
        score.fatality_abs_errors.append(abs(gtot - ptot))
        score.per_article.append(
            {
                "id": gid,
                "gold": len(gold),
                "pred": len(pred),
                "matched": len(pairs),
                "fatalities_gold": gtot,
                "fatalities_pred": ptot,
                "unmatched_gold": [i for i in range(len(gold)) if i not in {a for a, _ in pairs}],
                "unmatched_pred": [j for j in range(len(pred)) if j not in {b for _, b in pairs}],
            }
        )
    return score


# ----------------------------------------------------------------------------------------------------------------
# sentence scoring (arabic_event_gsr)


def event_classes(events: Iterable[dict[str, Any]]) -> set[str]:
    """Which of ASSAULT / PROTEST the events express (by PLOVER type or by ACLED event_type)."""
    out: set[str] = set()
    for e in events:
        if e.get("kind", "acled") == "statement":
            continue
        if e.get("plover") == "ASSAULT" or e.get("event_type") in ASSAULT_TYPES:
            out.add("ASSAULT")
        if e.get("plover") == "PROTEST" or e.get("event_type") in PROTEST_TYPES:
            out.add("PROTEST")
    return out


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, pred: bool) -> None:
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    def to_dict(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
        }


def score_sentences(
    records: Iterable[dict[str, Any]], detect: Callable[[dict[str, Any]], set[str]]
) -> dict[str, dict[str, dict[str, Any]]]:
    """``{class: {"strict": {...}, "all": {...}}}``. ``detect(record)`` returns the classes rasd finds.

    strict: unanimous yes against unanimous no ("easy no"); all: also majority no ("difficult no") as negatives.
    Records labelled otherwise (ambiguous) are skipped.
    """
    table: dict[str, dict[str, Confusion]] = {}
    for rec in records:
        cls = rec.get("event_type")
        label = rec.get("label")
        if cls not in ("ASSAULT", "PROTEST") or label not in ("yes", "easy no", "difficult no"):
            continue
        found = cls in detect(rec)
        gold = label == "yes"
        t = table.setdefault(cls, {"strict": Confusion(), "all": Confusion()})
        t["all"].add(gold, found)
        if label != "difficult no":
            t["strict"].add(gold, found)
    return {c: {k: v.to_dict() for k, v in t.items()} for c, t in sorted(table.items())}
