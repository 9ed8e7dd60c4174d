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
from .records.indicators import DEFAULT_MAP_INDICATOR, MAP_INDICATORS
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
class ObservatorySettings:
    """The observatory page (`render/observatory.py`)."""

    map: str = DEFAULT_MAP_INDICATOR
    """The figure that shades its map: one of `records.indicators.MAP_INDICATORS`, the names of
    data/observatoire.csv's columns."""


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
    observatory: ObservatorySettings = field(default_factory=ObservatorySettings)
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


class ObservatoryOptions(base.Config):
    map = c.Choice(MAP_INDICATORS, default=ObservatorySettings.map)


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
    observatory = c.SubConfig(ObservatoryOptions)
    """The observatory page: {map: the figure that shades its map}, one of observatoire.csv's columns."""
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
    """Not for mkdocs.yml: `build --edition pro` chooses it (`check` refuses it here, saying so)."""
    build_language = c.Optional(c.Type(str))
    """Set by the generator in each language's build; not for mkdocs.yml."""
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
_PLUGINS_EXAMPLE = "une liste de noms de plugins, comme 'plugins: [portal]', chacun avec ses options en dessous"


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
        report.error(document.path, document.line_of(("plugins",)), f"'plugins' doit être {_PLUGINS_EXAMPLE}")
        return
    installed = installed_plugins()
    seen: set[str] = set()
    for name, options, where in _plugin_items(plugins):
        line = document.line_of(where, key=len(where) == 3)
        if not isinstance(name, str) or not name.strip():
            report.error(
                document.path,
                document.line_of(where),
                f"cette entrée de 'plugins' n'est pas un nom de plugin : attendu {_PLUGINS_EXAMPLE}",
            )
            continue
        # MkDocs finds 'blog' as the theme's 'material/blog'; '/name' skips that.
        bare = name.removeprefix("/")
        if bare not in installed and (name.startswith("/") or f"material/{bare}" not in installed):
            close = difflib.get_close_matches(bare, sorted(installed), n=1)
            guess = f" Vouliez-vous dire '{close[0]}' ?" if close else ""
            report.error(
                document.path,
                line,
                f"le plugin « {name} » n'est pas installé : MkDocs arrêterait la construction. Installez-le (et "
                f"fixez sa version dans les dépendances du projet) ou enlevez cette ligne.{guess}",
            )
        if options is not None and not isinstance(options, dict):
            report.error(
                document.path,
                document.line_of(where),
                f"les options du plugin « {name} » doivent être des réglages 'clé: valeur', comme "
                f"'{name}: {{option: valeur}}', ou rien",
            )
        if name in seen:
            report.error(document.path, line, f"le plugin « {name} » est listé deux fois : n'en gardez qu'un")
        seen.add(name)


def _theme_search(document: Document, entries: list[PluginEntry], report: Report) -> None:
    """The theme's search plugin is not used (see `site/search.py`): say so where it is listed."""
    for entry in entries:
        if entry.name in THEME_SEARCH:
            report.warning(
                document.path,
                document.line_of(entry.where[:2]),
                f"le plugin « {entry.name} » du thème n'est pas utilisé : le portail a sa propre recherche, "
                "dont les lecteurs téléchargent l'index par petits morceaux. Enlevez cette ligne",
            )


def _portal_entry(document: Document, entries: list[PluginEntry], report: Report) -> PluginEntry | None:
    """The portal plugin's entry; reported when it is missing."""
    for entry in entries:
        if entry.name == PLUGIN_NAME:
            return entry
    report.error(
        document.path,
        document.line_of(("plugins",), key=True),
        f"il manque le plugin « {PLUGIN_NAME} » : ajoutez '- {PLUGIN_NAME}' sous 'plugins:'",
    )
    return None


def _languages(codes: list[str], document: Document, where: tuple[Any, ...], report: Report) -> tuple[str, ...]:
    """The site's languages: known codes, each with an interface catalog."""
    line = document.line_of((*where, "languages"))
    if not codes:
        report.error(document.path, line, "option 'languages' du plugin portal : donnez-en au moins une, comme [fr]")
    for code in codes:
        if not LANGUAGE_TAG.match(code):
            report.error(
                document.path,
                line,
                f"option 'languages' du plugin portal : « {code} » n'est pas un code de langue : attendu "
                "un code ISO 639-1 comme 'fr', 'en', 'ar', ou un code avec une région comme 'fa-AF'",
            )
        elif not catalog_path(code).is_file():
            report.error(
                document.path,
                line,
                f"option 'languages' du plugin portal : il n'y a pas de catalogue d'interface pour « {code} » : "
                f"ajoutez generator/locales/{code}.po (voir le guide des traducteurs dans README.md)",
            )
    if len(set(codes)) != len(codes):
        report.error(document.path, line, "option 'languages' du plugin portal : une langue est listée deux fois")
    return tuple(codes)


_EXAMPLES = {
    "site_name": ", comme 'Santé Pays de Redon'",
    "site_url": ", comme 'https://sante.example.org/'",
    "theme.custom_dir": ", comme 'overrides'",
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
            f"option 'map.tiles' du plugin portal : « {settings.tiles} » n'est pas une adresse de tuiles : "
            "attendu https://... avec {z}, {x} et {y}, comme https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        )
    if settings.list_limit < 1:
        report.error(
            document.path,
            document.line_of((*where, "map", "list_limit")),
            f"option 'map.list_limit' du plugin portal : {settings.list_limit} est trop petit : attendu un nombre "
            "de lieux de 1 ou plus, comme 300",
        )
    return settings


def _open_data(options: OpenDataOptions, document: Document, where: PathKey, report: Report) -> None:
    """The licence's address is a link on the "open data" page: http(s) only."""
    problem = web_address_problem(options.licence_url)
    if problem:
        report.error(
            document.path,
            document.line_of((*where, "open_data", "licence_url")),
            f"option 'open_data.licence_url' du plugin portal : « {options.licence_url} » {problem} : attendu "
            "la page de la licence, comme https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
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
            document.path,
            document.line_of((*where, "editor", key)),
            f"option 'editor.{key}' du plugin portal : {message}",
        )

    if settings.enabled and settings.backend != "git-gateway" and not _REPO.match(settings.repo or ""):
        error(
            "repo" if settings.repo else "backend",
            f"le mode {settings.backend} a besoin du dépôt : attendu 'repo: propriétaire/nom', "
            "comme 'repo: cls-redon/portail-sante'",
        )
    for key in ("base_url", "api_root"):
        value = getattr(settings, key)
        if value is not None and not value.startswith("https://"):
            error(key, f"« {value} » n'est pas une adresse web : attendu https://..., comme https://auth.example.org")
    if not 1024 <= settings.local_port <= 65535:
        error(
            "local_port",
            f"{settings.local_port} n'est pas un port pour decap-server : attendu de 1024 à 65535, comme 8081",
        )
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
        return "n'est pas une adresse web"
    if parts.scheme not in ("http", "https") or not host:
        return "n'est pas une adresse web commençant par https:// (ou http://)"
    if _UNSAFE_IN_URL.search(url):
        return "contient une espace, un guillemet, un chevron ou un caractère de contrôle : une adresse web n'en a pas"
    if site and (parts.query or parts.fragment or "?" in url or "#" in url):
        return "contient un '?' ou un '#' : l'adresse du site est un dossier, les chemins des pages s'y ajoutent"
    return None


def _correction_url_problem(url: str) -> str | None:
    """What is wrong with a new-issue address template, or None."""
    names = _PLACEHOLDER.findall(url)
    unknown = [name for name in names if name not in CORRECTION_PLACEHOLDERS]
    parts = urlsplit(_PLACEHOLDER.sub("x", url))
    if parts.scheme != "https" or not parts.hostname or _UNSAFE_IN_URL.search(url):
        return "n'est pas une adresse web commençant par https://"
    if "{" in urlsplit(url).netloc:
        return "a un champ à remplacer dans le nom du site : ces champs vont dans le chemin ou après '?'"
    if unknown:
        return f"a un champ à remplacer inconnu : {{{unknown[0]}}}"
    if not names or "{" in _PLACEHOLDER.sub("", url) or "}" in _PLACEHOLDER.sub("", url):
        return "n'a aucun champ à remplacer (ou une accolade reste ouverte) : le formulaire s'ouvrirait vide"
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
            "option 'corrections' du plugin portal : donnez soit 'email' (une adresse, comme "
            "corrections@example.org), soit 'url' (le formulaire de nouveau ticket d'une forge, comme "
            f"{CORRECTION_EXAMPLE}), exactement l'un des deux",
        )
        return None
    if options.email is not None:
        problem = email_problem(options.email.strip())
        if problem:
            report.error(
                document.path,
                document.line_of((*here, "email")),
                f"option 'corrections.email' du plugin portal : {problem}",
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
            f"option 'corrections.url' du plugin portal : « {url} » {problem} : attendu l'adresse d'un nouveau "
            f"ticket, commençant par https:// et utilisant certains des champs {placeholders}, comme "
            f"{CORRECTION_EXAMPLE}",
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
        observatory=ObservatorySettings(map=options.observatory.map),
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
        problem = "est vide"
    elif len(text) > ACCESS_LIMIT:
        problem = f"fait {len(text)} caractères, plus de {ACCESS_LIMIT}"
    elif any(ord(character) < 32 or 0x7F <= ord(character) < 0xA0 for character in text):
        problem = "contient un caractère de contrôle"
    if problem:
        report.error(
            document.path,
            document.line_of((*where, "professional", "access")),
            f"option 'professional.access' du plugin portal : le texte {problem} : attendu une ou deux phrases "
            "qui disent d'où vient la protection de l'édition professionnelle, comme 'Accès réservé aux "
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
                f"option 'site_names' du plugin portal : « {code} » n'est pas une des langues du site "
                f"({', '.join(languages)})",
            )
        elif not isinstance(name, str) or not name.strip():
            report.error(
                document.path, line, f"option 'site_names' du plugin portal : le nom en « {code} » doit être du texte"
            )
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
            report.error(document.path, 1, f"il manque '{label}' : le nom affiché en haut de chaque page")
        return None
    if not isinstance(value, str):
        example = _EXAMPLES.get(label, "")
        report.error(document.path, document.line_of(where), f"'{label}' doit être du texte{example}")
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
            "'INHERIT' n'est pas pris en charge dans le mkdocs.yml du portail : la construction de chaque langue "
            "hérite déjà de ce fichier, et un second fichier ne serait pas vérifié. Mettez ses réglages dans "
            "ce fichier",
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
                f"'{name}' : « {value} » {problem} : attendu une adresse comme https://github.com/ORG/REPO",
            )
    _hooks(document, report)
    _asset_paths(document, report)
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, dict):
        report.error(
            document.path,
            document.line_of(("theme",)),
            "'theme' doit être des réglages 'clé: valeur', comme 'theme: {name: material, custom_dir: overrides}'",
        )
    elif isinstance(theme, dict) and theme.get("name", "material") != "material":
        report.error(
            document.path,
            document.line_of(("theme", "name")),
            f"'theme.name' : « {theme.get('name')} » n'est pas pris en charge : les pages du portail et leurs "
            "surcharges sont faites pour le thème 'material'",
        )


def _asset_problem(value: Any) -> str | None:
    """What is wrong with the address of a file the theme links to (a stylesheet, the logo), or None."""
    if not isinstance(value, str) or not value.strip():
        return "doit être le chemin d'un fichier du site"
    if _UNSAFE_IN_URL.search(value):
        return (
            "contient une espace, un guillemet, un chevron ou un caractère de contrôle : "
            "le chemin d'un fichier n'en a pas"
        )
    scheme = urlsplit(value).scheme
    if scheme and scheme not in ("http", "https"):
        return "n'est pas un chemin ni une adresse https://"
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
                f"'{name}' doit être une liste de chemins, comme '{name}: [assets/portal.css]'",
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
                f"'{label}' : « {value} » {problem}, comme 'assets/images/logo.png'",
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
            "'hooks' doit être une liste de fichiers Python du projet, comme 'hooks: [hooks/portal.py]'",
        )
        return
    root = document.path.parent
    for index, hook in enumerate(hooks):
        path = Path(os.path.normpath(root / hook)) if isinstance(hook, str) else None
        if path is None or path.suffix != ".py" or not path.is_relative_to(root) or not path.is_file():
            report.error(
                document.path,
                document.line_of(("hooks", index)),
                f"'hooks' : « {hook} » n'est pas un fichier Python du projet : attendu le chemin d'un fichier "
                ".py dans le dossier du projet, comme 'hooks/portal.py'",
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
            f"'theme.custom_dir' : « {value} » est hors du dossier du projet {root} : MkDocs publie les "
            "fichiers de ce dossier, qui doit donc être un dossier du projet, comme 'overrides'",
        )
        return None
    if not folder.is_dir():
        report.error(
            document.path,
            line,
            f"'theme.custom_dir' : « {value} » n'est pas un dossier du projet : attendu le dossier des "
            "surcharges du thème, comme 'overrides'",
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
                f"option '{option}' du plugin portal : « {folder} » est hors du dossier du projet {root} : "
                "l'éditeur en ligne n'écrit que dans le dépôt, et jamais dans mkdocs.yml. Gardez le dossier "
                f"dans le projet, comme '{option}: {option}'",
            )


#: How MkDocs' option checks name the types they expect, in French.
_TYPE_WORDS = {
    "str": "du texte",
    "int": "un nombre entier",
    "float": "un nombre",
    "bool": "true ou false",
    "list": "une liste",
    "dict": "des réglages 'clé: valeur'",
    "NoneType": "rien",
}


def _types(text: str) -> str:
    return " ou ".join(dict.fromkeys(_TYPE_WORDS.get(name, name) for name in re.findall(r"<class '(\w+)'>", text)))


def _mkdocs_words(problem: str) -> tuple[tuple[str, ...], str]:
    """The sub-option MkDocs names (if any), and what it says of an option of the portal plugin, in French;
    its own words, quoted, when they are not known here."""
    sub: tuple[str, ...] = ()
    while found := re.match(r"Sub-option '([^']*)': (.*)", problem, re.S):
        sub, problem = (*sub, found[1]), found[2]
    if re.match(r"Unrecognised configuration name", problem):
        return sub, "option inconnue"
    if found := re.fullmatch(r"Expected one of: \((.*)\) but received: (.*)", problem, re.S):
        return sub, f"« {found[2].strip(chr(39))} » n'est pas une valeur possible ; attendu l'une de : {found[1]}"
    if found := re.fullmatch(r"Expected type: (.*) but received: (.*)", problem, re.S):
        return sub, f"attendu {_types(found[1])}, trouvé {_types(found[2])}"
    if found := re.fullmatch(r"Expected a list of items, but a (.*) was given\.", problem, re.S):
        return sub, f"attendu une liste, comme [fr, en], trouvé {_types(found[1])}"
    if found := re.search(r"Expected a key-value mapping \(dict\) but received: (.*)", problem, re.S):
        return sub, f"attendu des réglages 'clé: valeur', trouvé {_types(found[1])}"
    return sub, f"valeur refusée (MkDocs dit : « {problem} »)"


def load_config(config_file: Path, report: Report, directory: Path | None = None) -> PortalConfig | None:
    """Read ``mkdocs.yml``; problems go to `report`, None if it is unusable."""
    config_file = config_file.resolve()
    if not config_file.is_file():
        report.error(config_file, 1, "le fichier de configuration n'existe pas : indiquez-le avec --config FICHIER")
        return None
    document = load_yaml(config_file, report)
    if document is None:
        return None
    if not isinstance(document.data, dict):
        report.error(config_file, 1, "attendu des réglages 'clé: valeur', comme 'site_name: ...'")
        return None
    _check_plugins(document, report)
    entries = plugin_entries(document.data)
    portal = _portal_entry(document, entries, report)
    where = portal.where if portal is not None else ()
    options = PortalOptions()
    options.load_dict(dict(portal.options) if portal is not None else {})
    failed, warnings = options.validate()
    known = [name for name, _ in PortalOptions._schema]
    for key, problem in [*failed, *warnings]:
        close = difflib.get_close_matches(key, known, n=1) if key not in known else []
        guess = f" ; vouliez-vous dire '{close[0]}' ?" if close else ""
        sub, words = _mkdocs_words(str(problem))
        report.error(
            config_file,
            document.line_of((*where, key, *sub), key=True),
            f"option '{'.'.join((key, *sub))}' du plugin portal : {words}{guess}",
        )
    _theme_search(document, entries, report)
    languages = _languages(options.languages or [], document, where, report)
    site_name = _text_setting(document, "site_name", report, required=True)
    site_names = _site_names(options.site_names or {}, languages, document, where, report)
    site_url = _text_setting(document, "site_url", report)
    problem = web_address_problem(site_url, site=True) if site_url else None
    if problem:
        report.error(
            config_file,
            document.line_of(("site_url",)),
            f"'site_url' : « {site_url} » {problem}{_EXAMPLES['site_url']}",
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
            "option 'edition' du plugin portal : c'est le générateur qui la règle ; enlevez-la, et construisez "
            "l'édition professionnelle avec 'python -m generator build --edition pro'",
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
