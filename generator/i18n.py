"""Interface strings and locale-aware formatting.

Interface strings live in gettext catalogs, one file per language:
``generator/locales/<code>.po``, translated from the English message ids of
``generator/locales/portal.pot``. Dates, day and language names come from
the CLDR data shipped with babel, never from hard-coded French.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time, get_day_names
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).parent / "locales"
TEMPLATE = LOCALES / "portal.pot"
#: A language of the site: ISO 639-1 code, optionally with a region ('fa-AF').
LANGUAGE_TAG = re.compile(r"^[a-z]{2}(?:-[A-Z]{2})?$")
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ps", "ur", "ckb", "yi"})


def N_(message: str) -> str:
    """Mark a message id for extraction; it is translated where it is shown."""
    return message


def catalog_path(language: str) -> Path:
    return LOCALES / f"{language}.po"


@lru_cache(maxsize=None)
def catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


@lru_cache(maxsize=None)
def translations(language: str) -> Translations:
    """gettext translations for one language (fuzzy entries are left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog(language))
    buffer.seek(0)
    return Translations(fp=buffer, domain="portal")


def available_languages() -> list[str]:
    return sorted(path.stem for path in LOCALES.glob("*.po"))


def direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def language_name(code: str, in_language: str) -> str:
    """`code`'s name in `in_language`, like 'arabe' for ('ar', 'fr')."""
    return Locale.parse(code).get_display_name(in_language) or code


def own_name(code: str) -> str:
    """A language's name in itself, as in a language menu: Français, English, العربية."""
    name = language_name(code, code)
    return name[:1].upper() + name[1:]


def day_names(language: str) -> list[str]:
    """Monday to Sunday, capitalised as at the start of a table row."""
    names = get_day_names("wide", locale=language)
    return [names[i][:1].upper() + names[i][1:] for i in range(7)]


def long_date(day: dt.date, language: str) -> str:
    """'mardi 8 décembre 2026'."""
    return format_date(day, format="full", locale=language)


def medium_date(day: dt.date, language: str) -> str:
    """'8 déc. 2026'."""
    return format_date(day, format="long", locale=language)


def short_time(moment: dt.time, language: str) -> str:
    return format_time(moment, format="short", locale=language)
