"""What the theme overrides show on every page, as data in the work folder's `mkdocs.yml`.

The overrides (`overrides/*.html`) read `config.extra.portal`: the emergency
numbers, the demo banner, the professionals' note, the footer's links, the texts of
the page scripts and the sentences of the frame, already in the language of the
build. Plain data rather than Python given through an engine's hooks: any engine
that reads `extra:` from `mkdocs.yml` (MkDocs, ProperDocs, Zensical) gives it to
the templates as it is (docs/engines.md).

The texts under `texts` and the emergency numbers' labels are HTML (a sentence
missing from a catalog is shown in French, in a `<span lang="fr">`): the templates
print them as they are, or `striptags` them for an attribute. The other texts are
plain and escaped by the templates.
"""

from __future__ import annotations

from typing import Any

from .. import i18n, routes
from ..config import Edition, SiteSettings
from ..i18n import N_
from ..i18n import theme as theme_words
from ..render.emergency import EMERGENCY_NUMBERS
from ..render.localize import HOUR_PATTERN, TIME_PATTERN, Localizer
from ..render.markup import html_text
from ..render.professional import NO_ACCESS
from ..render.statements import STATUS

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

#: The sentences of the frame (main.html and its partials), by the name the templates use.
FRAME_TEXTS = {
    "fallback_page": N_("Part of this page is only available in French."),
    "emergency_numbers": N_("Emergency numbers"),
    "emergency": N_("Emergency:"),
    "professional_edition": N_("Professionals' edition."),
    "demo": N_(
        "Demonstration site: the places, addresses and phone numbers are fictional. "
        "The national health rights described are real."
    ),
    "language": N_("Language"),
}


def theme_data(site: SiteSettings, language: str, theme_language: str, time_zone: str) -> dict[str, Any]:
    """`extra.portal` of one language's work folder: plain strings, lists and mappings only.

    `theme_language` is the theme's own interface language for this build (`fa` for
    `fa-AF`, `en` for a language the theme lacks).
    """
    loc = Localizer(language)
    return {
        "language": language,
        "demo": site.demo,
        "professional": _professional(loc, site),
        "emergency": [
            {"number": e.number, "href": e.href, "label": str(loc.gettext(e.label)), "short": str(loc.gettext(e.short))}
            for e in EMERGENCY_NUMBERS
        ],
        "now": now_config(loc, time_zone),
        # the theme's words, from our catalogs when the theme lacks the language
        "theme_strings": {}
        if theme_words.theme_has(theme_language, language)
        else {
            key: str(html_text(loc.gettext(message).striptags())) for key, message in theme_words.THEME_STRINGS.items()
        },
        "print": {"texts": {key: loc.label(message) for key, message in PRINT_TEXTS.items()}},
        "footer": [
            {"label": loc.label(label), "url": routes.folder_url(path)}
            for label, path in [(STATUS[site.accessibility.status], routes.ACCESSIBILITY), *routes.FOOTER]
        ],
        "texts": {key: str(loc.gettext(message)) for key, message in FRAME_TEXTS.items()},
    }


def _professional(loc: Localizer, site: SiteSettings) -> dict[str, Any] | None:
    """What every page of the professionals' edition says of itself; None on the public site.

    `access` is the territory's text (French, checked by `config`), else the catalog's sentence
    saying that the host is responsible; `french`: the text is the territory's, on another language's page.
    """
    if site.edition != Edition.PRO:
        return None
    access = " ".join((site.professional.access or "").split())
    if not access:
        return {"access": loc.label(NO_ACCESS), "french": False}
    return {"access": access, "french": loc.language != i18n.SOURCE_LANGUAGE}


def now_config(loc: Localizer, time_zone: str) -> dict[str, Any]:
    """What the page script needs to write "open now" the way the pages do."""
    return {
        "zone": time_zone,
        "time": loc.label(TIME_PATTERN),
        "hour": loc.label(HOUR_PATTERN),
        "days": list(loc.weekdays),  # Monday first
        "texts": {key: loc.label(message) for key, message in NOW_TEXTS.items()},
    }
