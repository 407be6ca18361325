"""The event coder's cue words and patterns (language data in ``lang/ar/coder_cues.json``), by name.

Each module of the coder names the cues it uses next to the rule that uses them (``cue_pattern("towards")``).
"""

from __future__ import annotations

import re

from ..lang import load

_CUES = load("ar", "coder_cues")


def cue_pattern(name: str) -> re.Pattern[str]:
    """The compiled pattern ``name`` of coder_cues.json."""
    return re.compile(_CUES["patterns"][name])


def cue_words(name: str) -> frozenset[str]:
    """The word list ``name`` of coder_cues.json."""
    return frozenset(_CUES["words"][name])
