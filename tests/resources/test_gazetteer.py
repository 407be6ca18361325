"""The committed gazetteer matches its manifest (sha256, counts) and holds the whole Syrian admin hierarchy."""

from __future__ import annotations

import gzip
import hashlib
import json
from importlib import resources

import pytest

from rasd.resources.gazetteer import load_gazetteer, load_manifest


def _blob() -> bytes:
    return resources.files("rasd.resources").joinpath("data", "gazetteer.json.gz").read_bytes()


def test_build_matches_manifest() -> None:
    manifest = load_manifest()
    blob = _blob()
    assert hashlib.sha256(blob).hexdigest() == manifest["sha256"]
    assert len(blob) == manifest["bytes"]
    data = json.loads(gzip.decompress(blob))
    assert len(data["entries"]) == manifest["entries"]
    assert len(data["aliases"]) == manifest["aliases"]
    assert len(data["common"]) == manifest["common_keys"]
    assert not manifest["warnings"]


def test_sources_and_licences_recorded() -> None:
    licences = " ".join(s["licence"] for s in load_manifest()["sources"])
    assert "OCHA" in licences and "CC BY 4.0" in licences


@pytest.mark.parametrize(("level", "count"), [("governorate", 14), ("district", 62), ("subdistrict", 272)])
def test_syrian_admin_units(level: str, count: int) -> None:
    gaz = load_gazetteer()
    units = gaz.of_level(level, "Syria")
    assert len(units) == count
    assert all(u.pcode and u.lat is not None and u.lon is not None for u in units)
    assert load_manifest()["syria"][f"{level}s"] == count


def test_all_ocha_communities() -> None:
    gaz = load_gazetteer()
    comm = [p for p in gaz.places if p.country == "Syria" and p.id[:1] == "C" and p.id[1:].isdigit()]
    assert len(comm) == 5251 == load_manifest()["syria"]["communities"]
    assert all(p.adm1 and p.adm2 and p.adm3 and p.lat and p.lon for p in comm)
    # the hierarchy holds: every community's admin units exist
    assert all(gaz.get(str(p.adm3)) and gaz.get(str(p.adm2)) and gaz.get(str(p.adm1)) for p in comm)


@pytest.mark.parametrize(
    ("name", "pcode", "kind"),
    [
        ("الخوين", "C4091", "descriptor"),  # خوين الكبير
        ("خوين", "C4091", "descriptor"),
        ("كفريا", "C3952", "alias"),  # كفريا معرتمصرين, the one next to al-Fuaa
        ("الفوعة", "C3905", "name"),
        ("الفوعه", "C3905", "name"),  # ة/ه folding
        ("كوباني", "C1946", "alias"),
        ("عين العرب", "C1946", "name"),
        ("عزاز", "C1564", "alias"),
        ("أعزاز", "C1564", "name"),
        ("معرة النعمان", "C3985", "name"),
        ("كفر زيتا", "C3463", "name"),
        ("كفرزيتا", "C3463", "alias"),
        ("الباغوز", "C5184", "descriptor"),  # الباغوز فوقاني
    ],
)
def test_aliases(name: str, pcode: str, kind: str) -> None:
    got = {(p.pcode, k) for p, k in load_gazetteer().lookup(name)}
    assert (pcode, kind) in got


@pytest.mark.parametrize(
    ("name", "country"),
    [("سروج", "Turkey"), ("كلس", "Turkey"), ("عرسال", "Lebanon"), ("الموصل", "Iraq"), ("المفرق", "Jordan"),
     ("بيروت", "Lebanon"), ("الفلوجة", "Iraq"), ("الرمثا", "Jordan"), ("موسكو", "Russia"), ("واشنطن", "United States")],
)  # fmt: skip
def test_neighbouring_places_have_coordinates(name: str, country: str) -> None:
    hits = [p for p, _ in load_gazetteer().lookup(name) if p.country == country]
    assert hits and hits[0].lat is not None and hits[0].pcode is None


@pytest.mark.parametrize("word", ["الحرية", "السلام", "الثورة", "المزرعة"])
def test_common_words_flagged(word: str) -> None:
    gaz = load_gazetteer()
    assert gaz.lookup(word), word  # they are real village names...
    from rasd.text.normalize import normalize_key

    assert gaz.is_common(normalize_key(word))  # ...and ordinary words: the recogniser wants a cue
