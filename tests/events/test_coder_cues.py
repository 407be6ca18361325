"""lang/ar/coder_cues.json: the event coder's cue words and patterns are data; each one compiles, is used by one
of the coder's modules, and is not empty (a renamed or dropped cue must fail here, not silently stop matching)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import rasd.events
from rasd.lang import load

CUES = load("ar", "coder_cues")
# the coder is a package of modules (issue 14): a cue may be used in any of them
SOURCE = "\n".join(
    p.read_text(encoding="utf-8") for p in sorted(Path(rasd.events.__file__).parent.glob("*.py"))
)


@pytest.mark.parametrize("name", sorted(CUES["patterns"]))
def test_each_pattern_compiles_and_is_used(name: str) -> None:
    pattern = re.compile(CUES["patterns"][name])
    assert pattern.pattern
    assert f'cue_pattern("{name}")' in SOURCE


@pytest.mark.parametrize("name", sorted(CUES["words"]))
def test_each_word_list_is_used_and_holds_distinct_words(name: str) -> None:
    words = CUES["words"][name]
    assert words and len(words) == len(set(words)) and all(w.strip() == w and w for w in words)
    assert f'cue_words("{name}")' in SOURCE


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("towards", "انسحبوا باتجاه مدينة ", True),
        ("towards", "في مدينة ", False),
        ("outlet_before", "قالت مصادر لـ«", True),
        ("outlet_before", "قالت مصادر في ", False),
        ("spot", "في حي الشعار", True),
        ("subordinators", "قتل اثنان فيما اصيب ", True),
    ],
)
def test_patterns_still_mean_what_the_coder_relies_on(name: str, text: str, found: bool) -> None:
    assert bool(re.compile(CUES["patterns"][name]).search(text)) is found
