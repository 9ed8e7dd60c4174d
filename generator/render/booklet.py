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

from ..records.directory import Directory
from . import calendar
from . import views as v
from .hours import HoursRow
from .localize import Localizer, PhoneLink
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


@dataclass(frozen=True)
class Situation:
    """A pathway's situation and what it can lead to."""

    link: v.Link
    outcomes: list[Markup]
    call: list[PhoneLink]


def _service_entry(directory: Directory, sid: str, loc: Localizer) -> Entry:
    service = directory.services[sid]
    view = v.schedule_view(directory, service.opening_hours, loc) if service.opening_hours else None
    facts = [v.appointment_fact(service.appointment, loc), v.cost_fact(service.cost, None, loc)]
    return Entry(
        link=v.Link(loc.text(service.name), v.service_path(sid)),
        summary=loc.text(service.summary),
        place=v.place_view(directory, directory.place_of_service(sid), loc),
        phones=v.phone_links(service.phones, loc),
        hours=view.rows if view else [],
        facts=[f for f in facts if f is not None],
    )


def _dispositif_entry(directory: Directory, did: str, loc: Localizer) -> Entry:
    dispositif = directory.dispositifs[did]
    return Entry(
        link=v.Link(loc.text(dispositif.name), v.dispositif_path(did)),
        summary=loc.text(dispositif.summary),
        steps=[loc.text(step) for step in dispositif.steps],
    )


def _situations(directory: Directory, loc: Localizer) -> list[Situation]:
    pathways = sorted(directory.pathways.items(), key=lambda item: (item[1].order, item[0]))
    situations = []
    for pid, pathway in pathways:
        calls = {number for outcome in pathway.outcomes.values() for number in outcome.call}
        situations.append(
            Situation(
                link=v.Link(loc.text(pathway.label), v.pathway_node_path(directory, pid, pathway.start)),
                outcomes=[loc.text(outcome.title) for outcome in pathway.outcomes.values()],
                call=[loc.phone(number) for number in sorted(calls)],
            )
        )
    return situations


def booklet_context(directory: Directory, insee: str, loc: Localizer) -> dict[str, Any]:
    """What the booklet of commune `insee` shows, in `loc`'s language."""
    commune = directory.communes[insee]
    located = directory.located_in.get(insee, [])
    serving = located + [sid for sid in directory.serving.get(insee, []) if sid not in located]
    by_category: dict[str, list[Entry]] = {}
    for cid in directory.taxonomy.categories:  # the taxonomy's order
        sids = [sid for sid in serving if directory.services[sid].category == cid]
        if sids:
            by_category[cid] = [_service_entry(directory, sid, loc) for sid in sids]
    pids = directory.permanences_serving.get(insee, [])
    weeks = calendar.weeks(directory, pids, loc, skip_empty=True)
    return {
        "name": html_text(commune.name),
        "emergency": v.emergency_numbers(loc),
        "situations": _situations(directory, loc),
        "places": [
            (loc.text(directory.taxonomy.categories[cid].label), entries) for cid, entries in by_category.items()
        ],
        "calendar": weeks,
        "sessions": calendar.session_count(weeks),
        "weeks": v.PATTERN_WEEKS,
        "dispositifs": [_dispositif_entry(directory, did, loc) for did in directory.dispositifs],
        "as_of": loc.date(directory.today),
        "commune_page": v.Link(html_text(commune.name), v.commune_path(directory.commune_slugs[insee])),
    }
