"""In a real browser (Debian's Chromium, headless): search per language, language choice.

These tests need `chromium` and `chromedriver`; `make test` installs them
when they are missing and it runs as root. Elsewhere they are skipped, and
pytest says why.
"""

from __future__ import annotations

import functools
import json
import http.server
import shutil
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian's chromium and chromium-driver (make test installs them as root)",
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(demo_site: Path):
    handler = functools.partial(_Quiet, directory=str(demo_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def make_browser(language: str = "fr", log: bool = False):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    # The machine's network is closed: keep Chromium from calling home.
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--lang={language}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    if log:  # every request the page makes, to check that none leaves the site
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(1280, 900)
    return driver


@pytest.fixture(scope="module")
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def search(browser, server: str, language: str, query: str) -> int:
    """How many documents the theme's search finds, once it has said so to the reader."""
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/{language}/?q={query}")
    none = browser.execute_script(
        "return JSON.parse(document.getElementById('__config').textContent).translations['search.result.none']"
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        meta = browser.find_elements(By.CSS_SELECTOR, ".md-search-result__meta")
        text = meta[0].text if meta else ""
        if text == none or any(ch.isdigit() for ch in text):
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"the search never answered in {language}")
    return len(browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item"))


@pytest.mark.parametrize(
    "language, found, also",
    [
        ("fr", "médecin", "médecins"),  # plural and singular: the stemmer makes them one word
        ("en", "doctor", "doctors"),
        ("ar", "مستشفى", "المستشفى"),  # with and without the article
        ("ru", "коммуна", "коммуны"),
        ("uk", "комуна", "комуна"),  # no stemmer for Ukrainian: plain words
        ("fa-AF", "داکتر", "داکتر"),
    ],
)
def test_search_finds_words_in_each_language(browser, server, language, found, also):
    assert search(browser, server, language, found) > 0
    assert search(browser, server, language, also) > 0


def test_search_for_a_word_that_is_nowhere_finds_nothing(browser, server):
    assert search(browser, server, "fr", "xylophone") == 0


@pytest.mark.parametrize("language, lands", [("ar", "ar"), ("uk", "uk"), ("de", "fr")])
def test_the_root_sends_readers_to_their_language_or_french(server, language, lands):
    driver = make_browser(language)
    try:
        driver.get(f"{server}/")
        deadline = time.monotonic() + 10
        while driver.current_url.rstrip("/").endswith(str(server.split(":")[-1])) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert driver.current_url == f"{server}/{lands}/"
    finally:
        driver.quit()


def test_the_switcher_leads_to_the_same_page_in_another_language(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/ar/services/msp-redon/")
    link = browser.find_element(By.CSS_SELECTOR, 'a.md-select__link[hreflang="en"]')
    browser.get(link.get_attribute("href"))
    assert browser.current_url == f"{server}/en/services/msp-redon/"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"


def requested(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def wait_for(driver, condition, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def visible_items(driver) -> set[str]:
    from selenium.webdriver.common.by import By

    return {
        item.get_attribute("data-id")
        for item in driver.find_elements(By.CSS_SELECTOR, ".portal-maplist > li[data-id]")
        if item.is_displayed()
    }


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_map_page_is_private_until_asked_and_filters_the_list(server, demo_directory, language):
    from selenium.webdriver.common.by import By

    driver = make_browser(language, log=True)
    try:
        driver.get(f"{server}/{language}/carte/")
        button = wait_for(driver, lambda: next(
            (b for b in driver.find_elements(By.CSS_SELECTOR, "[data-portal-map-optin]") if b.is_displayed()), None
        ))
        before = requested(driver)
        assert before and all(url.startswith(server) for url in before if not url.startswith("data:")), before

        # The filters change the list (the list is the content; the map follows it).
        everyone = visible_items(driver)
        assert everyone == set(demo_directory.services)
        driver.find_element(By.CSS_SELECTOR, 'input[name="category"][value="msp"]').click()
        msp = {sid for sid, s in demo_directory.services.items() if "msp" in (s.category, *s.other_categories)}
        wait_for(driver, lambda: visible_items(driver) == msp)
        driver.find_element(By.CSS_SELECTOR, 'input[name="category"][value="msp"]').click()
        driver.find_element(By.CSS_SELECTOR, 'input[name="free"]').click()
        free = {sid for sid, s in demo_directory.services.items() if s.cost and s.cost[0].value == "free" or
                any(c.value == "free" for c in s.cost)}
        wait_for(driver, lambda: visible_items(driver) == free)
        counter = driver.find_element(By.CSS_SELECTOR, "[data-portal-count]").text
        assert str(len(free)) in counter
        driver.find_element(By.CSS_SELECTOR, 'input[name="free"]').click()
        wait_for(driver, lambda: visible_items(driver) == everyone)

        # Asked for, the map loads its background and draws named markers and clusters.
        button.click()
        wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon"))
        after = requested(driver)[len(before):]
        assert any("tile.openstreetmap.org" in url for url in after)
        # Each marker's accessible name: its label, or (clusters) the text read to screen readers.
        markers = driver.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon")
        assert markers
        for marker in markers:
            if "portal-cluster" in marker.get_attribute("class"):
                name = marker.find_element(By.CSS_SELECTOR, ".portal-visually-hidden").get_attribute("textContent")
            else:
                name = marker.get_attribute("aria-label") or marker.get_attribute("title")
            assert name and name.strip(), marker.get_attribute("outerHTML")
            assert marker.get_attribute("tabindex") == "0" and marker.get_attribute("role") == "button"
        side = "right" if language == "ar" else "left"
        zoom = driver.find_element(By.CSS_SELECTOR, f".leaflet-top.leaflet-{side} .leaflet-control-zoom-in")
        assert zoom.get_attribute("title")
    finally:
        driver.quit()
