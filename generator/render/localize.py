"""Everything language-specific about rendering one site: strings, formats, fallback.

A `Localizer` is made per language. It turns record text into escaped markup
in the reader's language, or in French inside an element that says so
(``lang="fr"``), and formats dates, times and phone numbers with locale data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TypeVar

import phonenumbers
from babel import Locale
from babel.dates import format_interval, format_time, get_day_names, get_period_names
from babel.lists import format_list
from markupsafe import Markup

from .. import i18n
from ..i18n import N_, bidi
from ..records.types import LocalizedText
from . import richtext
from .listen import spoken_number
from .markup import html_text

T = TypeVar("T")

_PLACEHOLDER = re.compile(r"(%\(\w+\)[sd])")

# Times of day are written the way each language writes them: the catalogs
# hold a CLDR pattern, so that French reads "9 h 30" and "9 h", not "09:30".
# TRANSLATORS: a time of day, as a CLDR pattern: H or HH for the hour (0-23),
# mm for the minutes, literal text in single quotes. Keep "HH:mm" if unsure.
TIME_PATTERN = N_("HH:mm")
# TRANSLATORS: the same, for a time on the hour (9:00): French writes "H 'h'" (9 h).
HOUR_PATTERN = N_("HH:mm (on the hour)")
# TRANSLATORS: midnight as the end of a day's hours: "11 h – minuit", "11:00 – midnight".
# CLDR's word for it (dayPeriods "midnight") when your language has one.
MIDNIGHT = N_("midnight (the end of a day's hours)")


@dataclass(frozen=True)
class PhoneLink:
    display: str
    href: str
    spoken: str = ""  # as a voice says it in the page's language (see `listen.spoken_number`)


@lru_cache(maxsize=8192)  # a number is on many pages; parsing it is slow
def _phone_link(number: str, language: str) -> PhoneLink:
    parsed = phonenumbers.parse(number, "FR")
    if phonenumbers.is_valid_number(parsed):
        international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if parsed.country_code == 33:
            national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
            return PhoneLink(national, f"tel:{international}", spoken_number(national, language))
        # shown as one block (E.164), said in the groups of its country: '+44 20 7946 0000'
        grouped = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return PhoneLink(international, f"tel:{international}", spoken_number(grouped, language))
    digits = str(parsed.national_number)  # a short number such as 3646
    return PhoneLink(number.strip(), f"tel:{digits}", spoken_number(number.strip(), language))


# Formats that every page repeats (hours, lists), computed once per language and value.


@lru_cache(maxsize=4096)
def _format_time(value: dt.time, pattern: str, locale: str) -> str:
    return format_time(value, pattern, locale=locale)


@lru_cache(maxsize=4096)
def _format_interval(start: dt.date, end: dt.date, skeleton: str, locale: str) -> str:
    return format_interval(start, end, skeleton, locale=locale)


@lru_cache(maxsize=256)
def _list_pattern(locale: str, count: int) -> tuple[tuple[str, ...], str]:
    """Placeholders for `count` items and the escaped CLDR list around them."""
    keys = tuple(f"\x00{index}\x00" for index in range(count))
    try:
        pattern = format_list(keys, locale=locale)
    except (KeyError, ValueError):  # incomplete CLDR data for a regional locale
        pattern = format_list(keys, locale=locale.split("_")[0])
    return keys, str(html_text(pattern))


@lru_cache(maxsize=4096)
def _template(text: str) -> str:
    """A message escaped for HTML but its `%(name)s` placeholders (a few hundred messages, each used
    thousands of times)."""
    parts = _PLACEHOLDER.split(text)
    return "".join(part if index % 2 else html_text(part).replace("%", "%%") for index, part in enumerate(parts))


@lru_cache(maxsize=4096)
def _template_rtl(text: str) -> str:
    """The same for a right-to-left language, the Latin fragments of the message isolated
    (`bidi`): a French term in a translation ("(tiers payant)") does not move the
    punctuation around it."""
    parts = _PLACEHOLDER.split(text)
    return "".join(
        part if index % 2 else bidi.isolate_html(str(html_text(part))).replace("%", "%%")
        for index, part in enumerate(parts)
    )


class Localizer:
    """Strings and formats of one language; counts what had to be shown in French.

    A page that shows French text in another language says so: `counting_fallbacks`
    tells how many texts a piece of rendering showed in French.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = i18n.babel_locale(language)
        self.direction = i18n.direction(language)
        # Right-to-left text isolates its left-to-right fragments (see `i18n.bidi`).
        self._rtl = self.direction == "rtl"
        self._translated = i18n.translated_ids(language)
        # One count per `counting_fallbacks` under way, the innermost last.
        self._counts: list[int] = []
        # A sentence without values, as HTML, and whether it is shown in French: asked
        # about 50 times a page, made once (its French is still counted each time).
        self._sentences: dict[str, tuple[Markup, bool]] = {}

    def counting_fallbacks(self, make: Callable[[], T]) -> tuple[T, int]:
        """`make()`, and how many texts it showed in French (they count for the enclosing call too)."""
        self._counts.append(0)
        try:
            value = make()
        finally:
            count = self._counts.pop()
        self.add_fallbacks(count)
        return value, count

    def add_fallbacks(self, count: int) -> None:
        """Count texts shown in French: those of a view made earlier and shown again (see `RenderContext.remember`)."""
        if self._counts:
            self._counts[-1] += count

    # -- interface strings --

    def _message(self, singular: str, plural: str | None = None, n: int = 1) -> tuple[str, str]:
        """A message's text and the language it is really in."""
        language = self.language if singular in self._translated else i18n.SOURCE_LANGUAGE
        translations = i18n.translations(language)
        text = translations.ngettext(singular, plural, n) if plural else translations.gettext(singular)
        if language != self.language:
            self.add_fallbacks(1)
        return text, language

    def gettext(self, message: str, **variables: object) -> Markup:
        """A translated interface string; `variables` are escaped into it.

        Missing from this language's catalog, it is shown in French, marked so.
        """
        if not variables and message in self._sentences:
            sentence, french = self._sentences[message]
            if french:
                self.add_fallbacks(1)
            return sentence
        text, language = self._message(message)
        html = self._wrap(self._format(text, variables, self._rtl and language == self.language), language)
        if not variables:
            self._sentences[message] = (html, language != self.language)
        return html

    def ngettext(self, singular: str, plural: str, n: int, **variables: object) -> Markup:
        text, language = self._message(singular, plural, n)
        return self._wrap(self._format(text, {"n": n, **variables}, self._rtl and language == self.language), language)

    def label(self, message: str) -> str:
        """A translated interface string as plain text (titles, metadata)."""
        return self._message(message)[0]

    @staticmethod
    def _format(text: str, variables: dict[str, object], isolate: bool = False) -> Markup:
        # Both the message and the values are escaped; only `%(name)s` stays syntax.
        if not isolate:
            return Markup(_template(text) % {key: html_text(value) for key, value in variables.items()})
        # Right to left: the Latin fragments of each value (a commune's name) isolated too.
        escaped = {key: bidi.isolate_html(str(html_text(value))) for key, value in variables.items()}
        return Markup(_template_rtl(text) % escaped)

    # -- record text --

    def _wrap(self, html: str, actual: str) -> Markup:
        if actual == self.language:
            return Markup(html)
        return Markup(f'<span lang="{actual}" dir="{i18n.direction(actual)}">{html}</span>')

    def _get(self, value: LocalizedText) -> tuple[str, str]:
        text, actual = value.get(self.language)
        if actual != self.language:
            self.add_fallbacks(1)
        return text, actual

    def text(self, value: LocalizedText | None) -> Markup:
        """One line of record text, escaped, marked with its language if it differs."""
        if value is None:
            return Markup("")
        text, actual = self._get(value)
        if self._rtl and actual == self.language:
            return Markup(bidi.isolate_html(str(html_text(text))))
        return self._wrap(html_text(text), actual)

    def source_attributes(self) -> Markup:
        """Attributes for French data shown as is (addresses): empty on French pages."""
        if self.language == i18n.SOURCE_LANGUAGE:
            return Markup("")
        return Markup(f' lang="{i18n.SOURCE_LANGUAGE}" dir="{i18n.direction(i18n.SOURCE_LANGUAGE)}"')

    def source_text(self, text: str) -> Markup:
        """French data that has no translations (a record's `source`), escaped, marked French
        on other languages' pages: in a right-to-left page it then reads as one left-to-right run."""
        if self.language == i18n.SOURCE_LANGUAGE:
            return html_text(text)
        return Markup(f"<span{self.source_attributes()}>{html_text(text)}</span>")

    def plain(self, value: LocalizedText) -> str:
        """Record text as a plain string, for titles and metadata."""
        return value.get(self.language)[0]

    def block(self, value: LocalizedText | None, *, under: int) -> Markup:
        """Long record text as HTML: Markdown read by `richtext` (paragraphs, lists, links,
        raw HTML as text), its headings under the h`under` the text sits in."""
        if value is None:
            return Markup("")
        text, actual = self._get(value)
        if actual == self.language:
            html = richtext.html(text, under)
            return Markup(f'<div class="portal-text">{bidi.isolate_html(html) if self._rtl else html}</div>')
        html = richtext.html(text, under, actual)
        note = self.gettext("This information is only available in French.")
        return Markup(
            f'<div class="portal-text" lang="{actual}" dir="{i18n.direction(actual)}">{html}</div>'
            f'<p class="portal-fallback">{note}</p>'
        )

    def block_text(self, value: LocalizedText) -> str:
        """Long record text as plain text on several lines (calendars, JSON-LD): no Markdown syntax."""
        return richtext.plain(self.plain(value))

    def block_lines(self, value: LocalizedText | None) -> list[str]:
        """Long record text as its lines, without Markdown syntax (a campaign's message lists them)."""
        return [line.text for line in richtext.lines(self.plain(value))] if value is not None else []

    def block_line(self, value: LocalizedText) -> str:
        """Long record text on one line, without Markdown syntax (a page's meta description)."""
        return richtext.one_line(self.plain(value))

    # -- formats --

    def join(self, parts: Iterable[object]) -> Markup:
        """'a, b et c', 'a وb وc': a list joined the way this language does it (CLDR)."""
        items = [html_text(part) for part in parts]
        if not items:
            return Markup("")
        # Format placeholders, escape the pattern, then put the (escaped) items in.
        keys, text = _list_pattern(self.locale, len(items))
        for key, item in zip(keys, items, strict=True):
            text = text.replace(key, item)
        return Markup(text)

    def date(self, day: dt.date) -> str:
        return i18n.long_date(day, self.language)

    def day_and_times(self, start: dt.datetime, end: dt.datetime) -> Markup:
        times = self.time_range(start.time(), end.time())
        return self.gettext("%(day)s, %(times)s", day=self.date(start.date()), times=times)

    def week_range(self, monday: dt.date, sunday: dt.date) -> str:
        """'30 nov. – 6 déc.': a week in a calendar."""
        return _format_interval(monday, sunday, "MMMd", self.locale)

    def time(self, value: dt.time) -> str:
        """'9 h 30' in French, '09:30' in English: the catalog's CLDR pattern."""
        pattern = self.label(HOUR_PATTERN if value.minute == 0 else TIME_PATTERN)
        return _format_time(value, pattern, self.locale)

    def time_range(self, start: dt.time, end: dt.time) -> str:
        """'9 h – 12 h 30'; an end at midnight (00:00) closes the day: '11 h – minuit'."""
        if start == dt.time(0) and end == dt.time(0):
            return str(self.gettext("open 24 hours"))
        last = self.midnight if end == dt.time(0) else self.time(end)
        return self._interval_pattern.replace("{0}", self.time(start)).replace("{1}", last)

    @cached_property
    def midnight(self) -> str:
        """'minuit': the catalog's word, else CLDR's, else the time '0 h' ('0 h' read alone
        as an end looks like a mistake, but a French word on an Arabic page would be worse)."""
        if MIDNIGHT in self._translated:
            return self.label(MIDNIGHT)
        try:
            word = get_period_names("wide", "format", self.locale).get("midnight")
        except (KeyError, ValueError):  # incomplete CLDR data for a regional locale
            word = None
        return str(word) if word else self.time(dt.time(0))

    @cached_property
    def _interval_pattern(self) -> str:
        # CLDR's fallback interval, "{0} – {1}" in most languages, "{0} تا {1}" in Dari
        return Locale.parse(self.locale).interval_formats.get(None) or "{0} – {1}"

    @cached_property
    def weekdays(self) -> list[str]:
        """Monday to Sunday as inside a sentence: 'mardi', 'Tuesday' (CLDR)."""
        names = get_day_names("wide", locale=self.locale)
        return [names[i] for i in range(7)]

    def language_name(self, code: str) -> str:
        return i18n.language_name(code, self.language)

    def phone(self, number: str) -> PhoneLink:
        return _phone_link(number, self.language)
