"""`data/datapackage.json`: what each open data file is, and under which licence
(Frictionless Data Package, https://specs.frictionlessdata.io/data-package/)."""

from __future__ import annotations

import json

#: The default licence of French public data.
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


def datapackage(*, title: str, licence: dict, separator: str, other_files: list[str]) -> str:
    from .tables import CSV_TABLES

    resources = []
    for path, (columns, _) in CSV_TABLES.items():
        name = path.rsplit("/", 1)[1].removesuffix(".csv")
        resources.append({
            "name": name,
            "path": path.removeprefix("data/"),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": separator, "header": True},
            "schema": {"fields": [{"name": c.name, "type": c.type, "description": c.description} for c in columns]},
        })
    for path in other_files:
        relative = path.removeprefix("data/")
        resources.append({
            "name": relative.removesuffix(".geojson").replace("/", "-"),
            "path": relative,
            "format": "geojson",
            "mediatype": "application/geo+json",
        })
    package = {
        "profile": "data-package",
        "name": "care-access-portal",
        "title": title,
        "licenses": [licence],
        "resources": resources,
    }
    return json.dumps(package, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
