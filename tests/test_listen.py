"""« Écouter »: pages read aloud with the browser's own voices.

What a page reads is decided at build time (`render/listen.py`: the parts and
their order, numbers as they are said); the page's script reads them. The
browser tests run headless Chromium with the speech API replaced, before any
page script runs, by a stand-in that records what it is asked to say, in which
language and with which voice, and says it only when the test finishes it.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.render import listen
from generator.render.localize import Localizer
from generator.render.pages.records import service_page

from helpers import DEMO, ROOT, context, found, load_directory, make_browser, render_one, requested, wait_for

SCRIPT = ROOT / "overrides" / "assets" / "javascripts" / "portal-listen.js"
SERVICE = "msp-redon"  # the demo's Maison de santé du Canal: hours, two phones, a French description in Arabic

# --- build time: what is read, in which order ----------------------------------------


@pytest.mark.parametrize(
    "display, language, spoken",
    [
        ("01 99 00 12 34", "fr", "0 1, 99, 0 0, 12, 34"),  # pairs, as French speakers say them
        ("01 99 00 12 34", "ar", "0 1, 9 9, 0 0, 1 2, 3 4"),  # digit by digit
        ("01 99 00 12 34", "fa-AF", "0 1, 9 9, 0 0, 1 2, 3 4"),
        ("3646", "fr", "36, 46"),
        ("3646", "en", "3 6 4 6"),
        ("112", "fr", "1 1 2"),
        ("15", "fr", "15"),
        ("+44 20 7946 0000", "fr", "+ 4 4, 2 0, 7 9 4 6, 0 0 0 0"),
    ],
)
def test_numbers_are_said_as_people_say_them(display, language, spoken):
    assert listen.spoken_number(display, language) == spoken


def test_a_phone_link_carries_how_it_is_said_in_the_page_language():
    assert Localizer("fr").phone("01 99 00 12 34").spoken == "0 1, 99, 0 0, 12, 34"
    arabic = Localizer("ar").phone("+44 20 7946 0000")
    assert (arabic.display, arabic.spoken) == ("+442079460000", "+ 4 4, 2 0, 7 9 4 6, 0 0 0 0")


def test_a_part_is_marked_with_its_place_in_the_reading_order():
    reading = listen.Listening(("name", "hours"))
    assert reading("hours") == Markup(' data-portal-listen="2"')
    assert listen.SILENT("hours") == ""
    with pytest.raises(KeyError, match="summary"):
        reading("summary")  # a template marking a part its page does not read: our mistake, not silence


def marks(page: str) -> list[tuple[int, str]]:
    """The marked elements of a page: their order and their tag with its class."""
    return [
        (int(order), tag + (f".{css}" if css else ""))
        for tag, css, order in re.findall(
            r'<(\w+)(?: id="[^"]*")?(?: class="([^"]*)")?[^>]*? data-portal-listen="(\d+)"', page
        )
    ]


@pytest.fixture(scope="module")
def directory():
    return load_directory(DEMO)


def test_a_service_page_marks_what_it_reads_in_order(directory):
    page = render_one(context(directory, "fr"), service_page, SERVICE)
    assert "portal_listen: true" in page.split("---\n")[1]
    found = marks(page)
    orders = [order for order, _ in found]
    parts = [listen.SERVICE[order - 1] for order in sorted(set(orders))]
    # name, what it is, when, where, phones, what it offers, what to bring (no notice on that day, no conditions)
    assert parts == [
        "name",
        "summary",
        "new_patients",
        "hours",
        "place",
        "phones",
        "description",
        "facts",
        "documents",
    ]
    assert found[0] == (1, "h1")
    # the page shows where before when; it is read when before where
    assert orders.index(listen.SERVICE.index("place") + 1) < orders.index(listen.SERVICE.index("hours") + 1)
    assert 'data-portal-say="0 1, 99, 0 0, 19, 50"' in page
    # the buttons, once, hidden until the script finds a voice
    assert page.count("data-portal-listen-tools") == 1
    assert re.search(r"<div class=\"portal-listen\"[^>]*\bhidden>", page)


def test_pages_that_do_not_read_aloud_have_no_marks_nor_buttons(demo_pages):
    pages = demo_pages["fr"]
    for path in ("index.md", "carte/index.md", "categories/msp.md", "calendrier/index.md"):
        assert "data-portal-listen" not in pages[path], path
        assert "portal_listen" not in pages[path].split("---\n")[1], path
    offering = [path for path, text in pages.items() if "data-portal-listen-tools" in text]
    kinds = {path.split("/")[0] for path in offering}
    assert kinds == {"services", "permanences", "dispositifs", "parcours"}
    assert all("portal_listen: true" in pages[path] for path in offering)


def test_a_guide_is_read_whole_with_the_buttons_under_its_title():
    html = '<h1 id="x">Ma carte Vitale</h1>\n<p>Texte.</p>'
    read = listen.guide_html(html, Markup("<div data-portal-listen-tools hidden></div>"))
    assert read.startswith(
        '<div data-portal-listen="1">\n<h1 id="x">Ma carte Vitale</h1>\n<div data-portal-listen-tools'
    )
    assert read.endswith("<p>Texte.</p>\n</div>")


def test_the_script_stays_small():
    size = len(gzip.compress(SCRIPT.read_bytes(), 9))
    assert size <= 3072, f"portal-listen.js is {size} bytes gzipped: keep it under 3 KB"


@pytest.mark.build
def test_only_the_pages_that_read_aloud_load_the_script(demo_site):
    def loads(path: str) -> bool:
        return "portal-listen.js" in (demo_site / path / "index.html").read_text(encoding="utf-8")

    for path in (
        f"fr/services/{SERVICE}",
        "ar/dispositifs/ame",
        "fr/parcours/arrivee-en-france",
        "ar/guides/carte-vitale-ameli",
    ):
        assert loads(path), path
    page = (demo_site / f"fr/services/{SERVICE}/index.html").read_text(encoding="utf-8")
    found(r'<script src="[^"]*portal-listen\.js" defer></script>', page)
    for path in ("fr", "fr/carte", "fr/guides", "ar/categories/msp"):
        assert not loads(path), path
    # a guide standing in French: the buttons say the reader's language, the guide is French
    guide = (demo_site / "uk/guides/carte-vitale-ameli/index.html").read_text(encoding="utf-8")
    tools = found(r'<div lang="(\w+)" dir="ltr"><div class="portal-listen"', guide)
    assert tools.group(1) == "uk"


# --- in the browser -----------------------------------------------------------------

#: The speech API as the tests see it: `window.__speech` says what was asked and ends utterances.
STUB = """
(function (voices, arriving) {
  var spoken = [], current = null, listeners = [];
  var synth = {
    speaking: false, paused: false, pending: false,
    getVoices: function () { return arriving ? [] : voices.slice(); },
    speak: function (u) {
      spoken.push({text: u.text, lang: u.lang, voice: u.voice ? u.voice.lang : null});
      current = u; this.speaking = true;
    },
    cancel: function () {
      var u = current; current = null; this.speaking = false;
      if (u && u.onerror) u.onerror({error: "interrupted"});
    },
    pause: function () {}, resume: function () {},
    addEventListener: function (type, f) { if (type === "voiceschanged") listeners.push(f); },
    removeEventListener: function () {}
  };
  function Utterance(text) { this.text = text; this.lang = ""; this.voice = null; }
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = Utterance;
  window.__speech = {
    spoken: spoken,
    current: function () { return current ? current.text : null; },
    finish: function () {
      var u = current; current = null; synth.speaking = false;
      if (u && u.onend) u.onend({});
    },
    finishAll: function () { for (var n = 0; current && n < 2000; n++) this.finish(); },
    arrive: function () { arriving = false; listeners.forEach(function (f) { f(); }); }
  };
})(%s, %s);
"""


def voice(lang: str, *, local: bool = True, default: bool = False) -> dict[str, object]:
    return {"name": f"voice {lang}", "lang": lang, "voiceURI": lang, "localService": local, "default": default}


FRENCH_AND_ARABIC = [voice("en-US", default=True), voice("fr-CA"), voice("fr-FR"), voice("ar-SA")]


@contextlib.contextmanager
def speech(driver, voices: list[dict[str, object]], arriving: bool = False) -> Iterator[None]:
    """Pages opened meanwhile get the stand-in speech API, with these voices (`arriving`: later)."""
    source = STUB % (json.dumps(voices), json.dumps(arriving))
    added = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]})


def tools(driver):
    from selenium.webdriver.common.by import By

    def find(what: str):
        return driver.find_element(By.CSS_SELECTOR, f"[data-portal-listen-{what}]")

    return find("tools"), find("start"), find("pause"), find("stop")


def status(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, "[data-portal-listen-tools] [role=status]").text


def spoken(driver) -> list[dict[str, str]]:
    return driver.execute_script("return window.__speech.spoken")


def read_all(driver) -> list[dict[str, str]]:
    """Everything the page says from « Écouter » to its end."""
    box, start, _pause, _stop = tools(driver)
    wait_for(driver, box.is_displayed, message="the Listen buttons never showed")
    start.click()
    driver.execute_script("window.__speech.finishAll()")
    return spoken(driver)


@pytest.mark.build
@pytest.mark.browser
def test_a_service_page_is_read_in_french(browser, server, demo_directory):
    loc = Localizer("fr")
    service = demo_directory.services[SERVICE]
    with speech(browser, FRENCH_AND_ARABIC):
        browser.get(f"{server}/fr/services/{SERVICE}/")
        said = read_all(browser)
    texts = [s["text"] for s in said]
    assert texts[0] == loc.plain(service.name)
    assert texts[1] == loc.plain(service.summary)
    # this device's French voice of France (not fr-CA), its language said too (Chrome on Android goes by it)
    assert {(s["lang"], s["voice"]) for s in said} == {("fr-FR", "fr-FR")}
    # when, where, phones in pairs, what to bring, in that order
    order = [
        texts.index("Horaires"),
        texts.index("Lundi à vendredi"),
        texts.index("8 h – 20 h"),
        texts.index("8 boulevard du Canal"),
        texts.index("0 1, 99, 0 0, 19, 50"),
        texts.index("Secrétariat"),
        texts.index("À apporter"),
        texts.index("Carte Vitale ou attestation de droits"),
    ]
    assert order == sorted(order)
    # what is not read: the print tools, the map, the links to other places
    joined = " ".join(texts)
    for unread in ("Imprimer", "OpenStreetMap", "msp-redon@example.org", "Signaler"):
        assert unread not in joined
    assert status(browser) == "Fin de la lecture."


@pytest.mark.build
@pytest.mark.browser
def test_a_service_page_is_read_in_arabic_with_its_french_parts_in_french(browser, server):
    with speech(browser, FRENCH_AND_ARABIC):
        browser.get(f"{server}/ar/services/{SERVICE}/")
        said = read_all(browser)
    by_text = {s["text"]: s for s in said}
    assert said[0] == {"text": "دار الصحة في القناة", "lang": "ar-SA", "voice": "ar-SA"}
    assert by_text["من الاثنين إلى الجمعة"]["lang"] == "ar-SA"  # Monday to Friday
    assert by_text["08:00 – 20:00"]["lang"] == "ar-SA"
    # the phone number digit by digit, in the Arabic voice; the address is French, in the French voice
    assert by_text["0 1, 9 9, 0 0, 1 9, 5 0"]["lang"] == "ar-SA"
    assert by_text["8 boulevard du Canal"]["lang"] == "fr-FR"
    # the description exists only in French: read in French, then the note that says so, in Arabic
    french = [s["text"] for s in said if s["lang"] == "fr-FR"]
    assert any(text.startswith("La maison de santé réunit") for text in french)
    assert by_text["هذه المعلومات متوفرة باللغة الفرنسية فقط."]["lang"] == "ar-SA"
    assert {(s["lang"], s["voice"]) for s in said} == {("ar-SA", "ar-SA"), ("fr-FR", "fr-FR")}
    assert status(browser) == "انتهت القراءة."


@pytest.mark.build
@pytest.mark.browser
def test_pause_resume_and_stop_by_keyboard_and_nothing_is_sent(server):
    from selenium.webdriver.common.keys import Keys

    driver = make_browser(log=True)
    try:
        with speech(driver, FRENCH_AND_ARABIC):
            driver.get(f"{server}/fr/services/{SERVICE}/")
            box, start, pause, stop = tools(driver)
            wait_for(driver, box.is_displayed, message="the Listen buttons never showed")
            requested(driver)  # what the page loaded: from here on, nothing more
            assert not pause.is_displayed() and not stop.is_displayed()

            def focused(element) -> bool:
                return driver.execute_script("return document.activeElement === arguments[0]", element)

            start.send_keys(Keys.ENTER)
            # « Écouter » gives way to Pause and Stop; the keyboard goes on from Pause
            assert not start.is_displayed() and pause.is_displayed() and stop.is_displayed()
            assert focused(pause) and pause.get_attribute("aria-pressed") == "false"
            assert status(driver) == "Lecture de la page en cours."
            driver.execute_script("window.__speech.finish(); window.__speech.finish();")
            third = driver.execute_script("return window.__speech.current()")
            assert len(spoken(driver)) == 3

            pause.send_keys(Keys.SPACE)
            assert pause.get_attribute("aria-pressed") == "true" and status(driver) == "Lecture en pause."
            assert driver.execute_script("return window.__speech.current()") is None  # silent
            pause.send_keys(Keys.SPACE)
            # resumed from the sentence it stopped in
            assert pause.get_attribute("aria-pressed") == "false" and status(driver) == "Lecture de la page en cours."
            assert [s["text"] for s in spoken(driver)][-2:] == [third, third]

            driver.switch_to.active_element.send_keys(Keys.TAB)
            assert focused(stop)
            stop.send_keys(Keys.ENTER)
            assert status(driver) == "Lecture arrêtée."
            assert start.is_displayed() and not pause.is_displayed() and focused(start)
            assert driver.execute_script("return window.__speech.current()") is None
            count = len(spoken(driver))
            driver.execute_script("window.__speech.finish()")
            assert len(spoken(driver)) == count  # stopped means stopped

            # Escape stops too
            start.send_keys(Keys.ENTER)
            driver.switch_to.active_element.send_keys(Keys.ESCAPE)
            assert status(driver) == "Lecture arrêtée." and focused(start)
            assert requested(driver) == []
    finally:
        driver.quit()


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize(
    "voices",
    [
        [],  # no voice at all (Chromium on a server, Firefox without speech-dispatcher)
        [voice("en-US", default=True), voice("ar-SA")],  # none for French
        [voice("fr-FR", local=False)],  # only a voice on the network: the text would leave the device
    ],
    ids=["none", "other languages", "network only"],
)
def test_without_a_voice_of_its_own_for_the_language_nothing_is_offered(browser, server, voices):
    with speech(browser, voices):
        browser.get(f"{server}/fr/services/{SERVICE}/")
        box = tools(browser)[0]
        wait_for(browser, lambda: browser.execute_script("return document.readyState") == "complete")
        assert not box.is_displayed()
        assert box.get_attribute("hidden") is not None


@pytest.mark.build
@pytest.mark.browser
def test_voices_that_arrive_late_reveal_the_buttons(browser, server):
    with speech(browser, FRENCH_AND_ARABIC, arriving=True):
        browser.get(f"{server}/ar/services/{SERVICE}/")
        wait_for(browser, lambda: browser.execute_script("return document.readyState") == "complete")
        box = tools(browser)[0]
        assert not box.is_displayed()
        browser.execute_script("window.__speech.arrive()")  # the `voiceschanged` event
        assert box.is_displayed()


@pytest.mark.build
@pytest.mark.browser
def test_french_text_without_a_french_voice_is_said_to_be_unread(browser, server):
    with speech(browser, [voice("ar-SA", default=True)]):
        browser.get(f"{server}/ar/services/{SERVICE}/")
        said = read_all(browser)
    assert {s["lang"] for s in said} == {"ar-SA"}
    note = "نص بالفرنسية لا تتم قراءته: لا يوجد في هذا الجهاز صوت فرنسي."
    texts = [s["text"] for s in said]
    assert note in texts and "8 boulevard du Canal" not in texts
    # once for each run of French text, not once per sentence
    assert all(not (a == b == note) for a, b in itertools.pairwise(texts))


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        f"fr/services/{SERVICE}/",
        f"ar/services/{SERVICE}/",
        "ar/permanences/assurance-maladie-allaire/",
        "fr/dispositifs/ame/",
        "ar/parcours/arrivee-en-france/",
        "fr/parcours/arrivee-en-france/demander-l-ame/",
        "ar/guides/carte-vitale-ameli/",
        "uk/guides/carte-vitale-ameli/",
    ],
)
def test_axe_finds_nothing_with_the_buttons_shown_and_reading(browser, server, path):
    from generator.quality.accessibility import _RUN, AXE, TAGS

    with speech(browser, [*FRENCH_AND_ARABIC, voice("uk-UA")]):
        browser.get(f"{server}/{path}")
        box, start, _pause, _stop = tools(browser)
        wait_for(browser, box.is_displayed, message="the Listen buttons never showed")
        start.click()  # Pause and Stop shown, the status said
        assert browser.execute_script("return window.__speech.spoken.length") > 0
        browser.execute_script(AXE.read_text(encoding="utf-8"))
        violations = browser.execute_async_script(_RUN, TAGS, [])
    assert violations == [], violations


@pytest.mark.build
@pytest.mark.browser
def test_the_buttons_are_not_printed(browser, server):
    with speech(browser, FRENCH_AND_ARABIC):
        browser.get(f"{server}/fr/services/{SERVICE}/")
        box = tools(browser)[0]
        wait_for(browser, box.is_displayed, message="the Listen buttons never showed")
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            assert not box.is_displayed()
        finally:
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def screenshots(server: str, folder: Path) -> list[Path]:
    """The top of a service page at phone width in French and Arabic, with the buttons shown."""
    shots = []
    driver = make_browser()
    try:
        driver.set_window_size(360, 800)
        with speech(driver, FRENCH_AND_ARABIC):
            for language in ("fr", "ar"):
                driver.get(f"{server}/{language}/services/{SERVICE}/")
                box = tools(driver)[0]
                wait_for(driver, box.is_displayed, message="the Listen buttons never showed")
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
                shots.append(folder / f"listen-{language}.png")
                driver.save_screenshot(str(shots[-1]))
    finally:
        driver.quit()
    return shots


@pytest.mark.build
@pytest.mark.browser
def test_the_buttons_fit_a_phone_screen(server, tmp_path):
    from selenium.webdriver.common.by import By

    for shot in screenshots(server, tmp_path):
        assert shot.stat().st_size > 0
    driver = make_browser()
    try:
        driver.set_window_size(320, 700)
        with speech(driver, FRENCH_AND_ARABIC):
            for language in ("fr", "ar"):
                driver.get(f"{server}/{language}/services/{SERVICE}/")
                box, start, _pause, _stop = tools(driver)
                wait_for(driver, box.is_displayed, message="the Listen buttons never showed")
                start.click()
                for button in driver.find_elements(By.CSS_SELECTOR, "[data-portal-listen-tools] button"):
                    if button.is_displayed():
                        size = button.size
                        assert size["height"] >= 44 and size["width"] >= 44, size
                page_width = driver.execute_script("return document.documentElement.scrollWidth")
                assert page_width <= 320
    finally:
        driver.quit()
