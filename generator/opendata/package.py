"""`data/datapackage.json`: what each open data file is, and under which licence
(Frictionless Data Package v1, https://specs.frictionlessdata.io/data-package/).

The CSV tables are Tabular Data Resources: their Table Schema (types, required
fields, patterns, primary key) comes from their columns (`tables.py`), so that
the Frictionless validator checks every row, not only the descriptor
(tests/test_frictionless.py runs it on the built demo). The JSON and GeoJSON
files are described as files of a published format: the Table Schema is for
tables, so the format's definition is given as `conformsTo` (the DCAT term for
"the standard the file follows"; Data Package allows such extra properties).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import routes
from .jsontext import without_markup

#: The default licence of French public data.
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

#: Where GeoJSON is defined.
GEOJSON_SPEC = "https://www.rfc-editor.org/rfc/rfc7946"
#: What the GeoJSON files of the whole territory hold (the others are one commune's).
GEOJSON_DESCRIPTIONS = {
    routes.SERVICES_GEOJSON: "the places, as points for a map",
    routes.PERMANENCES_GEOJSON: "the drop-in sessions, as points for a map, with their next dates",
    routes.COMMUNES_GEOJSON: "the communes of the territory, as shapes for a map",
    routes.TRANSPORT_GEOJSON: (
        "the public-transport stops (points, with the lines calling there) and lines (the stops of each route "
        "and direction in order, not the roads taken), from the GTFS feeds named in sources, with their GTFS ids; "
        "the terms of those feeds' publishers apply to them"
    ),
    routes.NEIGHBOURHOODS_GEOJSON: "the communes' neighbourhoods (QPV and local ones), as shapes or points",
}


@dataclass(frozen=True)
class Resource:
    """A file of data/ that is not one of our CSV tables (their schema comes from the columns)."""

    path: str  # "data/services.json"
    name: str  # unique in the package: "data-inclusion-services"
    format: str
    mediatype: str
    description: str = ""
    conforms_to: str | None = None  # where the file's format is defined
    sources: tuple[str, ...] = ()  # who the data comes from, when not the records' keepers

    @classmethod
    def geojson(cls, path: str, sources: tuple[str, ...] = ()) -> Resource:
        # "data/communes/redon.geojson" -> "communes-redon-geojson": the CSV table of the
        # same stem keeps the plain name ("services"), the map of it says what it is
        stem = path.removeprefix("data/").removesuffix(".geojson").replace("/", "-").lower()
        description = GEOJSON_DESCRIPTIONS.get(
            path, "the places and drop-in sessions of one commune, as points for a map"
        )
        return cls(path, f"{stem}-geojson", "geojson", "application/geo+json", description, GEOJSON_SPEC, sources)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "name": self.name,
            "path": self.path.removeprefix("data/"),
            "profile": "data-resource",
            "format": self.format,
            "mediatype": self.mediatype,
            "encoding": "utf-8",
        }
        if self.description:
            described["description"] = self.description
        if self.conforms_to:
            described["conformsTo"] = self.conforms_to
        if self.sources:
            described["sources"] = [{"title": title} for title in self.sources]
        return described


def datapackage(
    *,
    title: str,
    licence: dict[str, str],
    separator: str,
    resources: Iterable[Resource],
    homepage: str | None = None,
    sources: Iterable[dict[str, str]] = (),
) -> str:
    from .tables import CSV_TABLES

    described: list[dict[str, Any]] = []
    for path, (columns, _) in CSV_TABLES.items():
        name = path.rsplit("/", 1)[1].removesuffix(".csv")
        described.append(
            {
                "name": name,
                "path": path.removeprefix("data/"),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": separator, "header": True},
                "schema": {"fields": [column.describe() for column in columns], "primaryKey": [columns[0].name]},
            }
        )
    described.extend(resource.describe() for resource in resources)
    twice = sorted(name for name, count in Counter(r["name"] for r in described).items() if count > 1)
    if twice:
        # the Data Package spec requires unique names: a bug of ours, not of the records
        raise ValueError(f"datapackage.json: resource names used twice: {', '.join(twice)}")
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": "care-access-portal",
        "title": title,
        "licenses": [licence],
    }
    if homepage:
        package["homepage"] = homepage
    if sources := list(sources):
        package["sources"] = sources
    package["resources"] = described
    return without_markup(json.dumps(package, ensure_ascii=False, indent=1, sort_keys=False)) + "\n"
