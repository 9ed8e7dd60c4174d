"""Import records that already exist elsewhere: `python -m generator import data-inclusion FILE...`.

    result = import_data_inclusion([Path("services.json"), Path("structures.json")], Path("directory"), today)

reads data·inclusion files (JSON lists, pages of the list and search API, CSV,
the official spreadsheet template in .xlsx or .ods), checks each object with the models
of the published `data-inclusion-schema` package, maps them to our service
records (`datainclusion`) and writes them under `directory/services/`
(`files`). Running it again updates what it wrote before and reports, without
touching them, the records someone has edited since.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..problems import Report
from ..records.validate import validate_reference
from .datainclusion import Mapper, to_records
from .files import ImportResult, read_data_inclusion, write_records

__all__ = ["ImportResult", "import_data_inclusion"]


def import_data_inclusion(
    files: list[Path], directory: Path, today: dt.date, report: Report, source: str | None = None
) -> ImportResult | None:
    """Import `files` into `directory`; None when nothing could be read (the report says why).

    `source`: the data·inclusion `source` of objects that have none (the template's
    is optional); by default, each file's name.
    """
    reference = validate_reference(directory, report)
    if reference is None:
        return None
    services, structures, claimed = read_data_inclusion(files, report, source)
    if report.errors and not services and not structures:
        return None
    records = to_records(Mapper(*reference), services, structures, claimed)
    return write_records(records, directory / "services", today)
