"""« Comment y aller »: stops, lines and transport services on place and permanence pages, and
`check`'s warning about a place nothing reaches."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator.config import Edition
from generator.pipeline import load_project
from generator.records.directory import Directory
from generator.render.pages.records import permanence_page, service_page
from generator.transport.access import unreachable_places
from generator.transport.nearby import nearby_stops

from helpers import DEMO, ROOT, body, context, load_directory, render_one

TAD = "transport-a-la-demande-pays-de-redon"
SOLIDARITY = "transport-solidaire-guemene-penfao"

#: The section's heading, a word of its walking time and of a line, and a time of the demo's
#: shuttle (line N leaves Redon Centre de santé at 8:00 on weekdays), in each language.
EXPECTED = {
    "fr": ("Comment y aller", "minute", "Ligne N", "8 h"),
    "en": ("Getting there", "on foot", "Line N", "8:00"),
    "ar": ("كيف تصل إلى هنا", "سيرًا على الأقدام", "الخط", "8:00"),
}


def section(page: str) -> str:
    """The « Comment y aller » part of a page's HTML."""
    match = re.search(r'<div class="portal-getting-there">(.*?)\n</div>\n', body(page), re.S)
    assert match, "no « Comment y aller » section"
    return match.group(1)


@pytest.fixture(scope="module")
def demo() -> Directory:
    return load_directory(DEMO)


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_a_place_page_shows_the_stops_their_lines_and_times(demo, language):
    heading, walking, line, time = EXPECTED[language]
    text = section(render_one(context(demo, language), service_page, "centre-sante-redon"))
    assert heading in text
    assert walking in text and line in text and time in text
    # The stop's name is French data: marked so on the other languages' pages.
    stop = (
        "<strong>Redon Centre de santé</strong>"
        if language == "fr"
        else '<span lang="fr" dir="ltr">Redon Centre de santé</span>'
    )
    assert stop in text
    assert "openstreetmap.org/directions" in text  # the route planner is in the section
    # The nearest stop first, 67 m away: 1 minute at 4.5 km/h.
    assert text.index("Redon Centre de santé") < text.index("Redon Gare")


def test_the_times_are_per_direction_with_their_source_and_doubt(demo):
    text = section(render_one(context(demo, "fr"), service_page, "centre-sante-redon"))
    # Line 1 leaves Redon Gare every 2 hours each way: mixing both ways would say every hour.
    assert "Ligne 1, direction Pipriac Centre" in text
    assert (
        'Lundi à vendredi : 6 départs, le premier à <span class="portal-nowrap">7 h</span>, le dernier à <span class="portal-nowrap">17 h</span>, toutes les 2 heures environ.'
        in text
    )
    assert "Samedi : 2 départs" in text
    assert "Réseau de démonstration du Pays de Redon (fictif)" in text
    assert "valables du jeudi 1 janvier 2026 au vendredi 31 décembre 2027" in text
    assert "Horaires indicatifs : vérifiez auprès du transporteur avant de partir." in text
    assert text.count("<strong>") <= 3 + 1  # at most 3 stops (and no other bold text)


def test_a_permanence_page_uses_its_place(demo):
    # Held at a place of its own in Pipriac, near the stop "Pipriac Centre".
    text = section(render_one(context(demo, "ar"), permanence_page, "assurance-maladie-pipriac"))
    assert "Pipriac Centre" in text and "كيف تصل إلى هنا" in text
    # Held at France Services in Allaire: that service's coordinates, near "Allaire Mairie".
    text = section(render_one(context(demo, "fr"), permanence_page, "assurance-maladie-allaire"))
    assert "Allaire Mairie" in text and "Ligne 2" in text


def test_the_professionals_edition_shows_it_too(demo):
    ctx = context(demo, "fr", edition=Edition.PRO)
    assert "Redon Centre de santé" in section(render_one(ctx, service_page, "centre-sante-redon"))


def test_transport_services_are_listed_in_their_area_and_not_outside(demo):
    def listed(sid: str) -> str:
        return section(render_one(context(demo, "fr"), service_page, sid))

    redon = listed("centre-sante-redon")
    assert f'href="/services/{TAD}.md"' in redon and SOLIDARITY not in redon
    assert "01 99 00 64 00" in redon and "Réservez au plus tard la veille avant 16 h" in redon
    assert "Pour qui" in redon and "2 € le trajet" in redon
    guemene = listed("msp-guemene-penfao")
    assert f'href="/services/{SOLIDARITY}.md"' in guemene and TAD not in guemene
    assert "Appelez au moins 3 jours avant votre rendez-vous" in guemene
    # No stop within 800 m and no service: said plainly, the route planner kept.
    alone = listed("ccas-saint-jean-la-poterie")
    assert "Aucun arrêt de bus ou de car à moins de 800 m" in alone
    assert TAD not in alone and SOLIDARITY not in alone and "openstreetmap.org/directions" in alone
    # A transport service's own page does not list itself.
    assert f'href="/services/{TAD}.md"' not in listed(TAD)


def test_without_a_feed_nothing_is_said_about_stops(demo):
    from dataclasses import replace

    bare = replace(demo, feeds=(), stops_near={})
    text = section(render_one(context(bare, "fr"), service_page, "ccas-saint-jean-la-poterie"))
    assert "Aucun arrêt" not in text and "Horaires" not in text
    assert unreachable_places(bare) == []  # nobody knows where the stops are: no warning


def test_when_the_timetables_have_ended_the_page_says_so_not_that_no_stop_is_near():
    # The demo feed runs until 31 December 2027.
    ended = load_directory(DEMO, dt.date(2028, 1, 10))
    text = section(render_one(context(ended, "fr"), service_page, "centre-sante-redon"))
    assert "Les horaires que nous avons ont pris fin le vendredi 31 décembre 2027" in text
    assert "Aucun arrêt" not in text and "Ligne" not in text


def test_nearby_stops_split_a_line_by_direction(demo):
    [gare, *_] = nearby_stops(list(demo.feeds), 47.6518, -2.0848)
    line_1 = [t for t in gare.lines if t.route.id == "L1" and 0 in t.weekdays]
    assert [(t.towards, t.departures, t.interval) for t in line_1] == [("Pipriac Centre", 6, 120)]


def _warnings(folder: Path) -> list[str]:
    project = load_project(ROOT / "mkdocs.yml", directory=folder / "directory")
    assert not project.report.errors, [p.format() for p in project.report.errors]
    return [p.format() for p in project.report.warnings if "aucun arrêt des flux GTFS" in p.message]


def _copy_demo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "directory", tmp_path / "directory")
    return tmp_path


def test_check_warns_about_a_place_no_stop_and_no_transport_service_reaches(tmp_path):
    folder = _copy_demo(tmp_path)
    # The demo leaves Saint-Jean-la-Poterie unserved on purpose: one warning, at the latitude.
    [warning] = _warnings(folder)
    assert "/services/ccas-saint-jean-la-poterie.yml:31: avertissement : aucun arrêt des flux GTFS" in warning
    assert "ne dessert Saint-Jean-la-Poterie" in warning
    # A permanence at a place of its own is named at its location's latitude.
    tad = folder / "directory" / "services" / f"{TAD}.yml"
    tad.write_text(tad.read_text().replace('  - "35219" # Pipriac\n', ""))
    permanence = folder / "directory" / "permanences" / "assurance-maladie-pipriac.yml"
    permanence.write_text(permanence.read_text().replace("latitude: 47.8090", "latitude: 47.8390"))
    warnings = _warnings(folder)
    assert any("assurance-maladie-pipriac.yml:28: avertissement : " in w and "Pipriac" in w for w in warnings)
    # The transport on request serving the commune: no warning there any more.
    tad.write_text(
        tad.read_text()
        .replace('  - "56221"', '  - "56223"\n  - "56221"')
        .replace("service_area:\n", 'service_area:\n  - "35219"\n')
    )
    assert _warnings(folder) == []
