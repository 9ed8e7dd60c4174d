"""Which neighbourhood of its commune each place and permanence is in, and what is near a neighbourhood.

A record names its neighbourhood (`neighbourhood:`), and that always wins. A
permanence held at a service that is in a neighbourhood is in it too. Otherwise a
place inside the outline of a neighbourhood of its commune is in it: an exact
point-in-polygon test (even-odd rule on the GeoJSON rings, holes included), so
that a coordinator who draws the outline need not name it in every record. A
neighbourhood given only by a point has no inside: the places within
`NEAR_METRES` of its point, as the crow flies, are listed as near it, and the
page says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..transport.nearby import distance
from .models import Commune, Neighbourhood

if TYPE_CHECKING:
    from .directory import Directory

#: A place this close to a neighbourhood's point (metres, as the crow flies) is "near" it.
NEAR_METRES = 500


@dataclass(frozen=True)
class NeighbourhoodPlaces:
    """A neighbourhood, its commune, its reference point, and the records in it or near it."""

    neighbourhood: Neighbourhood
    commune: str  # INSEE code
    latitude: float  # its point, or its outline's centroid
    longitude: float
    services: tuple[str, ...] = ()
    permanences: tuple[str, ...] = ()
    #: Only for a neighbourhood without outline: the places within NEAR_METRES of its point.
    services_near: tuple[str, ...] = ()
    permanences_near: tuple[str, ...] = ()


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    """Each polygon's rings (outer first, then holes), whether a Polygon or a MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _in_ring(ring: list[list[float]], latitude: float, longitude: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in pairwise(ring):
        if (y1 > latitude) != (y2 > latitude) and longitude < x1 + (latitude - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(geometry: Mapping[str, Any], latitude: float, longitude: float) -> bool:
    """Whether the point is inside the Polygon or MultiPolygon (longitude first, as GeoJSON): in the
    outer ring of one polygon and in none of its holes."""
    for rings in _polygons(geometry):
        if rings and _in_ring(rings[0], latitude, longitude):
            if not any(_in_ring(hole, latitude, longitude) for hole in rings[1:]):
                return True
    return False


def centroid(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """The area centroid of the outer rings (latitude, longitude): planar, exact enough for a
    neighbourhood; the mean of the vertices for a ring of no area."""
    area = x_sum = y_sum = 0.0
    vertices: list[list[float]] = []
    for rings in _polygons(geometry):
        ring = rings[0]
        vertices.extend(ring[:-1])
        for (x1, y1), (x2, y2) in pairwise(ring):
            cross = x1 * y2 - x2 * y1
            area += cross
            x_sum += (x1 + x2) * cross
            y_sum += (y1 + y2) * cross
    if abs(area) < 1e-15:
        return (sum(v[1] for v in vertices) / len(vertices), sum(v[0] for v in vertices) / len(vertices))
    return (y_sum / (3 * area), x_sum / (3 * area))


def reference_point(neighbourhood: Neighbourhood) -> tuple[float, float]:
    """Where distances are measured from: its point, else its outline's centroid."""
    if neighbourhood.point is not None:
        return (neighbourhood.point.latitude, neighbourhood.point.longitude)
    assert neighbourhood.outline is not None  # the model requires one of them
    return centroid(neighbourhood.outline)


def of_commune(communes: Mapping[str, Commune]) -> Iterator[tuple[str, Neighbourhood]]:
    for insee, commune in communes.items():
        for neighbourhood in commune.neighbourhoods:
            yield insee, neighbourhood


def _found(directory: Directory, insee: str, latitude: float, longitude: float) -> str | None:
    commune = directory.communes.get(insee)
    for neighbourhood in commune.neighbourhoods if commune else ():
        if neighbourhood.outline is not None and contains(neighbourhood.outline, latitude, longitude):
            return neighbourhood.code
    return None


def _near(point: tuple[float, float], latitude: float, longitude: float) -> bool:
    return distance(point[0], point[1], latitude, longitude) <= NEAR_METRES


def locate(directory: Directory) -> tuple[dict[str, NeighbourhoodPlaces], dict[tuple[str, str], str]]:
    """Every neighbourhood by code with its records, and the neighbourhood of each record
    (("services" | "permanences", id) -> code) that is in one."""
    of: dict[tuple[str, str], str] = {}
    for sid, service in directory.services.items():
        code = service.neighbourhood or _found(directory, service.address.commune, service.latitude, service.longitude)
        if code is not None:
            of[("services", sid)] = code
    for pid, permanence in directory.permanences.items():
        place = directory.place_of_permanence(pid)
        code = permanence.neighbourhood
        if code is None and place.service_id is not None:
            code = of.get(("services", place.service_id))
        if code is None:
            code = _found(directory, place.address.commune, place.latitude, place.longitude)
        if code is not None:
            of[("permanences", pid)] = code
    places: dict[str, NeighbourhoodPlaces] = {}
    for insee, neighbourhood in of_commune(directory.communes):
        latitude, longitude = reference_point(neighbourhood)
        code = neighbourhood.code
        services = tuple(sid for sid in directory.services if of.get(("services", sid)) == code)
        permanences = tuple(
            pid
            for pid in directory.permanences
            if of.get(("permanences", pid)) == code and not directory.has_ended(pid)
        )
        near_services: tuple[str, ...] = ()
        near_permanences: tuple[str, ...] = ()
        if neighbourhood.outline is None:
            near_services = tuple(
                sid
                for sid, s in directory.services.items()
                if sid not in services and _near((latitude, longitude), s.latitude, s.longitude)
            )
            permanence_places = {
                pid: directory.place_of_permanence(pid)
                for pid in directory.permanences
                if pid not in permanences and not directory.has_ended(pid)
            }
            near_permanences = tuple(
                pid
                for pid, place in permanence_places.items()
                if _near((latitude, longitude), place.latitude, place.longitude)
            )
        places[code] = NeighbourhoodPlaces(
            neighbourhood, insee, latitude, longitude, services, permanences, near_services, near_permanences
        )
    return places, of
