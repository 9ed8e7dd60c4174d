"""The page of each record: a service (a place), a permanence, a dispositif."""

from __future__ import annotations

from markupsafe import Markup

from ... import routes
from ...records.models import DispositifScope
from ...records.schedule import PATTERN_WEEKS
from .. import jsonld, listen, maps
from .. import views as v
from ..context import RenderContext
from ..corrections import correction_link
from ..getting_there import getting_there
from ..markup import html_text
from ..professional import professional_view
from .base import Page, by_commune, category_list, dispositif_list, permanence_card
from .easyread import easy_dispositif_path, easy_link


def service_page(ctx: RenderContext, sid: str) -> Page:
    directory, loc = ctx.directory, ctx.loc
    service = directory.services[sid]
    path = routes.service(sid)
    hours = v.schedule_view(ctx, service.opening_hours, closed_days=True) if service.opening_hours else None
    openings = v.session_lines(v.next_openings(directory, sid), loc) if service.opening_hours and hours is None else []
    notes = (
        v.hours_notes(
            ctx, service.opening_hours, directory.calendar_at(directory.place_of_service(sid), service.opening_hours)
        )
        if service.opening_hours and hours is None
        else []
    )
    facts = [
        v.appointment_fact(service.appointment, loc),
        v.cost_fact(service.cost, service.cost_details, loc),
        v.publics_fact(ctx, service.publics, service.age),
        v.languages_fact(service.languages, service.interpreting, loc),
        v.accessibility_fact(service.accessibility, loc),
    ]
    context = {
        "name": loc.text(service.name),
        "summary": loc.text(service.summary),
        "organization": loc.text(service.organization),
        "categories": category_list(ctx, [service.category, *service.other_categories]),
        "badges": v.badges_for(service, loc),
        "new_patients": v.new_patients_line(ctx, service),
        "notices": v.notice_views(ctx, service.notices, directory.place_of_service(sid)),
        "description": loc.block(service.description, under=2),
        "place": v.place_view(
            ctx, directory.place_of_service(sid), neighbourhood=directory.neighbourhood_of.get(("services", sid))
        ),
        "map": maps.small_map(ctx, service.latitude, service.longitude, highlight=sid),
        "getting_there_view": getting_there(ctx, directory.place_of_service(sid)),
        "phones": v.phone_links(service.phones, loc),
        "email": service.email,
        "website": service.website,
        "hours": hours,
        "openings": openings,
        "hours_notes": notes,
        "now": v.service_openings(directory, sid),
        "as_of": loc.date(ctx.today),
        "has_hours": service.opening_hours is not None,
        "facts": [f for f in facts if f is not None],
        "conditions": loc.block(service.conditions, under=2),
        "documents": [loc.text(d) for d in service.documents],
        "dispositifs": dispositif_list(ctx, service.dispositifs),
        "permanences": [permanence_card(ctx, pid) for pid in directory.permanences_of_service.get(sid, [])],
        "professional": professional_view(ctx, service.professional, under=2),
        "verified": loc.date(service.verified),
        "source": ctx.loc.source_text(service.source),
        "correction": correction_link(ctx, "service", sid, loc.plain(service.name), path, service.verified),
        "linked_data": jsonld.script_text(jsonld.service(ctx, sid)),
    }
    return Page(
        path=path,
        template="service.html",
        printable=True,
        title=loc.text(service.name),
        description=loc.plain(service.summary) if service.summary else None,
        context=context,
        listen=listen.SERVICE,
    )


def permanence_period(ctx: RenderContext, pid: str) -> Markup:
    """When the permanence is held, when it is not for ever: 'Until 30 June 2027.'"""
    loc, today = ctx.loc, ctx.today
    permanence = ctx.directory.permanences[pid]
    if ctx.directory.has_ended(pid) and permanence.valid_until is not None:
        return loc.gettext("This drop-in session ended on %(date)s.", date=loc.date(permanence.valid_until))
    if permanence.valid_from and permanence.valid_from > today and permanence.valid_until:
        return loc.gettext(
            "From %(start)s to %(end)s", start=loc.date(permanence.valid_from), end=loc.date(permanence.valid_until)
        )
    if permanence.valid_from and permanence.valid_from > today:
        return loc.gettext("Starts on %(date)s.", date=loc.date(permanence.valid_from))
    if permanence.valid_until:
        return loc.gettext("Until %(date)s.", date=loc.date(permanence.valid_until))
    return Markup("")


def permanence_page(ctx: RenderContext, pid: str) -> Page:
    directory, loc = ctx.directory, ctx.loc
    permanence = directory.permanences[pid]
    path = routes.permanence(pid)
    holder = permanence.held_by
    held_by = (
        v.Link.to(loc.text(directory.services[holder.service].name), routes.service(holder.service))
        if holder.service
        else None
    )
    ended = directory.has_ended(pid)
    place = directory.place_of_permanence(pid)
    facts = [
        v.appointment_fact(permanence.appointment, loc),
        v.cost_fact(permanence.cost, permanence.cost_details, loc),
        v.publics_fact(ctx, permanence.publics, None),
        v.languages_fact(permanence.languages, permanence.interpreting, loc),
    ]
    context = {
        "name": loc.text(permanence.name),
        "held_by": held_by,
        "organization": loc.text(holder.organization),
        "badges": v.badges_for(permanence, loc),
        "notices": v.notice_views(ctx, permanence.notices, place),
        "description": loc.block(permanence.description, under=2),
        "place": v.place_view(
            ctx, place, hosted=True, neighbourhood=directory.neighbourhood_of.get(("permanences", pid))
        ),
        "map": maps.small_map(ctx, place.latitude, place.longitude, highlight=place.service_id),
        "getting_there_view": getting_there(ctx, place),
        "next": v.session_lines(directory.listed_sessions.get(pid, []), loc),
        "hours_notes": v.permanence_notes(ctx, pid),
        "ended": ended,
        "ics": None if ended else routes.href(routes.permanence_calendar_file(pid)),
        "as_of": loc.date(ctx.today),
        "weeks": PATTERN_WEEKS,
        "hours": None if ended else v.schedule_view(ctx, permanence.schedule),
        "period": permanence_period(ctx, pid),
        "cancelled": [] if ended else [html_text(loc.date(d)) for d in sorted(permanence.cancelled) if d >= ctx.today],
        "phones": v.phone_links(permanence.phones, loc),
        "email": permanence.email,
        "facts": [f for f in facts if f is not None],
        "categories": category_list(ctx, permanence.categories),
        "dispositifs": dispositif_list(ctx, permanence.dispositifs),
        "professional": professional_view(ctx, permanence.professional, under=2),
        "verified": loc.date(permanence.verified),
        "source": ctx.loc.source_text(permanence.source),
        "correction": correction_link(ctx, "permanence", pid, loc.plain(permanence.name), path, permanence.verified),
        "linked_data": jsonld.script_text(jsonld.permanence(ctx, pid)),
    }
    return Page(
        path=path,
        template="permanence.html",
        printable=True,
        title=loc.text(permanence.name),
        context=context,
        listen=listen.PERMANENCE,
    )


def dispositif_page(ctx: RenderContext, did: str) -> Page:
    directory, loc = ctx.directory, ctx.loc
    dispositif = directory.dispositifs[did]
    path = routes.dispositif(did)
    short_name = dispositif.short_name
    if short_name is not None and loc.plain(short_name) in loc.plain(dispositif.name):
        short_name = None  # the name already says it: "Aide médicale de l'État (AME)"
    context = {
        "name": loc.text(dispositif.name),
        "easy": easy_link(ctx, easy_dispositif_path(ctx, did)),
        "short_name": loc.text(short_name),
        "summary": loc.text(dispositif.summary),
        "benefits": loc.block(dispositif.benefits, under=2),
        "eligibility": loc.block(dispositif.eligibility, under=2),
        "steps": [loc.text(step) for step in dispositif.steps],
        "documents": [loc.text(d) for d in dispositif.documents],
        "cost": loc.block(dispositif.cost, under=2),
        "links": [v.ExternalLink(loc.text(link.title), link.url) for link in dispositif.links],
        "by_commune": by_commune(
            ctx, directory.services_helping.get(did, []), directory.permanences_helping.get(did, [])
        ),
        "pathways": [
            v.Link.to(
                loc.text(directory.pathways[pid].label),
                v.pathway_node(directory, pid, oid),
                loc.text(directory.pathways[pid].outcomes[oid].title),
            )
            for pid, oid in directory.leads_to.get(did, [])
        ],
        "guides": v.guide_links(ctx, dispositif.guides),
        "kinds": category_list(ctx, dispositif.categories, with_page_only=True),
        "local": dispositif.scope is DispositifScope.LOCAL,
        "verified": loc.date(dispositif.verified),
        "source": ctx.loc.source_text(dispositif.source),
        "correction": correction_link(ctx, "dispositif", did, loc.plain(dispositif.name), path, dispositif.verified),
        "linked_data": jsonld.script_text(jsonld.dispositif(ctx, did)),
    }
    return Page(
        path=path,
        template="dispositif.html",
        printable=True,
        title=loc.text(dispositif.name),
        description=loc.plain(dispositif.summary),
        context=context,
        listen=listen.DISPOSITIF,
    )
