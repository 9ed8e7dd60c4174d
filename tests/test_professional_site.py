"""The demo's professionals' edition, built (`build --edition pro`) in fr, en and ar, and its quality gates.

The gates run on what the edition adds: the professionals' section and the record
pages that show a « Pour les professionnels » block (the rest is the public site's
pipeline, checked by test_quality.py); links and third-party loads on every page.
"""

from __future__ import annotations

import re
import shutil
import urllib.parse
from pathlib import Path

import pytest

from generator import routes
from generator.quality import broken_links, html_errors, html_pages, third_party_references
from generator.quality.accessibility import PRO_BLOCK, axe_violations, page_kinds
from generator.quality.validity import CheckerMissing, checker_command

from helpers import DEMO_SITE_URL, QUALITY_SUMMARY, make_browser, print_pdf, visible_text

LANGUAGES = ("fr", "en", "ar")
PUBLIC_HOST = urllib.parse.urlsplit(DEMO_SITE_URL).hostname
NOINDEX = '<meta name="robots" content="noindex, nofollow">'

try:
    checker_command()
    HAS_CHECKER = True
except CheckerMissing:
    HAS_CHECKER = False


def new_pages(site: Path) -> list[Path]:
    """The pages the edition adds or changes: its section, and the record pages with a block."""
    pages = []
    for language in LANGUAGES:
        pages += sorted((site / language / routes.PRO.split("/")[0]).rglob("index.html"))
        for kind in ("services", "permanences"):
            pages += [p for p in sorted((site / language / kind).glob("*/index.html")) if PRO_BLOCK in p.read_text()]
    return pages


@pytest.mark.build
def test_the_edition_has_its_section_in_each_language(demo_site_pro):
    for language in LANGUAGES:
        folder = demo_site_pro / language / "professionnels"
        for page in (
            "",
            "reseaux/",
            "orienter/",
            "qui-fait-quoi/",
            "qui-fait-quoi/redon/",
            "annuaire/",
            "annuaire/redon/",
        ):
            assert (folder / page / "index.html").is_file(), (language, page)
        home = (demo_site_pro / language / "index.html").read_text(encoding="utf-8")
        assert 'href="professionnels/"' in home  # in the menu
    french = visible_text((demo_site_pro / "fr" / "professionnels" / "reseaux" / "index.html").read_text())
    assert "CPTS du Pays de Redon (démo)" in french and "CCAS de Redon" in french
    assert sum(1 for _ in (demo_site_pro / "fr" / "professionnels" / "annuaire").glob("*/index.html")) == 15


@pytest.mark.build
def test_every_page_says_it_is_the_professionals_edition_and_keeps_out_of_search_engines(demo_site_pro):
    pages = [p for p in demo_site_pro.rglob("*.html") if p.parent != demo_site_pro and "admin" not in p.parts]
    assert len(pages) > 500
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert NOINDEX in text, page
        assert 'class="portal-pro-note"' in text, page
    assert (demo_site_pro / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    arabic = (demo_site_pro / "ar" / "index.html").read_text(encoding="utf-8")
    note = re.search(r'<p class="portal-pro-note"[^>]*>(.*?)</p>', arabic, re.S)
    assert note is not None and "نسخة المهنيين." in note.group(1)
    assert '<span lang="fr" dir="ltr">Démonstration : une vraie édition professionnelle' in note.group(1)


@pytest.mark.build
def test_the_new_pages_are_valid_html_with_working_links_and_nothing_from_a_third_party(demo_site_pro, tmp_path):
    pages = new_pages(demo_site_pro)
    assert len(pages) > 3 * (5 + 2 * 15 + 10), len(pages)
    all_pages = html_pages(demo_site_pro)
    checked = [p for p in all_pages if p.path in set(pages)]
    # the language switcher names the languages not built here (a build of some languages is a
    # part of the whole site): only links within fr, en and ar are checked
    elsewhere = re.compile(r"pas de fichier (?!(?:" + "|".join(LANGUAGES) + r")/)")
    broken = [f.format() for f in broken_links(demo_site_pro, checked) if not elsewhere.search(f.message)]
    assert broken == [], "\n".join(broken[:30])
    leaks = [f.format() for f in third_party_references(demo_site_pro, all_pages, PUBLIC_HOST)]
    assert leaks == [], "\n".join(leaks[:30])
    errors: list[str] = []
    if HAS_CHECKER:  # the Nu checker on a copy of the new pages only: the rest is the public site's
        copy = tmp_path / "site"
        for page in pages:
            target = copy / page.relative_to(demo_site_pro)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
        errors = [f.format() for f in html_errors(copy)]
    QUALITY_SUMMARY.append(
        f"professionals' edition (fr, en, ar): {len(pages)} new pages; HTML errors: "
        f"{len(errors) if HAS_CHECKER else 'not checked (no Java)'}; broken links: {len(broken)}"
    )
    assert errors == [], "\n".join(errors[:30])


@pytest.mark.build
@pytest.mark.browser
def test_no_accessibility_violation_on_the_new_pages(demo_site_pro, pro_server):
    driver = make_browser()
    checked, findings = [], []
    try:
        for language in LANGUAGES:
            for kind in page_kinds(demo_site_pro, language):
                if not kind.name.startswith("pro"):
                    continue
                checked.append(f"{language}:{kind.name}")
                findings += [
                    f"{kind.path} ({kind.media}): {violation['id']} {violation['targets'][:3]}"
                    for violation in axe_violations(driver, f"{pro_server}/{kind.path}", kind.media)
                ]
    finally:
        driver.quit()
    QUALITY_SUMMARY.append(f"axe-core on the professionals' edition: {len(checked)} pages; violations: {len(findings)}")
    assert len(checked) == 3 * 7, checked
    assert findings == []


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("path", ["fr/professionnels/annuaire/redon/", "fr/professionnels/annuaire/"])
def test_the_partners_directory_prints_every_entry_whole_on_a_page(browser, pro_server, path):
    pdf = print_pdf(browser, f"{pro_server}/{path}")
    assert len(pdf) > 2
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        entries = browser.execute_script(
            "return Array.from(document.querySelectorAll('.portal-entry'))"
            ".filter(e => e.getClientRects().length).map(e => e.innerText);"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # Whitespace differs between the DOM and the PDF, and a hyphen at a line's end is U+FFFE
    # in the PDF's text; paper writes a web link's address after it (a CSS ::after that
    # innerText does not have): compare what is left.
    squeeze = lambda text: re.sub(r"\s+|\d+\.", "", text.replace("\ufffe", "-"))  # noqa: E731
    printed_address = re.compile(r"\(\u2066?https?://[^)]*\)")
    pages = [printed_address.sub("", squeeze(pdf[i].get_textpage().get_text_range())) for i in range(len(pdf))]
    assert len(entries) > 10
    split = [entry[:60] for entry in entries if not any(squeeze(entry) in page for page in pages)]
    assert split == []
    assert any("Ligne des professionnels" in entry for entry in entries)


@pytest.mark.build
def test_the_preview_shows_the_professionals_edition_when_asked(tmp_path):
    """`serve --edition pro`: a coordinator sees the professionals' pages before publishing them."""
    import time
    import urllib.error
    import urllib.request

    from helpers import DEMO, free_port, start_preview

    port = free_port()
    options = ["--directory", str(DEMO), "--dev-addr", f"127.0.0.1:{port}", "--languages", "fr", "--edition", "pro"]
    process = start_preview(options, tmp_path)
    try:

        def fetched(path: str) -> str:
            # The server may start listening a moment after the first build is said done.
            for _ in range(120):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=30) as response:
                        return response.read().decode("utf-8")
                except urllib.error.URLError as error:
                    if not isinstance(error.reason, ConnectionRefusedError):
                        raise
                    assert process.poll() is None, "the preview stopped"
                    time.sleep(0.5)
            raise AssertionError("the preview never served the page")

        page = fetched("fr/services/cmp-adultes-redon/")
        assert "Pour les professionnels" in page and "01 99 00 70 03" in page  # its line for professionals
        assert 'content="noindex' in page
        assert fetched("robots.txt") == "User-agent: *\nDisallow: /\n"
        process.terminate()
        process.communicate(timeout=60)
    finally:
        process.kill()
