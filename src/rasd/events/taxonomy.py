"""The ACLED/PLOVER taxonomy the event coder codes into, read once from ``resources/data/taxonomy.json``.

One entry per ACLED sub-event type (event type, disorder type, PLOVER type and mode, priority, crowd and
territory flags, compatible types, the unidentified-actor default, the note's verb phrase) and per generic
trigger class (``@bombard``...: its rank among the sub-event types). The coder's rules read these tables
instead of keeping their own lists, so a sub-event type is described in one place.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ..errors import ResourceError


def _load() -> dict[str, Any]:
    ref = resources.files("rasd.resources").joinpath("data", "taxonomy.json")
    try:
        data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:  # pragma: no cover - the file ships with the package
        raise ResourceError("resources/data/taxonomy.json is missing; reinstall rasd") from exc
    except json.JSONDecodeError as exc:
        raise ResourceError(f"resources/data/taxonomy.json is not valid JSON ({exc}); fix it") from exc
    return data


_DATA = _load()
SUB_TYPES: dict[str, dict[str, Any]] = _DATA["sub_event_types"]
GENERIC: dict[str, dict[str, Any]] = _DATA["generic"]

# Which sub-event wins when one clause holds several trigger words (most specific first).
PRIORITY: tuple[str, ...] = tuple(sorted(SUB_TYPES, key=lambda s: int(SUB_TYPES[s]["priority"])))
RANK: dict[str, int] = {s: i for i, s in enumerate(PRIORITY)}
# generic trigger classes rank between the sub-event types ("@bombard" just after "Shelling/...")
GENERIC_RANK: dict[str, float] = {g: e["rank"] for g, e in GENERIC.items()}
CASUALTY_CLASSES = frozenset(g for g, e in GENERIC.items() if e.get("casualty"))
CROWD_LABELS = frozenset(
    [g for g, e in GENERIC.items() if e.get("crowd")] + [s for s, e in SUB_TYPES.items() if e["crowd"]]
)
TERRITORY = frozenset(s for s, e in SUB_TYPES.items() if e["territory"])
# ACLED's actor when the text names no perpetrator: (name with "{country}", inter code)
UNIDENTIFIED: dict[str, tuple[str, int]] = {
    s: (str(e["unidentified_actor"]["name"]), int(e["unidentified_actor"]["inter"]))
    for s, e in SUB_TYPES.items()
    if e.get("unidentified_actor")
}
_COMPATIBLE: dict[str, frozenset[str]] = {
    label: frozenset(e.get("compatible") or ()) for label, e in (*SUB_TYPES.items(), *GENERIC.items())
}
# sub-event type -> (note with a target, note without one); {a1} {a2} are actor names
NOTES: dict[str, tuple[str, str]] = {
    s: (str(e["note"]["with_target"]), str(e["note"]["alone"])) for s, e in SUB_TYPES.items()
}
# sub-event type -> PLOVER mode, where PLOVER has one
MODES: dict[str, str] = {s: str(e["mode"]) for s, e in SUB_TYPES.items() if e.get("mode")}


def same_kind(a: str, b: str) -> bool:
    """May a later clause of type ``b`` continue an incident of type ``a`` (shelling told as a clash)?"""
    if a == b:
        return True
    return b in _COMPATIBLE.get(a, frozenset())


def type_info(sub: str) -> dict[str, str]:
    """The ACLED event type, disorder type and PLOVER type of a sub-event type."""
    e = SUB_TYPES[sub]
    return {"event_type": e["event_type"], "plover": e["plover"], "disorder_type": e["disorder_type"]}
