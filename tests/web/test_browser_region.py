"""Headless Chromium: the map shows the region (issue 15): country outlines under Syria's governorates, and the
view fits the events on load, an event in Aden included (it used to sit off screen at the minimum zoom); every
country with events has its outline drawn, London's and Brussels' included (the old outline file stopped at 45°N)."""

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
# (id, text, place phrase, location, country, admin1, lat, lon): events outside Syria, two north of 45°N
ABROAD = [
    ("london-protest", "تظاهر مئات في العاصمة البريطانية لندن أمام السفارة السورية يوم السبت.\n", "لندن",
     "London", "United Kingdom", "England", 51.5074, -0.1278),
    ("brussels-protest", "تظاهر العشرات في مدينة بروكسل البلجيكية تضامنا مع اللاجئين يوم الأحد.\n", "مدينة بروكسل",
     "Brussels", "Belgium", "Brussels Capital", 50.8503, 4.3517),
    ("cairo-blast", "قتل شرطيان في انفجار عبوة ناسفة في مدينة القاهرة يوم الاثنين.\n", "مدينة القاهرة",
     "Cairo", "Egypt", "Cairo", 30.0444, 31.2357),
]  # fmt: skip


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
    abroad = []
    for doc_id, text, phrase, location, country, admin1, lat, lon in ABROAD:
        d = _doc(doc_id, text, "okaz", text[:30], date(2015, 10, 5))
        protest = "protest" in doc_id
        e = Event(
            event_type="Protests" if protest else "Explosions/Remote violence",
            sub_event_type="Peaceful protest" if protest else "Remote explosive/landmine/IED",
            plover="PROTEST" if protest else "ASSAULT", event_date="2015-10-05", time_precision=1,
            location=location, country=country, admin1=admin1, latitude=lat, longitude=lon, geo_precision=1,
            fatalities=0 if protest else 2, modality="reported",
        )  # fmt: skip
        e.evidence = [_span(text, text.strip())]
        e.field_evidence = {"location": [_span(text, phrase)]}
        d.events = [e]
        abroad.append(d)
    db = str(tmp_path_factory.mktemp("region") / "region.db")
    with rasd.store.open(db, similarity="ngram") as store:
        for d in [*documents(), doc, *abroad]:
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


def test_issue15_every_country_with_events_has_its_outline_drawn(
    region_server: str,
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Syria, Yemen, Egypt, the United Kingdom and Belgium have events: each has an outline path with a drawn
    shape inside the map's view, marked as a country with events; a country without events is not marked."""
    from rasd.resources.countries import load_countries

    browser.get(region_server + "/")
    assert _wait(browser, "return document.body.dataset.ready") == "1"
    assert _wait(browser, "return document.querySelectorAll('path.country.has-events').length") >= 5
    time.sleep(0.6)  # the fit-to-data zoom has redrawn the paths, the clusters have settled
    browser.save_screenshot(str(_shots(tmp_path) / "rasd-countries-map.png"))
    iso3 = {c.en: c.iso3 for c in load_countries().values()}
    countries = ["Syria", "Yemen", "Egypt", "United Kingdom", "Belgium"]
    drawn = browser.execute_script(
        """
        const box = document.getElementById('map').getBoundingClientRect();
        const out = {};
        for (const code of arguments[0]) {
          const paths = document.querySelectorAll('path.country-' + code);
          out[code] = Array.from(paths).map((p) => {
            const r = p.getBoundingClientRect();
            const visible = Math.min(r.right, box.right) - Math.max(r.left, box.left) > 2
              && Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top) > 2;
            return {d: (p.getAttribute('d') || '').length, events: p.classList.contains('has-events'), visible};
          });
        }
        return out;
        """,
        [iso3[c] for c in [*countries, "Oman"]],
    )
    for country in countries:
        paths = drawn[iso3[country]]
        assert len(paths) == 1, (country, paths)  # one path per country (a MultiPolygon is one path)
        assert paths[0]["d"] > 50 and paths[0]["visible"] and paths[0]["events"], (country, paths)
    # no event marker sits under the legend (the fit leaves room for it)
    hidden = browser.execute_script(
        """
        const l = document.getElementById('legend').getBoundingClientRect();
        return Array.from(document.querySelectorAll('.event-marker, .cluster')).filter((m) => {
          const r = m.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
          return x >= l.left && x <= l.right && y >= l.top && y <= l.bottom;
        }).length;
        """
    )
    assert hidden == 0
    # a country with no events keeps the plain outline
    assert drawn["OMN"] and not drawn["OMN"][0]["events"]
    # the events north of 45°N are in view with the rest
    assert browser.execute_script("return window.rasdMap.getBounds().contains([51.5074, -0.1278])")
    assert browser.execute_script("return window.rasdMap.getBounds().contains([12.7794, 45.0367])")
