"""data·inclusion structures and services -> our service records (as YAML-ready data).

Each data·inclusion *service* becomes one of our services (a place and what it
offers); its *structure* fills what the service leaves out (address, phone,
hours) and names the organisation. A structure with no service in the files
becomes a service record of its own.

Nothing is guessed. A value maps when the territory says how: categories and
publics through the `data_inclusion` lists of taxonomy.yml, communes through
territory.yml, hours when they are valid OpenStreetMap hours. Anything else is
reported, by record and field; a required field that cannot be filled gets the
"À REMPLIR" placeholder, which `check` reports until someone fills it in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from data_inclusion.schema import v1 as di
from pydantic import TypeAdapter, ValidationError

from ..records.models import AppointmentPolicy, Cost, Taxonomy, Territory
from ..records.types import Email, OpeningHoursRule, PhoneNumber, Url, slugify
from ..records.validate import PLACEHOLDER

#: Fields we have no place for: reported when they hold a value, never copied.
NOT_IMPORTED = {
    "type": "no equivalent field: the category says what the place is",
    "publics_precisions": "no equivalent field: add it to the description or the conditions by hand",
    "contact_nom_prenom": "a person's name is personal data: the portal gives the place's contacts only",
    "mobilisable_par": "no equivalent field",
    "volume_horaire_hebdomadaire": "no equivalent field",
    "nombre_semaines": "no equivalent field",
    "siret": "no equivalent field",
    "reseaux_porteurs": "no equivalent field",
}


@dataclass(frozen=True)
class Unmapped:
    """A value of the input that did not become part of a record."""

    origin: str  # the data·inclusion id
    field: str
    value: Any
    reason: str

    def format(self) -> str:
        return f"{self.origin}: {self.field}: {_shown(self.value)}: {self.reason}"


@dataclass
class Imported:
    rid: str  # our id: the file name under services/
    origin: str  # the data·inclusion id
    data: dict[str, Any]
    unmapped: list[Unmapped] = field(default_factory=list)


def _shown(value: Any) -> str:
    if isinstance(value, (list, set, tuple)):
        return ", ".join(sorted(f"'{v}'" for v in value)) or "[]"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def record_id(origin: str) -> str:
    """'dora--AidantsConnect:2024-47BXY' -> 'dora-aidantsconnect-2024-47bxy': stable, so a second import finds it."""
    return slugify(origin)


def _valid(kind: Any, value: Any) -> bool:
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True


class Mapper:
    """The territory's correspondences, read once."""

    def __init__(self, territory: Territory, taxonomy: Taxonomy) -> None:
        self.communes = {c.insee: c for c in territory.communes}
        self.categories = {
            cid: frozenset(c.data_inclusion) for cid, c in taxonomy.categories.items() if c.data_inclusion
        }
        self.by_public: dict[str, list[str]] = {}
        for pid, public in taxonomy.publics.items():
            for name in public.data_inclusion:
                self.by_public.setdefault(name, []).append(pid)

    # --- one field at a time: each sets the record's value, and records what did not map

    def categories_of(self, out: Imported, thematiques: Iterable[str] | None) -> None:
        """The categories whose whole `data_inclusion` list the service has (the widest ones).

        A category is never chosen on one of its thématiques alone: a PMI (soins +
        parentalité) is not what a service of 'parentalité' only is. Categories with
        the same list cannot be told apart: the coordinator chooses.
        """
        given = frozenset(thematiques or ())
        fitting = {cid: wanted for cid, wanted in self.categories.items() if wanted <= given}
        widest = {
            cid: wanted for cid, wanted in fitting.items() if not any(wanted < other for other in fitting.values())
        }
        groups: dict[frozenset[str], list[str]] = {}
        for cid, wanted in widest.items():
            groups.setdefault(wanted, []).append(cid)
        chosen = [cids[0] for cids in groups.values() if len(cids) == 1]
        for wanted, cids in groups.items():
            if len(cids) > 1:
                out.unmapped.append(
                    Unmapped(
                        out.origin,
                        "thematiques",
                        sorted(wanted),
                        f"several categories of taxonomy.yml have exactly these ({', '.join(cids)}): choose one",
                    )
                )
        covered = frozenset().union(*groups) if groups else frozenset()
        for thematique in sorted(given - covered):
            out.unmapped.append(
                Unmapped(
                    out.origin,
                    "thematiques",
                    thematique,
                    "no category of taxonomy.yml has it in its data_inclusion list",
                )
            )
        ordered = [cid for cid in self.categories if cid in chosen]
        if ordered:
            out.data["category"] = ordered[0]
            if ordered[1:]:
                out.data["other_categories"] = ordered[1:]
        else:
            out.data["category"] = (
                f"{PLACEHOLDER} : un identifiant de taxonomy.yml (thématiques data·inclusion : {', '.join(sorted(given)) or 'aucune'})"
            )

    def publics_of(self, out: Imported, publics: Iterable[str] | None) -> None:
        names = sorted(publics or ())
        if not names or names == [di.Public.TOUS_PUBLICS.value]:
            return  # no public named: everyone
        found = []
        for name in names:
            matches = self.by_public.get(name, [])
            if len(matches) == 1:
                found.append(matches[0])
            else:
                reason = (
                    f"several publics of taxonomy.yml have it ({', '.join(matches)}): choose one"
                    if matches
                    else "no public of taxonomy.yml has it in its data_inclusion list"
                )
                out.unmapped.append(Unmapped(out.origin, "publics", name, reason))
        if found:
            out.data["publics"] = found
        else:  # none named would mean everyone: wider than the producer said
            out.data["publics"] = [
                f"{PLACEHOLDER} : un public de taxonomy.yml (publics data·inclusion : {', '.join(names)})"
            ]

    def commune_of(self, out: Imported, code: str | None, name: str | None, postcode: str | None) -> str | None:
        if code in self.communes:
            return code
        if code is None and name:  # by name and postcode, when only one commune of the territory fits
            fits = [
                c.insee
                for c in self.communes.values()
                if c.name.casefold() == name.casefold() and (postcode is None or postcode in c.postcodes)
            ]
            if len(fits) == 1:
                return fits[0]
        out.unmapped.append(
            Unmapped(
                out.origin, "code_insee", code or name, "not a commune of territory.yml: is the place in the territory?"
            )
        )
        return None

    def area_of(self, out: Imported, codes: list[str] | None, own: str | None) -> None:
        if not codes:
            return
        if "france" in codes or "99100" in codes:
            out.data["service_area"] = "territory"
            return
        communes: list[str] = []
        for code in codes:
            if code in self.communes:
                communes.append(code)
            elif len(code) in (2, 3) and code.isalnum():  # a département: its communes in the territory
                inside = [insee for insee in self.communes if insee.startswith(code)]
                if not inside:
                    out.unmapped.append(
                        Unmapped(out.origin, "zone_eligibilite", code, "a département with no commune of the territory")
                    )
                elif len(inside) == len(self.communes):
                    out.data["service_area"] = "territory"
                    return
                communes.extend(inside)
            else:
                out.unmapped.append(
                    Unmapped(out.origin, "zone_eligibilite", code, "not a commune or département of the territory")
                )
        if communes and communes != [own]:
            out.data["service_area"] = sorted(set(communes)) if set(communes) != set(self.communes) else "territory"


def _phone(out: Imported, value: str | None) -> list[str] | None:
    if not value:
        return None
    if not _valid(PhoneNumber, value):
        out.unmapped.append(Unmapped(out.origin, "telephone", value, "not a valid phone number"))
        return None
    parsed = phonenumbers.parse(value, "FR")
    if parsed.country_code == 33 and phonenumbers.is_valid_number(parsed):
        value = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return [value]


def _checked(out: Imported, name: str, kind: Any, value: Any, reason: str) -> Any:
    if value is None or value == "":
        return None
    if _valid(kind, value):
        return value
    out.unmapped.append(Unmapped(out.origin, name, value, reason))
    return None


ADDRESS_FIELDS = ("adresse", "complement_adresse", "code_postal", "code_insee", "commune", "latitude", "longitude")
PERSONAL = frozenset({"contact_nom_prenom"})


def _appointment(out: Imported, service: di.Service | None) -> dict[str, Any] | None:
    """Walk-in when one may just come; booking first when one calls or books online.

    Modes our records cannot say (e-mail, or calling when walk-in is also accepted)
    are reported: the export gives back phone and link from the record itself.
    """
    if service is None:
        return None
    modes = {m.value for m in service.modes_mobilisation or ()}
    url = str(service.lien_mobilisation) if service.lien_mobilisation else None
    if url and not _valid(Url, url):
        out.unmapped.append(Unmapped(out.origin, "lien_mobilisation", url, "not a web address the portal accepts"))
        url = None
    if not modes and not url:
        if service.mobilisation_precisions:
            out.unmapped.append(
                Unmapped(
                    out.origin,
                    "mobilisation_precisions",
                    service.mobilisation_precisions,
                    "without modes_mobilisation, whether to book first is not said: add 'appointment' by hand",
                )
            )
        return None
    walk_in = di.ModeMobilisation.SE_PRESENTER.value in modes
    policy = AppointmentPolicy.NOT_NEEDED if walk_in else AppointmentPolicy.RECOMMENDED
    kept = (
        {di.ModeMobilisation.SE_PRESENTER.value}
        if walk_in
        else {di.ModeMobilisation.TELEPHONER.value, di.ModeMobilisation.UTILISER_LIEN_MOBILISATION.value}
    )
    for mode in sorted(modes - kept):
        out.unmapped.append(
            Unmapped(
                out.origin,
                "modes_mobilisation",
                mode,
                f"the record says '{policy.value}' for the appointment, which does not carry this mode",
            )
        )
    appointment: dict[str, Any] = {"policy": policy.value}
    if service.mobilisation_precisions:
        appointment["details"] = service.mobilisation_precisions
    if url:
        appointment["url"] = url
    return appointment


def _cost(service: di.Service | None) -> list[str] | None:
    if service is None or service.frais is None:
        return None
    return [Cost.FREE.value if service.frais is di.Frais.GRATUIT else Cost.PAID.value]


def _address(mapper: Mapper, out: Imported, place: di.Service | di.Structure | None) -> None:
    """The whole address from one object: a service's own place, or its structure's, never a mix."""
    code = None
    if place is not None:
        code = mapper.commune_of(out, place.code_insee, place.commune, place.code_postal)
    get = (lambda name: getattr(place, name)) if place is not None else (lambda name: None)
    out.data["address"] = {
        "street": get("adresse") or f"{PLACEHOLDER} : numéro et rue",
        **({"additional": get("complement_adresse")} if get("complement_adresse") else {}),
        "postcode": get("code_postal") or f"{PLACEHOLDER} : code postal",
        "commune": code or f"{PLACEHOLDER} : code INSEE d'une commune du territoire",
    }
    for axis in ("latitude", "longitude"):
        value = get(axis)
        out.data[axis] = value if value is not None and math.isfinite(value) else f"{PLACEHOLDER} : {axis}"


def _one(out: Imported, name: str, service: Any, structure: Any) -> Any:
    """The service's value, else its structure's; a different structure value is reported, not lost."""
    mine = getattr(service, name, None) if service is not None else None
    theirs = getattr(structure, name, None) if structure is not None else None
    if mine not in (None, "") and theirs not in (None, "") and str(theirs) != str(mine):
        out.unmapped.append(
            Unmapped(
                out.origin, f"structure.{name}", theirs, "the structure's value differs: the record keeps the service's"
            )
        )
    return mine if mine not in (None, "") else theirs


def to_record(mapper: Mapper, service: di.Service | None, structure: di.Structure | None) -> Imported:
    """One of our service records from a data·inclusion service and/or its structure."""
    main = service or structure
    assert main is not None
    out = Imported(record_id(main.id), main.id, {})
    data = out.data
    data["name"] = main.nom
    if service is not None and structure is not None and structure.nom != service.nom:
        data["organization"] = structure.nom
    mapper.categories_of(out, service.thematiques if service else None)
    if service is not None and structure is not None and structure.description:
        data["summary"] = structure.description  # what the export gives back as the structure's description
    data["description"] = main.description or f"{PLACEHOLDER} : ce que le lieu propose, en phrases courtes"

    own_place = service is not None and any(getattr(service, f) is not None for f in ADDRESS_FIELDS)
    _address(mapper, out, service if own_place else structure)
    if phones := _phone(out, _one(out, "telephone", service, structure)):
        data["phones"] = phones
    if email := _checked(
        out, "courriel", Email, _one(out, "courriel", service, structure), "not a valid e-mail address"
    ):
        data["email"] = email
    if structure is not None and structure.site_web:
        if website := _checked(out, "site_web", Url, str(structure.site_web), "not a web address the portal accepts"):
            data["website"] = website
    hours = _one(out, "horaires_accueil", service, structure)
    if hours := _checked(
        out,
        "horaires_accueil",
        OpeningHoursRule,
        hours,
        "not OpenStreetMap opening hours the portal can read: write them by hand",
    ):
        data["opening_hours"] = hours
    if appointment := _appointment(out, service):
        data["appointment"] = appointment
    if cost := _cost(service):
        data["cost"] = cost
    if service is not None and service.frais_precisions:
        data["cost_details"] = service.frais_precisions
    mapper.publics_of(out, {p.value for p in service.publics} if service and service.publics else None)
    if service is not None:
        mapper.area_of(out, service.zone_eligibilite, data["address"]["commune"])
        if service.conditions_acces:
            data["conditions"] = service.conditions_acces
        for mode in sorted({m.value for m in service.modes_accueil or ()} - {di.ModeAccueil.EN_PRESENTIEL.value}):
            out.unmapped.append(
                Unmapped(
                    out.origin,
                    "modes_accueil",
                    mode,
                    "the portal lists places to go to: say in the description what is done at a distance",
                )
            )
    # the acceslibre page describes the structure's building: only for a record at that address
    same_building = structure is not None and (
        not own_place
        or (
            service is not None and (service.adresse, service.code_postal) == (structure.adresse, structure.code_postal)
        )
    )
    if structure is not None and structure.accessibilite_lieu and not same_building:
        out.unmapped.append(
            Unmapped(
                out.origin,
                "structure.accessibilite_lieu",
                str(structure.accessibilite_lieu),
                "the structure's building, not the service's address",
            )
        )
    elif structure is not None and structure.accessibilite_lieu:
        if link := _checked(
            out, "accessibilite_lieu", Url, str(structure.accessibilite_lieu), "not a web address the portal accepts"
        ):
            data["accessibility"] = {"acceslibre": link}
    for name, reason in NOT_IMPORTED.items():
        for part in (service, structure):
            value = getattr(part, name, None) if part is not None else None
            if value:
                shown = "(not shown)" if name in PERSONAL else (sorted(value) if isinstance(value, set) else value)
                out.unmapped.append(Unmapped(out.origin, name, shown, reason))
    data["verified"] = main.date_maj.isoformat()
    link = f", {main.lien_source}" if main.lien_source else ""
    data["source"] = f"data·inclusion : {main.id} ({main.source}{link})"
    return out


def to_records(
    mapper: Mapper, services: list[di.Service], structures: list[di.Structure], claimed: AbstractSet[str] = frozenset()
) -> list[Imported]:
    """Every service, with its structure; then the structures no service claims.

    `claimed`: the structure ids every service of the files names, the ones refused
    by the schema too: their structure is not a place of its own.
    """
    by_id = {s.id: s for s in structures}
    records = []
    for service in services:
        record = to_record(mapper, service, by_id.get(service.structure_id))
        if service.structure_id not in by_id:
            record.unmapped.append(
                Unmapped(
                    record.origin,
                    "structure_id",
                    service.structure_id,
                    "no structure with this id in the files: the organisation is not named",
                )
            )
        records.append(record)
    used = {s.structure_id for s in services} | set(claimed)
    records += [to_record(mapper, None, structure) for structure in structures if structure.id not in used]
    return records
