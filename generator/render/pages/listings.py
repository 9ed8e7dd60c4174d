"""The pages that list records: home, categories, communes, rights, drop-in
sessions and their calendars, and each commune's booklet to print."""

from __future__ import annotations

from markupsafe import Markup

from ... import i18n, routes
from ...i18n import N_
from ...i18n.coverage import Offer, offer
from ...records.models import NeighbourhoodKind
from ...records.neighbourhoods import NEAR_METRES
from ...records.schedule import PATTERN_WEEKS
from ...records.types import slugify
from .. import calendar, maps, statements
from .. import views as v
from ..booklet import booklet_context
from ..context import RenderContext
from ..corrections import correction_link
from ..markup import html_text
from .base import (
    CARD_LIMIT,
    Page,
    by_category,
    by_commune,
    cards_or_lines,
    category_links,
    commune_calendars,
    commune_links,
    dispositif_links,
    pathway_links,
    permanence_card,
)
from .patients import new_patients_link


def home_page(ctx: RenderContext) -> Page:
    loc, territory = ctx.loc, ctx.directory.territory
    return Page(
        path=routes.HOME,
        template="home.html",
        title=html_text(ctx.site_name),
        description=loc.block_line(territory.description),
        hide=("navigation", "toc"),
        context={
            "name": loc.text(territory.name),
            "offer": language_offer(ctx),
            "description": loc.block(territory.description, under=2),
            "pathways": pathway_links(ctx),
            "categories": category_links(ctx),
            "communes": commune_links(ctx),
            "dispositifs": dispositif_links(ctx),
            "new_patients": new_patients_link(ctx, None),
            "emergency": v.emergency_numbers(loc),
            "demo": ctx.site.demo,
            "accessibility": v.Link.to(statements.status_label(ctx.site.accessibility, loc), routes.ACCESSIBILITY),
            "search": routes.relative_url(routes.HOME, routes.SEARCH),
        },
    )


#: What each kind of thing is called when the home page counts it in a language.
OFFER_PARTS = (
    ("services", N_("places: %(done)s of %(total)s")),
    ("permanences", N_("drop-in sessions: %(done)s of %(total)s")),
    ("dispositifs", N_("health rights: %(done)s of %(total)s")),
    ("pathways", N_("situations: %(done)s of %(total)s")),
    ("guides", N_("guides: %(done)s of %(total)s")),
)


def language_offer(ctx: RenderContext) -> Markup:
    """'In this language: the interface, places: 12 of 72, ... The rest is in French.'

    Said in every language but French (the records' own), from what really is translated
    (`i18n.coverage.offer`): a record counts when its page shows no French.
    """
    loc = ctx.loc
    if loc.language == i18n.SOURCE_LANGUAGE:
        return Markup("")
    found: Offer = offer(ctx.directory, loc.language, (guide.language for guide in ctx.guides.values()))
    if found.complete:
        return loc.gettext("Everything on this site is in this language.")
    parts = [loc.gettext("the interface") if found.interface.complete else loc.gettext("part of the interface")]
    for kind, message in OFFER_PARTS:
        share = getattr(found, kind)
        if share.total:
            parts.append(loc.gettext(message, done=share.done, total=share.total))
    return loc.gettext("In this language: %(offer)s. The rest is in French.", offer=loc.join(parts))


def categories_index(ctx: RenderContext) -> Page:
    return Page(
        routes.CATEGORIES,
        "categories.html",
        ctx.loc.gettext("Find a place"),
        {"categories": category_links(ctx), "new_patients": new_patients_link(ctx, None)},
    )


def category_page(ctx: RenderContext, cid: str) -> Page:
    directory, loc = ctx.directory, ctx.loc
    category = directory.taxonomy.categories[cid]
    return Page(
        path=routes.category(cid),
        template="category.html",
        title=loc.text(category.label),
        context={
            "name": loc.text(category.label),
            "description": loc.text(category.description),
            "by_commune": by_commune(ctx, directory.services_by_category.get(cid, []), []),
            "permanences": cards_or_lines(
                [permanence_card(ctx, pid) for pid in directory.permanences_by_category.get(cid, [])]
            ),
        },
    )


def communes_index(ctx: RenderContext) -> Page:
    return Page(routes.COMMUNES, "communes.html", ctx.loc.gettext("By commune"), {"communes": commune_links(ctx)})


def commune_page(ctx: RenderContext, insee: str) -> Page:
    directory, loc = ctx.directory, ctx.loc
    commune = directory.communes[insee]
    slug = directory.commune_slugs[insee]
    located = directory.services_located_in.get(insee, [])
    serving = [sid for sid in directory.services_serving.get(insee, []) if sid not in located]
    return Page(
        path=routes.commune(slug),
        template="commune.html",
        title=html_text(commune.name),
        context={
            "name": html_text(commune.name),
            "postcodes": loc.join(commune.postcodes),
            "map": maps.small_map(ctx, commune.latitude, commune.longitude),
            "located": by_category(ctx, located),
            "serving": by_category(ctx, serving),
            "permanences": [permanence_card(ctx, pid) for pid in directory.permanences_serving.get(insee, [])],
            "calendar": v.Link.to(
                loc.gettext("Calendar of the drop-in sessions for %(commune)s", commune=commune.name),
                routes.commune_calendar(slug),
            ),
            "booklet": v.Link.to(
                loc.gettext("Booklet to print for %(commune)s", commune=commune.name), routes.booklet(slug)
            ),
            "new_patients": new_patients_link(ctx, insee),
            "neighbourhoods": neighbourhood_views(ctx, insee),
        },
    )


def neighbourhood_views(ctx: RenderContext, insee: str) -> list[v.NeighbourhoodView]:
    """The commune's neighbourhoods, each with the places and drop-in sessions in it (or near its point)."""
    directory, loc = ctx.directory, ctx.loc

    def links(sids: tuple[str, ...], pids: tuple[str, ...]) -> list[v.Link]:
        return [
            *(v.Link.to(loc.text(directory.services[sid].name), routes.service(sid)) for sid in sids),
            *(v.Link.to(loc.text(directory.permanences[pid].name), routes.permanence(pid)) for pid in pids),
        ]

    views = []
    for neighbourhood in directory.communes[insee].neighbourhoods:
        found = directory.neighbourhoods[neighbourhood.code]
        without_outline = neighbourhood.outline is None
        views.append(
            v.NeighbourhoodView(
                name=loc.source_text(neighbourhood.name),  # a French name: marked so on other pages
                anchor="quartier-" + slugify(neighbourhood.code),
                priority=neighbourhood.kind is NeighbourhoodKind.QPV,
                inside=links(found.services, found.permanences),
                near=links(found.services_near, found.permanences_near),
                near_rule=loc.gettext(
                    "Within %(metres)s m of the centre of the neighbourhood, as the crow flies:",
                    metres=NEAR_METRES,
                )
                if without_outline
                else None,
            )
        )
    return views


def dispositifs_index(ctx: RenderContext) -> Page:
    return Page(
        routes.DISPOSITIFS,
        "dispositifs.html",
        ctx.loc.gettext("Health rights"),
        {"dispositifs": dispositif_links(ctx)},
    )


def permanences_index(ctx: RenderContext) -> Page:
    directory, loc = ctx.directory, ctx.loc
    current = [pid for pid in directory.permanences if not directory.has_ended(pid)]
    few = len(current) <= CARD_LIMIT  # beyond, the communes' calendars list them
    return Page(
        routes.PERMANENCES,
        "permanences.html",
        loc.gettext("Every drop-in session, one by one"),
        {
            "permanences": [permanence_card(ctx, pid) for pid in current] if few else [],
            "calendar": v.Link.to(loc.gettext("Calendar of the drop-in sessions"), routes.CALENDAR),
            "communes": [] if few else commune_calendars(ctx),
        },
    )


def calendar_page(ctx: RenderContext, insee: str | None) -> Page:
    """The sessions of the coming weeks, for the whole territory (None) or one commune."""
    directory, loc = ctx.directory, ctx.loc
    if insee is None:
        pids = list(directory.permanences)
        title = loc.gettext("Drop-in sessions")
        slug = None
    else:
        pids = directory.permanences_serving.get(insee, [])
        title = loc.gettext("Drop-in sessions for %(commune)s", commune=directory.communes[insee].name)
        slug = directory.commune_slugs[insee]
    # The whole territory's sessions, beyond `CARD_LIMIT` permanences, are its communes' calendars.
    weeks = calendar.weeks(ctx, pids) if insee is not None or len(pids) <= CARD_LIMIT else []
    return Page(
        path=routes.commune_calendar(slug),
        template="calendar.html",
        title=title,
        context={
            "title": title,
            "calendar": weeks,
            "count": calendar.session_count(weeks),
            "weeks": PATTERN_WEEKS,
            "as_of": loc.date(ctx.today),
            "ics": routes.href(routes.calendar_file(slug)),
            "list_path": routes.href(routes.PERMANENCES),
            "territory": None if insee is None else v.Link.to(loc.gettext("All the territory"), routes.CALENDAR),
            "communes": commune_calendars(ctx) if insee is None else [],
            "by_commune_only": insee is None and len(pids) > CARD_LIMIT,
        },
    )


def booklet_page(ctx: RenderContext, insee: str) -> Page:
    """A commune's booklet, to print: one page gathering what its residents need."""
    slug = ctx.directory.commune_slugs[insee]
    title = ctx.loc.gettext("Health booklet for %(commune)s", commune=ctx.directory.communes[insee].name)
    path = routes.booklet(slug)
    # Reported by the commune's INSEE code: a booklet gathers many records, checked on many dates.
    correction = correction_link(ctx, "booklet", insee, title.striptags(), path, None)
    return Page(
        path=path,
        template="booklet.html",
        title=title,
        context={"title": title, "correction": correction, **booklet_context(ctx, insee)},
        searchable=False,  # the same entries as the commune's pages
        printable=True,
    )
