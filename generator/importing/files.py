"""The import's two edges: reading data·inclusion files, writing our YAML records.

A written record starts with a comment naming where it comes from and a
fingerprint of what the import wrote. A later import rewrites the file only
while the fingerprint still matches: once someone edits the record, it is
theirs, and the import reports it instead of overwriting it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from data_inclusion.schema import v1 as di
from pydantic import BaseModel, ValidationError

from ..guarded import write_target
from ..problems import Report
from .datainclusion import Imported, Unmapped

FINGERPRINT = re.compile(r"# empreinte de l'import : sha256:([0-9a-f]{64})")
HEADER_START = "# Importé de data·inclusion ("
HEADER_LINES = 4


# --- reading ---------------------------------------------------------------


def _fields_of(model: type[BaseModel], kind: str) -> set[str]:
    return {name for name, info in model.model_fields.items() if re.search(rf"\b{kind}\b", str(info.annotation))}


LIST_FIELDS = {model: _fields_of(model, "set|list") for model in (di.Service, di.Structure)}
FLOAT_FIELDS = {model: _fields_of(model, "float") for model in (di.Service, di.Structure)}
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
#: Another tool's CSV may still use these for "nothing".
EMPTY_LISTS = {"[]", "{}"}


def _cell_list(text: str) -> list[str]:
    """A list in a CSV cell: a JSON array, a PostgreSQL array {a,b}, or values between commas or '|'."""
    text = text.strip()
    if text.startswith("["):
        try:
            return [str(v) for v in json.loads(text)]
        except json.JSONDecodeError:
            text = text.strip("[]").replace("'", "")
    text = text.strip("{}")
    return [part.strip().strip('"') for part in re.split(r"[,|]", text) if part.strip()]


def _csv_value(model: type, key: str, value: str) -> Any:
    if key in LIST_FIELDS[model]:
        return _cell_list(value)
    if key in FLOAT_FIELDS[model] and DECIMAL_COMMA.match(value.strip()):
        return value.strip().replace(",", ".")  # 47,65: a French spreadsheet's decimal comma
    return value


def _file_text(path: Path, report: Report) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        report.error(path, line, "the file is not in UTF-8: save it again as 'CSV UTF-8' (or JSON in UTF-8)")
    except OSError as error:
        report.error(path, 0, f"cannot be read: {error.strerror}")
    return None


def _from_csv(path: Path, text: str, report: Report) -> list[tuple[int, dict[str, Any]]]:
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    rows = []
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        for row in reader:  # line_num: the line the row ends on (a cell may hold several lines)
            if None in row:
                report.error(
                    path,
                    reader.line_num,
                    f"more cells than the header has columns ({len(row[None])} more): "
                    f"a '{separator}' inside a value needs quotes around the value",
                )
                continue
            rows.append(
                (
                    reader.line_num,
                    {k: v for k, v in row.items() if k and v not in (None, "") and v.strip() not in EMPTY_LISTS},
                )
            )
    except csv.Error as error:
        report.error(path, reader.line_num, f"not a readable CSV file: {error}")
    if not rows and not report.errors:
        report.warning(path, 1, "no rows: expected a header line, then one data·inclusion object per line")
    return rows


def _objects_with_lines(text: str, start: int) -> list[tuple[int, Any]]:
    """The items of the JSON array that opens at `start`, each with the line it starts on."""
    decoder = json.JSONDecoder()
    found: list[tuple[int, Any]] = []
    index = start + 1
    while True:
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] == "]":
            return found
        item, end = decoder.raw_decode(text, index)
        found.append((text.count("\n", 0, index) + 1, item))
        index = end


def _from_json(path: Path, text: str, report: Report) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        report.error(path, error.lineno, f"not valid JSON: {error.msg}")
        return []
    except RecursionError:
        report.error(path, 1, "not readable JSON: nested too deep")
        return []
    start = text.index("[") if isinstance(data, list) else -1
    if isinstance(data, dict) and isinstance(data.get("items"), list):  # a page of the data·inclusion API
        if data.get("pages", 1) not in (None, 1) or data.get("next"):
            report.warning(path, 1, "one page of a longer API answer: the other pages are not in this file")
        items = re.search(r'"items"\s*:', text)
        assert items is not None  # the JSON has an "items" key
        start = text.index("[", items.end())
        data = data["items"]
    if start < 0 or not all(isinstance(item, dict) for item in data):
        report.error(path, 1, "expected a list of data·inclusion structures or services (JSON objects)")
        return []
    return _objects_with_lines(text, start)


def read_data_inclusion(files: list[Path], report: Report) -> tuple[list[di.Service], list[di.Structure], set[str]]:
    """The services and structures of `files`, and every structure id a service names.

    An object the official models refuse is an error at its line and left out; a
    field they do not define (an older schema, a typo) is reported, never dropped
    silently. A file is of services when one of its objects has a `structure_id`.
    """
    services: list[di.Service] = []
    structures: list[di.Structure] = []
    claimed: set[str] = set()
    for path in files:
        if not path.is_file():
            report.error(path, 0, "no such file")
            continue
        text = _file_text(path, report)
        if text is None:
            continue
        is_csv = path.suffix.lower() == ".csv"
        objects = (_from_csv if is_csv else _from_json)(path, text, report)
        model = di.Service if any("structure_id" in raw for _, raw in objects) else di.Structure
        for line, raw in objects:
            if is_csv:
                raw = {k: _csv_value(model, k, v) for k, v in raw.items()}
            if model is di.Service and isinstance(raw.get("structure_id"), str):
                claimed.add(raw["structure_id"])
            for unknown in sorted(set(raw) - set(model.model_fields)):
                report.warning(
                    path,
                    line,
                    f"{raw.get('id', '?')}: {unknown}: not a field of the data·inclusion "
                    f"{model.__name__.lower()} schema v1: not imported",
                )
            try:
                record = model.model_validate(raw)
            except ValidationError as failure:
                for error in failure.errors(include_url=False):
                    where = ".".join(str(part) for part in error["loc"]) or "the record"
                    report.error(
                        path,
                        line,
                        f"{raw.get('id', '?')}: {where}: {error['msg']} "
                        f"(data·inclusion {model.__name__.lower()} schema v1)",
                    )
                continue
            (services if model is di.Service else structures).append(record)
    return services, structures, claimed


# --- writing ---------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Our own representers, without changing PyYAML's shared SafeDumper."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # paragraphs stay readable
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _body(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _fingerprint(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _header(origin: str, today: dt.date, body: str) -> str:
    return (
        f"{HEADER_START}{origin}) le {today.isoformat()} par « python -m generator import ».\n"
        "# Un nouvel import met cette fiche à jour tant qu'elle n'est pas modifiée à la main ;\n"
        "# une fois modifiée, il la laisse telle quelle et le signale.\n"
        f"# empreinte de l'import : sha256:{_fingerprint(body)}\n"
    )


def _split(text: str) -> tuple[str | None, str]:
    """The fingerprint written by the import, and the rest of the file (what it covers).

    Only the header as the import writes it, the file's first four lines, counts:
    anything added above it is an edit too.
    """
    lines = text.split("\n", HEADER_LINES)
    if len(lines) <= HEADER_LINES or not lines[0].startswith(HEADER_START):
        return None, text
    match = FINGERPRINT.fullmatch(lines[HEADER_LINES - 1])
    return (match.group(1), lines[HEADER_LINES]) if match else (None, text)


@dataclass
class ImportResult:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # edited by hand since the import: not overwritten
    hand_made: list[Path] = field(default_factory=list)  # a record of the same name not written by the import
    gone: list[tuple[Path, str]] = field(default_factory=list)  # imported before, not in these files
    clashes: list[tuple[str, str]] = field(default_factory=list)  # two inputs, one file name
    unmapped: list[tuple[Path, Unmapped]] = field(default_factory=list)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # not ours to rewrite: reported as made by hand


def _origin(text: str | None) -> str | None:
    """The data·inclusion id an imported record's header names."""
    if text is None or not text.startswith(HEADER_START):
        return None
    return text[len(HEADER_START) :].split(")", 1)[0]


def write_records(records: list[Imported], folder: Path, today: dt.date) -> ImportResult:
    result = ImportResult()
    folder.mkdir(parents=True, exist_ok=True)
    seen: dict[str, str] = {}
    for record in records:
        if not record.rid or record.rid in seen:
            result.clashes.append((seen.get(record.rid, "(no usable file name)"), record.origin))
            continue
        seen[record.rid] = record.origin
        path = write_target(folder / f"{record.rid}.yml", folder.parent)  # never through a link out
        body = _body(record.data)
        if path.exists():
            written, current = _split(_read(path) or "")
            if written is None:
                result.hand_made.append(path)
                continue
            if written != _fingerprint(current):
                result.kept.append(path)
                continue
            result.unmapped.extend((path, item) for item in record.unmapped)
            if current == body:
                result.unchanged.append(path)
                continue
            result.updated.append(path)
        else:
            result.unmapped.extend((path, item) for item in record.unmapped)
            result.created.append(path)
        path.write_text(_header(record.origin, today, body) + body, encoding="utf-8")
    # Records an earlier import wrote that these files no longer give: say so, delete nothing.
    produced = {record.origin for record in records}
    for path in sorted(folder.glob("*.yml")):
        origin = _origin(_read(path))
        if origin is not None and origin not in produced:
            result.gone.append((path, origin))
    return result
