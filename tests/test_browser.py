"""In a real browser (Debian's Chromium, headless): search per language, language choice.

These tests need `chromium` and `chromedriver`; `make test` installs them
when they are missing and it runs as root. Elsewhere they are skipped, and
pytest says why.
"""

from __future__ import annotations

import functools
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


def make_browser(language: str = "fr"):
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
