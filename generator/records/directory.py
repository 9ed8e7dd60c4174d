"""The validated records as one model, with the indexes the pages need.

Built once per build from `validate.Records`; nothing here reads files. The
indexes answer the questions the index pages ask: which services are in a
category, which serve a commune, who helps with a dispositif.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

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
from .schedule import CALENDARS, Calendar, Override, Session, sessions
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


@dataclass
class Directory:
    territory: Territory
    taxonomy: Taxonomy
    services: Mapping[str, Service]
    permanences: Mapping[str, Permanence]
    dispositifs: Mapping[str, Dispositif]
    pathways: Mapping[str, Pathway]
    today: dt.date
    calendar: Calendar = field(default_factory=Calendar)
    communes: dict[str, Commune] = field(default_factory=dict)
    commune_slugs: dict[str, str] = field(default_factory=dict)
    by_category: dict[str, list[str]] = field(default_factory=dict)  # services
    permanences_by_category: dict[str, list[str]] = field(default_factory=dict)
    serving: dict[str, list[str]] = field(default_factory=dict)
    located_in: dict[str, list[str]] = field(default_factory=dict)
    permanences_serving: dict[str, list[str]] = field(default_factory=dict)
    helpers: dict[str, list[str]] = field(default_factory=dict)
    permanence_helpers: dict[str, list[str]] = field(default_factory=dict)
    permanences_of: dict[str, list[str]] = field(default_factory=dict)  # held by or at a service
    upcoming: dict[str, list[Session]] = field(default_factory=dict)
    #: For each pathway, each node's ways in: (question id, answer index).
    ways_in: dict[str, dict[str, list[tuple[str, int]]]] = field(default_factory=dict)
    #: For each dispositif, the pathway outcomes that lead to it: (pathway id, outcome id).
    leads_to: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: The file of each record, by (kind, id), relative to the records folder: the report names it.
    files: dict[tuple[str, str], str] = field(default_factory=dict)

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

    def permanence_sessions(self, pid: str, start: dt.date, end: dt.date) -> list[Session]:
        """The sessions of a permanence between two dates, every exception applied."""
        permanence = self.permanences[pid]
        host = self.services.get(permanence.location.service or "")
        # When the host place is closed, so is the permanence it hosts.
        host_closures = [n for n in host.notices if n.kind is NoticeKind.CLOSURE] if host else []
        return sessions(
            permanence.schedule,
            start,
            end,
            valid_from=permanence.valid_from,
            valid_until=permanence.valid_until,
            cancelled=permanence.cancelled,
            overrides=overrides([*permanence.notices, *host_closures]),
            calendar=self.calendar,
        )

    def service_sessions(self, sid: str, start: dt.date, end: dt.date) -> list[Session]:
        """The openings of a service between two dates, its notices applied."""
        service = self.services[sid]
        if service.opening_hours is None:
            return []
        return sessions(
            service.opening_hours, start, end, overrides=overrides(service.notices), calendar=self.calendar
        )

    def has_ended(self, pid: str) -> bool:
        until = self.permanences[pid].valid_until
        return until is not None and until < self.today

    def has_category_page(self, cid: str) -> bool:
        """A category gets a page when a service or a permanence is in it."""
        return bool(self.by_category.get(cid) or self.permanences_by_category.get(cid))

    def area_of(self, area: ServiceArea | None, own_commune: str) -> list[str]:
        if area is None:
            return [own_commune]
        if area.everywhere:
            return list(self.communes)
        return list(area.communes)


def _sort_key(record: Service | Permanence | Dispositif) -> str:
    return slugify(record.name.source)


def build_directory(records: Records, today: dt.date) -> Directory:
    directory = Directory(
        territory=records.territory,
        taxonomy=records.taxonomy,
        services=dict(sorted(records.services.items(), key=lambda item: _sort_key(item[1]))),
        permanences=dict(sorted(records.permanences.items(), key=lambda item: _sort_key(item[1]))),
        dispositifs=dict(sorted(records.dispositifs.items(), key=lambda item: _sort_key(item[1]))),
        pathways=dict(
            sorted(records.pathways.items(), key=lambda item: (item[1].order, slugify(item[1].label.source)))
        ),
        today=today,
        calendar=CALENDARS[records.territory.holidays.value],
    )
    directory.files = {
        key: document.path.relative_to(records.directory).as_posix()
        for key, document in records.documents.items()
        if document.path.is_relative_to(records.directory)
    }
    communes = sorted(records.territory.communes, key=lambda c: slugify(c.name))
    directory.communes = {c.insee: c for c in communes}
    # A commune's page is communes/<slug>; the INSEE code makes it unique when
    # names collide, are not in Latin letters, or would take an index page's place.
    slugs = [slugify(c.name) for c in communes]
    directory.commune_slugs = {
        c.insee: slug if slug and slug not in RESERVED_IDS and slugs.count(slug) == 1
        else "-".join(filter(None, (slug, c.insee.lower())))
        for c, slug in zip(communes, slugs)
    }

    by_category: dict[str, list[str]] = defaultdict(list)
    serving: dict[str, list[str]] = defaultdict(list)
    located_in: dict[str, list[str]] = defaultdict(list)
    helpers: dict[str, list[str]] = defaultdict(list)
    for sid, service in directory.services.items():
        for category in dict.fromkeys([service.category, *service.other_categories]):
            by_category[category].append(sid)
        located_in[service.address.commune].append(sid)
        for insee in directory.area_of(service.service_area, service.address.commune):
            serving[insee].append(sid)
        for did in service.dispositifs:
            helpers[did].append(sid)

    permanences_serving: dict[str, list[str]] = defaultdict(list)
    permanence_helpers: dict[str, list[str]] = defaultdict(list)
    permanences_of: dict[str, list[str]] = defaultdict(list)
    permanences_by_category: dict[str, list[str]] = defaultdict(list)
    horizon = today + dt.timedelta(weeks=UPCOMING_WEEKS)
    for pid, permanence in directory.permanences.items():
        directory.upcoming[pid] = directory.permanence_sessions(pid, today, horizon)
        if directory.has_ended(pid):
            continue  # its page stays, saying so; no list offers it any more
        place = directory.place_of_permanence(pid)
        area = directory.area_of(permanence.service_area, place.address.commune)
        for insee in dict.fromkeys([place.address.commune, *area]):
            permanences_serving[insee].append(pid)
        for did in permanence.dispositifs:
            permanence_helpers[did].append(pid)
        for cid in dict.fromkeys(permanence.categories):
            permanences_by_category[cid].append(pid)
        for sid in dict.fromkeys([permanence.held_by.service, permanence.location.service]):
            if sid is not None:
                permanences_of[sid].append(pid)

    directory.by_category = dict(by_category)
    directory.serving = dict(serving)
    directory.located_in = dict(located_in)
    directory.helpers = dict(helpers)
    directory.permanences_serving = dict(permanences_serving)
    directory.permanence_helpers = dict(permanence_helpers)
    directory.permanences_of = dict(permanences_of)
    directory.permanences_by_category = dict(permanences_by_category)

    leads_to: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pid, pathway in directory.pathways.items():
        ways: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for qid, question in pathway.questions.items():
            for index, answer in enumerate(question.answers):
                ways[answer.next].append((qid, index))
        directory.ways_in[pid] = dict(ways)
        for oid, outcome in pathway.outcomes.items():
            for did in outcome.dispositifs:
                leads_to[did].append((pid, oid))
    directory.leads_to = dict(leads_to)
    return directory
