"""Opening hours and session dates, evaluated with the `opening_hours` library.

Rules are OpenStreetMap ``opening_hours`` expressions, evaluated in
Europe/Paris wall-clock time with French public holidays (``PH``). On top of
a rule, a schedule may be bounded in time (``valid_from``/``valid_until``),
have cancelled dates, and temporary closures or changed hours.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, State

TIMEZONE = ZoneInfo("Europe/Paris")
COUNTRY = "FR"
#: How far ahead the pattern of a week is read, and holidays looked for.
PATTERN_WEEKS = 8
HOLIDAY_HORIZON_DAYS = 366

TimeRange = tuple[dt.time, dt.time]


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

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class WeeklyHours:
    """A regular week: for each weekday (0 = Monday), the time ranges it is open."""

    days: tuple[tuple[TimeRange, ...], ...]
    # "closed", "open" or "varies"; "none" when no holiday falls on an open day,
    # "unstated" when the rule does not say (no PH in it): nothing is claimed then.
    holidays: str
    holiday_closures: tuple[dt.date, ...]  # upcoming holidays that close an open day


def mentions_holidays(rule: str) -> bool:
    """Whether a rule says what happens on public holidays (PH)."""
    return re.search(r"\bPH\b", rule) is not None


def _at(day: dt.date, hour: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TIMEZONE)


@lru_cache(maxsize=4096)
def _parse(rule: str) -> OpeningHours:
    return OpeningHours(rule, timezone=TIMEZONE, country=COUNTRY)


@lru_cache(maxsize=64)
def public_holidays(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    """French public holidays between two dates (inclusive), as the library knows them."""
    days: list[dt.date] = []
    for begin, finish, state, _comment in _parse("PH").intervals(_at(start), _at(end + dt.timedelta(days=1))):
        if state == State.OPEN:
            day = begin.date()
            while _at(day) < finish:
                days.append(day)
                day += dt.timedelta(days=1)
    return tuple(days)


def _open_ranges(rule: str, start: dt.date, end: dt.date) -> dict[dt.date, list[TimeRange]]:
    """For each day from `start` to `end` (inclusive), the local time ranges it is open."""
    result: dict[dt.date, list[TimeRange]] = {}
    limit = _at(end + dt.timedelta(days=1))
    for begin, finish, state, _comment in _parse(rule).intervals(_at(start), limit):
        if state != State.OPEN:
            continue
        # An interval may span several days (24/7, 22:00-06:00): cut it at midnight.
        cursor = begin
        while cursor < finish:
            day = cursor.date()
            midnight = _at(day + dt.timedelta(days=1))
            stop = min(finish, midnight)
            end_time = dt.time(0) if stop == midnight else stop.timetz().replace(tzinfo=None)
            result.setdefault(day, []).append((cursor.timetz().replace(tzinfo=None), end_time))
            cursor = stop
    return result


def _effective_ranges(
    rule: str, start: dt.date, end: dt.date, overrides: Sequence[Override]
) -> dict[dt.date, list[TimeRange]]:
    ranges = _open_ranges(rule, start, end)
    for override in overrides:
        first, last = max(start, override.start), min(end, override.end)
        if first > last:
            continue
        replacement = _open_ranges(override.rule, first, last) if override.rule else {}
        day = first
        while day <= last:
            ranges.pop(day, None)
            if day in replacement:
                ranges[day] = replacement[day]
            day += dt.timedelta(days=1)
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
) -> list[Session]:
    """Every opening between two dates (inclusive), in order."""
    cancelled = set(cancelled)
    first = max(start, valid_from) if valid_from else start
    last = min(end, valid_until) if valid_until else end
    if first > last:
        return []
    result = []
    for day, ranges in sorted(_effective_ranges(rule, first, last, overrides).items()):
        if day in cancelled:
            continue
        for begin, finish in ranges:
            stop = _at(day + dt.timedelta(days=1)) if finish == dt.time(0) else _at(day).replace(
                hour=finish.hour, minute=finish.minute
            )
            result.append(Session(_at(day).replace(hour=begin.hour, minute=begin.minute), stop))
    return result


@lru_cache(maxsize=4096)
def weekly_hours(rule: str, today: dt.date) -> WeeklyHours | None:
    """The regular week of a rule, or None when weeks differ (``Tu[2]``, seasons).

    Cached: many places share the same hours, and a page per language asks again.
    """
    monday = today - dt.timedelta(days=today.weekday())
    last = monday + dt.timedelta(weeks=PATTERN_WEEKS) - dt.timedelta(days=1)
    holidays = set(public_holidays(monday, monday + dt.timedelta(days=HOLIDAY_HORIZON_DAYS)))
    ranges = _open_ranges(rule, monday, last)
    patterns: list[Counter[tuple[TimeRange, ...]]] = [Counter() for _ in range(7)]
    day = monday
    while day <= last:
        if day not in holidays:
            patterns[day.weekday()][tuple(ranges.get(day, ()))] += 1
        day += dt.timedelta(days=1)
    if any(len(counter) != 1 for counter in patterns):
        return None
    week = tuple(next(iter(counter)) for counter in patterns)
    if not any(week):
        return None

    # On the holidays of the coming year that fall on an open weekday, is it open?
    open_days = [h for h in sorted(holidays) if week[h.weekday()]]
    closed = [h for h in open_days if not _open_ranges(rule, h, h).get(h)]
    if not mentions_holidays(rule):
        policy, closed = "unstated", []
    elif not open_days:
        policy = "none"
    elif len(closed) == len(open_days):
        policy = "closed"
    elif not closed:
        policy = "open"
    else:
        policy = "varies"
    soon = today + dt.timedelta(weeks=PATTERN_WEEKS)
    upcoming = tuple(h for h in closed if today <= h <= soon)
    return WeeklyHours(days=week, holidays=policy, holiday_closures=upcoming)
