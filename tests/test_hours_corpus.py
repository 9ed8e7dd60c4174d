"""Real-world opening hours against the reference library: tests/data/hours-corpus.json.

Each value of the corpus (opening_hours.js' own test suite, OpenStreetMap wiki
examples, producers' values, the demo's) comes with the intervals that
opening_hours.js computes for it over eight weeks in France. For each value
`check` accepts, the words of the page (French, English, Arabic) are expanded
back into intervals and compared: what they state as open must be open, what
is open must be stated (as open, or with its doubt), what is uncertain must be
said with its doubt. Values without words are listed by date: those dates
must be openings, and every opening must be listed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from generator.records.schedule import (
    METROPOLE,
    OPEN,
    OPEN_END,
    expand,
    follows_sun,
    overnight,
    pattern,
    public_holidays,
    sessions,
)
from generator.records.types import _check_opening_hours
from generator.render.hours import hours_view, said
from generator.render.localize import Localizer

CORPUS = Path(__file__).parent / "data" / "hours-corpus.json"
LANGUAGES = ("fr", "en", "ar")
#: How far two computations of sunrise or sunset may differ.
SUN_MINUTES = 3
#: An open end leaves the closing time unknown: the doubt runs this long after it.
OPEN_END_DOUBT = 24 * 60


@cache
def corpus() -> dict:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


@dataclass
class Outcome:
    category: str  # "refused", "exact", "doubt", "dates", "reference error"
    problems: list[str]


def _minute(moment: dt.datetime, start: dt.datetime) -> int:
    return round((moment - start).total_seconds() / 60)


def _plain(markup: object) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(markup)))


def classify(item: dict) -> Outcome:
    data = corpus()
    value = item["value"]
    try:
        _check_opening_hours(value)
    except ValueError:
        return Outcome("refused", [])
    if item["reference"] != "ok":
        return Outcome("reference error", [f"accepted, but the reference refuses it: {item['error']}"])
    calendar = METROPOLE.at(*data["place"])
    start = dt.datetime.fromisoformat(data["start"]).replace(tzinfo=calendar.tz)
    end = dt.datetime.fromisoformat(data["end"]).replace(tzinfo=calendar.tz)
    first, last = start.date(), end.date() - dt.timedelta(days=1)
    size = _minute(end, start)
    ref_open, ref_unknown = bytearray(size), bytearray(size)
    for a, b, unknown, _comment in item["intervals"]:
        target = ref_unknown if unknown else ref_open
        target[max(a, 0) : min(b, size)] = b"\1" * (min(b, size) - max(a, 0))

    said_open, said_doubt, said_open_commented = bytearray(size), bytearray(size), bytearray(size)

    def mark(target: bytearray, a: dt.datetime, b: dt.datetime) -> None:
        i, j = max(_minute(a, start), 0), min(_minute(b, start), size)
        if i < j:
            target[i:j] = b"\1" * (j - i)

    # Two computations of the sun differ by a minute or two: not counted as a disagreement.
    fuzzy = bytearray(size)
    if follows_sun(value):
        for a, b, _unknown, _comment in item["intervals"]:
            for edge in (a, b):
                fuzzy[max(edge - SUN_MINUTES, 0) : min(edge + SUN_MINUTES, size)] = b"\1" * (
                    min(edge + SUN_MINUTES, size) - max(edge - SUN_MINUTES, 0)
                )
    found = pattern(value, first, calendar)
    problems: list[str] = []
    if found is not None:
        category = "exact" if found.sure and found.holidays != "varies" else "doubt"
        if category == "exact" and any(r.comment for r in found.recurrences):
            category = "exact with comment"
        holidays = public_holidays(first, last, calendar)
        # from the day before: what it says of Sunday evening reaches Monday's night
        for day, spans in expand(overnight(found), first - dt.timedelta(days=1), last, holidays).items():
            midnight = dt.datetime(day.year, day.month, day.day, tzinfo=calendar.tz)
            for span in spans:
                begin = midnight.replace(hour=span.start.hour, minute=span.start.minute)
                if span.state == OPEN_END:
                    mark(said_doubt, begin, begin + dt.timedelta(minutes=OPEN_END_DOUBT))
                    continue
                stop = (
                    midnight + dt.timedelta(days=1)
                    if span.end == dt.time(0)
                    else midnight.replace(hour=span.end.hour, minute=span.end.minute)
                )
                # the comment is shown with the times, in the producer's words: the reference
                # reads times with a comment as unknown, the page leaves the reader to judge
                mark(said_open if span.state == OPEN and not span.comment else said_doubt, begin, stop)
                if span.state == OPEN and span.comment:
                    mark(said_open_commented, begin, stop)
        if found.holidays == "varies":
            for day in holidays:
                midnight = dt.datetime(day.year, day.month, day.day, tzinfo=calendar.tz)
                mark(said_doubt, midnight, midnight + dt.timedelta(days=1))
        problems += _words_problems(found)
    else:
        category = "dates"
        # the dates as the page lists them: uncertain ones with their doubt
        # from the day before: an open end on Sunday evening reaches Monday's night
        for session in sessions(value, first - dt.timedelta(days=1), last, calendar=calendar, doubtful=True):
            if session.state == OPEN_END:
                mark(said_doubt, session.start, session.start + dt.timedelta(minutes=OPEN_END_DOUBT))
            else:
                mark(said_open if session.sure else said_doubt, session.start, session.end)
    # On the day the clocks change, the reference counts '24:00' as 24 hours after the day's
    # start, one hour off: that day and the hour after it are not compared (the page follows
    # the wall clock, as the library does).
    for day in (first - dt.timedelta(days=1) + dt.timedelta(days=n) for n in range((last - first).days + 2)):
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=calendar.tz)
        following = midnight + dt.timedelta(days=1)
        if midnight.utcoffset() != following.utcoffset():
            i, j = max(_minute(midnight, start), 0), min(_minute(following, start) + 60, size)
            if i < j:
                fuzzy[i:j] = b"\1" * (j - i)
    for minute in range(size):
        if fuzzy[minute]:
            continue
        o, u, so, sd = ref_open[minute], ref_unknown[minute], said_open[minute], said_doubt[minute]
        wrong = (
            (so and not o) or (o and not (so or sd)) or (u and not sd) or (said_open_commented[minute] and not (o or u))
        )
        if wrong:
            moment = start + dt.timedelta(minutes=minute)
            state = "open" if o else "unknown" if u else "closed"
            told = "open" if so else "uncertain" if sd else "closed"
            problems.append(f"{moment:%a %Y-%m-%d %H:%M}: the reference says {state}, the page says {told}")
            break
    return Outcome(category, problems)


def _words_problems(found) -> list[str]:
    """Each part of what the words say is in the text of each language."""
    problems = []
    for language in LANGUAGES:
        loc = Localizer(language)
        view = hours_view(found, loc, closed_days=True)
        text = " ".join(_plain(r.days) + " " + _plain(r.times) for r in view.rows) + " " + _plain(view.holidays)
        for recurrence in overnight(found).recurrences:
            part = _plain(said(recurrence, loc))
            if part not in text:
                problems.append(f"{language}: '{part}' is not in the words '{text}'")
            if recurrence.comment and recurrence.comment not in text:
                problems.append(f"{language}: the comment '{recurrence.comment}' is not shown")
    return problems


@cache
def outcomes() -> dict[str, Outcome]:
    return {item["value"]: classify(item) for item in corpus()["values"]}


def test_the_corpus_is_large_and_from_the_reference():
    data = corpus()
    assert data["reference"].startswith("opening_hours.js ")
    assert len(data["values"]) >= 800


#: The values the reference and the engine read in different ways, by group: `check`
#: refuses each with advice, so that no page says one of the two readings with confidence.
REFUSED_WITH_ADVICE = {
    "sunrise-06:00": "une plage entre le soleil et une heure fixe",
    "PH We,Fr": "des jours fériés et des jours de la semaine séparés par une espace",
    "PH -1 day Mo-We": "la veille ou le lendemain d'un jour férié",
    "Mo-We PH -1 day": "des jours fériés et des jours de la semaine séparés par une espace",
    "Mo-Su 09:00-01:00; PH 08:00-02:00": "des horaires de jour férié qui passent minuit",
    "2015 Mo 09:00-01:00; PH Tu 08:00-02:00": "des jours fériés et des jours de la semaine séparés par une espace",
    "Aug,Dec 25-easter": "une période qui finit à Pâques",
    'Apr 05-easter -1 day: open "Before easter"': "une période qui finit à Pâques",
    'easter -2 days-easter +2 days: open "Around easter"': "une période qui finit à Pâques",
    'easter -2 days-easter +2 days open "Around easter"': "une période qui finit à Pâques",
    'Mo open "comment"; "I don’t know how to express easter": off': "un commentaire à la place des jours",
    "sunrise-(sunset+01:00)+; Su off": "une fin ouverte après une heure du soleil",
    # the reference refuses these
    "Mo-Su 10:00-01:00; Sep 15+Sa-Oct Su[1],Oct 01-3: Mo-Su 07:30-03:00": "une date suivie de '+'",
    "week 30-40/1": "une périodicité de semaines va de 2 à 26",
    "week 30-40/27": "une périodicité de semaines va de 2 à 26",
    "2014-2014": "d'une année à la même année",
    "Tu 23:59-48:00+": "va trop loin après minuit",
}


@pytest.mark.parametrize("value, advice", REFUSED_WITH_ADVICE.items())
def test_check_refuses_what_the_tools_read_differently_with_advice(value, advice):
    with pytest.raises(ValueError, match=re.escape(advice)):
        _check_opening_hours(value)
    assert outcomes()[value].category == "refused"


def test_words_and_dates_agree_with_the_reference():
    """No accepted value is said with confidence otherwise than the reference computes it:
    open ends next to sun times or past midnight, and the hours after them, are said with
    their doubt; the clock-change nights where the reference is one hour off are left out."""
    wrong = {value: outcome.problems for value, outcome in outcomes().items() if outcome.problems}
    assert not wrong, f"{len(wrong)} values: " + "\n".join(f"{v!r}: {p[0]}" for v, p in list(wrong.items())[:40])


def test_every_value_the_reference_refuses_is_refused():
    accepted = [value for value, outcome in outcomes().items() if outcome.category == "reference error"]
    assert not accepted


ISSUE_EXAMPLES = {
    "sunrise-sunset": "dates",
    "dawn-dusk": "dates",
    "17:00+": "doubt",
    'Su "some 08:00-16:00"': "doubt",
    # a comment after times: the page shows the times with the comment; the reference
    # reads it as unknown (counted among the disagreements)
    'Sa 10:00-12:00 "Maybe open. Call us."': "exact with comment",
    'Mo-Fr 10:00-20:00 unknown "Maybe"': "doubt",
    "Mo, Tu, We, Th, Fr, Su 11:00-01:00; Sa 11:00-02:00": "exact",
    "Mo-Fr 08:30-12:00; 14:00-17:00; PH off": "exact",
    "Feb 30": "refused",
    "Apr 31": "refused",
    "Jun 30-24": "refused",
    'Mo-Fr 09:00-12:00 "Sans rendez-vous"; PH off': "exact with comment",
}


@pytest.mark.parametrize("value, category", ISSUE_EXAMPLES.items())
def test_the_issue_examples(value, category):
    outcome = outcomes()[value]
    assert (outcome.category, outcome.problems) == (category, [])


def test_counts():
    counts = Counter(outcome.category for outcome in outcomes().values())
    print(dict(counts))
    assert counts["exact"] > 100
