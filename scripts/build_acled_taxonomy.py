"""Build ``src/rasd/resources/data/acled_taxonomy.json`` from the ACLED reference tables in ``../shared``.

The taxonomy (event types, their sub-event types, the inter codes) is what analyst corrections are checked
against (``rasd.store.reviews``). rasd never reads ``../shared`` at run time: this script compiles it.

    .venv/bin/python scripts/build_acled_taxonomy.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT.parent / "shared" / "data" / "reference" / "acled"
OUT = ROOT / "src" / "rasd" / "resources" / "data" / "acled_taxonomy.json"


def build(ref: Path = REF) -> dict[str, object]:
    types: dict[str, list[str]] = {}
    with (ref / "acled_event_categories.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            types.setdefault(row["event_type"].strip(), []).append(row["sub_event_type"].strip())
    inter: dict[str, str] = {}
    with (ref / "acled_interaction_codes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            inter[str(int(float(row["Numeric Code"])))] = row["Inter1/Inter2"].strip()
    return {
        "source": "../shared/data/reference/acled (acled_event_categories.csv, acled_interaction_codes.csv)",
        "event_types": types,
        "inter_codes": inter,
    }


def main() -> None:
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
