"""The pages a French public website owes its readers: the accessibility
statement (RGAA), what is done with personal data (nothing is collected), and
the site map (RGAA 12.1: a second way to find a page besides the menu).

The facts come from mkdocs.yml (`portal.publisher`, `portal.hosting`,
`portal.accessibility`); the wording from the catalogs, in every language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from babel.numbers import format_percent
from markupsafe import Markup

from ..i18n import N_
from ..quality.accessibility import AXE_VERSION
from . import views as v
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
ACCESSIBILITY_PATH = Markup("/accessibilite/index.md")
PRIVACY_PATH = Markup("/donnees-personnelles/index.md")
SITEMAP_PATH = Markup("/plan-du-site/index.md")


@dataclass(frozen=True)
class Section:
    title: Markup
    links: list[v.Link]


def _french(text: str, loc: Localizer) -> Markup:
    """Text from mkdocs.yml, written in French: marked so on pages in other languages."""
    attributes = loc.source_attributes()
    return Markup("<span{}>{}</span>").format(attributes, html_text(text)) if attributes else html_text(text)


def status_label(legal: Mapping[str, Any], loc: Localizer) -> Markup:
    """'Accessibilité : non conforme': the words the law asks for on every page."""
    status = legal["accessibility"]["status"]
    return loc.gettext(STATUS[status])


def accessibility_context(legal: Mapping[str, Any], site_name: str, built: Markup, loc: Localizer) -> dict[str, Any]:
    statement = legal["accessibility"]
    status, rate = statement["status"], statement.get("rate")
    return {
        "publisher": _french(legal["publisher"], loc),
        # 'Santé Pays de Redon (https://...)': the address kept left-to-right
        "site_name": Markup('{} (<span dir="ltr">{}</span>)').format(html_text(site_name), html_text(legal["site_url"]))
        if legal.get("site_url") else html_text(site_name),
        "status": status_label(legal, loc),
        "status_sentence": loc.gettext(STATUS_SENTENCE[status]),
        "audit": _french(statement["audit"], loc) if statement.get("audit") else "",
        "rate": loc.gettext("%(rate)s of the RGAA criteria are met.", rate=format_percent(rate / 100, locale=loc.locale))
        if rate is not None else "",
        "built": built,
        "axe": AXE_VERSION,
        "recourse_address": _french(DEFENSEUR_ADDRESS, loc),
        "contact": html_text(statement.get("contact") or ""),
    }


def privacy_context(legal: Mapping[str, Any], map_settings: Mapping[str, Any], loc: Localizer) -> dict[str, Any]:
    return {
        "publisher": _french(legal["publisher"], loc),
        "hosting": _french(legal["hosting"], loc) if legal.get("hosting") else "",
        "tiles": html_text(map_settings.get("name", "")),
        "contact": html_text(legal["accessibility"].get("contact") or ""),
    }


OPEN_DATA_PATH = Markup("/donnees-ouvertes/index.md")


@dataclass(frozen=True)
class DataFile:
    path: str  # under the site's root: "data/services.csv", or under the language: "calendrier/index.ics"
    format: str
    description: str  # a catalog message id
    per_language: bool = False

    def href(self) -> str:
        # from <lang>/donnees-ouvertes/: the language folder is one level up, the site's root two
        return ("../" if self.per_language else "../../") + self.path


#: The files of the "Open data" page, in the order a reader looks for them; a test checks
#: that each is published and that every file of data/datapackage.json is listed.
OPEN_DATA_FILES = [
    DataFile("data/services.csv", "CSV", N_("The places: one line per place, for a spreadsheet (LibreOffice, Excel).")),
    DataFile("data/permanences.csv", "CSV", N_("The drop-in sessions: one line per permanence, with the next dates.")),
    DataFile("calendrier/index.ics", "iCalendar", N_("The drop-in sessions of the coming months, for a calendar application."), per_language=True),
    DataFile("data/structures.json", "JSON", N_("The places, for the national directory data·inclusion (schema v1).")),
    DataFile("data/services.json", "JSON", N_("What each place offers, and the drop-in sessions, for data·inclusion (schema v1).")),
    DataFile("data/hsds/services.json", "JSON", N_("Services, places and schedules in the international Open Referral HSDS 3.0 format.")),
    DataFile("data/hsds/organizations.json", "JSON", N_("The organisations that run them, in the Open Referral HSDS 3.0 format.")),
    DataFile("data/services.geojson", "GeoJSON", N_("The places, as points for a map.")),
    DataFile("data/permanences.geojson", "GeoJSON", N_("The drop-in sessions, as points for a map.")),
    DataFile("data/communes.geojson", "GeoJSON", N_("The communes of the territory, as shapes for a map.")),
    DataFile("data/datapackage.json", "JSON", N_("The list of these files, their columns and their licence (Frictionless Data Package).")),
]


def open_data_context(
    legal: Mapping[str, Any], site_name: str, producer: str, built: Markup, loc: Localizer
) -> dict[str, Any]:
    options = legal["open_data"]
    return {
        "files": [
            {"name": Markup('<a href="{}" dir="ltr">{}</a>').format(f.href(), f.path.removeprefix("data/")),
             "format": f.format, "description": loc.gettext(f.description)}
            for f in OPEN_DATA_FILES
        ],
        "licence": Markup('<a href="{}">{}</a>').format(options["licence_url"], _french(options["licence"], loc)),
        "site_name": html_text(site_name),
        "separator": options["separator"],
        "producer": html_text(producer),
        "built": built,
    }
