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

from dataclasses import dataclass, field
from typing import Any, Iterable

import phonenumbers
from data_inclusion.schema import v1 as di
from pydantic import TypeAdapter, ValidationError

from ..models import AppointmentPolicy, Cost, Taxonomy, Territory
from ..types import Email, OpeningHoursRule, PhoneNumber, Url, slugify
from ..validate import PLACEHOLDER

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
        self.categories = list(taxonomy.categories)
        self.by_thematique: dict[str, list[str]] = {}
        for cid, category in taxonomy.categories.items():
            for thematique in category.data_inclusion:
                self.by_thematique.setdefault(thematique, []).append(cid)
        self.by_public: dict[str, list[str]] = {}
        for pid, public in taxonomy.publics.items():
            for name in public.data_inclusion:
                self.by_public.setdefault(name, []).append(pid)

    # --- one field at a time: each returns the value, and records what did not map

    def categories_of(self, out: Imported, thematiques: Iterable[str] | None) -> None:
        found: list[str] = []
        for thematique in sorted(thematiques or ()):
            matches = self.by_thematique.get(thematique, [])
            if len(matches) == 1:
                found.append(matches[0])
            elif matches:
                out.unmapped.append(Unmapped(out.origin, "thematiques", thematique,
                                             f"several categories of taxonomy.yml have it ({', '.join(matches)}): choose one"))
            else:
                out.unmapped.append(Unmapped(out.origin, "thematiques", thematique,
                                             "no category of taxonomy.yml has it in its data_inclusion list"))
        ordered = [cid for cid in self.categories if cid in found]
        if ordered:
            out.data["category"] = ordered[0]
            if ordered[1:]:
                out.data["other_categories"] = ordered[1:]
        else:
            out.data["category"] = f"{PLACEHOLDER} : un identifiant de taxonomy.yml (thématiques data·inclusion : {_shown(thematiques or [])})"

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
                reason = (f"several publics of taxonomy.yml have it ({', '.join(matches)}): choose one" if matches
                          else "no public of taxonomy.yml has it in its data_inclusion list")
                out.unmapped.append(Unmapped(out.origin, "publics", name, reason))
        if found:
            out.data["publics"] = found

    def commune_of(self, out: Imported, code: str | None, name: str | None, postcode: str | None) -> str | None:
        if code in self.communes:
            return code
        if code is None and name:  # by name and postcode, when only one commune of the territory fits
            fits = [c.insee for c in self.communes.values()
                    if c.name.casefold() == name.casefold() and (postcode is None or postcode in c.postcodes)]
            if len(fits) == 1:
                return fits[0]
        out.unmapped.append(Unmapped(out.origin, "code_insee", code or name,
                                     "not a commune of territory.yml: is the place in the territory?"))
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
                if len(inside) == len(self.communes):
                    out.data["service_area"] = "territory"
                    return
                communes.extend(inside)
            else:
                out.unmapped.append(Unmapped(out.origin, "zone_eligibilite", code,
                                             "not a commune or département of the territory"))
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


def _appointment(service: di.Service | None) -> dict[str, Any] | None:
    """Walk-in when the only way is to come; booking first when one calls or books online."""
    if service is None:
        return None
    modes = {m.value for m in service.modes_mobilisation or ()}
    url = str(service.lien_mobilisation) if service.lien_mobilisation else None
    if not modes and not url:
        return None
    policy = (AppointmentPolicy.NOT_NEEDED if modes == {di.ModeMobilisation.SE_PRESENTER.value}
              else AppointmentPolicy.RECOMMENDED)
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


def _first(*values: Any) -> Any:
    return next((v for v in values if v not in (None, "")), None)


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
    data["description"] = _first(main.description, structure.description if structure else None) or (
        f"{PLACEHOLDER} : ce que le lieu propose, en phrases courtes")

    place = [p for p in (service, structure) if p is not None]
    code = mapper.commune_of(out, _first(*(p.code_insee for p in place)), _first(*(p.commune for p in place)),
                             _first(*(p.code_postal for p in place)))
    street = _first(*(p.adresse for p in place))
    data["address"] = {
        "street": street or f"{PLACEHOLDER} : numéro et rue",
        **({"additional": extra} if (extra := _first(*(p.complement_adresse for p in place))) else {}),
        "postcode": _first(*(p.code_postal for p in place)) or f"{PLACEHOLDER} : code postal",
        "commune": code or f"{PLACEHOLDER} : code INSEE d'une commune du territoire",
    }
    for axis in ("latitude", "longitude"):
        data[axis] = _first(*(getattr(p, axis) for p in place)) or f"{PLACEHOLDER} : {axis}"

    if phones := _phone(out, _first(*(p.telephone for p in place))):
        data["phones"] = phones
    if email := _checked(out, "courriel", Email, _first(*(p.courriel for p in place)), "not a valid e-mail address"):
        data["email"] = email
    if structure is not None and structure.site_web:
        if website := _checked(out, "site_web", Url, str(structure.site_web), "not a web address"):
            data["website"] = website
    hours = _first(*(p.horaires_accueil for p in place))
    if hours := _checked(out, "horaires_accueil", OpeningHoursRule, hours,
                         "not OpenStreetMap opening hours the portal can read: write them by hand"):
        data["opening_hours"] = hours
    if appointment := _appointment(service):
        data["appointment"] = appointment
    if cost := _cost(service):
        data["cost"] = cost
    if service is not None and service.frais_precisions:
        data["cost_details"] = service.frais_precisions
    mapper.publics_of(out, {p.value for p in service.publics} if service and service.publics else None)
    if service is not None:
        mapper.area_of(out, service.zone_eligibilite, code)
        if service.conditions_acces:
            data["conditions"] = service.conditions_acces
        modes = {m.value for m in service.modes_accueil or ()}
        if modes == {di.ModeAccueil.A_DISTANCE.value}:
            out.unmapped.append(Unmapped(out.origin, "modes_accueil", sorted(modes),
                                         "only at a distance: the portal lists places; check the address"))
    if structure is not None and structure.accessibilite_lieu:
        data["accessibility"] = {"acceslibre": str(structure.accessibilite_lieu)}
    for name, reason in NOT_IMPORTED.items():
        for part in place:
            value = getattr(part, name, None)
            if value:
                out.unmapped.append(Unmapped(out.origin, name, value if not isinstance(value, set) else sorted(value), reason))
    data["verified"] = main.date_maj.isoformat()
    link = f", {main.lien_source}" if main.lien_source else ""
    data["source"] = f"data·inclusion : {main.id} ({main.source}{link})"
    return out


def to_records(
    mapper: Mapper, services: list[di.Service], structures: list[di.Structure]
) -> list[Imported]:
    """Every service, with its structure; then the structures that have no service."""
    by_id = {s.id: s for s in structures}
    used = {s.structure_id for s in services}
    records = [to_record(mapper, service, by_id.get(service.structure_id)) for service in services]
    records += [to_record(mapper, None, structure) for structure in structures if structure.id not in used]
    return records
