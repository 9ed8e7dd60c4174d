"""Two ways to find a place besides the lists: the map page and the search page.

Both are a page and a script (assets/javascripts/portal-map.js, portal-search.js)
that reads its settings, in the reader's language, from the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ... import routes
from ...i18n import N_
from ...opendata.transport import line_name, line_paths
from ...records.models import AppointmentPolicy, Cost, WheelchairAccess
from .. import maps
from .. import views as v
from ..context import RenderContext
from ..markup import html_text
from .base import Card, Page, commune_links, service_card


def _script_settings(settings: dict[str, Any]) -> Markup:
    """Settings for a page's script, as JSON that cannot close the <script> element."""
    return Markup(json.dumps(settings, ensure_ascii=False).replace("<", "\\u003c"))


@dataclass(frozen=True)
class MapItem:
    """A service in the list of the map page, with what the filters look at."""

    card: Card
    sid: str
    categories: str
    publics: str
    free: bool
    without_appointment: bool
    wheelchair: bool


def _map_item(ctx: RenderContext, sid: str) -> MapItem:
    service = ctx.directory.services[sid]
    return MapItem(
        card=service_card(ctx, sid),
        sid=sid,
        categories=" ".join([service.category, *service.other_categories]),
        publics=" ".join(service.publics),
        free=Cost.FREE in service.cost,
        without_appointment=bool(service.appointment and service.appointment.policy is AppointmentPolicy.NOT_NEEDED),
        wheelchair=bool(service.accessibility and service.accessibility.wheelchair is WheelchairAccess.FULL),
    )


#: How the lines of the transport layer differ without colour: a stroke pattern each, in turn
#: (SVG stroke-dasharray; "" is solid). The legend draws the same.
LINE_PATTERNS = ("", "10 6", "2 6", "14 5 2 5")


@dataclass(frozen=True)
class TransportLine:
    """A line of the interactive map's transport layer, as its legend shows it."""

    key: str  # "feed:route_id", as in data/transport.geojson
    name: Markup
    pattern: str
    color: str


def transport_lines(ctx: RenderContext) -> list[TransportLine]:
    """The lines drawn on the interactive map, each with its stroke pattern, ordered by feed and name."""
    lines: list[TransportLine] = []
    for feed in ctx.directory.feeds:
        drawn = {route_id for (route_id, _), path in line_paths(feed).items() if len(path) > 1}
        routes_drawn = sorted((feed.routes[r] for r in drawn), key=lambda r: (line_name(r), r.id))
        for route in routes_drawn:
            name = " – ".join(dict.fromkeys(n for n in (route.short_name, route.long_name) if n))
            pattern = LINE_PATTERNS[len(lines) % len(LINE_PATTERNS)]
            color = f"#{route.color}" if route.color else "#1f2937"
            lines.append(TransportLine(f"{feed.name}:{route.id}", ctx.loc.source_text(name), pattern, color))
    return lines


def map_page(ctx: RenderContext) -> Page:
    """The map page: every place in a filterable list, or, beyond `list_limit` places,
    the communes, whose places the interactive map loads as the reader looks there
    (`data/communes/<slug>.geojson`): the page stays light whatever the territory."""
    directory, loc, options = ctx.directory, ctx.loc, ctx.site.map
    page = routes.MAP
    by_commune = len(directory.services) > options.list_limit
    items = [] if by_commune else [_map_item(ctx, sid) for sid in directory.services]
    services = directory.services.values()
    used_categories = {c for s in services for c in (s.category, *s.other_categories)}
    used_publics = {p for s in services for p in s.publics}
    root = routes.site_root(page)  # from the language's site to the whole site
    language_root = routes.relative_url(page, routes.HOME)
    settings: dict[str, Any] = {
        "root": root,
        "data": f"{root}{routes.SERVICES_GEOJSON}",
        "vendor": f"{language_root}{routes.VENDOR}/",
        "tiles": options.tiles,
        "attribution": options.attribution,
        "maxZoom": options.max_zoom,
        "language": loc.language,
        "direction": loc.direction,
        "center": [
            sum(c.latitude for c in directory.communes.values()) / len(directory.communes),
            sum(c.longitude for c in directory.communes.values()) / len(directory.communes),
        ],
        # Counts in a form that needs no plural rule in the browser: "Places shown: 12".
        "labels": {
            "zoomIn": loc.label(N_("Zoom in")),
            "zoomOut": loc.label(N_("Zoom out")),
            "cluster": loc.label(N_("Places here: %(n)s. Zoom in to see them.")),
            "open": loc.label(N_("Open the page of %(name)s")),
            "shown": loc.label(N_("Places shown: %(n)s")),
            "commune": loc.label(N_("%(name)s. Places here: %(n)s. Zoom in to see them.")),
        },
    }
    lines = transport_lines(ctx)
    if lines:
        settings["transport"] = f"{root}{routes.TRANSPORT_GEOJSON}"
        settings["lines"] = {line.key: [line.pattern, line.color] for line in lines}
        settings["labels"].update(
            stop=loc.label(N_("Stop %(name)s. Lines: %(lines)s")),
            line=loc.label(N_("Line %(name)s")),
        )
    if by_commune:
        # Only the communes with places: [name, latitude, longitude, places, data file].
        settings["communes"] = [
            [
                commune.name,
                commune.latitude,
                commune.longitude,
                len(directory.services_located_in[insee]),
                f"{root}{routes.commune_geojson(directory.commune_slugs[insee])}",
            ]
            for insee, commune in directory.communes.items()
            if directory.services_located_in.get(insee)
        ]
    context = {
        "map": maps.territory_map(ctx),
        "items": items,
        "communes": commune_links(ctx) if by_commune else [],
        "categories": [
            (cid, loc.text(c.label)) for cid, c in directory.taxonomy.categories.items() if cid in used_categories
        ],
        "publics": [(pid, loc.text(p.label)) for pid, p in directory.taxonomy.publics.items() if pid in used_publics],
        "tile_name": html_text(options.name),
        "settings": _script_settings(settings),
        "script": Markup(f"{language_root}{routes.SCRIPTS}/portal-map.js"),
        "count": len(directory.services),
        "lines": lines,
    }
    return Page(page, "map.html", loc.gettext("Map"), context, hide=("toc",))


#: What the search script (assets/javascripts/portal-search.js) writes, in the reader's language.
SEARCH_TEXTS = {
    "searching": N_("Searching…"),
    "count": N_("Results: %(n)s"),  # no plural to agree: said the same for any number
    "none": N_("No result. Try another word, or find places by kind or by commune."),
    "failed": N_("The search could not be loaded. Find places by kind or by commune."),
}


def search_page(ctx: RenderContext) -> Page:
    """The form, and the results the page's script writes (Pagefind, in the browser)."""
    loc = ctx.loc
    root = routes.relative_url(routes.SEARCH, routes.HOME)
    settings = {
        "bundle": f"{root}{routes.SEARCH_BUNDLE}/",
        "texts": {key: loc.label(message) for key, message in SEARCH_TEXTS.items()},
    }
    return Page(
        routes.SEARCH,
        "search.html",
        loc.gettext("Search"),
        {
            "settings": _script_settings(settings),
            "script": Markup(f"{root}{routes.SCRIPTS}/portal-search.js"),
            "elsewhere": [
                v.Link.to(loc.gettext("Find a place"), routes.CATEGORIES),
                v.Link.to(loc.gettext("By commune"), routes.COMMUNES),
            ],
        },
        hide=("toc",),
        searchable=False,
    )
