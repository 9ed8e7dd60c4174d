"""The pages a French public website owes its readers: the accessibility
statement (RGAA), what is done with personal data (nothing is collected), and
the site map (RGAA 12.1: a second way to find a page besides the menu).

The facts come from mkdocs.yml (`portal.publisher`, `portal.hosting`,
`portal.accessibility`); the wording from the catalogs, in every language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_percent
from markupsafe import Markup

from .. import routes
from ..config import AccessibilitySettings
from ..i18n import N_
from ..opendata import producer_of
from ..quality.accessibility import AXE_VERSION
from . import views as v
from .context import RenderContext
from .corrections import corrections_recipient
from .localize import Localizer
from .markup import html_text

STATUS = {
    "none": N_("Accessibility: not compliant"),
    "partial": N_("Accessibility: partially compliant"),
    "full": N_("Accessibility: fully compliant"),
}
STATUS_SENTENCE = {
    "none": N_("This site is not compliant with the RGAA 4.1.2: no complete accessibility audit has been made yet."),
    "partial": N_("This site is partially compliant with the RGAA 4.1.2."),
    "full": N_("This site is fully compliant with the RGAA 4.1.2."),
}
# The free postal address of the Défenseur des droits, as the RGAA model statement gives it.
DEFENSEUR_ADDRESS = "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07"


@dataclass(frozen=True)
class Section:
    title: Markup
    links: list[v.Link]


def _french(text: str, loc: Localizer) -> Markup:
    """Text from mkdocs.yml, written in French: marked so on pages in other languages."""
    attributes = loc.source_attributes()
    return Markup("<span{}>{}</span>").format(attributes, html_text(text)) if attributes else html_text(text)


def status_label(statement: AccessibilitySettings, loc: Localizer) -> Markup:
    """'Accessibilité : non conforme': the words the law asks for on every page."""
    return loc.gettext(STATUS[statement.status])


def accessibility_context(ctx: RenderContext) -> dict[str, Any]:
    loc, site = ctx.loc, ctx.site
    statement = site.accessibility
    status, rate = statement.status, statement.rate
    return {
        "publisher": _french(site.publisher_name, loc),
        # 'Santé Pays de Redon (https://...)': the address kept left-to-right
        "site_name": Markup('{} (<span dir="ltr">{}</span>)').format(html_text(ctx.site_name), html_text(site.url))
        if site.url
        else html_text(ctx.site_name),
        "status": status_label(statement, loc),
        "status_sentence": loc.gettext(STATUS_SENTENCE[status]),
        "audit": _french(statement.audit, loc) if statement.audit else "",
        "rate": loc.gettext(
            "%(rate)s of the RGAA criteria are met.", rate=format_percent(rate / 100, locale=loc.locale)
        )
        if rate is not None
        else "",
        "built": loc.date(ctx.today),
        "axe": AXE_VERSION,
        "recourse_address": _french(DEFENSEUR_ADDRESS, loc),
        "contact": html_text(statement.contact),
    }


def privacy_context(ctx: RenderContext) -> dict[str, Any]:
    loc, site = ctx.loc, ctx.site
    return {
        "publisher": _french(site.publisher_name, loc),
        "hosting": _french(site.hosting, loc) if site.hosting else "",
        "tiles": html_text(site.map.name),
        "contact": html_text(site.accessibility.contact),
        "corrections": corrections_recipient(site.corrections),
    }


@dataclass(frozen=True)
class DataFile:
    path: str  # under the site's root: "data/services.csv", or under the language: "calendrier/index.ics"
    format: str
    description: str  # a catalog message id
    per_language: bool = False

    def href(self) -> str:
        """The link from the open data page to the file."""
        page = routes.relative_url(routes.OPEN_DATA, routes.HOME)
        return (page if self.per_language else routes.site_root(routes.OPEN_DATA)) + self.path


#: The files of the "Open data" page, in the order a reader looks for them; a test checks
#: that each is published and that every file of data/datapackage.json is listed.
OPEN_DATA_FILES = [
    DataFile(routes.SERVICES_CSV, "CSV", N_("The places: one line per place, for a spreadsheet (LibreOffice, Excel).")),
    DataFile(routes.PERMANENCES_CSV, "CSV", N_("The drop-in sessions: one line per permanence, with the next dates.")),
    DataFile(
        routes.calendar_file(None),
        "iCalendar",
        N_("The drop-in sessions of the coming months, for a calendar application."),
        per_language=True,
    ),
    DataFile(
        routes.DATA_INCLUSION_STRUCTURES,
        "JSON",
        N_("The places, for the national directory data·inclusion (schema v1)."),
    ),
    DataFile(
        routes.DATA_INCLUSION_SERVICES,
        "JSON",
        N_("What each place offers, and the drop-in sessions, for data·inclusion (schema v1)."),
    ),
    DataFile(
        routes.HSDS_SERVICES,
        "JSON",
        N_("Services, places and schedules in the international Open Referral HSDS 3.0 format."),
    ),
    DataFile(
        routes.HSDS_ORGANIZATIONS, "JSON", N_("The organisations that run them, in the Open Referral HSDS 3.0 format.")
    ),
    DataFile(
        routes.OBSERVATORY_CSV,
        "CSV",
        N_("Indicators of the offer of care, one line per commune, as on the observatory page."),
    ),
    DataFile(
        routes.NEIGHBOURHOODS_CSV,
        "CSV",
        N_("Indicators of the offer of care, one line per neighbourhood, as on the observatory page."),
    ),
    DataFile(routes.SERVICES_GEOJSON, "GeoJSON", N_("The places, as points for a map.")),
    DataFile(routes.PERMANENCES_GEOJSON, "GeoJSON", N_("The drop-in sessions, as points for a map.")),
    DataFile(routes.COMMUNES_GEOJSON, "GeoJSON", N_("The communes of the territory, as shapes for a map.")),
    DataFile(
        routes.TRANSPORT_GEOJSON,
        "GeoJSON",
        N_("Public transport stops and lines, from the transport networks' own data (GTFS)."),
    ),
    DataFile(
        routes.NEIGHBOURHOODS_GEOJSON,
        "GeoJSON",
        N_("The communes' neighbourhoods (priority neighbourhoods and local ones), as shapes or points."),
    ),
    DataFile(
        routes.DATAPACKAGE,
        "JSON",
        N_("The list of these files, their columns and their licence (Frictionless Data Package)."),
    ),
]


def open_data_context(ctx: RenderContext) -> dict[str, Any]:
    loc, options = ctx.loc, ctx.site.open_data
    return {
        "files": [
            {
                "name": Markup('<a href="{}" dir="ltr">{}</a>').format(f.href(), f.path.removeprefix("data/")),
                "format": f.format,
                "description": loc.gettext(f.description),
            }
            for f in OPEN_DATA_FILES
            if f.path != routes.TRANSPORT_GEOJSON or ctx.directory.feeds  # published only with a feed
        ],
        "licence": Markup('<a href="{}">{}</a>').format(options.licence_url, _french(options.licence, loc)),
        "site_name": html_text(ctx.site_name),
        "separator": options.separator,
        "producer": html_text(producer_of(ctx.directory, options.producer)),
        "built": loc.date(ctx.today),
    }
