"""The pages of one language's site: which pages exist, and what each one shows.

`site_pages` yields one `Page` per generated Markdown file. Record pages are
never listed in the navigation: the index pages (categories, communes) link
to them, which keeps every page light however many records there are.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator

from markupsafe import Markup

from ..records.directory import Directory
from ..site.search import BUNDLE
from ..records.models import DispositifScope
from ..i18n import N_
from . import calendar, jsonld, maps
from .booklet import booklet_context
from ..opendata import producer_of
from . import statements
from .report import report_context
from . import views as v
from .localize import Localizer
from .markup import html_text


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder, like 'services/pass-redon.md'
    template: str
    title: Markup  # HTML, as the theme prints it: escaped, marked lang="fr" if in French
    context: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    hide: tuple[str, ...] = ()
    fallback: bool = False  # some of its text is shown in French: the page says so
    searchable: bool = True  # False: left out of the search index (near-copies of a page)
    printable: bool = False  # True: a sheet to print or send (see `sheet.py`), with its tools


@dataclass(frozen=True)
class Card:
    """A record in a list: link, where, what, and the badges residents scan for."""

    link: v.Link
    summary: Markup
    where: Markup
    badges: list[Markup]
    extra: Markup = Markup("")
    hours: Markup = Markup("")  # '2e mardi du mois, 9 h – 12 h'
    next: list[v.Dated] = field(default_factory=list)  # the first not passed is shown
    none: Markup = Markup("")  # shown when no date is left
    openings: str = ""  # for "open now" (see `views.open_intervals`)


#: A listing shows up to this many records as cards; beyond, one line each (name and
#: link), so that a category of 500 places stays a page a cheap phone can open.
CARD_LIMIT = 60


class _Memo:
    """Cards by (kind, id, language) for the latest directory: a record's card is the
    same on every page that lists it, and a big territory lists each one many times."""

    def __init__(self) -> None:
        self.directory: Directory | None = None
        self.values: dict[tuple[str, str, str], Card] = {}

    def get(self, directory: Directory, key: tuple[str, str, str], make: Callable[[], Card]) -> Card:
        if directory is not self.directory:
            self.directory, self.values = directory, {}
        if key not in self.values:
            self.values[key] = make()
        return self.values[key]


_cards = _Memo()


def service_card(directory: Directory, sid: str, loc: Localizer) -> Card:
    return _cards.get(directory, ("service", sid, loc.language), lambda: _service_card(directory, sid, loc))


def permanence_card(directory: Directory, pid: str, loc: Localizer) -> Card:
    return _cards.get(directory, ("permanence", pid, loc.language), lambda: _permanence_card(directory, pid, loc))


def _service_card(directory: Directory, sid: str, loc: Localizer) -> Card:
    service = directory.services[sid]
    commune = directory.communes[service.address.commune]
    category = directory.taxonomy.categories[service.category]
    return Card(
        link=v.Link(loc.text(service.name), v.service_path(sid)),
        summary=loc.text(service.summary) if service.summary else loc.text(category.label),
        where=html_text(commune.name),
        badges=v.badges_for(service, loc),
        extra=v.new_patients_line(directory, service, loc),
        openings=v.service_openings(directory, sid),
    )


def _permanence_card(directory: Directory, pid: str, loc: Localizer) -> Card:
    permanence = directory.permanences[pid]
    place = directory.place_of_permanence(pid)
    return Card(
        link=v.Link(loc.text(permanence.name), v.permanence_path(pid)),
        summary=loc.text(place.name) if place.name else Markup(""),
        where=html_text(directory.communes[place.address.commune].name),
        badges=v.badges_for(permanence, loc),
        hours=v.hours_summary(directory, permanence.schedule, loc),
        next=v.next_sessions(directory, pid, loc),
        none=v.no_session_line(loc),
    )


def _by_category(directory: Directory, sids: list[str], loc: Localizer) -> list[tuple[v.Link, list[Card]]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for sid in sids:
        groups[directory.services[sid].category].append(sid)
    return [
        (
            v.Link(loc.text(category.label), v.category_path(cid)),
            [service_card(directory, sid, loc) for sid in groups[cid]],
        )
        for cid, category in directory.taxonomy.categories.items()
        if cid in groups
    ]


# --- record pages ----------------------------------------------------------


def service_page(directory: Directory, sid: str, loc: Localizer, site_url: str | None = None) -> Page:
    service = directory.services[sid]
    today = directory.today
    hours = v.schedule_view(directory, service.opening_hours, loc, closed_days=True) if service.opening_hours else None
    openings = v.session_lines(v.next_openings(directory, sid), loc) if service.opening_hours and hours is None else []
    categories = [service.category, *service.other_categories]
    facts = [
        v.appointment_fact(service.appointment, loc),
        v.cost_fact(service.cost, service.cost_details, loc),
        v.publics_fact(directory, service.publics, service.age, loc),
        v.languages_fact(service.languages, service.interpreting, loc),
        v.accessibility_fact(service.accessibility, loc),
    ]
    context = {
        "name": loc.text(service.name),
        "summary": loc.text(service.summary),
        "organization": loc.text(service.organization),
        "categories": [
            v.Link(loc.text(directory.taxonomy.categories[c].label), v.category_path(c)) for c in categories
        ],
        "badges": v.badges_for(service, loc),
        "new_patients": v.new_patients_line(directory, service, loc),
        "notices": v.notice_views(directory, service.notices, loc),
        "description": loc.block(service.description),
        "place": v.place_view(directory, directory.place_of_service(sid), loc),
        "map": maps.small_map(directory, f"services/{sid}.md", loc, service.latitude, service.longitude, highlight=sid),
        "phones": v.phone_links(service.phones, loc),
        "email": service.email,
        "website": service.website,
        "hours": hours,
        "openings": openings,
        "now": v.service_openings(directory, sid),
        "as_of": loc.date(today),
        "has_hours": service.opening_hours is not None,
        "facts": [f for f in facts if f is not None],
        "conditions": loc.block(service.conditions),
        "documents": [loc.text(d) for d in service.documents],
        "dispositifs": [
            v.Link(loc.text(directory.dispositifs[d].name), v.dispositif_path(d), loc.text(directory.dispositifs[d].summary))
            for d in service.dispositifs
            if d in directory.dispositifs
        ],
        "permanences": [permanence_card(directory, pid, loc) for pid in directory.permanences_of.get(sid, [])],
        "verified": loc.date(service.verified),
        "source": html_text(service.source),
        "linked_data": jsonld.script_text(jsonld.service(directory, sid, loc, site_url)),
    }
    return Page(
        path=f"services/{sid}.md",
        template="service.html",
        printable=True,
        title=loc.text(service.name),
        description=loc.plain(service.summary) if service.summary else None,
        context=context,
    )


def permanence_page(directory: Directory, pid: str, loc: Localizer, site_url: str | None = None) -> Page:
    permanence = directory.permanences[pid]
    today = directory.today
    holder = permanence.held_by
    held_by = (
        v.Link(loc.text(directory.services[holder.service].name), v.service_path(holder.service))
        if holder.service
        else None
    )
    ended = directory.has_ended(pid)
    hours = None if ended else v.schedule_view(directory, permanence.schedule, loc)
    upcoming_cancelled = [] if ended else sorted(d for d in permanence.cancelled if d >= today)
    period = Markup("")
    if ended:
        period = loc.gettext("This drop-in session ended on %(date)s.", date=loc.date(permanence.valid_until))
    elif permanence.valid_from and permanence.valid_from > today and permanence.valid_until:
        period = loc.gettext("From %(start)s to %(end)s", start=loc.date(permanence.valid_from), end=loc.date(permanence.valid_until))
    elif permanence.valid_from and permanence.valid_from > today:
        period = loc.gettext("Starts on %(date)s.", date=loc.date(permanence.valid_from))
    elif permanence.valid_until:
        period = loc.gettext("Until %(date)s.", date=loc.date(permanence.valid_until))
    facts = [
        v.appointment_fact(permanence.appointment, loc),
        v.cost_fact(permanence.cost, permanence.cost_details, loc),
        v.publics_fact(directory, permanence.publics, None, loc),
        v.languages_fact(permanence.languages, permanence.interpreting, loc),
    ]
    context = {
        "name": loc.text(permanence.name),
        "held_by": held_by,
        "organization": loc.text(holder.organization),
        "badges": v.badges_for(permanence, loc),
        "notices": v.notice_views(directory, permanence.notices, loc),
        "description": loc.block(permanence.description),
        "place": v.place_view(directory, directory.place_of_permanence(pid), loc, hosted=True),
        "map": maps.small_map(
            directory, f"permanences/{pid}.md", loc,
            directory.place_of_permanence(pid).latitude, directory.place_of_permanence(pid).longitude,
            highlight=directory.place_of_permanence(pid).service_id,
        ),
        "next": v.session_lines(directory.upcoming.get(pid, []), loc),
        "ended": ended,
        "ics": None if ended else Markup(f"/permanences/{pid}.ics"),
        "as_of": loc.date(today),
        "weeks": v.PATTERN_WEEKS,
        "hours": hours,
        "period": period,
        "cancelled": [html_text(loc.date(d)) for d in upcoming_cancelled],
        "phones": v.phone_links(permanence.phones, loc),
        "email": permanence.email,
        "facts": [f for f in facts if f is not None],
        "categories": [
            v.Link(loc.text(directory.taxonomy.categories[c].label), v.category_path(c)) for c in permanence.categories
        ],
        "dispositifs": [
            v.Link(loc.text(directory.dispositifs[d].name), v.dispositif_path(d), loc.text(directory.dispositifs[d].summary))
            for d in permanence.dispositifs
            if d in directory.dispositifs
        ],
        "verified": loc.date(permanence.verified),
        "source": html_text(permanence.source),
        "linked_data": jsonld.script_text(jsonld.permanence(directory, pid, loc, site_url)),
    }
    return Page(
        path=f"permanences/{pid}.md",
        template="permanence.html",
        printable=True,
        title=loc.text(permanence.name),
        context=context,
    )


def _by_commune(
    directory: Directory, sids: list[str], pids: list[str], loc: Localizer
) -> list[tuple[v.Link, list[Card]]]:
    """Services and permanences grouped by the commune they are in, communes in order.

    Beyond `CARD_LIMIT` records, each is a card without its details: name, summary, commune.
    """
    compact = len(sids) + len(pids) > CARD_LIMIT
    groups: dict[str, list[Card]] = defaultdict(list)
    for sid in sids:
        card = service_card(directory, sid, loc)
        groups[directory.services[sid].address.commune].append(_line(card) if compact else card)
    for pid in pids:
        card = permanence_card(directory, pid, loc)
        groups[directory.place_of_permanence(pid).address.commune].append(_line(card) if compact else card)
    return [
        (v.Link(html_text(commune.name), v.commune_path(directory.commune_slugs[insee])), groups[insee])
        for insee, commune in directory.communes.items()
        if insee in groups
    ]


def _line(card: Card) -> Card:
    """A card without its details: name, summary, commune."""
    return Card(card.link, card.summary, card.where, [])


def _cards_or_lines(cards: list[Card]) -> list[Card]:
    """The cards, without their details beyond `CARD_LIMIT`."""
    return cards if len(cards) <= CARD_LIMIT else [_line(card) for card in cards]


def dispositif_page(
    directory: Directory, did: str, loc: Localizer, guides: dict, site_url: str | None = None
) -> Page:
    dispositif = directory.dispositifs[did]
    helpers = directory.helpers.get(did, [])
    permanences = directory.permanence_helpers.get(did, [])
    short_name = dispositif.short_name
    if short_name is not None and loc.plain(short_name) in loc.plain(dispositif.name):
        short_name = None  # the name already says it: "Aide médicale de l'État (AME)"
    context = {
        "name": loc.text(dispositif.name),
        "short_name": loc.text(short_name),
        "summary": loc.text(dispositif.summary),
        "benefits": loc.block(dispositif.benefits),
        "eligibility": loc.block(dispositif.eligibility),
        "steps": [loc.text(step) for step in dispositif.steps],
        "documents": [loc.text(d) for d in dispositif.documents],
        "cost": loc.block(dispositif.cost),
        "links": [v.ExternalLink(loc.text(link.title), link.url) for link in dispositif.links],
        "by_commune": _by_commune(directory, helpers, permanences, loc),
        "pathways": [
            v.Link(
                loc.text(directory.pathways[pid].label),
                v.pathway_node_path(directory, pid, oid),
                loc.text(directory.pathways[pid].outcomes[oid].title),
            )
            for pid, oid in directory.leads_to.get(did, [])
        ],
        "guides": v.guide_links(dispositif.guides, guides, loc),
        "kinds": [
            v.Link(loc.text(directory.taxonomy.categories[c].label), v.category_path(c))
            for c in dispositif.categories
            if directory.has_category_page(c)
        ],
        "local": dispositif.scope is DispositifScope.LOCAL,
        "verified": loc.date(dispositif.verified),
        "source": html_text(dispositif.source),
        "linked_data": jsonld.script_text(jsonld.dispositif(directory, did, loc, site_url)),
    }
    return Page(
        path=f"dispositifs/{did}.md",
        template="dispositif.html",
        printable=True,
        title=loc.text(dispositif.name),
        description=loc.plain(dispositif.summary),
        context=context,
    )


# --- index pages -----------------------------------------------------------


def category_page(directory: Directory, cid: str, loc: Localizer) -> Page:
    category = directory.taxonomy.categories[cid]
    by_commune = _by_commune(directory, directory.by_category.get(cid, []), [], loc)
    return Page(
        path=f"categories/{cid}.md",
        template="category.html",
        title=loc.text(category.label),
        context={
            "name": loc.text(category.label),
            "description": loc.text(category.description),
            "by_commune": by_commune,
            "permanences": _cards_or_lines(
                [permanence_card(directory, pid, loc) for pid in directory.permanences_by_category.get(cid, [])]
            ),
        },
    )


def commune_page(directory: Directory, insee: str, loc: Localizer) -> Page:
    commune = directory.communes[insee]
    located = directory.located_in.get(insee, [])
    serving = [sid for sid in directory.serving.get(insee, []) if sid not in located]
    permanences = directory.permanences_serving.get(insee, [])
    return Page(
        path=f"communes/{directory.commune_slugs[insee]}.md",
        template="commune.html",
        title=html_text(commune.name),
        context={
            "name": html_text(commune.name),
            "postcodes": loc.join(commune.postcodes),
            "map": maps.small_map(
                directory, f"communes/{directory.commune_slugs[insee]}.md", loc, commune.latitude, commune.longitude
            ),
            "located": _by_category(directory, located, loc),
            "serving": _by_category(directory, serving, loc),
            "permanences": [permanence_card(directory, pid, loc) for pid in permanences],
            "calendar": v.Link(
                loc.gettext("Calendar of the drop-in sessions for %(commune)s", commune=commune.name),
                calendar_path(directory.commune_slugs[insee]),
            ),
            "booklet": v.Link(
                loc.gettext("Booklet to print for %(commune)s", commune=commune.name),
                booklet_path(directory.commune_slugs[insee]),
            ),
        },
    )


def _category_count(directory: Directory, cid: str, loc: Localizer) -> Markup:
    places = len(directory.by_category.get(cid, []))
    sessions = len(directory.permanences_by_category.get(cid, []))
    parts = []
    if places:
        parts.append(loc.ngettext("%(n)s place", "%(n)s places", places))
    if sessions:
        parts.append(loc.ngettext("%(n)s drop-in session", "%(n)s drop-in sessions", sessions))
    return loc.join(parts)


def _category_links(directory: Directory, loc: Localizer) -> list[v.Link]:
    return [
        v.Link(loc.text(category.label), v.category_path(cid), _category_count(directory, cid, loc))
        for cid, category in directory.taxonomy.categories.items()
        if directory.has_category_page(cid)
    ]


def _commune_links(directory: Directory, loc: Localizer) -> list[v.Link]:
    return [
        v.Link(
            html_text(commune.name),
            v.commune_path(directory.commune_slugs[insee]),
            loc.ngettext("%(n)s place", "%(n)s places", len(directory.located_in.get(insee, []))),
        )
        for insee, commune in directory.communes.items()
    ]


def _dispositif_links(directory: Directory, loc: Localizer) -> list[v.Link]:
    return [
        v.Link(loc.text(d.name), v.dispositif_path(did), loc.text(d.summary))
        for did, d in directory.dispositifs.items()
    ]


def home_page(directory: Directory, loc: Localizer, site_name: str, demo: bool, legal: dict[str, Any]) -> Page:
    territory = directory.territory
    return Page(
        path="index.md",
        template="home.html",
        title=html_text(site_name),
        description=loc.plain(territory.description),
        hide=("navigation", "toc"),
        context={
            "name": loc.text(territory.name),
            "description": loc.block(territory.description),
            "pathways": _pathway_links(directory, loc),
            "categories": _category_links(directory, loc),
            "communes": _commune_links(directory, loc),
            "dispositifs": _dispositif_links(directory, loc),
            "emergency": v.emergency_numbers(loc),
            "demo": demo,
            "accessibility": v.Link(statements.status_label(legal, loc), statements.ACCESSIBILITY_PATH),
            "search": maps.url_between("index.md", SEARCH_PAGE),
        },
    )


#: The search page (see `search.py` for the index it reads).
SEARCH_PAGE = "recherche/index.md"

#: What the search script (assets/javascripts/portal-search.js) writes, in the reader's language.
SEARCH_TEXTS = {
    "searching": N_("Searching…"),
    "count": N_("Results: %(n)s"),  # no plural to agree: said the same for any number
    "none": N_("No result. Try another word, or find places by kind or by commune."),
    "failed": N_("The search could not be loaded. Find places by kind or by commune."),
}


def search_page(loc: Localizer) -> Page:
    """The form, and the results the page's script writes (Pagefind, in the browser)."""
    root = maps.url_between(SEARCH_PAGE, "index.md")
    settings = {
        "bundle": f"{root}{BUNDLE}/",
        "texts": {key: loc.label(message) for key, message in SEARCH_TEXTS.items()},
    }
    return Page(
        SEARCH_PAGE, "search.html", loc.gettext("Search"),
        {
            "settings": Markup(json.dumps(settings, ensure_ascii=False).replace("<", "\\u003c")),
            "script": Markup(f"{root}assets/javascripts/portal-search.js"),
            "elsewhere": [
                v.Link(loc.gettext("Find a place"), Markup("/categories/index.md")),
                v.Link(loc.gettext("By commune"), Markup("/communes/index.md")),
            ],
        },
        hide=("toc",),
        searchable=False,
    )


def categories_index(directory: Directory, loc: Localizer) -> Page:
    return Page(
        "categories/index.md", "categories.html", loc.gettext("Find a place"),
        {"categories": _category_links(directory, loc)},
    )


def communes_index(directory: Directory, loc: Localizer) -> Page:
    return Page(
        "communes/index.md", "communes.html", loc.gettext("By commune"),
        {"communes": _commune_links(directory, loc)},
    )


def dispositifs_index(directory: Directory, loc: Localizer) -> Page:
    return Page(
        "dispositifs/index.md", "dispositifs.html", loc.gettext("Health rights"),
        {"dispositifs": _dispositif_links(directory, loc)},
    )


def permanences_index(directory: Directory, loc: Localizer) -> Page:
    current = [pid for pid in directory.permanences if not directory.has_ended(pid)]
    few = len(current) <= CARD_LIMIT  # beyond, the communes' calendars list them
    return Page(
        "permanences/index.md", "permanences.html", loc.gettext("Every drop-in session, one by one"),
        {
            "permanences": [permanence_card(directory, pid, loc) for pid in current] if few else [],
            "calendar": v.Link(loc.gettext("Calendar of the drop-in sessions"), calendar_path(None)),
            "communes": [] if few else _commune_calendars(directory),
        },
    )


def _commune_calendars(directory: Directory) -> list[v.Link]:
    return [
        v.Link(html_text(commune.name), calendar_path(directory.commune_slugs[code]))
        for code, commune in directory.communes.items()
    ]


def calendar_path(slug: str | None) -> Markup:
    """The calendar of the whole territory (None), or of one commune."""
    return Markup(f"/calendrier/{slug or 'index'}.md")


def calendar_page(directory: Directory, insee: str | None, loc: Localizer) -> Page:
    """The sessions of the coming weeks, for the whole territory or one commune."""
    if insee is None:
        pids = list(directory.permanences)
        title = loc.gettext("Drop-in sessions")
        slug = "index"
    else:
        pids = directory.permanences_serving.get(insee, [])
        title = loc.gettext("Drop-in sessions for %(commune)s", commune=directory.communes[insee].name)
        slug = directory.commune_slugs[insee]
    # The whole territory's sessions, beyond `CARD_LIMIT` permanences, are its communes' calendars.
    weeks = calendar.weeks(directory, pids, loc) if insee is not None or len(pids) <= CARD_LIMIT else []
    return Page(
        path=f"calendrier/{slug}.md",
        template="calendar.html",
        title=title,
        context={
            "title": title,
            "calendar": weeks,
            "count": calendar.session_count(weeks),
            "weeks": v.PATTERN_WEEKS,
            "as_of": loc.date(directory.today),
            "ics": Markup(f"/calendrier/{slug}.ics"),
            "list_path": Markup("/permanences/index.md"),
            "territory": None if insee is None else v.Link(loc.gettext("All the territory"), calendar_path(None)),
            "communes": _commune_calendars(directory) if insee is None else [],
            "by_commune_only": insee is None and len(pids) > CARD_LIMIT,
        },
    )


def booklet_path(slug: str) -> Markup:
    return Markup(f"/imprimer/{slug}.md")


def booklet_page(directory: Directory, insee: str, loc: Localizer) -> Page:
    """A commune's booklet, to print: one page gathering what its residents need."""
    slug = directory.commune_slugs[insee]
    title = loc.gettext("Health booklet for %(commune)s", commune=directory.communes[insee].name)
    return Page(
        path=f"imprimer/{slug}.md",
        template="booklet.html",
        title=title,
        context={"title": title, **booklet_context(directory, insee, loc)},
        searchable=False,  # the same entries as the commune's pages
        printable=True,
    )


def accessibility_page(directory: Directory, loc: Localizer, legal: dict[str, Any], site_name: str) -> Page:
    title = loc.gettext("Accessibility statement")
    context = statements.accessibility_context(legal, site_name, loc.date(directory.today), loc)
    return Page("accessibilite/index.md", "accessibility.html", title, {"title": title, **context})


def privacy_page(directory: Directory, loc: Localizer, legal: dict[str, Any], map_settings: dict[str, Any]) -> Page:
    title = loc.gettext("Personal data")
    return Page("donnees-personnelles/index.md", "privacy.html", title,
                {"title": title, **statements.privacy_context(legal, map_settings, loc)})


def open_data_page(directory: Directory, loc: Localizer, legal: dict[str, Any], site_name: str) -> Page:
    title = loc.gettext("Open data")
    producer = producer_of(directory, legal["open_data"]["producer"] or None)
    context = statements.open_data_context(legal, site_name, producer, loc.date(directory.today), loc)
    return Page("donnees-ouvertes/index.md", "opendata.html", title, {"title": title, **context})


def sitemap_page(directory: Directory, loc: Localizer) -> Page:
    """Every list of the site on one page (RGAA 12.1: a second way to find a page)."""
    title = loc.gettext("Site map")
    S, L = statements.Section, v.Link
    sections = [
        S(loc.gettext("The site"), [
            L(loc.gettext("Home"), Markup("/index.md")),
            L(loc.gettext("Map"), Markup("/carte/index.md")),
            L(loc.gettext("Drop-in sessions"), calendar_path(None)),
            L(loc.gettext("Every drop-in session, one by one"), Markup("/permanences/index.md")),
            L(loc.gettext("Accessibility statement"), statements.ACCESSIBILITY_PATH),
            L(loc.gettext("Personal data"), statements.PRIVACY_PATH),
            L(loc.gettext("Open data"), statements.OPEN_DATA_PATH),
        ]),
        S(loc.gettext("By situation"), _pathway_links(directory, loc)),
        S(loc.gettext("Find a place"), _category_links(directory, loc)),
        S(loc.gettext("By commune"), _commune_links(directory, loc)),
        S(loc.gettext("Health rights"), _dispositif_links(directory, loc)),
        S(loc.gettext("Booklets to print"), [
            L(html_text(commune.name), booklet_path(directory.commune_slugs[insee]))
            for insee, commune in directory.communes.items()
        ]),
    ]
    return Page("plan-du-site/index.md", "sitemap.html", title,
                {"title": title, "sections": [section for section in sections if section.links]})


def report_page(directory: Directory, loc: Localizer) -> Page:
    """For maintainers: what to call about. Not in the navigation, not in the search."""
    return Page(
        "rapport/index.md", "report.html", loc.gettext("Information to check"),
        report_context(directory, loc),
        searchable=False,
    )


def _tracked(loc: Localizer, make: Callable[..., Page], *args: Any) -> Page:
    """Build a page, noting whether any of its text had to be shown in French."""
    loc.reset()
    page = make(*args)
    return replace(page, fallback=loc.fallbacks > 0)


def site_pages(
    directory: Directory,
    loc: Localizer,
    site_name: str,
    demo: bool,
    guides: dict[str, tuple[str, str]],
    map_settings: dict[str, Any],
    legal: dict[str, Any],
    site_url: str | None = None,
) -> Iterator[Page]:
    """Every page of one language; `site_url` gives record pages their public address."""
    yield _tracked(loc, home_page, directory, loc, site_name, demo, legal)
    yield _tracked(loc, map_page, directory, loc, map_settings)
    yield _tracked(loc, search_page, loc)
    for index in (pathways_index, categories_index, communes_index, dispositifs_index, permanences_index):
        yield _tracked(loc, index, directory, loc)
    for cid in directory.taxonomy.categories:
        if directory.has_category_page(cid):
            yield _tracked(loc, category_page, directory, cid, loc)
    yield _tracked(loc, calendar_page, directory, None, loc)
    for insee in directory.communes:
        yield _tracked(loc, commune_page, directory, insee, loc)
        yield _tracked(loc, calendar_page, directory, insee, loc)
        yield _tracked(loc, booklet_page, directory, insee, loc)
    yield from record_pages(directory, loc, guides, site_url)
    yield from pathway_pages(directory, loc, guides)
    yield _tracked(loc, report_page, directory, loc)
    yield _tracked(loc, accessibility_page, directory, loc, legal, site_name)
    yield _tracked(loc, privacy_page, directory, loc, legal, map_settings)
    yield _tracked(loc, open_data_page, directory, loc, legal, site_name)
    yield _tracked(loc, sitemap_page, directory, loc)


@dataclass(frozen=True)
class RecordIds:
    """Some records of each kind, by id: whose own pages to render."""

    services: frozenset[str] = frozenset()
    permanences: frozenset[str] = frozenset()
    dispositifs: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.services or self.permanences or self.dispositifs)


def record_pages(
    directory: Directory,
    loc: Localizer,
    guides: dict[str, tuple[str, str]],
    site_url: str | None = None,
    only: RecordIds | None = None,
) -> Iterator[Page]:
    """The page of each service, permanence and dispositif (`only` some of them)."""
    for sid in directory.services:
        if only is None or sid in only.services:
            yield _tracked(loc, service_page, directory, sid, loc, site_url)
    for pid in directory.permanences:
        if only is None or pid in only.permanences:
            yield _tracked(loc, permanence_page, directory, pid, loc, site_url)
    for did in directory.dispositifs:
        if only is None or did in only.dispositifs:
            yield _tracked(loc, dispositif_page, directory, did, loc, guides, site_url)


# --- pathways ----------------------------------------------------------------


def _pathway_context(directory: Directory, pid: str, node: str, loc: Localizer) -> dict[str, Any]:
    """What every page of a pathway shows around its own content."""
    pathway = directory.pathways[pid]
    start = v.pathway_node_path(directory, pid, pathway.start)
    return {
        "pathway": v.Link(loc.text(pathway.label), start),
        "emergency": pathway.emergency,
        "crumbs": v.crumbs(directory, pid, node, loc),
        "back": v.back_link(directory, pid, node, loc),
        "restart": v.Link(loc.gettext("Start again"), start) if node != pathway.start else None,
        "verified": loc.date(pathway.verified),
        "source": html_text(pathway.source),
    }


def question_page(directory: Directory, pid: str, qid: str, loc: Localizer, guides: dict) -> Page:
    pathway = directory.pathways[pid]
    question = pathway.questions[qid]
    path = str(v.pathway_node_path(directory, pid, qid))[1:]
    context = {
        **_pathway_context(directory, pid, qid, loc),
        "question": loc.text(question.question),
        "help": loc.block(question.help),
        "answers": [
            v.Link(loc.text(answer.label), v.pathway_node_path(directory, pid, answer.next))
            for answer in question.answers
        ],
        "guides": v.guide_links(pathway.guides, guides, loc) if qid == pathway.start else [],
    }
    return Page(path=path, template="pathway-question.html", title=loc.text(question.question), context=context)


@dataclass(frozen=True)
class OutcomePlaces:
    """The services and permanences an outcome points to, in the order its pages list them."""

    services: list[str]
    service_rank: dict[str, int]
    permanences: list[str]
    permanence_rank: dict[str, int]


def outcome_places(directory: Directory, pid: str, oid: str) -> OutcomePlaces:
    """Computed once per outcome: the outcome's page in each commune picks from them."""
    outcome = directory.pathways[pid].outcomes[oid]
    services = list(dict.fromkeys(sid for cid in outcome.categories for sid in directory.by_category.get(cid, [])))
    wanted_categories, wanted_dispositifs = set(outcome.categories), set(outcome.dispositifs)
    permanences = [
        rid for rid, permanence in directory.permanences.items()
        if not directory.has_ended(rid)
        and (wanted_categories & set(permanence.categories) or wanted_dispositifs & set(permanence.dispositifs))
    ]
    return OutcomePlaces(
        services, {sid: n for n, sid in enumerate(services)}, permanences, {rid: n for n, rid in enumerate(permanences)}
    )


def _taking_first(directory: Directory, sids: list[str]) -> list[str]:
    # Practices that take new patients first: that is what someone without a doctor needs.
    order = {True: 0, None: 1, False: 2}
    return sorted(sids, key=lambda sid: order[directory.services[sid].accepts_new_patients])


def outcome_page(
    directory: Directory, pid: str, oid: str, loc: Localizer, guides: dict, insee: str | None = None,
    places: OutcomePlaces | None = None,
) -> Page:
    """Where a pathway ends; with a commune, the places that serve it come first.

    A commune's page looks only at the places of that commune (and their rank in
    `places`): the pages of all communes together stay in proportion to the territory.
    """
    pathway = directory.pathways[pid]
    outcome = pathway.outcomes[oid]
    places = places or outcome_places(directory, pid, oid)
    services, rank = places.services, places.service_rank
    if insee is not None:
        located = [sid for sid in directory.located_in.get(insee, []) if sid in rank]
        taken = set(located)
        near = located + sorted(
            (sid for sid in directory.serving.get(insee, []) if sid in rank and sid not in taken), key=rank.__getitem__
        )
        others = len(services) - len(set(near))
        permanences = sorted(
            (rid for rid in directory.permanences_serving.get(insee, []) if rid in places.permanence_rank),
            key=places.permanence_rank.__getitem__,
        )
    else:
        near, others, permanences = [], len(services), places.permanences
    few = others <= CARD_LIMIT
    if few:
        near_set = set(near)
        elsewhere = _taking_first(directory, [sid for sid in services if sid not in near_set])
    else:
        elsewhere = []
    near = _taking_first(directory, near)
    commune = directory.communes[insee] if insee else None
    slug = directory.commune_slugs.get(insee or "", "")
    context = {
        **_pathway_context(directory, pid, oid, loc),
        "title": loc.text(outcome.title),
        "advice": loc.block(outcome.advice),
        "call": v.call_links(outcome.call, loc),
        "dispositifs": [
            v.Link(loc.text(directory.dispositifs[d].name), v.dispositif_path(d), loc.text(directory.dispositifs[d].summary))
            for d in outcome.dispositifs
        ],
        "documents": [loc.text(d) for d in outcome.documents],
        "shows_places": bool(outcome.categories),
        "commune": html_text(commune.name) if commune else Markup(""),
        "all_communes": v.Link(loc.gettext("All communes"), v.pathway_node_path(directory, pid, oid)),
        "communes": [
            v.Link(html_text(c.name), v.outcome_commune_path(pid, oid, directory.commune_slugs[code]))
            for code, c in directory.communes.items()
        ] if insee is None else [],
        "near": _by_category(directory, near, loc),
        # With a commune chosen, the other places are a short list: each commune's page
        # would otherwise repeat every card of the territory. Beyond `CARD_LIMIT`, the
        # category pages list them: each of these pages stays the same size as the
        # territory grows.
        "elsewhere": _by_category(directory, elsewhere, loc) if insee is None and few else [],
        "elsewhere_links": [
            v.Link(
                loc.text(directory.services[sid].name),
                v.service_path(sid),
                html_text(directory.communes[directory.services[sid].address.commune].name),
            )
            for sid in elsewhere
        ] if insee is not None and few else [],
        "kinds": [] if few else [
            v.Link(loc.text(directory.taxonomy.categories[c].label), v.category_path(c))
            for c in outcome.categories
            if directory.has_category_page(c)
        ],
        "sessions": calendar.weeks(directory, permanences, loc, skip_empty=True),
        "weeks": v.PATTERN_WEEKS,
        "guides": v.guide_links([*outcome.guides, *pathway.guides], guides, loc),
    }
    base = f"parcours/{pid}/{oid}"
    return Page(
        path=f"{base}/{slug}.md" if insee else f"{base}/index.md",
        template="pathway-outcome.html",
        title=loc.text(outcome.title),
        context=context,
        # The same outcome for each commune: one search result (the general page) is enough.
        searchable=insee is None,
    )


def _pathway_links(directory: Directory, loc: Localizer) -> list[v.Link]:
    return [
        v.Link(loc.text(p.label), v.pathway_node_path(directory, pid, p.start), loc.text(p.summary))
        for pid, p in directory.pathways.items()
    ]


def pathways_index(directory: Directory, loc: Localizer) -> Page:
    return Page(
        "parcours/index.md", "pathways.html", loc.gettext("By situation"),
        {"pathways": _pathway_links(directory, loc)},
    )


def pathway_pages(directory: Directory, loc: Localizer, guides: dict) -> Iterator[Page]:
    """One page per question, per outcome, and per outcome and commune (where it shows places)."""
    for pid, pathway in directory.pathways.items():
        for qid in pathway.questions:
            yield _tracked(loc, question_page, directory, pid, qid, loc, guides)
        for oid, outcome in pathway.outcomes.items():
            places = outcome_places(directory, pid, oid)
            yield _tracked(loc, outcome_page, directory, pid, oid, loc, guides, None, places)
            if outcome.categories:
                for insee in directory.communes:
                    yield _tracked(loc, outcome_page, directory, pid, oid, loc, guides, insee, places)


# --- maps --------------------------------------------------------------------


@dataclass(frozen=True)
class MapItem:
    """A service in the list of the map page, with what the filters look at."""

    card: Card
    sid: str
    categories: str
    publics: str
    free: bool
    without_appointment: bool
    wheelchair: bool


def _map_item(directory: Directory, sid: str, loc: Localizer) -> MapItem:
    service = directory.services[sid]
    return MapItem(
        card=service_card(directory, sid, loc),
        sid=sid,
        categories=" ".join([service.category, *service.other_categories]),
        publics=" ".join(service.publics),
        free=v.Cost.FREE in service.cost,
        without_appointment=bool(service.appointment and service.appointment.policy is v.AppointmentPolicy.NOT_NEEDED),
        wheelchair=bool(service.accessibility and service.accessibility.wheelchair is v.WheelchairAccess.FULL),
    )


def map_page(directory: Directory, loc: Localizer, map_settings: dict[str, Any]) -> Page:
    """The map page: every place in a filterable list, or, beyond `list_limit` places,
    the communes, whose places the interactive map loads as the reader looks there
    (`data/communes/<slug>.geojson`): the page stays light whatever the territory."""
    page = "carte/index.md"
    by_commune = len(directory.services) > map_settings["list_limit"]
    items = [] if by_commune else [_map_item(directory, sid, loc) for sid in directory.services]
    services = directory.services.values()
    used_categories = {c for s in services for c in (s.category, *s.other_categories)}
    used_publics = {p for s in services for p in s.publics}
    root = maps.url_between(page, "index.md") + "../"  # from the language's site to the whole site
    settings = {
        "root": root,
        "data": f"{root}data/services.geojson",
        "vendor": f"{maps.url_between(page, 'index.md')}assets/vendor/",
        "tiles": map_settings["tiles"],
        "attribution": map_settings["attribution"],
        "maxZoom": map_settings["max_zoom"],
        "language": loc.language,
        "direction": loc.direction,
        "center": [sum(c.latitude for c in directory.communes.values()) / len(directory.communes),
                   sum(c.longitude for c in directory.communes.values()) / len(directory.communes)],
        # Counts in a form that needs no plural rule in the browser: "Places shown: 12".
        "labels": {
            "zoomIn": loc.label(N_("Zoom in")),
            "zoomOut": loc.label(N_("Zoom out")),
            "cluster": loc.label(N_("Places here: %(n)s. Zoom in to see them.")),
            "open": loc.label(N_("Open the page of %(name)s")),
            "shown": loc.label(N_("Places shown: %(n)s")),
            "commune": loc.label(N_("%(name)s. Places here: %(n)s. Zoom in to see them.")),
        },
    }
    if by_commune:
        # Only the communes with places: [name, latitude, longitude, places, data file].
        settings["communes"] = [
            [commune.name, commune.latitude, commune.longitude, len(directory.located_in[insee]),
             f"{root}data/communes/{directory.commune_slugs[insee]}.geojson"]
            for insee, commune in directory.communes.items()
            if directory.located_in.get(insee)
        ]
    context = {
        "map": maps.territory_map(directory, page, loc),
        "items": items,
        "communes": _commune_links(directory, loc) if by_commune else [],
        "categories": [
            (cid, loc.text(c.label)) for cid, c in directory.taxonomy.categories.items() if cid in used_categories
        ],
        "publics": [(pid, loc.text(p.label)) for pid, p in directory.taxonomy.publics.items() if pid in used_publics],
        "tile_name": html_text(map_settings["name"]),
        "settings": Markup(json.dumps(settings, ensure_ascii=False).replace("<", "\\u003c")),
        "script": Markup(f"{maps.url_between(page, 'index.md')}assets/javascripts/portal-map.js"),
        "count": len(directory.services),
    }
    return Page(page, "map.html", loc.gettext("Map"), context, hide=("toc",))
