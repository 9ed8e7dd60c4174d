"""Every address of the site, in one place.

A page is named by the path of its source in a language's docs folder
(``services/msp-redon.md``), the way MkDocs names it. From that path:

- `href` is how a generated page links to it (``/services/msp-redon.md``): the
  `portal` plugin makes such links relative to the page, as MkDocs does in Markdown;
- `folder_url` is its address inside a language's site (``services/msp-redon/``),
  `relative_url` the way from one page to another, and `public_url` its address
  on the published site (``https://.../fr/services/msp-redon/``).

Files that belong to no language (``data/``) are named from the site's root.
Ids and slugs are validated (``[a-z0-9-]``): the paths are safe as they are.
"""

from __future__ import annotations

import posixpath

from markupsafe import Markup

from .i18n import N_

# --- pages ---------------------------------------------------------------------

HOME = "index.md"
PATHWAYS = "parcours/index.md"
CATEGORIES = "categories/index.md"
COMMUNES = "communes/index.md"
DISPOSITIFS = "dispositifs/index.md"
PERMANENCES = "permanences/index.md"
CALENDAR = "calendrier/index.md"
MAP = "carte/index.md"
SEARCH = "recherche/index.md"
REPORT = "rapport/index.md"
OBSERVATORY = "observatoire/index.md"
ACCESSIBILITY = "accessibilite/index.md"
PRIVACY = "donnees-personnelles/index.md"
OPEN_DATA = "donnees-ouvertes/index.md"
SITEMAP = "plan-du-site/index.md"

# The professionals' edition only (`build --edition pro`).
PRO = "professionnels/index.md"
PRO_NETWORKS = "professionnels/reseaux.md"
PRO_REFERRALS = "professionnels/orienter.md"


def pro_who(slug: str | None) -> str:
    """Who does what, need by need, for one commune or (None) the whole territory."""
    return f"professionnels/qui-fait-quoi/{slug or 'index'}.md"


def pro_directory(slug: str | None) -> str:
    """The partners' directory to print, for one commune or (None) the whole territory."""
    return f"professionnels/annuaire/{slug or 'index'}.md"


def pro_network(nid: str) -> str:
    """A network's anchor on the networks page."""
    return f"{PRO_NETWORKS}#reseau-{nid}"


def service(sid: str) -> str:
    return f"services/{sid}.md"


def permanence(pid: str) -> str:
    return f"permanences/{pid}.md"


def dispositif(did: str) -> str:
    return f"dispositifs/{did}.md"


def category(cid: str) -> str:
    return f"categories/{cid}.md"


def commune(slug: str) -> str:
    return f"communes/{slug}.md"


def commune_calendar(slug: str | None) -> str:
    """The calendar of one commune, or of the whole territory (None)."""
    return f"calendrier/{slug or 'index'}.md"


def booklet(slug: str) -> str:
    """A commune's booklet, to print."""
    return f"imprimer/{slug}.md"


#: The folder of the pages of who takes new patients.
NEW_PATIENTS_FOLDER = "nouveaux-patients"


def new_patients(slug: str | None) -> str:
    """The practices taking new patients: of the whole territory (None), or serving one commune."""
    return f"{NEW_PATIENTS_FOLDER}/{slug or 'index'}.md"


def guide(gid: str) -> str:
    return f"guides/{gid}.md"


def is_guide(path: str) -> bool:
    """Whether a page (its path in the docs folder) is a guide, not the guides' index."""
    folder, _, name = path.rpartition("/")
    return folder == "guides" and name.endswith(".md") and name != "index.md"


def pathway_start(pid: str) -> str:
    return f"parcours/{pid}/index.md"


def pathway_question(pid: str, qid: str) -> str:
    return f"parcours/{pid}/{qid}.md"


def pathway_outcome(pid: str, oid: str, commune_slug: str | None = None) -> str:
    """Where a pathway ends, for the whole territory or, with `commune_slug`, one commune."""
    return f"parcours/{pid}/{oid}/{commune_slug or 'index'}.md"


#: The folder of every easy-read page (« Facile à lire »).
EASY_FOLDER = "facile"


def easy_dispositif(did: str) -> str:
    """A dispositif in easy-read (« Facile à lire »): its own address, to print or send."""
    return f"{EASY_FOLDER}/dispositifs/{did}.md"


def easy_guide(gid: str) -> str:
    """A guide in easy-read, from its front matter's `easy:`."""
    return f"{EASY_FOLDER}/guides/{gid}.md"


def easy_pathway_node(pid: str, node: str) -> str:
    """A pathway's question or outcome in easy-read."""
    return f"{EASY_FOLDER}/parcours/{pid}/{node}.md"


# --- other files of a language's site ----------------------------------------------


def calendar_file(slug: str | None) -> str:
    """The iCalendar file of one commune's drop-in sessions, or of the whole territory (None)."""
    return f"calendrier/{slug or 'index'}.ics"


def permanence_calendar_file(pid: str) -> str:
    return f"permanences/{pid}.ics"


#: The Pagefind index, in each language's site (see `site/search.py`).
SEARCH_BUNDLE = "pagefind"
#: The scripts and vendored libraries of the theme overrides, in each language's site.
SCRIPTS = "assets/javascripts"
VENDOR = "assets/vendor"

# --- files of the whole site (data/), from its root ---------------------------------

SERVICES_GEOJSON = "data/services.geojson"
PERMANENCES_GEOJSON = "data/permanences.geojson"
COMMUNES_GEOJSON = "data/communes.geojson"
#: The stops and lines of the GTFS feeds; published only when the territory has a feed.
TRANSPORT_GEOJSON = "data/transport.geojson"
SERVICES_CSV = "data/services.csv"
PERMANENCES_CSV = "data/permanences.csv"
OBSERVATORY_CSV = "data/observatoire.csv"
NEIGHBOURHOODS_CSV = "data/observatoire-quartiers.csv"
NEIGHBOURHOODS_GEOJSON = "data/quartiers.geojson"
DATAPACKAGE = "data/datapackage.json"
DATA_INCLUSION_STRUCTURES = "data/structures.json"
DATA_INCLUSION_SERVICES = "data/services.json"
HSDS_SERVICES = "data/hsds/services.json"
HSDS_ORGANIZATIONS = "data/hsds/organizations.json"
#: Written in the professionals' edition only: asks search engines to keep out.
ROBOTS = "robots.txt"


def record_schema(kind: str) -> str:
    """The JSON Schema of one kind of record ('service', 'permanence'...), for editors."""
    return f"data/schema/{kind}.schema.json"


# --- the web editor (only when mkdocs.yml enables it), from the site's root ------------

ADMIN = "admin/"
ADMIN_PAGE = "admin/index.html"
ADMIN_CONFIG = "admin/config.yml"
#: Where the vendored content manager and the portal's own script go, in the admin folder.
ADMIN_SCRIPTS = "admin/scripts"


def commune_geojson(slug: str) -> str:
    """One commune's places, which the map of a large territory loads when the reader looks there."""
    return f"data/communes/{slug}.geojson"


# --- navigation ------------------------------------------------------------------------

#: The menu of every page, in this order: its label (a catalog message) and its page.
NAVIGATION = (
    (N_("Home"), HOME),
    (N_("By situation"), PATHWAYS),
    (N_("Find a place"), CATEGORIES),
    (N_("By commune"), COMMUNES),
    (N_("Drop-in sessions"), CALENDAR),
    (N_("Health rights"), DISPOSITIFS),
    (N_("Map"), MAP),
    (N_("Search"), SEARCH),
)

#: The professionals' section, in the menu of the professionals' edition only.
PRO_NAVIGATION = ((N_("For professionals"), PRO),)


def navigation(*, professional: bool = False) -> tuple[tuple[str, str], ...]:
    """The menu of an edition's pages: the professionals' section second, after the home page."""
    if not professional:
        return NAVIGATION
    return (NAVIGATION[0], *PRO_NAVIGATION, *NAVIGATION[1:])


#: Generated folders whose pages are reached from index pages, never listed in the
#: navigation: the theme renders the whole navigation into every page.
NOT_IN_NAVIGATION = (
    "services",
    "permanences",
    "dispositifs",
    "categories",
    "communes",
    "parcours",
    "carte",
    "calendrier",
    "rapport",
    "observatoire",
    "imprimer",
    "accessibilite",
    "donnees-personnelles",
    "donnees-ouvertes",
    "plan-du-site",
    "recherche",
    "facile",
    "nouveaux-patients",
    "professionnels",
)

#: The links at the foot of every page, after the accessibility status (see `site/theme_data.py`).
FOOTER = (
    (N_("Personal data"), PRIVACY),
    (N_("Open data"), OPEN_DATA),
    (N_("Site map"), SITEMAP),
)


# --- addresses from page paths ------------------------------------------------------


def href(path: str) -> Markup:
    """The link from a generated page to the page or file at `path`, resolved by the plugin."""
    return Markup(f"/{path}")


def folder_url(path: str) -> str:
    """A page's address in its language's site: 'services/x.md' -> 'services/x/', 'index.md' -> ''."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem if not stem or stem.endswith("/") else stem + "/"


def relative_url(page: str, target: str) -> Markup:
    """A relative link from one generated page to another, as the browser needs it."""
    relative = posixpath.relpath(folder_url(target) or ".", folder_url(page) or ".")
    return Markup("./" if relative == "." else relative + "/")


def site_root(page: str) -> str:
    """From a generated page to the root of the whole site (where data/ is): its language's folder, and up."""
    return relative_url(page, HOME) + "../"


def language_url(language: str, path: str) -> str:
    """A page's address from the root of the whole site: 'fr/services/x/'."""
    return f"{language}/{folder_url(path)}"


def public_url(site_url: str | None, language: str, path: str) -> str:
    """A page's address on the published site: '<site_url>/fr/services/x/'; '' without `site_url`."""
    if not site_url:
        return ""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + language_url(language, path)


def page_address(site_url: str | None, language: str, path: str) -> str:
    """A page's address as a person can quote it: its public address, or without `site_url`
    its path from the site's root ('/fr/services/x/')."""
    return public_url(site_url, language, path) or "/" + language_url(language, path)
