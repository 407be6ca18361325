"""resources/data/taxonomy.json (rasd.events.taxonomy): the ACLED/PLOVER taxonomy as one data file (issue 14).

Every ACLED sub-event type is covered with its event type and disorder type (checked against ACLED's category
table in ../shared when it is there), and the coder's tables derived from it are consistent."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from rasd.events import taxonomy
from rasd.events.lexicon import lexicons
from rasd.lang import load

ACLED_CATEGORIES = (
    Path(__file__).resolve().parents[2] / ".." / "shared/data/reference/acled/acled_event_categories.csv"
)


def _disorder(row: dict[str, str]) -> str:
    """ACLED's disorder type from the category table's flags."""
    pv, demo = float(row["political_violence"]) > 0, float(row["demonstrations"]) > 0
    if pv and demo:
        return "Political violence; Demonstrations"
    if pv:
        return "Political violence"
    return "Demonstrations" if demo else "Strategic developments"


@pytest.mark.skipif(not ACLED_CATEGORIES.exists(), reason="../shared/data/reference/acled not present")
def test_every_acled_sub_type_is_covered_with_its_event_type_issue14() -> None:
    with ACLED_CATEGORIES.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 25
    assert {r["sub_event_type"] for r in rows} == set(taxonomy.SUB_TYPES)
    for r in rows:
        entry = taxonomy.SUB_TYPES[r["sub_event_type"]]
        assert entry["event_type"] == r["event_type"], r["sub_event_type"]
        assert entry["disorder_type"] == _disorder(r), r["sub_event_type"]


def test_priority_is_a_total_order_of_the_sub_types() -> None:
    assert len(taxonomy.PRIORITY) == len(taxonomy.SUB_TYPES) == 25
    assert sorted(int(e["priority"]) for e in taxonomy.SUB_TYPES.values()) == list(range(25))
    assert taxonomy.PRIORITY[0] == "Suicide bomb" and taxonomy.PRIORITY[-1] == "Other"
    # a generic class ranks between the sub-event types, never on one of them
    assert all(r not in taxonomy.RANK.values() for r in taxonomy.GENERIC_RANK.values() if r < 25)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Armed clash", "Shelling/artillery/missile attack", True),
        ("Shelling/artillery/missile attack", "@bombard", True),
        ("@bombard", "Armed clash", True),
        ("Air/drone strike", "Air/drone strike", True),
        ("Air/drone strike", "Shelling/artillery/missile attack", False),
        ("Attack", "Armed clash", False),
        ("@attack", "Attack", False),
    ],
)
def test_same_kind_is_symmetric_and_follows_the_compatible_types(a: str, b: str, same: bool) -> None:
    assert taxonomy.same_kind(a, b) is same
    assert taxonomy.same_kind(b, a) is same


def test_flags_and_defaults() -> None:
    assert taxonomy.CASUALTY_CLASSES == {"@kill", "@wound"}
    assert taxonomy.TERRITORY == {"Non-state actor overtakes territory", "Government regains territory"}
    assert "@protest" in taxonomy.CROWD_LABELS and "Mob violence" in taxonomy.CROWD_LABELS
    assert all(
        taxonomy.SUB_TYPES[s]["event_type"] in ("Protests", "Riots")
        for s in taxonomy.CROWD_LABELS
        if s[0] != "@"
    )
    assert taxonomy.UNIDENTIFIED["Air/drone strike"] == ("Unidentified Military Forces", 8)
    assert all(inter in (3, 8) for _name, inter in taxonomy.UNIDENTIFIED.values())
    assert all(len(taxonomy.NOTES[s]) == 2 and "{a1}" in taxonomy.NOTES[s][0] for s in taxonomy.SUB_TYPES)


def test_every_trigger_label_is_in_the_taxonomy() -> None:
    triggers = load("ar", "triggers")
    labels = {t["sub"] for t in triggers["triggers"]}
    assert labels <= set(taxonomy.SUB_TYPES) | set(taxonomy.GENERIC)
    assert {r["to"] for r in triggers["refine"]} <= set(taxonomy.SUB_TYPES) | set(taxonomy.GENERIC)


def test_the_coder_reads_its_types_from_the_taxonomy() -> None:
    types = lexicons().types
    assert set(types) == set(taxonomy.SUB_TYPES)
    for sub, info in types.items():
        assert info["event_type"] == taxonomy.SUB_TYPES[sub]["event_type"]
        assert info["plover"] == taxonomy.SUB_TYPES[sub]["plover"]


def test_the_file_is_plain_json_with_every_field() -> None:
    ref = Path(taxonomy.__file__).resolve().parents[1] / "resources" / "data" / "taxonomy.json"
    data = json.loads(ref.read_text(encoding="utf-8"))
    fields = {"event_type", "disorder_type", "plover", "mode", "priority", "crowd", "territory", "compatible"}
    for sub, entry in data["sub_event_types"].items():
        assert fields | {"unidentified_actor", "note"} <= set(entry), sub
