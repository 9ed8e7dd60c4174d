"""The validated records as one model, with the indexes the pages need.

Built once per build from `validate.Records`; nothing here reads files. The
indexes answer the questions the index pages ask: which services are in a
category, which serve a commune, who helps with a dispositif.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from ..transport.feed import Feed
from .models import (
    Address,
    Commune,
    Dispositif,
    Notice,
    NoticeKind,
    Pathway,
    Permanence,
    Service,
    Taxonomy,
    Territory,
)
from .schedule import CALENDARS, Calendar, Override, Session, follows_sun, sessions
from .types import RESERVED_IDS, LocalizedText, ServiceArea, slugify
from .validate import Records

#: How far ahead the next sessions of a permanence are computed.
UPCOMING_WEEKS = 8


@dataclass(frozen=True)
class Place:
    """Where something happens: a name, an address and a point."""

    name: LocalizedText | None
    address: Address
    latitude: float
    longitude: float
    service_id: str | None = None


def overrides(notices: Iterable[Notice]) -> list[Override]:
    """The closures and changed hours of a record's notices, for the schedule."""
    result = []
    for notice in notices:
        if notice.kind is NoticeKind.CLOSURE:
            result.append(Override(notice.start, notice.end))
        elif notice.kind is NoticeKind.CHANGED_HOURS:
            result.append(Override(notice.start, notice.end, notice.opening_hours))
    return result


def is_shown(notice: Notice, today: dt.date) -> bool:
    """Temporary information is shown only while it applies (or is announced)."""
    return (notice.show_from or notice.start) <= today <= notice.end


@dataclass(frozen=True)
class Directory:
    """The records of a territory, sorted, with the indexes the pages and exports need.

    Made by `build_directory` and never changed after: every page reads the same one.
    Index names say what they hold: `services_*` lists service ids, `permanences_*`
    permanence ids, in the order of the records.
    """

    territory: Territory
    taxonomy: Taxonomy
    services: Mapping[str, Service]
    permanences: Mapping[str, Permanence]
    dispositifs: Mapping[str, Dispositif]
    pathways: Mapping[str, Pathway]
    today: dt.date
    calendar: Calendar = field(default_factory=Calendar)
    #: The communes by INSEE code, in the order of their names.
    communes: Mapping[str, Commune] = field(default_factory=dict)
    #: The public-transport feeds of ``directory/transport/`` ("Comment y aller").
    feeds: tuple[Feed, ...] = ()
    #: Each commune's page name (communes/<slug>), by INSEE code.
    commune_slugs: Mapping[str, str] = field(default_factory=dict)
    #: By category id: the services in it (main or other category), the permanences in it.
    services_by_category: Mapping[str, list[str]] = field(default_factory=dict)
    permanences_by_category: Mapping[str, list[str]] = field(default_factory=dict)
    #: By INSEE code: the services located in the commune.
    services_located_in: Mapping[str, list[str]] = field(default_factory=dict)
    #: By INSEE code: the services and permanences that serve the commune (located there or not).
    services_serving: Mapping[str, list[str]] = field(default_factory=dict)
    permanences_serving: Mapping[str, list[str]] = field(default_factory=dict)
    #: By dispositif id: the services and permanences that help with it.
    services_helping: Mapping[str, list[str]] = field(default_factory=dict)
    permanences_helping: Mapping[str, list[str]] = field(default_factory=dict)
    #: By service id: the permanences it holds or hosts.
    permanences_of_service: Mapping[str, list[str]] = field(default_factory=dict)
    #: By permanence id: its sessions of the coming weeks (`UPCOMING_WEEKS`).
    upcoming_sessions: Mapping[str, list[Session]] = field(default_factory=dict)
    #: The same with the uncertain sessions, that pages and calendars list with their doubt.
    listed_sessions: Mapping[str, list[Session]] = field(default_factory=dict)
    #: For each pathway, each node's ways in: (question id, answer index).
    ways_in: Mapping[str, dict[str, list[tuple[str, int]]]] = field(default_factory=dict)
    #: For each dispositif, the pathway outcomes that lead to it: (pathway id, outcome id).
    leads_to: Mapping[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: The file of each record, by (kind, id), relative to the records folder: the report names it.
    files: Mapping[tuple[str, str], str] = field(default_factory=dict)

    # -- editions --

    def without_professional(self) -> Directory:
        """The same records with no `professional:` part and no network: what the public site is made from.

        Taken off before anything is rendered or exported, so that no page, index, export or
        calendar of the public site can hold a value meant for professionals.
        """
        if not self.territory.networks and not any(
            record.professional is not None for record in [*self.services.values(), *self.permanences.values()]
        ):
            return self
        return replace(
            self,
            territory=self.territory.model_copy(update={"networks": []}),
            services={sid: s.model_copy(update={"professional": None}) for sid, s in self.services.items()},
            permanences={pid: p.model_copy(update={"professional": None}) for pid, p in self.permanences.items()},
        )

    # -- places --

    def place_of_service(self, sid: str) -> Place:
        service = self.services[sid]
        return Place(service.name, service.address, service.latitude, service.longitude, sid)

    def place_of_permanence(self, pid: str) -> Place:
        location = self.permanences[pid].location
        if location.service is not None:
            return self.place_of_service(location.service)
        assert location.address and location.latitude is not None and location.longitude is not None
        return Place(location.name, location.address, location.latitude, location.longitude)

    def answers_to(self, pid: str, node: str) -> list[tuple[str, int]]:
        """The answers given to reach a node from the pathway's start, when there is one way."""
        trail: list[tuple[str, int]] = []
        while True:
            ways = self.ways_in.get(pid, {}).get(node, [])
            if len(ways) != 1:
                return trail if node == self.pathways[pid].start else []
            trail.insert(0, ways[0])
            node = ways[0][0]

    # -- dates --

    def permanence_sessions(self, pid: str, start: dt.date, end: dt.date, *, doubtful: bool = False) -> list[Session]:
        """The sessions of a permanence between two dates, every exception applied
        (the uncertain ones too when `doubtful`, to be said with their doubt)."""
        permanence = self.permanences[pid]
        host = self.services.get(permanence.location.service or "")
        # When the host place is closed, so is the permanence it hosts.
        host_closures = [n for n in host.notices if n.kind is NoticeKind.CLOSURE] if host else []
        changes = overrides([*permanence.notices, *host_closures])
        return sessions(
            permanence.schedule,
            start,
            end,
            valid_from=permanence.valid_from,
            valid_until=permanence.valid_until,
            cancelled=permanence.cancelled,
            overrides=changes,
            calendar=self.calendar_at(self.place_of_permanence(pid), permanence.schedule, *_rules(changes)),
            doubtful=doubtful,
        )

    def calendar_at(self, place: Place, *rules: str | None) -> Calendar:
        """The territory's calendar, at the place when a rule follows the sun
        (the record's hours, or a notice's changed hours)."""
        if any(rule and follows_sun(rule) for rule in rules):
            return self.calendar.at(place.latitude, place.longitude)
        return self.calendar

    def service_sessions(self, sid: str, start: dt.date, end: dt.date, *, doubtful: bool = False) -> list[Session]:
        """The openings of a service between two dates, its notices applied."""
        service = self.services[sid]
        if service.opening_hours is None:
            return []
        changes = overrides(service.notices)
        calendar = self.calendar_at(self.place_of_service(sid), service.opening_hours, *_rules(changes))
        return sessions(service.opening_hours, start, end, overrides=changes, calendar=calendar, doubtful=doubtful)

    def has_ended(self, pid: str) -> bool:
        return _has_ended(self.permanences[pid], self.today)

    def has_category_page(self, cid: str) -> bool:
        """A category gets a page when a service or a permanence is in it."""
        return bool(self.services_by_category.get(cid) or self.permanences_by_category.get(cid))

    def area_of(self, area: ServiceArea | None, own_commune: str) -> list[str]:
        return _area(area, own_commune, self.communes)


def _area(area: ServiceArea | None, own_commune: str, communes: Iterable[str]) -> list[str]:
    """The communes a service area names: its own commune by default, or all of them."""
    if area is None:
        return [own_commune]
    if area.everywhere:
        return list(communes)
    return list(area.communes)


def _rules(changes: Iterable[Override]) -> list[str | None]:
    return [change.rule for change in changes]


def _sort_key(record: Service | Permanence | Dispositif) -> str:
    return slugify(record.name.source)


def _commune_slugs(communes: list[Commune]) -> dict[str, str]:
    """A commune's page is communes/<slug>; the INSEE code makes it unique when
    names collide, are not in Latin letters, or would take an index page's place."""
    slugs = [slugify(c.name) for c in communes]
    return {
        c.insee: slug
        if slug and slug not in RESERVED_IDS and slugs.count(slug) == 1
        else "-".join(filter(None, (slug, c.insee.lower())))
        for c, slug in zip(communes, slugs, strict=True)
    }


def _has_ended(permanence: Permanence, today: dt.date) -> bool:
    return permanence.valid_until is not None and permanence.valid_until < today


def build_directory(records: Records, today: dt.date, feeds: Iterable[Feed] = ()) -> Directory:
    """The directory of validated records, as of `today` (next sessions, what has ended), with
    the territory's public-transport `feeds`."""
    services = dict(sorted(records.services.items(), key=lambda item: _sort_key(item[1])))
    permanences = dict(sorted(records.permanences.items(), key=lambda item: _sort_key(item[1])))
    communes = {c.insee: c for c in sorted(records.territory.communes, key=lambda c: slugify(c.name))}

    services_by_category: dict[str, list[str]] = defaultdict(list)
    services_serving: dict[str, list[str]] = defaultdict(list)
    services_located_in: dict[str, list[str]] = defaultdict(list)
    services_helping: dict[str, list[str]] = defaultdict(list)
    for sid, service in services.items():
        for category in dict.fromkeys([service.category, *service.other_categories]):
            services_by_category[category].append(sid)
        services_located_in[service.address.commune].append(sid)
        for insee in _area(service.service_area, service.address.commune, communes):
            services_serving[insee].append(sid)
        for did in service.dispositifs:
            services_helping[did].append(sid)

    # The sessions need the directory's places and closures: a first directory gives them.
    directory = Directory(
        territory=records.territory,
        taxonomy=records.taxonomy,
        services=services,
        permanences=permanences,
        dispositifs=dict(sorted(records.dispositifs.items(), key=lambda item: _sort_key(item[1]))),
        pathways=dict(
            sorted(records.pathways.items(), key=lambda item: (item[1].order, slugify(item[1].label.source)))
        ),
        today=today,
        calendar=CALENDARS[records.territory.holidays.value],
        communes=communes,
        feeds=tuple(feeds),
    )
    permanences_serving: dict[str, list[str]] = defaultdict(list)
    permanences_helping: dict[str, list[str]] = defaultdict(list)
    permanences_of_service: dict[str, list[str]] = defaultdict(list)
    permanences_by_category: dict[str, list[str]] = defaultdict(list)
    upcoming_sessions: dict[str, list[Session]] = {}
    listed_sessions: dict[str, list[Session]] = {}
    horizon = today + dt.timedelta(weeks=UPCOMING_WEEKS)
    for pid, permanence in permanences.items():
        listed_sessions[pid] = directory.permanence_sessions(pid, today, horizon, doubtful=True)
        upcoming_sessions[pid] = [session for session in listed_sessions[pid] if session.sure]
        if _has_ended(permanence, today):
            continue  # its page stays, saying so; no list offers it any more
        place = directory.place_of_permanence(pid)
        area = _area(permanence.service_area, place.address.commune, communes)
        for insee in dict.fromkeys([place.address.commune, *area]):
            permanences_serving[insee].append(pid)
        for did in permanence.dispositifs:
            permanences_helping[did].append(pid)
        for cid in dict.fromkeys(permanence.categories):
            permanences_by_category[cid].append(pid)
        for host in dict.fromkeys([permanence.held_by.service, permanence.location.service]):
            if host is not None:
                permanences_of_service[host].append(pid)

    ways_in: dict[str, dict[str, list[tuple[str, int]]]] = {}
    leads_to: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pid, pathway in directory.pathways.items():
        ways: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for qid, question in pathway.questions.items():
            for index, answer in enumerate(question.answers):
                ways[answer.next].append((qid, index))
        ways_in[pid] = dict(ways)
        for oid, outcome in pathway.outcomes.items():
            for did in outcome.dispositifs:
                leads_to[did].append((pid, oid))

    return replace(
        directory,
        commune_slugs=_commune_slugs(list(communes.values())),
        services_by_category=dict(services_by_category),
        permanences_by_category=dict(permanences_by_category),
        services_located_in=dict(services_located_in),
        services_serving=dict(services_serving),
        permanences_serving=dict(permanences_serving),
        services_helping=dict(services_helping),
        permanences_helping=dict(permanences_helping),
        permanences_of_service=dict(permanences_of_service),
        upcoming_sessions=upcoming_sessions,
        listed_sessions=listed_sessions,
        ways_in=ways_in,
        leads_to=dict(leads_to),
        files={
            key: document.path.relative_to(records.directory).as_posix()
            for key, document in records.documents.items()
            if document.path.is_relative_to(records.directory)
        },
    )
