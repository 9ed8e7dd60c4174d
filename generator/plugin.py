"""The ``portal`` MkDocs plugin: gives the theme overrides their data and strings.

It runs inside each language's MkDocs build. The pages themselves are
generated before MkDocs starts (see `build`); the plugin gives the theme the
interface strings of the language being built (with the same French
fallback as the pages), the data every page shows (emergency numbers, demo
banner), and, page by page, the links to the same page in the other
languages.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import i18n
from .config import PortalOptions
from .emergency import EMERGENCY_NUMBERS
from .render.statements import STATUS
from .theme_html import corrected
from .i18n import N_
from .render.localize import HOUR_PATTERN, TIME_PATTERN, Localizer

#: What the page script (assets/javascripts/portal-now.js) writes, in the reader's language.
NOW_TEXTS = {
    "open": N_("Open now, until %(time)s"),
    "opens_today": N_("Closed now, opens at %(time)s"),
    "opens_tomorrow": N_("Closed now, opens tomorrow at %(time)s"),
    "opens_later": N_("Closed now, opens %(day)s at %(time)s"),
    "this_week": N_("This week"),
    "next_week": N_("Next week"),
}

# Pick-and-print (assets/javascripts/portal-print.js).
PRINT_TEXTS = {
    "pick": N_("Choose for printing"),
    "region": N_("Sheets chosen for printing"),
    "none": N_("Tick places and rights to print their sheets together."),
    "count": N_("Sheets chosen: %(n)s"),  # no plural to agree: said the same for any number
    "print": N_("Print the chosen sheets"),
    "clear": N_("Clear the choice"),
    "preparing": N_("Preparing the sheets…"),
    "failed": N_("A sheet could not be loaded: print it from its own page."),
}


class PortalPlugin(BasePlugin[PortalOptions]):
    language = i18n.SOURCE_LANGUAGE

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # The generator names the language of each build; the theme's language may
        # differ from it ('fa' for 'fa-AF').
        self.language = self.config.build_language or config.theme.get("language") or self.config.languages[0]
        if self.language not in i18n.available_languages():
            self.language = self.config.languages[0]
        return config

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        loc = Localizer(self.language)
        status = self.config.accessibility.status
        env.globals["gettext"] = loc.gettext
        env.globals["portal"] = {
            "language": self.language,
            "demo": self.config.demo,
            "emergency": [
                {"number": e.number, "href": e.href, "label": loc.gettext(e.label), "short": loc.gettext(e.short)}
                for e in EMERGENCY_NUMBERS
            ],
            "now": now_config(loc, self.config.time_zone),
            "print": {"texts": {key: loc.label(message) for key, message in PRINT_TEXTS.items()}},
            "footer": [
                {"label": loc.label(STATUS[status]), "url": "accessibilite/"},
                {"label": loc.label(N_("Personal data")), "url": "donnees-personnelles/"},
                {"label": loc.label(N_("Open data")), "url": "donnees-ouvertes/"},
                {"label": loc.label(N_("Site map")), "url": "plan-du-site/"},
            ],
        }
        return env

    def on_page_context(
        self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        if page.meta.get("portal_fallback"):
            # A French stand-in page: its table of contents is in French too, and says so.
            _mark_french(page.toc)
        # The language switcher and the hreflang links lead to this same page in each
        # language (every language's site has the same pages). A 404 page is served at
        # any address: it offers no relative links to other languages.
        if page.url.endswith("404.html"):
            config.extra["alternate"] = []
            return context
        config.extra["alternate"] = [
            {
                "name": i18n.own_name(code),
                "lang": code,
                "dir": i18n.direction(code),
                "current": code == self.language,
                # Relative, even when site_url is known: the theme fetches these
                # sites' sitemaps, and a preview must not call the public site.
                "link": f"../{code}/{page.url}",
            }
            for code in self.config.languages
        ]
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return corrected(output, i18n.direction(self.language))

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str | None:
        # The 404 page and the other theme pages that are not Markdown pages.
        if template_name.endswith(".html"):
            return corrected(output_content, i18n.direction(self.language))
        return output_content


def now_config(loc: Localizer, time_zone: str) -> dict[str, Any]:
    """What the page script needs to write "open now" the way the pages do."""
    return {
        "zone": time_zone,
        "time": loc.label(TIME_PATTERN),
        "hour": loc.label(HOUR_PATTERN),
        "days": loc.weekdays,  # Monday first
        "texts": {key: loc.label(message) for key, message in NOW_TEXTS.items()},
    }


def _mark_french(items: Any) -> None:
    for item in items:
        item.title = f'<span lang="{i18n.SOURCE_LANGUAGE}" dir="{i18n.direction(i18n.SOURCE_LANGUAGE)}">{item.title}</span>'
        _mark_french(item.children)
