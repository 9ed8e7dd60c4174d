"""In a real browser (Debian's Chromium, headless): search per language, language choice.

These tests need `chromium` and `chromedriver`; `make test` installs them
when they are missing and it runs as root. Elsewhere they are skipped, and
pytest says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.quality.serve import serving

from helpers import ROOT, make_browser, project_config, requested, wait_for

# Every test here drives Chromium on a built site (the demo, through the `server` fixture).
pytestmark = [pytest.mark.build, pytest.mark.browser]


def search(browser, server: str, language: str, query: str) -> int:
    """How many pages the portal's search finds, once it has said so to the reader."""
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/{language}/recherche/?q={query}")
    texts = browser.execute_script(
        "return JSON.parse(document.getElementById('portal-search-config').textContent).texts"
    )

    def answered() -> str | None:
        status = browser.find_element(By.CSS_SELECTOR, "[data-portal-search-status]").text
        return status if status == texts["none"] or any(ch.isdigit() for ch in status) else None

    status = wait_for(browser, answered, message=f"the search never answered in {language}")
    assert status != texts["failed"]
    return len(browser.find_elements(By.CSS_SELECTOR, "[data-portal-search-results] li"))


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


def test_the_home_form_searches_and_one_search_downloads_little(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/fr/")
    field = browser.find_element(By.ID, "portal-search-input")
    field.send_keys("dentiste")
    field.submit()
    wait_for(
        browser,
        lambda: browser.find_elements(By.CSS_SELECTOR, "[data-portal-search-results] li"),
        message="the search from the home page found nothing",
    )
    assert browser.current_url.startswith(f"{server}/fr/recherche/?q=dentiste")
    first = browser.find_element(By.CSS_SELECTOR, "[data-portal-search-results] li a")
    assert first.get_attribute("href").startswith(f"{server}/fr/")
    # what this search downloaded of the index: the Pagefind files, not a whole-site index
    sizes = browser.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/pagefind/'))"
        ".map(e => e.encodedBodySize || e.transferSize)"
    )
    assert sizes and sum(sizes) < 300_000, sizes


@pytest.mark.parametrize("language, lands", [("ar", "ar"), ("uk", "uk"), ("de", "fr")])
def test_the_root_sends_readers_to_their_language_or_french(server, language, lands):
    driver = make_browser(language)
    try:
        driver.get(f"{server}/")
        wait_for(
            driver,
            lambda: driver.current_url.rstrip("/") != server,
            seconds=10,
            message=f"the root page never sent a {language} reader anywhere",
        )
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
        button = wait_for(
            driver,
            lambda: next(
                (b for b in driver.find_elements(By.CSS_SELECTOR, "[data-portal-map-optin]") if b.is_displayed()), None
            ),
        )
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
        free = {
            sid
            for sid, s in demo_directory.services.items()
            if (s.cost and s.cost[0].value == "free") or any(c.value == "free" for c in s.cost)
        }
        wait_for(driver, lambda: visible_items(driver) == free)
        counter = driver.find_element(By.CSS_SELECTOR, "[data-portal-count]").text
        assert str(len(free)) in counter
        driver.find_element(By.CSS_SELECTOR, 'input[name="free"]').click()
        wait_for(driver, lambda: visible_items(driver) == everyone)

        # Asked for, the map loads its background and draws named markers and clusters. (The
        # filters above made the page scroll: the button back in view, as a reader would.)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon"))
        after = requested(driver)[len(before) :]
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


# --- keeping a built site right: portal-now.js ---------------------------------
# The demo is built on Monday 23 November 2026; the browser's clock is set to
# later moments, as when a resident opens the site days after the build.


def open_at(browser, url: str, moment: str) -> None:
    """Load a page with the browser's clock at `moment` (ISO, with its offset)."""
    import datetime as dt

    milliseconds = int(dt.datetime.fromisoformat(moment).timestamp() * 1000)
    script = browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": f"Date.now = function () {{ return {milliseconds}; }};"}
    )
    try:
        browser.get(url)
        # portal-now.js is deferred: it names itself `window.portalNow` once it has updated the page.
        wait_for(
            browser,
            lambda: browser.execute_script("return typeof window.portalNow === 'function'"),
            seconds=5,
            message=f"portal-now.js never ran on {url}",
        )
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


def status(browser) -> str | None:
    return browser.execute_script(
        "var e = document.querySelector('.portal-now--page'); return e && !e.hidden ? e.textContent : null;"
    )


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2026-11-24T10:00:00+01:00", "Ouvert maintenant, jusqu'à 12 h 30"),
        ("2026-11-24T12:45:00+01:00", "Fermé maintenant, ouvre à 13 h 30"),
        ("2026-11-29T10:00:00+01:00", "Fermé maintenant, ouvre demain à 13 h 30"),  # a Sunday
        ("2026-11-28T15:00:00+01:00", "Fermé maintenant, ouvre lundi à 13 h 30"),  # a Saturday
        ("2026-12-20T10:00:00+01:00", None),  # past the openings the page knows: nothing claimed
        ("2026-11-22T10:00:00+01:00", None),  # before the day it was built for: nothing claimed
    ],
)
def test_open_now_on_a_place_page(browser, server, moment, expected):
    # France Services Pipriac: 'Mo 13:30-17:30; Tu-Fr 09:00-12:30,13:30-17:30; Sa 09:00-12:00; PH off'
    open_at(browser, f"{server}/fr/services/france-services-pipriac/", moment)
    assert status(browser) == expected


def test_open_now_in_arabic(browser, server):
    open_at(browser, f"{server}/ar/services/france-services-pipriac/", "2026-11-24T10:00:00+01:00")
    text = status(browser)
    assert text is not None and "12:30" in text and not any("a" <= c <= "z" for c in text.lower())


def visible(browser, selector: str) -> list[str]:
    return browser.execute_script(
        "return Array.prototype.slice.call(document.querySelectorAll(arguments[0]))"
        ".filter(function (e) { return e.offsetParent !== null; }).map(function (e) { return e.textContent; });",
        selector,
    )


def test_sessions_that_have_passed_are_hidden(browser, server):
    # Mission locale at Plessé, 'Tu[1,3]': 1 December, then 5 January (15 December is cancelled)
    url = f"{server}/fr/permanences/mission-locale-plesse/"
    open_at(browser, url, "2026-11-30T10:00:00+01:00")
    assert "mardi 1 décembre 2026" in visible(browser, ".portal-dates li")[0]
    open_at(browser, url, "2026-12-01T12:30:00+01:00")  # the session of 1 December is over
    lines = visible(browser, ".portal-dates li")
    assert "mardi 5 janvier 2027" in lines[0] and not any("1 décembre" in line for line in lines)
    # the card shows the next date that has not passed
    open_at(browser, f"{server}/fr/permanences/", "2026-12-01T12:30:00+01:00")
    card = browser.execute_script(
        "var links = document.querySelectorAll('.portal-card__title a');"
        "for (var i = 0; i < links.length; i++) if (links[i].textContent.indexOf('Plessé') >= 0)"
        "  return links[i].closest('.portal-card').querySelector('.portal-card__next').innerText;"
    )
    assert "mardi 5 janvier 2027" in card and "1 décembre" not in card


def test_the_calendar_says_this_week_of_the_right_week(browser, server):
    url = f"{server}/fr/calendrier/"
    open_at(browser, url, "2026-11-24T08:00:00+01:00")
    headings = visible(browser, ".portal-week h2")
    assert headings[0].startswith("Cette semaine") and headings[1].startswith("La semaine prochaine")
    open_at(browser, url, "2026-12-02T08:00:00+01:00")  # a week and two days after the build
    headings = visible(browser, ".portal-week h2")
    assert "23" not in headings[0].split("·")[1]  # the week of 23 November is gone
    assert headings[0].startswith("Cette semaine · 30 nov.") and headings[1].startswith("La semaine prochaine")
    days = visible(browser, ".portal-day h3")
    assert days[0] != "mardi 1 décembre 2026" and "novembre" not in days[0]


def test_notices_that_are_over_are_hidden(browser, server):
    # Guémené-Penfao CSAPA: a message notice from 1 to 30 November 2026
    url = f"{server}/fr/permanences/csapa-guemene-penfao/"
    open_at(browser, url, "2026-11-30T10:00:00+01:00")
    assert visible(browser, ".portal-notice")
    open_at(browser, url, "2026-12-01T00:00:01+01:00")
    assert not visible(browser, ".portal-notice")


# --- a large territory's map: communes listed, their places loaded when looked at ----


@pytest.fixture(scope="module")
def commune_map_site(tmp_path_factory, demo_directory) -> Path:
    """The demo in French, built as if it were larger than `map.list_limit`."""
    from dataclasses import replace

    from generator.site.build import build_site

    folder = tmp_path_factory.mktemp("commune-map")
    config = project_config(folder, ("fr",), content=ROOT / "content")
    config = replace(
        config, site=replace(config.site, map=replace(config.site.map, list_limit=20))
    )  # the demo has 81 places
    site = folder / "site"
    build_site(config, demo_directory, site)
    return site


def test_a_large_map_page_loads_only_the_communes_looked_at(commune_map_site, demo_directory):
    from collections import Counter

    from selenium.webdriver.common.by import By

    by_commune = Counter(service.address.commune for service in demo_directory.services.values())
    busiest, _places = by_commune.most_common(1)[0]
    slug = demo_directory.commune_slugs[busiest]
    with serving(commune_map_site) as address:
        driver = make_browser("fr", log=True)
        try:
            driver.get(f"{address}/fr/carte/")
            # No place listed: the communes, each a link to its page.
            assert not driver.find_elements(By.CSS_SELECTOR, ".portal-maplist")
            links = driver.find_elements(By.CSS_SELECTOR, ".portal-links a")
            assert len(links) == len(demo_directory.communes)
            assert not driver.find_element(By.CSS_SELECTOR, "[data-portal-filters]").is_displayed()
            requested(driver)  # forget the page's own requests

            driver.find_element(By.CSS_SELECTOR, "[data-portal-map-optin]").click()
            communes = wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".portal-cluster--commune"))
            assert len(communes) == len(by_commune)  # one marker per commune with places
            for marker in communes:
                name = marker.find_element(By.CSS_SELECTOR, ".portal-visually-hidden").get_attribute("textContent")
                assert name and "Zoomez" in name and marker.get_attribute("aria-label") == name
            opened = [url for url in requested(driver) if url.startswith(address)]
            # No place data for the whole territory (the transport layer is the network's, loaded whole).
            assert not any("/data/" in url and not url.endswith("/data/transport.geojson") for url in opened), opened

            # Zoomed in on a commune: its file (and its neighbours' in view), never the whole territory's.
            commune = demo_directory.communes[busiest]
            driver.execute_script(f"return window.portalMap.view({commune.latitude}, {commune.longitude}, 13)")
            # the places of the view are on the map and counted
            wait_for(
                driver, lambda: int(driver.find_element(By.CSS_SELECTOR, "[data-portal-count]").text.split()[-1]) > 0
            )
            files = [url for url in requested(driver) if "/data/" in url]
            assert f"{address}/data/communes/{slug}.geojson" in files
            assert all("/data/communes/" in url for url in files) and len(files) <= 12, files

            # The filters now choose among the places on the map.
            form = driver.find_element(By.CSS_SELECTOR, "[data-portal-filters]")
            assert form.is_displayed()
            before = driver.find_element(By.CSS_SELECTOR, "[data-portal-count]").text
            driver.find_element(By.CSS_SELECTOR, 'input[name="free"]').click()
            wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-portal-count]").text != before)

            # From the keyboard: Enter on a commune's marker zooms in on it, and its places come.
            from selenium.webdriver.common.keys import Keys

            driver.execute_script(f"return window.portalMap.view({commune.latitude}, {commune.longitude}, 9)")
            requested(driver)
            waiting = wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".portal-cluster--commune"))
            waiting[0].send_keys(Keys.ENTER)
            wait_for(driver, lambda: any("/data/communes/" in url for url in requested(driver)))
        finally:
            driver.quit()


def test_french_text_on_a_right_to_left_page_keeps_its_bullets_inside(browser, server):
    """A French text on a Dari page indents its list on the left, as French does (the theme
    indents lists on the page's side only, and the bullets hung outside the text).

    The demo's lists are all translated now: the list is put into a French description the
    page really shows (fa-AF has no translation of it), so the page's own styles apply."""
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/fa-AF/services/accueil-assurance-maladie-guemene-penfao/")
    block = browser.find_element(By.CSS_SELECTOR, '.portal-text[lang="fr"][dir="ltr"]')
    browser.execute_script("arguments[0].insertAdjacentHTML('beforeend', '<ul><li>Carte Vitale</li></ul>')", block)
    item = block.find_element(By.CSS_SELECTOR, "li")
    assert item.rect["x"] >= block.rect["x"] + 16  # room for the bullet, drawn left of the item
