"""What every page family shares: the `Page` a page function returns, and the
cards and links that list records.

A record's card is the same on every page that lists it: it is made once per
language (`RenderContext.remember`), and each page that shows it counts the
French texts it holds, so that the page says they are in French.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ... import routes
from .. import views as v
from ..context import RenderContext
from ..markup import html_text


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder, like 'services/pass-redon.md' (see `routes`)
    template: str
    title: Markup  # HTML, as the theme prints it: escaped, marked lang="fr" if in French
    context: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    hide: tuple[str, ...] = ()
    fallback: bool = False  # some of its text is shown in French: the page says so
    searchable: bool = True  # False: left out of the search index (near-copies of a page)
    printable: bool = False  # True: a sheet to print or send (see `sheet.py`), with its tools
    listen: tuple[str, ...] = ()  # the parts read aloud, in order (see `listen.py`): none, no buttons


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


def service_card(ctx: RenderContext, sid: str) -> Card:
    return ctx.remember(("service card", sid), lambda: _service_card(ctx, sid))


def permanence_card(ctx: RenderContext, pid: str) -> Card:
    return ctx.remember(("permanence card", pid), lambda: _permanence_card(ctx, pid))


def _service_card(ctx: RenderContext, sid: str) -> Card:
    directory, loc = ctx.directory, ctx.loc
    service = directory.services[sid]
    commune = directory.communes[service.address.commune]
    category = directory.taxonomy.categories[service.category]
    return Card(
        link=v.Link.to(loc.text(service.name), routes.service(sid)),
        summary=loc.text(service.summary) if service.summary else loc.text(category.label),
        where=html_text(commune.name),
        badges=v.badges_for(service, loc),
        extra=v.new_patients_line(ctx, service),
        openings=v.service_openings(directory, sid),
    )


def _permanence_card(ctx: RenderContext, pid: str) -> Card:
    directory, loc = ctx.directory, ctx.loc
    permanence = directory.permanences[pid]
    place = directory.place_of_permanence(pid)
    return Card(
        link=v.Link.to(loc.text(permanence.name), routes.permanence(pid)),
        summary=loc.text(place.name) if place.name else Markup(""),
        where=html_text(directory.communes[place.address.commune].name),
        badges=v.badges_for(permanence, loc),
        hours=v.hours_summary(ctx, permanence.schedule),
        next=v.next_sessions(ctx, pid),
        none=v.no_session_line(loc),
    )


def line(card: Card) -> Card:
    """A card without its details: name, summary, commune."""
    return Card(card.link, card.summary, card.where, [])


def cards_or_lines(cards: list[Card]) -> list[Card]:
    """The cards, without their details beyond `CARD_LIMIT`."""
    return cards if len(cards) <= CARD_LIMIT else [line(card) for card in cards]


def by_category(ctx: RenderContext, sids: list[str], keep_order: bool = False) -> list[tuple[v.Link, list[Card]]]:
    """Services grouped by their main category, in the taxonomy's order.

    With `keep_order`, the groups come in the order of their first service in `sids`:
    a list already sorted by what matters most keeps its first places first.
    """
    directory = ctx.directory
    groups: dict[str, list[str]] = defaultdict(list)
    for sid in sids:
        groups[directory.services[sid].category].append(sid)
    order = list(groups) if keep_order else [cid for cid in directory.taxonomy.categories if cid in groups]
    return [
        (
            v.Link.to(ctx.loc.text(directory.taxonomy.categories[cid].label), routes.category(cid)),
            [service_card(ctx, sid) for sid in groups[cid]],
        )
        for cid in order
    ]


def by_commune(ctx: RenderContext, sids: list[str], pids: list[str]) -> list[tuple[v.Link, list[Card]]]:
    """Services and permanences grouped by the commune they are in, communes in order.

    Beyond `CARD_LIMIT` records, each is a card without its details: name, summary, commune.
    """
    directory = ctx.directory
    compact = len(sids) + len(pids) > CARD_LIMIT
    groups: dict[str, list[Card]] = defaultdict(list)
    for sid in sids:
        card = service_card(ctx, sid)
        groups[directory.services[sid].address.commune].append(line(card) if compact else card)
    for pid in pids:
        card = permanence_card(ctx, pid)
        groups[directory.place_of_permanence(pid).address.commune].append(line(card) if compact else card)
    return [
        (v.Link.to(html_text(commune.name), routes.commune(directory.commune_slugs[insee])), groups[insee])
        for insee, commune in directory.communes.items()
        if insee in groups
    ]


# --- links to the lists ---------------------------------------------------------------


def _category_count(ctx: RenderContext, cid: str) -> Markup:
    loc = ctx.loc
    places = len(ctx.directory.services_by_category.get(cid, []))
    sessions = len(ctx.directory.permanences_by_category.get(cid, []))
    parts = []
    if places:
        parts.append(loc.ngettext("%(n)s place", "%(n)s places", places))
    if sessions:
        parts.append(loc.ngettext("%(n)s drop-in session", "%(n)s drop-in sessions", sessions))
    return loc.join(parts)


def category_links(ctx: RenderContext) -> list[v.Link]:
    return [
        v.Link.to(ctx.loc.text(category.label), routes.category(cid), _category_count(ctx, cid))
        for cid, category in ctx.directory.taxonomy.categories.items()
        if ctx.directory.has_category_page(cid)
    ]


def commune_links(ctx: RenderContext) -> list[v.Link]:
    directory, loc = ctx.directory, ctx.loc
    return [
        v.Link.to(
            html_text(commune.name),
            routes.commune(directory.commune_slugs[insee]),
            loc.ngettext("%(n)s place", "%(n)s places", len(directory.services_located_in.get(insee, []))),
        )
        for insee, commune in directory.communes.items()
    ]


def dispositif_links(ctx: RenderContext) -> list[v.Link]:
    return [
        v.Link.to(ctx.loc.text(d.name), routes.dispositif(did), ctx.loc.text(d.summary))
        for did, d in ctx.directory.dispositifs.items()
    ]


def pathway_links(ctx: RenderContext) -> list[v.Link]:
    return [
        v.Link.to(ctx.loc.text(p.label), routes.pathway_start(pid), ctx.loc.text(p.summary))
        for pid, p in ctx.directory.pathways.items()
    ]


def commune_calendars(ctx: RenderContext) -> list[v.Link]:
    directory = ctx.directory
    return [
        v.Link.to(html_text(commune.name), routes.commune_calendar(directory.commune_slugs[code]))
        for code, commune in directory.communes.items()
    ]


def dispositif_list(ctx: RenderContext, dids: list[str]) -> list[v.Link]:
    """Links to some dispositifs, each with its summary."""
    dispositifs = ctx.directory.dispositifs
    return [
        v.Link.to(ctx.loc.text(dispositifs[d].name), routes.dispositif(d), ctx.loc.text(dispositifs[d].summary))
        for d in dids
        if d in dispositifs
    ]


def category_list(ctx: RenderContext, cids: list[str], *, with_page_only: bool = False) -> list[v.Link]:
    """Links to some categories (only those that have a page, if asked)."""
    categories = ctx.directory.taxonomy.categories
    return [
        v.Link.to(ctx.loc.text(categories[c].label), routes.category(c))
        for c in cids
        if not with_page_only or ctx.directory.has_category_page(c)
    ]
