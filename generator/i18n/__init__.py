"""Interface strings and locale-aware formatting.

Interface strings live in gettext catalogs, one file per language:
``generator/locales/<code>.po``, translated from the English message ids of
``generator/locales/portal.pot``. Dates, day and language names come from
the CLDR data shipped with babel, never from hard-coded French.

French is the source language of the records and the language every other
falls back to: a string missing from a catalog is shown in French, marked as
such (see `Localizer`), never in the English of the message id.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).parent.parent / "locales"
TEMPLATE = LOCALES / "portal.pot"
#: The language of the records, and of every fallback.
SOURCE_LANGUAGE = "fr"
#: A language of the site: ISO 639-1 code, optionally with a region ('fa-AF').
LANGUAGE_TAG = re.compile(r"^[a-z]{2}(?:-[A-Z]{2})?$")


def N_(message: str) -> str:
    """Mark a message id for extraction; it is translated where it is shown."""
    return message


#: The message whose translation is the language's name in itself ('العربية').
LANGUAGE_NAME = N_("(the name of this language, written in this language)")


def catalog_path(language: str) -> Path:
    return LOCALES / f"{language}.po"


def babel_locale(language: str) -> str:
    """'fa-AF' -> 'fa_AF': the CLDR locale that formats dates for a language tag."""
    return language.replace("-", "_")


@cache
def catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=babel_locale(language))


@cache
def translated_ids(language: str) -> frozenset[str]:
    """The message ids this language's catalog really translates (not empty, not fuzzy)."""
    found: set[str] = set()
    for message in catalog(language):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            found.add(str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id))
    return frozenset(found)


@cache
def translations(language: str) -> Translations:
    """gettext translations for one language (fuzzy entries are left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog(language))
    buffer.seek(0)
    return Translations(fp=buffer, domain="portal")


def available_languages() -> list[str]:
    return sorted(path.stem for path in LOCALES.glob("*.po"))


@cache
def direction(language: str) -> str:
    """'rtl' for Arabic, Persian, Pashto...; 'ltr' otherwise (from CLDR)."""
    try:
        return "rtl" if Locale.parse(babel_locale(language)).text_direction == "rtl" else "ltr"
    except (ValueError, LookupError):
        return "ltr"


def language_name(code: str, in_language: str) -> str:
    """`code`'s name in `in_language`, like 'arabe' for ('ar', 'fr')."""
    return Locale.parse(babel_locale(code)).get_display_name(babel_locale(in_language)) or code


@cache
def own_name(code: str) -> str:
    """A language's name in itself, as in a language menu: Français, English, العربية, دری.

    The catalog says it (translators know what their readers call their
    language); CLDR is the fallback.
    """
    if catalog_path(code).is_file() and LANGUAGE_NAME in translated_ids(code):
        return translations(code).gettext(LANGUAGE_NAME)
    name = language_name(code, code)
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=4096)  # the same days on many pages
def long_date(day: dt.date, language: str) -> str:
    """'mardi 8 décembre 2026'."""
    return format_date(day, format="full", locale=babel_locale(language))
