"""Test helpers for the store: real Arabic report snippets and a tiny deterministic stand-in for the
event coder (the tests must not depend on how well the real one does)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rasd.document import Document, Event, Metadata, Span

# Real reports (SaudiNewsNet, July 2015) of three incidents: the Suruc bombing (20 July, several outlets with
# different death tolls), a car bomb in Kobani the same day (another place: a different incident), and a
# Turkish soldier killed near Kilis on 23 July.
REPORTS: list[dict[str, Any]] = [
    {
        "id": "snn-aawsat-snn-37",
        "source": "aawsat",
        "published": "2015-07-21",
        "title": "27 قتيلا و100 جريح بانفجار في بلدة على الحدود التركية - السورية",
        "text": "قالت وزارة الداخلية التركية في بيان، اليوم (الاثنين)، ان انفجارا في بلدة سروج بجنوب شرقي تركيا "
        "قرب الحدود مع سوريا، أسفر عن مقتل 27 شخصا واصابة نحو 100 يعالجون في مستشفيات محلية.",
        "incident": "suruc",
    },
    {
        "id": "snn-alweeam-snn-1619",
        "source": "alweeam",
        "published": "2015-07-21",
        "title": "27 قتليلاً في انفجار ببلدة تركية قرب الحدود السورية",
        "text": "قال ثلاثة شهود لرويترز إن أكثر من 27 شخصا قتلوا كما أصيب العشرات في انفجار هز بلدة سروج بجنوب "
        "شرق تركيا قرب الحدود مع سوريا اليوم الاثنين.",
        "incident": "suruc",
    },
    {
        "id": "snn-okaz-snn-4765",
        "source": "okaz",
        "published": "2015-07-21",
        "title": "أنقرة تتعرف على انتحاري سروج",
        "text": "قال رئيس الوزراء التركي أحمد داود أوغلو إن السلطات التركية تعرفت على مشتبه به في التفجير الانتحاري "
        "الذي أسفر عن سقوط 32 قتيلا في بلدة سروج الواقعة قرب الحدود مع سوريا.",
        "incident": "suruc",
    },
    {
        "id": "snn-alweeam-snn-1615",
        "source": "alweeam",
        "published": "2015-07-21",
        "title": "انفجار يهز كوباني السورية وتضارب الروايات عن السبب",
        "text": "وقع انفجار في بلدة كوباني الحدودية السورية اليوم الإثنين. وقال المرصد السوري لحقوق الإنسان إن "
        "سبب الانفجار سيارة ملغومة استهدفت نقطة تفتيش تابعة لوحدات حماية الشعب الكردية.",
        "incident": "kobani",
    },
    {
        "id": "snn-aleqtisadiya-snn-5148",
        "source": "aleqtisadiya",
        "published": "2015-07-23",
        "title": "مقتل جندي تركي وإصابة آخر برصاص من جانب داعش",
        "text": "قالت قناة سي ان ان ترك التلفزيونية إن جنديا تركيا قتل 1 وأصيب آخر اليوم الخميس برصاص أطلق من "
        "الجانب السوري على الحدود قرب بلدة كلس التركية.",
        "incident": "kilis",
    },
    {
        "id": "snn-aawsat-snn-5035",
        "source": "aawsat",
        "published": "2015-07-23",
        "title": "مقتل جندي تركي وإصابة آخر باشتباكات مع «داعش» على الحدود السورية",
        "text": "قال مسؤول تركي كبير، اليوم (الخميس)، ان جنديا تركيا قتل 1 وأصيب آخر في اشتباكات مع تنظيم "
        '"داعش" المتطرف عبر الحدود مع سوريا قرب بلدة كلس التركية.',
        "incident": "kilis",
    },
]

# the stand-in coder's gazetteer: folded-insensitive substring -> place fields
PLACES = {
    "سروج": {
        "location": "Suruc",
        "country": "Turkey",
        "admin1": "Sanliurfa",
        "admin2": "Suruc",
        "latitude": 36.9761,
        "longitude": 38.4253,
    },
    "كوباني": {
        "location": "Ain al Arab",
        "country": "Syria",
        "admin1": "Aleppo",
        "admin2": "Ain Al Arab",
        "pcode": "C1917",
        "latitude": 36.8907,
        "longitude": 38.3533,
    },
    "كلس": {
        "location": "Kilis",
        "country": "Turkey",
        "admin1": "Kilis",
        "admin2": "Kilis",
        "latitude": 36.7184,
        "longitude": 37.1212,
    },
}
TRIGGERS = [
    ("انفجار", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("التفجير الانتحاري", "Explosions/Remote violence", "Suicide bomb"),
    ("قتل", "Battles", "Armed clash"),
]
_DAYS = {"الاثنين": 0, "الإثنين": 0, "الخميس": 3}


def fake_extract(doc: Document) -> Document:
    """One event per document: first trigger, first known place, first number = fatalities, the first
    sentence as evidence; date = the weekday named, else the day before publication."""
    text = doc.text
    kind = next(((t, s) for k, t, s in sorted(TRIGGERS, key=lambda x: -len(x[0])) if k in text), None)
    place = next((v for k, v in PLACES.items() if k in text), None)
    if kind is None or place is None:
        return doc
    end = text.find(".")
    end = len(text) if end < 0 else end + 1
    num = re.search(r"\d+", text)
    pub = doc.meta.published or date(2015, 7, 21)
    day = pub.toordinal() - 1
    for word, weekday in _DAYS.items():
        if word in text:
            day = pub.toordinal() - ((pub.weekday() - weekday) % 7)
            break
    ev = Event(
        event_type=kind[0],
        sub_event_type=kind[1],
        event_date=date.fromordinal(day).isoformat(),
        fatalities=int(num.group()) if num else None,
        evidence=[Span.of(text, 0, end)],
        **place,
    )
    m = re.search(r"\d+", text)
    if m:
        ev.field_evidence["fatalities"] = [Span.of(text, m.start(), m.end())]
    doc.events = [ev]
    return doc


def make_doc(rec: dict[str, Any], *, extract: bool = True) -> Document:
    doc = Document(
        id=rec["id"],
        text=rec["text"],
        meta=Metadata(
            source=rec.get("source"),
            title=rec.get("title"),
            url=rec.get("url"),
            published=date.fromisoformat(rec["published"]) if rec.get("published") else None,
        ),
    )
    return fake_extract(doc) if extract else doc


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({k: v for k, v in r.items() if k != "incident"}, ensure_ascii=False) + "\n")
    return path


def dump(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored fact, without row ids and timestamps (for 'same data' comparisons)."""
    q = store._rows
    return {
        "documents": [
            tuple(r.values())
            for r in q(
                "SELECT id, source, url, title, published, content_hash, text FROM documents ORDER BY id"
            )
        ],
        "mentions": [
            tuple(r.values())
            for r in q(
                "SELECT document_id, kind, start_char, end_char, text, value FROM mentions "
                "ORDER BY document_id, start_char, kind"
            )
        ],
        "events": [
            tuple(sorted((k, v) for k, v in r.items() if k != "rid"))
            for r in q("SELECT * FROM events ORDER BY id")
        ],
        "evidence": [
            tuple(r.values())
            for r in q(
                "SELECT event_id, field, start_char, end_char, text FROM evidence ORDER BY event_id, field, start_char"
            )
        ],
        "incidents": [
            tuple(sorted((k, v) for k, v in r.items() if k != "updated_at"))
            for r in q("SELECT * FROM incidents ORDER BY id")
        ],
        "incident_events": [
            tuple(r.values())
            for r in q("SELECT incident_id, event_id FROM incident_events ORDER BY event_id")
        ],
    }


ROOT = Path(__file__).resolve().parents[2]
_PG: dict[str, str | None] = {}


def pg_dsn() -> str | None:
    """RASD_TEST_PG_DSN, or the DSN of a server scripts/ci/postgres.sh starts; None (with a reason) when none."""
    if "dsn" in _PG:
        return _PG["dsn"]
    dsn = os.environ.get("RASD_TEST_PG_DSN")
    reason = None
    if not dsn:
        script = ROOT / "scripts" / "ci" / "postgres.sh"
        try:
            out = subprocess.run([str(script)], capture_output=True, text=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            out = None
            reason = f"scripts/ci/postgres.sh could not run: {exc}"
        if out is not None:
            for line in out.stdout.splitlines():
                if line.startswith("RASD_TEST_PG_DSN="):
                    dsn = line.split("=", 1)[1].strip()
            if not dsn:
                reason = "scripts/ci/postgres.sh could not start PostgreSQL: " + (
                    out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"
                )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        dsn, reason = None, "psycopg is not installed (pip install 'rasd[postgres]')"
    _PG["dsn"] = dsn
    _PG["reason"] = reason
    return dsn


def pg_schema_url() -> Iterator[str]:
    """A DSN whose search_path is a fresh schema, dropped afterwards."""
    dsn = pg_dsn()
    if not dsn:
        pytest.skip(f"PostgreSQL not available: {_PG.get('reason')}")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in dsn else "?"
    try:
        yield f"{dsn}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
