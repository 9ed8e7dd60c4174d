"""Open data published with the site, under `site/data/`.

    files = data_files(directory, base_url="https://sante.example.org/", licence=LICENCE, separator=";")

returns `{path: bytes}`: the records as CSV tables that open as they are in
LibreOffice and Excel, and a `datapackage.json` (Frictionless Data) that
describes every file of `data/` with its licence. Writing them is the build
stage's job.
"""

from __future__ import annotations

from typing import Iterable

from ..directory import Directory
from .tables import CSV_TABLES, csv_files
from .package import LICENCE, datapackage

__all__ = ["CSV_TABLES", "LICENCE", "csv_files", "datapackage", "data_files"]


def data_files(
    directory: Directory, *, base_url: str | None, separator: str = ";", licence: dict[str, str] | None = None,
    title: str = "", other_files: Iterable[str] = (),
) -> dict[str, bytes]:
    """The CSV tables, and the datapackage.json describing them and `other_files` (the GeoJSON paths)."""
    files = csv_files(directory, base_url=base_url, separator=separator)
    files["data/datapackage.json"] = datapackage(
        title=title, licence=licence or LICENCE, separator=separator, other_files=sorted(other_files)
    ).encode("utf-8")
    return files
