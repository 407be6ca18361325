"""The geocoder's reading of a place mention and how fine it is: what every place rule compares."""

from __future__ import annotations

from typing import Any

from ..document import Mention

_FINE_LEVELS = frozenset({"community", "city", "village", "town", "neighbourhood", "facility", "capital"})


def resolved_of(m: Mention) -> dict[str, Any] | None:
    """The geocoder's reading of a place mention; before the geocode stage ran, the recogniser's best candidate."""
    if "resolved" in m.value:
        res = m.value["resolved"]
        return res if isinstance(res, dict) else None
    if not m.entry:
        return None
    cands = m.value.get("candidates") or []
    c = next((c for c in cands if m.entry in (c.get("pcode"), c.get("id"))), None)
    if c is None:
        return None
    level = c.get("level") or ""
    gp = 1 if level in _FINE_LEVELS else 3 if level in ("country", "governorate") else 2
    if m.value.get("near"):
        gp = max(gp, 2)
    return {
        "location": c.get("name_en"),
        "location_ar": c.get("name_ar"),
        "country": c.get("country"),
        "admin1": c.get("admin1"),
        "admin2": c.get("admin2"),
        "admin3": c.get("admin3"),
        "pcode": c.get("pcode"),
        "latitude": c.get("lat"),
        "longitude": c.get("lon"),
        "geo_precision": gp,
        "reason": "recogniser best candidate",
    }


def place_level(resolved: dict[str, Any]) -> int:
    """Rank of a resolved place: 4 community/city, 3 sub-district, 2 district, 1 governorate, 0 country."""
    pcode = resolved.get("pcode") or ""
    if pcode.startswith("C"):
        return 4
    if pcode.startswith("SY"):
        return {2: 0, 4: 1, 6: 2, 8: 3}.get(len(pcode), 1)
    gp = resolved.get("geo_precision")
    if not resolved.get("admin1") and not resolved.get("location"):
        return 0
    if resolved.get("location") and resolved.get("location") == resolved.get("country"):
        return 0
    if gp == 3:
        return 1
    return 4


def place_key(resolved: dict[str, Any]) -> str:
    """What makes two resolved places the same place: the P-code, else the name."""
    return str(resolved.get("pcode") or resolved.get("location") or resolved.get("location_ar") or "")


def contains_place(coarse: dict[str, Any], fine: dict[str, Any]) -> bool:
    """Does the coarser resolved place contain the finer one (same country / governorate / district)?"""
    lc, lf = place_level(coarse), place_level(fine)
    if lc >= lf:
        return False
    if lc == 0:
        return bool(coarse.get("country")) and coarse.get("country") == fine.get("country")
    cp, fp = coarse.get("pcode") or "", fine.get("pcode") or ""
    if cp.startswith("SY") and fp.startswith("SY"):
        return fp.startswith(cp)
    if lc == 1:
        return bool(coarse.get("admin1")) and coarse.get("admin1") == fine.get("admin1")
    if lc == 2:
        return bool(coarse.get("admin2")) and coarse.get("admin2") == fine.get("admin2")
    if lc == 3:
        return bool(coarse.get("admin3")) and coarse.get("admin3") == fine.get("admin3")
    return False
