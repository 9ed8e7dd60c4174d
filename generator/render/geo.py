"""Geography of the build-time SVG maps: projection, and where symbols and labels go.

The layout is data (where each symbol and label goes); the SVG itself is drawn
by a template in the reader's language (see `maps`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..records.directory import Directory
from ..records.models import Symbol

#: Symbols closer than this (in map units) are spread around their common place.
CROWD = 9.0
SYMBOL_SIZE = 6.0
LABEL_SIZE = 11.0


# --- projection --------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Equirectangular, scaled at the area's middle latitude: exact enough for a territory."""

    west: float
    south: float
    east: float
    north: float
    width: float = 600.0

    @property
    def _scale(self) -> float:
        middle = math.radians((self.south + self.north) / 2)
        return self.width / max((self.east - self.west) * math.cos(middle), 1e-9)

    @property
    def height(self) -> float:
        return (self.north - self.south) * self._scale

    def xy(self, latitude: float, longitude: float) -> tuple[float, float]:
        middle = math.radians((self.south + self.north) / 2)
        x = (longitude - self.west) * math.cos(middle) * self._scale
        y = (self.north - latitude) * self._scale
        return round(x, 1), round(y, 1)


def bounds(points: Iterable[tuple[float, float]], margin: float = 0.08) -> tuple[float, float, float, float]:
    """(west, south, east, north) around (latitude, longitude) points, with a margin."""
    points = list(points)
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    west, east = min(p[1] for p in points), max(p[1] for p in points)
    pad_lat = max((north - south) * margin, 0.01)
    pad_lon = max((east - west) * margin, 0.01)
    return west - pad_lon, south - pad_lat, east + pad_lon, north + pad_lat


def around(latitude: float, longitude: float, km: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a square `km` wide centred on a point."""
    half_lat = km / 2 / 111.0
    half_lon = km / 2 / (111.0 * math.cos(math.radians(latitude)))
    return longitude - half_lon, latitude - half_lat, longitude + half_lon, latitude + half_lat


def territory_projection(directory: Directory, width: float = 800.0) -> Projection:
    points = [(c.latitude, c.longitude) for c in directory.communes.values()]
    points += [(s.latitude, s.longitude) for s in directory.services.values()]
    return Projection(*bounds(points), width=width)


# --- layout of an SVG map ----------------------------------------------------


@dataclass(frozen=True)
class PlacedSymbol:
    x: float
    y: float
    shape: Symbol
    service: str
    highlighted: bool = False


@dataclass(frozen=True)
class PlacedLabel:
    x: float
    y: float
    dot_x: float
    dot_y: float
    text: str
    anchor: str  # start, end, middle
    commune: str


@dataclass
class MapLayout:
    width: float
    height: float
    symbols: list[PlacedSymbol] = field(default_factory=list)
    labels: list[PlacedLabel] = field(default_factory=list)
    outlines: list[tuple[str, str]] = field(default_factory=list)  # (insee, SVG path)


#: Cells of the spatial index, in degrees (about 2 km): a small map looks at a few cells.
CELL = 0.02
#: A map of the surroundings shows at most this many places, the nearest.
NEARBY_LIMIT = 12
#: Beyond this many places, the territory map shows the communes only: thousands of
#: symbols would weigh megabytes and say nothing (the lists are by commune).
TERRITORY_SYMBOLS_LIMIT = 600


class SpatialIndex:
    """The services by grid cell, and each commune outline's box, for one directory.

    Without it, every map of the surroundings looked at every service and every
    commune outline of the territory: a cost in the square of the records.
    """

    def __init__(self, directory: Directory) -> None:
        self.cells: dict[tuple[int, int], list[str]] = {}
        for sid, service in directory.services.items():
            self.cells.setdefault(self._cell(service.latitude, service.longitude), []).append(sid)
        self.outline_boxes: dict[str, tuple[float, float, float, float]] = {}
        for insee, commune in directory.communes.items():
            if commune.outline is not None:
                self.outline_boxes[insee] = _box(commune.outline)

    @staticmethod
    def _cell(latitude: float, longitude: float) -> tuple[int, int]:
        return math.floor(latitude / CELL), math.floor(longitude / CELL)

    def services_in(self, projection: Projection) -> list[str]:
        south, west = self._cell(projection.south, projection.west)
        north, east = self._cell(projection.north, projection.east)
        found: list[str] = []
        for row in range(south, north + 1):
            for column in range(west, east + 1):
                found.extend(self.cells.get((row, column), ()))
        return found

    def outline_meets(self, insee: str, projection: Projection) -> bool:
        box = self.outline_boxes.get(insee)
        return (
            box is not None
            and box[0] <= projection.east
            and projection.west <= box[2]
            and box[1] <= projection.north
            and projection.south <= box[3]
        )


def _box(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a GeoJSON Polygon or MultiPolygon."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    longitudes = [point[0] for polygon in polygons for ring in polygon for point in ring]
    latitudes = [point[1] for polygon in polygons for ring in polygon for point in ring]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def _inside(projection: Projection, latitude: float, longitude: float) -> bool:
    return projection.south <= latitude <= projection.north and projection.west <= longitude <= projection.east


def _spread(points: list[tuple[str, float, float]], gap: float = CROWD * 1.5) -> dict[str, tuple[float, float]]:
    """Move symbols apart until no two are closer than `gap`, as little as possible.

    A few rounds of pairwise pushes, in a stable order: the same records always give
    the same map. Points on the very same spot start on a small circle around it.
    """
    ids = sorted(p[0] for p in points)
    where = {sid: [x, y] for sid, x, y in points}
    spots: dict[tuple[float, float], list[str]] = {}
    for sid in ids:
        spots.setdefault((where[sid][0], where[sid][1]), []).append(sid)
    for (x, y), same in spots.items():
        for index, sid in enumerate(same[1:], start=1):
            angle = 2 * math.pi * index / len(same)
            where[sid] = [x + 2 * math.cos(angle), y + 2 * math.sin(angle)]
    if len(ids) <= 600:  # beyond that a territory map is a clustered map anyway
        for _round in range(80):
            moved = False
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    dx, dy = where[b][0] - where[a][0], where[b][1] - where[a][1]
                    distance = math.hypot(dx, dy)
                    if distance >= gap:
                        continue
                    push = (gap - distance) / 2 + 0.05
                    ux, uy = (dx / distance, dy / distance) if distance > 1e-6 else (1.0, 0.0)
                    where[a][0] -= ux * push
                    where[a][1] -= uy * push
                    where[b][0] += ux * push
                    where[b][1] += uy * push
                    moved = True
            if not moved:
                break
    return {sid: (round(x, 1), round(y, 1)) for sid, (x, y) in where.items()}


def _label_box(x: float, y: float, text: str, anchor: str) -> tuple[float, float, float, float]:
    width = 0.58 * LABEL_SIZE * len(text)
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return left, y - LABEL_SIZE, left + width, y + 2


def _overlaps(box: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes)


def layout(
    directory: Directory,
    index: SpatialIndex,
    projection: Projection,
    *,
    highlight: str | None = None,
    services: Iterable[str] | None = None,
    limit: int | None = None,
) -> MapLayout:
    """Where the communes' labels and the services' symbols go on one map (the `limit` nearest the middle).

    `index` is the directory's (`SpatialIndex`), made once for all the maps of a site.
    """
    result = MapLayout(width=round(projection.width, 1), height=round(projection.height, 1))
    wanted = list(services) if services is not None else index.services_in(projection)
    inside = [
        sid
        for sid in wanted
        if _inside(projection, directory.services[sid].latitude, directory.services[sid].longitude)
    ]
    if limit is not None and len(inside) > limit:
        # the nearest to the middle (and the one the map is about) stay
        middle_x, middle_y = projection.width / 2, projection.height / 2

        def distance(sid: str) -> float:
            x, y = projection.xy(directory.services[sid].latitude, directory.services[sid].longitude)
            return 0.0 if sid == highlight else math.hypot(x - middle_x, y - middle_y)

        inside = sorted(inside, key=lambda sid: (distance(sid), sid))[:limit]
    points = [
        (sid, *projection.xy(directory.services[sid].latitude, directory.services[sid].longitude)) for sid in inside
    ]
    for sid, (x, y) in _spread(points).items():
        shape = directory.taxonomy.categories[directory.services[sid].category].symbol
        result.symbols.append(PlacedSymbol(x, y, shape, sid, highlighted=sid == highlight))
    result.symbols.sort(key=lambda s: (s.highlighted, s.y, s.x))  # the highlighted one on top

    taken = [(s.x - SYMBOL_SIZE, s.y - SYMBOL_SIZE, s.x + SYMBOL_SIZE, s.y + SYMBOL_SIZE) for s in result.symbols]
    for insee, commune in directory.communes.items():
        if commune.outline is not None and index.outline_meets(insee, projection):
            result.outlines.append((insee, _outline_path(projection, commune.outline)))
        if not _inside(projection, commune.latitude, commune.longitude):
            continue
        x, y = projection.xy(commune.latitude, commune.longitude)
        candidates = [
            (x + 5, y + 4, "start"),
            (x - 5, y + 4, "end"),
            (x, y - 6, "middle"),
            (x, y + 14, "middle"),
            (x + 22, y + 4, "start"),
            (x - 22, y + 4, "end"),
            (x, y - 24, "middle"),
            (x, y + 30, "middle"),
        ]
        # Labels stay inside the map, and off the symbols and other labels when they can.
        fitting = [c for c in candidates if _within(_label_box(*c[:2], commune.name, c[2]), result)] or candidates
        chosen = next((c for c in fitting if not _overlaps(_label_box(*c[:2], commune.name, c[2]), taken)), fitting[0])
        taken.append(_label_box(chosen[0], chosen[1], commune.name, chosen[2]))
        result.labels.append(PlacedLabel(chosen[0], chosen[1], x, y, commune.name, chosen[2], insee))
    return result


def _within(box: tuple[float, float, float, float], placed: MapLayout) -> bool:
    return box[0] >= 2 and box[1] >= 2 and box[2] <= placed.width - 2 and box[3] <= placed.height - 2


def _outline_path(projection: Projection, geometry: dict[str, Any]) -> str:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    parts = []
    for polygon in polygons:
        for ring in polygon:
            xy = [projection.xy(lat, lon) for lon, lat in ring]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in xy) + " Z")
    return " ".join(parts)
