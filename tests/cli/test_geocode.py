"""`rasd geocode`: JSON (default) or a table of the places of a phrase."""

from __future__ import annotations

import json

from click.testing import CliRunner

from rasd.cli import main


def test_json() -> None:
    result = CliRunner().invoke(main, ["geocode", "بلدة الخوين بريف إدلب"], catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data[0]["pcode"] == "C4091" and data[0]["geo_precision"] == 1
    assert data[1]["pcode"] == "SY07" and data[1]["geo_precision"] == 3


def test_table() -> None:
    result = CliRunner().invoke(
        main, ["geocode", "--format", "table", "مدينة الزبداني"], catch_exceptions=False
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("location_ar") and "C2429" in lines[1]


def test_stdin() -> None:
    result = CliRunner().invoke(main, ["geocode"], input="قرب مدينة الحسكة", catch_exceptions=False)
    assert json.loads(result.output)[0]["pcode"] == "C4360"
