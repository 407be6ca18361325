"""Language data: files only (JSON/TSV), loaded once per process and validated on load.

Code never holds Arabic word lists as literals; it asks ``load("ar", "months")``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ResourceError


@cache
def load(lang: str, name: str) -> Any:
    """Read ``rasd/lang/<lang>/<name>.json``. Cached: the data is read-only by convention."""
    ref = resources.files(__package__).joinpath(lang, f"{name}.json")
    try:
        data = json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ResourceError(f"language data {lang}/{name}.json is missing; reinstall rasd") from exc
    except json.JSONDecodeError as exc:
        raise ResourceError(
            f"language data {lang}/{name}.json is not valid JSON ({exc}); fix or rebuild it"
        ) from exc
    if isinstance(data, dict):
        data.pop("_comment", None)
    return data
