"""Cross-source incident grouping: the rules one by one, then incremental joins in a store."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from storekit import REPORTS, make_doc

import rasd.store
from rasd.document import Event, Span
from rasd.store import incidents as inc
from rasd.store.similarity import NgramEmbedder


def m(**kw: object) -> inc.Member:
    base: dict[str, object] = {
        "id": "x#0",
        "document_id": "x",
        "source": "s",
        "event_type": "Battles",
        "event_date": "2015-07-20",
    }
    base.update(kw)
    return inc.Member(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "score"),
    [
        ({"pcode": "C1"}, {"pcode": "C1"}, 1.0),
        ({"pcode": "C1", "location": "Suruc"}, {"pcode": "C2", "location": "Suruç"}, 0.0),
        ({"location": "Suruc"}, {"location": "suruc"}, 0.9),
        ({"location": "A", "admin2": "Idlib"}, {"location": "B", "admin2": "Idlib"}, 0.7),
        ({"latitude": 36.97, "longitude": 38.42}, {"latitude": 36.89, "longitude": 38.35}, 0.6),  # ~11 km
        ({"latitude": 36.97, "longitude": 38.42}, {"latitude": 36.72, "longitude": 37.12}, 0.0),  # ~120 km
        (
            {"country": "Syria", "latitude": 36.9, "longitude": 38.35},
            {"country": "Turkey", "latitude": 36.97, "longitude": 38.42},
            0.0,
        ),  # across a border
        ({"country": "Syria"}, {"country": "Syria"}, 0.3),  # no place on either side
        ({"country": "Syria", "location": "A"}, {"country": "Syria"}, 0.0),
    ],
)
def test_place_score(a: dict, b: dict, score: float) -> None:
    assert inc.place_score(m(**a), m(id="y#0", document_id="y", **b)) == score


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        (("2015-07-20", None), ("2015-07-21", None), True),
        (("2015-07-20", None), ("2015-07-22", None), False),
        (("2015-07-18", "2015-07-20"), ("2015-07-21", None), True),
        ((None, None), ("2015-07-21", None), True),  # falls back on the article date (published 07-21)
    ],
)
def test_dates_within_a_day(a: tuple, b: tuple, ok: bool) -> None:
    x = m(event_date=a[0], date_end=a[1], published="2015-07-21")
    y = m(id="y#0", document_id="y", event_date=b[0], date_end=b[1])
    assert inc.dates_close(x, y) is ok


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        (("Islamic State (Syria)", None), ("Islamic State (Syria)", "Civilians (Turkey)"), True),
        (("Islamic State (Syria)", None), (None, None), True),
        (("Islamic State (Syria)", None), ("Unidentified Armed Group (Turkey)", None), True),
        (("Islamic State (Syria)", "YPG"), ("Military Forces of Turkey", "PKK"), False),
        (("Military Forces of Syria", None), ("Military Forces of Syria (2000-)", None), True),
    ],
)
def test_actors_compatible(a: tuple, b: tuple, ok: bool) -> None:
    assert inc.actors_compatible(m(actor1=a[0], actor2=a[1]), m(actor1=b[0], actor2=b[1])) is ok


def test_structural_rules() -> None:
    a = m(location="Suruc")
    assert inc.structural_score(a, m(id="x#1", location="Suruc")) == 0.0  # same document
    assert (
        inc.structural_score(a, m(id="y#0", document_id="y", location="Suruc", event_type="Protests")) == 0.0
    )
    b = m(id="y#0", document_id="y", location="Suruc", event_type="Battles")
    assert inc.structural_score(a, b) == 0.9
    c = m(event_type="Explosions/Remote violence", location="Suruc")
    d = m(id="y#0", document_id="y", event_type="Violence against civilians", location="Suruc")
    assert inc.structural_score(c, d) == 0.9  # compatible types
    assert inc.accept(0.9, 0.31, 0.3, 0.45) and not inc.accept(0.7, 0.31, 0.3, 0.45)
    assert not inc.accept(0.0, 1.0, 0.3, 0.45)


def test_aggregate_is_conservative_and_records_disagreements() -> None:
    members = [
        m(id="a#0", document_id="a", source="aawsat", fatalities=27, geo_precision=2, location="Sanliurfa"),
        m(id="b#0", document_id="b", source="okaz", fatalities=32, geo_precision=1, location="Suruc"),
        m(id="c#0", document_id="c", source="alweeam", fatalities=None, geo_precision=1, location="Suruc"),
    ]
    agg = inc.aggregate(members)
    assert agg["fatalities"] == 27 and agg["fatalities_max"] == 32
    assert agg["location"] == "Suruc" and agg["sources"] == ["aawsat", "alweeam", "okaz"]
    fat = next(d for d in agg["disagreements"] if d["field"] == "fatalities")
    assert fat["values"] == [
        {"value": 27, "events": ["a#0"], "sources": ["aawsat"]},
        {"value": 32, "events": ["b#0"], "sources": ["okaz"]},
    ]
    assert {d["field"] for d in agg["disagreements"]} == {"fatalities", "location"}


def test_new_articles_join_existing_incidents_incrementally(tmp_path: Path) -> None:
    suruc = [r for r in REPORTS if r["incident"] == "suruc"]
    kilis = [r for r in REPORTS if r["incident"] == "kilis"]
    with rasd.store.open(tmp_path / "i.db") as s:
        first = s.save_document(make_doc(suruc[0]))
        (suruc_id,) = first.incidents
        s.save_document(make_doc(kilis[0]))
        (kilis_id,) = s.save_document(make_doc(kilis[1])).incidents
        kilis_before = s.get_incident(kilis_id)
        # a new report of the Suruc bombing joins its incident and touches nothing else
        res = s.save_document(make_doc(suruc[2]))
        assert res.incidents == (suruc_id,)
        assert s.get_incident(kilis_id) == kilis_before
        got = s.get_incident(suruc_id)
        assert got is not None and got["n_documents"] == 2 and got["fatalities_max"] == 32
        # the block of a far-away date holds no candidate
        far = m(
            id="later#0",
            document_id="later",
            event_type="Explosions/Remote violence",
            event_date="2015-08-30",
            location="Suruc",
        )
        assert s._candidate_members(far) == []
        near = m(
            id="later#0",
            document_id="later",
            event_type="Explosions/Remote violence",
            event_date="2015-07-21",
            location="Suruc",
        )
        assert {c.extra["incident_id"] for c in s._candidate_members(near)} == {suruc_id}
        assert s.counts()["incidents"] == 2


def test_two_events_of_one_document_never_share_an_incident(tmp_path: Path) -> None:
    rec = next(r for r in REPORTS if r["incident"] == "suruc")
    doc = make_doc(rec)
    twin = Event.from_dict(doc.events[0].to_dict())
    twin.evidence = [Span.of(doc.text, 0, 40)]
    doc.events.append(twin)
    with rasd.store.open(tmp_path / "j.db") as s:
        s.save_document(doc)
        assert len({e["incident_id"] for e in s.query_events()}) == 2


class CountingEmbedder(NgramEmbedder):
    """The n-gram embedder, recording every batch of texts it is asked to encode."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return super().encode(texts)


def test_issue16_only_events_with_candidates_are_embedded_once(tmp_path: Path) -> None:
    """Ingest speed (#16): an event is embedded only when it has a candidate, each event once (a stored event's
    vector is read back from the table, its evidence text read only when it has none yet)."""
    suruc = [make_doc(r) for r in REPORTS if r["incident"] == "suruc"]
    emb = CountingEmbedder()
    with rasd.store.open(tmp_path / "e.db", similarity=emb) as s:
        first = s.save_document(suruc[0])
        assert emb.batches == []  # nothing to compare with: nothing embedded
        s.save_document(suruc[1])
        evidence = [" … ".join(sp.text for sp in d.events[0].evidence) for d in suruc]
        assert emb.batches == [[evidence[1], evidence[0]]]  # the new event, then its stored candidate
        s.save_document(suruc[2])
        assert emb.batches[1:] == [[evidence[2]]]  # the two stored vectors are read back, not recomputed
        got = s.get_incident(first.incidents[0])
        assert got is not None and got["n_documents"] == 3
        assert s.counts()["incidents"] == 1


def test_ngram_backend_groups_the_same(tmp_path: Path) -> None:
    with rasd.store.open(tmp_path / "n.db", similarity="ngram") as s:
        for rec in REPORTS:
            s.save_document(make_doc(rec))
        sizes = sorted(i["n_documents"] for i in s.query_incidents(with_events=False))
        assert sizes == [1, 2, 3]
        assert s.embedder.name == "char3-hash-1024"


def test_a_source_silent_on_deaths_is_not_a_zero_issue16() -> None:
    """The Suruç bombing exported 0 deaths because one outlet only described the blast (fatalities 0, no
    words about deaths): the conservative figure is the lowest figure a source GIVES."""
    members = [
        m(id="a#0", document_id="a", source="aawsat", fatalities=27, fatalities_text="مقتل 27 شخصا"),
        m(id="b#0", document_id="b", source="okaz", fatalities=32, fatalities_text="32 قتيلا"),
        m(id="c#0", document_id="c", source="alweeam", fatalities=0),  # silent on deaths
        m(id="d#0", document_id="d", source="sabq", fatalities=0, fatalities_text="لم ترد أنباء عن"),
    ]
    agg = inc.aggregate(members)
    assert agg["fatalities"] == 27 and agg["fatalities_max"] == 32
    assert inc.aggregate(members[2:])["fatalities"] == 0  # nobody gives a figure: ACLED's 0
    assert inc.aggregate([m(fatalities=None)])["fatalities"] is None


@pytest.mark.parametrize(
    ("dates", "precisions", "expected"),
    [
        ([("2015-07-20", None), ("2015-07-20", None)], [1, 2], 1),  # the most precise source
        ([("2015-07-20", None), ("2015-07-21", None)], [1, 1], 2),  # the range spans two days
        ([("2015-07-01", "2015-07-20"), ("2015-07-20", None)], [3, 1], 3),
        ([("2015-07-20", None)], [None], 1),  # no source says: what the range allows
    ],
)
def test_incident_time_precision_issue16(dates: list, precisions: list, expected: int) -> None:
    members = [
        m(id=f"{i}#0", document_id=str(i), event_date=d[0], date_end=d[1], time_precision=p)
        for i, (d, p) in enumerate(zip(dates, precisions, strict=True))
    ]
    assert inc.aggregate(members)["time_precision"] == expected


def test_incident_inter_codes_follow_its_actors_issue16() -> None:
    members = [
        m(
            id="a#0",
            document_id="a",
            actor1="Islamic State (Syria)",
            inter1=2,
            actor2="Civilians (Turkey)",
            inter2=7,
        ),
        m(id="b#0", document_id="b", actor1="Islamic State (Syria)", inter1=2),
        m(id="c#0", document_id="c", actor1="Unidentified Armed Group (Turkey)", inter1=3),
    ]
    agg = inc.aggregate(members)
    assert (agg["actor1"], agg["inter1"], agg["actor2"], agg["inter2"]) == (
        "Islamic State (Syria)",
        2,
        "Civilians (Turkey)",
        7,
    )


def test_stored_incidents_fill_every_acled_field_issue16(tmp_path: Path) -> None:
    suruc = [r for r in REPORTS if r["incident"] == "suruc"]
    with rasd.store.open(tmp_path / "f.db") as s:
        for rec in suruc:
            doc = make_doc(rec)
            for ev in doc.events:
                ev.time_precision, ev.actor1, ev.inter1 = 1, "Islamic State (Syria)", 2
            s.save_document(doc)
        (incident,) = s.query_incidents(with_events=False)
        assert incident["time_precision"] == 1 and incident["inter1"] == 2
        assert incident["civilian_targeting"] is False and incident["fatalities"] == 27
        buf = io.StringIO()
        from rasd.store.output import write_records

        write_records(s, s.query_incidents(), "acled-csv", buf, level="incident")
        row = next(csv.DictReader(io.StringIO(buf.getvalue())))
        assert (row["time_precision"], row["inter1"], row["fatalities"]) == ("1", "2", "27")
