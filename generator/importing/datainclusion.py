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
from .messages import shown

#: Fields we have no place for: reported when they hold a value, never copied.
NOT_IMPORTED = {
    "type": "pas de champ équivalent : la catégorie dit ce qu'est le lieu",
    "publics_precisions": "pas de champ équivalent : ajoutez-le à la main à la description ou aux conditions",
    "contact_nom_prenom": "le nom d'une personne est une donnée personnelle : le portail ne donne que les coordonnées du lieu",
    "mobilisable_par": "pas de champ équivalent : le portail ne dit pas encore quand seul un professionnel peut orienter",
    "volume_horaire_hebdomadaire": "pas de champ équivalent",
    "nombre_semaines": "pas de champ équivalent",
    "siret": "pas de champ équivalent",
    "reseaux_porteurs": "pas de champ équivalent",
}


@dataclass(frozen=True)
class Unmapped:
    """A value of the input that did not become part of a record."""

    origin: str  # the data·inclusion id
    field: str
    value: Any
    reason: str

    def format(self) -> str:
        return f"{self.origin}, {self.field} : {_shown(self.value)} : {self.reason}"


@dataclass
class Imported:
    rid: str  # our id: the file name under services/
    origin: str  # the data·inclusion id
    data: dict[str, Any]
    unmapped: list[Unmapped] = field(default_factory=list)


def _shown(value: Any) -> str:
    if isinstance(value, (list, set, tuple)):
        return ", ".join(sorted(shown(v) for v in value)) or "[]"
    return shown(value)


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
                        f"plusieurs catégories de taxonomy.yml ont exactement celles-ci ({', '.join(cids)}) : choisissez-en une",
                    )
                )
        covered = frozenset().union(*groups) if groups else frozenset()
        for thematique in sorted(given - covered):
            out.unmapped.append(
                Unmapped(
                    out.origin,
                    "thematiques",
                    thematique,
                    "aucune catégorie de taxonomy.yml ne l'a dans sa liste data_inclusion",
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
                    f"plusieurs publics de taxonomy.yml l'ont ({', '.join(matches)}) : choisissez-en un"
                    if matches
                    else "aucun public de taxonomy.yml ne l'a dans sa liste data_inclusion"
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
                out.origin,
                "code_insee",
                code or name or "(aucune adresse)",
                "pas une commune de territory.yml : le lieu est-il dans le territoire ?",
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
                        Unmapped(out.origin, "zone_eligibilite", code, "un département sans commune du territoire")
                    )
                elif len(inside) == len(self.communes):
                    out.data["service_area"] = "territory"
                    return
                communes.extend(inside)
            else:
                out.unmapped.append(
                    Unmapped(out.origin, "zone_eligibilite", code, "ni une commune ni un département du territoire")
                )
        if communes and communes != [own]:
            out.data["service_area"] = sorted(set(communes)) if set(communes) != set(self.communes) else "territory"


def _phone(out: Imported, value: str | None) -> list[str] | None:
    if not value:
        return None
    if not _valid(PhoneNumber, value):
        out.unmapped.append(Unmapped(out.origin, "telephone", value, "pas un numéro de téléphone valide"))
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
        out.unmapped.append(
            Unmapped(out.origin, "lien_mobilisation", url, "pas une adresse web que le portail accepte")
        )
        url = None
    if not modes and not url:
        if service.mobilisation_precisions:
            out.unmapped.append(
                Unmapped(
                    out.origin,
                    "mobilisation_precisions",
                    service.mobilisation_precisions,
                    "sans modes_mobilisation, rien ne dit s'il faut prendre rendez-vous : ajoutez « appointment » à la main",
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
                f"la fiche dit « {policy.value} » pour le rendez-vous, ce qui ne porte pas ce mode",
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
                out.origin,
                f"structure.{name}",
                theirs,
                "la valeur de la structure diffère : la fiche garde celle du service",
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
    # the acceslibre page describes the structure's building: only for a record at that address
    same_building = structure is not None and (
        not own_place
        or (
            service is not None and (service.adresse, service.code_postal) == (structure.adresse, structure.code_postal)
        )
    )
    mine = service.telephone if service is not None else None
    theirs = structure.telephone if structure is not None else None
    if mine and theirs and same_building and mine != theirs:
        # one place, two numbers (the service's line, the structure's switchboard): both are kept
        phones = (_phone(out, mine) or []) + (_phone(out, theirs) or [])
    else:
        phones = _phone(out, _one(out, "telephone", service, structure)) or []
    if phones:
        data["phones"] = list(dict.fromkeys(phones))
    if email := _checked(
        out, "courriel", Email, _one(out, "courriel", service, structure), "pas une adresse électronique valide"
    ):
        data["email"] = email
    if structure is not None and structure.site_web:
        if website := _checked(
            out, "site_web", Url, str(structure.site_web), "pas une adresse web que le portail accepte"
        ):
            data["website"] = website
    hours = _one(out, "horaires_accueil", service, structure)
    if hours := _checked(
        out,
        "horaires_accueil",
        OpeningHoursRule,
        hours,
        "pas des horaires OpenStreetMap que le portail sait lire : écrivez-les à la main",
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
                    "le portail liste des lieux où aller : dites dans la description ce qui se fait à distance",
                )
            )
    if structure is not None and structure.accessibilite_lieu and not same_building:
        out.unmapped.append(
            Unmapped(
                out.origin,
                "structure.accessibilite_lieu",
                str(structure.accessibilite_lieu),
                "le bâtiment de la structure, pas l'adresse du service",
            )
        )
    elif structure is not None and structure.accessibilite_lieu:
        if link := _checked(
            out,
            "accessibilite_lieu",
            Url,
            str(structure.accessibilite_lieu),
            "pas une adresse web que le portail accepte",
        ):
            data["accessibility"] = {"acceslibre": link}
    for name, reason in NOT_IMPORTED.items():
        for part in (service, structure):
            value = getattr(part, name, None) if part is not None else None
            if name == "mobilisable_par" and value and {str(getattr(v, "value", v)) for v in value} <= {"usagers"}:
                continue  # what every record's appointment already says: residents come or book themselves
            if value:
                shown = "(non affiché)" if name in PERSONAL else (sorted(value) if isinstance(value, set) else value)
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
                    "aucune structure de cet identifiant dans les fichiers : l'organisme n'est pas nommé",
                )
            )
        records.append(record)
    used = {s.structure_id for s in services} | set(claimed)
    records += [to_record(mapper, None, structure) for structure in structures if structure.id not in used]
    return records
