"""`data/transport.geojson`: the public-transport stops and lines of the territory's GTFS feeds.

A file of its own, not features inside `services.geojson`: a reuser of the places
reads every feature of that file as a place (our map script and others filter on
`kind`, not all of them), the stops and lines come from other producers (each feed
names its agency and publisher) under their own terms, and a territory without a
feed simply has no such file. Every feature keeps the feed's name and its GTFS ids,
so that it can be joined back to the feed, and its agency; `datapackage.json` names
each feed's publisher (`sources` of the resource).

Lines are drawn from stops, not from shapes.txt (which the feed reader does not
keep): for each route and direction, the stops of its trip with the most stops,
in their order. Coordinates are longitude first (RFC 7946).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import geojson

from ..transport.feed import Feed, Route
from .jsontext import without_markup

#: GTFS route_type (basic and the common extended groups) in words, for popups and reusers.
ROUTE_TYPES = {
    "0": "tram",
    "1": "metro",
    "2": "rail",
    "3": "bus",
    "4": "ferry",
    "5": "cable_tram",
    "6": "aerial_lift",
    "7": "funicular",
    "11": "trolleybus",
    "12": "monorail",
}


def route_kind(route_type: str) -> str:
    """'bus' for 3 and for the extended bus types 700-799, '' when unknown."""
    if route_type in ROUTE_TYPES:
        return ROUTE_TYPES[route_type]
    if route_type.isdigit():
        group = {1: "rail", 2: "coach", 4: "metro", 7: "bus", 8: "trolleybus", 9: "tram", 10: "ferry"}
        return group.get(int(route_type) // 100, "")
    return ""


def line_name(route: Route) -> str:
    """How a reader names the line: its short name, else its long name (GTFS requires one of them)."""
    return route.short_name or route.long_name


def _agency(feed: Feed, route: Route) -> str:
    return feed.agencies.get(route.agency_id) or next(iter(feed.agencies.values()), "")


def _agencies(feed: Feed) -> str:
    return ", ".join(sorted(set(feed.agencies.values())))


def source_of(feed: Feed) -> str:
    """Where a feed's features come from, for datapackage.json: the feed, its agencies, its publisher."""
    agencies = _agencies(feed)
    publisher = f"; published by {feed.publisher}" if feed.publisher and feed.publisher not in agencies else ""
    return f"GTFS feed '{feed.name}' ({agencies}){publisher}"


def _calls(feed: Feed) -> list[tuple[str, str, int]]:
    """Every (trip, stop, sequence) of the feed, timed or not."""
    return [(t.trip_id, t.stop_id, t.sequence) for t in feed.stop_times] + feed.untimed


def _trip_stops(feed: Feed) -> dict[str, list[str]]:
    """Each trip's stop ids, in stop_sequence order."""
    by_trip: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for trip_id, stop_id, sequence in _calls(feed):
        by_trip[trip_id].append((sequence, stop_id))
    return {trip: [stop for _, stop in sorted(stops)] for trip, stops in by_trip.items()}


def stop_lines(feed: Feed) -> dict[str, list[Route]]:
    """The routes that call at each stop, ordered by name."""
    found: dict[str, set[str]] = defaultdict(set)
    for trip_id, stop_id, _ in _calls(feed):
        found[stop_id].add(feed.trips[trip_id].route_id)
    return {
        stop: sorted((feed.routes[r] for r in routes), key=lambda r: (line_name(r), r.id))
        for stop, routes in found.items()
    }


def line_paths(feed: Feed) -> dict[tuple[str, str], list[str]]:
    """(route id, direction id) -> the stop ids of its longest trip (ties: the first trip id)."""
    best: dict[tuple[str, str], tuple[int, str, list[str]]] = {}
    for trip_id, stops in _trip_stops(feed).items():
        trip = feed.trips[trip_id]
        key = (trip.route_id, trip.direction_id)
        candidate = (-len(stops), trip_id, stops)
        if key not in best or candidate[:2] < best[key][:2]:
            best[key] = candidate
    return {key: stops for key, (_, _, stops) in sorted(best.items())}


def transport_features(feeds: tuple[Feed, ...] | list[Feed]) -> list[geojson.Feature]:
    """The stops (points) then the lines (line strings) of every feed, in a stable order."""
    stops, lines = [], []
    for feed in feeds:
        serving = stop_lines(feed)
        for stop_id, stop in sorted(feed.stops.items()):
            routes = serving.get(stop_id, [])
            properties: dict[str, Any] = {
                "kind": "stop",
                "feed": feed.name,
                "stop_id": stop_id,
                "name": stop.name,
                "lines": [line_name(r) for r in routes],
                "route_ids": [r.id for r in routes],
                "agency": ", ".join(sorted({_agency(feed, r) for r in routes})) or _agencies(feed),
            }
            stops.append(
                geojson.Feature(
                    id=f"{feed.name}:{stop_id}",
                    geometry=geojson.Point((stop.longitude, stop.latitude)),
                    properties=properties,
                )
            )
        for (route_id, direction), path in line_paths(feed).items():
            if len(path) < 2:
                continue  # a trip of one stop draws no line
            route = feed.routes[route_id]
            properties = {
                "kind": "line",
                "feed": feed.name,
                "route_id": route_id,
                "direction_id": direction,
                "short_name": route.short_name,
                "long_name": route.long_name,
                "route_type": int(route.type) if route.type.isdigit() else route.type,
                "mode": route_kind(route.type),
                "color": f"#{route.color}" if route.color else None,
                "text_color": f"#{route.text_color}" if route.text_color else None,
                "agency": _agency(feed, route),
                "stop_ids": path,
            }
            coordinates = [(feed.stops[s].longitude, feed.stops[s].latitude) for s in path]
            lines.append(
                geojson.Feature(
                    id=f"{feed.name}:{route_id}:{direction}",
                    geometry=geojson.LineString(coordinates),
                    properties=properties,
                )
            )
    return stops + lines


def transport_geojson(feeds: tuple[Feed, ...] | list[Feed]) -> str:
    collection = geojson.FeatureCollection(transport_features(feeds))
    return without_markup(geojson.dumps(collection, ensure_ascii=False, sort_keys=True))
