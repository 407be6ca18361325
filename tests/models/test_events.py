"""The shipped event-sentence classifier: loads, beats trivial and lexicon baselines, matches its manifest.

``tests/data/events_gsr_validation_sample.jsonl``: 101 sentences of arabic_event_gsr dev (MIT) taken from the
model's VALIDATION articles only (never trained on): per class the first rows by id of each label.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rasd.errors import ResourceError
from rasd.models import data_dir, manifest, sha256_file
from rasd.models.events import (
    CLASSES,
    MODEL_FILE,
    EventSentenceClassifier,
    cues_sha256,
    feature_strings,
    hashed,
    lexicon_detect,
)

SAMPLE = Path(__file__).parent.parent / "data" / "events_gsr_validation_sample.jsonl"


def _rows() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _f1(y: list[bool], p: list[bool]) -> float:
    tp = sum(a and b for a, b in zip(y, p, strict=True))
    fp = sum(b and not a for a, b in zip(y, p, strict=True))
    fn = sum(a and not b for a, b in zip(y, p, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@pytest.fixture(scope="module")
def clf() -> EventSentenceClassifier:
    return EventSentenceClassifier.load()


def test_load_is_cached(clf: EventSentenceClassifier) -> None:
    assert EventSentenceClassifier.load() is clf


def test_predict_shape(clf: EventSentenceClassifier) -> None:
    out = clf.predict("وقتل أربعة جنود في هجوم شنه مسلحون أمس على ثكنة للجيش")
    assert set(out) == set(CLASSES)
    assert all(0.0 <= p <= 1.0 for p in out.values())
    assert clf.predict("") == clf.predict("")  # empty input is fine and deterministic


@pytest.mark.parametrize("cls", CLASSES)
def test_beats_baselines_on_validation_sample(clf: EventSentenceClassifier, cls: str) -> None:
    rows = [r for r in _rows() if r["event_type"] == cls and r["label"] in ("yes", "easy no")]
    y = [bool(r["is_event"]) for r in rows]
    model = _f1(y, [clf.detect(r["text"])[cls] for r in rows])
    always = _f1(y, [True] * len(y))
    lexicon = _f1(y, [lexicon_detect(r["text"])[cls] for r in rows])
    assert model > always + 0.1
    assert model > lexicon + 0.1


@pytest.mark.parametrize(
    ("text", "cls", "expected"),
    [
        # real gsr dev sentences (validation articles)
        (
            "وقتل اول من امس 4 جنود إثيوبيين في هجوم شنه مسلحون صوماليون مجهولون، على ثكنة للقوات الإثيوبية",
            "ASSAULT",
            True,
        ),
        ("ونزل آلاف المتظاهرين الى شوارع العاصمة والمدن الكبرى في مسيرات احتجاجية", "PROTEST", True),
    ],
)
def test_clear_cases(clf: EventSentenceClassifier, text: str, cls: str, expected: bool) -> None:
    assert clf.detect(text)[cls] is expected


def test_integrity_hashes_and_config() -> None:
    man = manifest("events")
    art = data_dir() / MODEL_FILE
    assert man["artefacts"][MODEL_FILE] == sha256_file(art)
    assert man["cues_sha256"] == cues_sha256()
    clf = EventSentenceClassifier.load()
    cfg = man["config"]
    assert clf.dim == cfg["dim"]
    assert list(clf.groups) == cfg["groups"]
    assert clf.meta["seed"] == cfg["seed"]
    assert clf.meta["chosen"] == man["chosen"]
    for c in CLASSES:
        assert man["chosen"][c]["l2"] in cfg["l2_grid"]
        assert man["metrics"]["model"][c]["strict"]["n"] > 0


def test_manifest_config_is_the_training_default() -> None:
    """The shipped model was trained with the current default Config: change a default, retrain."""
    from rasd.models.train_events import Config, _config_dict

    assert manifest("events")["config"] == _config_dict(Config())


def test_hashing_is_stable() -> None:
    # CRC32, not Python's salted hash(): indices must not change between processes
    assert hashed(["bias"], 1 << 18) == [0x42876A5B & ((1 << 18) - 1)]
    feats = feature_strings("لم يقتل أحد في الهجوم")
    assert "ASSAULT:imperfect:negation" in feats


def test_corrupt_artefact_is_a_resource_error(tmp_path: Path) -> None:
    bad = tmp_path / "events.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ResourceError):
        EventSentenceClassifier.load(bad)


def test_save_load_roundtrip(tmp_path: Path, clf: EventSentenceClassifier) -> None:
    path = tmp_path / "m.npz"
    clf.save(path)
    again = EventSentenceClassifier.load(path)
    text = "خرج آلاف المتظاهرين في شوارع العاصمة أمس"
    a, b = clf.predict(text), again.predict(text)
    assert np.allclose([a[c] for c in CLASSES], [b[c] for c in CLASSES], atol=1e-5)
