"""« Comment y aller »: the stops within walking distance of a place, their lines' times, and the
transport services (on-demand, solidarity) that serve its commune. Text first, no script.

The stops come from `Directory.stops_near` (computed once from the GTFS feeds, `transport.nearby`);
the transport services are records of the `transport` category (`transport.access`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace

from markupsafe import Markup

from .. import routes
from ..records.directory import Place
from ..records.models import Service
from ..records.types import LocalizedText
from ..transport.access import MAX_STOPS, transport_services_for
from ..transport.nearby import WALKING_DISTANCE, WALKING_SPEED, LineTimes, NearbyStop
from . import views as v
from .context import RenderContext
from .hours import weekday_runs
from .localize import Localizer, PhoneLink
from .markup import html_text

_DAY = 24 * 3600


@dataclass(frozen=True)
class LineView:
    name: Markup  # 'Ligne 1 (Redon – Pipriac), direction Pipriac Centre'
    when: list[Markup]  # one sentence per set of days: 'Lundi à vendredi : 6 départs, ...'


@dataclass(frozen=True)
class StopView:
    name: Markup
    distance: Markup  # '350 m, 5 minutes à pied'
    lines: list[LineView]


@dataclass(frozen=True)
class TransportServiceView:
    link: v.Link
    summary: Markup
    phones: list[tuple[Markup, PhoneLink]]
    facts: list[v.Fact]  # booking, who can use it, cost, as the record says them


@dataclass(frozen=True)
class GettingThereView:
    stops: list[StopView]
    no_stop: Markup  # said when the feeds have no stop within walking distance; empty otherwise
    sources: list[Markup]  # where the times come from, and how sure they are
    services: list[TransportServiceView]
    services_title: Markup
    directions: str  # OpenStreetMap's route planner to the place


def getting_there(ctx: RenderContext, place: Place) -> GettingThereView:
    directory, loc = ctx.directory, ctx.loc
    found = directory.stops_near.get((place.latitude, place.longitude), [])[:MAX_STOPS]
    no_stop = Markup("")
    ended = [day for feed in directory.feeds if (day := feed.last_day) is None or day < ctx.today]
    if directory.feeds and not found and ended:
        # Its stops are not listed (`nearby.usual_weekdays`): whether one is near is not known now.
        last = max((day for day in ended if day is not None), default=None)
        no_stop = loc.gettext(
            "The timetables we have ended on %(date)s: we cannot say which stops serve this place now. "
            "Ask the transport operator.",
            date=loc.date(last) if last else "—",
        )
    elif directory.feeds and not found:
        no_stop = loc.gettext(
            "No bus or coach stop within %(metres)s m (about %(minutes)s minutes on foot) in the timetables we have.",
            metres=WALKING_DISTANCE,
            minutes=round(WALKING_DISTANCE / (WALKING_SPEED * 1000 / 60)),
        )
    commune = directory.communes[place.address.commune]
    services = [
        ctx.remember(("transport-service", sid), functools.partial(_service_view, ctx, sid))
        for sid in transport_services_for(directory, place.address.commune)
        if sid != place.service_id
    ]
    return GettingThereView(
        stops=[_stop_view(stop, loc) for stop in found],
        no_stop=no_stop,
        sources=_sources(ctx, {stop.feed for stop in found}),
        services=services,
        services_title=loc.gettext(
            "Transport on request and volunteer drivers for %(commune)s", commune=html_text(commune.name)
        ),
        directions=f"https://www.openstreetmap.org/directions?route=%3B{place.latitude:.5f}%2C{place.longitude:.5f}",
    )


def _stop_view(stop: NearbyStop, loc: Localizer) -> StopView:
    return StopView(
        name=loc.source_text(stop.stop.name),
        distance=loc.ngettext(
            "%(metres)s m, %(n)s minute on foot",
            "%(metres)s m, %(n)s minutes on foot",
            stop.walking_minutes,
            metres=stop.distance,
        ),
        lines=_line_views(stop, loc),
    )


def _line_views(stop: NearbyStop, loc: Localizer) -> list[LineView]:
    """One entry per line and direction, with a sentence per set of days it runs."""
    views: dict[tuple[str, str, str], list[Markup]] = {}
    for line in stop.lines:
        views.setdefault((line.route.short_name, line.route.long_name, line.towards), []).append(_when(line, loc))
    result = []
    for (short, long, towards), when in views.items():
        # The number and the direction are what a stop's sign shows; the long name ('Redon –
        # Bains-sur-Oust – Pipriac') only when there is no number: a phone's line is short.
        name = loc.gettext("Line %(number)s", number=short) if short else loc.source_text(long)
        if towards != stop.stop.name:  # a loop ends where it starts: no direction to say
            name = loc.gettext("%(line)s, towards %(stop)s", line=name, stop=loc.source_text(towards))
        result.append(LineView(name, when))
    return result


def _clock(seconds: int) -> dt.time:
    # GTFS counts a trip after midnight as 24:10:00 of the day before: the clock says 0 h 10.
    seconds %= _DAY
    return dt.time(seconds // 3600, seconds % 3600 // 60)


def _when(line: LineTimes, loc: Localizer) -> Markup:
    days = _capitalized(weekday_runs(sorted(line.weekdays), loc))
    if line.departures == 1:
        times = loc.gettext("one departure, at %(time)s", time=_nowrap(loc.time(_clock(line.first))))
    else:
        times = loc.ngettext(
            "%(n)s departure, first at %(first)s, last at %(last)s",
            "%(n)s departures, first at %(first)s, last at %(last)s",
            line.departures,
            first=_nowrap(loc.time(_clock(line.first))),
            last=_nowrap(loc.time(_clock(line.last))),
        )
        if line.interval:
            times = loc.gettext("%(times)s, %(often)s", times=times, often=_how_often(line.interval, loc))
    return loc.gettext("%(days)s: %(times)s.", days=days, times=times)


def _nowrap(time: str) -> Markup:
    # '17 h 04' cut at the end of a line reads as two numbers.
    return Markup('<span class="portal-nowrap">{}</span>').format(time)


def _how_often(minutes: int, loc: Localizer) -> Markup:
    if minutes == 60:
        return loc.gettext("about every hour")
    if minutes > 60 and minutes % 60 == 0:
        return loc.ngettext("about every %(n)s hour", "about every %(n)s hours", minutes // 60)
    return loc.ngettext("about every %(n)s minute", "about every %(n)s minutes", minutes)


def _capitalized(text: Markup) -> Markup:
    if text[:1] in "<&":
        return text
    return Markup(text[:1].upper() + text[1:])


def _sources(ctx: RenderContext, feed_names: set[str]) -> list[Markup]:
    """Where the times come from (the feed's operators), the dates its timetable covers, and that
    they are indicative: a timetable changes and a feed can be late."""
    loc = ctx.loc
    sentences = []
    for feed in ctx.directory.feeds:
        if feed.name not in feed_names:
            continue
        who = loc.join(loc.source_text(name) for name in dict.fromkeys(feed.agencies.values())) or loc.source_text(
            feed.name
        )
        validity = feed.validity()
        if validity is None:
            sentences.append(loc.gettext("Times from the timetable of %(operator)s.", operator=who))
            continue
        start, end = validity
        sentences.append(
            loc.gettext(
                "Times from the timetable of %(operator)s, valid from %(start)s to %(end)s.",
                operator=who,
                start=loc.date(start),
                end=loc.date(end),
            )
        )
    if sentences:
        sentences.append(loc.gettext("Times are indicative: check with the transport operator before you go."))
    return sentences


def _service_view(ctx: RenderContext, sid: str) -> TransportServiceView:
    loc = ctx.loc
    service = ctx.directory.services[sid]
    facts = [
        _booking_fact(service, loc),
        _conditions_fact(service.conditions, loc),
        v.cost_fact(service.cost, service.cost_details, loc),
    ]
    return TransportServiceView(
        link=v.Link.to(loc.text(service.name), routes.service(sid)),
        summary=loc.text(service.summary),
        phones=v.phone_links(service.phones, loc),
        facts=[fact for fact in facts if fact is not None],
    )


def _booking_fact(service: Service, loc: Localizer) -> v.Fact | None:
    """How long before to book, as the record says it; its policy's label ('Sur rendez-vous')
    only when it says nothing more: under « Réservation » it would say the same twice."""
    appointment = service.appointment
    if appointment is None:
        return None
    fact = v.appointment_fact(appointment, loc)
    assert fact is not None
    if appointment.details is None:
        return replace(fact, label=loc.gettext("Booking"), icon=Markup(""))
    return v.Fact(loc.gettext("Booking"), fact.details)


def _conditions_fact(conditions: LocalizedText | None, loc: Localizer) -> v.Fact | None:
    if conditions is None:
        return None
    return v.Fact(loc.gettext("Who can use it"), loc.block(conditions, under=3))
