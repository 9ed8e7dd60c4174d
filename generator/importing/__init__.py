"""Import records that already exist elsewhere: `python -m generator import data-inclusion|hsds FILE...`.

    result = import_data_inclusion([Path("services.json"), Path("structures.json")], Path("directory"), today)

reads data·inclusion files (JSON lists, pages of the list and search API, CSV,
the official spreadsheet template in .xlsx or .ods), checks each object with the models
of the published `data-inclusion-schema` package, maps them to our service
records (`datainclusion`) and writes them under `directory/services/`
(`files`). `import_hsds` does the same for Open Referral HSDS 3.0 JSON
(`hsds`), writing services and the permanences they hold. Running it again updates what it wrote before and reports, without
touching them, the records someone has edited since.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..problems import Report
from ..records.validate import validate_reference
from .datainclusion import Mapper, to_records
from .files import ImportResult, read_data_inclusion, write_records
from .hsds import HSDS_SOURCE, HsdsMapper, read_hsds

__all__ = ["ImportResult", "import_data_inclusion", "import_hsds"]


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


#: Files larger than this are refused rather than read into memory (a whole HSDS dump of a city is far smaller).
MAX_FILE_BYTES = 100 * 1024 * 1024


def _hsds_text(path: Path, report: Report) -> str | None:
    try:
        if not path.is_file():
            report.error(path, 0, "fichier introuvable (ou ce n'est pas un fichier ordinaire)")
            return None
        if path.stat().st_size > MAX_FILE_BYTES:
            report.error(
                path, 0, f"fichier trop gros (plus de {MAX_FILE_BYTES // 1024 // 1024} Mo) : découpez-le en pages"
            )
            return None
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        report.error(path, line, "le fichier n'est pas en UTF-8 : enregistrez-le en JSON UTF-8")
    except OSError as error:
        report.error(path, 0, f"illisible : {error.strerror}")
    return None


def import_hsds(files: list[Path], directory: Path, today: dt.date, report: Report) -> ImportResult | None:
    """Import Open Referral HSDS 3.0 `files` into `directory`; None, writing nothing, on any error."""
    reference = validate_reference(directory, report)
    if reference is None:
        return None
    found = []
    for path in files:
        text = _hsds_text(path, report)
        if text is not None:
            found += read_hsds(path, text, report)
    if report.errors:
        return None
    services, permanences = HsdsMapper(*reference, today).to_records(found, report)
    if report.errors:
        return None
    result = write_records(services, directory / "services", today, HSDS_SOURCE)
    if permanences:
        held = write_records(permanences, directory / "permanences", today, HSDS_SOURCE)
        for name, value in vars(held).items():
            getattr(result, name).extend(value)
    return result
