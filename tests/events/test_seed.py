"""Regression for issue 5: the founding example (tests/data/seed_khuwayn_2018.txt, a scraped page of 13 Feb 2018).

Expected coding (docs/codebook.md): ONE Armed clash, actor1 the Dahr al-Ghuzat operations room (inter 2), actor2
Islamic State (Syria), at al-Khuwayn (P-code C4091 "Big Khwein", Ma'arrat al-Nu'man district, Idlib),
2018-02-10..2018-02-13 (time_precision 2), modality claimed, captured 100 ("أسر المئات"), and fatalities NOT 12:
"قتل وجرح العشرات" mixes killed and wounded, so it is coded as deaths without a number in a significant attack
(10), never as a killed count. The news body and the embedded statement (## بيان) tell the same battle: one
event with evidence from both. Plus ACCUSE and REQUEST statements.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rasd.document import Document, Event, Metadata
from rasd.pipeline import build_pipeline

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_khuwayn_2018.txt"


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    from rasd.readers import read

    docs = list(read([str(SEED)]))
    assert len(docs) == 1
    return build_pipeline()(docs[0])


@pytest.fixture(scope="module")
def body_doc() -> Document:
    """The same page as a record (body only, publication date given), as in the gold file."""
    raw = SEED.read_text(encoding="utf-8")
    body = raw[raw.index("أعلنت غرفة عمليات") :]
    doc = Document("seed", body, Metadata(published=date(2018, 2, 13), author="غرفة عمليات دحر الغزاة"))
    return build_pipeline()(doc)


def _clash(doc: Document) -> Event:
    clashes = [e for e in doc.acled_events if e.sub_event_type == "Armed clash"]
    assert len(clashes) == 1, [e.to_dict() for e in doc.acled_events]
    return clashes[0]


@pytest.mark.parametrize("which", ["seed_doc", "body_doc"])
def test_seed_armed_clash(which: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(which)
    ev = _clash(doc)
    assert ev.event_type == "Battles" and ev.plover == "ASSAULT"
    assert ev.actor1 == "Dahr al-Ghuzat Operations Room" and ev.inter1 == 2
    assert ev.actor2 == "Islamic State (Syria)"
    assert ev.pcode == "C4091" and ev.country == "Syria"
    assert ev.admin2 and "ma" in ev.admin2.lower()  # Ma'arrat al-Nu'man district ("Al Ma'ra")
    assert (ev.event_date, ev.date_end, ev.time_precision) == ("2018-02-10", "2018-02-13", 2)
    assert ev.modality == "claimed"
    assert ev.captured == 100
    assert ev.fatalities == 10  # "قتل وجرح العشرات": killed-or-wounded, not 12 dead
    assert ev.fatalities_text and "قتل وجرح" in ev.fatalities_text


@pytest.mark.parametrize("which", ["seed_doc", "body_doc"])
def test_seed_one_event_with_body_and_statement_evidence(which: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(which)
    ev = _clash(doc)
    texts = [s.text for s in ev.evidence]
    assert any("أعلنت غرفة عمليات دحر الغزاة" in t for t in texts)  # the news body
    assert any("اشتباكات عنيفة دامت" in t for t in texts)  # the statement (بيان)
    for s in ev.evidence:
        assert doc.text[s.start : s.end] == s.text
    for spans in ev.field_evidence.values():
        for s in spans:
            assert doc.text[s.start : s.end] == s.text
    for f in ("actor1", "actor2", "pcode", "event_date", "captured", "fatalities", "sub_event_type"):
        assert ev.field_evidence.get(f), f"no evidence for {f}"
    # no other ACLED event: the regime transfers of IS fighters are accusations, not events
    assert [e.sub_event_type for e in doc.acled_events] == ["Armed clash"]


@pytest.mark.parametrize("which", ["seed_doc", "body_doc"])
def test_seed_statements(which: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(which)
    kinds = {s.plover for s in doc.statements}
    assert {"ACCUSE", "REQUEST"} <= kinds
    req = next(s for s in doc.statements if s.plover == "REQUEST")
    assert req.actor1 == "Dahr al-Ghuzat Operations Room"
    assert req.actor2 == "International community"
    assert all(s.kind == "statement" and s.event_type is None for s in doc.statements)


def test_seed_ids_are_stable(body_doc: Document) -> None:
    raw = SEED.read_text(encoding="utf-8")
    body = raw[raw.index("أعلنت غرفة عمليات") :]
    again = build_pipeline()(Document("seed", body, Metadata(published=date(2018, 2, 13))))
    assert [e.event_id for e in again.acled_events] == [e.event_id for e in body_doc.acled_events]
