"""Open Referral HSDS 3.0 services and organizations -> our records (as YAML-ready data).

    found = read_hsds(path, text, report)              # the services and organizations of one file
    services, permanences = HsdsMapper(territory, taxonomy, today).to_records(found, report)

A file holds compiled HSDS JSON: one service, organization or
service_at_location, a list of them, or a page of the HSDS API
(`{"contents": [...], "total_pages": ...}`). service_at_locations are put
together by service (`_gathered`); the same object in several files is read
once, from its fullest copy (`_once`).

The mapping, the reverse of `opendata/hsds.py`:

- an HSDS service is one of our services, at the location of its first
  service_at_location; each further service_at_location is a permanence held
  by that service (its description's first paragraph is the permanence's
  name, the rest its description, as the export writes them; a location that
  is the first location of another imported service is that service's
  premises);
- an organization names the service's `organization` (or, with the service's
  own name, gives its website and summary); an organization no service of the
  files belongs to becomes a service record of its own, at its first location;
- schedules (freq, byday, opens_at, closes_at) become an opening_hours rule
  only when the rule says exactly the same openings, checked with the schedule
  engine the site uses; a schedule's `description` that is such a rule and
  agrees with the fields is taken as it is (it keeps public holidays).
  Anything else (every other week, dates of validity, RRULE counts...) goes
  into the appointment details, in the producer's words, with a warning;
- taxonomy terms become categories when their code is a category id of
  taxonomy.yml or their name its French label;
- French texts that the export writes from our codes (appointment, cost,
  interpreting, publics, wheelchair access) are read back into the codes.

Nothing is guessed and nothing is dropped silently: every value that does not
become part of a record is an `Unmapped` with its JSON path. A file that is not
HSDS (not JSON, not an object or list of objects, a service without a name, a
value of the wrong type, a phone number that is not one) is an error naming
the file and the JSON path; then nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..i18n import SOURCE_LANGUAGE, translations
from ..i18n.labels import LABELS
from ..problems import Report
from ..records.models import AppointmentPolicy, Cost, Interpreting, Taxonomy, Territory, WheelchairAccess
from ..records.schedule import CALENDARS, Calendar, pattern, series_of
from ..records.types import RESERVED_IDS, Email, LanguageCode, OpeningHoursRule, PhoneNumber, Url, slugify
from ..records.validate import PLACEHOLDER
from .datainclusion import Imported, Unmapped

Json = dict[str, Any]

#: How the records' header names where they come from.
HSDS_SOURCE = "Open Referral HSDS"

#: The longest file name an import writes (a 300-character name would be refused by the system).
MAX_ID_LENGTH = 60

#: Keys that only link objects together: nothing to carry.
LINKS = frozenset(
    {
        "id",
        "service_id",
        "location_id",
        "organization_id",
        "service_at_location_id",
        "link_id",
        "link_type",
        "link_entity",
        "taxonomy_term_id",
        "program_id",
        "parent_id",
        "contact_id",
    }
)

#: What each kind of object says that the mapping reads; anything else is reported.
SERVICE_KEYS = frozenset(
    {
        "name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "last_modified",
        "phones",
        "schedules",
        "service_areas",
        "service_at_locations",
        "languages",
        "organization",
        "required_documents",
        "attributes",
    }
)
ORGANIZATION_KEYS = frozenset({"name", "description", "email", "website", "phones", "locations", "services"})
SERVICE_MARKS = frozenset(
    {
        "status",
        "service_at_locations",
        "organization",
        "organization_id",
        "application_process",
        "fees_description",
        "eligibility_description",
        "interpretation_services",
        "schedules",
        "service_areas",
        "program",
        "minimum_age",
        "maximum_age",
    }
)
ORGANIZATION_MARKS = frozenset(
    {
        "services",
        "website",
        "legal_status",
        "tax_status",
        "year_incorporated",
        "logo",
        "parent_organization_id",
        "organization_identifiers",
        "locations",
        "programs",
    }
)

#: Why some fields cannot be carried (the others: no field of ours says it).
REASONS = {
    "alternate_name": "pas de champ pour un autre nom : l'ajouter à la description à la main",
    "alert": "un avis des fiches a des dates de début et de fin : l'ajouter à la main dans 'notices'",
    "contacts": "le portail ne donne que les coordonnées du lieu, pas celles des personnes",
    "metadata": "l'historique des modifications du fichier HSDS n'est pas repris",
    "wait_time": "pas de champ pour le délai d'attente : l'ajouter à la description à la main",
    "transportation": "pas de champ pour l'accès en transport : l'ajouter à la description à la main",
}
PERSONAL = frozenset({"contacts", "assurer_email"})

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::00)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
LOCAL_TIME_NOTE = re.compile(r"^Heure locale \(([^()]+)\)\.$")
CANCELLED_NOTE = re.compile(r"^Séances annulées : (\d{4}-\d{2}-\d{2}(?:, \d{4}-\d{2}-\d{2})*)\.$")
#: The export's description of an organization that runs several records: nothing of its own.
OWN_ORGANIZATION_TEXT = "Services et permanences sur le portail : "
#: How an export of ours names a commune in a service area.
AREA_INSEE = re.compile(r"^Commune \(code INSEE (\w{5})\)$")

# Schedule fields RRULE has and opening_hours cannot say, or that limit the hours in time.
INEXACT = {
    "bymonthday": "jours du mois",
    "byweekno": "numéros de semaine",
    "byyearday": "jours de l'année",
    "count": "nombre d'occurrences",
    "until": "date de fin de la récurrence",
    "valid_to": "date de fin de validité",
}


@dataclass(frozen=True)
class Found:
    """A service or organization of a file, with its JSON path."""

    kind: str  # "service", "organization" or "service_at_location"
    data: Json
    where: str
    file: Path
    #: Paths of a service put together from service_at_location objects -> where its parts really are.
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class _Hours:
    rule: str | None = None  # an exact opening_hours rule
    words: str | None = None  # what could not be said exactly, in the producer's words
    valid_from: str | None = None
    valid_to: str | None = None
    cancelled: list[str] = field(default_factory=list)


def _label(message: str) -> str:
    return translations(SOURCE_LANGUAGE).gettext(message)


def _labels(enum: type[Enum]) -> dict[str, Any]:
    """French label -> code, as the export writes our codes."""
    return {_label(LABELS[enum][code]): code for code in enum}


def _valid(kind: Any, value: Any) -> bool:
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"« {text[:60]}… »" if len(text) > 60 else f"« {text} »"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


# --- reading ---------------------------------------------------------------------------


def _kind(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("service"), dict) and ("location" in data or "location_id" in data):
        return "service_at_location"  # a page of the API's /service_at_locations
    if SERVICE_MARKS & data.keys():
        return "service"
    if ORGANIZATION_MARKS & data.keys():
        return "organization"
    if "name" in data and "description" in data:  # what HSDS requires of an organization
        return "organization"
    return None


def read_hsds(path: Path, text: str, report: Report) -> list[Found]:
    """The services and organizations of one file's text; errors in the report."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        report.error(path, error.lineno, f"ce n'est pas du JSON valide : {error.msg} (colonne {error.colno})")
        return []
    except RecursionError:
        report.error(path, 1, "ce n'est pas du JSON lisible : imbrication trop profonde")
        return []
    where = "$"
    if isinstance(data, dict) and "contents" in data:  # a page of the HSDS API
        if not isinstance(data["contents"], list):
            report.error(path, 0, "$.contents : attendu une liste de services ou d'organisations HSDS")
            return []
        pages, number = data.get("total_pages"), data.get("page_number")
        if data.get("last_page") is False or (isinstance(pages, int) and pages > 1):
            report.warning(
                path,
                0,
                f"une seule page (page {number or '?'} sur {pages or '?'}) d'une réponse plus longue de l'API HSDS : "
                "les autres pages ne sont pas dans ce fichier, importez-les aussi",
            )
        data, where = data["contents"], "$.contents"
    items = [(item, f"{where}[{i}]") for i, item in enumerate(data)] if isinstance(data, list) else [(data, where)]
    found = []
    for item, at in items:
        kind = _kind(item)
        if kind is None:
            report.error(
                path,
                0,
                f"{at} : ni un service ni une organisation HSDS 3.0 : attendu un objet JSON avec 'name' et les "
                "champs d'un service (status, service_at_locations...) ou d'une organisation (website, services...)",
            )
            continue
        found.append(Found(kind, item, at, path))
    if not found and not report.errors:
        report.warning(path, 0, "aucun service ni organisation dans ce fichier")
    return found


# --- mapping ---------------------------------------------------------------------------


class _Out:
    """One record being written, what it could not carry, and the file it comes from."""

    def __init__(self, found: Found, where: str, origin: str, report: Report) -> None:
        self.record = Imported("", origin, {})
        self.file = found.file
        self.aliases = found.aliases
        self.where = where
        self.report = report
        self.location_id: str | None = None  # the HSDS id of a service's own place

    @property
    def data(self) -> Json:
        return self.record.data

    def _real(self, where: str) -> str:
        """The path in the file, for a service put together from service_at_location objects."""
        for alias, real in self.aliases.items():
            if where == alias or where.startswith((alias + ".", alias + "[")):
                return real + where[len(alias) :]
        return where

    def unmapped(self, where: str, value: Any, reason: str) -> None:
        where = self._real(where)
        if not isinstance(value, (str, int, float)):  # an object or a list: shown short, as JSON
            value = json.dumps(value, ensure_ascii=False)
        self.record.unmapped.append(Unmapped(self.record.origin, where, value, reason))

    def error(self, where: str, message: str) -> None:
        self.report.error(self.file, 0, f"{self._real(where)} : {message}")

    def text(self, obj: Json, key: str, where: str) -> str | None:
        value = obj.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.error(f"{where}.{key}", f"attendu du texte, pas {_shown(value)}")
            return None
        return value.strip() or None

    def objects(self, obj: Json, key: str, where: str) -> list[tuple[Json, str]]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error(f"{where}.{key}", "attendu une liste d'objets JSON")
            return []
        return [(item, f"{where}.{key}[{i}]") for i, item in enumerate(value)]

    def number(self, obj: Json, key: str, where: str) -> float | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.error(f"{where}.{key}", f"attendu un nombre, pas {_shown(value)}")
            return None
        return value

    def rest(self, obj: Json, known: Iterable[str], where: str) -> None:
        """Report every field of `obj` the mapping does not read."""
        for key in sorted(set(obj) - set(known) - LINKS):
            if _empty(obj[key]):
                continue
            shown = "(non affiché)" if key in PERSONAL else obj[key]
            self.unmapped(f"{where}.{key}", shown, REASONS.get(key, "pas de champ correspondant dans les fiches"))


def _id_of(obj: Json, key: str = "id") -> str | None:
    """An HSDS id (a UUID, or any text): None when missing or not text."""
    value = obj.get(key)
    return value if isinstance(value, str) and value else None


def _gathered(found: list[Found], report: Report) -> list[Found]:
    """service_at_location objects as the services they belong to, each with its places in order."""
    result: list[Found] = []
    by_service: dict[str, Found] = {}
    for item in found:
        if item.kind != "service_at_location":
            result.append(item)
            continue
        service = item.data["service"]
        sid = _id_of(service)
        gathered = by_service.get(sid or "")
        if gathered is None:
            gathered = Found("service", {**service, "service_at_locations": []}, f"{item.where}.service", item.file)
            if isinstance(service.get("service_at_locations"), list):  # unusual, but kept: these paths are real
                gathered.data["service_at_locations"] = list(service["service_at_locations"])
            result.append(gathered)
            if sid:
                by_service[sid] = gathered
        places = gathered.data["service_at_locations"]
        place = {k: v for k, v in item.data.items() if k != "service"}
        real = item.where if item.file == gathered.file else f"{item.where} (dans {item.file.name})"
        index = next((i for i, p in enumerate(places) if _id_of(place) and _id_of(p) == _id_of(place)), len(places))
        alias = f"{gathered.where}.service_at_locations[{index}]"
        if index < len(places):  # the same place twice (a list and a page): once, the fuller
            report.warning(
                item.file,
                0,
                f"{item.where} : le même service_at_location (id {_id_of(place)}) est déjà dans les fichiers : "
                "il n'est repris qu'une fois, depuis l'objet le plus complet",
            )
            if len(place) <= len(places[index]):
                continue
            places[index] = place
        else:
            places.append(place)
        gathered.aliases[alias] = real
    return result


def _paragraphs(text: str) -> tuple[str, str | None]:
    first, _, rest = text.partition("\n\n")
    return first.strip(), rest.strip() or None


class HsdsMapper:
    """The territory's correspondences, read once."""

    def __init__(self, territory: Territory, taxonomy: Taxonomy, today: dt.date) -> None:
        self.communes = {c.insee: c for c in territory.communes}
        self.taxonomy = taxonomy
        self.calendar: Calendar = CALENDARS[territory.holidays.value]
        self.today = today
        self.policies = _labels(AppointmentPolicy)
        self.costs = _labels(Cost)
        self.interpreting = _labels(Interpreting)
        self.wheelchair = _labels(WheelchairAccess)
        self.public_labels = {str(p.label.source).casefold(): pid for pid, p in taxonomy.publics.items()}
        self.category_labels = {str(c.label.source).casefold(): cid for cid, c in taxonomy.categories.items()}
        offsets = {dt.datetime(today.year, m, 1, tzinfo=self.calendar.tz).utcoffset() for m in (1, 7)}
        self.offset = offsets.pop().total_seconds() / 3600 if len(offsets) == 1 else None  # type: ignore[union-attr]
        self.ids: set[str] = set()

    # --- ids

    def _id(self, name: str, origin: str) -> str:
        """A readable file name from the name; the HSDS id's start when two records share a name."""
        base = slugify(name)[:MAX_ID_LENGTH].strip("-") or "hsds"
        rid = base
        if rid in self.ids or rid in RESERVED_IDS:
            # cut on a word's end: 'x-' + '-abc' would make '--', which is no id
            suffix = slugify(origin)[:8].strip("-") or str(len(self.ids))
            rid = f"{base[: MAX_ID_LENGTH - 9].rstrip('-')}-{suffix}"
        number = 2
        while rid in self.ids or rid in RESERVED_IDS:
            rid, number = f"{base[: MAX_ID_LENGTH - 9].rstrip('-')}-{number}", number + 1
        self.ids.add(rid)
        return rid

    # --- the whole files

    def to_records(self, found: list[Found], report: Report) -> tuple[list[Imported], list[Imported]]:
        """Our services and permanences from the services and organizations found."""
        found = _gathered(found, report)
        organizations: dict[str, Json] = {}
        for item in found:
            if item.kind == "organization" and isinstance(item.data.get("id"), str):
                organizations[item.data["id"]] = item.data
        services: list[tuple[Found, Json | None]] = []
        claimed: set[str] = set()
        for item in found:
            if item.kind == "service":
                organization = item.data.get("organization")
                if not isinstance(organization, dict):
                    organization = organizations.get(str(item.data.get("organization_id")))
                services.append((item, organization))
            else:
                parent = {k: v for k, v in item.data.items() if k != "services"}
                reader = _Out(item, item.where, "", report)
                for service, where in reader.objects(item.data, "services", item.where):
                    services.append((Found("service", service, where, item.file), parent))
        services = self._once(services, report)
        for item, organization in services:
            if organization is not None and isinstance(organization.get("id"), str):
                claimed.add(organization["id"])
            if isinstance(item.data.get("organization_id"), str):
                claimed.add(item.data["organization_id"])
        homes: dict[str, str] = {}  # HSDS location id -> the id of the service whose premises it is
        ours: list[tuple[_Out, Found, Json | None]] = []
        for item, organization in services:
            out = self._service(item, organization, report)
            if out is not None:
                ours.append((out, item, organization))
                if out.location_id:
                    homes.setdefault(out.location_id, out.record.rid)
        permanences: list[Imported] = []
        for out, item, _ in ours:
            permanences += self._permanences(out, item, homes, report)
        records = [out.record for out, _, _ in ours]
        alone: list[tuple[Found, Json | None]] = [
            (item, None) for item in found if item.kind == "organization" and _id_of(item.data) not in claimed
        ]
        for item, _ in self._once(alone, report):
            if (own := self._organization_alone(item, report)) is not None:
                records.append(own.record)
        return records, permanences

    def _once(self, items: list[tuple[Found, Json | None]], report: Report) -> list[tuple[Found, Json | None]]:
        """One object per HSDS id (the same service in a list and in its organization): the fullest."""
        by_id: dict[str, int] = {}
        kept: list[tuple[Found, Json | None] | None] = []
        for item, organization in items:
            hid = _id_of(item.data)
            if not isinstance(hid, str) or not hid:
                kept.append((item, organization))
                continue
            if hid not in by_id:
                by_id[hid] = len(kept)
                kept.append((item, organization))
                continue
            first = kept[by_id[hid]]
            assert first is not None
            fuller, other = (
                ((item, organization), first) if len(item.data) > len(first[0].data) else (first, (item, organization))
            )
            kept[by_id[hid]] = fuller
            report.warning(
                other[0].file,
                0,
                f"{other[0].where} : le même objet (id {hid}) est aussi dans {fuller[0].file.name} à {fuller[0].where} : "
                "une seule fiche est écrite, depuis l'objet le plus complet",
            )
        return [item for item in kept if item is not None]

    # --- a service

    def _service(self, found: Found, organization: Json | None, report: Report) -> _Out | None:
        svc, where = found.data, found.where
        origin = _id_of(svc)
        out = _Out(found, where, origin or where, report)
        name = out.text(svc, "name", where)
        if name is None:
            if "name" not in svc or svc.get("name") in (None, ""):
                out.error(f"{where}.name", "le service n'a pas de nom : chaque service HSDS en a un ('name')")
            return None
        out.record.origin = origin or name
        out.record.rid = self._id(name, out.record.origin)
        data = out.data
        data["name"] = name
        description = self._organization(out, organization, name, out.text(svc, "description", where), where)
        self._categories(out, svc, where)
        data["description"] = description or f"{PLACEHOLDER} : ce que le lieu propose, en phrases courtes"
        sals = out.objects(svc, "service_at_locations", where)
        home, home_where = sals[0] if sals else ({}, "")
        location = home.get("location") if isinstance(home.get("location"), dict) else None
        self._place(out, location, f"{home_where}.location" if sals else f"{where}.service_at_locations", own=True)
        if location is not None and (lid := _id_of(location) or _id_of(home, "location_id")):
            out.location_id = lid
        phones = self._phones(out, svc, where) + (self._phones(out, home, home_where) if home else [])
        phones = [phone for i, phone in enumerate(phones) if phone not in phones[:i]]  # the same phone, given twice
        if phones:
            data["phones"] = phones
        email = out.text(svc, "email", where)
        if own_email := data.pop("email", None):  # the organization's, when it is the service itself
            if email and email != own_email:
                out.unmapped(f"{where}.organization.email", own_email, "la fiche garde l'adresse du service")
            email = email or own_email
        if email:
            self._checked(out, "email", Email, email, f"{where}.email", "ce n'est pas une adresse e-mail valide")
        if (url := out.text(svc, "url", where)) and "website" not in data:
            self._checked(
                out, "website", Url, url, f"{where}.url", "ce n'est pas une adresse web que le portail accepte"
            )
        elif url and url != data.get("website"):
            out.unmapped(f"{where}.url", url, "la fiche garde le site de l'organisation")
        hours = self._home_hours(out, svc, home, location, where, home_where)
        if hours.rule:
            data["opening_hours"] = hours.rule
        self._appointment(out, out.text(svc, "application_process", where), hours.words, f"{where}.application_process")
        self._fees(out, out.text(svc, "fees_description", where))
        self._eligibility(out, out.text(svc, "eligibility_description", where))
        self._interpreting(out, out.text(svc, "interpretation_services", where), where)
        self._languages(out, svc, where)
        self._areas(out, svc, where)
        self._age(out, svc, where)
        documents = []
        for doc, at in out.objects(svc, "required_documents", where):
            if text := out.text(doc, "document", at):
                documents.append(text)
            out.rest(doc, {"document"}, at)
        if documents:
            data["documents"] = documents
        status = svc.get("status")
        if status not in (None, "active"):
            out.unmapped(
                f"{where}.status",
                status,
                "la fiche est importée comme ouverte : vérifiez si le service existe encore, "
                "ou ajoutez une fermeture (notices) à la main",
            )
        self._provenance(out, svc, where, found.file)
        if home:
            out.rest(home, {"location", "phones", "schedules"}, home_where)
        out.rest(svc, SERVICE_KEYS, where)
        return out

    def _organization(
        self, out: _Out, organization: Json | None, name: str, description: str | None, where: str
    ) -> str | None:
        """Fill what the service's organization says; the service's description, without the summary."""
        if organization is None:
            return description
        at = f"{where}.organization"
        org_name = out.text(organization, "name", at)
        org_description = out.text(organization, "description", at)
        website = out.text(organization, "website", at)
        if org_name and org_name != name:
            out.data["organization"] = org_name
            if org_description and not org_description.startswith(OWN_ORGANIZATION_TEXT):
                out.unmapped(f"{at}.description", org_description, "la fiche ne décrit que le service")
            if website:
                out.unmapped(f"{at}.website", website, "le site de l'organisation, pas celui du service")
            if email := out.text(organization, "email", at):
                out.unmapped(f"{at}.email", email, "l'adresse de l'organisation, pas celle du service")
        else:  # the service runs itself: the organization is the service seen as a structure
            if website:
                self._checked(
                    out, "website", Url, website, f"{at}.website", "ce n'est pas une adresse web que le portail accepte"
                )
            if own_email := out.text(organization, "email", at):
                out.data["email"] = own_email  # the service's own comes first (`_service`)
            if org_description and description and description.startswith(org_description + "\n\n"):
                out.data["summary"] = org_description  # the export writes the summary, then the description
                description = description[len(org_description) + 2 :].strip()
            elif org_description and org_description != description:
                out.unmapped(f"{at}.description", org_description, "la fiche garde la description du service")
        for key in sorted(set(organization) - ORGANIZATION_KEYS - LINKS - {"services"}):
            if not _empty(organization[key]):
                shown = "(non affiché)" if key in PERSONAL else organization[key]
                out.unmapped(f"{at}.{key}", shown, REASONS.get(key, "pas de champ correspondant dans les fiches"))
        for key in ("phones", "locations"):
            if not _empty(organization.get(key)):
                out.unmapped(
                    f"{at}.{key}", organization[key], "ceux du service sont repris, pas ceux de l'organisation"
                )
        return description

    def _organization_alone(self, found: Found, report: Report) -> _Out | None:
        """An organization no service of the files belongs to: a service record of its own."""
        org, where = found.data, found.where
        origin = _id_of(org)
        out = _Out(found, where, origin or where, report)
        name = out.text(org, "name", where)
        if name is None:
            if org.get("name") in (None, ""):
                out.error(f"{where}.name", "l'organisation n'a pas de nom : chaque organisation HSDS en a un ('name')")
            return None
        out.record.origin = origin or name
        out.record.rid = self._id(name, out.record.origin)
        out.data["name"] = name
        self._categories(out, org, where)
        description = out.text(org, "description", where)
        out.data["description"] = description or f"{PLACEHOLDER} : ce que le lieu propose, en phrases courtes"
        locations = out.objects(org, "locations", where)
        location, location_where = locations[0] if locations else (None, "")
        self._place(out, location, location_where, own=True)
        for _, at in locations[1:]:
            out.unmapped(at, "(lieu)", "la fiche est au premier lieu de l'organisation : créez les autres à la main")
        if phones := self._phones(out, org, where):
            out.data["phones"] = phones
        if email := out.text(org, "email", where):
            self._checked(out, "email", Email, email, f"{where}.email", "ce n'est pas une adresse e-mail valide")
        if website := out.text(org, "website", where):
            self._checked(
                out, "website", Url, website, f"{where}.website", "ce n'est pas une adresse web que le portail accepte"
            )
        hours = self._hours(out, [(s, at) for s, at in out.objects(location or {}, "schedules", location_where)])
        if hours.rule:
            out.data["opening_hours"] = hours.rule
        self._appointment(out, None, hours.words, where)
        self._provenance(out, org, where, found.file)
        out.rest(org, ORGANIZATION_KEYS | {"attributes"}, where)
        return out

    # --- places

    def _place(self, out: _Out, location: Json | None, where: str, *, own: bool) -> None:
        """Address and coordinates from an HSDS location (`own`: the service's, else a permanence's)."""
        data = out.data
        missing = location is None
        if location is None:
            location = {}
            out.unmapped(where, "(aucun lieu)", "pas de lieu : adresse et coordonnées à remplir à la main")
        addresses = out.objects(location, "addresses", where)
        physical = [a for a in addresses if a[0].get("address_type") in (None, "physical")] or addresses
        address, at = physical[0] if physical else ({}, f"{where}.addresses")
        for other, other_at in addresses:
            if other is not address:
                out.unmapped(other_at, other.get("address_1"), "la fiche garde une seule adresse, celle du lieu")
        street = out.text(address, "address_1", at)
        additional = out.text(address, "address_2", at)
        postcode = out.text(address, "postal_code", at)
        city = out.text(address, "city", at)
        country = out.text(address, "country", at)
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            out.unmapped(f"{at}.postal_code", postcode, "pas un code postal français à 5 chiffres")
            postcode = None
        commune = None if missing else self._commune(out, city, postcode, at)
        if country and country.upper() != "FR":
            out.unmapped(f"{at}.country", country, "le portail décrit des lieux en France")
        out.rest(
            address, {"address_1", "address_2", "postal_code", "city", "country", "state_province", "address_type"}, at
        )
        result: Json = {
            "street": street or f"{PLACEHOLDER} : numéro et rue",
            **({"additional": additional} if additional else {}),
            "postcode": postcode or f"{PLACEHOLDER} : code postal",
            "commune": commune or f"{PLACEHOLDER} : code INSEE d'une commune du territoire",
        }
        coordinates: Json = {}
        for axis, limit in (("latitude", 90), ("longitude", 180)):
            value = out.number(location, axis, where)
            if value is not None and abs(value) > limit:
                out.unmapped(f"{where}.{axis}", value, f"hors des valeurs possibles (-{limit} à {limit})")
                value = None
            coordinates[axis] = value
        if None in coordinates.values():  # half a position is no position
            coordinates = {axis: f"{PLACEHOLDER} : {axis}" for axis in coordinates}
        name = out.text(location, "name", where)
        if own:
            data["address"] = result
            data.update(coordinates)
            if name and name != data["name"]:
                out.unmapped(f"{where}.name", name, "la fiche porte le nom du service, pas celui du lieu")
            self._accessibility(out, location, where)
        else:
            data["location"] = {"name": name or f"{PLACEHOLDER} : nom du lieu", "address": result, **coordinates}
            if not _empty(location.get("accessibility")):
                out.unmapped(
                    f"{where}.accessibility", location["accessibility"], "pas de champ pour un lieu de permanence"
                )
        known = {"name", "addresses", "latitude", "longitude", "accessibility", "location_type"}
        if own:
            known.add("schedules")  # read with the service's hours
        if location.get("location_type") not in (None, "physical"):
            out.unmapped(
                f"{where}.location_type",
                location["location_type"],
                "le portail liste des lieux où se rendre : dites dans la description ce qui se fait à distance",
            )
        out.rest(location, known, where)

    def _commune(self, out: _Out, city: str | None, postcode: str | None, where: str) -> str | None:
        if city:
            fits = [
                c.insee
                for c in self.communes.values()
                if c.name.casefold() == city.casefold() and (postcode is None or postcode in c.postcodes)
            ]
            if len(fits) == 1:
                return fits[0]
        out.unmapped(
            f"{where}.city",
            f"{city or '?'} {postcode or ''}".strip(),
            "pas une commune de territory.yml : le lieu est-il dans le territoire ?",
        )
        return None

    def _accessibility(self, out: _Out, location: Json, where: str) -> None:
        result: Json = {}
        details: list[str] = []
        for item, at in out.objects(location, "accessibility", where):
            description = out.text(item, "description", at)
            if description and description in self.wheelchair and "wheelchair" not in result:
                result["wheelchair"] = self.wheelchair[description].value
            elif description:
                details.append(description)
            if text := out.text(item, "details", at):
                details.append(text)
            if url := out.text(item, "url", at):
                if "acceslibre" in url and _valid(Url, url) and "acceslibre" not in result:
                    result["acceslibre"] = url
                else:
                    out.unmapped(f"{at}.url", url, "seule une page d'acceslibre.beta.gouv.fr a sa place dans la fiche")
            out.rest(item, {"description", "details", "url"}, at)
        if details:
            result["details"] = "\n\n".join(details)
        if result:
            out.data["accessibility"] = result

    # --- contacts

    def _phones(self, out: _Out, obj: Json, where: str) -> list[Any]:
        phones: list[Any] = []
        for phone, at in out.objects(obj, "phones", where):
            number = phone.get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                number = str(number)
            if not isinstance(number, str) or not number.strip():
                out.error(f"{at}.number", f"attendu un numéro de téléphone, pas {_shown(number)}")
                continue
            number = number.strip().strip('"').strip()  # Open Referral's own example quotes its numbers
            if re.search(r"[^\W\d_]", number) or not _valid(PhoneNumber, number):  # letters: not a number to dial
                out.error(
                    f"{at}.number",
                    f"{_shown(number)} n'est pas un numéro de téléphone valide : attendu un numéro français "
                    "comme 01 99 00 12 34, un numéro court comme 3646, ou un numéro international commençant par +",
                )
                continue
            kind = phone.get("type")
            if kind not in (None, "voice", "cell"):
                out.unmapped(
                    f"{at}", number, f"un numéro de type '{kind}' : les fiches ne donnent que des numéros à appeler"
                )
                continue
            label = out.text(phone, "description", at)
            phones.append({"number": number, "label": label} if label else number)
            out.rest(phone, {"number", "type", "description"}, at)
        return phones

    def _checked(self, out: _Out, key: str, kind: Any, value: str, where: str, reason: str) -> None:
        if _valid(kind, value):
            out.data[key] = value
        else:
            out.unmapped(where, value, reason)

    # --- categories, publics, areas

    def _categories(self, out: _Out, obj: Json, where: str) -> None:
        chosen: list[str] = []
        terms: list[str] = []
        for attribute, at in out.objects(obj, "attributes", where):
            term = attribute.get("taxonomy_term")
            if not isinstance(term, dict):
                out.unmapped(at, attribute.get("value"), "un attribut sans terme de taxonomie")
                continue
            code, name = term.get("code"), term.get("name")
            cid = (
                code
                if isinstance(code, str) and code in self.taxonomy.categories
                else self.category_labels.get(str(name).casefold())
            )
            if cid is None:
                terms.append(str(name or code))
                out.unmapped(
                    f"{at}.taxonomy_term",
                    name or code,
                    "ni son code ni son nom ne sont une catégorie de taxonomy.yml : choisissez la catégorie à la main",
                )
            elif cid not in chosen:
                chosen.append(cid)
            if not _empty(attribute.get("value")):
                out.unmapped(f"{at}.value", attribute["value"], "pas de champ correspondant dans les fiches")
        if chosen:
            out.data["category"] = chosen[0]
            if chosen[1:]:
                out.data["other_categories"] = chosen[1:]
        else:
            out.data["category"] = (
                f"{PLACEHOLDER} : un identifiant de taxonomy.yml (termes HSDS : {', '.join(terms) or 'aucun'})"
            )

    def _eligibility(self, out: _Out, text: str | None) -> None:
        if not text:
            return
        match = re.search(r"(?:^| )Publics : (.+)\.$", text)
        publics = [self.public_labels.get(name.casefold()) for name in match.group(1).split(", ")] if match else []
        if match and publics and all(publics):
            out.data["publics"] = publics
            text = text[: match.start()].strip()
        if text:
            out.data["conditions"] = text

    def _areas(self, out: _Out, svc: Json, where: str) -> None:
        found: list[str] = []
        for area, at in out.objects(svc, "service_areas", where):
            name, description = out.text(area, "name", at), out.text(area, "description", at)
            code = match.group(1) if description and (match := AREA_INSEE.match(description)) else None
            if code is None and name:
                named = [c.insee for c in self.communes.values() if c.name.casefold() == name.casefold()]
                code = named[0] if len(named) == 1 else None
            if code in self.communes:
                found.append(code)
                out.rest(area, {"name", "description"}, at)
            else:
                out.unmapped(
                    at, name or description, "pas une commune de territory.yml : la zone servie est à dire à la main"
                )
        if not found:
            return
        own = out.data.get("address", {}).get("commune")
        if set(found) == set(self.communes) and len(self.communes) > 1:
            out.data["service_area"] = "territory"
        elif found != [own]:
            out.data["service_area"] = list(dict.fromkeys(found))

    def _age(self, out: _Out, svc: Json, where: str) -> None:
        age = {}
        for key, ours in (("minimum_age", "min"), ("maximum_age", "max")):
            value = out.number(svc, key, where)
            if value is None:
                continue
            if float(value).is_integer() and 0 <= value <= 120:
                age[ours] = int(value)
            else:
                out.unmapped(f"{where}.{key}", value, "attendu un âge en années, de 0 à 120")
        if age.get("min") is not None and age.get("max") is not None and age["min"] > age["max"]:
            out.unmapped(f"{where}.minimum_age", age, "l'âge minimum dépasse l'âge maximum")
            age = {}
        if age:
            out.data["age"] = age

    def _languages(self, out: _Out, svc: Json, where: str) -> None:
        codes = []
        for language, at in out.objects(svc, "languages", where):
            code = language.get("code")
            if isinstance(code, str) and _valid(LanguageCode, code):
                codes.append(code)
                out.rest(language, {"code", "name"}, at)
            else:
                out.unmapped(
                    at, language.get("name") or code, "pas un code de langue ISO 639-1 (comme 'fr', 'en', 'ar')"
                )
        if codes:
            out.data["languages"] = list(dict.fromkeys(codes))

    # --- texts our export writes from codes

    def _interpreting(self, out: _Out, text: str | None, where: str) -> None:
        if not text:
            return
        before, _, after = _label("Interpreting: %(kinds)s.").partition("%(kinds)s")
        if text.startswith(before) and text.endswith(after):
            names = text[len(before) : len(text) - len(after)].split(", ")
            if all(name in self.interpreting for name in names):
                out.data["interpreting"] = [self.interpreting[name].value for name in names]
                return
        out.unmapped(
            f"{where}.interpretation_services",
            text,
            "l'interprétariat des fiches est une liste (phone, on_site, sign_language) : à choisir à la main",
        )

    def _fees(self, out: _Out, text: str | None) -> None:
        costs = []
        while text:
            label = next((label for label in self.costs if text == label + "." or text.startswith(label + ". ")), None)
            if label is None:
                break
            costs.append(self.costs[label].value)
            text = text[len(label) + 1 :].strip()
        if costs:
            out.data["cost"] = costs
        if text:
            out.data["cost_details"] = text

    def _appointment(self, out: _Out, text: str | None, hours: str | None, where: str) -> None:
        policy = url = None
        if text:
            label = next(
                (label for label in self.policies if text == label + "." or text.startswith(label + ". ")), None
            )
            if label is not None:
                policy = self.policies[label].value
                text = text[len(label) + 1 :].strip()
            online = re.search(rf"(?:^| ){re.escape(_label('Book online'))} : (\S+)$", text)
            if online and _valid(Url, online.group(1)):
                url = online.group(1)
                text = text[: online.start()].strip()
        details = "\n\n".join(part for part in (text, hours) if part)
        if not (policy or details or url):
            return
        appointment: Json = {
            "policy": policy or f"{PLACEHOLDER} : required, recommended ou not_needed (faut-il un rendez-vous ?)"
        }
        if details:
            appointment["details"] = details
        if url:
            appointment["url"] = url
        out.data["appointment"] = appointment

    def _provenance(self, out: _Out, obj: Json, where: str, file: Path) -> None:
        verified = None
        for key in ("assured_date", "last_modified"):
            value = obj.get(key)
            if isinstance(value, str) and ISO_DATE.match(value):
                try:
                    verified = dt.date.fromisoformat(value[:10])
                    break
                except ValueError:
                    pass
            if value is not None:
                out.unmapped(f"{where}.{key}", value, "pas une date AAAA-MM-JJ")
        out.data["verified"] = verified.isoformat() if verified else f"{PLACEHOLDER} : date de la dernière vérification"
        out.data["source"] = f"{HSDS_SOURCE} : {out.record.origin} ({file.name})"

    # --- schedules

    def _home_hours(
        self, out: _Out, svc: Json, home: Json, location: Json | None, where: str, home_where: str
    ) -> _Hours:
        """The schedules of the service's own place: the service_at_location's, else the service's or location's."""
        sources = [
            out.objects(home, "schedules", home_where),
            out.objects(svc, "schedules", where),
            out.objects(location or {}, "schedules", f"{home_where}.location"),
        ]
        chosen = next((s for s in sources if s), [])
        for other in sources:
            if other and other is not chosen:
                for schedule, at in other:
                    if not any(schedule == mine for mine, _ in chosen):
                        out.unmapped(
                            at, schedule.get("description") or "(horaire)", "la fiche garde les horaires du lieu"
                        )
        hours = self._hours(out, chosen)
        if hours.valid_from and hours.valid_from > self.today.isoformat() and hours.rule:
            hours.words, hours.rule = f"À partir du {hours.valid_from} : {hours.rule}", None
            out.unmapped(
                chosen[0][1], hours.valid_from, "des horaires qui ne commencent que plus tard : mis dans les modalités"
            )
        elif hours.valid_from:
            out.unmapped(f"{chosen[0][1]}.valid_from", hours.valid_from, "date passée : les horaires s'appliquent déjà")
        if hours.cancelled:
            out.unmapped(
                f"{chosen[0][1]}.notes",
                hours.cancelled,
                "séances annulées : un lieu n'en a pas, ajoutez une fermeture à la main",
            )
        return hours

    def _hours(self, out: _Out, schedules: list[tuple[Json, str]], *, sessions: bool = False) -> _Hours:
        """One rule for all the schedules of a place, when it says exactly what they say."""
        result = _Hours()
        if not schedules:
            return result
        openings: set[tuple[int, int, str, str]] = set()
        exact = True
        why: list[str] = []
        descriptions: list[str] = []
        froms: set[str] = set()
        tos: set[str] = set()
        for schedule, at in schedules:
            description = out.text(schedule, "description", at)
            if description:
                descriptions.append(description)
            for key in ("opens_at", "closes_at", "freq", "byday"):
                out.text(schedule, key, at)  # a wrong type is an error
            times = [TIME.match(str(schedule.get(key) or "")) for key in ("opens_at", "closes_at")]
            freq, byday = schedule.get("freq"), schedule.get("byday")
            days = [BYDAY.match(part.strip()) for part in str(byday or "").split(",") if part.strip()]
            interval = schedule.get("interval")
            reasons = [
                word
                for key, word in INEXACT.items()
                if not _empty(schedule.get(key)) and not (sessions and key == "valid_to")
            ]
            if freq not in ("WEEKLY", "MONTHLY") or interval not in (None, 1):
                reasons.append("fréquence")
            if not all(times) or not days or not all(days):
                reasons.append("jours et heures")
            if freq == "WEEKLY" and any(d and d.group(1) for d in days):
                reasons.append("jours numérotés dans une semaine")
            if freq == "MONTHLY" and any(d and not d.group(1) for d in days):
                reasons.append("jours sans rang dans le mois")
            timezone = schedule.get("timezone")
            if timezone is not None and timezone != self.offset:
                reasons.append("fuseau horaire")
            dtstart = schedule.get("dtstart")
            if isinstance(dtstart, str) and dtstart[:10] > self.today.isoformat():
                reasons.append("date de début")
            for key in ("valid_from", "valid_to"):
                if isinstance(schedule.get(key), str):
                    (froms if key == "valid_from" else tos).add(schedule[key][:10])
            self._notes(out, schedule, at, result)
            out.rest(
                schedule,
                {
                    "description",
                    "opens_at",
                    "closes_at",
                    "freq",
                    "byday",
                    "interval",
                    "timezone",
                    "dtstart",
                    "wkst",
                    "notes",
                    "valid_from",
                    "valid_to",
                },
                at,
            )
            if reasons:
                exact = False
                why += reasons
                continue
            opens, closes = (f"{m.group(1)}:{m.group(2)}" for m in times if m)
            closes = "24:00" if closes in ("23:59", "00:00") else closes
            for day in days:
                assert day is not None
                openings.add((int(day.group(1) or 0), WEEKDAYS.index(day.group(2)), opens, closes))
        result.valid_from = max(froms) if len(froms) == 1 else None
        result.valid_to = max(tos) if len(tos) == 1 and sessions else None
        if len(froms) > 1 or (sessions and len(tos) > 1):
            exact = False
            why.append("dates de validité différentes")
        same = descriptions and len(set(descriptions)) == 1 and len(descriptions) == len(schedules)
        written = descriptions[0] if same and _is_rule(descriptions[0]) else None
        if exact and written is not None and self._openings(written) != openings:
            exact = False  # two different hours for the same place: neither is said with confidence
            why.append(
                "la description, écrite comme une règle opening_hours, ne dit pas les mêmes heures que les champs"
            )
        if exact:
            for rule in [written, _rule(openings)]:
                if rule and _valid(OpeningHoursRule, rule) and self._openings(rule) == openings:
                    result.rule = rule
                    for description in dict.fromkeys(descriptions):
                        if description != rule:
                            out.unmapped(
                                schedules[0][1] + ".description",
                                description,
                                f"la fiche dit les heures des champs ({rule}) : ajoutez à la main ce que ce texte dit de plus",
                            )
                    return result
            why.append("la règle écrite à partir des champs ne donne pas les mêmes ouvertures")
        elif not openings and len(set(descriptions)) == 1 and len(descriptions) == len(schedules):
            # no recurrence at all: a description written in the opening_hours syntax is the rule
            rule = descriptions[0]
            if _is_rule(rule) and all(
                all(_empty(s.get(k)) for k in ("freq", "byday", "opens_at", "closes_at", *INEXACT))
                for s, _ in schedules
            ):
                result.rule = rule
                return result
        words = "\n".join(dict.fromkeys(descriptions)) or " ; ".join(_said(s) for s, _ in schedules)
        result.words = f"Horaires (à vérifier) : {words}"
        because = f" ({', '.join(dict.fromkeys(why))})" if why else ""
        out.unmapped(
            schedules[0][1],
            words,
            f"des horaires qu'une règle opening_hours ne dit pas exactement{because} : mis dans les modalités "
            "(appointment.details), écrivez les horaires à la main",
        )
        return result

    def _notes(self, out: _Out, schedule: Json, at: str, result: _Hours) -> None:
        notes = out.text(schedule, "notes", at)
        if not notes:
            return
        rest = []
        for sentence in re.split(r"(?<=\.) ", notes):
            zone = LOCAL_TIME_NOTE.match(sentence)
            cancelled = CANCELLED_NOTE.match(sentence)
            if zone and zone.group(1) == self.calendar.zone:
                continue
            if cancelled:
                result.cancelled += [d for d in cancelled.group(1).split(", ") if d not in result.cancelled]
                continue
            rest.append(sentence)
        if rest:
            out.unmapped(f"{at}.notes", " ".join(rest), "pas de champ pour les notes d'un horaire")

    def _openings(self, rule: str) -> set[tuple[int, int, str, str]]:
        """What the schedule engine reads in a rule, as (rank in month or 0, weekday, opens, closes)."""
        found = set()
        for series in series_of(pattern(rule, self.today, self.calendar)):
            opens, closes = series.times
            closing = "24:00" if closes == dt.time(0) else f"{closes:%H:%M}"
            for weekday in series.weekdays:
                for ordinal in series.ordinals or (0,):
                    found.add((ordinal, weekday, f"{opens:%H:%M}", closing))
        return found

    # --- permanences

    def _permanences(self, service: _Out, found: Found, homes: dict[str, str], report: Report) -> list[Imported]:
        """Each further service_at_location of a service: a permanence that service holds."""
        result = []
        sals = [
            (s, at)
            for s, at in _Out(found, found.where, "", Report()).objects(found.data, "service_at_locations", found.where)
        ]
        for index, (sal, where) in enumerate(sals[1:], start=1):
            out = _Out(found, where, _id_of(sal) or f"{service.record.origin}/{index}", report)
            text = out.text(sal, "description", where)
            location = sal.get("location") if isinstance(sal.get("location"), dict) else None
            place = out.text(location or {}, "name", f"{where}.location")
            if text and "\n\n" in text and len(_paragraphs(text)[0]) <= 120 and "\n" not in _paragraphs(text)[0]:
                name, description = _paragraphs(text)
            else:
                name, description = f"{service.data['name']} – {place}" if place else service.data["name"], text
            out.record.rid = self._id(name, out.record.origin)
            data = out.data
            data["name"] = name
            data["held_by"] = {"service": service.record.rid}
            lid = _id_of(location or {}) or _id_of(sal, "location_id")
            if isinstance(lid, str) and lid in homes:
                data["location"] = {"service": homes[lid]}
                out.rest(
                    location or {},
                    {"id", "name", "addresses", "latitude", "longitude", "accessibility", "location_type"},
                    f"{where}.location",
                )
            else:
                self._place(out, location, f"{where}.location", own=False)
            data["description"] = description or f"{PLACEHOLDER} : ce que l'on peut venir y faire"
            hours = self._hours(out, out.objects(sal, "schedules", where), sessions=True)
            data["schedule"] = hours.rule or f"{PLACEHOLDER} : les séances, comme Tu[2] 09:00-12:00; PH off"
            if hours.words:
                data["appointment"] = {
                    "policy": f"{PLACEHOLDER} : required, recommended ou not_needed (faut-il un rendez-vous ?)",
                    "details": hours.words,
                }
            if phones := self._phones(out, sal, where):
                data["phones"] = phones
            for key, value in (("valid_from", hours.valid_from), ("valid_until", hours.valid_to)):
                if value:
                    data[key] = value
            if hours.cancelled:
                data["cancelled"] = hours.cancelled
            data["verified"] = service.data["verified"]
            data["source"] = service.data["source"]
            out.rest(sal, {"description", "location", "schedules", "phones"}, where)
            result.append(out.record)
        return result


def _is_rule(text: str) -> bool:
    """A description written as opening_hours (with times: 'closed' alone is a valid rule, and says little)."""
    return bool(re.search(r"\d\d:\d\d|24/7", text)) and _valid(OpeningHoursRule, text)


DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
#: freq -> (every one, every n)
PERIODS = {
    "DAILY": ("chaque jour", "tous les {n} jours"),
    "WEEKLY": ("chaque semaine", "toutes les {n} semaines"),
    "MONTHLY": ("chaque mois", "tous les {n} mois"),
    "YEARLY": ("chaque année", "toutes les {n} années"),
}


def _said(schedule: Json) -> str:
    """A schedule's RRULE fields in French words, for a coordinator to write the hours from."""
    freq, interval = schedule.get("freq"), schedule.get("interval")
    one, many = PERIODS.get(str(freq), (f"fréquence {freq or '?'}", f"fréquence {freq or '?'} (intervalle {{n}})"))
    every = many.format(n=interval) if isinstance(interval, int) and interval > 1 else one
    days = []
    for part in str(schedule.get("byday") or "").split(","):
        match = BYDAY.match(part.strip())
        if match is None:
            continue
        rank = int(match.group(1) or 0)
        ordinal = {0: "", 1: "1er ", -1: "dernier "}.get(rank, f"{rank}e " if rank > 0 else f"{-rank}e avant-dernier ")
        days.append(ordinal + DAY_NAMES[WEEKDAYS.index(match.group(2))])
    times = f"{schedule.get('opens_at') or '?'}–{schedule.get('closes_at') or '?'}"
    extra = [f"{word} : {schedule[key]}" for key, word in INEXACT.items() if not _empty(schedule.get(key))]
    return ", ".join([every, *([" et ".join(days)] if days else []), times, *extra])


def _days(weekdays: list[int]) -> str:
    """[0, 1, 2, 4] -> 'Mo-We,Fr'."""
    runs: list[list[int]] = []
    for day in sorted(weekdays):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        OSM_DAYS[run[0]] if len(run) == 1 else f"{OSM_DAYS[run[0]]}{'-' if len(run) > 2 else ','}{OSM_DAYS[run[-1]]}"
        for run in runs
    )


def _rule(openings: set[tuple[int, int, str, str]]) -> str | None:
    """An opening_hours rule for openings (rank in month or 0, weekday, opens, closes), one rule per day set."""
    if not openings:
        return None
    weekly: dict[int, list[str]] = {}
    monthly: dict[tuple[int, tuple[str, ...]], list[int]] = {}
    by_rank: dict[tuple[int, int], list[str]] = {}
    for rank, weekday, opens, closes in sorted(openings):
        target = weekly.setdefault(weekday, []) if rank == 0 else by_rank.setdefault((weekday, rank), [])
        target.append(f"{opens}-{closes}")
    for (weekday, rank), ranges in by_rank.items():
        monthly.setdefault((weekday, tuple(ranges)), []).append(rank)
    groups: dict[tuple[str, ...], list[int]] = {}
    for weekday, ranges in sorted(weekly.items()):
        groups.setdefault(tuple(ranges), []).append(weekday)
    parts = [f"{_days(days)} {','.join(ranges)}" for ranges, days in sorted(groups.items(), key=lambda g: g[1][0])]
    rule = "; ".join(parts)
    for (weekday, times), ranks in sorted(monthly.items()):
        ranks_text = ",".join(str(r) for r in sorted(ranks, key=lambda r: (r < 0, r)))
        part = f"{OSM_DAYS[weekday]}[{ranks_text}] {','.join(times)}"
        # a rule for the same weekday would replace the weekly one: add to it instead
        rule = f"{rule}{', ' if weekday in weekly else '; '}{part}" if rule else part
    return rule
