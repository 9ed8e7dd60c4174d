"""The theme's own interface strings, for the languages mkdocs-material does not have.

mkdocs-material translates its few interface words (skip link, landmarks' names,
"back to top") into about sixty languages, but not Pashto or Tigrinya; the build
then gives the theme English (`site.build`), which a page in Pashto would show
unmarked. For such a language these words come from the portal's catalogs
instead (`overrides/partials/language.html`), in French if the catalog lacks one.
"""

from __future__ import annotations

from . import N_

#: The theme's keys (partials/languages/*.html) that the portal's pages show or
#: give to screen readers, with their message in the catalogs.
THEME_STRINGS = {
    "action.skip": N_("Skip to content"),
    "top": N_("Back to top"),
    "nav": N_("Navigation"),
    "toc": N_("Table of contents"),
    "header": N_("Header"),
    "tabs": N_("Tabs"),
    "footer": N_("Footer"),
    "footer.next": N_("Next"),
    "footer.previous": N_("Previous"),
    "select.language": N_("Select language"),
}


def theme_has(theme_language: str | None, language: str) -> bool:
    """Whether the theme's language (as the build chose it) is `language` or its primary tag."""
    return theme_language in (language, language.split("-")[0])
