"""Views of the build-time SVG maps: what the map template draws, in one language.

The layout (where things go) comes from `geo`; here each symbol gets its link
(written from the site's root, `/services/x.md`, made relative to the page with
the page's other links), its accessible name and its shape's
geometry, and each legend entry its categories' names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

from .. import routes
from ..records.models import Symbol
from .context import RenderContext
from .geo import (
    NEARBY_LIMIT,
    TERRITORY_SYMBOLS_LIMIT,
    MapLayout,
    PlacedLabel,
    Projection,
    around,
    layout,
    territory_projection,
)
from .markup import html_text

#: The order of shapes in the legend.
SHAPES = (Symbol.CIRCLE, Symbol.SQUARE, Symbol.TRIANGLE, Symbol.DIAMOND, Symbol.STAR)
SMALL_MAP_KM = 4.0


def shape_points(shape: Symbol, x: float, y: float, size: float) -> str:
    """The corners of a polygon shape centred on (x, y)."""
    if shape is Symbol.TRIANGLE:
        corners = [(0, -1.15), (1.05, 0.8), (-1.05, 0.8)]
    elif shape is Symbol.DIAMOND:
        corners = [(0, -1.25), (1.25, 0), (0, 1.25), (-1.25, 0)]
    elif shape is Symbol.STAR:
        corners = [
            (
                math.cos(math.radians(-90 + 36 * i)) * (1.3 if i % 2 == 0 else 0.55),
                math.sin(math.radians(-90 + 36 * i)) * (1.3 if i % 2 == 0 else 0.55),
            )
            for i in range(10)
        ]
    else:
        return ""
    return " ".join(f"{x + dx * size:.1f},{y + dy * size:.1f}" for dx, dy in corners)


@dataclass(frozen=True)
class MapSymbol:
    shape: str
    x: float
    y: float
    size: float
    points: str
    href: Markup
    name: Markup
    highlighted: bool


@dataclass(frozen=True)
class LegendEntry:
    shape: str
    points: str
    categories: Markup


@dataclass(frozen=True)
class MapView:
    width: float
    height: float
    title: Markup
    symbols: list[MapSymbol]
    labels: list[PlacedLabel]
    outlines: list[tuple[str, str]]
    legend: list[LegendEntry]
    here: tuple[float, float] | None = None
    scrollable: bool = False  # wider than a phone: it scrolls in its own frame


def _legend(ctx: RenderContext, shapes: set[str]) -> list[LegendEntry]:
    entries = []
    for shape in SHAPES:
        if shape.value not in shapes:
            continue
        names = [ctx.loc.text(c.label) for c in ctx.directory.taxonomy.categories.values() if c.symbol is shape]
        entries.append(LegendEntry(shape.value, shape_points(shape, 8, 8, 5), ctx.loc.join(names)))
    return entries


def map_view(
    ctx: RenderContext,
    placed: MapLayout,
    title: Markup,
    here: tuple[float, float] | None = None,
    scrollable: bool = False,
) -> MapView:
    """The map of `placed` symbols."""
    directory, loc = ctx.directory, ctx.loc
    symbols = []
    for symbol in placed.symbols:
        service = directory.services[symbol.service]
        size = 9.0 if symbol.highlighted else 6.0
        category = directory.taxonomy.categories[service.category]
        name = loc.gettext(
            "%(name)s (%(category)s, %(commune)s)",
            name=loc.text(service.name),
            category=loc.text(category.label),
            commune=directory.communes[service.address.commune].name,
        )
        symbols.append(
            MapSymbol(
                shape=symbol.shape.value,
                x=symbol.x,
                y=symbol.y,
                size=size,
                points=shape_points(symbol.shape, symbol.x, symbol.y, size),
                href=routes.href(routes.service(symbol.service)),
                name=strip_lang(name),
                highlighted=symbol.highlighted,
            )
        )
    return MapView(
        width=placed.width,
        height=placed.height,
        title=title,
        symbols=symbols,
        labels=placed.labels,
        outlines=placed.outlines,
        legend=_legend(ctx, {s.shape for s in symbols}),
        here=here,
        scrollable=scrollable,
    )


def territory_map(ctx: RenderContext) -> MapView:
    directory, loc = ctx.directory, ctx.loc
    projection = territory_projection(directory)
    shown: list[str] | None = [] if len(directory.services) > TERRITORY_SYMBOLS_LIMIT else None
    if shown is None:
        title = loc.ngettext(
            "Map of the territory: %(n)s place", "Map of the territory: %(n)s places", len(directory.services)
        )
    else:
        title = loc.ngettext(
            "Map of the territory: %(n)s commune", "Map of the territory: %(n)s communes", len(directory.communes)
        )
    return map_view(ctx, layout(directory, ctx.spatial, projection, services=shown), title, scrollable=True)


def small_map(ctx: RenderContext, latitude: float, longitude: float, highlight: str | None = None) -> MapView:
    """A map of the surroundings of a place: the place in the middle, the services nearby."""
    loc = ctx.loc
    projection = Projection(*around(latitude, longitude, SMALL_MAP_KM), width=320.0)
    placed = layout(ctx.directory, ctx.spatial, projection, highlight=highlight, limit=NEARBY_LIMIT)
    here = None if highlight else projection.xy(latitude, longitude)
    nearby = len(placed.symbols)
    title = loc.ngettext(
        "Map of the surroundings: %(n)s place nearby", "Map of the surroundings: %(n)s places nearby", nearby
    )
    return map_view(ctx, placed, title, here=here)


def strip_lang(text: Markup) -> Markup:
    """Text for an attribute: language marks removed (an attribute cannot carry them)."""
    return Markup(html_text(Markup(text).striptags()))
