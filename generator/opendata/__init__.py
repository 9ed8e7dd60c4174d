"""Open data published with the site, under `site/data/`.

    files = data_files(directory, base_url="https://sante.example.org/", licence=LICENCE, separator=";")

returns `{path: bytes}`: the records as CSV tables that open as they are in
LibreOffice and Excel, as data·inclusion structures and services, as Open
Referral HSDS 3.0 services and organizations, and a
`datapackage.json` (Frictionless Data) that describes every file of `data/`
with its licence. Writing them is the build stage's job.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import routes
from ..records.directory import Directory
from . import datainclusion
from .hsds import ORGANIZATIONS, SERVICES, hsds_files
from .package import LICENCE, Resource, datapackage
from .tables import CSV_TABLES, csv_files
from .transport import source_of

__all__ = ["CSV_TABLES", "LICENCE", "csv_files", "data_files", "datapackage", "producer_of", "rejected"]


#: Where HSDS 3.0 is documented.
HSDS_DOCS = "https://docs.openreferral.org/en/v3.0/"
HSDS_RESOURCES = [
    Resource(
        SERVICES,
        "hsds-services",
        "json",
        "application/json",
        "Open Referral HSDS 3.0 compiled services, with their locations and schedules",
        HSDS_DOCS,
    ),
    Resource(
        ORGANIZATIONS,
        "hsds-organizations",
        "json",
        "application/json",
        "Open Referral HSDS 3.0 organizations",
        HSDS_DOCS,
    ),
]


def producer_of(directory: Directory, producer: str | None) -> str:
    """The portal's data·inclusion `source`: as set in mkdocs.yml, or its territory's name as an id."""
    return producer or datainclusion.producer_id(directory.territory.name.source)


def rejected(directory: Directory, *, producer: str | None = None) -> list[datainclusion.Rejected]:
    """The records the data·inclusion export has to leave out, and why: for `check`."""
    return datainclusion.export(directory, base_url=None, producer=producer_of(directory, producer)).rejected


def data_files(
    directory: Directory,
    *,
    base_url: str | None,
    separator: str = ";",
    licence: dict[str, str] | None = None,
    title: str = "",
    producer: str | None = None,
    other_files: Iterable[str] = (),
) -> dict[str, bytes]:
    """Every file of data/, and the datapackage.json describing them and `other_files` (the GeoJSON paths)."""
    files = csv_files(directory, base_url=base_url, separator=separator)
    exported = datainclusion.export(directory, base_url=base_url, producer=producer_of(directory, producer))
    files.update(exported.files())
    files.update(hsds_files(directory, base_url=base_url))
    feeds = tuple(source_of(feed) for feed in directory.feeds)
    resources = [
        *datainclusion.RESOURCES,
        *HSDS_RESOURCES,
        *(Resource.geojson(path, feeds if path == routes.TRANSPORT_GEOJSON else ()) for path in sorted(other_files)),
    ]
    files[routes.DATAPACKAGE] = datapackage(
        title=title,
        licence=licence or LICENCE,
        separator=separator,
        resources=resources,
        homepage=base_url,
        sources=sources(directory),
    ).encode("utf-8")
    return files


def sources(directory: Directory) -> list[dict[str, str]]:
    """Who gathers the records (territory.yml `publisher:`); each record names its own source."""
    publisher = directory.territory.publisher
    source = {
        "title": (publisher.name.source if publisher else directory.territory.name.source)
        + ": records checked by hand, each with its date (verified) and its own source (source)"
    }
    if publisher and publisher.website:
        source["path"] = publisher.website
    if publisher and publisher.email:
        source["email"] = publisher.email
    return [source]
