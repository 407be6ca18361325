"""Same behaviour on SQLite and PostgreSQL (the postgres parameter skips, with the reason, when no server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from storekit import REPORTS, dump, make_doc

import rasd
import rasd.store
from rasd.document import Document, Event, Metadata, Span
from rasd.errors import StoreError


def _by_id(rid: str) -> dict:
    return next(r for r in REPORTS if r["id"] == rid)


def test_same_document_twice_is_stored_once(store: rasd.store.Store) -> None:
    doc = make_doc(REPORTS[0])
    assert store.save_document(doc).status == "new"
    assert store.save_document(make_doc(REPORTS[0])).status == "unchanged"
    counts = store.counts()
    assert counts["documents"] == 1 and counts["events"] == 1 and counts["incidents"] == 1
    assert store.has_document(make_doc(REPORTS[0], extract=False))


def test_changed_document_is_updated_not_duplicated(store: rasd.store.Store) -> None:
    store.save_document(make_doc(REPORTS[0]))
    store.save_document(make_doc(REPORTS[1]))
    before = store.query_incidents()
    assert len(before) == 1 and before[0]["n_documents"] == 2
    changed = dict(REPORTS[0], text=REPORTS[0]["text"].replace("27", "29"))
    assert store.save_document(make_doc(changed)).status == "updated"
    assert store.counts()["documents"] == 2
    assert store.counts()["events"] == 2
    ev = store.get_event("snn-aawsat-snn-37#0")
    assert ev is not None and ev["fatalities"] == 29
    inc = store.query_incidents()
    assert len(inc) == 1 and inc[0]["n_events"] == 2
    assert inc[0]["fatalities"] == 27 and inc[0]["fatalities_max"] == 29
    # a changed document whose new version has no event leaves its incident
    empty = dict(REPORTS[0], text="نص لا حدث فيه.")
    store.save_document(make_doc(empty))
    inc = store.query_incidents()
    assert len(inc) == 1 and inc[0]["n_events"] == 1 and inc[0]["sources"] == ["alweeam"]
    assert inc[0]["disagreements"] == []


def test_document_round_trip(store: rasd.store.Store) -> None:
    doc = make_doc(REPORTS[2])
    store.save_document(doc)
    rec = store.get_document(doc.id)
    assert rec is not None
    assert rec["text"] == doc.text and rec["content_hash"] == doc.content_hash
    assert rec["published"] == "2015-07-21" and rec["source"] == "okaz"
    ev = rec["events"][0]
    span = ev["evidence"][0]
    assert doc.text[span["start"] : span["end"]] == span["text"]
    assert ev["field_evidence"]["fatalities"][0]["text"] == "32"
    back = store.load_document(doc.id)
    assert (
        back is not None
        and back.events[0].fatalities == 32
        and back.events[0].evidence == doc.events[0].evidence
    )
    assert store.get_document("nope") is None and store.get_event("nope#0") is None


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("اسرائيل", True),  # folded query finds hamza-on-alef
        ("إسرائيل", True),
        ("الإسرائيلية", True),  # article + ta marbuta
        ("اسرائيلي", True),  # prefix of a longer word
        ("مدرسه", True),  # ta marbuta written as ha
        ("المدرسة", True),
        ("مستشفى", True),  # alef maqsura vs ya
        ("مستشفي", True),
        ("اسرائيل غزة", True),  # every word must match
        ("اسرائيل دمشق", False),
        ("طهران", False),  # only in a document without events
    ],
)
def test_fulltext_matches_across_hamza_alef_ta_marbuta(
    store: rasd.store.Store, query: str, found: bool
) -> None:
    text = "قصفت الطائرات الإسرائيلية مدرسةً قرب مستشفى في غزة، وقالت إسرائيل إنها استهدفت مسلحين."
    doc = Document(id="d1", text=text, meta=Metadata(source="x", published=None))
    doc.events = [
        Event(
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            event_date="2015-07-20",
            evidence=[Span.of(text, 0, len(text))],
        )
    ]
    store.save_document(doc)
    store.save_document(Document(id="d2", text="اجتماع في طهران لبحث الملف النووي.", meta=Metadata()))
    assert bool(store.query_events(text=query)) is found
    assert bool([d for d in store.search_documents(query) if d["id"] == "d1"]) is found
    assert [d["id"] for d in store.search_documents("طهران")] == ["d2"]


def test_near_query_uses_great_circle_distance(store: rasd.store.Store) -> None:
    for rec in REPORTS:
        store.save_document(make_doc(rec))
    suruc = (36.9761, 38.4253)
    near5 = {e["location"] for e in store.query_events(near=(*suruc, 5))}
    assert near5 == {"Suruc"}
    near20 = {e["location"] for e in store.query_events(near=(*suruc, 20))}
    assert near20 == {"Suruc", "Ain al Arab"}  # Kobani is ~6.5 km south-west
    assert {e["location"] for e in store.query_events(near=(36.72, 37.12, 3))} == {"Kilis"}
    assert store.query_events(near=(33.5, 36.3, 50)) == []


def test_filters(store: rasd.store.Store) -> None:
    for rec in REPORTS:
        store.save_document(make_doc(rec))
    assert store.count_events() == 6
    assert {e["document_id"] for e in store.query_events(type="battles")} == {
        "snn-aleqtisadiya-snn-5148",
        "snn-aawsat-snn-5035",
    }
    assert len(store.query_events(sub_type="Suicide bomb")) == 1
    assert len(store.query_events(country="Syria")) == 1
    assert len(store.query_events(admin1="Sanliurfa", min_fatalities=30)) == 1
    assert len(store.query_events(since="2015-07-22")) == 2
    assert len(store.query_events(until="2015-07-20")) == 4
    assert len(store.query_events(source="aawsat")) == 2
    assert len(store.query_events(limit=2)) == 2
    assert len(store.query_events(limit=2, offset=5)) == 1
    assert len(list(store.iter_events())) == 6
    with pytest.raises(StoreError):
        store.query_events(since="yesterday")
    with pytest.raises(StoreError):
        store.query_events(colour="red")


def test_incidents_group_sources_and_record_disagreements(store: rasd.store.Store) -> None:
    for rec in REPORTS:
        store.save_document(make_doc(rec))
    incidents = store.query_incidents()
    groups = sorted(sorted(e["document_id"] for e in i["events"]) for i in incidents)
    expected = {}
    for rec in REPORTS:
        expected.setdefault(rec["incident"], []).append(rec["id"])
    assert groups == sorted(sorted(v) for v in expected.values())
    suruc = next(i for i in incidents if i["location"] == "Suruc")
    assert suruc["n_documents"] == 3 and suruc["sources"] == ["aawsat", "alweeam", "okaz"]
    assert suruc["fatalities"] == 27 and suruc["fatalities_max"] == 32
    fat = next(d for d in suruc["disagreements"] if d["field"] == "fatalities")
    assert [v["value"] for v in fat["values"]] == [27, 32]
    assert next(v for v in fat["values"] if v["value"] == 32)["sources"] == ["okaz"]
    assert len(store.query_incidents(min_fatalities=20)) == 1
    assert store.get_incident(suruc["incident_id"])["n_events"] == 3  # type: ignore[index]


def test_stats(store: rasd.store.Store) -> None:
    for rec in REPORTS:
        store.save_document(make_doc(rec))
    by_type = {r["key"]: r for r in store.stats("type")}
    assert by_type["Battles"]["events"] == 2 and by_type["Battles"]["incidents"] == 1
    assert by_type["Explosions/Remote violence"]["events"] == 4
    assert by_type["Explosions/Remote violence"]["incidents"] == 2
    weeks = store.stats("week")
    assert [w["key"] for w in weeks] == ["2015-07-20"] and weeks[0]["events"] == 6
    assert {r["key"] for r in store.stats("admin1")} == {"Aleppo", "Kilis", "Sanliurfa"}
    with pytest.raises(StoreError):
        store.stats("colour")


def test_reviews_apply_to_queries_and_incidents(store: rasd.store.Store) -> None:
    for rec in REPORTS[:3]:
        store.save_document(make_doc(rec))
    eid = "snn-okaz-snn-4765#0"
    r = store.record_review(eid, reviewer="analyst1", action="correct", field="fatalities", value="31")
    assert r["before"] == 32 and r["after"] == 31
    ev = store.get_event(eid)
    assert ev is not None and ev["fatalities"] == 31 and ev["review_status"] == "corrected"
    assert store.query_incidents()[0]["fatalities_max"] == 31
    store.record_review("snn-aawsat-snn-37#0", reviewer="analyst1", action="reject", comment="dup")
    assert {e["event_id"] for e in store.query_events()} == {eid, "snn-alweeam-snn-1619#0"}
    assert len(store.query_events(include_rejected=True)) == 3
    assert store.query_incidents()[0]["fatalities"] == 27  # alweeam's 27 remains the lowest
    hist = store.reviews(eid)
    assert [h["action"] for h in hist] == ["correct"] and hist[0]["reviewer"] == "analyst1"
    # re-extracting the same version (force) keeps the correction
    store.save_document(make_doc(_by_id("snn-okaz-snn-4765")), force=True)
    ev = store.get_event(eid)
    assert ev is not None and ev["fatalities"] == 31
    with pytest.raises(StoreError):
        store.record_review(eid, reviewer="a", action="correct", field="colour", value=1)
    with pytest.raises(StoreError):
        store.record_review(eid, reviewer="a", action="approve")
    with pytest.raises(StoreError):
        store.record_review("missing#0", reviewer="a", action="accept")


def test_delete_document(store: rasd.store.Store) -> None:
    for rec in REPORTS[:3]:
        store.save_document(make_doc(rec))
    assert store.delete_document("snn-okaz-snn-4765")
    assert not store.delete_document("snn-okaz-snn-4765")
    inc = store.query_incidents()
    assert len(inc) == 1 and inc[0]["n_documents"] == 2 and inc[0]["fatalities_max"] == 27
    assert store.search_documents("انتحاري") == []


def test_same_data_from_both_orders_of_saving_unchanged(store: rasd.store.Store) -> None:
    docs = [make_doc(r) for r in REPORTS]
    for d in docs:
        store.save_document(d)
    first = dump(store)
    for d in docs:
        assert (
            store.save_document(make_doc(next(r for r in REPORTS if r["id"] == d.id))).status == "unchanged"
        )
    assert dump(store) == first
    assert json.dumps(first, default=str)  # serialisable


@pytest.mark.parametrize(
    "text",
    [
        "قالت وزارة الداخلية التركية إنّ انفجاراً في بلدة سُروج أسفر عن مقتل ٢٧ شخصاً",
        "ﻻ إله ﷲ Ｉsrael ISRAEL İstanbul ـــ مدرسةٌ",  # presentation forms and case: the slow path
        "A\u00a0B\u200fC",
    ],
)
def test_fast_fold_equals_normalize_key(text: str) -> None:
    from rasd.store.search import fold
    from rasd.text.normalize import normalize_key

    assert fold(text) == normalize_key(text)


SEED = Path(__file__).resolve().parents[1] / "data" / "seed_khuwayn_2018.txt"


@pytest.mark.parametrize(
    ("actor", "matches"), [("%", False), ("_", False), ("isl_mic", False), ("islamic", True)]
)
def test_actor_filter_is_literal_text_issue10(store: rasd.store.Store, actor: str, matches: bool) -> None:
    """Regression for #10: % and _ in the actor filter are literal characters on both backends, not LIKE
    wildcards (no actor name of the seed article contains them; it has the Islamic State)."""
    store.save_document(rasd.extract(Document(id="seed", text=SEED.read_text(encoding="utf-8"))))
    assert bool(store.query_events(actor=actor)) is matches


def test_iter_incidents_pages_through_every_incident_issue10(store: rasd.store.Store) -> None:
    """Regression for #10: `rasd export --level incident` streams pages; the pages add up to the whole list."""
    from rasd.store.base import _paged
    from rasd.store.filters import Filters

    for rec in REPORTS:
        store.save_document(make_doc(rec))
    whole = store.query_incidents()
    assert len(whole) >= 3
    assert list(store.iter_incidents()) == whole
    assert list(_paged(store.query_incidents, Filters.of(None), page=2)) == whole
    assert list(_paged(store.query_incidents, Filters.of(None, limit=3, offset=1), page=2)) == whole[1:4]
