"""Opening hours and session schedules in words, in the reader's language.

    Lundi à vendredi : 8 h 30 – 12 h, 13 h 30 – 17 h
    2e mardi du mois, 9 h – 12 h (sauf jours fériés)

Day names, lists and times come from CLDR (babel); the phrases that put them
together ("%(first)s to %(last)s", "%(ordinals)s %(weekday)s of the month")
from the catalogs, so that each language orders the words its own way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from ..i18n import N_
from ..records.schedule import LAST, OPEN_END, UNKNOWN, Pattern, Recurrence, TimeRange, overnight
from .localize import Localizer
from .markup import html_text

ORDINALS = {
    1: N_("1st (week of the month)"),
    2: N_("2nd (week of the month)"),
    3: N_("3rd (week of the month)"),
    4: N_("4th (week of the month)"),
    5: N_("5th (week of the month)"),
    LAST: N_("last (week of the month)"),
}

#: Consecutive days from this many on are written as a range: 'lundi à jeudi'.
RANGE_FROM = 3


@dataclass(frozen=True)
class HoursRow:
    days: Markup  # 'Lundi à vendredi', '2e mardi du mois'
    times: Markup  # '8 h 30 – 12 h, 13 h 30 – 17 h', or 'fermé'


@dataclass(frozen=True)
class HoursView:
    rows: list[HoursRow]
    holidays: Markup  # what happens on public holidays, may be empty
    closures: list[Markup]  # upcoming public holidays that close it
    summary: Markup  # the whole on one line, for cards and calendars


def times(ranges: Sequence[TimeRange], loc: Localizer) -> Markup:
    """'8 h 30 – 12 h, 13 h 30 – 17 h'; each range kept whole when lines wrap."""
    return loc.join(
        Markup('<span class="portal-nowrap">{}</span>').format(html_text(loc.time_range(a, b))) for a, b in ranges
    )


def weekday_runs(weekdays: Sequence[int], loc: Localizer) -> Markup:
    """[0, 1, 2, 3, 5] -> 'lundi à jeudi et samedi'."""
    runs: list[list[int]] = []
    for day in sorted(weekdays):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[Markup | str] = []
    for run in runs:
        if len(run) >= RANGE_FROM:
            parts.append(loc.gettext("%(first)s to %(last)s", first=loc.weekdays[run[0]], last=loc.weekdays[run[-1]]))
        else:
            parts.extend(loc.weekdays[day] for day in run)
    return loc.join(parts)


def _monthly(recurrence: Recurrence, loc: Localizer) -> Markup:
    """'2e mardi du mois', '1er et 3e jeudis du mois' as the catalog puts it."""
    ordinals = loc.join(loc.gettext(ORDINALS[o]) for o in recurrence.ordinals)
    return loc.ngettext(
        "%(ordinals)s %(weekday)s of the month",
        "%(ordinals)s %(weekday)s of the month",
        len(recurrence.ordinals),
        ordinals=ordinals,
        weekday=loc.weekdays[recurrence.weekday],
    )


def _capitalized(text: Markup) -> Markup:
    # The first character of escaped text is never part of an entity or a tag
    # unless the text starts with one; then it is left as it is.
    if text[:1] in "<&":
        return text
    return Markup(text[:1].upper() + text[1:])


def _nowrap(text: str | Markup) -> Markup:
    return Markup('<span class="portal-nowrap">{}</span>').format(html_text(str(text)))


def said(recurrence: Recurrence, loc: Localizer) -> Markup:
    """One recurrence's times with their doubt and comment.

    '8 h 30 – 12 h', 'à partir de 17 h, fermeture variable', '10 h – 20 h,
    ouverture incertaine : appelez avant', each followed by the rule's comment
    as written ("Sans rendez-vous"), in the language it was written in.
    """
    if recurrence.state == OPEN_END:
        text = loc.join(
            loc.gettext("from %(time)s, closing time varies", time=_nowrap(loc.time(a))) for a, _ in recurrence.ranges
        )
    elif recurrence.state == UNKNOWN:
        if recurrence.ranges == ((dt.time(0), dt.time(0)),):
            text = loc.gettext("may be open: call before you go")
        else:
            text = loc.gettext("%(times)s, may be open: call before you go", times=times(recurrence.ranges, loc))
    else:
        text = times(recurrence.ranges, loc)
    if recurrence.comment:
        quote = Markup("<q{}>{}</q>").format(loc.source_attributes(), recurrence.comment)
        text = loc.gettext("%(times)s (%(comment)s)", times=text, comment=quote)
    return text


def rows(pattern: Pattern, loc: Localizer, *, closed_days: bool = False) -> list[HoursRow]:
    """One row per group of days with the same hours, in weekday order.

    `closed_days` adds the days it is closed, for a regular week (a place's
    hours); a permanence's other days go without saying.
    """
    pattern = overnight(pattern)
    groups: dict[tuple[Recurrence, ...], list[int]] = {}
    for weekday, day in enumerate(pattern.weekly_days()):
        if day:
            # the same hours on other days: compare them without the weekday
            groups.setdefault(tuple(replace(r, weekday=0) for r in day), []).append(weekday)
    entries: list[tuple[int, HoursRow]] = [
        (days[0], HoursRow(_capitalized(weekday_runs(days, loc)), loc.join(said(r, loc) for r in day)))
        for day, days in groups.items()
    ]
    entries += [
        (r.weekday, HoursRow(_capitalized(_monthly(r, loc)), said(r, loc))) for r in pattern.recurrences if not r.weekly
    ]
    entries.sort(key=lambda entry: entry[0])
    result = [row for _, row in entries]
    if closed_days and pattern.weekly:
        closed = [day for day, recurrences in enumerate(pattern.weekly_days()) if not recurrences]
        if closed:
            result.append(HoursRow(_capitalized(weekday_runs(closed, loc)), loc.gettext("closed")))
    return result


def holidays_sentence(pattern: Pattern, loc: Localizer) -> Markup:
    if pattern.holidays == "closed":
        return loc.gettext("Closed on public holidays.")
    if pattern.holidays == "open":
        return loc.gettext("Open on public holidays.")
    if pattern.holidays == "other":
        return loc.gettext("On public holidays: %(times)s.", times=times(pattern.holiday_hours, loc))
    if pattern.holidays == "varies":
        return loc.gettext("Hours vary on public holidays: call before you go.")
    return Markup("")  # "none", "unstated": nothing to say, nothing claimed


def summary(pattern: Pattern, loc: Localizer) -> Markup:
    """'2e mardi du mois, 9 h – 12 h (sauf jours fériés)'."""
    line = Markup("")
    for row in rows(pattern, loc):
        part = loc.gettext("%(days)s, %(times)s", days=row.days, times=row.times)
        line = loc.gettext("%(hours)s; %(more)s", hours=line, more=part) if line else part
    if pattern.holidays == "closed":
        line = loc.gettext("%(hours)s (except public holidays)", hours=line)
    return line


def hours_view(pattern: Pattern, loc: Localizer, *, closed_days: bool = False) -> HoursView:
    closures = [
        loc.gettext("Closed on %(date)s (public holiday).", date=loc.date(day)) for day in pattern.holiday_closures
    ]
    return HoursView(
        rows=rows(pattern, loc, closed_days=closed_days),
        holidays=holidays_sentence(pattern, loc),
        closures=closures,
        summary=summary(pattern, loc),
    )
