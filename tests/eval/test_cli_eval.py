"""`rasd eval` on a tiny gold file extracted in-process, and on a prediction file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rasd.cli import main

TEXT = "قصفت قوات النظام مدينة دوما ومدينة حرستا أمس"


def _gold(tmp_path: Path) -> Path:
    ev = {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "event_date": "2015-07-20",
        "date_end": "2015-07-20",
        "pcode": "C2338",
        "latitude": 33.57,
        "longitude": 36.40,
        "geo_precision": 1,
        "actor1": "Military Forces of Syria (2000-)",
        "actor2": None,
        "fatalities": 0,
        "evidence": TEXT,
        "evidence_start": 0,
    }
    p = tmp_path / "gold.jsonl"
    p.write_text(
        json.dumps({"id": "g1", "published": "2015-07-21", "text": TEXT, "events": [ev]}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    return p


def test_eval_extracts_from_gold_texts(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["eval", str(_gold(tmp_path)), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["gold_events"] == 1 and rep["matched"] == 1 and rep["pred_events"] == 2  # Duma + Harasta
    assert rep["recall"] == 1.0


def test_eval_with_pred_file_and_table(tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "g1", "events": []}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["eval", str(_gold(tmp_path)), "--pred", str(pred)])
    assert res.exit_code == 0, res.output
    assert "recall 0.000" in res.output


def test_eval_sentences(tmp_path: Path) -> None:
    recs = [
        {
            "id": "AAW_ARB_20150721.0001-1",
            "event_type": "ASSAULT",
            "label": "yes",
            "text": "وقتل أربعة جنود أمس في هجوم انتحاري بسيارة مفخخة استهدف حاجزا للجيش في بغداد",
        },
        {
            "id": "AAW_ARB_20150721.0001-2",
            "event_type": "ASSAULT",
            "label": "easy no",
            "text": "هل تستخدم في اجهزتكم الامنية اية وسائل تعذيب لانتزاع الاعترافات من المعتقلين؟",
        },
    ]
    p = tmp_path / "gsr.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["eval", "--sentences", str(p), "--json"])
    assert res.exit_code == 0, res.output
    t = json.loads(res.output)["ASSAULT"]["strict"]
    assert (t["tp"], t["fp"], t["tn"]) == (1, 0, 1)
