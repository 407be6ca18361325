"""Headless Chromium: the map shows the region (issue 15): country outlines under Syria's governorates, and the
view fits the events on load, an event in Aden included (it used to sit off screen at the minimum zoom)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rasd.document import Event

from .corpus import _doc, _span, documents, live_server
from .test_browser import _shots, _wait, browser  # noqa: F401 (the browser fixture)

pytestmark = pytest.mark.browser

ADEN = "قتل ثلاثة أشخاص في انفجار سيارة مفخخة في مدينة عدن جنوب اليمن يوم الأحد.\n"


@pytest.fixture(scope="module")
def region_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import rasd.store

    doc = _doc("aden-blast", ADEN, "okaz", "انفجار في عدن", date(2015, 10, 4))
    ev = Event(
        event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
        plover="ASSAULT", event_date="2015-10-04", time_precision=1, location="Aden", country="Yemen",
        admin1="Aden", latitude=12.7794, longitude=45.0367, geo_precision=1, fatalities=3, modality="reported",
    )  # fmt: skip
    ev.evidence = [_span(ADEN, ADEN.strip())]
    ev.field_evidence = {"location": [_span(ADEN, "مدينة عدن")]}
    doc.events = [ev]
    db = str(tmp_path_factory.mktemp("region") / "region.db")
    with rasd.store.open(db, similarity="ngram") as store:
        for d in [*documents(), doc]:
            store.save_document(d)
    with live_server(db) as (url, _port):
        yield url


def test_region_outlines_and_fit_to_data_issue15(
    region_server: str,
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    browser.get(region_server + "/")
    assert _wait(browser, "return document.body.dataset.ready") == "1"
    # every country outline is a (non-interactive) path; Syria's 14 governorates are the interactive ones
    paths = browser.execute_script("return document.querySelectorAll('.leaflet-overlay-pane path').length")
    interactive = browser.execute_script(
        "return document.querySelectorAll('path.leaflet-interactive').length"
    )
    assert paths - interactive >= 50
    # fit to data: Aden and Idlib both in view
    assert _wait(browser, "return window.rasdMap.getBounds().contains([12.7794, 45.0367])")
    assert browser.execute_script("return window.rasdMap.getBounds().contains([35.47938, 36.83525])")
    # zoomed out to the region, Syria's governorate labels are hidden rather than piled on each other
    zoom = browser.execute_script("return window.rasdMap.getZoom()")
    hidden = browser.execute_script(
        "return document.getElementById('map').classList.contains('gov-labels-hidden')"
    )
    assert hidden == (zoom < 6)
    time.sleep(0.6)  # let the cluster layer finish its zoom animation before the screenshot
    browser.save_screenshot(str(_shots(tmp_path) / "rasd-region-map.png"))
