"""`rasd train ner|events|coder`: retrain a shipped model from ../shared (deterministic, CPU, minutes)."""

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


# the options every trainer shares
_OUT = click.option(
    "--out", type=click.Path(file_okay=False), default=None, help="Output folder (default: the package)."
)
_DATA = click.option(
    "--data", default=_DEFAULT_DATA, show_default=True, help="The shared data folder (read at train time)."
)


@click.group()
def train() -> None:
    """Retrain a learned model; artefacts and a manifest go to rasd/models/data (or --out)."""


@train.command("events")
@_DATA
@_OUT
@click.option("--seed", type=int, default=13, show_default=True)
@progress_option
def train_events(data: str, out: str | None, seed: int, progress: bool | None, quiet: bool) -> None:
    """ASSAULT / PROTEST event-sentence classifier (arabic_event_gsr dev + weak labels from news). On a
    terminal, a progress display on stderr counts the fits."""
    from ..models.train_events import Config
    from ..models.train_events import train as run

    bar = display(progress, quiet)
    manifest = run(_data_path(data), Path(out) if out else None, Config(seed=seed), progress=bar)
    click.echo(_summary(manifest))


@train.command("ner")
@_DATA
@_OUT
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


@train.command("coder")
@click.option(
    "--gold",
    default="../shared/gold",
    show_default=True,
    help="The gold folder with train.jsonl and dev.jsonl (read at train time).",
)
@_OUT
@progress_option
def train_coder(gold: str, out: str | None, progress: bool | None, quiet: bool) -> None:
    """The event coder's candidate scorer (keep/drop and sub-type), judged by leave-one-group-out CV. On a
    terminal, a progress display on stderr counts the steps (articles recognised, held-out groups, final fit)."""
    from ..train_coder import train as run

    path = Path(gold)
    if not (path / "train.jsonl").is_file():
        raise InputNotFoundError(
            "gold folder without train.jsonl; pass --gold DIR (the shared/gold folder)", path=str(path)
        )
    manifest = run(path, Path(out) if out else None, progress=display(progress, quiet))
    cv = manifest["cv"]
    click.echo(json.dumps({g: round(r["f1"], 3) for g, r in cv["groups"].items()}, indent=1))
    click.echo(f"all groups: F1 {cv['all']['f1']:.3f}")
