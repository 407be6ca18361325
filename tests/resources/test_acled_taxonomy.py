"""The packaged ACLED taxonomy (what corrections are checked against, #16) is what
scripts/build_acled_taxonomy.py builds from ../shared (skipped when ../shared is absent)."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REF = ROOT.parent / "shared" / "data" / "reference" / "acled"


def test_packaged_taxonomy_is_what_the_script_builds() -> None:
    if not (REF / "acled_event_categories.csv").is_file():
        pytest.skip(f"{REF} not present")
    spec = importlib.util.spec_from_file_location(
        "build_acled_taxonomy", ROOT / "scripts" / "build_acled_taxonomy.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    packaged = json.loads(
        resources.files("rasd").joinpath("resources/data/acled_taxonomy.json").read_text("utf-8")
    )
    assert packaged == module.build(REF)


def test_taxonomy_has_acleds_six_types() -> None:
    from rasd.store.corrections import taxonomy

    types = taxonomy()
    assert len(types) == 6 and "Armed clash" in types["Battles"]
    assert sum(len(v) for v in types.values()) == 25
