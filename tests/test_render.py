"""Rendering: what each page kind shows, escaping, and dates relative to today."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from generator.records.types import LocalizedText
from generator.render import Localizer
from generator.render.markup import md_escape

from helpers import MINIMAL, TODAY, front_matter, load_directory, render_pages, to_html, visible_text


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "**gras** _souligné_ [lien](javascript:alert(1)) `code`",
        "# pas un titre",
        "1. pas une liste",
        "- pas une liste",
        "a | b | c",
        "{: .classe } !!! note",
        "&amp; &lt; déjà échappé",
        "+ plus",
        "> citation",
        "=== titre",
        ": définition",
        "!!! note",
        "2) deux",
        "100 % gratuit, l'accueil (rez-de-chaussée) : lundi",
        "https://example.org/a_b?c=d&e=f",
        "~~barré~~ ==marqué== ^^inséré^^ $x$",
    ],
)
def test_escaped_text_comes_out_of_markdown_as_the_same_text(text):
    rendered = to_html(f"{md_escape(text)}\n\n# {md_escape(text)}\n\n- {md_escape(text)}\n")
    assert rendered.count("<p>") == 1 and rendered.count("<h1") == 1 and rendered.count("<li>") == 1
    assert "<script" not in rendered and "<a " not in rendered and "<strong>" not in rendered
    assert "<em>" not in rendered and "<code>" not in rendered and "<blockquote>" not in rendered
    assert visible_text(rendered) == f"{text}\n{text}\n\n{text}\n"


def pages(day: dt.date = TODAY, directory=MINIMAL) -> dict[str, str]:
    return render_pages(load_directory(directory, day), "fr", "Portail de test", demo=True)


def test_service_page_shows_hours_contact_and_checked_date():
    page = to_html(pages()["services/msp-villebourg.md"].split("---\n", 2)[2])
    text = visible_text(page)
    assert "Lundi à vendredi8 h 30\u2009–\u200912 h et 13 h 30\u2009–\u200918 h" in text
    assert "Samedi et dimanchefermé" in text
    assert "Fermé les jours fériés." in text
    assert "Fermé le vendredi 25 décembre 2026 (jour férié)." in text
    assert 'href="tel:+33199000001"' in html.unescape(page)
    assert "01 99 00 00 01" in text
    assert "Informations vérifiées le jeudi 1 octobre 2026." in text
    assert "N'accepte pas de nouveaux patients" in text
    assert "Consultations" in text  # the '- ' lines of the description become a list
    assert "<li>Consultations</li>" in page


def test_temporary_notice_is_shown_only_while_it_applies():
    before = pages(dt.date(2026, 11, 30))["services/msp-villebourg.md"]
    announced = pages(dt.date(2026, 12, 1))["services/msp-villebourg.md"]
    during = pages(dt.date(2027, 1, 2))["services/msp-villebourg.md"]
    after = pages(dt.date(2027, 1, 3))["services/msp-villebourg.md"]
    assert "Fermeture temporaire" not in before
    assert "Fermeture temporaire" in announced and "Fermeture temporaire" in during
    assert "Fermeture temporaire" not in after


def test_permanence_page_lists_next_dates_without_cancelled_ones():
    text = visible_text(to_html(pages()["permanences/cpam-le-hameau.md"]))
    assert "mardi 8 décembre 2026, 9 h\u2009–\u200912 h" in text
    assert "Annulée le mardi 12 janvier 2027." in text
    # 12 January is cancelled: the next dates go from 8 December to 9 February... beyond 8 weeks
    assert "mardi 12 janvier 2027, 9 h" not in text
    assert "2e mardi du mois9 h\u2009–\u200912 h" in text  # the usual schedule, in words
    assert "Tenue par" in text and "Accueil Assurance Maladie de Villebourg" in text
    assert "Mairie du Hameau" in text


def test_dispositif_page_has_the_fixed_shape_and_who_helps():
    text = visible_text(to_html(pages()["dispositifs/css.md"]))
    for heading in (
        "Qu'est-ce que c'est",
        "Pour qui",
        "Comment faire",
        "Documents à préparer",
        "Où se faire aider près de chez moi",
        "Informations officielles",
    ):
        assert heading in text
    assert "Maison de santé de Villebourg" in text and "Accueil Assurance Maladie de Villebourg" in text
    assert "Permanence Assurance Maladie au Hameau" in text


def test_commune_page_lists_places_in_it_and_those_that_serve_it():
    rendered = pages()
    villebourg = visible_text(to_html(rendered["communes/villebourg.md"]))
    assert "Lieux à Villebourg" in villebourg and "Maison de santé de Villebourg" in villebourg
    essai = visible_text(to_html(rendered["communes/saint-essai.md"]))
    assert "Aucun lieu n'est encore indiqué dans cette commune." in essai
    assert "Lieux proches qui servent aussi Saint-Essai" in essai
    hameau = visible_text(to_html(rendered["communes/le-hameau.md"]))
    assert "mardi 8 décembre 2026" in hameau and "Permanence Assurance Maladie au Hameau" in hameau
    # the msp serves Villebourg and Saint-Essai only
    assert "Maison de santé de Villebourg" not in hameau


def test_category_and_index_pages():
    rendered = pages()
    assert "Maison de santé de Villebourg" in rendered["categories/msp.md"]
    home = visible_text(to_html(rendered["index.md"]))
    assert "Trouver un lieu près de chez vous" in home and "Numéros d'urgence" in home
    for number in ("15", "112", "114", "3114", "116 117"):
        assert number in home
    assert set(rendered) >= {
        "index.md",
        "categories/index.md",
        "communes/index.md",
        "dispositifs/index.md",
        "permanences/index.md",
    }


def test_every_record_has_a_page(demo_directory, demo_pages):
    rendered = demo_pages["fr"]
    for sid in demo_directory.services:
        assert f"services/{sid}.md" in rendered
    for pid in demo_directory.permanences:
        assert f"permanences/{pid}.md" in rendered
    for did in demo_directory.dispositifs:
        assert f"dispositifs/{did}.md" in rendered
    for slug in demo_directory.commune_slugs.values():
        assert f"communes/{slug}.md" in rendered


def test_front_matter_title_is_html_escaped():
    rendered = pages()["services/msp-villebourg.md"]
    assert rendered.startswith("---\n")
    assert front_matter(rendered)["title"] == "Maison de santé de Villebourg"


def test_text_in_another_language_is_marked_with_its_lang():
    loc = Localizer("fr")
    assert str(loc.text(LocalizedText({"fr": "Bonjour"}))) == "Bonjour"
    english = Localizer("en")
    assert str(english.text(LocalizedText({"fr": "Bonjour", "en": "Hello"}))) == "Hello"
    assert str(english.text(LocalizedText({"fr": "Bonjour"}))) == '<span lang="fr" dir="ltr">Bonjour</span>'


def test_commune_slugs_never_clash_with_index_pages_or_come_out_empty(minimal):
    path = minimal / "territory.yml"
    path.write_text(
        path.read_text().replace("name: Villebourg", "name: Index").replace("name: Saint-Essai", "name: سانت")
    )
    directory = load_directory(minimal)
    assert directory.commune_slugs["35001"] == "index-35001"
    assert directory.commune_slugs["35002"] == "35002"
    rendered = render_pages(directory, "fr", "Test", demo=False)
    assert "communes/index-35001.md" in rendered and "communes/35002.md" in rendered
    assert "Index" not in rendered["communes/index.md"].split("---", 2)[1]  # the list page keeps its title


def test_a_category_used_only_by_permanences_gets_its_page(minimal):
    path = minimal / "permanences" / "cpam-le-hameau.yml"
    path.write_text(path.read_text().replace("categories: [assurance-maladie]", "categories: [pass]"))
    rendered = render_pages(load_directory(minimal), "fr", "Test", demo=False)
    assert "Permanence Assurance Maladie au Hameau" in rendered["categories/pass.md"]
    assert "/categories/pass.md" in rendered["permanences/cpam-le-hameau.md"]


def test_a_closed_host_closes_the_permanences_it_hosts(minimal):
    (minimal / "permanences" / "ateliers.yml").write_text(
        "name: Atelier santé\nheld_by: {organization: Association}\nlocation: {service: msp-villebourg}\n"
        'description: Un atelier.\nschedule: "Tu 14:00-16:00; PH off"\nverified: 2026-11-01\nsource: Test\n'
    )
    directory = load_directory(minimal)
    days = [s.date for s in directory.upcoming_sessions["ateliers"]]
    # the maison de santé is closed from 24 December to 2 January
    assert dt.date(2026, 12, 22) in days and dt.date(2026, 12, 29) not in days and dt.date(2027, 1, 5) in days


def test_an_ended_permanence_keeps_its_page_but_leaves_the_lists(minimal):
    path = minimal / "permanences" / "cpam-le-hameau.yml"
    path.write_text(path.read_text().replace("cancelled: [2027-01-12]\n", "") + "valid_until: 2026-10-31\n")
    rendered = render_pages(load_directory(minimal), "fr", "Test", demo=False)
    page = visible_text(to_html(rendered["permanences/cpam-le-hameau.md"]))
    assert "Cette permanence s'est arrêtée le samedi 31 octobre 2026." in page
    assert "Chaque semaine" not in page and "mardi 8 décembre" not in page
    assert "cpam-le-hameau" not in rendered["communes/le-hameau.md"]
    assert "cpam-le-hameau" not in rendered["dispositifs/css.md"]
