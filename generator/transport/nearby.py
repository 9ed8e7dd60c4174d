"""The public-transport stops within walking distance of a place, and when their lines run there.

Pure: takes feeds and coordinates, returns data; the pages format it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .feed import Feed, Route, Service, Stop

#: How far a resident is counted as able to walk to a stop, in metres (great-circle distance).
WALKING_DISTANCE = 800
#: Walking speed, km/h: a slow adult pace, so that the time shown is not too short.
WALKING_SPEED = 4.5
_EARTH_RADIUS = 6_371_008.8  # metres, the mean radius


def distance(latitude1: float, longitude1: float, latitude2: float, longitude2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(latitude1), math.radians(latitude2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(longitude2 - longitude1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * _EARTH_RADIUS * math.asin(min(1.0, math.sqrt(a)))


def walking_minutes(metres: float) -> int:
    """Minutes on foot at WALKING_SPEED, rounded up (a stop 10 m away is still 1 minute)."""
    return max(1, math.ceil(metres / (WALKING_SPEED * 1000 / 60) - 1e-9))


@dataclass(frozen=True)
class LineTimes:
    """When a line leaves a stop on the days one set of services runs."""

    route: Route
    towards: str  # where the trips go: their headsign, else the name of their last stop
    weekdays: frozenset[int]  # 0 Monday ... 6 Sunday
    first: int  # seconds after midnight (GTFS: may pass 24 h)
    last: int
    departures: int
    interval: int | None  # typical minutes between departures (the median gap); None for one departure


@dataclass(frozen=True)
class NearbyStop:
    feed: str
    stop: Stop
    distance: int  # metres, rounded
    walking_minutes: int
    lines: tuple[LineTimes, ...]


#: The weeks from today whose days say when a service usually runs.
WEEKS_AHEAD = 4


def usual_weekdays(service: Service, today: dt.date | None) -> frozenset[int]:
    """The weekdays a service runs on in most of the next WEEKS_AHEAD weeks (0 Monday).

    A one-off day (a Sunday market, a holiday's extra bus) is not a usual day; a day off
    in the weeks (a bank holiday) does not take its weekday away. Without `today`, the
    weekdays of calendar.txt as they are.
    """
    if today is None:
        return service.weekdays
    counts = [0] * 7
    for offset in range(7 * WEEKS_AHEAD):
        day = today + dt.timedelta(days=offset)
        counts[day.weekday()] += service.runs_on(day)
    return frozenset(weekday for weekday, count in enumerate(counts) if count * 2 > WEEKS_AHEAD)


def nearby_stops(
    feeds: Sequence[Feed],
    latitude: float,
    longitude: float,
    within: float = WALKING_DISTANCE,
    today: dt.date | None = None,
) -> list[NearbyStop]:
    """The stops within `within` metres of the point, nearest first, each with its lines' times.

    A stop where no trip leaves (only arrivals, at a terminus) is left out. `today`: the days
    of a service are those it runs on in the coming weeks (`usual_weekdays`), and a service
    that does not run then is left out; without it, calendar.txt's weekdays, whatever the dates.
    """
    return stops_near_points(feeds, [(latitude, longitude)], within, today)[(latitude, longitude)]


def stops_near_points(
    feeds: Sequence[Feed],
    points: Iterable[tuple[float, float]],
    within: float = WALKING_DISTANCE,
    today: dt.date | None = None,
) -> dict[tuple[float, float], list[NearbyStop]]:
    """`nearby_stops` of many points (latitude, longitude), reading each feed's stop times once:
    a city's feed has hundreds of thousands of them, a territory a hundred places."""
    points = list(dict.fromkeys(points))
    found: dict[tuple[float, float], list[NearbyStop]] = {point: [] for point in points}
    for feed in feeds:
        close: dict[tuple[float, float], dict[str, float]] = {}
        for point in points:
            for stop in feed.stops.values():
                metres = distance(point[0], point[1], stop.latitude, stop.longitude)
                if metres <= within:
                    close.setdefault(point, {})[stop.id] = metres
        if not close:
            continue
        times = _departures(feed, {stop_id for stops in close.values() for stop_id in stops}, today)
        for point, stops in close.items():
            for stop_id, metres in stops.items():
                lines = times.get(stop_id)
                if lines:
                    found[point].append(
                        NearbyStop(feed.name, feed.stops[stop_id], round(metres), walking_minutes(metres), lines)
                    )
    return {point: sorted(stops, key=lambda s: (s.distance, s.stop.name, s.feed)) for point, stops in found.items()}


def _departures(feed: Feed, stop_ids: set[str], today: dt.date | None) -> dict[str, tuple[LineTimes, ...]]:
    """For each of `stop_ids`, its lines' times, by where the trips go (one way of a line is
    not the other's: mixed, every 2 hours each way would read "every hour") and by the weekdays
    their services run."""
    last_stop: dict[str, tuple[int, str]] = {}
    first_departure: dict[str, int] = {}
    for time in feed.stop_times:
        if time.sequence >= last_stop.get(time.trip_id, (-1, ""))[0]:
            last_stop[time.trip_id] = (time.sequence, time.stop_id)
        first_departure[time.trip_id] = min(first_departure.get(time.trip_id, time.departure), time.departure)
    service_days = {sid: usual_weekdays(service, today) for sid, service in feed.services.items()}
    grouped: dict[tuple[str, str, str, frozenset[int]], set[int]] = defaultdict(set)
    for time in feed.stop_times:
        if time.stop_id not in stop_ids or time.sequence == last_stop[time.trip_id][0]:
            continue
        trip = feed.trips[time.trip_id]
        days = service_days.get(trip.service_id)
        if not days:
            continue
        towards = trip.headsign or feed.stops[last_stop[time.trip_id][1]].name
        departures = grouped[(time.stop_id, trip.route_id, towards, days)]
        repeats = feed.frequencies.get(time.trip_id)
        if not repeats:
            departures.add(time.departure)
            continue
        # The trip as written is a pattern: it leaves its first stop every headway.
        offset = time.departure - first_departure[time.trip_id]
        for repeat in repeats:
            departures.update(start + offset for start in range(repeat.start, repeat.end, repeat.headway))
    lines: dict[str, list[LineTimes]] = defaultdict(list)
    for (stop_id, route_id, towards, weekdays), seconds in grouped.items():
        ordered = sorted(seconds)
        gaps = [b - a for a, b in itertools.pairwise(ordered)]
        interval = round(statistics.median(gaps) / 60) if gaps else None
        lines[stop_id].append(
            LineTimes(feed.routes[route_id], towards, weekdays, ordered[0], ordered[-1], len(ordered), interval)
        )
    return {
        stop_id: tuple(sorted(found, key=lambda t: (t.route.short_name, t.route.long_name, t.towards, min(t.weekdays))))
        for stop_id, found in lines.items()
    }
