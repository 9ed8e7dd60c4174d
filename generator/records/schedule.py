"""Opening hours and session dates, evaluated with the `opening_hours` library.

Rules are OpenStreetMap ``opening_hours`` expressions, evaluated in the
territory's wall-clock time (Europe/Paris in métropole) with French public
holidays (``PH``), plus the holidays of Alsace-Moselle or an overseas
department when the territory says so. On top of a rule, a schedule may be
bounded in time (``valid_from``/``valid_until``), have cancelled dates, and
temporary closures or changed hours.

`pattern` reads a rule back as recurrences ("every Tuesday", "2nd and 4th
Thursday of the month") so that hours can be written in words and exported as
iCalendar recurrence rules and Open Referral schedules (`series_of`).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

import holidays as _holidays
from opening_hours import OpeningHours, State

TIMEZONE = ZoneInfo("Europe/Paris")
COUNTRY = "FR"
#: How far ahead upcoming holiday closures are announced.
PATTERN_WEEKS = 8
#: How far ahead a rule is read to find its pattern: a year shows every monthly case.
PATTERN_DAYS = 371
#: The ordinal of "last" in a recurrence, as in ``Fr[-1]`` and iCalendar ``-1FR``.
LAST = -1

TimeRange = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class Calendar:
    """Where a schedule is read: a time zone and a set of public holidays.

    `subdivision` is the code of the `holidays` package for the holidays a
    region adds to the national ones (Good Friday and 26 December in
    Alsace-Moselle, the abolition of slavery overseas).
    """

    zone: str = "Europe/Paris"
    subdivision: str | None = None

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


#: The calendars a territory may choose (`holidays:` in territory.yml).
CALENDARS: dict[str, Calendar] = {
    "metropole": Calendar(),
    "alsace-moselle": Calendar(subdivision="57"),
    "guadeloupe": Calendar("America/Guadeloupe", "971"),
    "martinique": Calendar("America/Martinique", "972"),
    "guyane": Calendar("America/Cayenne", "973"),
    "la-reunion": Calendar("Indian/Reunion", "974"),
    "mayotte": Calendar("Indian/Mayotte", "976"),
}
METROPOLE = CALENDARS["metropole"]


@dataclass(frozen=True)
class Session:
    """One opening or session: a date with start and end times, local time."""

    start: dt.datetime
    end: dt.datetime

    @property
    def date(self) -> dt.date:
        return self.start.date()


@dataclass(frozen=True)
class Override:
    """Temporary change between two dates (inclusive): closed, or other hours."""

    start: dt.date
    end: dt.date
    rule: str | None = None  # None: closed


@dataclass(frozen=True)
class Recurrence:
    """Sessions on one weekday: every week, or some weeks of the month."""

    weekday: int  # 0 = Monday
    ordinals: tuple[int, ...]  # () every week; (2,) the 2nd; (1, 3); (LAST,) the last
    ranges: tuple[TimeRange, ...]

    @property
    def weekly(self) -> bool:
        return not self.ordinals


@dataclass(frozen=True)
class Pattern:
    """A rule read back as recurrences, with what it does on public holidays."""

    recurrences: tuple[Recurrence, ...]  # by weekday, weekly first
    # "closed", "open" (usual hours), "other" (`holiday_hours`), "varies";
    # "none" when no holiday falls on a session day, "unstated" when the rule
    # does not say (no PH in it): nothing is claimed then.
    holidays: str
    holiday_closures: tuple[dt.date, ...]  # upcoming holidays that close a session day
    holiday_hours: tuple[TimeRange, ...] = ()

    @property
    def weekly(self) -> bool:
        return all(r.weekly for r in self.recurrences)

    def week(self) -> tuple[tuple[TimeRange, ...], ...]:
        """For each weekday, the ranges open every week (monthly ones left out)."""
        days: list[tuple[TimeRange, ...]] = [() for _ in range(7)]
        for recurrence in self.recurrences:
            if recurrence.weekly:
                days[recurrence.weekday] += recurrence.ranges
        return tuple(days)


_CLOSED_ON_HOLIDAYS = re.compile(r"\bPH\s+(?:off|closed)\b")


def mentions_holidays(rule: str) -> bool:
    """Whether a rule says what happens on public holidays (PH)."""
    return re.search(r"\bPH\b", rule) is not None


def _at(day: dt.date, calendar: Calendar, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=calendar.tz)


def end_of_day(day: dt.date, calendar: Calendar = METROPOLE) -> dt.datetime:
    """Midnight at the end of a day, local time: when a notice of that day has passed."""
    return _at(day + dt.timedelta(days=1), calendar)


@lru_cache(maxsize=4096)
def _parse(rule: str, calendar: Calendar) -> OpeningHours:
    return OpeningHours(rule, timezone=calendar.tz, country=COUNTRY)


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _national_holidays(start: dt.date, end: dt.date, calendar: Calendar) -> tuple[dt.date, ...]:
    """The holidays `PH` means to the library (the national ones)."""
    days: list[dt.date] = []
    for begin, finish, state, _comment in _parse("PH", calendar).intervals(
        _at(start, calendar), _at(end + dt.timedelta(days=1), calendar)
    ):
        if state == State.OPEN:
            days.extend(d for d in _days(begin.date(), end) if _at(d, calendar) < finish)
    return tuple(days)


@lru_cache(maxsize=64)
def regional_holidays(start: dt.date, end: dt.date, calendar: Calendar) -> tuple[dt.date, ...]:
    """The holidays a region adds to the national ones, between two dates (inclusive)."""
    if calendar.subdivision is None:
        return ()
    years = range(start.year, end.year + 1)
    national = _holidays.country_holidays(COUNTRY, years=years)
    regional = _holidays.country_holidays(COUNTRY, subdiv=calendar.subdivision, years=years)
    return tuple(sorted(d for d in regional if d not in national and start <= d <= end))


@lru_cache(maxsize=64)
def public_holidays(start: dt.date, end: dt.date, calendar: Calendar = METROPOLE) -> tuple[dt.date, ...]:
    """The public holidays between two dates (inclusive), regional ones included."""
    return tuple(sorted({*_national_holidays(start, end, calendar), *regional_holidays(start, end, calendar)}))


def _open_ranges(rule: str, start: dt.date, end: dt.date, calendar: Calendar) -> dict[dt.date, list[TimeRange]]:
    """For each day from `start` to `end` (inclusive), the local time ranges it is open.

    Only national holidays count as `PH` here; see `_holiday_ranges`.
    """
    result: dict[dt.date, list[TimeRange]] = {}
    limit = _at(end + dt.timedelta(days=1), calendar)
    for begin, finish, state, _comment in _parse(rule, calendar).intervals(_at(start, calendar), limit):
        if state != State.OPEN:
            continue
        # An interval may span several days (24/7, 22:00-06:00): cut it at midnight.
        cursor = begin
        while cursor < finish:
            day = cursor.date()
            midnight = _at(day + dt.timedelta(days=1), calendar)
            stop = min(finish, midnight)
            end_time = dt.time(0) if stop == midnight else stop.timetz().replace(tzinfo=None)
            result.setdefault(day, []).append((cursor.timetz().replace(tzinfo=None), end_time))
            cursor = stop
    return result


@lru_cache(maxsize=4096)
def _holiday_ranges(rule: str, weekday: int, year: int, calendar: Calendar) -> tuple[TimeRange, ...]:
    """What a rule opens on a public holiday falling on a weekday, around a year.

    The library knows only national holidays, so a regional one is read as
    the nearest national holiday on the same weekday (fixed-date holidays
    visit every weekday within a few years).
    """
    around = dt.date(year, 7, 1)
    span = dt.timedelta(days=6 * 366)
    candidates = [h for h in _national_holidays(around - span, around + span, calendar) if h.weekday() == weekday]
    nearest = min(candidates, key=lambda h: abs((h - around).days))
    return tuple(_open_ranges(rule, nearest, nearest, calendar).get(nearest, ()))


def _rule_ranges(rule: str, start: dt.date, end: dt.date, calendar: Calendar) -> dict[dt.date, list[TimeRange]]:
    """A rule's ranges per day, regional holidays applied as the rule says."""
    ranges = _open_ranges(rule, start, end, calendar)
    if mentions_holidays(rule):
        for day in regional_holidays(start, end, calendar):
            ranges.pop(day, None)
            if holiday := _holiday_ranges(rule, day.weekday(), day.year, calendar):
                ranges[day] = list(holiday)
    return ranges


def _effective_ranges(
    rule: str, start: dt.date, end: dt.date, overrides: Sequence[Override], calendar: Calendar
) -> dict[dt.date, list[TimeRange]]:
    ranges = _rule_ranges(rule, start, end, calendar)
    for override in overrides:
        first, last = max(start, override.start), min(end, override.end)
        if first > last:
            continue
        replacement = _rule_ranges(override.rule, first, last, calendar) if override.rule else {}
        for day in _days(first, last):
            ranges.pop(day, None)
            if day in replacement:
                ranges[day] = replacement[day]
    return ranges


def sessions(
    rule: str,
    start: dt.date,
    end: dt.date,
    *,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    cancelled: Iterable[dt.date] = (),
    overrides: Sequence[Override] = (),
    calendar: Calendar = METROPOLE,
) -> list[Session]:
    """Every opening between two dates (inclusive), in order."""
    cancelled = set(cancelled)
    first = max(start, valid_from) if valid_from else start
    last = min(end, valid_until) if valid_until else end
    if first > last:
        return []
    result = []
    for day, ranges in sorted(_effective_ranges(rule, first, last, overrides, calendar).items()):
        if day in cancelled:
            continue
        for begin, finish in ranges:
            stop = (
                _at(day + dt.timedelta(days=1), calendar)
                if finish == dt.time(0)
                else _at(day, calendar, finish.hour, finish.minute)
            )
            result.append(Session(_at(day, calendar, begin.hour, begin.minute), stop))
    return result


# --- reading a rule back as recurrences --------------------------------------


def ordinal_in_month(day: dt.date) -> int:
    """1 for the first Tuesday of a month, 2 for the second..."""
    return (day.day - 1) // 7 + 1


def is_last_in_month(day: dt.date) -> bool:
    return day.day + 7 > _calendar.monthrange(day.year, day.month)[1]


def _ordinals(held: set[dt.date], candidates: list[dt.date]) -> tuple[int, ...] | None:
    """The weeks of the month that give exactly `held` among `candidates` (one weekday).

    () means every week. None: no such description (every other week, seasons).
    """

    def matches(ordinals: set[int]) -> bool:
        return held == {
            d for d in candidates if ordinal_in_month(d) in ordinals or (LAST in ordinals and is_last_in_month(d))
        }

    if held == set(candidates):
        return ()
    tries = [
        {ordinal_in_month(d) for d in held},
        {LAST},
        {ordinal_in_month(d) for d in held if not is_last_in_month(d)} | {LAST},
    ]
    for ordinals in tries:
        if matches(ordinals):
            return tuple(sorted(o for o in ordinals if o != LAST)) + ((LAST,) if LAST in ordinals else ())
    return None


@lru_cache(maxsize=4096)
def pattern(rule: str, today: dt.date, calendar: Calendar = METROPOLE) -> Pattern | None:
    """The recurrences of a rule over the coming year, or None when there are none
    that words can say (every other week, seasons, single dates).

    Public holidays are left out while reading the pattern, then described on
    their own. Cached: many places share the same hours, and each language asks.
    """
    monday = today - dt.timedelta(days=today.weekday())
    last = monday + dt.timedelta(days=PATTERN_DAYS - 1)
    holidays = set(public_holidays(monday, last, calendar))
    ranges = _rule_ranges(rule, monday, last, calendar)
    days = [d for d in _days(monday, last) if d not in holidays]

    # Each time range on each weekday is a recurrence of its own, so that
    # 'Tu 09:00-12:00; Tu[2] 14:00-16:00' reads as every Tuesday morning and
    # the 2nd Tuesday afternoon.
    held: dict[tuple[int, TimeRange], set[dt.date]] = {}
    for day in days:
        for time_range in ranges.get(day, ()):
            held.setdefault((day.weekday(), time_range), set()).add(day)
    if not held:
        return None
    merged: dict[tuple[int, tuple[int, ...]], list[TimeRange]] = {}
    for (weekday, time_range), dates in held.items():
        ordinals = _ordinals(dates, [d for d in days if d.weekday() == weekday])
        if ordinals is None:
            return None
        merged.setdefault((weekday, ordinals), []).append(time_range)
    recurrences = tuple(
        Recurrence(weekday, ordinals, tuple(sorted(time_ranges)))
        for (weekday, ordinals), time_ranges in sorted(
            merged.items(), key=lambda item: (item[0][0], bool(item[0][1]), item[0][1])
        )
    )

    # On the holidays of the coming year that fall on a session day, is it open?
    expected = {d: _expected(recurrences, d) for d in sorted(holidays)}
    session_days = [d for d, usual in expected.items() if usual]
    actual = {d: tuple(ranges.get(d, ())) for d in session_days}
    closed = [d for d in session_days if not actual[d]]
    opened = {actual[d] for d in session_days if actual[d]}
    holiday_hours: tuple[TimeRange, ...] = ()
    if not mentions_holidays(rule):
        policy, closed = "unstated", []
    elif not session_days:
        # No holiday falls on a session day this year: the rule's own words say it.
        policy = "closed" if _CLOSED_ON_HOLIDAYS.search(rule) else "none"
    elif len(closed) == len(session_days):
        policy = "closed"
    elif not closed and all(actual[d] == expected[d] for d in session_days):
        policy = "open"
    elif not closed and len(opened) == 1:
        policy, holiday_hours = "other", next(iter(opened))
    else:
        policy = "varies"
    soon = today + dt.timedelta(weeks=PATTERN_WEEKS)
    upcoming = tuple(d for d in closed if today <= d <= soon)
    return Pattern(recurrences, policy, upcoming, holiday_hours)


def _expected(recurrences: Iterable[Recurrence], day: dt.date) -> tuple[TimeRange, ...]:
    """The ranges the recurrences give a day, as if it were not a holiday."""
    found: list[TimeRange] = []
    for recurrence in recurrences:
        if recurrence.weekday != day.weekday():
            continue
        ordinals = recurrence.ordinals
        if not ordinals or ordinal_in_month(day) in ordinals or (LAST in ordinals and is_last_in_month(day)):
            found.extend(recurrence.ranges)
    return tuple(sorted(found))


# --- a pattern as recurrence rules (iCalendar RRULE, Open Referral schedules) --

#: The weekday codes of iCalendar's BYDAY (RFC 5545), Monday first.
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Series:
    """One recurrence rule: one time range on some weekdays, every week or some weeks."""

    weekdays: tuple[int, ...]
    ordinals: tuple[int, ...]  # () every week, as in `Recurrence`
    times: TimeRange

    @property
    def freq(self) -> str:
        return "MONTHLY" if self.ordinals else "WEEKLY"

    @property
    def byday(self) -> list[str]:
        if not self.ordinals:
            return [WEEKDAY_CODES[d] for d in self.weekdays]
        return [f"{ordinal}{WEEKDAY_CODES[d]}" for d in self.weekdays for ordinal in self.ordinals]


def series_of(found: Pattern | None) -> list[Series]:
    """The recurrence rules of a pattern, one per time range.

    Weekdays with the same weeks and times share a rule ('Mo-Fr 08:30-12:00'
    is one rule on five days), as a calendar app would write it.
    """
    if found is None:
        return []
    days: dict[tuple[tuple[int, ...], TimeRange], list[int]] = {}
    for recurrence in found.recurrences:
        for times in recurrence.ranges:
            days.setdefault((recurrence.ordinals, times), []).append(recurrence.weekday)
    return [Series(tuple(sorted(weekdays)), ordinals, times) for (ordinals, times), weekdays in sorted(days.items())]
