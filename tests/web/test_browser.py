"""End to end in headless Chromium: `rasd serve` over a small store, the page, the map, an article, a review.

Needs Debian's chromium + chromium-driver (scripts/ci/browser.sh installs them) and selenium (test extra).
Skipped, with the reason, only when those cannot be found or Chromium cannot start. The screenshots go to
``$RASD_SCREENSHOTS`` (default: the test's tmp dir) as ``rasd-map.png``, ``rasd-article.png`` and
``rasd-review.png``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .corpus import build_store, live_server

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("RASD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("RASD_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
TOKEN = "e2e-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_store(tmp_path_factory.mktemp("serve") / "e2e.db")
    with live_server(db, env={"RASD_TOKEN": TOKEN}) as (url, _port):
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium not installed (pip install -e .[test])"
    )
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip(
            f"chromium / chromedriver not found ({CHROMIUM}, {CHROMEDRIVER}): run scripts/ci/browser.sh"
        )
    profile = tmp_path_factory.mktemp("chromium-profile")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--no-first-run",
        "--lang=en-US",
        f"--user-data-dir={profile}",
        "--window-size=1500,950",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # JavaScript errors, read by the tests
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    except WebDriverException as exc:
        pytest.skip(f"headless chromium could not start: {str(exc).splitlines()[0]}")
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: Any, script: str, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {script} (last value {value!r})")


def _shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("RASD_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def test_page_map_article_highlight_no_xss(server: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert _wait(browser, "return document.body.dataset.ready") == "1"
    # governorate boundaries drawn from the bundled GeoJSON, markers for events with coordinates
    assert browser.execute_script("return document.querySelectorAll('path.leaflet-interactive').length") >= 14
    n_markers = _wait(
        browser,
        "return document.querySelectorAll('.event-marker').length + document.querySelectorAll('.cluster').length",
    )
    assert n_markers >= 2
    rows = browser.find_elements(By.CSS_SELECTOR, "#event-list li.event-row")
    assert len(rows) == 4
    # the claimed event is marked as such in the list
    assert (
        "claimed" in browser.find_element(By.CSS_SELECTOR, '[data-event-id="khuwayn#0"] .badge.modality').text
    )
    shots = _shots(tmp_path)
    browser.save_screenshot(str(shots / "rasd-map.png"))

    # the article with XSS payloads in its title and text: shown as text, nothing executes
    browser.find_element(By.CSS_SELECTOR, '[data-event-id="daraa-protest#0"]').click()
    _wait(browser, "return document.querySelector('#tab-article.active .article-text')")
    text = browser.find_element(By.CSS_SELECTOR, "#tab-article .article-text").text
    assert "<script>window.__rasd_xss = 'script'</script>" in text
    assert "onerror=" in text
    assert "onerror=" in browser.find_element(By.CSS_SELECTOR, "#tab-article h2").text
    assert browser.execute_script("return document.querySelectorAll('#panel script, #panel img').length") == 0
    time.sleep(0.5)  # give any injected handler a chance to fire
    assert browser.execute_script("return window.__rasd_xss === undefined")

    # the claimed battle: RTL article, evidence highlighted with actor / place / date / number / trigger colours
    browser.find_element(By.CSS_SELECTOR, ".tabs [data-tab=list]").click()
    browser.find_element(By.CSS_SELECTOR, '[data-event-id="khuwayn#0"]').click()
    _wait(
        browser,
        "return document.querySelector('#tab-article .event-card.selected[data-event-id=\"khuwayn#0\"]')",
    )
    article = browser.find_element(By.CSS_SELECTOR, "#tab-article .article-text")
    assert article.get_attribute("dir") == "rtl"
    kinds = browser.execute_script(
        "return [...document.querySelectorAll('#tab-article .article-text mark.hl')].map(m => m.className).join(' ')"
    )
    for kind in ("hl-evidence", "hl-actor", "hl-place", "hl-date", "hl-number", "hl-trigger"):
        assert kind in kinds, (kind, kinds)
    evidence = browser.execute_script(
        "return [...document.querySelectorAll('#tab-article mark.hl-evidence')].map(m => m.textContent).join('')"
    )
    assert "غرفة عمليات دحر الغزاة" in evidence
    assert (
        "CLAIMED"
        in browser.find_element(By.CSS_SELECTOR, "#tab-article .event-card.selected .badge.modality").text
    )

    # another source of the same incident is one click away
    browser.find_element(By.CSS_SELECTOR, ".tabs [data-tab=list]").click()
    browser.find_element(By.CSS_SELECTOR, '[data-event-id="raid-a#0"]').click()
    link = _wait(browser, "return document.querySelector('#tab-article a.other-source')")
    assert link.get_attribute("data-event-id") == "raid-b#0"
    link.click()
    _wait(
        browser,
        "return document.querySelector('#tab-article .event-card.selected[data-event-id=\"raid-b#0\"]')",
    )
    assert "سبعة" in browser.find_element(By.CSS_SELECTOR, "#tab-article .article-text").text
    browser.save_screenshot(str(shots / "rasd-article.png"))
    assert browser.execute_script("return window.__rasd_xss === undefined")


def test_review_in_browser(server: str, browser: Any, tmp_path: Path) -> None:
    """Sign in with the token, correct a field: the correction shows with who / before / after."""
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert _wait(browser, "return document.body.dataset.ready") == "1"
    browser.find_element(By.ID, "analyst").click()
    dlg = browser.find_element(By.ID, "token-dialog")
    dlg.find_element(By.NAME, "reviewer").send_keys("e2e analyst")
    dlg.find_element(By.NAME, "token").send_keys(TOKEN)
    dlg.find_element(By.CSS_SELECTOR, "button[value=ok]").click()
    browser.find_element(By.CSS_SELECTOR, '[data-event-id="raid-a#0"]').click()
    _wait(browser, "return document.querySelector('#tab-article .event-card.selected .review-box button')")
    browser.find_element(By.XPATH, "//div[@class='review-box']/button[contains(., 'Correct')]").click()
    field = browser.find_element(By.CSS_SELECTOR, ".correct-form input[name=fatalities]")
    field.clear()
    field.send_keys("4")
    browser.find_element(By.CSS_SELECTOR, ".correct-form button[type=submit]").click()
    _wait(browser, "return document.querySelector('#tab-article .event-card.selected ul.corrections li')")
    corr = browser.find_element(By.CSS_SELECTOR, "#tab-article .event-card.selected ul.corrections li").text
    assert "fatalities" in corr and "5" in corr and "4" in corr and "e2e analyst" in corr
    assert (
        "corrected"
        in browser.find_element(By.CSS_SELECTOR, "#tab-article .event-card.selected .badge.review").text
    )
    browser.save_screenshot(str(_shots(tmp_path) / "rasd-review.png"))


HOSTILE = {
    "actor1": "<img src=x onerror=\"window.__rasd_xss='actor'\">",
    "location": '"><svg onload="window.__rasd_xss=\'location\'">',
    "location_ar": "أريحا <script>window.__rasd_xss='location_ar'</script>",
    "attributed_to": "javascript:window.__rasd_xss='attributed'",
}


def test_stored_xss_in_fields_and_reviews_never_runs_issue10(server: str, browser: Any) -> None:
    """Regression for #10: payloads stored as actor, place, source and reviewer (through the review API) show as
    text in the event card, its correction history, the map tooltip and the Reviews tab; nothing executes."""
    import httpx
    from selenium.webdriver.common.by import By

    reviewer = "<iframe src=\"javascript:window.__rasd_xss='reviewer'\"></iframe>"
    r = httpx.post(
        server + "/api/events/raid-b%230/review",
        json={"action": "correct", "changes": HOSTILE, "reviewer": reviewer, "comment": HOSTILE["actor1"]},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 200, r.text
    browser.get(server + "/")
    assert _wait(browser, "return document.body.dataset.ready") == "1"
    browser.find_element(By.CSS_SELECTOR, '[data-event-id="raid-b#0"]').click()
    _wait(
        browser,
        "return document.querySelector('#tab-article .event-card.selected[data-event-id=\"raid-b#0\"]')",
    )
    card = browser.find_element(By.CSS_SELECTOR, "#tab-article .event-card.selected").text
    assert "onerror=" in card and "<svg onload=" in card  # shown, as text
    history = browser.find_element(By.CSS_SELECTOR, "#tab-article .event-card.selected ul.corrections").text
    assert "<iframe" in history
    browser.find_element(By.CSS_SELECTOR, ".tabs [data-tab=reviews]").click()
    _wait(browser, "return document.querySelectorAll('#review-list li').length >= 4")
    assert "<iframe" in browser.find_element(By.ID, "review-list").text
    time.sleep(0.5)  # give any injected handler a chance to fire
    injected = (
        "#panel img, #panel svg, #panel iframe, #panel script, .leaflet-tooltip img, .leaflet-tooltip svg"
    )
    assert browser.execute_script(f"return document.querySelectorAll('{injected}').length") == 0
    assert browser.execute_script("return window.__rasd_xss === undefined")


# ---------------------------------------------------------------- #16: filters, states, timeline, layout
@pytest.fixture(scope="module")
def server16(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store of its own: these checks reject and re-date events."""
    db = build_store(tmp_path_factory.mktemp("serve16") / "e2e16.db")
    with live_server(db, env={"RASD_TOKEN": TOKEN}) as (url, _port):
        yield url


def _errors(browser: Any) -> list[str]:
    """JavaScript errors the page logged (the Reset button used to throw 'form.reset is not a function')."""
    return [e["message"] for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


def _rows(browser: Any) -> list[str]:
    return browser.execute_script(
        "return [...document.querySelectorAll('#event-list li.event-row')].map(li => li.dataset.eventId)"
    )


def _ready(browser: Any) -> None:
    assert _wait(browser, "return document.body.dataset.ready") == "1"
    _wait(browser, "return !document.body.dataset.loading && document.body.dataset.count !== undefined")


def test_filters_live_in_the_url_and_reset_works_issue16(server16: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get_log("browser")  # drop earlier pages' messages
    browser.get(server16 + "/?sub_type=Air%2Fdrone+strike&country=Syria&admin1=Idleb")
    _ready(browser)
    form = "document.querySelector('#filters').elements"
    assert browser.execute_script(f"return {form}.sub_type.value") == "Air/drone strike"
    assert browser.execute_script(f"return {form}.country.value") == "Syria"
    assert sorted(_rows(browser)) == ["raid-a#0", "raid-b#0"]
    assert browser.find_element(By.ID, "count").text == "2 events"
    # the sub-type and country filters list what the corpus holds
    options = browser.execute_script(f"return [...{form}.sub_type.options].map(o => o.value)")
    assert {"Air/drone strike", "Armed clash"} <= set(options)
    # a change goes to the URL: the view can be shared
    browser.execute_script(
        f"const s = {form}.modality; s.value = 'claimed'; s.dispatchEvent(new Event('input', {{bubbles: true}}))"
    )
    _wait(browser, "return location.search.includes('modality=claimed') && !document.body.dataset.loading")
    assert _rows(browser) == [] and browser.find_element(By.ID, "count").text == "0 events"
    assert "No events match" in browser.find_element(By.ID, "event-list").text  # the empty state
    browser.save_screenshot(str(_shots(tmp_path) / "rasd-empty-desktop.png"))
    browser.find_element(By.ID, "reset-filters").click()
    _wait(browser, "return document.querySelectorAll('#event-list li.event-row').length === 4")
    assert browser.execute_script("return location.search") == ""
    assert browser.execute_script(f"return {form}.sub_type.value + {form}.country.value") == ""
    assert _errors(browser) == []


def test_counts_leave_out_rejected_events_and_the_timeline_survives_an_outlier_issue16(
    server16: str, browser: Any
) -> None:
    import httpx
    from selenium.webdriver.common.by import By

    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.post(server16 + "/api/events/raid-b%230/review", json={"action": "reject"}, headers=auth)
    assert r.status_code == 200, r.text
    r = httpx.post(
        server16 + "/api/events/daraa-protest%230/review",
        json={"action": "correct", "changes": {"event_date": "1970-01-01", "date_end": "1970-01-01"}},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    browser.get(server16 + "/")
    _ready(browser)
    assert browser.find_element(By.ID, "count").text == "3 events (+1 rejected)"
    svg = browser.find_element(By.ID, "histogram")
    assert svg.get_attribute("data-outliers") == "1" and svg.get_attribute("data-from") >= "2015-01-01"
    assert "1970-01-01" in browser.find_element(By.ID, "timeline-info").text
    # the bars of the real events are not squashed into one pixel column
    xs = browser.execute_script(
        "return [...document.querySelectorAll('#histogram rect.bar')].map(r => +r.getAttribute('x'))"
    )
    assert len(xs) >= 2 and max(xs) - min(xs) > 100


@pytest.mark.parametrize(("width", "height", "name"), [(1440, 900, "desktop"), (390, 844, "phone")])
def test_layout_at_desktop_and_phone_width_issue16(
    server16: str, browser: Any, tmp_path: Path, width: int, height: int, name: str
) -> None:
    """Screenshots at desktop and 390 px: the map keeps a usable width and the page scrolls to the list."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    try:
        browser.get(server16 + "/")
        _ready(browser)
        inner = browser.execute_script("return window.innerWidth")
        assert inner == width
        box = browser.execute_script("return document.querySelector('#map').getBoundingClientRect().toJSON()")
        assert box["width"] >= min(600, width - 20) and box["height"] >= 250, box
        assert (
            browser.execute_script("return document.documentElement.scrollWidth") <= width + 1
        )  # no sideways
        panel = browser.execute_script(
            "return document.querySelector('#panel').getBoundingClientRect().toJSON()"
        )
        assert panel["width"] >= min(380, width - 20)
        if name == "phone":
            assert panel["top"] >= box["bottom"] - 1  # the list below the map
            browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
            assert browser.execute_script("return window.scrollY") > 100  # the page scrolls to the list
            browser.execute_script("window.scrollTo(0, 0)")
        browser.save_screenshot(str(_shots(tmp_path) / f"rasd-{name}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
