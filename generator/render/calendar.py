"""Calendar views: the drop-in sessions of the coming weeks, week by week, day by day.

This week comes first, then next week, then the weeks after that have a
session. Each entry says what a resident needs to decide whether to go: when,
where, what for, whether to book, which languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from .. import routes
from ..i18n.labels import APPOINTMENT_LABELS
from ..records.directory import UPCOMING_WEEKS
from . import views as v
from .context import RenderContext
from .markup import html_text


@dataclass(frozen=True)
class Entry:
    time: Markup  # '9 h – 12 h'
    link: v.Link  # the permanence
    place: Markup  # 'Mairie de Pipriac, Pipriac'
    what: Markup  # what residents can come for: its categories
    appointment: Markup  # 'Sans rendez-vous'; empty when not said
    languages: Markup  # 'Langues : français, arabe'; empty when not said
    end: int  # Unix seconds: the page's script hides the entry after


@dataclass(frozen=True)
class Day:
    label: Markup  # 'mardi 8 décembre 2026'
    entries: list[Entry]


@dataclass(frozen=True)
class Week:
    monday: str  # ISO date, for the page's script to say "this week" right on later days
    relative: Markup  # 'Cette semaine', 'La semaine prochaine', or empty
    dates: Markup  # '30 nov. – 6 déc.'
    days: list[Day]


def _entry_parts(ctx: RenderContext, pid: str) -> tuple[v.Link, Markup, Markup, Markup, Markup]:
    directory, loc = ctx.directory, ctx.loc
    permanence = directory.permanences[pid]
    place = directory.place_of_permanence(pid)
    commune = html_text(directory.communes[place.address.commune].name)
    where = (
        loc.gettext("%(place)s, %(commune)s", place=loc.text(place.name), commune=commune) if place.name else commune
    )
    labels = [
        directory.taxonomy.categories[c].label for c in permanence.categories if c in directory.taxonomy.categories
    ]
    if labels:
        what = loc.join(loc.text(label) for label in labels)
    else:
        what = loc.join(
            loc.text(directory.dispositifs[d].name) for d in permanence.dispositifs if d in directory.dispositifs
        )
    appointment = (
        loc.gettext(APPOINTMENT_LABELS[permanence.appointment.policy]) if permanence.appointment else Markup("")
    )
    languages = (
        loc.gettext("Languages: %(languages)s", languages=loc.join(loc.language_name(c) for c in permanence.languages))
        if permanence.languages
        else Markup("")
    )
    return v.Link.to(loc.text(permanence.name), routes.permanence(pid)), where, what, appointment, languages


def weeks(ctx: RenderContext, pids: Iterable[str], *, skip_empty: bool = False) -> list[Week]:
    """The sessions of some permanences in the coming weeks, by week.

    This week comes first, even without a session (it says so), unless
    `skip_empty`: then there is no week at all when there is no session.
    """
    directory, loc, today = ctx.directory, ctx.loc, ctx.today
    this_monday = today - dt.timedelta(days=today.weekday())
    by_day: dict[dt.date, list[tuple[dt.datetime, str, Entry]]] = {}
    for pid in pids:
        if directory.has_ended(pid):
            continue
        link, where, what, appointment, languages = _entry_parts(ctx, pid)
        # uncertain sessions too, said with their doubt; each with the rule's comment
        for session in directory.listed_sessions.get(pid, []):
            entry = Entry(
                time=v.session_times(session, loc),
                link=link,
                place=where,
                what=what,
                appointment=appointment,
                languages=languages,
                end=int(v.session_until(session).timestamp()),
            )
            by_day.setdefault(session.date, []).append((session.start, pid, entry))

    result: list[Week] = []
    for index in range(UPCOMING_WEEKS + 1):
        monday = this_monday + dt.timedelta(weeks=index)
        days = [
            Day(html_text(loc.date(day)), [entry for _, _, entry in sorted(by_day[day], key=lambda e: e[:2])])
            for day in (monday + dt.timedelta(days=n) for n in range(7))
            if day in by_day
        ]
        if not days and (index > 0 or skip_empty):
            continue
        relative = {0: loc.gettext("This week"), 1: loc.gettext("Next week")}.get(index, Markup(""))
        sunday = monday + dt.timedelta(days=6)
        dates = html_text(loc.week_range(monday, sunday))
        result.append(Week(monday.isoformat(), relative, dates, days))
    return result


def session_count(calendar: list[Week]) -> int:
    return sum(len(day.entries) for week in calendar for day in week.days)
