"""Import records that already exist elsewhere: `python -m generator import data-inclusion FILE...`.

    result = import_data_inclusion([Path("services.json"), Path("structures.json")], Path("directory"), today)

reads data·inclusion exports (JSON or CSV), checks each object with the models
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


def import_data_inclusion(files: list[Path], directory: Path, today: dt.date, report: Report) -> ImportResult | None:
    """Import `files` into `directory`; None when nothing could be read (the report says why)."""
    reference = validate_reference(directory, report)
    if reference is None:
        return None
    services, structures, claimed = read_data_inclusion(files, report)
    if report.errors and not services and not structures:
        return None
    records = to_records(Mapper(*reference), services, structures, claimed)
    return write_records(records, directory / "services", today)
