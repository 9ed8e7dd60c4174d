"""Paper and passing on: record sheets, commune booklets, pick-and-print, send links.

The browser tests print the demo site to PDF in headless Chromium (as Ctrl+P
does), then read the PDF back: its pages, its text, and the QR code drawn on
it, decoded from the rendered page.
"""

from __future__ import annotations

import base64
import contextlib
import html
import re
import urllib.parse

import pytest

from generator.render.sheet import sheet

from helpers import DEMO_SITE_URL, MINIMAL, context, found, load_directory, print_pdf, to_html, visible_text, wait_for

SITE = DEMO_SITE_URL
A4 = (595.3, 841.9)  # 210 × 297 mm in points


def is_a4(page) -> bool:
    width, height = page.get_size()
    return abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1  # Chromium rounds to whole CSS pixels


# --- build time: addresses, QR codes, messages --------------------------------


@pytest.fixture(scope="module")
def minimal_directory():
    return load_directory(MINIMAL)


def test_send_links_carry_a_short_message_in_the_page_language(minimal_directory):
    french = context(minimal_directory, "fr", url=SITE)
    paper = sheet(french, "services/msp-redon.md", "Maison de santé du Canal")
    body = urllib.parse.parse_qs(paper.sms.split("?", 1)[1])["body"][0]
    assert paper.sms.startswith("sms:?&body=")
    assert body == "Maison de santé du Canal\u00a0: https://sante-pays-de-redon.example.org/fr/services/msp-redon/"
    query = urllib.parse.parse_qs(paper.mail.split("?", 1)[1])
    assert query["subject"] == ["Maison de santé du Canal"] and query["body"] == [body]
    english = sheet(context(minimal_directory, "en", url=SITE), "services/msp-redon.md", "Canal health centre")
    assert urllib.parse.unquote(english.sms).endswith("Canal health centre: " + SITE + "en/services/msp-redon/")


def test_without_a_public_address_there_is_nothing_to_point_at(minimal_directory):
    paper = sheet(context(minimal_directory), "services/msp-redon.md", "Maison")
    assert (paper.url, paper.qr, paper.sms, paper.mail) == ("", "", "", "")


def test_the_qr_code_is_inline_svg_with_a_name(minimal_directory):
    paper = sheet(context(minimal_directory, url=SITE), "services/msp-redon.md", "Maison")
    assert paper.qr.startswith('<svg role="img" aria-label="')
    assert SITE + "fr/services/msp-redon/" in paper.qr and "\n" not in paper.qr


@pytest.fixture(scope="module")
def pages(demo_pages):
    return demo_pages["fr"]


def test_record_pages_carry_their_tools_and_their_paper_footer(pages):
    for path in ("services/msp-redon.md", "permanences/assurance-maladie-pipriac.md", "dispositifs/css.md"):
        page = pages[path]
        assert "data-portal-print" in page and 'class="portal-large-print"' in page
        hrefs = [html.unescape(h) for h in re.findall(r'href="((?:sms|mailto):(?:\?|&#38;)[^"]*)"', page)]
        url = SITE + "fr/" + path[:-3] + "/"
        assert [h.split(":")[0] for h in hrefs] == ["sms", "mailto"]
        assert all(urllib.parse.quote(url, safe="") in h for h in hrefs)
        footer = found(r'<div class="portal-sheet-footer"[^>]*>.*?</div>', page, re.S).group()
        assert "<svg" in footer and SITE + "fr/" + path[:-3] + "/" in footer
        assert "Informations vérifiées le" in visible_text(footer)


def test_a_booklet_for_each_commune(pages, demo_directory):
    for slug in demo_directory.commune_slugs.values():
        assert f"imprimer/{slug}.md" in pages
        assert f'href="/imprimer/{slug}.md"' in pages[f"communes/{slug}.md"]
    text = visible_text(to_html(pages["imprimer/redon.md"]))
    for heading in (
        "Numéros d'urgence",
        "Votre situation",
        "Lieux pour les habitants de Redon",
        "Permanences",
        "Droits santé",
    ):
        assert heading in text
    assert "Maison de santé du Canal" in text and "01 99 00 19 50" in text  # a place in Redon, its phone
    assert "Complémentaire santé solidaire" in text


# --- in a browser: printed to PDF -------------------------------------------


@contextlib.contextmanager
def print_media(browser):
    """The page as laid out for print (what Ctrl+P shows), then back to screen."""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        yield
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def qr_codes(page) -> list[str]:
    import zxingcpp

    image = page.render(scale=3).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def page_texts(pdf) -> list[str]:
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


SHEETS = [
    "fr/services/msp-redon/",
    "fr/dispositifs/css/",
    "ar/services/france-services-pipriac/",
    "ar/dispositifs/ame/",
    "en/permanences/assurance-maladie-pipriac/",
]


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("path", SHEETS)
def test_a_sheet_prints_on_one_a4_page_with_a_qr_code_to_itself(browser, server, path):
    pdf = print_pdf(browser, f"{server}/{path}")
    assert len(pdf) == 1
    assert is_a4(pdf[0])
    assert qr_codes(pdf[0]) == [SITE + path]
    text = page_texts(pdf)[0]
    if path.startswith("fr/"):
        assert "Informations vérifiées le" in text and "Imprimé le" in text


@pytest.mark.build
@pytest.mark.browser
def test_every_french_sheet_of_the_demo_fits_on_one_page(browser, server, demo_site):
    folders = ("services", "permanences", "dispositifs")
    paths = sorted(
        p.parent.relative_to(demo_site).as_posix() for f in folders for p in (demo_site / "fr" / f).glob("*/index.html")
    )
    assert len(paths) > 60
    long = [path for path in paths if len(print_pdf(browser, f"{server}/{path}/")) != 1]
    assert long == []


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        "fr/services/msp-redon/",
        "fr/dispositifs/css/",
        "ar/permanences/assurance-maladie-pipriac/",
        "fr/imprimer/redon/",
        "fr/carte/",
    ],
)
def test_paper_has_no_navigation_no_button_no_interactive_map(browser, server, path):
    browser.get(f"{server}/{path}")
    with print_media(browser):
        shown = browser.execute_script(
            """return Array.from(document.querySelectorAll(
                 'nav:not(.portal-booklet-toc), header, footer, button, input, select, .md-sidebar, .md-search,' +
                 '.portal-mapapp, .leaflet-container, .portal-tools'))
               .filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80));"""
        )
        colour = browser.execute_script("return getComputedStyle(document.querySelector('article p')).color")
    assert shown == []
    assert colour == "rgb(0, 0, 0)"  # black on white


@pytest.mark.build
@pytest.mark.browser
def test_right_to_left_sheets_print_right_to_left(browser, server):
    browser.get(f"{server}/ar/services/france-services-pipriac/")
    with print_media(browser):
        direction, gap = browser.execute_script(
            "var h = document.querySelector('h1').getBoundingClientRect(), a = document.querySelector('article').getBoundingClientRect();"
            "return [getComputedStyle(document.querySelector('article')).direction, a.right - h.right];"
        )
    assert direction == "rtl" and abs(gap) < 2  # the title starts at the right edge


@pytest.mark.build
@pytest.mark.browser
def test_large_print_is_at_least_16_points(browser, server):
    browser.get(f"{server}/fr/services/msp-redon/")
    browser.execute_script("document.querySelector('.portal-large-print').click()")
    with print_media(browser):
        size = browser.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('article p:not(.portal-lead)')).fontSize)"
        )
    assert size >= 16 * 96 / 72 - 0.01  # 16 pt in CSS pixels (Chromium keeps 4 decimals)


@pytest.mark.build
@pytest.mark.browser
def test_the_booklet_never_splits_an_entry_across_pages(browser, server):
    url = f"{server}/fr/imprimer/redon/"
    pdf = print_pdf(browser, url)
    assert len(pdf) > 2
    assert all(is_a4(pdf[i]) for i in range(len(pdf)))
    # Each entry's text, as the browser lays it out for print, must be found whole
    # on one page. Whitespace differs between the DOM and the PDF: compare without it.
    with print_media(browser):
        entries = browser.execute_script(
            "return Array.from(document.querySelectorAll('.portal-entry, .portal-session, .portal-day h4'))"
            ".filter(e => e.getClientRects().length).map(e => e.innerText);"
        )
    # The PDF has list numbers ("1.") that innerText has not, and writes a hyphen
    # at the end of a line as U+FFFE: compare what is left.
    squeeze = lambda text: re.sub(r"\s+|\d+\.", "", text.replace("\ufffe", "-"))  # noqa: E731
    pages = [squeeze(text) for text in page_texts(pdf)]
    assert len(entries) > 40
    split = [entry[:60] for entry in entries if not any(squeeze(entry) in page for page in pages)]
    assert split == []
    assert qr_codes(pdf[len(pdf) - 1]) == [SITE + "fr/imprimer/redon/"]


@pytest.mark.build
@pytest.mark.browser
def test_pick_and_print_prints_the_chosen_sheets_one_per_page(browser, server):
    browser.get(f"{server}/fr/categories/cabinet-medical/")
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    boxes = browser.find_elements("css selector", "[data-portal-pick] input[type=checkbox]")
    assert len(boxes) >= 2
    boxes[0].click()
    boxes[1].click()
    browser.get(f"{server}/fr/dispositifs/")
    bar = browser.find_element("css selector", ".portal-picked-bar")
    assert "Fiches choisies : 2" in bar.text.replace("\xa0", " ")  # remembered from the other list page
    browser.find_elements("css selector", "[data-portal-pick] input[type=checkbox]")[0].click()
    assert "Fiches choisies : 3" in bar.text.replace("\xa0", " ")
    # The browser's print dialog is replaced by a flag; the document is then printed to PDF.
    browser.execute_script("window.print = () => { window.__printed = true; };")
    bar.find_element("xpath", ".//button[1]").click()
    wait_for(browser, lambda: browser.execute_script("return window.__printed === true"), message="nothing was printed")
    assert browser.execute_script("return document.querySelectorAll('.portal-picked__sheet').length") == 3
    result = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    import pypdfium2

    pdf = pypdfium2.PdfDocument(base64.b64decode(result["data"]))
    assert len(pdf) == 3
    codes = [qr_codes(pdf[i]) for i in range(3)]
    assert all(len(found) == 1 and found[0].startswith(SITE + "fr/") for found in codes)
    assert codes[2] == [SITE + "fr/dispositifs/ame/"]  # the first right of the list
    texts = page_texts(pdf)
    assert "Droits santé" not in texts[0]  # the list page itself is not printed


@pytest.mark.build
@pytest.mark.browser
def test_copy_the_link_and_say_so(browser, server):
    browser.get(f"{server}/fr/dispositifs/css/")
    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": server},
    )
    button = browser.find_element("css selector", "[data-portal-copy]")
    assert button.is_displayed()
    button.click()
    status = browser.find_element("css selector", ".portal-tools__status")
    wait_for(browser, lambda: status.get_attribute("textContent"), message="the copy button never said what it did")
    assert status.text == "Lien copié."
    copied = browser.execute_async_script(
        "var done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done(String(e)));"
    )
    assert copied == SITE + "fr/dispositifs/css/"
