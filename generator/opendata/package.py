"""`data/datapackage.json`: what each open data file is, and under which licence
(Frictionless Data Package, https://specs.frictionlessdata.io/data-package/)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: The default licence of French public data.
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


@dataclass(frozen=True)
class Resource:
    """A file of data/ that is not one of our CSV tables (their schema comes from the columns)."""

    path: str  # "data/services.json"
    format: str
    mediatype: str
    description: str = ""
    schema: str | None = None  # where the file's format is defined

    @classmethod
    def geojson(cls, path: str) -> Resource:
        return cls(path, "geojson", "application/geo+json")

    def describe(self) -> dict[str, Any]:
        relative = self.path.removeprefix("data/")
        described: dict[str, Any] = {
            "name": relative.rsplit(".", 1)[0].replace("/", "-").lower(),
            "path": relative,
            "format": self.format,
            "mediatype": self.mediatype,
        }
        if self.description:
            described["description"] = self.description
        if self.schema:
            described["schema"] = self.schema
        return described


def datapackage(*, title: str, licence: dict[str, str], separator: str, resources: Iterable[Resource]) -> str:
    from .tables import CSV_TABLES

    described = []
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
                "schema": {"fields": [{"name": c.name, "type": c.type, "description": c.description} for c in columns]},
            }
        )
    described.extend(resource.describe() for resource in resources)
    package = {
        "profile": "data-package",
        "name": "care-access-portal",
        "title": title,
        "licenses": [licence],
        "resources": described,
    }
    return json.dumps(package, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
