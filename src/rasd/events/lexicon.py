"""Trigger and context-cue lexicons for the events stage, built once from ``lang/ar/triggers.json`` and
``lang/ar/event_context.json`` (language data lives in JSON, never in code; see docs/codebook.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import ResourceError
from ..lang import load
from ..text.match import Lexicon
from ..text.normalize import normalize_key
from .taxonomy import SUB_TYPES, type_info

_PAST_SUFFIXES = ("", "ت", "وا", "ا", "تا", "ن", "تم")
_PRESENT_SUFFIXES = ("", "ون", "ان", "ين")
_OBJECT_SUFFIXES = ("", "ها", "هم", "هما", "هن")  # not "ه": folded ta marbuta (سيطرة -> سيطره)


@dataclass(frozen=True, slots=True)
class TriggerInfo:
    """What a trigger word means: ``kind`` "event" (``label`` = sub-event type or @class) or "statement"
    (``label`` = PLOVER type); ``form`` one of past, present, noun, phrase."""

    kind: str
    label: str
    form: str
    strength: float
    weak: bool = False


def verb_forms(past: str, present: str | None = None, *, objects: bool = True) -> dict[str, list[str]]:
    """Conjugated surface forms of a verb given its past (3rd m. sg.) and present (3rd m. sg.) stems.

    ``objects=False`` for verbs whose object takes a preposition (سيطر على): "سيطرتهم" is then the noun
    "their control", never "she controlled them"."""
    out: dict[str, list[str]] = {"past": [], "present": []}
    objs = _OBJECT_SUFFIXES if objects else ("",)
    for suf in _PAST_SUFFIXES:
        for obj in objs:
            if suf in ("ا", "تا") and obj:
                continue
            form = past + suf + obj
            if suf == "وا" and obj:
                form = past + "و" + obj
            out["past"].append(form)
    if present:
        stem = present[1:] if present[0] in "يت" else present
        for pre in ("ي", "ت", "ن", "ا"):
            for suf in _PRESENT_SUFFIXES:
                for obj in ("", "ها", "هم") if objects else ("",):
                    if suf and obj:
                        continue
                    out["present"].append(pre + stem + suf + obj)
    return out


def _add_entry(lex: Lexicon[TriggerInfo], entry: dict[str, Any], kind: str, label: str) -> None:
    strength = float(entry.get("strength", 0.8))
    weak = bool(entry.get("weak", False))
    for verb in entry.get("verbs", []):
        forms = verb_forms(verb["past"], verb.get("present"), objects=bool(verb.get("objects", True)))
        other_words = set(
            verb.get("not", ())
        )  # homographs: "فجرا" is "at dawn" far more often than a dual verb
        for form_name, words in forms.items():
            for w in words:
                if w not in other_words:
                    lex.add(w, TriggerInfo(kind, label, form_name, strength, weak))
        for w in verb.get("extra", []):
            lex.add(w, TriggerInfo(kind, label, "past", strength, weak))
    for w in entry.get("nouns", []):
        lex.add(w, TriggerInfo(kind, label, "noun", strength, weak))
    for w in entry.get("phrases", []):
        lex.add(w, TriggerInfo(kind, label, "phrase", strength, weak))
    for w in entry.get(
        "object_phrases", []
    ):  # the actor right after is the target ("كبدوا قوات النظام خسائر")
        lex.add(w, TriggerInfo(kind, label, "object", strength, weak))


@dataclass(frozen=True)
class EventLexicons:
    triggers: Lexicon[TriggerInfo]
    cues: Lexicon[tuple[str, str]]
    types: dict[str, dict[str, str]]
    refine: list[dict[str, Any]]
    addressees: dict[str, str]
    windows: dict[str, int]
    negation_exceptions: frozenset[str]
    movement: frozenset[str] = frozenset()  # words after "انسحب" that make it a movement ("نحو", "باتجاه")
    stop_objects: frozenset[str] = frozenset()  # objects of "أوقف" that are operations, not people


@cache
def lexicons() -> EventLexicons:
    """Build (once per process) the trigger and cue lexicons from the package's language data."""
    data = load("ar", "triggers")
    ctx = load("ar", "event_context")
    # the sub-event types' ACLED and PLOVER types come from the taxonomy (resources/data/taxonomy.json)
    types = {s: type_info(s) for s in SUB_TYPES}
    trig: Lexicon[TriggerInfo] = Lexicon()
    for entry in data["triggers"]:
        label = entry["sub"]
        if not label.startswith("@") and label not in types:
            raise ResourceError(f"lang/ar/triggers.json: unknown sub-event type '{label}'")
        _add_entry(trig, entry, "event", label)
    for entry in data["statements"]:
        _add_entry(trig, entry, "statement", entry["plover"])
    cues: Lexicon[tuple[str, str]] = Lexicon()
    for kind in (
        "negation",
        "future",
        "hypothetical",
        "plan",
        "threat",
        "opinion",
        "denial",
        "background",
        "judicial",
        "reference",
        "stop",
    ):
        for w in ctx.get(kind, []):
            cues.add(w, ("filter", kind))
    for w in ctx["statement_not"]:
        cues.add(w, ("statement", "not"))
    for w in ctx["clause_future"]:
        cues.add(w, ("clause", "future"))
    for w in ctx["actor_qualifiers"]:
        cues.add(w, ("marker", "qualifier"))
    for w in ctx.get("raid_nouns", []):
        cues.add(w, ("marker", "raid"))
    for w in ctx.get("foil_markers", []):
        cues.add(w, ("marker", "foil"))
    for w in ctx.get("actor_loyalty", []):
        cues.add(w, ("marker", "loyal"))
    for w in ctx["boilerplate"]:
        cues.add(w, ("filter", "boilerplate"))
    for w in ctx["occurrence_verbs"]:
        cues.add(w, ("marker", "occurrence"))
    for w in ctx["relative_pronouns"]:
        cues.add(w, ("marker", "relative"))
    for w in ctx["anaphoric_places"]:
        cues.add(w, ("marker", "anaphor"))
    for w in ctx["background_openers"]:
        cues.add(w, ("opener", "background"))
    for w in ctx["negation_exceptions"]:
        cues.add(w, ("filter", "negation_exception"))
    for vtype, words in ctx["reporting_verbs"].items():
        for w in words:
            cues.add(w, ("report", vtype))
    for ctype, words in ctx["casualty_words"].items():
        for w in words:
            cues.add(w, ("casualty", ctype))
    for level, words in ctx["deaths_unnumbered"].items():
        for w in words:
            cues.add(w, ("unnumbered", level))
    for w in ctx["agent_markers"]:
        cues.add(w, ("marker", "agent"))
    for w in ctx["target_markers"]:
        cues.add(w, ("marker", "target"))
    for w in ctx["between_markers"]:
        cues.add(w, ("marker", "between"))
    for w in ctx["side_markers"]:
        cues.add(w, ("marker", "side"))
    for w in ctx["territory_minor_objects"]:
        cues.add(w, ("marker", "minor_object"))
    for w in ctx["statement_speaker_generic"]:
        cues.add(w, ("marker", "generic_speaker"))
    for w in ctx["place_origin"]:
        cues.add(w, ("marker", "origin"))
    for rule in data["refine"]:
        for w in rule["cues"]:
            cues.add(w, ("refine", rule["to"]))
    for phrase in data["addressees"]:
        cues.add(phrase, ("addressee", phrase))
    refine = [
        {"from": set(r["from"]), "to": r["to"], "cues": {normalize_key(c) for c in r["cues"]}}
        for r in data["refine"]
    ]
    addressees = {normalize_key(k): v for k, v in data["addressees"].items()}
    exceptions = frozenset(normalize_key(w) for w in ctx["negation_exceptions"])
    movement = frozenset(normalize_key(w) for w in ctx.get("movement_after", []))
    stop_objects = frozenset(normalize_key(w) for w in ctx.get("stop_objects", []))
    return EventLexicons(
        trig, cues, types, refine, addressees, dict(ctx["window"]), exceptions, movement, stop_objects
    )
