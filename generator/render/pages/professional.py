"""The « Pour les professionnels » section of the professionals' edition.

Who does what, need by need (the kinds of places of the taxonomy, then the
rights: what a médiateur looks for), for the territory and each commune; the
networks and their members; how to refer to each structure; and the partners'
directory to print, for the territory and each commune. `site_pages` yields these
pages only when the context is the professionals' edition's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markupsafe import Markup

from ... import routes
from ...i18n import N_
from ...i18n.labels import NETWORK_KIND_LABELS
from ...records.models import NetworkKind
from .. import views as v
from ..context import RenderContext
from ..localize import PhoneLink
from ..markup import html_text
from ..professional import ProfessionalView, access_text, professional_view
from .base import Page


@dataclass(frozen=True)
class Structure:
    """A service or a permanence, as the professionals' pages list it."""

    link: v.Link
    commune: Markup
    kind: Markup  # its category, or "drop-in session"
    pro: ProfessionalView | None
    place: v.PlaceView | None = None
    phones: list[tuple[Markup, PhoneLink]] = field(default_factory=list)
    email: str | None = None


@dataclass(frozen=True)
class Need:
    """One need and the structures that answer it."""

    label: Markup
    link: v.Link | None  # the need's public page (a category, a right)
    structures: list[Structure]


def _service(ctx: RenderContext, sid: str, *, under: int = 3) -> Structure:
    """A service as the section lists it: made once per language, however many pages list it."""
    return ctx.remember(("pro service", sid, under), lambda: _make_service(ctx, sid, under))


def _permanence(ctx: RenderContext, pid: str, *, under: int = 3) -> Structure:
    return ctx.remember(("pro permanence", pid, under), lambda: _make_permanence(ctx, pid, under))


def _make_service(ctx: RenderContext, sid: str, under: int) -> Structure:
    directory, loc = ctx.directory, ctx.loc
    service = directory.services[sid]
    return Structure(
        link=v.Link.to(loc.text(service.name), routes.service(sid)),
        commune=html_text(directory.communes[service.address.commune].name),
        kind=loc.text(directory.taxonomy.categories[service.category].label),
        pro=professional_view(ctx, service.professional, under=under),
        place=v.place_view(ctx, directory.place_of_service(sid)),
        phones=v.phone_links(service.phones, loc),
        email=service.email,
    )


def _make_permanence(ctx: RenderContext, pid: str, under: int) -> Structure:
    directory, loc = ctx.directory, ctx.loc
    permanence = directory.permanences[pid]
    place = directory.place_of_permanence(pid)
    return Structure(
        link=v.Link.to(loc.text(permanence.name), routes.permanence(pid)),
        commune=html_text(directory.communes[place.address.commune].name),
        kind=loc.gettext("Drop-in session"),
        pro=professional_view(ctx, permanence.professional, under=under),
        place=v.place_view(ctx, place, hosted=True),
        phones=v.phone_links(permanence.phones, loc),
        email=permanence.email,
    )


def _serving(ctx: RenderContext, insee: str | None) -> tuple[list[str], list[str]]:
    """The services and permanences serving a commune (located there first), or all of them."""
    directory = ctx.directory
    if insee is None:
        return list(directory.services), [p for p in directory.permanences if not directory.has_ended(p)]
    located = directory.services_located_in.get(insee, [])
    services = located + [sid for sid in directory.services_serving.get(insee, []) if sid not in located]
    permanences = [p for p in directory.permanences_serving.get(insee, []) if not directory.has_ended(p)]
    return services, permanences


def _needs(ctx: RenderContext, insee: str | None) -> tuple[list[Need], list[Need]]:
    """Who does what: by kind of place (the taxonomy's order), then by right (who helps with it)."""
    directory, loc = ctx.directory, ctx.loc
    services, permanences = _serving(ctx, insee)
    kept_services, kept_permanences = set(services), set(permanences)
    kinds = []
    for cid, category in directory.taxonomy.categories.items():
        sids = [s for s in directory.services_by_category.get(cid, []) if s in kept_services]
        pids = [p for p in directory.permanences_by_category.get(cid, []) if p in kept_permanences]
        if sids or pids:
            link = (
                v.Link.to(loc.text(category.label), routes.category(cid)) if directory.has_category_page(cid) else None
            )
            structures = [_service(ctx, s) for s in sids] + [_permanence(ctx, p) for p in pids]
            kinds.append(Need(loc.text(category.label), link, structures))
    rights = []
    for did, dispositif in directory.dispositifs.items():
        sids = [s for s in directory.services_helping.get(did, []) if s in kept_services]
        pids = [p for p in directory.permanences_helping.get(did, []) if p in kept_permanences]
        if sids or pids:
            structures = [_service(ctx, s) for s in sids] + [_permanence(ctx, p) for p in pids]
            rights.append(
                Need(
                    loc.text(dispositif.name), v.Link.to(loc.text(dispositif.name), routes.dispositif(did)), structures
                )
            )
    return kinds, rights


def _commune_links(ctx: RenderContext, route: Callable[[str], str]) -> list[v.Link]:
    """A link to each commune's page (`route`: a function of the commune's slug)."""
    directory = ctx.directory
    return [
        v.Link.to(html_text(commune.name), route(directory.commune_slugs[insee]))
        for insee, commune in directory.communes.items()
    ]


def _where(
    ctx: RenderContext, insee: str | None, commune_title: str, territory_title: str
) -> tuple[str | None, Markup | None, Markup]:
    """A page for one commune or (None) the territory: the commune's slug and name, and the page's title."""
    directory, loc = ctx.directory, ctx.loc
    if insee is None:
        return None, None, loc.gettext(territory_title)
    name = html_text(directory.communes[insee].name)
    return directory.commune_slugs[insee], name, loc.gettext(commune_title, commune=name)


def pro_home_page(ctx: RenderContext) -> Page:
    """The section's first page: what it holds, and its pages for the territory and each commune."""
    loc = ctx.loc
    context = {
        "access": access_text(ctx),
        "who": v.Link.to(loc.gettext("Who does what in the whole territory"), routes.pro_who(None)),
        "who_communes": _commune_links(ctx, routes.pro_who),
        "networks": v.Link.to(loc.gettext("Networks and their members"), routes.PRO_NETWORKS),
        "network_count": len(ctx.directory.territory.networks),
        "referrals": v.Link.to(loc.gettext("How to refer someone to each structure"), routes.PRO_REFERRALS),
        "directory": v.Link.to(loc.gettext("Partners' directory of the whole territory"), routes.pro_directory(None)),
        "directory_communes": _commune_links(ctx, routes.pro_directory),
    }
    return Page(path=routes.PRO, template="pro-home.html", title=loc.gettext("For professionals"), context=context)


def pro_who_page(ctx: RenderContext, insee: str | None) -> Page:
    """Who does what, need by need, in one commune or the whole territory."""
    loc = ctx.loc
    slug, name, title = _where(
        ctx, insee, N_("Who does what in %(commune)s"), N_("Who does what in the whole territory")
    )
    kinds, rights = _needs(ctx, insee)
    context = {
        "title": title,
        "commune": name,
        "kinds": kinds,
        "rights": rights,
        "section": v.Link.to(loc.gettext("For professionals"), routes.PRO),
        "directory": v.Link.to(loc.gettext("Partners' directory to print"), routes.pro_directory(slug)),
    }
    return Page(path=routes.pro_who(slug), template="pro-who.html", title=title, context=context)


@dataclass(frozen=True)
class NetworkView:
    anchor: str
    label: Markup
    description: Markup
    website: str | None
    members: list[Structure]


def pro_networks_page(ctx: RenderContext) -> Page:
    """The networks of territory.yml, by kind, each with the structures that say they belong to it."""
    directory, loc = ctx.directory, ctx.loc
    members: dict[str, list[Structure]] = {}
    for sid, service in directory.services.items():
        for nid in service.professional.networks if service.professional else []:
            members.setdefault(nid, []).append(_service(ctx, sid))
    for pid, permanence in directory.permanences.items():
        for nid in permanence.professional.networks if permanence.professional else []:
            members.setdefault(nid, []).append(_permanence(ctx, pid))
    groups = []
    for kind in NetworkKind:
        networks = [
            NetworkView(
                anchor=f"reseau-{network.id}",
                label=loc.text(network.label),
                description=loc.text(network.description),
                website=network.website,
                members=members.get(network.id, []),
            )
            for network in directory.territory.networks
            if network.kind is kind
        ]
        if networks:
            groups.append((loc.gettext(NETWORK_KIND_LABELS[kind]), networks))
    title = loc.gettext("Networks and their members")
    context = {"title": title, "groups": groups, "section": v.Link.to(loc.gettext("For professionals"), routes.PRO)}
    return Page(path=routes.PRO_NETWORKS, template="pro-networks.html", title=title, context=context)


def pro_referrals_page(ctx: RenderContext) -> Page:
    """How to refer someone to each structure that says how, by commune."""
    directory, loc = ctx.directory, ctx.loc
    by_commune: dict[str, list[Structure]] = {}
    for sid, service in directory.services.items():
        if service.professional is not None:
            by_commune.setdefault(service.address.commune, []).append(_service(ctx, sid))
    for pid, permanence in directory.permanences.items():
        if permanence.professional is not None and not directory.has_ended(pid):
            insee = directory.place_of_permanence(pid).address.commune
            by_commune.setdefault(insee, []).append(_permanence(ctx, pid))
    communes = [
        (html_text(commune.name), by_commune[insee])
        for insee, commune in directory.communes.items()
        if insee in by_commune
    ]
    title = loc.gettext("How to refer someone to each structure")
    context = {"title": title, "communes": communes, "section": v.Link.to(loc.gettext("For professionals"), routes.PRO)}
    return Page(path=routes.PRO_REFERRALS, template="pro-referrals.html", title=title, context=context)


def pro_directory_page(ctx: RenderContext, insee: str | None) -> Page:
    """The partners' directory to print: every structure serving a commune (or the territory), whole on paper."""
    directory, loc = ctx.directory, ctx.loc
    slug, name, title = _where(
        ctx, insee, N_("Partners' directory for %(commune)s"), N_("Partners' directory of the whole territory")
    )
    services, permanences = _serving(ctx, insee)
    kinds = []
    for cid, category in directory.taxonomy.categories.items():
        entries = [_service(ctx, sid) for sid in services if directory.services[sid].category == cid]
        if entries:
            kinds.append((loc.text(category.label), entries))
    context = {
        "title": title,
        "commune": name,
        "kinds": kinds,
        "permanences": [_permanence(ctx, pid) for pid in permanences],
        "as_of": loc.date(ctx.today),
        "section": v.Link.to(loc.gettext("For professionals"), routes.PRO),
        "who": v.Link.to(loc.gettext("Who does what"), routes.pro_who(slug)),
    }
    return Page(
        path=routes.pro_directory(slug), template="pro-directory.html", title=title, context=context, printable=True
    )


def pro_pages(ctx: RenderContext) -> Iterator[Page]:
    """The section's pages; none outside the professionals' edition."""
    if not ctx.professional:
        return
    yield ctx.page(pro_home_page)
    yield ctx.page(pro_who_page, None)
    yield ctx.page(pro_networks_page)
    yield ctx.page(pro_referrals_page)
    yield ctx.page(pro_directory_page, None)
    for insee in ctx.directory.communes:
        yield ctx.page(pro_who_page, insee)
        yield ctx.page(pro_directory_page, insee)
