"""Scoring rules of ../shared/gold/README.md: type + place + date matching, one-to-one best first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.errors import EvalError
from rasd.eval import score_events, score_sentences
from rasd.eval.scoring import dates_match, event_classes, match_events, places_match, read_jsonl

KHUWAYN = {"pcode": "C4091", "latitude": 35.47938, "longitude": 36.83525, "geo_precision": 1}
IDLIB_CITY = {"pcode": "C3871", "latitude": 35.93199, "longitude": 36.63491, "geo_precision": 1}


def ev(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "event_date": "2018-02-10",
        "date_end": "2018-02-13",
        "actor1": "A",
        "actor2": "B",
        "fatalities": 0,
        **KHUWAYN,
    }
    base.update(kw)
    return base


@pytest.mark.parametrize(
    ("g", "p", "ok"),
    [
        (("2018-02-10", "2018-02-13"), ("2018-02-13", "2018-02-13"), True),
        (("2018-02-10", "2018-02-10"), ("2018-02-11", "2018-02-11"), True),  # within one day
        (("2018-02-10", "2018-02-10"), ("2018-02-12", "2018-02-12"), False),
        (("2015-07-22", "2015-07-23"), ("2015-07-24", "2015-07-25"), True),
    ],
)
def test_dates_within_one_day_of_overlapping(g: tuple[str, str], p: tuple[str, str], ok: bool) -> None:
    assert dates_match({"event_date": g[0], "date_end": g[1]}, {"event_date": p[0], "date_end": p[1]}) is ok


def test_places_by_pcode_distance_and_district() -> None:
    assert places_match(KHUWAYN, dict(KHUWAYN))
    assert not places_match(KHUWAYN, IDLIB_CITY)  # ~ 50 km apart, other district, precision 1
    near = {"pcode": None, "latitude": 35.40, "longitude": 36.90, "geo_precision": 2}
    assert places_match(KHUWAYN, near)  # within 25 km
    assert places_match({"pcode": "SY0703", "geo_precision": 3}, {"pcode": "SY070300", "geo_precision": 2})


def test_one_to_one_best_first() -> None:
    gold = [ev(), ev(sub_event_type="Armed clash", actor1="X")]
    pred = [ev(actor1="X"), ev()]
    pairs = dict(match_events(gold, pred))
    assert pairs == {0: 1, 1: 0}


def test_type_must_match() -> None:
    assert match_events([ev()], [ev(event_type="Explosions/Remote violence")]) == []


def test_scores_and_field_accuracy() -> None:
    gold = [
        {"id": "a", "events": [ev(fatalities=10, evidence="xyz", evidence_start=5), ev(**IDLIB_CITY)]},
        {"id": "b", "events": []},
    ]
    pred = [
        {"id": "a", "events": [ev(fatalities=12, evidence=[{"start": 0, "end": 7, "text": "......."}])]},
        {"id": "b", "events": [ev()]},
    ]
    s = score_events(gold, pred).to_dict()
    assert (s["gold_events"], s["pred_events"], s["matched"]) == (2, 2, 1)
    assert s["precision"] == 0.5 and s["recall"] == 0.5
    assert (
        s["accuracy"]["fatalities"] == 0.0
        and s["accuracy"]["evidence"] == 1.0
        and s["accuracy"]["pcode"] == 1.0
    )
    assert s["fatalities_total_mae"] == 1.0  # |10-12| and |0-0|


def test_sentence_scoring_strict_and_all() -> None:
    recs = [
        {"id": "1", "event_type": "ASSAULT", "label": "yes", "text": "a"},
        {"id": "2", "event_type": "ASSAULT", "label": "easy no", "text": "b"},
        {"id": "3", "event_type": "ASSAULT", "label": "difficult no", "text": "c"},
        {"id": "4", "event_type": "ASSAULT", "label": "ambiguous", "text": "d"},
    ]
    found = {"1": {"ASSAULT"}, "2": set(), "3": {"ASSAULT"}, "4": {"ASSAULT"}}
    t = score_sentences(recs, lambda r: found[r["id"]])["ASSAULT"]
    assert (t["strict"]["tp"], t["strict"]["fp"], t["strict"]["f1"]) == (1, 0, 1.0)
    assert (t["all"]["tp"], t["all"]["fp"]) == (1, 1)


def test_event_classes_by_plover_or_acled_type() -> None:
    assert event_classes([{"event_type": "Riots", "plover": "PROTEST"}]) == {"PROTEST"}
    assert event_classes([{"event_type": "Violence against civilians", "plover": None}]) == {"ASSAULT"}
    assert event_classes([{"kind": "statement", "plover": "ACCUSE"}]) == set()


def test_bad_jsonl_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "g.jsonl"
    p.write_text(json.dumps({"id": "x", "events": []}) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(EvalError, match=":2"):
        read_jsonl(p)


@pytest.mark.parametrize(
    ("g", "p", "same"),
    [
        ("Military Forces of Syria (2000-)", "Military Forces of Syria (2024-)", True),
        ("Military Forces of Iraq (2018-2020)", "Military Forces of Iraq (2014-2018)", True),
        ("Military Forces of Syria (2000-)", "Police Forces of Syria (2000-)", False),
        ("RSF: Rapid Support Forces", "RSF: Rapid Support Forces", True),
    ],
)
def test_actor_period_is_ignored_as_the_gold_readme_says_issue14(g: str, p: str, same: bool) -> None:
    from rasd.eval.scoring import field_agreement

    assert field_agreement({"actor1": g}, {"actor1": p})["actor1"] is same


@pytest.mark.parametrize(
    ("pred", "ok"),
    [
        (("2015-07-20", "2015-07-21"), True),  # a two-day range holding the gold day
        (("2015-07-21", "2015-07-21"), True),
        (("2015-07-19", "2015-07-21"), False),  # three days: too vague to count
        (("2015-07-22", "2015-07-22"), False),
    ],
)
def test_date_within_two_day_range_issue14(pred: tuple[str, str], ok: bool) -> None:
    from rasd.eval.scoring import date_within

    assert date_within({"event_date": "2015-07-21"}, {"event_date": pred[0], "date_end": pred[1]}) is ok
