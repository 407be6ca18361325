"""rasd.store.filters: the reference semantics (tests/web/reference.py, a test oracle since #16) selects exactly
what the SQL of each store selects."""

from __future__ import annotations

from typing import Any

import pytest
from storekit import REPORTS, make_doc

import rasd.store
from rasd.store import Filters
from tests.web.reference import matches

SURUC = (36.9761, 38.4253)

# (filters, how many of the six stored events they select): the count makes each row a real test of both sides
CASES: list[tuple[dict[str, Any], int]] = [
    ({}, 6),
    ({"type": "battles"}, 2),
    ({"sub_type": "Suicide bomb"}, 1),
    ({"country": "syria"}, 1),
    ({"country": "سوريا"}, 1),  # one place-name resolver (#16)
    ({"admin1": "شانلي أورفا"}, 3),  # the Arabic name of Sanliurfa (the gazetteer knows it since #15)
    ({"admin1": "ولاية لا وجود لها"}, 0),  # a name the gazetteer does not know matches as typed only
    ({"admin1": "Sanliurfa", "min_fatalities": 30}, 1),
    ({"since": "2015-07-22"}, 2),
    ({"until": "2015-07-20"}, 4),
    ({"source": "aawsat"}, 2),
    ({"source": "AAWSAT"}, 0),
    ({"near": (*SURUC, 5)}, 3),
    ({"near": (*SURUC, 20)}, 4),
    ({"modality": "claimed"}, 0),
    ({"document_id": "snn-okaz-snn-4765"}, 1),
    ({"kind": "statement"}, 0),
    ({"kind": None}, 6),
    ({"text": "سروج"}, 3),
    ({"text": "الاثنين"}, 3),  # folded: the text spells it both with and without hamza
    ({"actor": "%"}, 0),
]


def _reference(store: rasd.store.Store, f: Filters) -> set[str]:
    everything = store.query_events(kind=None, include_rejected=True)
    docs = {i: store.get_document(i) for i in {e["document_id"] for e in everything}}
    texts = {i: d["text"] for i, d in docs.items() if d is not None}
    return {e["event_id"] for e in everything if matches(f, e, texts[e["document_id"]])}


@pytest.mark.parametrize(("given", "count"), CASES, ids=[repr(c[0]) for c in CASES])
def test_matches_selects_what_the_store_selects(
    store: rasd.store.Store, given: dict[str, Any], count: int
) -> None:
    for rec in REPORTS:
        store.save_document(make_doc(rec))
    f = Filters.of(given)
    got = {e["event_id"] for e in store.query_events(f)}
    assert len(got) == count
    assert _reference(store, f) == got


def test_matches_by_incident_and_rejected_review(store: rasd.store.Store) -> None:
    for rec in REPORTS:
        store.save_document(make_doc(rec))
    first = store.query_events()[0]
    f = Filters(incident_id=first["incident_id"])
    assert _reference(store, f) == {e["event_id"] for e in store.query_events(f)}
    store.record_review(first["event_id"], reviewer="t", action="reject")
    assert first["event_id"] not in _reference(store, Filters())
    assert first["event_id"] in _reference(store, Filters(include_rejected=True))


@pytest.mark.parametrize(
    ("given", "echoed"),
    [
        ({}, {}),
        ({"kind": "acled", "offset": 0}, {}),
        (
            {"actor": "داعش", "kind": None, "include_rejected": True},
            {"actor": "داعش", "kind": None, "include_rejected": True},
        ),
    ],
)
def test_given_names_only_what_differs_from_the_defaults(
    given: dict[str, Any], echoed: dict[str, Any]
) -> None:
    assert Filters.of(given).given() == echoed
