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
from .markup import md_escape

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
    return Markup("<span{}>{}</span>").format(attributes, md_escape(text)) if attributes else md_escape(text)


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
        "site_name": Markup('{} (<span dir="ltr">{}</span>)').format(md_escape(site_name), md_escape(legal["site_url"]))
        if legal.get("site_url") else md_escape(site_name),
        "status": status_label(legal, loc),
        "status_sentence": loc.gettext(STATUS_SENTENCE[status]),
        "audit": _french(statement["audit"], loc) if statement.get("audit") else "",
        "rate": loc.gettext("%(rate)s of the RGAA criteria are met.", rate=format_percent(rate / 100, locale=loc.locale))
        if rate is not None else "",
        "built": built,
        "axe": AXE_VERSION,
        "recourse_address": _french(DEFENSEUR_ADDRESS, loc),
        "contact": md_escape(statement.get("contact") or ""),
    }


def privacy_context(legal: Mapping[str, Any], map_settings: Mapping[str, Any], loc: Localizer) -> dict[str, Any]:
    return {
        "publisher": _french(legal["publisher"], loc),
        "hosting": _french(legal["hosting"], loc) if legal.get("hosting") else "",
        "tiles": md_escape(map_settings.get("name", "")),
        "contact": md_escape(legal["accessibility"].get("contact") or ""),
    }
