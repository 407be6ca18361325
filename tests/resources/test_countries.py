"""Country profiles (issue 15): every country of the gazetteer has one, with ISO codes and Arabic names."""

from __future__ import annotations

from rasd.resources.countries import adjectives, country, load_countries, village_countries
from rasd.resources.gazetteer import load_gazetteer


def test_every_gazetteer_country_has_a_profile() -> None:
    profiles = load_countries()
    assert {p.country for p in load_gazetteer().places} <= set(profiles)
    assert len({c.iso3 for c in profiles.values()}) == len(profiles)


def test_profile_fields() -> None:
    sd = country("Sudan")
    assert sd is not None and (sd.iso2, sd.iso3, sd.num, sd.region) == ("SD", "SDN", 729, "Northern Africa")
    assert "السودان" in sd.ar and sd.admin1[0] == "ولاية"
    sy = country("Syria")
    assert sy is not None and sy.pcode and sy.village_gazetteer
    assert country("Atlantis") is None


def test_syria_is_the_only_village_listed_country() -> None:
    assert village_countries() == frozenset({"Syria"})


def test_adjectives() -> None:
    adj = adjectives()
    assert adj["السودانية"] == "Sudan" and adj["اليمني"] == "Yemen" and adj["الليبية"] == "Libya"


def test_divisions_of_the_region_issue15() -> None:
    gaz = load_gazetteer()
    for name, n in (("Sudan", 18), ("Yemen", 22), ("Egypt", 27), ("Iraq", 19), ("Libya", 22)):
        assert len(gaz.of_level("governorate", name)) == n, name
