"""data·inclusion export: `data/structures.json` and `data/services.json` (schema v1).

data·inclusion (https://data.inclusion.gouv.fr) is the French national schema
of inclusion services. Each of our services is a place that offers something:
it becomes one *structure* (the place) and one *service* (what it offers
there). A permanence becomes a *service* of the structure that holds it, at the
address where it takes place, with its schedule as `horaires_accueil`; one
held by an organisation that has no service record gets a structure of its own
(no address). Dispositifs are rights, not places: data·inclusion has no record
kind for them, they stay in the portal's pages.

Every object is checked with the models of the published `data-inclusion-schema`
package; an object they refuse is left out and reported, by record and field,
so that `check` can say what to fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from data_inclusion.schema import v1 as di
from pydantic import BaseModel, ValidationError

from .. import routes
from ..i18n import SOURCE_LANGUAGE, translations
from ..i18n.labels import COST_LABELS
from ..importing.messages import describe
from ..records.directory import Directory
from ..records.models import AppointmentPolicy, Cost, Offer, Permanence, Service
from ..records.types import LocalizedText, slugify
from .jsontext import without_markup
from .package import Resource
from .tables import record_url

#: Where data·inclusion's v1 schema is documented.
SCHEMA_DOCS = "https://gip-inclusion.github.io/data-inclusion-schema/latest/"

RESOURCES = [
    Resource(
        routes.DATA_INCLUSION_STRUCTURES,
        "data-inclusion-structures",
        "json",
        "application/json",
        "data·inclusion v1 structures: the places (one per service record)",
        SCHEMA_DOCS,
    ),
    Resource(
        routes.DATA_INCLUSION_SERVICES,
        "data-inclusion-services",
        "json",
        "application/json",
        "data·inclusion v1 services: what each place offers, and the permanences",
        SCHEMA_DOCS,
    ),
]


#: Our field behind each data·inclusion field, to point `check` at the right line.
OUR_FIELDS = {
    "nom": ("name",),
    "description": ("description",),
    "date_maj": ("verified",),
    "courriel": ("email",),
    "telephone": ("phones",),
    "site_web": ("website",),
    "horaires_accueil": ("opening_hours",),
    "lien_mobilisation": ("appointment", "url"),
    "mobilisation_precisions": ("appointment", "details"),
    "frais_precisions": ("cost_details",),
    "conditions_acces": ("conditions",),
    "adresse": ("address", "street"),
    "complement_adresse": ("address", "additional"),
    "code_postal": ("address", "postcode"),
    "code_insee": ("address", "commune"),
    "accessibilite_lieu": ("accessibility", "acceslibre"),
}


@dataclass(frozen=True)
class Rejected:
    """An object data·inclusion's models refuse: the record it comes from, the field, why."""

    kind: str  # "services" or "permanences"
    rid: str
    field: str
    message: str

    @property
    def where(self) -> tuple[str, ...]:
        """Where in our record: for the line number."""
        return OUR_FIELDS.get(self.field.split(".")[0], ())


@dataclass(frozen=True)
class Export:
    structures: list[dict[str, Any]]
    services: list[dict[str, Any]]
    rejected: list[Rejected]

    def files(self) -> dict[str, bytes]:
        return {
            routes.DATA_INCLUSION_STRUCTURES: _json(self.structures),
            routes.DATA_INCLUSION_SERVICES: _json(self.services),
        }


def _json(objects: list[dict[str, Any]]) -> bytes:
    # the names as written once parsed, but no markup in the file itself
    return (without_markup(json.dumps(objects, ensure_ascii=False, indent=1)) + "\n").encode("utf-8")


def _fr(value: LocalizedText | None) -> str | None:
    return None if value is None else value.source


def _french(message: str) -> str:
    """An interface string as the French pages show it."""
    return translations(SOURCE_LANGUAGE).gettext(message)


def e164(number: str) -> str:
    """'01 99 00 12 34' -> '+33199001234'; short numbers (3646, 15) stay as written."""
    parsed = phonenumbers.parse(number, "FR")
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return number


def thematiques(directory: Directory, categories: Iterable[str]) -> list[str] | None:
    """The data·inclusion thématiques of our categories (taxonomy.yml `data_inclusion`)."""
    found = {t for cid in categories for t in directory.taxonomy.categories[cid].data_inclusion}
    return sorted(found) or None


def publics(directory: Directory, ours: list[str]) -> list[str] | None:
    """No public named means everyone; publics without an equivalent give none."""
    if not ours:
        return [di.Public.TOUS_PUBLICS.value]
    found = {p for pid in ours for p in directory.taxonomy.publics[pid].data_inclusion}
    return sorted(found) or None


def frais(costs: list[Cost]) -> str | None:
    """Free only when nothing else is said; tiers payant alone says nothing about the price."""
    if costs == [Cost.FREE]:
        return str(di.Frais.GRATUIT.value)
    if {Cost.PAID, Cost.SECTOR_1, Cost.SECTOR_2} & set(costs):
        return str(di.Frais.PAYANT.value)
    return None


def frais_precisions(costs: list[Cost], details: LocalizedText | None) -> str | None:
    """The record's own words on the cost; without them, what the pages say of the codes that
    tell more than `gratuit` or `payant` (secteur 1 or 2, tiers payant), in French.

    data·inclusion's quality score counts `payant` without details as half known. The record's
    words come first and alone, so that an imported `frais_precisions` goes back out unchanged.
    """
    if details is not None:
        return details.source
    said = [_french(COST_LABELS[cost]) + "." for cost in costs if cost not in (Cost.FREE, Cost.PAID)]
    return " ".join(said) or None


def mobilisable_par(offer: Offer) -> list[str] | None:
    """Who can ask for the service: its appointment policy tells residents how to come themselves.

    Whether professionals can refer someone our records do not say, so `professionnels` is never
    claimed; without an appointment policy we know nothing, and say nothing.
    """
    if offer.appointment is None:
        return None
    return [di.PersonneMobilisatrice.USAGERS.value]


def mobilisation(offer: Offer) -> list[str] | None:
    """How to get the service: come (no appointment), or call / book first."""
    appointment = offer.appointment
    if appointment is None:
        return None
    if appointment.policy is AppointmentPolicy.NOT_NEEDED:
        return [di.ModeMobilisation.SE_PRESENTER.value]
    modes = []
    if offer.phones:
        modes.append(di.ModeMobilisation.TELEPHONER.value)
    if appointment.url:
        modes.append(di.ModeMobilisation.UTILISER_LIEN_MOBILISATION.value)
    return modes or None


def _conditions(conditions: LocalizedText | None, documents: list[LocalizedText]) -> str | None:
    parts = [conditions.source] if conditions else []
    if documents:
        parts.append("À apporter : " + " ; ".join(d.source for d in documents) + ".")
    return "\n\n".join(parts) or None


def _age(service: Service) -> str | None:
    age = service.age
    if age is None:
        return None
    if age.min is not None and age.max is not None:
        return f"De {age.min} à {age.max} ans."
    return f"À partir de {age.min} ans." if age.min is not None else f"Jusqu'à {age.max} ans."


def _place(directory: Directory, address: Any, latitude: float, longitude: float) -> dict[str, Any]:
    return {
        "adresse": address.street,
        "complement_adresse": address.additional,
        "code_postal": address.postcode,
        "code_insee": address.commune,
        "commune": directory.communes[address.commune].name,
        "latitude": latitude,
        "longitude": longitude,
    }


def _offer(directory: Directory, offer: Offer, categories: list[str], own_commune: str) -> dict[str, Any]:
    """The fields services and permanences share."""
    appointment = offer.appointment
    return {
        "date_maj": offer.verified.isoformat(),
        "thematiques": thematiques(directory, categories),
        "frais": frais(offer.cost),
        "frais_precisions": frais_precisions(offer.cost, offer.cost_details),
        "publics": publics(directory, offer.publics),
        "telephone": e164(offer.phones[0].number) if offer.phones else None,
        "courriel": offer.email,
        "modes_accueil": [di.ModeAccueil.EN_PRESENTIEL.value],
        "zone_eligibilite": sorted(directory.area_of(offer.service_area, own_commune)),
        "lien_mobilisation": appointment.url if appointment else None,
        "modes_mobilisation": mobilisation(offer),
        "mobilisable_par": mobilisable_par(offer),
        "mobilisation_precisions": _fr(appointment.details) if appointment else None,
    }


class _Builder:
    def __init__(self, directory: Directory, base_url: str | None, producer: str) -> None:
        self.directory = directory
        self.base_url = base_url
        self.producer = producer
        self.structures: dict[str, dict[str, Any]] = {}
        self.services: list[dict[str, Any]] = []
        self.rejected: list[Rejected] = []

    def _id(self, local: str) -> str:
        # data·inclusion ids are "<producer>--<the producer's own id>"; ours are the record ids,
        # with "permanences:" or "organisations:" before the others (no record id has a ':')
        return f"{self.producer}--{local}"

    def _checked(self, model: type[BaseModel], data: dict[str, Any], kind: str, rid: str) -> dict[str, Any] | None:
        data = {key: value for key, value in data.items() if value is not None}
        try:
            model.model_validate(data)
        except ValidationError as failure:
            for error in failure.errors(include_url=False):
                field = ".".join(str(part) for part in error["loc"]) or "record"
                self.rejected.append(Rejected(kind, rid, field, f"data·inclusion : {describe(model, error)[1]}"))
            return None
        return data

    def service(self, sid: str, service: Service) -> None:
        structure = {
            "source": self.producer,
            "id": self._id(sid),
            "nom": _fr(service.organization) or service.name.source,
            "date_maj": service.verified.isoformat(),
            "description": _fr(service.summary) or service.description.source,
            "lien_source": record_url(self.base_url, routes.service(sid)) or None,
            **_place(self.directory, service.address, service.latitude, service.longitude),
            "telephone": e164(service.phones[0].number) if service.phones else None,
            "courriel": service.email,
            "site_web": service.website,
            "horaires_accueil": service.opening_hours,
            "accessibilite_lieu": service.accessibility.acceslibre if service.accessibility else None,
        }
        checked = self._checked(di.Structure, structure, "services", sid)
        if checked is None:
            return  # its service would point at a structure that is not there
        self.structures[checked["id"]] = checked
        offer = {
            "source": self.producer,
            "structure_id": checked["id"],
            "id": self._id(sid),
            "nom": service.name.source,
            "description": service.description.source,
            "lien_source": record_url(self.base_url, routes.service(sid)) or None,
            **_offer(self.directory, service, [service.category, *service.other_categories], service.address.commune),
            "publics_precisions": _age(service),
            "conditions_acces": _conditions(service.conditions, service.documents),
            **_place(self.directory, service.address, service.latitude, service.longitude),
            "horaires_accueil": service.opening_hours,
        }
        if (checked_offer := self._checked(di.Service, offer, "services", sid)) is not None:
            self.services.append(checked_offer)

    def _holder(self, pid: str, permanence: Permanence) -> str | None:
        held = permanence.held_by
        if held.service is not None:
            sid = self._id(held.service)
            if sid not in self.structures:
                self.rejected.append(
                    Rejected(
                        "permanences",
                        pid,
                        "structure_id",
                        f"data·inclusion : sa structure « {held.service} » est laissée hors de l'export (voir sa fiche)",
                    )
                )
                return None
            return sid
        assert held.organization is not None  # a permanence is held by a service or an organisation
        name = held.organization.source
        sid = self._id("organisations:" + slugify(name))
        known = self.structures.get(sid)
        verified = permanence.verified.isoformat()
        if known is None or known["date_maj"] < verified:
            structure = {"source": self.producer, "id": sid, "nom": name, "date_maj": verified}
            if (checked := self._checked(di.Structure, structure, "permanences", pid)) is None:
                return None
            self.structures[sid] = checked
        return sid

    def permanence(self, pid: str, permanence: Permanence) -> None:
        structure_id = self._holder(pid, permanence)
        if structure_id is None:
            return  # reported
        place = self.directory.place_of_permanence(pid)
        offer = {
            "source": self.producer,
            "structure_id": structure_id,
            "id": self._id("permanences:" + pid),
            "nom": permanence.name.source,
            "description": permanence.description.source,
            "lien_source": record_url(self.base_url, routes.permanence(pid)) or None,
            **_offer(self.directory, permanence, permanence.categories, place.address.commune),
            **_place(self.directory, place.address, place.latitude, place.longitude),
            "horaires_accueil": permanence.schedule,
        }
        if (checked := self._checked(di.Service, offer, "permanences", pid)) is not None:
            self.services.append(checked)


def export(directory: Directory, *, base_url: str | None, producer: str) -> Export:
    """The structures and services of the directory, as data·inclusion v1 objects."""
    builder = _Builder(directory, base_url, producer)
    for sid, service in sorted(directory.services.items()):
        builder.service(sid, service)
    for pid, permanence in sorted(directory.permanences.items()):
        builder.permanence(pid, permanence)
    structures = [builder.structures[key] for key in sorted(builder.structures)]
    return Export(structures, sorted(builder.services, key=lambda s: s["id"]), builder.rejected)


def producer_id(name: str) -> str:
    """The default data·inclusion `source` of a portal: its territory's name as an id."""
    return slugify(name) or "portail-sante"
