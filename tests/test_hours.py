"""Hours in words, in French, English and Arabic: CLDR day names and lists, catalog phrases."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from generator.render.hours import hours_view
from generator.render.localize import Localizer

from helpers import weekly_pattern

TODAY = dt.date(2026, 12, 1)
THIN = "\u2009"  # CLDR puts thin spaces around the dash of a time range


def words(rule: str, language: str, **options) -> tuple[list[tuple[str, str]], str, str]:
    view = hours_view(weekly_pattern(rule, TODAY), Localizer(language), **options)

    def plain(markup: object) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", str(markup)))

    return [(plain(r.days), plain(r.times)) for r in view.rows], plain(view.summary), plain(view.holidays)


def test_monthly_in_french():
    rows, summary, holidays = words("Tu[2] 09:00-12:00; PH off", "fr")
    assert summary == f"2e mardi du mois, 9 h{THIN}–{THIN}12 h (sauf jours fériés)"
    assert rows == [("2e mardi du mois", f"9 h{THIN}–{THIN}12 h")]
    assert holidays == "Fermé les jours fériés."
    assert words("Th[1,3] 14:00-16:30", "fr")[1] == f"1er et 3e jeudi du mois, 14 h{THIN}–{THIN}16 h 30"
    assert words("Fr[-1] 09:30-12:00", "fr")[1] == f"Dernier vendredi du mois, 9 h 30{THIN}–{THIN}12 h"


def test_weekly_with_lunch_break_in_french():
    rows, summary, _ = words("Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off", "fr", closed_days=True)
    assert rows == [
        ("Lundi à vendredi", f"8 h 30{THIN}–{THIN}12 h et 13 h 30{THIN}–{THIN}17 h"),
        ("Samedi", f"9 h{THIN}–{THIN}12 h"),
        ("Dimanche", "fermé"),
    ]
    assert summary == (
        f"Lundi à vendredi, 8 h 30{THIN}–{THIN}12 h et 13 h 30{THIN}–{THIN}17 h ; "
        f"Samedi, 9 h{THIN}–{THIN}12 h (sauf jours fériés)"
    )


def test_days_apart_are_listed_and_runs_are_ranges():
    rows, _, _ = words("Mo-We,Fr 09:00-12:00; Th 14:00-17:00", "fr")
    assert [days for days, _ in rows] == ["Lundi à mercredi et vendredi", "Jeudi"]
    # A later rule replaces a day's hours (OpenStreetMap's rule): Tuesday is afternoon only
    rows, _, _ = words("Mo-Fr 09:00-12:00; Tu,Th 14:00-17:00", "fr")
    assert [days for days, _ in rows] == ["Lundi, mercredi et vendredi", "Mardi et jeudi"]


def test_in_english():
    rows, summary, _holidays = words("Tu[2] 09:00-12:00; PH off", "en")
    assert summary == f"2nd Tuesday of the month, 09:00{THIN}–{THIN}12:00 (except public holidays)"
    rows, _, _ = words("Mo-Fr 08:30-12:00,13:30-17:00; PH off", "en", closed_days=True)
    assert rows == [
        ("Monday to Friday", f"08:30{THIN}–{THIN}12:00 and 13:30{THIN}–{THIN}17:00"),
        ("Saturday and Sunday", "closed"),
    ]
    assert words("Mo-Fr 09:00-12:00; PH 10:00-11:00", "en")[2] == f"On public holidays: 10:00{THIN}–{THIN}11:00."


def test_in_arabic():
    rows, summary, _holidays = words("Tu[2] 09:00-12:00; PH off", "ar")
    assert "الثلاثاء" in summary and "09:00" in summary and "12:00" in summary
    assert "lang=" not in str(hours_view(weekly_pattern("Tu[2] 09:00-12:00; PH off", TODAY), Localizer("ar")).summary)
    rows, _, _ = words("Mo-Fr 08:30-12:00; PH off", "ar", closed_days=True)
    days, times = rows[0]
    assert "الاثنين" in days and "الجمعة" in days
    assert times == "08:30 – 12:00"  # CLDR's Arabic interval has plain spaces


@pytest.mark.parametrize("language", ["fr", "en", "ar", "fa-AF", "uk", "ru"])
def test_every_language_says_hours_without_french_stand_ins(language):
    loc = Localizer(language)
    rule = weekly_pattern("Mo-Fr 08:30-12:00; Th[1,-1] 08:30-12:00,14:00-16:00; PH off", TODAY)
    _view, in_french = loc.counting_fallbacks(lambda: hours_view(rule, loc, closed_days=True))
    assert in_french == 0


@pytest.mark.parametrize(
    "rule, language, row",
    [
        ("Mo-Sa 17:00+; PH off", "fr", ("Lundi à samedi", "à partir de 17 h, fermeture variable")),
        ("Mo-Sa 17:00+; PH off", "en", ("Monday to Saturday", "from 17:00, closing time varies")),
        ("Mo-Sa 17:00+; PH off", "ar", None),
        (
            'Mo-Fr 10:00-20:00 unknown "Maybe"',
            "fr",
            ("Lundi à vendredi", f"10 h{THIN}–{THIN}20 h, ouverture incertaine : appelez avant (Maybe)"),
        ),
        ('Su "some 08:00-16:00"', "fr", ("Dimanche", "ouverture incertaine : appelez avant (some 08:00-16:00)")),
        (
            'Mo-Fr 09:00-12:00 "Sans rendez-vous"; PH off',
            "fr",
            ("Lundi à vendredi", f"9 h{THIN}–{THIN}12 h (Sans rendez-vous)"),
        ),
        (
            "Mo, Tu, We, Th, Fr, Su 11:00-01:00; Sa 11:00-02:00",
            "fr",
            ("Lundi à jeudi et dimanche", f"11 h{THIN}–{THIN}1 h"),
        ),
        (
            "Mo-Fr 08:30-12:00; 14:00-17:00; PH off",
            "fr",
            ("Lundi à vendredi", f"8 h 30{THIN}–{THIN}12 h et 14 h{THIN}–{THIN}17 h"),
        ),
    ],
)
def test_doubts_comments_and_nights_in_words(rule, language, row):
    rows, _, _ = words(rule, language, closed_days=True)
    if row is None:  # Arabic: the doubt is said, in Arabic, with the time
        assert any("وقت الإغلاق متغير" in times for _, times in rows), rows
    else:
        assert row in rows, rows


def test_a_comment_is_in_the_language_it_was_written_in():
    view = hours_view(weekly_pattern('Mo-Fr 09:00-12:00 "Sans rendez-vous"; PH off', TODAY), Localizer("en"))
    assert '<q lang="fr" dir="ltr">Sans rendez-vous</q>' in str(view.rows[0].times)
    hostile = hours_view(weekly_pattern('Mo 09:00-12:00 "<b>x</b>"', TODAY), Localizer("fr"))
    assert "&lt;b&gt;x&lt;/b&gt;" in str(hostile.rows[0].times)


@pytest.mark.parametrize(
    "rule, words",
    [
        # every other week: dates listed, the comment beside them
        ('week 01-53/2 Mo 10:00-12:00 "Entrée par la cour"; PH off', ["Entrée par la cour", "Prochaines ouvertures"]),
        ("sunrise-sunset; PH off", ["suivent le lever et le coucher du soleil", "Prochaines ouvertures"]),
        ('week 01-53/2 Mo 10:00-12:00 unknown "Appelez"', ["Certaines ouvertures sont incertaines", "Appelez"]),
        ('Mo-Fr 09:00-12:00 "Entrée par la cour"; PH off', ["Entrée par la cour", "Lundi à vendredi"]),
        ("Mo-Sa 17:00+; PH off", ["à partir de 17 h, fermeture variable"]),
    ],
)
def test_the_service_page_keeps_comments_and_doubts(minimal, rule, words):
    from helpers import load_directory, render_pages

    path = minimal / "services" / "cpam-villebourg.yml"
    path.write_text(path.read_text().replace('"Mo-Fr 09:00-12:00; PH off"', f"'{rule}'"))
    page = render_pages(load_directory(minimal), "fr", "Test", demo=False)["services/cpam-villebourg.md"]
    page = page.split("<script", 1)[0]  # what residents read, not the JSON-LD
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())
    for word in words:
        assert word in page


# --- every list of dates keeps comments and doubts; sun times at the place; midnight ---


def _permanence_with(minimal, schedule: str, extra: str = "") -> None:
    path = minimal / "permanences" / "cpam-le-hameau.yml"
    text = path.read_text().replace('schedule: "Tu[2] 09:00-12:00; PH off"', f"schedule: '{schedule}'")
    path.write_text(text.replace("cancelled: [2027-01-12]\n", extra))


def _readable(page: str) -> str:
    page = page.split("<script", 1)[0]  # what residents read, not the JSON-LD
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


@pytest.mark.parametrize(
    "language, words",
    [
        ("fr", ["Entrée par la cour", "ouverture incertaine : appelez avant", "Certaines ouvertures sont incertaines"]),
        ("en", ["Entrée par la cour", "may be open: call before you go", "Some openings are uncertain"]),
        ("ar", ["Entrée par la cour", "قد يكون مفتوحًا", "بعض مواعيد الفتح غير مؤكدة"]),
    ],
)
def test_the_permanence_page_and_card_keep_comments_and_doubts(minimal, language, words):
    from helpers import load_directory, render_pages

    # every other week: no words, the dates are listed one by one
    _permanence_with(minimal, 'week 01-53/2 Tu 09:00-12:00 "Entrée par la cour"; week 02-53/2 Tu 14:00-16:00 unknown')
    pages = render_pages(load_directory(minimal), language, "Test", demo=False)
    page = _readable(pages["permanences/cpam-le-hameau.md"])
    for word in words:
        assert word in page, word
    # the host's page lists the permanence on a card, with its next dates
    card = _readable(pages["services/cpam-villebourg.md"])
    assert "Entrée par la cour" in card


def test_calendars_say_comments_and_doubts(minimal):
    from generator.render import calendar

    from helpers import context, load_directory

    _permanence_with(minimal, 'Tu 09:00-12:00 "Entrée par la cour"; We 17:00+; Th 10:00-11:00 unknown; PH off')
    ctx = context(load_directory(minimal), "fr")
    times = [_readable(str(e.time)) for w in calendar.weeks(ctx, ["cpam-le-hameau"]) for d in w.days for e in d.entries]
    assert "9 h – 12 h (Entrée par la cour)" in times
    assert "à partir de 17 h, fermeture variable" in times
    assert "10 h – 11 h, ouverture incertaine : appelez avant" in times


def test_the_ics_description_says_comments_and_doubts(minimal):
    from generator import routes
    from generator.render.ical import ical_files

    from helpers import context, load_directory

    _permanence_with(minimal, 'Tu 09:00-12:00 "Entrée par la cour"; Th 10:00-11:00 unknown; PH off')
    files = ical_files(context(load_directory(minimal), "fr"))
    text = files[routes.permanence_calendar_file("cpam-le-hameau")].replace("\r\n ", "")
    assert "Entrée par la cour" in text
    assert "incertaines et ne figurent pas dans ce calendrier" in text


def test_the_campaign_message_keeps_comments_and_doubts(minimal):
    from generator.campaign import reading

    from helpers import context, load_directory

    _permanence_with(minimal, 'week 01-53/2 Tu 09:00-12:00 "Entrée par la cour"; week 02-53/2 Tu 14:00-16:00 unknown')
    ctx = context(load_directory(minimal), "fr")
    _, parts = reading._permanence(ctx, "cpam-le-hameau")
    lines = " ".join(line for part in parts for line in part.lines)
    assert "Entrée par la cour" in lines and "ouverture incertaine" in lines
    assert "Certaines ouvertures sont incertaines" in lines


def test_the_booklet_lists_dates_with_their_notes_when_words_cannot_say_them(minimal):
    from generator.render import booklet

    from helpers import context, load_directory

    path = minimal / "services" / "cpam-villebourg.yml"
    rule = 'week 01-53/2 Mo 10:00-12:00 "Entrée par la cour"; week 02-53/2 Mo 14:00-16:00 unknown; PH off'
    path.write_text(path.read_text().replace('"Mo-Fr 09:00-12:00; PH off"', f"'{rule}'"))
    directory = load_directory(minimal)
    ctx = context(directory, "fr")
    entry = booklet._service_entry(ctx, "cpam-villebourg")
    assert entry.hours is not None
    said = " ".join(_readable(str(row.times)) for row in entry.hours) + " " + " ".join(map(str, entry.notes or []))
    assert "Entrée par la cour" in said and "ouverture incertaine" in said
    assert "Certaines ouvertures sont incertaines" in said


def test_changed_hours_that_follow_the_sun_are_computed_at_the_place(minimal):
    from generator.render import views as v

    from helpers import context, load_directory

    path = minimal / "services" / "cpam-villebourg.yml"
    notice = (
        "notices:\n  - kind: changed_hours\n    start: 2026-11-23\n    end: 2026-11-24\n"
        '    message: Horaires d\'hiver\n    opening_hours: "Mo-Fr sunrise-sunset"\n'
    )
    path.write_text(path.read_text() + notice)
    directory = load_directory(minimal)
    ctx = context(directory, "fr")
    (view,) = v.notice_views(
        ctx, directory.services["cpam-villebourg"].notices, directory.place_of_service("cpam-villebourg")
    )
    dates = " ".join(_readable(str(d.text)) for d in view.dates)
    # at 47.6° N, 2° W on 23 November: sunrise near 8 h 25, sunset near 17 h 25; the library's
    # default would say 7 h – 19 h
    assert "7 h – 19 h" not in dates
    assert re.search(r"8 h \d\d – 17 h \d\d", dates), dates
    # and the sessions of the service, for "open now", follow the same sun
    (first, *_) = directory.service_sessions("cpam-villebourg", dt.date(2026, 11, 23), dt.date(2026, 11, 23))
    assert first.start.time() > dt.time(8, 0)


def test_the_cancelled_dates_check_computes_sun_times_at_the_place(minimal, monkeypatch):
    from generator.records import validate

    from helpers import check

    _permanence_with(minimal, "Tu sunrise-sunset; PH off", "cancelled: [2027-01-12]\n")
    seen = []
    original = validate.sessions  # type: ignore[attr-defined]  # the name validate looks up, to spy on

    def spy(*args, **kwargs):
        seen.append(kwargs["calendar"].coords)
        return original(*args, **kwargs)

    monkeypatch.setattr(validate, "sessions", spy)
    check(minimal)
    assert seen == [(47.551, -1.951)]


@pytest.mark.parametrize(
    "language, text",
    [("fr", "11 h – minuit"), ("en", "11:00 – midnight"), ("ar", "منتصف الليل"), ("ru", "полночь"), ("uk", "північ")],
)
def test_a_day_that_closes_at_midnight_says_midnight(language, text):
    view = hours_view(weekly_pattern("Mo-Sa 11:00-24:00; PH off", TODAY), Localizer(language))
    assert text in html.unescape(re.sub(r"<[^>]+>", "", str(view.rows[0].times))).replace("\u2009", " ")
    assert "0 h" not in str(view.rows[0].times) and "00:00" not in str(view.rows[0].times)


def test_midnight_from_cldr_when_a_catalog_has_no_word_for_it():
    loc = Localizer("en")
    loc._translated = frozenset()
    assert loc.time_range(dt.time(11), dt.time(0)).endswith("midnight")
