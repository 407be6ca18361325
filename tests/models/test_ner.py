"""The shipped NER tagger: loads, beats a trivial baseline on held-out ANERcorp, matches its manifest, and the
``ner`` stage attaches mentions with original-text offsets.

``tests/data/ner_anercorp_test_sample.conll``: 100 sentences (2,799 tokens) of the model's TEST split (the last
20% of ANERcorp), never trained on; CC BY-SA 4.0 (CAMeL Lab redistribution of Benajiba et al.).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from rasd.document import Document
from rasd.errors import ResourceError
from rasd.models import data_dir, manifest, sha256_file
from rasd.models.ner import (
    GAZETTEER_FILE,
    MODEL_FILE,
    NerRecognizer,
    NerTagger,
    Resources,
    _phrase_tags,
    _split,
    resources_from_json,
    spans_of,
    token_features,
    tokenize,
)
from rasd.models.train_ner import entity_scores, phrase_key
from rasd.text.normalize import normalize_key, proclitics, strip_article

SAMPLE = Path(__file__).parent.parent / "data" / "ner_anercorp_test_sample.conll"


def _sentences() -> list[tuple[list[str], list[str]]]:
    out: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if toks:
                out.append((toks, tags))
            toks, tags = [], []
            continue
        t, g = line.rsplit(" ", 1)
        toks.append(t)
        tags.append(g)
    if toks:
        out.append((toks, tags))
    return out


@pytest.fixture(scope="module")
def tagger() -> NerTagger:
    return NerTagger.load()


def test_sample_is_what_the_docstring_says() -> None:
    sents = _sentences()
    assert len(sents) == 100
    assert sum(len(t) for t, _ in sents) == 2799


def test_beats_trivial_baselines(tagger: NerTagger) -> None:
    sents = _sentences()
    gold = [g for _, g in sents]
    pred = [tagger.tag(t) for t, _ in sents]
    model = entity_scores(gold, pred)
    # baseline: tag each word with the label it most often has in the sample itself (an optimistic lookup)
    seen: dict[str, Counter[str]] = {}
    for toks, tags in sents:
        for t, g in zip(toks, tags, strict=True):
            seen.setdefault(t, Counter())[g[2:] if g != "O" else "O"] += 1
    lookup = []
    for toks, _ in sents:
        labels = [seen[t].most_common(1)[0][0] for t in toks]
        lookup.append([("B-" + lab) if lab != "O" else "O" for lab in labels])
    base = entity_scores(gold, lookup)
    assert model["micro"]["f1"] > 55.0
    assert model["macro_f1"] > 45.0
    assert model["micro"]["f1"] > entity_scores(gold, [["O"] * len(t) for t, _ in sents])["micro"]["f1"]
    assert model["micro"]["f1"] > base["micro"]["f1"] - 15  # close to a lookup that has seen the answers


def test_spans_of_conlleval_style() -> None:
    assert spans_of(["B-PERS", "I-PERS", "O", "I-LOC", "B-LOC", "I-ORG"]) == [
        (0, 2, "PERS"),
        (3, 4, "LOC"),
        (4, 5, "LOC"),
        (5, 6, "ORG"),
    ]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("قال الرئيس (بشار الأسد) أمس.", ["قال", "الرئيس", "(", "بشار", "الأسد", ")", "أمس", "."]),
        ("قتل 12 شخصا، في 2015.", ["قتل", "12", "شخصا", "،", "في", "2015", "."]),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    assert [text[s:e] for s, e in tokenize(text)] == tokens


@pytest.mark.parametrize(
    ("text", "entity", "label"),
    [
        ("وأعلن الرئيس الأمريكي جورج بوش أمس أن القوات الأمريكية ستبقى في العراق .", "العراق", "LOC"),
        ("وقال الرئيس الأمريكي جورج بوش إن الحرب مستمرة .", "جورج بوش", "PERS"),
    ],
)
def test_stage_adds_ner_mentions_with_original_offsets(text: str, entity: str, label: str) -> None:
    from rasd.text.segment import Segmenter

    doc = Segmenter()(Document("t", text))
    doc = NerRecognizer()(doc)
    ments = doc.mentions_of("ner")
    for m in ments:
        assert doc.text[m.start : m.end] == m.text
        assert m.value["label"] in ("PERS", "LOC", "ORG", "MISC")
        assert m.source == "ner"
    assert (entity, label) in {(m.text, m.value["label"]) for m in ments}


def test_scope_events_tags_only_trigger_sentences() -> None:
    from rasd.text.segment import Segmenter

    text = "زار الرئيس الفرنسي ماكرون مدينة ليون. وقتل خمسة جنود في هجوم على بلدة الخوين أمس."
    doc = Segmenter()(Document("t", text))
    everything = {m.text for m in NerRecognizer()(doc).mentions_of("ner")}
    doc = Segmenter()(Document("t", text))
    scoped = NerRecognizer(scope="events")(doc).mentions_of("ner")
    cut = text.index(".") + 1
    assert all(m.start >= cut for m in scoped)
    assert {m.text for m in scoped} <= everything
    with pytest.raises(ValueError):
        NerRecognizer(scope="some")


def test_integrity_hashes_and_config() -> None:
    man = manifest("ner")
    for name in (MODEL_FILE, GAZETTEER_FILE):
        assert man["artefacts"][name] == sha256_file(data_dir() / name)
    cfg = man["config"]
    assert man["chosen"]["c1"] in cfg["c1_grid"]
    assert man["split"]["test_tokens"] > 25000
    gaz = json.loads((data_dir() / GAZETTEER_FILE).read_text(encoding="utf-8"))
    assert bool(cfg["use_gazetteer"]) == any(k for k in gaz if not k.startswith("_"))
    assert 0 < man["metrics"]["test"]["macro_f1"] <= 100


def test_manifest_config_is_the_training_default() -> None:
    """The shipped model was trained with the current default Config: change a default, retrain."""
    from dataclasses import asdict

    from rasd.models.train_ner import Config

    cfg = json.loads(json.dumps(asdict(Config())))  # tuples -> lists, as stored
    assert manifest("ner")["config"] == cfg


def test_unreadable_model_is_a_resource_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.crfsuite"
    bad.write_bytes(b"nope")
    with pytest.raises(ResourceError):
        NerTagger.load(bad)


def _res(**kw: object) -> Resources:
    data: dict[str, object] = {
        "_groups": ["cues", "phrases", "clusters", "affix4"],
        "_cues": {"title": ["رييس"], "org_head": ["شركه"]},
        "_phrases": {
            "LOC": [" ".join(phrase_key("الولايات المتحدة"))],
            "PERS": [" ".join(phrase_key("جورج بوش"))],
        },
        "_clusters": {"بوش": "3 17", "جورج": "3 12"},
        "LOC": ["عراق"],
    }
    data.update(kw)
    return resources_from_json(data)


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (
            ["وصل", "الرئيس", "جورج", "بوش", "إلى", "الولايات", "المتحدة"],
            [(), (), ("pB=PERS",), ("pI=PERS",), (), ("pB=LOC",), ("pI=LOC",)],
        ),
        (["وجورج", "بوش"], [("pB=PERS",), ("pI=PERS",)]),
        (["بوش", "جورج"], [(), ()]),
    ],
)
def test_phrase_tags_are_bio_longest_matches(tokens: list[str], expected: list[tuple[str, ...]]) -> None:
    res = _res()
    keys = [strip_article(_split(normalize_key(t), proclitics())[1]) for t in tokens]
    assert _phrase_tags(keys, res) == expected


def test_features_use_cues_clusters_and_phrases() -> None:
    feats = token_features(["قال", "الرئيس", "جورج", "بوش", "في", "العراق"], _res())
    assert "q=title" in feats[1] and "-1q=title" in feats[2]
    assert {"c0=3", "c1=12", "pB=PERS"} <= set(feats[2])
    assert "+1pI=PERS" in feats[2]
    assert "g=LOC" in feats[5]
    # without the groups, none of those features
    bare = token_features(["قال", "الرئيس", "جورج", "بوش"], _res(_groups=[]))
    assert not any(f.startswith(("q=", "c0=", "pB=")) for f in bare[2])


def test_build_clusters_is_deterministic() -> None:
    from rasd.models.train_ner import Config, build_clusters

    words = [f"w{i}" for i in range(60)]
    sents = [[words[(i * 7 + j * 3) % 60] for j in range(12)] for i in range(400)]
    cfg = Config(cluster_ks=(4, 8), cluster_dim=8, cluster_contexts=20, cluster_min_count=1)
    a = build_clusters(sents, cfg)
    assert a == build_clusters(sents, cfg)
    assert len(a) == 60
    assert all(len(v.split()) == 2 for v in a.values())


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("فرنسا", ("", "فرنسا")),  # a frequent word that starts with a proclitic letter stays whole
        ("وفرنسا", ("و", "فرنسا")),
        ("بالعراق", ("ب", "العراق")),
        ("بوش", ("", "بوش")),
        ("وبوتفليقة", ("و", "بوتفليقه")),  # unknown: only a leading و / article is split off
        ("بوتفليقة", ("", "بوتفليقه")),
    ],
)
def test_frequency_aware_clitic_split(word: str, expected: tuple[str, str]) -> None:
    counts = {"فرنسا": 900, "وفرنسا": 40, "العراق": 2000, "بالعراق": 300, "بوش": 500, "وش": 3, "رنسا": 0}
    assert _split(normalize_key(word), proclitics(), counts) == expected


def test_shipped_resources_match_the_training_groups(tagger: NerTagger) -> None:
    res = tagger.gazetteer
    assert res is not None
    assert sorted(res.groups) == sorted(manifest("ner")["config"]["groups"])
    if "clusters" in res.groups:
        assert len(res.clusters) > 1000
    if "phrases" in res.groups:
        assert res.max_phrase >= 2
