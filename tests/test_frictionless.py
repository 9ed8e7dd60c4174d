"""data/datapackage.json under the reference validator, Frictionless (the pinned
`frictionless` package): the descriptor against the Data Package specification,
and every row of both CSV tables against its Table Schema.

The JSON files (data·inclusion, HSDS, GeoJSON) are described but not read by
Frictionless: their content is checked by their own schemas
(tests/test_datainclusion.py, tests/test_hsds.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from frictionless import Report, validate

from generator.opendata.package import Resource, datapackage
from generator.site.build import open_data_files

from helpers import demo_config


def problems(report: Report) -> list[str]:
    """Every error of the report, with the resource it is in."""
    found = [f"package: {error.message}" for error in report.errors]
    for task in report.tasks:
        found.extend(f"{task.name}: {error.message}" for error in task.errors)
    return found


@pytest.fixture(scope="module")
def published(demo_directory) -> dict[str, bytes]:
    return open_data_files(demo_config(), demo_directory)


def write(files: dict[str, bytes], site: Path) -> Path:
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    return site / "data" / "datapackage.json"


@pytest.mark.build
def test_the_built_demo_passes_frictionless(demo_site_fr, demo_directory):
    """What `frictionless validate site/data/datapackage.json` says of the demo."""
    report = validate(str(demo_site_fr / "data" / "datapackage.json"))
    assert problems(report) == []
    # the data was read, not only the descriptor: every row of each table (the observatory: one per commune, and one per neighbourhood)
    rows = {task.name: task.stats["rows"] for task in report.tasks if task.type == "table"}
    assert rows == {
        "services": len(demo_directory.services),
        "permanences": len(demo_directory.permanences),
        "observatoire": len(demo_directory.communes),
        "observatoire-quartiers": len(demo_directory.neighbourhoods),
    }
    assert len(report.tasks) == len(json.loads((demo_site_fr / "data" / "datapackage.json").read_bytes())["resources"])


def test_frictionless_refuses_resource_names_used_twice(published, tmp_path):
    """The datapackage.json of before: `services` three times, `permanences` twice."""
    package = json.loads(published["data/datapackage.json"])
    for resource in package["resources"]:
        if resource["path"] in ("services.json", "services.geojson"):
            resource["name"] = "services"
        elif resource["path"] == "permanences.geojson":
            resource["name"] = "permanences"
    files = {**published, "data/datapackage.json": json.dumps(package).encode("utf-8")}
    assert problems(validate(str(write(files, tmp_path)))) == [
        "package: The data package has an error: names of the resources are not unique"
    ]


def test_we_never_write_a_name_twice():
    twice = Resource("data/other/services.json", "services", "json", "application/json")
    with pytest.raises(ValueError, match="resource names used twice: services"):
        datapackage(title="T", licence={"name": "etalab-2.0"}, separator=";", resources=[twice])


def spoiled(data: bytes, change) -> bytes:
    """A CSV table of ours with `change(row)` applied to each row (a dict by column)."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for number, row in enumerate(rows):
        writer.writerow(change(number, row))
    return buffer.getvalue().encode("utf-8-sig")


def test_frictionless_reads_every_row_against_the_table_schemas(published, tmp_path):
    """Each kind of wrong cell the Table Schemas forbid is found, at its row."""

    def services(number: int, row: dict[str, str]) -> dict[str, str]:
        changes = {
            1: {"id": row["id"].replace("-", " ")},  # not an id
            2: {"verified": "23/11/2026"},  # not an ISO date
            3: {"appointment": "sometimes"},
            4: {"cost": "free, paid"},  # not separated by ' | '
            5: {"latitude": "147.5"},
            6: {"commune_insee": "3523"},
            7: {"name": ""},
            8: {"page": "not a link"},
        }
        return {**row, **changes.get(number, {})}

    def permanences(number: int, row: dict[str, str]) -> dict[str, str]:
        return {**row, "next_sessions": "mardi 9 h"} if number == 0 else row

    files = {
        **published,
        "data/services.csv": spoiled(published["data/services.csv"], services),
        "data/permanences.csv": spoiled(published["data/permanences.csv"], permanences),
    }
    report = validate(str(write(files, tmp_path)))
    errors = {
        (task.name, error.type, getattr(error, "field_name", None)) for task in report.tasks for error in task.errors
    }
    assert errors == {
        ("services", "constraint-error", "id"),
        ("services", "type-error", "verified"),
        ("services", "constraint-error", "appointment"),
        ("services", "constraint-error", "cost"),
        ("services", "constraint-error", "latitude"),
        ("services", "constraint-error", "commune_insee"),
        ("services", "constraint-error", "name"),
        ("services", "type-error", "page"),
        ("permanences", "constraint-error", "next_sessions"),
    }
