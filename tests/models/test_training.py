"""`rasd train events|ner` are deterministic and write a manifest that matches their artefacts.

Runs both trainers on tiny data folders built from the committed samples (tests never read ../shared).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import main
from rasd.models import sha256_file
from rasd.models.train_events import Config as EventsConfig
from rasd.models.train_events import train as train_events
from rasd.models.train_ner import Config as NerConfig
from rasd.models.train_ner import train as train_ner

DATA = Path(__file__).parent.parent / "data"


def _events_data(root: Path) -> Path:
    (root / "events").mkdir(parents=True)
    shutil.copy(DATA / "events_gsr_validation_sample.jsonl", root / "events" / "arabic_event_gsr_dev.jsonl")
    return root


def _ner_data(root: Path) -> Path:
    (root / "ner" / "anercorp").mkdir(parents=True)
    lines = [
        ln
        for ln in (DATA / "ner_anercorp_test_sample.conll").read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    (root / "ner" / "anercorp" / "ANERCorp_original.conll").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )
    return root


def _small_events() -> EventsConfig:
    return EventsConfig(dim=1 << 12, epochs=20, folds=2, l2_grid=(0.1,), weak_weight_grid=(0.0,), val_mod=7)


def test_events_training_is_deterministic(tmp_path: Path) -> None:
    data = _events_data(tmp_path / "data")
    a = train_events(data, tmp_path / "a", _small_events())
    b = train_events(data, tmp_path / "b", _small_events())
    assert a["artefacts"] == b["artefacts"]
    assert a["metrics"] == b["metrics"]
    assert a["artefacts"]["events.npz"] == sha256_file(tmp_path / "a" / "events.npz")
    assert a["config"]["dim"] == 1 << 12


def test_ner_training_is_deterministic(tmp_path: Path) -> None:
    data = _ner_data(tmp_path / "data")
    cfg = NerConfig(max_iterations=5, c1_grid=(0.1,), use_gazetteer=False)
    a = train_ner(data, tmp_path / "a", cfg)
    b = train_ner(data, tmp_path / "b", cfg)
    assert a["artefacts"] == b["artefacts"]
    assert a["metrics"]["test"] == b["metrics"]["test"]
    assert a["split"]["test_tokens"] > 0
    saved = json.loads((tmp_path / "a" / "ner.manifest.json").read_text(encoding="utf-8"))
    assert saved["artefacts"]["ner.crfsuite"] == sha256_file(tmp_path / "a" / "ner.crfsuite")


def test_cli_train_missing_data_is_an_input_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main, ["train", "events", "--data", str(tmp_path / "nope"), "--out", str(tmp_path)]
    )
    assert res.exit_code == 2
    assert "RASD101" in res.output


@pytest.mark.parametrize("model", ["events", "ner"])
def test_cli_train_help(model: str) -> None:
    res = CliRunner().invoke(main, ["train", model, "--help"])
    assert res.exit_code == 0
    assert "--data" in res.output


def test_ner_training_reports_progress_per_fit_issue18(tmp_path: Path) -> None:
    from rasd.progress import Progress

    data = _ner_data(tmp_path / "data")
    seen: list[Progress] = []
    cfg = NerConfig(max_iterations=3, c1_grid=(0.03, 0.1), use_gazetteer=False)
    train_ner(data, tmp_path / "a", cfg, workers=1, progress=seen.append)
    assert (seen[0].task, seen[0].unit, seen[0].done, seen[0].total) == ("train ner", "fit", 0, 3)
    assert (seen[-1].done, seen[-1].total, seen[-1].finished) == (3, 3, True)
