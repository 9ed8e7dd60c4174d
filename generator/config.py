"""The portal's settings, read from the `portal` plugin entry of ``mkdocs.yml``.

``mkdocs.yml`` stays the one file a territory edits. Its ``portal`` plugin
options are declared once, in `PortalOptions`, and validated the same way
whether MkDocs loads the plugin or the command line reads the file first.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .i18n import LANGUAGE_TAG, catalog_path
from .records.loader import Document, load_yaml
from .problems import Report

PLUGIN_NAME = "portal"


class MapOptions(base.Config):
    """The background of the interactive map, loaded only when a reader asks for it."""

    tiles = c.Type(str, default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    """Tile address template, with {z}, {x} and {y}."""
    attribution = c.Type(
        str, default='© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    )
    """Credit shown on the map, as HTML (the tile provider requires it)."""
    name = c.Type(str, default="OpenStreetMap")
    """The background's name, in the button that loads it."""
    max_zoom = c.Type(int, default=19)
    list_limit = c.Type(int, default=300)
    """Beyond this many places, the map page lists the communes instead of every place,
    and the interactive map loads each commune's places when the reader looks there."""


class AccessibilityOptions(base.Config):
    """The accessibility statement (RGAA): what an audit found, and whom to write to."""

    status = c.Choice(("none", "partial", "full"), default="none")
    """'none' ("non conforme") until an RGAA audit; then 'partial' or 'full'."""
    audit = c.Optional(c.Type(str))
    """The audit: when and by whom, like '12 octobre 2026, par Cabinet Exemple'."""
    rate = c.Optional(c.Type((int, float)))
    """The share of RGAA criteria met, in %, from the audit."""
    contact = c.Type(str, default="")
    """An e-mail address to report an accessibility problem."""


class OpenDataOptions(base.Config):
    """The open data files published with the site (data/)."""

    separator = c.Choice((";", ","), default=";")
    """Between the fields of the CSV files: ';' opens as is in French spreadsheets."""
    licence = c.Type(str, default="Licence Ouverte / Open Licence 2.0")
    licence_url = c.Type(str, default="https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
    licence_id = c.Type(str, default="etalab-2.0")
    producer = c.Type(str, default="")
    """The portal's id as a data·inclusion producer (`source`), like 'cls-pays-de-redon';
    by default the territory's name as an id."""


class PortalOptions(base.Config):
    """Options of the ``portal`` plugin in ``mkdocs.yml``."""

    directory = c.Type(str, default="directory")
    """Folder of the YAML records, relative to mkdocs.yml."""
    content = c.Type(str, default="content")
    """Folder of the hand-written pages, one sub-folder per language."""
    languages = c.ListOfItems(c.Type(str), default=["fr"])
    """Languages of the site; the first one is the default."""
    site_names = c.Type(dict, default={})
    """The site's name in the other languages, like {en: Health in the Redon area}."""
    demo = c.Type(bool, default=False)
    """Show the banner saying that structures and contacts are fictional."""
    map = c.SubConfig(MapOptions)
    """Interactive map: tile source and attribution."""
    publisher = c.Type(str, default="")
    """Who publishes the site, like 'Communauté de communes du Pays de Redon'."""
    hosting = c.Type(str, default="")
    """Who hosts the site (named on the personal data page), like 'GitHub Pages (GitHub, Inc.)'."""
    open_data = c.SubConfig(OpenDataOptions)
    """The CSV separator and the licence of data/ (Licence Ouverte 2.0 by default)."""
    accessibility = c.SubConfig(AccessibilityOptions)
    """The accessibility statement (page 'Accessibilité', linked from every page)."""
    build_language = c.Optional(c.Type(str))
    """Set by the generator in each language's build; not for mkdocs.yml."""
    time_zone = c.Type(str, default="Europe/Paris")
    """The territory's time zone, set by the generator from territory.yml; not for mkdocs.yml."""
    search_sources = c.Optional(c.Type(str))
    """Where the plugin writes the text of each searchable page, set by the generator; not for mkdocs.yml."""


@dataclass(frozen=True)
class PortalConfig:
    config_file: Path
    directory: Path
    content: Path
    languages: tuple[str, ...]
    demo: bool
    site_name: str
    site_names: dict[str, str]
    map: dict[str, Any]
    site_url: str | None
    custom_dir: Path | None
    legal: dict[str, Any]  # publisher, hosting, accessibility: for the statement pages
    open_data: dict[str, Any]  # separator, licence
    raw: dict[str, Any]

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def name_in(self, language: str) -> str:
        """The site's name in a language (the French one where it has none)."""
        return self.site_names.get(language, self.site_name)


def _theme_search(document: Document, report: Report) -> None:
    """The theme's search plugin is not used (see `search.py`): say so where it is listed."""
    plugins = document.data.get("plugins") if isinstance(document.data, dict) else None
    for index, entry in enumerate(plugins if isinstance(plugins, list) else []):
        name = entry if isinstance(entry, str) else next(iter(entry), None) if isinstance(entry, dict) else None
        if name in ("search", "material/search"):
            report.warning(
                document.path, document.line_of(("plugins", index)),
                f"the theme's '{name}' plugin is not used: the portal has its own search, "
                "whose index readers download in small pieces. Remove this line",
            )


def _plugin_options(document: Document, report: Report) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """The portal plugin's options, and where they are in the file."""
    plugins = document.data.get("plugins") if isinstance(document.data, dict) else None
    entries = plugins.items() if isinstance(plugins, dict) else enumerate(plugins or [])
    for index, entry in entries:
        if entry == PLUGIN_NAME:
            return {}, ("plugins", index)
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] or {}, ("plugins", index, PLUGIN_NAME)
        if index == PLUGIN_NAME:
            return entry or {}, ("plugins", index)
    report.error(
        document.path,
        document.line_of(("plugins",), key=True),
        f"the '{PLUGIN_NAME}' plugin is missing: add '- {PLUGIN_NAME}' under 'plugins:'",
    )
    return {}, ()


def _languages(codes: list[str], document: Document, where: tuple[Any, ...], report: Report) -> tuple[str, ...]:
    """The site's languages: known codes, each with an interface catalog."""
    line = document.line_of(where + ("languages",))
    if not codes:
        report.error(document.path, line, "portal plugin option 'languages': give at least one, like [fr]")
    for code in codes:
        if not LANGUAGE_TAG.match(code):
            report.error(
                document.path, line,
                f"portal plugin option 'languages': '{code}' is not a language code: expected "
                "an ISO 639-1 code like 'fr', 'en', 'ar', or a code with a region like 'fa-AF'",
            )
        elif not catalog_path(code).is_file():
            report.error(
                document.path, line,
                f"portal plugin option 'languages': there is no interface catalog for '{code}': "
                f"add generator/locales/{code}.po (see the translator's guide in README.md)",
            )
    if len(set(codes)) != len(codes):
        report.error(document.path, line, "portal plugin option 'languages': a language is listed twice")
    return tuple(codes)


_EXAMPLES = {
    "site_name": ", like 'Santé Pays de Redon'",
    "site_url": ", like 'https://sante.example.org/'",
    "theme.custom_dir": ", like 'overrides'",
}


def _map_options(options: Any, document: Document, where: tuple[Any, ...], report: Report) -> dict[str, Any]:
    values = dict(options)
    tiles = values.get("tiles", "")
    if not tiles.startswith("https://") or not all(part in tiles for part in ("{z}", "{x}", "{y}")):
        report.error(
            document.path,
            document.line_of(where + ("map", "tiles")),
            f"portal plugin option 'map.tiles': '{tiles}' is not a tile address: expected https://... "
            "with {z}, {x} and {y}, like https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        )
    if values.get("list_limit", 1) < 1:
        report.error(
            document.path,
            document.line_of(where + ("map", "list_limit")),
            f"portal plugin option 'map.list_limit': {values['list_limit']} is too small: expected a number of "
            "places of 1 or more, like 300",
        )
    return values


def _site_names(
    names: dict[Any, Any], languages: tuple[str, ...], document: Document, where: tuple[Any, ...], report: Report
) -> dict[str, str]:
    valid = {}
    for code, name in names.items():
        line = document.line_of(where + ("site_names", code), key=True)
        if code not in languages:
            report.error(
                document.path, line,
                f"portal plugin option 'site_names': '{code}' is not one of the site's languages "
                f"({', '.join(languages)})",
            )
        elif not isinstance(name, str) or not name.strip():
            report.error(document.path, line, f"portal plugin option 'site_names': the name in '{code}' should be text")
        else:
            valid[str(code)] = name.strip()
    return valid


def _text_setting(
    document: Document, name: str, report: Report, *, required: bool = False, key: str | None = None
) -> str | None:
    """A text setting of mkdocs.yml (`name`, or `name.key`), reported if it is not text."""
    value = document.data.get(name)
    where: tuple[Any, ...] = (name,)
    if key is not None:
        value = value.get(key) if isinstance(value, dict) else None
        where = (name, key)
    label = ".".join(str(part) for part in where)
    if value is None or value == "":
        if required:
            report.error(document.path, 1, f"'{label}' is missing: the name shown at the top of every page")
        return None
    if not isinstance(value, str):
        example = _EXAMPLES.get(label, "")
        report.error(document.path, document.line_of(where), f"'{label}' should be text{example}")
        return None
    return value.strip()


def load_config(config_file: Path, report: Report, directory: Path | None = None) -> PortalConfig | None:
    """Read ``mkdocs.yml``; problems go to `report`, None if it is unusable."""
    config_file = config_file.resolve()
    if not config_file.is_file():
        report.error(config_file, 1, "the configuration file does not exist: pass --config PATH")
        return None
    document = load_yaml(config_file, report)
    if document is None:
        return None
    if not isinstance(document.data, dict):
        report.error(config_file, 1, "expected a mapping of settings, like 'site_name: ...'")
        return None
    raw_options, where = _plugin_options(document, report)
    options = PortalOptions()
    options.load_dict(raw_options if isinstance(raw_options, dict) else {})
    failed, warnings = options.validate()
    for key, problem in [*failed, *warnings]:
        close = difflib.get_close_matches(key, [name for name, _ in PortalOptions._schema], n=1)
        guess = f" Did you mean '{close[0]}'?" if close else ""
        report.error(
            config_file,
            document.line_of(where + (key,), key=True),
            f"portal plugin option '{key}': {problem}.{guess}",
        )
    _theme_search(document, report)
    languages = _languages(options.languages or [], document, where, report)
    site_name = _text_setting(document, "site_name", report, required=True)
    site_names = _site_names(options.site_names or {}, languages, document, where, report)
    site_url = _text_setting(document, "site_url", report)
    theme = document.data.get("theme")
    custom_dir = _text_setting(document, "theme", report, key="custom_dir") if isinstance(theme, dict) else None
    if report.errors:
        return None
    root = config_file.parent
    return PortalConfig(
        config_file=config_file,
        directory=(directory or root / options.directory).resolve(),
        content=(root / options.content).resolve(),
        languages=languages,
        demo=bool(options.demo),
        site_name=site_name,
        site_names=site_names,
        map=_map_options(options.map, document, where, report),
        site_url=site_url,
        custom_dir=(root / custom_dir).resolve() if custom_dir else None,
        legal={
            "publisher": options.publisher or site_name,
            "hosting": options.hosting,
            "accessibility": dict(options.accessibility),
            "site_url": site_url,
            "open_data": dict(options.open_data),
        },
        open_data=dict(options.open_data),
        raw=document.data,
    )
