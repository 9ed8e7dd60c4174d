"""Views: the records of one page, already chosen, ordered and formatted.

Each function takes what it shows (and the `RenderContext` when it needs the
directory or the language) and returns plain data (text is `Markup`,
escaped, in the reader's language or marked as French), so that templates
only loop and lay out, and tests can check a page's content without
rendering it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from .. import routes
from ..i18n import N_
from ..i18n.labels import APPOINTMENT_LABELS, COST_LABELS, INTERPRETING_LABELS, NOTICE_LABELS, WHEELCHAIR_LABELS
from ..records.directory import Directory, Place, is_shown
from ..records.freshness import NEW_PATIENTS_CURRENT_MONTHS, is_current
from ..records.models import (
    Accessibility,
    AgeRange,
    Appointment,
    AppointmentPolicy,
    Cost,
    Interpreting,
    NewPatients,
    Notice,
    Permanence,
    Phone,
    Pictogram,
    Service,
    WheelchairAccess,
)
from ..records.schedule import (
    OPEN_END,
    PATTERN_WEEKS,
    UNKNOWN,
    Calendar,
    Session,
    end_of_day,
    pattern,
    remarks,
    sessions,
)
from ..records.types import LocalizedText
from .context import RenderContext
from .emergency import EMERGENCY_NUMBERS
from .hours import HoursView, hours_view
from .localize import Localizer, PhoneLink
from .markup import html_text
from .pictograms import pictogram

#: How many next sessions a permanence card or page shows.
NEXT_SESSIONS_SHOWN = 6


# --- small views -----------------------------------------------------------


NO_NOTE = Markup("")


@dataclass(frozen=True)
class Link:
    label: Markup
    href: Markup  # a page of the site, as '/services/x.md' (see `routes.href`)
    note: Markup = Markup("")

    @classmethod
    def to(cls, label: Markup, path: str, note: Markup = NO_NOTE) -> Link:
        """A link to the page at `path` (a `routes` path, like 'services/x.md')."""
        return cls(label, routes.href(path), note)


@dataclass(frozen=True)
class ExternalLink:
    label: Markup
    url: str


@dataclass(frozen=True)
class NoticeView:
    kind: str  # closure, changed_hours, message: a CSS class
    title: Markup
    period: Markup
    message: Markup
    hours: HoursView | None
    dates: list[Dated] = field(default_factory=list)
    until: int = 0  # Unix seconds: the page's script hides the notice after


@dataclass(frozen=True)
class PlaceView:
    name: Markup
    lines: list[Markup]  # the postal address, in French
    lines_attributes: Markup  # lang/dir of the address on pages in another language
    commune: Link
    openstreetmap: str
    directions: str
    host: Link | None
    neighbourhood: Markup | None = None  # the name of the neighbourhood of its commune it is in


@dataclass(frozen=True)
class NeighbourhoodView:
    """A neighbourhood on its commune's page: the records in it, and near its point when it has no outline."""

    name: Markup
    anchor: str
    priority: bool  # a QPV: the page says what that is
    inside: list[Link]
    near: list[Link]
    near_rule: Markup | None  # how "near" is measured, said on the page when `near` can be listed


@dataclass(frozen=True)
class Fact:
    """One labelled line of a record page: 'Rendez-vous : obligatoire'."""

    label: Markup
    value: Markup
    details: Markup = Markup("")
    icon: Markup = Markup("")  # a pictogram beside the label (aria-hidden), when the fact is one residents act on


def schedule_view(ctx: RenderContext, rule: str, *, closed_days: bool = False) -> HoursView | None:
    """A rule in words, or None when words cannot say it (then dates are listed)."""
    shape = pattern(rule, ctx.today, ctx.directory.calendar)
    return hours_view(shape, ctx.loc, closed_days=closed_days) if shape else None


def hours_notes(ctx: RenderContext, rule: str, calendar: Calendar) -> list[Markup]:
    """Beside dates listed one by one: what the dates cannot carry.

    The comments of uncertain openings (sure dates carry their own), that some
    openings are uncertain, and that sun times are computed for the place.
    """
    loc, today = ctx.loc, ctx.today
    found = remarks(rule, today, today + dt.timedelta(weeks=PATTERN_WEEKS), calendar)
    notes = [quoted(comment, loc) for comment in found.unlisted]
    if found.uncertain:
        notes.append(loc.gettext("Some openings are uncertain: call before you go."))
    if found.sun:
        notes.append(loc.gettext("The hours follow sunrise and sunset: the times are computed for this place."))
    return notes


def quoted(comment: str, loc: Localizer) -> Markup:
    """A rule's comment as written, in the language it was written in."""
    return Markup("<q{}>{}</q>").format(loc.source_attributes(), comment)


def session_times(session: Session, loc: Localizer) -> Markup:
    """'9 h – 12 h', with its doubt and the rule's comment: '17 h, fermeture variable (Sans rendez-vous)'."""
    start, end = session.start.time(), session.end.time()
    if session.state == OPEN_END:
        text = loc.gettext("from %(time)s, closing time varies", time=loc.time(start))
    elif session.state == UNKNOWN:
        text = loc.gettext("%(times)s, may be open: call before you go", times=loc.time_range(start, end))
    else:
        text = html_text(loc.time_range(start, end))
    if session.comment:
        text = loc.gettext("%(times)s (%(comment)s)", times=text, comment=quoted(session.comment, loc))
    return text


def session_text(session: Session, loc: Localizer) -> Markup:
    """'mardi 8 décembre 2026, 9 h – 12 h', with its doubt and comment."""
    return loc.gettext("%(day)s, %(times)s", day=loc.date(session.date), times=session_times(session, loc))


def permanence_notes(ctx: RenderContext, pid: str) -> list[Markup]:
    """What a permanence's listed dates cannot carry, when its hours have no words."""
    directory = ctx.directory
    permanence = directory.permanences[pid]
    if directory.has_ended(pid) or schedule_view(ctx, permanence.schedule) is not None:
        return []
    calendar = directory.calendar_at(directory.place_of_permanence(pid), permanence.schedule)
    return hours_notes(ctx, permanence.schedule, calendar)


def hours_summary(ctx: RenderContext, rule: str) -> Markup:
    view = schedule_view(ctx, rule)
    return view.summary if view else Markup("")


@dataclass(frozen=True)
class Dated:
    """A line true until `end` (Unix seconds): the page's script hides it after.

    A site built on Monday is read on Friday; what has passed by then goes.
    """

    text: Markup
    end: int


def session_lines(items: Sequence[Session], loc: Localizer, limit: int = NEXT_SESSIONS_SHOWN) -> list[Dated]:
    """Dates one by one, each with its doubt and comment; an uncertain one is true until its day ends."""
    return [Dated(session_text(s, loc), int(session_until(s).timestamp())) for s in items[:limit]]


def session_until(session: Session) -> dt.datetime:
    if session.state == OPEN_END:  # the closing time is not known: the whole day
        return dt.datetime.combine(session.date + dt.timedelta(days=1), dt.time(0), session.start.tzinfo)
    return session.end


def next_openings(directory: Directory, sid: str) -> list[Session]:
    """The openings a service page lists when its hours have no weekly pattern, uncertain ones included."""
    today = directory.today
    found = directory.service_sessions(sid, today, today + dt.timedelta(weeks=PATTERN_WEEKS), doubtful=True)
    return found[:NEXT_SESSIONS_SHOWN]


def notice_views(ctx: RenderContext, notices: Iterable[Notice], place: Place) -> list[NoticeView]:
    """The notices in force; changed hours that follow the sun are computed at the place."""
    titles = NOTICE_LABELS
    loc, today = ctx.loc, ctx.today
    views = []
    for notice in notices:
        if not is_shown(notice, today):
            continue
        hours = None
        dates: list[Dated] = []
        calendar = ctx.directory.calendar_at(place, notice.opening_hours)
        if notice.opening_hours:
            shape = pattern(notice.opening_hours, max(today, notice.start), calendar)
            if shape is not None:
                hours = hours_view(shape, loc)
            else:
                first = max(today, notice.start)
                last = min(notice.end, first + dt.timedelta(weeks=PATTERN_WEEKS))
                found = sessions(notice.opening_hours, first, last, calendar=calendar, doubtful=True)
                dates = session_lines(found, loc)
        views.append(
            NoticeView(
                kind=notice.kind.value.replace("_", "-"),
                title=loc.gettext(titles[notice.kind]),
                period=loc.gettext("From %(start)s to %(end)s", start=loc.date(notice.start), end=loc.date(notice.end))
                if notice.start != notice.end
                else loc.gettext("On %(date)s", date=loc.date(notice.start)),
                message=loc.text(notice.message),
                hours=hours,
                dates=dates,
                until=int(end_of_day(notice.end, calendar).timestamp()),
            )
        )
    return views


def openstreetmap_url(place: Place) -> str:
    """The place on openstreetmap.org, to 5 decimals (about a metre)."""
    return (
        f"https://www.openstreetmap.org/?mlat={place.latitude:.5f}&mlon={place.longitude:.5f}"
        f"#map=17/{place.latitude:.5f}/{place.longitude:.5f}"
    )


def place_view(
    ctx: RenderContext, place: Place, *, hosted: bool = False, neighbourhood: str | None = None
) -> PlaceView:
    """Where to go; `hosted` when the place is another service's (a permanence's host); `neighbourhood`:
    the code of the neighbourhood the record is in, if any."""
    directory, loc = ctx.directory, ctx.loc
    address = place.address
    commune = directory.communes[address.commune]
    lines = [html_text(address.street)]
    if address.additional:
        lines.append(html_text(address.additional))
    lines.append(html_text(f"{address.postcode} {commune.name}"))
    host = None
    if hosted and place.service_id is not None:
        host = Link.to(loc.text(place.name), routes.service(place.service_id))
    return PlaceView(
        name=loc.text(place.name),
        lines=lines,
        lines_attributes=loc.source_attributes(),
        commune=Link.to(html_text(commune.name), routes.commune(directory.commune_slugs[commune.insee])),
        openstreetmap=openstreetmap_url(place),
        directions=f"https://www.openstreetmap.org/directions?route=%3B{place.latitude:.5f}%2C{place.longitude:.5f}",
        host=host,
        neighbourhood=loc.source_text(directory.neighbourhoods[neighbourhood].neighbourhood.name)
        if neighbourhood is not None and neighbourhood in directory.neighbourhoods
        else None,
    )


def _with_link(details: Markup, url: str | None, label: Markup) -> Markup:
    """Details of a fact, followed by an external link when there is one."""
    if not url:
        return details
    link = Markup('<a href="{url}">{label}</a>').format(url=html_text(url), label=label)
    return Markup(f"{details} {link}") if details else link


def appointment_fact(appointment: Appointment | None, loc: Localizer) -> Fact | None:
    if appointment is None:
        return None
    details = _with_link(loc.text(appointment.details), appointment.url, loc.gettext("Book online"))
    drawn = Pictogram.NO_APPOINTMENT if appointment.policy is AppointmentPolicy.NOT_NEEDED else Pictogram.APPOINTMENT
    return Fact(
        loc.gettext("Appointment"), loc.gettext(APPOINTMENT_LABELS[appointment.policy]), details, pictogram(drawn)
    )


def cost_fact(costs: Sequence[Cost], details: LocalizedText | None, loc: Localizer) -> Fact | None:
    if not costs and details is None:
        return None
    value = loc.join(loc.gettext(COST_LABELS[c]) for c in costs) if costs else Markup("")
    return Fact(
        loc.gettext("Cost"), value, loc.text(details), pictogram(Pictogram.FREE if Cost.FREE in costs else None)
    )


def publics_fact(ctx: RenderContext, publics: Sequence[str], age: AgeRange | None) -> Fact:
    loc = ctx.loc
    names = [loc.text(ctx.directory.taxonomy.publics[p].label) for p in publics]
    value = loc.join(names) if names else loc.gettext("Everyone")
    ages = Markup("")
    if age is not None:
        if age.min is not None and age.max is not None:
            ages = loc.gettext("Ages %(min)s to %(max)s.", min=age.min, max=age.max)
        elif age.min is not None:
            ages = loc.gettext("From age %(min)s.", min=age.min)
        else:
            ages = loc.gettext("Up to age %(max)s.", max=age.max)
    return Fact(loc.gettext("For whom"), value, ages)


def languages_fact(languages: Sequence[str], interpreting: Sequence[Interpreting], loc: Localizer) -> Fact | None:
    if not languages and not interpreting:
        return None
    spoken = loc.join(loc.language_name(code) for code in languages)
    details = Markup("")
    if interpreting:
        details = loc.gettext(
            "Interpreting: %(kinds)s.", kinds=loc.join(loc.gettext(INTERPRETING_LABELS[i]) for i in interpreting)
        )
    return Fact(
        loc.gettext("Languages spoken"), spoken, details, pictogram(Pictogram.INTERPRETER if interpreting else None)
    )


def accessibility_fact(accessibility: Accessibility | None, loc: Localizer) -> Fact | None:
    if accessibility is None:
        return None
    value = loc.gettext(WHEELCHAIR_LABELS[accessibility.wheelchair]) if accessibility.wheelchair else Markup("")
    details = _with_link(
        loc.text(accessibility.details), accessibility.acceslibre, loc.gettext("Details on acceslibre")
    )
    # No wheelchair drawn beside "not accessible": a reader scanning the drawings would take it for a yes.
    wheelchair = accessibility.wheelchair in (WheelchairAccess.FULL, WheelchairAccess.PARTIAL)
    return Fact(loc.gettext("Access"), value, details, pictogram(Pictogram.WHEELCHAIR if wheelchair else None))


def emergency_numbers(loc: Localizer) -> list[tuple[str, str, Markup]]:
    """The numbers to call in an emergency: number, link, what for."""
    return [(e.number, e.href, loc.gettext(e.label)) for e in EMERGENCY_NUMBERS]


def phone_links(phones: Iterable[Phone], loc: Localizer) -> list[tuple[Markup, PhoneLink]]:
    return [(loc.text(p.label), loc.phone(p.number)) for p in phones]


def badges_for(record: Service | Permanence, loc: Localizer) -> list[Markup]:
    """Short tags shown on cards: the answers residents look for first."""
    badges = []
    if Cost.FREE in record.cost:
        badges.append(loc.gettext("Free"))
    elif Cost.TIERS_PAYANT in record.cost:
        badges.append(loc.gettext("Nothing to pay upfront"))
    if record.appointment and record.appointment.policy is AppointmentPolicy.NOT_NEEDED:
        badges.append(loc.gettext("No appointment"))
    if record.interpreting:
        badges.append(loc.gettext("Interpreting"))
    if (
        isinstance(record, Service)
        and record.accessibility
        and record.accessibility.wheelchair is WheelchairAccess.FULL
    ):
        badges.append(loc.gettext("Wheelchair access"))
    return badges


#: What a practice says about new patients: for a médecin traitant, and for any other practice (a dentist).
NEW_PATIENTS_SAID = {
    True: {
        NewPatients.ACCEPTING: N_("Accepts new patients looking for a regular doctor (médecin traitant)."),
        NewPatients.LIMITED: N_("Takes some new patients looking for a regular doctor (médecin traitant)."),
        NewPatients.WAITING_LIST: N_(
            "Has a waiting list for new patients looking for a regular doctor (médecin traitant)."
        ),
        NewPatients.NOT_ACCEPTING: N_(
            "Does not accept new patients looking for a regular doctor (médecin traitant) at the moment."
        ),
    },
    False: {
        NewPatients.ACCEPTING: N_("Takes new patients."),
        NewPatients.LIMITED: N_("Takes some new patients."),
        NewPatients.WAITING_LIST: N_("Has a waiting list for new patients."),
        NewPatients.NOT_ACCEPTING: N_("Does not take new patients at the moment."),
    },
}


@dataclass(frozen=True)
class NewPatientsView:
    """A practice's answer about new patients: what, for whom, when, and whether it is still sure."""

    said: Markup  # 'Prend de nouveaux patients.'
    detail: Markup  # 'Seulement les enfants.', or nothing
    date: Markup  # 'Vérifié le 2 novembre 2026.', or the doubt of an old answer
    to_check: Markup  # 'À vérifier', on an old answer only
    status: NewPatients
    current: bool

    @property
    def line(self) -> Markup:
        """All of it in one paragraph, for cards and the record's page."""
        parts = [self.said, self.detail, Markup("<strong>%s</strong>") % self.to_check if self.to_check else None]
        return Markup(" ").join(part for part in (*parts, self.date) if part)


def new_patients(ctx: RenderContext, service: Service) -> NewPatientsView | None:
    """What the page says of a practice's new patients; None where its category keeps no patients."""
    category = ctx.directory.taxonomy.categories.get(service.category)
    answer = service.accepts_new_patients
    if not category or not category.takes_patients or answer is None:
        return None
    loc = ctx.loc
    current = is_current(answer.checked, ctx.today)
    day = loc.date(answer.checked)
    return NewPatientsView(
        said=loc.gettext(NEW_PATIENTS_SAID[category.regular_doctor][answer.status]),
        detail=loc.text(answer.detail),  # a short sentence, as the README asks: "Seulement les enfants."
        date=(
            loc.gettext("Checked on %(date)s.", date=day)
            if current
            else loc.gettext(
                "Said on %(date)s, more than %(months)s months ago: it may have changed. Call to ask.",
                date=day,
                months=NEW_PATIENTS_CURRENT_MONTHS,
            )
        ),
        to_check=Markup("") if current else loc.gettext("To be checked:"),
        status=answer.status,
        current=current,
    )


#: Where a practice comes in a list for someone looking for one: a recent yes first, a recent no last;
#: an old answer or none between, since it may have changed.
_RANK_CURRENT = {
    NewPatients.ACCEPTING: 0,
    NewPatients.LIMITED: 1,
    NewPatients.WAITING_LIST: 2,
    NewPatients.NOT_ACCEPTING: 6,
}
_RANK_OLD = {
    NewPatients.ACCEPTING: 3,
    NewPatients.LIMITED: 3,
    NewPatients.WAITING_LIST: 4,
    NewPatients.NOT_ACCEPTING: 5,
}
RANK_UNKNOWN = 4


def new_patients_rank(service: Service, today: dt.date) -> int:
    answer = service.accepts_new_patients
    if answer is None:
        return RANK_UNKNOWN
    return (_RANK_CURRENT if is_current(answer.checked, today) else _RANK_OLD)[answer.status]


def new_patients_line(ctx: RenderContext, service: Service) -> Markup:
    found = new_patients(ctx, service)
    return found.line if found else Markup("")


#: How many next dates a card carries: the first that has not passed is shown.
CARD_SESSIONS = 3
#: How many days of openings a page carries for "open now".
OPEN_NOW_DAYS = 14


def next_sessions(ctx: RenderContext, pid: str) -> list[Dated]:
    """'Prochaine : mardi 8 décembre 2026, 9 h – 12 h', and the two after, for a card."""
    return [
        Dated(ctx.loc.gettext("Next: %(when)s", when=line.text), line.end)
        for line in session_lines(ctx.directory.listed_sessions.get(pid, []), ctx.loc, CARD_SESSIONS)
    ]


def no_session_line(loc: Localizer) -> Markup:
    return loc.ngettext("No date in the next %(n)s week.", "No date in the next %(n)s weeks.", PATTERN_WEEKS)


def open_intervals(items: Sequence[Session], since: dt.datetime) -> str:
    """Openings as the page's script reads them, in minutes: when the page's
    knowledge starts (the build day's midnight), the gap to the first opening,
    then the length of each opening and of each gap.

    The script says nothing before `since`: a page read before the day it was
    built for (a preview) knows nothing of the days in between.
    'Mo-Fr 09:00-12:00' for two weeks takes some forty short numbers.
    """
    if not items:
        return ""
    origin = int(since.timestamp()) // 60
    numbers = [origin]
    previous_end = origin
    for session in items:
        start, end = int(session.start.timestamp()) // 60, int(session.end.timestamp()) // 60
        numbers += [start - previous_end, end - start]
        previous_end = end
    return " ".join(str(n) for n in numbers)


def service_openings(directory: Directory, sid: str) -> str:
    """The coming openings of a service, for "open now"; '' when it gives no hours."""
    start = directory.today
    since = dt.datetime.combine(start, dt.time(), directory.calendar.tz)
    return open_intervals(directory.service_sessions(sid, start, start + dt.timedelta(days=OPEN_NOW_DAYS)), since)


# --- pathways ----------------------------------------------------------------


def pathway_node(directory: Directory, pid: str, node: str) -> str:
    """The page of a pathway's question or outcome (its start is the pathway's own page)."""
    pathway = directory.pathways[pid]
    if node == pathway.start:
        return routes.pathway_start(pid)
    if node in pathway.questions:
        return routes.pathway_question(pid, node)
    return routes.pathway_outcome(pid, node)


@dataclass(frozen=True)
class Crumb:
    question: Markup
    answer: Markup
    href: Markup  # the question's page, to answer it again


def crumbs(ctx: RenderContext, pid: str, node: str) -> list[Crumb]:
    """The answers given so far, when the node has one way in."""
    directory, loc = ctx.directory, ctx.loc
    pathway = directory.pathways[pid]
    return [
        Crumb(
            loc.text(pathway.questions[qid].question),
            loc.text(pathway.questions[qid].answers[index].label),
            routes.href(pathway_node(directory, pid, qid)),
        )
        for qid, index in directory.answers_to(pid, node)
    ]


def back_link(ctx: RenderContext, pid: str, node: str) -> Link | None:
    """The previous question, when there is one way in (else: start again is enough)."""
    ways = ctx.directory.ways_in.get(pid, {}).get(node, [])
    if len(ways) != 1:
        return None
    return Link.to(ctx.loc.gettext("Back"), pathway_node(ctx.directory, pid, ways[0][0]))


def guide_links(ctx: RenderContext, ids: Iterable[str]) -> list[Link]:
    links = []
    for gid in dict.fromkeys(ids):
        guide = ctx.guides.get(gid)
        if guide is not None:
            # A guide not translated yet keeps its French title, marked as such.
            title = LocalizedText({"fr": guide.title, guide.language: guide.title})
            links.append(Link.to(ctx.loc.text(title), routes.guide(gid)))
    return links


def call_links(numbers: Iterable[str], loc: Localizer) -> list[PhoneLink]:
    return [loc.phone(number) for number in numbers]
