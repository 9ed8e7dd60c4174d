"""The observatory page: the figures of `records.indicators` as a table, each defined.

For the CLS and CPTS. Like the maintainers' report, not in the navigation nor in
the search; the report links to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal
from markupsafe import Markup

from .. import i18n, routes
from ..i18n import N_
from ..records.indicators import CHECKED_WITHIN, MONTH_DAYS, NEAREST, Observatory, nearest_column, observatory
from .context import RenderContext
from .geo import territory_projection
from .markup import html_text


@dataclass(frozen=True)
class Row:
    name: Markup
    cells: list[Markup]


@dataclass(frozen=True)
class Definition:
    term: Markup
    definition: Markup
    source: Markup


@dataclass(frozen=True)
class MapDot:
    x: float
    y: float
    label_x: float
    grey: str  # a fill from `GREYS`
    none: bool  # no figure (no such place in the portal, no population): a cross, not a dot
    name: Markup
    title: Markup  # the commune, its figure


@dataclass(frozen=True)
class MapKey:
    grey: str
    label: Markup
    none: bool = False


@dataclass(frozen=True)
class ShadedMap:
    width: float
    height: float
    title: Markup
    dots: list[MapDot]
    legend: list[MapKey]
    reading: Markup  # how to read the shades


#: Fills light to dark, readable in black and white; a cross where there is no figure.
GREYS = ("#ffffff", "#bdbdbd", "#757575", "#2b2b2b")


@dataclass(frozen=True)
class Classes:
    """How the map shades one indicator: class limits (each class holds its lower limit, not its
    upper one), and which way is darker: always towards less offer."""

    limits: tuple[float, float, float]
    fewer_is_darker: bool  # per 10,000 and sessions: fewer is darker; km: farther is darker


#: Classes of km: 5 km is about an hour's walk, 15 km more than most on-demand transport serves.
KM_CLASSES = Classes((5, 10, 15), fewer_is_darker=False)
#: The classes of each indicator the map can show (`records.indicators.MAP_INDICATORS`).
MAP_CLASSES = {
    "nearest_gp_accepting_km": KM_CLASSES,
    # per 10,000 inhabitants: practices (a practice often holds several GPs), not doctors
    "gp_per_10000": Classes((1, 3, 5), fewer_is_darker=True),
    "gp_accepting_per_10000": Classes((1, 2, 3), fewer_is_darker=True),
    **{nearest_column(cid): KM_CLASSES for cid in NEAREST},
    "sessions_30_days": Classes((1, 3, 5), fewer_is_darker=True),
}


@dataclass(frozen=True)
class TerritoryLine:
    label: Markup
    value: Markup


def figures(ctx: RenderContext) -> Observatory:
    """The figures, with the record translations of every language but the source one."""
    languages = [code for code in i18n.available_languages() if code != i18n.SOURCE_LANGUAGE]
    return observatory(ctx.directory, languages)


def _number(ctx: RenderContext, value: float | int | None) -> Markup:
    if value is None:
        return ctx.loc.gettext("none")
    return Markup.escape(format_decimal(value, locale=i18n.babel_locale(ctx.language)))


def shade(classes: Classes, value: float | int) -> int:
    """The index in `GREYS` of a figure: 0 the lightest."""
    above = sum(value >= limit for limit in classes.limits)
    return len(classes.limits) - above if classes.fewer_is_darker else above


def _legend(ctx: RenderContext, classes: Classes, km: bool) -> list[MapKey]:
    loc, limits = ctx.loc, classes.limits
    number = [_number(ctx, limit) for limit in limits]
    if km:
        labels = [
            loc.gettext("%(low)s to %(high)s km", low=_number(ctx, 0), high=number[0]),
            loc.gettext("%(low)s to %(high)s km", low=number[0], high=number[1]),
            loc.gettext("%(low)s to %(high)s km", low=number[1], high=number[2]),
            loc.gettext("%(km)s km or more", km=number[2]),
        ]
    else:
        labels = [
            loc.gettext("less than %(n)s", n=number[0]),
            loc.gettext("%(low)s to %(high)s", low=number[0], high=number[1]),
            loc.gettext("%(low)s to %(high)s", low=number[1], high=number[2]),
            loc.gettext("%(n)s or more", n=number[2]),
        ]
    keys = [MapKey(GREYS[shade(classes, limit)], label) for limit, label in zip((0, *limits), labels, strict=True)]
    keys.sort(key=lambda k: GREYS.index(k.grey))  # light to dark, whichever way the figure goes
    return keys


def map_title(ctx: RenderContext, indicator: str) -> Markup:
    """The chosen indicator's name, as the table's column says it."""
    loc, categories = ctx.loc, ctx.directory.taxonomy.categories
    titles = {
        "nearest_gp_accepting_km": N_("Nearest GP practice taking new patients (km)"),
        "gp_per_10000": N_("GP practices per 10,000 inhabitants"),
        "gp_accepting_per_10000": N_("GP practices taking new patients per 10,000 inhabitants"),
    }
    if indicator in titles:
        return loc.gettext(titles[indicator])
    if indicator == "sessions_30_days":
        return loc.gettext("Drop-in sessions in %(days)s days", days=MONTH_DAYS)
    cid = next(cid for cid in NEAREST if nearest_column(cid) == indicator)
    label = loc.text(categories[cid].label) if cid in categories else html_text(cid)
    return loc.gettext("Nearest place: %(category)s (km)", category=label)


def shaded_map(ctx: RenderContext, found: Observatory) -> ShadedMap:
    """Each commune's town hall as a dot, shaded by the indicator chosen in mkdocs.yml
    (`observatory.map`): darker where the offer is farther or scarcer."""
    loc, communes = ctx.loc, ctx.directory.communes
    indicator = ctx.site.observatory.map
    classes = MAP_CLASSES[indicator]
    km = indicator.endswith("_km")
    projection = territory_projection(ctx.directory, width=560.0)
    keys = _legend(ctx, classes, km)
    # no figure: no such place in the portal (km), or no population given (per 10,000); sessions always have one
    if indicator != "sessions_30_days":
        keys.append(MapKey(GREYS[0], loc.gettext("none") if km else loc.gettext("population not given"), none=True))
    dots = []
    for c in found.communes:
        commune = communes[c.insee]
        x, y = projection.xy(commune.latitude, commune.longitude)
        value = c.value(indicator)
        name = html_text(c.name)
        grey = GREYS[0] if value is None else GREYS[shade(classes, value)]
        if km:
            figure = _number(ctx, value) if value is not None else loc.gettext("none")
            label = loc.gettext("%(commune)s: %(km)s km", commune=name, km=figure)
        else:
            figure = _number(ctx, value) if value is not None else loc.gettext("population not given")
            label = loc.gettext("%(commune)s: %(figure)s", commune=name, figure=figure)
        dots.append(MapDot(x, y, x + 9, grey, value is None, name, label))
    if indicator == "nearest_gp_accepting_km":
        reading = loc.gettext(
            "The darker the dot at the town hall, the farther the practice; the table above gives the figures."
        )
    elif km:
        reading = loc.gettext(
            "The darker the dot at the town hall, the farther the nearest such place; the table above gives "
            "the figures."
        )
    else:
        reading = loc.gettext(
            "The darker the dot at the town hall, the lower the figure; the table above gives the figures."
        )
    bounds = loc.gettext("Each class holds its lower limit, not its upper one.")
    title = map_title(ctx, indicator)
    return ShadedMap(
        projection.width, round(projection.height, 1), title, dots, keys, Markup("{} {}").format(reading, bounds)
    )


RECORDS_SOURCE = N_("The portal's records (places and drop-in sessions), as of %(date)s.")


def observatory_context(ctx: RenderContext) -> dict[str, object]:
    loc, directory = ctx.loc, ctx.directory
    found = figures(ctx)
    as_of = loc.date(found.today)
    # A territory's taxonomy may lack some of them: their column is left out of the page.
    kinds = [cid for cid in NEAREST if cid in directory.taxonomy.categories]
    labels = {cid: loc.text(directory.taxonomy.categories[cid].label) for cid in kinds}
    headers = [
        loc.gettext("Population"),
        loc.gettext("GP practices"),
        loc.gettext("GP practices per 10,000 inhabitants"),
        loc.gettext("GP practices taking new patients per 10,000 inhabitants"),
        loc.gettext("Nearest GP practice taking new patients (km)"),
        *(loc.gettext("Nearest place: %(category)s (km)", category=labels[cid]) for cid in kinds),
        loc.gettext("Drop-in sessions in %(days)s days", days=MONTH_DAYS),
    ]
    rows = [
        Row(
            html_text(c.name),
            [
                _number(ctx, c.population),
                _number(ctx, c.gp_practices),
                _number(ctx, c.gp_per_10000),
                _number(ctx, c.gp_accepting_per_10000),
                _number(ctx, c.nearest_gp_accepting_km),
                *(_number(ctx, c.nearest_km[cid]) for cid in kinds),
                _number(ctx, c.sessions_per_month),
            ],
        )
        for c in found.communes
    ]
    records = loc.gettext(RECORDS_SOURCE, date=as_of)
    sources = sorted({f"{c.population_source} ({c.population_year})" for c in found.communes if c.population_source})
    population_source = loc.join(loc.source_text(s) for s in sources) if sources else loc.gettext("none")
    definitions = [
        Definition(
            headers[0],
            loc.gettext("Inhabitants of the commune, as written in the territory's file."),
            population_source,
        ),
        Definition(
            headers[1],
            loc.gettext(
                "Places located in the commune where one can choose a regular doctor (GP practices, "
                "maisons and centres de santé)."
            ),
            records,
        ),
        Definition(
            headers[2], loc.gettext("GP practices of the commune × 10,000 ÷ population, to one decimal."), records
        ),
        Definition(
            headers[3],
            loc.gettext(
                "The same, counting only the practices whose last answer is 'taking new patients' and is "
                "less than 3 months old."
            ),
            records,
        ),
        Definition(
            headers[4],
            loc.gettext(
                "As the crow flies, from the commune's town hall to the nearest such practice, in or out of "
                "the commune, to one decimal. Road distances are longer."
            ),
            records,
        ),
        Definition(
            loc.gettext("Nearest place of a kind (km)"),
            loc.gettext(
                "As the crow flies, from the commune's town hall to the nearest place or drop-in session of "
                "that kind (%(kinds)s) in the portal.",
                kinds=loc.join(labels.values()),
            ),
            records,
        ),
        Definition(
            headers[-1],
            loc.gettext(
                "Drop-in sessions held in the commune from %(start)s to %(end)s (%(days)s days), cancelled "
                "and uncertain ones left out.",
                start=as_of,
                end=loc.date(found.month_end),
                days=MONTH_DAYS,
            ),
            records,
        ),
    ]
    quarter_headers = [
        loc.gettext("Commune"),
        loc.gettext("Population"),
        loc.gettext("Places in the neighbourhood"),
        loc.gettext("Drop-in sessions in the neighbourhood"),
        headers[4],
        *(loc.gettext("Nearest place: %(category)s (km)", category=labels[cid]) for cid in kinds),
    ]
    quarter_rows = [
        Row(
            ctx.loc.source_text(q.name),
            [
                html_text(q.commune),
                _number(ctx, q.population),
                _number(ctx, q.services),
                _number(ctx, q.permanences),
                _number(ctx, q.nearest_gp_accepting_km),
                *(_number(ctx, q.nearest_km[cid]) for cid in kinds),
            ],
        )
        for q in found.neighbourhoods
    ]
    if quarter_rows:
        quarter_sources = sorted(
            {f"{q.population_source} ({q.population_year})" for q in found.neighbourhoods if q.population_source}
        )
        definitions.append(
            Definition(
                loc.gettext("Neighbourhoods"),
                loc.gettext(
                    "The neighbourhoods the territory's file lists for each commune. A place is in a "
                    "neighbourhood when its record names it, or when it lies inside the neighbourhood's outline; "
                    "a drop-in session held at a place in it is in it too. Distances are measured as the crow "
                    "flies from the neighbourhood's point (or the centre of its outline) to the nearest place of "
                    "that kind, like the communes' distances. Its population: %(sources)s.",
                    sources=loc.join(loc.source_text(s) for s in quarter_sources)
                    if quarter_sources
                    else loc.gettext("none"),
                ),
                records,
            )
        )
    territory = [
        TerritoryLine(
            loc.gettext("Records checked in the last %(months)s months", months=months),
            Markup("{} % ({} / {})").format(
                _number(ctx, found.checked_percent(months)), found.checked_within[months], found.records
            ),
        )
        for months in CHECKED_WITHIN
    ] + [
        TerritoryLine(
            loc.gettext("Records translated: %(language)s", language=loc.language_name(t.language)),
            Markup("{} % ({} / {})").format(_number(ctx, t.percent), t.records, t.total),
        )
        for t in found.translations
    ]
    return {
        "headers": headers,
        "rows": rows,
        "map": shaded_map(ctx, found),
        "definitions": definitions,
        "territory": territory,
        "as_of": as_of,
        "quarter_headers": quarter_headers,
        "quarter_rows": quarter_rows,
        "csv": routes.site_root(routes.OBSERVATORY) + routes.OBSERVATORY_CSV,
        "quarters_csv": routes.site_root(routes.OBSERVATORY) + routes.NEIGHBOURHOODS_CSV,
        "report": routes.href(routes.REPORT),
    }
