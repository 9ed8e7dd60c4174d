"""Open Referral HSDS 3.0 export: every object is checked against the official
JSON Schemas (copied unchanged in tests/schemas/hsds-3.0/), and says what the
records say."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.validators import extend
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.opendata.hsds import ORGANIZATIONS, SERVICES, hsds_files
from generator.records.schedule import CALENDARS

from helpers import DEMO, load_directory

SITE = "https://sante.example.org/"
SCHEMAS = Path(__file__).resolve().parent / "schemas" / "hsds-3.0"

# --- the validator ------------------------------------------------------------------
#
# The HSDS files declare no `$schema`; HSDS 3.0 is published with an OpenAPI 3.1
# description, whose schema dialect is JSON Schema 2020-12. Their `$ref`s name
# sibling files ("phone.json"): the registry holds the copies, and nothing else
# can be resolved (no download, nothing read outside the repository).

REGISTRY = Registry().with_resources(
    (path.name, Resource.from_contents(json.loads(path.read_text("utf-8")), default_specification=DRAFT202012))
    for path in sorted(SCHEMAS.glob("*.json"))
)

# jsonschema checks 'uri' and 'date-time' only with optional packages the
# project does not install: these stand in for them.
FORMATS = FormatChecker(Draft202012Validator.FORMAT_CHECKER.checkers)
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    parts = urlsplit(str(value))
    return bool(parts.scheme and parts.netloc) and " " not in str(value)


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(RFC3339.fullmatch(value) and dt.datetime.fromisoformat(value))


# HSDS types its dates and times with `datapackage_type`, not `format`: checked too.
DATAPACKAGE_TYPES: dict[str, tuple[re.Pattern[str], Callable[[str], object]]] = {
    "date": (re.compile(r"\d{4}-\d{2}-\d{2}"), dt.date.fromisoformat),
    "time": (re.compile(r"\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?"), dt.time.fromisoformat),
    "datetime": (RFC3339, dt.datetime.fromisoformat),
}


def _datapackage_type(validator: Any, kind: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if kind not in DATAPACKAGE_TYPES or not isinstance(instance, str):
        return
    shape, parse = DATAPACKAGE_TYPES[kind]
    try:
        valid = bool(shape.fullmatch(instance)) and parse(instance) is not None
    except ValueError:
        valid = False
    if not valid:
        yield ValidationError(f"{instance!r} is not a {kind} (HSDS datapackage_type)")


def _known_properties(validator: Any, properties: dict, instance: Any, schema: dict) -> Iterator[ValidationError]:
    # HSDS allows extra fields; our export must not have any: a typo is an error.
    yield from Draft202012Validator.VALIDATORS["properties"](validator, properties, instance, schema)
    if validator.is_type(instance, "object"):
        for key in sorted(set(instance) - set(properties)):
            yield ValidationError(f"{key!r} is not a field of HSDS 3.0 {schema.get('name', '')}")


StrictHsds = extend(Draft202012Validator, {"properties": _known_properties, "datapackage_type": _datapackage_type})


def validator(name: str) -> Draft202012Validator:
    schema = REGISTRY.contents(f"{name}.json")
    return StrictHsds(schema, registry=REGISTRY, format_checker=FORMATS)


VALIDATORS = {SERVICES: validator("service"), ORGANIZATIONS: validator("organization")}


def errors(path: str, instance: dict) -> list[str]:
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATORS[path].iter_errors(instance)]


# --- the export of the demo directory ---------------------------------------------


@pytest.fixture(scope="module")
def files(demo_directory) -> dict[str, bytes]:
    return hsds_files(demo_directory, base_url=SITE)


def parsed(files: dict[str, bytes]) -> tuple[list[dict], list[dict]]:
    return json.loads(files[SERVICES]), json.loads(files[ORGANIZATIONS])


def named(objects: list[dict], name: str) -> dict:
    (found,) = [o for o in objects if o["name"] == name]
    return found


def walk(value: Any) -> Iterator[dict]:
    """Every object in a tree of JSON, the outer ones first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def test_the_schema_files_are_json_schemas():
    names = sorted(path.name for path in SCHEMAS.glob("*.json"))
    assert "service.json" in names and "organization.json" in names
    for name in names:
        Draft202012Validator.check_schema(REGISTRY.contents(name))


@pytest.mark.parametrize("path", [SERVICES, ORGANIZATIONS])
def test_every_exported_object_is_valid_hsds(files, path):
    objects = json.loads(files[path])
    assert objects
    problems = {o["name"]: found for o in objects if (found := errors(path, o))}
    assert problems == {}


def test_the_files_are_sorted_stable_json(demo_directory, files):
    again = hsds_files(load_directory(DEMO), base_url=SITE)
    assert again == files  # byte for byte: ids are derived, not drawn
    for data in files.values():
        assert data.endswith(b"}\n]\n") and "é".encode() in data  # UTF-8, not \u00e9
    services, organizations = parsed(files)
    assert [(o["name"], o["id"]) for o in services] == sorted((o["name"], o["id"]) for o in services)
    # one service per service record, and one per permanence held by an organisation
    by_organization = [p for p in demo_directory.permanences.values() if p.held_by.organization]
    assert len(services) == len(demo_directory.services) + len(by_organization)
    assert len(organizations) == len({o["id"] for o in organizations})


def test_ids_are_uuids_and_name_one_thing_each(files):
    seen: dict[str, dict] = {}
    for obj in walk(parsed(files)):
        assert uuid.UUID(obj["id"]).version == 5
        if obj["id"] in seen:  # a shared location or organization: the same object every time
            assert seen[obj["id"]] == obj, obj["id"]
        seen[obj["id"]] = obj


def test_a_service_says_what_its_record_says(demo_directory, files):
    record = demo_directory.services["msp-redon"]
    services, _ = parsed(files)
    service = named(services, "Maison de santé du Canal")
    assert service["url"] == SITE + "fr/services/msp-redon/" and service["email"] == record.email
    assert [p["number"] for p in service["phones"]] == ["01 99 00 19 50", "01 99 00 19 51"]
    assert service["phones"][0]["description"] == "Secrétariat"
    assert [lang["code"] for lang in service["languages"]] == ["fr", "en"]
    assert service["assured_date"] == record.verified.isoformat() and service["status"] == "active"
    assert service["organization"]["name"] == "SISA Santé du Canal (démo)"
    assert service["attributes"][0]["taxonomy_term"]["code"] == "msp"
    assert "Sur rendez-vous" in service["application_process"] and "secteur 1" in service["fees_description"]
    (home,) = service["service_at_locations"]
    (address,) = home["location"]["addresses"]
    assert (address["address_1"], address["postal_code"], address["city"], address["state_province"]) == (
        "8 boulevard du Canal",
        "35600",
        "Redon",
        "35",
    )
    assert (home["location"]["latitude"], home["location"]["longitude"]) == (record.latitude, record.longitude)
    hours = {(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in home["schedules"]}
    assert hours == {("WEEKLY", "MO,TU,WE,TH,FR", "08:00", "20:00"), ("WEEKLY", "SA", "08:00", "12:00")}
    assert {s["description"] for s in home["schedules"]} == {record.opening_hours}
    assert all("timezone" not in s and "Europe/Paris" in s["notes"] for s in home["schedules"])


def test_a_permanence_held_by_a_service_is_a_service_at_location_of_it(demo_directory, files):
    services, _ = parsed(files)
    permanence = demo_directory.permanences["assurance-maladie-pipriac"]
    holder = named(services, demo_directory.services[permanence.held_by.service].name.source)
    assert not [s for s in services if s["name"] == permanence.name.source]  # not a service of its own
    sessions = holder["service_at_locations"]
    (session,) = [sal for sal in sessions if sal["location"]["name"].startswith("Mairie de Pipriac")]
    (address,) = session["location"]["addresses"]
    assert (address["postal_code"], address["city"]) == (permanence.location.address.postcode, "Pipriac")
    (schedule,) = session["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "MONTHLY",
        "2TU",
        "09:00",
        "12:00",
    )
    assert schedule["description"] == "Tu[2] 09:00-12:00; PH off" and "2027-01-12" in schedule["notes"]
    assert [p["number"] for p in session["phones"]] == ["01 99 00 16 01"]
    assert session["description"].startswith(permanence.name.source)


def test_a_permanence_at_a_service_is_held_at_that_services_location(demo_directory, files):
    services, _ = parsed(files)
    csapa = named(services, demo_directory.services["csapa-redon"].name.source)
    host = named(services, demo_directory.services["france-services-guemene-penfao"].name.source)
    (session,) = [sal for sal in csapa["service_at_locations"] if sal["schedules"][0]["byday"] == "-1TU"]
    assert session["location_id"] == host["service_at_locations"][0]["location_id"]
    assert (session["schedules"][0]["opens_at"], session["schedules"][0]["closes_at"]) == ("14:00", "17:00")


def test_a_permanence_held_by_an_organisation_is_a_service_of_its_own(demo_directory, files):
    services, organizations = parsed(files)
    pid = "mutuelle-communale-bains-sur-oust"
    permanence = demo_directory.permanences[pid]
    service = named(services, permanence.name.source)
    assert service["url"] == SITE + f"fr/permanences/{pid}/"
    assert service["organization"]["name"] == permanence.held_by.organization.source
    (session,) = service["service_at_locations"]
    (schedule,) = session["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"]) == ("MONTHLY", "-1FR", "09:30")
    assert schedule["valid_from"] == permanence.valid_from.isoformat()
    assert session["location"]["name"] == demo_directory.services["ccas-bains-sur-oust"].name.source
    # the same organisation runs the health bus: one organization, named once
    bus = named(services, demo_directory.services["bus-sante"].name.source)
    assert bus["organization_id"] == service["organization_id"]
    assert named(organizations, permanence.held_by.organization.source) == service["organization"]


def test_a_service_without_organisation_is_its_own(demo_directory, files):
    services, organizations = parsed(files)
    record = demo_directory.services["cabinet-medical-redon"]
    assert record.organization is None
    service = named(services, record.name.source)
    assert service["organization"]["name"] == record.name.source
    assert service["organization"] in organizations
    assert {s["organization_id"] for s in services} == {o["id"] for o in organizations}


def test_hours_that_rrule_fields_cannot_say_are_kept_as_the_rule(demo_directory):
    service = demo_directory.services["msp-redon"]
    fortnightly = "week 1-53/2 Mo 09:00-12:00; PH off"
    changed = dataclasses.replace(
        demo_directory,
        services={**demo_directory.services, "msp-redon": service.model_copy(update={"opening_hours": fortnightly})},
    )
    services, _ = parsed(hsds_files(changed, base_url=SITE))
    (schedule,) = named(services, service.name.source)["service_at_locations"][0]["schedules"]
    assert schedule["description"] == fortnightly and "freq" not in schedule and "opens_at" not in schedule
    # open day and night: 00:00 to 23:59, as HSDS advises
    hospital = named(services, demo_directory.services["hopital-trois-rivieres"].name.source)
    schedules = [s for sal in hospital["service_at_locations"] for s in sal.get("schedules", [])]
    (always,) = [s for s in schedules if s["description"] == "24/7"]
    assert (always["byday"], always["opens_at"], always["closes_at"]) == ("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")


def test_a_fixed_utc_offset_is_given_where_there_is_no_summer_time(demo_directory):
    overseas = dataclasses.replace(demo_directory, calendar=CALENDARS["la-reunion"])
    services, _ = parsed(hsds_files(overseas, base_url=SITE))
    schedules = [s for o in walk(services) for s in o.get("schedules", [])]
    assert schedules and {s["timezone"] for s in schedules} == {4}
    assert all(not errors(SERVICES, service) for service in services)


def test_a_closure_today_and_its_message(demo_directory):
    closed = dataclasses.replace(demo_directory, today=dt.date(2026, 12, 26))  # msp-redon closes for the holidays
    services, _ = parsed(hsds_files(closed, base_url=None))
    service = named(services, "Maison de santé du Canal")
    assert service["status"] == "temporarily closed" and service["alert"].startswith("Fermeture pour les fêtes")
    assert service["url"] == demo_directory.services["msp-redon"].website  # no site address: its own site
    assert named(services, "Bus santé des Trois Rivières")["status"] == "active"


# --- the check can fail ---------------------------------------------------------------


def _set(path: list[Any], value: Any) -> Callable[[dict], None]:
    def spoil(service: dict) -> None:
        target = service
        for key in path[:-1]:
            target = target[key]
        if value is DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return spoil


DELETE = object()
LOCATION = ["service_at_locations", 0, "location"]
BREAKAGES = {
    "no name": (_set(["name"], DELETE), "'name' is a required property"),
    "status not in the list": (_set(["status"], "open"), "'open' is not one of"),
    "id not a uuid": (_set(["id"], "msp-redon"), "is not a 'uuid'"),
    "latitude as text": (_set([*LOCATION, "latitude"], "47.647"), "is not of type 'number'"),
    "address without city": (_set([*LOCATION, "addresses", 0, "city"], DELETE), "'city' is a required property"),
    "date not ISO": (_set(["assured_date"], "16/11/2026"), "is not a date"),
    "time not HH:MM": (_set(["service_at_locations", 0, "schedules", 0, "opens_at"], "8h"), "is not a time"),
    "url not a URL": (_set(["url"], "sante.example.org/msp"), "is not a 'uri'"),
    "misspelt field": (_set([*LOCATION, "adress"], "8 boulevard du Canal"), "'adress' is not a field"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_the_validator_rejects_a_broken_object(files, breakage):
    spoil, message = BREAKAGES[breakage]
    service = copy.deepcopy(named(parsed(files)[0], "Maison de santé du Canal"))
    assert errors(SERVICES, service) == []
    spoil(service)
    found = errors(SERVICES, service)
    assert found and any(message in problem for problem in found), found
