"""Open Referral HSDS 3.0 export: the directory as Human Services Data Specification objects.

    files = hsds_files(directory, base_url="https://sante.example.org/")

returns two files, each a JSON array (UTF-8, keys sorted, objects sorted by
name then id, a newline at the end), in the shape of HSDS 3.0's *compiled*
schemas (schema/compiled/ of openreferral/specification):

- `data/hsds/services.json`: compiled services, each with its organization,
  phones, languages, service areas, required documents, categories (as
  attributes) and service_at_locations, each with its location (address,
  accessibility) and schedules;
- `data/hsds/organizations.json`: each organization once, without its
  services (every service gives its `organization_id`).

The mapping:

- a service of ours is an HSDS service with one service_at_location at its
  own place, its opening hours as the schedules;
- a permanence held by one of our services is one more service_at_location of
  that service, where the permanence takes place, its sessions as schedules;
  a permanence held by an organisation is an HSDS service of its own;
- organizations are the services' `organization` and the permanences'
  `held_by.organization`, by name, once each; a service without one is its own
  organization;
- a place keeps one location id wherever it appears (a service's premises that
  host permanences are one location).

What HSDS cannot say, and where it goes:

- an `opening_hours` rule becomes a schedule per time range (freq WEEKLY or
  MONTHLY, byday '2TU', '-1FR', 'MO,TU'...) when the schedule engine reads it
  as recurrences (`schedule.pattern`); public holidays, seasons and every
  other week do not fit RRULE fields: every schedule's `description` is the
  rule itself, and a rule with no recurrence is a schedule with the rule only;
- `timezone` is a fixed UTC offset: it is given only where the zone has no
  summer time (overseas); times are local, and `notes` name the zone;
- a session range ending at midnight closes at 23:59, as HSDS advises;
- cancelled sessions have no field: `notes` lists the coming ones; a
  permanence that has ended keeps its schedules, with `valid_to` (held by an
  organisation, its service is 'inactive');
- a service_at_location has no fields for how to come, cost or languages:
  for a permanence held by a service, its `description` says them, in French
  (its publics and service area are left to its page);
- temporary notices: a closure that applies today makes the status
  'temporarily closed'; the messages shown today are the `alert`;
- state_province (required) is the département's code, from the INSEE code;
- codes of ours (cost, appointment, interpreting) become French sentences in
  the free-text fields (fees_description, application_process...), as on the pages.

Ids are UUIDs derived from the record kind and id (uuid5 on `NAMESPACE`),
so that two builds of the same records give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from .. import routes
from ..i18n import SOURCE_LANGUAGE, language_name, translations
from ..i18n.labels import LABELS
from ..records.directory import Directory, Place, is_shown
from ..records.models import (
    Accessibility,
    Appointment,
    Cost,
    Interpreting,
    NoticeKind,
    Offer,
    Permanence,
    Phone,
    Service,
)
from ..records.schedule import Series, pattern, series_of
from ..records.types import LocalizedText
from .jsontext import without_markup
from .tables import _fr, record_url

SERVICES = routes.HSDS_SERVICES
ORGANIZATIONS = routes.HSDS_ORGANIZATIONS

#: Never change it: every id of the export is derived from it.
NAMESPACE = uuid.UUID("0b6f3c52-5a0e-4d0e-9a53-6f1c2d8e4b17")

Json = dict[str, Any]


def _uuid(*key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(key)))


def _compact(values: Json) -> Json:
    """An HSDS object without its empty fields: the schemas type them, `null` would not do."""
    return {key: value for key, value in values.items() if value not in (None, "", [])}


def _label(message: str) -> str:
    """An interface string in French (the records' language)."""
    return translations(SOURCE_LANGUAGE).gettext(message)


def _code_label(code: Enum) -> str:
    """The French label the pages give one of our codes."""
    return _label(LABELS[type(code)][code])


def _text(*parts: str | None, separator: str = " ") -> str | None:
    return separator.join(part for part in parts if part) or None


# --- free-text fields, in French ---------------------------------------------


def _application(appointment: Appointment | None) -> str | None:
    if appointment is None:
        return None
    online = f"{_label('Book online')} : {appointment.url}" if appointment.url else None
    return _text(_code_label(appointment.policy) + ".", _fr(appointment.details), online)


def _fees(costs: Sequence[Cost], details: LocalizedText | None) -> str | None:
    return _text(*(_code_label(c) + "." for c in costs), _fr(details))


def _interpreting(kinds: Sequence[Interpreting]) -> str | None:
    if not kinds:
        return None
    return _label("Interpreting: %(kinds)s.") % {"kinds": ", ".join(_code_label(k) for k in kinds)}


def _spoken(codes: Sequence[str]) -> str | None:
    names = ", ".join(language_name(code, SOURCE_LANGUAGE) for code in codes)
    return f"{_label('Languages spoken')} : {names}." if codes else None


def _eligibility(directory: Directory, publics: Sequence[str], conditions: LocalizedText | None = None) -> str | None:
    names = [_fr(directory.taxonomy.publics[p].label) for p in publics]
    return _text(_fr(conditions), f"Publics : {', '.join(names)}." if names else None)


def _alert(offer: Offer, today: dt.date) -> str | None:
    return _text(*(_fr(n.message) for n in offer.notices if is_shown(n, today)), separator="\n\n")


def _status(offer: Offer, today: dt.date, ended: bool = False) -> str:
    if ended:
        return "inactive"
    closed = any(n.kind is NoticeKind.CLOSURE and n.start <= today <= n.end for n in offer.notices)
    return "temporarily closed" if closed else "active"


# --- parts of a service -----------------------------------------------------------


def _phones(phones: Sequence[Phone], field: str, owner: str) -> list[Json]:
    """Phones as written in the records (short numbers like 3646 have no international form)."""
    return [
        _compact(
            {
                "id": _uuid("phone", owner, str(i)),
                field: owner,
                "number": p.number,
                "type": "voice",
                "description": _fr(p.label),
            }
        )
        for i, p in enumerate(phones)
    ]


def _languages(codes: Sequence[str], hsid: str) -> list[Json]:
    return [
        {
            "id": _uuid("language", hsid, code),
            "service_id": hsid,
            "code": code,
            "name": language_name(code, SOURCE_LANGUAGE),
        }
        for code in codes
    ]


def _areas(directory: Directory, offer: Offer, own_commune: str, hsid: str) -> list[Json]:
    return [
        {
            "id": _uuid("service-area", hsid, insee),
            "service_id": hsid,
            "name": directory.communes[insee].name,
            "description": f"Commune (code INSEE {insee})",
        }
        for insee in directory.area_of(offer.service_area, own_commune)
    ]


def _categories(directory: Directory, categories: Iterable[str], hsid: str) -> list[Json]:
    """Our categories (taxonomy.yml) as attributes with their taxonomy terms."""
    attributes = []
    for cid in dict.fromkeys(categories):
        category = directory.taxonomy.categories[cid]
        term = {
            "id": _uuid("category", cid),
            "code": cid,
            "name": _fr(category.label),
            "description": _fr(category.description) or _fr(category.label),
        }
        attributes.append(
            {
                "id": _uuid("attribute", hsid, cid),
                "link_id": hsid,
                "link_entity": "service",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": term,
            }
        )
    return attributes


def _offer(directory: Directory, offer: Offer, hsid: str, own_commune: str, ended: bool = False) -> Json:
    """The fields of an HSDS service that our services and permanences both fill."""
    return {
        "id": hsid,
        "email": offer.email,
        "status": _status(offer, directory.today, ended),
        "alert": _alert(offer, directory.today),
        "interpretation_services": _interpreting(offer.interpreting),
        "application_process": _application(offer.appointment),
        "fees_description": _fees(offer.cost, offer.cost_details),
        "assured_date": offer.verified.isoformat(),
        # When it was last checked is all we know of when it last changed.
        "last_modified": f"{offer.verified.isoformat()}T00:00:00Z",
        "phones": _phones(offer.phones, "service_id", hsid),
        "languages": _languages(offer.languages, hsid),
        "service_areas": _areas(directory, offer, own_commune, hsid),
    }


# --- places and schedules ---------------------------------------------------------


def _department(insee: str) -> str:
    """The département's code: '35', '2A', overseas '971'."""
    return insee[:3] if insee.startswith("97") else insee[:2]


def _location_id(place: Place, pid: str) -> str:
    """A service's premises are one location, whatever is held there; else the permanence's own place."""
    return _uuid("service-location", place.service_id) if place.service_id else _uuid("permanence-location", pid)


def _accessibility(access: Accessibility | None, lid: str) -> list[Json]:
    if access is None:
        return []
    wheelchair = _code_label(access.wheelchair) if access.wheelchair else None
    return [
        _compact(
            {
                "id": _uuid("accessibility", lid),
                "location_id": lid,
                "description": wheelchair,
                "details": _fr(access.details),
                "url": access.acceslibre,
            }
        )
    ]


def _location(directory: Directory, place: Place, lid: str) -> Json:
    address = place.address
    host = directory.services.get(place.service_id or "")
    return _compact(
        {
            "id": lid,
            "location_type": "physical",
            "name": _fr(place.name),
            "latitude": place.latitude,
            "longitude": place.longitude,
            "addresses": [
                _compact(
                    {
                        "id": _uuid("address", lid),
                        "location_id": lid,
                        "address_1": address.street,
                        "address_2": address.additional,
                        "city": directory.communes[address.commune].name,
                        "state_province": _department(address.commune),
                        "postal_code": address.postcode,
                        "country": "FR",
                        "address_type": "physical",
                    }
                )
            ],
            "accessibility": _accessibility(host.accessibility if host else None, lid),
        }
    )


def _utc_offset(directory: Directory) -> int | float | None:
    """The zone's offset from UTC in hours when it is the same all year; None with summer time."""
    year = directory.today.year
    offsets = {dt.datetime(year, month, 1, tzinfo=directory.calendar.tz).utcoffset() for month in (1, 7)}
    if len(offsets) != 1:
        return None
    hours = offsets.pop().total_seconds() / 3600  # type: ignore[union-attr]
    return int(hours) if hours.is_integer() else hours


def _recurrence(series: Series) -> Json:
    """The RRULE fields and times of a series."""
    opens, closes = series.times
    return {
        "freq": series.freq,
        "interval": 1,
        "byday": ",".join(series.byday),
        "opens_at": f"{opens:%H:%M}",
        # HSDS has no 24:00: a range to midnight closes at 23:59, as its documentation advises.
        "closes_at": "23:59" if closes == dt.time(0) else f"{closes:%H:%M}",
    }


def _schedules(
    directory: Directory,
    rule: str,
    salid: str,
    *,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    cancelled: Sequence[dt.date] = (),
) -> list[Json]:
    """An opening_hours rule as HSDS schedules: one per recurring time range, or the rule alone."""
    coming = [day.isoformat() for day in sorted(cancelled) if day >= directory.today]
    common = {
        "service_at_location_id": salid,
        "description": rule,  # the exact rule: holidays and what RRULE fields cannot say
        "notes": _text(
            f"Heure locale ({directory.calendar.zone}).", f"Séances annulées : {', '.join(coming)}." if coming else None
        ),
        "timezone": _utc_offset(directory),
        "valid_from": valid_from.isoformat() if valid_from else None,
        "valid_to": valid_to.isoformat() if valid_to else None,
    }
    found = series_of(pattern(rule, directory.today, directory.calendar))
    if not found:
        return [_compact({"id": _uuid("schedule", salid, "rule"), **common})]
    return [
        _compact({"id": _uuid("schedule", salid, str(i)), **common, **_recurrence(series)})
        for i, series in enumerate(found)
    ]


def _at_home(directory: Directory, sid: str, hsid: str) -> Json:
    """A service at its own place, open as its opening hours say."""
    service = directory.services[sid]
    place = directory.place_of_service(sid)
    salid, lid = _uuid("service-at-location", sid), _location_id(place, "")
    return _compact(
        {
            "id": salid,
            "service_id": hsid,
            "location_id": lid,
            "location": _location(directory, place, lid),
            "schedules": _schedules(directory, service.opening_hours, salid) if service.opening_hours else [],
        }
    )


def _sessions(directory: Directory, pid: str, hsid: str, *, part_of_service: bool) -> Json:
    """A permanence where it takes place, its sessions as schedules.

    Held by one of our services, it is a part of that service: what it is, how
    to come, what it costs and its phones are said here (HSDS has no other
    place for them). Otherwise its HSDS service says them.
    """
    permanence = directory.permanences[pid]
    place = directory.place_of_permanence(pid)
    salid, lid = _uuid("permanence-at-location", pid), _location_id(place, pid)
    details = (
        _text(
            _fr(permanence.name),
            _fr(permanence.description),
            _application(permanence.appointment),
            _fees(permanence.cost, permanence.cost_details),
            _spoken(permanence.languages),
            separator="\n\n",
        )
        if part_of_service
        else None
    )
    return _compact(
        {
            "id": salid,
            "service_id": hsid,
            "location_id": lid,
            "description": details,
            "phones": _phones(permanence.phones, "service_at_location_id", salid) if part_of_service else [],
            "location": _location(directory, place, lid),
            "schedules": _schedules(
                directory,
                permanence.schedule,
                salid,
                valid_from=permanence.valid_from,
                valid_to=permanence.valid_until,
                cancelled=permanence.cancelled,
            ),
        }
    )


# --- services and organizations -----------------------------------------------------


def _organizations(directory: Directory) -> dict[tuple[str, str], Json]:
    """The organization of each service ('services', id) and of each permanence
    held by an organisation ('permanences', id); one object per organisation name."""
    result: dict[tuple[str, str], Json] = {}
    named: dict[str, list[tuple[str, str]]] = {}
    for sid, service in directory.services.items():
        if service.organization is None:  # the service runs itself
            result[("services", sid)] = _compact(
                {
                    "id": _uuid("service-organization", sid),
                    "name": _fr(service.name),
                    "description": _fr(service.summary) or _fr(service.description),
                    "email": service.email,
                    "website": service.website,
                }
            )
        else:
            named.setdefault(_fr(service.organization), []).append(("services", sid))
    for pid, permanence in directory.permanences.items():
        if permanence.held_by.organization is not None:
            named.setdefault(_fr(permanence.held_by.organization), []).append(("permanences", pid))
    for name, records in named.items():
        offers = [_fr(_record(directory, kind, rid).name) for kind, rid in records]
        organization = {
            "id": _uuid("organization", name),
            "name": name,
            "description": f"Services et permanences sur le portail : {' ; '.join(offers)}.",
        }
        result.update(dict.fromkeys(records, organization))
    return result


def _record(directory: Directory, kind: str, rid: str) -> Service | Permanence:
    return directory.services[rid] if kind == "services" else directory.permanences[rid]


def _service(directory: Directory, sid: str, base_url: str | None, organization: Json) -> Json:
    service = directory.services[sid]
    hsid = _uuid("service", sid)
    held = [pid for pid, p in directory.permanences.items() if p.held_by.service == sid]
    age = service.age
    return _compact(
        {
            **_offer(directory, service, hsid, service.address.commune),
            "organization_id": organization["id"],
            "organization": organization,
            "name": _fr(service.name),
            "description": _text(_fr(service.summary), _fr(service.description), separator="\n\n"),
            "url": record_url(base_url, routes.service(sid)) or service.website,
            "eligibility_description": _eligibility(directory, service.publics, service.conditions),
            "minimum_age": age.min if age else None,
            "maximum_age": age.max if age else None,
            "required_documents": [
                {"id": _uuid("required-document", hsid, str(i)), "service_id": hsid, "document": _fr(document)}
                for i, document in enumerate(service.documents)
            ],
            "attributes": _categories(directory, [service.category, *service.other_categories], hsid),
            "service_at_locations": [
                _at_home(directory, sid, hsid),
                *(_sessions(directory, pid, hsid, part_of_service=True) for pid in held),
            ],
        }
    )


def _permanence_service(directory: Directory, pid: str, base_url: str | None, organization: Json) -> Json:
    """A permanence held by an organisation that has no service record: a service of its own."""
    permanence = directory.permanences[pid]
    hsid = _uuid("permanence", pid)
    commune = directory.place_of_permanence(pid).address.commune
    return _compact(
        {
            **_offer(directory, permanence, hsid, commune, ended=directory.has_ended(pid)),
            "organization_id": organization["id"],
            "organization": organization,
            "name": _fr(permanence.name),
            "description": _fr(permanence.description),
            "url": record_url(base_url, routes.permanence(pid)) or None,
            "eligibility_description": _eligibility(directory, permanence.publics),
            "attributes": _categories(directory, permanence.categories, hsid),
            "service_at_locations": [_sessions(directory, pid, hsid, part_of_service=False)],
        }
    )


def _json(objects: Iterable[Json]) -> bytes:
    ordered = sorted(objects, key=lambda o: (o["name"], o["id"]))
    return (without_markup(json.dumps(ordered, ensure_ascii=False, sort_keys=True, indent=1)) + "\n").encode("utf-8")


def hsds_files(directory: Directory, *, base_url: str | None) -> dict[str, bytes]:
    """The HSDS export: `data/hsds/services.json` and `data/hsds/organizations.json`."""
    organizations = _organizations(directory)
    services = [_service(directory, sid, base_url, organizations[("services", sid)]) for sid in directory.services]
    services += [
        _permanence_service(directory, pid, base_url, organizations[("permanences", pid)])
        for pid, permanence in directory.permanences.items()
        if permanence.held_by.organization is not None
    ]
    unique = {o["id"]: o for o in organizations.values()}
    return {SERVICES: _json(services), ORGANIZATIONS: _json(unique.values())}
