"""A tiny corpus for the web tests: real-style Arabic articles with coded events, one carrying XSS payloads.

``documents()`` builds :class:`rasd.document.Document` objects with events, evidence and field evidence
(offsets computed from the text, so they always agree); ``build_store(path)`` saves them with the store API;
``live_server(db)`` runs `rasd serve` over a store as a real process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest

from rasd.document import Document, Event, Mention, Metadata, Span

XSS_SCRIPT = "<script>window.__rasd_xss = 'script'</script>"
XSS_IMG = "<img src=x onerror=\"window.__rasd_xss = 'img'\">"

KHUWAYN = (
    '"دحر الغزاة": سنكشف حقائق عن التعاون بين النظام وتنظيم الدولة\n\n'
    "أعلنت غرفة عمليات دحر الغزاة قتل وجرح العشرات من فلول تنظيم الدولة في بلدة الخوين بريف إدلب "
    "الجنوبي الشرقي خلال الأيام الثلاثة الماضية إضافة إلى أسر المئات ممن تبقى منهم.\n"
)
RAID_A = (
    "قتل خمسة مدنيين وجرح آخرون اليوم الأحد جراء غارة جوية استهدفت سوقاً شعبياً في مدينة أريحا بريف إدلب، "
    "بحسب ما أفاد المرصد السوري لحقوق الإنسان.\n"
)
RAID_B = (
    "أفادت مصادر محلية بمقتل سبعة مدنيين في غارة جوية على سوق مدينة أريحا جنوب إدلب يوم الأحد، "
    "واتهمت الفصائل الطيران الروسي بتنفيذ الغارة.\n"
)
PROTEST = (
    f"تظاهر مئات الأهالي في مدينة درعا يوم الجمعة للمطالبة بالإفراج عن المعتقلين. {XSS_SCRIPT} "
    f"ورفع المتظاهرون لافتات {XSS_IMG} تندد بالاعتقالات.\n"
)


def _span(text: str, phrase: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span.of(text, start, start + len(phrase))


def _doc(doc_id: str, text: str, source: str, title: str, published: date) -> Document:
    return Document(
        id=doc_id, text=text, meta=Metadata(source=source, title=title, published=published, url=None)
    )


def documents() -> list[Document]:
    docs = []

    d = _doc("khuwayn", KHUWAYN, "seed", "دحر الغزاة: معارك في الخوين", date(2018, 2, 13))
    ev = Event(
        event_type="Battles",
        sub_event_type="Armed clash",
        plover="ASSAULT",
        event_date="2018-02-10",
        date_end="2018-02-13",
        time_precision=2,
        actor1="Dahr al-Ghuzat Operations Room",
        actor1_ar="غرفة عمليات دحر الغزاة",
        inter1=2,
        actor2="Islamic State (Syria)",
        actor2_ar="فلول تنظيم الدولة",
        inter2=2,
        location="Al-Khuwayn",
        location_ar="بلدة الخوين",
        country="Syria",
        admin1="Idlib",
        pcode="C4091",
        latitude=35.47938,
        longitude=36.83525,
        geo_precision=1,
        fatalities=10,
        captured=100,
        modality="claimed",
        attributed_to="غرفة عمليات دحر الغزاة",
    )
    ev.evidence = [
        _span(KHUWAYN, "أعلنت غرفة عمليات دحر الغزاة قتل وجرح العشرات من فلول تنظيم الدولة في بلدة الخوين")
    ]
    ev.field_evidence = {
        "actor1": [_span(KHUWAYN, "غرفة عمليات دحر الغزاة", 0)],
        "actor2": [_span(KHUWAYN, "فلول تنظيم الدولة")],
        "location": [_span(KHUWAYN, "بلدة الخوين")],
        "event_date": [_span(KHUWAYN, "خلال الأيام الثلاثة الماضية")],
        "fatalities": [_span(KHUWAYN, "العشرات")],
        "trigger": [_span(KHUWAYN, "قتل وجرح")],
    }
    d.events = [ev]
    d.mentions = [Mention("place", _span(KHUWAYN, "إدلب"), {"candidates": []}, None, "test")]
    docs.append(d)

    for doc_id, text, source, n, phrase in (
        ("raid-a", RAID_A, "alarabiya", 5, "خمسة"),
        ("raid-b", RAID_B, "okaz", 7, "سبعة"),
    ):
        dd = _doc(doc_id, text, source, "غارة على سوق أريحا", date(2015, 7, 26))
        e = Event(
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            plover="ASSAULT",
            event_date="2015-07-26",
            time_precision=1,
            actor1="Military Forces of Syria (2000-2024)",
            inter1=1,
            actor2="Civilians (Syria)",
            inter2=7,
            location="Ariha",
            country="Syria",
            admin1="Idlib",
            pcode="C3925",
            latitude=35.8117,
            longitude=36.6108,
            geo_precision=1,
            fatalities=n,
            civilian_targeting=True,
            modality="reported",
        )
        e.evidence = [_span(text, text.split("،")[0].split(" يوم")[0])]
        e.field_evidence = {
            "fatalities": [_span(text, phrase)],
            "location": [_span(text, "أريحا")],
            "trigger": [_span(text, "غارة جوية")],
            "event_date": [_span(text, "الأحد")],
        }
        dd.events = [e]
        docs.append(dd)

    p = _doc("daraa-protest", PROTEST, "sabq", f"مظاهرة في درعا {XSS_IMG}", date(2015, 7, 31))
    e = Event(
        event_type="Protests",
        sub_event_type="Peaceful protest",
        plover="PROTEST",
        event_date="2015-07-31",
        time_precision=1,
        actor1="Protesters (Syria)",
        inter1=6,
        location="Daraa",
        country="Syria",
        admin1="Dara",
        latitude=32.6189,
        longitude=36.1021,
        geo_precision=1,
        fatalities=0,
        modality="reported",
    )
    e.evidence = [_span(PROTEST, PROTEST.split(".")[0]), _span(PROTEST, XSS_IMG)]
    e.field_evidence = {"location": [_span(PROTEST, "مدينة درعا")], "trigger": [_span(PROTEST, "تظاهر")]}
    p.events = [e]
    docs.append(p)
    return docs


def build_store(path: str | Path) -> str:
    """Save the corpus into a SQLite store at ``path``; returns the path."""
    import rasd.store

    with rasd.store.open(str(path), similarity="ngram") as store:
        for doc in documents():
            store.save_document(doc)
    return str(path)


@contextmanager
def live_server(db: str, *options: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """`rasd serve --db DB --port 0 OPTIONS...` on 127.0.0.1 for the block: ``(url, port)`` once it answers."""
    rasd = Path(sys.executable).with_name("rasd")
    cmd = [str(rasd)] if rasd.exists() else [sys.executable, "-m", "rasd.cli"]
    proc = subprocess.Popen(
        [*cmd, "serve", "--db", db, "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, **(env or {})),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line
        port = int(m.group(1))
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(url + "/api/config", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                pytest.fail(f"rasd serve exited: {proc.stdout.read()}")
            time.sleep(0.1)
        yield url, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
