"""The coder's candidate scorer (issue 14): its file format, its failures, and the shipped model's manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.errors import ResourceError
from rasd.models import data_dir, sha256_file
from rasd.models.coder import MANIFEST, MODEL_FILE, CandidateScorer
from rasd.train_coder import Config, candidate_f1, fit


def test_round_trip_keeps_weights_threshold_and_types(tmp_path: Path) -> None:
    m = CandidateScorer({"a": 1.5, "b": -2.0}, 0.35, {"Attack": {"a": 1.0}, "Armed clash": {"b": 1.0}}, 0.7)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(m.to_json()))
    back = CandidateScorer.load(path)
    assert back.weights == {"a": 1.5, "b": -2.0}
    assert back.threshold == 0.35 and back.retype_threshold == 0.7
    assert back.sub_type({"a": 3.0})[0] == "Attack"  # type: ignore[index]


@pytest.mark.parametrize("raw", ["", "[]", '{"weights": 3}', '{"threshold": 0.5}', "{not json"])
def test_malformed_model_is_a_resource_error(tmp_path: Path, raw: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(raw)
    with pytest.raises(ResourceError, match="rasd train coder"):
        CandidateScorer.load(path)


def test_probability_is_a_logistic_of_the_margin() -> None:
    m = CandidateScorer({"bias": 0.0, "x": 2.0})
    assert m.probability({"bias": 1.0}) == pytest.approx(0.5)
    assert m.probability({"x": 1.0}) > 0.85
    assert m.probability({"x": 1e9}) == pytest.approx(1.0)  # clipped, no overflow


def test_fit_separates_a_separable_toy_problem() -> None:
    feats = [{"bias": 1.0, "good": 1.0}] * 10 + [{"bias": 1.0, "bad": 1.0}] * 10
    y = [1] * 10 + [0] * 10
    w = fit(feats, y, 1.0, Config(iterations=200))
    m = CandidateScorer(w)
    assert m.probability({"bias": 1.0, "good": 1.0}) > 0.8 > 0.2 > m.probability({"bias": 1.0, "bad": 1.0})


def test_candidate_f1_counts_a_second_copy_as_false() -> None:
    # two candidates match gold 0 of article 0, one matches nothing; 2 gold events
    probs, matches = [0.9, 0.8, 0.7], [(0, 0), (0, 0), (0, -1)]
    assert candidate_f1(probs, matches, 2, 0.85) == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert candidate_f1(probs, matches, 2, 0.5) == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5))


def test_shipped_model_matches_its_manifest() -> None:
    path = data_dir() / MODEL_FILE
    if not path.exists():
        pytest.skip("no coder model shipped")
    man = json.loads((data_dir() / MANIFEST).read_text())
    assert man["artefacts"][MODEL_FILE] == sha256_file(path)
    assert set(man["cv"]["groups"]) >= {"saudinewsnet-2015", "syria-2023-2026", "region-2023-2026"}
    assert CandidateScorer.load().threshold == man["config"]["threshold"]


GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "gold"


def test_train_coder_end_to_end_on_a_small_gold_sample_issue14(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`rasd train coder` on 12 articles of each of three groups (read from ../shared at test time): writes a
    model that loads, a manifest with per-group cross-validation and data hashes, and reports progress."""
    from rasd.progress import Progress
    from rasd.train_coder import GOLD_FILES, train

    if not (GOLD / "train.jsonl").is_file():
        pytest.skip("../shared/gold is not beside this checkout")
    taken: dict[str, int] = {}
    lines = []
    for line in (GOLD / "train.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)["group"]
        if g != "jawharafm-2014-2017" and taken.get(g, 0) < 12:
            taken[g] = taken.get(g, 0) + 1
            lines.append(line)
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / GOLD_FILES[0]).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (gold / GOLD_FILES[1]).write_text("", encoding="utf-8")
    seen: list[Progress] = []
    man = train(gold, tmp_path / "out", Config(iterations=50, l2_grid=(3.0,)), progress=seen.append)
    assert set(man["cv"]["groups"]) == set(taken)
    assert man["data"][GOLD_FILES[0]] == sha256_file(gold / GOLD_FILES[0])
    model = CandidateScorer.load(tmp_path / "out" / MODEL_FILE)
    assert model.weights and 0.0 < model.threshold < 1.0
    assert seen[-1].finished and seen[-1].done >= len(lines)
    # without --out the model goes where CandidateScorer.load() reads it (it once went to rasd/data after a move)
    import rasd.train_coder as tc

    monkeypatch.setattr(tc, "data_dir", lambda: tmp_path / "shipped")
    train(gold, None, Config(iterations=5, l2_grid=(3.0,)))
    assert (tmp_path / "shipped" / MODEL_FILE).is_file()
