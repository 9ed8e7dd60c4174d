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
from dataclasses import dataclass, replace
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
    Alsace-Moselle, the abolition of slavery overseas). `coords` (latitude,
    longitude) is the place, for rules that follow the sun (`sunrise-sunset`).
    """

    zone: str = "Europe/Paris"
    subdivision: str | None = None
    coords: tuple[float, float] | None = None

    def at(self, latitude: float, longitude: float) -> Calendar:
        """The same calendar at a place (sun times are computed there)."""
        return replace(self, coords=(round(latitude, 3), round(longitude, 3)))

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
    comment: str = ""  # the rule's comment for these hours ("Sans rendez-vous"), as written
    # "open"; "unknown" (maybe) or "open_end" (from `start`, closing time not known; `end` is
    # `start` then): listed only when asked for, to be said with their doubt
    state: str = "open"

    @property
    def sure(self) -> bool:
        return self.state == "open"

    @property
    def date(self) -> dt.date:
        return self.start.date()


@dataclass(frozen=True)
class Override:
    """Temporary change between two dates (inclusive): closed, or other hours."""

    start: dt.date
    end: dt.date
    rule: str | None = None  # None: closed


#: How sure a range is: open, `unknown` in the rule ("maybe"), or an open end
#: (`17:00+`: it opens then, nobody says when it closes).
OPEN, UNKNOWN, OPEN_END = "open", "unknown", "open_end"


@dataclass(frozen=True, order=True)
class Span:
    """One range of one day as the rule gives it, with its certainty and comment.

    An open end is (start, start): only the start is known.
    """

    start: dt.time
    end: dt.time  # dt.time(0): midnight at the end of the day
    state: str = OPEN
    comment: str = ""

    @property
    def times(self) -> TimeRange:
        return (self.start, self.end)


@dataclass(frozen=True)
class Recurrence:
    """Sessions on one weekday: every week, or some weeks of the month.

    `state` and `comment` are those of all its ranges: a day with a sure
    morning and a doubtful evening has two recurrences.
    """

    weekday: int  # 0 = Monday
    ordinals: tuple[int, ...]  # () every week; (2,) the 2nd; (1, 3); (LAST,) the last
    ranges: tuple[TimeRange, ...]
    state: str = OPEN
    comment: str = ""

    @property
    def sure(self) -> bool:
        """Open as said, nothing to doubt (a comment may still go with it)."""
        return self.state == OPEN

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

    @property
    def sure(self) -> bool:
        """Every range is open as said: no `unknown`, no open end."""
        return all(r.sure for r in self.recurrences)

    def week(self) -> tuple[tuple[TimeRange, ...], ...]:
        """For each weekday, the ranges surely open every week (monthly and doubtful ones left out)."""
        days: list[tuple[TimeRange, ...]] = [() for _ in range(7)]
        for recurrence in self.recurrences:
            if recurrence.weekly and recurrence.sure:
                days[recurrence.weekday] += recurrence.ranges
        return tuple(days)

    def weekly_days(self) -> tuple[tuple[Recurrence, ...], ...]:
        """For each weekday, its weekly recurrences (sure, doubtful, with comments)."""
        days: list[tuple[Recurrence, ...]] = [() for _ in range(7)]
        for recurrence in self.recurrences:
            if recurrence.weekly:
                days[recurrence.weekday] += (recurrence,)
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


_WEEKDAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)"
#: 'Mo, Tu 10:00-12:00': the library reads 'Mo' as a rule of its own (open all
#: day) and ', ' as the separator of additional rules; people mean a list.
_SPACED_LIST = re.compile(rf"\b({_WEEKDAY}(?:\[[^\]]*\])?(?:-{_WEEKDAY}(?:\[[^\]]*\])?)?),\s+(?={_WEEKDAY}\b)")
_COMMENT = re.compile(r'"[^"]*"')
#: What makes a rule part say a state: times, sun events, 24/7 or a keyword.
_STATED = re.compile(r"\d\d?:\d\d|\b(?:sunrise|sunset|dawn|dusk|open|closed|off|unknown)\b|24/7")
#: Open ends: '17:00+' (opens at 17:00) and '12:00-16:00+' (closes after 16:00, when is not known).
_OPEN_START = re.compile(r"(?<![-\d:])(\d\d?):(\d\d)\+")
_OPEN_AFTER = re.compile(r"-(\d\d?):(\d\d)\+")
#: A rule part that starts with its times (no days): it applies to every day.
_NO_DAYS = re.compile(r"^(?:\d\d?:\d\d|sunrise|sunset|dawn|dusk|\()")
_SUN = re.compile(r"\b(?:sunrise|sunset|dawn|dusk)\b")
#: 'sunrise+', '(sunrise+01:00)+': an open end after a sun time (not an offset, 'sunrise+01:00').
_SUN_OPEN_END = re.compile(r"(?:\b(?:sunrise|sunset|dawn|dusk)|\))\+(?!\s*\d)")


def rule_parts(rule: str) -> list[str]:
    """The rules of an expression, split at ';' outside comments."""
    parts, current, quoted = [], "", False
    for char in rule:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def spaced_lists(rule: str) -> list[str]:
    """The weekday lists written with spaces ('Mo, Tu'), that the library reads otherwise."""
    return [m.group(0) for m in _SPACED_LIST.finditer(_COMMENT.sub('""', rule))]


def comment_only(part: str) -> bool:
    """'Su "on some Sundays"': a comment and no state, which the specification reads as unknown."""
    return bool(_COMMENT.search(part)) and not _STATED.search(_COMMENT.sub('""', part))


def engine_rule(rule: str) -> str:
    """The rule as the library should read it to mean what it looks like.

    'Mo, Tu 10:00-12:00' becomes 'Mo,Tu 10:00-12:00'; a day given only a
    comment ('Su "some Sundays"') is unknown, not open all day; hours without
    days after a rule with days ('Mo-Fr 08:30-12:00; 14:00-17:00') are added to
    every day, not put in place of the earlier hours: as the reference library
    (opening_hours.js) reads them. `check` warns about the first and the last.
    """
    parts: list[str] = []
    seen_days = False
    for part in rule_parts(rule):
        comments = _COMMENT.findall(part)
        bare = _SPACED_LIST.sub(r"\1,", _COMMENT.sub('""', part))
        # the comments back in their places (a comment holds no '"')
        bare = bare.replace('""', "\x00")
        for comment in comments:
            bare = bare.replace("\x00", comment, 1)
        if comment_only(bare):
            at = bare.index('"')
            bare = f"{bare[:at].rstrip()} unknown {bare[at:]}".lstrip()
        bare += _after_midnight(bare)
        if _NO_DAYS.match(bare) and seen_days:
            parts[-1] = f"{parts[-1]}, Mo-Su {bare}"
            continue
        seen_days = seen_days or not _NO_DAYS.match(bare)
        parts.append(bare)
    return "; ".join(parts)


def _after_midnight(part: str) -> str:
    """'Sa 11:00-02:00' goes on until 2 a.m. on Sunday, even when an earlier rule
    gives Sunday its own hours: said as an additional rule, ', Su 00:00-02:00'.

    The library keeps the hours after midnight only when the next day has no
    rule of its own; the reference keeps them unless a later rule replaces
    that day. Only plain weekdays and times are handled.
    """
    match = _WEEKDAYS_ONLY.match(part)
    if match is None or not re.fullmatch(r"[\d:,\s-]+", match[2]):
        return ""
    ends = [(c, d) for a, b, c, d in _RANGE.findall(match[2]) if (int(c), int(d)) < (int(a), int(b))]
    if not ends:
        return ""
    days = ",".join(_DAY_CODES[(day + 1) % 7] for day in sorted(_weekday_set(match[1])))
    return f", {days} " + ",".join(f"00:00-{int(c):02}:{d}" for c, d in ends)


def bare_additional(rule: str) -> str | None:
    """A selector without hours before ', ' ('2012, Jan'): the first of an additional
    rule that does not say anything, which the reference refuses."""
    for part in rule_parts(engine_rule(rule)):
        segments = re.split(r",\s+", _COMMENT.sub('""', part))
        for segment in segments[:-1]:
            if not _STATED.search(segment):
                return segment
    return None


_SUN_EVENT = r"(?:sunrise|sunset|dawn|dusk)"
#: The traps where the reference library (opening_hours.js) and ours read a rule
#: differently, or where one of them refuses it: `check` refuses them, with what to
#: write instead, rather than let a page say one of two readings with confidence.
_UNRELIABLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(rf"\bPH\s*[+-]\s*\d+\s*days?\s+(?:SH\s+)?{_WEEKDAY}\b"),
        "la veille ou le lendemain d'un jour férié, limité à certains jours ('PH -1 day Mo-We'), est "
        "lu de façons différentes par les outils d'horaires : donnez les dates elles-mêmes, comme "
        "'Dec 24,Dec 31 09:00-12:00'",
    ),
    (
        re.compile(rf"\bPH\s+{_WEEKDAY}\b|\b{_WEEKDAY}(?:-{_WEEKDAY})?(?:,{_WEEKDAY}(?:-{_WEEKDAY})?)*\s+PH\b"),
        "des jours fériés et des jours de la semaine séparés par une espace ('PH We,Fr') veulent dire, "
        "pour certains outils, les seuls jours fériés qui tombent ces jours-là, et pour d'autres, chacun "
        "de ces jours : pour ouvrir tous les jours fériés et ces jours-là, joignez-les par une virgule "
        "('PH,We,Fr') ; sinon, donnez les dates",
    ),
    (
        re.compile(r"(?:^|;)\s*(?:\d{4}\s+)?PH\s+(?:\d\d?:\d\d-\d\d?:\d\d,\s*)*(\d\d?):(\d\d)-(\d\d?):(\d\d)"),
        "",  # checked below: holiday hours past midnight
    ),
    (
        re.compile(r"-\s*easter\b"),
        "une période qui finit à Pâques est lue de façons différentes par les outils d'horaires : donnez "
        "les dates de la période pour l'année, comme 'Apr 03-Apr 07', et vérifiez-les chaque année",
    ),
    (
        re.compile(r'(?:^|;)\s*""\s*:'),
        "un commentaire à la place des jours ('\"à Pâques\": off') est lu de façons différentes par les "
        "outils d'horaires : donnez les jours ou les dates, et mettez le commentaire après les horaires",
    ),
    (
        re.compile(r"\bweek\s*\d\d?-\d\d?/(?:0*1|2[7-9]|[3-9]\d)\b"),
        "une périodicité de semaines va de 2 à 26 ('week 01-53/2' : une semaine sur deux) ; pour "
        "toutes les semaines de la période, enlevez le '/1'",
    ),
    (
        re.compile(r"\b(\d{4})\s*-\s*\1\b"),
        "une période d'années qui va d'une année à la même année : donnez l'année une fois, comme '2027 Jan 05'",
    ),
    (
        re.compile(
            rf"\b(?:{'|'.join(('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'))})\s*\d\d?\+"
        ),
        "une date suivie de '+' ('Sep 15+') n'est pas comprise par tous les outils : donnez la période, "
        "comme 'Sep 15-Oct 31'",
    ),
    (
        # sunrise is after 06:00 and sunset before 18:00 somewhere in France some day of the year
        re.compile(r"\b(?:sunrise|dawn)\s*-\s*0?[0-9]:\d\d|\b(?:1[7-9]|2[0-3]):\d\d\s*-\s*\(?(?:sunset|dusk)\b"),
        "une plage entre le soleil et une heure fixe s'inverse les jours où le soleil passe cette "
        "heure, et les outils la lisent alors ouverte toute la nuit : donnez des heures fixes, ou des "
        "heures du soleil aux deux bouts",
    ),
)


def unreliable(rule: str) -> str | None:
    """Why the hours tools would read a rule in different ways, and what to write instead;
    None when they agree (see `_UNRELIABLE`)."""
    bare = _COMMENT.sub('""', rule)
    if _SUN_OPEN_END.search(bare) and re.search(r"\b(?:off|closed)\b", bare):
        return (
            "une fin ouverte après une heure du soleil ('sunset+') avec des jours fermés est lue de façons "
            "différentes par les outils d'horaires la nuit après un jour fermé : donnez une heure de "
            "fermeture, comme 'sunrise-22:00'"
        )
    for pattern, advice in _UNRELIABLE:
        for match in pattern.finditer(bare):
            if advice:
                return advice
            start, end = int(match[1]) * 60 + int(match[2]), int(match[3]) * 60 + int(match[4])
            if end <= start or end > 24 * 60:
                return (
                    "des horaires de jour férié qui passent minuit ('PH 08:00-02:00') sont lus de façons "
                    "différentes par les outils d'horaires : arrêtez-les à 24:00, et dites les horaires de "
                    "la nuit dans les précisions du rendez-vous"
                )
    for start, end, more in re.findall(r"(\d\d?:\d\d)\s*-\s*(\d\d?:\d\d)(\+?)", bare):
        a, b = (int(t[: t.index(":")]) * 60 + int(t[t.index(":") + 1 :]) for t in (start, end))
        # the reference reads up to 48:00, and an open end only within 24 hours
        if b > 48 * 60 or (more and b - a > 24 * 60):
            return (
                f"« {start}-{end}{more} » va trop loin après minuit pour que tous les outils le lisent : "
                "donnez à chaque jour ses propres horaires"
            )
    return None


def follows_sun(rule: str) -> bool:
    """Whether a rule has times set by the sun (sunrise, dusk...)."""
    return _SUN.search(_COMMENT.sub('""', rule)) is not None


_DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_WEEKDAYS_ONLY = re.compile(
    r"^((?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*)\s+(\d.*)$"
)
_RANGE = re.compile(r"(\d\d?):(\d\d)\s*-\s*(\d\d?):(\d\d)")


def _weekday_set(selector: str) -> set[int]:
    days: set[int] = set()
    for item in selector.split(","):
        first, _, last = item.partition("-")
        a, b = _DAY_CODES.index(first), _DAY_CODES.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
    return days


def _minutes(part: str) -> list[tuple[int, int]]:
    ranges = []
    for m in _RANGE.finditer(part):
        a, b = int(m[1]) * 60 + int(m[2]), int(m[3]) * 60 + int(m[4])
        ranges.append((a, b if b > a else b + 24 * 60))
    return ranges


@dataclass(frozen=True)
class Trap:
    """A rule that the library reads differently from what it seems to say."""

    kind: str  # "spaced_list", "no_days", "replaced"
    part: str  # the part of the rule at fault
    earlier: str = ""  # the part it replaces; for a spaced list, how it is read
    days: tuple[int, ...] = ()  # the weekdays where it does


def traps(rule: str) -> list[Trap]:
    """The known traps of a rule, for `check`'s warnings."""
    found = [
        Trap("spaced_list", part, _SPACED_LIST.sub(r"\1,", part)) for part in rule_parts(rule) if spaced_lists(part)
    ]
    parts = [engine_rule(part) for part in rule_parts(rule)]  # one by one: as written
    seen_days = False
    for index, part in enumerate(parts):
        bare = _COMMENT.sub('""', part)
        if _NO_DAYS.match(bare):
            if seen_days:
                found.append(Trap("no_days", part, parts[index - 1]))
        else:
            seen_days = True
        later = _WEEKDAYS_ONLY.match(bare)
        if later is None or re.search(r"\b(?:off|closed)\b", bare):
            continue
        for earlier_part in parts[:index]:
            earlier = _WEEKDAYS_ONLY.match(_COMMENT.sub('""', earlier_part))
            if earlier is None:
                continue
            shared = _weekday_set(earlier[1]) & _weekday_set(later[1])
            before, after = _minutes(earlier[2]), _minutes(later[2])
            # Times that overlap are a change on purpose ('Mo-Fr 09:00-17:00; We 09:00-12:00');
            # times that do not were most likely meant to add hours.
            apart = all(b <= c or d <= a for a, b in before for c, d in after)
            if shared and before and after and apart:
                found.append(Trap("replaced", part, earlier_part, tuple(sorted(shared))))
    return found


@lru_cache(maxsize=4096)
def _parse(rule: str, calendar: Calendar) -> OpeningHours:
    return OpeningHours(engine_rule(rule), timezone=calendar.tz, country=COUNTRY, coords=calendar.coords)


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


def _times(matches: Iterable[re.Match[str]]) -> set[dt.time]:
    return {dt.time(int(m.group(1)) % 24, int(m.group(2))) for m in matches}


def _spans(rule: str, start: dt.date, end: dt.date, calendar: Calendar) -> dict[dt.date, list[Span]]:
    """For each day from `start` to `end` (inclusive), what the rule says of it: open
    or unknown ranges with their comments, local time.

    Only national holidays count as `PH` here; see `_holiday_spans`.
    """
    if "+" not in _COMMENT.sub('""', rule):
        return _read_spans(rule, start, end, calendar)
    # an open end the evening before makes the night uncertain: read from the day before
    before = _read_spans(rule, start - dt.timedelta(days=1), end, calendar)
    return {day: spans for day, spans in before.items() if day >= start}


def _read_spans(rule: str, start: dt.date, end: dt.date, calendar: Calendar) -> dict[dt.date, list[Span]]:
    result: dict[dt.date, list[Span]] = {}
    limit = _at(end + dt.timedelta(days=1), calendar)
    bare = _COMMENT.sub('""', rule)
    open_starts, open_after = _times(_OPEN_START.finditer(bare)), _times(_OPEN_AFTER.finditer(bare))
    for begin, finish, state, comment in _parse(rule, calendar).intervals(_at(start, calendar), limit):
        if state == State.CLOSED:
            continue
        status = OPEN if state == State.OPEN else UNKNOWN
        # An interval may span several days (24/7, 22:00-06:00): cut it at midnight.
        cursor = begin
        while cursor < finish:
            day = cursor.date()
            midnight = _at(day + dt.timedelta(days=1), calendar)
            stop = min(finish, midnight)
            end_time = dt.time(0) if stop == midnight else stop.timetz().replace(tzinfo=None)
            result.setdefault(day, []).append(Span(cursor.timetz().replace(tzinfo=None), end_time, status, comment))
            cursor = stop
    result = {day: _merged(spans) for day, spans in result.items()}
    if _SUN_OPEN_END.search(bare):
        # 'sunrise+': open from sunrise, nobody says until when (the library says midnight);
        # '14:00-sunset+': open until after sunset (the library says sunset)
        fixed = _times(re.finditer(r"(\d\d?):(\d\d)", bare))
        for day, spans in result.items():
            sun: list[Span] = []
            for s in spans:
                if s.state == OPEN and s.end == dt.time(0) and s.start != dt.time(0):
                    sun.append(Span(s.start, s.start, OPEN_END, s.comment))
                    continue
                sun.append(s)
                if s.state == OPEN and s.end != dt.time(0) and s.end not in fixed:
                    sun.append(Span(s.end, s.end, OPEN_END, s.comment))
            result[day] = sun
    if open_starts or open_after:
        # The library reads '17:00+' as open until midnight, and '12:00-16:00+' as
        # closing at 16:00: only the opening is known.
        for day, spans in result.items():
            read: list[Span] = []
            for span in spans:
                # '13:00-17:00,17:00+' comes as one span, 13:00 to midnight
                inside = sorted(
                    t
                    for t in open_starts
                    if t == span.start or (span.start != dt.time(0) and span.start < t and span.end == dt.time(0))
                )
                if inside and span.end == dt.time(0) and span.state == OPEN:
                    if span.start < inside[0]:
                        read.append(Span(span.start, inside[0], OPEN, span.comment))
                    read.append(Span(inside[0], inside[0], OPEN_END, span.comment))
                    continue
                if span.state == OPEN and any(span.start <= t < span.end for t in open_starts):
                    # '07:00+,12:00-16:00; 16:00-24:00 closed': the open end is cut by a later
                    # rule; where the library's one range holds the doubt is not known
                    span = Span(span.start, span.end, UNKNOWN, span.comment)
                read.append(span)
                if span.end in open_after and span.state == OPEN and span.end != dt.time(0):
                    read.append(Span(span.end, span.end, OPEN_END, span.comment))
            result[day] = read
        for day in sorted(result):
            after = day + dt.timedelta(days=1)
            # '11:00-24:00+': it closes after midnight, when is not known
            if (
                any(s.state == OPEN and s.end == dt.time(0) and s.end in open_after for s in result[day])
                and after <= end
            ):
                result.setdefault(after, []).insert(0, Span(dt.time(0), dt.time(0), OPEN_END, result[day][-1].comment))
        for day in sorted(result):
            # the night after an open end: what was said to close then may not
            if any(s.state == OPEN_END for s in result.get(day - dt.timedelta(days=1), ())):
                result[day] = [
                    Span(s.start, s.end, UNKNOWN, s.comment) if s.state == OPEN and s.start == dt.time(0) else s
                    for s in result[day]
                ]
    return result


def _minutes_of(time: dt.time, *, end: bool = False) -> int:
    return 24 * 60 if end and time == dt.time(0) else time.hour * 60 + time.minute


def _merged(spans: list[Span]) -> list[Span]:
    """Spans of one day in order, those that overlap or touch with the same state and comment made one
    (the hours after midnight are given twice when the library also keeps them)."""
    result: list[Span] = []
    for span in sorted(spans, key=lambda s: (_minutes_of(s.start), _minutes_of(s.end, end=True))):
        last = result[-1] if result else None
        if (
            last is not None
            and (last.state, last.comment) == (span.state, span.comment)
            and _minutes_of(span.start) <= _minutes_of(last.end, end=True)
        ):
            end = max(last.end, span.end, key=lambda t: _minutes_of(t, end=True))
            result[-1] = Span(last.start, end, last.state, last.comment)
        else:
            result.append(span)
    return result


@lru_cache(maxsize=4096)
def _holiday_spans(rule: str, weekday: int, year: int, calendar: Calendar) -> tuple[Span, ...]:
    """What a rule says of a public holiday falling on a weekday, around a year.

    The library knows only national holidays, so a regional one is read as
    the nearest national holiday on the same weekday (fixed-date holidays
    visit every weekday within a few years).
    """
    around = dt.date(year, 7, 1)
    span = dt.timedelta(days=6 * 366)
    candidates = [h for h in _national_holidays(around - span, around + span, calendar) if h.weekday() == weekday]
    nearest = min(candidates, key=lambda h: abs((h - around).days))
    return tuple(_spans(rule, nearest, nearest, calendar).get(nearest, ()))


def rule_spans(rule: str, start: dt.date, end: dt.date, calendar: Calendar = METROPOLE) -> dict[dt.date, list[Span]]:
    """A rule's spans per day, regional holidays applied as the rule says."""
    spans = _spans(rule, start, end, calendar)
    if mentions_holidays(rule):
        for day in regional_holidays(start, end, calendar):
            spans.pop(day, None)
            if holiday := _holiday_spans(rule, day.weekday(), day.year, calendar):
                spans[day] = list(holiday)
    return spans


@dataclass(frozen=True)
class Remarks:
    """What a list of dates leaves out of a rule: its comments and doubts."""

    comments: tuple[str, ...]
    unlisted: tuple[str, ...]  # the comments of uncertain openings only (sure dates carry their own)
    uncertain: bool  # `unknown` states or open ends, left out of the dates
    sun: bool  # times computed from the sun at the place


def remarks(rule: str, start: dt.date, end: dt.date, calendar: Calendar = METROPOLE) -> Remarks:
    """The comments and doubts of a rule between two dates, said beside its dates."""
    spans = [span for day_spans in rule_spans(rule, start, end, calendar).values() for span in day_spans]
    comments = tuple(dict.fromkeys(span.comment for span in spans if span.comment))
    unlisted = tuple(dict.fromkeys(span.comment for span in spans if span.comment and span.state != OPEN))
    return Remarks(comments, unlisted, any(span.state != OPEN for span in spans), follows_sun(rule))


def _sure(spans: dict[dt.date, list[Span]], doubtful: bool = False) -> dict[dt.date, list[Span]]:
    """The spans surely open, with their comments (and the doubtful ones when asked for)."""
    result = {day: [s for s in day_spans if doubtful or s.state == OPEN] for day, day_spans in spans.items()}
    return {day: kept for day, kept in result.items() if kept}


def _rule_ranges(
    rule: str, start: dt.date, end: dt.date, calendar: Calendar, doubtful: bool = False
) -> dict[dt.date, list[Span]]:
    return _sure(rule_spans(rule, start, end, calendar), doubtful)


def _effective_ranges(
    rule: str,
    start: dt.date,
    end: dt.date,
    overrides: Sequence[Override],
    calendar: Calendar,
    doubtful: bool = False,
) -> dict[dt.date, list[Span]]:
    ranges = _rule_ranges(rule, start, end, calendar, doubtful)
    for override in overrides:
        first, last = max(start, override.start), min(end, override.end)
        if first > last:
            continue
        replacement = _rule_ranges(override.rule, first, last, calendar, doubtful) if override.rule else {}
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
    doubtful: bool = False,
) -> list[Session]:
    """Every opening between two dates (inclusive), in order.

    Only sure openings, unless `doubtful`: then the uncertain ones too (their
    `state` says so), for lists that say them with their doubt.
    """
    cancelled = set(cancelled)
    first = max(start, valid_from) if valid_from else start
    last = min(end, valid_until) if valid_until else end
    if first > last:
        return []
    result = []
    for day, ranges in sorted(_effective_ranges(rule, first, last, overrides, calendar, doubtful).items()):
        if day in cancelled:
            continue
        for span in ranges:
            begin, finish = span.times
            stop = (
                _at(day + dt.timedelta(days=1), calendar)
                if finish == dt.time(0)
                else _at(day, calendar, finish.hour, finish.minute)
            )
            if span.state == OPEN_END:
                stop = _at(day, calendar, begin.hour, begin.minute)
            result.append(Session(_at(day, calendar, begin.hour, begin.minute), stop, span.comment, span.state))
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
    that words can say (every other week, seasons, single dates, sun times).

    Public holidays are left out while reading the pattern, then described on
    their own. The pattern is then expanded back into each day of the year and
    compared with what the library computes: words are given only when they
    say exactly that. Cached: many places share the same hours, and each
    language asks.
    """
    if follows_sun(rule):
        return None  # the times change every day: the dates are listed, computed at the place
    monday = today - dt.timedelta(days=today.weekday())
    last = monday + dt.timedelta(days=PATTERN_DAYS - 1)
    holidays = set(public_holidays(monday, last, calendar))
    spans = rule_spans(rule, monday, last, calendar)
    # The nights the clocks change: 02:00 does not exist or comes twice, the
    # library then says 03:00: the same moment, not another hour.
    shifts = {d for d in _days(monday, last) if _at(d, calendar).utcoffset() != end_of_day(d, calendar).utcoffset()}
    shifts |= {d + dt.timedelta(days=1) for d in shifts}
    days = [d for d in _days(monday, last) if d not in holidays and d not in shifts]

    # Each time range on each weekday is a recurrence of its own, so that
    # 'Tu 09:00-12:00; Tu[2] 14:00-16:00' reads as every Tuesday morning and
    # the 2nd Tuesday afternoon.
    held: dict[tuple[int, Span], set[dt.date]] = {}
    for day in days:
        for span in spans.get(day, ()):
            held.setdefault((day.weekday(), span), set()).add(day)
    if not held:
        return None
    merged: dict[tuple[int, tuple[int, ...], str, str], list[TimeRange]] = {}
    for (weekday, span), dates in held.items():
        ordinals = _ordinals(dates, [d for d in days if d.weekday() == weekday])
        if ordinals is None:
            return None
        merged.setdefault((weekday, ordinals, span.state, span.comment), []).append(span.times)
    recurrences = tuple(
        Recurrence(weekday, ordinals, tuple(sorted(time_ranges)), state, comment)
        for (weekday, ordinals, state, comment), time_ranges in sorted(
            merged.items(), key=lambda item: (item[0][0], bool(item[0][1]), item[0][1], item[0][2] != OPEN, item[0][3])
        )
    )

    # On the holidays of the coming year that fall on a session day, is it open?
    expected = {d: _expected(recurrences, d) for d in sorted(holidays)}
    session_days = [d for d, usual in expected.items() if usual]
    actual = {d: tuple(sorted(spans.get(d, ()))) for d in session_days}
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
    elif not closed and len(opened) == 1 and all(s.state == OPEN and not s.comment for s in next(iter(opened))):
        policy, holiday_hours = "other", tuple(s.times for s in next(iter(opened)))
    else:
        policy = "varies"
    if policy in ("open", "none"):
        # 'PH 09:00-12:00' also opens a holiday falling on a Saturday: "open on public
        # holidays" would not say it, the holiday hours do.
        every = {tuple(sorted(spans.get(d, ()))) for d in holidays}
        if len(every) == 1 and (only := next(iter(every))) and all(s.state == OPEN and not s.comment for s in only):
            if any(not expected[d] for d in holidays):
                policy, holiday_hours = "other", tuple(s.times for s in only)
    soon = today + dt.timedelta(weeks=PATTERN_WEEKS)
    upcoming = tuple(d for d in closed if today <= d <= soon)
    found = Pattern(recurrences, policy, upcoming, holiday_hours)
    # The self-check: what the words say, day by day, is what the library computes.
    said = expand(found, monday, last, holidays)
    computed = {d: sorted(s) for d, s in spans.items() if s and not (d in holidays and policy == "varies")}
    if {d: s for d, s in said.items() if d not in shifts} != {d: s for d, s in computed.items() if d not in shifts}:
        return None
    return found


def expand(found: Pattern, start: dt.date, end: dt.date, holidays: Iterable[dt.date]) -> dict[dt.date, list[Span]]:
    """What the words of a pattern say of each day from `start` to `end` (inclusive).

    On public holidays: closed, usual hours, or the holiday hours, as the words
    say; nothing when they say the hours vary (the day is left out), or when
    the rule says nothing of holidays (then the usual hours are expected).
    Hours that go on after midnight ('11 h – 1 h') reach into the next day.
    """
    off = set(holidays)
    usual: dict[dt.date, list[Span]] = {}
    for day in _days(start - dt.timedelta(days=1), end):
        for r in found.recurrences:
            if r.weekday != day.weekday() or not (
                not r.ordinals or ordinal_in_month(day) in r.ordinals or (LAST in r.ordinals and is_last_in_month(day))
            ):
                continue
            for a, b in r.ranges:
                if b != dt.time(0) and b < a and r.state != OPEN_END:
                    usual.setdefault(day, []).append(Span(a, dt.time(0), r.state, r.comment))
                    usual.setdefault(day + dt.timedelta(days=1), []).append(Span(dt.time(0), b, r.state, r.comment))
                else:
                    usual.setdefault(day, []).append(Span(a, b, r.state, r.comment))
    result: dict[dt.date, list[Span]] = {}
    for day in _days(start, end):
        spans = _merged(usual.get(day, []))
        if day in off and found.holidays == "other":
            spans = [Span(a, b) for a, b in found.holiday_hours]
        elif day in off and found.holidays in ("closed", "varies"):
            continue
        if spans:
            result[day] = spans
    return result


def overnight(found: Pattern) -> Pattern:
    """The pattern with the hours after midnight said on the day they start:
    Monday 11:00-24:00 and Tuesday 00:00-01:00 become Monday 11:00-01:00, as
    people say it. Weekly recurrences only."""
    recurrences = list(found.recurrences)
    for index, recurrence in enumerate(recurrences):
        late = [r for r in recurrence.ranges if r[1] == dt.time(0) and r[0] != dt.time(0)]
        if not recurrence.weekly or not late:
            continue
        for other_index, other in enumerate(recurrences):
            if (
                other.weekly
                and other.weekday == (recurrence.weekday + 1) % 7
                and (other.state, other.comment) == (recurrence.state, recurrence.comment)
            ):
                early = [r for r in other.ranges if r[0] == dt.time(0) and r[1] != dt.time(0)]
                if early:
                    (begin, _), (_, finish) = late[-1], early[0]
                    ranges = (*(r for r in recurrence.ranges if r != late[-1]), (begin, finish))
                    recurrences[index] = replace(recurrences[index], ranges=ranges)
                    recurrences[other_index] = replace(
                        recurrences[other_index], ranges=tuple(r for r in other.ranges if r != early[0])
                    )
                break
    return replace(found, recurrences=tuple(r for r in recurrences if r.ranges))


def _expected(recurrences: Iterable[Recurrence], day: dt.date) -> tuple[Span, ...]:
    """What the recurrences give a day, as if it were not a holiday."""
    found: list[Span] = []
    for recurrence in recurrences:
        if recurrence.weekday != day.weekday():
            continue
        ordinals = recurrence.ordinals
        if not ordinals or ordinal_in_month(day) in ordinals or (LAST in ordinals and is_last_in_month(day)):
            found.extend(Span(a, b, recurrence.state, recurrence.comment) for a, b in recurrence.ranges)
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
        if not recurrence.sure:
            continue  # a doubt is said in words, never exported as a firm opening
        for times in recurrence.ranges:
            days.setdefault((recurrence.ordinals, times), []).append(recurrence.weekday)
    return [Series(tuple(sorted(weekdays)), ordinals, times) for (ordinals, times), weekdays in sorted(days.items())]
