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
    assert tuple(rows[0][:31]) == COLUMNS and len(COLUMNS) == 31  # ACLED's columns, unchanged
    assert rows[0][31:] == ["rasd_event_id"]  # then rasd's own (#16)
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
    assert recs[0]["event"] == ["ASSAULT"] and recs[0]["mode"] == ["aerial"]
    assert recs[0]["actor"][0]["identifier_text"] == "Military Forces of Syria (2000-)"
    assert recs[0]["event_loc"]["pcode"] == "C2338" and recs[0]["event_loc"]["country_code"] == "SYR"
    assert recs[0]["size"]["dead"] == 5
    for r in recs:
        for s in r["rasd"]["evidence"]:
            assert TEXT[s["start"] : s["end"]] == s["text"]
        assert TEXT[r["text_info"]["start"] : r["text_info"]["end"]] == r["text"]


# the fields of the PLOVER manual's Table 6.1 (../shared/data/reference/plover/PLOVER_MANUAL.pdf, v2.0)
PLOVER_FIELDS = {
    "id", "has_event", "date", "time", "enddate", "endtime", "actor", "recipient", "event", "event_loc",
    "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info", "cite_info",
    "coder", "coded_date", "coded_time", "comment",
}  # fmt: skip


def test_plover_uses_the_manuals_fields_issue16(doc: Document) -> None:
    for rec in json.loads(_write("plover", doc)):
        assert {"id", "date", "actor", "event"} <= set(rec)  # the manual's required fields
        assert set(rec) - PLOVER_FIELDS == {"size", "rasd"}  # Table 6.4's size object; rasd's own fields
        assert all(isinstance(rec[k], list) for k in ("actor", "recipient", "event", "mode", "context"))


def test_geojson_feature_collection(doc: Document) -> None:
    fc = json.loads(_write("geojson", doc))
    assert fc["type"] == "FeatureCollection"
    (f,) = fc["features"]
    lon, lat = f["geometry"]["coordinates"]
    assert 35 < lon < 37 and 33 < lat < 34  # Duma, [lon, lat]
    assert f["properties"]["sub_event_type"] == "Air/drone strike"
