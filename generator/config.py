"""The portal's settings, read from the `portal` plugin entry of ``mkdocs.yml``.

``mkdocs.yml`` stays the one file a territory edits. Its ``portal`` plugin
options are declared once, in `PortalOptions`, and validated the same way
whether MkDocs loads the plugin or the command line reads the file first.
Once validated, they are typed, frozen objects (`PortalConfig`, `SiteSettings`
and its parts): the stages read attributes, never string keys.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c

from .i18n import LANGUAGE_TAG, catalog_path
from .problems import Report
from .records.loader import Document, PathKey, load_yaml
from .records.types import email_problem

PLUGIN_NAME = "portal"
#: The theme's own search, replaced by the portal's (see `site/search.py`).
THEME_SEARCH = ("search", "material/search")

AccessibilityStatus = Literal["none", "partial", "full"]
EditorBackend = Literal["git-gateway", "github", "gitlab"]


# --- the settings, typed -------------------------------------------------------


@dataclass(frozen=True)
class MapSettings:
    """The background of the interactive map, loaded only when a reader asks for it."""

    tiles: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    """Tile address template, with {z}, {x} and {y}."""
    attribution: str = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    """Credit shown on the map, as HTML (the tile provider requires it)."""
    name: str = "OpenStreetMap"
    """The background's name, in the button that loads it."""
    max_zoom: int = 19
    list_limit: int = 300
    """Beyond this many places, the map page lists the communes instead of every place,
    and the interactive map loads each commune's places when the reader looks there."""


@dataclass(frozen=True)
class AccessibilitySettings:
    """The accessibility statement (RGAA): what an audit found, and whom to write to."""

    status: AccessibilityStatus = "none"
    """'none' ("non conforme") until an RGAA audit; then 'partial' or 'full'."""
    audit: str | None = None
    """The audit: when and by whom, like '12 octobre 2026, par Cabinet Exemple'."""
    rate: float | None = None
    """The share of RGAA criteria met, in %, from the audit."""
    contact: str = ""
    """An e-mail address to report an accessibility problem."""


@dataclass(frozen=True)
class OpenDataSettings:
    """The open data files published with the site (data/)."""

    separator: Literal[";", ","] = ";"
    """Between the fields of the CSV files: ';' opens as is in French spreadsheets."""
    licence: str = "Licence Ouverte / Open Licence 2.0"
    licence_url: str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    licence_id: str = "etalab-2.0"
    producer: str | None = None
    """The portal's id as a data·inclusion producer (`source`), like 'cls-pays-de-redon';
    None: the territory's name as an id."""

    def __post_init__(self) -> None:
        # A link on the "open data" page: never javascript: or data:, whoever builds the settings.
        problem = web_address_problem(self.licence_url)
        if problem:
            raise ValueError(f"open_data.licence_url '{self.licence_url}' {problem}")


#: What a forge's new-issue address may be filled with (see `render/corrections.py`).
CORRECTION_PLACEHOLDERS = ("title", "body", "id", "kind", "page", "verified", "lang")
CORRECTION_EXAMPLE = "https://github.com/ORG/REPO/issues/new?title={title}&body={body}"


@dataclass(frozen=True)
class CorrectionSettings:
    """Where a reader reports an error on a page: an e-mail address, or a forge's new-issue form.

    Exactly one of the two is set. The site itself receives nothing: the link opens
    the reader's e-mail program or the forge, with the message written in advance.
    """

    email: str | None = None
    url: str | None = None
    """A new-issue address with placeholders (`CORRECTION_PLACEHOLDERS`), like `CORRECTION_EXAMPLE`."""


class Edition(str, Enum):
    """Which site a build makes: the public portal, or the professionals' edition of it.

    The professionals' edition (`build --edition pro`) shows the records' `professional:`
    parts and a section for professionals; the public site never holds any of it (the
    records are stripped of it before anything is rendered, `Directory.for_edition`).
    """

    PUBLIC = "public"
    PRO = "pro"


#: Where `build --edition pro` writes the professionals' edition unless told otherwise.
PRO_SITE_DIR = "site-pro"
#: The longest `professional.access` text: one or two sentences on every page.
ACCESS_LIMIT = 300


@dataclass(frozen=True)
class ProfessionalSettings:
    """The professionals' edition, from the `professional` option of the portal plugin."""

    access: str | None = None
    """Where the edition's protection comes from, said on each of its pages, like
    'Accès réservé : authentification de GitLab Pages (membres du projet)'. None: the pages
    say that the protection is the host's responsibility."""


@dataclass(frozen=True)
class EditorSettings:
    """The web editor at /admin/ (Decap CMS, `editor/`): off unless the territory enables it."""

    enabled: bool = False
    backend: EditorBackend = "git-gateway"
    """Where the records are saved: git-gateway (Netlify Identity), github or gitlab."""
    repo: str | None = None
    """The repository, like 'cls-redon/portail-sante' (github and gitlab)."""
    branch: str = "main"
    base_url: str | None = None
    """The OAuth server that signs editors in (github; gitlab without app_id)."""
    api_root: str | None = None
    """A self-hosted forge's API, like https://gitlab.example.org/api/v4."""
    app_id: str | None = None
    """A GitLab OAuth application's id: sign-in in the browser (PKCE), no server needed."""
    local_port: int = 8081
    """The port of `npx decap-server`, for editing the files of this computer."""


@dataclass(frozen=True)
class SiteSettings:
    """What the pages say about the site itself: its name, address, publisher, map, statements."""

    name: str
    """`site_name`: the name at the top of every page (in French)."""
    names: Mapping[str, str] = field(default_factory=dict)
    """The name in the other languages, like {'en': 'Health in the Redon area'}."""
    url: str | None = None
    """`site_url`: where the site is published (QR codes, links sent, open data)."""
    demo: bool = False
    """Say on every page that the structures and contacts are fictional."""
    publisher: str = ""
    """Who publishes the site; the site's name when not set."""
    hosting: str = ""
    map: MapSettings = field(default_factory=MapSettings)
    accessibility: AccessibilitySettings = field(default_factory=AccessibilitySettings)
    open_data: OpenDataSettings = field(default_factory=OpenDataSettings)
    editor: EditorSettings = field(default_factory=EditorSettings)
    corrections: CorrectionSettings | None = None
    """Where to report an error on a record page; None: no such link."""
    edition: Edition = Edition.PUBLIC
    """The public site, or the professionals' edition (`build --edition pro`), never from mkdocs.yml."""
    professional: ProfessionalSettings = field(default_factory=ProfessionalSettings)

    def __post_init__(self) -> None:
        # MkDocs writes site_url's path unescaped into every asset link of the 404 page:
        # no way around `check` (and --site-url's) refusal, whoever builds the settings.
        problem = web_address_problem(self.url, site=True) if self.url is not None else None
        if problem:
            raise ValueError(f"site_url '{self.url}' {problem}")

    def name_in(self, language: str) -> str:
        """The site's name in a language (the French one where it has none)."""
        return self.names.get(language, self.name)

    @property
    def publisher_name(self) -> str:
        return self.publisher or self.name


@dataclass(frozen=True)
class PluginEntry:
    """One entry of `plugins:` in mkdocs.yml, whichever way it is written."""

    name: str
    options: Mapping[str, Any]
    where: PathKey  # its place in the file, for line numbers

    def written(self, options: Mapping[str, Any] | None = None) -> str | dict[str, Any]:
        """The entry as a `plugins:` list item, with other options if given."""
        options = self.options if options is None else options
        return {self.name: dict(options)} if options else self.name


@dataclass(frozen=True)
class PortalConfig:
    """mkdocs.yml, checked: where things are, the languages, and the site's settings."""

    config_file: Path
    directory: Path
    content: Path
    languages: tuple[str, ...]
    site: SiteSettings
    custom_dir: Path | None = None
    plugins: tuple[PluginEntry, ...] = ()
    """The territory's plugins, as written: each language's build lists them again."""

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def with_site_url(self, url: str) -> PortalConfig:
        """The same portal published elsewhere (`build --site-url`)."""
        return replace(self, site=replace(self.site, url=url))

    def with_edition(self, edition: Edition) -> PortalConfig:
        """The same portal, as the public site or the professionals' edition (`build --edition`)."""
        return replace(self, site=replace(self.site, edition=edition))

    @property
    def professional(self) -> bool:
        """Whether this is the professionals' edition."""
        return self.site.edition is Edition.PRO


# --- the schema MkDocs validates (the same defaults) -----------------------------


class MapOptions(base.Config):
    tiles = c.Type(str, default=MapSettings.tiles)
    attribution = c.Type(str, default=MapSettings.attribution)
    name = c.Type(str, default=MapSettings.name)
    max_zoom = c.Type(int, default=MapSettings.max_zoom)
    list_limit = c.Type(int, default=MapSettings.list_limit)


class AccessibilityOptions(base.Config):
    status = c.Choice(("none", "partial", "full"), default=AccessibilitySettings.status)
    audit = c.Optional(c.Type(str))
    rate = c.Optional(c.Type((int, float)))
    contact = c.Type(str, default=AccessibilitySettings.contact)


class OpenDataOptions(base.Config):
    separator = c.Choice((";", ","), default=OpenDataSettings.separator)
    licence = c.Type(str, default=OpenDataSettings.licence)
    licence_url = c.Type(str, default=OpenDataSettings.licence_url)
    licence_id = c.Type(str, default=OpenDataSettings.licence_id)
    producer = c.Type(str, default="")


class EditorOptions(base.Config):
    enabled = c.Type(bool, default=EditorSettings.enabled)
    backend = c.Choice(("git-gateway", "github", "gitlab"), default=EditorSettings.backend)
    repo = c.Optional(c.Type(str))
    branch = c.Type(str, default=EditorSettings.branch)
    base_url = c.Optional(c.Type(str))
    api_root = c.Optional(c.Type(str))
    app_id = c.Optional(c.Type(str))
    local_port = c.Type(int, default=EditorSettings.local_port)


class CorrectionOptions(base.Config):
    email = c.Optional(c.Type(str))
    url = c.Optional(c.Type(str))


class ProfessionalOptions(base.Config):
    access = c.Optional(c.Type(str))


class PortalOptions(base.Config):
    """Options of the ``portal`` plugin in ``mkdocs.yml`` (the README documents each)."""

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
    editor = c.SubConfig(EditorOptions)
    """The web editor at /admin/ for coordinators who do not use Git (off by default)."""
    corrections = c.SubConfig(CorrectionOptions)
    """Where readers report an error: {email: ...} or {url: <a forge's new-issue form>}; no link when not set."""
    professional = c.SubConfig(ProfessionalOptions)
    """The professionals' edition: {access: where its protection comes from}, said on each of its pages."""
    edition = c.Choice(tuple(edition.value for edition in Edition), default=Edition.PUBLIC.value)
    """Set by the generator in each language's build (`build --edition`); not for mkdocs.yml."""
    build_language = c.Optional(c.Type(str))
    """Set by the generator in each language's build; not for mkdocs.yml."""
    time_zone = c.Type(str, default="Europe/Paris")
    """The territory's time zone, set by the generator from territory.yml; not for mkdocs.yml."""
    search_sources = c.Optional(c.Type(str))
    """Where the plugin writes the text of each searchable page, set by the generator; not for mkdocs.yml."""


# --- reading mkdocs.yml ------------------------------------------------------------


def plugin_entries(data: Any) -> list[PluginEntry]:
    """The `plugins:` of mkdocs.yml: a list of names and one-key mappings, or a mapping."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    entries: list[PluginEntry] = []
    if isinstance(plugins, dict):
        for name, options in plugins.items():
            entries.append(PluginEntry(str(name), options if isinstance(options, dict) else {}, ("plugins", name)))
    elif isinstance(plugins, list):
        for index, entry in enumerate(plugins):
            if isinstance(entry, str):
                entries.append(PluginEntry(entry, {}, ("plugins", index)))
            elif isinstance(entry, dict) and entry:
                name, options = next(iter(entry.items()))
                entries.append(
                    PluginEntry(str(name), options if isinstance(options, dict) else {}, ("plugins", index, name))
                )
    return entries


#: What `plugins:` looks like, for the errors that say it is written otherwise.
_PLUGINS_EXAMPLE = "a list of plugin names, like 'plugins: [portal]', each with its options under it"


def installed_plugins() -> frozenset[str]:
    """The MkDocs plugins installed in this environment, by the name mkdocs.yml gives them."""
    return frozenset(entry.name for entry in entry_points(group="mkdocs.plugins"))


def _plugin_items(plugins: Any) -> Iterator[tuple[Any, Any, PathKey]]:
    """Each entry of `plugins:` as written: name, options, place in the file."""
    if isinstance(plugins, dict):
        for name, options in plugins.items():
            yield name, options, ("plugins", name)
    elif isinstance(plugins, list):
        for index, entry in enumerate(plugins):
            if isinstance(entry, dict) and len(entry) == 1:
                name, options = next(iter(entry.items()))
                yield name, options, ("plugins", index, name)
            else:
                yield entry, {}, ("plugins", index)


def _check_plugins(document: Document, report: Report) -> None:
    """`plugins:` as MkDocs will read it: a list or mapping of installed plugins, each with a mapping of options.

    MkDocs would fail on any of these only during the build, without a line.
    """
    if "plugins" not in document.data:
        return
    plugins = document.data["plugins"]
    if not isinstance(plugins, (list, dict)):
        report.error(document.path, document.line_of(("plugins",)), f"'plugins' should be {_PLUGINS_EXAMPLE}")
        return
    installed = installed_plugins()
    seen: set[str] = set()
    for name, options, where in _plugin_items(plugins):
        line = document.line_of(where, key=len(where) == 3)
        if not isinstance(name, str) or not name.strip():
            report.error(
                document.path,
                document.line_of(where),
                f"this entry of 'plugins' is not a plugin name: expected {_PLUGINS_EXAMPLE}",
            )
            continue
        # MkDocs finds 'blog' as the theme's 'material/blog'; '/name' skips that.
        bare = name.removeprefix("/")
        if bare not in installed and (name.startswith("/") or f"material/{bare}" not in installed):
            close = difflib.get_close_matches(bare, sorted(installed), n=1)
            guess = f" Did you mean '{close[0]}'?" if close else ""
            report.error(
                document.path,
                line,
                f"plugin '{name}' is not installed: MkDocs would stop the build. Install it (and pin it in "
                f"the project's requirements) or remove this line.{guess}",
            )
        if options is not None and not isinstance(options, dict):
            report.error(
                document.path,
                document.line_of(where),
                f"the options of plugin '{name}' should be a mapping of settings, like '{name}: {{option: value}}', "
                "or nothing",
            )
        if name in seen:
            report.error(document.path, line, f"plugin '{name}' is listed twice: keep one entry")
        seen.add(name)


def _theme_search(document: Document, entries: list[PluginEntry], report: Report) -> None:
    """The theme's search plugin is not used (see `site/search.py`): say so where it is listed."""
    for entry in entries:
        if entry.name in THEME_SEARCH:
            report.warning(
                document.path,
                document.line_of(entry.where[:2]),
                f"the theme's '{entry.name}' plugin is not used: the portal has its own search, "
                "whose index readers download in small pieces. Remove this line",
            )


def _portal_entry(document: Document, entries: list[PluginEntry], report: Report) -> PluginEntry | None:
    """The portal plugin's entry; reported when it is missing."""
    for entry in entries:
        if entry.name == PLUGIN_NAME:
            return entry
    report.error(
        document.path,
        document.line_of(("plugins",), key=True),
        f"the '{PLUGIN_NAME}' plugin is missing: add '- {PLUGIN_NAME}' under 'plugins:'",
    )
    return None


def _languages(codes: list[str], document: Document, where: tuple[Any, ...], report: Report) -> tuple[str, ...]:
    """The site's languages: known codes, each with an interface catalog."""
    line = document.line_of((*where, "languages"))
    if not codes:
        report.error(document.path, line, "portal plugin option 'languages': give at least one, like [fr]")
    for code in codes:
        if not LANGUAGE_TAG.match(code):
            report.error(
                document.path,
                line,
                f"portal plugin option 'languages': '{code}' is not a language code: expected "
                "an ISO 639-1 code like 'fr', 'en', 'ar', or a code with a region like 'fa-AF'",
            )
        elif not catalog_path(code).is_file():
            report.error(
                document.path,
                line,
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


def _map_settings(options: MapOptions, document: Document, where: PathKey, report: Report) -> MapSettings:
    settings = MapSettings(
        tiles=options.tiles,
        attribution=options.attribution,
        name=options.name,
        max_zoom=options.max_zoom,
        list_limit=options.list_limit,
    )
    if not settings.tiles.startswith("https://") or not all(part in settings.tiles for part in ("{z}", "{x}", "{y}")):
        report.error(
            document.path,
            document.line_of((*where, "map", "tiles")),
            f"portal plugin option 'map.tiles': '{settings.tiles}' is not a tile address: expected https://... "
            "with {z}, {x} and {y}, like https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        )
    if settings.list_limit < 1:
        report.error(
            document.path,
            document.line_of((*where, "map", "list_limit")),
            f"portal plugin option 'map.list_limit': {settings.list_limit} is too small: expected a number of "
            "places of 1 or more, like 300",
        )
    return settings


def _open_data(options: OpenDataOptions, document: Document, where: PathKey, report: Report) -> None:
    """The licence's address is a link on the "open data" page: http(s) only."""
    problem = web_address_problem(options.licence_url)
    if problem:
        report.error(
            document.path,
            document.line_of((*where, "open_data", "licence_url")),
            f"portal plugin option 'open_data.licence_url': '{options.licence_url}' {problem}: expected the "
            "licence's page, like https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        )


def _editor_settings(options: EditorOptions, document: Document, where: PathKey, report: Report) -> EditorSettings:
    settings = EditorSettings(
        enabled=options.enabled,
        backend=cast(EditorBackend, options.backend),
        repo=options.repo,
        branch=options.branch,
        base_url=options.base_url,
        api_root=options.api_root,
        app_id=options.app_id,
        local_port=options.local_port,
    )

    def error(key: str, message: str) -> None:
        report.error(
            document.path, document.line_of((*where, "editor", key)), f"portal plugin option 'editor.{key}': {message}"
        )

    if settings.enabled and settings.backend != "git-gateway" and not _REPO.match(settings.repo or ""):
        error(
            "repo" if settings.repo else "backend",
            f"the {settings.backend} back end needs the repository: expected 'repo: owner/name', "
            "like 'repo: cls-redon/portail-sante'",
        )
    for key in ("base_url", "api_root"):
        value = getattr(settings, key)
        if value is not None and not value.startswith("https://"):
            error(key, f"'{value}' is not a web address: expected https://..., like https://auth.example.org")
    if not 1024 <= settings.local_port <= 65535:
        error("local_port", f"{settings.local_port} is not a port for decap-server: expected 1024 to 65535, like 8081")
    return settings


#: A forge's repository: owner/name (GitLab: group/subgroup/name).
_REPO = re.compile(r"^[\w.-]+(/[\w.-]+)+$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_UNSAFE_IN_URL = re.compile(r"[\s\"'<>\\`\x00-\x1f\x7f]")


def web_address_problem(url: str, *, site: bool = False) -> str | None:
    """What is wrong with an http(s) address written into the pages, or None.

    Only http and https: a `javascript:` or `data:` address would run or show
    anything. Quotes, angle brackets, spaces and control characters are refused
    too, although every template escapes the address: they are always a mistake.
    `site`: the site's own address (`site_url`), to which page paths are added,
    so no query or fragment.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "is not a web address"
    if parts.scheme not in ("http", "https") or not host:
        return "is not a web address starting with https:// (or http://)"
    if _UNSAFE_IN_URL.search(url):
        return "has a space, a quote, an angle bracket or a control character: a web address has none"
    if site and (parts.query or parts.fragment or "?" in url or "#" in url):
        return "has a '?' or a '#': the site's address is a folder, the pages' paths are added to it"
    return None


def _correction_url_problem(url: str) -> str | None:
    """What is wrong with a new-issue address template, or None."""
    names = _PLACEHOLDER.findall(url)
    unknown = [name for name in names if name not in CORRECTION_PLACEHOLDERS]
    parts = urlsplit(_PLACEHOLDER.sub("x", url))
    if parts.scheme != "https" or not parts.hostname or _UNSAFE_IN_URL.search(url):
        return "is not a web address starting with https://"
    if "{" in urlsplit(url).netloc:
        return "has a placeholder in its host name: placeholders go in the path or after '?'"
    if unknown:
        return f"has an unknown placeholder {{{unknown[0]}}}"
    if not names or "{" in _PLACEHOLDER.sub("", url) or "}" in _PLACEHOLDER.sub("", url):
        return "has no placeholder (or a brace left open): the form would open empty"
    return None


def _correction_settings(
    options: CorrectionOptions, given: bool, document: Document, where: PathKey, report: Report
) -> CorrectionSettings | None:
    """The `corrections` option: one way to report an error, checked; None when not given."""
    if not given:
        return None
    here = (*where, "corrections")
    if (options.email is None) == (options.url is None):
        report.error(
            document.path,
            document.line_of(here, key=True),
            "portal plugin option 'corrections': give either 'email' (an address, like corrections@example.org) "
            f"or 'url' (a forge's new-issue form, like {CORRECTION_EXAMPLE}), exactly one of the two",
        )
        return None
    if options.email is not None:
        problem = email_problem(options.email.strip())
        if problem:
            report.error(
                document.path,
                document.line_of((*here, "email")),
                f"portal plugin option 'corrections.email': {problem}: expected an address like corrections@example.org",
            )
            return None
        return CorrectionSettings(email=options.email.strip())
    url = (options.url or "").strip()
    problem = _correction_url_problem(url)
    if problem:
        placeholders = " ".join(f"{{{name}}}" for name in CORRECTION_PLACEHOLDERS)
        report.error(
            document.path,
            document.line_of((*here, "url")),
            f"portal plugin option 'corrections.url': '{url}' {problem}: expected a new-issue address starting "
            f"with https:// and using some of the placeholders {placeholders}, like {CORRECTION_EXAMPLE}",
        )
        return None
    return CorrectionSettings(url=url)


def _site_settings(
    options: PortalOptions,
    name: str,
    names: dict[str, str],
    url: str | None,
    map_settings: MapSettings,
    editor: EditorSettings,
    corrections: CorrectionSettings | None,
    professional: ProfessionalSettings,
) -> SiteSettings:
    statement, data = options.accessibility, options.open_data
    return SiteSettings(
        name=name,
        names=names,
        url=url,
        demo=options.demo,
        publisher=options.publisher,
        hosting=options.hosting,
        map=map_settings,
        accessibility=AccessibilitySettings(
            status=cast(AccessibilityStatus, statement.status),
            audit=statement.audit,
            rate=statement.rate,
            contact=statement.contact,
        ),
        open_data=OpenDataSettings(
            separator=cast(Literal[";", ","], data.separator),
            licence=data.licence,
            licence_url=data.licence_url,
            licence_id=data.licence_id,
            producer=data.producer or None,
        ),
        editor=editor,
        corrections=corrections,
        professional=professional,
    )


def _professional_settings(
    options: ProfessionalOptions, document: Document, where: PathKey, report: Report
) -> ProfessionalSettings:
    """`professional.access`: one or two sentences every page of the professionals' edition shows."""
    access = options.access
    if access is None:
        return ProfessionalSettings()
    text = " ".join(access.split())
    problem = None
    if not text:
        problem = "is empty"
    elif len(text) > ACCESS_LIMIT:
        problem = f"is {len(text)} characters long, more than {ACCESS_LIMIT}"
    elif any(ord(character) < 32 or 0x7F <= ord(character) < 0xA0 for character in text):
        problem = "holds a control character"
    if problem:
        report.error(
            document.path,
            document.line_of((*where, "professional", "access")),
            f"portal plugin option 'professional.access': the text {problem}: expected one or two sentences "
            "saying where the protection of the professionals' edition comes from, like 'Accès réservé aux "
            "membres du projet GitLab (contrôle d'accès de GitLab Pages)'",
        )
        return ProfessionalSettings()
    return ProfessionalSettings(access=text)


def _site_names(
    names: dict[Any, Any], languages: tuple[str, ...], document: Document, where: tuple[Any, ...], report: Report
) -> dict[str, str]:
    valid = {}
    for code, name in names.items():
        line = document.line_of((*where, "site_names", code), key=True)
        if code not in languages:
            report.error(
                document.path,
                line,
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


#: Top-level settings that the theme writes into every page, as text.
_PAGE_TEXTS = ("site_description", "site_author", "repo_name", "copyright")
#: Top-level settings that are web addresses the theme links to.
_PAGE_ADDRESSES = ("repo_url",)


def _engine_settings(document: Document, report: Report) -> None:
    """The settings MkDocs and the theme read from mkdocs.yml: checked now, not during the build."""
    data = document.data
    if "INHERIT" in data:
        report.error(
            document.path,
            document.line_of(("INHERIT",), key=True),
            "'INHERIT' is not supported in the portal's mkdocs.yml: each language's build already inherits "
            "this file, and a second file would not be checked. Move its settings into this file",
        )
    for name in _PAGE_TEXTS:
        _text_setting(document, name, report)
    for name in _PAGE_ADDRESSES:
        value = _text_setting(document, name, report)
        problem = web_address_problem(value) if value else None
        if problem:
            report.error(
                document.path,
                document.line_of((name,)),
                f"'{name}': '{value}' {problem}: expected an address like https://github.com/ORG/REPO",
            )
    _hooks(document, report)
    _asset_paths(document, report)
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, dict):
        report.error(
            document.path,
            document.line_of(("theme",)),
            "'theme' should be a mapping of settings, like 'theme: {name: material, custom_dir: overrides}'",
        )
    elif isinstance(theme, dict) and theme.get("name", "material") != "material":
        report.error(
            document.path,
            document.line_of(("theme", "name")),
            f"'theme.name': '{theme.get('name')}' is not supported: the portal's pages and overrides are made "
            "for the theme 'material'",
        )


def _asset_problem(value: Any) -> str | None:
    """What is wrong with the address of a file the theme links to (a stylesheet, the logo), or None."""
    if not isinstance(value, str) or not value.strip():
        return "should be the path of a file of the site"
    if _UNSAFE_IN_URL.search(value):
        return "has a space, a quote, an angle bracket or a control character: a file's path has none"
    scheme = urlsplit(value).scheme
    if scheme and scheme not in ("http", "https"):
        return "is not a path or an https:// address"
    return None


def _asset_paths(document: Document, report: Report) -> None:
    """The files the theme links to from every page: `extra_css`, `extra_javascript`, `theme.logo`, `theme.favicon`."""
    places: list[tuple[PathKey, Any]] = []
    for name in ("extra_css", "extra_javascript"):
        values = document.data.get(name)
        if values is not None and not isinstance(values, list):
            report.error(
                document.path,
                document.line_of((name,)),
                f"'{name}' should be a list of paths, like '{name}: [assets/portal.css]'",
            )
        elif values:
            # extra_javascript may give a script as {path: ..., defer: true}
            places += [((name, i), v.get("path") if isinstance(v, dict) else v) for i, v in enumerate(values)]
    theme = document.data.get("theme")
    if isinstance(theme, dict):
        places += [(("theme", key), theme[key]) for key in ("logo", "favicon") if key in theme]
    for where, value in places:
        problem = _asset_problem(value)
        if problem:
            label = ".".join(str(part) for part in where if isinstance(part, str))
            report.error(
                document.path,
                document.line_of(where),
                f"'{label}': '{value}' {problem}, like 'assets/images/logo.png'",
            )


def _hooks(document: Document, report: Report) -> None:
    """`hooks:`: Python files of the project that MkDocs runs during the build (trusted code, see README)."""
    hooks = document.data.get("hooks")
    if hooks is None:
        return
    if not isinstance(hooks, list):
        report.error(
            document.path,
            document.line_of(("hooks",)),
            "'hooks' should be a list of Python files of the project, like 'hooks: [hooks/portal.py]'",
        )
        return
    root = document.path.parent
    for index, hook in enumerate(hooks):
        path = Path(os.path.normpath(root / hook)) if isinstance(hook, str) else None
        if path is None or path.suffix != ".py" or not path.is_relative_to(root) or not path.is_file():
            report.error(
                document.path,
                document.line_of(("hooks", index)),
                f"'hooks': '{hook}' is not a Python file of the project: expected a path to a .py file "
                "inside the project folder, like 'hooks/portal.py'",
            )


def _custom_dir(value: str, document: Document, report: Report) -> Path | None:
    """`theme.custom_dir`: an existing folder inside the project.

    MkDocs publishes every file of it that is not a template: a folder outside
    the project (the home folder, /) would put its files on the public site.
    """
    root = document.path.parent
    folder = Path(os.path.normpath(root / value))
    line = document.line_of(("theme", "custom_dir"))
    if not folder.is_relative_to(root):
        report.error(
            document.path,
            line,
            f"'theme.custom_dir': '{value}' is outside the project folder {root}: MkDocs publishes the files "
            "of this folder, so it must be one of the project's, like 'overrides'",
        )
        return None
    if not folder.is_dir():
        report.error(
            document.path,
            line,
            f"'theme.custom_dir': '{value}' is not a folder of the project: expected the folder of the theme "
            "overrides, like 'overrides'",
        )
        return None
    return folder.resolve()


def _editor_folders(
    editor: EditorSettings, folders: Mapping[str, str | Path], document: Document, where: PathKey, report: Report
) -> None:
    """With the web editor on, the folders it writes to stay inside the project, below mkdocs.yml.

    The editor writes `<directory>/<kind>/<id>.yml` and `<content>/media/`, named from
    mkdocs.yml's folder (the repository's root): inside it, no name it can make is mkdocs.yml.
    """
    if not editor.enabled:
        return
    root = document.path.parent.resolve()
    for option, folder in folders.items():
        if not (root / folder).resolve().is_relative_to(root):
            report.error(
                document.path,
                document.line_of((*where, option)),
                f"portal plugin option '{option}': '{folder}' is outside the project folder {root}: the web "
                "editor writes only inside the repository, and never mkdocs.yml itself. Keep the folder in the "
                f"project, like '{option}: {option}'",
            )


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
    _check_plugins(document, report)
    entries = plugin_entries(document.data)
    portal = _portal_entry(document, entries, report)
    where = portal.where if portal is not None else ()
    options = PortalOptions()
    options.load_dict(dict(portal.options) if portal is not None else {})
    failed, warnings = options.validate()
    for key, problem in [*failed, *warnings]:
        close = difflib.get_close_matches(key, [name for name, _ in PortalOptions._schema], n=1)
        guess = f" Did you mean '{close[0]}'?" if close else ""
        report.error(
            config_file,
            document.line_of((*where, key), key=True),
            f"portal plugin option '{key}': {problem}.{guess}",
        )
    _theme_search(document, entries, report)
    languages = _languages(options.languages or [], document, where, report)
    site_name = _text_setting(document, "site_name", report, required=True)
    site_names = _site_names(options.site_names or {}, languages, document, where, report)
    site_url = _text_setting(document, "site_url", report)
    problem = web_address_problem(site_url, site=True) if site_url else None
    if problem:
        report.error(
            config_file, document.line_of(("site_url",)), f"'site_url': '{site_url}' {problem}{_EXAMPLES['site_url']}"
        )
    _engine_settings(document, report)
    theme = document.data.get("theme")
    custom_dir = _text_setting(document, "theme", report, key="custom_dir") if isinstance(theme, dict) else None
    custom_folder = _custom_dir(custom_dir, document, report) if custom_dir else None
    if report.errors:
        return None
    map_settings = _map_settings(options.map, document, where, report)
    _open_data(options.open_data, document, where, report)
    editor = _editor_settings(options.editor, document, where, report)
    folders = {"directory": directory or options.directory, "content": options.content}
    _editor_folders(editor, folders, document, where, report)
    given = portal is not None and "corrections" in portal.options
    corrections = _correction_settings(options.corrections, given, document, where, report)
    professional = _professional_settings(options.professional, document, where, report)
    if portal is not None and "edition" in portal.options:
        report.error(
            config_file,
            document.line_of((*where, "edition"), key=True),
            "portal plugin option 'edition' is set by the generator: remove it, and build the professionals' "
            "edition with 'python -m generator build --edition pro'",
        )
    if report.errors or site_name is None:
        return None
    root = config_file.parent
    return PortalConfig(
        config_file=config_file,
        directory=(directory or root / options.directory).resolve(),
        content=(root / options.content).resolve(),
        languages=languages,
        site=_site_settings(options, site_name, site_names, site_url, map_settings, editor, corrections, professional),
        custom_dir=custom_folder,
        plugins=tuple(entries),
    )
