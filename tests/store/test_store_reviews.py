"""Reviews as first-class data (#16): corrections checked against the ACLED taxonomy and field types, derived
fields recomputed, corrections that survive re-ingest of a changed article, or are flagged for re-review."""

from __future__ import annotations

from typing import Any

import pytest
from storekit import REPORTS, make_doc

import rasd.ingest
import rasd.store
from rasd.document import Document, Span
from rasd.errors import StoreError
from rasd.store.corrections import InvalidCorrection, check_changes, derive, event_key

EID = "snn-okaz-snn-4765#0"
BASE: dict[str, Any] = {
    "kind": "acled",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "event_date": "2015-07-20",
    "date_end": None,
}


def _okaz() -> Document:
    return make_doc(next(r for r in REPORTS if r["id"] == "snn-okaz-snn-4765"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"event_type": "Picnic"}, "event_type='Picnic' is not valid"),
        ({"sub_event_type": "Air/drone strike"}, "a sub-event type of Battles"),  # another type's sub-type
        ({"event_type": "Riots"}, "correct sub_event_type with it"),  # leaves Armed clash under Riots
        ({"date_end": "2015-07-19"}, "after date_end"),
        ({"event_date": "2015-02-31"}, "a date YYYY-MM-DD"),
        ({"inter2": 99}, "inter codes are 0 to 8"),
        ({"fatalities": 1e23}, "between 0 and 100,000"),
        ({"fatalities": -1}, "between 0 and 100,000"),
        ({"fatalities": 2.5}, "whole number"),
        ({"fatalities": "nan"}, "whole number"),
        ({"wounded": True}, "whole number"),
        ({"latitude": 91}, "between -90 and 90"),
        ({"geo_precision": 4}, "1, 2 or 3"),
        ({"modality": "rumoured"}, "reported, claimed"),
        ({"colour": "red"}, "not an event field"),
        ({"actor1": ["a", "b"]}, "send text"),
    ],
)
def test_invalid_corrections_are_refused_issue16(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidCorrection, match=message):
        check_changes(BASE, changes)


def test_valid_corrections_are_cleaned_issue16() -> None:
    got = check_changes(
        BASE,
        {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "fatalities": "3"},
    )
    assert got == {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "fatalities": 3,
    }
    assert check_changes(BASE, {"date_end": "2015-07-22", "inter1": 0}) == {
        "date_end": "2015-07-22",
        "inter1": 0,
    }


def test_derived_fields_follow_a_corrected_actor_issue16() -> None:
    ev = {
        **BASE,
        "actor1": "Hezbollah",
        "actor2": "Military Forces of Syria (2000-)",
        "actor2_ar": "قوات النظام",
    }
    ev.update(country="Syria", inter1=3, inter2=1, fatalities=2, modality="reported")
    out = derive({**ev, "actor2": "Hezbollah"}, {"actor2"})
    assert out["actor2_ar"] is None  # the Arabic words named the old actor
    assert out["inter2"] == 8  # the dictionary: Hezbollah fighting in Syria is an external force
    assert "Hezbollah" in out["notes"] and "2 reported fatalities" in out["notes"]
    unknown = derive({**ev, "actor2": "Someone Nobody Knows"}, {"actor2"})
    assert unknown["inter2"] is None  # never guessed
    kept = derive({**ev, "actor2": "Hezbollah", "inter2": 8}, {"actor2", "inter2"})
    assert "inter2" not in kept


def test_event_key_ignores_spacing_and_hamza_issue16() -> None:
    assert event_key("acled", ["قتل 27 شخصا في إدلب"]) == event_key("acled", ["قتل  27 شخصا في ادلب"])
    assert event_key("acled", ["قتل 27"]) != event_key("statement", ["قتل 27"])


def test_a_bad_correction_is_a_store_error_and_changes_nothing_issue16(store: rasd.store.Store) -> None:
    store.save_document(_okaz())
    with pytest.raises(StoreError) as err:
        store.review(EID, "correct", reviewer="a", changes={"fatalities": 1e23})
    assert err.value.code == "RASD406"
    with pytest.raises(StoreError):
        store.review(EID, "correct", reviewer="a", changes={"event_type": "Picnic"})
    assert store.reviews() == [] and store.get_event(EID)["fatalities"] == 32  # type: ignore[index]


def test_correcting_fatalities_regenerates_the_notes_issue16(store: rasd.store.Store) -> None:
    store.save_document(_okaz())
    store.review(EID, "correct", reviewer="a", changes={"fatalities": 2})
    ev = store.get_event(EID)
    assert ev is not None and ev["fatalities"] == 2 and "2 reported fatalities" in ev["notes"]
    store.review(EID, "correct", reviewer="a", changes={"actor1": "Islamic State (Syria)"})
    ev = store.get_event(EID)
    assert ev is not None and ev["inter1"] == 2 and ev["actor1_ar"] is None
    assert ev["notes"].count("Islamic State (Syria)") == 1 and "2 reported fatalities" in ev["notes"]


def test_corrections_survive_reingest_of_a_changed_article_issue16(store: rasd.store.Store) -> None:
    doc = _okaz()
    store.save_document(doc)
    store.review(EID, "correct", reviewer="a", changes={"fatalities": 31})
    # the outlet edits the article: a new lead sentence with an event of its own comes first
    lead = "قتل 3 في اشتباكات قرب بلدة كلس التركية. "
    changed = Document(id=doc.id, text=lead + doc.text, meta=doc.meta)
    moved = make_doc({"id": doc.id, "published": "2015-07-21", "text": doc.text}).events[0]
    moved.evidence = [Span(s.start + len(lead), s.end + len(lead), s.text) for s in moved.evidence]
    moved.field_evidence = {}
    changed.events = [make_doc({"id": "lead", "published": "2015-07-21", "text": lead}).events[0], moved]
    res = store.save_document(changed)
    assert res.status == "updated" and res.needs_rereview == 0
    assert store.get_event(f"{doc.id}#0")["fatalities"] == 3  # type: ignore[index]  # not the corrected one
    ev = store.get_event(f"{doc.id}#1")
    assert ev is not None and ev["fatalities"] == 31 and ev["review_status"] == "corrected"
    assert [r["event_id"] for r in store.reviews()] == [f"{doc.id}#1"]


def test_a_review_whose_event_is_gone_needs_rereview_issue16(store: rasd.store.Store) -> None:
    doc = _okaz()
    store.save_document(doc)
    store.review(EID, "reject", reviewer="a")
    rewritten = make_doc(next(r for r in REPORTS if r["id"] == "snn-aawsat-snn-37") | {"id": doc.id})
    res = store.save_document(rewritten)
    assert res.needs_rereview == 1
    flagged = store.needs_rereview()
    assert [(r["event_id"], r["action"], r["state"]) for r in flagged] == [(EID, "reject", "needs_rereview")]
    ev = store.get_event(EID)  # the new event at that position is not the rejected one
    assert ev is not None and ev["review_status"] is None and store.reviews(EID) == []
    assert store.get_document(doc.id)["needs_rereview"] == flagged  # type: ignore[index]
    assert store.save_document(rewritten, force=True).needs_rereview == 0  # counted once


def test_ingest_summary_reports_reviews_needing_rereview_issue16(tmp_path: Any) -> None:
    from storekit import fake_extract, write_jsonl

    rec = next(r for r in REPORTS if r["id"] == "snn-okaz-snn-4765")
    src = write_jsonl(tmp_path / "a.jsonl", [rec])
    db = str(tmp_path / "s.db")
    rasd.ingest.ingest([str(src)], db=db, extract=fake_extract)
    with rasd.store.open(db) as s:
        s.review(EID, "accept", reviewer="a")
    other = next(r for r in REPORTS if r["id"] == "snn-aawsat-snn-37")
    write_jsonl(src, [{**rec, "text": other["text"]}])
    summary = rasd.ingest.ingest([str(src)], db=db, extract=fake_extract)
    assert summary.updated == 1 and summary.needs_rereview == 1
    assert any("need re-review" in line for line in summary.lines())
