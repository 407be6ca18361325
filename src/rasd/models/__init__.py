"""Learned models trained inside the project (``rasd train ner|events``) and shipped small under ``models/data``.

- :mod:`rasd.models.events`: per-sentence ASSAULT / PROTEST event detection (hashed logistic regression over
  trigger-in-context cues and n-grams).
- :mod:`rasd.models.ner`: PERS / LOC / ORG / MISC named-entity tagger (linear-chain CRF) and its ``ner`` stage.

At run time these modules read only their committed artefacts (``models/data/*`` and ``manifest.json``).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ResourceError


def data_dir() -> Path:
    """The folder holding the shipped artefacts (inside the installed package)."""
    return Path(str(resources.files(__package__).joinpath("data")))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@cache
def manifest(name: str) -> dict[str, Any]:
    """The manifest written by ``rasd train <name>``: artefact hashes, training config, data hashes, metrics."""
    path = data_dir() / f"{name}.manifest.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ResourceError(
            f"model manifest {path.name} is missing; run `rasd train {name}` or reinstall rasd"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ResourceError(
            f"model manifest {path.name} is not valid JSON ({exc}); rerun `rasd train {name}`"
        ) from exc
    return data


def artefact_path(name: str, filename: str) -> Path:
    path = data_dir() / filename
    if not path.exists():
        raise ResourceError(
            f"model artefact {filename} is missing; run `rasd train {name}` or reinstall rasd"
        )
    return path
