"""`rasd train ner|events`: retrain a shipped model from ../shared/data (deterministic, CPU, minutes)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from ..errors import InputNotFoundError
from .options import display, progress_option

log = logging.getLogger(__name__)

_DEFAULT_DATA = "../shared/data"


def _data_path(data: str) -> Path:
    path = Path(data)
    if not path.is_dir():
        raise InputNotFoundError(
            "training data folder not found; pass --data DIR (the shared/data folder with ner/, events/, news/)",
            path=str(path),
        )
    return path


def _summary(manifest: dict[str, object]) -> str:
    return json.dumps(manifest.get("metrics"), ensure_ascii=False, indent=1)


@click.group()
def train() -> None:
    """Retrain a learned model; artefacts and a manifest go to rasd/models/data (or --out)."""


@train.command("events")
@click.option(
    "--data", default=_DEFAULT_DATA, show_default=True, help="The shared data folder (read at train time)."
)
@click.option(
    "--out", type=click.Path(file_okay=False), default=None, help="Output folder (default: the package)."
)
@click.option("--seed", type=int, default=13, show_default=True)
def train_events(data: str, out: str | None, seed: int) -> None:
    """ASSAULT / PROTEST event-sentence classifier (arabic_event_gsr dev + weak labels from news)."""
    from ..models.train_events import Config
    from ..models.train_events import train as run

    manifest = run(_data_path(data), Path(out) if out else None, Config(seed=seed))
    click.echo(_summary(manifest))


@train.command("ner")
@click.option(
    "--data", default=_DEFAULT_DATA, show_default=True, help="The shared data folder (read at train time)."
)
@click.option(
    "--out", type=click.Path(file_okay=False), default=None, help="Output folder (default: the package)."
)
@click.option("--seed", type=int, default=13, show_default=True)
@progress_option
def train_ner(data: str, out: str | None, seed: int, progress: bool | None, quiet: bool) -> None:
    """PERS / LOC / ORG / MISC tagger (CRF on ANERcorp with gazetteer features). On a terminal, a progress
    display on stderr counts the fits (one per c1 grid point, then the final one)."""
    from ..models.train_ner import Config
    from ..models.train_ner import train as run

    bar = display(progress, quiet)  # the summary goes to stdout after the bar is closed
    manifest = run(_data_path(data), Path(out) if out else None, Config(seed=seed), progress=bar)
    click.echo(_summary(manifest))
