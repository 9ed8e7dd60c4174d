"""One site per language: lang/dir, honest fallback, switcher links, search, catalogs."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator import i18n, routes
from generator.config import load_config
from generator.i18n.coverage import _texts as coverage_texts
from generator.i18n.coverage import report_translations
from generator.problems import Report
from generator.records.types import LocalizedText
from generator.render import Localizer
from generator.site.build import prepare_language, render_context

from helpers import DEMO_LANGUAGES, MINIMAL, ROOT, body, check, context, demo_config, load_directory, render_one

LANGUAGES = DEMO_LANGUAGES
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class LanguageOfText(HTMLParser):
    """Collects each text of a page with the language its element (or an ancestor) declares."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, str]] = []  # (tag, lang, dir)
        self.texts: list[tuple[str, str, str]] = []  # (text, lang, dir)
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        lang = attributes.get("lang") or (self.stack[-1][1] if self.stack else "")
        direction = attributes.get("dir") or (self.stack[-1][2] if self.stack else "")
        self.stack.append((tag, lang, direction))
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        while self.stack:
            top = self.stack.pop()
            if top[0] in ("script", "style"):
                self.skip -= 1
            if top[0] == tag:
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skip and self.stack:
            self.texts.append((text, self.stack[-1][1], self.stack[-1][2]))


def texts_of(page: Path) -> list[tuple[str, str, str]]:
    parser = LanguageOfText()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.texts


def test_the_demo_has_the_languages_of_the_issue():
    config = load_config(ROOT / "mkdocs.yml", Report())
    assert config is not None and config.languages == LANGUAGES


@pytest.mark.build
def test_each_language_has_its_own_site_with_its_lang_and_direction(demo_site):
    site = demo_site
    for language in LANGUAGES:
        page = (site / language / "services" / "msp-redon" / "index.html").read_text(encoding="utf-8")
        expected = "rtl" if language in ("ar", "fa-AF", "ps") else "ltr"
        assert f'<html lang="{language}" dir="{expected}"' in page
        assert f'<body dir="{expected}"' in page


@pytest.mark.build
def test_root_page_offers_every_language_named_in_itself(demo_site_fr):
    # the root page is the same whichever languages a build makes (test_reproducible.py)
    root = (demo_site_fr / "index.html").read_text(encoding="utf-8")
    for language in LANGUAGES:
        assert f'href="{language}/" lang="{language}"' in root
    for name in ("Français", "English", "العربية", "Українська", "Русский", "پښتو", "ትግርኛ"):
        assert name in root


@pytest.mark.build
def test_every_page_links_to_the_same_page_in_every_language(demo_site):
    site = demo_site
    link = re.compile(r'<(?:link rel="alternate"|a) href="([^"]+)" hreflang="([^"]+)"')
    checked = 0
    for language in LANGUAGES:
        for page in (site / language).rglob("*.html"):
            relative = page.relative_to(site / language).as_posix()
            if relative == "404.html":
                continue  # served at any address: no relative links to other languages
            found = {hreflang: href for href, hreflang in link.findall(page.read_text(encoding="utf-8"))}
            assert set(found) == set(LANGUAGES), page
            for other, href in found.items():
                target = posixpath.normpath(posixpath.join(posixpath.dirname(f"{language}/{relative}"), href))
                path = site / target / "index.html" if href.endswith("/") else site / target
                assert path.is_file(), (page, href)
                assert path.relative_to(site / other).as_posix() == relative, (page, href)
            checked += 1
    assert checked > 600


@pytest.mark.build
def test_untranslated_record_text_is_french_and_says_so(demo_site, demo_directory):
    site = demo_site
    service = demo_directory.services["msp-redon"]
    description = " ".join(service.description.source.split())[:40]
    name = {lang: service.name.get(lang)[0] for lang in ("en", "ar")}
    for language in ("en", "ar"):
        page = site / language / "services" / "msp-redon" / "index.html"
        texts = texts_of(page)
        french = [(lang, d) for text, lang, d in texts if description in text]
        assert french and all(lang == "fr" and d == "ltr" for lang, d in french), french
        assert any(name[language] in text and lang == language for text, lang, _ in texts)
        html = page.read_text(encoding="utf-8")
        assert 'class="portal-fallback-page"' in html  # the page says part of it is in French


def test_french_pages_claim_nothing_else(demo_pages):
    rendered = demo_pages["fr"]
    assert not any("lang=" in text for text in rendered.values())


def test_interface_strings_missing_from_a_catalog_are_shown_in_french(monkeypatch):
    monkeypatch.setattr(i18n, "translated_ids", lambda language: frozenset())
    loc = Localizer("uk")
    text, in_french = loc.counting_fallbacks(lambda: loc.gettext("Opening hours"))
    assert str(text) == '<span lang="fr" dir="ltr">Horaires</span>'
    assert in_french == 1
    assert str(loc.text(LocalizedText({"fr": "Bonjour", "uk": "Привіт"}))) == "Привіт"
    assert str(loc.text(LocalizedText({"fr": "Bonjour"}))) == '<span lang="fr" dir="ltr">Bonjour</span>'


@pytest.mark.build
def test_a_missing_hand_written_page_is_the_french_one_marked_as_such(demo_site):
    site = demo_site
    # content/uk/ has no a-propos.md: the Ukrainian site shows the French page, marked.
    assert not (ROOT / "content" / "uk" / "a-propos.md").exists()
    page = site / "uk" / "a-propos" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert (
        re.search(r'<div (dir="ltr" lang="fr"|lang="fr" dir="ltr")>', html) and 'class="portal-fallback-page"' in html
    )
    about = [(lang, d) for text, lang, d in texts_of(page) if "Un site de démonstration" in text]
    assert about and all(lang == "fr" for lang, _ in about)
    # the navigation names it in French, marked too
    assert '<span lang="fr" dir="ltr">À propos de ce portail</span>' in html
    # English has its own page
    assert "About this portal" in (site / "en" / "a-propos" / "index.html").read_text(encoding="utf-8")


@pytest.mark.build
def test_each_language_has_its_own_search_index_and_no_theme_search(tmp_path, demo_site):
    report = Report()
    config = load_config(ROOT / "mkdocs.yml", report)
    assert config is not None
    directory = load_directory(MINIMAL)
    for language in ("fr", "ar", "fa-AF"):
        path = prepare_language(config, directory, language, tmp_path / "work", tmp_path / "site")
        child = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not [p for p in child["plugins"] if p == "search" or (isinstance(p, dict) and "search" in p)]
        assert child["theme"]["language"] == language.split("-")[0]
        assert child["theme"]["direction"] == i18n.direction(language)
    for language in LANGUAGES:
        entry = json.loads((demo_site / language / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [language.split("-")[0]]
        assert entry["languages"][language.split("-")[0]]["page_count"] > 150
        assert not (demo_site / language / "search").exists()  # the theme's lunr index is gone


def test_check_reports_missing_translations_per_language(minimal):
    records, report = check(minimal)
    assert records is not None
    report_translations(records, ("fr", "en"), report)
    [summary] = [p for p in report.warnings if p.path == minimal]
    assert summary.message.startswith("en (anglais) : ") and "description: 4" in summary.message
    detailed = Report()
    report_translations(records, ("fr", "en"), detailed, detailed=True)
    lines = {(p.path.name, p.line) for p in detailed.warnings if p.path != i18n.catalog_path("en")}
    assert ("msp-villebourg.yml", 4) in lines  # its description has no English
    assert ("msp-villebourg.yml", 1) not in lines  # its name has


def test_translations_to_review_are_recalled_at_their_line(minimal):
    """Machine-assisted translations are marked in territory.yml until a native speaker reviews them."""
    territory = minimal / "territory.yml"
    lines = territory.read_text(encoding="utf-8").rstrip("\n").split("\n")
    territory.write_text(
        "\n".join([*lines, "translations_to_review:", "  en: à relire", "  uk: à relire aussi", ""]),
        encoding="utf-8",
    )
    records, report = check(minimal)
    assert records is not None, [p.format() for p in report.errors]
    report_translations(records, ("fr", "en"), report)
    [reminder] = [p for p in report.warnings if p.path == territory]
    assert reminder.line == len(lines) + 2
    assert reminder.message == (
        "en (anglais) : les traductions des fiches sont à relire par une personne dont c'est la langue : à relire"
    )
    # uk is not a language of this site: nothing to recall until it is


def test_the_theme_search_plugin_is_reported_at_its_line(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\nplugins:\n  - search\n  - portal:\n      languages: [fr]\n", encoding="utf-8")
    report = Report()
    assert load_config(config, report) is not None  # a warning: the site still builds
    [warning] = report.warnings
    assert warning.line == 3 and "le plugin « search » du thème n'est pas utilisé" in warning.message


# --- what a page shows in French, it says: whatever was rendered before it ------------------


@pytest.mark.parametrize("language", ["uk", "ar"])
def test_listing_pages_say_when_they_show_french_whatever_came_before(demo_directory, demo_pages, language):
    """Cards are made once per language and shown on many pages: each page that shows a
    card's French text says so, as it would if it were the only page rendered."""
    from generator.render.pages.listings import category_page, commune_page
    from generator.render.pages.pathways import outcome_page
    from generator.render.pages.records import dispositif_page

    site = demo_pages[language]
    config = demo_config()

    def alone(make, *args) -> str:
        """A page rendered by itself, in a context that has rendered nothing else."""
        return render_one(render_context(config, demo_directory, language), make, *args)

    pages = [
        *(
            (routes.category(cid), category_page, cid)
            for cid in demo_directory.taxonomy.categories
            if demo_directory.has_category_page(cid)
        ),
        *(
            (routes.commune(demo_directory.commune_slugs[insee]), commune_page, insee)
            for insee in demo_directory.communes
        ),
        *((routes.dispositif(did), dispositif_page, did) for did in demo_directory.dispositifs),
        *(
            (routes.pathway_outcome(pid, oid, demo_directory.commune_slugs[insee]), outcome_page, pid, oid, insee)
            for pid, pathway in demo_directory.pathways.items()
            for oid, outcome in pathway.outcomes.items()
            if outcome.categories
            for insee in list(demo_directory.communes)[:3]
        ),
    ]
    noticed = 0
    for path, make, *args in pages:
        assert site[path] == alone(make, *args), path
        front_matter, html = site[path].split("\n---\n", 1)
        # the source of the facts is cited as written (French, marked so), not a missing translation
        html = re.sub(r'<p class="portal-checked">.*?</p>', "", html, flags=re.S)
        if '<span lang="fr"' in html:
            assert "\nportal_fallback: true\n" in front_matter, path
            noticed += 1
    assert noticed >= 10, noticed  # the demo's cards have French text on many of these pages


class TableOfContents(HTMLParser):
    """The texts of each table of contents entry and of each heading, with their language, by id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: list[tuple[str, str]] = []  # (tag, lang) of the open elements
        self.in_toc = 0  # depth inside the page's table of contents
        self.current: list[tuple[str, str]] | None = None  # the texts of the entry or heading being read
        self.closes: str | None = None
        self.entries: list[tuple[str, list[tuple[str, str]]]] = []  # the theme shows it twice on wide screens
        self.headings: dict[str, list[tuple[str, str]]] = {}

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        self.lang.append((tag, attributes.get("lang") or (self.lang[-1][1] if self.lang else "")))
        if tag == "nav" and "md-nav--secondary" in (attributes.get("class") or ""):
            self.in_toc = len(self.lang)
        elif tag == "a" and self.in_toc and (attributes.get("href") or "").startswith("#"):
            self.current, self.closes = [], "a"
            self.entries.append((attributes["href"][1:], self.current))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and attributes.get("id") and not self.in_toc:
            self.current, self.closes = self.headings.setdefault(attributes["id"], []), tag

    def handle_endtag(self, tag):
        while self.lang:
            top, _ = self.lang.pop()
            if top == tag:
                break
        if self.in_toc > len(self.lang):
            self.in_toc = 0
        if tag == self.closes:
            self.current = self.closes = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append((data, self.lang[-1][1]))


def _runs(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Texts joined as written while their language stays the same, blanks made single.

    An isolated fragment (`<bdi>CCAS</bdi>` in a right-to-left heading) is part of its run.
    """
    runs: list[tuple[str, str]] = []
    for text, lang in texts:
        if runs and runs[-1][1] == lang:
            runs[-1] = (runs[-1][0] + text, lang)
        else:
            runs.append((text, lang))
    return [(" ".join(text.split()), lang) for text, lang in runs if text.strip()]


@pytest.mark.build
@pytest.mark.parametrize("language", ["ar", "uk"])
def test_the_table_of_contents_says_each_heading_in_its_own_language(demo_site, language):
    site = demo_site
    """A heading in the page's language is in that language in the table of contents, and
    a French one in French: whether the page shows other text in French or not."""
    checked = fallback_pages = 0
    for page in sorted((site / language).rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        parser = TableOfContents()
        parser.feed(html)
        for ident, texts in parser.entries:
            assert _runs(texts) == _runs(parser.headings.get(ident, [])), (page, ident)
            checked += 1
        fallback_pages += bool(parser.entries) and 'class="portal-fallback-page"' in html
    assert checked > 1000 and fallback_pages > 50, (checked, fallback_pages)


def test_home_page_says_what_exists_in_each_language():
    from generator.i18n.coverage import offer
    from generator.render.pages.listings import home_page

    demo = load_directory(ROOT / "directory")
    found = offer(demo, "en", [])
    # a record counts when every one of its texts is in the language (its page shows no French)
    english = [d for d in demo.dispositifs.values() if all("en" in t.values for _, t in coverage_texts(d))]
    assert found.dispositifs.done == len(english) and found.dispositifs.total == len(demo.dispositifs)
    assert found.interface.complete
    ti = offer(demo, "ti", ["ti", "fr"])
    assert ti.guides.done == 1 and ti.guides.total == 2
    page = body(render_one(context(demo, "ps"), home_page))
    sentence = found_in(r'<p class="portal-offer">(.*?)</p>', page)
    assert sentence.startswith("په دې ژبه:") and "پاتې نور په فرانسوي دي" in sentence
    assert re.search(rf"ځایونه: \d+ له {len(demo.services)}،", sentence), sentence  # places: n of the total
    assert 'class="portal-offer"' not in body(render_one(context(demo, "fr"), home_page))


def test_theme_words_come_from_the_catalogs_where_the_theme_lacks_the_language():
    from generator.i18n.theme import THEME_STRINGS, theme_has

    assert theme_has("fa", "fa-AF") and theme_has("ar", "ar")
    assert not theme_has("en", "ps") and not theme_has("en", "ti")
    for language in ("ps", "ti"):
        assert set(THEME_STRINGS.values()) <= i18n.translated_ids(language)


def found_in(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.S)
    assert match, pattern
    return match.group(1)
