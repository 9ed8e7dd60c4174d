"""Light pages on a cheap phone (issue 22), in headless Chromium, without timing anything.

What a page downloads on a first visit must not depend on the territory: the
theme's language selector used to fetch every language's sitemap.xml (six files
growing with the records, six 404s on a record page). A page asks for no
sitemap, and the same page of a small and of a ten times larger territory
downloads the same files, of the same size but for the page itself. The menu
of small screens, left to the theme's CSS, opens from the keyboard with
scripts off. Lighthouse's figures are `benchmarks/lighthouse.py`'s, not a test.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from generator.quality.accessibility import page_kinds
from generator.quality.serve import serving
from generator.records.synth import Settings, write_territory

from helpers import load_directory, make_browser, project_config, requested, wait_for

pytestmark = [pytest.mark.build, pytest.mark.browser]

FIRST_VISIT_GZIP_LIMIT = 100 * 1024  # issue 22: a first visit, whatever the territory


@pytest.fixture(scope="module")
def logging_browser():
    driver = make_browser(log=True)
    yield driver
    driver.quit()


def visit(driver, url: str) -> list[str]:
    """The addresses a page asks for while it loads (its own first)."""
    requested(driver)  # forget the previous page's
    driver.get(url)
    wait_for(driver, lambda: driver.execute_script("return document.readyState") == "complete")
    return requested(driver)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_no_page_asks_for_a_sitemap(logging_browser, server, demo_site, language):
    kinds = [kind for kind in page_kinds(demo_site, language) if kind.media == "screen"]
    assert {"home", "service", "map", "search", "booklet"} <= {kind.name for kind in kinds}
    asked = {kind.name: visit(logging_browser, f"{server}/{kind.path}") for kind in kinds}
    # the log does see what pages load: their style sheets
    assert all(any(url.endswith(".css") for url in urls) for urls in asked.values())
    sitemaps = {name: [url for url in urls if "sitemap" in url] for name, urls in asked.items()}
    assert sitemaps == {name: [] for name in asked}


# --- the same page in a small and a larger territory --------------------------------

SIZES = (20, 200)
COMMUNES = 4


@pytest.fixture(scope="module")
def synthetic_sites(tmp_path_factory) -> dict[int, Path]:
    """The same communes with ten times more services, built in French."""
    sites = {}
    for size in SIZES:
        folder = tmp_path_factory.mktemp(f"light-{size}")
        write_territory(Settings(services=size, communes=COMMUNES, seed=2, languages=("fr",)), folder / "directory")
        from generator.site.build import build_site

        build_site(project_config(folder / "project"), load_directory(folder / "directory"), folder / "site")
        sites[size] = folder / "site"
    return sites


def first_visit(driver, site: Path, path: str) -> dict[str, bytes]:
    """What a first visit of `path` downloads: each same-site file it asks for, by path
    (a folder's index.html for a folder; nothing for a file that is not there)."""
    contents = {}
    with serving(site) as address:
        for url in visit(driver, f"{address}/{path}"):
            if not url.startswith(address):
                assert url.startswith("data:"), url  # nothing from another site
                continue
            local = urlparse(url).path.lstrip("/")
            file = site / local / "index.html" if local.endswith("/") or not local else site / local
            contents[local] = file.read_bytes() if file.is_file() else b""
    return contents


@pytest.mark.parametrize("kind", ["home", "service"])
def test_a_first_visit_weighs_the_same_whatever_the_territory(logging_browser, synthetic_sites, kind):
    visits = {}
    for size, site in synthetic_sites.items():
        (page,) = [found.path for found in page_kinds(site, "fr") if found.name == kind]
        files = first_visit(logging_browser, site, page)
        visits[size] = (page, files)
    (small_page, small), (large_page, large) = visits[SIZES[0]], visits[SIZES[-1]]
    # the same style sheets, scripts and images, byte for byte...
    shared = {path: len(data) for path, data in small.items() if path != small_page}
    assert shared == {path: len(data) for path, data in large.items() if path != large_page}
    # ...and a page of about the same size: its own text, not the territory's
    assert len(large[large_page]) < len(small[small_page]) * 1.15
    # small enough for a slow connection: compressed as a static host sends it
    assert sum(len(gzip.compress(data)) for data in large.values()) < FIRST_VISIT_GZIP_LIMIT


def test_the_menu_opens_from_the_keyboard_with_scripts_off(demo_site_fr):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = make_browser()
    try:
        driver.set_window_size(400, 800)  # a phone: the menu is a drawer behind a button
        with serving(demo_site_fr) as address:
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
            driver.get(f"{address}/fr/services/msp-redon/")
            stops = []
            for _ in range(2):
                ActionChains(driver).send_keys(Keys.TAB).perform()
                focused = driver.switch_to.active_element
                stops.append(focused.get_attribute("class") or focused.get_attribute("id"))
            ActionChains(driver).send_keys(Keys.SPACE).perform()
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
            # the skip link first, then the menu, which Space opened
            assert stops[0] == "md-skip"
            assert driver.switch_to.active_element.get_attribute("id") == "__drawer"
            assert driver.switch_to.active_element.get_attribute("aria-label") == "Navigation"
            menu = driver.find_element(By.CSS_SELECTOR, ".md-sidebar--primary")
            wait_for(driver, lambda: menu.is_displayed() and menu.rect["x"] >= 0, message="the menu did not open")
            link = menu.find_element(By.CSS_SELECTOR, "a.md-nav__link")
            assert link.is_displayed()
            outline = driver.execute_script(
                "return getComputedStyle(document.querySelector('.md-header label[for=__drawer]')).outlineStyle"
            )
            assert outline == "solid"  # the button shows where the focus is
    finally:
        driver.quit()


@pytest.mark.build
def test_the_theme_files_no_page_loads_are_not_published(demo_site_fr):
    from generator.site.finish import UNUSED_THEME_FILES

    assets = demo_site_fr / "fr" / "assets"
    published = {path.relative_to(demo_site_fr / "fr").as_posix() for path in assets.rglob("*") if path.is_file()}
    assert not [path for path in published if path.startswith(UNUSED_THEME_FILES) or path.endswith(".map")]
    # what the pages use is there: the theme's style sheets and our scripts
    assert any(path.startswith("assets/stylesheets/main.") for path in published)
    assert "assets/javascripts/portal-now.js" in published
    # and no page names a file that is not (the link gate checks every page; here, the theme's)
    page = (demo_site_fr / "fr" / "index.html").read_text(encoding="utf-8")
    for name in re.findall(r'(?:src|href)="(?:\.\./)*(assets/[^"]+)"', page):
        assert (demo_site_fr / "fr" / name).is_file(), name
