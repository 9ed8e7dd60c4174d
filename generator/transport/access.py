"""How a place can be reached: by the stops near it, or by a transport service (on-demand,
solidarity) serving its commune. Pure: a `Directory` in, ids out; `check` warns about the places
that have neither, the pages list both.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records.directory import Directory

#: The taxonomy category of transport services: « transport à la demande », « transport solidaire ».
TRANSPORT_CATEGORY = "transport"
#: The stops a page lists: the nearest ones are enough, and a page stays light.
MAX_STOPS = 3


def transport_services_for(directory: Directory, insee: str) -> list[str]:
    """The transport services (main or other category) that serve the commune, in name order."""
    return [
        sid
        for sid in directory.services_serving.get(insee, [])
        if TRANSPORT_CATEGORY in (directory.services[sid].category, *directory.services[sid].other_categories)
    ]


@dataclass(frozen=True)
class Unreachable:
    """A place with no stop within walking distance and no transport service for its commune."""

    kind: str  # services, permanences: the record whose coordinates these are
    rid: str
    commune: str  # INSEE code


def unreachable_places(directory: Directory) -> list[Unreachable]:
    """Each service, and each permanence held at a place of its own, that no stop of the feeds
    and no transport service reaches. Nothing when the territory has no feed: then nobody knows
    where the stops are, and every place would be listed."""
    if not directory.feeds:
        return []
    found = []
    for sid, service in directory.services.items():
        if not directory.stops_near.get((service.latitude, service.longitude)) and not transport_services_for(
            directory, service.address.commune
        ):
            found.append(Unreachable("services", sid, service.address.commune))
    for pid, permanence in directory.permanences.items():
        location = permanence.location
        if location.latitude is None or location.longitude is None or location.address is None:
            continue  # held at a service: that service is listed, once
        if not directory.stops_near.get((location.latitude, location.longitude)) and not transport_services_for(
            directory, location.address.commune
        ):
            found.append(Unreachable("permanences", pid, location.address.commune))
    return found
