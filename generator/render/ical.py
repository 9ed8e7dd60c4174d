"""iCalendar (RFC 5545) exports of the drop-in sessions, for calendar apps.

Where the schedule engine can read a permanence's rule back as recurrences
(`schedule.pattern`), its sessions are written as recurring events: "the 2nd
Tuesday of the month" is one VEVENT with an RRULE, not twelve, so that a
calendar app says "repeats monthly on the 2nd Tuesday" as the page does.

The engine stays the authority on dates. Every date a recurrence gives but
the engine does not (public holidays, cancellations, closures, changed hours)
is an EXDATE, and every engine session that no recurrence gives is an event
of its own: a calendar app shows exactly the sessions the pages show, over
the window a file covers (`session_window`).

Builds must be reproducible (same records, same --today, same bytes), so
nothing here depends on the clock, on random UIDs or on dictionary order.
Nothing here reads or writes files either: `ical_files` returns the texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr
from icalendar import Calendar as ICalendar
from icalendar import Event, Timezone, vDuration, vRecur, vText

from .. import routes
from ..i18n import N_
from ..opendata.jsontext import plain_breaks
from ..records.directory import Directory
from ..records.schedule import Series, Session, TimeRange, end_of_day, pattern, remarks, series_of
from .context import RenderContext
from .localize import Localizer

#: How far ahead a file lists sessions. The site is rebuilt nightly, and
#: calendar apps are told to refresh daily, so a year ahead is plenty.
HORIZON_DAYS = 365
#: After the '@' of every UID: UIDs must be unique and stable, and the site's
#: address is optional (and may change), so they carry the generator's name.
UID_DOMAIN = "care-portal-generator"
PRODID = "-//care-portal-generator//NONSGML Drop-in sessions//EN"
#: How often calendar apps should fetch the file again: the site is rebuilt nightly.
REFRESH = dt.timedelta(days=1)

# TRANSLATORS: the name of the calendar of every drop-in session of the
# territory, in a calendar app's list of calendars.
TERRITORY_CALENDAR = N_("Drop-in sessions: %(territory)s")
COMMUNE_CALENDAR = N_("Drop-in sessions for %(commune)s")
#: Before a phone number in an event's description, as on the pages' buttons.
CALL = N_("Call")
#: In an event's description, when the rule has openings the calendar leaves out.
UNCERTAIN = N_("Some sessions are uncertain and not in this calendar: call before you go.")

_UTC = dt.UTC


# --- the window and the series ----------------------------------------------


def session_window(directory: Directory, pid: str) -> tuple[dt.date, dt.date]:
    """The first and last days (inclusive) a permanence's file covers.

    From today (or `valid_from`) to a year ahead (or `valid_until`); the
    start is after the end when the permanence has ended or starts later.
    """
    permanence = directory.permanences[pid]
    start = max(directory.today, permanence.valid_from or directory.today)
    end = directory.today + dt.timedelta(days=HORIZON_DAYS)
    if permanence.valid_until is not None:
        end = min(end, permanence.valid_until)
    return start, end


def _recur(series: Series, until: dt.datetime | None = None) -> vRecur:
    rule = vRecur(freq=series.freq)
    if until is not None:
        rule["UNTIL"] = until
    rule["BYDAY"] = series.byday
    return rule


def _uid(series: Series, pid: str) -> str:
    # The rule's days and times, not its dates: the same series keeps
    # its UID from one nightly build to the next, and in every language.
    days = "+".join(series.byday)
    return f"{pid}/{days}/{series.times[0]:%H%M}-{series.times[1]:%H%M}@{UID_DOMAIN}"


def _local(day: dt.date, time: dt.time, directory: Directory) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=directory.calendar.tz)


def _end(day: dt.date, times: TimeRange, directory: Directory) -> dt.datetime:
    """When a range ends on a day, wall clock, as the engine says it."""
    if times[1] == dt.time(0):  # '22:00-24:00' ends at midnight, the next day
        return end_of_day(day, directory.calendar)
    return _local(day, times[1], directory)


def _instant(moment: dt.datetime) -> dt.datetime:
    # Aware datetimes in the same zone compare by wall clock in Python;
    # sessions are matched by the instants they stand for.
    return moment.astimezone(_UTC)


@dataclass(frozen=True)
class _Planned:
    series: Series
    start: dt.datetime  # DTSTART: the first date of the rule in the window
    end: dt.datetime  # DTEND: DTSTART plus the usual length of a session
    until: dt.datetime  # UTC, as RFC 5545 3.3.10 requires with a TZID start
    # Each date and when a calendar app ends it; None when that is not the
    # engine's end (a range across a clock change): such dates never match.
    occurrences: list[tuple[dt.datetime, dt.datetime | None]]


def _length(times: TimeRange) -> dt.timedelta:
    """How long a range lasts on a day without a clock change."""
    day = dt.date(2001, 1, 1)
    begin = dt.datetime.combine(day, times[0])
    finish = dt.datetime.combine(day + dt.timedelta(days=1) if times[1] == dt.time(0) else day, times[1])
    return finish - begin


def _plan(series: Series, start: dt.date, end: dt.date, directory: Directory) -> _Planned | None:
    """The dates a series gives in a window, expanded as a calendar app would."""
    probe = rrulestr(_recur(series).to_ical().decode(), dtstart=_local(start, series.times[0], directory))
    assert isinstance(probe, rrule)
    first = next(iter(probe), None)
    if first is None or first.date() > end:
        return None
    until = _instant(end_of_day(end, directory.calendar) - dt.timedelta(seconds=1))
    rule = rrulestr(_recur(series, until).to_ical().decode(), dtstart=first)
    # RFC 5545 3.8.5.3: every date lasts exactly as long as DTSTART to DTEND.
    # That is the usual length, even when the first date has a clock change
    # (it is then excluded like any date the wall clock disagrees on), so
    # that one odd day does not turn a whole series into single events.
    length = _length(series.times)
    tz = directory.calendar.tz
    occurrences: list[tuple[dt.datetime, dt.datetime | None]] = []
    for begin in dict.fromkeys(rule):
        exact = (_instant(begin) + length).astimezone(tz)
        wall = _end(begin.date(), series.times, directory)
        occurrences.append((begin, exact if exact == _instant(wall) else None))
    return _Planned(series, first, (_instant(first) + length).astimezone(tz), until, occurrences)


# --- events --------------------------------------------------------------------


def _stamp(directory: Directory) -> dt.datetime:
    # DTSTAMP is when the file was made; "today" of the build, not the clock,
    # so that two builds with the same --today give the same bytes.
    return dt.datetime.combine(directory.today, dt.time(0), tzinfo=_UTC)


def _location(directory: Directory, pid: str, loc: Localizer) -> str:
    place = directory.place_of_permanence(pid)
    address = place.address
    commune = directory.communes.get(address.commune)
    parts = [loc.plain(place.name) if place.name else "", address.street, address.additional or ""]
    parts.append(f"{address.postcode} {commune.name if commune else ''}".strip())
    return ", ".join(part for part in parts if part)


def _description(directory: Directory, pid: str, loc: Localizer) -> str:
    permanence = directory.permanences[pid]
    paragraphs = [loc.block_text(permanence.description)]
    if permanence.appointment and permanence.appointment.details:
        paragraphs.append(loc.plain(permanence.appointment.details).strip())
    phones = []
    for phone in permanence.phones:
        number = loc.phone(phone.number).display
        if loc.direction == "rtl":
            # In right-to-left text, '01 99 00 16 01' would read '01 16 00 99 01':
            # isolate it left-to-right, as the pages do with dir="ltr".
            number = f"\u2066{number}\u2069"
        line = f"{loc.label(CALL)} {number}"
        phones.append(f"{line} ({loc.plain(phone.label)})" if phone.label else line)
    if phones:
        paragraphs.append("\n".join(phones))
    paragraphs.append("\n".join(_hours_notes(directory, pid, loc)))
    return "\n\n".join(p for p in paragraphs if p)


def _hours_notes(directory: Directory, pid: str, loc: Localizer) -> list[str]:
    """What the events cannot carry: the rule's comments, and the openings left out as uncertain."""
    permanence = directory.permanences[pid]
    start, end = session_window(directory, pid)
    if start > end:
        return []
    calendar = directory.calendar_at(directory.place_of_permanence(pid), permanence.schedule)
    found = remarks(permanence.schedule, start, end, calendar)
    notes = list(found.comments)  # as written, in the producer's language
    if found.uncertain:
        notes.append(loc.label(UNCERTAIN))
    return notes


def _event(directory: Directory, pid: str, loc: Localizer, uid: str, start: dt.datetime, end: dt.datetime) -> Event:
    permanence = directory.permanences[pid]
    place = directory.place_of_permanence(pid)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _stamp(directory))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", plain_breaks(loc.plain(permanence.name)))
    event.add("location", plain_breaks(_location(directory, pid, loc)))
    event.add("geo", (place.latitude, place.longitude))
    event.add("description", plain_breaks(_description(directory, pid, loc)))
    event.add("last-modified", dt.datetime.combine(permanence.verified, dt.time(0), tzinfo=_UTC))
    return event


def _sort_key(event: Event) -> tuple[dt.datetime, str]:
    return _instant(event.decoded("dtstart")), str(event["uid"])


def _events(directory: Directory, pid: str, loc: Localizer) -> list[Event]:
    """The VEVENTs of one permanence over its window, in order.

    Recurring events where the rule has a pattern, with EXDATEs where the
    engine says otherwise; single events for every other session.
    """
    start, end = session_window(directory, pid)
    if start > end:
        return []
    permanence = directory.permanences[pid]
    # The engine's sessions, by instants, not yet given by any event.
    left: dict[tuple[dt.datetime, dt.datetime], Session] = {
        (_instant(s.start), _instant(s.end)): s for s in directory.permanence_sessions(pid, start, end)
    }
    events: list[Event] = []
    for series in series_of(pattern(permanence.schedule, directory.today, directory.calendar)):
        planned = _plan(series, start, end, directory)
        if planned is None:
            continue
        given: set[tuple[dt.datetime, dt.datetime]] = set()
        excluded: list[dt.datetime] = []
        for begin, finish in planned.occurrences:
            key = (_instant(begin), _instant(finish)) if finish is not None else None
            if key is not None and key in left:
                given.add(key)
            else:
                excluded.append(begin)
        if not given:
            continue  # every date excluded: the sessions, if any, are single events
        for key in given:
            del left[key]
        event = _event(directory, pid, loc, _uid(planned.series, pid), planned.start, planned.end)
        event.add("rrule", _recur(planned.series, planned.until))
        if excluded:
            event.add("exdate", excluded)
        events.append(event)
    for session in left.values():
        uid = f"{pid}/{session.start:%Y%m%dT%H%M}@{UID_DOMAIN}"
        events.append(_event(directory, pid, loc, uid, session.start, session.end))
    return sorted(events, key=_sort_key)


# --- calendars -------------------------------------------------------------------


def _head(directory: Directory, name: str) -> ICalendar:
    """A calendar's properties, before its components."""
    calendar = ICalendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # NAME (RFC 7986) and X-WR-CALNAME, which most apps read. icalendar does
    # not know them as text (`calendar_name` writes commas unescaped): say so.
    calendar.add("name", vText(plain_breaks(name)))
    calendar.add("x-wr-calname", vText(plain_breaks(name)))
    calendar.add("x-wr-timezone", directory.calendar.zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


@lru_cache(maxsize=4)
def _zone(zone: str, year: int) -> Timezone:
    # The zone is always written, even with no event: a VCALENDAR needs at
    # least one component (RFC 5545 3.6), and the times need its rules. Its
    # span is whole years, so it changes once a year, not every night.
    first = dt.date(year, 1, 1)
    last = dt.date(year + 2, 1, 1)  # past today + HORIZON_DAYS
    return Timezone.from_tzid(zone, first_date=first, last_date=last)


@dataclass(frozen=True)
class _Written:
    """An event and its iCalendar text, written once for every file that lists it."""

    key: tuple[dt.datetime, str]
    text: str


_END = "END:VCALENDAR\r\n"


def _file(directory: Directory, name: str, events: Iterable[_Written]) -> str:
    """The text `_calendar(...).to_ical()` gives, from events already written: a
    commune's calendar repeats the events of every permanence serving it."""
    head = _text(_head(directory, name))[: -len(_END)]
    zone = _zone_text(directory.calendar.zone, directory.today.year)
    return head + zone + "".join(e.text for e in sorted(events, key=lambda e: e.key)) + _END


@lru_cache(maxsize=4)
def _zone_text(zone: str, year: int) -> str:
    text: str = _zone(zone, year).to_ical().decode("utf-8")
    return text


def ical_files(ctx: RenderContext) -> dict[str, str]:
    """Every calendar file of one language: relative path -> iCalendar text (CRLF).

    `permanences/<id>.ics` for each permanence that has not ended,
    `calendrier/<commune>.ics` for each commune (empty when no permanence
    serves it) and `calendrier/index.ics` for the whole territory.
    """
    directory, loc = ctx.directory, ctx.loc
    current = [pid for pid in directory.permanences if not directory.has_ended(pid)]
    # Each permanence's events are made and written once, and shared by the files that list it.
    events = {
        pid: [_Written(_sort_key(e), e.to_ical().decode("utf-8")) for e in _events(directory, pid, loc)]
        for pid in current
    }
    files: dict[str, str] = {}
    for pid in current:
        name = loc.plain(directory.permanences[pid].name)
        files[routes.permanence_calendar_file(pid)] = _file(directory, name, events[pid])
    for insee, commune in directory.communes.items():
        pids = [pid for pid in directory.permanences_serving.get(insee, []) if pid in events]
        name = loc.label(COMMUNE_CALENDAR) % {"commune": commune.name}
        files[routes.calendar_file(directory.commune_slugs[insee])] = _file(
            directory, name, [e for pid in pids for e in events[pid]]
        )
    name = loc.label(TERRITORY_CALENDAR) % {"territory": loc.plain(directory.territory.name)}
    files[routes.calendar_file(None)] = _file(directory, name, [e for pid in current for e in events[pid]])
    return files


def _text(calendar: ICalendar) -> str:
    text: str = calendar.to_ical().decode("utf-8")
    return text
