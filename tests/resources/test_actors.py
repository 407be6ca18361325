"""The packaged actor dictionary: integrity against its manifest, schema, and the actors the event coder relies on."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pytest

from rasd.resources.actors import load_actors
from rasd.text.normalize import normalize_key

TYPES = {
    "state",
    "rebel",
    "political_militia",
    "identity_militia",
    "rioters",
    "protesters",
    "civilians",
    "external",
    "unknown",
}


def _data(name: str) -> bytes:
    return resources.files("rasd").joinpath(f"resources/data/{name}").read_bytes()


def test_manifest_matches_file() -> None:
    blob = _data("actors.json")
    manifest = json.loads(_data("actors.manifest.json"))
    assert manifest["sha256"] == hashlib.sha256(blob).hexdigest()
    assert manifest["bytes"] == len(blob)
    data = json.loads(blob)
    assert manifest["actors"] == len(data["actors"])
    assert manifest["aliases"] == len(data["aliases"])
    assert sum(manifest["aliases_by_origin"].values()) == len(data["aliases"])
    assert manifest["petrarch_entries_used"] > 500  # UniversalPetrarch contributed
    assert manifest["aliases_by_origin"]["c"] > 1000  # curated aliases


def test_schema() -> None:
    db = load_actors()
    assert len(db) > 100
    for a in db.actors.values():
        assert a.name and a.type in TYPES, a
        assert 1 <= a.inter <= 8
        assert a.inter_abroad is None or 1 <= a.inter_abroad <= 8
        lo, hi = a.years
        assert hi is None or lo <= hi
    for al in db.aliases:
        assert al.kind in {"a", "w", "b"}
        assert al.key == normalize_key(al.key)  # keys are stored folded
        assert al.actor_id in db.actors


# (Arabic alias as written, ACLED name, inter)
ALIASES = [
    ("قوات النظام", "Military Forces of Syria (2000-)", 1),
    ("جيش الأسد", "Military Forces of Syria (2000-)", 1),
    ("الجيش العربي السوري", "Military Forces of Syria (2000-)", 1),
    ("طيران النظام", "Military Forces of Syria (2000-)", 1),
    ("تنظيم الدولة", "Islamic State (Syria)", 2),
    ("داعش", "Islamic State (Syria)", 2),
    ("الدولة الإسلامية", "Islamic State (Syria)", 2),
    ("الثوار", "Opposition Rebels (Syria)", 2),
    ("الجيش الحر", "Free Syrian Army", 2),
    ("المليشيات الإيرانية", "Military Forces of Iran (1989-)", 8),
    ("الميليشيات الإيرانية", "Military Forces of Iran (1989-)", 8),
    ("الطيران الروسي", "Military Forces of Russia (2000-)", 1),
    ("وحدات حماية الشعب", "YPG: People's Protection Units", 2),
    ("قوات سوريا الديمقراطية", "SDF: Syrian Democratic Forces", 2),
    ("قسد", "SDF: Syrian Democratic Forces", 2),
    ("هيئة تحرير الشام", "HTS: Hayat Tahrir al-Sham", 2),
    ("جبهة النصرة", "Jabhat al-Nusra", 2),
    ("جبهة فتح الشام", "Jabhat Fateh al-Sham", 2),
    ("حركة أحرار الشام", "Ahrar al-Sham", 2),
    ("جيش الإسلام", "Jaish al-Islam", 2),
    ("جيش الفتح", "Jaish al-Fateh", 2),
    ("فيلق الشام", "Faylaq al-Sham", 2),
    ("حركة نور الدين الزنكي", "Nour al-Din al-Zenki Movement", 2),
    ("الجيش الوطني السوري", "SNA: Syrian National Army", 2),
    ("حزب الله", "Hezbollah", 2),
    ("الحرس الثوري الإيراني", "Military Forces of Iran (1989-)", 1),
    ("الجيش التركي", "Military Forces of Turkey (2014-)", 1),
    ("الشرطة التركية", "Police Forces of Turkey (2014-)", 1),
    ("التحالف الدولي", "Operation Inherent Resolve: Anti-ISIS coalition", 8),
    ("طيران التحالف الدولي", "Operation Inherent Resolve: Anti-ISIS coalition", 8),
    ("الحشد الشعبي", "Popular Mobilization Forces", 3),
    ("حزب العمال الكردستاني", "PKK: Kurdistan Workers Party", 2),
    ("قوات الدفاع الوطني", "NDF: National Defence Forces", 3),
    ("الشبيحة", "Pro-Government Militia (Syria)", 3),
    ("الجيش الإسرائيلي", "Military Forces of Israel (2022-)", 1),
    ("الجيش العراقي", "Military Forces of Iraq (2014-2018)", 1),
    ("الجيش الأمريكي", "Military Forces of the United States (2009-2017)", 8),
    ("الجيش الأميركي", "Military Forces of the United States (2009-2017)", 8),
]


@pytest.mark.parametrize(("alias", "name", "inter"), ALIASES)
def test_alias(alias: str, name: str, inter: int) -> None:
    db = load_actors()
    actor = db.resolve(alias)  # no date, no country: the default reading
    assert actor is not None, alias
    assert actor.name == name
    assert actor.inter == inter


def test_names_by_country_and_year() -> None:
    db = load_actors()
    assert db.get("is").name_for("Iraq") == "Islamic State (Iraq)"
    assert db.get("is").name_for("Syria") == "Islamic State (Syria)"
    assert db.get("usa_mil").name_for(year=2019) == "Military Forces of the United States (2017-2021)"
    assert db.get("turkey_mil").inter_for("Syria") == 8
    assert db.get("turkey_mil").inter_for("Turkey") == 1


def test_backrefs_point_at_actors() -> None:
    db = load_actors()
    assert "is" in db.backrefs[normalize_key("التنظيم")]
    for ids in db.backrefs.values():
        assert all(i in db.actors for i in ids)


def test_docs_table_lists_every_actor() -> None:
    """docs/actors.md lists every actor of the dictionary with its sources (issue 15); rebuild to refresh it."""
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "actors.md"
    if not doc.exists():
        pytest.skip("docs/ not shipped with this install")
    rows = {
        line.split("|")[1].strip().strip("`"): line
        for line in doc.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    }
    db = load_actors()
    assert set(rows) == set(db.actors), sorted(set(db.actors) ^ set(rows))
    for aid, line in rows.items():
        assert db.get(aid).name_on(None) in line or db.get(aid).names_by_date, aid
        assert line.rstrip(" |").rsplit("|", 1)[-1].strip(), f"{aid}: no source"
