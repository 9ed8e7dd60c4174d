"""Orientation pathways: a page per question, per outcome, and per outcome and commune."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ... import routes
from ...records.models import AppointmentPolicy, Cost, Service
from ...records.schedule import PATTERN_WEEKS
from .. import calendar, listen
from .. import views as v
from ..context import RenderContext
from ..markup import html_text
from .base import CARD_LIMIT, Page, by_category, category_list, dispositif_list, pathway_links
from .easyread import easy_link, easy_node_path
from .patients import new_patients_link


def pathways_index(ctx: RenderContext) -> Page:
    return Page(routes.PATHWAYS, "pathways.html", ctx.loc.gettext("By situation"), {"pathways": pathway_links(ctx)})


def _pathway_context(ctx: RenderContext, pid: str, node: str) -> dict[str, Any]:
    """What every page of a pathway shows around its own content."""
    loc = ctx.loc
    pathway = ctx.directory.pathways[pid]
    start = routes.pathway_start(pid)
    return {
        "pathway": v.Link.to(loc.text(pathway.label), start),
        "emergency": pathway.emergency,
        "crumbs": v.crumbs(ctx, pid, node),
        "back": v.back_link(ctx, pid, node),
        "restart": v.Link.to(loc.gettext("Start again"), start) if node != pathway.start else None,
        "verified": loc.date(pathway.verified),
        "source": ctx.loc.source_text(pathway.source),
        "easy": easy_link(ctx, easy_node_path(ctx, pid, node)),
    }


def question_page(ctx: RenderContext, pid: str, qid: str) -> Page:
    directory, loc = ctx.directory, ctx.loc
    pathway = directory.pathways[pid]
    question = pathway.questions[qid]
    context = {
        **_pathway_context(ctx, pid, qid),
        "question": loc.text(question.question),
        "help": loc.block(question.help, under=1),
        "answers": [
            v.Link.to(loc.text(answer.label), v.pathway_node(directory, pid, answer.next))
            for answer in question.answers
        ],
        "guides": v.guide_links(ctx, pathway.guides) if qid == pathway.start else [],
    }
    return Page(
        path=v.pathway_node(directory, pid, qid),
        template="pathway-question.html",
        title=loc.text(question.question),
        context=context,
        listen=listen.PATHWAY_QUESTION,
    )


@dataclass(frozen=True)
class OutcomePlaces:
    """The services and permanences an outcome points to, in the order its pages list them."""

    services: list[str]
    service_rank: dict[str, int]
    permanences: list[str]
    permanence_rank: dict[str, int]


def outcome_places(ctx: RenderContext, pid: str, oid: str) -> OutcomePlaces:
    """Computed once per outcome: the outcome's page in each commune picks from them."""
    directory = ctx.directory
    outcome = directory.pathways[pid].outcomes[oid]
    services = list(
        dict.fromkeys(sid for cid in outcome.categories for sid in directory.services_by_category.get(cid, []))
    )
    wanted_categories, wanted_dispositifs = set(outcome.categories), set(outcome.dispositifs)
    permanences = [
        rid
        for rid, permanence in directory.permanences.items()
        if not directory.has_ended(rid)
        and (wanted_categories & set(permanence.categories) or wanted_dispositifs & set(permanence.dispositifs))
    ]
    return OutcomePlaces(
        services, {sid: n for n, sid in enumerate(services)}, permanences, {rid: n for n, rid in enumerate(permanences)}
    )


#: How easy it is to walk in: no appointment, an appointment advised, one required (or not said).
_WALK_IN = {AppointmentPolicy.NOT_NEEDED: 0, AppointmentPolicy.RECOMMENDED: 1, AppointmentPolicy.REQUIRED: 2}


def open_door_first(services: Mapping[str, Service], sids: list[str]) -> list[str]:
    """Free places first, and among each, those one can walk into without an appointment.

    A compulsory appointment or a bill is what keeps people far from care (the homeless, the
    exhausted carer) out: the places they can reach today come first. The sort is stable, so
    places of the commune itself stay before those that only serve it.
    """

    def rank(sid: str) -> tuple[int, int]:
        service = services[sid]
        policy = service.appointment.policy if service.appointment else None
        return (0 if Cost.FREE in service.cost else 1, _WALK_IN[policy] if policy else 2)

    return sorted(sids, key=rank)


def _outcome_order(ctx: RenderContext, sids: list[str]) -> list[str]:
    """Free places first, walk-in before appointment; then practices taking new patients first.

    The sorts are stable: each keeps the order of the one before among its equals.
    """
    services = ctx.directory.services
    ordered = _taking_first(ctx, open_door_first(services, sids))
    return sorted(ordered, key=lambda sid: Cost.FREE not in services[sid].cost)


def _taking_first(ctx: RenderContext, sids: list[str]) -> list[str]:
    # Practices that take new patients first: that is what someone without a doctor needs.
    services, today = ctx.directory.services, ctx.today
    return sorted(sids, key=lambda sid: v.new_patients_rank(services[sid], today))


def outcome_page(
    ctx: RenderContext, pid: str, oid: str, insee: str | None = None, places: OutcomePlaces | None = None
) -> Page:
    """Where a pathway ends; with a commune, the places that serve it come first.

    A commune's page looks only at the places of that commune (and their rank in
    `places`): the pages of all communes together stay in proportion to the territory.
    """
    directory, loc = ctx.directory, ctx.loc
    pathway = directory.pathways[pid]
    outcome = pathway.outcomes[oid]
    places = places or outcome_places(ctx, pid, oid)
    services, rank = places.services, places.service_rank
    if insee is not None:
        located = [sid for sid in directory.services_located_in.get(insee, []) if sid in rank]
        taken = set(located)
        near = located + sorted(
            (sid for sid in directory.services_serving.get(insee, []) if sid in rank and sid not in taken),
            key=rank.__getitem__,
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
        elsewhere = _outcome_order(ctx, [sid for sid in services if sid not in near_set])
    else:
        elsewhere = []
    near = _outcome_order(ctx, near)
    commune = directory.communes[insee] if insee else None
    slug = directory.commune_slugs[insee] if insee else None
    context = {
        **_pathway_context(ctx, pid, oid),
        "title": loc.text(outcome.title),
        "advice": loc.block(outcome.advice, under=1),
        "new_patients": new_patients_link(ctx, insee) if outcome.new_patients else None,
        "call": v.call_links(outcome.call, loc),
        "dispositifs": dispositif_list(ctx, outcome.dispositifs),
        "documents": [loc.text(d) for d in outcome.documents],
        "shows_places": bool(outcome.categories),
        "commune": html_text(commune.name) if commune else Markup(""),
        "all_communes": v.Link.to(loc.gettext("All communes"), routes.pathway_outcome(pid, oid)),
        "communes": [
            v.Link.to(html_text(c.name), routes.pathway_outcome(pid, oid, directory.commune_slugs[code]))
            for code, c in directory.communes.items()
        ]
        if insee is None
        else [],
        "near": by_category(ctx, near, keep_order=True),
        # With a commune chosen, the other places are a short list: each commune's page
        # would otherwise repeat every card of the territory. Beyond `CARD_LIMIT`, the
        # category pages list them: each of these pages stays the same size as the
        # territory grows.
        "elsewhere": by_category(ctx, elsewhere, keep_order=True) if insee is None and few else [],
        "elsewhere_links": [
            v.Link.to(
                loc.text(directory.services[sid].name),
                routes.service(sid),
                html_text(directory.communes[directory.services[sid].address.commune].name),
            )
            for sid in elsewhere
        ]
        if insee is not None and few
        else [],
        "kinds": [] if few else category_list(ctx, outcome.categories, with_page_only=True),
        "sessions": calendar.weeks(ctx, permanences, skip_empty=True),
        "weeks": PATTERN_WEEKS,
        "guides": v.guide_links(ctx, [*outcome.guides, *pathway.guides]),
    }
    return Page(
        path=routes.pathway_outcome(pid, oid, slug),
        template="pathway-outcome.html",
        title=loc.text(outcome.title),
        context=context,
        # The same outcome for each commune: one search result (the general page) is enough.
        searchable=insee is None,
        listen=listen.PATHWAY_OUTCOME,
    )


def pathway_pages(ctx: RenderContext) -> Iterator[Page]:
    """One page per question, per outcome, and per outcome and commune (where it shows places)."""
    for pid, pathway in ctx.directory.pathways.items():
        for qid in pathway.questions:
            yield ctx.page(question_page, pid, qid)
        for oid, outcome in pathway.outcomes.items():
            places = outcome_places(ctx, pid, oid)
            yield ctx.page(outcome_page, pid, oid, None, places)
            if outcome.categories:
                for insee in ctx.directory.communes:
                    yield ctx.page(outcome_page, pid, oid, insee, places)
