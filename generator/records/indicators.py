"""The observatory's figures: what the records say about the offer of care, commune by commune.

For the CLS and CPTS evaluating their territory. Everything is computed from the
`Directory` and its `today`: the same records give the same figures. Nothing about
residents is counted: only places, sessions and the records' own dates.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from ..i18n import coverage
from .directory import Directory
from .freshness import is_current, months_before
from .models import NewPatients

#: The categories whose nearest place is measured from each commune's centre (taxonomy ids).
NEAREST = ("pass", "cmp", "pmi", "france-services", "dentiste")
#: Permanences per month: the sure sessions of the `MONTH_DAYS` days starting today.
MONTH_DAYS = 30
#: The shares of records checked within these many months.
CHECKED_WITHIN = (6, 12)
PER_INHABITANTS = 10_000


def nearest_column(cid: str) -> str:
    """The name of the km to the nearest place of category `cid`, in observatoire.csv and mkdocs.yml."""
    return f"nearest_{cid.replace('-', '_')}_km"


#: The per-commune figures the observatory's map can be shaded by (mkdocs.yml: `observatory.map`),
#: named as the columns of data/observatoire.csv.
MAP_INDICATORS = (
    "nearest_gp_accepting_km",
    "gp_per_10000",
    "gp_accepting_per_10000",
    *(nearest_column(cid) for cid in NEAREST),
    "sessions_30_days",
)
DEFAULT_MAP_INDICATOR = "nearest_gp_accepting_km"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of 6371 km (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class CommuneFigures:
    insee: str
    name: str
    population: int | None
    population_year: int | None
    population_source: str | None
    gp_practices: int  # GP practices located in the commune
    gp_accepting: int  # of which take new patients (a current 'accepting' answer)
    gp_per_10000: float | None  # None without a population
    gp_accepting_per_10000: float | None
    #: km from the commune's centre to the nearest GP practice taking new patients; None when there is none.
    nearest_gp_accepting_km: float | None
    #: km to the nearest place of each `NEAREST` category, by category id.
    nearest_km: dict[str, float | None]
    sessions_per_month: int  # sure permanence sessions held in the commune within `MONTH_DAYS` days

    def value(self, indicator: str) -> float | int | None:
        """The figure of one of `MAP_INDICATORS`."""
        if indicator == "sessions_30_days":
            return self.sessions_per_month
        for cid in self.nearest_km:
            if indicator == nearest_column(cid):
                return self.nearest_km[cid]
        if indicator not in ("nearest_gp_accepting_km", "gp_per_10000", "gp_accepting_per_10000"):
            raise ValueError(f"unknown indicator {indicator!r}")
        value: float | None = getattr(self, indicator)
        return value


@dataclass(frozen=True)
class NeighbourhoodFigures:
    code: str
    name: str
    kind: str  # 'qpv' or 'other'
    insee: str  # its commune
    commune: str
    population: int | None
    population_year: int | None
    population_source: str | None
    #: Its point, or its outline's centroid: where distances are measured from (6 decimals).
    latitude: float
    longitude: float
    services: int  # places in it (`neighbourhoods.py`: named, or inside its outline)
    permanences: int  # drop-in sessions in it that have not ended
    nearest_gp_accepting_km: float | None
    nearest_km: dict[str, float | None]


@dataclass(frozen=True)
class LanguageCoverage:
    language: str
    records: int  # records every text of which is in the language
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.records / self.total, 1) if self.total else 100.0


@dataclass(frozen=True)
class Observatory:
    today: dt.date
    month_end: dt.date  # the last day counted in `sessions_per_month`
    communes: list[CommuneFigures]
    neighbourhoods: list[NeighbourhoodFigures]
    records: int  # services, permanences, dispositifs and pathways
    checked_within: dict[int, int]  # months → records checked (`verified`) within them
    translations: list[LanguageCoverage]

    def checked_percent(self, months: int) -> float:
        return round(100 * self.checked_within[months] / self.records, 1) if self.records else 0.0


def _rate(count: int, population: int | None) -> float | None:
    return round(count * PER_INHABITANTS / population, 1) if population else None


def _nearest(points: Iterable[tuple[float, float]], latitude: float, longitude: float) -> float | None:
    found = [distance_km(latitude, longitude, lat, lon) for lat, lon in points]
    return round(min(found), 1) if found else None


def is_gp(directory: Directory, sid: str) -> bool:
    service = directory.services[sid]
    categories = directory.taxonomy.categories
    return any(c in categories and categories[c].regular_doctor for c in [service.category, *service.other_categories])


def takes_new_patients(directory: Directory, sid: str) -> bool:
    """A current 'accepting' answer: 'limited', 'waiting list' and old answers do not count."""
    answer = directory.services[sid].accepts_new_patients
    return answer is not None and answer.status is NewPatients.ACCEPTING and is_current(answer.checked, directory.today)


def _places_of(directory: Directory, cid: str) -> list[tuple[float, float]]:
    """Where a category is found: its services, and its permanences that have not ended."""
    points = [
        (directory.services[s].latitude, directory.services[s].longitude)
        for s in directory.services_by_category.get(cid, [])
    ]
    for pid in directory.permanences_by_category.get(cid, []):
        if not directory.has_ended(pid):
            place = directory.place_of_permanence(pid)
            points.append((place.latitude, place.longitude))
    return points


def observatory(directory: Directory, languages: Iterable[str]) -> Observatory:
    """The figures of every commune and of the territory; `languages`: those whose record
    translations are measured (the source language is left out)."""
    today = directory.today
    month_end = today + dt.timedelta(days=MONTH_DAYS - 1)
    gps = [sid for sid in directory.services if is_gp(directory, sid)]
    accepting = [sid for sid in gps if takes_new_patients(directory, sid)]
    accepting_points = [(directory.services[s].latitude, directory.services[s].longitude) for s in accepting]
    places = {cid: _places_of(directory, cid) for cid in NEAREST}
    sessions_in: dict[str, int] = {}
    for pid in directory.permanences:
        held_in = directory.place_of_permanence(pid).address.commune
        held = len(directory.permanence_sessions(pid, today, month_end))
        sessions_in[held_in] = sessions_in.get(held_in, 0) + held
    rows = []
    for insee, commune in directory.communes.items():
        population = commune.population
        count = population.count if population else None
        located = [sid for sid in gps if directory.services[sid].address.commune == insee]
        taking = [sid for sid in located if sid in accepting]
        rows.append(
            CommuneFigures(
                insee=insee,
                name=commune.name,
                population=count,
                population_year=population.year if population else None,
                population_source=population.source if population else None,
                gp_practices=len(located),
                gp_accepting=len(taking),
                gp_per_10000=_rate(len(located), count),
                gp_accepting_per_10000=_rate(len(taking), count),
                nearest_gp_accepting_km=_nearest(accepting_points, commune.latitude, commune.longitude),
                nearest_km={cid: _nearest(places[cid], commune.latitude, commune.longitude) for cid in NEAREST},
                sessions_per_month=sessions_in.get(insee, 0),
            )
        )
    records = [
        *directory.services.values(),
        *directory.permanences.values(),
        *directory.dispositifs.values(),
        *directory.pathways.values(),
    ]
    checked = {months: sum(r.verified >= months_before(today, months) for r in records) for months in CHECKED_WITHIN}
    translations = []
    for language in languages:
        share = coverage._share(records, language)
        translations.append(LanguageCoverage(language, share.done, share.total))
    quarters = [
        NeighbourhoodFigures(
            code=code,
            name=found.neighbourhood.name,
            kind=found.neighbourhood.kind.value,
            insee=found.commune,
            commune=directory.communes[found.commune].name,
            population=found.neighbourhood.population.count if found.neighbourhood.population else None,
            population_year=found.neighbourhood.population.year if found.neighbourhood.population else None,
            population_source=found.neighbourhood.population.source if found.neighbourhood.population else None,
            latitude=round(found.latitude, 6),
            longitude=round(found.longitude, 6),
            services=len(found.services),
            permanences=len(found.permanences),
            # The same places and the same measure as the communes', from the neighbourhood's point.
            nearest_gp_accepting_km=_nearest(accepting_points, found.latitude, found.longitude),
            nearest_km={cid: _nearest(places[cid], found.latitude, found.longitude) for cid in NEAREST},
        )
        for code, found in directory.neighbourhoods.items()
    ]
    return Observatory(today, month_end, rows, quarters, len(records), checked, translations)
