"""acled-csv, plover and geojson writers on a coded document."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from rasd.document import Document, Metadata
from rasd.export import get_writer
from rasd.export.acled_csv import COLUMNS, interaction
from rasd.pipeline import build_pipeline

TEXT = "مقتل 5 مدنيين بغارة لطيران النظام على مدينة دوما أمس. ودعت المعارضة المجتمع الدولي إلى التحرك."


@pytest.fixture(scope="module")
def doc() -> Document:
    return build_pipeline()(Document("d1", TEXT, Metadata(published=date(2015, 7, 21), source="alwatan")))


def _write(fmt: str, doc: Document) -> str:
    buf = io.StringIO()
    assert get_writer(fmt)([doc], buf) == 1
    return buf.getvalue()


def test_acled_csv_columns_in_acled_order(doc: Document) -> None:
    rows = list(csv.reader(io.StringIO(_write("acled-csv", doc))))
    assert tuple(rows[0]) == COLUMNS and len(COLUMNS) == 31
    rec = dict(zip(rows[0], rows[1], strict=True))
    assert rec["event_id_cnty"].startswith("SYR")
    assert rec["sub_event_type"] == "Air/drone strike" and rec["event_date"] == "2015-07-20"
    assert rec["interaction"] == "17" and rec["civilian_targeting"] == "Civilian targeting"
    assert rec["iso"] == "760" and rec["fatalities"] == "5"
    assert rec["notes"].startswith("On 20 July 2015")
    assert len(rows) == 2  # statements are not ACLED rows
    assert _write("acled-csv", doc) == _write("acled-csv", doc)  # stable ids and text


def test_interaction_codes() -> None:
    assert interaction(1, 7) == 17 and interaction(7, 1) == 17 and interaction(2, None) == 20
    assert interaction(None, None) is None


def test_plover_json(doc: Document) -> None:
    recs = json.loads(_write("plover", doc))
    assert recs[0]["event"] == "ASSAULT" and recs[0]["mode"] == "aerial"
    assert recs[0]["source"][0]["name"] == "Military Forces of Syria (2000-)"
    assert recs[0]["location"]["pcode"] == "C2338"
    for r in recs:
        for s in r["evidence"]:
            assert TEXT[s["start"] : s["end"]] == s["text"]


def test_geojson_feature_collection(doc: Document) -> None:
    fc = json.loads(_write("geojson", doc))
    assert fc["type"] == "FeatureCollection"
    (f,) = fc["features"]
    lon, lat = f["geometry"]["coordinates"]
    assert 35 < lon < 37 and 33 < lat < 34  # Duma, [lon, lat]
    assert f["properties"]["sub_event_type"] == "Air/drone strike"
