"""A record as residents read it, in plain text: what a campaign shows the structure.

Made from the very views of the record pages (`render/views.py`, `render/hours.py`,
the labels of `i18n/labels.py`, the headings of the page templates), in French,
then stripped of their HTML: the structure reads the same words as residents do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from .. import routes
from ..records.models import Dispositif, Permanence, Professional, Service
from ..records.verification import Target
from ..render import views as v
from ..render.context import RenderContext
from ..render.pages.records import permanence_period


def plain(markup: Markup | str) -> str:
    """Text of a view without its HTML: tags dropped, entities read, spaces collapsed."""
    return Markup(markup).striptags() if isinstance(markup, Markup) else " ".join(markup.split())


@dataclass(frozen=True)
class Part:
    """One heading of the page and its lines."""

    title: str
    lines: list[str]


@dataclass(frozen=True)
class Reading:
    """One record as its page shows it, in plain French."""

    kind: str  # 'services'
    rid: str
    kind_label: str  # 'Lieu', 'Permanence', 'Dispositif'
    name: str
    organization: str
    phones: list[str]  # 'Accueil : 01 99 00 18 00'
    parts: list[Part]
    url: str  # the page on the published site; '' without site_url
    verified: dt.date
    verified_text: str  # '29 septembre 2026'
    file: str  # 'services/ccas-redon.yml'

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.rid}"


#: What each kind of record is called in the messages (French: the messages are French).
KIND_LABELS = {"services": "Lieu", "permanences": "Permanence", "dispositifs": "Dispositif local"}


def _lines(*items: Markup | str | None) -> list[str]:
    return [text for item in items if item and (text := plain(item))]


def _facts(facts: list[v.Fact | None]) -> list[str]:
    lines = []
    for fact in facts:
        if fact is None:
            continue
        value, details = plain(fact.value), plain(fact.details)
        if value and details:  # two parts of the page's line, as two sentences
            value += " " if value[-1] in ".!?:" else ". "
        lines.append(f"{plain(fact.label)} : {value}{details}")
    return lines


def _place(ctx: RenderContext, place: v.PlaceView) -> list[str]:
    return _lines(place.name, ", ".join(plain(line) for line in place.lines))


def _new_patients(ctx: RenderContext, service: Service) -> list[Part]:
    """For a practice, its answer about new patients and the question to confirm it: it changes often."""
    category = ctx.directory.taxonomy.categories.get(service.category)
    if category is None or not category.takes_patients:
        return []
    said = _lines(v.new_patients_line(ctx, service)) or ["Le portail ne dit pas si vous prenez de nouveaux patients."]
    question = (
        "Prenez-vous de nouveaux patients aujourd'hui ? Tous, certains (lesquels ?), sur liste d'attente, ou aucun ?"
    )
    return [Part("Nouveaux patients", [*said, question])]


def _professional(ctx: RenderContext, part: Professional | None) -> list[Part]:
    """The record's part for professionals, and the question to confirm it: partners refer people
    with it, and the public never sees it, so no resident reports it out of date."""
    if part is None:
        return []
    loc = ctx.loc
    labels = {network.id: network.label for network in ctx.directory.territory.networks}
    networks = ", ".join(plain(loc.text(labels[nid])) for nid in part.networks if nid in labels)
    facts = [
        (loc.gettext("Ask for"), loc.text(part.ask_for)),
        (loc.gettext("Line for professionals"), loc.phone(part.phone).display if part.phone else None),
        (loc.gettext("E-mail for professionals"), part.email),
        (loc.gettext("Usual delay"), loc.text(part.delay)),
        (loc.gettext("Referral form"), part.referral_form),
        (loc.gettext("Networks"), networks),
    ]
    lines = [f"{plain(label)} : {plain(value)}" for label, value in facts if value and plain(value)]
    lines += [f"{plain(loc.gettext('How to refer someone'))} : {line}" for line in loc.block_lines(part.referral)]
    lines += [f"{plain(loc.gettext('Notes for partners'))} : {line}" for line in loc.block_lines(part.notes)]
    question = (
        "Ces informations, montrées seulement aux professionnels qui orientent quelqu'un vers vous, "
        "sont-elles à jour ? Corrigez ce qui a changé."
    )
    return [Part(plain(loc.gettext("For professionals")), [*lines, question])]


def _service(ctx: RenderContext, sid: str) -> tuple[Service, list[Part]]:
    loc, service = ctx.loc, ctx.directory.services[sid]
    if service.opening_hours:
        hours = _hours_or_openings(ctx, sid, service.opening_hours)
    else:
        hours = [plain(loc.gettext("No opening hours given: call before you go."))]
    contact = _place(ctx, v.place_view(ctx, ctx.directory.place_of_service(sid)))
    contact += [f"E-mail : {service.email}"] if service.email else []
    contact += [f"Site : {service.website}"] if service.website else []
    facts = _facts(
        [
            v.appointment_fact(service.appointment, loc),
            v.cost_fact(service.cost, service.cost_details, loc),
            v.publics_fact(ctx, service.publics, service.age),
            v.languages_fact(service.languages, service.interpreting, loc),
            v.accessibility_fact(service.accessibility, loc),
        ]
    )
    parts = [
        Part(plain(loc.gettext("Address and contact")), contact),
        Part(plain(loc.gettext("Opening hours")), hours),
        *_new_patients(ctx, service),
        Part(plain(loc.gettext("What it offers")), _lines(loc.text(service.summary)) + facts),
        Part(plain(loc.gettext("Conditions")), loc.block_lines(service.conditions)),
        Part(plain(loc.gettext("What to bring")), [plain(loc.text(d)) for d in service.documents]),
        Part("Description", loc.block_lines(service.description)),
        *_professional(ctx, service.professional),
    ]
    return service, parts


def _hours_or_openings(ctx: RenderContext, sid: str, rule: str) -> list[str]:
    view = v.schedule_view(ctx, rule, closed_days=True)
    if view is not None:
        return [f"{plain(row.days)} : {plain(row.times)}" for row in view.rows] + _lines(view.holidays)
    openings = v.session_lines(v.next_openings(ctx.directory, sid), ctx.loc)
    place = ctx.directory.place_of_service(sid)
    notes = v.hours_notes(ctx, rule, ctx.directory.calendar_at(place, rule))
    return [plain(ctx.loc.gettext("Next openings:"))] + [plain(line.text) for line in openings] + _lines(*notes)


def _permanence(ctx: RenderContext, pid: str) -> tuple[Permanence, list[Part]]:
    loc, directory = ctx.loc, ctx.directory
    permanence = directory.permanences[pid]
    holder = permanence.held_by
    held_by = directory.services[holder.service].name if holder.service else holder.organization
    view = v.schedule_view(ctx, permanence.schedule)
    schedule = [f"{plain(row.days)} : {plain(row.times)}" for row in view.rows] + _lines(view.holidays) if view else []
    next_dates = [plain(line.text) for line in v.session_lines(directory.listed_sessions.get(pid, []), loc)]
    next_dates += _lines(*v.permanence_notes(ctx, pid))
    facts = _facts(
        [
            v.appointment_fact(permanence.appointment, loc),
            v.cost_fact(permanence.cost, permanence.cost_details, loc),
            v.publics_fact(ctx, permanence.publics, None),
            v.languages_fact(permanence.languages, permanence.interpreting, loc),
        ]
    )
    where = _place(ctx, v.place_view(ctx, directory.place_of_permanence(pid), hosted=True))
    where += [f"E-mail : {permanence.email}"] if permanence.email else []
    parts = [
        Part(plain(loc.gettext("Held by")), _lines(loc.text(held_by))),
        Part(plain(loc.gettext("Where")), where),
        Part(plain(loc.gettext("Usual schedule")), schedule + _lines(permanence_period(ctx, pid))),
        Part(plain(loc.gettext("Next dates")), next_dates),
        Part(plain(loc.gettext("What for")), loc.block_lines(permanence.description) + facts),
        *_professional(ctx, permanence.professional),
    ]
    return permanence, parts


def _dispositif(ctx: RenderContext, did: str) -> tuple[Dispositif, list[Part]]:
    loc, dispositif = ctx.loc, ctx.directory.dispositifs[did]
    parts = [
        Part(
            plain(loc.gettext("What is it?")),
            _lines(loc.text(dispositif.summary)) + loc.block_lines(dispositif.benefits),
        ),
        Part(plain(loc.gettext("Who is it for?")), loc.block_lines(dispositif.eligibility)),
        Part(plain(loc.gettext("How to apply")), [plain(loc.text(step)) for step in dispositif.steps]),
        Part(plain(loc.gettext("Documents to prepare")), [plain(loc.text(d)) for d in dispositif.documents]),
        Part(plain(loc.gettext("What it costs")), loc.block_lines(dispositif.cost)),
        Part(
            plain(loc.gettext("Official information")),
            [f"{plain(loc.text(link.title))} : {link.url}" for link in dispositif.links],
        ),
    ]
    return dispositif, parts


def reading(ctx: RenderContext, target: Target) -> Reading:
    """The record of `target` as its page shows it; `ctx` is a French context."""
    loc, directory = ctx.loc, ctx.directory
    record: Service | Permanence | Dispositif
    if target.kind == "services":
        record, parts = _service(ctx, target.rid)
        path, organization = routes.service(target.rid), plain(loc.text(record.organization))
    elif target.kind == "permanences":
        record, parts = _permanence(ctx, target.rid)
        path, organization = routes.permanence(target.rid), ""
    else:
        record, parts = _dispositif(ctx, target.rid)
        path, organization = routes.dispositif(target.rid), ""
    phones = (
        [
            f"{plain(label)} : {phone.display}" if label else phone.display
            for label, phone in v.phone_links(record.phones, loc)
        ]
        if not isinstance(record, Dispositif)
        else []
    )
    return Reading(
        kind=target.kind,
        rid=target.rid,
        kind_label=KIND_LABELS[target.kind],
        name=plain(loc.text(record.name)),
        organization=organization,
        phones=phones,
        parts=[part for part in parts if part.lines],
        url=routes.public_url(ctx.site.url, loc.language, path),
        verified=record.verified,
        verified_text=loc.date(record.verified),
        file=directory.files.get((target.kind, target.rid), f"{target.kind}/{target.rid}.yml"),
    )
