"""Calendar pages and the dates a site keeps right between builds.

The expected dates below are worked out by hand from the demo records
(`directory/permanences/`), not by the engine, for a build on Tuesday
1 December 2026.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from generator.render import calendar

from helpers import DEMO, context, found, load_directory, render_pages, to_html, visible_text

BUILT = dt.date(2026, 12, 1)
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def directory():
    return load_directory(DEMO, BUILT)


@pytest.fixture(scope="module")
def pages(directory):
    return render_pages(directory, "fr", "Démo", demo=True)


def days_of(weeks: list[calendar.Week]) -> dict[str, list[str]]:
    """'mardi 8 décembre 2026' -> ['9 h – 12 h Permanence ...', ...]"""
    return {
        str(day.label): [f"{visible_text(str(e.time))} {visible_text(str(e.link.label))}" for e in day.entries]
        for week in weeks
        for day in week.days
    }


def test_territory_calendar_starts_with_this_week_then_next_week(directory):
    weeks = calendar.weeks(context(directory, "fr"), list(directory.permanences))
    assert [w.monday for w in weeks[:2]] == ["2026-11-30", "2026-12-07"]
    assert [str(w.relative) for w in weeks[:2]] == ["Cette semaine", "La semaine prochaine"]
    assert all(str(w.relative) == "" for w in weeks[2:])
    # eight weeks ahead at most: 1 December + 56 days = 26 January
    assert weeks[-1].monday <= "2027-01-25"
    english = calendar.weeks(context(directory, "en"), list(directory.permanences))
    assert [str(w.relative) for w in english[:2]] == ["This week", "Next week"]


def test_the_right_next_sessions_on_1_december(directory):
    days = days_of(calendar.weeks(context(directory, "fr"), list(directory.permanences)))
    thin = "\u2009–\u2009"
    # Tu[1,3] at Plessé: today (1 December); 15 December is cancelled; then 5 and 19 January
    plesse = "Mission locale à Plessé"
    assert [d for d, entries in days.items() if any(plesse in e for e in entries)] == [
        "mardi 1 décembre 2026",
        "mardi 5 janvier 2027",
        "mardi 19 janvier 2027",
    ]
    # Tu[2] at Pipriac: 8 December; 12 January is cancelled
    assert f"9 h{thin}12 h Permanence de l'Assurance Maladie à Pipriac" in days["mardi 8 décembre 2026"]
    assert not any("Pipriac" in e for e in days.get("mardi 12 janvier 2027", []))
    # Mo[1] bus at Avessac: 7 December is cancelled, so 4 January
    avessac = [d for d, entries in days.items() if any("Bus santé à Avessac" in e for e in entries)]
    assert avessac == ["lundi 4 janvier 2027"]
    # Fr[-1] mutuelle: the last Friday of December is Christmas Day (PH off), January's is the 29th
    assert not any("Mutuelle" in e for entries in days.values() for e in entries)
    # Tu[-1] CSAPA: 29 December is cancelled; 26 January is the last Tuesday of January
    csapa = [d for d, entries in days.items() if any("CSAPA" in e for e in entries)]
    assert csapa == ["mardi 26 janvier 2027"]


def test_a_commune_calendar_has_only_the_sessions_for_that_commune(pages):
    text = visible_text(to_html(pages["calendrier/pipriac.md"].split("---\n", 2)[2]))
    assert "Permanence de l'Assurance Maladie à Pipriac" in text
    assert "Bus santé à Avessac" not in text
    assert "Permanences pour Pipriac" in text
    assert "Dates à jour au mardi 1 décembre 2026." in text


def test_each_entry_says_where_what_appointment_and_languages(pages):
    page = pages["calendrier/index.md"]
    entry = found(r'<li class="portal-session".*?</li>', page, re.S).group()
    text = visible_text(to_html(entry))
    # the first session of the territory: the Mission locale at Plessé, today
    assert "Mairie de Plessé – salle des permanences, Plessé" in text  # where
    assert "Mission locale (16-25 ans)" in text  # what for
    assert "Rendez-vous conseillé" in text and "Langues : français" in text


def test_entries_carry_the_end_of_their_session_for_the_page_script(pages):
    page = pages["calendrier/index.md"]
    first = found(r'data-end="(\d+)"', page).group(1)
    # Plessé, Tuesday 1 December 2026, 09:30-12:00 in Paris
    assert dt.datetime.fromtimestamp(int(first), PARIS) == dt.datetime(2026, 12, 1, 12, tzinfo=PARIS)


def test_calendars_link_their_ics_file_and_every_commune_has_one(pages, directory):
    assert '<a href="/calendrier/index.ics">Ajouter à mon agenda (fichier .ics)</a>' in pages["calendrier/index.md"]
    for slug in directory.commune_slugs.values():
        assert f"calendrier/{slug}.md" in pages and f"calendrier/{slug}.ics" in pages
    assert 'href="/permanences/assurance-maladie-pipriac.ics"' in pages["permanences/assurance-maladie-pipriac.md"]


def test_an_ended_permanence_is_in_no_calendar(directory):
    ended = load_directory(DEMO, dt.date(2027, 7, 4))  # the Maison des ados sessions end on 3 July 2027
    weeks = calendar.weeks(context(ended, "fr"), list(ended.permanences))
    assert not any("Maison des ados" in e for entries in days_of(weeks).values() for e in entries)


def test_cards_show_the_usual_schedule_and_the_next_dates(pages):
    page = pages["permanences/index.md"]
    card = found(r"Permanence de l'Assurance Maladie à Pipriac.*?portal-card__next.*?</p>", page, re.S).group()
    text = visible_text(card)
    assert "2e mardi du mois, 9 h\u2009–\u200912 h (sauf jours fériés)" in text
    assert "Prochaine date\xa0: mardi 8 décembre 2026" in text


def test_service_pages_carry_their_openings_for_open_now(pages, directory):
    page = pages["services/msp-redon.md"]
    numbers = [int(n) for n in found(r'data-open="([\d ]+)"', page).group(1).split()]
    since = dt.datetime.fromtimestamp(numbers[0] * 60, PARIS)
    assert since == dt.datetime.combine(BUILT, dt.time(), PARIS)  # what the page knows starts today
    # the openings decode back to the engine's sessions
    sessions = directory.service_sessions("msp-redon", BUILT, BUILT + dt.timedelta(days=14))
    decoded, cursor = [], numbers[0] + numbers[1]
    for index in range(2, len(numbers), 2):
        decoded.append((cursor * 60, (cursor + numbers[index]) * 60))
        cursor += numbers[index] + (numbers[index + 1] if index + 1 < len(numbers) else 0)
    assert decoded == [(int(s.start.timestamp()), int(s.end.timestamp())) for s in sessions]


def test_notices_carry_the_end_of_their_last_day(pages):
    page = pages["services/msp-redon.md"]  # closed from 24 December to 2 January, announced from 1 December
    end = found(r'class="portal-notice[^"]*" role="note" data-end="(\d+)"', page).group(1)
    assert dt.datetime.fromtimestamp(int(end), PARIS) == dt.datetime(2027, 1, 3, tzinfo=PARIS)
