"""The GeoJSON files of data/: places, drop-in sessions, communes and their neighbourhoods, for
maps; the public-transport stops and lines when the territory has GTFS feeds (`transport.py`).

Coordinates are longitude first (RFC 7946). The interactive map reads
`data/services.geojson`, or, on a large territory, one commune's file at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import geojson

from .. import routes
from ..records.directory import Directory
from ..records.models import AppointmentPolicy, Cost, WheelchairAccess
from .jsontext import without_markup
from .transport import transport_geojson

#: How far ahead the "open now" data of the interactive map reaches.
OPEN_DAYS = 14


def _names(value: Any, languages: Iterable[str]) -> dict[str, str]:
    return {language: value.get(language)[0] for language in languages}


def _urls(languages: Iterable[str], page: str) -> dict[str, str]:
    """A page's address in each language, from the root of the site."""
    return {language: routes.language_url(language, page) for language in languages}


def _epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def service_features(directory: Directory, languages: tuple[str, ...]) -> list[geojson.Feature]:
    features = []
    horizon = directory.today + dt.timedelta(days=OPEN_DAYS)
    for sid, service in directory.services.items():
        commune = directory.communes[service.address.commune]
        opening = directory.service_sessions(sid, directory.today, horizon)
        appointment = service.appointment.policy.value if service.appointment else None
        properties = {
            "id": sid,
            "kind": "service",
            "name": _names(service.name, languages),
            "category": service.category,
            "categories": [service.category, *service.other_categories],
            "symbol": directory.taxonomy.categories[service.category].symbol.value,
            "address": {
                "street": service.address.street,
                "postcode": service.address.postcode,
                "commune": service.address.commune,
                "commune_name": commune.name,
            },
            "url": _urls(languages, routes.service(sid)),
            "opening_hours": service.opening_hours,
            # Open intervals of the coming days (Unix seconds), for "open now" in the browser.
            "open": [[_epoch(s.start), _epoch(s.end)] for s in opening],
            "publics": list(service.publics),
            "free": Cost.FREE in service.cost,
            "appointment": appointment,
            "without_appointment": appointment == AppointmentPolicy.NOT_NEEDED.value,
            "wheelchair": service.accessibility.wheelchair.value
            if service.accessibility and service.accessibility.wheelchair
            else None,
            "wheelchair_accessible": bool(
                service.accessibility and service.accessibility.wheelchair is WheelchairAccess.FULL
            ),
            "phones": [phone.number for phone in service.phones],
            "neighbourhood": directory.neighbourhood_of.get(("services", sid)),
        }
        features.append(
            geojson.Feature(
                id=sid, geometry=geojson.Point((service.longitude, service.latitude)), properties=properties
            )
        )
    return features


def permanence_features(directory: Directory, languages: tuple[str, ...]) -> list[geojson.Feature]:
    features = []
    for pid, permanence in directory.permanences.items():
        if directory.has_ended(pid):
            continue
        place = directory.place_of_permanence(pid)
        properties = {
            "id": pid,
            "kind": "permanence",
            "name": _names(permanence.name, languages),
            "categories": list(permanence.categories),
            "dispositifs": list(permanence.dispositifs),
            "address": {
                "street": place.address.street,
                "postcode": place.address.postcode,
                "commune": place.address.commune,
                "commune_name": directory.communes[place.address.commune].name,
            },
            "url": _urls(languages, routes.permanence(pid)),
            "schedule": permanence.schedule,
            "next": [[s.start.isoformat(), s.end.isoformat()] for s in directory.upcoming_sessions.get(pid, [])],
            "free": Cost.FREE in permanence.cost,
            "neighbourhood": directory.neighbourhood_of.get(("permanences", pid)),
        }
        features.append(
            geojson.Feature(id=pid, geometry=geojson.Point((place.longitude, place.latitude)), properties=properties)
        )
    return features


def commune_features(directory: Directory, languages: tuple[str, ...]) -> list[geojson.Feature]:
    features = []
    for insee, commune in directory.communes.items():
        geometry = (
            geojson.GeoJSON.to_instance(commune.outline)
            if commune.outline is not None
            else geojson.Point((commune.longitude, commune.latitude))
        )
        properties = {
            "insee": insee,
            "name": commune.name,
            "postcodes": list(commune.postcodes),
            "url": _urls(languages, routes.commune(directory.commune_slugs[insee])),
            "center": [commune.longitude, commune.latitude],
        }
        features.append(geojson.Feature(id=insee, geometry=geometry, properties=properties))
    return features


def neighbourhood_features(directory: Directory, languages: tuple[str, ...]) -> list[geojson.Feature]:
    """The communes' neighbourhoods: their outline, else their point; `center` is where the
    observatory measures distances from."""
    features = []
    for code, found in directory.neighbourhoods.items():
        neighbourhood = found.neighbourhood
        geometry = (
            geojson.GeoJSON.to_instance(neighbourhood.outline)
            if neighbourhood.outline is not None
            else geojson.Point((found.longitude, found.latitude))
        )
        properties = {
            "code": code,
            "name": neighbourhood.name,
            "kind": neighbourhood.kind.value,
            "commune": found.commune,
            "url": _urls(languages, routes.commune(directory.commune_slugs[found.commune])),
            "center": [round(found.longitude, 6), round(found.latitude, 6)],
            "population": neighbourhood.population.count if neighbourhood.population else None,
            "services": list(found.services),
            "permanences": list(found.permanences),
        }
        features.append(geojson.Feature(id=code, geometry=geometry, properties=properties))
    return features


def geojson_files(directory: Directory, languages: tuple[str, ...]) -> dict[str, str]:
    """The GeoJSON files of the site, by path under the site root."""

    def collection(features: list[geojson.Feature]) -> str:
        text = geojson.dumps(geojson.FeatureCollection(features), ensure_ascii=False, sort_keys=True)
        return without_markup(text)

    services = service_features(directory, languages)
    permanences = permanence_features(directory, languages)
    files = {
        routes.SERVICES_GEOJSON: collection(services),
        routes.PERMANENCES_GEOJSON: collection(permanences),
        routes.COMMUNES_GEOJSON: collection(commune_features(directory, languages)),
        routes.NEIGHBOURHOODS_GEOJSON: collection(neighbourhood_features(directory, languages)),
    }
    if directory.feeds:
        files[routes.TRANSPORT_GEOJSON] = transport_geojson(directory.feeds)
    # Grouped in one pass: looking through the territory for each commune grew as its square.
    by_commune: dict[str, list[geojson.Feature]] = {insee: [] for insee in directory.commune_slugs}
    for feature in services + permanences:
        by_commune.setdefault(feature["properties"]["address"]["commune"], []).append(feature)
    for insee, slug in directory.commune_slugs.items():
        files[routes.commune_geojson(slug)] = collection(by_commune[insee])
    return files
