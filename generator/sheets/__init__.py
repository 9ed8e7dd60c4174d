"""The spreadsheet round trip: records -> an .xlsx or .ods workbook -> records.

`export_workbook` turns validated records into a workbook (data, `model.py`),
which `save_workbook` writes in the format the file name asks for. `import_workbook`
reads a workbook back, checks the records it would give with `check`'s own rules,
and changes only the keys whose cells changed, through `editing`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import load_config
from ..editing import EditConflict
from ..guarded import FileRefused, read_bytes
from ..problems import Report
from .export import export_workbook, vocabulary
from .importer import Edit, Plan, SheetProblem, apply, check_plan, digest, plan
from .model import Grid, Workbook
from .ods import read_ods, write_ods
from .xlsx import read_xlsx, write_xlsx

FORMATS: dict[str, tuple[Callable[[Workbook], bytes], Callable[[bytes], Grid]]] = {
    ".xlsx": (write_xlsx, read_xlsx),
    ".ods": (write_ods, read_ods),
}


class SheetError(Exception):
    """The command cannot run (a file name, an unreadable workbook): the message says why."""


def _format(path: Path) -> tuple[Callable[[Workbook], bytes], Callable[[bytes], Grid]]:
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise SheetError(f"{path} : attendu un nom de fichier qui finit par .xlsx (Excel) ou .ods (LibreOffice)")
    return found


def save_workbook(workbook: Workbook, path: Path) -> None:
    data = _format(path)[0](workbook)
    try:
        path.write_bytes(data)
    except OSError as error:
        raise SheetError(f"{path} : n'a pas pu être écrit ({error.strerror})") from None


#: The largest workbook read: 10,000 records make about 5 MB.
WORKBOOK_LIMIT = 100_000_000


def read_workbook(path: Path) -> Grid:
    reader = _format(path)[1]
    try:  # the file named on the command line, anywhere; a regular file, not a pipe or a device
        data = read_bytes(path, None, "spreadsheets", limit=WORKBOOK_LIMIT)
    except FileRefused as refused:
        raise SheetError(f"{path} : non lu : {refused.reason}") from None
    try:
        return reader(data)
    except Exception as error:  # a damaged or mislabelled file: the libraries raise many kinds
        raise SheetError(
            f"{path} : n'a pas pu être lu comme un tableur {path.suffix} ({type(error).__name__}) : "
            "enregistrez-le à nouveau depuis LibreOffice ou Excel dans ce format"
        ) from None


def export_file(config_file: Path, out: Path, report: Report, directory: Path | None, today: dt.date) -> int | None:
    """Write the workbook of the records; the number of records, or None when they have errors."""
    from ..records.validate import validate_directory

    _format(out)
    config = load_config(config_file, report, directory)
    if config is None:
        return None
    records = validate_directory(config.directory, report, today)
    if records is None:
        return None
    digests = {
        key: digest(read_bytes(document.path, config.directory))
        for key, document in records.documents.items()
        if key[0] in ("services", "permanences", "dispositifs")
    }
    save_workbook(export_workbook(records, config.languages, digests), out)
    return len(digests)


@dataclass
class ImportResult:
    plan: Plan
    written: list[Edit] = field(default_factory=list)


def import_workbook(
    path: Path, config_file: Path, report: Report, directory: Path | None, today: dt.date, *, dry_run: bool = False
) -> ImportResult | None:
    """Check the workbook's records; write the changes only if nothing is wrong (never with `dry_run`).

    None when the configuration or the territory and taxonomy cannot be read (in `report`).
    """
    from ..records.validate import validate_reference

    grid = read_workbook(path)
    config = load_config(config_file, report, directory)
    if config is None:
        return None
    reference = validate_reference(config.directory, report)
    if reference is None:
        return None
    words = vocabulary(*reference)
    result = plan(grid, config.directory, config.languages, words)
    try:  # a value the records cannot carry as given is refused (EditConflict) before anything is written
        check_plan(result, config.directory, config_file, config.languages, words, today)
        if result.errors:
            return ImportResult(result)
        if dry_run:  # what would be written: the edits whose text differs from the file
            return ImportResult(result, [e for e in result.edits if e.new or e.text().encode() != e.original])
        written = list(apply(result))
    except EditConflict as error:
        result.problems.append(SheetProblem(str(error)))
        return ImportResult(result)
    return ImportResult(result, written)


__all__ = [
    "FORMATS",
    "ImportResult",
    "SheetError",
    "SheetProblem",
    "export_file",
    "export_workbook",
    "import_workbook",
    "read_workbook",
    "save_workbook",
]
