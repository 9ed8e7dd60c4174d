"""The commune booklet ("livret"): one printable page with what a resident of a
commune needs, to hand over on paper.

Emergency numbers, the situations of the pathways and what they lead to, the
places that serve the commune by kind, the drop-in sessions of the coming weeks,
and the health rights. Each entry is short and whole: the stylesheet keeps it
on one sheet of paper (page breaks fall between entries).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import routes
from ..records.schedule import PATTERN_WEEKS
from . import calendar
from . import views as v
from .context import RenderContext
from .hours import HoursRow
from .localize import PhoneLink
from .markup import html_text


@dataclass(frozen=True)
class Entry:
    """A place or a right, as a booklet prints it: enough to go there or call."""

    link: v.Link
    summary: Markup
    place: v.PlaceView | None = None
    phones: list[tuple[Markup, PhoneLink]] | None = None
    hours: list[HoursRow] | None = None
    facts: list[v.Fact] | None = None
    steps: list[Markup] | None = None  # how to apply, for a right
    notes: list[Markup] | None = None  # beside dates listed one by one: comments and doubts


@dataclass(frozen=True)
class Situation:
    """A pathway's situation and what it can lead to."""

    link: v.Link
    outcomes: list[Markup]
    call: list[PhoneLink]


def _service_entry(ctx: RenderContext, sid: str) -> Entry:
    loc = ctx.loc
    service = ctx.directory.services[sid]
    view = v.schedule_view(ctx, service.opening_hours) if service.opening_hours else None
    facts = [v.appointment_fact(service.appointment, loc), v.cost_fact(service.cost, None, loc)]
    hours, notes = view.rows if view else [], []
    if service.opening_hours and view is None:
        # no words for these hours: the next openings by date, with what dates cannot carry
        directory = ctx.directory
        hours = [
            HoursRow(html_text(loc.date(s.date)), v.session_times(s, loc)) for s in v.next_openings(directory, sid)
        ]
        place = directory.place_of_service(sid)
        notes = v.hours_notes(ctx, service.opening_hours, directory.calendar_at(place, service.opening_hours))
    return Entry(
        link=v.Link.to(loc.text(service.name), routes.service(sid)),
        summary=loc.text(service.summary),
        place=v.place_view(ctx, ctx.directory.place_of_service(sid)),
        phones=v.phone_links(service.phones, loc),
        hours=hours,
        facts=[f for f in facts if f is not None],
        notes=notes,
    )


def _dispositif_entry(ctx: RenderContext, did: str) -> Entry:
    loc = ctx.loc
    dispositif = ctx.directory.dispositifs[did]
    return Entry(
        link=v.Link.to(loc.text(dispositif.name), routes.dispositif(did)),
        summary=loc.text(dispositif.summary),
        steps=[loc.text(step) for step in dispositif.steps],
    )


def _situations(ctx: RenderContext) -> list[Situation]:
    directory, loc = ctx.directory, ctx.loc
    pathways = sorted(directory.pathways.items(), key=lambda item: (item[1].order, item[0]))
    situations = []
    for pid, pathway in pathways:
        calls = {number for outcome in pathway.outcomes.values() for number in outcome.call}
        situations.append(
            Situation(
                link=v.Link.to(loc.text(pathway.label), routes.pathway_start(pid)),
                outcomes=[loc.text(outcome.title) for outcome in pathway.outcomes.values()],
                call=[loc.phone(number) for number in sorted(calls)],
            )
        )
    return situations


def booklet_context(ctx: RenderContext, insee: str) -> dict[str, Any]:
    """What the booklet of commune `insee` shows."""
    directory, loc = ctx.directory, ctx.loc
    commune = directory.communes[insee]
    located = directory.services_located_in.get(insee, [])
    serving = located + [sid for sid in directory.services_serving.get(insee, []) if sid not in located]
    by_category: dict[str, list[Entry]] = {}
    for cid in directory.taxonomy.categories:  # the taxonomy's order
        sids = [sid for sid in serving if directory.services[sid].category == cid]
        if sids:
            by_category[cid] = [_service_entry(ctx, sid) for sid in sids]
    pids = directory.permanences_serving.get(insee, [])
    weeks = calendar.weeks(ctx, pids, skip_empty=True)
    return {
        "name": html_text(commune.name),
        "emergency": v.emergency_numbers(loc),
        "situations": _situations(ctx),
        "places": [
            (loc.text(directory.taxonomy.categories[cid].label), entries) for cid, entries in by_category.items()
        ],
        "calendar": weeks,
        "sessions": calendar.session_count(weeks),
        "weeks": PATTERN_WEEKS,
        "dispositifs": [_dispositif_entry(ctx, did) for did in directory.dispositifs],
        "as_of": loc.date(directory.today),
        "commune_page": v.Link.to(html_text(commune.name), routes.commune(directory.commune_slugs[insee])),
    }
