"""What the theme overrides show on every page, given as data in the work folder's mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.config import Edition, ProfessionalSettings, SiteSettings
from generator.i18n.theme import THEME_STRINGS
from generator.render.localize import Localizer
from generator.site.finish import menu_name
from generator.site.theme_data import theme_data

OVERRIDES = Path(__file__).resolve().parents[1] / "overrides"


def test_the_data_is_plain_yaml_that_any_engine_reads_back_as_it_was():
    site = SiteSettings(name="Santé", demo=True, edition=Edition.PRO, professional=ProfessionalSettings(access=""))
    data = theme_data(site, "ar", "ar", "Europe/Paris")
    assert yaml.safe_load(yaml.safe_dump({"portal": data}, allow_unicode=True)) == {"portal": data}
    assert data["language"] == "ar" and data["demo"] is True
    assert data["professional"]["french"] is False  # the catalog's sentence, in Arabic
    assert [e["number"] for e in data["emergency"]][:2] == ["15", "112"]
    assert data["footer"][0]["url"] == "accessibilite/"
    assert data["theme_strings"] == {}  # the theme has Arabic words of its own


def test_the_sentences_of_the_frame_are_in_the_language_of_the_build():
    texts = theme_data(SiteSettings(name="Santé"), "ti", "en", "Europe/Paris")["texts"]
    assert texts["emergency"] == str(Localizer("ti").gettext("Emergency:"))
    assert not any(text.isascii() for text in texts.values())  # no English left in a Tigrinya page


def test_the_territory_text_of_the_professionals_edition_is_said_to_be_french_on_other_pages():
    site = SiteSettings(name="Santé", edition=Edition.PRO, professional=ProfessionalSettings(access="Accès  réservé"))
    assert theme_data(site, "en", "en", "Europe/Paris")["professional"] == {"access": "Accès réservé", "french": True}
    assert theme_data(site, "fr", "fr", "Europe/Paris")["professional"] == {"access": "Accès réservé", "french": False}
    assert theme_data(SiteSettings(name="Santé"), "fr", "fr", "Europe/Paris")["professional"] is None


def test_the_menu_checkbox_of_a_language_the_theme_lacks_is_named_in_that_language():
    """Pashto: the theme has no words of its own; the menu says our catalog's word, and the
    checkbox that opens it on a phone now says the same (it said the theme's English)."""
    extra = {"portal": theme_data(SiteSettings(name="Santé"), "ps", "en", "Europe/Paris")}
    pashto = Localizer("ps").label(THEME_STRINGS["nav"])
    assert pashto != "Navigation"
    assert menu_name("en", OVERRIDES, extra) == pashto
    assert menu_name("en", OVERRIDES) == "Navigation"  # without the data: the theme's English
    assert menu_name("fr", OVERRIDES, {"portal": theme_data(SiteSettings(name="Santé"), "fr", "fr", "UTC")}) == (
        "Navigation"
    )
