"""Interface catalogs: up to date with the sources, and French complete."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from generator import i18n
from generator.render.localize import Localizer

from helpers import ROOT

#: Where `make catalogs` looks for messages: babel.cfg, the one list of it.
with open(ROOT / "babel.cfg", encoding="utf-8") as config:
    METHODS, _OPTIONS = parse_mapping_cfg(config)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def source_ids() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalog_ids(path) -> dict[str, Message]:
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    return {str(m.id[0] if isinstance(m.id, (tuple, list)) else m.id): m for m in catalog if m.id}


def test_the_template_catalog_is_up_to_date_with_the_sources():
    assert source_ids() == set(catalog_ids(i18n.TEMPLATE)), "run `make catalogs`"


@pytest.mark.parametrize("language", ["fr", "en", "ar", "fa-AF", "uk", "ru", "ps", "ti"])
def test_catalog_is_complete_and_keeps_placeholders(language):
    template = catalog_ids(i18n.TEMPLATE)
    messages = catalog_ids(i18n.catalog_path(language))
    assert set(template) <= set(messages)
    for message_id, message in messages.items():
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        assert all(strings), f"{language}: '{message_id}' is not translated"
        assert not message.fuzzy, f"{language}: '{message_id}' is marked fuzzy"
        for text in strings:
            assert isinstance(text, str)
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(message_id)), message_id


def test_formats_come_from_locale_data():
    import datetime as dt

    assert i18n.long_date(dt.date(2026, 12, 8), "fr") == "mardi 8 décembre 2026"
    assert Localizer("fr").weekdays[0] == "lundi" and Localizer("ar").weekdays[0] == "الاثنين"
    assert i18n.own_name("ar") == "العربية" and i18n.language_name("ar", "fr") == "arabe"
    assert i18n.direction("ar") == "rtl" and i18n.direction("fr") == "ltr"


@pytest.mark.parametrize("language", ["fr", "en", "ar", "fa-AF", "uk", "ru", "ps", "ti"])
def test_time_patterns_of_every_catalog_write_hours_and_minutes(language):
    # The catalogs hold CLDR patterns for times ("H 'h' mm" in French): a typo
    # there would break every page, so each must write 9:05 and 14:00 with digits.
    import datetime as dt

    from generator.render.localize import Localizer

    loc = Localizer(language)
    written, in_french = loc.counting_fallbacks(lambda: (loc.time(dt.time(9, 5)), loc.time(dt.time(14, 0))))
    assert "9" in written[0] and "05" in written[0], written
    assert "14" in written[1] and not re.search(r"[A-Za-z]{2}", written[1].replace("h", "")), written
    assert in_french == 0


def test_french_times_are_written_the_french_way():
    import datetime as dt

    from generator.render.localize import Localizer

    loc = Localizer("fr")
    assert loc.time(dt.time(9, 0)) == "9 h" and loc.time(dt.time(8, 30)) == "8 h 30"
    assert loc.time_range(dt.time(13, 30), dt.time(17, 0)) == "13 h 30\u2009–\u200917 h"
