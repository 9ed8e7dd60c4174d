"""iCalendar exports: what a calendar app expands is exactly what the engine says."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import icalendar
import pytest
import yaml
from dateutil.rrule import rrulestr

from generator import routes
from generator.records.directory import Directory
from generator.render.ical import HORIZON_DAYS, ical_files, session_window

from helpers import DEMO, TODAY, context, load_directory

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")
PID = "cpam-le-hameau"  # the minimal territory's permanence: 'Tu[2] 09:00-12:00; PH off'

Pair = tuple[dt.datetime, dt.datetime]


# --- helpers: read a file back as a calendar app would ---------------------------


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def events(text: str) -> list[icalendar.Event]:
    return cast(list[icalendar.Event], parse(text).walk("VEVENT"))


def prop(component: icalendar.cal.Component, name: str) -> Any:
    """A property of a calendar or an event (icalendar types it as a union of every value type)."""
    return component[name]


def exdates(event: icalendar.Event) -> list[dt.datetime]:
    value = event.get("EXDATE")
    if value is None:
        return []
    lists = value if isinstance(value, list) else [value]
    return [item.dt for dates in lists for item in dates.dts]


def calendar_name(text: str) -> str:
    # icalendar reads X-WR-CALNAME back raw, escapes and all (RFC 5545 3.3.11)
    raw = prop(parse(text), "X-WR-CALNAME").to_ical().decode()
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], raw)


def rrule_text(event: icalendar.Event) -> str:
    return prop(event, "RRULE").to_ical().decode()


def occurrences(event: icalendar.Event) -> list[Pair]:
    """The (start, end) of every date of a VEVENT, in its own zone.

    RRULE expanded by dateutil from DTSTART, minus EXDATE; every date lasts
    exactly as long as the first (RFC 5545 3.8.5.3).
    """
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    if "RRULE" not in event:
        return [(start, end)]
    duration = end.astimezone(UTC) - start.astimezone(UTC)
    excluded = {d.astimezone(UTC) for d in exdates(event)}
    return [
        (s, (s.astimezone(UTC) + duration).astimezone(s.tzinfo))
        for s in rrulestr(rrule_text(event), dtstart=start)
        if s.astimezone(UTC) not in excluded
    ]


def expand(text: str) -> list[Pair]:
    """Every session a calendar file gives, as UTC instants, in order."""
    return sorted((s.astimezone(UTC), e.astimezone(UTC)) for event in events(text) for s, e in occurrences(event))


def engine(directory: Directory, pid: str) -> list[Pair]:
    _, end = session_window(directory, pid)
    return sorted(
        (s.start.astimezone(UTC), s.end.astimezone(UTC))
        for s in directory.permanence_sessions(pid, directory.today, end)
    )


def calendar_text(directory: Directory, pid: str = PID, language: str = "fr") -> str:
    """The file the build writes for one permanence (`permanences/<id>.ics`)."""
    return ical_files(context(directory, language))[routes.permanence_calendar_file(pid)]


def edit_permanence(folder: Path, pid: str = PID, **changes: object) -> None:
    path = folder / "permanences" / f"{pid}.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.update(changes)
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def demo_files() -> dict[str, str]:
    return ical_files(context(load_directory(DEMO), "fr"))


# --- the demo: the acceptance criterion ------------------------------------------


DEMO_PIDS = sorted(path.stem for path in (DEMO / "permanences").glob("*.yml"))


@pytest.mark.parametrize("pid", DEMO_PIDS)
def test_every_demo_permanence_file_expands_to_exactly_the_engine_sessions(demo_directory, demo_files, pid):
    if demo_directory.has_ended(pid):
        assert f"permanences/{pid}.ics" not in demo_files
        return
    text = demo_files[f"permanences/{pid}.ics"]
    expected = engine(demo_directory, pid)
    assert expected, "every current demo permanence has sessions in the coming year"
    assert expand(text) == expected
    # Local wall-clock times, not UTC: the zone is said on every date.
    for event in events(text):
        assert prop(event, "DTSTART").params["TZID"] == "Europe/Paris"
        assert all(ex.tzinfo is not None for ex in exdates(event))


def test_the_demo_is_written_with_recurrences_not_only_single_events(demo_files):
    found = [event for path, text in demo_files.items() if path.startswith("permanences/") for event in events(text)]
    rules = [rrule_text(e) for e in found if "RRULE" in e]
    assert len(rules) >= 10
    assert any("FREQ=MONTHLY" in r and "BYDAY=2TU" in r for r in rules)
    assert any("BYDAY=1TH,3TH" in r for r in rules)
    assert any("BYDAY=-1FR" in r for r in rules)
    assert any("FREQ=WEEKLY" in r and "BYDAY=WE" in r for r in rules)
    assert sum(len(exdates(e)) for e in found) >= 5
    # Most permanences are recurrences; a rota (the on-duty pharmacy, one Sunday in three) is
    # written as its dates: its many single events do not outweigh the permanences.
    files = [events(text) for path, text in demo_files.items() if path.startswith("permanences/")]
    with_rule = sum(any("RRULE" in e for e in file) for file in files)
    assert with_rule > len(files) - with_rule


def test_demo_rrules_start_on_their_first_date_and_end_with_the_window(demo_directory, demo_files):
    for pid in demo_directory.permanences:
        if demo_directory.has_ended(pid):
            continue
        start, end = session_window(demo_directory, pid)
        valid_until = demo_directory.permanences[pid].valid_until
        assert end == min(valid_until or dt.date.max, TODAY + dt.timedelta(days=HORIZON_DAYS))
        for event in events(demo_files[f"permanences/{pid}.ics"]):
            if "RRULE" not in event:
                continue
            first = event.decoded("DTSTART")
            rule = rrulestr(rrule_text(event), dtstart=first)
            # DTSTART is the first date of the rule on or after the window's start
            earlier = rrulestr(rrule_text(event), dtstart=dt.datetime.combine(start, first.timetz()))
            assert next(iter(earlier)) == first and first.date() >= start
            until = prop(event, "RRULE")["UNTIL"][0]
            # RFC 5545 3.3.10: in UTC ('Z') when DTSTART has a TZID
            assert re.search(r";UNTIL=\d{8}T\d{6}Z;", rrule_text(event)) and until.utcoffset() == dt.timedelta(0)
            assert until.astimezone(PARIS).date() == end
            assert all(s.date() <= end for s in rule)


def test_second_and_last_tuesdays_read_as_in_a_calendar_app(demo_files):
    text = demo_files["permanences/assurance-maladie-pipriac.ics"]
    assert "\r\nRRULE:FREQ=MONTHLY;UNTIL=20271123T225959Z;BYDAY=2TU\r\n" in text
    assert "\r\nDTSTART;TZID=Europe/Paris:20261208T090000\r\n" in text
    assert "\r\nEXDATE;TZID=Europe/Paris:20270112T090000\r\n" in text  # cancelled: [2027-01-12]
    # The last Tuesday of the month, with a cancelled date
    [csapa] = [e for e in events(demo_files["permanences/csapa-guemene-penfao.ics"]) if "RRULE" in e]
    assert rrule_text(csapa).endswith("BYDAY=-1TU")
    assert dt.datetime(2026, 12, 29, 14, tzinfo=PARIS) in exdates(csapa)


# --- rules, exceptions, zones ------------------------------------------------------


def test_second_tuesday_with_a_cancelled_date(minimal):
    directory = load_directory(minimal)
    [event] = events(calendar_text(directory))
    assert rrule_text(event) == "FREQ=MONTHLY;UNTIL=20271123T225959Z;BYDAY=2TU"
    assert event.decoded("DTSTART") == dt.datetime(2026, 12, 8, 9, tzinfo=PARIS)
    assert event.decoded("DTEND") == dt.datetime(2026, 12, 8, 12, tzinfo=PARIS)
    assert exdates(event) == [dt.datetime(2027, 1, 12, 9, tzinfo=PARIS)]
    assert expand(calendar_text(directory)) == engine(directory, PID)
    assert len(expand(calendar_text(directory))) == 11  # 12 second Tuesdays, one cancelled


def test_weekdays_with_a_lunch_break_skip_christmas_and_new_year(minimal):
    edit_permanence(minimal, schedule="Mo-Fr 08:30-12:00,13:30-17:00; PH off", cancelled=[])
    directory = load_directory(minimal)
    text = calendar_text(directory)
    found = events(text)
    # One event per time range, on the five weekdays
    assert sorted(rrule_text(e) for e in found) == ["FREQ=WEEKLY;UNTIL=20271123T225959Z;BYDAY=MO,TU,WE,TH,FR"] * 2
    assert [(e.decoded("DTSTART").time(), e.decoded("DTEND").time()) for e in found] == [
        (dt.time(8, 30), dt.time(12)),
        (dt.time(13, 30), dt.time(17)),
    ]
    assert found[0].decoded("DTSTART").date() == TODAY  # a Monday: today's sessions are listed
    for event in found:
        excluded = {d.date() for d in exdates(event)}
        assert {dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2027, 3, 29), dt.date(2027, 11, 11)} <= excluded
        assert all(d.weekday() < 5 for d in excluded)
    assert expand(text) == engine(directory, PID)


def test_a_rule_without_pattern_is_written_as_single_events(minimal):
    edit_permanence(minimal, schedule="week 01-53/2 Tu 10:00-12:00", cancelled=[])
    directory = load_directory(minimal)
    text = calendar_text(directory)
    found = events(text)
    assert found and all("RRULE" not in e and "EXDATE" not in e for e in found)
    assert len({str(prop(e, "UID")) for e in found}) == len(found)
    assert expand(text) == engine(directory, PID)
    assert len(found) == len(engine(directory, PID)) >= 25


def test_local_times_stay_the_same_across_the_clock_change(minimal):
    directory = load_directory(minimal)
    by_date = {s.date(): (s, e) for event in events(calendar_text(directory)) for s, e in occurrences(event)}
    march, april = by_date[dt.date(2027, 3, 9)], by_date[dt.date(2027, 4, 13)]  # clocks change on 28 March
    for start, end in (march, april):
        assert (start.time(), end.time()) == (dt.time(9), dt.time(12))
    assert march[0].utcoffset() == dt.timedelta(hours=1)
    assert april[0].utcoffset() == dt.timedelta(hours=2)
    assert april[0].astimezone(UTC).time() == dt.time(7)


def test_changed_hours_exclude_the_usual_date_and_add_the_new_one(minimal):
    notice = {
        "kind": "changed_hours",
        "start": "2027-02-09",
        "end": "2027-02-09",
        "opening_hours": "Tu 14:00-16:00",
        "message": "Exceptionnellement l'après-midi.",
    }
    edit_permanence(minimal, notices=[notice])
    directory = load_directory(minimal)
    text = calendar_text(directory)
    series, single = sorted(events(text), key=lambda e: "RRULE" in e, reverse=True)
    assert dt.datetime(2027, 2, 9, 9, tzinfo=PARIS) in exdates(series)
    assert "RRULE" not in single
    assert (single.decoded("DTSTART"), single.decoded("DTEND")) == (
        dt.datetime(2027, 2, 9, 14, tzinfo=PARIS),
        dt.datetime(2027, 2, 9, 16, tzinfo=PARIS),
    )
    assert str(single["UID"]) == "cpam-le-hameau/20270209T1400@care-portal-generator"
    assert expand(text) == engine(directory, PID)


def test_valid_from_and_valid_until_bound_the_series(minimal):
    edit_permanence(minimal, valid_from="2027-02-01", valid_until="2027-06-30")
    directory = load_directory(minimal)
    [event] = events(calendar_text(directory))
    assert event.decoded("DTSTART") == dt.datetime(2027, 2, 9, 9, tzinfo=PARIS)
    assert "UNTIL=20270630T215959Z" in rrule_text(event)
    assert "EXDATE" not in event  # the cancelled date is before valid_from
    assert [s.astimezone(PARIS).date() for s, _ in expand(calendar_text(directory))] == [
        dt.date(2027, 2, 9),
        dt.date(2027, 3, 9),
        dt.date(2027, 4, 13),
        dt.date(2027, 5, 11),
        dt.date(2027, 6, 8),
    ]


@pytest.mark.parametrize(
    ("holidays", "zone", "schedule", "holiday"),
    [
        ("alsace-moselle", "Europe/Paris", "Fr 09:00-12:00; PH off", dt.date(2027, 3, 26)),  # Good Friday
        ("guadeloupe", "America/Guadeloupe", "We 09:00-12:00; PH off", dt.date(2027, 7, 21)),  # Victor Schœlcher
    ],
)
def test_regional_holidays_and_zones(minimal, holidays, zone, schedule, holiday):
    territory = minimal / "territory.yml"
    territory.write_text(territory.read_text(encoding="utf-8") + f"holidays: {holidays}\n", encoding="utf-8")
    edit_permanence(minimal, schedule=schedule, cancelled=[])
    directory = load_directory(minimal)
    text = calendar_text(directory)
    calendar = parse(text)
    assert [str(prop(tz, "TZID")) for tz in calendar.walk("VTIMEZONE")] == [zone]
    assert str(prop(calendar, "X-WR-TIMEZONE")) == zone
    [event] = events(text)
    assert prop(event, "DTSTART").params["TZID"] == zone
    assert holiday in {d.date() for d in exdates(event)}
    assert expand(text) == engine(directory, PID)


# --- the file itself ------------------------------------------------------------------


def test_calendar_properties_for_subscriptions(minimal):
    directory = load_directory(minimal)
    text = calendar_text(directory)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    for line in (
        "METHOD:PUBLISH",
        "CALSCALE:GREGORIAN",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
        "X-WR-TIMEZONE:Europe/Paris",
        "X-WR-CALNAME:Permanence Assurance Maladie au Hameau",
    ):
        assert f"\r\n{line}\r\n" in text
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    [event] = events(text)
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 23, tzinfo=UTC)
    assert event.decoded("LAST-MODIFIED") == dt.datetime(2026, 11, 1, tzinfo=UTC)
    assert str(prop(event, "SUMMARY")) == "Permanence Assurance Maladie au Hameau"
    assert str(prop(event, "LOCATION")) == "Mairie du Hameau, 3 place de la Mairie, 44100 Le Hameau"
    assert (prop(event, "GEO").latitude, prop(event, "GEO").longitude) == (47.551, -1.951)
    assert str(prop(event, "DESCRIPTION")) == "Un conseiller vous aide pour vos droits santé."
    assert str(prop(event, "UID")) == "cpam-le-hameau/2TU/0900-1200@care-portal-generator"


def test_text_is_escaped_and_read_back_unchanged(minimal):
    name = "Permanence; droits, santé \\ accès"
    edit_permanence(
        minimal,
        name=name,
        description="Première ligne, avec virgule ; et point-virgule.\nDeuxième ligne.",
        phones=[{"number": "01 99 00 16 01", "label": "Accueil, standard"}],
    )
    directory = load_directory(minimal)
    text = calendar_text(directory)
    assert "SUMMARY:Permanence\\; droits\\, santé \\\\ accès" in text
    [event] = events(text)
    assert str(prop(event, "SUMMARY")) == name
    assert str(prop(event, "DESCRIPTION")) == (
        "Première ligne, avec virgule ; et point-virgule.\nDeuxième ligne.\n\n"
        "Appeler le 01 99 00 16 01 (Accueil, standard)"
    )
    assert "X-WR-CALNAME:Permanence\\; droits\\, santé \\\\ accès" in text
    assert calendar_name(text) == name


def test_generating_twice_gives_the_same_bytes(minimal, demo_files):
    assert ical_files(context(load_directory(DEMO), "fr")) == demo_files
    # A copy of the records, loaded afresh: nothing depends on paths or the clock
    copy = minimal.parent / "copy"
    shutil.copytree(minimal, copy)
    assert ical_files(context(load_directory(minimal), "fr")) == ical_files(context(load_directory(copy), "fr"))


def test_uids_do_not_depend_on_the_language(demo_directory):
    def uids(language: str) -> dict[str, list[str]]:
        files = ical_files(context(demo_directory, language))
        return {path: [str(prop(e, "UID")) for e in events(text)] for path, text in files.items()}

    french, english, arabic = uids("fr"), uids("en"), uids("ar")
    assert french == english == arabic
    assert sum(map(len, french.values())) > 0
    # ...while the text is the reader's
    english_text = ical_files(context(demo_directory, "en"))["permanences/assurance-maladie-pipriac.ics"]
    assert "SUMMARY:Health insurance drop-in session in Pipriac" in english_text


# --- files for communes and the territory ----------------------------------------------


def test_every_commune_and_the_territory_have_a_file(demo_directory, demo_files):
    current = [pid for pid in demo_directory.permanences if not demo_directory.has_ended(pid)]
    assert {p for p in demo_files if p.startswith("permanences/")} == {f"permanences/{pid}.ics" for pid in current}
    for insee, slug in demo_directory.commune_slugs.items():
        text = demo_files[f"calendrier/{slug}.ics"]
        serving = demo_directory.permanences_serving.get(insee, [])
        expected = sorted(pair for pid in serving for pair in engine(demo_directory, pid))
        assert expand(text) == expected
        assert {str(prop(e, "UID")) for e in events(text)} == {
            str(prop(e, "UID")) for pid in serving for e in events(demo_files[f"permanences/{pid}.ics"])
        }
    everything = demo_files["calendrier/index.ics"]
    assert expand(everything) == sorted(pair for pid in current for pair in engine(demo_directory, pid))
    assert len(demo_files) == len(current) + len(demo_directory.communes) + 1


def test_a_commune_without_permanence_gets_an_empty_valid_calendar(minimal):
    directory = load_directory(minimal)
    files = ical_files(context(directory, "fr"))
    empty = [insee for insee in directory.communes if not directory.permanences_serving.get(insee)]
    assert empty  # Villebourg and Saint-Essai
    for insee in empty:
        text = files[f"calendrier/{directory.commune_slugs[insee]}.ics"]
        calendar = parse(text)
        assert events(text) == []
        # RFC 5545 3.6 asks for at least one component: the zone is always there
        assert [str(prop(tz, "TZID")) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
        assert str(prop(calendar, "VERSION")) == "2.0" and str(prop(calendar, "METHOD")) == "PUBLISH"
        assert directory.communes[insee].name in calendar_name(text)
    assert len(events(files["calendrier/le-hameau.ics"])) == 1


def test_an_ended_permanence_has_no_file_and_no_session(minimal):
    edit_permanence(minimal, valid_until="2026-11-01", cancelled=[])
    directory = load_directory(minimal)
    files = ical_files(context(directory, "fr"))
    assert f"permanences/{PID}.ics" not in files
    assert events(files["calendrier/index.ics"]) == []
    assert all(events(text) == [] for text in files.values())


def test_several_permanences_in_one_calendar(minimal):
    other = minimal / "permanences" / "cpam-le-hameau-soir.yml"
    shutil.copy(minimal / "permanences" / f"{PID}.yml", other)
    edit_permanence(minimal, "cpam-le-hameau-soir", schedule="Th[1,3] 17:00-19:00; PH off", cancelled=[])
    territory = minimal / "territory.yml"
    territory.write_text(territory.read_text().replace("name: Territoire de test", "name: Deux, trois"))
    directory = load_directory(minimal)
    files = ical_files(context(directory))
    text = files[routes.calendar_file(None)]
    name = "Permanences : Deux\\, trois"  # escaped, as TEXT
    assert f"\r\nNAME:{name}\r\nX-WR-CALNAME:{name}\r\n" in text
    assert [rrule_text(e).rsplit("BYDAY=", 1)[1] for e in events(text)] == ["1TH,3TH", "2TU"]  # by first date
    assert expand(text) == sorted(engine(directory, PID) + engine(directory, "cpam-le-hameau-soir"))
    # the commune's file lists both, the same events
    assert files[routes.calendar_file("le-hameau")].split("BEGIN:VEVENT", 1)[1] == text.split("BEGIN:VEVENT", 1)[1]


def test_a_session_across_the_clock_change_is_an_event_of_its_own(minimal):
    # 01:00-04:00 lasts 3 hours, but 2 on 28 March 2027 and 4 on 31 October 2027:
    # RFC 5545 gives every date of a series the same exact length, so those two
    # dates are excluded from the series and written as they are.
    edit_permanence(minimal, schedule="Su 01:00-04:00; PH off", cancelled=[])
    directory = load_directory(minimal)
    text = calendar_text(directory)
    [series] = [e for e in events(text) if "RRULE" in e]
    singles = {e.decoded("DTSTART").date(): e for e in events(text) if "RRULE" not in e}
    changes = {dt.date(2027, 3, 28), dt.date(2027, 10, 31)}
    assert changes <= {d.date() for d in exdates(series)} and changes <= set(singles)
    spring = singles[dt.date(2027, 3, 28)]
    assert spring.decoded("DTEND") - spring.decoded("DTSTART") == dt.timedelta(hours=3)  # wall clock
    assert spring.decoded("DTEND").astimezone(UTC) - spring.decoded("DTSTART").astimezone(UTC) == dt.timedelta(hours=2)
    assert expand(text) == engine(directory, PID)


def test_phone_numbers_keep_their_order_in_right_to_left_languages(minimal):
    edit_permanence(minimal, phones=["01 99 00 16 01"])
    directory = load_directory(minimal)
    arabic = str(events(calendar_text(directory, language="ar"))[0]["DESCRIPTION"])
    assert "\u206601 99 00 16 01\u2069" in arabic  # left-to-right isolate
    french = str(events(calendar_text(directory))[0]["DESCRIPTION"])
    assert french.endswith("\n\nAppeler le 01 99 00 16 01")


#: Where some reader of a calendar ends a line: RFC 5545 (CRLF, a lone CR or LF for lenient
#: parsers), Python's str.splitlines (VT, FF, the separators, NEL, U+2028, U+2029).
ANY_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def test_hidden_line_breaks_and_controls_cannot_add_a_property(minimal):
    # `check` refuses such text (test_validation.py); a calendar stays whole even when given it.
    import dataclasses

    from generator.records.types import LocalizedText

    directory = load_directory(minimal)
    permanence = directory.permanences[PID]
    forged = "\rX-FORGED:cr\x0bX-FORGED:vt\x0cX-FORGED:ff\u2028X-FORGED:ls\x85X-FORGED:nel\u2029X-FORGED:ps"
    spoiled = dataclasses.replace(
        directory,
        permanences={
            **directory.permanences,
            PID: permanence.model_copy(
                update={
                    "name": LocalizedText({"fr": f"Permanence{forged}\x1b[31m"}),
                    "description": LocalizedText({"fr": f"Un conseiller.{forged}\x00"}),
                    "location": permanence.location.model_copy(
                        update={"name": LocalizedText({"fr": f"Mairie{forged}"})}
                    ),
                }
            ),
        },
    )
    text = calendar_text(spoiled)
    unfolded = text.replace("\r\n ", "")
    lines = ANY_LINE_BREAK.split(unfolded)
    assert not [line for line in lines if line.startswith("X-FORGED")]
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", unfolded.replace("\r\n", ""))
    [event] = events(text)
    lines_given = "\nX-FORGED:cr\nX-FORGED:vt\nX-FORGED:ff\nX-FORGED:ls\nX-FORGED:nel\nX-FORGED:ps"
    assert str(prop(event, "SUMMARY")) == f"Permanence{lines_given}\ufffd[31m"
    assert str(prop(event, "LOCATION")).startswith(f"Mairie{lines_given}, 3 place de la Mairie")
    assert str(prop(event, "DESCRIPTION")).startswith(f"Un conseiller.{lines_given}\ufffd")
    assert calendar_name(text) == f"Permanence{lines_given}\ufffd[31m"
