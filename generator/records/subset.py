"""Part of a territory: the communes of some départements, or a few communes.

A regional portal can build as one site per département, each in its own CI
job (``build --departements 35``, see ci-templates/github-actions-regional.yml).
`restrict` keeps what a resident of the chosen communes is shown: those
communes, the services located in them, the permanences held in them (at an
address of theirs or at a kept service); dispositifs, pathways and the
taxonomy stay whole (they are rights, not places). Nothing kept may point
outside: service areas are cut to the kept communes, and a permanence held by
a service that is left out names that service as its organisation instead of
linking to it. Pure functions on validated records: the command line reads
the options and prints the errors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import TypeVar

from .departements import departement_of, name_of
from .models import Permanence, Service, Territory
from .types import ServiceArea
from .validate import Records

#: How many communes an error message names as examples.
EXAMPLES = 5

Offer = TypeVar("Offer", Service, Permanence)


class SubsetError(ValueError):
    """A chosen code is not in the territory, or the part is empty; the message says which and why."""


def parse_codes(text: str) -> tuple[str, ...]:
    """'35, 44,2a' -> ('35', '44', '2A'): comma-separated codes, each once, in their order."""
    return tuple(dict.fromkeys(code.strip().upper() for code in text.split(",") if code.strip()))


def _examples(territory: Territory) -> str:
    shown = ", ".join(f"{c.insee} ({c.name})" for c in territory.communes[:EXAMPLES])
    more = len(territory.communes) - EXAMPLES
    return shown + (f" et {more} autres dans territory.yml" if more > 0 else "")


def _known_departements(territory: Territory) -> str:
    """'35 (Ille-et-Vilaine, 5 communes), 44 (Loire-Atlantique, 5 communes)': what a code may be."""
    counts = Counter(departement_of(c.insee) for c in territory.communes)
    return ", ".join(
        f"{code} ({name_of(code)}, {count} commune{'s' if count > 1 else ''})" for code, count in sorted(counts.items())
    )


def chosen_communes(
    territory: Territory, *, departements: Sequence[str] = (), communes: Sequence[str] = ()
) -> frozenset[str]:
    """The INSEE codes of the communes of `departements`, and of `communes`.

    Raises SubsetError when no code is given, or naming every code the
    territory does not have, with the codes it has.
    """
    if not departements and not communes:
        raise SubsetError(
            "aucun code donné : attendu des codes séparés par des virgules, comme 35,44 pour des départements "
            "ou 35236,35013 pour des communes (codes INSEE)"
        )
    by_departement: dict[str, set[str]] = {}
    for commune in territory.communes:
        by_departement.setdefault(departement_of(commune.insee), set()).add(commune.insee)
    unknown = [code for code in departements if code not in by_departement]
    if unknown:
        raise SubsetError(
            f"{', '.join(unknown)} : pas un département de ce territoire (aucune commune de territory.yml n'y est) : "
            f"attendu des codes de départements parmi {_known_departements(territory)}"
        )
    insee = {c.insee for c in territory.communes}
    missing = [code for code in communes if code not in insee]
    if missing:
        postcodes = {code: [c for c in territory.communes if code in c.postcodes] for code in missing}
        hints = "; ".join(
            f"{code} est le code postal de {', '.join(f'{c.name} (code INSEE {c.insee})' for c in found)}"
            for code, found in postcodes.items()
            if found
        )
        raise SubsetError(
            f"{', '.join(missing)} : pas le code INSEE d'une commune de ce territoire"
            f"{f' ({hints})' if hints else ''} : attendu des codes INSEE de territory.yml, comme {_examples(territory)}"
        )
    return frozenset().union(*(by_departement[code] for code in departements), communes)


def _within(area: ServiceArea | None, keep: Collection[str]) -> ServiceArea | None:
    if area is None or area.everywhere:
        return area  # 'territory': now the kept communes, all of them in the whole territory
    return ServiceArea(everywhere=False, communes=tuple(code for code in area.communes if code in keep))


def _cut(offer: Offer, keep: Collection[str]) -> Offer:
    area = _within(offer.service_area, keep)
    return offer if area == offer.service_area else offer.model_copy(update={"service_area": area})


def restrict(records: Records, keep: Collection[str]) -> Records:
    """The records a site of the communes `keep` (INSEE codes) shows; SubsetError when it has no place.

    `records` is not changed: the result shares the records it keeps as they are.
    """
    keep = frozenset(keep)
    services = {sid: _cut(s, keep) for sid, s in records.services.items() if s.address.commune in keep}
    permanences: dict[str, Permanence] = {}
    for pid, permanence in records.permanences.items():
        host, address = permanence.location.service, permanence.location.address
        if (host in services) if host is not None else (address is not None and address.commune in keep):
            permanence = _cut(permanence, keep)
            holder = permanence.held_by.service
            if holder is not None and holder not in services:
                # Its holder's page is not on this site: name it, as an organisation is named.
                held_by = permanence.held_by.model_copy(
                    update={"service": None, "organization": records.services[holder].name}
                )
                permanence = permanence.model_copy(update={"held_by": held_by})
            permanences[pid] = permanence
    if not services and not permanences:
        raise SubsetError(
            "aucun service et aucune permanence dans ces communes : le site ne montrerait aucun lieu. "
            "Choisissez plus de communes, ou ajoutez d'abord leurs fiches"
        )
    territory = records.territory.model_copy(
        update={"communes": [c for c in records.territory.communes if c.insee in keep]}
    )
    kept: dict[str, Collection[str]] = {"services": services, "permanences": permanences}
    documents = {
        (kind, rid): document
        for (kind, rid), document in records.documents.items()
        if kind not in kept or rid in kept[kind]
    }
    return replace(records, territory=territory, services=services, permanences=permanences, documents=documents)
