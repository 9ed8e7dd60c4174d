"""Easy-read (« Facile à lire ») and pictograms: the model, the readability
warning, the pages and their links, print, right to left, the remembered choice."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from generator import routes
from generator.records.models import Pictogram
from generator.records.readability import MAX_WORDS, hard_sentences, kandel_moles, syllables, words
from generator.render.pictograms import pictogram
from generator.render.views import pathway_node

from helpers import FIXTURES, MINIMAL, body, check, found, front_matter, print_pdf, visible_text, wait_for

EASY = FIXTURES / "easy-read"


def territory_with(tmp_path, *dispositifs):
    """The minimal territory, with these dispositif files of the easy-read fixtures added."""
    folder = tmp_path / "directory"
    shutil.copytree(MINIMAL, folder)
    for name in dispositifs:
        shutil.copy(EASY / name, folder / "dispositifs" / name)
    return folder


# --- the model ----------------------------------------------------------------------


def test_an_easy_read_step_names_a_known_pictogram_and_has_text(tmp_path):
    records, report = check(territory_with(tmp_path, "bad-icon.yml"))
    assert records is None
    messages = [p.format(tmp_path) for p in report.errors]
    icon = [m for m in messages if "icon" in m and "bad-icon.yml:14:" in m]
    assert icon and "'free'" in icon[0] and "'wheelchair'" in icon[0], messages
    assert any("bad-icon.yml:15:" in m and "text" in m for m in messages), messages


def test_easy_read_is_optional_and_read_as_translatable_steps(tmp_path):
    records, report = check(territory_with(tmp_path, "css.yml"))
    assert records is not None and not report.errors
    steps = records.dispositifs["css"].easy
    assert steps[0].icon is Pictogram.FREE and steps[0].text.values == {
        "fr": "Vous ne payez pas le médecin.",
        "en": "You do not pay the doctor.",
    }
    assert steps[1].icon is None and steps[1].text.values == {"fr": "Faites un test sur ameli.fr."}
    plain, _ = check(MINIMAL)
    assert plain is not None and plain.dispositifs["css"].easy == []


# --- the readability warning ----------------------------------------------------------


def test_check_warns_at_the_line_of_a_long_or_hard_easy_read_sentence(tmp_path):
    _, report = check(territory_with(tmp_path, "css.yml"))
    warnings = [p.format(tmp_path) for p in report.warnings if "facile à lire" in p.message]
    assert len(warnings) == 2, warnings
    hard, long = sorted(warnings)
    assert hard.startswith("directory/dispositifs/css.yml:22: avertissement : easy[3] :")
    assert "impérativement" in hard and "Kandel et Moles" in hard
    assert long.startswith("directory/dispositifs/css.yml:24: avertissement : easy[4] :")
    assert "22 mots, plus de 15" in long


def test_the_french_readability_rule():
    assert [syllables(w) for w in ("médecin", "gratuite", "payent", "1 000", "l'Assurance")] == [3, 2, 1, 1, 3]
    assert words("Faites un test sur ameli.fr, il coûte 1 000 euros.") == [
        "Faites",
        "un",
        "test",
        "sur",
        "ameli.fr",
        "il",
        "coûte",
        "1 000",
        "euros",
    ]
    assert kandel_moles("Vous ne payez rien chez le médecin.") > 90
    assert hard_sentences("Demandez la Complémentaire santé solidaire. Elle est gratuite.") == []
    long = " ".join(["mot"] * (MAX_WORDS + 1)) + "."
    assert [h.sentence for h in hard_sentences("Appelez le 15. " + long)] == [long]


def test_the_demo_easy_read_texts_follow_the_rule(demo_directory):
    for did, dispositif in demo_directory.dispositifs.items():
        for step in dispositif.easy:
            assert hard_sentences(step.text.source) == [], did
    for pid, pathway in demo_directory.pathways.items():
        for oid, outcome in pathway.outcomes.items():
            for step in outcome.easy:
                assert hard_sentences(step.text.source) == [], (pid, oid)


# --- the pages -----------------------------------------------------------------------


def easy_paths(directory):
    for did in directory.dispositifs:
        yield routes.dispositif(did), routes.easy_dispositif(did)
    for pid, pathway in directory.pathways.items():
        for oid in pathway.outcomes:
            yield routes.pathway_outcome(pid, oid), routes.easy_pathway_node(pid, oid)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_dispositif_and_outcome_has_its_easy_read_page_linked_first(demo_pages, demo_directory, language):
    pages = demo_pages[language]
    pairs = list(easy_paths(demo_directory))
    outcomes = sum(len(pathway.outcomes) for pathway in demo_directory.pathways.values())
    assert len(pairs) == len(demo_directory.dispositifs) + outcomes >= 10 + 57
    for full, easy in pairs:
        page = body(pages[full])
        link = found(r'<p class="portal-easy-link"[^>]*><a href="([^"]+)" data-portal-easy="on">', page)
        assert link.group(1) == "/" + easy, full
        # first thing: before the page's title
        assert link.start() < page.index("<h1"), full
        text = body(pages[easy])
        assert f'href="/{full}" data-portal-easy="off"' in text
        steps = found(r'<ol class="portal-easy">(.*?)</ol>', text, re.S).group(1)
        assert steps.count("<li>") >= 4, easy
        # written in the page's language, not a French stand-in
        assert 'lang="fr"' not in steps, easy
        assert "portal_fallback" not in pages[easy].split("---\n", 2)[1], easy


def test_a_page_without_easy_read_has_no_link(demo_pages, demo_directory):
    pathway = demo_directory.pathways["urgence"]
    page = body(demo_pages["fr"][pathway_node(demo_directory, "urgence", pathway.start)])
    assert "portal-easy-link" not in page
    assert not any(p.startswith("facile/parcours/urgence/" + pathway.start) for p in demo_pages["fr"])


def test_easy_read_pages_are_printable_sheets_left_out_of_the_search(demo_pages):
    page = demo_pages["fr"][routes.easy_dispositif("css")]
    assert front_matter(page)["search"] == {"exclude": True}
    assert 'class="portal-sheet-footer"' in page and "data-portal-print" in page
    assert "Version complète" in page and "Facile à lire" in page


# --- guides -------------------------------------------------------------------------

GUIDE = """---
title: Un guide
easy:
  - text: Vous ne payez rien.
    icon: free
  - text: Appelez le 3646.
    icon: fax
  - text: {long}
---

# Un guide
"""


def guide_folder(tmp_path, text, language="fr"):
    root = tmp_path / "content"
    for lang in dict.fromkeys(["fr", language]):
        (root / lang / "guides").mkdir(parents=True)
        (root / lang / "guides" / "un-guide.md").write_text(text, encoding="utf-8")
    return root


def test_a_guide_s_easy_read_front_matter_is_checked_at_its_lines(tmp_path):
    from generator.problems import Report
    from generator.site.content import check_content

    long = " ".join(["mot"] * (MAX_WORDS + 2)) + "."
    root = guide_folder(tmp_path, GUIDE.format(long=long))
    report = Report()
    check_content(root, ["fr"], report)
    errors = [p.format(tmp_path) for p in report.errors]
    warnings = [p.format(tmp_path) for p in report.warnings]
    # the icon's line in the file, counting the opening "---"
    assert len(errors) == 1 and "content/fr/guides/un-guide.md:7:" in errors[0] and "« fax »" in errors[0], errors
    assert "'free'" in errors[0], errors  # says what is expected
    # a front matter with a mistake is not read for warnings: fixed, the long sentence is warned at its line
    report = Report()
    check_content(guide_folder(tmp_path / "ok", GUIDE.format(long=long).replace("fax", "phone")), ["fr"], report)
    assert not report.errors
    assert [p.format(tmp_path / "ok") for p in report.warnings] == [
        f"content/fr/guides/un-guide.md:8: avertissement : easy[3] : phrase en facile à lire « {long} » : "
        + hard_sentences(long)[0].why
    ], warnings


def test_a_guide_s_front_matter_that_is_not_yaml_is_reported_at_its_line(tmp_path):
    from generator.problems import Report
    from generator.site.content import check_content

    report = Report()
    check_content(guide_folder(tmp_path, "---\neasy:\n  - text: [oups\n---\n\n# Un guide\n"), ["fr"], report)
    assert [p.line for p in report.errors] and report.errors[0].line in (3, 4), [p.format() for p in report.errors]
    report = Report()
    check_content(guide_folder(tmp_path / "list", "---\n- a\n- b\n---\n\n# Un guide\n"), ["fr"], report)
    assert ["content/fr/guides/un-guide.md:2:" in p.format(tmp_path / "list") for p in report.errors] == [True]


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_a_guide_s_easy_read_page_is_in_its_language_or_said_french(demo_pages, language):
    page = demo_pages[language][routes.easy_guide("medecin-traitant")]
    text = body(page)
    assert 'href="/guides/medecin-traitant.md" data-portal-easy="off"' in text
    steps = found(r'<ol class="portal-easy">(.*?)</ol>', text, re.S).group(1)
    assert steps.count("<li>") >= 5
    if language == "ar":  # the Arabic guide has no easy-read text: the French one, marked, and the page says so
        assert steps.count('lang="fr"') == steps.count("<li>") and "portal_fallback" in page.split("---\n", 2)[1]
        assert "Vous allez le voir en premier." in steps
    else:
        assert 'lang="fr"' not in steps or language == "fr"
        assert ("Vous allez le voir en premier." in steps) == (language == "fr")
    assert routes.easy_guide("index") not in demo_pages[language]


@pytest.mark.build
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_guide_links_to_its_easy_read_page_before_its_title(demo_site, language):
    page = (demo_site / language / "guides" / "medecin-traitant" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") :]
    link = found(r'<p class="portal-easy-link"[^>]*><a href="([^"]+)" data-portal-easy="on">', article)
    assert link.start() < article.index("<h1")
    target = (demo_site / language / "guides" / "medecin-traitant" / link.group(1) / "index.html").resolve()
    assert target == (demo_site / language / "facile" / "guides" / "medecin-traitant" / "index.html").resolve()
    assert target.is_file()
    # the link is not read aloud: it is outside the part « Écouter » reads
    assert article.index('data-portal-listen="1"') > link.end()


# --- pictograms ----------------------------------------------------------------------


def test_each_pictogram_is_a_small_single_colour_drawing_hidden_from_screen_readers():
    for name in Pictogram:
        svg = ET.fromstring(pictogram(name))
        assert svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"
        assert svg.get("viewBox") == "0 0 24 24" and svg.get("width") == "24"
        assert svg.get("stroke") == "currentColor" and svg.get("fill") == "none"
        colours = re.findall(r'(?:fill|stroke)="([^"]+)"', str(pictogram(name)))
        assert set(colours) <= {"none", "currentColor"}, name
        assert len(svg) >= 1 and "<title" not in str(pictogram(name))  # the word beside it is the name
    assert pictogram(None) == ""


def test_pictograms_stand_beside_their_words(demo_pages):
    pages = demo_pages["fr"]
    for path, page in pages.items():
        if not path.endswith(".md"):
            continue
        for match in re.finditer(r'<svg class="portal-picto"[^>]*>.*?</svg>', page):
            assert 'aria-hidden="true"' in match.group()
            after = visible_text(page[match.end() : match.end() + 400])
            assert after.strip(), (path, match.group()[:60])
    service = body(pages[routes.service("pass-trois-rivieres")])
    for name in ("address", "hours", "phone"):
        assert f'data-picto="{name}"' in service, name
    assert re.search(r'data-picto="(?:appointment|no-appointment)".*?</svg>Rendez-vous</dt>', service)
    easy = body(pages[routes.easy_pathway_node("urgence", "appeler-15")])
    assert re.search(r'data-picto="emergency".*?</svg><span>Appelez le 15 tout de suite\.</span>', easy)


# --- in a browser --------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.browser
def test_every_easy_read_page_prints_on_one_a4_page(browser, server, demo_site, demo_directory):
    paths = sorted(
        p.parent.relative_to(demo_site).as_posix()
        for language in ("fr", "en")
        for p in (demo_site / language / "facile").rglob("index.html")
    )
    guides = [p for p in paths if "/facile/guides/" in p]
    questions = sum(1 for p in demo_directory.pathways.values() for q in p.questions.values() if q.easy)
    assert len(paths) == 2 * (len(list(easy_paths(demo_directory))) + questions) + len(guides)
    assert len(guides) == 2 * 5
    long = []
    for path in paths:
        pdf = print_pdf(browser, f"{server}/{path}/")
        width, height = pdf[0].get_size()
        assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
        if len(pdf) != 1:
            long.append(path)
    assert long == []


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_easy_read_on_a_phone_keeps_its_layout_in_both_directions(browser, server, language):
    browser.set_window_size(360, 800)
    try:
        browser.get(f"{server}/{language}/facile/parcours/urgence/appeler-15/")
        layout = browser.execute_script(
            """
            const root = document.documentElement;
            const rows = [...document.querySelectorAll('ol.portal-easy > li')].map(li => {
              const icon = li.querySelector('svg.portal-picto'), text = li.querySelector(':scope > span');
              return icon && {icon: icon.getBoundingClientRect().toJSON(), text: text.getBoundingClientRect().toJSON()};
            }).filter(Boolean);
            return {dir: getComputedStyle(document.body).direction, wide: root.scrollWidth - root.clientWidth, rows};
            """
        )
    finally:
        browser.set_window_size(1280, 900)
    assert layout["wide"] <= 0
    assert layout["dir"] == ("rtl" if language == "ar" else "ltr")
    assert len(layout["rows"]) >= 5
    for row in layout["rows"]:
        icon, text = row["icon"], row["text"]
        assert icon["width"] >= 24 and icon["top"] < text["bottom"]  # on the same line, readable size
        if language == "ar":
            assert icon["left"] >= text["right"] - 1  # the drawing on the right of its words
        else:
            assert icon["right"] <= text["left"] + 1


@pytest.mark.build
@pytest.mark.browser
def test_the_choice_of_easy_read_is_remembered(browser, server):
    full = f"{server}/fr/dispositifs/css/"
    browser.get(full)
    browser.execute_script("localStorage.clear()")
    browser.get(full)
    browser.find_element("css selector", "a[data-portal-easy=on]").click()
    wait_for(browser, lambda: "/facile/dispositifs/css/" in browser.current_url, message="easy page not opened")
    # another page with an easy-read version opens in easy-read first
    browser.get(f"{server}/fr/dispositifs/ame/")
    wait_for(browser, lambda: "/facile/dispositifs/ame/" in browser.current_url, message="choice not remembered")
    browser.find_element("css selector", "a[data-portal-easy=off]").click()
    wait_for(browser, lambda: browser.current_url.endswith("/fr/dispositifs/ame/"), message="full page not opened")
    browser.get(full)
    assert browser.execute_script("return localStorage.getItem('portal-easy-read')") is None
    assert browser.current_url == full


@pytest.mark.build
def test_axe_checks_an_easy_read_page_in_every_language(demo_site):
    from generator.quality.accessibility import page_kinds

    for language in ("fr", "en", "ar"):
        kinds = {kind.name: kind for kind in page_kinds(demo_site, language)}
        assert kinds["easy-read"].path.startswith(f"{language}/facile/dispositifs/")
