"""Who takes new patients: the practices of the territory, and of each commune, with each one's
answer and its date.

A resident without a médecin traitant, or a médiateur beside them, wants to know whom to call first:
the practices that said yes recently, then those whose answer is old or unknown (it may have changed),
and last, in a short list, those that said no. Practices are the places whose main category keeps
patients (`practice` or `regular_doctor` in taxonomy.yml); the kinds where one chooses one's médecin
traitant are one group, since the resident looks for a doctor, not for a kind of building; each other
kind (dentists...) is a group of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ... import routes
from ...records.freshness import NEW_PATIENTS_CURRENT_MONTHS
from ...records.models import NewPatients
from .. import views as v
from ..context import RenderContext
from ..localize import PhoneLink
from ..markup import html_text
from .base import CARD_LIMIT, Page

#: The answers listed among those a resident may call first (with their date, and their doubt when old).
TAKING = frozenset({NewPatients.ACCEPTING, NewPatients.LIMITED, NewPatients.WAITING_LIST})


@dataclass(frozen=True)
class Practice:
    link: v.Link  # its page
    kind: Markup  # its category, as residents know it: 'Maison de santé'
    where: Markup  # its commune
    answer: v.NewPatientsView | None
    phone: PhoneLink | None  # the first number: the one to call


@dataclass(frozen=True)
class Group:
    """One kind of practice: the médecins traitants together, or one other kind (dentists)."""

    title: Markup
    taking: list[Practice]  # a yes, some, or a waiting list: recent answers first
    unknown: list[Practice]  # no answer yet
    not_taking: list[Practice]  # a no, with its date

    @property
    def count(self) -> int:
        return len(self.taking) + len(self.unknown) + len(self.not_taking)


def practices(ctx: RenderContext) -> list[str]:
    """The services whose main category keeps patients, in the directory's order (by name)."""

    def find() -> list[str]:
        categories = ctx.directory.taxonomy.categories
        return [
            sid
            for sid, service in ctx.directory.services.items()
            if service.category in categories and categories[service.category].takes_patients
        ]

    return ctx.remember(("practices",), find)


def _practice(ctx: RenderContext, sid: str) -> Practice:
    def make() -> Practice:
        directory, loc = ctx.directory, ctx.loc
        service = directory.services[sid]
        return Practice(
            link=v.Link.to(loc.text(service.name), routes.service(sid)),
            kind=loc.text(directory.taxonomy.categories[service.category].label),
            where=html_text(directory.communes[service.address.commune].name),
            answer=v.new_patients(ctx, service),
            phone=loc.phone(service.phones[0].number) if service.phones else None,
        )

    return ctx.remember(("new patients entry", sid), make)


def groups(ctx: RenderContext, sids: list[str]) -> list[Group]:
    """The practices `sids` by kind, in the taxonomy's order, médecins traitants first; each group
    in the order a resident calls them (see `views.new_patients_rank`), `sids`' order otherwise."""
    directory, loc = ctx.directory, ctx.loc
    categories = directory.taxonomy.categories
    keys: dict[str, Markup] = {}
    if any(c.regular_doctor for c in categories.values()):
        keys[""] = loc.gettext("A regular doctor (médecin traitant)")
    for cid, category in categories.items():
        if category.takes_patients and not category.regular_doctor:
            keys[cid] = loc.text(category.label)
    members: dict[str, list[str]] = {key: [] for key in keys}
    for sid in sids:
        category = categories[directory.services[sid].category]
        members["" if category.regular_doctor else directory.services[sid].category].append(sid)
    found = []
    for key, title in keys.items():
        ranked = sorted(members[key], key=lambda sid: v.new_patients_rank(directory.services[sid], ctx.today))
        entries = [_practice(ctx, sid) for sid in ranked]
        group = Group(
            title,
            taking=[e for e in entries if e.answer and e.answer.status in TAKING],
            unknown=[e for e in entries if e.answer is None],
            not_taking=[e for e in entries if e.answer and e.answer.status is NewPatients.NOT_ACCEPTING],
        )
        if group.count:
            found.append(group)
    return found


def _pathways(ctx: RenderContext) -> list[v.Link]:
    """The situations that send residents here ("Je n'ai pas de médecin traitant"): this page links back."""
    return [
        v.Link.to(ctx.loc.text(pathway.label), routes.pathway_start(pid))
        for pid, pathway in ctx.directory.pathways.items()
        if any(outcome.new_patients for outcome in pathway.outcomes.values())
    ]


def new_patients_page(ctx: RenderContext, insee: str | None) -> Page:
    """The practices of the territory (None), or those serving a commune, and their answers.

    Beyond `CARD_LIMIT` practices, the territory's page lists its communes' pages instead: each
    page stays the size of a commune, however large the territory.
    """
    directory, loc = ctx.directory, ctx.loc
    all_practices = practices(ctx)
    if insee is None:
        title = loc.gettext("Who takes new patients?")
        by_communes = len(all_practices) > CARD_LIMIT
        shown = [] if by_communes else all_practices
        slug = None
    else:
        name = directory.communes[insee].name
        title = loc.gettext("Who takes new patients near %(commune)s?", commune=name)
        wanted = set(all_practices)
        located = [sid for sid in directory.services_located_in.get(insee, []) if sid in wanted]
        taken = set(located)
        # Those in the commune first: nearer, and each group keeps this order within a rank.
        shown = located + [s for s in directory.services_serving.get(insee, []) if s in wanted and s not in taken]
        by_communes = False
        slug = directory.commune_slugs[insee]
    return Page(
        path=routes.new_patients(slug),
        template="new-patients.html",
        title=title,
        context={
            "title": title,
            "as_of": loc.gettext("Answers as of %(date)s.", date=loc.date(ctx.today)),
            "months": NEW_PATIENTS_CURRENT_MONTHS,
            "groups": groups(ctx, shown),
            "by_communes": by_communes,
            "pathways": _pathways(ctx),
            "territory": None
            if insee is None
            else v.Link.to(loc.gettext("All the territory"), routes.new_patients(None)),
            "communes": [
                v.Link.to(html_text(commune.name), routes.new_patients(directory.commune_slugs[code]))
                for code, commune in directory.communes.items()
            ]
            if insee is None
            else [],
        },
        searchable=insee is None,  # a commune's page repeats entries of the territory's: one search result
    )


def new_patients_link(ctx: RenderContext, insee: str | None) -> v.Link | None:
    """The way to the page, from a commune's page, the home page or a pathway; None without practices."""
    if not practices(ctx):
        return None
    loc = ctx.loc
    if insee is None:
        return v.Link.to(loc.gettext("Who takes new patients?"), routes.new_patients(None))
    name = ctx.directory.communes[insee].name
    label = loc.gettext("Who takes new patients near %(commune)s?", commune=name)
    return v.Link.to(label, routes.new_patients(ctx.directory.commune_slugs[insee]))
